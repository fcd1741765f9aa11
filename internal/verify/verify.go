// Package verify checks that a deploy of the fargateship stack really
// happened: the ECS service's PRIMARY deployment runs the exported task
// definition, the rollout completed, the URL (if any) serves that revision,
// none of the stack's CloudWatch alarms is in ALARM, and the image's ECR
// scan has no findings at or above a severity. On a
// failure it prints, in one screen, why. It does not import Pulumi; stack
// outputs come from the pulumi CLI's JSON or from flags.
package verify

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/smithy-go/logging"
)

// Exit codes of the verify command.
const (
	ExitOK       = 0 // deployed, URL serves the revision, no alarm in ALARM, scan below threshold
	ExitFailed   = 1 // rolled back, failed, missing service, URL, alarm or scan check failed, AWS error
	ExitTimedOut = 2 // still not settled when -timeout passed (and nothing failed outright)
	ExitUsage    = 3 // bad usage or missing input (outputs, stack, region, credentials)
)

// Config is everything Run needs besides the AWS clients.
type Config struct {
	Outputs      Outputs
	Timeout      time.Duration // bound on waiting for the rollout
	Interval     time.Duration // poll interval
	Threshold    Severity
	SkipScan     bool
	RequireScan  bool
	ScanWait     time.Duration
	SkipURL      bool
	URLWait      time.Duration
	CheckAlarms  bool // check the stack's alarmNames (when it has them)
	Events       int
	StoppedTasks int
	LogLines     int
	LogPrefix    string
	Container    string
	MaxFindings  int
}

// DefaultConfig returns the defaults the command's flags start from.
func DefaultConfig() Config {
	return Config{
		Timeout:      10 * time.Minute,
		Interval:     10 * time.Second,
		Threshold:    SeverityCritical,
		ScanWait:     2 * time.Minute,
		URLWait:      2 * time.Minute,
		CheckAlarms:  true,
		Events:       8,
		StoppedTasks: 3,
		LogLines:     15,
		LogPrefix:    "app",
		Container:    "app",
		MaxFindings:  10,
	}
}

// Clients are the AWS (and HTTP) clients Run talks to.
type Clients struct {
	ECS        ECSAPI
	ECR        ECRAPI
	Logs       LogsAPI
	CloudWatch CloudWatchAPI
	HTTP       *http.Client
}

// ClientOptions are per-service options NewClients applies on top of the
// loaded configuration (the tests use them to work around moto; see
// internal/verify/mototest).
type ClientOptions struct {
	ECS        []func(*ecs.Options)
	CloudWatch []func(*cloudwatch.Options)
}

