package infra

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeDescribesEveryKeyAndOutput keeps the README's config and
// outputs tables in step with Pulumi.yaml and the program.
func TestReadmeDescribesEveryKeyAndOutput(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(projectRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	for key, decl := range loadProject(t).Config {
		if !strings.Contains(readme, "`"+key+"`") {
			t.Errorf("README does not describe config key %s", key)
		}
		if decl.Description == "" {
			t.Errorf("Pulumi.yaml: %s has no description", key)
		}
	}
	cfg := with(t, "loadBalancer", "true", "ecsExec", "true")
	for name := range mustRun(t, "dev", cfg).outputs {
		if !strings.Contains(readme, "`"+name+"`") {
			t.Errorf("README does not describe output %s", name)
		}
	}
}
