package infra

import (
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// The provider decides whether a task definition changed by comparing the
// container definitions JSON in the program with the one it read back from
// DescribeTaskDefinition, both first passed through its normaliser
// (terraform-provider-aws internal/service/ecs/container_definitions.go,
// containerDefinitionsAreEquivalent → reduce). A difference is a new
// revision and a rolling deployment on every `pulumi up`. These tests pin
// what the program sends so that a second `up` with no change is empty.

// echoedZeroValues are the only fields that may be sent with a zero value
// (false, 0, "", empty list or object). Each is one that AWS returns on
// read whether or not it was sent, or that reduce drops when empty:
//   - cpu: DescribeTaskDefinition returns "cpu": 0 for a container that
//     set none (the default of the ContainerDefinition cpu parameter), and
//     reduce does not normalise it, so it is sent as 0;
//   - the top-level lists: reduce sets every empty top-level list to nil on
//     both sides ("Set all empty slices to nil"), so [] and absent compare
//     equal; they are written out as AWS returns them.
//
// Everything else with a zero value is one AWS may or may not echo, and
// reduce does not forgive: privileged: false (a parameter Fargate does not
// support), an empty logConfiguration.secretOptions or
// linuxParameters.capabilities.add (nested lists reduce never visits).
var echoedZeroValues = map[string]bool{
	"cpu":            true,
	"mountPoints":    true,
	"volumesFrom":    true,
	"systemControls": true,
	"portMappings":   true,
	"environment":    true,
}

// zeroValuedFields lists the JSON paths of a container definition whose
// value is false, 0, "" or an empty list or object.
func zeroValuedFields(prefix string, v any) []string {
	var out []string
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 0 && prefix != "" {
			return []string{prefix}
		}
		for k, e := range v {
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			out = append(out, zeroValuedFields(p, e)...)
		}
	case []any:
		if len(v) == 0 {
			return []string{prefix}
		}
		for i, e := range v {
			out = append(out, zeroValuedFields(fmt.Sprintf("%s[%d]", prefix, i), e)...)
		}
	case bool:
		if !v {
			out = append(out, prefix)
		}
	case float64:
		if v == 0 {
			out = append(out, prefix)
		}
	case string:
		if v == "" {
			out = append(out, prefix)
		}
	}
	sort.Strings(out)
	return out
}

// reduce is the provider's normalisation (container_definitions.go,
// containerDefinitions.reduce) for the fields this program sets, applied to
// the ECS API's own types.
func reduce(defs []ecstypes.ContainerDefinition) {
	slices.SortFunc(defs, func(a, b ecstypes.ContainerDefinition) int { return strings.Compare(*a.Name, *b.Name) })
	for i := range defs {
		d := &defs[i]
		slices.SortFunc(d.Environment, func(a, b ecstypes.KeyValuePair) int { return strings.Compare(*a.Name, *b.Name) })
		slices.SortFunc(d.Secrets, func(a, b ecstypes.Secret) int { return strings.Compare(*a.Name, *b.Name) })
		if d.Essential == nil {
			d.Essential = ptr(true)
		}
		if hc := d.HealthCheck; hc != nil {
			if hc.Interval == nil {
				hc.Interval = ptr(int32(30))
			}
			if hc.Retries == nil {
				hc.Retries = ptr(int32(3))
			}
			if hc.Timeout == nil {
				hc.Timeout = ptr(int32(5))
			}
		}
		for j, pm := range d.PortMappings {
			if pm.Protocol == ecstypes.TransportProtocolTcp {
				d.PortMappings[j].Protocol = ""
			}
			if pm.HostPort == nil || *pm.HostPort == 0 {
				d.PortMappings[j].HostPort = d.PortMappings[j].ContainerPort // awsvpc
			}
		}
		if len(d.Command) == 0 {
			d.Command = nil
		}
		if len(d.Environment) == 0 {
			d.Environment = nil
		}
		if len(d.MountPoints) == 0 {
			d.MountPoints = nil
		}
		if len(d.PortMappings) == 0 {
			d.PortMappings = nil
		}
		if len(d.Secrets) == 0 {
			d.Secrets = nil
		}
		if len(d.SystemControls) == 0 {
			d.SystemControls = nil
		}
		if len(d.VolumesFrom) == 0 {
			d.VolumesFrom = nil
		}
	}
}

func ptr[T any](v T) *T { return &v }

// describeTaskDefinition models what DescribeTaskDefinition returns for
// container definitions registered from sent: the stored values in the
// API's types (which drops anything the API does not know), with the
// top-level lists and cpu filled in when they were not sent, and with no
// field that holds a zero value AWS does not document as returned.
func describeTaskDefinition(t *testing.T, sent string) []ecstypes.ContainerDefinition {
	t.Helper()
	var defs []ecstypes.ContainerDefinition
	if err := json.Unmarshal([]byte(sent), &defs); err != nil {
		t.Fatalf("the ECS API types do not accept the container definitions: %v", err)
	}
	for i := range defs {
		d := &defs[i]
		if d.MountPoints == nil {
			d.MountPoints = []ecstypes.MountPoint{}
		}
		if d.VolumesFrom == nil {
			d.VolumesFrom = []ecstypes.VolumeFrom{}
		}
		if d.SystemControls == nil {
			d.SystemControls = []ecstypes.SystemControl{}
		}
		if d.Environment == nil {
			d.Environment = []ecstypes.KeyValuePair{}
		}
		if d.PortMappings == nil {
			d.PortMappings = []ecstypes.PortMapping{}
		}
		// ECS returns cpu 0 for a container without a cpu value.
		d.Cpu = max(d.Cpu, 0)
	}
	return defs
}

