// Command api is an example of a team's own HTTP service deployed with
// fargateship: another binary (/api), another port (9090, from PORT) and
// another health check (GET /ready, checked in the container by
// `/api -check`). With UPSTREAM_URL set it also calls another service of
// its environment by name (GET /upstream): in examples/shop/stack.yaml that
// is the app, at http://app:8080 through Service Connect.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
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

// Prefix is where the load balancer routes the api in an environment
// (paths: ["/api/*"] in examples/shop/stack.yaml). An ALB forwards the path
// unchanged (it has no path rewrite), so every route is served under it as
// well as at the root, where the target group's health check and a
// one-service stack find them.
const Prefix = "/api"

// upstreamTimeout bounds a call to UPSTREAM_URL, well under the Service
// Connect proxy's 15 s per-request timeout.
const upstreamTimeout = 5 * time.Second

// maxUpstreamBody is how much of the upstream's answer /upstream returns.
const maxUpstreamBody = 4096

// NewServer is the service's handler: /ready for health checks (503 once
// draining is set), /upstream to call UPSTREAM_URL (upstream; empty when
// unset), / for everything else; each also under Prefix.
func NewServer(draining *atomic.Bool, upstream string) http.Handler {
	routes := http.NewServeMux()
	routes.HandleFunc("GET /ready", func(w http.ResponseWriter, _ *http.Request) {
		if draining.Load() {
			http.Error(w, "draining", http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, "ready\n")
	})
	routes.Handle("GET /upstream", handleUpstream(upstream, &http.Client{Timeout: upstreamTimeout}))
	routes.HandleFunc("GET /", func(w http.ResponseWriter, _ *http.Request) {
		io.WriteString(w, "hello from the example api\n")
	})
	mux := http.NewServeMux()
	mux.Handle(Prefix+"/", http.StripPrefix(Prefix, routes))
	mux.Handle("/", routes)
	return mux
}

// UpstreamAnswer is what GET /upstream returns: the URL it called, and the
// status and (up to 4 KiB of) the body it got, or why it got none.
type UpstreamAnswer struct {
	Upstream string `json:"upstream"`
	Status   int    `json:"status,omitempty"`
	Body     string `json:"body,omitempty"`
	Error    string `json:"error,omitempty"`
}

// handleUpstream calls upstream with GET and reports what it answered: 200
// when the call got an answer (whatever its status, which is in the body),
// 502 when it got none, 503 when no upstream is configured.
func handleUpstream(upstream string, client *http.Client) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ans, status := UpstreamAnswer{Upstream: upstream}, http.StatusOK
		if upstream == "" {
			status, ans.Error = http.StatusServiceUnavailable, "UPSTREAM_URL is not set"
		} else if body, code, err := call(r.Context(), client, upstream); err != nil {
			status, ans.Error = http.StatusBadGateway, err.Error()
		} else {
			ans.Status, ans.Body = code, body
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(ans)
	})
}

// call GETs u and returns the start of its body and its status.
func call(ctx context.Context, client *http.Client, u string) (string, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return "", 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxUpstreamBody))
	if err != nil {
		return "", 0, err
	}
	return string(b), resp.StatusCode, nil
}

// upstreamURL checks UPSTREAM_URL: empty, or an absolute http(s) URL.
func upstreamURL(v string) (string, error) {
	if v == "" {
		return "", nil
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("UPSTREAM_URL=%q: want an absolute http:// or https:// URL such as http://app:8080", v)
	}
	return v, nil
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
	upstream, err := upstreamURL(getenv("UPSTREAM_URL"))
	if err != nil {
		return err
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
	srv := &http.Server{Addr: ":" + port, Handler: NewServer(&draining, upstream), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	fmt.Fprintln(stdout, "api listening on :"+port)
	if upstream != "" {
		fmt.Fprintln(stdout, "api upstream "+upstream)
	}
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
