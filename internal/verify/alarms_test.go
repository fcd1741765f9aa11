package verify

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/fargateship/fargateship/internal/verify/mototest"
)

// The alarm check through Run against moto's CloudWatch: alarms created
// with PutMetricAlarm, states set with SetAlarmState.
func TestAlarmsAgainstMoto(t *testing.T) {
	s := mototest.Require(t)
	ctx := context.Background()
	f := s.NewService(t, "alarm", 1, 1, mototest.RunningTasks)
	names := []string{"fargateship-dev-5xx-rate", "fargateship-dev-cpu-high", "fargateship-dev-memory-high"}
	for _, n := range names {
		s.PutAlarm(t, n)
	}
	run := func(t *testing.T, mutate func(*Config)) (Result, string) {
		t.Helper()
		cfg := fastConfig(Outputs{ClusterName: f.Cluster, ServiceName: f.Service, TaskDefinitionArn: f.TaskDefs[0],
			Region: mototest.Region, AlarmNames: names})
		cfg.SkipScan = true
		if mutate != nil {
			mutate(&cfg)
		}
		var buf bytes.Buffer
		res := Run(ctx, cfg, clientsFor(s), &buf)
		t.Log("\n" + buf.String())
		return res, buf.String()
	}

	// moto starts every new alarm in OK (real CloudWatch: INSUFFICIENT_DATA).
	t.Run("all OK passes", func(t *testing.T) {
		res, out := run(t, nil)
		if res.Code != ExitOK {
			t.Fatalf("exit %d, want 0: %s", res.Code, res.Summary)
		}
		wantLines(t, out, "Alarms (3): OK 3\n", "  OK  fargateship-dev-5xx-rate\n", "  OK: none in ALARM\n", "RESULT: OK")
		if strings.Contains(out, "INSUFFICIENT_DATA") {
			t.Errorf("no alarm is INSUFFICIENT_DATA")
		}
	})

	s.SetAlarmState(t, "fargateship-dev-cpu-high", cwtypes.StateValueInsufficientData, "Insufficient Data: 3 datapoints were unknown.")
	t.Run("INSUFFICIENT_DATA passes and says so", func(t *testing.T) {
		res, out := run(t, nil)
		if res.Code != ExitOK {
			t.Fatalf("exit %d, want 0: %s", res.Code, res.Summary)
		}
		wantLines(t, out,
			"Alarms (3): INSUFFICIENT_DATA 1  OK 2\n",
			"  INSUFFICIENT_DATA  fargateship-dev-cpu-high\n",
			"  OK                 fargateship-dev-memory-high\n",
			"  OK: none in ALARM (INSUFFICIENT_DATA passes",
			"RESULT: OK")
	})

	reason := "Threshold Crossed: 1 out of the last 1 datapoints [12.5 (28/11/26 05:40:00)] was greater than the threshold (5.0)"
	before := time.Now().UTC().Add(-time.Second)
	s.SetAlarmState(t, "fargateship-dev-5xx-rate", cwtypes.StateValueAlarm, reason)
	// moto 5.2.1 returns no deploymentConfiguration, so the service has no
	// deployment alarms: an alarm in ALARM is a warning (the fake ECS tests
	// deployment alarms: TestScenarios).
	t.Run("one in ALARM, not a deployment alarm: a warning", func(t *testing.T) {
		res, out := run(t, nil)
		if res.Code != ExitOK {
			t.Fatalf("exit %d, want 0: %s", res.Code, res.Summary)
		}
		wantLines(t, out,
			"Alarms (3): ALARM 1  INSUFFICIENT_DATA 1  OK 1\n",
			"      reason: "+reason+"\n",
			"  WARNING: 1 alarm(s) in ALARM, not deployment alarms of the service (not failing; -fail-on-any-alarm fails on them): fargateship-dev-5xx-rate\n",
			"RESULT: OK")
	})

	t.Run("one in ALARM with -fail-on-any-alarm fails naming it", func(t *testing.T) {
		res, out := run(t, func(c *Config) { c.FailOnAnyAlarm = true })
		if res.Code != ExitFailed {
			t.Fatalf("exit %d, want 1", res.Code)
		}
		wantLines(t, out,
			"Alarms (3): ALARM 1  INSUFFICIENT_DATA 1  OK 1\n",
			"      reason: "+reason+"\n",
			"  FAIL: 1 alarm(s) in ALARM\n",
			"RESULT: FAILED: alarms: 1 alarm(s) in ALARM: fargateship-dev-5xx-rate\n")
		m := regexp.MustCompile(`  ALARM +fargateship-dev-5xx-rate  \(state updated (\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ)\)\n`).FindStringSubmatch(out)
		if m == nil {
			t.Fatalf("no ALARM line with the state-updated time")
		}
		// The time is moto's, set by SetAlarmState just now.
		if at, err := time.Parse("2006-01-02 15:04:05Z", m[1]); err != nil || at.Before(before.Truncate(time.Second)) || at.After(time.Now().UTC().Add(time.Second)) {
			t.Errorf("state updated %s, want the SetAlarmState time (after %s): %v", m[1], before, err)
		}
	})

	t.Run("check off: not checked", func(t *testing.T) {
		res, out := run(t, func(c *Config) { c.CheckAlarms = false })
		if res.Code != ExitOK {
			t.Fatalf("exit %d, want 0: %s", res.Code, res.Summary)
		}
		wantLines(t, out, "Alarms: skipped (-check-alarms=false)\n")
		if strings.Contains(out, "fargateship-dev-5xx-rate") {
			t.Errorf("alarm names printed although the check is off")
		}
	})

	t.Run("no alarmNames output: one line, passes", func(t *testing.T) {
		res, out := run(t, func(c *Config) { c.Outputs.AlarmNames = nil })
		if res.Code != ExitOK {
			t.Fatalf("exit %d, want 0: %s", res.Code, res.Summary)
		}
		if n := strings.Count(out, "Alarms"); n != 1 {
			t.Errorf("%d lines about alarms, want 1", n)
		}
		wantLines(t, out, "Alarms: none in the stack outputs (no alarmNames output: alarms are off); skipped\n")
	})

	t.Run("a name CloudWatch does not know fails", func(t *testing.T) {
		res, out := run(t, func(c *Config) {
			c.Outputs.AlarmNames = []string{"fargateship-dev-cpu-high", "fargateship-dev-deleted-by-hand"}
		})
		if res.Code != ExitFailed {
			t.Fatalf("exit %d, want 1", res.Code)
		}
		wantLines(t, out,
			"Alarms (2): INSUFFICIENT_DATA 1  UNKNOWN 1\n",
			"  UNKNOWN            fargateship-dev-deleted-by-hand  (CloudWatch has no alarm of this name: the stack and the account disagree)\n",
			"  FAIL: 1 unknown to CloudWatch\n",
			"RESULT: FAILED: alarms: 1 alarm(s) unknown to CloudWatch: fargateship-dev-deleted-by-hand\n")
	})

	t.Run("a timed-out rollout with a failing alarm in ALARM is exit 1", func(t *testing.T) {
		slow := s.NewService(t, "alarm-slow", 1, 1, mototest.RunningTasks+1)
		res, out := run(t, func(c *Config) {
			c.Outputs.ClusterName, c.Outputs.ServiceName, c.Outputs.TaskDefinitionArn = slow.Cluster, slow.Service, slow.TaskDefs[0]
			c.Timeout = 200 * time.Millisecond
			c.FailOnAnyAlarm = true
		})
		if res.Code != ExitFailed {
			t.Fatalf("exit %d, want 1", res.Code)
		}
		wantLines(t, out, "TIMED OUT: ", "  FAIL: 1 alarm(s) in ALARM\n")
	})

	// What CheckAlarms asks for: exactly the names, metric and composite.
	r, err := CheckAlarms(ctx, s.CloudWatch(), []string{"fargateship-dev-cpu-high"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Alarms) != 1 || r.Alarms[0].State != "INSUFFICIENT_DATA" || r.Alarms[0].Reason != "Insufficient Data: 3 datapoints were unknown." || r.Failed() {
		t.Errorf("CheckAlarms = %+v", r)
	}
}

// An API error (here: nothing listening) is a failure naming the call.
func TestAlarmsAPIError(t *testing.T) {
	cw := cloudwatch.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String("http://127.0.0.1:1"),
		Credentials: aws.AnonymousCredentials{}, RetryMaxAttempts: 1})
	_, err := CheckAlarms(context.Background(), cw, []string{"a"})
	if err == nil || !strings.Contains(err.Error(), "cloudwatch DescribeAlarms a: ") {
		t.Errorf("err = %v", err)
	}
}

