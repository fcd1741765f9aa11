// Command server is the sample service every fargateship stack deploys: a
// long-running HTTP server that behaves the way ECS Fargate expects (stays up,
// answers health checks, logs JSON, drains on SIGTERM), plus the two
// subcommands the task definition uses: "healthcheck" and "once".
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"
)

func main() {
	if err := run(context.Background(), os.Args, os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run is the whole program with its dependencies passed in, so tests call it
// exactly as main does, with their own context, arguments, environment and
// output, in the same process.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	// Help comes before the configuration is read: it must work whatever
	// the environment holds.
	if len(args) == 2 && (args[1] == "-h" || args[1] == "--help" || args[1] == "-help" || args[1] == "help") {
		_, err := fmt.Fprintf(stdout, usage, defaultPort, defaultGreeting, defaultDrainDelay, defaultShutdownTimeout)
		return err
	}
	cfg, err := parseConfig(getenv)
	if err != nil {
		return err
	}
	cmd := "serve"
	if len(args) > 1 {
		cmd = args[1]
	}
	if len(args) > 2 {
		return fmt.Errorf("too many arguments: %q", args[1:])
	}
	switch cmd {
	case "serve":
		return serve(ctx, cfg, stdout)
	case "healthcheck":
		return healthcheck(ctx, cfg, stdout)
	case "once":
		// The one-off task shape (aws ecs run-task): do the work, print, exit 0.
		_, err := fmt.Fprintln(stdout, cfg.Greeting)
		return err
	default:
		return fmt.Errorf("unknown subcommand %q: want healthcheck, once, or none to serve", cmd)
	}
}

// usage is the -h/--help text: the subcommands and the environment (see
// docs/app.md).
const usage = `usage: server [healthcheck | once]

  (none)       serve HTTP on $PORT until SIGTERM/SIGINT, then drain and stop
  healthcheck  GET http://127.0.0.1:$PORT/healthz; exit 0 on 200, else 1
  once         print the greeting and exit 0 (a one-off task)

Environment:
  PORT              listening port, 1-65535 (default %d)
  GREETING          text of GET / (default %q)
  DRAIN_DELAY       wait after SIGTERM before closing the listener, >= 0 (default %s)
  SHUTDOWN_TIMEOUT  bound on finishing in-flight requests, > 0 (default %s)
`

// healthcheckTimeout is shorter than any sensible container health check
// timeout (ECS's default is 5 s), so the check reports "unhealthy" itself
// rather than being killed by the runtime.
const healthcheckTimeout = 2 * time.Second

// healthcheck is the container health check. The runtime image has no shell
// and no curl, so the binary checks itself: GET /healthz on loopback.
func healthcheck(ctx context.Context, cfg Config, stdout io.Writer) error {
	ctx, cancel := context.WithTimeout(ctx, healthcheckTimeout)
	defer cancel()
	url := "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(cfg.Port)) + "/healthz"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("healthcheck: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthcheck: GET %s: status %d", url, resp.StatusCode)
	}
	_, err = fmt.Fprintln(stdout, "healthy")
	return err
}

// serve runs the HTTP server until SIGTERM/SIGINT (or ctx is cancelled), then
// shuts down in the order a rolling deploy needs:
//
//  1. readiness (/readyz) turns 503 at once and keep-alives are switched off,
//     while the listener stays open and every request is still served;
//  2. after DRAIN_DELAY, long enough for a load balancer to stop routing here,
//     http.Server.Shutdown closes the listener and waits for in-flight
//     requests, bounded by SHUTDOWN_TIMEOUT;
//  3. serve returns nil, and the process exits 0.
//
// DRAIN_DELAY + SHUTDOWN_TIMEOUT (15 s by default) must stay under the ECS
// stopTimeout (30 s by default), after which ECS sends SIGKILL.
func serve(ctx context.Context, cfg Config, stdout io.Writer) error {
	logger := slog.New(slog.NewJSONHandler(stdout, nil))

	// In a container this process is PID 1, and the kernel applies no
	// default action to signals PID 1 has not asked for: without this,
	// SIGTERM would be ignored and ECS would SIGKILL us after stopTimeout,
	// cutting requests off mid-flight.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	logger.Info("starting",
		slog.Int("port", cfg.Port),
		slog.String("drain_delay", cfg.DrainDelay.String()),
		slog.String("shutdown_timeout", cfg.ShutdownTimeout.String()),
		slog.Bool("ecs_metadata", cfg.MetadataURI != ""),
	)

	health := &Health{}
	tasks := NewTaskMetadata(cfg.MetadataURI, logger)
	srv := &http.Server{
		Addr:    net.JoinHostPort("", strconv.Itoa(cfg.Port)),
		Handler: NewServer(logger, cfg, tasks, health, readBuildInfo()),
		// Slow clients must not hold connections (and memory) forever.
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      10 * time.Second,
		// Longer than the ALB's default 60 s idle timeout: the load balancer,
		// not the target, should be the side that closes idle connections,
		// or it may send a request on a connection we just closed (a 502).
		IdleTimeout: 120 * time.Second,
		ErrorLog:    slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
		// BaseContext is left at its default (context.Background) on
		// purpose: request contexts must not be cancelled by the signal,
		// or in-flight requests would fail the moment SIGTERM arrives.
	}

	// Listen before announcing "ready" so a bad port fails here, loudly,
	// instead of in a goroutine after we claimed to be up.
	ln, err := net.Listen("tcp", srv.Addr)
	if err != nil {
		return fmt.Errorf("listen on port %d: %w", cfg.Port, err)
	}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	// Warm the metadata cache so the first request does not wait on it.
	go tasks.Task(context.Background())
	logger.Info("ready", slog.String("addr", ln.Addr().String()))

	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Restore default signal handling: outside a container a second Ctrl-C
	// then kills the process at once, for an impatient developer.
	stop()

	health.StartDraining()
	// Connection: close on every response from now on nudges keep-alive
	// clients to reconnect, through the load balancer, to another task.
	srv.SetKeepAlivesEnabled(false)
	logger.Info("shutdown begun",
		slog.String("cause", context.Cause(ctx).Error()),
		slog.String("drain_delay", cfg.DrainDelay.String()),
	)

	drain := time.NewTimer(cfg.DrainDelay)
	defer drain.Stop()
	select {
	case err := <-serveErr:
		return fmt.Errorf("serve: %w", err)
	case <-drain.C:
	}

	// A fresh context: ctx is already cancelled, and the deadline here is
	// what keeps the whole sequence inside ECS's stopTimeout.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close()
		logger.Error("shutdown deadline exceeded; closed remaining connections",
			slog.String("shutdown_timeout", cfg.ShutdownTimeout.String()))
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	logger.Info("drained")
	logger.Info("stopped")
	return nil
}
