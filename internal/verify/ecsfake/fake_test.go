package ecsfake_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"

	"github.com/fargateship/fargateship/internal/verify/ecsfake"
)

var ctx = context.Background()

func newFake() *ecsfake.Fake {
	return ecsfake.New(ecsfake.NewClock(time.Date(2026, 11, 27, 10, 0, 0, 0, time.UTC)))
}

func describe(t *testing.T, f *ecsfake.Fake) ecstypes.Service {
	t.Helper()
	out, err := f.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"web"}})
	if err != nil || len(out.Services) != 1 {
		t.Fatalf("DescribeServices: %v %+v", err, out)
	}
	return out.Services[0]
}

func primary(s ecstypes.Service) ecstypes.Deployment {
	for _, d := range s.Deployments {
		if aws.ToString(d.Status) == "PRIMARY" {
			return d
		}
	}
	return ecstypes.Deployment{}
}

func sds(t *testing.T, f *ecsfake.Fake) []ecstypes.ServiceDeploymentBrief {
	t.Helper()
	out, err := f.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String("c"), Service: aws.String("web"), MaxResults: aws.Int32(100)})
	if err != nil {
		t.Fatal(err)
	}
	return out.ServiceDeployments
}

// steady creates service web (desired tasks of a good revision 1, circuit
// breaker with rollback) and lets it reach a steady state.
func steady(t *testing.T, desired int32) (*ecsfake.Fake, string) {
	f := newFake()
	td1 := f.RegisterTaskDefinition("web", ecsfake.Behavior{})
	f.CreateService("c", "web", td1, desired, ecsfake.ServiceOptions{CircuitBreaker: true, Rollback: true})
	f.Clock.Advance(10 * time.Minute)
	if p := primary(describe(t, f)); p.RolloutState != ecstypes.DeploymentRolloutStateCompleted || p.RunningCount != desired {
		t.Fatalf("first deployment: %+v", p)
	}
	return f, td1
}

// A good update: a new PRIMARY IN_PROGRESS beside the ACTIVE one, then
// COMPLETED alone, its service deployment SUCCESSFUL, and the events.
func TestRollout(t *testing.T) {
	f, td1 := steady(t, 2)
	td2 := f.RegisterTaskDefinition("web", ecsfake.Behavior{StartDelay: 30 * time.Second})
	f.UpdateService("c", "web", ecsfake.Update{TaskDefinition: td2})
	f.Clock.Advance(10 * time.Second)
	s := describe(t, f)
	if len(s.Deployments) != 2 || aws.ToString(primary(s).TaskDefinition) != td2 || primary(s).RolloutState != ecstypes.DeploymentRolloutStateInProgress ||
		aws.ToString(s.Deployments[1].Status) != "ACTIVE" || aws.ToString(s.Deployments[1].TaskDefinition) != td1 || primary(s).PendingCount != 2 {
		t.Fatalf("during the rollout: %+v", s.Deployments)
	}
	if b := sds(t, f); len(b) != 2 || b[0].Status != ecstypes.ServiceDeploymentStatusInProgress || b[1].Status != ecstypes.ServiceDeploymentStatusSuccessful {
		t.Fatalf("service deployments: %+v", b)
	}
	f.Clock.Advance(time.Minute)
	s = describe(t, f)
	if len(s.Deployments) != 1 || primary(s).RolloutState != ecstypes.DeploymentRolloutStateCompleted || primary(s).RunningCount != 2 ||
		!strings.HasSuffix(aws.ToString(primary(s).RolloutStateReason), " completed.") {
		t.Fatalf("after the rollout: %+v", s.Deployments)
	}
	if b := sds(t, f); b[0].Status != ecstypes.ServiceDeploymentStatusSuccessful || b[0].FinishedAt == nil {
		t.Fatalf("service deployment: %+v", b[0])
	}
	if msg := aws.ToString(s.Events[0].Message); msg != "(service web) has reached a steady state." {
		t.Errorf("newest event %q", msg)
	}
}

