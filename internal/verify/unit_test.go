package verify

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

const (
	td4 = "arn:aws:ecs:eu-west-1:123456789012:task-definition/fargateship-dev:4"
	td5 = "arn:aws:ecs:eu-west-1:123456789012:task-definition/fargateship-dev:5"
	td6 = "arn:aws:ecs:eu-west-1:123456789012:task-definition/fargateship-dev:6"
)

func dep(status, td string, rollout ecstypes.DeploymentRolloutState, running, desired int32, reason string) ecstypes.Deployment {
	return ecstypes.Deployment{
		Status: aws.String(status), TaskDefinition: aws.String(td), RolloutState: rollout,
		RunningCount: running, DesiredCount: desired, RolloutStateReason: aws.String(reason),
	}
}

func svcWith(deps ...ecstypes.Deployment) *ecstypes.Service {
	return &ecstypes.Service{ServiceName: aws.String("web"), Status: aws.String("ACTIVE"), Deployments: deps}
}

func TestEvaluate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		svc     *ecstypes.Service
		outcome Outcome
		reason  string
	}{
		{"completed", svcWith(dep("PRIMARY", td5, "COMPLETED", 2, 2, "")), OutcomeOK, "fargateship-dev:5 is PRIMARY"},
		// COMPLETED with running != desired (a Spot interruption, AZ
		// rebalancing after the rollout): done; the caller warns.
		{"completed, a task being replaced", svcWith(dep("PRIMARY", td5, "COMPLETED", 1, 2, "")), OutcomeOK, "running 1/2"},
		{"in progress", svcWith(dep("PRIMARY", td5, "IN_PROGRESS", 1, 2, ""), dep("ACTIVE", td4, "COMPLETED", 2, 2, "")), OutcomeWaiting, ""},
		{"rolled back by the circuit breaker",
			svcWith(dep("PRIMARY", td4, "IN_PROGRESS", 2, 2, "ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1."),
				dep("ACTIVE", td5, "FAILED", 0, 0, "ECS deployment circuit breaker: tasks failed to start.")),
			OutcomeRolledBack,
			"rolled back: PRIMARY deployment runs fargateship-dev:4, expected fargateship-dev:5 (deployment of fargateship-dev:5 is ACTIVE FAILED: ECS deployment circuit breaker: tasks failed to start.)"},
		{"rolled back, failed deployment gone", svcWith(dep("PRIMARY", td4, "COMPLETED", 2, 2, "")), OutcomeRolledBack,
			"rolled back: PRIMARY deployment runs fargateship-dev:4, expected fargateship-dev:5"},
		{"superseded", svcWith(dep("PRIMARY", td6, "IN_PROGRESS", 0, 2, "")), OutcomeFailed, "newer than the expected fargateship-dev:5"},
		{"failed without rollback", svcWith(dep("PRIMARY", td5, "FAILED", 0, 2, "tasks failed to start")), OutcomeFailed,
			"deployment of fargateship-dev:5 FAILED: tasks failed to start"},
		{"no rollout state, settled", svcWith(dep("PRIMARY", td5, "", 2, 2, "")), OutcomeOK, "only deployment"},
		{"no rollout state, old still there", svcWith(dep("PRIMARY", td5, "", 2, 2, ""), dep("ACTIVE", td4, "", 1, 0, "")), OutcomeWaiting, ""},
		{"inactive", &ecstypes.Service{ServiceName: aws.String("web"), Status: aws.String("INACTIVE")}, OutcomeFailed, "service web is INACTIVE"},
		{"code deploy", &ecstypes.Service{Status: aws.String("ACTIVE"), DeploymentController: &ecstypes.DeploymentController{Type: ecstypes.DeploymentControllerTypeCodeDeploy}}, OutcomeFailed, "CODE_DEPLOY"},
		{"missing", nil, OutcomeMissing, "service not found"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := Evaluate(Observation{Service: tc.svc}, td5)
			if v.Outcome != tc.outcome || !strings.Contains(v.Reason, tc.reason) {
				t.Errorf("got %v %q, want %v containing %q", v.Outcome, v.Reason, tc.outcome, tc.reason)
			}
		})
	}
}

