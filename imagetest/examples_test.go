//go:build imagetest

package imagetest

// The example services of README "Deploy your own service" on a real
// engine: each is built from its own folder with the config its
// examples/<name>/stack.yaml gives (on the project defaults, as a stack
// file with those lines gets it), and run with the container definition
// infra.AppContainer makes of that config, as the task definition has it.

import (
	"context"
	"io"
	"maps"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fargateship/fargateship/infra"
	"github.com/fargateship/fargateship/internal/local"
)

// example is one example service: its stack lines, the image tag the
// test builds and the image's ENTRYPOINT, which its Dockerfile sets.
type example struct {
	name, stackFile, image string
	entrypoint             []string
}

var (
	exampleAPI    = example{"api", "examples/api/stack.yaml", "fargateship-example-api:imagetest", []string{"/api"}}
	exampleWorker = example{"worker", "examples/worker/stack.yaml", "fargateship-example-worker:imagetest", []string{"/worker"}}
)

// setUpExample loads the example's config and builds its image for the
// stack's platform (infra.Platform of its architecture, the platform the
// program builds for), with stand-in bases where the real ones cannot be
// pulled, then checks what the image says and its size. It returns the
// config and the container definition of the task definition.
func setUpExample(t *testing.T, ctx context.Context, e *local.Engine, v local.Version, ex example) (*infra.Config, infra.ContainerDefinition) {
	t.Helper()
	cfg, err := local.StackFileConfig(projectRoot, ex.stackFile)
	if err != nil {
		t.Fatal(err)
	}
	def := infra.AppContainer(cfg, ex.image, "/ecs/fargateship-imagetest", "us-east-1", nil, nil)
	platform := infra.Platform(cfg.Architecture)
	if native := "linux/" + v.Arch; native != platform {
		t.Fatalf("%s builds for %s (architecture %s), but the engine runs %s: the test runs the image natively", ex.stackFile, platform, cfg.Architecture, native)
	}
	dockerfile, err := os.ReadFile(filepath.Join(projectRoot, filepath.FromSlash(cfg.Dockerfile)))
	if err != nil {
		t.Fatal(err)
	}
	buildBase, runtimeBase, err := DockerfileBases(string(dockerfile))
	if err != nil {
		t.Fatalf("%s: %v", cfg.Dockerfile, err)
	}
	var standIn bool
	ok := t.Run("build "+platform, func(t *testing.T) {
		for _, b := range []Base{buildBase, runtimeBase} {
			p, err := EnsureBase(ctx, e, b, platform)
			if err != nil {
				t.Fatal(err)
			}
			t.Log(p.How)
			if !b.Build {
				standIn = p.StandIn
			}
		}
		start := time.Now()
		buildx(t, ctx, cfg, platform, "--load", "--tag", ex.image)
		took := time.Since(start)
		im, err := e.Image(ctx, ex.image)
		if err != nil {
			t.Fatal(err)
		}
		if "linux/"+im.Architecture != platform || im.Os != "linux" {
			t.Errorf("image is %s/%s, want %s", im.Os, im.Architecture, platform)
		}
		if im.Config.User != def.User {
			t.Errorf("image USER %q, task definition user %q", im.Config.User, def.User)
		}
		if !slices.Equal(im.Config.Entrypoint, ex.entrypoint) || len(im.Config.Cmd) != 0 {
			t.Errorf("image ENTRYPOINT %q CMD %q, want %q and no CMD", im.Config.Entrypoint, im.Config.Cmd, ex.entrypoint)
		}
		if got := im.Config.Labels[StandInLabel] == "true"; got != standIn {
			t.Errorf("image label %s=%q, but the runtime base stand-in=%v", StandInLabel, im.Config.Labels[StandInLabel], standIn)
		}
		t.Logf("BUILD %s %s: OK in %s with BuildKit from %s (--file %s), loaded as %s (%s)",
			ex.name, platform, took.Round(100*time.Millisecond), cfg.BuildContext, cfg.Dockerfile, ex.image, im.ID)
	})
	if !ok {
		t.FailNow()
	}
	t.Run("size", func(t *testing.T) {
		checkSize(t, ctx, e, ex.image, runtimeBase, standIn)
	})
	return cfg, def
}

