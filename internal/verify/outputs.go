package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
)

// Outputs are the Pulumi stack outputs the verifier needs. The JSON names
// are the stack output names exported by the infra program.
type Outputs struct {
	ClusterName            string `json:"clusterName"`
	ServiceName            string `json:"serviceName"`
	TaskDefinitionArn      string `json:"taskDefinitionArn"`
	TaskDefinitionRevision int    `json:"taskDefinitionRevision"`
	RepositoryName         string `json:"repositoryName"`
	ImageTag               string `json:"imageTag"`
	ImageDigest            string `json:"imageDigest"`
	LogGroupName           string `json:"logGroupName"`
	Region                 string `json:"region"`
	URL                    string `json:"url"`
	// AlarmNames are the stack's CloudWatch alarm names (infra/alarms.go,
	// exported when `alarms: true`); nil when the output is absent.
	AlarmNames []string `json:"alarmNames"`
	// Services is the `services` output of a stack with several services
	// (one cluster, clusterName): name -> its outputs; nil when absent.
	Services map[string]ServiceOutputs `json:"services"`
}

// ParseOutputs decodes the JSON printed by `pulumi stack output --json`.
// Unknown keys are ignored. taskDefinitionRevision may be a JSON number or a
// numeric string; when it is absent it is taken from the task definition ARN.
// alarmNames is a JSON list of strings; services an object of services
// (see ServiceOutputs). Secret values (printed as "[secret]") are treated as
// absent.
func ParseOutputs(data []byte) (Outputs, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return Outputs{}, fmt.Errorf("stack outputs are not a JSON object: %w", err)
	}
	var o Outputs
	str := func(key string, dst *string) error {
		v, ok := raw[key]
		if !ok || string(v) == "null" {
			return nil
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return fmt.Errorf("stack output %q is not a string: %s", key, v)
		}
		if s == "[secret]" {
			s = ""
		}
		*dst = strings.TrimSpace(s)
		return nil
	}
	for key, dst := range map[string]*string{
		"clusterName":       &o.ClusterName,
		"serviceName":       &o.ServiceName,
		"taskDefinitionArn": &o.TaskDefinitionArn,
		"repositoryName":    &o.RepositoryName,
		"imageTag":          &o.ImageTag,
		"imageDigest":       &o.ImageDigest,
		"logGroupName":      &o.LogGroupName,
		"region":            &o.Region,
		"url":               &o.URL,
	} {
		if err := str(key, dst); err != nil {
			return Outputs{}, err
		}
	}
	if v, ok := raw["taskDefinitionRevision"]; ok && string(v) != "null" {
		var n json.Number
		if err := json.Unmarshal(v, &n); err != nil {
			var s string
			if err2 := json.Unmarshal(v, &s); err2 != nil {
				return Outputs{}, fmt.Errorf("stack output \"taskDefinitionRevision\" is not a number: %s", v)
			}
			n = json.Number(s)
		}
		rev, err := strconv.Atoi(string(n))
		if err != nil {
			return Outputs{}, fmt.Errorf("stack output \"taskDefinitionRevision\" is not a whole number: %s", v)
		}
		o.TaskDefinitionRevision = rev
	}
	if v, ok := raw["alarmNames"]; ok && string(v) != "null" && string(v) != `"[secret]"` {
		names, err := parseAlarmNames(v)
		if err != nil {
			return Outputs{}, err
		}
		o.AlarmNames = names
	}
	if v, ok := raw["services"]; ok && string(v) != "null" && string(v) != `"[secret]"` {
		services, err := parseServices(v)
		if err != nil {
			return Outputs{}, err
		}
		o.Services = services
	}
	return o, nil
}

// parseAlarmNames decodes the alarmNames output: a list of non-empty
// strings (duplicates dropped, order kept).
func parseAlarmNames(v json.RawMessage) ([]string, error) {
	var list []string
	if err := json.Unmarshal(v, &list); err != nil {
		return nil, fmt.Errorf("stack output \"alarmNames\" is not a list of alarm names (strings): %s", v)
	}
	names := []string{}
	seen := map[string]bool{}
	for i, n := range list {
		n = strings.TrimSpace(n)
		if n == "" {
			return nil, fmt.Errorf("stack output \"alarmNames\" has an empty name at index %d: %s", i, v)
		}
		if !seen[n] {
			seen[n] = true
			names = append(names, n)
		}
	}
	return names, nil
}

// ReadOutputsFile reads stack outputs from a JSON file (the saved output of
// `pulumi stack output --json`).
func ReadOutputsFile(path string) (Outputs, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Outputs{}, fmt.Errorf("cannot read outputs file: %w", err)
	}
	o, err := ParseOutputs(data)
	if err != nil {
		return Outputs{}, fmt.Errorf("%s: %w", path, err)
	}
	return o, nil
}

// ErrNoPulumi is returned when the pulumi CLI is not on PATH.
var ErrNoPulumi = errors.New("the pulumi CLI is not on PATH (install it, or pass -outputs FILE or the explicit flags)")

