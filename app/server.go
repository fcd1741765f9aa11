package main

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"runtime/debug"
	"sync/atomic"
	"time"
)

// Health is the readiness state shared by the /readyz handler and run's
// shutdown sequence. Liveness (/healthz) deliberately does not consult it: a
// draining task is alive, and failing liveness would make ECS kill it early.
type Health struct {
	draining atomic.Bool
}

// StartDraining makes /readyz answer 503 from now on.
func (h *Health) StartDraining() { h.draining.Store(true) }

// Draining reports whether shutdown has begun.
func (h *Health) Draining() bool { return h.draining.Load() }

// BuildInfo is what GET /version reports.
type BuildInfo struct {
	Module      string `json:"module"`
	GoVersion   string `json:"goVersion"`
	VCSRevision string `json:"vcsRevision"`
	VCSTime     string `json:"vcsTime"`
	VCSModified bool   `json:"vcsModified"`
}

// readBuildInfo extracts BuildInfo from the binary. VCS fields are empty when
// the build had no .git to read (the image build never does: .dockerignore
// keeps it out of the context) or ran with -buildvcs=false.
func readBuildInfo() BuildInfo {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return BuildInfo{}
	}
	out := BuildInfo{Module: bi.Main.Path, GoVersion: bi.GoVersion}
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			out.VCSRevision = s.Value
		case "vcs.time":
			out.VCSTime = s.Value
		case "vcs.modified":
			out.VCSModified = s.Value == "true"
		}
	}
	return out
}

// rootResponse is the body of GET /. Its field names are a contract: the
// deploy verifier reads "revision" to watch a rollout go from N to N+1.
type rootResponse struct {
	Greeting         string `json:"greeting"`
	Task             string `json:"task"`
	Family           string `json:"family"`
	Revision         string `json:"revision"`
	AvailabilityZone string `json:"availabilityZone"`
}

// NewServer builds the whole HTTP surface of the app. Every route is listed
// here, in one place, so this function is the map of the service; tests drive
// the handler it returns rather than individual handler functions.
func NewServer(logger *slog.Logger, cfg Config, tasks TaskSource, health *Health, build BuildInfo) http.Handler {
	mux := http.NewServeMux()
	// "GET /{$}" matches only "/", not every path: unknown paths get 404
	// instead of a greeting, so typos are visible. GET patterns also serve
	// HEAD, and other methods get 405 from the mux.
	mux.Handle("GET /{$}", handleRoot(cfg.Greeting, tasks))
	mux.Handle("GET /healthz", handleHealthz())
	mux.Handle("GET /readyz", handleReadyz(health))
	mux.Handle("GET /version", handleVersion(build))
	return logRequests(logger, mux)
}

func handleRoot(greeting string, tasks TaskSource) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t := tasks.Task(r.Context())
		writeJSON(w, http.StatusOK, rootResponse{
			Greeting:         greeting,
			Task:             t.TaskARN,
			Family:           t.Family,
			Revision:         t.Revision,
			AvailabilityZone: t.AvailabilityZone,
		})
	})
}

// handleHealthz is liveness: if the process can answer at all, it is alive.
// It checks nothing else so a slow dependency never gets a task killed.
func handleHealthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeText(w, http.StatusOK, "ok")
	})
}

// handleReadyz turns 503 as soon as shutdown begins, while the server keeps
// serving, so whatever routes traffic here stops before the listener closes.
func handleReadyz(health *Health) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if health.Draining() {
			writeText(w, http.StatusServiceUnavailable, "draining")
			return
		}
		writeText(w, http.StatusOK, "ready")
	})
}

func handleVersion(build BuildInfo) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, build)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	// An encoding error here means the client went away mid-write; there is
	// no one left to tell, and the request log already records the status.
	_ = json.NewEncoder(w).Encode(v)
}

func writeText(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body + "\n"))
}

// statusRecorder remembers the status code a handler wrote, for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer (flush, deadlines).
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }

// logRequests writes one JSON line per request. The field names are stable so
// CloudWatch Logs Insights queries (filter status >= 500, stats pct(duration_ms, 99))
// keep working.
func logRequests(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK // handler wrote nothing: net/http sends 200
		}
		logger.LogAttrs(r.Context(), slog.LevelInfo, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
		)
	})
}