func TestStateLine(t *testing.T) {
	d := dep("PRIMARY", td5, "IN_PROGRESS", 1, 3, "")
	d.PendingCount, d.FailedTasks = 2, 4
	got := StateLine(svcWith(d, dep("ACTIVE", td4, "COMPLETED", 3, 3, "")))
	want := "rollout IN_PROGRESS, primary fargateship-dev:5, running 1/3 (pending 2), failed tasks 4, 2 deployments"
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

func TestSeverityThreshold(t *testing.T) {
	c := CountsFrom(map[string]int32{"CRITICAL": 1, "high": 2, "MEDIUM": 0, "LOW": 4, "INFORMATIONAL": 8, "UNDEFINED": 16, "UNTRIAGED": 32})
	for _, tc := range []struct {
		threshold string
		want      int
	}{{"critical", 1}, {"HIGH", 3}, {"medium", 3}, {"low", 7}, {"informational", 15}, {"none", 0}} {
		th, err := ParseThreshold(tc.threshold)
		if err != nil {
			t.Fatal(err)
		}
		if got := c.AtOrAbove(th); got != tc.want {
			t.Errorf("AtOrAbove(%s) = %d, want %d", tc.threshold, got, tc.want)
		}
	}
	if c.Total() != 63 {
		t.Errorf("total = %d", c.Total())
	}
	if _, err := ParseThreshold("severe"); err == nil {
		t.Error("ParseThreshold(severe) should fail")
	}
	if got, want := c.String(), "CRITICAL 1  HIGH 2  MEDIUM 0  LOW 4  INFORMATIONAL 8  UNDEFINED 16  UNTRIAGED 32"; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	r := ScanResult{Status: "COMPLETE", Counts: SeverityCounts{"MEDIUM": 1}, Threshold: SeverityHigh}
	if r.Failed() {
		t.Error("MEDIUM finding should not fail a HIGH threshold")
	}
}

// Enhanced (Inspector) findings are reduced like basic ones; moto only
// produces basic findings, so this is built from Go values.
func TestEnhancedFindings(t *testing.T) {
	f := findingsFrom(&ecrtypes.ImageScanFindings{
		Findings: []ecrtypes.ImageScanFinding{{Name: aws.String("CVE-1"), Severity: ecrtypes.FindingSeverityLow}},
		EnhancedFindings: []ecrtypes.EnhancedImageScanFinding{{
			Severity: aws.String("CRITICAL"), Title: aws.String("CVE-2 - glibc"),
			PackageVulnerabilityDetails: &ecrtypes.PackageVulnerabilityDetails{
				VulnerabilityId:    aws.String("CVE-2"),
				VulnerablePackages: []ecrtypes.VulnerablePackage{{Name: aws.String("glibc"), Version: aws.String("2.36")}},
			},
		}},
	})
	if len(f) != 2 || f[0] != (Finding{"CRITICAL", "CVE-2", "glibc 2.36"}) || f[1].Name != "CVE-1" {
		t.Errorf("findings = %+v", f)
	}
}

func TestParseOutputs(t *testing.T) {
	o, err := ParseOutputs([]byte(`{"clusterName":"c","serviceName":"s","taskDefinitionArn":"` + td5 + `",
		"taskDefinitionRevision":5,"repositoryName":"r","imageTag":"abc","imageDigest":"","logGroupName":"/ecs/x",
		"region":"eu-west-1","extra":{"a":1},"url":"[secret]"}`))
	if err != nil {
		t.Fatal(err)
	}
	if o.TaskDefinitionRevision != 5 || o.URL != "" || o.Region != "eu-west-1" || len(o.Missing(true)) != 0 {
		t.Errorf("outputs = %+v missing %v", o, o.Missing(true))
	}
	o, err = ParseOutputs([]byte(`{"taskDefinitionArn":"` + td6 + `","taskDefinitionRevision":"6"}`))
	if err != nil || o.TaskDefinitionRevision != 6 {
		t.Errorf("string revision: %+v %v", o, err)
	}
	o, _ = ParseOutputs([]byte(`{"taskDefinitionArn":"` + td6 + `"}`))
	if o.Normalize().TaskDefinitionRevision != 6 {
		t.Error("revision not taken from the ARN")
	}
	if got := strings.Join(o.Missing(true), ", "); got != "clusterName, serviceName, repositoryName, imageTag (or imageDigest)" {
		t.Errorf("missing = %s", got)
	}
	if _, err := ParseOutputs([]byte(`[]`)); err == nil {
		t.Error("a JSON array should be rejected")
	}
	if _, err := ParseOutputs([]byte(`{"clusterName":3}`)); err == nil || !strings.Contains(err.Error(), "clusterName") {
		t.Errorf("non-string output: %v", err)
	}
}

// The failure report with everything moto cannot produce: service events,
// stop codes, non-zero exit codes and container reasons, stop times.
func TestFailureReportFormatting(t *testing.T) {
	at := time.Date(2026, 11, 27, 10, 4, 5, 0, time.UTC)
	one, two := int32(1), int32(137)
	rep := FailureReport{
		Outcome:         OutcomeRolledBack,
		Reason:          "rolled back: PRIMARY deployment runs fargateship-dev:4, expected fargateship-dev:5",
		Cluster:         "fargateship-dev",
		Service:         "web",
		ExpectedTaskDef: td5,
		RunningTaskDef:  td4,
		Deployments: []ecstypes.Deployment{
			dep("PRIMARY", td4, "COMPLETED", 2, 2, "ECS deployment ecs-svc/2 completed."),
			dep("ACTIVE", td5, "FAILED", 0, 0, "ECS deployment circuit breaker: tasks failed to start."),
		},
		Events: []Event{
			{At: aws.Time(at.Add(2 * time.Minute)), Message: "(service web) has reached a steady state."},
			{At: aws.Time(at), Message: "(service web) deployment ecs-svc/1 deployment failed: tasks failed to start."},
		},
		StoppedTasks: []StoppedTask{
			{
				TaskID: "0f1e2d3c", TaskDefinitionArn: td5, StopCode: "EssentialContainerExited",
				StoppedReason: "Essential container in task exited", StoppedAt: aws.Time(at),
				Containers: []ContainerExit{{Name: "app", ExitCode: &one}, {Name: "sidecar", ExitCode: &two, Reason: "OutOfMemoryError: Container killed due to memory usage"}},
				LogStream:  "app/app/0f1e2d3c", LogLines: []string{"listening on :8080", "panic: GREETING is not set"},
			},
			{
				TaskID: "9a8b7c6d", TaskDefinitionArn: td5, StopCode: "TaskFailedToStart",
				StoppedReason: "CannotPullContainerError: pull image manifest has been retried 5 time(s)",
				Containers:    []ContainerExit{{Name: "app", Reason: "CannotPullContainerError"}},
				LogStream:     "app/app/9a8b7c6d", LogError: "no log stream app/app/9a8b7c6d in /ecs/fargateship-dev",
			},
		},
	}
	var buf bytes.Buffer
	WriteFailureReport(&buf, rep)
	got := buf.String()
	t.Log("\n" + got)
	want := `
ROLLED BACK: fargateship-dev/web: rolled back: PRIMARY deployment runs fargateship-dev:4, expected fargateship-dev:5
  expected task definition: revision 5 (` + td5 + `)
  running task definition:  revision 4 (` + td4 + `)
Deployments:
  PRIMARY  fargateship-dev:4  COMPLETED  running 2/2  ECS deployment ecs-svc/2 completed.
  ACTIVE   fargateship-dev:5  FAILED  running 0/0  ECS deployment circuit breaker: tasks failed to start.
Last 2 service events (newest first):
  2026-11-27 10:06:05Z  (service web) has reached a steady state.
  2026-11-27 10:04:05Z  (service web) deployment ecs-svc/1 deployment failed: tasks failed to start.
Recently stopped tasks:
  task 0f1e2d3c (fargateship-dev:5) stopped 2026-11-27 10:04:05Z
    stopped reason: EssentialContainerExited: Essential container in task exited
    container app: exit code 1
    container sidecar: exit code 137, reason: OutOfMemoryError: Container killed due to memory usage
    last 2 log lines of app/app/0f1e2d3c:
      | listening on :8080
      | panic: GREETING is not set
  task 9a8b7c6d (fargateship-dev:5)
    stopped reason: TaskFailedToStart: CannotPullContainerError: pull image manifest has been retried 5 time(s)
    container app: no exit code, reason: CannotPullContainerError
    logs: no log stream app/app/9a8b7c6d in /ecs/fargateship-dev
`
	if got != want {
		t.Errorf("report differs.\ngot:\n%s\nwant:\n%s", got, want)
	}
	if n := strings.Count(got, "\n"); n > 40 {
		t.Errorf("report is %d lines, want one screen", n)
	}
}

func TestSortStoppedTasks(t *testing.T) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tasks := []ecstypes.Task{
		{TaskArn: aws.String("a"), TaskDefinitionArn: aws.String(td4), StoppedAt: aws.Time(at.Add(3 * time.Minute))},
		{TaskArn: aws.String("b"), TaskDefinitionArn: aws.String(td5), StoppedAt: aws.Time(at)},
		{TaskArn: aws.String("c"), TaskDefinitionArn: aws.String(td5)},
		{TaskArn: aws.String("d"), TaskDefinitionArn: aws.String(td5), StoppedAt: aws.Time(at.Add(time.Minute))},
		// A crash is shown before tasks the scheduler stopped later.
		{TaskArn: aws.String("e"), TaskDefinitionArn: aws.String(td5), StoppedAt: aws.Time(at.Add(-time.Minute)), StopCode: ecstypes.TaskStopCodeEssentialContainerExited},
	}
	SortStoppedTasks(tasks, td5)
	var order []string
	for _, x := range tasks {
		order = append(order, *x.TaskArn)
	}
	if got := strings.Join(order, ""); got != "edbca" {
		t.Errorf("order = %s, want edbca", got)
	}
}

