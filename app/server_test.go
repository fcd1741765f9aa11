package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// ecsTaskJSON is a trimmed copy of a real v4 task metadata response: the
// fields the app reads plus a few it must ignore.
const ecsTaskJSON = `{
  "Cluster": "arn:aws:ecs:eu-west-1:123456789012:cluster/demo",
  "TaskARN": "arn:aws:ecs:eu-west-1:123456789012:task/demo/0123456789abcdef",
  "Family": "demo-app",
  "Revision": "7",
  "DesiredStatus": "RUNNING",
  "KnownStatus": "RUNNING",
  "Containers": [{"Name": "app", "Image": "x"}],
  "LaunchType": "FARGATE",
  "AvailabilityZone": "eu-west-1b"
}`

// fakeECSMetadata stands in for the ECS agent's metadata endpoint and counts
// the GET /task calls it answers.
func fakeECSMetadata(t *testing.T, status int, body string) (uri string, hits *atomic.Int64) {
	t.Helper()
	hits = new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/task" {
			http.NotFound(w, r)
			return
		}
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, hits
}

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a logger.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// logLines decodes JSON log lines.
func logLines(t *testing.T, s string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for line := range strings.Lines(s) {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line is not JSON: %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestServerRoutes(t *testing.T) {
	metaURI, _ := fakeECSMetadata(t, http.StatusOK, ecsTaskJSON)
	brokenURI, _ := fakeECSMetadata(t, http.StatusInternalServerError, `oops`)
	build := BuildInfo{Module: "example.com/app", GoVersion: "go1.26.8", VCSRevision: "abc123"}

	tests := []struct {
		name        string
		method      string
		path        string
		metadataURI string
		draining    bool
		wantStatus  int
		wantType    string
		wantBody    string         // exact body, for text answers
		wantJSON    map[string]any // exact decoded body, for JSON answers
	}{
		{
			name: "root without ECS metadata", method: "GET", path: "/",
			wantStatus: 200, wantType: "application/json",
			wantJSON: map[string]any{"greeting": "Hi", "task": "", "family": "", "revision": "", "availabilityZone": ""},
		},
		{
			name: "root with ECS metadata", method: "GET", path: "/", metadataURI: metaURI,
			wantStatus: 200, wantType: "application/json",
			wantJSON: map[string]any{
				"greeting": "Hi", "task": "arn:aws:ecs:eu-west-1:123456789012:task/demo/0123456789abcdef",
				"family": "demo-app", "revision": "7", "availabilityZone": "eu-west-1b",
			},
		},
		{
			name: "root with ECS metadata trailing slash", method: "GET", path: "/", metadataURI: metaURI + "/",
			wantStatus: 200, wantType: "application/json",
			wantJSON: map[string]any{
				"greeting": "Hi", "task": "arn:aws:ecs:eu-west-1:123456789012:task/demo/0123456789abcdef",
				"family": "demo-app", "revision": "7", "availabilityZone": "eu-west-1b",
			},
		},
		{
			name: "root with failing ECS metadata still greets", method: "GET", path: "/", metadataURI: brokenURI,
			wantStatus: 200, wantType: "application/json",
			wantJSON: map[string]any{"greeting": "Hi", "task": "", "family": "", "revision": "", "availabilityZone": ""},
		},
		{
			name: "root with unreachable ECS metadata still greets", method: "GET", path: "/", metadataURI: "http://127.0.0.1:1",
			wantStatus: 200, wantType: "application/json",
			wantJSON: map[string]any{"greeting": "Hi", "task": "", "family": "", "revision": "", "availabilityZone": ""},
		},
		{name: "root while draining", method: "GET", path: "/", draining: true, wantStatus: 200, wantType: "application/json",
			wantJSON: map[string]any{"greeting": "Hi", "task": "", "family": "", "revision": "", "availabilityZone": ""}},
		{name: "HEAD root", method: "HEAD", path: "/", wantStatus: 200, wantType: "application/json"},
		{name: "healthz", method: "GET", path: "/healthz", wantStatus: 200, wantBody: "ok\n"},
		{name: "healthz while draining stays 200", method: "GET", path: "/healthz", draining: true, wantStatus: 200, wantBody: "ok\n"},
		{name: "readyz while serving", method: "GET", path: "/readyz", wantStatus: 200, wantBody: "ready\n"},
		{name: "readyz once shutdown began", method: "GET", path: "/readyz", draining: true, wantStatus: 503, wantBody: "draining\n"},
		{
			name: "version", method: "GET", path: "/version", wantStatus: 200, wantType: "application/json",
			wantJSON: map[string]any{"module": "example.com/app", "goVersion": "go1.26.8", "vcsRevision": "abc123", "vcsTime": "", "vcsModified": false},
		},
		{name: "unknown path", method: "GET", path: "/nope", wantStatus: 404},
		{name: "POST root", method: "POST", path: "/", wantStatus: 405},
		{name: "DELETE readyz", method: "DELETE", path: "/readyz", wantStatus: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncBuffer
			logger := slog.New(slog.NewJSONHandler(&logs, nil))
			health := &Health{}
			if tt.draining {
				health.StartDraining()
			}
			cfg := Config{Greeting: "Hi"}
			h := NewServer(logger, cfg, NewTaskMetadata(tt.metadataURI, logger), health, build)

			req := httptest.NewRequest(tt.method, tt.path, nil)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)

			if rec.Code != tt.wantStatus {
				t.Fatalf("status = %d, want %d; body %q", rec.Code, tt.wantStatus, rec.Body)
			}
			if tt.wantType != "" && rec.Header().Get("Content-Type") != tt.wantType {
				t.Errorf("Content-Type = %q, want %q", rec.Header().Get("Content-Type"), tt.wantType)
			}
			if tt.wantBody != "" && rec.Body.String() != tt.wantBody {
				t.Errorf("body = %q, want %q", rec.Body, tt.wantBody)
			}
			if tt.wantJSON != nil {
				var got map[string]any
				if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
					t.Fatalf("body is not JSON: %q: %v", rec.Body, err)
				}
				if !equalJSON(got, tt.wantJSON) {
					t.Errorf("body = %v\nwant   %v", got, tt.wantJSON)
				}
			}

			// Exactly one request log line, with the fields log queries use.
			var reqLogs []map[string]any
			for _, l := range logLines(t, logs.String()) {
				if l["msg"] == "request" {
					reqLogs = append(reqLogs, l)
				}
			}
			if len(reqLogs) != 1 {
				t.Fatalf("got %d request log lines, want 1: %s", len(reqLogs), logs.String())
			}
			l := reqLogs[0]
			if l["method"] != tt.method || l["path"] != tt.path || l["status"] != float64(tt.wantStatus) {
				t.Errorf("request log = %v, want method %s path %s status %d", l, tt.method, tt.path, tt.wantStatus)
			}
			if _, ok := l["duration_ms"].(float64); !ok {
				t.Errorf("request log has no numeric duration_ms: %v", l)
			}
		})
	}
}

