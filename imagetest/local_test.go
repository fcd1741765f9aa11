//go:build imagetest

package imagetest

// `make local` on a real engine (issue 22): the dev stack and the shop
// stack (examples/shop/stack.yaml: app, api and worker in one
// environment), each run by `make local` itself as a developer runs it,
// then checked from the outside: every service running as its task
// definition and healthy by the engine's own check, each reachable by its
// name on the stack's network, every path through the local router
// reaching the service the load balancer's rules name, the api calling the
// app by name, and a Ctrl-C that stops every service within its stop
// timeout and leaves nothing behind. Then a schedule run once with `make
// local-run`.

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/fargateship/fargateship/infra"
	"github.com/fargateship/fargateship/internal/local"
)

// makeRun is one `make` of the project, in a process group of its own
// (as a terminal runs it: Ctrl-C reaches make and the program alike).
type makeRun struct {
	cmd   *exec.Cmd
	start time.Time
	mu    sync.Mutex
	lines []string
	ready chan struct{} // closed at the "ready in" line
	done  chan struct{} // closed when make has exited
	err   error         // make's exit, once done
}

var (
	readyRE  = regexp.MustCompile(`^local +\| ready in (\S+);`)
	routerRE = regexp.MustCompile(`^local +\| router listening on (http://127\.0\.0\.1:\d+):$`)
	builtRE  = regexp.MustCompile(`^local +\| built (\S+) in (\S+), (\d+) of (\d+) steps from the build cache$`)
	exitRE   = regexp.MustCompile(`^local +\| ([a-z][a-z0-9-]*): exit code (\d+), (\S+) after the stop \(stop timeout (\d+) s\)$`)
	cleanRE  = regexp.MustCompile(`^local +\| removed (\d+) container\(s\)(?: and network (\S+))?; nothing of run (\w+) is left`)
)

// startMake runs `make ARGS` in the project.
func startMake(t *testing.T, args ...string) *makeRun {
	t.Helper()
	return startMakeEnv(t, nil, args...)
}

// startMakeEnv runs `make ARGS` with env added to the environment.
func startMakeEnv(t *testing.T, env []string, args ...string) *makeRun {
	t.Helper()
	r := &makeRun{ready: make(chan struct{}), done: make(chan struct{})}
	r.cmd = exec.Command("make", append([]string{"-C", projectRoot, "--no-print-directory"}, args...)...)
	r.cmd.Env = append(os.Environ(), env...)
	r.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pr, pw := io.Pipe()
	r.cmd.Stdout, r.cmd.Stderr = pw, pw
	r.start = time.Now()
	if err := r.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		readyOnce := sync.OnceFunc(func() { close(r.ready) })
		for sc.Scan() {
			r.mu.Lock()
			r.lines = append(r.lines, sc.Text())
			r.mu.Unlock()
			if readyRE.MatchString(sc.Text()) {
				readyOnce()
			}
		}
	}()
	go func() {
		r.err = r.cmd.Wait()
		_ = pw.Close()
		<-scanned
		close(r.done)
	}()
	t.Cleanup(func() {
		select {
		case <-r.done:
		default:
			_ = syscall.Kill(-r.cmd.Process.Pid, syscall.SIGKILL)
			<-r.done
		}
	})
	return r
}

// output is every line so far.
func (r *makeRun) output() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.lines)
}

// find returns the submatches of the first line re matches.
func (r *makeRun) find(re *regexp.Regexp) []string {
	for _, l := range r.output() {
		if m := re.FindStringSubmatch(l); m != nil {
			return m
		}
	}
	return nil
}

// findAll returns the submatches of every line re matches.
func (r *makeRun) findAll(re *regexp.Regexp) [][]string {
	var out [][]string
	for _, l := range r.output() {
		if m := re.FindStringSubmatch(l); m != nil {
			out = append(out, m)
		}
	}
	return out
}

// log writes the run's own lines and the services' lines to the test log,
// without BuildKit's progress and the health checks' request lines.
func (r *makeRun) log(t *testing.T) {
	t.Helper()
	var keep []string
	for _, l := range r.output() {
		if strings.HasPrefix(l, "build ") || strings.Contains(l, `"path":"/healthz"`) {
			continue
		}
		keep = append(keep, l)
	}
	t.Logf("make output (%d lines, build progress and health check requests left out):\n%s", len(r.output()), strings.Join(keep, "\n"))
}