func TestURLCheck(t *testing.T) {
	var healthy atomic.Bool
	revision := "5"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz":
			if !healthy.Load() {
				http.Error(w, "starting", http.StatusServiceUnavailable)
				return
			}
			_, _ = w.Write([]byte("ok"))
		case "/":
			_, _ = w.Write([]byte(`{"greeting":"hi","task":"abc","family":"fargateship-dev","revision":"` + revision + `","availabilityZone":"eu-west-1b"}`))
		}
	}))
	defer srv.Close()
	ctx := context.Background()

	healthy.Store(true)
	r := CheckURL(ctx, URLOptions{URL: srv.URL + "/", ExpectedRevision: 5, Wait: time.Second, Interval: 10 * time.Millisecond}, &bytes.Buffer{})
	if !r.OK || r.Info.Revision != "5" || r.Info.AvailabilityZone != "eu-west-1b" || r.Attempts != 1 {
		t.Errorf("ok case: %+v", r)
	}

	// Wrong revision: fails after the wait, naming both.
	var buf bytes.Buffer
	r = CheckURL(ctx, URLOptions{URL: srv.URL, ExpectedRevision: 6, Wait: 100 * time.Millisecond, Interval: 20 * time.Millisecond}, &buf)
	WriteURLReport(&buf, r)
	if r.OK || !strings.Contains(r.Problem, `reports revision "5" (task abc), want 6`) || r.Attempts < 2 {
		t.Errorf("wrong revision: %+v", r)
	}
	if strings.Count(buf.String(), "url: ") != 1 {
		t.Errorf("progress should print a problem once:\n%s", buf.String())
	}

	// Unhealthy at first, healthy later: the retry succeeds.
	healthy.Store(false)
	go func() { time.Sleep(60 * time.Millisecond); healthy.Store(true) }()
	buf.Reset()
	r = CheckURL(ctx, URLOptions{URL: srv.URL, ExpectedRevision: 5, Wait: 2 * time.Second, Interval: 20 * time.Millisecond}, &buf)
	if !r.OK || !strings.Contains(buf.String(), "GET /healthz answered 503, want 200") {
		t.Errorf("recovering case: %+v\n%s", r, buf.String())
	}

	// Nothing listening.
	r = CheckURL(ctx, URLOptions{URL: "127.0.0.1:1", ExpectedRevision: 5, Wait: 0}, &bytes.Buffer{})
	if r.OK || r.URL != "http://127.0.0.1:1" || !strings.Contains(r.Problem, "GET /healthz") {
		t.Errorf("unreachable: %+v", r)
	}
}

