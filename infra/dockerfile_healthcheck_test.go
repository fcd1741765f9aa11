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
)

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
// HEALTHCHECK (for `docker run`; Trivy DS026) equal to the
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
