package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunFailsEarly: bad usage (exit 2) and a stack that cannot run
// (exit 1) are reported with the reason before any image is built or any
// container started, so these need no Docker engine.
func TestRunFailsEarly(t *testing.T) {
	secretStack := filepath.Join(t.TempDir(), "Pulumi.sec.yaml")
	if err := os.WriteFile(secretStack, []byte(`config:
  fargateship:secrets:
    DB_PASSWORD:
      secure: v1:AAAAAAAAAAAAAAAA:BBBBBBBBBBBBBBBBBBBBBBBB
`), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int // 2 for usage, else 1
		want string
	}{
		{"no stack", []string{"-C", "../.."}, 2, "want one stack name or stack file"},
		{"two stacks", []string{"-C", "../..", "dev", "prod"}, 2, "want one stack name"},
		{"bad flag", []string{"-nope", "dev"}, 2, ""},
		{"bad port", []string{"-port", "70000", "dev"}, 2, "-port 70000"},
		{"empty schedule", []string{"-C", "../..", "-schedule", "", "dev"}, 2, "-schedule: empty"},
		{"unknown stack", []string{"-C", "../..", "nope"}, 1, "Pulumi.nope.yaml (stacks here: dev, prod"},
		{"unknown schedule", []string{"-C", "../..", "-schedule", "hourly", "examples/shop/stack.yaml"}, 1, `no schedule "hourly" (its schedules: worker-nightly-report)`},
		{"missing secret", []string{"-C", "../..", "-secrets", filepath.Join(t.TempDir(), "none.env"), secretStack}, 1,
			"service app: no local value for secret DB_PASSWORD: set each as NAME=value in"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			err := run(context.Background(), tc.args, func(string) string { return "" }, &out, nil)
			code := 1
			var ex exitError
			if errors.As(err, &ex) {
				code = ex.code
			}
			if err == nil || code != tc.code || !strings.Contains(err.Error()+out.String(), tc.want) {
				t.Errorf("local %q: exit %d, %v (output %q); want exit %d and %q", tc.args, code, err, out.String(), tc.code, tc.want)
			}
			if strings.Contains(out.String(), "build ") {
				t.Errorf("local %q built something: %s", tc.args, out.String())
			}
		})
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-h"}, os.Getenv, &out, nil); err != nil || !strings.Contains(out.String(), "usage: local") {
		t.Errorf("-h: %v %q", err, out.String())
	}
}
