package main

import (
	"context"
	"io"
	"net"
	"net/http/httptest"
	"strconv"
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
		NewServer().ServeHTTP(rec, httptest.NewRequest(tc.method, tc.path, nil))
		if rec.Code != tc.want {
			t.Errorf("%s %s = %d, want %d", tc.method, tc.path, rec.Code, tc.want)
		}
	}
}

func TestCheck(t *testing.T) {
	srv := httptest.NewServer(NewServer())
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