func equalJSON(a, b map[string]any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

// TestReadinessFlipsWhileServing drives one handler through the shutdown
// transition: the same server answers 200 on /readyz, then 503 after
// StartDraining, while / keeps answering 200 throughout.
func TestReadinessFlipsWhileServing(t *testing.T) {
	health := &Health{}
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	srv := httptest.NewServer(NewServer(logger, Config{Greeting: "Hi"}, NewTaskMetadata("", logger), health, BuildInfo{}))
	defer srv.Close()

	get := func(path string) int {
		t.Helper()
		resp, err := srv.Client().Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if got := get("/readyz"); got != 200 {
		t.Fatalf("before shutdown: /readyz = %d, want 200", got)
	}
	health.StartDraining()
	for _, c := range []struct {
		path string
		want int
	}{{"/readyz", 503}, {"/healthz", 200}, {"/", 200}} {
		if got := get(c.path); got != c.want {
			t.Errorf("after shutdown began: %s = %d, want %d", c.path, got, c.want)
		}
	}
}

func TestTaskMetadataFetchesOnceAndCaches(t *testing.T) {
	uri, hits := fakeECSMetadata(t, http.StatusOK, ecsTaskJSON)
	m := NewTaskMetadata(uri, slog.New(slog.NewJSONHandler(io.Discard, nil)))

	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			if got := m.Task(context.Background()); got.Revision != "7" {
				t.Errorf("Revision = %q, want 7", got.Revision)
			}
		})
	}
	wg.Wait()
	if n := hits.Load(); n != 1 {
		t.Errorf("metadata endpoint hit %d times, want 1", n)
	}
}

func TestTaskMetadataRetriesAfterFailure(t *testing.T) {
	var fail atomic.Bool
	fail.Store(true)
	var hits atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if fail.Load() {
			http.Error(w, "not yet", http.StatusInternalServerError)
			return
		}
		io.WriteString(w, ecsTaskJSON)
	}))
	defer srv.Close()

	m := NewTaskMetadata(srv.URL, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	now := time.Date(2026, 11, 27, 12, 0, 0, 0, time.UTC)
	m.now = func() time.Time { return now }

	if got := m.Task(context.Background()); got != (TaskInfo{}) {
		t.Fatalf("failed fetch returned %+v, want empty", got)
	}
	fail.Store(false)
	// Within the back-off: no new fetch, still empty.
	now = now.Add(metadataRetryAfter / 2)
	if got := m.Task(context.Background()); got != (TaskInfo{}) || hits.Load() != 1 {
		t.Fatalf("within back-off: got %+v after %d hits, want empty after 1", got, hits.Load())
	}
	// After it: fetched, then cached for good.
	now = now.Add(metadataRetryAfter)
	for range 3 {
		if got := m.Task(context.Background()); got.Family != "demo-app" {
			t.Fatalf("after back-off: got %+v", got)
		}
	}
	if n := hits.Load(); n != 2 {
		t.Errorf("metadata endpoint hit %d times, want 2", n)
	}
}

func TestTaskMetadataTimesOut(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
	}))
	defer srv.Close()
	defer close(release)

	m := NewTaskMetadata(srv.URL, slog.New(slog.NewJSONHandler(io.Discard, nil)))
	m.client.Timeout = 50 * time.Millisecond // the real bound is metadataTimeout; a test need not wait for it
	start := time.Now()
	if got := m.Task(context.Background()); got != (TaskInfo{}) {
		t.Fatalf("got %+v, want empty", got)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("hung fetch took %v", d)
	}
}
