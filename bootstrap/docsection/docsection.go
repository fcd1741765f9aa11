// Package docsection keeps a generated part of a Markdown page equal to
// what a test computes: the text between "<!-- NAME:start -->" and
// "<!-- NAME:end -->". Under UPDATE_DOCS=1 the test rewrites that part
// instead of failing. The root module's tests (docs/configuration.md) and
// the bootstrap's (docs/delivery.md) both use it; it lives in the bootstrap
// module because the root module requires that one, not the other way.
package docsection

import (
	"os"
	"strings"
	"testing"
)

// Check compares the NAME section of the file at path with want. shown is
// the file as the failure names it, regenerate the command that rewrites it.
func Check(t testing.TB, path, shown, name, want, regenerate string) {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
		return
	}
	start, end := "<!-- "+name+":start -->\n", "<!-- "+name+":end -->"
	i, j := strings.Index(string(raw), start), strings.Index(string(raw), end)
	if i < 0 || j < i {
		t.Fatalf("%s has no %q ... %q section", shown, start, end)
		return
	}
	if string(raw)[i+len(start):j] == want {
		return
	}
	if os.Getenv("UPDATE_DOCS") == "1" {
		if err := os.WriteFile(path, []byte(string(raw)[:i+len(start)]+want+string(raw)[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the %s section is not what the test computes; regenerate it with\n  %s\nand review the diff", shown, name, regenerate)
}
