package imagetest

// These run in every `go test ./...` (no engine, no build tag): the parts of
// the image test that need no Docker.

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/fargateship/fargateship/infra"
)

func TestDockerfileBases(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "app", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	build, rt, err := DockerfileBases(string(data))
	if err != nil {
		t.Fatal(err)
	}
	if build != (Base{Ref: "golang:1.26-bookworm", Build: true}) || rt != (Base{Ref: "gcr.io/distroless/static-debian12:nonroot"}) {
		t.Errorf("bases %+v %+v", build, rt)
	}
	// The example services' Dockerfiles have the same two stages, so the
	// same stand-ins serve them.
	for _, ex := range []string{"api", "worker"} {
		data, err := os.ReadFile(filepath.Join("..", "examples", ex, "Dockerfile"))
		if err != nil {
			t.Fatal(err)
		}
		if b, r, err := DockerfileBases(string(data)); err != nil || b != build || r != rt {
			t.Errorf("examples/%s/Dockerfile: bases %+v %+v, %v; want app/'s", ex, b, r, err)
		}
	}
	for _, bad := range []string{
		"FROM scratch\n",
		"FROM golang:1.26 AS build\nFROM scratch\n",
		"FROM --platform=$BUILDPLATFORM golang AS build\nFROM --platform=linux/amd64 scratch\n",
		"FROM --platform=$BUILDPLATFORM golang AS build\nFROM a AS b\nFROM scratch\n",
	} {
		if _, _, err := DockerfileBases(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestDefaultConfig: the config the image test runs with is the program's
// defaults as declared in Pulumi.yaml and read by infra.LoadConfig.
func TestDefaultConfig(t *testing.T) {
	c, err := DefaultConfig(filepath.Join(".."))
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
	defaults, err := DefaultConfig("..")
	if err != nil {
		t.Fatal(err)
	}
	api, err := StackFileConfig("..", "examples/api/stack.yaml")
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
	worker, err := StackFileConfig("..", "examples/worker/stack.yaml")
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
		root, err := filepath.Abs("..")
		if err != nil {
			t.Fatal(err)
		}
		r, err := filepath.Rel(root, abs)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if _, err := StackFileConfig("..", rel("Pulumi.badtype.yaml")); err == nil || !strings.Contains(err.Error(), "containerPort") {
		t.Errorf("containerPort: ninety: %v", err)
	}
	if _, err := StackFileConfig("..", rel("Pulumi.badval.yaml")); err == nil || !strings.Contains(err.Error(), "healthCheckPath") {
		t.Errorf("healthCheckPath: ready: %v", err)
	}
}

// TestApplyOverrides: the schedule's overrides replace the container's
// command, and anything the test would not apply is refused.
func TestApplyOverrides(t *testing.T) {
	cfg, err := StackFileConfig("..", "examples/worker/stack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	def := infra.AppContainer(cfg, "img", "/ecs/x", "us-east-1", nil, nil)
	run, err := ApplyOverrides(def, infra.ContainerOverrides([]string{"report", "--full"}))
	if err != nil || !slices.Equal(run.Command, []string{"report", "--full"}) || len(def.Command) != 0 {
		t.Errorf("applied: %q (definition %q), %v", run.Command, def.Command, err)
	}
	for _, bad := range []string{
		`{"containerOverrides":[{"name":"other","command":["report"]}]}`,
		`{"containerOverrides":[{"name":"` + def.Name + `","command":[]}]}`,
		`{"containerOverrides":[{"name":"` + def.Name + `","command":["report"],"environment":[]}]}`,
		`{"containerOverrides":[]}`,
		`{"containerOverrides":[{"name":"` + def.Name + `","command":["report"]}],"taskRoleArn":"x"}`,
	} {
		if _, err := ApplyOverrides(def, bad); err == nil {
			t.Errorf("%s applied", bad)
		}
	}
}

// TestCheckELF builds a tiny static program for each platform and checks
// it is recognised as that platform and no other.
func TestCheckELF(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no cross builds")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("package main\nfunc main() {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for platform := range ELFMachine {
		bin := filepath.Join(dir, strings.ReplaceAll(platform, "/", "-"))
		cmd := exec.Command("go", "build", "-o", bin, src)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+strings.TrimPrefix(platform, "linux/"), "GOFLAGS=-buildvcs=false")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", platform, err, out)
		}
		if err := CheckELF(bin, platform); err != nil {
			t.Errorf("%s: %v", platform, err)
		}
		for other := range ELFMachine {
			if other != platform && CheckELF(bin, other) == nil {
				t.Errorf("a %s binary passed as %s", platform, other)
			}
		}
	}
	// Debian's coreutils are dynamically linked: a binary with a program
	// interpreter is not taken for a static one.
	if _, err := os.Stat("/bin/ls"); err == nil && runtime.GOOS == "linux" {
		if err := CheckELF("/bin/ls", "linux/"+runtime.GOARCH); err == nil || !strings.Contains(err.Error(), "dynamically linked") {
			t.Errorf("/bin/ls: %v, want dynamically linked", err)
		}
	}
}

// TestLoadCountsPhases runs the load generator against a local server that
// fails during the drain, and checks it counts each phase and never calls a
// failure a success.
func TestLoadCountsPhases(t *testing.T) {
	srv := newFlakyServer(t)
	l := &Load{URL: srv.URL, Clients: 4, MaxPerClient: 1_000_000}
	l.Start(t.Context())
	time.Sleep(100 * time.Millisecond)
	l.Draining()
	// Requests sent before Draining have long been answered 200 by then.
	time.Sleep(200 * time.Millisecond)
	srv.fail.Store(true)
	time.Sleep(100 * time.Millisecond)
	res := l.Stop()
	if res.Before == 0 || res.During == 0 || res.FailedDuring == 0 || res.FailedBefore != 0 || len(res.FirstErrors) == 0 {
		t.Errorf("counts %+v", res)
	}
}

// TestLoadIsBounded: each client stops at MaxPerClient by itself.
func TestLoadIsBounded(t *testing.T) {
	srv := newFlakyServer(t)
	l := &Load{URL: srv.URL, Clients: 3, MaxPerClient: 7}
	l.Start(t.Context())
	l.wg.Wait() // ends without Stop
	if res := l.Stop(); res.Before != 21 || res.FailedBefore != 0 {
		t.Errorf("counts %+v, want exactly 3 x 7 requests", res)
	}
}

type flakyServer struct {
	*httptest.Server
	fail atomic.Bool
}

// newFlakyServer answers 200, or 503 once fail is set.
func newFlakyServer(t *testing.T) *flakyServer {
	f := &flakyServer{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if f.fail.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(f.Close)
	return f
}
