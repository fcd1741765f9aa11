package verify

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// A service deployment (ecs:ListServiceDeployments,
// ecs:DescribeServiceDeployments; "View service history using Amazon ECS
// service deployments", Amazon ECS Developer Guide) is ECS's record of one
// update of a service: created when the service is created, when an update
// changes a property that needs a deployment, and on every update with
// forceNewDeployment. Unlike the deployments DescribeServices lists, it
// says how the update ended, including when a rollback restored the very
// same task definition: PENDING, then IN_PROGRESS (or STOP_REQUESTED,
// ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS), then SUCCESSFUL, STOPPED,
// ROLLBACK_SUCCESSFUL or ROLLBACK_FAILED. A rollback is recorded in the
// service deployment it undoes (its `rollback` field), not as a new one.

// Limits from the ECS API reference: ListServiceDeployments maxResults is
// 1-100 (API_ListServiceDeployments); DescribeServiceDeployments and
// DescribeServiceRevisions take at most 20 ARNs
// (API_DescribeServiceDeployments, API_DescribeServiceRevisions).
const (
	maxListServiceDeployments = 100
	maxDescribeSDs            = 20
	// maxSDPages bounds the history read on each poll (ECS keeps 90 days).
	maxSDPages = 10
)

// ServiceDeploymentInfo is one service deployment as the verifier uses it.
type ServiceDeploymentInfo struct {
	Arn            string
	Status         ecstypes.ServiceDeploymentStatus
	StatusReason   string
	TaskDefinition string // of its target service revision; "" when unknown
	CreatedAt      *time.Time
	FinishedAt     *time.Time
	RollbackReason string // why it was rolled back, when it was
	CircuitBreaker string // "failures 3 of 3, TRIGGERED", when known
	AlarmsFired    []string
}

// ShortArn is the deployment's id (the last part of its ARN).
func (d *ServiceDeploymentInfo) ShortArn() string {
	return d.Arn[strings.LastIndex(d.Arn, "/")+1:]
}

// Line renders the deployment in one line for reports.
func (d *ServiceDeploymentInfo) Line() string {
	s := fmt.Sprintf("%s %s (target %s, created %s)", d.ShortArn(), d.Status, ShortTaskDef(d.TaskDefinition), fmtTime(d.CreatedAt))
	if d.StatusReason != "" {
		s += ": " + d.StatusReason
	}
	if d.RollbackReason != "" {
		s += "; rollback: " + d.RollbackReason
	}
	if d.CircuitBreaker != "" {
		s += "; circuit breaker " + d.CircuitBreaker
	}
	if len(d.AlarmsFired) > 0 {
		s += "; alarms fired: " + strings.Join(d.AlarmsFired, ", ")
	}
	return s
}

// ServiceDeployments are the service deployments that decide a verdict:
// the newest one, and the newest whose target runs the expected task
// definition ("ours"; nil when there is none). They are the same when
// nothing was deployed after ours.
type ServiceDeployments struct {
	Newest *ServiceDeploymentInfo
	Ours   *ServiceDeploymentInfo
}

// sdReader reads one service's service deployments on each poll. Service
// revisions never change, so their task definitions are kept.
type sdReader struct {
	api              ECSAPI
	cluster, service string
	revisions        map[string]string // service revision ARN -> task definition ARN ("" unknown)
	unavailable      string            // why service deployments cannot be read; "" while they can
}

func newSDReader(api ECSAPI, cluster, service string) *sdReader {
	return &sdReader{api: api, cluster: cluster, service: service, revisions: map[string]string{}}
}

// read returns the service deployments deciding the verdict for expected.
// It returns nil, nil once service deployments turned out to be
// unavailable (r.unavailable says why: the endpoint does not implement
// them, see Unsupported, or another error that is not Transient); a
// Transient error is returned as is, for the caller to try again at the
// next poll.
func (r *sdReader) read(ctx context.Context, expected string) (*ServiceDeployments, error) {
	if r.unavailable != "" {
		return nil, nil
	}
	sds, err := r.read1(ctx, expected)
	switch {
	case err == nil:
		return sds, nil
	case Unsupported(err) != "":
		r.unavailable = Unsupported(err)
	case Transient(ctx, err):
		return nil, err
	default:
		// Service deployments only sharpen the verdict: an error reading
		// them leaves the verdict to DescribeServices, and says so.
		r.unavailable = oneLine(err.Error())
	}
	return nil, nil
}