// The circuit breaker's threshold is 0.5 × desired within [3, 200].
func TestCircuitBreakerThreshold(t *testing.T) {
	for _, tc := range []struct{ desired, want int32 }{{1, 3}, {4, 3}, {7, 4}, {10, 5}, {500, 200}} {
		t.Run(fmt.Sprint(tc.desired), func(t *testing.T) {
			f, _ := steady(t, tc.desired)
			bad := f.RegisterTaskDefinition("web", ecsfake.Behavior{FailToStart: "CannotPullContainerError: pull image manifest has been retried 5 time(s)", StartDelay: 5 * time.Second})
			f.UpdateService("c", "web", ecsfake.Update{TaskDefinition: bad})
			var failedAt int32
			for range 400 {
				f.Clock.Advance(time.Second)
				s := describe(t, f)
				var mine ecstypes.Deployment
				for _, d := range s.Deployments {
					if aws.ToString(d.TaskDefinition) == bad {
						mine = d
					}
				}
				if mine.RolloutState == ecstypes.DeploymentRolloutStateFailed {
					failedAt = mine.FailedTasks
					break
				}
			}
			if failedAt != tc.want {
				t.Errorf("FAILED with %d failed tasks, want %d", failedAt, tc.want)
			}
		})
	}
}

// Once a task of a deployment reached RUNNING, its failedTasks is 0 and
// no longer counted: tasks that crash after RUNNING never trip the
// breaker, and the rollout completes.
func TestFailedTasksResetOnceRunning(t *testing.T) {
	f, _ := steady(t, 2)
	crashy := f.RegisterTaskDefinition("web", ecsfake.Behavior{CrashAfter: 30 * time.Second, ExitCode: 1})
	f.UpdateService("c", "web", ecsfake.Update{TaskDefinition: crashy})
	f.Clock.Advance(10 * time.Minute)
	p := primary(describe(t, f))
	if p.RolloutState != ecstypes.DeploymentRolloutStateCompleted || p.FailedTasks != 0 || aws.ToString(p.TaskDefinition) != crashy {
		t.Fatalf("PRIMARY = %+v", p)
	}
	list, err := f.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), ServiceName: aws.String("web"), DesiredStatus: ecstypes.DesiredStatusStopped})
	if err != nil {
		t.Fatal(err)
	}
	desc, err := f.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: list.TaskArns})
	if err != nil {
		t.Fatal(err)
	}
	crashes := 0
	for _, tk := range desc.Tasks {
		if tk.StopCode == ecstypes.TaskStopCodeEssentialContainerExited && aws.ToString(tk.StartedBy) == aws.ToString(p.Id) &&
			*tk.Containers[0].ExitCode == 1 && aws.ToString(tk.Group) == "service:web" {
			crashes++
		}
	}
	if crashes < 10 {
		t.Errorf("%d crashed tasks of the PRIMARY deployment after 10 minutes, want a crash loop", crashes)
	}
}

