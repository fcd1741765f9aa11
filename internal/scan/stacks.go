// Package scan runs the security scanners on the program: it evaluates the
// program under mocks for every shipped stack file and every example's
// stack lines layered on them, writes each as a Terraform plan
// (internal/tfplan), runs Aqua Trivy's misconfiguration checks on the plans
// and on every Dockerfile, and compares the findings with the accepted list
// (security/accepted.yaml), from which docs/security.md is generated.
package scan

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/fargateship/fargateship/infra"
	"github.com/fargateship/fargateship/internal/stackconfig"
	"github.com/fargateship/fargateship/internal/tfplan"
)

// Stack is one configuration the scan evaluates.
type Stack struct {
	// Label names it in the output: dev, prod, sandbox-preset, and
	// dev+examples/api for an example's lines on a base stack.
	Label string
	// Name is the stack name the program sees.
	Name string
	// Files are the stack files it is made of, relative to the root.
	Files []string
	// Config is what the CLI would pass the program.
	Config *stackconfig.Config
}

// Shipped finds the stacks to scan under root: every Pulumi.NAME.yaml
// (except developers' own sandbox-* files, which are git-ignored),
// presets/sandbox.yaml, and every examples/*/stack.yaml layered on each of
// those, as the infra tests do (infra/examples_test.go).
func Shipped(root string) ([]Stack, error) {
	proj, err := stackconfig.LoadProject(filepath.Join(root, "Pulumi.yaml"))
	if err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(root, "Pulumi.*.yaml"))
	if err != nil {
		return nil, err
	}
	type base struct{ label, name, file string }
	var bases []base
	for _, f := range files {
		name := stackconfig.StackName(f)
		if strings.HasPrefix(name, "sandbox-") {
			continue // a developer's own sandbox file (git-ignored)
		}
		bases = append(bases, base{name, name, filepath.Base(f)})
	}
	preset := filepath.Join("presets", "sandbox.yaml")
	if _, err := os.Stat(filepath.Join(root, preset)); err == nil {
		bases = append(bases, base{"sandbox-preset", "sandbox-preset", preset})
	}
	if len(bases) == 0 {
		return nil, fmt.Errorf("no stack file (Pulumi.*.yaml, presets/sandbox.yaml) under %s", root)
	}
	examples, err := filepath.Glob(filepath.Join(root, "examples", "*", "stack.yaml"))
	if err != nil {
		return nil, err
	}
	sort.Strings(examples)
	var out []Stack
	for _, b := range bases {
		cfg, err := stackconfig.Load(proj, filepath.Join(root, b.file))
		if err != nil {
			return nil, fmt.Errorf("%s: the Pulumi CLI would stop: %w", b.file, err)
		}
		out = append(out, Stack{Label: b.label, Name: b.name, Files: []string{b.file}, Config: cfg})
		for _, ex := range examples {
			rel, err := filepath.Rel(root, ex)
			if err != nil {
				return nil, err
			}
			layered, err := Overlay(proj, cfg, ex)
			if err != nil {
				return nil, fmt.Errorf("%s on %s: %w", rel, b.file, err)
			}
			out = append(out, Stack{
				Label: b.label + "+" + filepath.ToSlash(filepath.Dir(rel)), Name: b.name,
				Files: []string{b.file, rel}, Config: layered,
			})
		}
	}
	return out, nil
}

// Overlay is base with the keys the stack file at path sets, loaded and
// type-checked as the CLI loads a stack file: what a team gets when it adds
// those lines to one of its stack files.
func Overlay(proj *workspace.Project, base *stackconfig.Config, path string) (*stackconfig.Config, error) {
	if _, err := stackconfig.Load(proj, path); err != nil {
		return nil, err
	}
	sink := diag.DefaultSink(io.Discard, io.Discard, diag.FormatOptions{Color: colors.Never})
	ps, err := workspace.LoadProjectStack(sink, proj, path)
	if err != nil {
		return nil, err
	}
	set, err := ps.Config.Decrypt(config.NopDecrypter)
	if err != nil {
		return nil, err
	}
	out := &stackconfig.Config{Values: map[string]string{}}
	for k, v := range base.Values {
		out.Values[k] = v
	}
	secret := map[string]bool{}
	for _, k := range base.SecretKeys {
		secret[k] = true
	}
	for k, v := range set {
		out.Values[k.String()] = v
		secret[k.String()] = ps.Config[k].Secure()
	}
	for k, s := range secret {
		if s {
			out.SecretKeys = append(out.SecretKeys, k)
		}
	}
	sort.Strings(out.SecretKeys)
	return out, nil
}

// Evaluate runs the program (infra.Program) under mocks with the stack's
// configuration, as the CLI would run it from root, and returns what it
// registered.
func Evaluate(root, project string, s Stack) ([]tfplan.Resource, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, err
	}
	rec := &tfplan.Recorder{}
	err = pulumi.RunErr(infra.Program, pulumi.WithMocks(project, s.Name, rec), func(info *pulumi.RunInfo) {
		info.Config = s.Config.Values
		info.ConfigSecretKeys = s.Config.SecretKeys
		info.RootDirectory = abs
	})
	if err != nil {
		return nil, unwrapRunErr(err)
	}
	return rec.Resources(), nil
}

// unwrapRunErr prints the program's own messages rather than RunErr's
// multierror wrapping ("1 error occurred: * ...").
func unwrapRunErr(err error) error {
	if m, ok := err.(interface{ WrappedErrors() []error }); ok && len(m.WrappedErrors()) > 0 {
		return errors.Join(m.WrappedErrors()...)
	}
	return err
}
