package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/fargateship/fargateship/internal/verify"
	"github.com/fargateship/fargateship/internal/verify/mototest"
)

func TestMain(m *testing.M) {
	// moto 5.2.1 sends task containers' cpu/memory as numbers (see
	// mototest.FixContainerTypes) and does not speak the CloudWatch client's
	// default protocol (see mototest.CloudWatchQueryProtocol).
	newClients = func(ctx context.Context, region, endpoint string, opts verify.ClientOptions) (verify.Clients, error) {
		opts.ECS = append(opts.ECS, mototest.FixContainerTypes)
		opts.CloudWatch = append(opts.CloudWatch, mototest.CloudWatchQueryProtocol)
		return verify.NewClients(ctx, region, endpoint, opts)
	}
	os.Exit(mototest.Main(m))
}

func runCmd(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	t.Logf("verify %s -> exit %d\n%s%s", strings.Join(args, " "), code, stdout.String(), stderr.String())
	return code, stdout.String(), stderr.String()
}

func writeJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "outputs.json")
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// fakePulumi puts a `pulumi` on PATH that records its arguments and prints
// stdout (exit 0) or stderr (exit 255).
func fakePulumi(t *testing.T, stdout, stderr string) (argsFile string) {
	t.Helper()
	dir := t.TempDir()
	argsFile = filepath.Join(dir, "args")
	script := fmt.Sprintf("#!/bin/sh\necho \"$@\" > %q\n", argsFile)
	if stderr != "" {
		script += fmt.Sprintf("printf '%%s\\n' %q >&2\nexit 255\n", stderr)
	} else {
		script += fmt.Sprintf("printf '%%s\\n' '%s'\n", stdout)
	}
	if err := os.WriteFile(filepath.Join(dir, "pulumi"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", dir)
	return argsFile
}

func TestUsageErrors(t *testing.T) {
	mototest.SetDummyEnv()
	full := writeJSON(t, map[string]any{"clusterName": "c", "serviceName": "s", "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/f:1", "repositoryName": "r", "imageTag": "t"})
	for _, tc := range []struct {
		args []string
		want string
	}{
		{nil, "missing -stack NAME (or -outputs FILE, or -cluster, -service and -task-definition)"},
		{[]string{"-stack", "dev", "-outputs", full}, "use either -stack or -outputs"},
		{[]string{"-outputs", full, "-fail-on-severity", "severe"}, "-fail-on-severity must be one of critical, high, medium, low, informational, none"},
		{[]string{"-outputs", full, "extra"}, "unexpected arguments: extra"},
		{[]string{"-outputs", full, "-timeout", "0s"}, "-timeout and -poll-interval must be positive"},
		{[]string{"-no-such-flag"}, "flag provided but not defined: -no-such-flag"},
		{[]string{"-outputs", filepath.Join(t.TempDir(), "nope.json")}, "cannot read outputs file"},
		{[]string{"-outputs", writeJSON(t, map[string]any{"clusterName": "c", "imageTag": "t"})},
			"missing in the stack outputs: serviceName, taskDefinitionArn, repositoryName"},
		{[]string{"-cluster", "c", "-service", "s", "-skip-scan"}, "missing in the flags: taskDefinitionArn"},
		{[]string{"-outputs", full, "-events", "-1"}, "-events -1 is negative: it must be 0 or more"},
		{[]string{"-outputs", full, "-stopped-tasks", "-2"}, "-stopped-tasks -2 is negative"},
		{[]string{"-outputs", full, "-log-lines", "-3"}, "-log-lines -3 is negative"},
		{[]string{"-outputs", full, "-revision", "-4"}, "-revision -4 is negative"},
		{[]string{"-cluster", "c", "-service", "s", "-task-definition", "fargateship-dev", "-skip-scan"},
			`-task-definition "fargateship-dev" is not a task definition ARN (arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION) or FAMILY:REVISION`},
		{[]string{"-cluster", "c", "-service", "s", "-task-definition", "arn:aws:ecs:us-east-1:123456789012:service/c/s", "-skip-scan"}, "is not a task definition ARN"},
		{[]string{"-cluster", "c", "-service", "s", "-task-definition", "fargateship-dev:0", "-skip-scan"}, "is not a task definition ARN"},
		{[]string{"-cluster", "c", "-service", "s", "-task-definition", "arn:aws:ecs:us-east-1:1:task-definition/f:1", "-skip-scan"}, "is not a task definition ARN"},
	} {
		code, _, stderr := runCmd(t, tc.args...)
		if code != verify.ExitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d stderr %q, want 3 and %q", tc.args, code, stderr, tc.want)
		}
		if n := strings.Count(strings.TrimSpace(stderr), "\n"); n > 0 {
			t.Errorf("%v: error is %d lines, want one", tc.args, n+1)
		}
	}
	if code, _, stderr := runCmd(t, "-h"); code != verify.ExitOK || !strings.Contains(stderr, "Exit codes: 0 ok, 1 rolled back/failed, 2 timed out or not verified, 3 bad usage") {
		t.Errorf("-h exit %d", code)
	}
}

// Every flag -h prints, with its placeholder, is a row of docs/verify.md's
// flag table written the same way, and every flag there exists.
func TestHelpMatchesDocs(t *testing.T) {
	code, _, help := runCmd(t, "-h")
	if code != verify.ExitOK {
		t.Fatalf("-h exit %d", code)
	}
	inHelp := map[string]string{}
	for _, line := range strings.Split(help, "\n") {
		if f := strings.Fields(line); len(f) > 0 && strings.HasPrefix(line, "  -") {
			inHelp[f[0]] = strings.Join(f, " ")
		}
	}
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "verify.md"))
	if err != nil {
		t.Fatal(err)
	}
	inDocs := map[string]string{}
	for _, line := range strings.Split(string(doc), "\n") {
		if !strings.HasPrefix(line, "| `-") {
			continue
		}
		first := strings.Split(line, "|")[1]
		for _, tok := range regexp.MustCompile("`(-[a-z-]+(?: [A-Z]+)?)`").FindAllStringSubmatch(first, -1) {
			inDocs[strings.Fields(tok[1])[0]] = tok[1]
		}
	}
	if len(inHelp) < 20 {
		t.Fatalf("only %d flags in -h output:\n%s", len(inHelp), help)
	}
	for flag, h := range inHelp {
		if d, ok := inDocs[flag]; !ok {
			t.Errorf("%s is not in docs/verify.md's flag table", h)
		} else if d != h {
			t.Errorf("-h prints %q, docs/verify.md says %q", h, d)
		}
	}
	for flag, d := range inDocs {
		if _, ok := inHelp[flag]; !ok {
			t.Errorf("docs/verify.md documents %q, which -h does not list", d)
		}
	}
	if !strings.Contains(help, "usage: verify -stack NAME | -outputs FILE | -cluster NAME -service NAME -task-definition ARN [flags]") {
		t.Errorf("usage line: %s", help)
	}
}

