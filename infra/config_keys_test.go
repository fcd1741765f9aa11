package infra

import (
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// A key of the project's namespace that Pulumi.yaml does not declare stops
// the program before any resource, named with the key that was meant, in
// the same list as every other config error.
func TestUndeclaredKeyStopsTheProgram(t *testing.T) {
	r := runProgram(t, "dev", with(t, "desiredCont", "3", "cpu", "300"))
	if r.err == nil {
		t.Fatal("program succeeded with fargateship:desiredCont")
	}
	want := "invalid stack configuration:\n" +
		`  - config key "fargateship:desiredCont" is not declared in Pulumi.yaml, so nothing reads it: did you mean desiredCount?` + "\n" +
		`  - config key "fargateship:cpu": value "300" is not allowed: `
	if !strings.Contains(r.err.Error(), want) {
		t.Errorf("error:\n%v\nwant it to contain:\n%s", r.err, want)
	}
	if len(r.resources) != 0 {
		t.Errorf("%d resources registered before the config error", len(r.resources))
	}
	// A path inside an object key, set without --path, says how to set it.
	r = runProgram(t, "dev", with(t, "environment.GREETING", "hi"))
	if r.err == nil || !strings.Contains(r.err.Error(), "pulumi config set --path 'environment.GREETING' VALUE") {
		t.Errorf("environment.GREETING: %v", r.err)
	}
}

// Keys of other namespaces are the providers' and the engine's: the program
// runs with them, declared in Pulumi.yaml or not.
func TestOtherNamespacesRun(t *testing.T) {
	cfg := with(t)
	for k, v := range map[string]string{
		"aws:region": "eu-west-1", "aws:profile": "dev", "aws:skipMetadataApiCheck": "false",
		"pulumi:tags": `{"team":"a"}`, "docker:host": "unix:///var/run/docker.sock",
		"fargateship-bootstrap:githubRepository": "acme/app",
	} {
		cfg[k] = v
	}
	if r := runProgram(t, "dev", cfg); r.err != nil {
		t.Fatal(r.err)
	}
}

// configKeys lists exactly the keys the engine handed the program (here
// through WithMocks; pulumi.Run fills the same RunInfo from PULUMI_CONFIG).
func TestConfigKeysListsTheRunInfo(t *testing.T) {
	cfg := map[string]string{"fargateship:cpu": "256", "aws:region": "us-east-1", "pulumi:tags": "{}"}
	var got []string
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		var err error
		got, err = configKeys(ctx)
		return err
	}, pulumi.WithMocks("fargateship", "dev", &mocks{}), withConfig(cfg, nil))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for k := range cfg {
		want = append(want, k)
	}
	sort.Strings(want)
	if !slices.Equal(got, want) {
		t.Errorf("configKeys = %q, want %q", got, want)
	}
}

// Without a Pulumi.yaml in the project folder the keys cannot be checked:
// that is an error, not a skipped check.
func TestConfigKeysNeedPulumiYAML(t *testing.T) {
	dir := t.TempDir()
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := LoadConfig(ctx)
		return err
	}, pulumi.WithMocks("fargateship", "dev", &mocks{}), func(info *pulumi.RunInfo) {
		info.Config = map[string]string{"fargateship:image": "ghcr.io/acme/api:1.0"}
		info.RootDirectory = dir
	})
	if err == nil || !strings.Contains(err.Error(), "cannot check the config keys against Pulumi.yaml: no Pulumi.yaml in the project folder") {
		t.Errorf("got %v", err)
	}
}

// A Pulumi.yaml that changed since it was loaded is loaded again.
func TestProjectCacheReloadsAChangedFile(t *testing.T) {
	dir := t.TempDir()
	write := func(key string) {
		body := "name: p\nruntime: go\nconfig:\n  " + key + ":\n    type: string\n    default: x\n"
		if err := os.WriteFile(filepath.Join(dir, "Pulumi.yaml"), []byte(body), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, key := range []string{"first", "secondKey"} {
		write(key)
		proj, err := loadProjectAt(dir)
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := proj.Config[key]; !ok || len(proj.Config) != 1 {
			t.Errorf("after writing %s, the project declares %v", key, proj.Config)
		}
	}
}
