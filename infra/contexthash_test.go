package infra

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// writeTree writes files (path → content) under dir.
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func newContext(t *testing.T, ignore string) BuildInputs {
	t.Helper()
	return newContextAt(t, t.TempDir(), ignore)
}

// newContextAt writes the test context into dir.
func newContextAt(t *testing.T, dir, ignore string) BuildInputs {
	t.Helper()
	writeTree(t, dir, map[string]string{
		"Dockerfile":         "FROM scratch\nCOPY main.go /\n",
		".dockerignore":      ignore,
		"main.go":            "package main\n",
		"go.mod":             "module x\n",
		"main_test.go":       "package main\n",
		"README.md":          "docs\n",
		"docs/guide.md":      "guide\n",
		"docs/keep.md":       "keep\n",
		"internal/x/x.go":    "package x\n",
		".git/HEAD":          "ref: refs/heads/main\n",
		"node_modules/a/i.j": "{}\n",
	})
	return BuildInputs{Context: dir, Platform: "linux/amd64"}
}

func hash(t *testing.T, in BuildInputs) string {
	t.Helper()
	h, err := in.Hash()
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestContextFilesFollowDockerignore(t *testing.T) {
	cases := []struct {
		name, ignore string
		want         []string
	}{
		{"no ignore file", "", []string{".dockerignore", ".git", ".git/HEAD", "Dockerfile", "README.md", "docs", "docs/guide.md", "docs/keep.md", "go.mod", "internal", "internal/x", "internal/x/x.go", "main.go", "main_test.go", "node_modules", "node_modules/a", "node_modules/a/i.j"}},
		{"directories and globs", ".git\nnode_modules\n*.md\n**/*_test.go\n", []string{".dockerignore", "Dockerfile", "docs", "docs/guide.md", "docs/keep.md", "go.mod", "internal", "internal/x", "internal/x/x.go", "main.go"}},
		{"double star", "**/*.md\n.git\nnode_modules\n", []string{".dockerignore", "Dockerfile", "docs", "go.mod", "internal", "internal/x", "internal/x/x.go", "main.go", "main_test.go"}},
		{"re-include inside an excluded dir", "docs\n!docs/keep.md\n.git\nnode_modules\n", []string{".dockerignore", "Dockerfile", "README.md", "docs/keep.md", "go.mod", "internal", "internal/x", "internal/x/x.go", "main.go", "main_test.go"}},
		// Docker always sends the Dockerfile and .dockerignore, even when
		// they match a pattern.
		{"allowlist", "*\n!go.mod\n!*.go\n*_test.go\n", []string{".dockerignore", "Dockerfile", "go.mod", "main.go"}},
		{"comments and blank lines", "# a comment\n\n*\n!main.go\n", []string{".dockerignore", "Dockerfile", "main.go"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := newContext(t, tc.ignore)
			got, err := ContextFiles(in)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("files =\n%v\nwant\n%v", got, tc.want)
			}
		})
	}
}

func TestHashChangesExactlyWithTheBuild(t *testing.T) {
	in := newContext(t, "*\n!go.mod\n!*.go\n*_test.go\n")
	base := hash(t, in)
	if again := hash(t, in); again != base {
		t.Fatalf("same inputs, different hashes %s %s", base, again)
	}
	edit := func(p, content string) { writeTree(t, in.Context, map[string]string{p: content}) }

	// Files the build never sees: same tag, nothing rebuilt.
	edit("main_test.go", "package main // edited\n")
	edit("README.md", "new docs\n")
	edit("internal/x/y.go", "package x\n")
	edit("notes.txt", "scratch\n")
	if got := hash(t, in); got != base {
		t.Errorf("editing ignored files changed the hash")
	}

	changes := []struct {
		name  string
		apply func(in *BuildInputs)
	}{
		{"source edit", func(in *BuildInputs) { edit("main.go", "package main\n\nfunc main() {}\n") }},
		{"new source file", func(in *BuildInputs) { edit("extra.go", "package main\n") }},
		{"dockerfile edit", func(in *BuildInputs) { edit("Dockerfile", "FROM scratch\n") }},
		{"ignore rules edit", func(in *BuildInputs) { edit(".dockerignore", "*\n!go.mod\n!*.go\n") }},
		{"platform", func(in *BuildInputs) { in.Platform = "linux/arm64" }},
		{"build arg", func(in *BuildInputs) { in.Args = map[string]string{"VERSION": "2"} }},
		{"target", func(in *BuildInputs) { in.Target = "debug" }},
		{"executable bit", func(in *BuildInputs) {
			if err := os.Chmod(filepath.Join(in.Context, "go.mod"), 0o755); err != nil {
				t.Fatal(err)
			}
		}},
	}
	seen := map[string]string{base: "base"}
	for _, c := range changes {
		c.apply(&in)
		h := hash(t, in)
		if prev, dup := seen[h]; dup {
			t.Errorf("%s: hash equals the one after %s", c.name, prev)
		}
		seen[h] = c.name
	}
}

