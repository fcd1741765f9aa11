package imagetest

// These run in every `go test ./...` (no engine, no build tag): the parts of
// the image test that need no Docker.

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestDockerfileBases(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "app", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	build, rt, err := DockerfileBases(string(data))
	if err != nil {
		t.Fatal(err)
	}
	if build != (Base{Ref: "golang:1.26-bookworm", Build: true}) || rt != (Base{Ref: "gcr.io/distroless/static-debian12:nonroot"}) {
		t.Errorf("bases %+v %+v", build, rt)
	}
	// The example services' Dockerfiles have the same two stages, so the
	// same stand-ins serve them.
	for _, ex := range []string{"api", "worker"} {
		data, err := os.ReadFile(filepath.Join("..", "examples", ex, "Dockerfile"))
		if err != nil {
			t.Fatal(err)
		}
		if b, r, err := DockerfileBases(string(data)); err != nil || b != build || r != rt {
			t.Errorf("examples/%s/Dockerfile: bases %+v %+v, %v; want app/'s", ex, b, r, err)
		}
	}
	for _, bad := range []string{
		"FROM scratch\n",
		"FROM golang:1.26 AS build\nFROM scratch\n",
		"FROM --platform=$BUILDPLATFORM golang AS build\nFROM --platform=linux/amd64 scratch\n",
		"FROM --platform=$BUILDPLATFORM golang AS build\nFROM a AS b\nFROM scratch\n",
	} {
		if _, _, err := DockerfileBases(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// TestCheckELF builds a tiny static program for each platform and checks
// it is recognised as that platform and no other.
func TestCheckELF(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: no cross builds")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "main.go")
	if err := os.WriteFile(src, []byte("package main\nfunc main() {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for platform := range ELFMachine {
		bin := filepath.Join(dir, strings.ReplaceAll(platform, "/", "-"))
		cmd := exec.Command("go", "build", "-o", bin, src)
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+strings.TrimPrefix(platform, "linux/"), "GOFLAGS=-buildvcs=false")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %v\n%s", platform, err, out)
		}
		if err := CheckELF(bin, platform); err != nil {
			t.Errorf("%s: %v", platform, err)
		}
		for other := range ELFMachine {
			if other != platform && CheckELF(bin, other) == nil {
				t.Errorf("a %s binary passed as %s", platform, other)
			}
		}
	}
	// Debian's coreutils are dynamically linked: a binary with a program
	// interpreter is not taken for a static one.
	if _, err := os.Stat("/bin/ls"); err == nil && runtime.GOOS == "linux" {
		if err := CheckELF("/bin/ls", "linux/"+runtime.GOARCH); err == nil || !strings.Contains(err.Error(), "dynamically linked") {
			t.Errorf("/bin/ls: %v, want dynamically linked", err)
		}
	}
}

// TestLoadCountsPhases runs the load generator against a local server that
// fails during the drain, and checks it counts each phase and never calls a
// failure a success.
func TestLoadCountsPhases(t *testing.T) {
	srv := newFlakyServer(t)
	l := &Load{URL: srv.URL, Clients: 4, MaxPerClient: 1_000_000}
	l.Start(t.Context())
	time.Sleep(100 * time.Millisecond)
	l.Draining()
	// Requests sent before Draining have long been answered 200 by then.
	time.Sleep(200 * time.Millisecond)
	srv.fail.Store(true)
	time.Sleep(100 * time.Millisecond)
	res := l.Stop()
	if res.Before == 0 || res.During == 0 || res.FailedDuring == 0 || res.FailedBefore != 0 || len(res.FirstErrors) == 0 {
		t.Errorf("counts %+v", res)
	}
}

// TestLoadIsBounded: each client stops at MaxPerClient by itself.
func TestLoadIsBounded(t *testing.T) {
	srv := newFlakyServer(t)
	l := &Load{URL: srv.URL, Clients: 3, MaxPerClient: 7}
	l.Start(t.Context())
	l.wg.Wait() // ends without Stop
	if res := l.Stop(); res.Before != 21 || res.FailedBefore != 0 {
		t.Errorf("counts %+v, want exactly 3 x 7 requests", res)
	}
}

type flakyServer struct {
	*httptest.Server
	fail atomic.Bool
}

// newFlakyServer answers 200, or 503 once fail is set.
func newFlakyServer(t *testing.T) *flakyServer {
	f := &flakyServer{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if f.fail.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
	}))
	t.Cleanup(f.Close)
	return f
}
