package infra

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// A stack without services is the one-service environment of app, and
// upgrading replaces nothing: every resource of every shipped stack keeps
// the URN it had before environments existed. The lists in
// testdata/urns/ were written by the program at 65e5c31, the last commit
// without `services` (UPDATE_URNS=1 rewrites them; never do that to make
// this test pass: a changed URN is a replacement on the next `up`).
func TestOneServiceStacksKeepTheirURNs(t *testing.T) {
	proj := loadProject(t)
	for stack, file := range shippedStacks(t) {
		t.Run(stack, func(t *testing.T) {
			r := mustRun(t, stack, stackConfig(t, proj, file), "fargateship:secrets")
			var urns []string
			for _, x := range r.resources {
				urns = append(urns, x.URN)
			}
			sort.Strings(urns)
			got := strings.Join(urns, "\n") + "\n"
			path := filepath.Join("testdata", "urns", stack+".txt")
			if os.Getenv("UPDATE_URNS") == "1" {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if got != string(want) {
				gotSet := map[string]bool{}
				for _, u := range urns {
					gotSet[u] = true
				}
				for _, u := range strings.Split(strings.TrimSpace(string(want)), "\n") {
					if !gotSet[u] {
						t.Errorf("URN gone (the next up replaces it): %s", u)
					}
					delete(gotSet, u)
				}
				for u := range gotSet {
					t.Errorf("new URN: %s", u)
				}
			}
		})
	}
}
