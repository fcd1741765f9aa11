package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// ECSAPI is the part of the ECS client the verifier uses.
type ECSAPI interface {
	DescribeServices(ctx context.Context, in *ecs.DescribeServicesInput, opts ...func(*ecs.Options)) (*ecs.DescribeServicesOutput, error)
	ListTasks(ctx context.Context, in *ecs.ListTasksInput, opts ...func(*ecs.Options)) (*ecs.ListTasksOutput, error)
	DescribeTasks(ctx context.Context, in *ecs.DescribeTasksInput, opts ...func(*ecs.Options)) (*ecs.DescribeTasksOutput, error)
}

// Outcome classifies the deployment check.
type Outcome int

// Outcomes of the deployment check.
const (
	OutcomeWaiting    Outcome = iota // not settled yet
	OutcomeOK                        // PRIMARY runs the expected revision, COMPLETED, running == desired
	OutcomeRolledBack                // PRIMARY runs another revision
	OutcomeFailed                    // rollout FAILED, service inactive, ...
	OutcomeMissing                   // cluster or service does not exist
	OutcomeTimedOut                  // still waiting when the timeout passed
)

func (o Outcome) String() string {
	switch o {
	case OutcomeWaiting:
		return "waiting"
	case OutcomeOK:
		return "ok"
	case OutcomeRolledBack:
		return "rolled back"
	case OutcomeFailed:
		return "failed"
	case OutcomeMissing:
		return "missing"
	case OutcomeTimedOut:
		return "timed out"
	}
	return "unknown"
}

// Verdict is the evaluation of one observation of the service.
type Verdict struct {
	Outcome Outcome
	Reason  string
}

// PrimaryDeployment returns the service's PRIMARY deployment, or nil.
func PrimaryDeployment(svc *ecstypes.Service) *ecstypes.Deployment {
	if svc == nil {
		return nil
	}
	for i := range svc.Deployments {
		if aws.ToString(svc.Deployments[i].Status) == "PRIMARY" {
			return &svc.Deployments[i]
		}
	}
	return nil
}

// Evaluate decides, from one DescribeServices observation, whether the
// deployment of expectedTaskDef has succeeded, failed or is still going.
func Evaluate(svc *ecstypes.Service, expectedTaskDef string) Verdict {
	if svc == nil {
		return Verdict{OutcomeMissing, "service not found"}
	}
	if st := aws.ToString(svc.Status); st != "" && st != "ACTIVE" {
		return Verdict{OutcomeFailed, fmt.Sprintf("service %s is %s", aws.ToString(svc.ServiceName), st)}
	}
	primary := PrimaryDeployment(svc)
	if primary == nil {
		ctrl := "ECS"
		if svc.DeploymentController != nil {
			ctrl = string(svc.DeploymentController.Type)
		}
		if ctrl != "ECS" {
			return Verdict{OutcomeFailed, fmt.Sprintf("service uses the %s deployment controller; only ECS rolling deployments can be verified", ctrl)}
		}
		return Verdict{OutcomeWaiting, "no PRIMARY deployment yet"}
	}
	running := aws.ToString(primary.TaskDefinition)
	if !SameTaskDef(expectedTaskDef, running) {
		exp, run := ShortTaskDef(expectedTaskDef), ShortTaskDef(running)
		ef, er, eok := ParseTaskDefinitionArn(expectedTaskDef)
		rf, rr, rok := ParseTaskDefinitionArn(running)
		if eok && rok && ef == rf && rr > er {
			return Verdict{OutcomeFailed, fmt.Sprintf("PRIMARY deployment runs %s, newer than the expected %s (another deploy superseded this one)", run, exp)}
		}
		reason := fmt.Sprintf("rolled back: PRIMARY deployment runs %s, expected %s", run, exp)
		for _, d := range svc.Deployments {
			if SameTaskDef(expectedTaskDef, aws.ToString(d.TaskDefinition)) {
				reason += fmt.Sprintf(" (deployment of %s is %s %s", exp, aws.ToString(d.Status), d.RolloutState)
				if r := aws.ToString(d.RolloutStateReason); r != "" {
					reason += ": " + r
				}
				reason += ")"
				break
			}
		}
		return Verdict{OutcomeRolledBack, reason}
	}
	switch primary.RolloutState {
	case ecstypes.DeploymentRolloutStateFailed:
		reason := fmt.Sprintf("deployment of %s FAILED", ShortTaskDef(running))
		if r := aws.ToString(primary.RolloutStateReason); r != "" {
			reason += ": " + r
		}
		return Verdict{OutcomeFailed, reason}
	case ecstypes.DeploymentRolloutStateCompleted:
		if primary.RunningCount == primary.DesiredCount {
			return Verdict{OutcomeOK, fmt.Sprintf("%s is PRIMARY, rollout COMPLETED, running %d/%d", ShortTaskDef(running), primary.RunningCount, primary.DesiredCount)}
		}
	case "":
		// No rollout state (e.g. behind a Classic Load Balancer): settled when
		// the old deployments are gone and the counts match.
		if len(svc.Deployments) == 1 && primary.RunningCount == primary.DesiredCount {
			return Verdict{OutcomeOK, fmt.Sprintf("%s is the only deployment, running %d/%d", ShortTaskDef(running), primary.RunningCount, primary.DesiredCount)}
		}
	}
	return Verdict{OutcomeWaiting, ""}
}