// waitReady waits for the "ready in" line; make ending first fails.
func (r *makeRun) waitReady(t *testing.T, limit time.Duration) {
	t.Helper()
	select {
	case <-r.ready:
	case <-r.done:
		r.log(t)
		t.Fatalf("make ended before the stack was ready: %v", r.err)
	case <-time.After(limit):
		r.log(t)
		t.Fatalf("not ready after %s", limit)
	}
}

// interrupt is Ctrl-C in the terminal: SIGINT to make and the program.
func (r *makeRun) interrupt(t *testing.T) {
	t.Helper()
	if err := syscall.Kill(-r.cmd.Process.Pid, syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
}

// wait waits for make to end and returns how long after since.
func (r *makeRun) wait(t *testing.T, since time.Time, limit time.Duration) time.Duration {
	t.Helper()
	select {
	case <-r.done:
		return time.Since(since)
	case <-time.After(limit):
		r.log(t)
		t.Fatalf("make still runs %s later", limit)
		return 0
	}
}

// interrupted: make ended by the Ctrl-C (GNU make, interrupted, waits for
// its job and then dies of the same signal) or exited 0; a job that
// failed makes make exit 2 with "Error" instead.
func (r *makeRun) interrupted() bool {
	var ee *exec.ExitError
	if r.err == nil {
		return true
	}
	if errors.As(r.err, &ee) {
		ws, ok := ee.Sys().(syscall.WaitStatus)
		return ok && ws.Signaled() && ws.Signal() == syscall.SIGINT
	}
	return false
}

// prepareBases makes every base image of the plan's Dockerfiles available
// on its platform: the real ones where they can be pulled, else the
// labelled stand-ins (standin.go), as the other image tests do.
func prepareBases(t *testing.T, ctx context.Context, e *local.Engine, v local.Version, plans ...*local.Plan) {
	t.Helper()
	var builds []*local.Build
	for _, p := range plans {
		builds = append(builds, p.Builds...)
	}
	done := map[Base]bool{}
	for _, b := range builds {
		if native := "linux/" + v.Arch; b.Inputs.Platform != native {
			t.Fatalf("%s builds for %s, but the engine runs %s: the test runs the images natively", b.Tag, b.Inputs.Platform, native)
		}
		data, err := os.ReadFile(projectRoot + "/" + b.Inputs.Dockerfile)
		if err != nil {
			t.Fatal(err)
		}
		build, rt, err := DockerfileBases(string(data))
		if err != nil {
			t.Fatalf("%s: %v", b.Inputs.Dockerfile, err)
		}
		for _, base := range []Base{build, rt} {
			if done[base] {
				continue
			}
			done[base] = true
			pr, err := EnsureBase(ctx, e, base, b.Inputs.Platform)
			if err != nil {
				t.Fatal(err)
			}
			t.Log(pr.How)
		}
	}
}

// localStack is what the test knows of a stack before `make local` runs
// it: its plan, from the same code, for the container definitions.
func localStack(t *testing.T, stack string) *local.Plan {
	t.Helper()
	st, err := local.LoadStack(projectRoot, stack)
	if err != nil {
		t.Fatal(err)
	}
	return local.NewPlan(projectRoot, st)
}

// TestLocal runs `make local` for the dev stack, then the shop stack, then
// one of the shop's schedules with `make local-run`.
func TestLocal(t *testing.T) {
	e, v := requireEngine(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	dev, shop := localStack(t, "dev"), localStack(t, "examples/shop/stack.yaml")
	prepareBases(t, ctx, e, v, dev, shop)

	ok := t.Run("dev", func(t *testing.T) {
		r := startMake(t, "local", "STACK=dev", "LOCAL_PORT=0")
		r.waitReady(t, 10*time.Minute)
		router := checkRunning(t, ctx, e, r, dev)
		// No load balancer in dev: the router stands for the task's own
		// address, and the app answers every route there.
		checkRoutes(t, ctx, router, "Hello from the dev stack!")
		t.Logf("ROUTES dev: /, /healthz, /readyz, /version, 404 and 405 answered by app through the router at %s", router)
		stopAndCheck(t, ctx, e, r, dev)
	})
	if !ok {
		t.FailNow()
	}

	ok = t.Run("shop", func(t *testing.T) {
		r := startMake(t, "local", "STACK=examples/shop/stack.yaml", "LOCAL_PORT=0")
		r.waitReady(t, 10*time.Minute)
		router := checkRunning(t, ctx, e, r, shop)
		// A second run of the app's build (dev's just built it) is taken
		// whole from BuildKit's cache.
		for _, m := range r.findAll(builtRE) {
			if m[1] == local.ImageTag("shop", "app") && m[3] != m[4] {
				t.Errorf("the app's build ran %s of %s steps again after the dev run built the same inputs", m[3], m[4])
			}
		}
		checkShopRoutes(t, ctx, router)
		// A second `make local` of a stack that runs is refused, naming it.
		out, err := exec.CommandContext(ctx, projectRoot+"/bin/local", "-C", projectRoot, "-port", "0", "examples/shop/stack.yaml").CombinedOutput()
		if err == nil || !strings.Contains(string(out), "stack shop already runs locally") {
			t.Errorf("a second run of the shop while it runs: %v\n%s", err, out)
		}
		stopAndCheck(t, ctx, e, r, shop)
	})
	if !ok {
		t.FailNow()
	}

	t.Run("a secret, then Ctrl-C twice", func(t *testing.T) {
		// A stack with a secret: its value comes from the environment,
		// never from AWS (the stack file's ciphertext is not decrypted).
		// Then the second Ctrl-C kills what still drains; everything is
		// still removed, and the run says it did not end cleanly.
		file := t.TempDir() + "/Pulumi.secret.yaml"
		stack := "config:\n  fargateship:secrets:\n    DB_PASSWORD:\n      secure: v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBB\n"
		if err := os.WriteFile(file, []byte(stack), 0o600); err != nil {
			t.Fatal(err)
		}
		const value = "local value from the environment"
		r := startMakeEnv(t, []string{"DB_PASSWORD=" + value}, "local", "STACK="+file, "LOCAL_PORT=0")
		r.waitReady(t, 5*time.Minute)
		list, err := e.Containers(ctx, map[string]string{local.LabelProject: projectRoot, local.LabelStack: "secret"})
		if err != nil || len(list) != 1 {
			t.Fatalf("containers of the secret stack: %v, %v", list, err)
		}
		c, err := e.Container(ctx, list[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Contains(c.Config.Env, "DB_PASSWORD="+value) {
			t.Errorf("the app's environment lacks its secret: %q", c.Config.Env)
		}
		start := time.Now()
		r.interrupt(t)
		for !slices.ContainsFunc(r.output(), func(l string) bool { return strings.Contains(l, `"msg":"shutdown begun"`) }) {
			if time.Since(start) > time.Minute {
				r.log(t)
				t.Fatal("the app never began its drain")
			}
			time.Sleep(50 * time.Millisecond)
		}
		r.interrupt(t)
		took := r.wait(t, start, time.Minute)
		r.log(t)
		if r.find(regexp.MustCompile(`service app: killed \(second Ctrl-C\)`)) == nil || r.find(cleanRE) == nil {
			t.Errorf("no kill and clean-up lines")
		}
		if drain := expectedDrain(dev.Service("app").Def); took >= drain {
			t.Errorf("stopped %s after the first Ctrl-C: the second did not cut the %s drain short", took, drain)
		}
		checkNothingLeft(t, ctx, e, "secret")
		t.Logf("SECRET: DB_PASSWORD reached the app from the environment; KILL: the second Ctrl-C ended the drain, make exited %s after the first, nothing left",
			took.Round(100*time.Millisecond))
	})

	t.Run("a service that exits at start", func(t *testing.T) {
		// The app's one-off command exits at once: the run fails with the
		// reason and the service's last lines, and removes what it made.
		file := t.TempDir() + "/Pulumi.exits.yaml"
		if err := os.WriteFile(file, []byte("config:\n  fargateship:command: [\"once\"]\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		r := startMake(t, "local", "STACK="+file, "LOCAL_PORT=0")
		r.wait(t, r.start, 5*time.Minute)
		r.log(t)
		var ee *exec.ExitError
		if !errors.As(r.err, &ee) || ee.ExitCode() != 2 {
			t.Errorf("make: %v, want exit 2 (the program failed)", r.err)
		}
		if r.find(regexp.MustCompile(`^local: service app: container exited \(exit code 0\) before it was ready; its last lines:$`)) == nil || r.find(cleanRE) == nil {
			t.Errorf("no reason or no clean-up line")
		}
		checkNothingLeft(t, ctx, e, "exits")
	})

	t.Run("shop schedule", func(t *testing.T) {
		r := startMake(t, "local-run", "STACK=examples/shop/stack.yaml", "SCHEDULE=nightly-report")
		took := r.wait(t, r.start, 5*time.Minute)
		r.log(t)
		if r.err != nil {
			t.Fatalf("make local-run: %v", r.err)
		}
		var report string
		for _, l := range r.output() {
			if strings.HasPrefix(l, "worker | report: generated at ") {
				report = l
			}
		}
		if !strings.HasSuffix(report, " for nightly") || r.find(regexp.MustCompile(`^local +\| schedule worker-nightly-report: exit code 0$`)) == nil {
			t.Errorf("the schedule's task did not log its report (with the worker's REPORT_NAME) and exit 0")
		}
		if m := r.find(cleanRE); m == nil || m[1] != "1" {
			t.Errorf("no clean-up line for the schedule's one container: %q", m)
		}
		checkNothingLeft(t, ctx, e, shop.Stack.Name)
		t.Logf("SCHEDULE worker-nightly-report: `make local-run` built, ran %q and exited 0 in %s; %s",
			shop.Service("worker").Config.Schedules["nightly-report"].Command, took.Round(100*time.Millisecond), strings.TrimPrefix(report, "worker | "))
	})
}

// checkRunning checks a ready stack from the engine's side: one container
// per service, each running with its task definition's settings
// (checkHardening), healthy by the engine's run of its health check, and
// on one network where each service with a port answers to its name. It
// returns the router's URL.
func checkRunning(t *testing.T, ctx context.Context, e *local.Engine, r *makeRun, p *local.Plan) string {
	t.Helper()
	m := r.find(routerRE)
	if m == nil {
		r.log(t)
		t.Fatal("no router line")
	}
	ready := r.find(readyRE)
	list, err := e.Containers(ctx, map[string]string{local.LabelProject: projectRoot, local.LabelStack: p.Stack.Name, local.LabelKind: local.KindServices})
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != len(p.Services) {
		r.log(t)
		t.Fatalf("%d containers for %d services", len(list), len(p.Services))
	}
	networks := map[string]bool{}
	for _, s := range list {
		svc := p.Service(s.Labels[local.LabelService])
		if svc == nil {
			t.Fatalf("container %s of no service of the stack", s.DisplayName())
		}
		c, err := e.Container(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		t.Run(svc.Name, func(t *testing.T) {
			if !p.Stack.Config.ECSExec {
				requireHardened(t, svc.Def)
			}
			checkHardening(t, c, svc.Def)
			if svc.Def.HealthCheck != nil && (c.State.Health == nil || c.State.Health.Status != "healthy") {
				t.Errorf("health %+v, want healthy", c.State.Health)
			}
			if !c.State.Running {
				t.Errorf("state %s", c.State.Status)
			}
			if len(c.NetworkSettings.Networks) != 1 {
				t.Errorf("networks %v, want the stack's one", c.NetworkSettings.Networks)
			}
			for name, n := range c.NetworkSettings.Networks {
				networks[name] = true
				if named := slices.Contains(n.Aliases, svc.Name); named != !svc.Config.Worker() {
					t.Errorf("on %s with aliases %q: reachable by name %v, want %v (a port: %d)", name, n.Aliases, named, !svc.Config.Worker(), svc.Config.ContainerPort)
				}
			}
		})
	}
	if len(networks) != 1 {
		t.Errorf("the services are on %d networks, want one", len(networks))
	}
	var builds []string
	for _, b := range r.findAll(builtRE) {
		builds = append(builds, b[1]+" in "+b[2]+" ("+b[3]+" of "+b[4]+" steps cached)")
	}
	t.Logf("READY %s: %d service(s) ready %s after `make local` started (the program's count: %s); builds: %s; router %s",
		p.Stack.Name, len(list), time.Since(r.start).Round(100*time.Millisecond), ready[1], strings.Join(builds, "; "), m[1])
	return m[1]
}

// checkShopRoutes sends requests through the router and checks that each
// reached the service the load balancer's rules name: app by default
// (every route of the app's), api at /api/* with its paths unchanged, and
// the api's call to the app by name.
func checkShopRoutes(t *testing.T, ctx context.Context, router string) {
	t.Helper()
	checkRoutes(t, ctx, router, "Hello from ECS Fargate!")
	const hello = "hello from the example api\n"
	for _, tc := range []struct {
		path   string
		status int
		body   string
	}{
		{"/api/", 200, hello},
		{"/api/ready", 200, "ready\n"},
		{"/api/anything?q=1", 200, hello},
		// /api/* does not match /api: the default, app, answers 404.
		{"/api", 404, "404 page not found\n"},
		{"/apix", 404, "404 page not found\n"},
	} {
		status, body := httpGet(t, ctx, router+tc.path)
		if status != tc.status || body != tc.body {
			t.Errorf("GET %s = %d %q, want %d %q", tc.path, status, body, tc.status, tc.body)
		}
	}
	// One service calling another by name: the api GETs UPSTREAM_URL,
	// http://app:8080, which only the stack's network resolves.
	status, body := httpGet(t, ctx, router+"/api/upstream")
	var ans struct {
		Upstream, Body, Error string
		Status                int
	}
	if err := json.Unmarshal([]byte(body), &ans); err != nil || status != 200 {
		t.Fatalf("GET /api/upstream = %d %q (%v)", status, body, err)
	}
	var app map[string]string
	if err := json.Unmarshal([]byte(ans.Body), &app); ans.Upstream != "http://app:8080" || ans.Status != 200 || err != nil || app["greeting"] != "Hello from ECS Fargate!" {
		t.Errorf("GET /api/upstream: %+v (%v); want the app's answer from http://app:8080", ans, err)
	}
	t.Logf("ROUTES shop: app's routes at / (default), api at /api/, /api/ready, /api/anything (path unchanged), /api and /apix to app's 404; "+
		"GET /api/upstream: api called %s by name and got %d %s", ans.Upstream, ans.Status, strings.TrimSpace(ans.Body))
}

// stopAndCheck is Ctrl-C: every service exits 0 within its stop timeout,
// make ends as interrupted (not "Error"), and nothing of the stack is left
// on the engine.
func stopAndCheck(t *testing.T, ctx context.Context, e *local.Engine, r *makeRun, p *local.Plan) {
	t.Helper()
	start := time.Now()
	r.interrupt(t)
	took := r.wait(t, start, 3*time.Minute)
	r.log(t)
	if !r.interrupted() {
		t.Errorf("make after Ctrl-C: %v; want interrupted after a clean stop", r.err)
	}
	exits := map[string][]string{}
	for _, m := range r.findAll(exitRE) {
		exits[m[1]] = m
	}
	var report []string
	for _, s := range p.Services {
		m, ok := exits[s.Name]
		if !ok {
			t.Errorf("no exit line for %s", s.Name)
			continue
		}
		after, err := time.ParseDuration(m[3])
		if m[2] != "0" || err != nil || after >= time.Duration(s.Def.StopTimeout)*time.Second || m[4] != strconv.Itoa(s.Def.StopTimeout) {
			t.Errorf("%s: exit code %s, %s after the stop (stop timeout %s s); want 0 within its task definition's %d s", s.Name, m[2], m[3], m[4], s.Def.StopTimeout)
		}
		if want := expectedDrain(s.Def); after < want {
			t.Errorf("%s exited %s after the stop, before its drain delay %s", s.Name, after, want)
		}
		report = append(report, s.Name+" "+m[3])
	}
	clean := r.find(cleanRE)
	if clean == nil || clean[1] != strconv.Itoa(len(p.Services)) || clean[2] == "" {
		t.Errorf("clean-up line %q, want %d containers and the network removed", clean, len(p.Services))
	}
	checkNothingLeft(t, ctx, e, p.Stack.Name)
	t.Logf("STOP %s: Ctrl-C to make exited %s later; each service exit 0 (%s after the stop); removed %s containers and network %s; the engine holds 0 containers and 0 networks of the stack",
		p.Stack.Name, took.Round(100*time.Millisecond), strings.Join(report, ", "), clean[1], clean[2])
}

// expectedDrain is how long a service with a port keeps serving after
// SIGTERM (DRAIN_DELAY, which the program sets); a worker has none.
func expectedDrain(def infra.ContainerDefinition) time.Duration {
	if len(def.PortMappings) == 0 {
		return 0
	}
	d, _ := time.ParseDuration(envValue(def, "DRAIN_DELAY"))
	return d
}

// checkNothingLeft: no container or network of the stack, of any run, is
// left on the engine.
func checkNothingLeft(t *testing.T, ctx context.Context, e *local.Engine, stack string) {
	t.Helper()
	sel := map[string]string{local.LabelProject: projectRoot, local.LabelStack: stack}
	cs, err := e.Containers(ctx, sel)
	if err != nil {
		t.Fatal(err)
	}
	ns, err := e.Networks(ctx, sel)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append(cs, ns...) {
		t.Errorf("left behind: %s (%s)", s.DisplayName(), s.State)
	}
}
