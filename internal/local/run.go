package local

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/fargateship/fargateship/infra"
)

// Options configure a local run.
type Options struct {
	// ProjectRoot is the folder of Pulumi.yaml; Stack a stack name or
	// stack file (StackFile).
	ProjectRoot, Stack string
	// Port is the router's port on 127.0.0.1; 0 picks a free one.
	Port int
	// SecretsFile holds the secrets' local values; empty is
	// ProjectRoot/SecretsFile.
	SecretsFile string
	// Getenv reads the environment (secrets' values).
	Getenv func(string) string
	// Out receives the run's own lines and every container's log lines,
	// each prefixed with its service's name.
	Out io.Writer
	// Kill, when it closes during a stop, kills what has not stopped
	// yet (a second Ctrl-C).
	Kill <-chan struct{}
}

// runner is a run: the plan, the engine and what it started.
type runner struct {
	opts   Options
	plan   *Plan
	engine *Engine
	out    *prefixer

	network    string
	containers []*started
	logs       sync.WaitGroup
	// exits receives each container when it stops (by itself or stopped).
	exits chan *started
}

// started is a container the run started.
type started struct {
	svc  *Service
	id   string
	name string
	// addr is the loopback address of its published port, if any.
	addr string
	// code is its exit code once it has stopped.
	code int
}

// prepare loads the stack, plans the run and resolves every secret, before
// anything is built or started: a bad stack file or a missing secret
// fails here, naming it.
func prepare(o Options) (*runner, map[string]map[string]string, error) {
	if o.SecretsFile == "" {
		o.SecretsFile = filepath.Join(o.ProjectRoot, SecretsFile)
	}
	st, err := LoadStack(o.ProjectRoot, o.Stack)
	if err != nil {
		return nil, nil, err
	}
	p := NewPlan(o.ProjectRoot, st)
	secrets, err := LoadSecrets(o.SecretsFile, o.Getenv)
	if err != nil {
		return nil, nil, err
	}
	values := map[string]map[string]string{}
	var errs []error
	for _, s := range p.Services {
		v, _, err := secrets.For(s.Name, s.Config.SecretNames)
		if err != nil {
			errs = append(errs, err)
		}
		values[s.Name] = v
	}
	if err := errors.Join(errs...); err != nil {
		return nil, nil, err
	}
	names := []string{"local", "build"}
	for _, s := range p.Services {
		names = append(names, s.Name)
	}
	return &runner{opts: o, plan: p, out: newPrefixer(o.Out, names), exits: make(chan *started, len(p.Services))}, values, nil
}