// fakeCloudWatch enforces DescribeAlarms' documented limits (at most 100
// AlarmNames; MaxRecords 1-100), returns composite alarms only when
// AlarmTypes asks for them (without AlarmTypes, "only metric alarms are
// returned"), and pages its answer pageSize at a time. Composite alarms are
// returned after the metric alarms of each call, unpaged.
type fakeCloudWatch struct {
	alarms    map[string]cwtypes.StateValue
	composite map[string]cwtypes.StateValue
	pageSize  int
	calls     int
}

func (f *fakeCloudWatch) DescribeAlarms(_ context.Context, in *cloudwatch.DescribeAlarmsInput, _ ...func(*cloudwatch.Options)) (*cloudwatch.DescribeAlarmsOutput, error) {
	f.calls++
	if len(in.AlarmNames) > 100 || aws.ToInt32(in.MaxRecords) < 1 || aws.ToInt32(in.MaxRecords) > 100 {
		return nil, fmt.Errorf("ValidationError: %d names, MaxRecords %d", len(in.AlarmNames), aws.ToInt32(in.MaxRecords))
	}
	var matched []cwtypes.MetricAlarm
	for _, n := range in.AlarmNames {
		if st, ok := f.alarms[n]; ok {
			matched = append(matched, cwtypes.MetricAlarm{AlarmName: aws.String(n), StateValue: st})
		}
	}
	start := 0
	if in.NextToken != nil {
		_, _ = fmt.Sscanf(*in.NextToken, "%d", &start)
	}
	end := min(start+f.pageSize, len(matched))
	out := &cloudwatch.DescribeAlarmsOutput{MetricAlarms: matched[start:end]}
	if in.NextToken == nil && slices.Contains(in.AlarmTypes, cwtypes.AlarmTypeCompositeAlarm) {
		for _, n := range in.AlarmNames {
			if st, ok := f.composite[n]; ok {
				out.CompositeAlarms = append(out.CompositeAlarms, cwtypes.CompositeAlarm{AlarmName: aws.String(n), StateValue: st})
			}
		}
	}
	if end < len(matched) {
		out.NextToken = aws.String(fmt.Sprint(end))
	}
	return out, nil
}

