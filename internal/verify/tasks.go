package verify

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// ListTasks returns at most 100 task ARNs a call and a nextToken for the
// rest (maxResults 1-100, API_ListTasks); DescribeTasks takes at most 100
// tasks (API_DescribeTasks). ECS keeps a stopped task visible for at least
// an hour.
const (
	maxTasksPerCall = 100
	maxTaskPages    = 10
)

// stoppedTaskReader reads the stopped tasks of one service. A stopped task
// does not change any more, so each is described once.
type stoppedTaskReader struct {
	api              ECSAPI
	cluster, service string
	known            map[string]ecstypes.Task
	noted            map[string]bool
	notes            []string // DescribeTasks failures, each once
}

func newStoppedTaskReader(api ECSAPI, cluster, service string) *stoppedTaskReader {
	return &stoppedTaskReader{api: api, cluster: cluster, service: service, known: map[string]ecstypes.Task{}, noted: map[string]bool{}}
}

// read lists the service's stopped tasks (every page, up to maxTaskPages)
// and describes those not yet known, 100 a call. DescribeTasks failures
// (e.g. MISSING: the task aged out between the two calls) become notes.
// ListTasks filters by service on AWS; the task's group (service:NAME) is
// checked too, for endpoints that ignore the filter (moto).
func (s *stoppedTaskReader) read(ctx context.Context) ([]ecstypes.Task, error) {
	var arns []string
	var token *string
	for page := 0; page < maxTaskPages; page++ {
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		list, err := s.api.ListTasks(cctx, &ecs.ListTasksInput{
			Cluster:       aws.String(s.cluster),
			ServiceName:   aws.String(s.service),
			DesiredStatus: ecstypes.DesiredStatusStopped,
			MaxResults:    aws.Int32(maxTasksPerCall),
			NextToken:     token,
		})
		cancel()
		if err != nil {
			return nil, fmt.Errorf("cannot list stopped tasks: %w", err)
		}
		arns = append(arns, list.TaskArns...)
		token = list.NextToken
		if aws.ToString(token) == "" {
			break
		}
	}
	var unknown []string
	for _, a := range arns {
		if _, ok := s.known[a]; !ok {
			unknown = append(unknown, a)
		}
	}
	for start := 0; start < len(unknown); start += maxTasksPerCall {
		chunk := unknown[start:min(start+maxTasksPerCall, len(unknown))]
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		desc, err := s.api.DescribeTasks(cctx, &ecs.DescribeTasksInput{Cluster: aws.String(s.cluster), Tasks: chunk})
		cancel()
		if err != nil {
			return nil, fmt.Errorf("cannot describe stopped tasks: %w", err)
		}
		for _, t := range desc.Tasks {
			s.known[aws.ToString(t.TaskArn)] = t
		}
		for _, f := range desc.Failures {
			n := fmt.Sprintf("DescribeTasks could not describe %s: %s", taskID(aws.ToString(f.Arn)), aws.ToString(f.Reason))
			if d := aws.ToString(f.Detail); d != "" {
				n += " (" + d + ")"
			}
			if !s.noted[n] {
				s.noted[n] = true
				s.notes = append(s.notes, n)
			}
		}
	}
	var tasks []ecstypes.Task
	for _, a := range arns {
		t, ok := s.known[a]
		if !ok {
			continue
		}
		if g := aws.ToString(t.Group); g != "" && g != "service:"+s.service {
			continue
		}
		tasks = append(tasks, t)
	}
	return tasks, nil
}

func taskID(arn string) string { return arn[strings.LastIndex(arn, "/")+1:] }

// HealthKilled reports whether a stopped task was stopped because it
// failed its health checks (a container's or the load balancer's): its
// containers are then killed, often with exit code 137 (SIGKILL after the
// stop timeout), which is not a crash of the app.
func HealthKilled(t ecstypes.Task) bool {
	if t.HealthStatus == ecstypes.HealthStatusUnhealthy {
		return true
	}
	for _, c := range t.Containers {
		if c.HealthStatus == ecstypes.HealthStatusUnhealthy {
			return true
		}
	}
	return strings.Contains(strings.ToLower(aws.ToString(t.StoppedReason)), "health check")
}

// Crashed reports whether a stopped task is a failure of its revision: an
// essential container exited (EssentialContainerExited) or the task never
// started (TaskFailedToStart), and not because of a failed health check.
// Tasks the scheduler stopped (replaced by a deployment, scaled in), Spot
// interruptions and tasks stopped by a user are not.
func Crashed(t ecstypes.Task) bool {
	switch t.StopCode {
	case ecstypes.TaskStopCodeEssentialContainerExited, ecstypes.TaskStopCodeTaskFailedToStart:
		return !HealthKilled(t)
	}
	return false
}

// ofDeployment reports whether task t was started by deployment d for
// expected: its task definition, and its startedBy is the deployment's id
// (service tasks carry it; a deployment without an id: started after the
// deployment was created).
func ofDeployment(t ecstypes.Task, d *ecstypes.Deployment, expected string) bool {
	if !SameTaskDef(expected, aws.ToString(t.TaskDefinitionArn)) {
		return false
	}
	if id := aws.ToString(d.Id); id != "" {
		return aws.ToString(t.StartedBy) == id
	}
	return d.CreatedAt == nil || t.CreatedAt == nil || !t.CreatedAt.Before(*d.CreatedAt)
}