func (r *sdReader) read1(ctx context.Context, expected string) (*ServiceDeployments, error) {
	briefs, err := r.list(ctx)
	if err != nil || len(briefs) == 0 {
		return &ServiceDeployments{}, err
	}
	// Find ours: resolve target revisions newest first, at most 20 a call.
	ours := -1
	for start := 0; start < len(briefs) && ours < 0; start += maxDescribeSDs {
		chunk := briefs[start:min(start+maxDescribeSDs, len(briefs))]
		if err := r.resolveRevisions(ctx, chunk); err != nil {
			return nil, err
		}
		for i, b := range chunk {
			if td := r.revisions[aws.ToString(b.TargetServiceRevisionArn)]; td != "" && SameTaskDef(expected, td) {
				ours = start + i
				break
			}
		}
	}
	want := []string{aws.ToString(briefs[0].ServiceDeploymentArn)}
	if ours > 0 {
		want = append(want, aws.ToString(briefs[ours].ServiceDeploymentArn))
	}
	full, err := r.describe(ctx, want)
	if err != nil {
		return nil, err
	}
	info := func(b ecstypes.ServiceDeploymentBrief) *ServiceDeploymentInfo {
		d := &ServiceDeploymentInfo{
			Arn: aws.ToString(b.ServiceDeploymentArn), Status: b.Status, StatusReason: aws.ToString(b.StatusReason),
			TaskDefinition: r.revisions[aws.ToString(b.TargetServiceRevisionArn)], CreatedAt: b.CreatedAt, FinishedAt: b.FinishedAt,
		}
		// DescribeServiceDeployments has the detail; it fails (MISSING) for
		// deployments of revisions older than 25 October 2024, and then the
		// brief is all there is.
		if f, ok := full[d.Arn]; ok {
			d.Status, d.StatusReason = f.Status, aws.ToString(f.StatusReason)
			if f.Rollback != nil {
				d.RollbackReason = aws.ToString(f.Rollback.Reason)
			}
			if cb := f.DeploymentCircuitBreaker; cb != nil && (cb.FailureCount > 0 || cb.Status == ecstypes.ServiceDeploymentRollbackMonitorsStatusTriggered) {
				d.CircuitBreaker = fmt.Sprintf("failures %d of %d, %s", cb.FailureCount, cb.Threshold, cb.Status)
			}
			if a := f.Alarms; a != nil {
				d.AlarmsFired = a.TriggeredAlarmNames
			}
		}
		return d
	}
	sds := &ServiceDeployments{Newest: info(briefs[0])}
	switch {
	case ours == 0:
		sds.Ours = sds.Newest
	case ours > 0:
		sds.Ours = info(briefs[ours])
	}
	return sds, nil
}

// list reads the service's service deployments, newest first (the API
// does not document an order, so they are sorted by createdAt).
func (r *sdReader) list(ctx context.Context) ([]ecstypes.ServiceDeploymentBrief, error) {
	var all []ecstypes.ServiceDeploymentBrief
	var token *string
	for page := 0; page < maxSDPages; page++ {
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		out, err := r.api.ListServiceDeployments(cctx, &ecs.ListServiceDeploymentsInput{
			Cluster: aws.String(r.cluster), Service: aws.String(r.service),
			MaxResults: aws.Int32(maxListServiceDeployments), NextToken: token,
		})
		cancel()
		if err != nil {
			return nil, fmt.Errorf("ecs ListServiceDeployments %s/%s: %w", r.cluster, r.service, err)
		}
		all = append(all, out.ServiceDeployments...)
		token = out.NextToken
		if aws.ToString(token) == "" {
			break
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return after(all[i].CreatedAt, all[j].CreatedAt) })
	return all, nil
}

// resolveRevisions fills r.revisions for the target revisions of briefs.
func (r *sdReader) resolveRevisions(ctx context.Context, briefs []ecstypes.ServiceDeploymentBrief) error {
	var arns []string
	for _, b := range briefs {
		a := aws.ToString(b.TargetServiceRevisionArn)
		if _, ok := r.revisions[a]; !ok && a != "" {
			arns = append(arns, a)
		}
	}
	if len(arns) == 0 {
		return nil
	}
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	out, err := r.api.DescribeServiceRevisions(cctx, &ecs.DescribeServiceRevisionsInput{ServiceRevisionArns: arns})
	cancel()
	if err != nil {
		return fmt.Errorf("ecs DescribeServiceRevisions %s/%s: %w", r.cluster, r.service, err)
	}
	for _, a := range arns {
		r.revisions[a] = "" // MISSING (before 25 October 2024) stays unknown
	}
	for _, rev := range out.ServiceRevisions {
		r.revisions[aws.ToString(rev.ServiceRevisionArn)] = aws.ToString(rev.TaskDefinition)
	}
	return nil
}

func (r *sdReader) describe(ctx context.Context, arns []string) (map[string]ecstypes.ServiceDeployment, error) {
	cctx, cancel := context.WithTimeout(ctx, callTimeout)
	out, err := r.api.DescribeServiceDeployments(cctx, &ecs.DescribeServiceDeploymentsInput{ServiceDeploymentArns: arns})
	cancel()
	if err != nil {
		return nil, fmt.Errorf("ecs DescribeServiceDeployments %s/%s: %w", r.cluster, r.service, err)
	}
	m := map[string]ecstypes.ServiceDeployment{}
	for _, d := range out.ServiceDeployments {
		m[aws.ToString(d.ServiceDeploymentArn)] = d
	}
	return m, nil
}

// after reports whether a is later than b (a nil time is the earliest).
func after(a, b *time.Time) bool {
	switch {
	case a == nil:
		return false
	case b == nil:
		return true
	}
	return a.After(*b)
}
