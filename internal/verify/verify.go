// Package verify checks that a deploy of the fargateship stack really
// happened, for each of its services: the ECS service's PRIMARY deployment
// runs the exported task definition, the rollout and its service
// deployment completed without a rollback, the new tasks did not crash
// while they settled, the URL (if any) serves that revision, none of the
// service's deployment alarms is in ALARM, and the image's ECR scan has no
// findings at or above a severity. On a failure it prints, in one screen,
// why. It does not import Pulumi; stack outputs come from the pulumi CLI's
// JSON or from flags.
package verify

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/smithy-go/logging"
)

// Exit codes of the verify command.
// With several services the worst wins: 1 over 2 over 0.
const (
	ExitOK       = 0 // deployed, URL serves the revision, no deployment alarm in ALARM, scan below threshold
	ExitFailed   = 1 // rolled back, failed, crashed, replaced, missing service, URL, alarm or scan check failed, AWS error
	ExitTimedOut = 2 // still not settled when -timeout passed, or not verifiable (desired count 0), and nothing failed outright
	ExitUsage    = 3 // bad usage or missing input (outputs, stack, region, credentials)
)

// Config is everything Run needs besides the AWS clients.
type Config struct {
	Outputs     Outputs
	Timeout     time.Duration // bound on waiting for the rollout
	Interval    time.Duration // poll interval
	Settle      time.Duration // how long a completed rollout's new tasks are watched for crashes
	Clock       Clock         // nil: the real clock (tests: a fake)
	Threshold   Severity
	SkipScan    bool
	RequireScan bool
	ScanWait    time.Duration
	SkipURL     bool
	URLWait     time.Duration
	CheckAlarms bool // check the stack's alarmNames and the services' deployment alarms
	// FailOnAnyAlarm fails on any alarm in ALARM, not only on the
	// services' deployment alarms.
	FailOnAnyAlarm bool
	Events         int
	StoppedTasks   int
	LogLines       int
	LogPrefix      string
	Container      string
	MaxFindings    int
}

// DefaultConfig returns the defaults the command's flags start from.
func DefaultConfig() Config {
	return Config{
		Timeout:      10 * time.Minute,
		Interval:     10 * time.Second,
		Settle:       time.Minute,
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
	// Credentials, when set, is invalidated after a call failed on expired
	// credentials, so the next call fetches new ones.
	Credentials aws.CredentialsProvider
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
		ECS:         ecs.NewFromConfig(cfg, copts.ECS...),
		ECR:         ecr.NewFromConfig(cfg),
		Logs:        cloudwatchlogs.NewFromConfig(cfg),
		CloudWatch:  cloudwatch.NewFromConfig(cfg, copts.CloudWatch...),
		HTTP:        &http.Client{Timeout: 10 * time.Second},
		Credentials: cfg.Credentials,
	}, nil
}

func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// compile-time checks that the SDK clients satisfy the interfaces.
var (
	_ ECSAPI        = (*ecs.Client)(nil)
	_ ECRAPI        = (*ecr.Client)(nil)
	_ LogsAPI       = (*cloudwatchlogs.Client)(nil)
	_ CloudWatchAPI = (*cloudwatch.Client)(nil)
)