// TestExampleAPI: examples/api, another binary, port and health check.
// The engine runs the task definition's health check (`/api -check`) until
// it reports the container healthy, the load balancer's health path and /
// answer through the published port, and a stop exits 0 within the stop
// timeout.
func TestExampleAPI(t *testing.T) {
	e, v := requireEngine(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cfg, def := setUpExample(t, ctx, e, v, exampleAPI)
	// What examples/api/stack.yaml says, as the program read it.
	if cfg.BuildContext != "examples/api" || cfg.ContainerPort != 9090 || cfg.HealthCheckPath != "/ready" ||
		!slices.Equal(cfg.HealthCheckCommand, []string{"/api", "-check"}) {
		t.Fatalf("config of %s: context %q, port %d, health path %q, health command %q", exampleAPI.stackFile,
			cfg.BuildContext, cfg.ContainerPort, cfg.HealthCheckPath, cfg.HealthCheckCommand)
	}
	if def.HealthCheck == nil || len(def.PortMappings) != 1 || def.PortMappings[0].ContainerPort != 9090 || envValue(def, "PORT") != "9090" {
		t.Fatalf("container definition: health check %+v, ports %+v, PORT %q", def.HealthCheck, def.PortMappings, envValue(def, "PORT"))
	}

	t.Run("run as the task definition", func(t *testing.T) {
		body, port, err := containerCreate(cfg, def)
		if err != nil {
			t.Fatal(err)
		}
		id := startContainer(t, ctx, e, body, "api")
		hc := local.HealthOf(def.HealthCheck)
		took := waitHealthy(t, ctx, e, id, hc)
		c, err := e.Container(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("HEALTHY api: the engine reports the container healthy %s after start (exec-form %q every %s, timeout %s, %d retries, start period %s)",
			took.Round(100*time.Millisecond), hc.Test, hc.Interval, hc.Timeout, hc.Retries, hc.StartPeriod)
		requireHardened(t, def)
		checkHardening(t, c, def)

		base := "http://" + hostPort(t, c, port)
		for _, r := range []struct{ path, body string }{
			{cfg.HealthCheckPath, "ready"}, // the load balancer's health check
			{"/", "hello from the example api"},
		} {
			status, body := httpGet(t, ctx, base+r.path)
			if status != http.StatusOK || strings.TrimSpace(body) != r.body {
				t.Errorf("GET %s = %d %q, want 200 %q", r.path, status, body, r.body)
			}
		}
		t.Logf("ROUTES api: GET %s and / answered 200 on %s (container port %s)", cfg.HealthCheckPath, base, port)

		c, after := stopContainer(t, ctx, e, id, def)
		if !slices.Contains(logLines(t, ctx, e, id), "api listening on :9090") {
			t.Errorf("the api never logged that it listens on :9090: %s", containerLogs(ctx, e, id))
		}
		t.Logf("EXIT api: code %d, %s after the stop request (stop timeout %d s)", c.State.ExitCode, after.Round(100*time.Millisecond), def.StopTimeout)
	})
}

// TestExampleWorker: examples/worker, no port and no health check, and its
// schedule. The service's container works until a stop and exits 0; the
// schedule's task runs the schedule's command, in the overrides the
// scheduler sends (infra.ContainerOverrides, the schedule target's Input),
// after the image's ENTRYPOINT, and exits 0 by itself.
func TestExampleWorker(t *testing.T) {
	e, v := requireEngine(t)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cfg, def := setUpExample(t, ctx, e, v, exampleWorker)
	if cfg.BuildContext != "examples/worker" || !cfg.Worker() || len(cfg.HealthCheckCommand) != 0 || len(cfg.Schedules) == 0 {
		t.Fatalf("config of %s: context %q, port %d, health command %q, schedules %v", exampleWorker.stackFile,
			cfg.BuildContext, cfg.ContainerPort, cfg.HealthCheckCommand, cfg.Schedules)
	}
	if def.HealthCheck != nil || len(def.PortMappings) != 0 || len(def.Command) != 0 {
		t.Fatalf("a worker's container definition: health check %+v, ports %+v, command %q", def.HealthCheck, def.PortMappings, def.Command)
	}

	t.Run("run as the task definition", func(t *testing.T) {
		body, port, err := containerCreate(cfg, def)
		if err != nil || port != "" {
			t.Fatalf("create body: port %q, %v", port, err)
		}
		id := startContainer(t, ctx, e, body, "worker")
		start := time.Now()
		waitLog(t, ctx, e, id, "worker: started", 30*time.Second)
		t.Logf("STARTED worker: logged \"worker: started\" %s after start", time.Since(start).Round(100*time.Millisecond))
		c, err := e.Container(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if c.State.Health != nil || len(c.NetworkSettings.Ports) != 0 {
			t.Errorf("a worker: the engine runs health check %+v and publishes %v", c.State.Health, c.NetworkSettings.Ports)
		}
		if want := append(slices.Clone(exampleWorker.entrypoint[1:]), def.Command...); c.Path != exampleWorker.entrypoint[0] || !slices.Equal(c.Args, want) {
			t.Errorf("process %s %q, want %s %q", c.Path, c.Args, exampleWorker.entrypoint[0], want)
		}
		requireHardened(t, def)
		checkHardening(t, c, def)
		c, after := stopContainer(t, ctx, e, id, def)
		if !slices.Contains(logLines(t, ctx, e, id), "worker: stopping") {
			t.Errorf("the worker never logged that it stops: %s", containerLogs(ctx, e, id))
		}
		t.Logf("EXIT worker: code %d, %s after the stop request (stop timeout %d s)", c.State.ExitCode, after.Round(100*time.Millisecond), def.StopTimeout)
	})

	for _, name := range slices.Sorted(maps.Keys(cfg.Schedules)) {
		sc := cfg.Schedules[name]
		t.Run("schedule "+name, func(t *testing.T) {
			run, err := local.ApplyOverrides(def, infra.ContainerOverrides(sc.Command))
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(run.Command, []string{"report"}) {
				t.Errorf("schedule %s runs command %q; examples/worker/stack.yaml says [report]", name, run.Command)
			}
			body, _, err := containerCreate(cfg, run)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			id := startContainer(t, ctx, e, body, "schedule-"+name)
			wctx, wcancel := context.WithTimeout(ctx, 2*time.Minute)
			defer wcancel()
			code, err := e.Wait(wctx, id)
			if err != nil {
				t.Fatalf("the schedule's task did not exit by itself: %v", err)
			}
			took := time.Since(start)
			c, err := e.Container(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			want := append(slices.Clone(exampleWorker.entrypoint[1:]), run.Command...)
			if c.Path != exampleWorker.entrypoint[0] || !slices.Equal(c.Args, want) {
				t.Errorf("process %s %q, want the ENTRYPOINT then the schedule's command: %s %q", c.Path, c.Args, exampleWorker.entrypoint[0], want)
			}
			lines := logLines(t, ctx, e, id)
			report := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "report:") })
			if code != 0 || c.State.OOMKilled || report < 0 {
				t.Errorf("schedule %s: exit code %d, OOM %v, logs %q; want exit 0 and a \"report:\" line", name, code, c.State.OOMKilled, lines)
			}
			line := ""
			if report >= 0 {
				line = lines[report]
			}
			t.Logf("SCHEDULE %s (%s, %s): overrides %s → %s %s: exit %d after %s; logged %q",
				name, sc.Expression, sc.Timezone, infra.ContainerOverrides(sc.Command), c.Path, strings.Join(c.Args, " "), code, took.Round(100*time.Millisecond), line)
		})
	}
}

// stopContainer stops the container through the engine (SIGTERM, then
// SIGKILL at the container's StopTimeout, the task definition's
// stopTimeout) and checks it exited 0 by itself before that.
func stopContainer(t *testing.T, ctx context.Context, e *local.Engine, id string, def infra.ContainerDefinition) (local.ContainerInspect, time.Duration) {
	t.Helper()
	start := time.Now()
	if err := e.Do(ctx, http.MethodPost, "/containers/"+id+"/stop", nil, nil, nil); err != nil {
		t.Fatalf("stop: %v", err)
	}
	after := time.Since(start)
	c, err := e.Container(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if c.State.Running || c.State.ExitCode != 0 || c.State.OOMKilled || after >= time.Duration(def.StopTimeout)*time.Second {
		t.Errorf("after the stop: running %v, exit code %d (137 = SIGKILL), OOM %v, %s after the request; want exit 0 within the stop timeout %d s",
			c.State.Running, c.State.ExitCode, c.State.OOMKilled, after, def.StopTimeout)
	}
	return c, after
}

// waitLog polls the container's logs until a line equals want; the
// container exiting first, or the limit passing, is a failure.
func waitLog(t *testing.T, ctx context.Context, e *local.Engine, id, want string, limit time.Duration) {
	t.Helper()
	for start := time.Now(); time.Since(start) < limit; time.Sleep(200 * time.Millisecond) {
		if slices.Contains(logLines(t, ctx, e, id), want) {
			return
		}
		c, err := e.Container(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !c.State.Running {
			t.Fatalf("container %s (exit code %d) before it logged %q\n%s", c.State.Status, c.State.ExitCode, want, containerLogs(ctx, e, id))
		}
	}
	t.Fatalf("no log line %q within %s\n%s", want, limit, containerLogs(ctx, e, id))
}

func logLines(t *testing.T, ctx context.Context, e *local.Engine, id string) []string {
	t.Helper()
	lines, err := e.Logs(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	return lines
}

func httpGet(t *testing.T, ctx context.Context, u string) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := (&http.Client{Timeout: 5 * time.Second}).Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}
