package verify

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"

	"github.com/fargateship/fargateship/internal/verify/mototest"
)

func clientsFor(s *mototest.Server) Clients {
	return Clients{ECS: s.ECS(), ECR: s.ECR(), Logs: s.Logs(), CloudWatch: s.CloudWatch(), HTTP: &http.Client{Timeout: 2 * time.Second}}
}

func fastConfig(o Outputs) Config {
	cfg := DefaultConfig()
	cfg.Outputs = o.Normalize()
	cfg.Timeout = 2 * time.Second
	cfg.Interval = 50 * time.Millisecond
	cfg.Settle = 100 * time.Millisecond
	cfg.ScanWait = 300 * time.Millisecond
	cfg.URLWait = 300 * time.Millisecond
	return cfg
}

// appServer answers like the app: /healthz 200, / with the given revision.
func appServer(t *testing.T, revision string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/healthz":
			_, _ = w.Write([]byte("ok"))
		case "/":
			w.Header().Set("Content-Type", "application/json")
			_, _ = fmt.Fprintf(w, `{"greeting":"hello","task":"0123abcd","family":"app","revision":%q,"availabilityZone":"us-east-1a"}`, revision)
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// wantLines reports each of wants that out does not contain.
func wantLines(t *testing.T, out string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q", w)
		}
	}
}

// What moto fills in on a freshly created service: one PRIMARY deployment
// with rolloutState COMPLETED when MOTO_ECS_SERVICE_RUNNING >= desired, and
// no service events.
func TestMotoServiceFields(t *testing.T) {
	s := mototest.Require(t)
	f := s.NewService(t, "fields", 1, 1, mototest.RunningTasks)
	out, err := s.ECS().DescribeServices(context.Background(), &ecs.DescribeServicesInput{Cluster: aws.String(f.Cluster), Services: []string{f.Service}})
	if err != nil {
		t.Fatal(err)
	}
	svc := out.Services[0]
	if len(svc.Deployments) != 1 {
		t.Fatalf("deployments = %d, want 1", len(svc.Deployments))
	}
	d := svc.Deployments[0]
	if aws.ToString(d.Status) != "PRIMARY" || d.RolloutState != ecstypes.DeploymentRolloutStateCompleted ||
		d.RunningCount != mototest.RunningTasks || aws.ToString(d.TaskDefinition) != f.TaskDefs[0] {
		t.Fatalf("moto deployment = %+v", d)
	}
	if len(svc.Events) != 0 {
		t.Logf("moto now fills service events: %d", len(svc.Events))
	}
}

func TestHappyPath(t *testing.T) {
	s := mototest.Require(t)
	f := s.NewService(t, "happy", 1, 1, mototest.RunningTasks)
	digest := s.PutImage(t, "happy-repo", "v1")
	s.StartScan(t, "happy-repo", "v1")
	app := appServer(t, "1")

	var buf bytes.Buffer
	res := Run(context.Background(), fastConfig(Outputs{
		ClusterName: f.Cluster, ServiceName: f.Service, TaskDefinitionArn: f.TaskDefs[0],
		RepositoryName: "happy-repo", ImageTag: "v1", ImageDigest: digest,
		LogGroupName: "/ecs/happy", Region: mototest.Region, URL: app.URL,
	}), clientsFor(s), &buf)
	t.Log("\n" + buf.String())
	if res.Code != ExitOK {
		t.Fatalf("exit %d, want 0: %s", res.Code, res.Summary)
	}
	wantLines(t, buf.String(),
		"rollout COMPLETED, primary happy:1, running 2/2",
		// moto 5.2.1 has no ListServiceDeployments: the verdict degrades
		// to DescribeServices and says so.
		"service deployments unavailable (the endpoint does not implement it: HTTP 500 without an AWS error): judging from DescribeServices alone",
		"  WARNING: service deployments unavailable (the endpoint does not implement it: HTTP 500 without an AWS error): a rollback that restored the same task definition cannot be told from a success",
		"deployment: OK",
		"/ reports revision 1",
		// moto's default scan result is one HIGH finding: below "critical".
		"HIGH 1",
		"OK: no findings at or above CRITICAL",
		"RESULT: OK",
	)
}

