package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// LogsAPI is the part of the CloudWatch Logs client the report uses.
type LogsAPI interface {
	GetLogEvents(ctx context.Context, in *cloudwatchlogs.GetLogEventsInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.GetLogEventsOutput, error)
}

// ContainerExit is a stopped task's container, as the report shows it.
type ContainerExit struct {
	Name         string
	ExitCode     *int32
	Reason       string
	LastStatus   string
	HealthStatus string // HEALTHY, UNHEALTHY, UNKNOWN; "" without a health check
}

// StoppedTask is one recently stopped task of the service.
type StoppedTask struct {
	TaskID            string
	TaskDefinitionArn string
	StopCode          string
	StoppedReason     string
	StoppedAt         *time.Time
	HealthStatus      string // the task's: HEALTHY, UNHEALTHY, UNKNOWN
	HealthKilled      bool   // stopped after failing health checks (see HealthKilled)
	Containers        []ContainerExit
	LogStream         string
	LogLines          []string
	LogError          string
}

// Event is one service event.
type Event struct {
	At      *time.Time
	Message string
}

// FailureReport is everything the one-screen failure report prints. It is
// built by Diagnose from AWS, or directly from Go values in tests.
type FailureReport struct {
	Outcome         Outcome
	Reason          string
	Cluster         string
	Service         string
	ExpectedTaskDef string
	RunningTaskDef  string // the PRIMARY deployment's, "" when unknown
	Deployments     []ecstypes.Deployment
	// ServiceDeployments as last read; SDUnavailable says why they could
	// not be read.
	ServiceDeployments *ServiceDeployments
	SDUnavailable      string
	Events             []Event // newest first
	StoppedTasks       []StoppedTask
	Notes              []string // problems met while gathering the report
}

// DiagnoseOptions configures Diagnose.
type DiagnoseOptions struct {
	Cluster         string
	Service         string
	ExpectedTaskDef string
	LogGroup        string // "" skips the log lines
	LogPrefix       string // awslogs stream prefix, "app"
	Container       string // container name in the stream, "app"
	Events          int    // how many service events
	StoppedTasks    int    // how many stopped tasks
	LogLines        int    // how many log lines per task
}

// Diagnose builds the failure report for a deployment result: the service's
// last events, the recently stopped tasks of the service (tasks of the
// expected revision first) with their container exits and last log lines.
// Problems reading any of it are recorded as notes, not returned.
func Diagnose(ctx context.Context, ecsAPI ECSAPI, logsAPI LogsAPI, res DeployResult, opts DiagnoseOptions) FailureReport {
	rep := FailureReport{
		Outcome:            res.Outcome,
		Reason:             res.Reason,
		Cluster:            opts.Cluster,
		Service:            opts.Service,
		ExpectedTaskDef:    opts.ExpectedTaskDef,
		ServiceDeployments: res.ServiceDeployments,
		SDUnavailable:      res.SDUnavailable,
		Notes:              append([]string(nil), res.Notes...),
	}
	if svc := res.Service; svc != nil {
		if p := PrimaryDeployment(svc); p != nil {
			rep.RunningTaskDef = aws.ToString(p.TaskDefinition)
		}
		rep.Deployments = svc.Deployments
		for i, e := range svc.Events {
			if i == opts.Events {
				break
			}
			rep.Events = append(rep.Events, Event{At: e.CreatedAt, Message: aws.ToString(e.Message)})
		}
	}
	if res.Outcome == OutcomeMissing || opts.StoppedTasks <= 0 {
		return rep
	}
	tasks, notes, err := stoppedTasks(ctx, ecsAPI, opts)
	rep.Notes = appendOnce(rep.Notes, notes...)
	if err != nil {
		rep.Notes = append(rep.Notes, err.Error())
		return rep
	}
	for i := range tasks {
		t := &tasks[i]
		if opts.LogGroup == "" || logsAPI == nil {
			continue
		}
		t.LogStream = LogStreamName(opts.LogPrefix, opts.Container, t.TaskID)
		t.LogLines, err = lastLogLines(ctx, logsAPI, opts.LogGroup, t.LogStream, opts.LogLines)
		if err != nil {
			t.LogError = err.Error()
		}
	}
	rep.StoppedTasks = tasks
	return rep
}

// LogStreamName is the awslogs stream of a task's container:
// prefix/container/taskID.
func LogStreamName(prefix, container, taskID string) string {
	return prefix + "/" + container + "/" + taskID
}