// StateLine renders one observation for the progress output. It does not
// contain a time, so equal lines mean "no state change".
func StateLine(svc *ecstypes.Service) string {
	if svc == nil {
		return "service not found"
	}
	p := PrimaryDeployment(svc)
	if p == nil {
		return fmt.Sprintf("no PRIMARY deployment, service running %d/%d", svc.RunningCount, svc.DesiredCount)
	}
	rollout := string(p.RolloutState)
	if rollout == "" {
		rollout = "-"
	}
	s := fmt.Sprintf("rollout %s, primary %s, running %d/%d", rollout, ShortTaskDef(aws.ToString(p.TaskDefinition)), p.RunningCount, p.DesiredCount)
	if p.PendingCount > 0 {
		s += fmt.Sprintf(" (pending %d)", p.PendingCount)
	}
	if p.FailedTasks > 0 {
		s += fmt.Sprintf(", failed tasks %d", p.FailedTasks)
	}
	if n := len(svc.Deployments); n > 1 {
		s += fmt.Sprintf(", %d deployments", n)
	}
	return s
}

// WaitOptions configures WaitForDeployment.
type WaitOptions struct {
	Cluster           string
	Service           string
	TaskDefinitionArn string
	Timeout           time.Duration
	Interval          time.Duration
}

// DeployResult is the outcome of WaitForDeployment, with the last service
// observation (nil when the service was not found).
type DeployResult struct {
	Verdict
	Service *ecstypes.Service
	Elapsed time.Duration
}

// WaitForDeployment polls DescribeServices until the PRIMARY deployment runs
// opts.TaskDefinitionArn with rollout state COMPLETED and running == desired,
// or until it is clear that it will not (rolled back, failed, missing), or
// until opts.Timeout. It prints one progress line per state change.
func WaitForDeployment(ctx context.Context, api ECSAPI, opts WaitOptions, progress io.Writer) (DeployResult, error) {
	start := time.Now()
	deadline := start.Add(opts.Timeout)
	interval := opts.Interval
	if interval <= 0 {
		interval = 10 * time.Second
	}
	last := ""
	for {
		svc, err := describeService(ctx, api, opts.Cluster, opts.Service)
		var missing *missingError
		if errors.As(err, &missing) {
			return DeployResult{Verdict: Verdict{OutcomeMissing, missing.Error()}, Elapsed: time.Since(start)}, nil
		}
		if err != nil {
			return DeployResult{Elapsed: time.Since(start)}, err
		}
		elapsed := time.Since(start)
		if line := StateLine(svc); line != last {
			_, _ = fmt.Fprintf(progress, "[%5s] %s\n", elapsed.Truncate(time.Second), line)
			last = line
		}
		v := Evaluate(svc, opts.TaskDefinitionArn)
		if v.Outcome != OutcomeWaiting {
			return DeployResult{Verdict: v, Service: svc, Elapsed: elapsed}, nil
		}
		remaining := time.Until(deadline)
		if remaining <= 0 {
			reason := fmt.Sprintf("timed out after %s; last state: %s", opts.Timeout, last)
			return DeployResult{Verdict: Verdict{OutcomeTimedOut, reason}, Service: svc, Elapsed: elapsed}, nil
		}
		select {
		case <-ctx.Done():
			return DeployResult{Service: svc, Elapsed: time.Since(start)}, ctx.Err()
		case <-time.After(min(interval, remaining)):
		}
	}
}

type missingError struct{ msg string }

func (e *missingError) Error() string { return e.msg }

// callTimeout bounds each AWS call, so a hung connection cannot stretch
// -timeout.
const callTimeout = 30 * time.Second

func describeService(ctx context.Context, api ECSAPI, cluster, service string) (*ecstypes.Service, error) {
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	out, err := api.DescribeServices(ctx, &ecs.DescribeServicesInput{
		Cluster:  aws.String(cluster),
		Services: []string{service},
	})
	var cnf *ecstypes.ClusterNotFoundException
	if errors.As(err, &cnf) {
		return nil, &missingError{fmt.Sprintf("cluster %s not found", cluster)}
	}
	if err != nil {
		return nil, fmt.Errorf("ecs DescribeServices %s/%s: %w", cluster, service, err)
	}
	for i := range out.Services {
		if aws.ToString(out.Services[i].ServiceName) == service || aws.ToString(out.Services[i].ServiceArn) == service {
			return &out.Services[i], nil
		}
	}
	reason := "MISSING"
	for _, f := range out.Failures {
		if r := aws.ToString(f.Reason); r != "" {
			reason = r
		}
	}
	return nil, &missingError{fmt.Sprintf("service %s not found in cluster %s (DescribeServices: %s)", service, cluster, reason)}
}