// NewClients loads the AWS configuration (environment, shared config, SSO
// ...) for region, optionally pointed at endpointURL (moto, LocalStack), and
// checks that credentials can be found. Its errors are one line and name
// what is missing.
func NewClients(ctx context.Context, region, endpointURL string, copts ClientOptions) (Clients, error) {
	// No SDK log lines: the SDK's default logger writes warnings such as
	// "WARN falling back to IMDSv1" to stderr while it looks for
	// credentials, ahead of the verifier's own one-line error, which already
	// carries the reason.
	opts := []func(*config.LoadOptions) error{config.WithLogger(logging.Nop{})}
	if region != "" {
		opts = append(opts, config.WithRegion(region))
	}
	if endpointURL != "" {
		opts = append(opts, config.WithBaseEndpoint(endpointURL))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		return Clients{}, fmt.Errorf("cannot load AWS configuration: %v", err)
	}
	if cfg.Region == "" {
		return Clients{}, fmt.Errorf("no AWS region: the stack has no \"region\" output; pass -region or set AWS_REGION")
	}
	cctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if _, err := cfg.Credentials.Retrieve(cctx); err != nil {
		return Clients{}, fmt.Errorf("no AWS credentials: set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY (%s)", oneLine(err.Error()))
	}
	return Clients{
		ECS:        ecs.NewFromConfig(cfg, copts.ECS...),
		ECR:        ecr.NewFromConfig(cfg),
		Logs:       cloudwatchlogs.NewFromConfig(cfg),
		CloudWatch: cloudwatch.NewFromConfig(cfg, copts.CloudWatch...),
		HTTP:       &http.Client{Timeout: 10 * time.Second},
	}, nil
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// Result is Run's outcome: the exit code and a one-line summary.
type Result struct {
	Code    int
	Summary string
}

// Run performs the checks and prints progress, the reports and a final
// RESULT line to w. Its inputs must already be validated (Missing is empty).
func Run(ctx context.Context, cfg Config, cl Clients, w io.Writer) Result {
	o := cfg.Outputs
	p := func(format string, a ...any) { _, _ = fmt.Fprintf(w, format, a...) }
	p("verify: service %s/%s, expecting %s (revision %d), timeout %s\n",
		o.ClusterName, o.ServiceName, ShortTaskDef(o.TaskDefinitionArn), o.TaskDefinitionRevision, cfg.Timeout)

	var failures []string
	timedOut := false

	dep, err := WaitForDeployment(ctx, cl.ECS, WaitOptions{
		Cluster:           o.ClusterName,
		Service:           o.ServiceName,
		TaskDefinitionArn: o.TaskDefinitionArn,
		Timeout:           cfg.Timeout,
		Interval:          cfg.Interval,
	}, w)
	switch {
	case err != nil:
		failures = append(failures, oneLine(err.Error()))
		p("error: %s\n", oneLine(err.Error()))
	case dep.Outcome == OutcomeOK:
		p("deployment: OK: %s (after %s)\n", dep.Reason, dep.Elapsed.Truncate(time.Second))
	default:
		if dep.Outcome == OutcomeTimedOut {
			timedOut = true
		} else {
			failures = append(failures, dep.Reason)
		}
		rep := Diagnose(ctx, cl.ECS, cl.Logs, dep, DiagnoseOptions{
			Cluster:         o.ClusterName,
			Service:         o.ServiceName,
			ExpectedTaskDef: o.TaskDefinitionArn,
			LogGroup:        o.LogGroupName,
			LogPrefix:       cfg.LogPrefix,
			Container:       cfg.Container,
			Events:          cfg.Events,
			StoppedTasks:    cfg.StoppedTasks,
			LogLines:        cfg.LogLines,
		})
		WriteFailureReport(w, rep)
		p("\n")
	}

	deployed := err == nil && dep.Outcome == OutcomeOK
	switch {
	case o.URL == "":
		p("URL: none in the stack outputs (no load balancer); skipped\n")
	case cfg.SkipURL:
		p("URL: skipped (-skip-url)\n")
	case !deployed:
		p("URL %s: not checked, the deployment did not succeed\n", NormalizeURL(o.URL))
	default:
		ur := CheckURL(ctx, URLOptions{
			URL:              o.URL,
			ExpectedRevision: o.TaskDefinitionRevision,
			Wait:             cfg.URLWait,
			Interval:         min(cfg.Interval, 5*time.Second),
			Client:           cl.HTTP,
		}, w)
		WriteURLReport(w, ur)
		if !ur.OK {
			failures = append(failures, "URL check: "+ur.Problem)
		}
	}

	// Alarms are read whatever the rollout did: an alarm in ALARM is worth
	// knowing after a rollback too, and is a definite failure (exit 1) even
	// when the rollout only timed out.
	switch {
	case !cfg.CheckAlarms:
		p("Alarms: skipped (-check-alarms=false)\n")
	case o.AlarmNames == nil:
		p("Alarms: none in the stack outputs (no alarmNames output: alarms are off); skipped\n")
	case len(o.AlarmNames) == 0:
		p("Alarms: the alarmNames output is empty; nothing to check\n")
	default:
		ar, err := CheckAlarms(ctx, cl.CloudWatch, o.AlarmNames)
		if err != nil {
			p("Alarms: error: %s\n", oneLine(err.Error()))
			failures = append(failures, oneLine(err.Error()))
		} else {
			WriteAlarmReport(w, ar)
			if ar.Failed() {
				failures = append(failures, ar.Problem())
			}
		}
	}

	if cfg.SkipScan {
		p("Image scan: skipped (-skip-scan)\n")
	} else {
		sr, err := CheckScan(ctx, cl.ECR, ScanOptions{
			Repository:  o.RepositoryName,
			ImageTag:    o.ImageTag,
			ImageDigest: o.ImageDigest,
			Threshold:   cfg.Threshold,
			RequireScan: cfg.RequireScan,
			Wait:        cfg.ScanWait,
			Interval:    min(cfg.Interval, 5*time.Second),
		}, w)
		if err != nil {
			p("Image scan: error: %s\n", oneLine(err.Error()))
			failures = append(failures, oneLine(err.Error()))
		} else {
			WriteScanReport(w, sr, cfg.MaxFindings)
			if sr.Failed() {
				if sr.Blocking() > 0 {
					failures = append(failures, fmt.Sprintf("image scan: %d finding(s) at or above %s", sr.Blocking(), sr.Threshold))
				} else {
					failures = append(failures, "image scan: no completed scan ("+strings.ToLower(sr.Status)+")")
				}
			}
		}
	}

	var res Result
	switch {
	case len(failures) > 0:
		res = Result{ExitFailed, "FAILED: " + strings.Join(failures, "; ")}
	case timedOut:
		res = Result{ExitTimedOut, "TIMED OUT: " + dep.Reason}
	default:
		res = Result{ExitOK, fmt.Sprintf("OK: %s revision %d is deployed", ShortTaskDef(o.TaskDefinitionArn), o.TaskDefinitionRevision)}
	}
	p("RESULT: %s\n", res.Summary)
	return res
}

// compile-time checks that the SDK clients satisfy the interfaces.
var (
	_ ECSAPI        = (*ecs.Client)(nil)
	_ ECRAPI        = (*ecr.Client)(nil)
	_ LogsAPI       = (*cloudwatchlogs.Client)(nil)
	_ CloudWatchAPI = (*cloudwatch.Client)(nil)
)
