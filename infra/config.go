package infra

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Config is the validated stack configuration. Every field is read from the
// project's config namespace (for project "fargateship", key "cpu" is
// "fargateship:cpu"). Pulumi.yaml declares every key with its type, default
// and description; LoadConfig applies the same defaults again so the program
// behaves identically when run by tools that do not read Pulumi.yaml.
type Config struct {
	// Task size in Fargate CPU units and MiB; must be a valid Fargate pair.
	CPU    int
	Memory int
	// DesiredCount is the number of tasks when autoscaling is off, and the
	// initial count when it is on.
	DesiredCount int
	// ContainerPort is the port the app listens on (passed as PORT); 0
	// makes a worker: no port, no inbound traffic, no load balancer.
	ContainerPort int
	// Architecture is X86_64 or ARM64; it drives the image platform and the
	// task definition's runtimePlatform.
	Architecture string
	// Spot runs tasks on FARGATE_SPOT instead of FARGATE.
	Spot bool
	// LogRetentionDays is a retention CloudWatch Logs accepts.
	LogRetentionDays int
	// Protect guards the repository and log group against deletion. When
	// false, destroy removes everything including images.
	Protect bool
	// ECSExec turns on `aws ecs execute-command` for the service.
	ECSExec bool
	// Environment holds plain (non-secret) container environment variables.
	Environment map[string]string
	// DrainDelaySeconds is how long the app keeps serving after SIGTERM so
	// that load balancers stop routing to it (the app's DRAIN_DELAY).
	DrainDelaySeconds int
	// StopTimeoutSeconds is how long ECS waits after SIGTERM before SIGKILL.
	StopTimeoutSeconds int
	// ImageKeepCount bounds how many tagged images the ECR lifecycle policy keeps.
	ImageKeepCount int
	// KMSKeyARN is an optional customer managed key for ECR and the log
	// group; empty uses the AWS managed key for ECR and CloudWatch's own
	// encryption for logs.
	KMSKeyARN string
	// PermissionsBoundaryARN is an IAM policy set as the permissions
	// boundary of both task roles; the CI deploy role may then only create
	// roles that carry it (see bootstrap/).
	PermissionsBoundaryARN string
	// ExecutionRoleARN, TaskRoleARN, FlowLogsRoleARN and SchedulerRoleARN
	// are roles created once by the CI bootstrap; when set, the program
	// creates none and writes its policies on them.
	ExecutionRoleARN, TaskRoleARN, FlowLogsRoleARN, SchedulerRoleARN string

	// Production shape (docs/design.md).
	LoadBalancer               bool
	CertificateARN             string
	DomainName                 string
	HostedZoneID               string
	ALBDeletionProtection      bool
	HealthCheckGracePeriodSecs int
	Network                    string
	VPCID                      string
	PublicSubnetIDs            []string
	PrivateSubnetIDs           []string
	VPCCIDR                    string
	NATGateways                int
	// FlowLogs is the new VPC's flow log traffic type: ALL, REJECT or NONE.
	FlowLogs          string
	AssignPublicIP    bool
	MinCount          int
	MaxCount          int
	CPUTargetPercent  int
	RequestsPerTarget int
	// Secrets maps container environment variable names to secret values.
	// Values are secrets in the stack file and never leave as plain text.
	Secrets map[string]string

	// What runs (config_build.go): an image built from BuildContext with
	// Dockerfile (project-relative, slash-separated), BuildTarget and
	// BuildArgs, or the prebuilt Image (ImageECR when it is in ECR).
	BuildContext, Dockerfile, BuildTarget string
	BuildArgs                             map[string]string
	Image                                 string
	ImageECR                              *ECRImage
	// Command overrides the image's command; empty keeps it.
	Command []string
	// HealthCheckCommand is the container health check (exec form, without
	// "CMD"); empty means none.
	HealthCheckCommand []string
	// HealthCheckPath is the load balancer's health check path.
	HealthCheckPath string
	// Schedules are scheduled one-off tasks by name.
	Schedules map[string]Schedule

	// Operations (see config_monitoring.go, config_schedules.go).
	Alarms             bool
	AlarmEmail         string
	Alarm5xxPercent    int
	AlarmLatencyP99Ms  int
	AlarmCPUPercent    int
	AlarmMemoryPercent int
	AccessLogs         bool
	Dashboard          bool
	// ActiveHours, when set, scales the service to 0 outside them.
	ActiveHours *ActiveHours
	// Timezone is the IANA zone of ActiveHours.
	Timezone string

	// The environment (config_services.go). Name is the service's name
	// (AppService in a stack without services); SecretNames the stack
	// secrets it receives; Paths, Hosts and Internal its routing.
	Name        string
	SecretNames []string
	Paths       []string
	Hosts       []string
	Internal    bool
	// Services are the environment's services, AppService first then by
	// name: the top-level Config itself in a stack without services.
	Services []*Config
	// MultiService: the stack sets services.
	MultiService bool
}

