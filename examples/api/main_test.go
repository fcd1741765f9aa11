package main

import (
	"context"
	"io"
	"net"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
)

func TestServer(t *testing.T) {
	for _, tc := range []struct {
		method, path string
		want         int
	}{
		{"GET", "/ready", 200},
		{"GET", "/", 200},
		{"POST", "/ready", 405},
	} {
		rec := httptest.NewRecorder()
		NewServer(new(atomic.Bool)).ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if rec.Code != tc.want {
			t.Errorf("%s %s = %d, want %d", tc.method, tc.path, rec.Code, tc.want)
		}
	}
}

func TestCheck(t *testing.T) {
	srv := httptest.NewServer(NewServer(new(atomic.Bool)))
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

func TestDrainingIsNotReady(t *testing.T) {
	var draining atomic.Bool
	draining.Store(true)
	rec := httptest.NewRecorder()
	NewServer(&draining).ServeHTTP(rec, httptest.NewRequest("GET", "/ready", nil))
	if rec.Code != 503 {
		t.Errorf("/ready while draining = %d, want 503", rec.Code)
	}
}