// More names than one call may carry, answered in pages: every name is
// asked for and found, in the output's order.
func TestCheckAlarmsChunksAndPages(t *testing.T) {
	f := &fakeCloudWatch{alarms: map[string]cwtypes.StateValue{}, pageSize: 7,
		composite: map[string]cwtypes.StateValue{"fargateship-prod-any-bad": cwtypes.StateValueAlarm}}
	var names []string
	for i := range 250 {
		n := fmt.Sprintf("fargateship-prod-%03d", i)
		names = append(names, n)
		f.alarms[n] = cwtypes.StateValueOk
	}
	f.alarms["fargateship-prod-217"] = cwtypes.StateValueAlarm
	names = append(names, "fargateship-prod-any-bad") // a composite alarm
	r, err := CheckAlarms(context.Background(), f, names)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Alarms) != 251 || len(r.Unknown()) != 0 || alarmNames(r.Firing()) != "fargateship-prod-217, fargateship-prod-any-bad" {
		t.Errorf("%d alarms, unknown %v, firing %v", len(r.Alarms), r.Unknown(), r.Firing())
	}
	for i, a := range r.Alarms {
		if a.Name != names[i] {
			t.Fatalf("alarm %d is %s, want %s", i, a.Name, names[i])
		}
	}
	// 3 chunks of at most 100 names, each 100/7 -> 15 pages (51 names, 50
	// metric alarms: 8).
	if f.calls != 15+15+8 {
		t.Errorf("%d calls, want 38", f.calls)
	}
}

