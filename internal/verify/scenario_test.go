package verify

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"

	"github.com/fargateship/fargateship/internal/verify/ecsfake"
)

// The fake implements what the verifier calls.
var _ ECSAPI = (*ecsfake.Fake)(nil)

const fakeCluster = "fargateship-dev"

// world is one scenario's AWS: the fake ECS (with its clock) and a fake
// CloudWatch.
type world struct {
	t  *testing.T
	f  *ecsfake.Fake
	cw *fakeCloudWatch
}

// service creates service name with a good revision 1 (desired tasks,
// circuit breaker with rollback) and lets it settle; it returns revision 1.
func (w *world) service(name string, desired int32, opts ecsfake.ServiceOptions) string {
	td := w.f.RegisterTaskDefinition(name, ecsfake.Behavior{})
	opts.CircuitBreaker, opts.Rollback = true, true
	w.f.CreateService(fakeCluster, name, td, desired, opts)
	w.f.Clock.Advance(5 * time.Minute)
	return td
}

// deploy registers the next revision of name with behavior b and updates
// the service to it, as `pulumi up` does; it returns the new revision.
func (w *world) deploy(name string, b ecsfake.Behavior) string {
	td := w.f.RegisterTaskDefinition(name, b)
	w.f.UpdateService(fakeCluster, name, ecsfake.Update{TaskDefinition: td})
	return td
}

func outputs(service, td string) Outputs {
	return Outputs{ClusterName: fakeCluster, ServiceName: service, TaskDefinitionArn: td, Region: ecsfake.Region}
}

var (
	crashLoop  = ecsfake.Behavior{CrashAfter: 30 * time.Second, ExitCode: 1}
	cannotPull = ecsfake.Behavior{FailToStart: "CannotPullContainerError: pull image manifest has been retried 5 time(s): ref not found", StartDelay: 15 * time.Second}
)

// scenario is one row of docs/verify.md's verdict table: what ECS does
// (setup, on the fake), the exit code and lines the verifier must print.
type scenario struct {
	name  string
	setup func(w *world) Outputs
	cfg   func(*Config)
	code  int
	want  []string
	not   []string
}