// With no credentials and an instance metadata endpoint that refuses the
// IMDSv2 token (as on this machine, and on hosts with IMDSv1 fallback), the
// SDK's default logger used to print "SDK ... WARN falling back to IMDSv1"
// to the process's stderr before the verifier's one line.
func TestNoCredentialsIsOneLine(t *testing.T) {
	mototest.SetDummyEnv()
	imds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusForbidden)
	}))
	defer imds.Close()
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_SESSION_TOKEN", "")
	t.Setenv("AWS_EC2_METADATA_DISABLED", "")
	t.Setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds.URL)
	out := writeJSON(t, map[string]any{"clusterName": "c", "serviceName": "s", "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/f:1", "region": "us-east-1"})

	// The SDK logs to the process's own stderr, not to run's writer.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	saved := os.Stderr
	os.Stderr = w
	code, _, stderr := runCmd(t, "-outputs", out, "-skip-scan")
	os.Stderr = saved
	_ = w.Close()
	leaked, _ := io.ReadAll(r)
	all := string(leaked) + stderr
	if code != verify.ExitUsage || !strings.HasPrefix(stderr, "verify: no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
	if n := strings.Count(strings.TrimSpace(all), "\n"); n != 0 {
		t.Errorf("want one line on stderr, got %d:\n%s", n+1, all)
	}
}