func TestRolledBack(t *testing.T) {
	s := mototest.Require(t)
	// The service ran rb:1; the stack exported rb:2; the PRIMARY deployment
	// still runs rb:1, as after a circuit-breaker rollback.
	f := s.NewService(t, "rb", 2, 1, mototest.RunningTasks)
	s.UpdateService(t, f, f.TaskDefs[1])
	id := s.StoppedTask(t, f, f.TaskDefs[1], "Essential container in task exited")
	s.PutLogLines(t, "/ecs/rb", LogStreamName("app", "app", id),
		"starting app revision 2", "panic: missing env GREETING", "goroutine 1 [running]:")
	s.StoppedTask(t, f, f.TaskDefs[0], "Scaling activity initiated by (deployment ecs-svc/1)")

	res, err := WaitForDeployment(context.Background(), s.ECS(), WaitOptions{
		Cluster: f.Cluster, Service: f.Service, TaskDefinitionArn: f.TaskDefs[1],
		Timeout: 2 * time.Second, Interval: 50 * time.Millisecond,
	}, &bytes.Buffer{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Outcome != OutcomeRolledBack || !strings.Contains(res.Reason, "runs rb:1, expected rb:2") {
		t.Fatalf("got %v %q, want rolled back naming rb:1 and rb:2", res.Outcome, res.Reason)
	}

	var buf bytes.Buffer
	cfg := fastConfig(Outputs{
		ClusterName: f.Cluster, ServiceName: f.Service, TaskDefinitionArn: f.TaskDefs[1],
		LogGroupName: "/ecs/rb", Region: mototest.Region, URL: "http://127.0.0.1:1",
	})
	cfg.SkipScan = true
	out := Run(context.Background(), cfg, clientsFor(s), &buf)
	t.Log("\n" + buf.String())
	if out.Code != ExitFailed {
		t.Fatalf("exit %d, want 1", out.Code)
	}
	wantLines(t, buf.String(),
		"ROLLED BACK: rb-cluster/rb-svc: rolled back: PRIMARY deployment runs rb:1, expected rb:2",
		"expected task definition: revision 2 ("+f.TaskDefs[1]+")",
		"running task definition:  revision 1 ("+f.TaskDefs[0]+")",
		"task "+id+" (rb:2)",
		"stopped reason: Essential container in task exited",
		"container app: exit code 0", // moto always reports exit code 0
		"last 3 log lines of app/app/"+id,
		"| panic: missing env GREETING",
		"not checked, the deployment did not succeed",
		"RESULT: FAILED: rolled back",
	)
	// Tasks of the expected revision come first.
	if i, j := strings.Index(buf.String(), "(rb:2)\n"), strings.Index(buf.String(), "(rb:1)\n"); i < 0 || j < 0 || i > j {
		t.Errorf("stopped tasks of rb:2 should be listed before rb:1")
	}
}

func TestMissingService(t *testing.T) {
	s := mototest.Require(t)
	f := s.NewService(t, "miss", 1, 1, 1)
	for _, tc := range []struct{ cluster, service, want string }{
		{f.Cluster, "no-such-svc", "service no-such-svc not found in cluster miss-cluster (DescribeServices: MISSING)"},
		{"no-such-cluster", f.Service, "cluster no-such-cluster not found"},
	} {
		var buf bytes.Buffer
		cfg := fastConfig(Outputs{ClusterName: tc.cluster, ServiceName: tc.service, TaskDefinitionArn: f.TaskDefs[0], Region: mototest.Region})
		cfg.SkipScan = true
		res := Run(context.Background(), cfg, clientsFor(s), &buf)
		t.Log("\n" + buf.String())
		if res.Code != ExitFailed || !strings.Contains(buf.String(), "MISSING: "+tc.cluster+"/"+tc.service+": "+tc.want) {
			t.Errorf("exit %d, output:\n%s\nwant exit 1 and %q", res.Code, buf.String(), tc.want)
		}
	}
}

func TestTimeout(t *testing.T) {
	s := mototest.Require(t)
	// desired 3 > moto's running 2: rollout stays IN_PROGRESS.
	f := s.NewService(t, "slow", 1, 1, mototest.RunningTasks+1)
	var buf bytes.Buffer
	cfg := fastConfig(Outputs{ClusterName: f.Cluster, ServiceName: f.Service, TaskDefinitionArn: f.TaskDefs[0], Region: mototest.Region})
	cfg.Timeout = 300 * time.Millisecond
	cfg.SkipScan = true
	start := time.Now()
	res := Run(context.Background(), cfg, clientsFor(s), &buf)
	t.Log("\n" + buf.String())
	if res.Code != ExitTimedOut {
		t.Fatalf("exit %d, want 2", res.Code)
	}
	if time.Since(start) > 3*time.Second {
		t.Errorf("timeout not bounded: took %s", time.Since(start))
	}
	if n := strings.Count(buf.String(), "s] rollout IN_PROGRESS, primary slow:1, running 2/3 (pending 1)\n"); n != 1 {
		t.Errorf("progress line printed %d times, want once (one line per state change)", n)
	}
	if !strings.Contains(buf.String(), "RESULT: TIMED OUT: timed out after 300ms") {
		t.Errorf("no timeout result line")
	}
}

func scanResult(repo, tag string, status string, counts map[string]int, findings []map[string]any) map[string]any {
	return map[string]any{
		"registryId":     "123456789012",
		"repositoryName": repo,
		"imageId":        map[string]any{"imageTag": tag},
		"imageScanStatus": map[string]any{
			"status": status, "description": "set by the test",
		},
		"imageScanFindings": map[string]any{
			"findingSeverityCounts": counts,
			"findings":              findings,
		},
	}
}

func TestScanFindings(t *testing.T) {
	s := mototest.Require(t)
	ctx := context.Background()

	// moto's built-in result: one HIGH finding (CVE-9999-9999 in moto_fake).
	s.PutImage(t, "scan-default", "v1")
	s.StartScan(t, "scan-default", "v1")
	for _, tc := range []struct {
		threshold string
		fail      bool
	}{{"critical", false}, {"high", true}, {"low", true}, {"none", false}} {
		th, err := ParseThreshold(tc.threshold)
		if err != nil {
			t.Fatal(err)
		}
		r, err := CheckScan(ctx, s.ECR(), ScanOptions{Repository: "scan-default", ImageTag: "v1", Threshold: th}, &bytes.Buffer{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != "COMPLETE" || r.Counts["HIGH"] != 1 || r.Failed() != tc.fail {
			t.Errorf("threshold %s: status %s counts %v failed %v, want failed %v", tc.threshold, r.Status, r.Counts, r.Failed(), tc.fail)
		}
		if len(r.Findings) != 1 || r.Findings[0].Name != "CVE-9999-9999" || r.Findings[0].Package != "moto_fake 9.9.9" {
			t.Errorf("findings = %+v", r.Findings)
		}
	}

	// A result configured through moto's API, with several severities.
	s.PutImage(t, "scan-custom", "v2")
	s.StartScan(t, "scan-custom", "v2")
	s.SetScanFindings(t, scanResult("scan-custom", "v2", "COMPLETE",
		map[string]int{"CRITICAL": 2, "MEDIUM": 3, "LOW": 1, "UNDEFINED": 1},
		[]map[string]any{
			{"name": "CVE-2026-0002", "severity": "MEDIUM"},
			{"name": "CVE-2026-0001", "severity": "CRITICAL", "attributes": []map[string]string{{"key": "package_name", "value": "openssl"}, {"key": "package_version", "value": "3.0.1"}}},
		}))
	var buf bytes.Buffer
	r, err := CheckScan(ctx, s.ECR(), ScanOptions{Repository: "scan-custom", ImageTag: "v2", Threshold: SeverityCritical}, &buf)
	if err != nil {
		t.Fatal(err)
	}
	WriteScanReport(&buf, r, 10)
	t.Log("\n" + buf.String())
	if !r.Failed() || r.Blocking() != 2 {
		t.Errorf("blocking = %d failed = %v, want 2 true", r.Blocking(), r.Failed())
	}
	wantLines(t, buf.String(),
		"Image scan scan-custom:v2",
		"CRITICAL 2  HIGH 0  MEDIUM 3  LOW 1  INFORMATIONAL 0  UNDEFINED 1",
		"FAIL: 2 finding(s) at or above CRITICAL",
		"CRITICAL      CVE-2026-0001 (openssl 3.0.1)",
	)
	if strings.Index(buf.String(), "CVE-2026-0001") > strings.Index(buf.String(), "CVE-2026-0002") {
		t.Errorf("findings not sorted most severe first")
	}

	// No scan at all: ScanNotFoundException -> NOT_FOUND, a warning unless
	// -require-scan.
	s.PutImage(t, "scan-none", "v1")
	r, err = CheckScan(ctx, s.ECR(), ScanOptions{Repository: "scan-none", ImageTag: "v1", Threshold: SeverityCritical}, &bytes.Buffer{})
	if err != nil || r.Status != ScanStatusNotFound || r.Failed() {
		t.Errorf("no scan: %v %s failed=%v", err, r.Status, r.Failed())
	}
	r.RequireScan = true
	if !r.Failed() {
		t.Errorf("no scan with RequireScan should fail")
	}

	// A scan that stays IN_PROGRESS is polled until the wait passes.
	s.PutImage(t, "scan-slow", "v1")
	s.StartScan(t, "scan-slow", "v1")
	s.SetScanFindings(t, scanResult("scan-slow", "v1", "IN_PROGRESS", map[string]int{}, nil))
	buf.Reset()
	start := time.Now()
	r, err = CheckScan(ctx, s.ECR(), ScanOptions{Repository: "scan-slow", ImageTag: "v1", Threshold: SeverityCritical, Wait: 300 * time.Millisecond, Interval: 50 * time.Millisecond}, &buf)
	if err != nil || r.Status != "IN_PROGRESS" || r.Failed() {
		t.Errorf("in progress: %v %s failed=%v", err, r.Status, r.Failed())
	}
	if d := time.Since(start); d < 250*time.Millisecond || d > 3*time.Second {
		t.Errorf("in-progress wait took %s, want about 300ms", d)
	}
	if !strings.Contains(buf.String(), "is IN_PROGRESS, waiting up to 300ms") || !strings.Contains(r.Description, "scan still IN_PROGRESS after 300ms") {
		t.Errorf("progress %q description %q", buf.String(), r.Description)
	}

	// Through Run: findings at the threshold make the whole check fail.
	f := s.NewService(t, "scanrun", 1, 1, mototest.RunningTasks)
	buf.Reset()
	cfg := fastConfig(Outputs{ClusterName: f.Cluster, ServiceName: f.Service, TaskDefinitionArn: f.TaskDefs[0], RepositoryName: "scan-default", ImageTag: "v1", Region: mototest.Region})
	cfg.Threshold = SeverityHigh
	res := Run(ctx, cfg, clientsFor(s), &buf)
	t.Log("\n" + buf.String())
	if res.Code != ExitFailed || !strings.Contains(res.Summary, "image scan: 1 finding(s) at or above HIGH") {
		t.Errorf("exit %d summary %q", res.Code, res.Summary)
	}
}

// faultProxy forwards to moto, but answers the first calls of an ECS
// operation (X-Amz-Target AmazonEC2ContainerServiceV20141113.<op>) with
// the given HTTP status and JSON error body, as ECS does.
type faultProxy struct {
	mu     sync.Mutex
	faults map[string][]fault
	proxy  *httputil.ReverseProxy
}

type fault struct {
	status int
	body   string
}

func (p *faultProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AmazonEC2ContainerServiceV20141113.")
	p.mu.Lock()
	var f *fault
	if q := p.faults[op]; len(q) > 0 {
		f, p.faults[op] = &q[0], q[1:]
	}
	p.mu.Unlock()
	if f == nil {
		p.proxy.ServeHTTP(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Requestid", "fault-proxy")
	w.WriteHeader(f.status)
	_, _ = io.WriteString(w, f.body)
}

func repeat(n int, f fault) []fault {
	out := make([]fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}

type countingProvider struct{ n atomic.Int32 }

func (c *countingProvider) Retrieve(context.Context) (aws.Credentials, error) {
	c.n.Add(1)
	return aws.Credentials{AccessKeyID: "testing", SecretAccessKey: "testing", CanExpire: true, Expires: time.Now().Add(time.Hour)}, nil
}

// Transient errors on the wire, classified on the SDK's own errors (its
// standard retryer, 3 attempts, with short backoffs): throttling (HTTP 400
// ThrottlingException), 5xx (ServerException) and an expired token are
// "still waiting"; the credentials are fetched again after the expired
// token; the verdict is then OK.
func TestTransientErrorsAgainstMoto(t *testing.T) {
	s := mototest.Require(t)
	f := s.NewService(t, "flaky", 1, 1, mototest.RunningTasks)
	target, err := url.Parse(s.URL)
	if err != nil {
		t.Fatal(err)
	}
	throttle := fault{http.StatusBadRequest, `{"__type":"ThrottlingException","message":"Rate exceeded"}`}
	server := fault{http.StatusInternalServerError, `{"__type":"ServerException","message":"Service Unavailable. Please try again later."}`}
	expired := fault{http.StatusBadRequest, `{"__type":"ExpiredTokenException","message":"The security token included in the request is expired"}`}
	proxy := &faultProxy{proxy: httputil.NewSingleHostReverseProxy(target), faults: map[string][]fault{
		"DescribeServices": append(append(repeat(3, throttle), repeat(3, server)...), expired),
		"ListTasks":        repeat(3, throttle),
	}}
	srv := httptest.NewServer(proxy)
	defer srv.Close()

	creds := &countingProvider{}
	cache := aws.NewCredentialsCache(creds)
	cfg := aws.Config{Region: mototest.Region, BaseEndpoint: aws.String(srv.URL), Credentials: cache,
		Retryer: func() aws.Retryer {
			return retry.NewStandard(func(o *retry.StandardOptions) { o.MaxBackoff = 5 * time.Millisecond })
		}}
	cl := clientsFor(s)
	cl.ECS = ecs.NewFromConfig(cfg, mototest.FixContainerTypes)
	cl.Credentials = cache

	var buf bytes.Buffer
	c := fastConfig(Outputs{ClusterName: f.Cluster, ServiceName: f.Service, TaskDefinitionArn: f.TaskDefs[0], Region: mototest.Region})
	c.SkipScan = true
	res := Run(context.Background(), c, cl, &buf)
	t.Log("\n" + buf.String())
	if res.Code != ExitOK {
		t.Fatalf("exit %d, want 0: %s", res.Code, res.Summary)
	}
	wantLines(t, buf.String(),
		"still waiting: ECS DescribeServices: HTTP 400 ThrottlingException: Rate exceeded (3 attempts)\n",
		"still waiting: ECS DescribeServices: HTTP 500 ServerException: Service Unavailable. Please try again later. (3 attempts)\n",
		"still waiting: ECS DescribeServices: HTTP 400 ExpiredTokenException: The security token included in the request is expired\n",
		"still waiting: ECS ListTasks: HTTP 400 ThrottlingException: Rate exceeded (3 attempts)\n",
		"RESULT: OK")
	// One fetch for the first call, one after the expired token.
	if n := creds.n.Load(); n != 2 {
		t.Errorf("credentials fetched %d times, want 2", n)
	}
}
