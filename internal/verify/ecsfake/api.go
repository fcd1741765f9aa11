package ecsfake

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// begin is the start of every API call: the simulation catches up with the
// clock, and an injected fault, if any, is returned.
func (f *Fake) begin(op string) error {
	f.calls[op]++
	f.advance()
	if f.notImplemented[op] {
		return NotImplemented(op)
	}
	if q := f.faults[op]; len(q) > 0 {
		f.faults[op] = q[1:]
		return q[0]
	}
	return nil
}

// enter is the rest of a call's start for calls on a cluster: n items
// where the API takes at most limit (0: no limit), and the cluster.
func (f *Fake) enter(op string, clusterName *string, n, limit int, items string) (*cluster, error) {
	if err := f.begin(op); err != nil {
		return nil, err
	}
	if limit > 0 && (n == 0 || n > limit) {
		return nil, invalidParameter(op, fmt.Sprintf("%s can have at most %d items", items, limit))
	}
	c := f.cluster(clusterName)
	if c == nil {
		return nil, clusterNotFound(op)
	}
	return c, nil
}

func (f *Fake) cluster(name *string) *cluster {
	n := aws.ToString(name)
	if n == "" {
		n = "default"
	}
	if i := strings.LastIndex(n, "/"); i >= 0 {
		n = n[i+1:]
	}
	return f.clusters[n]
}

func (c *cluster) service(name string) *service {
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	return c.services[name]
}

// DescribeServices answers at most 10 services (API_DescribeServices); an
// unknown one is a failure with reason MISSING.
func (f *Fake) DescribeServices(_ context.Context, in *ecs.DescribeServicesInput, _ ...func(*ecs.Options)) (*ecs.DescribeServicesOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, err := f.enter("DescribeServices", in.Cluster, len(in.Services), 10, "services")
	if err != nil {
		return nil, err
	}
	out := &ecs.DescribeServicesOutput{}
	for _, name := range in.Services {
		s := c.service(name)
		switch {
		case s == nil:
			out.Failures = append(out.Failures, ecstypes.Failure{Arn: ptr(f.arn("service", c.name+"/"+name)), Reason: ptr("MISSING")})
		case s.stale != nil && s.stale.svcReads > 0:
			s.stale.svcReads--
			out.Services = append(out.Services, s.stale.service)
		default:
			out.Services = append(out.Services, f.viewService(s))
		}
	}
	return out, nil
}

func (f *Fake) viewService(s *service) ecstypes.Service {
	v := ecstypes.Service{
		ServiceName: ptr(s.name), ServiceArn: ptr(f.arn("service", s.cluster.name+"/"+s.name)),
		ClusterArn: ptr(f.arn("cluster", s.cluster.name)), Status: ptr("ACTIVE"), CreatedAt: ptr(s.createdAt),
		DesiredCount: s.desired, LaunchType: ecstypes.LaunchTypeFargate,
		DeploymentController: &ecstypes.DeploymentController{Type: ecstypes.DeploymentControllerTypeEcs},
		DeploymentConfiguration: &ecstypes.DeploymentConfiguration{
			DeploymentCircuitBreaker: ptr(s.circuit), MaximumPercent: ptr(int32(200)), MinimumHealthyPercent: ptr(int32(100)),
		},
		Events: append([]ecstypes.ServiceEvent(nil), s.events...),
	}
	if len(s.alarms) > 0 {
		v.DeploymentConfiguration.Alarms = &ecstypes.DeploymentAlarms{AlarmNames: s.alarms, Enable: true, Rollback: true}
	}
	if n := len(s.sds); n > 0 {
		v.CurrentServiceDeployment = ptr(s.sds[n-1].arn)
	}
	for _, d := range s.deployments {
		running := f.running(d, false)
		pending := f.live(s, d) - running
		v.Deployments = append(v.Deployments, ecstypes.Deployment{
			Id: ptr(d.id), Status: ptr(d.status), TaskDefinition: ptr(d.rev.taskDef),
			DesiredCount: d.desired, RunningCount: running, PendingCount: pending, FailedTasks: d.failedTasks,
			RolloutState: d.rollout, RolloutStateReason: ptr(d.reason),
			CreatedAt: ptr(d.createdAt), UpdatedAt: ptr(d.updatedAt), LaunchType: ecstypes.LaunchTypeFargate,
		})
		v.RunningCount += running
		v.PendingCount += pending
		if d.status == "PRIMARY" {
			v.TaskDefinition = ptr(d.rev.taskDef)
		}
	}
	return v
}

