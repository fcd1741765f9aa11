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
// alarmNames output, in that order, then the services' deployment alarms
// not among them, each with its state.
type AlarmResult struct {
	Alarms []Alarm
	// Deployment maps the name of a deployment alarm (a service's
	// deploymentConfiguration.alarms.alarmNames, when enabled: the alarms
	// ECS watches to fail a deployment) to the services it belongs to. Only
	// these fail the check when in ALARM, unless FailOnAny.
	Deployment map[string][]string
	FailOnAny  bool
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

// Blocking are the alarms in ALARM that fail the check: the deployment
// alarms (all of them with FailOnAny).
func (r AlarmResult) Blocking() []Alarm {
	var out []Alarm
	for _, a := range r.Firing() {
		if r.FailOnAny || len(r.Deployment[a.Name]) > 0 {
			out = append(out, a)
		}
	}
	return out
}

// Warned are the alarms in ALARM that are only warnings: not deployment
// alarms (CPU, memory, ...), without FailOnAny.
func (r AlarmResult) Warned() []Alarm {
	var out []Alarm
	for _, a := range r.Firing() {
		if !r.FailOnAny && len(r.Deployment[a.Name]) == 0 {
			out = append(out, a)
		}
	}
	return out
}

// Failed reports whether the check fails the verification: a deployment
// alarm (with FailOnAny: any alarm) in ALARM, or a name CloudWatch does not
// know. OK and INSUFFICIENT_DATA pass; other alarms in ALARM are warnings.
func (r AlarmResult) Failed() bool { return len(r.Blocking()) > 0 || len(r.Unknown()) > 0 }

// Problem is the one-line reason for the RESULT line ("" when it passes).
func (r AlarmResult) Problem() string {
	var parts []string
	if f := r.Blocking(); len(f) > 0 {
		parts = append(parts, fmt.Sprintf("%d %s in ALARM: %s", len(f), r.blockingKind(), alarmNames(f)))
	}
	if u := r.Unknown(); len(u) > 0 {
		parts = append(parts, fmt.Sprintf("%d alarm(s) unknown to CloudWatch: %s", len(u), alarmNames(u)))
	}
	if len(parts) == 0 {
		return ""
	}
	return "alarms: " + strings.Join(parts, "; ")
}

func (r AlarmResult) blockingKind() string {
	if r.FailOnAny {
		return "alarm(s)"
	}
	return "deployment alarm(s)"
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

func parenthesized(parts []string) string {
	if len(parts) == 0 {
		return ""
	}
	return "  (" + strings.Join(parts, "; ") + ")"
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
		var about []string
		if svcs := r.Deployment[a.Name]; len(svcs) > 0 {
			about = append(about, "deployment alarm of "+strings.Join(svcs, ", "))
		}
		switch a.State {
		case string(cwtypes.StateValueAlarm):
			if a.Updated != nil && !a.Updated.IsZero() {
				about = append(about, "state updated "+fmtTime(a.Updated))
			}
			p("  %-*s  %s%s\n", width, a.State, a.Name, parenthesized(about))
			// The whole reason (CloudWatch caps it at 1023 characters), on
			// one line.
			if r := strings.Join(strings.Fields(a.Reason), " "); r != "" {
				p("      reason: %s\n", r)
			}
		case AlarmStateUnknown:
			p("  %-*s  %s  (CloudWatch has no alarm of this name: the stack and the account disagree)\n", width, a.State, a.Name)
		default:
			p("  %-*s  %s%s\n", width, a.State, a.Name, parenthesized(about))
		}
	}
	blocking, warned, unknown := len(r.Blocking()), r.Warned(), len(r.Unknown())
	if blocking > 0 || unknown > 0 {
		var parts []string
		if blocking > 0 {
			parts = append(parts, fmt.Sprintf("%d %s in ALARM", blocking, r.blockingKind()))
		}
		if unknown > 0 {
			parts = append(parts, fmt.Sprintf("%d unknown to CloudWatch", unknown))
		}
		p("  FAIL: %s\n", strings.Join(parts, ", "))
	}
	if len(warned) > 0 {
		p("  WARNING: %d alarm(s) in ALARM, not deployment alarms of the service (not failing; -fail-on-any-alarm fails on them): %s\n", len(warned), alarmNames(warned))
	}
	switch {
	case blocking > 0 || unknown > 0 || len(warned) > 0:
	case counts[string(cwtypes.StateValueInsufficientData)] > 0:
		p("  OK: none in ALARM (INSUFFICIENT_DATA passes: not enough data points yet, e.g. a new service)\n")
	default:
		p("  OK: none in ALARM\n")
	}
}
