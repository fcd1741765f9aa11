package infra

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"sync"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/fargateship/fargateship/internal/stackconfig"
)

// declaredKeys refuses every key of the project's namespace that Pulumi.yaml
// does not declare (a misspelt fargateship:desiredCont would otherwise be
// ignored and the default used), naming it and the closest declared key
// (internal/stackconfig.Undeclared, which `make check` reports through this
// same function). Keys of other namespaces (aws:region, pulumi:tags) pass.
// Pulumi.yaml is read from the project folder the engine names
// (ctx.RootDirectory), with the SDK's loader.
func (r *configReader) declaredKeys() {
	proj, err := loadProjectAt(r.ctx.RootDirectory())
	if err == nil {
		var keys []string
		if keys, err = configKeys(r.ctx); err == nil {
			r.errs = append(r.errs, stackconfig.Undeclared(proj, keys)...)
			return
		}
	}
	r.errs = append(r.errs, "cannot check the config keys against Pulumi.yaml: "+err.Error())
}

// loadProjectAt loads the project file of the project folder root. A load
// (the SDK parses and schema-validates the file) costs about 5 ms and 1.5 MB
// here, more than the rest of a dev stack's evaluation, so a file already
// loaded in this process, unchanged since (same size and time), is reused:
// pulumi up evaluates the program once, tests and benchmarks many times.
func loadProjectAt(root string) (*workspace.Project, error) {
	var err error
	for _, name := range []string{"Pulumi.yaml", "Pulumi.yml"} {
		path := filepath.Join(root, name)
		var fi os.FileInfo
		if fi, err = os.Stat(path); err == nil {
			return projectCache.load(path, fi)
		}
	}
	return nil, fmt.Errorf("no Pulumi.yaml in the project folder %q: %w", root, err)
}

// projectCache holds the projects loaded in this process.
var projectCache = &projects{byPath: map[string]cachedProject{}}

type projects struct {
	mu     sync.Mutex
	byPath map[string]cachedProject
}

type cachedProject struct {
	size    int64
	modTime time.Time
	proj    *workspace.Project
}

func (c *projects) load(path string, fi os.FileInfo) (*workspace.Project, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := c.byPath[path]; ok && p.size == fi.Size() && p.modTime.Equal(fi.ModTime()) {
		return p.proj, nil
	}
	proj, err := workspace.LoadProject(path)
	if err != nil {
		return nil, err
	}
	c.byPath[path] = cachedProject{size: fi.Size(), modTime: fi.ModTime(), proj: proj}
	return proj, nil
}

// configKeys lists the stack's config keys ("namespace:name"), exactly the
// map ctx.GetConfig reads. The SDK answers GetConfig(key) but has no call
// that lists the keys, so they are read from the Context's RunInfo (filled
// by pulumi.Run from PULUMI_CONFIG, or by the automation API and by
// pulumi.WithMocks) by reflection. TestConfigKeysListsTheRunInfo pins this to
// the SDK in go.mod: a layout change fails that test, and here it is an
// error, never a silent skip.
func configKeys(ctx *pulumi.Context) ([]string, error) {
	v := reflect.ValueOf(ctx).Elem()
	for _, field := range []string{"state", "info", "Config"} {
		if v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return nil, errors.New("the Pulumi SDK's Context has changed: cannot list the config keys")
		}
		v = v.FieldByName(field)
	}
	if v.Kind() != reflect.Map || v.Type().Key().Kind() != reflect.String {
		return nil, errors.New("the Pulumi SDK's Context has changed: cannot list the config keys")
	}
	keys := make([]string, 0, v.Len())
	for _, k := range v.MapKeys() {
		keys = append(keys, k.String())
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, ok := ctx.GetConfig(k); !ok {
			return nil, fmt.Errorf("the Pulumi SDK's Context has changed: listed config key %q is not in its config", k)
		}
	}
	return keys, nil
}
