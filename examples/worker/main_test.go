package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func TestReportRunsOnceAndExits(t *testing.T) {
	var out bytes.Buffer
	getenv := func(k string) string { return map[string]string{"REPORT_NAME": "daily"}[k] }
	if err := run(context.Background(), []string{"report"}, getenv, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "for daily") {
		t.Errorf("report = %q", out.String())
	}
}

func TestWorkStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var out bytes.Buffer
	if err := run(ctx, nil, func(string) string { return "" }, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "stopping") {
		t.Errorf("out = %q", out.String())
	}
}

func TestUnknownMode(t *testing.T) {
	if err := run(context.Background(), []string{"dance"}, func(string) string { return "" }, &bytes.Buffer{}); err == nil {
		t.Error("unknown mode accepted")
	}
}