func TestPulumiProblems(t *testing.T) {
	mototest.SetDummyEnv()
	t.Setenv("PATH", t.TempDir())
	code, _, stderr := runCmd(t, "-stack", "dev")
	if code != verify.ExitUsage || !strings.Contains(stderr, "the pulumi CLI is not on PATH") {
		t.Errorf("no pulumi: exit %d %q", code, stderr)
	}
	fakePulumi(t, "", "error: no stack named 'nope' found")
	code, _, stderr = runCmd(t, "-stack", "nope")
	if code != verify.ExitUsage || !strings.Contains(stderr, "pulumi stack output -s nope failed: error: no stack named 'nope' found") {
		t.Errorf("unknown stack: exit %d %q", code, stderr)
	}
}

func TestMissingCredentialsAndRegion(t *testing.T) {
	mototest.SetDummyEnv()
	out := writeJSON(t, map[string]any{"clusterName": "c", "serviceName": "s", "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/f:1", "region": "us-east-1"})
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	t.Setenv("AWS_SESSION_TOKEN", "")
	code, _, stderr := runCmd(t, "-outputs", out, "-skip-scan")
	if code != verify.ExitUsage || !strings.Contains(stderr, "verify: no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY") {
		t.Errorf("no credentials: exit %d %q", code, stderr)
	}
	mototest.SetDummyEnv()
	t.Setenv("AWS_REGION", "")
	t.Setenv("AWS_DEFAULT_REGION", "")
	noRegion := writeJSON(t, map[string]any{"clusterName": "c", "serviceName": "s", "taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/f:1"})
	code, _, stderr = runCmd(t, "-outputs", noRegion, "-skip-scan")
	if code != verify.ExitUsage || !strings.Contains(stderr, "no AWS region") {
		t.Errorf("no region: exit %d %q", code, stderr)
	}
}

func appServer(t *testing.T, revision string) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			return
		}
		_, _ = fmt.Fprintf(w, `{"greeting":"hello from fargateship","task":"5f0c1a2b3c4d","family":"verify-dev","revision":%q,"availabilityZone":"us-east-1a"}`, revision)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// The exit codes end to end, against moto: 0, 1 (rolled back, scan), 2.
