package main

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// TestServer drives the whole handler, as the load balancer (paths
// /api/*, forwarded unchanged), the target group's health check (/ready)
// and a one-service stack (/) reach it; /upstream calls a real HTTP server
// standing in for the app.
func TestServer(t *testing.T) {
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/" {
			http.NotFound(w, r)
			return
		}
		io.WriteString(w, `{"greeting":"Hello from ECS Fargate!"}`)
	}))
	defer app.Close()
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close() // a port nothing listens on any more
	for _, tc := range []struct {
		name, method, path, upstream string
		draining                     bool
		want                         int
		body                         string // the body, or the start of it
	}{
		{name: "health check", method: "GET", path: "/ready", want: 200, body: "ready\n"},
		{name: "root", method: "GET", path: "/", want: 200, body: "hello from the example api\n"},
		{name: "any path", method: "GET", path: "/anything", want: 200, body: "hello from the example api\n"},
		{name: "wrong method", method: "POST", path: "/ready", want: 405},
		{name: "draining", method: "GET", path: "/ready", draining: true, want: 503, body: "draining\n"},
		{name: "prefix root", method: "GET", path: "/api/", want: 200, body: "hello from the example api\n"},
		{name: "prefix health", method: "GET", path: "/api/ready", want: 200, body: "ready\n"},
		{name: "prefix draining", method: "GET", path: "/api/ready", draining: true, want: 503},
		{name: "prefix wrong method", method: "POST", path: "/api/ready", want: 405},
		{name: "upstream", method: "GET", path: "/upstream", upstream: app.URL, want: 200,
			body: `{"upstream":"` + app.URL + `","status":200,"body":"{\"greeting\":\"Hello from ECS Fargate!\"}"}` + "\n"},
		{name: "prefix upstream", method: "GET", path: "/api/upstream", upstream: app.URL, want: 200,
			body: `{"upstream":"` + app.URL + `","status":200,`},
		{name: "upstream answers 404", method: "GET", path: "/api/upstream", upstream: app.URL + "/nope", want: 200,
			body: `{"upstream":"` + app.URL + `/nope","status":404,"body":"404 page not found\n"}` + "\n"},
		{name: "upstream down", method: "GET", path: "/api/upstream", upstream: down.URL, want: 502,
			body: `{"upstream":"` + down.URL + `","error":"Get \"` + down.URL + `\": dial tcp`},
		{name: "no upstream", method: "GET", path: "/api/upstream", want: 503,
			body: `{"upstream":"","error":"UPSTREAM_URL is not set"}` + "\n"},
		{name: "upstream wrong method", method: "POST", path: "/api/upstream", upstream: app.URL, want: 405},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var draining atomic.Bool
			draining.Store(tc.draining)
			rec := httptest.NewRecorder()
			NewServer(&draining, tc.upstream).ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
			if rec.Code != tc.want || !strings.HasPrefix(rec.Body.String(), tc.body) {
				t.Errorf("%s %s = %d %q, want %d %q...", tc.method, tc.path, rec.Code, rec.Body.String(), tc.want, tc.body)
			}
			if strings.HasSuffix(tc.path, "/upstream") && tc.want != 405 {
				var ans UpstreamAnswer
				if err := json.Unmarshal(rec.Body.Bytes(), &ans); err != nil || rec.Header().Get("Content-Type") != "application/json" {
					t.Errorf("%s: %q %q is not a JSON answer: %v", tc.path, rec.Header().Get("Content-Type"), rec.Body.String(), err)
				}
			}
		})
	}
}

// TestUpstreamURL: UPSTREAM_URL is empty or an absolute http(s) URL, and
// the service refuses to start on anything else, naming the variable.
func TestUpstreamURL(t *testing.T) {
	for _, tc := range []struct {
		in string
		ok bool
	}{
		{"", true},
		{"http://app:8080", true},
		{"https://api.example.com/v1", true},
		{"app:8080", false},
		{"/upstream", false},
		{"ftp://app", false},
		{"http://", false},
		{"http://app:8080/%zz", false},
	} {
		got, err := upstreamURL(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.in) {
			t.Errorf("upstreamURL(%q) = %q, %v; want ok %v", tc.in, got, err, tc.ok)
		}
		if !tc.ok && (err == nil || !strings.Contains(err.Error(), "UPSTREAM_URL")) {
			t.Errorf("upstreamURL(%q): error %v does not name UPSTREAM_URL", tc.in, err)
		}
	}
	getenv := func(k string) string {
		if k == "UPSTREAM_URL" {
			return "app:8080"
		}
		return ""
	}
	if err := run(context.Background(), nil, getenv, io.Discard); err == nil || !strings.Contains(err.Error(), `UPSTREAM_URL="app:8080"`) {
		t.Errorf("run with a bad UPSTREAM_URL: %v", err)
	}
}

func TestCheck(t *testing.T) {
	srv := httptest.NewServer(NewServer(new(atomic.Bool), ""))
	defer srv.Close()
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	getenv := func(k string) string {
		if k == "PORT" {
			return strconv.Itoa(port)
		}
		return ""
	}
	if err := run(context.Background(), []string{"-check"}, getenv, io.Discard); err != nil {
		t.Errorf("check of a ready server: %v", err)
	}
	srv.Close()
	if err := run(context.Background(), []string{"-check"}, getenv, io.Discard); err == nil {
		t.Errorf("check of a stopped server succeeded")
	}
}
