// Command local runs a stack's services on the local Docker engine exactly
// as their task definitions (internal/local):
//
//	go run ./cmd/local dev                          # or: make local STACK=dev
//	go run ./cmd/local examples/shop/stack.yaml     # a stack file
//	go run ./cmd/local -schedule nightly-report dev # or: make local-run STACK=dev SCHEDULE=...
//
// It builds each service's image (the same Dockerfile, target, args and
// platform the program uses), starts each service with its task
// definition's settings on one network where the services reach each other
// by name (http://<service>:<port>, as with Service Connect), puts the
// routed services behind a router on 127.0.0.1:PORT that applies the load
// balancer's rules, and streams every log line with its service's name.
// Ctrl-C stops every service as ECS stops a task and removes everything it
// created; a second Ctrl-C kills what is still running. Secrets come from
// .local-secrets.env (git-ignored) or the environment, never from AWS.
//
// Exit codes: 0 after a clean stop (or a schedule's task that exited 0); 1
// when something failed, with the reason; 2 for bad usage; a schedule's
// task's own non-zero exit code.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/fargateship/fargateship/internal/local"
)

func main() {
	ctx, kill := signals()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, kill)
	var ex exitError
	switch {
	case err == nil:
	case errors.As(err, &ex):
		if ex.msg != "" {
			fmt.Fprintln(os.Stderr, "local:", ex.msg)
		}
		os.Exit(ex.code)
	default:
		fmt.Fprintln(os.Stderr, "local:", err)
		os.Exit(1)
	}
}

// signals: the first SIGINT or SIGTERM ends ctx (a clean stop), the second
// closes kill.
func signals() (context.Context, <-chan struct{}) {
	ctx, cancel := context.WithCancel(context.Background())
	kill := make(chan struct{})
	ch := make(chan os.Signal, 2)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ch
		cancel()
		<-ch
		close(kill)
	}()
	return ctx, kill
}

// exitError is an exit with its own code.
type exitError struct {
	code int
	msg  string
}

func (e exitError) Error() string { return e.msg }

func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer, kill <-chan struct{}) error {
	fs := flag.NewFlagSet("local", flag.ContinueOnError)
	fs.SetOutput(stdout)
	dir := fs.String("C", ".", "project `DIR`ectory (where Pulumi.yaml is)")
	port := fs.Int("port", 8080, "the router's `PORT` on 127.0.0.1 (0: a free one)")
	schedule := fs.String("schedule", "", "run this `SCHEDULE` of the stack once, then exit with its task's exit code")
	secrets := fs.String("secrets", "", "the secrets' local values, NAME=value lines (default DIR/"+local.SecretsFile+")")
	fs.Usage = func() {
		_, _ = fmt.Fprintf(stdout, "usage: local [flags] STACK | STACK_FILE.yaml\n\n"+
			"Builds and runs every service of the stack on the local Docker engine as its task definition;\n"+
			"with -schedule, runs one of its schedules once. Exit codes: 0 clean, 1 failed, 2 bad usage.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return exitError{2, ""}
	}
	if fs.NArg() != 1 {
		return exitError{2, "want one stack name or stack file, e.g. `local dev` (-h for help)"}
	}
	if *port < 0 || *port > 65535 {
		return exitError{2, fmt.Sprintf("-port %d: want 0-65535", *port)}
	}
	root, err := filepath.Abs(*dir)
	if err != nil {
		return err
	}
	opts := local.Options{ProjectRoot: root, Stack: fs.Arg(0), Port: *port, SecretsFile: *secrets, Getenv: getenv, Out: stdout, Kill: kill}
	if *schedule == "" && isSet(fs, "schedule") {
		return exitError{2, "-schedule: empty: name a schedule of the stack (make local-run SCHEDULE=<name>)"}
	}
	if *schedule != "" {
		code, err := local.RunSchedule(ctx, opts, *schedule)
		if err != nil {
			return err
		}
		if code != 0 {
			return exitError{code, fmt.Sprintf("schedule %s: its task exited with code %d", *schedule, code)}
		}
		return nil
	}
	return local.Up(ctx, opts)
}

func isSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}