func TestExitCodesAgainstMoto(t *testing.T) {
	s := mototest.Require(t)
	mototest.SetDummyEnv()
	fast := []string{"-endpoint-url", s.URL, "-poll-interval", "50ms", "-scan-wait", "200ms", "-url-wait", "200ms", "-timeout", "2s", "-settle", "100ms"}

	// Happy path through -stack and a pulumi that prints the outputs.
	ok := s.NewService(t, "verify-ok", 1, 1, mototest.RunningTasks)
	digest := s.PutImage(t, "verify-ok", "3f9a1c2")
	s.StartScan(t, "verify-ok", "3f9a1c2")
	outs := map[string]any{
		"clusterName": ok.Cluster, "serviceName": ok.Service, "taskDefinitionArn": ok.TaskDefs[0],
		"taskDefinitionRevision": 1, "repositoryName": "verify-ok", "imageTag": "3f9a1c2", "imageDigest": digest,
		"logGroupName": "/ecs/verify-ok", "region": mototest.Region, "url": appServer(t, "1"),
		"subnetIds": []string{"subnet-1"},
	}
	b, _ := json.Marshal(outs)
	argsFile := fakePulumi(t, string(b), "")
	code, stdout, _ := runCmd(t, append([]string{"-stack", "dev"}, fast...)...)
	if code != verify.ExitOK || !strings.Contains(stdout, "RESULT: OK: verify-ok:1 revision 1 is deployed") {
		t.Errorf("happy: exit %d", code)
	}
	if a, _ := os.ReadFile(argsFile); strings.TrimSpace(string(a)) != "stack output --json --show-secrets=false -s dev" {
		t.Errorf("pulumi called with %q", a)
	}

	// Same image, threshold high: moto's HIGH finding fails the check.
	code, stdout, _ = runCmd(t, append([]string{"-stack", "dev", "-fail-on-severity", "high"}, fast...)...)
	if code != verify.ExitFailed || !strings.Contains(stdout, "FAIL: 1 finding(s) at or above HIGH") {
		t.Errorf("scan: exit %d", code)
	}

	// The URL serves another revision.
	outs["url"] = appServer(t, "7")
	code, stdout, _ = runCmd(t, append([]string{"-outputs", writeJSON(t, outs)}, fast...)...)
	if code != verify.ExitFailed || !strings.Contains(stdout, `GET / reports revision "7" (task 5f0c1a2b3c4d), want 1`) {
		t.Errorf("url: exit %d", code)
	}

	// Rolled back: PRIMARY stays on revision 1 while revision 2 was exported.
	rb := s.NewService(t, "verify-rb", 2, 1, mototest.RunningTasks)
	s.UpdateService(t, rb, rb.TaskDefs[1])
	id := s.StoppedTask(t, rb, rb.TaskDefs[1], "Essential container in task exited")
	s.PutLogLines(t, "/ecs/verify-rb", "app/app/"+id,
		`{"level":"INFO","msg":"starting","revision":"2"}`,
		`{"level":"ERROR","msg":"config: GREETING_SECRET: AccessDeniedException"}`)
	code, stdout, _ = runCmd(t, append([]string{"-cluster", rb.Cluster, "-service", rb.Service, "-task-definition", rb.TaskDefs[1],
		"-log-group", "/ecs/verify-rb", "-skip-scan"}, fast...)...)
	if code != verify.ExitFailed || !strings.Contains(stdout, "rolled back: PRIMARY deployment runs verify-rb:1, expected verify-rb:2") ||
		!strings.Contains(stdout, "GREETING_SECRET: AccessDeniedException") {
		t.Errorf("rolled back: exit %d", code)
	}

	// The same deployment named as FAMILY:REVISION on the command line.
	code, stdout, _ = runCmd(t, append([]string{"-cluster", ok.Cluster, "-service", ok.Service, "-task-definition", "verify-ok:1",
		"-skip-scan", "-skip-url"}, fast...)...)
	if code != verify.ExitOK || !strings.Contains(stdout, "RESULT: OK: verify-ok:1 revision 1 is deployed") {
		t.Errorf("family:revision: exit %d", code)
	}
	code, stdout, _ = runCmd(t, append([]string{"-cluster", rb.Cluster, "-service", rb.Service, "-task-definition", "verify-rb:2",
		"-skip-scan"}, fast...)...)
	if code != verify.ExitFailed || !strings.Contains(stdout, "rolled back: PRIMARY deployment runs verify-rb:1, expected verify-rb:2") {
		t.Errorf("family:revision rolled back: exit %d", code)
	}

	// Missing service.
	code, stdout, _ = runCmd(t, append([]string{"-cluster", rb.Cluster, "-service", "gone", "-task-definition", rb.TaskDefs[1], "-skip-scan"}, fast...)...)
	if code != verify.ExitFailed || !strings.Contains(stdout, "service gone not found in cluster verify-rb-cluster") {
		t.Errorf("missing: exit %d", code)
	}

	// Timed out: desired 3, moto runs 2.
	slow := s.NewService(t, "verify-slow", 1, 1, mototest.RunningTasks+1)
	code, stdout, _ = runCmd(t, append([]string{"-cluster", slow.Cluster, "-service", slow.Service, "-task-definition", slow.TaskDefs[0], "-skip-scan"},
		append(fast, "-timeout", "300ms")...)...)
	if code != verify.ExitTimedOut || !strings.Contains(stdout, "RESULT: TIMED OUT") {
		t.Errorf("timeout: exit %d", code)
	}
}

