package verify

import (
	"context"
	"errors"
	"fmt"
	"strings"
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
	ListServiceDeployments(ctx context.Context, in *ecs.ListServiceDeploymentsInput, opts ...func(*ecs.Options)) (*ecs.ListServiceDeploymentsOutput, error)
	DescribeServiceDeployments(ctx context.Context, in *ecs.DescribeServiceDeploymentsInput, opts ...func(*ecs.Options)) (*ecs.DescribeServiceDeploymentsOutput, error)
	DescribeServiceRevisions(ctx context.Context, in *ecs.DescribeServiceRevisionsInput, opts ...func(*ecs.Options)) (*ecs.DescribeServiceRevisionsOutput, error)
}

// Outcome classifies the deployment check.
type Outcome int

// Outcomes of the deployment check.
const (
	OutcomeWaiting     Outcome = iota // not settled yet
	OutcomeOK                         // PRIMARY runs the expected revision, COMPLETED, and its tasks did not crash while it settled
	OutcomeRolledBack                 // the deployment was rolled back
	OutcomeFailed                     // rollout FAILED, tasks crashed, replaced by another deploy, service inactive, ...
	OutcomeMissing                    // cluster or service does not exist
	OutcomeTimedOut                   // still waiting when the timeout passed
	OutcomeNotVerified                // nothing can prove the revision runs (desired count 0)
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
	case OutcomeNotVerified:
		return "not verified"
	}
	return "unknown"
}

// ExitCode is the command's exit code for the outcome.
func (o Outcome) ExitCode() int {
	switch o {
	case OutcomeOK:
		return ExitOK
	case OutcomeTimedOut, OutcomeNotVerified, OutcomeWaiting:
		return ExitTimedOut
	}
	return ExitFailed
}

// Reads needed before a verdict stands. ECS is eventually consistent: the
// first DescribeServices after UpdateService can still show the deployment
// before it (kayac/ecspresso#945), so a verdict other than "waiting" must
// be seen on consecutive polls: readsEvidence when ECS says what happened
// (a FAILED rollout, a rollback, a later deployment), readsNoEvidence when
// only the PRIMARY deployment's revision disagrees.
const (
	readsEvidence   = 2
	readsNoEvidence = 3
)

// Verdict is the evaluation of one observation of the service.
type Verdict struct {
	Outcome Outcome
	Reason  string
	// Reads is how many consecutive polls must give this verdict before it
	// stands (0 or 1: at once).
	Reads int
	// Interim marks a verdict that stands but may still change for the
	// worse (a rollback under way may fail too): polling goes on until the
	// verdict is final or the deadline passes, when this one is given.
	Interim bool
}

