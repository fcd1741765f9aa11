package local

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fargateship/fargateship/infra"
)

// root is the project folder.
const root = "../.."

// writeStack writes a stack file Pulumi.<name>.yaml in a folder of its own
// and returns its path.
func writeStack(t *testing.T, name, content string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), "Pulumi."+name+".yaml")
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}

// TestDefaultConfig: the config of a stack that sets no key is the program's
// defaults as declared in Pulumi.yaml and read by infra.LoadConfig.
func TestDefaultConfig(t *testing.T) {
	c, err := DefaultConfig(root)
	if err != nil {
		t.Fatal(err)
	}
	if c.ContainerPort != 8080 || c.StopTimeoutSeconds != 30 || c.DrainDelaySeconds != 5 || c.CPU != 256 || c.Memory != 512 || c.ECSExec {
		t.Errorf("defaults %+v", c)
	}
	if _, err := DefaultConfig(t.TempDir()); err == nil || !strings.Contains(err.Error(), "Pulumi.yaml") {
		t.Errorf("no Pulumi.yaml: %v", err)
	}
}

// TestStackFileConfig: an example's stack lines on the project defaults,
// read by infra.LoadConfig, are what the examples' image tests run.
func TestStackFileConfig(t *testing.T) {
	defaults, err := DefaultConfig(root)
	if err != nil {
		t.Fatal(err)
	}
	api, err := StackFileConfig(root, "examples/api/stack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if api.BuildContext != "examples/api" || api.Dockerfile != "examples/api/Dockerfile" || api.ContainerPort != 9090 ||
		api.HealthCheckPath != "/ready" || !slices.Equal(api.HealthCheckCommand, []string{"/api", "-check"}) || api.Worker() {
		t.Errorf("api: %+v", api)
	}
	// Every key the stack file leaves unset keeps its default.
	if api.CPU != defaults.CPU || api.Memory != defaults.Memory || api.StopTimeoutSeconds != defaults.StopTimeoutSeconds || api.Architecture != defaults.Architecture {
		t.Errorf("api: cpu %d memory %d stop %d arch %s; defaults %d %d %d %s", api.CPU, api.Memory, api.StopTimeoutSeconds, api.Architecture,
			defaults.CPU, defaults.Memory, defaults.StopTimeoutSeconds, defaults.Architecture)
	}
	worker, err := StackFileConfig(root, "examples/worker/stack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sc, ok := worker.Schedules["nightly-report"]
	if !worker.Worker() || worker.HealthCheckCommand == nil || len(worker.HealthCheckCommand) != 0 || !ok || !slices.Equal(sc.Command, []string{"report"}) {
		t.Errorf("worker: port %d, health command %#v, schedules %+v", worker.ContainerPort, worker.HealthCheckCommand, worker.Schedules)
	}
	// A bad stack file is the CLI's or the program's error, naming the key.
	dir := t.TempDir()
	for file, want := range map[string]string{
		"Pulumi.badtype.yaml": "config:\n  fargateship:containerPort: ninety\n",
		"Pulumi.badval.yaml":  "config:\n  fargateship:containerPort: 9090\n  fargateship:healthCheckPath: ready\n",
	} {
		if err := os.WriteFile(filepath.Join(dir, file), []byte(want), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	rel := func(f string) string {
		abs, err := filepath.Abs(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		root, err := filepath.Abs(root)
		if err != nil {
			t.Fatal(err)
		}
		r, err := filepath.Rel(root, abs)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if _, err := StackFileConfig(root, rel("Pulumi.badtype.yaml")); err == nil || !strings.Contains(err.Error(), "containerPort") {
		t.Errorf("containerPort: ninety: %v", err)
	}
	if _, err := StackFileConfig(root, rel("Pulumi.badval.yaml")); err == nil || !strings.Contains(err.Error(), "healthCheckPath") {
		t.Errorf("healthCheckPath: ready: %v", err)
	}
}

// TestLoadStack: a stack argument names a Pulumi.NAME.yaml or a stack
// file; its services are what infra.LoadConfig makes of it.
func TestLoadStack(t *testing.T) {
	for _, tc := range []struct {
		stack, name string
		services    []string
		check       func(t *testing.T, c *infra.Config)
	}{
		{"dev", "dev", []string{infra.AppService}, func(t *testing.T, c *infra.Config) {
			if !c.ECSExec || c.LoadBalancer || c.Environment["GREETING"] != "Hello from the dev stack!" {
				t.Errorf("dev: ecsExec %v, loadBalancer %v, environment %v", c.ECSExec, c.LoadBalancer, c.Environment)
			}
		}},
		{"prod", "prod", []string{infra.AppService}, func(t *testing.T, c *infra.Config) {
			if !c.LoadBalancer || c.ECSExec || c.CPU != 512 {
				t.Errorf("prod: loadBalancer %v, ecsExec %v, cpu %d", c.LoadBalancer, c.ECSExec, c.CPU)
			}
		}},
		{"examples/shop/stack.yaml", "shop", []string{"app", "api", "worker"}, func(t *testing.T, c *infra.Config) {
			api := c.Services[1]
			if !api.Routed() || !slices.Equal(api.Paths, []string{"/api/*"}) || api.Environment["UPSTREAM_URL"] != "http://app:8080" || api.BuildContext != "examples/api" {
				t.Errorf("shop api: routed %v, paths %q, environment %v, context %q", api.Routed(), api.Paths, api.Environment, api.BuildContext)
			}
			if w := c.Services[2]; !w.Worker() || len(w.Schedules) != 1 {
				t.Errorf("shop worker: port %d, schedules %v", w.ContainerPort, w.Schedules)
			}
		}},
		{"examples/api/stack.yaml", "api", []string{infra.AppService}, nil},
	} {
		t.Run(tc.stack, func(t *testing.T) {
			st, err := LoadStack(root, tc.stack)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, s := range st.Config.Services {
				names = append(names, s.Name)
			}
			if st.Name != tc.name || !slices.Equal(names, tc.services) || !strings.HasSuffix(st.File, ".yaml") {
				t.Errorf("stack %q: name %q, file %s, services %q; want %q, %q", tc.stack, st.Name, st.File, names, tc.name, tc.services)
			}
			if tc.check != nil {
				tc.check(t, st.Config)
			}
		})
	}
	// A stack that has no file names the ones there are.
	if _, err := LoadStack(root, "nope"); err == nil || !strings.Contains(err.Error(), "Pulumi.nope.yaml") || !strings.Contains(err.Error(), "dev") {
		t.Errorf("stack nope: %v", err)
	}
	// A bad service is the program's error, naming services.<name>.<field>.
	bad := writeStack(t, "bad", "config:\n  fargateship:loadBalancer: true\n  fargateship:cpu: 512\n  fargateship:memory: 1024\n  fargateship:services:\n    app: {}\n    api:\n      port: 9090\n")
	if _, err := LoadStack(root, bad); err == nil || !strings.Contains(err.Error(), "services.api.port") {
		t.Errorf("services.api.port: %v", err)
	}
}

// TestLoadStackSecrets: a stack's secrets are secure values in its file;
// they load without a passphrase (a local run never decrypts them) and
// each service lists the names it receives.
func TestLoadStackSecrets(t *testing.T) {
	file := writeStack(t, "sec", `config:
  fargateship:loadBalancer: true
  fargateship:cpu: 512
  fargateship:memory: 1024
  fargateship:secrets:
    DB_PASSWORD:
      secure: v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBB
    API_KEY:
      secure: v1:CCCCCCCCCCCCCCCC:DDDDDDDDDDDDDDDDDDDDDDDD
  fargateship:services:
    app:
      secrets: [DB_PASSWORD]
    api:
      buildContext: examples/api
      containerPort: 9090
      paths: ["/api/*"]
      secrets: [API_KEY, DB_PASSWORD]
`)
	st, err := LoadStack(root, file)
	if err != nil {
		t.Fatal(err)
	}
	if got := st.Config.Services; len(got) != 2 || !slices.Equal(got[0].SecretNames, []string{"DB_PASSWORD"}) || !slices.Equal(got[1].SecretNames, []string{"API_KEY", "DB_PASSWORD"}) {
		t.Errorf("secret names: %q, %q", got[0].SecretNames, got[1].SecretNames)
	}
}

func TestStackName(t *testing.T) {
	for file, want := range map[string]string{
		"/p/Pulumi.dev.yaml":             "dev",
		"/p/Pulumi.sandbox-Ann.yaml":     "sandbox-ann",
		"/p/examples/shop/stack.yaml":    "shop",
		"/p/examples/My Shop!/stack.yml": "my-shop",
		"/p/Pulumi.a_b.c.yaml":           "a_b.c",
		"/p/presets/sandbox.yaml":        "sandbox",
	} {
		if got := stackName(file); got != want {
			t.Errorf("stackName(%q) = %q, want %q", file, got, want)
		}
	}
}
