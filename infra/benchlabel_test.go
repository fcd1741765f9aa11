package infra

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// docs/testing.md's benchmark table says what BenchmarkProgram's `resources`
// metric counts: every registration the mocks see, i.e. the AWS and docker
// resources plus the components around them.
func TestBenchmarkLabelsInDocs(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(projectRoot, "docs", "testing.md"))
	if err != nil {
		t.Fatal(err)
	}
	design, err := os.ReadFile(filepath.Join(projectRoot, "docs", "design.md"))
	if err != nil {
		t.Fatal(err)
	}
	proj := loadProject(t)
	for _, stack := range []string{"dev", "prod"} {
		r := mustRun(t, stack, stackConfig(t, proj, filepath.Join(projectRoot, "Pulumi."+stack+".yaml")))
		components := 0
		for _, x := range r.resources {
			if strings.HasPrefix(x.Type, "fargateship:") {
				components++
			}
		}
		want := fmt.Sprintf("| `BenchmarkProgram/%s` (`resources` metric %d = %d AWS and docker resources + %d components) |",
			stack, len(r.resources), len(r.resources)-components, components)
		if !strings.Contains(string(readme), want) {
			t.Errorf("docs/testing.md lacks the row label %q", want)
		}
		// docs/design.md's "What one stack creates" says the same, in words.
		sentence := fmt.Sprintf("creates %d AWS and docker resources inside %d components", len(r.resources)-components, components)
		if stack == "prod" {
			sentence = fmt.Sprintf("creates %d inside %d", len(r.resources)-components, components)
		}
		if !strings.Contains(strings.Join(strings.Fields(string(design)), " "), sentence) {
			t.Errorf("docs/design.md lacks %q for %s", sentence, stack)
		}
	}
}