// The alarm check through the command, against moto's CloudWatch: the
// stack's alarmNames output is read, an alarm in ALARM is exit 1 naming it,
// -check-alarms=false turns the check off, and a stack without alarmNames
// gets one line.
func TestAlarmsThroughCommand(t *testing.T) {
	s := mototest.Require(t)
	mototest.SetDummyEnv()
	fast := []string{"-endpoint-url", s.URL, "-poll-interval", "50ms", "-timeout", "2s", "-settle", "100ms", "-skip-scan"}
	f := s.NewService(t, "verify-alarms", 1, 1, mototest.RunningTasks)
	names := []string{"fargateship-prod-5xx-rate", "fargateship-prod-p99-latency", "fargateship-prod-cpu-high"}
	for _, n := range names {
		s.PutAlarm(t, n)
	}
	s.SetAlarmState(t, names[1], cwtypes.StateValueInsufficientData, "Insufficient Data: 3 datapoints were unknown.")
	outs := map[string]any{
		"clusterName": f.Cluster, "serviceName": f.Service, "taskDefinitionArn": f.TaskDefs[0],
		"region": mototest.Region, "alarmNames": names,
	}
	file := writeJSON(t, outs)

	code, stdout, _ := runCmd(t, append([]string{"-outputs", file}, fast...)...)
	if code != verify.ExitOK || !strings.Contains(stdout, "Alarms (3): INSUFFICIENT_DATA 1  OK 2\n") ||
		!strings.Contains(stdout, "RESULT: OK: verify-alarms:1 revision 1 is deployed") {
		t.Errorf("OK/INSUFFICIENT_DATA: exit %d", code)
	}

	reason := "Threshold Crossed: 2 out of the last 3 datapoints [12.5 (28/11/26 05:40:00), 9.1 (28/11/26 05:39:00)] were greater than the threshold (5.0)"
	s.SetAlarmState(t, names[0], cwtypes.StateValueAlarm, reason)
	// moto's services have no deployment alarms (it returns no
	// deploymentConfiguration): an alarm in ALARM is a warning...
	code, stdout, _ = runCmd(t, append([]string{"-outputs", file}, fast...)...)
	if code != verify.ExitOK || !strings.Contains(stdout, "  WARNING: 1 alarm(s) in ALARM, not deployment alarms of the service (not failing; -fail-on-any-alarm fails on them): fargateship-prod-5xx-rate\n") {
		t.Errorf("ALARM, not a deployment alarm: exit %d", code)
	}
	// ... unless -fail-on-any-alarm.
	code, stdout, _ = runCmd(t, append([]string{"-outputs", file, "-fail-on-any-alarm"}, fast...)...)
	if code != verify.ExitFailed || !strings.Contains(stdout, "reason: "+reason+"\n") ||
		!regexp.MustCompile(`\n  ALARM +fargateship-prod-5xx-rate  \(state updated [0-9-]+ [0-9:]+Z\)\n`).MatchString(stdout) ||
		!strings.Contains(stdout, "RESULT: FAILED: alarms: 1 alarm(s) in ALARM: fargateship-prod-5xx-rate\n") {
		t.Errorf("ALARM: exit %d", code)
	}

	code, stdout, _ = runCmd(t, append([]string{"-outputs", file, "-check-alarms=false"}, fast...)...)
	if code != verify.ExitOK || !strings.Contains(stdout, "Alarms: skipped (-check-alarms=false)\n") || strings.Contains(stdout, names[0]) {
		t.Errorf("-check-alarms=false: exit %d", code)
	}

	outs["alarmNames"] = append(names, "fargateship-prod-gone")
	s.SetAlarmState(t, names[0], cwtypes.StateValueOk, "Threshold Crossed: back to normal")
	code, stdout, _ = runCmd(t, append([]string{"-outputs", writeJSON(t, outs)}, fast...)...)
	if code != verify.ExitFailed || !strings.Contains(stdout, "RESULT: FAILED: alarms: 1 alarm(s) unknown to CloudWatch: fargateship-prod-gone\n") {
		t.Errorf("unknown alarm: exit %d", code)
	}

	delete(outs, "alarmNames")
	code, stdout, _ = runCmd(t, append([]string{"-outputs", writeJSON(t, outs)}, fast...)...)
	if code != verify.ExitOK || !strings.Contains(stdout, "\nAlarms: none in the stack outputs (no alarmNames output: alarms are off); skipped\n") ||
		strings.Count(stdout, "Alarms") != 1 {
		t.Errorf("no alarmNames: exit %d", code)
	}

	outs["alarmNames"] = "fargateship-prod-cpu-high"
	code, _, stderr := runCmd(t, append([]string{"-outputs", writeJSON(t, outs)}, fast...)...)
	if code != verify.ExitUsage || !strings.Contains(stderr, `stack output "alarmNames" is not a list of alarm names (strings): "fargateship-prod-cpu-high"`) {
		t.Errorf("alarmNames not a list: exit %d %q", code, stderr)
	}
}