// stoppedTasks reads the service's stopped tasks (every page of ListTasks,
// DescribeTasks 100 at a time; its failures are returned as notes) and
// keeps the opts.StoppedTasks most relevant: tasks of the expected
// revision first, then the most recently stopped.
func stoppedTasks(ctx context.Context, api ECSAPI, opts DiagnoseOptions) ([]StoppedTask, []string, error) {
	r := newStoppedTaskReader(api, opts.Cluster, opts.Service)
	tasks, err := r.read(ctx)
	if err != nil {
		return nil, r.notes, err
	}
	SortStoppedTasks(tasks, opts.ExpectedTaskDef)
	if len(tasks) > opts.StoppedTasks {
		tasks = tasks[:opts.StoppedTasks]
	}
	out := make([]StoppedTask, 0, len(tasks))
	for _, t := range tasks {
		out = append(out, StoppedTaskFrom(t))
	}
	return out, r.notes, nil
}

// SortStoppedTasks orders tasks of the expected task definition first, then
// those that failed (crashed, did not start, or failed health checks)
// before those the scheduler or a user stopped, then the most recently
// stopped first.
func SortStoppedTasks(tasks []ecstypes.Task, expectedTaskDef string) {
	failed := func(t ecstypes.Task) bool { return Crashed(t) || HealthKilled(t) }
	sort.SliceStable(tasks, func(i, j int) bool {
		ei := SameTaskDef(expectedTaskDef, aws.ToString(tasks[i].TaskDefinitionArn))
		ej := SameTaskDef(expectedTaskDef, aws.ToString(tasks[j].TaskDefinitionArn))
		if ei != ej {
			return ei
		}
		if fi, fj := failed(tasks[i]), failed(tasks[j]); fi != fj {
			return fi
		}
		ti, tj := tasks[i].StoppedAt, tasks[j].StoppedAt
		switch {
		case ti == nil:
			return false
		case tj == nil:
			return true
		}
		return ti.After(*tj)
	})
}

// StoppedTaskFrom converts an ECS task to the report's form.
func StoppedTaskFrom(t ecstypes.Task) StoppedTask {
	st := StoppedTask{
		TaskID:            taskID(aws.ToString(t.TaskArn)),
		TaskDefinitionArn: aws.ToString(t.TaskDefinitionArn),
		StopCode:          string(t.StopCode),
		StoppedReason:     aws.ToString(t.StoppedReason),
		StoppedAt:         t.StoppedAt,
		HealthStatus:      string(t.HealthStatus),
		HealthKilled:      HealthKilled(t),
	}
	for _, c := range t.Containers {
		st.Containers = append(st.Containers, ContainerExit{
			Name:         aws.ToString(c.Name),
			ExitCode:     c.ExitCode,
			Reason:       aws.ToString(c.Reason),
			LastStatus:   aws.ToString(c.LastStatus),
			HealthStatus: string(c.HealthStatus),
		})
	}
	return st
}

func lastLogLines(ctx context.Context, api LogsAPI, group, stream string, n int) ([]string, error) {
	if n <= 0 {
		return nil, nil
	}
	ctx, cancel := context.WithTimeout(ctx, callTimeout)
	defer cancel()
	out, err := api.GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{
		LogGroupName:  aws.String(group),
		LogStreamName: aws.String(stream),
		Limit:         aws.Int32(int32(min(n, 10000))),
		StartFromHead: aws.Bool(false),
	})
	var rnf *logstypes.ResourceNotFoundException
	if errors.As(err, &rnf) {
		return nil, fmt.Errorf("no log stream %s in %s", stream, group)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot read log stream %s: %v", stream, err)
	}
	lines := make([]string, 0, len(out.Events))
	for _, e := range out.Events {
		lines = append(lines, strings.TrimRight(aws.ToString(e.Message), "\r\n"))
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return lines, nil
}

func fmtTime(t *time.Time) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

func revisionLabel(arn string) string {
	if arn == "" {
		return "(unknown)"
	}
	if _, rev, ok := ParseTaskDefinitionArn(arn); ok {
		return fmt.Sprintf("revision %d (%s)", rev, arn)
	}
	return arn
}

