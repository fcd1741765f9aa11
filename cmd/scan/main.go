// Command scan runs Aqua Trivy's misconfiguration checks on the program,
// offline, for every shipped stack, and fails on any finding that is not
// accepted in security/accepted.yaml.
//
//	make scan                       # or: go run ./cmd/scan
//	go run ./cmd/scan -v prod       # one target, with the mapping's notes
//	go run ./cmd/scan -out plans/   # keep the plans (Terraform plan JSON)
//	go run ./cmd/scan -write-docs   # regenerate docs/security.md
//
// For each stack file (Pulumi.*.yaml except developers' sandbox-* files,
// presets/sandbox.yaml) and each examples/*/stack.yaml layered on each of
// them, it evaluates the program under mocks with the configuration the CLI
// would pass (internal/stackconfig), writes the resources as a Terraform
// plan (internal/tfplan), and runs `trivy config --skip-check-update` on it
// with Trivy's embedded checks and the project's own (security/checks);
// then on every Dockerfile (app/, examples/*/). It prints, per target, the
// checks run and passed, the findings accepted and failed, and the time.
//
// Exit codes: 0 every finding accepted, 1 a new finding or a stale
// acceptance, 2 bad usage or a tool problem (Trivy missing or not 0.74.0).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/fargateship/fargateship/internal/scan"
)

func main() {
	os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr))
}

const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
)

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("scan", flag.ContinueOnError)
	dir := fs.String("C", ".", "project `DIR`ectory (where Pulumi.yaml is)")
	out := fs.String("out", "", "write the plans to `DIR` and keep them (default: a temporary folder, removed)")
	trivyBin := fs.String("trivy", "", "the trivy `executable` (default: trivy on PATH, else in $(go env GOPATH)/bin)")
	jobs := fs.Int("j", 2, "Trivy processes at once")
	markdown := fs.String("markdown", "", "also write the result as Markdown to `FILE` (the pull-request comment)")
	writeDocs := fs.Bool("write-docs", false, "regenerate docs/security.md from "+scan.AcceptedFile+" and this scan's numbers")
	verbose := fs.Bool("v", false, "list every approximation of the mapping")
	fs.SetOutput(stderr)
	fs.Usage = func() {
		_, _ = fmt.Fprintf(stderr, "usage: scan [flags] [TARGET...]\n\n"+
			"Scans every shipped stack's plan and every Dockerfile with Trivy %s; TARGETs (stack labels such as\n"+
			"dev or prod+examples/api, or Dockerfile paths) limit it. Exit codes: 0 all findings accepted,\n"+
			"1 new findings or stale acceptances, 2 bad usage or a tool problem.\n\nFlags:\n", scan.TrivyVersion)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if *writeDocs && fs.NArg() > 0 {
		_, _ = fmt.Fprintln(stderr, "scan: -write-docs needs the whole scan (no TARGET)")
		return exitUsage
	}
	root, err := filepath.Abs(*dir)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "scan: %v\n", err)
		return exitUsage
	}
	var bin string
	if *trivyBin == "" {
		bin, err = scan.FindTrivy()
	} else {
		bin, err = exec.LookPath(*trivyBin)
	}
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "scan: %v: install Trivy %s with\n  %s\n(about 6 minutes; `bash .ci/run` does it once)\n",
			err, scan.TrivyVersion, scan.TrivyInstall)
		return exitUsage
	}
	accepted, err := scan.LoadAccepted(filepath.Join(root, scan.AcceptedFile))
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "scan: %v\n", err)
		return exitUsage
	}
	plans := *out
	if plans == "" {
		tmp, err := os.MkdirTemp("", "fargateship-scan-")
		if err != nil {
			_, _ = fmt.Fprintf(stderr, "scan: %v\n", err)
			return exitUsage
		}
		defer func() { _ = os.RemoveAll(tmp) }()
		plans = tmp
	}
	opts := scan.Options{
		Root: root, Out: plans, Jobs: *jobs, Only: fs.Args(),
		Trivy: scan.Trivy{Bin: bin, Checks: filepath.Join(root, scan.ChecksDir)},
	}
	_, _ = fmt.Fprintf(stdout, "==> scan: plans of every stack, then Trivy on each plan and Dockerfile (%s)\n", plans)
	rep, err := scan.Run(ctx, opts, accepted)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "scan: %v\n", err)
		return exitUsage
	}
	rep.PrintText(stdout, *verbose)
	if *out != "" {
		_, _ = fmt.Fprintf(stdout, "plans kept in %s\n", *out)
	}
	if *markdown != "" {
		if err := os.WriteFile(*markdown, []byte(rep.Markdown()), 0o644); err != nil {
			_, _ = fmt.Fprintf(stderr, "scan: %v\n", err)
			return exitUsage
		}
	}
	if *writeDocs {
		path := filepath.Join(root, scan.DocFile)
		if err := scan.WriteDoc(path, accepted, rep); err != nil {
			_, _ = fmt.Fprintf(stderr, "scan: %v\n", err)
			return exitUsage
		}
		_, _ = fmt.Fprintf(stdout, "wrote %s\n", strings.TrimPrefix(path, root+string(filepath.Separator)))
	}
	if !rep.OK() {
		return exitFindings
	}
	return exitOK
}
