package infra

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// TestOutputsDocDescribesEveryOutput keeps docs/outputs.md's table equal to
// what the program exports: every output of stacks that turn every optional
// output on has a row, and every row names an output one of them exports.
func TestOutputsDocDescribesEveryOutput(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(projectRoot, "docs", "outputs.md"))
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	cell := regexp.MustCompile("`([A-Za-z0-9]+)`")
	for _, l := range strings.Split(string(b), "\n") {
		cols := strings.Split(l, "|")
		if len(cols) < 3 || strings.HasPrefix(l, "|---") || strings.TrimSpace(cols[1]) == "output" {
			continue
		}
		for _, m := range cell.FindAllStringSubmatch(cols[1], -1) {
			documented[m[1]] = true
		}
	}
	exported := map[string]bool{}
	for _, cfg := range []map[string]string{
		with(t, "loadBalancer", "true", "ecsExec", "true", "alarms", "true", "accessLogs", "true", "dashboard", "true",
			"schedules", `{"nightly":{"schedule":"rate(1 day)","command":["once"]}}`),
		with(t, "ecsExec", "true"),
	} {
		for name := range mustRun(t, "dev", cfg).outputs {
			exported[name] = true
		}
	}
	var missing, extra []string
	for name := range exported {
		if !documented[name] {
			missing = append(missing, name)
		}
	}
	for name := range documented {
		if !exported[name] {
			extra = append(extra, name)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	if len(missing) > 0 {
		t.Errorf("docs/outputs.md does not describe the outputs %v", missing)
	}
	if len(extra) > 0 {
		t.Errorf("docs/outputs.md describes %v, which no stack exports", extra)
	}
}

// TestEveryKeyHasADescription: docs/configuration.md shows Pulumi.yaml's
// descriptions (TestConfigurationDoc), so none may be empty.
func TestEveryKeyHasADescription(t *testing.T) {
	for key, decl := range loadProject(t).Config {
		if strings.TrimSpace(decl.Description) == "" {
			t.Errorf("Pulumi.yaml: %s has no description", key)
		}
	}
}
