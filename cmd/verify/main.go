// Command verify proves that a deploy of the fargateship stack took, for
// each of its services: the ECS service's PRIMARY deployment runs the task
// definition the stack exported, its rollout and service deployment
// completed without a rollback, its new tasks did not crash while they
// settled, the URL (if any) serves that revision, none of the service's
// deployment alarms is in ALARM, and the image's ECR scan has no findings at
// or above a severity. On a failure it prints the reason in one screen.
//
//	go run ./cmd/verify -stack dev
//
// Exit codes: 0 ok, 1 rolled back / failed, 2 timed out or not verified
// (desired count 0), 3 bad usage or missing input; with several services
// the worst wins (1 over 2 over 0). See docs/verify.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/fargateship/fargateship/internal/verify"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// newClients builds the AWS clients; tests replace it.
var newClients = verify.NewClients

type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// run is main without the process: it parses args, reads the outputs, builds
// the AWS clients and runs the checks, returning the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	cfg, endpoint, err := parse(ctx, args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return verify.ExitOK
	}
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "verify: %s\n", err)
		return verify.ExitUsage
	}
	clients, err := newClients(ctx, cfg.Outputs.Region, endpoint, verify.ClientOptions{})
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "verify: %s\n", err)
		return verify.ExitUsage
	}
	return verify.Run(ctx, cfg, clients, stdout).Code
}

