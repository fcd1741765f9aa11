package docsection

import (
	"os"
	"path/filepath"
	"testing"
)

type recorder struct {
	testing.TB
	failed bool
}

func (r *recorder) Helper()               {}
func (r *recorder) Errorf(string, ...any) { r.failed = true }
func (r *recorder) Fatalf(string, ...any) { r.failed = true }
func (r *recorder) Fatal(...any)          { r.failed = true }

func TestCheck(t *testing.T) {
	path := filepath.Join(t.TempDir(), "page.md")
	page := "intro\n<!-- x:start -->\nold\n<!-- x:end -->\nrest\n"
	if err := os.WriteFile(path, []byte(page), 0o600); err != nil {
		t.Fatal(err)
	}
	r := &recorder{TB: t}
	if Check(r, path, "page.md", "x", "old\n", "regen"); r.failed {
		t.Error("an equal section failed")
	}
	t.Setenv("UPDATE_DOCS", "")
	if Check(r, path, "page.md", "x", "new\n", "regen"); !r.failed {
		t.Error("a different section passed")
	}
	r = &recorder{TB: t}
	if Check(r, path, "page.md", "y", "new\n", "regen"); !r.failed {
		t.Error("a missing section passed")
	}
	t.Setenv("UPDATE_DOCS", "1")
	r = &recorder{TB: t}
	Check(r, path, "page.md", "x", "new\n", "regen")
	got, _ := os.ReadFile(path)
	if r.failed || string(got) != "intro\n<!-- x:start -->\nnew\n<!-- x:end -->\nrest\n" {
		t.Errorf("UPDATE_DOCS=1 wrote %q (failed %v)", got, r.failed)
	}
}
