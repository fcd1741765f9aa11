// Command api is an example of a team's own HTTP service deployed with
// fargateship: another binary (/api), another port (9090, from PORT) and
// another health check (GET /ready, checked in the container by
// `/api -check`).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "api:", err)
		os.Exit(1)
	}
}

// NewServer is the service's handler: /ready for health checks (503 once
// draining is set), / for everything else.
func NewServer(draining *atomic.Bool) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /ready", func(w http.ResponseWriter, _ *http.Request) {
		if draining.Load() {
			http.Error(w, "draining", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ready\n")
	})
	mux.HandleFunc("GET /", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "hello from the example api\n")
	})
	return mux
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	fs := flag.NewFlagSet("api", flag.ContinueOnError)
	check := fs.Bool("check", false, "GET http://127.0.0.1:$PORT/ready and exit 0 if it answers 200 (the container health check)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	port := getenv("PORT")
	if port == "" {
		port = "9090"
	}
	if *check {
		c := http.Client{Timeout: 2 * time.Second}
		resp, err := c.Get("http://127.0.0.1:" + port + "/ready")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("/ready answered %s", resp.Status)
		}
		return nil
	}
	ctx, stop := signal.NotifyContext(ctx, syscall.SIGTERM, os.Interrupt)
	defer stop()
	// The program passes DRAIN_DELAY: keep serving that long after SIGTERM
	// (answering /ready with 503) so the load balancer stops routing here
	// before the listener closes.
	drain, err := time.ParseDuration(cmpOr(getenv("DRAIN_DELAY"), "0s"))
	if err != nil {
		return fmt.Errorf("DRAIN_DELAY: %w", err)
	}
	var draining atomic.Bool
	srv := &http.Server{Addr: ":" + port, Handler: NewServer(&draining), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	fmt.Fprintln(stdout, "api listening on :"+port)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	draining.Store(true)
	time.Sleep(drain)
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func cmpOr(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
