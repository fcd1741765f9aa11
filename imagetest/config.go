package imagetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/fargateship/fargateship/infra"
	"github.com/fargateship/fargateship/internal/stackconfig"
)

// DefaultConfig is the *infra.Config of a stack that sets no key: every
// declared key of Pulumi.yaml at its default (loaded with the SDK's own
// project loader, as the CLI does), read by the program's own
// infra.LoadConfig under pulumi.WithMocks. So the container the test runs
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
		switch v := decl.Default.(type) {
		case string:
			cfg[key] = v
		case map[string]any, []any:
			b, err := json.Marshal(v)
			if err != nil {
				return nil, err
			}
			cfg[key] = string(b)
		default:
			cfg[key] = fmt.Sprint(v)
		}
	}
	c, err := loadConfig(proj, projectRoot, cfg)
	if err != nil {
		return nil, fmt.Errorf("infra.LoadConfig with the project defaults: %w", err)
	}
	return c, nil
}

// StackFileConfig is the *infra.Config of a stack whose stack file is the
// one at stackFile (relative to projectRoot), e.g. an example's
// examples/api/stack.yaml: its keys, type-checked against Pulumi.yaml,
// and every other declared key at its default. The file is read as the
// CLI reads a stack file (internal/stackconfig, which `make check` and
// the infra tests' overlay of the examples use too), then by the
// program's own infra.LoadConfig, so the test runs exactly what a team
// that adds those lines to a stack file gets.
func StackFileConfig(projectRoot, stackFile string) (*infra.Config, error) {
	proj, err := stackconfig.LoadProject(filepath.Join(projectRoot, "Pulumi.yaml"))
	if err != nil {
		return nil, err
	}
	sc, err := stackconfig.Load(proj, filepath.Join(projectRoot, stackFile))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", stackFile, err)
	}
	if len(sc.SecretKeys) > 0 {
		return nil, fmt.Errorf("%s: secure values %q: the image test runs plain config only", stackFile, sc.SecretKeys)
	}
	c, err := loadConfig(proj, projectRoot, sc.Values)
	if err != nil {
		return nil, fmt.Errorf("infra.LoadConfig with %s on the project defaults: %w", stackFile, err)
	}
	return c, nil
}

// loadConfig runs infra.LoadConfig under pulumi.WithMocks with cfg as the
// stack's config (as the CLI passes it: "namespace:key" to a string,
// objects and arrays as JSON) and the project root as the program's
// directory (build contexts are checked relative to it).
func loadConfig(proj *workspace.Project, projectRoot string, cfg map[string]string) (*infra.Config, error) {
	var c *infra.Config
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		var err error
		c, err = infra.LoadConfig(ctx)
		return err
	}, pulumi.WithMocks(proj.Name.String(), "imagetest", noResources{}), func(info *pulumi.RunInfo) {
		info.Config = cfg
		info.RootDirectory = projectRoot
	})
	if err != nil {
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