// Autoscaling reports whether the service has an autoscaling target.
func (c *Config) Autoscaling() bool { return c.MaxCount > 0 }

// Network values.
const (
	NetworkDefaultVPC  = "default-vpc"
	NetworkNewVPC      = "new-vpc"
	NetworkExistingVPC = "existing-vpc"
)

// fargateMemory lists, for each Fargate Linux CPU value, the allowed memory
// values in MiB (AWS documented task sizes).
var fargateMemory = map[int][]int{
	256:   {512, 1024, 2048},
	512:   stepRange(1024, 4096, 1024),
	1024:  stepRange(2048, 8192, 1024),
	2048:  stepRange(4096, 16384, 1024),
	4096:  stepRange(8192, 30720, 1024),
	8192:  stepRange(16384, 61440, 4096),
	16384: stepRange(32768, 122880, 8192),
}

func stepRange(from, to, step int) []int {
	var out []int
	for v := from; v <= to; v += step {
		out = append(out, v)
	}
	return out
}

// logRetentionDays are the values CloudWatch Logs PutRetentionPolicy accepts.
var logRetentionDays = []int{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}

var (
	envNameRE     = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	domainRE      = regexp.MustCompile(`^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
	hostedZoneRE  = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
	certificateRE = regexp.MustCompile(`^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+$`)
	policyARNRE   = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}|aws):policy/[A-Za-z0-9+=,.@_/-]+$`)
	// A key ARN, never an alias ARN: IAM grants on an alias ARN do not cover
	// the key it points to (kms:Decrypt is authorized on the key's ARN).
	roleARNRE      = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/([\w+=,.@-]+/)*[\w+=,.@-]{1,64}$`)
	kmsKeyRE       = regexp.MustCompile(`^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$`)
	vpcIDRE        = regexp.MustCompile(`^vpc-[0-9a-f]{8,17}$`)
	subnetIDRE     = regexp.MustCompile(`^subnet-[0-9a-f]{8,17}$`)
	reservedEnvKey = map[string]bool{"PORT": true, "DRAIN_DELAY": true, "SHUTDOWN_TIMEOUT": true}
)

// configReader reads raw config strings of one namespace and collects every
// problem, so a stack with three mistakes reports all three at once.
type configReader struct {
	ctx  *pulumi.Context
	ns   string
	errs []string
	// src, when set, reads one service of `services` (config_services.go).
	src *serviceSource
}

func (r *configReader) key(k string) string {
	if r.src != nil {
		return r.src.key(k)
	}
	return r.ns + ":" + k
}

func (r *configReader) raw(k string) (string, bool) {
	if r.src != nil {
		return r.src.raw(k)
	}
	return r.ctx.GetConfig(r.key(k))
}

// multiService: the stack sets `services`, so the top-level per-service
// keys are only the services' defaults.
func (r *configReader) multiService() bool {
	s, ok := r.ctx.GetConfig(r.ns + ":services")
	return ok && strings.TrimSpace(s) != "" && strings.TrimSpace(s) != "{}"
}

func (r *configReader) fail(k, value, allowed string) {
	r.errs = append(r.errs, fmt.Sprintf("config key %q: value %q is not allowed: %s", r.key(k), value, allowed))
}

func (r *configReader) failCombo(msg string) {
	r.errs = append(r.errs, msg)
}

func (r *configReader) integer(k string, def, lo, hi int) int {
	s, ok := r.raw(k)
	if !ok {
		return def
	}
	v, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || v < lo || v > hi {
		r.fail(k, s, fmt.Sprintf("must be an integer between %d and %d", lo, hi))
		return def
	}
	return v
}

func (r *configReader) boolean(k string, def bool) bool {
	s, ok := r.raw(k)
	if !ok {
		return def
	}
	switch strings.TrimSpace(s) {
	case "true":
		return true
	case "false":
		return false
	}
	r.fail(k, s, "must be true or false")
	return def
}

func (r *configReader) str(k, def string) string {
	s, ok := r.raw(k)
	if !ok {
		return def
	}
	return strings.TrimSpace(s)
}

func (r *configReader) oneOf(k, def string, allowed ...string) string {
	s := r.str(k, def)
	if !slices.Contains(allowed, s) {
		r.fail(k, s, "must be one of "+strings.Join(allowed, ", "))
		return def
	}
	return s
}

func (r *configReader) stringList(k string, re *regexp.Regexp, what string) []string {
	s, ok := r.raw(k)
	if !ok || strings.TrimSpace(s) == "" {
		return nil
	}
	var out []string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		r.fail(k, s, "must be a list of "+what)
		return nil
	}
	for _, v := range out {
		if !re.MatchString(v) {
			r.fail(k, v, "each entry must be "+what)
			return nil
		}
	}
	return out
}

// stringMap reads an object config value whose values are strings (or
// scalars, which are rendered as the CLI would print them).
func (r *configReader) stringMap(k string, secret bool) map[string]string {
	s, ok := r.raw(k)
	if !ok || strings.TrimSpace(s) == "" {
		return map[string]string{}
	}
	var raw map[string]any
	shown := s
	if secret {
		shown = "[secret]"
	}
	if err := json.Unmarshal([]byte(s), &raw); err != nil {
		r.fail(k, shown, "must be an object of NAME: value pairs")
		return map[string]string{}
	}
	out := make(map[string]string, len(raw))
	for name, v := range raw {
		if !envNameRE.MatchString(name) {
			r.fail(k, name, "names must be environment variable names ([A-Za-z_][A-Za-z0-9_]*)")
			continue
		}
		if reservedEnvKey[name] {
			r.fail(k, name, "is set by the program from containerPort, drainDelaySeconds and stopTimeout; use those keys")
			continue
		}
		switch v := v.(type) {
		case string:
			out[name] = v
		case float64, bool:
			out[name] = fmt.Sprint(v)
		default:
			r.fail(k, name, "values must be strings, numbers or booleans")
		}
	}
	return out
}

// LoadConfig reads and validates the stack config of the current project.
// It returns one error listing every bad key, before any resource exists.
// Each area reads its own keys (config_*.go); later areas may check
// combinations with keys read before them.
func LoadConfig(ctx *pulumi.Context) (*Config, error) {
	r := &configReader{ctx: ctx, ns: ctx.Project()}
	r.declaredKeys() // config_keys.go: a key Pulumi.yaml does not declare is a mistake
	c := &Config{}
	r.task(c)
	r.build(c)
	r.operations(c)
	r.loadBalancer(c)
	r.network(c)
	r.scaling(c)
	r.secrets(c)
	r.monitoring(c)
	r.schedules(c)
	r.services(c)
	if len(r.errs) > 0 {
		return nil, errors.New("invalid stack configuration:\n  - " + strings.Join(unique(r.errs), "\n  - "))
	}
	return c, nil
}

// unique drops repeated messages (a bad top-level key read again for
// each service that inherits it), keeping the first of each.
func unique(msgs []string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range msgs {
		if !seen[m] {
			seen[m] = true
			out = append(out, m)
		}
	}
	return out
}

func describeMemory(cpu int) string {
	m := fargateMemory[cpu]
	if len(m) <= 3 {
		return joinInts(m)
	}
	return fmt.Sprintf("%d to %d in steps of %d", m[0], m[len(m)-1], m[1]-m[0])
}

func joinInts(v []int) string {
	s := make([]string, len(v))
	for i, n := range v {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

func validCIDR(s string, minPrefix, maxPrefix int) bool {
	p, err := netip.ParsePrefix(s)
	return err == nil && p.Addr().Is4() && p.Masked() == p && p.Bits() >= minPrefix && p.Bits() <= maxPrefix
}

// Worker reports whether the service is a worker: no port, no inbound
// traffic.
func (c *Config) Worker() bool { return c.ContainerPort == 0 }