// page returns items[start:start+size] of a list answered in pages, and
// the next token ("" at the end). Tokens are opaque to callers.
func page[T any](items []T, token *string, size int) ([]T, *string, error) {
	start := 0
	if t := aws.ToString(token); t != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(t, "fake-page-"))
		if err != nil || !strings.HasPrefix(t, "fake-page-") || n < 0 || n > len(items) {
			return nil, nil, fmt.Errorf("invalid nextToken %q", t)
		}
		start = n
	}
	end := min(start+size, len(items))
	var next *string
	if end < len(items) {
		next = ptr(fmt.Sprintf("fake-page-%d", end))
	}
	return items[start:end], next, nil
}

func maxResults(op string, in *int32, def int) (int, error) {
	if in == nil {
		return def, nil
	}
	if *in < 1 || *in > 100 {
		return 0, invalidParameter(op, "maxResults must be between 1 and 100")
	}
	return int(*in), nil
}

// ListTasks filters by service, family and desired status (RUNNING by
// default); "When you specify startedBy as the filter, it must be the only
// filter that you use" (API_ListTasks). Stopped tasks are listed for an
// hour. At most maxResults (1-100, default 100) a page.
func (f *Fake) ListTasks(_ context.Context, in *ecs.ListTasksInput, _ ...func(*ecs.Options)) (*ecs.ListTasksOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	const op = "ListTasks"
	c, err := f.enter(op, in.Cluster, 0, 0, "")
	if err != nil {
		return nil, err
	}
	size, err := maxResults(op, in.MaxResults, 100)
	if err != nil {
		return nil, err
	}
	if in.StartedBy != nil && (in.ServiceName != nil || in.Family != nil || in.ContainerInstance != nil) {
		return nil, invalidParameter(op, "startedBy must be the only filter")
	}
	status := in.DesiredStatus
	if status == "" {
		status = ecstypes.DesiredStatusRunning
	}
	var svc *service
	if in.ServiceName != nil {
		if svc = c.service(*in.ServiceName); svc == nil {
			return nil, serviceNotFound(op)
		}
	}
	var arns []string
	// Newest first.
	for i := len(c.tasks) - 1; i >= 0; i-- {
		t := c.tasks[i]
		stopped := t.stoppedAt != nil
		switch {
		case stopped != (status == ecstypes.DesiredStatusStopped):
		case stopped && f.now.Sub(*t.stoppedAt) > stoppedTaskRetention:
		case svc != nil && !svc.owns(t):
		case in.Family != nil && !strings.Contains(t.taskDef, "/"+*in.Family+":"):
		case in.StartedBy != nil && t.startedBy() != *in.StartedBy:
		default:
			arns = append(arns, t.arn)
		}
	}
	items, next, err := page(arns, in.NextToken, size)
	if err != nil {
		return nil, invalidParameter(op, err.Error())
	}
	return &ecs.ListTasksOutput{TaskArns: items, NextToken: next}, nil
}

func (s *service) owns(t *task) bool { return t.service == s.name }

func (t *task) startedBy() string {
	if t.dep == nil {
		return ""
	}
	return t.dep.id
}

func (t *task) group() string { return "service:" + t.service }

// DescribeTasks describes at most 100 tasks (API_DescribeTasks); unknown
// ones are failures with reason MISSING.
func (f *Fake) DescribeTasks(_ context.Context, in *ecs.DescribeTasksInput, _ ...func(*ecs.Options)) (*ecs.DescribeTasksOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c, err := f.enter("DescribeTasks", in.Cluster, len(in.Tasks), 100, "tasks")
	if err != nil {
		return nil, err
	}
	out := &ecs.DescribeTasksOutput{}
	for _, arn := range in.Tasks {
		var found *task
		for _, t := range c.tasks {
			if t.arn == arn || taskID(t.arn) == arn {
				found = t
			}
		}
		if found == nil || f.dropDescribe > 0 {
			if found != nil {
				f.dropDescribe--
			}
			out.Failures = append(out.Failures, ecstypes.Failure{Arn: ptr(arn), Reason: ptr("MISSING")})
			continue
		}
		out.Tasks = append(out.Tasks, f.viewTask(c, found))
	}
	return out, nil
}