// scenarios are the cases of issue 19 (each gave a wrong verdict before)
// and the baseline cases they sit among.
var scenarios = []scenario{
	{
		name: "good_deploy",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{})
			return outputs("web", w.deploy("web", ecsfake.Behavior{}))
		},
		code: ExitOK,
		want: []string{"rollout done (web:2 is PRIMARY, rollout COMPLETED, running 2/2); watching the new tasks for 1m0s",
			"deployment: OK: web:2 is PRIMARY, rollout COMPLETED, running 2/2; no task crashed while it settled (1m0s)", "RESULT: OK: web:2 revision 2 is deployed"},
		not: []string{"WARNING"},
	},
	{
		name: "circuit_breaker_rollback",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{})
			return outputs("web", w.deploy("web", cannotPull))
		},
		code: ExitFailed,
		want: []string{"ROLLED BACK: fargateship-dev/web: rolled back: service deployment", "is ROLLBACK_IN_PROGRESS",
			"TaskFailedToStart: CannotPullContainerError", "RESULT: FAILED: rolled back"},
	},
	{
		name: "circuit_breaker_without_rollback",
		setup: func(w *world) Outputs {
			td := w.f.RegisterTaskDefinition("web", ecsfake.Behavior{})
			w.f.CreateService(fakeCluster, "web", td, 2, ecsfake.ServiceOptions{CircuitBreaker: true})
			w.f.Clock.Advance(5 * time.Minute)
			return outputs("web", w.deploy("web", cannotPull))
		},
		code: ExitFailed,
		want: []string{"STOPPED: ECS deployment circuit breaker: tasks failed to start. (failed with no rollback, or stopped by hand)", "RESULT: FAILED: service deployment"},
	},
	{
		name: "slow_rollout_times_out",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{})
			return outputs("web", w.deploy("web", ecsfake.Behavior{StartDelay: time.Hour}))
		},
		code: ExitTimedOut,
		want: []string{"RESULT: TIMED OUT: timed out after 10m0s; last state: rollout IN_PROGRESS, primary web:2, running 0/2 (pending 2), 2 deployments"},
	},
	// 1. Desired count 0.
	{
		name: "desired_0_worker",
		setup: func(w *world) Outputs {
			w.service("worker", 0, ecsfake.ServiceOptions{})
			return outputs("worker", w.deploy("worker", crashLoop))
		},
		code: ExitTimedOut,
		want: []string{"NOT VERIFIED: fargateship-dev/worker: desired count 0: worker:2 is PRIMARY, but no task runs it",
			"RESULT: NOT VERIFIED: desired count 0"},
	},
	{
		name: "desired_0_with_url",
		setup: func(w *world) Outputs {
			w.service("web", 0, ecsfake.ServiceOptions{})
			o := outputs("web", w.deploy("web", ecsfake.Behavior{}))
			o.URL = noTargets(w.t)
			return o
		},
		code: ExitTimedOut,
		want: []string{": not checked, desired count 0: no task serves it", "RESULT: NOT VERIFIED: desired count 0"},
		not:  []string{"GET /healthz"},
	},
	// 2. Tasks that crash after RUNNING.
	{
		name: "crash_after_running",
		setup: func(w *world) Outputs {
			w.service("worker", 2, ecsfake.ServiceOptions{})
			return outputs("worker", w.deploy("worker", crashLoop))
		},
		code: ExitFailed,
		want: []string{"rollout done (worker:2 is PRIMARY, rollout COMPLETED, running 2/2)",
			"FAILED: fargateship-dev/worker: 2 task(s) of worker:2 crashed since its deployment began (the circuit breaker stops counting once a task ran)",
			"EssentialContainerExited: Essential container in task exited, container app exit code 1",
			"    container app: exit code 1\n"},
	},
	// 3. A rollback to the same revision.
	{
		name: "rollback_same_revision",
		setup: func(w *world) Outputs {
			td := w.service("web", 2, ecsfake.ServiceOptions{})
			w.f.UpdateService(fakeCluster, "web", ecsfake.Update{ForceNewDeployment: true,
				StartFailure: "ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: dial tcp 52.94.0.1:443: i/o timeout"})
			w.f.Clock.Advance(3 * time.Minute)
			return outputs("web", td)
		},
		code: ExitFailed,
		want: []string{"ROLLED BACK: fargateship-dev/web: rolled back: service deployment", "of web:1 is ROLLBACK_SUCCESSFUL",
			"rollback: Circuit breaker detected a service deployment failure.", "circuit breaker failures 3 of 3, TRIGGERED"},
	},
	// 4. A stale first read.
	{
		name: "stale_first_read",
		setup: func(w *world) Outputs {
			w.f.StaleReads = 1
			w.service("web", 2, ecsfake.ServiceOptions{})
			return outputs("web", w.deploy("web", ecsfake.Behavior{}))
		},
		code: ExitOK,
		want: []string{"[   0s] rollout COMPLETED, primary web:1, running 2/2\n", "looks FAILED: not deployed: PRIMARY deployment runs web:1",
			"(to be confirmed by the next read)", "RESULT: OK: web:2 revision 2 is deployed"},
	},
	{
		name: "stale_first_read_no_service_deployments",
		setup: func(w *world) Outputs {
			w.f.StaleReads = 1
			w.f.SetNotImplemented("ListServiceDeployments")
			w.service("web", 2, ecsfake.ServiceOptions{})
			return outputs("web", w.deploy("web", ecsfake.Behavior{}))
		},
		code: ExitOK,
		want: []string{"looks ROLLED BACK: rolled back: PRIMARY deployment runs web:1, expected web:2", "RESULT: OK: web:2 revision 2 is deployed"},
	},
	// 5. Transient API errors.
	{
		name: "transient_errors",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{})
			w.f.FailNext("DescribeServices", ecsfake.Throttling("DescribeServices"), ecsfake.ServerError("DescribeServices", 503), ecsfake.ExpiredToken("DescribeServices"))
			w.f.FailNext("ListServiceDeployments", ecsfake.ServerError("ListServiceDeployments", 500))
			w.f.FailNext("ListTasks", ecsfake.Throttling("ListTasks"))
			return outputs("web", w.deploy("web", ecsfake.Behavior{}))
		},
		code: ExitOK,
		want: []string{"[   0s] still waiting: ECS DescribeServices: HTTP 400 ThrottlingException: Rate exceeded (3 attempts)\n",
			"[  10s] still waiting: ECS DescribeServices: HTTP 503 ServiceUnavailableException: Service Unavailable (3 attempts)\n",
			"[  20s] still waiting: ECS DescribeServices: HTTP 400 ExpiredTokenException: The security token included in the request is expired\n",
			"still waiting: ECS ListServiceDeployments: HTTP 500 ServerException: Service Unavailable. Please try again later. (3 attempts)\n",
			"still waiting: ECS ListTasks: HTTP 400 ThrottlingException: Rate exceeded (3 attempts)\n",
			"RESULT: OK: web:2 revision 2 is deployed"},
	},
	{
		name: "transient_errors_until_the_deadline",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{})
			for range 100 {
				w.f.FailNext("DescribeServices", ecsfake.Throttling("DescribeServices"))
			}
			return outputs("web", w.deploy("web", ecsfake.Behavior{}))
		},
		code: ExitTimedOut,
		want: []string{"RESULT: TIMED OUT: timed out after 10m0s; last state: still waiting: ECS DescribeServices: HTTP 400 ThrottlingException: Rate exceeded (3 attempts)"},
	},
	{
		name: "crash_check_throttled_until_the_deadline",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{})
			for range 200 {
				w.f.FailNext("ListTasks", ecsfake.Throttling("ListTasks"))
			}
			return outputs("web", w.deploy("web", ecsfake.Behavior{}))
		},
		code: ExitTimedOut,
		want: []string{"RESULT: TIMED OUT: timed out after 10m0s: the rollout completed, but its new tasks could not be checked for crashes; last: still waiting: ECS ListTasks: HTTP 400 ThrottlingException"},
	},
	{
		name: "access_denied",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{})
			w.f.FailNext("DescribeServices", ecsfake.AccessDenied("DescribeServices"))
			return outputs("web", w.deploy("web", ecsfake.Behavior{}))
		},
		code: ExitFailed,
		want: []string{"deployment: error: ecs DescribeServices fargateship-dev/web: operation error ECS: DescribeServices", "AccessDeniedException"},
	},
	// 6. Alarms.
	{
		name: "other_alarm_in_alarm",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{DeploymentAlarms: []string{"fargateship-dev-5xx-rate"}})
			w.cw.alarms = map[string]cwtypes.StateValue{"fargateship-dev-5xx-rate": cwtypes.StateValueInsufficientData, "fargateship-dev-cpu-high": cwtypes.StateValueAlarm}
			o := outputs("web", w.deploy("web", ecsfake.Behavior{}))
			o.AlarmNames = []string{"fargateship-dev-5xx-rate", "fargateship-dev-cpu-high"}
			return o
		},
		code: ExitOK,
		want: []string{"  INSUFFICIENT_DATA  fargateship-dev-5xx-rate  (deployment alarm of web)\n",
			"  WARNING: 1 alarm(s) in ALARM, not deployment alarms of the service (not failing; -fail-on-any-alarm fails on them): fargateship-dev-cpu-high",
			"RESULT: OK"},
	},
	{
		name: "deployment_alarm_in_alarm",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{DeploymentAlarms: []string{"fargateship-dev-5xx-rate"}})
			w.cw.alarms = map[string]cwtypes.StateValue{"fargateship-dev-5xx-rate": cwtypes.StateValueAlarm, "fargateship-dev-cpu-high": cwtypes.StateValueOk}
			o := outputs("web", w.deploy("web", ecsfake.Behavior{}))
			o.AlarmNames = []string{"fargateship-dev-cpu-high"} // the deployment alarm is checked even when the stack does not list it
			return o
		},
		code: ExitFailed,
		want: []string{"  ALARM  fargateship-dev-5xx-rate  (deployment alarm of web)\n", "RESULT: FAILED: alarms: 1 deployment alarm(s) in ALARM: fargateship-dev-5xx-rate"},
	},
	{
		name: "fail_on_any_alarm",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{DeploymentAlarms: []string{"fargateship-dev-5xx-rate"}})
			w.cw.alarms = map[string]cwtypes.StateValue{"fargateship-dev-5xx-rate": cwtypes.StateValueOk, "fargateship-dev-cpu-high": cwtypes.StateValueAlarm}
			o := outputs("web", w.deploy("web", ecsfake.Behavior{}))
			o.AlarmNames = []string{"fargateship-dev-5xx-rate", "fargateship-dev-cpu-high"}
			return o
		},
		cfg:  func(c *Config) { c.FailOnAnyAlarm = true },
		code: ExitFailed,
		want: []string{"RESULT: FAILED: alarms: 1 alarm(s) in ALARM: fargateship-dev-cpu-high"},
	},
	// 7. The smaller ones.
	{
		name: "stopped_tasks_past_the_first_100",
		setup: func(w *world) Outputs {
			td1 := w.service("web", 2, ecsfake.ServiceOptions{})
			td2 := w.deploy("web", cannotPull)
			w.f.Clock.Advance(3 * time.Minute)
			w.f.AddStoppedTasks(fakeCluster, "web", td1, 150)
			return outputs("web", td2)
		},
		code: ExitFailed,
		want: []string{"(web:2) stopped", "    stopped reason: TaskFailedToStart: CannotPullContainerError"},
	},
	{
		name: "describe_tasks_failures",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{})
			td2 := w.deploy("web", cannotPull)
			w.f.Clock.Advance(3 * time.Minute)
			w.f.DropFromNextDescribeTasks(2)
			return outputs("web", td2)
		},
		code: ExitFailed,
		want: []string{"Note: DescribeTasks could not describe ", ": MISSING\n"},
	},
	{
		name: "health_check_kills_in_report",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{})
			return outputs("web", w.deploy("web", ecsfake.Behavior{HealthCheck: true, UnhealthyAfter: 5 * time.Second}))
		},
		code: ExitFailed,
		want: []string{"stopped reason: ServiceSchedulerInitiated: Task failed container health checks",
			", health UNHEALTHY\n", "    container app: exit code 137, health UNHEALTHY (killed after failing its health check: not a crash)"},
	},
	{
		name: "health_check_kills_after_completed",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{})
			return outputs("web", w.deploy("web", ecsfake.Behavior{HealthCheck: true, UnhealthyAfter: 45 * time.Second}))
		},
		code: ExitOK,
		want: []string{"  WARNING: 2 task(s) of web:2 were stopped after failing health checks since the deployment began (not crashes: see the health check)"},
	},
	{
		name: "failed_rollback",
		setup: func(w *world) Outputs {
			td1 := w.service("web", 2, ecsfake.ServiceOptions{})
			w.f.SetBehavior(td1, ecsfake.Behavior{FailToStart: "ResourceInitializationError: unable to retrieve secret from asm: ResourceNotFoundException", StartDelay: 10 * time.Second})
			return outputs("web", w.deploy("web", cannotPull))
		},
		code: ExitFailed,
		want: []string{"FAILED: fargateship-dev/web: rollback FAILED: service deployment", "is ROLLBACK_FAILED: Service deployment rollback failed."},
	},
	{
		name: "failed_rollback_no_service_deployments",
		setup: func(w *world) Outputs {
			w.f.SetNotImplemented("ListServiceDeployments")
			td1 := w.service("web", 2, ecsfake.ServiceOptions{})
			w.f.SetBehavior(td1, ecsfake.Behavior{FailToStart: "ResourceInitializationError: unable to retrieve secret from asm: ResourceNotFoundException", StartDelay: 10 * time.Second})
			return outputs("web", w.deploy("web", cannotPull))
		},
		code: ExitFailed,
		want: []string{"FAILED: fargateship-dev/web: rollback FAILED: the rollback to web:1, created ", " FAILED too; its rollout: ECS deployment circuit breaker: tasks failed to start."},
	},
	{
		name: "manual_downgrade",
		setup: func(w *world) Outputs {
			td1 := w.service("web", 2, ecsfake.ServiceOptions{})
			td2 := w.deploy("web", ecsfake.Behavior{})
			w.f.Clock.Advance(5 * time.Minute)
			w.f.UpdateService(fakeCluster, "web", ecsfake.Update{TaskDefinition: td1}) // someone else, by hand
			w.f.Clock.Advance(5 * time.Minute)
			return outputs("web", td2)
		},
		code: ExitFailed,
		want: []string{"FAILED: fargateship-dev/web: replaced by a later deployment: service deployment", "of web:1 (created 2026-11-27 10:10:00Z, SUCCESSFUL) came after the one of web:2 (SUCCESSFUL)"},
	},
	{
		name: "manual_downgrade_no_service_deployments",
		setup: func(w *world) Outputs {
			w.f.SetNotImplemented("ListServiceDeployments")
			td1 := w.service("web", 2, ecsfake.ServiceOptions{})
			td2 := w.deploy("web", ecsfake.Behavior{})
			w.f.Clock.Advance(5 * time.Minute)
			w.f.UpdateService(fakeCluster, "web", ecsfake.Update{TaskDefinition: td1})
			return outputs("web", td2)
		},
		code: ExitFailed,
		want: []string{"FAILED: fargateship-dev/web: replaced by a later deployment: PRIMARY deployment runs web:1, created 2026-11-27 10:10:00Z, expected web:2: a manual downgrade or another deploy"},
	},
	{
		name: "newer_deploy_by_someone_else",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{})
			td2 := w.deploy("web", ecsfake.Behavior{})
			w.f.Clock.Advance(5 * time.Minute)
			w.deploy("web", ecsfake.Behavior{})
			return outputs("web", td2)
		},
		code: ExitFailed,
		want: []string{"FAILED: fargateship-dev/web: superseded by a later deployment: service deployment", "of web:3 (created 2026-11-27 10:10:00Z, IN_PROGRESS) came after the one of web:2 (SUCCESSFUL)"},
	},
	{
		name: "completed_with_a_task_missing",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{})
			td2 := w.deploy("web", ecsfake.Behavior{})
			w.f.Clock.Advance(2 * time.Minute)
			w.f.InterruptTasks(fakeCluster, "web", 1, true)
			return outputs("web", td2)
		},
		code: ExitOK,
		want: []string{"[   0s] rollout COMPLETED, primary web:2, running 1/2\n",
			"  WARNING: the rollout COMPLETED, but 1 of 2 desired tasks run (a task being replaced: Spot interruption, Availability Zone rebalancing, scaling); not a failure"},
	},
	// Service deployments that cannot be read: the verdict rests on
	// DescribeServices, and says so.
	{
		name: "no_service_deployments_rollback",
		setup: func(w *world) Outputs {
			w.f.SetNotImplemented("ListServiceDeployments")
			w.service("web", 2, ecsfake.ServiceOptions{})
			return outputs("web", w.deploy("web", cannotPull))
		},
		code: ExitFailed,
		want: []string{"service deployments unavailable (the endpoint does not implement it: HTTP 500 without an AWS error): judging from DescribeServices alone",
			"rolled back: PRIMARY deployment runs web:1, expected web:2 (deployment of web:2 is ACTIVE FAILED: ECS deployment circuit breaker: tasks failed to start.)",
			"Service deployments: unavailable (the endpoint does not implement it"},
	},
	{
		name: "no_service_deployments_same_revision",
		setup: func(w *world) Outputs {
			w.f.SetNotImplemented("ListServiceDeployments")
			td := w.service("web", 2, ecsfake.ServiceOptions{})
			w.f.UpdateService(fakeCluster, "web", ecsfake.Update{ForceNewDeployment: true, StartFailure: "ResourceInitializationError: unable to pull secrets or registry auth"})
			w.f.Clock.Advance(3 * time.Minute)
			return outputs("web", td)
		},
		code: ExitOK,
		want: []string{"  WARNING: service deployments unavailable (the endpoint does not implement it: HTTP 500 without an AWS error): a rollback that restored the same task definition cannot be told from a success"},
	},
	{
		name: "no_permission_for_service_deployments",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{})
			w.f.FailNext("ListServiceDeployments", ecsfake.AccessDenied("ListServiceDeployments"))
			return outputs("web", w.deploy("web", ecsfake.Behavior{}))
		},
		code: ExitOK,
		want: []string{"service deployments unavailable (AccessDeniedException): judging from DescribeServices alone", "RESULT: OK"},
	},
	// Several services (the `services` output): every one is verified, the
	// one that failed is named, the worst exit code wins.
	{
		name: "services_all_deployed",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{})
			w.service("worker", 1, ecsfake.ServiceOptions{})
			return services(w.deploy("web", ecsfake.Behavior{}), w.deploy("worker", ecsfake.Behavior{}))
		},
		code: ExitOK,
		want: []string{"  web: service web, expecting web:2 (revision 2)\n", "[   0s] worker: rollout IN_PROGRESS, primary worker:2",
			"deployment web: OK: web:2 is PRIMARY", "deployment worker: OK: worker:2 is PRIMARY",
			"RESULT: OK: 2 service(s) deployed: web web:2, worker worker:2"},
	},
	{
		name: "services_one_rolled_back",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{})
			w.service("worker", 1, ecsfake.ServiceOptions{})
			return services(w.deploy("web", ecsfake.Behavior{}), w.deploy("worker", cannotPull))
		},
		code: ExitFailed,
		want: []string{"deployment web: OK", "ROLLED BACK: fargateship-dev/worker: rolled back", "RESULT: FAILED: worker: rolled back: service deployment"},
		not:  []string{"FAILED: web"},
	},
	{
		name: "services_one_at_desired_0",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{})
			w.service("worker", 0, ecsfake.ServiceOptions{})
			return services(w.deploy("web", ecsfake.Behavior{}), w.deploy("worker", ecsfake.Behavior{}))
		},
		code: ExitTimedOut,
		want: []string{"deployment web: OK", "RESULT: NOT VERIFIED: worker: desired count 0"},
	},
	{
		name: "services_worst_wins",
		setup: func(w *world) Outputs {
			w.service("web", 2, ecsfake.ServiceOptions{})
			w.service("worker", 0, ecsfake.ServiceOptions{})
			return services(w.deploy("web", crashLoop), w.deploy("worker", ecsfake.Behavior{}))
		},
		code: ExitFailed,
		want: []string{"RESULT: FAILED: web: 2 task(s) of web:2 crashed"},
	},
}

