package infra

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
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

// dockerHealthcheck is a Dockerfile HEALTHCHECK instruction: its options
// and its exec-form command.
type dockerHealthcheck struct {
	Options map[string]string
	Command []string
}

// finalStageHealthchecks returns the HEALTHCHECK instructions of the
// Dockerfile's last stage (the image that ships; a HEALTHCHECK in the build
// stage would not reach it), with line continuations joined as BuildKit
// reads them. Options must use the --name=value spelling and the command
// must be the exec form (a JSON array after CMD): the image has no shell,
// so the shell form could never run.
func finalStageHealthchecks(dockerfile string) ([]dockerHealthcheck, error) {
	var insts []string
	var cur strings.Builder
	for _, line := range strings.Split(dockerfile, "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "#") || (line == "" && cur.Len() == 0) {
			continue
		}
		if cont, ok := strings.CutSuffix(line, `\`); ok {
			cur.WriteString(cont + " ")
			continue
		}
		cur.WriteString(line)
		insts = append(insts, strings.TrimSpace(cur.String()))
		cur.Reset()
	}
	var out []dockerHealthcheck
	for _, inst := range insts {
		word, rest, _ := strings.Cut(inst, " ")
		switch strings.ToUpper(word) {
		case "FROM":
			out = nil // a new stage: only the last one's instructions count
		case "HEALTHCHECK":
			hc := dockerHealthcheck{Options: map[string]string{}}
			rest = strings.TrimSpace(rest)
			for strings.HasPrefix(rest, "--") {
				var opt string
				opt, rest, _ = strings.Cut(rest, " ")
				rest = strings.TrimSpace(rest)
				name, value, ok := strings.Cut(strings.TrimPrefix(opt, "--"), "=")
				if !ok {
					return nil, fmt.Errorf("HEALTHCHECK option %q: want --name=value", opt)
				}
				hc.Options[name] = value
			}
			kind, cmd, _ := strings.Cut(rest, " ")
			if strings.ToUpper(kind) != "CMD" {
				return nil, fmt.Errorf("HEALTHCHECK %q: want CMD [...] (NONE or no command disables the check)", inst)
			}
			if err := json.Unmarshal([]byte(strings.TrimSpace(cmd)), &hc.Command); err != nil {
				return nil, fmt.Errorf("HEALTHCHECK %q: the command must be the exec form, a JSON array (the image has no shell): %v", inst, err)
			}
			out = append(out, hc)
		}
	}
	return out, nil
}

// TestDockerfileHealthcheckIsTheTaskDefinitions keeps the image's own
// HEALTHCHECK (for `docker run` and compose; Trivy DS026) equal to the
// container health check a default stack's task definition registers: the
// same command, interval, timeout, retries and start period. Every option
// must be written out, because Docker's defaults (30s interval, 30s
// timeout, 3 retries, 0s start period) are not the task definition's.
func TestDockerfileHealthcheckIsTheTaskDefinitions(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(projectRoot, AppDir, "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	hcs, err := finalStageHealthchecks(string(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(hcs) != 1 {
		t.Fatalf("the Dockerfile's final stage has %d HEALTHCHECK instructions, want exactly 1", len(hcs))
	}
	hc := hcs[0]
	c := containerOf(t, mustRun(t, "dev", projectDefaults(t)))
	if want := append([]string{"CMD"}, hc.Command...); !slices.Equal(want, c.HealthCheck.Command) {
		t.Errorf("Dockerfile HEALTHCHECK CMD %q, task definition %q", hc.Command, c.HealthCheck.Command)
	}
	secs := func(name string) int {
		v, ok := hc.Options[name]
		if !ok {
			t.Errorf("Dockerfile HEALTHCHECK lacks --%s (Docker's default differs from the task definition's)", name)
			return -1
		}
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Errorf("Dockerfile HEALTHCHECK --%s=%s: %v", name, v, err)
		}
		return int(d.Seconds())
	}
	retries, err := strconv.Atoi(hc.Options["retries"])
	if err != nil {
		t.Errorf("Dockerfile HEALTHCHECK --retries=%q: %v", hc.Options["retries"], err)
	}
	got := HealthCheck{Command: c.HealthCheck.Command, Interval: secs("interval"), Timeout: secs("timeout"), Retries: retries, StartPeriod: secs("start-period")}
	if !slices.Equal(got.Command, c.HealthCheck.Command) || got.Interval != c.HealthCheck.Interval || got.Timeout != c.HealthCheck.Timeout ||
		got.Retries != c.HealthCheck.Retries || got.StartPeriod != c.HealthCheck.StartPeriod {
		t.Errorf("Dockerfile HEALTHCHECK %+v, task definition %+v", got, c.HealthCheck)
	}
	for name := range hc.Options {
		if !slices.Contains([]string{"interval", "timeout", "retries", "start-period"}, name) {
			t.Errorf("Dockerfile HEALTHCHECK --%s has no counterpart in the task definition", name)
		}
	}
}

// TestFinalStageHealthchecks: the parser behind the test above reads what
// BuildKit reads, and rejects the forms the image cannot run.
func TestFinalStageHealthchecks(t *testing.T) {
	good := "FROM a AS build\nHEALTHCHECK CMD [\"/x\"]\nFROM b\n# HEALTHCHECK CMD [\"/c\"]\nHEALTHCHECK --interval=10s \\\n  --retries=3 CMD [\"/server\", \"healthcheck\"]\n"
	hcs, err := finalStageHealthchecks(good)
	if err != nil || len(hcs) != 1 || !slices.Equal(hcs[0].Command, []string{"/server", "healthcheck"}) ||
		hcs[0].Options["interval"] != "10s" || hcs[0].Options["retries"] != "3" {
		t.Errorf("got %+v, %v", hcs, err)
	}
	if hcs, err := finalStageHealthchecks("FROM a\nHEALTHCHECK CMD [\"/x\"]\nFROM b\n"); err != nil || len(hcs) != 0 {
		t.Errorf("a build-stage HEALTHCHECK counted for the final image: %+v, %v", hcs, err)
	}
	for _, bad := range []string{
		"FROM b\nHEALTHCHECK CMD /server healthcheck\n",
		"FROM b\nHEALTHCHECK --interval 10s CMD [\"/server\"]\n",
		"FROM b\nHEALTHCHECK NONE\n",
	} {
		if _, err := finalStageHealthchecks(bad); err == nil {
			t.Errorf("%q: accepted", bad)
		}
	}
}