// With rollback, a FAILED deployment makes a new PRIMARY of the last
// COMPLETED revision; the service deployment goes ROLLBACK_IN_PROGRESS
// then ROLLBACK_SUCCESSFUL with its rollback field. Without rollback it is
// STOPPED and the FAILED deployment stays PRIMARY. A rollback that fails
// too is ROLLBACK_FAILED.
func TestRollback(t *testing.T) {
	bad := ecsfake.Behavior{FailToStart: "CannotPullContainerError: ref not found", StartDelay: 5 * time.Second}
	t.Run("rolled back", func(t *testing.T) {
		f, td1 := steady(t, 2)
		td2 := f.RegisterTaskDefinition("web", bad)
		f.UpdateService("c", "web", ecsfake.Update{TaskDefinition: td2})
		f.Clock.Advance(20 * time.Second)
		s := describe(t, f)
		if p := primary(s); aws.ToString(p.TaskDefinition) != td1 || p.RolloutState != ecstypes.DeploymentRolloutStateInProgress ||
			!strings.Contains(aws.ToString(p.RolloutStateReason), "rolling back") || len(s.Deployments) != 3 {
			t.Fatalf("rolling back: %+v", s.Deployments)
		}
		if b := sds(t, f); b[0].Status != ecstypes.ServiceDeploymentStatusRollbackInProgress {
			t.Fatalf("service deployment %s", b[0].Status)
		}
		f.Clock.Advance(time.Minute)
		s = describe(t, f)
		if p := primary(s); aws.ToString(p.TaskDefinition) != td1 || p.RolloutState != ecstypes.DeploymentRolloutStateCompleted || len(s.Deployments) != 1 {
			t.Fatalf("rolled back: %+v", s.Deployments)
		}
		b := sds(t, f)
		full, err := f.DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: []string{*b[0].ServiceDeploymentArn}})
		if err != nil {
			t.Fatal(err)
		}
		d := full.ServiceDeployments[0]
		if d.Status != ecstypes.ServiceDeploymentStatusRollbackSuccessful || d.Rollback == nil || d.DeploymentCircuitBreaker.FailureCount != 3 ||
			d.DeploymentCircuitBreaker.Status != ecstypes.ServiceDeploymentRollbackMonitorsStatusTriggered {
			t.Errorf("service deployment %s rollback %+v circuit breaker %+v", d.Status, d.Rollback, *d.DeploymentCircuitBreaker)
		}
		revs, err := f.DescribeServiceRevisions(ctx, &ecs.DescribeServiceRevisionsInput{ServiceRevisionArns: []string{*d.TargetServiceRevision.Arn, *d.Rollback.ServiceRevisionArn}})
		if err != nil || aws.ToString(revs.ServiceRevisions[0].TaskDefinition) != td2 || aws.ToString(revs.ServiceRevisions[1].TaskDefinition) != td1 {
			t.Errorf("revisions %v %+v", err, revs)
		}
	})
	t.Run("no rollback", func(t *testing.T) {
		f := newFake()
		td1 := f.RegisterTaskDefinition("web", ecsfake.Behavior{})
		f.CreateService("c", "web", td1, 2, ecsfake.ServiceOptions{CircuitBreaker: true})
		f.Clock.Advance(time.Minute)
		td2 := f.RegisterTaskDefinition("web", bad)
		f.UpdateService("c", "web", ecsfake.Update{TaskDefinition: td2})
		f.Clock.Advance(2 * time.Minute)
		p := primary(describe(t, f))
		if aws.ToString(p.TaskDefinition) != td2 || p.RolloutState != ecstypes.DeploymentRolloutStateFailed {
			t.Fatalf("PRIMARY %+v", p)
		}
		if b := sds(t, f); b[0].Status != ecstypes.ServiceDeploymentStatusStopped {
			t.Errorf("service deployment %s", b[0].Status)
		}
	})
	t.Run("rollback fails", func(t *testing.T) {
		f, td1 := steady(t, 2)
		f.SetBehavior(td1, bad)
		td2 := f.RegisterTaskDefinition("web", bad)
		f.UpdateService("c", "web", ecsfake.Update{TaskDefinition: td2})
		f.Clock.Advance(2 * time.Minute)
		p := primary(describe(t, f))
		if aws.ToString(p.TaskDefinition) != td1 || p.RolloutState != ecstypes.DeploymentRolloutStateFailed {
			t.Fatalf("PRIMARY %+v", p)
		}
		if b := sds(t, f); b[0].Status != ecstypes.ServiceDeploymentStatusRollbackFailed {
			t.Errorf("service deployment %s", b[0].Status)
		}
	})
	t.Run("same revision, forced", func(t *testing.T) {
		f, td1 := steady(t, 2)
		f.UpdateService("c", "web", ecsfake.Update{ForceNewDeployment: true, StartFailure: "ResourceInitializationError: unable to pull secrets or registry auth"})
		f.Clock.Advance(2 * time.Minute)
		s := describe(t, f)
		if p := primary(s); aws.ToString(p.TaskDefinition) != td1 || p.RolloutState != ecstypes.DeploymentRolloutStateCompleted || len(s.Deployments) != 1 {
			t.Fatalf("after: %+v", s.Deployments)
		}
		if b := sds(t, f); len(b) != 2 || b[0].Status != ecstypes.ServiceDeploymentStatusRollbackSuccessful {
			t.Errorf("service deployments %+v", b)
		}
	})
}

// The first reads after UpdateService may answer from before it.
func TestStaleReads(t *testing.T) {
	f, td1 := steady(t, 1)
	f.StaleReads = 1
	td2 := f.RegisterTaskDefinition("web", ecsfake.Behavior{})
	f.UpdateService("c", "web", ecsfake.Update{TaskDefinition: td2})
	if got := aws.ToString(primary(describe(t, f)).TaskDefinition); got != td1 {
		t.Errorf("first read: PRIMARY %s, want the stale %s", got, td1)
	}
	if got := aws.ToString(primary(describe(t, f)).TaskDefinition); got != td2 {
		t.Errorf("second read: PRIMARY %s, want %s", got, td2)
	}
	if n := len(sds(t, f)); n != 1 {
		t.Errorf("first ListServiceDeployments: %d, want the stale 1", n)
	}
	if n := len(sds(t, f)); n != 2 {
		t.Errorf("second ListServiceDeployments: %d, want 2", n)
	}
}