// Up builds and starts every service of the stack, waits until each is
// healthy (or, without a health check, running), serves the router, and
// runs until ctx ends (Ctrl-C) or a container stops by itself; then it
// stops every container as ECS stops a task (SIGTERM, SIGKILL after its
// stop timeout), removes the containers and the network, and checks that
// nothing it created is left. It returns an error if a service failed to
// start, stopped by itself, or did not exit 0 when stopped.
func Up(ctx context.Context, o Options) (err error) {
	start := time.Now()
	l, secrets, err := prepare(o)
	if err != nil {
		return err
	}
	p := l.plan
	l.say("stack %s (%s): %s", p.Stack.Name, rel(o.ProjectRoot, p.Stack.File), strings.Join(serviceNames(p), ", "))
	// The router's port first: a taken port fails before anything is built.
	var ln net.Listener
	if p.Routes != nil {
		ln, err = net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(o.Port)))
		if err != nil {
			return fmt.Errorf("router: cannot listen on 127.0.0.1:%d: %w (choose another port: make local LOCAL_PORT=...)", o.Port, err)
		}
		defer func() { _ = ln.Close() }()
	}
	if l.engine, err = l.connect(ctx); err != nil {
		return err
	}
	if err := l.clearLeftovers(ctx, KindServices); err != nil {
		return err
	}
	if err := l.images(ctx, p.Services); err != nil {
		return err
	}
	defer func() { err = errors.Join(err, l.cleanup()) }()
	if err := l.createNetwork(ctx, p.NetworkName(), KindServices); err != nil {
		return err
	}
	for _, s := range p.Services {
		body, _, err := CreateBody(s.Config, s.Def, secrets[s.Name], Placement{
			Network: l.network, Alias: s.Alias, Publish: s.Publish, Labels: l.labels(KindServices, s.Name),
		})
		if err != nil {
			return err
		}
		if _, err := l.start(ctx, s, p.ContainerName(s.Name), body); err != nil {
			return err
		}
	}
	if err := l.waitReady(ctx); err != nil {
		if ctx.Err() != nil {
			l.say("interrupted: stopping")
			return errors.Join(errors.New("interrupted before every service was ready"), l.stopAll())
		}
		return err
	}
	var srv *http.Server
	if p.Routes != nil {
		targets := map[string]*url.URL{}
		for _, c := range l.containers {
			if c.addr != "" {
				targets[c.svc.Name] = &url.URL{Scheme: "http", Host: c.addr}
			}
		}
		port := ln.Addr().(*net.TCPAddr).Port
		router, err := NewRouter(p.Routes, targets, port)
		if err != nil {
			return err
		}
		srv = &http.Server{Handler: router, ReadHeaderTimeout: 10 * time.Second}
		go func() { _ = srv.Serve(ln) }()
		l.say("router listening on http://127.0.0.1:%d:", port)
		for _, line := range p.Routes.Describe() {
			l.say("  %s", line)
		}
	}
	l.say("ready in %s; Ctrl-C stops every service (each within its stop timeout) and removes what this run created",
		time.Since(start).Round(100*time.Millisecond))

	var failure error
	select {
	case <-ctx.Done():
		l.say("stopping (Ctrl-C again kills what is still running)")
	case c := <-l.exits:
		failure = fmt.Errorf("service %s stopped by itself with exit code %d (ECS would stop its task and start another)", c.svc.Name, c.code)
		l.say("%v; stopping the others", failure)
	}
	if srv != nil {
		// No new requests: the load balancer deregisters a stopping task.
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		_ = srv.Shutdown(sctx)
		cancel()
	}
	return errors.Join(failure, l.stopAll())
}

// RunSchedule runs a schedule of the stack once, as its scheduled task
// runs: the service's image and task definition with the schedule's
// RunTask overrides (infra.ContainerOverrides, applied by ApplyOverrides),
// on a network of its own, because a scheduled task is not a Service
// Connect service and cannot reach the others by name. It streams the
// task's logs and returns its exit code; Ctrl-C stops it.
func RunSchedule(ctx context.Context, o Options, name string) (code int, err error) {
	l, secrets, err := prepare(o)
	if err != nil {
		return 0, err
	}
	ref, err := l.plan.Schedule(name)
	if err != nil {
		return 0, err
	}
	s := ref.Service
	def, err := ApplyOverrides(s.Def, infra.ContainerOverrides(ref.Schedule.Command))
	if err != nil {
		return 0, err
	}
	l.say("schedule %s of service %s (%s, %s): runs %q", ref.Name, s.Name, ref.Schedule.Expression, cmp.Or(ref.Schedule.Timezone, "UTC"), def.Command)
	if l.engine, err = l.connect(ctx); err != nil {
		return 0, err
	}
	if err := l.clearLeftovers(ctx, KindSchedule); err != nil {
		return 0, err
	}
	if err := l.images(ctx, []*Service{s}); err != nil {
		return 0, err
	}
	defer func() { err = errors.Join(err, l.cleanup()) }()
	if err := l.createNetwork(ctx, l.plan.NetworkName()+"-"+ref.Name, KindSchedule); err != nil {
		return 0, err
	}
	body, _, err := CreateBody(s.Config, def, secrets[s.Name], Placement{Network: l.network, Labels: l.labels(KindSchedule, s.Name)})
	if err != nil {
		return 0, err
	}
	if _, err := l.start(ctx, s, l.plan.ContainerName(ref.Name), body); err != nil {
		return 0, err
	}
	select {
	case c := <-l.exits:
		l.say("schedule %s: exit code %d", ref.Name, c.code)
		return c.code, nil
	case <-ctx.Done():
		l.say("stopping the task (Ctrl-C again kills it)")
		return 0, errors.Join(errors.New("stopped before the task ended"), l.stopAll())
	}
}

func (l *runner) say(format string, args ...any) { l.out.line("local", fmt.Sprintf(format, args...)) }

