package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/fargateship/fargateship/internal/scan"
)

const root = "../.."

func runScan(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(context.Background(), append([]string{"-C", root}, args...), &out, &errb)
	return code, out.String(), errb.String()
}

// fakeTrivy writes a trivy that reports version v.
func fakeTrivy(t *testing.T, v string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "trivy")
	if err := os.WriteFile(path, []byte("#!/bin/sh\necho 'Version: "+v+"'\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestUsageAndToolErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"bad flag", []string{"-nope"}, "flag provided but not defined"},
		{"docs of part of the scan", []string{"-write-docs", "dev"}, "-write-docs needs the whole scan"},
		{"no trivy", []string{"-trivy", filepath.Join(t.TempDir(), "trivy")}, "install Trivy 0.74.0 with\n  GOEXPERIMENT=jsonv2 go install"},
		{"another trivy", []string{"-trivy", fakeTrivy(t, "0.60.0")}, "reports version 0.60.0; the scan needs Trivy 0.74.0"},
		{"a dev build", []string{"-trivy", fakeTrivy(t, "dev")}, "reports version dev"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errs := runScan(t, tc.args...)
			if code != exitUsage || !strings.Contains(errs, tc.want) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errs, exitUsage, tc.want)
			}
			if strings.Contains(out, "ok:") {
				t.Errorf("says ok: %s", out)
			}
		})
	}
}

// trivyOrSkip is the trivy binary, or a skip (a failure under CI=true).
func trivyOrSkip(t *testing.T) string {
	t.Helper()
	bin, err := scan.FindTrivy()
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %v: %s", err, scan.TrivyInstall)
		}
		t.Skipf("SKIP: %v (CI=true makes this a failure): %s", err, scan.TrivyInstall)
	}
	return bin
}

// TestOneTarget: a named target is scanned alone, its numbers printed,
// the plan kept with -out, the Markdown report written.
func TestOneTarget(t *testing.T) {
	bin := trivyOrSkip(t)
	dir := t.TempDir()
	md := filepath.Join(dir, "scan.md")
	code, out, errs := runScan(t, "-trivy", bin, "-out", dir, "-markdown", md, "prod")
	if code != exitOK {
		t.Fatalf("exit %d:\n%s\n%s", code, out, errs)
	}
	for _, want := range []string{"target  resources  checks  passed  accepted  failed  export  trivy", "  prod  ", "ok: 1 targets scanned", "plans kept in " + dir} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "prod.tfplan.json")); err != nil {
		t.Errorf("plan not kept: %v", err)
	}
	raw, err := os.ReadFile(md)
	if err != nil || !strings.HasPrefix(string(raw), scan.MarkdownOK+"\n") || !strings.Contains(string(raw), "| prod | ") {
		t.Errorf("markdown (%v):\n%s", err, raw)
	}
	code, _, errs = runScan(t, "-trivy", bin, "nosuchstack")
	if code != exitUsage || !strings.Contains(errs, "nothing to scan: no target is named nosuchstack") {
		t.Errorf("unknown target: exit %d, %s", code, errs)
	}
}