// Paging: every item once, in pages of maxResults; the documented limits.
func TestPagingAndLimits(t *testing.T) {
	f, td1 := steady(t, 1)
	f.AddStoppedTasks("c", "web", td1, 250)
	var all []string
	var token *string
	pages := 0
	for {
		out, err := f.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), ServiceName: aws.String("web"), DesiredStatus: ecstypes.DesiredStatusStopped, NextToken: token})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		all = append(all, out.TaskArns...)
		if token = out.NextToken; token == nil {
			break
		}
	}
	seen := map[string]bool{}
	for _, a := range all {
		seen[a] = true
	}
	if pages != 3 || len(all) != 250 || len(seen) != 250 {
		t.Errorf("%d pages, %d tasks (%d distinct), want 3, 250", pages, len(all), len(seen))
	}
	f.Clock.Advance(61 * time.Minute)
	out, _ := f.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), DesiredStatus: ecstypes.DesiredStatusStopped})
	if len(out.TaskArns) != 0 {
		t.Errorf("%d stopped tasks listed after an hour", len(out.TaskArns))
	}
	var ip *ecstypes.InvalidParameterException
	for name, err := range map[string]error{
		"ListTasks maxResults 101":            call(f.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), MaxResults: aws.Int32(101)})),
		"ListTasks startedBy and serviceName": call(f.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), ServiceName: aws.String("web"), StartedBy: aws.String("x")})),
		"DescribeTasks 101":                   call(f.DescribeTasks(ctx, &ecs.DescribeTasksInput{Cluster: aws.String("c"), Tasks: make([]string, 101)})),
		"DescribeServices 11":                 call(f.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: make([]string, 11)})),
		"DescribeServiceDeployments 21":       call(f.DescribeServiceDeployments(ctx, &ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: make([]string, 21)})),
		"ListServiceDeployments maxResults 0": call(f.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Service: aws.String("web"), Cluster: aws.String("c"), MaxResults: aws.Int32(0)})),
	} {
		if !errors.As(err, &ip) {
			t.Errorf("%s: %v, want InvalidParameterException", name, err)
		}
	}
}

func call[T any](_ T, err error) error { return err }

// Injected errors have the SDK's shape: an OperationError naming the
// operation, the HTTP status, the API error code, and for retried errors
// the SDK's MaxAttemptsError.
func TestFaults(t *testing.T) {
	f, _ := steady(t, 1)
	f.FailNext("DescribeServices", ecsfake.Throttling("DescribeServices"), ecsfake.ServerError("DescribeServices", 503))
	f.SetNotImplemented("ListServiceDeployments")
	_, err1 := f.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"web"}})
	_, err2 := f.DescribeServices(ctx, &ecs.DescribeServicesInput{Cluster: aws.String("c"), Services: []string{"web"}})
	_, err3 := f.ListServiceDeployments(ctx, &ecs.ListServiceDeploymentsInput{Cluster: aws.String("c"), Service: aws.String("web")})
	describe(t, f) // the faults are used up
	var oe *smithy.OperationError
	var ae smithy.APIError
	var ma *retry.MaxAttemptsError
	var status interface{ HTTPStatusCode() int }
	if !errors.As(err1, &oe) || oe.OperationName != "DescribeServices" || !errors.As(err1, &ae) || ae.ErrorCode() != "ThrottlingException" || !errors.As(err1, &ma) {
		t.Errorf("throttling: %v", err1)
	}
	if !errors.As(err2, &status) || status.HTTPStatusCode() != 503 {
		t.Errorf("503: %v", err2)
	}
	if !errors.As(err3, &status) || status.HTTPStatusCode() != 500 || errors.As(err3, &ae) {
		t.Errorf("not implemented: %v", err3)
	}
}

// Services share a cluster but not their tasks: one service's rollout
// stops only its own old tasks.
func TestServicesShareACluster(t *testing.T) {
	f, _ := steady(t, 2)
	w1 := f.RegisterTaskDefinition("worker", ecsfake.Behavior{})
	f.CreateService("c", "worker", w1, 1, ecsfake.ServiceOptions{CircuitBreaker: true, Rollback: true})
	f.Clock.Advance(time.Minute)
	f.UpdateService("c", "worker", ecsfake.Update{TaskDefinition: f.RegisterTaskDefinition("worker", ecsfake.Behavior{})})
	f.Clock.Advance(time.Minute)
	if p := primary(describe(t, f)); p.RunningCount != 2 {
		t.Errorf("web runs %d of 2 after worker's rollout", p.RunningCount)
	}
	out, err := f.ListTasks(ctx, &ecs.ListTasksInput{Cluster: aws.String("c"), ServiceName: aws.String("web"), DesiredStatus: ecstypes.DesiredStatusStopped})
	if err != nil || len(out.TaskArns) != 0 {
		t.Errorf("web has stopped tasks: %v %v", err, out.TaskArns)
	}
}