// connect checks the engine answers, and says when the services' platform
// is not the engine's own (the engine then needs emulation to run them).
func (l *runner) connect(ctx context.Context) (*Engine, error) {
	e, err := NewEngine()
	if err != nil {
		return nil, err
	}
	vctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	v, err := e.Version(vctx)
	if err != nil {
		return nil, fmt.Errorf("no Docker engine answers at %s: %w (start Docker; README, Quick start)", e.Socket, err)
	}
	native := v.Os + "/" + v.Arch
	for _, s := range l.plan.Services {
		if p := infra.Platform(s.Config.Architecture); p != native {
			l.say("note: service %s runs on %s (architecture %s), this engine on %s: it runs only if the engine emulates %s",
				s.Name, p, s.Config.Architecture, native, p)
		}
	}
	return e, nil
}

// labels are a container's labels.
func (l *runner) labels(kind, service string) map[string]string {
	m := l.plan.Labels(kind)
	m[LabelService] = service
	return m
}

// clearLeftovers removes what an earlier run of this stack (of kind) left
// behind when it could not clean up (killed hard); a run of the stack's
// services that is still going is an error, since two would compete.
func (l *runner) clearLeftovers(ctx context.Context, kind string) error {
	sel := map[string]string{LabelProject: l.plan.Root, LabelStack: l.plan.Stack.Name, LabelKind: kind}
	list, err := l.engine.Containers(ctx, sel)
	if err != nil {
		return err
	}
	var running, names []string
	for _, c := range list {
		names = append(names, c.DisplayName())
		if c.State == "running" && kind == KindServices {
			running = append(running, c.DisplayName())
		}
	}
	if len(running) > 0 {
		return fmt.Errorf("stack %s already runs locally (containers %s): stop that run (Ctrl-C) first, or remove them: docker rm -f %s",
			l.plan.Stack.Name, strings.Join(running, ", "), strings.Join(running, " "))
	}
	for _, c := range list {
		if c.State == "running" {
			continue // another `make local-run` of this stack
		}
		if err := l.engine.Remove(ctx, c.ID); err != nil {
			return err
		}
	}
	nets, err := l.engine.Networks(ctx, sel)
	if err != nil {
		return err
	}
	for _, n := range nets {
		if err := l.engine.RemoveNetwork(ctx, n.ID); err != nil {
			var ae *APIError
			if errors.As(err, &ae) && ae.Status == http.StatusForbidden {
				continue // in use by a running local-run
			}
			return err
		}
		names = append(names, n.DisplayName())
	}
	if len(names) > 0 {
		l.say("removed what an earlier run left behind: %s", strings.Join(names, ", "))
	}
	return nil
}

// images builds the images of services (each distinct build once), and
// pulls each prebuilt image the engine lacks.
func (l *runner) images(ctx context.Context, services []*Service) error {
	var builds []*Build
	for _, s := range services {
		if s.Build != nil && !slices.Contains(builds, s.Build) {
			builds = append(builds, s.Build)
		}
	}
	for _, b := range builds {
		l.say("build %s for %s (services %s): context %s, Dockerfile %s%s",
			b.Tag, b.Inputs.Platform, strings.Join(b.Services, ", "), b.Inputs.Context, b.Inputs.Dockerfile, targetNote(b.Inputs.Target))
		res, err := RunBuild(ctx, *b, l.out.writer("build"))
		if err != nil {
			return err
		}
		l.say("built %s in %s", b.Tag, res)
	}
	for _, s := range services {
		if s.Build != nil {
			continue
		}
		ref := s.Def.Image
		if _, err := l.engine.Image(ctx, ref); err == nil {
			continue
		} else if !IsNotFound(err) {
			return err
		}
		l.say("pull %s (service %s's image)", ref, s.Name)
		if _, err := Docker(ctx, nil, "pull", "--platform", infra.Platform(s.Config.Architecture), ref); err != nil {
			return fmt.Errorf("service %s: image %s: %w", s.Name, ref, err)
		}
	}
	return nil
}

func targetNote(target string) string {
	if target == "" {
		return ""
	}
	return ", target " + target
}