func services(web, worker string) Outputs {
	return Outputs{ClusterName: fakeCluster, Region: ecsfake.Region, Services: map[string]ServiceOutputs{
		"web":    {ServiceName: "web", TaskDefinitionArn: web},
		"worker": {ServiceName: "worker", TaskDefinitionArn: worker},
	}}
}

// noTargets is a load balancer without registered targets: 503 on every
// path.
func noTargets(t *testing.T) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "503 Service Temporarily Unavailable", http.StatusServiceUnavailable)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// countingCredentials counts how often the SDK's credentials cache asks
// for credentials.
type countingCredentials struct{ n int }

func (c *countingCredentials) Retrieve(context.Context) (aws.Credentials, error) {
	c.n++
	return aws.Credentials{AccessKeyID: "AKIDFAKE", SecretAccessKey: "secret", CanExpire: true, Expires: time.Now().Add(time.Hour)}, nil
}

// runScenario runs the verifier (Run, the defaults of the command, no
// scan) against the scenario's world, on the fake clock.
func runScenario(t *testing.T, sc scenario) (Result, string, *world) {
	t.Helper()
	clock := ecsfake.NewClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC))
	w := &world{t: t, f: ecsfake.New(clock), cw: &fakeCloudWatch{alarms: map[string]cwtypes.StateValue{}, pageSize: 100}}
	cfg := DefaultConfig()
	cfg.Outputs = sc.setup(w).Normalize()
	cfg.Clock = clock
	cfg.SkipScan = true
	cfg.URLWait = 0
	if sc.cfg != nil {
		sc.cfg(&cfg)
	}
	creds := &countingCredentials{}
	cache := aws.NewCredentialsCache(creds)
	if _, err := cache.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	res := Run(context.Background(), cfg, Clients{ECS: w.f, CloudWatch: w.cw, HTTP: &http.Client{Timeout: time.Second}, Credentials: cache}, &buf)
	t.Log("\n" + buf.String())
	if _, err := cache.Retrieve(context.Background()); err != nil {
		t.Fatal(err)
	}
	if expired := strings.Contains(buf.String(), "ExpiredTokenException"); expired != (creds.n == 2) {
		t.Errorf("credentials fetched %d times; an expired token (seen: %v) must invalidate them once", creds.n, expired)
	}
	return res, buf.String(), w
}

// Every scenario of docs/verify.md's verdict table, against the fake ECS.
func TestScenarios(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			res, out, _ := runScenario(t, sc)
			if res.Code != sc.code {
				t.Errorf("exit %d (%s), want %d", res.Code, res.Summary, sc.code)
			}
			wantLines(t, out, sc.want...)
			for _, n := range sc.not {
				if strings.Contains(out, n) {
					t.Errorf("output has %q", n)
				}
			}
			if n := strings.Count(out, "RESULT: "); n != 1 {
				t.Errorf("%d RESULT lines", n)
			}
		})
	}
}
