package infra

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
)

// ContainerDefinition is the subset of the ECS container definition this
// program sets, typed so the JSON is produced by encoding/json, never by a
// string template.
//
// The JSON must survive a round trip: the provider compares it with what
// DescribeTaskDefinition returns, after its own normalisation
// (terraform-provider-aws internal/service/ecs/container_definitions.go,
// containerDefinitionsAreEquivalent/reduce: containers, environment and
// secrets sorted by name; essential defaults to true; health check interval,
// retries and timeout default to 30/3/5; port protocol "tcp" and a zero
// hostPort dropped, hostPort = containerPort on awsvpc; EMPTY TOP-LEVEL
// LISTS treated as absent). Anything else that differs is a diff, and a
// diff of a task definition is a new revision and a rolling deployment on
// every `pulumi up`. So:
//   - fields AWS fills in on read and the provider does not normalise are
//     written out as AWS returns them: cpu 0;
//   - nothing is sent that AWS need not echo back: no zero-valued field the
//     normaliser does not know (privileged: false, a parameter Fargate does
//     not support at all; readonlyRootFilesystem: false with ECS Exec) and
//     no empty NESTED list (logConfiguration.secretOptions,
//     linuxParameters.capabilities.add), which reduce does not drop.
//
// TestContainerDefinitionRoundTrip pins this.
type ContainerDefinition struct {
	Name                   string            `json:"name"`
	Image                  string            `json:"image"`
	Essential              bool              `json:"essential"`
	CPU                    int               `json:"cpu"`
	PortMappings           []PortMapping     `json:"portMappings"`
	Environment            []KeyValue        `json:"environment"`
	Secrets                []Secret          `json:"secrets,omitempty"`
	MountPoints            []MountPoint      `json:"mountPoints"`
	VolumesFrom            []any             `json:"volumesFrom"`
	SystemControls         []any             `json:"systemControls"`
	LogConfiguration       LogConfiguration  `json:"logConfiguration"`
	HealthCheck            *HealthCheck      `json:"healthCheck,omitempty"`
	StopTimeout            int               `json:"stopTimeout"`
	User                   string            `json:"user"`
	ReadonlyRootFilesystem bool              `json:"readonlyRootFilesystem,omitempty"`
	LinuxParameters        *LinuxParameters  `json:"linuxParameters,omitempty"`
	Command                []string          `json:"command,omitempty"`
	DockerLabels           map[string]string `json:"dockerLabels,omitempty"`
}

// PortMapping maps a container port; on awsvpc hostPort must equal containerPort.
type PortMapping struct {
	Name          string `json:"name,omitempty"`
	ContainerPort int    `json:"containerPort"`
	HostPort      int    `json:"hostPort"`
	Protocol      string `json:"protocol"`
	AppProtocol   string `json:"appProtocol,omitempty"`
}

// KeyValue is a plain environment variable.
type KeyValue struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Secret injects a Secrets Manager secret as an environment variable; the
// value never appears in the task definition.
type Secret struct {
	Name      string `json:"name"`
	ValueFrom string `json:"valueFrom"`
}

// MountPoint mounts a task volume into the container.
type MountPoint struct {
	SourceVolume  string `json:"sourceVolume"`
	ContainerPath string `json:"containerPath"`
	ReadOnly      bool   `json:"readOnly"`
}

// LogConfiguration selects the log driver.
type LogConfiguration struct {
	LogDriver string            `json:"logDriver"`
	Options   map[string]string `json:"options"`
	// SecretOptions is never sent empty (see ContainerDefinition).
	SecretOptions []Secret `json:"secretOptions,omitempty"`
}

// HealthCheck is the container health check. Times are seconds.
type HealthCheck struct {
	Command     []string `json:"command"`
	Interval    int      `json:"interval"`
	Timeout     int      `json:"timeout"`
	Retries     int      `json:"retries"`
	StartPeriod int      `json:"startPeriod"`
}

// LinuxParameters holds kernel-level settings.
type LinuxParameters struct {
	InitProcessEnabled bool          `json:"initProcessEnabled,omitempty"`
	Capabilities       *Capabilities `json:"capabilities,omitempty"`
}

// Capabilities adds or drops Linux capabilities.
type Capabilities struct {
	Add  []string `json:"add,omitempty"`
	Drop []string `json:"drop,omitempty"`
}

// Validate checks the definition against the ECS limits this program can
// get wrong, so a bad value fails at preview rather than at deploy.
func (c ContainerDefinition) Validate() error {
	if hc := c.HealthCheck; hc != nil {
		switch {
		case hc.Interval < 5 || hc.Interval > 300:
			return fmt.Errorf("container %s: health check interval %d s outside 5-300", c.Name, hc.Interval)
		case hc.Timeout < 2 || hc.Timeout > 60:
			return fmt.Errorf("container %s: health check timeout %d s outside 2-60", c.Name, hc.Timeout)
		case hc.Timeout >= hc.Interval:
			return fmt.Errorf("container %s: health check timeout %d s must be below the interval %d s", c.Name, hc.Timeout, hc.Interval)
		case hc.Retries < 1 || hc.Retries > 10:
			return fmt.Errorf("container %s: health check retries %d outside 1-10", c.Name, hc.Retries)
		case hc.StartPeriod < 0 || hc.StartPeriod > 300:
			return fmt.Errorf("container %s: health check start period %d s outside 0-300", c.Name, hc.StartPeriod)
		}
	}
	if c.StopTimeout < 2 || c.StopTimeout > 120 {
		return fmt.Errorf("container %s: stopTimeout %d s outside 2-120 (Fargate)", c.Name, c.StopTimeout)
	}
	for _, p := range c.PortMappings {
		if p.HostPort != p.ContainerPort {
			return fmt.Errorf("container %s: awsvpc needs hostPort == containerPort, got %d/%d", c.Name, p.HostPort, p.ContainerPort)
		}
	}
	return nil
}

// ContainerDefinitionsJSON validates and marshals the definitions.
func ContainerDefinitionsJSON(defs ...ContainerDefinition) (string, error) {
	for _, d := range defs {
		if err := d.Validate(); err != nil {
			return "", err
		}
	}
	b, err := json.Marshal(defs)
	return string(b), err
}

// SortedEnv turns a map into the name-sorted list ECS stores, so map
// iteration order never produces a spurious diff.
func SortedEnv(m map[string]string) []KeyValue {
	out := make([]KeyValue, 0, len(m))
	for k, v := range m {
		out = append(out, KeyValue{Name: k, Value: v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Seconds renders a Go-duration string for the app's env (e.g. "5s").
func Seconds(n int) string { return strconv.Itoa(n) + "s" }
