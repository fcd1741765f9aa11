// Command check validates a stack file offline, before `pulumi preview` or
// `pulumi up`: no Pulumi CLI, backend, cloud credentials or network.
//
//	go run ./cmd/check dev             # or: make check STACK=dev
//	go run ./cmd/check Pulumi.dev.yaml
//
// It loads the stack file as the CLI does (internal/stackconfig: the SDK's
// workspace loader, the types and defaults of Pulumi.yaml), then runs the
// program's own validation, infra.LoadConfig, under pulumi.WithMocks with
// that configuration, so it prints the very messages `pulumi up` would: one
// per bad key. Exit codes: 0 valid (one line), 1 invalid, 2 bad usage or an
// unreadable file.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/fargateship/fargateship/infra"
	"github.com/fargateship/fargateship/internal/stackconfig"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit codes.
const (
	exitOK      = 0
	exitInvalid = 1
	exitUsage   = 2
)

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	dir := fs.String("C", ".", "project `DIR`ectory (where Pulumi.yaml is)")
	fs.SetOutput(stderr)
	fs.Usage = func() {
		_, _ = fmt.Fprintf(stderr, "usage: check [-C DIR] STACK | Pulumi.STACK.yaml\n\n"+
			"Validates the stack file offline, as `pulumi up` would. Exit codes: 0 valid, 1 invalid, 2 bad usage.\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if fs.NArg() != 1 {
		_, _ = fmt.Fprintln(stderr, "check: want one stack name or stack file, e.g. `check dev` (-h for help)")
		return exitUsage
	}
	path := stackFile(*dir, fs.Arg(0))
	if _, err := os.Stat(path); err != nil {
		_, _ = fmt.Fprintf(stderr, "check: no stack file %s (stack files here: %s)\n", path, strings.Join(stackFiles(*dir), ", "))
		return exitUsage
	}
	proj, err := stackconfig.LoadProject(filepath.Join(*dir, "Pulumi.yaml"))
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "check: %v\n", err)
		return exitUsage
	}
	name := stackconfig.StackName(path)
	cfg, err := stackconfig.Load(proj, path)
	if cfg == nil {
		_, _ = fmt.Fprintf(stderr, "check: %v\n", err)
		return exitUsage
	}
	if err != nil {
		// What the CLI stops on before the program runs.
		_, _ = fmt.Fprintf(stderr, "%s: invalid stack configuration (the Pulumi CLI stops before running the program):\n", filepath.Base(path))
		for _, line := range strings.Split(err.Error(), "\n") {
			_, _ = fmt.Fprintf(stderr, "  - %s\n", line)
		}
		return exitInvalid
	}
	root, err := filepath.Abs(*dir)
	if err != nil {
		_, _ = fmt.Fprintf(stderr, "check: %v\n", err)
		return exitUsage
	}
	if err := validate(root, proj.Name.String(), name, cfg); err != nil {
		// RunErr wraps the program's errors in a multierror ("1 error
		// occurred: * ..."); print LoadConfig's own message.
		errs := []error{err}
		if m, ok := err.(interface{ WrappedErrors() []error }); ok && len(m.WrappedErrors()) > 0 {
			errs = m.WrappedErrors()
		}
		for _, e := range errs {
			_, _ = fmt.Fprintf(stderr, "%s: %v\n", filepath.Base(path), e)
		}
		return exitInvalid
	}
	_, _ = fmt.Fprintf(stdout, "ok: %s is valid (%d keys set in the file, %d from Pulumi.yaml defaults)\n",
		filepath.Base(path), len(cfg.Values)-len(cfg.Defaulted), len(cfg.Defaulted))
	return exitOK
}

// validate runs infra.LoadConfig, the program's first step, under mocks with
// the stack's configuration set the way the CLI sets it.
func validate(root, project, stack string, cfg *stackconfig.Config) error {
	return pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := infra.LoadConfig(ctx)
		return err
	}, pulumi.WithMocks(project, stack, noResources{}), func(info *pulumi.RunInfo) {
		info.Config = cfg.Values
		info.ConfigSecretKeys = cfg.SecretKeys
		// The project folder, as the CLI sets it: paths in the config
		// (buildContext, dockerfile) are relative to it.
		info.RootDirectory = root
	})
}

// noResources refuses every resource and call: validation registers none.
type noResources struct{}

func (noResources) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	return "", nil, fmt.Errorf("check: unexpected resource %s %s during validation", args.TypeToken, args.Name)
}

func (noResources) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return nil, fmt.Errorf("check: unexpected call %s during validation", args.Token)
}

// stackFile turns "dev" into DIR/Pulumi.dev.yaml; a path to a file is kept.
func stackFile(dir, arg string) string {
	if strings.HasSuffix(arg, ".yaml") || strings.HasSuffix(arg, ".yml") {
		return arg
	}
	return filepath.Join(dir, "Pulumi."+arg+".yaml")
}

// stackFiles lists the stack names with a file in dir.
func stackFiles(dir string) []string {
	matches, _ := filepath.Glob(filepath.Join(dir, "Pulumi.*.yaml"))
	var names []string
	for _, m := range matches {
		names = append(names, stackconfig.StackName(m))
	}
	sort.Strings(names)
	if len(names) == 0 {
		return []string{"none"}
	}
	return names
}