// ReadStackOutputs runs `pulumi stack output --json --show-secrets=false -s
// stack` (in dir, when not empty) and parses what it prints. The error of a
// failing pulumi (unknown stack, not logged in) is reduced to its first line.
func ReadStackOutputs(ctx context.Context, pulumiBin, dir, stack string) (Outputs, error) {
	if pulumiBin == "" {
		pulumiBin = "pulumi"
	}
	path, err := exec.LookPath(pulumiBin)
	if err != nil {
		return Outputs{}, ErrNoPulumi
	}
	cmd := exec.CommandContext(ctx, path, "stack", "output", "--json", "--show-secrets=false", "-s", stack)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		msg := firstLine(stderr.String())
		if msg == "" {
			msg = err.Error()
		}
		return Outputs{}, fmt.Errorf("pulumi stack output -s %s failed: %s", stack, msg)
	}
	o, err := ParseOutputs(stdout.Bytes())
	if err != nil {
		return Outputs{}, fmt.Errorf("pulumi stack output -s %s: %w", stack, err)
	}
	return o, nil
}

func firstLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		line = strings.TrimSpace(line)
		if line != "" {
			return line
		}
	}
	return ""
}

// Merge returns o with every non-empty field of override replacing o's. An
// explicit service or task definition names one service: the `services`
// output is then set aside.
func (o Outputs) Merge(override Outputs) Outputs {
	if override.ServiceName != "" || override.TaskDefinitionArn != "" {
		o.Services = nil
	}
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&o.ClusterName, override.ClusterName)
	set(&o.ServiceName, override.ServiceName)
	set(&o.TaskDefinitionArn, override.TaskDefinitionArn)
	set(&o.RepositoryName, override.RepositoryName)
	set(&o.ImageTag, override.ImageTag)
	set(&o.ImageDigest, override.ImageDigest)
	set(&o.LogGroupName, override.LogGroupName)
	set(&o.Region, override.Region)
	set(&o.URL, override.URL)
	if override.TaskDefinitionRevision != 0 {
		o.TaskDefinitionRevision = override.TaskDefinitionRevision
	}
	return o
}

// Normalize fills the revision from the task definition ARN when it is
// missing.
func (o Outputs) Normalize() Outputs {
	if o.TaskDefinitionRevision == 0 {
		if _, rev, ok := ParseTaskDefinitionArn(o.TaskDefinitionArn); ok {
			o.TaskDefinitionRevision = rev
		}
	}
	return o
}

// Missing names the required outputs that are empty. The image outputs are
// only required when the scan check is on (with a `services` output, an
// image of a service will do); logGroupName is optional (the report then
// has no log lines) and url is optional (no URL check).
func (o Outputs) Missing(needImage bool) []string {
	var m []string
	if o.ClusterName == "" {
		m = append(m, "clusterName")
	}
	if len(o.Services) == 0 {
		if o.ServiceName == "" {
			m = append(m, "serviceName")
		}
		if o.TaskDefinitionArn == "" {
			m = append(m, "taskDefinitionArn")
		}
	}
	if needImage && (o.RepositoryName != "" || len(o.ScanTargets()) == 0) {
		if o.RepositoryName == "" {
			m = append(m, "repositoryName")
		}
		if o.ImageTag == "" && o.ImageDigest == "" {
			m = append(m, "imageTag (or imageDigest)")
		}
	}
	return m
}

// ParseTaskDefinitionArn splits ".../task-definition/family:rev" (or
// "family:rev") into family and revision.
func ParseTaskDefinitionArn(arn string) (family string, revision int, ok bool) {
	s := arn
	if i := strings.LastIndex(s, "/"); i >= 0 {
		s = s[i+1:]
	}
	i := strings.LastIndex(s, ":")
	if i <= 0 {
		return "", 0, false
	}
	rev, err := strconv.Atoi(s[i+1:])
	if err != nil {
		return "", 0, false
	}
	return s[:i], rev, true
}

// SameTaskDef reports whether running (an ARN, as ECS reports it) is the
// task definition expected names: the same string, or, when expected is the
// short form "family:revision", the same family and revision.
func SameTaskDef(expected, running string) bool {
	if expected == running {
		return true
	}
	if expected == "" || strings.HasPrefix(expected, "arn:") {
		return false
	}
	ef, er, eok := ParseTaskDefinitionArn(expected)
	rf, rr, rok := ParseTaskDefinitionArn(running)
	return eok && rok && ef == rf && er == rr
}

// taskDefRef is what -task-definition accepts: a task definition ARN
// (arn:PARTITION:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION) or
// FAMILY:REVISION. A family is 1-255 letters, digits, underscores and
// hyphens (ECS RegisterTaskDefinition, "family"); revisions start at 1.
var taskDefRef = regexp.MustCompile(`^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:task-definition/)?[A-Za-z0-9_-]{1,255}:[1-9][0-9]*$`)

// ValidTaskDefRef checks a task definition given on the command line.
func ValidTaskDefRef(s string) error {
	if !taskDefRef.MatchString(s) {
		return fmt.Errorf("-task-definition %q is not a task definition ARN (arn:aws:ecs:REGION:ACCOUNT:task-definition/FAMILY:REVISION) or FAMILY:REVISION", s)
	}
	return nil
}

// ShortTaskDef renders a task definition ARN as "family:rev" (or the input
// when it is not a task definition ARN; "(none)" when empty).
func ShortTaskDef(arn string) string {
	if arn == "" {
		return "(none)"
	}
	if f, r, ok := ParseTaskDefinitionArn(arn); ok {
		return fmt.Sprintf("%s:%d", f, r)
	}
	return arn
}
