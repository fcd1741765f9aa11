package local

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fargateship/fargateship/infra"
)

// createBody is the create body as the engine receives it (JSON).
type createBody struct {
	Image, User  string
	Env          []string
	Cmd          []string
	StopTimeout  int
	Labels       map[string]string
	ExposedPorts map[string]any
	Healthcheck  struct {
		Test                           []string
		Interval, Timeout, StartPeriod time.Duration
		Retries                        int
	}
	HostConfig struct {
		ReadonlyRootfs bool
		Memory         int64
		NanoCpus       int64 `json:"NanoCpus"`
		Init           *bool
		CapDrop        []string
		CapAdd         []string
		NetworkMode    string
		PortBindings   map[string][]struct{ HostIP, HostPort string } `json:"PortBindings"`
	}
	NetworkingConfig struct {
		EndpointsConfig map[string]struct{ Aliases []string }
	}
}

// TestCreateBody: the container the engine creates carries every setting
// of the task definition's container definition, from the program's own
// infra.AppContainer, for the stacks that ship: the default hardening
// (read-only root, no capabilities, user 65532), ECS Exec's exceptions
// (dev: init process, writable root), a worker (no port, no health
// check: the image's own HEALTHCHECK is turned off), a command, secrets by
// name, the task size, and the placement on the stack's network.
func TestCreateBody(t *testing.T) {
	shop, err := LoadStack(root, "examples/shop/stack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dev, err := LoadStack(root, "dev")
	if err != nil {
		t.Fatal(err)
	}
	withCommand := *shop.Config.Services[2]
	withCommand.Command = []string{"report", "--full"}
	withSecrets := *shop.Config.Services[1]
	withSecrets.SecretNames = []string{"API_KEY", "DB_PASSWORD"}
	for _, tc := range []struct {
		name    string
		cfg     *infra.Config
		secrets map[string]string
		place   Placement
		check   func(t *testing.T, b createBody, def infra.ContainerDefinition)
	}{
		{"shop app on the network, published", shop.Config.Services[0], nil,
			Placement{Network: "net1", Alias: "app", Publish: true, Labels: map[string]string{"k": "v"}},
			func(t *testing.T, b createBody, _ infra.ContainerDefinition) {
				if !b.HostConfig.ReadonlyRootfs || !slices.Equal(b.HostConfig.CapDrop, []string{"ALL"}) || b.HostConfig.Init == nil || *b.HostConfig.Init {
					t.Errorf("hardening: read-only %v, cap drop %v, init %v", b.HostConfig.ReadonlyRootfs, b.HostConfig.CapDrop, b.HostConfig.Init)
				}
				if b.HostConfig.NetworkMode != "net1" || !slices.Equal(b.NetworkingConfig.EndpointsConfig["net1"].Aliases, []string{"app"}) {
					t.Errorf("network %q, endpoints %+v", b.HostConfig.NetworkMode, b.NetworkingConfig.EndpointsConfig)
				}
				pb := b.HostConfig.PortBindings["8080/tcp"]
				if len(pb) != 1 || pb[0].HostIP != "127.0.0.1" || pb[0].HostPort != "" || b.ExposedPorts["8080/tcp"] == nil {
					t.Errorf("port bindings %+v, exposed %v; want 8080/tcp on 127.0.0.1, any port", b.HostConfig.PortBindings, b.ExposedPorts)
				}
				// The shop's task size: 512 CPU units, 1024 MiB.
				if b.HostConfig.Memory != 1024<<20 || b.HostConfig.NanoCpus != 500_000_000 {
					t.Errorf("memory %d, NanoCpus %d; want 1 GiB and 0.5 CPU", b.HostConfig.Memory, b.HostConfig.NanoCpus)
				}
				if b.Labels["k"] != "v" {
					t.Errorf("labels %v", b.Labels)
				}
			}},
		{"dev app with ECS Exec", dev.Config, nil, Placement{}, func(t *testing.T, b createBody, _ infra.ContainerDefinition) {
			if b.HostConfig.ReadonlyRootfs || len(b.HostConfig.CapDrop) != 0 || b.HostConfig.Init == nil || !*b.HostConfig.Init {
				t.Errorf("ECS Exec: read-only %v, cap drop %v, init %v; want a writable root, capabilities kept, an init process",
					b.HostConfig.ReadonlyRootfs, b.HostConfig.CapDrop, b.HostConfig.Init)
			}
			if !slices.Contains(b.Env, "GREETING=Hello from the dev stack!") || b.HostConfig.NetworkMode != "" || b.HostConfig.PortBindings != nil {
				t.Errorf("env %q, network %q, bindings %v", b.Env, b.HostConfig.NetworkMode, b.HostConfig.PortBindings)
			}
			if b.HostConfig.Memory != 512<<20 || b.HostConfig.NanoCpus != 250_000_000 {
				t.Errorf("memory %d, NanoCpus %d; want dev's 512 MiB and 0.25 CPU", b.HostConfig.Memory, b.HostConfig.NanoCpus)
			}
		}},
		{"shop worker", shop.Config.Services[2], nil, Placement{Network: "net1", Publish: true}, func(t *testing.T, b createBody, _ infra.ContainerDefinition) {
			if !slices.Equal(b.Healthcheck.Test, []string{"NONE"}) || len(b.ExposedPorts) != 0 || len(b.HostConfig.PortBindings) != 0 || len(b.Cmd) != 0 {
				t.Errorf("worker: health %v, exposed %v, bindings %v, cmd %q", b.Healthcheck.Test, b.ExposedPorts, b.HostConfig.PortBindings, b.Cmd)
			}
			if len(b.NetworkingConfig.EndpointsConfig["net1"].Aliases) != 0 || !slices.Contains(b.Env, "REPORT_NAME=nightly") {
				t.Errorf("worker: endpoints %+v, env %q", b.NetworkingConfig.EndpointsConfig, b.Env)
			}
		}},
		{"a command", &withCommand, nil, Placement{}, func(t *testing.T, b createBody, _ infra.ContainerDefinition) {
			if !slices.Equal(b.Cmd, []string{"report", "--full"}) {
				t.Errorf("Cmd %q, want the definition's command", b.Cmd)
			}
		}},
		{"secrets", &withSecrets, map[string]string{"API_KEY": "k=1", "DB_PASSWORD": "p w", "OTHER": "x"}, Placement{}, func(t *testing.T, b createBody, _ infra.ContainerDefinition) {
			if !slices.Contains(b.Env, "API_KEY=k=1") || !slices.Contains(b.Env, "DB_PASSWORD=p w") || slices.ContainsFunc(b.Env, func(s string) bool { return strings.HasPrefix(s, "OTHER=") }) {
				t.Errorf("env %q: want exactly the service's secrets", b.Env)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			refs := make([]string, len(tc.cfg.SecretNames))
			def := infra.AppContainer(tc.cfg, "img:1", "/ecs/x", "local", tc.cfg.SecretNames, refs)
			raw, port, err := CreateBody(tc.cfg, def, tc.secrets, tc.place)
			if err != nil {
				t.Fatal(err)
			}
			data, err := json.Marshal(raw)
			if err != nil {
				t.Fatal(err)
			}
			var b createBody
			if err := json.Unmarshal(data, &b); err != nil {
				t.Fatal(err)
			}
			// What every container gets from its definition.
			if b.Image != "img:1" || b.User != def.User || b.User != "65532:65532" || b.StopTimeout != def.StopTimeout || b.StopTimeout != tc.cfg.StopTimeoutSeconds {
				t.Errorf("image %q user %q stop timeout %d; definition %q %q %d", b.Image, b.User, b.StopTimeout, def.Image, def.User, def.StopTimeout)
			}
			for _, kv := range def.Environment {
				if !slices.Contains(b.Env, kv.Name+"="+kv.Value) {
					t.Errorf("env lacks %s=%s: %q", kv.Name, kv.Value, b.Env)
				}
			}
			if len(b.Env) != len(def.Environment)+len(def.Secrets) {
				t.Errorf("env %q: %d entries, definition %d variables and %d secrets", b.Env, len(b.Env), len(def.Environment), len(def.Secrets))
			}
			if hc := def.HealthCheck; hc != nil {
				want := HealthOf(hc)
				if !slices.Equal(b.Healthcheck.Test, hc.Command) || b.Healthcheck.Interval != want.Interval || b.Healthcheck.Timeout != want.Timeout ||
					b.Healthcheck.Retries != hc.Retries || b.Healthcheck.StartPeriod != want.StartPeriod {
					t.Errorf("health check %+v, definition %+v", b.Healthcheck, *hc)
				}
			}
			if (port == "") != tc.cfg.Worker() || (port != "" && port != "9090/tcp" && port != "8080/tcp") {
				t.Errorf("port %q for container port %d", port, tc.cfg.ContainerPort)
			}
			tc.check(t, b, def)
		})
	}
}

// TestCreateBodyRefuses what it cannot map, rather than drop it.
func TestCreateBodyRefuses(t *testing.T) {
	cfg, err := DefaultConfig(root)
	if err != nil {
		t.Fatal(err)
	}
	base := infra.AppContainer(cfg, "img", "/ecs/x", "local", []string{"DB_PASSWORD"}, []string{"arn"})
	for name, tc := range map[string]struct {
		mutate func(*infra.ContainerDefinition)
		want   string
	}{
		"secret without a value": {func(*infra.ContainerDefinition) {}, "secret DB_PASSWORD has no local value"},
		"mount point": {func(d *infra.ContainerDefinition) {
			d.MountPoints = []infra.MountPoint{{SourceVolume: "v", ContainerPath: "/data"}}
		}, "mount points"},
		"two ports": {func(d *infra.ContainerDefinition) {
			d.PortMappings = append(d.PortMappings, infra.PortMapping{ContainerPort: 9, Protocol: "tcp"})
		}, "2 port mappings"},
	} {
		def := base
		tc.mutate(&def)
		if _, _, err := CreateBody(cfg, def, nil, Placement{}); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error with %q", name, err, tc.want)
		}
	}
}