// The report from Go values: every state, with what a real CloudWatch alarm
// carries (moto's reasons and times are whatever the test set). This is the
// sample in docs/verify.md.
func TestAlarmReportFormatting(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 6, 0, 0, time.UTC)
	r := AlarmResult{Alarms: []Alarm{
		{Name: "fargateship-prod-5xx-rate", State: "ALARM", Updated: &at,
			Reason: "Threshold Crossed: 2 out of the last 3 datapoints [12.5 (27/11/26 10:05:00), 9.1 (27/11/26 10:04:00)] were greater than the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition)."},
		{Name: "fargateship-prod-unhealthy-targets", State: "OK"},
		{Name: "fargateship-prod-p99-latency", State: "INSUFFICIENT_DATA"},
		{Name: "fargateship-prod-cpu-high", State: "OK"},
		{Name: "fargateship-prod-memory-high", State: "ALARM", Updated: nil, Reason: "Threshold Crossed:\n  multi-line\treason"},
		{Name: "fargateship-prod-tasks-below-desired", State: AlarmStateUnknown},
	}}
	r.Deployment = map[string][]string{"fargateship-prod-5xx-rate": {"web"}, "fargateship-prod-unhealthy-targets": {"web"}}
	var buf bytes.Buffer
	WriteAlarmReport(&buf, r)
	t.Log("\n" + buf.String())
	want := `Alarms (6): ALARM 2  INSUFFICIENT_DATA 1  OK 2  UNKNOWN 1
  ALARM              fargateship-prod-5xx-rate  (deployment alarm of web; state updated 2026-11-27 10:06:00Z)
      reason: Threshold Crossed: 2 out of the last 3 datapoints [12.5 (27/11/26 10:05:00), 9.1 (27/11/26 10:04:00)] were greater than the threshold (5.0) (minimum 2 datapoints for OK -> ALARM transition).
  OK                 fargateship-prod-unhealthy-targets  (deployment alarm of web)
  INSUFFICIENT_DATA  fargateship-prod-p99-latency
  OK                 fargateship-prod-cpu-high
  ALARM              fargateship-prod-memory-high
      reason: Threshold Crossed: multi-line reason
  UNKNOWN            fargateship-prod-tasks-below-desired  (CloudWatch has no alarm of this name: the stack and the account disagree)
  FAIL: 1 deployment alarm(s) in ALARM, 1 unknown to CloudWatch
  WARNING: 1 alarm(s) in ALARM, not deployment alarms of the service (not failing; -fail-on-any-alarm fails on them): fargateship-prod-memory-high
`
	if buf.String() != want {
		t.Errorf("report:\n%s\nwant:\n%s", buf.String(), want)
	}
	if got, want := r.Problem(), "alarms: 1 deployment alarm(s) in ALARM: fargateship-prod-5xx-rate; 1 alarm(s) unknown to CloudWatch: fargateship-prod-tasks-below-desired"; got != want {
		t.Errorf("Problem() = %q, want %q", got, want)
	}
	if !r.Failed() {
		t.Error("should fail")
	}
	r.FailOnAny = true
	if got, want := r.Problem(), "alarms: 2 alarm(s) in ALARM: fargateship-prod-5xx-rate, fargateship-prod-memory-high; 1 alarm(s) unknown to CloudWatch: fargateship-prod-tasks-below-desired"; got != want {
		t.Errorf("with FailOnAny: Problem() = %q, want %q", got, want)
	}

	// OK and INSUFFICIENT_DATA pass, and the report says which.
	for _, tc := range []struct {
		states []string
		want   string
	}{
		{[]string{"OK", "OK"}, "Alarms (2): OK 2\n  OK  a0\n  OK  a1\n  OK: none in ALARM\n"},
		{[]string{"INSUFFICIENT_DATA", "OK"}, "Alarms (2): INSUFFICIENT_DATA 1  OK 1\n  INSUFFICIENT_DATA  a0\n  OK                 a1\n" +
			"  OK: none in ALARM (INSUFFICIENT_DATA passes: not enough data points yet, e.g. a new service)\n"},
	} {
		var r AlarmResult
		for i, s := range tc.states {
			r.Alarms = append(r.Alarms, Alarm{Name: fmt.Sprintf("a%d", i), State: s})
		}
		buf.Reset()
		WriteAlarmReport(&buf, r)
		if buf.String() != tc.want || r.Failed() || r.Problem() != "" {
			t.Errorf("%v: failed %v problem %q report:\n%s\nwant:\n%s", tc.states, r.Failed(), r.Problem(), buf.String(), tc.want)
		}
	}
}

func TestParseAlarmNames(t *testing.T) {
	base := `"clusterName":"c","serviceName":"s","taskDefinitionArn":"f:1"`
	for _, tc := range []struct {
		json    string
		want    []string // nil: absent
		wantErr string
	}{
		{`{` + base + `}`, nil, ""},
		{`{` + base + `,"alarmNames":null}`, nil, ""},
		{`{` + base + `,"alarmNames":"[secret]"}`, nil, ""},
		{`{` + base + `,"alarmNames":[]}`, []string{}, ""},
		{`{` + base + `,"alarmNames":["a-cpu"," a-mem ","a-cpu"]}`, []string{"a-cpu", "a-mem"}, ""},
		{`{` + base + `,"alarmNames":"a-cpu"}`, nil, `stack output "alarmNames" is not a list of alarm names (strings): "a-cpu"`},
		{`{` + base + `,"alarmNames":[1]}`, nil, `stack output "alarmNames" is not a list of alarm names (strings): [1]`},
		{`{` + base + `,"alarmNames":["a",""]}`, nil, `stack output "alarmNames" has an empty name at index 1`},
	} {
		o, err := ParseOutputs([]byte(tc.json))
		switch {
		case tc.wantErr != "":
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("%s: err %v, want %q", tc.json, err, tc.wantErr)
			}
		case err != nil:
			t.Errorf("%s: %v", tc.json, err)
		case (o.AlarmNames == nil) != (tc.want == nil) || strings.Join(o.AlarmNames, ",") != strings.Join(tc.want, ","):
			t.Errorf("%s: alarm names %#v, want %#v", tc.json, o.AlarmNames, tc.want)
		}
	}
}