func (l *runner) createNetwork(ctx context.Context, name, kind string) error {
	if _, err := l.engine.CreateNetwork(ctx, name, l.plan.Labels(kind)); err != nil {
		return err
	}
	l.network = name
	return nil
}

// start creates and starts a container for s, follows its logs and
// watches for it stopping by itself.
func (l *runner) start(ctx context.Context, s *Service, name string, body map[string]any) (*started, error) {
	c := &started{svc: s, name: name}
	id, err := l.engine.Create(ctx, c.name, body)
	if err != nil {
		return nil, err
	}
	c.id = id
	l.containers = append(l.containers, c)
	if err := l.engine.Start(ctx, id); err != nil {
		return nil, fmt.Errorf("start %s: %w", c.name, err)
	}
	l.logs.Add(1)
	go func() {
		defer l.logs.Done()
		w := l.out.writer(s.Name)
		_ = l.engine.FollowLogs(context.Background(), id, func(_ byte, text string) { _, _ = fmt.Fprintln(w, text) })
	}()
	go func() {
		code, err := l.engine.Wait(context.Background(), id)
		if err == nil {
			c.code = code
			l.exits <- c
		}
	}()
	insp, err := l.engine.Container(ctx, id)
	if err != nil {
		return nil, err
	}
	for _, ports := range insp.NetworkSettings.Ports {
		for _, b := range ports {
			if b.HostIP == "127.0.0.1" && b.HostPort != "" {
				c.addr = net.JoinHostPort(b.HostIP, b.HostPort)
			}
		}
	}
	return c, nil
}

// waitReady waits until every container is healthy (by the engine's run of
// its task definition's health check) or, without a health check,
// running; a container that stops or turns unhealthy first is an error.
func (l *runner) waitReady(ctx context.Context) error {
	return l.each(func(c *started) error { return l.waitOne(ctx, c) })
}