func parse(ctx context.Context, args []string, stderr io.Writer) (verify.Config, string, error) {
	cfg := verify.DefaultConfig()
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	var (
		stack, outputsFile, pulumiDir, endpoint, severity string
		explicit                                          verify.Outputs
	)
	fs.StringVar(&stack, "stack", "", "Pulumi stack `NAME` whose outputs to read (runs pulumi stack output --json --show-secrets=false -s NAME)")
	fs.StringVar(&outputsFile, "outputs", "", "read the stack outputs from this JSON `FILE` instead of running pulumi")
	fs.StringVar(&pulumiDir, "pulumi-dir", ".", "`DIR`ectory of the Pulumi project (where pulumi is run)")
	fs.StringVar(&explicit.ClusterName, "cluster", "", "ECS cluster `NAME` (overrides the clusterName output)")
	fs.StringVar(&explicit.ServiceName, "service", "", "ECS service `NAME` (overrides serviceName)")
	fs.StringVar(&explicit.TaskDefinitionArn, "task-definition", "", "expected task definition: its `ARN` or FAMILY:REVISION (overrides taskDefinitionArn)")
	fs.IntVar(&explicit.TaskDefinitionRevision, "revision", 0, "expected revision `N` (overrides taskDefinitionRevision; default: from the task definition)")
	fs.StringVar(&explicit.RepositoryName, "repository", "", "ECR repository `NAME` (overrides repositoryName)")
	fs.StringVar(&explicit.ImageTag, "image-tag", "", "image `TAG` (overrides imageTag)")
	fs.StringVar(&explicit.ImageDigest, "image-digest", "", "image `DIGEST` sha256:... (overrides imageDigest; preferred over the tag)")
	fs.StringVar(&explicit.LogGroupName, "log-group", "", "CloudWatch log group `NAME` (overrides logGroupName)")
	fs.StringVar(&explicit.URL, "url", "", "service `URL` (overrides url)")
	fs.StringVar(&explicit.Region, "region", "", "AWS `REGION` (overrides the region output and AWS_REGION)")
	fs.StringVar(&endpoint, "endpoint-url", "", "send every AWS call to this endpoint `URL` (moto, LocalStack); AWS_ENDPOINT_URL works too")
	fs.DurationVar(&cfg.Timeout, "timeout", cfg.Timeout, "give up waiting for the rollout after `D` (exit 2)")
	fs.DurationVar(&cfg.Interval, "poll-interval", cfg.Interval, "time `D` between DescribeServices calls")
	fs.DurationVar(&cfg.Settle, "settle", cfg.Settle, "after the rollout completes, watch the new revision's tasks for `D`: a crash since the deployment began fails the check (0: no watch)")
	fs.StringVar(&severity, "fail-on-severity", "critical", "fail on scan findings at or above severity `S`: critical, high, medium, low, informational, none")
	fs.BoolVar(&cfg.RequireScan, "require-scan", false, "fail when the image has no completed scan")
	fs.BoolVar(&cfg.SkipScan, "skip-scan", false, "do not check the ECR image scan")
	fs.DurationVar(&cfg.ScanWait, "scan-wait", cfg.ScanWait, "how long (`D`) to wait for a scan that is in progress")
	fs.BoolVar(&cfg.SkipURL, "skip-url", false, "do not check the URL")
	fs.DurationVar(&cfg.URLWait, "url-wait", cfg.URLWait, "how long (`D`) to retry the URL check")
	fs.BoolVar(&cfg.CheckAlarms, "check-alarms", cfg.CheckAlarms, "check the stack's CloudWatch alarms (alarmNames output) and the services' deployment alarms: a deployment alarm in ALARM or a name unknown to CloudWatch fails, other alarms in ALARM are warnings; -check-alarms=false turns the check off")
	fs.BoolVar(&cfg.FailOnAnyAlarm, "fail-on-any-alarm", false, "fail when any checked alarm is in ALARM, not only a deployment alarm")
	fs.IntVar(&cfg.Events, "events", cfg.Events, "`N` service events shown on failure (0 or more)")
	fs.IntVar(&cfg.StoppedTasks, "stopped-tasks", cfg.StoppedTasks, "`N` recently stopped tasks shown on failure (0 or more)")
	fs.IntVar(&cfg.LogLines, "log-lines", cfg.LogLines, "`N` log lines shown per stopped task (0 or more)")
	fs.StringVar(&cfg.LogPrefix, "log-prefix", cfg.LogPrefix, "awslogs stream prefix `P` (streams are P/C/taskId)")
	fs.StringVar(&cfg.Container, "container", cfg.Container, "container name `C` in the log stream")
	fs.Usage = func() {
		_, _ = fmt.Fprintf(fs.Output(), "usage: verify -stack NAME | -outputs FILE | -cluster NAME -service NAME -task-definition ARN [flags]\n\n"+
			"Exit codes: 0 ok, 1 rolled back/failed, 2 timed out or not verified, 3 bad usage or missing input; with several services the worst wins.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	// The flag package would print the whole help on a bad flag; keep
	// errors to one line and print the help only for -h.
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
			fs.Usage()
			return cfg, "", err
		}
		return cfg, "", &usageError{err.Error() + " (-h for help)"}
	}
	if fs.NArg() > 0 {
		return cfg, "", &usageError{fmt.Sprintf("unexpected arguments: %s", strings.Join(fs.Args(), " "))}
	}
	th, err := verify.ParseThreshold(severity)
	if err != nil {
		return cfg, "", &usageError{err.Error()}
	}
	cfg.Threshold = th
	if cfg.Timeout <= 0 || cfg.Interval <= 0 {
		return cfg, "", &usageError{"-timeout and -poll-interval must be positive"}
	}
	if cfg.Settle < 0 {
		return cfg, "", &usageError{fmt.Sprintf("-settle %s is negative: it must be 0 or more", cfg.Settle)}
	}
	for _, n := range []struct {
		flag string
		v    int
	}{{"-events", cfg.Events}, {"-stopped-tasks", cfg.StoppedTasks}, {"-log-lines", cfg.LogLines}, {"-revision", explicit.TaskDefinitionRevision}} {
		if n.v < 0 {
			return cfg, "", &usageError{fmt.Sprintf("%s %d is negative: it must be 0 or more", n.flag, n.v)}
		}
	}
	if explicit.TaskDefinitionArn != "" {
		if err := verify.ValidTaskDefRef(explicit.TaskDefinitionArn); err != nil {
			return cfg, "", &usageError{err.Error()}
		}
	}
	if stack != "" && outputsFile != "" {
		return cfg, "", &usageError{"use either -stack or -outputs, not both"}
	}

	var outs verify.Outputs
	switch {
	case outputsFile != "":
		outs, err = verify.ReadOutputsFile(outputsFile)
	case stack != "":
		pctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
		outs, err = verify.ReadStackOutputs(pctx, "pulumi", pulumiDir, stack)
		cancel()
	case explicit.ClusterName == "" && explicit.ServiceName == "" && explicit.TaskDefinitionArn == "":
		return cfg, "", &usageError{"missing -stack NAME (or -outputs FILE, or -cluster, -service and -task-definition); -h for help"}
	}
	if err != nil {
		return cfg, "", err
	}
	outs = outs.Merge(explicit).Normalize()
	if missing := outs.Missing(!cfg.SkipScan); len(missing) > 0 {
		src := "the stack outputs"
		if stack == "" && outputsFile == "" {
			src = "the flags"
		}
		return cfg, "", &usageError{fmt.Sprintf("missing in %s: %s", src, strings.Join(missing, ", "))}
	}
	cfg.Outputs = outs
	return cfg, endpoint, nil
}