// A stack with several services (the `services` output), against moto:
// every service is verified, the one that failed is named, and the worst
// exit code wins (1 over 2 over 0).
func TestServicesAgainstMoto(t *testing.T) {
	s := mototest.Require(t)
	mototest.SetDummyEnv()
	fast := []string{"-endpoint-url", s.URL, "-poll-interval", "50ms", "-url-wait", "200ms", "-timeout", "2s", "-settle", "100ms", "-skip-scan"}
	web := s.NewService(t, "svc-web", 1, 1, mototest.RunningTasks)
	// moto creates a service in the cluster named after it; the stack's
	// services share one cluster, so the others are made in web's.
	worker := s.AddService(t, web.Cluster, "svc-worker", 2, 1, mototest.RunningTasks)
	s.UpdateService(t, worker, worker.TaskDefs[1]) // PRIMARY stays on revision 1: rolled back
	sleeper := s.AddService(t, web.Cluster, "svc-sleeper", 1, 1, 0)
	entry := func(f mototest.Fixture, td, url string) map[string]any {
		return map[string]any{"serviceName": f.Service, "taskDefinitionArn": td, "url": url, "logsCommand": "aws logs tail ..."}
	}
	outs := func(services map[string]any) string {
		return writeJSON(t, map[string]any{"clusterName": web.Cluster, "region": mototest.Region,
			"serviceName": web.Service, "taskDefinitionArn": web.TaskDefs[0], "services": services})
	}

	code, stdout, _ := runCmd(t, append([]string{"-outputs", outs(map[string]any{
		"web": entry(web, web.TaskDefs[0], appServer(t, "1")), "sleeper": entry(sleeper, sleeper.TaskDefs[0], "")})}, fast...)...)
	if code != verify.ExitTimedOut || !strings.Contains(stdout, "deployment web: OK: svc-web:1 is PRIMARY") ||
		!strings.Contains(stdout, "URL of web http://127.0.0.1:") ||
		!strings.Contains(stdout, "RESULT: NOT VERIFIED: sleeper: desired count 0: svc-sleeper:1 is PRIMARY") {
		t.Errorf("web OK, sleeper at desired 0: exit %d, want 2", code)
	}

	code, stdout, _ = runCmd(t, append([]string{"-outputs", outs(map[string]any{
		"web": entry(web, web.TaskDefs[0], ""), "worker": entry(worker, worker.TaskDefs[1], ""), "sleeper": entry(sleeper, sleeper.TaskDefs[0], "")})}, fast...)...)
	if code != verify.ExitFailed || !strings.Contains(stdout, "ROLLED BACK: svc-web-cluster/svc-worker-svc: rolled back: PRIMARY deployment runs svc-worker:1, expected svc-worker:2") ||
		!strings.Contains(stdout, "RESULT: FAILED: worker: rolled back: PRIMARY deployment runs svc-worker:1, expected svc-worker:2") ||
		strings.Contains(stdout, "FAILED: web") {
		t.Errorf("worker rolled back: exit %d, want 1 naming worker", code)
	}

	code, stdout, _ = runCmd(t, append([]string{"-outputs", outs(map[string]any{
		"web": entry(web, web.TaskDefs[0], ""), "worker": entry(worker, worker.TaskDefs[0], "")})}, fast...)...)
	if code != verify.ExitOK || !strings.Contains(stdout, "RESULT: OK: 2 service(s) deployed: web svc-web:1, worker svc-worker:1") {
		t.Errorf("both deployed: exit %d, want 0", code)
	}

	// -service names one service: the services output is set aside.
	code, stdout, _ = runCmd(t, append([]string{"-outputs", outs(map[string]any{"worker": entry(worker, worker.TaskDefs[1], "")}),
		"-service", web.Service, "-task-definition", web.TaskDefs[0]}, fast...)...)
	if code != verify.ExitOK || !strings.Contains(stdout, "RESULT: OK: svc-web:1 revision 1 is deployed") {
		t.Errorf("-service: exit %d, want 0", code)
	}
}