func TestParseAppInfo(t *testing.T) {
	info, err := ParseAppInfo([]byte(`{"revision":7,"task":"t"}`))
	if err != nil || info.Revision != "7" {
		t.Errorf("numeric revision: %+v %v", info, err)
	}
	if _, err := ParseAppInfo([]byte(`<html>`)); err == nil {
		t.Error("HTML should be rejected")
	}
	if _, err := ParseAppInfo([]byte(`{"greeting":"hi"}`)); err == nil {
		t.Error("missing revision should be rejected")
	}
}

func TestShortTaskDef(t *testing.T) {
	if ShortTaskDef(td5) != "fargateship-dev:5" || ShortTaskDef("") != "(none)" || ShortTaskDef("weird") != "weird" {
		t.Error("ShortTaskDef")
	}
}

// -task-definition may name the expected revision as FAMILY:REVISION; ECS
// reports ARNs. Before SameTaskDef, "fargateship-dev:5" never equalled the
// PRIMARY deployment's ARN and a good deploy read as rolled back.
func TestEvaluateShortTaskDef(t *testing.T) {
	if v := Evaluate(Observation{Service: svcWith(dep("PRIMARY", td5, "COMPLETED", 2, 2, ""))}, "fargateship-dev:5"); v.Outcome != OutcomeOK {
		t.Errorf("FAMILY:REVISION of the PRIMARY: %v %q", v.Outcome, v.Reason)
	}
	if v := Evaluate(Observation{Service: svcWith(dep("PRIMARY", td4, "COMPLETED", 2, 2, ""))}, "fargateship-dev:5"); v.Outcome != OutcomeRolledBack {
		t.Errorf("FAMILY:REVISION of another revision: %v %q", v.Outcome, v.Reason)
	}
	for _, tc := range []struct {
		expected, running string
		want              bool
	}{
		{td5, td5, true},
		{"fargateship-dev:5", td5, true},
		{"fargateship-dev:5", td4, false},
		{"other:5", td5, false},
		{"arn:aws:ecs:us-east-1:123456789012:task-definition/fargateship-dev:5", td5, false}, // an ARN must match exactly
		{"", td5, false},
	} {
		if got := SameTaskDef(tc.expected, tc.running); got != tc.want {
			t.Errorf("SameTaskDef(%q, %q) = %v, want %v", tc.expected, tc.running, got, tc.want)
		}
	}
}