// each runs f on every container at once and joins the errors.
func (l *runner) each(f func(*started) error) error {
	errs := make([]error, len(l.containers))
	var wg sync.WaitGroup
	for i, c := range l.containers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f(c)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (l *runner) waitOne(ctx context.Context, c *started) error {
	start := time.Now()
	def := c.svc.Def
	limit := 30 * time.Second
	if def.HealthCheck != nil {
		hc := HealthOf(def.HealthCheck)
		limit = hc.StartPeriod + time.Duration(hc.Retries+2)*hc.Interval + 30*time.Second
	}
	for time.Since(start) < limit {
		insp, err := l.engine.Container(ctx, c.id)
		if err != nil {
			return err
		}
		if !insp.State.Running {
			return fmt.Errorf("service %s: container %s (exit code %d) before it was ready; its last lines:\n%s",
				c.svc.Name, insp.State.Status, insp.State.ExitCode, l.lastLines(c.id))
		}
		where := c.where()
		switch {
		case def.HealthCheck == nil:
			l.say("%s: running (no health check, as its task definition)%s", c.svc.Name, where)
			return nil
		case insp.State.Health == nil:
			return fmt.Errorf("service %s: the engine runs no health check, but its task definition has one", c.svc.Name)
		case insp.State.Health.Status == "healthy":
			l.say("%s: healthy after %s%s", c.svc.Name, time.Since(start).Round(100*time.Millisecond), where)
			return nil
		case insp.State.Health.Status == "unhealthy":
			var last string
			if n := len(insp.State.Health.Log); n > 0 {
				last = strings.TrimSpace(insp.State.Health.Log[n-1].Output)
			}
			return fmt.Errorf("service %s: unhealthy: its health check %q failed %d times (last output %q)",
				c.svc.Name, def.HealthCheck.Command, def.HealthCheck.Retries, last)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
	return fmt.Errorf("service %s: not healthy after %s", c.svc.Name, limit)
}

// where says how a service is reached.
func (c *started) where() string {
	var parts []string
	if c.svc.Alias != "" {
		parts = append(parts, fmt.Sprintf("http://%s:%d from the others", c.svc.Alias, c.svc.Config.ContainerPort))
	}
	if c.addr != "" {
		parts = append(parts, "published on "+c.addr)
	}
	if len(parts) == 0 {
		return ""
	}
	return "; " + strings.Join(parts, ", ")
}

func (l *runner) lastLines(id string) string {
	lines, err := l.engine.Logs(context.Background(), id)
	if err != nil {
		return "(logs: " + err.Error() + ")"
	}
	return Tail(strings.Join(lines, "\n"), 20)
}

// stopAll stops every running container at once, as ECS stops a task:
// the engine sends SIGTERM and, at the container's stop timeout (the task
// definition's stopTimeout), SIGKILL; Options.Kill kills at once. A
// container that exits with a non-zero code, or is killed, is an error.
func (l *runner) stopAll() error { return l.each(l.stopOne) }

func (l *runner) stopOne(c *started) error {
	ctx := context.Background()
	insp, err := l.engine.Container(ctx, c.id)
	if err != nil {
		return err
	}
	if !insp.State.Running {
		return nil // it stopped by itself: already reported
	}
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- l.engine.Stop(ctx, c.id) }()
	killed := false
	select {
	case err = <-done:
	case <-l.opts.Kill:
		killed = true
		_ = l.engine.Kill(ctx, c.id)
		err = <-done
	}
	if err != nil {
		return fmt.Errorf("stop %s: %w", c.svc.Name, err)
	}
	if insp, err = l.engine.Container(ctx, c.id); err != nil {
		return err
	}
	// When the process exited, by the engine's clock (the stop call
	// itself may return later, after a health check exec in flight).
	took := insp.State.FinishedAt.Sub(start)
	code := insp.State.ExitCode
	l.say("%s: exit code %d, %s after the stop (stop timeout %d s)", c.svc.Name, code, took.Round(100*time.Millisecond), c.svc.Def.StopTimeout)
	switch {
	case killed:
		return fmt.Errorf("service %s: killed (second Ctrl-C)", c.svc.Name)
	case code == 137 || took >= time.Duration(c.svc.Def.StopTimeout)*time.Second:
		return fmt.Errorf("service %s did not exit within its stop timeout (%d s): SIGKILL", c.svc.Name, c.svc.Def.StopTimeout)
	case code != 0:
		return fmt.Errorf("service %s exited with code %d when stopped", c.svc.Name, code)
	}
	return nil
}

// cleanup removes every container and the network of this run, then
// checks that the engine holds nothing with this run's label.
func (l *runner) cleanup() error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	// The log streams end with their containers.
	done := make(chan struct{})
	go func() { l.logs.Wait(); close(done) }()
	for _, c := range l.containers {
		if insp, err := l.engine.Container(ctx, c.id); err == nil && insp.State.Running {
			_ = l.engine.Kill(ctx, c.id)
		}
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
	}
	var problems []string
	for _, c := range l.containers {
		if err := l.engine.Remove(ctx, c.id); err != nil {
			problems = append(problems, fmt.Sprintf("container %s: %v", c.name, err))
		}
	}
	if l.network != "" {
		if err := l.engine.RemoveNetwork(ctx, l.network); err != nil {
			problems = append(problems, fmt.Sprintf("network %s: %v", l.network, err))
		}
	}
	sel := map[string]string{LabelRun: l.plan.RunID, LabelProject: l.plan.Root}
	cs, err1 := l.engine.Containers(ctx, sel)
	ns, err2 := l.engine.Networks(ctx, sel)
	switch {
	case err1 != nil || err2 != nil:
		problems = append(problems, fmt.Sprintf("cannot list what is left: %v %v", err1, err2))
	case len(cs)+len(ns) > 0:
		for _, s := range append(cs, ns...) {
			problems = append(problems, "left behind: "+s.DisplayName())
		}
	}
	if len(problems) > 0 {
		l.say("clean-up FAILED: %s", strings.Join(problems, "; "))
		return errors.New("clean-up failed: " + strings.Join(problems, "; "))
	}
	what := fmt.Sprintf("%d container(s)", len(l.containers))
	if l.network != "" {
		what += " and network " + l.network
	}
	l.say("removed %s; nothing of run %s is left (the images stay, for the build cache)", what, l.plan.RunID)
	return nil
}

func serviceNames(p *Plan) []string {
	var out []string
	for _, s := range p.Services {
		out = append(out, s.Name)
	}
	return out
}

func rel(root, path string) string {
	if r, err := filepath.Rel(root, path); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return path
}
