package local

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/fargateship/fargateship/infra"
	"github.com/fargateship/fargateship/internal/stackconfig"
)

// Stack is a stack file as the program reads it.
type Stack struct {
	// Name names the stack in the containers, network and images `make
	// local` makes: NAME of Pulumi.NAME.yaml or NAME.yaml, or the folder
	// of a stack.yaml (examples/shop/stack.yaml: shop).
	Name string
	// File is the stack file's path.
	File string
	// Config is what infra.LoadConfig made of it; Config.Services are its
	// services, app first.
	Config *infra.Config
}

// StackFile is the file of a stack argument: "dev" is
// projectRoot/Pulumi.dev.yaml; an argument ending in .yaml or .yml is a
// file, relative to projectRoot unless absolute.
func StackFile(projectRoot, stack string) string {
	if strings.HasSuffix(stack, ".yaml") || strings.HasSuffix(stack, ".yml") {
		if filepath.IsAbs(stack) {
			return stack
		}
		return filepath.Join(projectRoot, filepath.FromSlash(stack))
	}
	return filepath.Join(projectRoot, "Pulumi."+stack+".yaml")
}

// nameRE is what a stack name may keep in container, network and image
// names (image repositories are lower-case).
var nameRE = regexp.MustCompile(`[^a-z0-9_.-]+`)

// stackName is the name of the stack of file.
func stackName(file string) string {
	name := stackconfig.StackName(file)
	if name == "stack" {
		name = filepath.Base(filepath.Dir(file))
	}
	name = strings.Trim(nameRE.ReplaceAllString(strings.ToLower(name), "-"), "-._")
	if name == "" {
		name = "stack"
	}
	return name
}

// LoadStack reads a stack (StackFile) as `pulumi up` would: the file read
// as the CLI reads a stack file (internal/stackconfig, which `make check`
// uses too: its keys type-checked against Pulumi.yaml, every other
// declared key at its default), then the program's own infra.LoadConfig
// under pulumi.WithMocks, so what runs is exactly what the program
// deploys. Secure values reach the program marked secret, as strings, as
// the CLI passes them, but are not decrypted (stackconfig gives each its
// ciphertext, inside objects too): locally a secret's value comes from
// elsewhere (secrets.go). A bad stack file is the CLI's or the program's
// error, naming the key.
func LoadStack(projectRoot, stack string) (*Stack, error) {
	file := StackFile(projectRoot, stack)
	if _, err := os.Stat(file); err != nil {
		return nil, fmt.Errorf("stack %q: no stack file %s (stacks here: %s)", stack, file, strings.Join(stackNames(projectRoot), ", "))
	}
	proj, err := stackconfig.LoadProject(filepath.Join(projectRoot, "Pulumi.yaml"))
	if err != nil {
		return nil, err
	}
	sc, err := stackconfig.Load(proj, file)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	s := &Stack{Name: stackName(file), File: file}
	s.Config, err = loadConfig(proj, projectRoot, s.Name, sc.Values, sc.SecretKeys)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return s, nil
}

// stackNames lists the stacks with a Pulumi.NAME.yaml in dir.
func stackNames(dir string) []string {
	matches, _ := filepath.Glob(filepath.Join(dir, "Pulumi.*.yaml"))
	names := []string{}
	for _, m := range matches {
		names = append(names, stackconfig.StackName(m))
	}
	if len(names) == 0 {
		return []string{"none"}
	}
	return names
}

// DefaultConfig is the *infra.Config of a stack that sets no key: every
// declared key of Pulumi.yaml at its default (loaded with the SDK's own
// project loader, as the CLI does), read by the program's own
// infra.LoadConfig under pulumi.WithMocks. So a container run with it
// gets the settings a default stack's task definition gets, not a copy.
func DefaultConfig(projectRoot string) (*infra.Config, error) {
	proj, err := workspace.LoadProject(filepath.Join(projectRoot, "Pulumi.yaml"))
	if err != nil {
		return nil, fmt.Errorf("load Pulumi.yaml: %w", err)
	}
	cfg := map[string]string{}
	for name, decl := range proj.Config {
		if decl.Default == nil {
			continue
		}
		key := name
		if !strings.Contains(key, ":") {
			key = proj.Name.String() + ":" + name
		}
		cfg[key] = stackconfig.Render(decl.Default)
	}
	c, err := loadConfig(proj, projectRoot, "defaults", cfg, nil)
	if err != nil {
		return nil, fmt.Errorf("infra.LoadConfig with the project defaults: %w", err)
	}
	return c, nil
}

// StackFileConfig is the *infra.Config of the stack file at stackFile
// (relative to projectRoot), e.g. an example's examples/api/stack.yaml:
// LoadStack's Config.
func StackFileConfig(projectRoot, stackFile string) (*infra.Config, error) {
	s, err := LoadStack(projectRoot, stackFile)
	if err != nil {
		return nil, err
	}
	return s.Config, nil
}

// loadConfig runs infra.LoadConfig under pulumi.WithMocks with cfg as the
// stack's config (as the CLI passes it: "namespace:key" to a string,
// objects and arrays as JSON) and the project root as the program's
// directory (build contexts are checked relative to it).
func loadConfig(proj *workspace.Project, projectRoot, stack string, cfg map[string]string, secretKeys []string) (*infra.Config, error) {
	var c *infra.Config
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		var err error
		c, err = infra.LoadConfig(ctx)
		return err
	}, pulumi.WithMocks(proj.Name.String(), stack, noResources{}), func(info *pulumi.RunInfo) {
		info.Config = cfg
		info.ConfigSecretKeys = secretKeys
		info.RootDirectory = projectRoot
	})
	if err != nil {
		// RunErr wraps the program's errors in a multierror ("1 error
		// occurred: * ..."): keep LoadConfig's own messages, one a line.
		if m, ok := err.(interface{ WrappedErrors() []error }); ok && len(m.WrappedErrors()) > 0 {
			return nil, errors.Join(m.WrappedErrors()...)
		}
		return nil, err
	}
	return c, nil
}

// noResources is a mock monitor for a program that only reads config:
// LoadConfig registers nothing and calls no provider, so either is a bug.
type noResources struct{}

func (noResources) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	return "", nil, fmt.Errorf("unexpected resource %s %s", args.TypeToken, args.Name)
}

func (noResources) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return nil, errors.New("unexpected call " + args.Token)
}