func (f *Fake) viewTask(c *cluster, t *task) ecstypes.Task {
	desired, last := "RUNNING", t.last
	if t.stoppedAt != nil {
		desired = "STOPPED"
	}
	ctr := ecstypes.Container{
		Name: ptr("app"), LastStatus: ptr(last), ExitCode: t.exitCode, TaskArn: ptr(t.arn),
		Cpu: ptr("256"), Memory: ptr("512"),
	}
	if t.containerR != "" {
		ctr.Reason = ptr(strings.SplitN(t.containerR, ":", 2)[0])
	}
	if t.behavior.HealthCheck {
		ctr.HealthStatus = t.health
		if ctr.HealthStatus == "" {
			ctr.HealthStatus = ecstypes.HealthStatusUnknown
		}
	}
	v := ecstypes.Task{
		TaskArn: ptr(t.arn), ClusterArn: ptr(f.arn("cluster", c.name)), TaskDefinitionArn: ptr(t.taskDef),
		LastStatus: ptr(last), DesiredStatus: ptr(desired), CreatedAt: ptr(t.createdAt), StartedAt: t.startedAt,
		StoppedAt: t.stoppedAt, StopCode: t.stopCode, Group: ptr(t.group()), StartedBy: ptr(t.startedBy()),
		LaunchType: ecstypes.LaunchTypeFargate, Containers: []ecstypes.Container{ctr}, HealthStatus: ctr.HealthStatus,
	}
	if v.HealthStatus == "" {
		v.HealthStatus = ecstypes.HealthStatusUnknown
	}
	if t.reason != "" {
		v.StoppedReason = ptr(t.reason)
		v.StoppingAt = t.stoppedAt
	}
	return v
}

