package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// envFunc turns a map into a getenv function, so tests never touch the real
// process environment (and can run in parallel).
func envFunc(env map[string]string) func(string) string {
	return func(k string) string { return env[k] }
}

func TestParseConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want Config
	}{
		{
			name: "defaults",
			env:  nil,
			want: Config{Port: 8080, Greeting: "Hello from ECS Fargate!", DrainDelay: 5 * time.Second, ShutdownTimeout: 10 * time.Second},
		},
		{
			name: "everything set",
			env: map[string]string{
				"PORT": "9000", "GREETING": "hi", "DRAIN_DELAY": "0s", "SHUTDOWN_TIMEOUT": "1m",
				"ECS_CONTAINER_METADATA_URI_V4": "http://169.254.170.2/v4/abc",
			},
			want: Config{Port: 9000, Greeting: "hi", DrainDelay: 0, ShutdownTimeout: time.Minute, MetadataURI: "http://169.254.170.2/v4/abc"},
		},
		{
			name: "empty values mean defaults",
			env:  map[string]string{"PORT": "", "GREETING": "", "DRAIN_DELAY": "", "SHUTDOWN_TIMEOUT": ""},
			want: Config{Port: 8080, Greeting: "Hello from ECS Fargate!", DrainDelay: 5 * time.Second, ShutdownTimeout: 10 * time.Second},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseConfig(envFunc(tt.env))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

// TestRunRejectsBadEnvironment goes through run, as main does, for every
// subcommand: a bad value must stop the process at start, naming the variable.
func TestRunRejectsBadEnvironment(t *testing.T) {
	t.Parallel()
	tests := []struct {
		key, value string
	}{
		{"PORT", "http"},
		{"PORT", "8080x"},
		{"PORT", "0"},
		{"PORT", "-1"},
		{"PORT", "65536"},
		{"DRAIN_DELAY", "-1s"},
		{"DRAIN_DELAY", "5"}, // a bare number has no unit: ambiguous, refused
		{"DRAIN_DELAY", "soon"},
		{"SHUTDOWN_TIMEOUT", "0s"},
		{"SHUTDOWN_TIMEOUT", "-10s"},
		{"SHUTDOWN_TIMEOUT", "ten"},
	}
	for _, tt := range tests {
		for _, sub := range []string{"", "once", "healthcheck"} {
			t.Run(tt.key+"="+tt.value+"/"+sub, func(t *testing.T) {
				args := []string{"server"}
				if sub != "" {
					args = append(args, sub)
				}
				var out bytes.Buffer
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				err := run(ctx, args, envFunc(map[string]string{tt.key: tt.value}), &out)
				if err == nil {
					t.Fatalf("run succeeded, want an error naming %s", tt.key)
				}
				if !strings.HasPrefix(err.Error(), tt.key+":") || !strings.Contains(err.Error(), tt.value) {
					t.Errorf("error %q does not start with %s: and quote the value", err, tt.key)
				}
				if out.Len() != 0 {
					t.Errorf("wrote %q before failing", out.String())
				}
			})
		}
	}
}