func TestHashFieldsCannotBeShifted(t *testing.T) {
	// "a"+"bc" and "ab"+"c" must not collide.
	in1 := newContext(t, "")
	in1.Args = map[string]string{"A": "BC"}
	in2 := in1
	in2.Args = map[string]string{"AB": "C"}
	if hash(t, in1) == hash(t, in2) {
		t.Error("build args collide")
	}
}

func TestDockerfileSpecificIgnoreWins(t *testing.T) {
	in := newContext(t, "*\n!main.go\n")
	in.Dockerfile = filepath.Join(in.Context, "Dockerfile")
	writeTree(t, in.Context, map[string]string{"Dockerfile.dockerignore": "*\n!go.mod\n"})
	got, err := ContextFiles(in)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []string{".dockerignore", "Dockerfile", "go.mod"}) {
		t.Errorf("files = %v", got)
	}
}

func TestMissingContextFails(t *testing.T) {
	_, err := BuildInputs{Context: filepath.Join(t.TempDir(), "nope")}.Hash()
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("err = %v", err)
	}
}

// TestAppContext checks the real app/ build context: the sources and the
// Dockerfile go in, tests and docs stay out.
func TestAppContext(t *testing.T) {
	in := BuildInputs{Context: filepath.Join(projectRoot, AppDir), Dockerfile: filepath.Join(projectRoot, AppDir, "Dockerfile"), Platform: "linux/amd64"}
	files, err := ContextFiles(in)
	if err != nil {
		t.Fatal(err)
	}
	for _, must := range []string{"Dockerfile", "go.mod", "main.go"} {
		if !slices.Contains(files, must) {
			t.Errorf("app context lacks %s: %v", must, files)
		}
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || strings.HasSuffix(f, ".md") || strings.HasPrefix(f, ".git") {
			t.Errorf("app context sends %s", f)
		}
	}
}

func BenchmarkAppContextHash(b *testing.B) {
	in := BuildInputs{Context: filepath.Join(projectRoot, AppDir), Platform: "linux/amd64"}
	for b.Loop() {
		if _, err := in.Hash(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestHashIsTheSameInEveryCheckout: a laptop and CI hold the project in
// different folders; the tag (and the docker provider's inputs) must not
// depend on where. The program passes the provider paths relative to the
// project root; an absolute context is a different provider input, so a
// different tag.
func TestHashIsTheSameInEveryCheckout(t *testing.T) {
	ignore := "*\n!go.mod\n!*.go\n*_test.go\n"
	a := newContextAt(t, filepath.Join(t.TempDir(), "app"), ignore)
	b := newContextAt(t, filepath.Join(t.TempDir(), "app"), ignore)
	relative := func(in BuildInputs) BuildInputs {
		return BuildInputs{Root: filepath.Dir(in.Context), Context: "app", Platform: in.Platform}
	}
	ra, rb := relative(a), relative(b)
	if ra.Root == rb.Root {
		t.Fatal("checkouts share a folder")
	}
	if hash(t, ra) != hash(t, rb) {
		t.Errorf("same files at the same project-relative path in two checkouts hash differently")
	}
	if hash(t, ra) == hash(t, a) {
		t.Errorf("an absolute context (another provider input) hashes like the relative one")
	}
}