func canonical(t *testing.T, defs []ecstypes.ContainerDefinition) string {
	t.Helper()
	reduce(defs)
	b, err := json.Marshal(defs)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// roundTripConfigs are the container shapes the program produces: the
// shipped defaults, exec on (dev, sandbox) and off (prod), with plain and
// secret environment variables.
func roundTripConfigs() map[string]ContainerDefinition {
	base := Config{ContainerPort: 8080, DrainDelaySeconds: 5, StopTimeoutSeconds: 30}
	withEnv := base
	withEnv.Environment = map[string]string{"GREETING": "hi", "A": "1"}
	exec := base
	exec.ECSExec = true
	arn := "arn:aws:secretsmanager:us-east-1:123456789012:secret:/fargateship-dev/DB-AbCdEf:::v1"
	return map[string]ContainerDefinition{
		"default":     AppContainer(&base, "img:src-1", "/ecs/x", "us-east-1", nil, nil),
		"environment": AppContainer(&withEnv, "img:src-1", "/ecs/x", "us-east-1", nil, nil),
		"ecsExec":     AppContainer(&exec, "img:src-1", "/ecs/x", "us-east-1", nil, nil),
		"secrets":     AppContainer(&base, "img:src-1", "/ecs/x", "us-east-1", []string{"DB", "API"}, []string{arn, arn}),
	}
}

// TestContainerDefinitionRoundTrip checks, for every container shape the
// program produces, that (1) every zero value it sends is one AWS echoes or
// the provider forgives, and (2) the provider's normalised form of what it
// sends equals the normalised form of what DescribeTaskDefinition returns,
// so a second `pulumi up` registers no revision.
func TestContainerDefinitionRoundTrip(t *testing.T) {
	for name, def := range roundTripConfigs() {
		t.Run(name, func(t *testing.T) {
			sent, err := ContainerDefinitionsJSON(def)
			if err != nil {
				t.Fatal(err)
			}
			var raw []any
			if err := json.Unmarshal([]byte(sent), &raw); err != nil {
				t.Fatal(err)
			}
			for _, path := range zeroValuedFields("", raw[0]) {
				if !echoedZeroValues[path] {
					t.Errorf("container definition sends %s with a zero value: AWS need not echo it and the provider does not normalise it, so every up would register a new revision; omit it", path)
				}
			}
			var fromProgram []ecstypes.ContainerDefinition
			if err := json.Unmarshal([]byte(sent), &fromProgram); err != nil {
				t.Fatal(err)
			}
			if got, want := canonical(t, fromProgram), canonical(t, describeTaskDefinition(t, sent)); got != want {
				t.Errorf("normalised definitions differ: a second up would show a diff\nprogram: %s\nread:    %s", got, want)
			}
		})
	}
}

// TestContainerJSONPinned pins the exact JSON of the default container, so
// any new field is a deliberate change reviewed against the round trip.
func TestContainerJSONPinned(t *testing.T) {
	c := AppContainer(&Config{ContainerPort: 8080, DrainDelaySeconds: 5, StopTimeoutSeconds: 30, Environment: map[string]string{"B": "2", "A": "1"}}, "img", "/ecs/x", "us-east-1", nil, nil)
	got, err := ContainerDefinitionsJSON(c)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"name":"app","image":"img","essential":true,"cpu":0,` +
		`"portMappings":[{"name":"http","containerPort":8080,"hostPort":8080,"protocol":"tcp","appProtocol":"http"}],` +
		`"environment":[{"name":"A","value":"1"},{"name":"B","value":"2"},{"name":"DRAIN_DELAY","value":"5s"},{"name":"PORT","value":"8080"},{"name":"SHUTDOWN_TIMEOUT","value":"23s"}],` +
		`"mountPoints":[],"volumesFrom":[],"systemControls":[],` +
		`"logConfiguration":{"logDriver":"awslogs","options":{"awslogs-group":"/ecs/x","awslogs-region":"us-east-1","awslogs-stream-prefix":"app","max-buffer-size":"25m","mode":"non-blocking"}},` +
		`"healthCheck":{"command":["CMD","/server","healthcheck"],"interval":10,"timeout":5,"retries":3,"startPeriod":10},` +
		`"stopTimeout":30,"user":"65532:65532","readonlyRootFilesystem":true,` +
		`"linuxParameters":{"capabilities":{"drop":["ALL"]}}}]`
	if got != want {
		t.Errorf("container JSON changed:\n got %s\nwant %s", got, want)
	}
}