// WriteFailureReport prints the one-screen failure report.
func WriteFailureReport(w io.Writer, r FailureReport) {
	p := func(format string, a ...any) { _, _ = fmt.Fprintf(w, format, a...) }
	p("\n%s: %s/%s: %s\n", strings.ToUpper(r.Outcome.String()), r.Cluster, r.Service, r.Reason)
	p("  expected task definition: %s\n", revisionLabel(r.ExpectedTaskDef))
	if r.Outcome == OutcomeMissing {
		for _, n := range r.Notes {
			p("Note: %s\n", n)
		}
		return
	}
	p("  running task definition:  %s\n", revisionLabel(r.RunningTaskDef))
	if len(r.Deployments) > 0 {
		p("Deployments:\n")
		for _, d := range r.Deployments {
			rollout := string(d.RolloutState)
			if rollout == "" {
				rollout = "-"
			}
			line := fmt.Sprintf("  %-8s %s  %s  running %d/%d", aws.ToString(d.Status), ShortTaskDef(aws.ToString(d.TaskDefinition)), rollout, d.RunningCount, d.DesiredCount)
			if d.FailedTasks > 0 {
				line += fmt.Sprintf(", failed tasks %d", d.FailedTasks)
			}
			if d.CreatedAt != nil {
				line += ", created " + fmtTime(d.CreatedAt)
			}
			if reason := aws.ToString(d.RolloutStateReason); reason != "" {
				line += "  " + reason
			}
			p("%s\n", line)
		}
	}
	switch sds := r.ServiceDeployments; {
	case r.SDUnavailable != "":
		p("Service deployments: unavailable (%s)\n", r.SDUnavailable)
	case sds != nil && sds.Ours != nil && sds.Ours != sds.Newest && sds.Newest != nil:
		p("Service deployments:\n  newest: %s\n  of %s: %s\n", sds.Newest.Line(), ShortTaskDef(r.ExpectedTaskDef), sds.Ours.Line())
	case sds != nil && sds.Ours != nil:
		p("Service deployment: %s\n", sds.Ours.Line())
	case sds != nil && sds.Newest != nil:
		p("Service deployments: none of %s; newest: %s\n", ShortTaskDef(r.ExpectedTaskDef), sds.Newest.Line())
	}
	if len(r.Events) > 0 {
		p("Last %d service events (newest first):\n", len(r.Events))
		for _, e := range r.Events {
			p("  %s  %s\n", fmtTime(e.At), e.Message)
		}
	} else {
		p("Service events: none\n")
	}
	if len(r.StoppedTasks) > 0 {
		p("Recently stopped tasks:\n")
		for _, t := range r.StoppedTasks {
			at := ""
			if t.StoppedAt != nil && !t.StoppedAt.IsZero() {
				at = " stopped " + fmtTime(t.StoppedAt)
			}
			health := ""
			if t.HealthStatus != "" && t.HealthStatus != string(ecstypes.HealthStatusUnknown) {
				health = ", health " + t.HealthStatus
			}
			p("  task %s (%s)%s%s\n", t.TaskID, ShortTaskDef(t.TaskDefinitionArn), at, health)
			reason := t.StoppedReason
			if reason == "" {
				reason = "(no reason given)"
			}
			if t.StopCode != "" {
				reason = t.StopCode + ": " + reason
			}
			p("    stopped reason: %s\n", reason)
			for _, c := range t.Containers {
				exit := "no exit code"
				if c.ExitCode != nil {
					exit = fmt.Sprintf("exit code %d", *c.ExitCode)
				}
				line := fmt.Sprintf("    container %s: %s", c.Name, exit)
				if c.HealthStatus != "" && c.HealthStatus != string(ecstypes.HealthStatusUnknown) {
					line += ", health " + c.HealthStatus
				}
				if t.HealthKilled && c.ExitCode != nil && *c.ExitCode == 137 {
					line += " (killed after failing its health check: not a crash)"
				}
				if c.Reason != "" {
					line += ", reason: " + c.Reason
				}
				p("%s\n", line)
			}
			switch {
			case t.LogError != "":
				p("    logs: %s\n", t.LogError)
			case t.LogStream != "" && len(t.LogLines) == 0:
				p("    logs: %s is empty\n", t.LogStream)
			case t.LogStream != "":
				p("    last %d log lines of %s:\n", len(t.LogLines), t.LogStream)
				for _, l := range t.LogLines {
					p("      | %s\n", l)
				}
			}
		}
	} else if len(r.Notes) > 0 {
		p("Recently stopped tasks: unknown (see the note below)\n")
	} else {
		p("Recently stopped tasks: none\n")
	}
	for _, n := range r.Notes {
		p("Note: %s\n", n)
	}
}
