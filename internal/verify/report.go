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
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// LogsAPI is the part of the CloudWatch Logs client the report uses.
type LogsAPI interface {
	GetLogEvents(ctx context.Context, in *cloudwatchlogs.GetLogEventsInput, opts ...func(*cloudwatchlogs.Options)) (*cloudwatchlogs.GetLogEventsOutput, error)
}

// ContainerExit is a stopped task's container, as the report shows it.
type ContainerExit struct {
	Name       string
	ExitCode   *int32
	Reason     string
	LastStatus string
}

// StoppedTask is one recently stopped task of the service.
type StoppedTask struct {
	TaskID            string
	TaskDefinitionArn string
	StopCode          string
	StoppedReason     string
	StoppedAt         *time.Time
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
	Events          []Event // newest first
	StoppedTasks    []StoppedTask
	Notes           []string // problems met while gathering the report
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
		Outcome:         res.Outcome,
		Reason:          res.Reason,
		Cluster:         opts.Cluster,
		Service:         opts.Service,
		ExpectedTaskDef: opts.ExpectedTaskDef,
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
	tasks, err := stoppedTasks(ctx, ecsAPI, opts)
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

func stoppedTasks(ctx context.Context, api ECSAPI, opts DiagnoseOptions) ([]StoppedTask, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*callTimeout)
	defer cancel()
	list, err := api.ListTasks(ctx, &ecs.ListTasksInput{
		Cluster:       aws.String(opts.Cluster),
		ServiceName:   aws.String(opts.Service),
		DesiredStatus: ecstypes.DesiredStatusStopped,
		MaxResults:    aws.Int32(100),
	})
	if err != nil {
		return nil, fmt.Errorf("cannot list stopped tasks: %v", err)
	}
	if len(list.TaskArns) == 0 {
		return nil, nil
	}
	desc, err := api.DescribeTasks(ctx, &ecs.DescribeTasksInput{
		Cluster: aws.String(opts.Cluster),
		Tasks:   list.TaskArns,
	})
	if err != nil {
		return nil, fmt.Errorf("cannot describe stopped tasks: %v", err)
	}
	var tasks []ecstypes.Task
	for _, t := range desc.Tasks {
		// ListTasks filters by service on AWS; the group check keeps other
		// tasks out where the filter is not applied.
		if g := aws.ToString(t.Group); g != "" && g != "service:"+opts.Service {
			continue
		}
		tasks = append(tasks, t)
	}
	SortStoppedTasks(tasks, opts.ExpectedTaskDef)
	if len(tasks) > opts.StoppedTasks {
		tasks = tasks[:opts.StoppedTasks]
	}
	out := make([]StoppedTask, 0, len(tasks))
	for _, t := range tasks {
		out = append(out, StoppedTaskFrom(t))
	}
	return out, nil
}

// SortStoppedTasks orders tasks of the expected task definition first, then
// the most recently stopped first.
func SortStoppedTasks(tasks []ecstypes.Task, expectedTaskDef string) {
	sort.SliceStable(tasks, func(i, j int) bool {
		ei := SameTaskDef(expectedTaskDef, aws.ToString(tasks[i].TaskDefinitionArn))
		ej := SameTaskDef(expectedTaskDef, aws.ToString(tasks[j].TaskDefinitionArn))
		if ei != ej {
			return ei
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
	arn := aws.ToString(t.TaskArn)
	st := StoppedTask{
		TaskID:            arn[strings.LastIndex(arn, "/")+1:],
		TaskDefinitionArn: aws.ToString(t.TaskDefinitionArn),
		StopCode:          string(t.StopCode),
		StoppedReason:     aws.ToString(t.StoppedReason),
		StoppedAt:         t.StoppedAt,
	}
	for _, c := range t.Containers {
		st.Containers = append(st.Containers, ContainerExit{
			Name:       aws.ToString(c.Name),
			ExitCode:   c.ExitCode,
			Reason:     aws.ToString(c.Reason),
			LastStatus: aws.ToString(c.LastStatus),
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
			if reason := aws.ToString(d.RolloutStateReason); reason != "" {
				line += "  " + reason
			}
			p("%s\n", line)
		}
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
			p("  task %s (%s)%s\n", t.TaskID, ShortTaskDef(t.TaskDefinitionArn), at)
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