// Observation is what one poll saw of a service: DescribeServices, and its
// service deployments when they can be read (nil otherwise).
type Observation struct {
	Service     *ecstypes.Service
	Deployments *ServiceDeployments
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

// Evaluate decides, from one observation, whether the deployment of
// expectedTaskDef has succeeded (OutcomeOK: the rollout is done, and the
// caller then watches the new tasks settle), failed, or is still going.
// The rules, from the ECS API reference (API_Deployment,
// API_ServiceDeployment) and the deployment guides:
//
//   - the service deployment of the expected revision (when they can be
//     read) ROLLBACK_* is rolled back, STOPPED failed, and any later
//     service deployment replaced it; until it is SUCCESSFUL the rollout is
//     not done, whatever DescribeServices says;
//   - a PRIMARY deployment on another revision is rolled back only with
//     evidence (a FAILED rollout of the expected revision, a rollback
//     reason), a replacement when a later deployment made it PRIMARY, and
//     otherwise only when it lasts (readsNoEvidence);
//   - desired count 0 cannot be verified: no task proves the revision
//     starts.
func Evaluate(obs Observation, expectedTaskDef string) Verdict {
	svc := obs.Service
	if svc == nil {
		return Verdict{Outcome: OutcomeMissing, Reason: "service not found"}
	}
	if st := aws.ToString(svc.Status); st != "" && st != "ACTIVE" {
		return Verdict{Outcome: OutcomeFailed, Reason: fmt.Sprintf("service %s is %s", aws.ToString(svc.ServiceName), st), Reads: readsEvidence}
	}
	primary := PrimaryDeployment(svc)
	if primary == nil {
		ctrl := "ECS"
		if svc.DeploymentController != nil {
			ctrl = string(svc.DeploymentController.Type)
		}
		if ctrl != "ECS" {
			return Verdict{Outcome: OutcomeFailed, Reason: fmt.Sprintf("service uses the %s deployment controller; only ECS rolling deployments can be verified", ctrl)}
		}
		return Verdict{Outcome: OutcomeWaiting, Reason: "no PRIMARY deployment yet"}
	}
	sdDone := true
	if sds := obs.Deployments; sds != nil {
		v, decided, done := evaluateServiceDeployments(sds, expectedTaskDef)
		if decided {
			return v
		}
		sdDone = done
	}
	running := aws.ToString(primary.TaskDefinition)
	if !SameTaskDef(expectedTaskDef, running) {
		if !sdDone {
			// The service deployment of the expected revision is under way;
			// DescribeServices has not caught up.
			return Verdict{Outcome: OutcomeWaiting, Reason: "service deployment in progress, PRIMARY not updated yet"}
		}
		return evaluateMismatch(svc, primary, expectedTaskDef, obs.Deployments != nil && obs.Deployments.Ours == nil)
	}
	short := ShortTaskDef(running)
	switch primary.RolloutState {
	case ecstypes.DeploymentRolloutStateFailed:
		reason := fmt.Sprintf("deployment of %s FAILED", short)
		if r := aws.ToString(primary.RolloutStateReason); r != "" {
			reason += ": " + r
		}
		return Verdict{Outcome: OutcomeFailed, Reason: reason, Reads: readsEvidence}
	case ecstypes.DeploymentRolloutStateCompleted:
		if primary.DesiredCount == 0 {
			return notVerifiedDesiredZero(short)
		}
		if !sdDone {
			return Verdict{Outcome: OutcomeWaiting, Reason: "rollout COMPLETED, service deployment not finished yet"}
		}
		return Verdict{Outcome: OutcomeOK, Reason: fmt.Sprintf("%s is PRIMARY, rollout COMPLETED, running %d/%d", short, primary.RunningCount, primary.DesiredCount)}
	case "":
		// No rollout state (e.g. behind a Classic Load Balancer): settled when
		// the old deployments are gone and the counts match.
		if len(svc.Deployments) == 1 && primary.DesiredCount == 0 {
			return notVerifiedDesiredZero(short)
		}
		if len(svc.Deployments) == 1 && primary.RunningCount == primary.DesiredCount && sdDone {
			return Verdict{Outcome: OutcomeOK, Reason: fmt.Sprintf("%s is the only deployment, running %d/%d", short, primary.RunningCount, primary.DesiredCount)}
		}
	}
	return Verdict{Outcome: OutcomeWaiting}
}

func notVerifiedDesiredZero(short string) Verdict {
	return Verdict{Outcome: OutcomeNotVerified, Reason: fmt.Sprintf("desired count 0: %s is PRIMARY, but no task runs it, so nothing proves it starts (a bad revision would crash-loop at the first scale-up)", short), Reads: readsEvidence}
}

// evaluateServiceDeployments applies the service deployments: decided is
// true when they settle the verdict; done is false while the service
// deployment of the expected revision has not finished.
func evaluateServiceDeployments(sds *ServiceDeployments, expected string) (v Verdict, decided, done bool) {
	ours, newest := sds.Ours, sds.Newest
	if ours == nil {
		return Verdict{}, false, true
	}
	if newest != nil && newest.Arn != ours.Arn && after(newest.CreatedAt, ours.CreatedAt) {
		what := "replaced"
		if newerRevision(newest.TaskDefinition, expected) {
			what = "superseded"
		}
		return Verdict{Outcome: OutcomeFailed, Reason: fmt.Sprintf("%s by a later deployment: service deployment %s of %s (created %s, %s) came after the one of %s (%s)",
			what, newest.ShortArn(), ShortTaskDef(newest.TaskDefinition), fmtTime(newest.CreatedAt), newest.Status, ShortTaskDef(expected), ours.Status), Reads: readsEvidence}, true, true
	}
	detail := func() string {
		s := ""
		if ours.StatusReason != "" {
			s += ": " + ours.StatusReason
		}
		if ours.RollbackReason != "" {
			s += "; rollback: " + ours.RollbackReason
		}
		return s
	}
	short := ShortTaskDef(expected)
	switch ours.Status {
	case ecstypes.ServiceDeploymentStatusRollbackRequested, ecstypes.ServiceDeploymentStatusRollbackInProgress, ecstypes.ServiceDeploymentStatusRollbackSuccessful:
		// Until it is ROLLBACK_SUCCESSFUL the rollback may fail too.
		return Verdict{Outcome: OutcomeRolledBack, Reason: fmt.Sprintf("rolled back: service deployment %s of %s is %s%s", ours.ShortArn(), short, ours.Status, detail()),
			Reads: readsEvidence, Interim: ours.Status != ecstypes.ServiceDeploymentStatusRollbackSuccessful}, true, true
	case ecstypes.ServiceDeploymentStatusRollbackFailed:
		return Verdict{Outcome: OutcomeFailed, Reason: fmt.Sprintf("rollback FAILED: service deployment %s of %s is ROLLBACK_FAILED%s", ours.ShortArn(), short, detail()), Reads: readsEvidence}, true, true
	case ecstypes.ServiceDeploymentStatusStopped:
		return Verdict{Outcome: OutcomeFailed, Reason: fmt.Sprintf("service deployment %s of %s STOPPED%s (failed with no rollback, or stopped by hand)", ours.ShortArn(), short, detail()), Reads: readsEvidence}, true, true
	case ecstypes.ServiceDeploymentStatusSuccessful:
		return Verdict{}, false, true
	}
	return Verdict{}, false, false
}

// newerRevision reports whether td is a later revision of expected's
// family.
func newerRevision(td, expected string) bool {
	ef, er, eok := ParseTaskDefinitionArn(expected)
	rf, rr, rok := ParseTaskDefinitionArn(td)
	return eok && rok && ef == rf && rr > er
}

// rollbackWords are what ECS writes in a deployment's rolloutStateReason
// and in service events when it rolls back (the circuit breaker: "ECS
// deployment circuit breaker: rolling back to deploymentId ecs-svc/..."; the
// deployment alarms likewise).
func mentionsRollback(s string) bool {
	s = strings.ToLower(s)
	return strings.Contains(s, "rolling back") || strings.Contains(s, "rollback") || strings.Contains(s, "rolled back")
}

// evaluateMismatch names a PRIMARY deployment on another revision for what
// it is. noSD is true when the service deployments were read and none of
// them targets the expected revision.
func evaluateMismatch(svc *ecstypes.Service, primary *ecstypes.Deployment, expected string, noSD bool) Verdict {
	running := aws.ToString(primary.TaskDefinition)
	run, exp := ShortTaskDef(running), ShortTaskDef(expected)
	created := ""
	if primary.CreatedAt != nil {
		created = ", created " + fmtTime(primary.CreatedAt)
	}
	why := ""
	if r := aws.ToString(primary.RolloutStateReason); r != "" {
		why = "; its rollout: " + r
	}
	if newerRevision(running, expected) {
		return Verdict{Outcome: OutcomeFailed, Reason: fmt.Sprintf("superseded: PRIMARY deployment runs %s%s, newer than the expected %s (another deploy superseded this one)%s", run, created, exp, why), Reads: readsEvidence}
	}
	var mine *ecstypes.Deployment
	for i := range svc.Deployments {
		if d := &svc.Deployments[i]; d != primary && SameTaskDef(expected, aws.ToString(d.TaskDefinition)) {
			mine = d
			break
		}
	}
	mineState := ""
	if mine != nil {
		mineState = fmt.Sprintf(" (deployment of %s is %s %s", exp, aws.ToString(mine.Status), mine.RolloutState)
		if r := aws.ToString(mine.RolloutStateReason); r != "" {
			mineState += ": " + r
		}
		mineState += ")"
	}
	evidence := mentionsRollback(aws.ToString(primary.RolloutStateReason)) ||
		(mine != nil && (mine.RolloutState == ecstypes.DeploymentRolloutStateFailed || mentionsRollback(aws.ToString(mine.RolloutStateReason))))
	switch {
	case primary.RolloutState == ecstypes.DeploymentRolloutStateFailed && evidence:
		return Verdict{Outcome: OutcomeFailed, Reason: fmt.Sprintf("rollback FAILED: the rollback to %s%s FAILED too%s%s", run, created, why, mineState), Reads: readsEvidence}
	case evidence:
		// Until the rollback's own rollout is COMPLETED it may fail too.
		return Verdict{Outcome: OutcomeRolledBack, Reason: fmt.Sprintf("rolled back: PRIMARY deployment runs %s, expected %s%s", run, exp, mineState),
			Reads: readsEvidence, Interim: primary.RolloutState == ecstypes.DeploymentRolloutStateInProgress}
	case mine != nil && after(primary.CreatedAt, mine.CreatedAt):
		return Verdict{Outcome: OutcomeFailed, Reason: fmt.Sprintf("replaced by a later deployment: PRIMARY deployment runs %s%s, expected %s: a manual downgrade or another deploy%s%s", run, created, exp, why, mineState), Reads: readsEvidence}
	case noSD:
		return Verdict{Outcome: OutcomeFailed, Reason: fmt.Sprintf("not deployed: PRIMARY deployment runs %s%s, expected %s, and ECS has no service deployment of %s", run, created, exp, exp), Reads: readsNoEvidence}
	}
	return Verdict{Outcome: OutcomeRolledBack, Reason: fmt.Sprintf("rolled back: PRIMARY deployment runs %s, expected %s (no deployment of %s is left to tell a rollback from a manual downgrade)", run, exp, exp), Reads: readsNoEvidence}
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

type missingError struct{ msg string }

func (e *missingError) Error() string { return e.msg }

// callTimeout bounds each AWS call, so a hung connection cannot stretch
// -timeout.
const callTimeout = 30 * time.Second

// maxDescribeServices is DescribeServices' limit: "You may specify up to 10
// services to describe" (API_DescribeServices).
const maxDescribeServices = 10

// describeServices reads services of cluster, 10 a call. A service ECS
// does not return is absent from the map, with its failure reason in
// reasons; a missing cluster is a *missingError.
func describeServices(ctx context.Context, api ECSAPI, cluster string, services []string) (map[string]*ecstypes.Service, map[string]string, error) {
	found := map[string]*ecstypes.Service{}
	reasons := map[string]string{}
	for start := 0; start < len(services); start += maxDescribeServices {
		chunk := services[start:min(start+maxDescribeServices, len(services))]
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		out, err := api.DescribeServices(cctx, &ecs.DescribeServicesInput{Cluster: aws.String(cluster), Services: chunk})
		cancel()
		var cnf *ecstypes.ClusterNotFoundException
		if errors.As(err, &cnf) {
			return nil, nil, &missingError{fmt.Sprintf("cluster %s not found", cluster)}
		}
		if err != nil {
			return nil, nil, fmt.Errorf("ecs DescribeServices %s/%s: %w", cluster, strings.Join(chunk, ","), err)
		}
		for i := range out.Services {
			s := &out.Services[i]
			for _, want := range chunk {
				if aws.ToString(s.ServiceName) == want || aws.ToString(s.ServiceArn) == want {
					found[want] = s
				}
			}
		}
		for _, f := range out.Failures {
			arn := aws.ToString(f.Arn)
			for _, want := range chunk {
				if arn == want || strings.HasSuffix(arn, "/"+want) {
					reasons[want] = aws.ToString(f.Reason)
				}
			}
		}
	}
	return found, reasons, nil
}
