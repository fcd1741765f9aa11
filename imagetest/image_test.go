//go:build imagetest

// The image test needs a Docker engine and takes minutes, so it is behind
// the build tag imagetest: `go test ./...` does not compile it, `make
// image-test` (part of `make test`) runs it once:
//
//	go test -tags imagetest -count=1 -v ./imagetest/
//
// Without an engine it skips with the reason; with CI=true it fails.
package imagetest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fargateship/fargateship/infra"
	"github.com/fargateship/fargateship/internal/local"
)

const (
	// maxImageBytes is the image's size budget: 10 MB.
	maxImageBytes = 10_000_000
	// publishedBaseBytes is the size of gcr.io/distroless/static-debian12,
	// counted instead of a stand-in's: "The smallest distroless image,
	// gcr.io/distroless/static-debian12, is around 2 MiB" (distroless
	// README, https://github.com/GoogleContainerTools/distroless#why-should-i-use-distroless-images).
	publishedBaseBytes = 2 << 20
	// testImage is the tag the test builds.
	testImage = "fargateship-app:imagetest"
)

var projectRoot = func() string {
	abs, err := filepath.Abs("..")
	if err != nil {
		panic(err)
	}
	return abs
}()

// requireEngine returns the engine, or skips (locally) or fails (CI=true)
// with the reason it cannot be used.
func requireEngine(t *testing.T) (*local.Engine, local.Version) {
	t.Helper()
	unusable := func(format string, args ...any) {
		t.Helper()
		reason := fmt.Sprintf(format, args...)
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and no usable Docker engine: %s (.ci/run installs and starts one)", reason)
		}
		t.Skipf("SKIP: no usable Docker engine: %s (bash .ci/run sets one up; CI=true makes this a failure)", reason)
	}
	if _, err := exec.LookPath("docker"); err != nil {
		unusable("no docker CLI on PATH")
	}
	e, err := local.NewEngine()
	if err != nil {
		unusable("%v", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	v, err := e.Version(ctx)
	if err != nil {
		unusable("engine at %s does not answer: %v", e.Socket, err)
	}
	if out, err := local.Docker(ctx, nil, "buildx", "version"); err != nil {
		unusable("no buildx CLI plugin (BuildKit builds need it): %s", strings.TrimSpace(out))
	}
	return e, v
}

// TestImage is the whole proof, in order; each step needs the one before.
func TestImage(t *testing.T) {
	e, v := requireEngine(t)
	ctx, cancel := context.WithTimeout(context.Background(), 25*time.Minute)
	defer cancel()
	t.Logf("engine: Docker %s (API %s) %s/%s at %s", v.Version, v.APIVersion, v.Os, v.Arch, e.Socket)

	cfg, err := local.DefaultConfig(projectRoot)
	if err != nil {
		t.Fatal(err)
	}
	// The container definition a default stack registers, from the
	// program's own function; only the image reference is this test's.
	def := infra.AppContainer(cfg, testImage, "/ecs/fargateship-imagetest", "us-east-1", nil, nil)
	if def.HealthCheck == nil || len(def.PortMappings) != 1 {
		t.Fatalf("a default stack's container has health check %+v and ports %+v; the image test needs both", def.HealthCheck, def.PortMappings)
	}

	dockerfile, err := os.ReadFile(filepath.Join(projectRoot, filepath.FromSlash(cfg.Dockerfile)))
	if err != nil {
		t.Fatal(err)
	}
	buildBase, runtimeBase, err := DockerfileBases(string(dockerfile))
	if err != nil {
		t.Fatal(err)
	}

	native := "linux/" + v.Arch
	if _, ok := ELFMachine[native]; !ok {
		t.Fatalf("engine architecture %s: the test runs the image natively on linux/amd64 or linux/arm64", v.Arch)
	}
	cross := "linux/arm64"
	if native == cross {
		cross = "linux/amd64"
	}

	// The build stage always runs on the engine's own platform.
	prepare := func(t *testing.T, b Base, platform string) Prepared {
		t.Helper()
		p, err := EnsureBase(ctx, e, b, platform)
		if err != nil {
			t.Fatal(err)
		}
		t.Log(p.How)
		return p
	}

	ok := t.Run("cross-build "+cross, func(t *testing.T) {
		prepare(t, buildBase, native)
		prepare(t, runtimeBase, cross)
		out := t.TempDir()
		start := time.Now()
		buildx(t, ctx, cfg, cross, "--output", "type=local,dest="+out)
		bin := filepath.Join(out, "server")
		if err := CheckELF(bin, cross); err != nil {
			t.Fatal(err)
		}
		st, err := os.Stat(bin)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("BUILD %s: OK in %s with BuildKit; /server is a static %s ELF, %d bytes (%.2f MiB)",
			cross, time.Since(start).Round(100*time.Millisecond), ELFMachine[cross], st.Size(), float64(st.Size())/(1<<20))
	})
	if !ok {
		t.FailNow()
	}

	var standIn bool
	ok = t.Run("build "+native, func(t *testing.T) {
		prepare(t, buildBase, native)
		standIn = prepare(t, runtimeBase, native).StandIn
		start := time.Now()
		buildx(t, ctx, cfg, native, "--load", "--tag", testImage)
		im, err := e.Image(ctx, testImage)
		if err != nil {
			t.Fatal(err)
		}
		if "linux/"+im.Architecture != native || im.Os != "linux" {
			t.Errorf("image is %s/%s, want %s", im.Os, im.Architecture, native)
		}
		// What the engine reads from the image: the Dockerfile's USER,
		// ENTRYPOINT and HEALTHCHECK, compared with the task definition.
		if im.Config.User != def.User {
			t.Errorf("image USER %q, task definition user %q", im.Config.User, def.User)
		}
		if !slices.Equal(im.Config.Entrypoint, []string{"/server"}) || len(im.Config.Cmd) != 0 {
			t.Errorf("image ENTRYPOINT %q CMD %q, want [/server] and no CMD", im.Config.Entrypoint, im.Config.Cmd)
		}
		if want := local.HealthOf(def.HealthCheck); im.Config.Healthcheck == nil || !equalHealth(*im.Config.Healthcheck, want) {
			t.Errorf("image HEALTHCHECK %+v, task definition's %+v", im.Config.Healthcheck, want)
		}
		// A stand-in's labels reach the app image, so it can be told apart
		// (and refused by a push); a real base leaves no such label.
		if got := im.Config.Labels[StandInLabel] == "true"; got != standIn {
			t.Errorf("app image label %s=%q, but the runtime base stand-in=%v", StandInLabel, im.Config.Labels[StandInLabel], standIn)
		}
		t.Logf("BUILD %s: OK in %s with BuildKit, loaded as %s (%s)", native, time.Since(start).Round(100*time.Millisecond), testImage, im.ID)
	})
	if !ok {
		t.FailNow()
	}

	t.Run("size", func(t *testing.T) {
		checkSize(t, ctx, e, testImage, runtimeBase, standIn)
	})

	t.Run("run as the task definition", func(t *testing.T) {
		runAsTaskDefinition(t, ctx, e, cfg, def)
	})
}

// buildx builds the config's image with BuildKit through the engine's own
// builder, with the inputs the program hands the docker provider
// (local.BuildInputs, the same command line `make local` runs) for
// platform.
func buildx(t *testing.T, ctx context.Context, cfg *infra.Config, platform string, args ...string) {
	t.Helper()
	in := local.BuildInputs(projectRoot, cfg)
	in.Platform = platform
	bctx, cancel := context.WithTimeout(ctx, 15*time.Minute)
	defer cancel()
	if _, err := local.Docker(bctx, nil, local.BuildArgs(in, args...)...); err != nil {
		t.Fatal(err)
	}
}

// checkSize checks an image against the 10 MB budget. On a stand-in
// runtime base the stand-in's bytes are replaced by the real base's
// published size, so the number is the one the pushed image would have.
func checkSize(t *testing.T, ctx context.Context, e *local.Engine, image string, runtimeBase Base, standIn bool) {
	t.Helper()
	im, err := e.Image(ctx, image)
	if err != nil {
		t.Fatal(err)
	}
	total := im.Size
	how := "the whole image on the real base"
	if standIn {
		base, err := e.Image(ctx, runtimeBase.Ref)
		if err != nil {
			t.Fatal(err)
		}
		app := im.Size - base.Size
		total = app + publishedBaseBytes
		how = fmt.Sprintf("app layers %d B (%.2f MiB) + the real base's published ~2 MiB (%d B), the stand-in base (%d B) not counted",
			app, float64(app)/(1<<20), publishedBaseBytes, base.Size)
	}
	t.Logf("SIZE %s: %d B = %.2f MB = %.2f MiB uncompressed (%s); limit %d B (10 MB)", image, total, float64(total)/1e6, float64(total)/(1<<20), how, maxImageBytes)
	if total > maxImageBytes {
		t.Errorf("image %s is %d B, above the 10 MB limit", image, total)
	}
}

func equalHealth(a, b local.HealthConfig) bool {
	return slices.Equal(a.Test, b.Test) && a.Interval == b.Interval && a.Timeout == b.Timeout && a.Retries == b.Retries && a.StartPeriod == b.StartPeriod
}

// containerCreate is the Engine API's create body of the task
// definition's container (local.CreateBody, as `make local` creates it),
// its port published on loopback, on the engine's default network.
func containerCreate(cfg *infra.Config, def infra.ContainerDefinition) (map[string]any, string, error) {
	return local.CreateBody(cfg, def, nil, local.Placement{Publish: true, Labels: map[string]string{"io.fargateship.imagetest": "true"}})
}

// waitHealthy polls the engine until it reports the container healthy.
func waitHealthy(t *testing.T, ctx context.Context, e *local.Engine, id string, hc local.HealthConfig) time.Duration {
	t.Helper()
	start := time.Now()
	limit := hc.StartPeriod + time.Duration(hc.Retries+2)*hc.Interval + 30*time.Second
	for time.Since(start) < limit {
		c, err := e.Container(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if !c.State.Running {
			t.Fatalf("container %s before it was healthy (exit code %d)\n%s", c.State.Status, c.State.ExitCode, containerLogs(ctx, e, id))
		}
		if c.State.Health == nil {
			t.Fatal("the engine runs no health check for the container")
		}
		switch c.State.Health.Status {
		case "healthy":
			return time.Since(start)
		case "unhealthy":
			t.Fatalf("the engine reports the container unhealthy: %+v", c.State.Health.Log)
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("not healthy after %s", limit)
	return 0
}

func containerLogs(ctx context.Context, e *local.Engine, id string) string {
	lines, err := e.Logs(ctx, id)
	if err != nil {
		return "(logs: " + err.Error() + ")"
	}
	return local.Tail(strings.Join(lines, "\n"), 30)
}

// hostPort is the loopback port the engine published for port.
func hostPort(t *testing.T, c local.ContainerInspect, port string) string {
	t.Helper()
	for _, b := range c.NetworkSettings.Ports[port] {
		if b.HostIP == "127.0.0.1" && b.HostPort != "" {
			return net.JoinHostPort(b.HostIP, b.HostPort)
		}
	}
	t.Fatalf("no loopback binding for %s: %+v", port, c.NetworkSettings.Ports)
	return ""
}

// checkRoutes checks every route of the app through the published port.
func checkRoutes(t *testing.T, ctx context.Context, base string, greeting string) {
	t.Helper()
	c := &http.Client{Timeout: 5 * time.Second}
	fetch := func(method, path string) (int, http.Header, string) {
		req, err := http.NewRequestWithContext(ctx, method, base+path, nil)
		if err != nil {
			t.Fatal(err)
		}
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		defer func() { _ = resp.Body.Close() }()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp.StatusCode, resp.Header, string(b)
	}
	status, h, body := fetch(http.MethodGet, "/")
	var root map[string]string
	if err := json.Unmarshal([]byte(body), &root); status != 200 || err != nil || root["greeting"] != greeting || !strings.HasPrefix(h.Get("Content-Type"), "application/json") {
		t.Errorf("GET / = %d %q %q (%v), want 200 JSON with greeting %q", status, h.Get("Content-Type"), body, err, greeting)
	}
	for _, r := range []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/healthz", 200, "ok"},
		{"GET", "/readyz", 200, "ready"},
		{"HEAD", "/healthz", 200, ""},
		{"GET", "/nope", 404, ""},
		{"POST", "/healthz", 405, ""},
	} {
		status, _, body := fetch(r.method, r.path)
		if status != r.status || (r.body != "" && strings.TrimSpace(body) != r.body) {
			t.Errorf("%s %s = %d %q, want %d %q", r.method, r.path, status, body, r.status, r.body)
		}
	}
	status, _, body = fetch(http.MethodGet, "/version")
	var ver map[string]any
	if err := json.Unmarshal([]byte(body), &ver); status != 200 || err != nil || ver["module"] == "" {
		t.Errorf("GET /version = %d %q (%v)", status, body, err)
	}
}

// procStatus reads the container process's /proc status fields the
// hardening shows in: its uids, effective capabilities and no_new_privs.
func procStatus(pid int) (map[string]string, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, l := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(l, ":")
		if ok {
			out[k] = strings.Join(strings.Fields(v), " ")
		}
	}
	return out, nil
}

// rootMountReadOnly reads the container process's mount table: is / "ro"?
func rootMountReadOnly(pid int) (bool, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/mountinfo", pid))
	if err != nil {
		return false, err
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) > 5 && f[4] == "/" {
			return slices.Contains(strings.Split(f[5], ","), "ro"), nil
		}
	}
	return false, fmt.Errorf("no / mount in /proc/%d/mountinfo", pid)
}

func envValue(def infra.ContainerDefinition, name string) string {
	for _, kv := range def.Environment {
		if kv.Name == name {
			return kv.Value
		}
	}
	return ""
}

// startContainer creates a container from the create body and starts it;
// it is removed when the test ends. The name carries the test's pid and
// what runs, so parallel runs and leftovers are told apart.
func startContainer(t *testing.T, ctx context.Context, e *local.Engine, body map[string]any, what string) string {
	t.Helper()
	var created struct {
		ID string `json:"Id"`
	}
	name := fmt.Sprintf("fargateship-imagetest-%s-%d", what, os.Getpid())
	if err := e.Do(ctx, http.MethodPost, "/containers/create", url.Values{"name": {name}}, body, &created); err != nil {
		t.Fatal(err)
	}
	id := created.ID
	t.Cleanup(func() { _ = e.Remove(context.Background(), id) })
	if err := e.Do(ctx, http.MethodPost, "/containers/"+id+"/start", nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	return id
}

// checkHardening compares the settings the engine applied to the running
// container c with the task definition's, then reads the same from the
// kernel's view of its process: uids, capabilities, read-only root.
func checkHardening(t *testing.T, c local.ContainerInspect, def infra.ContainerDefinition) {
	t.Helper()
	healthOK := c.Config.Healthcheck != nil && slices.Equal(c.Config.Healthcheck.Test, []string{"NONE"})
	want := "none ([NONE])"
	if def.HealthCheck != nil {
		hc := local.HealthOf(def.HealthCheck)
		healthOK = c.Config.Healthcheck != nil && equalHealth(*c.Config.Healthcheck, hc)
		want = fmt.Sprintf("%+v", hc)
	}
	var drop []string
	initProc := false
	if lp := def.LinuxParameters; lp != nil {
		initProc = lp.InitProcessEnabled
		if lp.Capabilities != nil {
			drop = lp.Capabilities.Drop
		}
	}
	dropsAll := slices.Equal(drop, []string{"ALL"})
	if c.Config.User != def.User || c.HostConfig.ReadonlyRootfs != def.ReadonlyRootFilesystem || !slices.Equal(c.HostConfig.CapDrop, drop) ||
		(c.HostConfig.Init != nil && *c.HostConfig.Init) != initProc || c.Config.StopTimeout == nil || *c.Config.StopTimeout != def.StopTimeout || !healthOK {
		t.Errorf("engine applied user %q, read-only %v, cap drop %v, init %v, stop timeout %v, health %+v; task definition %q, %v, %v, %v, %d, %s",
			c.Config.User, c.HostConfig.ReadonlyRootfs, c.HostConfig.CapDrop, c.HostConfig.Init, c.Config.StopTimeout, c.Config.Healthcheck,
			def.User, def.ReadonlyRootFilesystem, drop, initProc, def.StopTimeout, want)
	}
	for _, kv := range def.Environment {
		if !slices.Contains(c.Config.Env, kv.Name+"="+kv.Value) {
			t.Errorf("container env lacks %s=%s: %q", kv.Name, kv.Value, c.Config.Env)
		}
	}
	if runtime.GOOS != "linux" {
		return
	}
	st, err := procStatus(c.State.Pid)
	if err != nil {
		t.Errorf("the app's process %d: %v (the engine must run on this host)", c.State.Pid, err)
	}
	ro, err := rootMountReadOnly(c.State.Pid)
	if err != nil {
		t.Error(err)
	}
	// A non-root user holds no effective or permitted capability either
	// way; dropping ALL also empties the bounding set.
	uid, gid, _ := strings.Cut(def.User, ":")
	const none = "0000000000000000"
	if st["Uid"] != strings.Repeat(uid+" ", 3)+uid || st["Gid"] != strings.Repeat(gid+" ", 3)+gid || st["CapEff"] != none ||
		st["CapPrm"] != none || (st["CapBnd"] == none) != dropsAll || ro != def.ReadonlyRootFilesystem {
		t.Errorf("process %d: Uid %q Gid %q CapEff %q CapPrm %q CapBnd %q, root read-only %v; task definition: user %s, drop %v, read-only root %v",
			c.State.Pid, st["Uid"], st["Gid"], st["CapEff"], st["CapPrm"], st["CapBnd"], ro, def.User, drop, def.ReadonlyRootFilesystem)
	}
	t.Logf("HARDENING: pid %d runs as uid/gid %s, CapEff=CapPrm=0, CapBnd=%s, root filesystem mounted %s, init %v; memory %d MiB, %.2f CPUs",
		c.State.Pid, def.User, st["CapBnd"], map[bool]string{true: "ro", false: "rw (ECS Exec)"}[ro], initProc, c.HostConfig.Memory>>20, float64(c.HostConfig.NanoCpus)/1e9)
}

// requireHardened: a task definition without ECS Exec keeps its
// container's root read-only and drops every capability.
func requireHardened(t *testing.T, def infra.ContainerDefinition) {
	t.Helper()
	if !def.ReadonlyRootFilesystem || def.LinuxParameters == nil || def.LinuxParameters.Capabilities == nil ||
		!slices.Equal(def.LinuxParameters.Capabilities.Drop, []string{"ALL"}) {
		t.Errorf("the task definition's container lost its hardening: read-only root %v, linux parameters %+v", def.ReadonlyRootFilesystem, def.LinuxParameters)
	}
}

func runAsTaskDefinition(t *testing.T, ctx context.Context, e *local.Engine, cfg *infra.Config, def infra.ContainerDefinition) {
	body, port, err := containerCreate(cfg, def)
	if err != nil {
		t.Fatal(err)
	}
	id := startContainer(t, ctx, e, body, "app")
	hc := local.HealthOf(def.HealthCheck)
	took := waitHealthy(t, ctx, e, id, hc)
	c, err := e.Container(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("HEALTHY: the engine reports the container healthy %s after start (exec-form %q every %s, timeout %s, %d retries, start period %s)",
		took.Round(100*time.Millisecond), hc.Test, hc.Interval, hc.Timeout, hc.Retries, hc.StartPeriod)
	requireHardened(t, def)
	checkHardening(t, c, def)

	addr := hostPort(t, c, port)
	checkRoutes(t, ctx, "http://"+addr, "Hello from ECS Fargate!")
	t.Logf("ROUTES: /, /healthz, /readyz, /version, 404 and 405 answered as documented on %s", addr)

	// The drain: keep-alive load, then a stop through the engine, which
	// sends SIGTERM and waits up to the container's StopTimeout (the task
	// definition's stopTimeout) before SIGKILL.
	drain, err := time.ParseDuration(envValue(def, "DRAIN_DELAY"))
	if err != nil || drain < 2*time.Second {
		t.Fatalf("DRAIN_DELAY %q: the test needs a drain of at least 2 s (%v)", envValue(def, "DRAIN_DELAY"), err)
	}
	load := &Load{URL: "http://" + addr + "/", Clients: 8, MaxPerClient: 200_000}
	lctx, lcancel := context.WithTimeout(ctx, time.Minute)
	defer lcancel()
	load.Start(lctx)
	time.Sleep(2 * time.Second)

	stopStart := time.Now()
	stopped := make(chan error, 1)
	go func() { stopped <- e.Do(ctx, http.MethodPost, "/containers/"+id+"/stop", nil, nil, nil) }()
	load.Draining()
	// /readyz turns 503 while the app keeps serving.
	readyz := 0
	probe := &http.Client{Timeout: 2 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	for time.Since(stopStart) < drain-time.Second && readyz != http.StatusServiceUnavailable {
		if resp, err := probe.Get("http://" + addr + "/readyz"); err == nil {
			readyz = resp.StatusCode
			_ = resp.Body.Close()
		}
		time.Sleep(100 * time.Millisecond)
	}
	// Load until shortly before the drain delay ends: afterwards the app
	// closes its listener, as it should once the load balancer has moved on.
	time.Sleep(time.Until(stopStart.Add(drain - time.Second)))
	res := load.Stop()
	if err := <-stopped; err != nil {
		t.Fatalf("stop: %v", err)
	}
	exitAfter := time.Since(stopStart)
	c, err = e.Container(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("DRAIN: %d clients, %d requests before the stop, %d during the drain (%d answered Connection: close), failed before %d, during %d; /readyz %d during the drain",
		load.Clients, res.Before, res.During, res.ConnClose, res.FailedBefore, res.FailedDuring, readyz)
	t.Logf("EXIT: code %d, %s after the stop request (stop timeout %d s, DRAIN_DELAY %s, SHUTDOWN_TIMEOUT %s)",
		c.State.ExitCode, exitAfter.Round(100*time.Millisecond), def.StopTimeout, drain, envValue(def, "SHUTDOWN_TIMEOUT"))
	if res.FailedBefore+res.FailedDuring > 0 {
		t.Errorf("%d requests failed before and %d during the drain: %q", res.FailedBefore, res.FailedDuring, res.FirstErrors)
	}
	if res.Before == 0 || res.During == 0 || res.ConnClose == 0 {
		t.Errorf("the load did not cover both phases and the drain's Connection: close (before %d, during %d, close %d)", res.Before, res.During, res.ConnClose)
	}
	if readyz != http.StatusServiceUnavailable {
		t.Errorf("/readyz answered %d during the drain, want 503", readyz)
	}
	if c.State.Running || c.State.ExitCode != 0 || c.State.OOMKilled {
		t.Errorf("after the stop: running %v, exit code %d (137 = SIGKILL), OOM %v", c.State.Running, c.State.ExitCode, c.State.OOMKilled)
	}
	if exitAfter >= time.Duration(def.StopTimeout)*time.Second || exitAfter < drain {
		t.Errorf("exited %s after the stop; want between the drain delay %s and the stop timeout %d s", exitAfter, drain, def.StopTimeout)
	}
	lines, err := e.Logs(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var events []string
	for _, l := range lines {
		var rec struct{ Msg string }
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Errorf("log line is not JSON: %q", l)
			continue
		}
		if rec.Msg != "request" {
			events = append(events, rec.Msg)
		}
	}
	want := []string{"starting", "ready", "shutdown begun", "drained", "stopped"}
	if got := slices.DeleteFunc(slices.Clone(events), func(s string) bool { return !slices.Contains(want, s) }); !slices.Equal(got, want) {
		t.Errorf("lifecycle log events %q, want %q in order", events, want)
	}
}
