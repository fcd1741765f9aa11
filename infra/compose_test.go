package infra

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// TestComposeIsTheTaskDefinitionsTwin keeps compose.yaml, the local twin of
// the ECS service, in step with the container definition a default stack
// registers: same environment, health check, user, read-only root, port
// and stop timeout.
func TestComposeIsTheTaskDefinitionsTwin(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(projectRoot, "compose.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var compose struct {
		Services map[string]struct {
			Build       struct{ Context string }
			Ports       []string
			Environment map[string]string
			Healthcheck struct {
				Test        []string
				Interval    string
				Timeout     string
				Retries     int
				StartPeriod string `yaml:"start_period"`
			}
			User            string
			ReadOnly        bool     `yaml:"read_only"`
			StopGracePeriod string   `yaml:"stop_grace_period"`
			CapDrop         []string `yaml:"cap_drop"`
		}
	}
	if err := yaml.Unmarshal(data, &compose); err != nil {
		t.Fatal(err)
	}
	app, ok := compose.Services["app"]
	if !ok {
		t.Fatal("compose.yaml has no app service")
	}
	r := mustRun(t, "dev", projectDefaults(t))
	c := containerOf(t, r)

	env := map[string]string{}
	for _, kv := range c.Environment {
		env[kv.Name] = kv.Value
	}
	for k, v := range env {
		if app.Environment[k] != v {
			t.Errorf("compose %s = %q, task definition %q", k, app.Environment[k], v)
		}
	}
	if !slices.Equal(app.Healthcheck.Test, c.HealthCheck.Command) {
		t.Errorf("health check %v, task definition %v", app.Healthcheck.Test, c.HealthCheck.Command)
	}
	secs := func(s string) int {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Errorf("compose duration %q: %v", s, err)
		}
		return int(d.Seconds())
	}
	if secs(app.Healthcheck.Interval) != c.HealthCheck.Interval || secs(app.Healthcheck.Timeout) != c.HealthCheck.Timeout ||
		app.Healthcheck.Retries != c.HealthCheck.Retries || secs(app.Healthcheck.StartPeriod) != c.HealthCheck.StartPeriod {
		t.Errorf("health check timings %+v, task definition %+v", app.Healthcheck, c.HealthCheck)
	}
	if app.User != c.User || app.ReadOnly != c.ReadonlyRootFilesystem || secs(app.StopGracePeriod) != c.StopTimeout {
		t.Errorf("user %q ro %v stop %q; task definition %q %v %d", app.User, app.ReadOnly, app.StopGracePeriod, c.User, c.ReadonlyRootFilesystem, c.StopTimeout)
	}
	port := strconv.Itoa(c.PortMappings[0].ContainerPort)
	if len(app.Ports) != 1 || app.Ports[0] != "127.0.0.1:"+port+":"+port {
		t.Errorf("ports %v, container port %s", app.Ports, port)
	}
	if !slices.Equal(app.CapDrop, c.LinuxParameters.Capabilities.Drop) {
		t.Errorf("cap_drop %v, task definition %v", app.CapDrop, c.LinuxParameters.Capabilities.Drop)
	}
	if filepath.Clean(app.Build.Context) != AppDir {
		t.Errorf("build context %s", app.Build.Context)
	}
}