// ListServiceDeployments lists a service's service deployments, newest
// first, at most maxResults (1-100, default 20) a page
// (API_ListServiceDeployments).
func (f *Fake) ListServiceDeployments(_ context.Context, in *ecs.ListServiceDeploymentsInput, _ ...func(*ecs.Options)) (*ecs.ListServiceDeploymentsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	const op = "ListServiceDeployments"
	c, err := f.enter(op, in.Cluster, 0, 0, "")
	if err != nil {
		return nil, err
	}
	size, err := maxResults(op, in.MaxResults, 20)
	if err != nil {
		return nil, err
	}
	if in.Service == nil {
		return nil, invalidParameter(op, "service is required")
	}
	s := c.service(*in.Service)
	if s == nil {
		return nil, serviceNotFound(op)
	}
	briefs := f.viewBriefs(s)
	if s.stale != nil && s.stale.sdReads > 0 {
		if in.NextToken == nil {
			s.stale.sdReads--
		}
		briefs = s.stale.sds
	}
	var kept []ecstypes.ServiceDeploymentBrief
	for _, b := range briefs {
		if len(in.Status) > 0 && !contains(in.Status, b.Status) {
			continue
		}
		if ca := in.CreatedAt; ca != nil && ((ca.After != nil && b.CreatedAt.Before(*ca.After)) || (ca.Before != nil && b.CreatedAt.After(*ca.Before))) {
			continue
		}
		kept = append(kept, b)
	}
	items, next, err := page(kept, in.NextToken, size)
	if err != nil {
		return nil, invalidParameter(op, err.Error())
	}
	return &ecs.ListServiceDeploymentsOutput{ServiceDeployments: items, NextToken: next}, nil
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func (f *Fake) viewBriefs(s *service) []ecstypes.ServiceDeploymentBrief {
	out := make([]ecstypes.ServiceDeploymentBrief, 0, len(s.sds))
	for _, sd := range s.sds {
		out = append(out, ecstypes.ServiceDeploymentBrief{
			ServiceDeploymentArn: ptr(sd.arn), ServiceArn: ptr(f.arn("service", s.cluster.name+"/"+s.name)),
			ClusterArn: ptr(f.arn("cluster", s.cluster.name)), Status: sd.status, StatusReason: nonEmpty(sd.reason),
			TargetServiceRevisionArn: ptr(sd.target.arn), CreatedAt: ptr(sd.createdAt), StartedAt: sd.startedAt, FinishedAt: sd.finishedAt,
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].CreatedAt.After(*out[j].CreatedAt) })
	return out
}

func nonEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// DescribeServiceDeployments describes at most 20 service deployments
// (API_DescribeServiceDeployments); unknown ones are failures (MISSING).
func (f *Fake) DescribeServiceDeployments(_ context.Context, in *ecs.DescribeServiceDeploymentsInput, _ ...func(*ecs.Options)) (*ecs.DescribeServiceDeploymentsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	const op = "DescribeServiceDeployments"
	if err := f.begin(op); err != nil {
		return nil, err
	}
	if len(in.ServiceDeploymentArns) == 0 || len(in.ServiceDeploymentArns) > 20 {
		return nil, invalidParameter(op, "serviceDeploymentArns can have at most 20 items")
	}
	out := &ecs.DescribeServiceDeploymentsOutput{}
	for _, arn := range in.ServiceDeploymentArns {
		sd, s := f.findSD(arn)
		if sd == nil {
			out.Failures = append(out.Failures, ecstypes.Failure{Arn: ptr(arn), Reason: ptr("MISSING")})
			continue
		}
		v := ecstypes.ServiceDeployment{
			ServiceDeploymentArn: ptr(sd.arn), ServiceArn: ptr(f.arn("service", s.cluster.name+"/"+s.name)),
			ClusterArn: ptr(f.arn("cluster", s.cluster.name)), Status: sd.status, StatusReason: nonEmpty(sd.reason),
			CreatedAt: ptr(sd.createdAt), StartedAt: sd.startedAt, FinishedAt: sd.finishedAt, StoppedAt: sd.stoppedAt,
			UpdatedAt: ptr(f.now), TargetServiceRevision: &ecstypes.ServiceRevisionSummary{Arn: ptr(sd.target.arn)},
			Rollback: sd.rollback,
			DeploymentCircuitBreaker: &ecstypes.ServiceDeploymentCircuitBreaker{
				Status: sd.cbStatus, FailureCount: sd.cbFailures, Threshold: sd.threshold,
			},
		}
		for _, src := range sd.sources {
			v.SourceServiceRevisions = append(v.SourceServiceRevisions, ecstypes.ServiceRevisionSummary{Arn: ptr(src.arn)})
		}
		if len(sd.alarms) > 0 {
			v.Alarms = &ecstypes.ServiceDeploymentAlarms{AlarmNames: sd.alarms, Status: ecstypes.ServiceDeploymentRollbackMonitorsStatusMonitoring}
		}
		out.ServiceDeployments = append(out.ServiceDeployments, v)
	}
	return out, nil
}

func (f *Fake) findSD(arn string) (*serviceDeployment, *service) {
	for _, c := range f.clusters {
		for _, s := range c.services {
			for _, sd := range s.sds {
				if sd.arn == arn {
					return sd, s
				}
			}
		}
	}
	return nil, nil
}

// DescribeServiceRevisions describes at most 20 service revisions
// (API_DescribeServiceRevisions).
func (f *Fake) DescribeServiceRevisions(_ context.Context, in *ecs.DescribeServiceRevisionsInput, _ ...func(*ecs.Options)) (*ecs.DescribeServiceRevisionsOutput, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	const op = "DescribeServiceRevisions"
	if err := f.begin(op); err != nil {
		return nil, err
	}
	if len(in.ServiceRevisionArns) == 0 || len(in.ServiceRevisionArns) > 20 {
		return nil, invalidParameter(op, "serviceRevisionArns can have at most 20 items")
	}
	out := &ecs.DescribeServiceRevisionsOutput{}
	for _, arn := range in.ServiceRevisionArns {
		rev := f.findRevision(arn)
		if rev == nil {
			out.Failures = append(out.Failures, ecstypes.Failure{Arn: ptr(arn), Reason: ptr("MISSING")})
			continue
		}
		out.ServiceRevisions = append(out.ServiceRevisions, ecstypes.ServiceRevision{
			ServiceRevisionArn: ptr(rev.arn), TaskDefinition: ptr(rev.taskDef), CreatedAt: ptr(rev.createdAt), LaunchType: ecstypes.LaunchTypeFargate,
		})
	}
	return out, nil
}

func (f *Fake) findRevision(arn string) *revision {
	for _, c := range f.clusters {
		for _, s := range c.services {
			for _, sd := range s.sds {
				if sd.target.arn == arn {
					return sd.target
				}
			}
		}
	}
	return nil
}
