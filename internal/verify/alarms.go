package verify

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
)

// CloudWatchAPI is the part of the CloudWatch client the alarm check uses.
type CloudWatchAPI interface {
	DescribeAlarms(ctx context.Context, in *cloudwatch.DescribeAlarmsInput, opts ...func(*cloudwatch.Options)) (*cloudwatch.DescribeAlarmsOutput, error)
}

// AlarmStateUnknown is the state reported for a name in the stack's
// alarmNames output that CloudWatch does not know (the stack and the account
// disagree: deleted by hand, another region or account, stale outputs).
const AlarmStateUnknown = "UNKNOWN"

// maxAlarmNamesPerCall is DescribeAlarms' limit on AlarmNames (and on
// MaxRecords): "Array Members: Maximum number of 100 items" (CloudWatch API
// reference, DescribeAlarms).
const maxAlarmNamesPerCall = 100

// Alarm is one of the stack's alarms as CloudWatch reports it.
type Alarm struct {
	Name    string
	State   string // OK, ALARM, INSUFFICIENT_DATA, or AlarmStateUnknown
	Reason  string // StateReason
	Updated *time.Time
}

// AlarmResult is the outcome of the alarm check: every name of the stack's
// alarmNames output, in that order, with its state.
type AlarmResult struct {
	Alarms []Alarm
}

// Firing are the alarms in state ALARM.
func (r AlarmResult) Firing() []Alarm { return r.inState(string(cwtypes.StateValueAlarm)) }

// Unknown are the names CloudWatch does not know.
func (r AlarmResult) Unknown() []Alarm { return r.inState(AlarmStateUnknown) }

func (r AlarmResult) inState(state string) []Alarm {
	var out []Alarm
	for _, a := range r.Alarms {
		if a.State == state {
			out = append(out, a)
		}
	}
	return out
}

// Failed reports whether the check fails the verification: an alarm in
// ALARM, or a name CloudWatch does not know. OK and INSUFFICIENT_DATA pass.
func (r AlarmResult) Failed() bool { return len(r.Firing()) > 0 || len(r.Unknown()) > 0 }

// Problem is the one-line reason for the RESULT line ("" when it passes).
func (r AlarmResult) Problem() string {
	var parts []string
	if f := r.Firing(); len(f) > 0 {
		parts = append(parts, fmt.Sprintf("%d alarm(s) in ALARM: %s", len(f), alarmNames(f)))
	}
	if u := r.Unknown(); len(u) > 0 {
		parts = append(parts, fmt.Sprintf("%d alarm(s) unknown to CloudWatch: %s", len(u), alarmNames(u)))
	}
	if len(parts) == 0 {
		return ""
	}
	return "alarms: " + strings.Join(parts, "; ")
}

func alarmNames(as []Alarm) string {
	names := make([]string, len(as))
	for i, a := range as {
		names[i] = a.Name
	}
	return strings.Join(names, ", ")
}

// CheckAlarms reads the state of exactly the named alarms with
// cloudwatch:DescribeAlarms (AlarmNames, at most 100 per call, following
// NextToken), each call bounded by callTimeout. Metric and composite alarms
// are both asked for: without AlarmTypes, DescribeAlarms returns only metric
// alarms. A name CloudWatch does not return is AlarmStateUnknown. Only a
// failing API call is an error.
func CheckAlarms(ctx context.Context, api CloudWatchAPI, names []string) (AlarmResult, error) {
	found := map[string]Alarm{}
	for start := 0; start < len(names); start += maxAlarmNamesPerCall {
		chunk := names[start:min(start+maxAlarmNamesPerCall, len(names))]
		var token *string
		for {
			cctx, cancel := context.WithTimeout(ctx, callTimeout)
			out, err := api.DescribeAlarms(cctx, &cloudwatch.DescribeAlarmsInput{
				AlarmNames: chunk,
				AlarmTypes: []cwtypes.AlarmType{cwtypes.AlarmTypeMetricAlarm, cwtypes.AlarmTypeCompositeAlarm},
				MaxRecords: aws.Int32(maxAlarmNamesPerCall),
				NextToken:  token,
			})
			cancel()
			if err != nil {
				return AlarmResult{}, fmt.Errorf("cloudwatch DescribeAlarms %s: %w", strings.Join(chunk, ", "), err)
			}
			for _, a := range out.MetricAlarms {
				found[aws.ToString(a.AlarmName)] = Alarm{Name: aws.ToString(a.AlarmName), State: string(a.StateValue),
					Reason: aws.ToString(a.StateReason), Updated: a.StateUpdatedTimestamp}
			}
			for _, a := range out.CompositeAlarms {
				found[aws.ToString(a.AlarmName)] = Alarm{Name: aws.ToString(a.AlarmName), State: string(a.StateValue),
					Reason: aws.ToString(a.StateReason), Updated: a.StateUpdatedTimestamp}
			}
			token = out.NextToken
			if aws.ToString(token) == "" {
				break
			}
		}
	}
	var res AlarmResult
	for _, n := range names {
		a, ok := found[n]
		if !ok {
			a = Alarm{Name: n, State: AlarmStateUnknown}
		}
		res.Alarms = append(res.Alarms, a)
	}
	return res, nil
}

// WriteAlarmReport prints one line per alarm (in ALARM: with its state
// reason and state-updated time; unknown names: why that fails) and the
// verdict.
func WriteAlarmReport(w io.Writer, r AlarmResult) {
	p := func(format string, a ...any) { _, _ = fmt.Fprintf(w, format, a...) }
	counts := map[string]int{}
	for _, a := range r.Alarms {
		counts[a.State]++
	}
	var summary []string
	for _, s := range []string{string(cwtypes.StateValueAlarm), string(cwtypes.StateValueInsufficientData), string(cwtypes.StateValueOk), AlarmStateUnknown} {
		if counts[s] > 0 {
			summary = append(summary, fmt.Sprintf("%s %d", s, counts[s]))
		}
	}
	p("Alarms (%d): %s\n", len(r.Alarms), strings.Join(summary, "  "))
	width := 0
	for _, a := range r.Alarms {
		width = max(width, len(a.State))
	}
	for _, a := range r.Alarms {
		switch a.State {
		case string(cwtypes.StateValueAlarm):
			if a.Updated != nil && !a.Updated.IsZero() {
				p("  %-*s  %s  (state updated %s)\n", width, a.State, a.Name, fmtTime(a.Updated))
			} else {
				p("  %-*s  %s\n", width, a.State, a.Name)
			}
			// The whole reason (CloudWatch caps it at 1023 characters), on
			// one line.
			p("      reason: %s\n", strings.Join(strings.Fields(a.Reason), " "))
		case AlarmStateUnknown:
			p("  %-*s  %s  (CloudWatch has no alarm of this name: the stack and the account disagree)\n", width, a.State, a.Name)
		default:
			p("  %-*s  %s\n", width, a.State, a.Name)
		}
	}
	firing, unknown := len(r.Firing()), len(r.Unknown())
	switch {
	case firing > 0 || unknown > 0:
		var parts []string
		if firing > 0 {
			parts = append(parts, fmt.Sprintf("%d alarm(s) in ALARM", firing))
		}
		if unknown > 0 {
			parts = append(parts, fmt.Sprintf("%d unknown to CloudWatch", unknown))
		}
		p("  FAIL: %s\n", strings.Join(parts, ", "))
	case counts[string(cwtypes.StateValueInsufficientData)] > 0:
		p("  OK: none in ALARM (INSUFFICIENT_DATA passes: not enough data points yet, e.g. a new service)\n")
	default:
		p("  OK: none in ALARM\n")
	}
}
