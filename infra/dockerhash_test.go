package infra

// The docker provider (pulumi-docker v4) rebuilds and pushes the image
// whenever its inputs differ from the ones in the state, and those include
// its own digest of the build context. ECR refuses a second push of an
// existing tag (IMMUTABLE), so a rebuild under an unchanged tag fails the
// `up`. These tests run the provider's digest on the same trees as Hash and
// require: whenever anything the provider compares changes, the tag changes.
//
// The provider's hashContext is unexported and its module
// (github.com/pulumi/pulumi-docker/provider/v4) cannot be required from
// here: the module proxy does not serve it, and its go.mod replaces
// terraform-provider-docker with ../upstream. So it is ported below, line
// for line, from pulumi/pulumi-docker tag v4.10.0 (commit
// ab9083731ca97240406b53a449af1efc129ca8dc), provider/provider.go:
// hashContext, contextHashAccumulator.hashPath, getIgnorePatterns; with the
// exclude-pattern walk of github.com/tonistiigi/fsutil at the version that
// provider/go.mod pins (v0.0.0-20250417144416-3f76f8130144): filter.go
// NewFilterFS / filterFS.Walk / Walk, fs.go fs.Walk, stat.go mkstat (modes
// are os.Lstat's with the socket bit cleared).

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// providerContextDigest is hashContext of pulumi-docker v4.10.0
// (provider/provider.go), with paths resolved against the working
// directory as in the provider process.
func providerContextDigest(dockerContextPath, dockerfilePath string) (string, error) {
	ignorePatterns, err := providerIgnorePatterns(dockerfilePath, dockerContextPath)
	if err != nil {
		return "", err
	}
	var input bytes.Buffer
	// contextHashAccumulator.hashPath
	hashPath := func(filePath, relativeNameOfFile string, fileMode fs.FileMode) error {
		hash := sha256.New()
		if fileMode.Type() == fs.ModeSymlink {
			symLinkPath, err := filepath.EvalSymlinks(filePath)
			if err != nil {
				return fmt.Errorf("could not evaluate symlink at %s: %w", filePath, err)
			}
			_, _ = io.Copy(hash, strings.NewReader(filepath.ToSlash(filepath.Clean(symLinkPath))))
		} else if fileMode.IsRegular() {
			f, err := os.Open(filePath)
			if err != nil {
				return fmt.Errorf("could not open file %s: %w", filePath, err)
			}
			defer func() { _ = f.Close() }()
			if _, err := io.Copy(hash, f); err != nil {
				return err
			}
		}
		input.WriteString(filepath.ToSlash(path.Clean(relativeNameOfFile)))
		input.WriteString(fileMode.String())
		input.Write(hash.Sum(nil))
		input.WriteByte(0)
		return nil
	}
	// The Dockerfile is hashed first under the name "Dockerfile", mode 0.
	if err := hashPath(dockerfilePath, "Dockerfile", 0); err != nil {
		return "", fmt.Errorf("error hashing dockerfile %q: %w", dockerfilePath, err)
	}
	err = fsutilWalk(dockerContextPath, ignorePatterns, func(filePath string, mode fs.FileMode) error {
		return hashPath(filepath.Join(dockerContextPath, filePath), filePath, mode)
	})
	if err != nil {
		return "", fmt.Errorf("unable to hash build context: %w", err)
	}
	sum := sha256.Sum256(input.Bytes())
	return hex.EncodeToString(sum[:]), nil
}

// providerIgnorePatterns is getIgnorePatterns (provider/provider.go):
// <Dockerfile>.dockerignore first, then <context>/.dockerignore.
func providerIgnorePatterns(dockerfilePath, contextRoot string) ([]string, error) {
	for _, p := range []string{dockerfilePath + ".dockerignore", filepath.Join(contextRoot, ".dockerignore")} {
		f, err := os.Open(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		defer func() { _ = f.Close() }()
		return ignorefile.ReadAll(f)
	}
	return nil, nil
}

// fsutilWalk is fsutil.Walk(ctx, root, &FilterOpt{ExcludePatterns: ...},
// fn) as hashContext uses it: non-directories only (the provider's callback
// returns early for directories), paths relative to the root, modes from
// os.Lstat with the socket bit cleared (stat.go mkstat).
func fsutilWalk(root string, excludes []string, fn func(rel string, mode fs.FileMode) error) error {
	root, err := filepath.EvalSymlinks(root) // fs.go NewFS
	if err != nil {
		return err
	}
	var pm *patternmatcher.PatternMatcher
	onlyPrefixExcludeExceptions := true
	if len(excludes) > 0 {
		if pm, err = patternmatcher.New(excludes); err != nil {
			return err
		}
		for _, p := range pm.Patterns() {
			if p.Exclusion() && strings.ContainsAny(withoutTrailingGlob(p), `*[]?^\`) {
				onlyPrefixExcludeExceptions = false
				break
			}
		}
	}
	type visitedDir struct {
		pathWithSep string
		matchInfo   patternmatcher.MatchInfo
	}
	var parentDirs []visitedDir
	sep := string(filepath.Separator)
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, walkErr error) error {
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		isDir := d != nil && d.IsDir()
		for len(parentDirs) != 0 && !strings.HasPrefix(rel, parentDirs[len(parentDirs)-1].pathWithSep) {
			parentDirs = parentDirs[:len(parentDirs)-1]
		}
		dir := visitedDir{pathWithSep: rel + sep}
		skip := false
		if pm != nil {
			var parentInfo patternmatcher.MatchInfo
			if len(parentDirs) != 0 {
				parentInfo = parentDirs[len(parentDirs)-1].matchInfo
			}
			m, info, err := pm.MatchesUsingParentResults(rel, parentInfo)
			if err != nil {
				return err
			}
			dir.matchInfo = info
			if m {
				if isDir && onlyPrefixExcludeExceptions {
					if !pm.Exclusions() {
						return filepath.SkipDir
					}
					keep := false
					for _, pat := range pm.Patterns() {
						if pat.Exclusion() && strings.HasPrefix(withoutTrailingGlob(pat)+sep, rel+sep) {
							keep = true
							break
						}
					}
					if !keep {
						return filepath.SkipDir
					}
				}
				skip = true
			}
		}
		if walkErr != nil {
			return walkErr
		}
		if isDir {
			parentDirs = append(parentDirs, dir)
		}
		if skip || isDir {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		return fn(rel, fi.Mode()&^fs.ModeSocket)
	})
}

func withoutTrailingGlob(p *patternmatcher.Pattern) string {
	s := strings.TrimSuffix(p.String(), string(filepath.Separator)+"**")
	return strings.TrimSuffix(s, string(filepath.Separator)+"*")
}

// providerView is every docker.Image input the provider's Diff compares
// that the build decides (provider/provider.go Check adds contextDigest
// and the default dockerfile; Diff compares all inputs except registry
// username and password). imageName and registry.server name the
// repository, not the build.
func providerView(t *testing.T, in BuildInputs) string {
	t.Helper()
	digest, err := providerContextDigest(in.Context, in.providerDockerfile())
	if err != nil {
		t.Fatalf("provider digest: %v", err)
	}
	keys := make([]string, 0, len(in.Args))
	for k := range in.Args {
		keys = append(keys, k+"="+in.Args[k])
	}
	sort.Strings(keys)
	return strings.Join([]string{
		"contextDigest=" + digest, "context=" + in.Context, "dockerfile=" + in.providerDockerfile(),
		"platform=" + in.Platform, "target=" + in.Target, "args=" + strings.Join(keys, ","),
		ImageProviderIdentity(),
	}, "\n")
}

// providerTree is a project root with an app/ context like the real one,
// plus files outside the context a symlink resolves through; the working
// directory is the root, as for the provider process.
func providerTree(t *testing.T) BuildInputs {
	t.Helper()
	root := t.TempDir()
	writeTree(t, root, map[string]string{
		"app/Dockerfile":    "FROM scratch\nCOPY . /\n",
		"app/.dockerignore": "*.md\nignored\n",
		"app/main.go":       "package main\n",
		"app/go.mod":        "module app\n",
		"app/run.sh":        "#!/bin/sh\n",
		"app/README.md":     "docs\n",
		"app/ignored/x.txt": "x\n",
		"app/sub/a.txt":     "a\n",
		"shared/real.txt":   "real\n",
		"shared/other.txt":  "other\n",
	})
	mustDo(t, os.Chmod(filepath.Join(root, "app/run.sh"), 0o755))
	mustDo(t, os.Symlink("main.go", filepath.Join(root, "app/link")))
	mustDo(t, os.Symlink("real.txt", filepath.Join(root, "shared/hop")))
	mustDo(t, os.Symlink("../shared/hop", filepath.Join(root, "app/outlink")))
	t.Chdir(root)
	return BuildInputs{Root: root, Context: "app", Dockerfile: "app/Dockerfile", Platform: "linux/amd64"}
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestTagChangesWheneverTheProviderWouldRebuild applies one change after
// another to a tree and checks, after each, that the tag changed if the
// provider's view changed. Each case also states whether the provider sees
// it, so the implication is never vacuous.
func TestTagChangesWheneverTheProviderWouldRebuild(t *testing.T) {
	in := providerTree(t)
	root := in.Root
	p := func(rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }
	write := func(rel, content string) { writeTree(t, root, map[string]string{rel: content}) }
	cases := []struct {
		name string
		// provider: whether the provider's inputs change (it rebuilds).
		provider bool
		// tag: whether the tag changes; must be true when provider is.
		tag   bool
		apply func(in *BuildInputs)
	}{
		// A checkout under umask 002 (the default for users on many Linux
		// distributions) has 0664 files where CI has 0644: the provider
		// hashes fs.FileMode.String(), the old tag only the executable bit.
		{"mode 0644 to 0664", true, true, func(*BuildInputs) { mustDo(t, os.Chmod(p("app/main.go"), 0o664)) }},
		{"executable bit", true, true, func(*BuildInputs) { mustDo(t, os.Chmod(p("app/go.mod"), 0o755)) }},
		{"setgid bit", true, true, func(*BuildInputs) { mustDo(t, os.Chmod(p("app/sub/a.txt"), 0o644|fs.ModeSetgid)) }},
		{"Dockerfile mode", true, true, func(*BuildInputs) { mustDo(t, os.Chmod(p("app/Dockerfile"), 0o600)) }},
		{"content edit", true, true, func(*BuildInputs) { write("app/main.go", "package main\n\nfunc main() {}\n") }},
		{"same-size content edit", true, true, func(*BuildInputs) { write("app/go.mod", "module ppa\n") }},
		{"new file", true, true, func(*BuildInputs) { write("app/sub/b.txt", "b\n") }},
		{"rename", true, true, func(*BuildInputs) { mustDo(t, os.Rename(p("app/sub/a.txt"), p("app/sub/c.txt"))) }},
		{"new ignored file", false, false, func(*BuildInputs) { write("app/NOTES.md", "n\n") }},
		{"ignored file edit", false, false, func(*BuildInputs) { write("app/ignored/x.txt", "y\n") }},
		{"new symlink", true, true, func(*BuildInputs) { mustDo(t, os.Symlink("go.mod", p("app/link2"))) }},
		{"symlink retargeted", true, true, func(*BuildInputs) {
			mustDo(t, os.Remove(p("app/link")))
			mustDo(t, os.Symlink("run.sh", p("app/link")))
		}},
		// The link's own target is unchanged; where it resolves, through a
		// link outside the context, is not (the provider hashes
		// filepath.EvalSymlinks).
		{"symlink chain outside the context", true, true, func(*BuildInputs) {
			mustDo(t, os.Remove(p("shared/hop")))
			mustDo(t, os.Symlink("other.txt", p("shared/hop")))
		}},
		{"Dockerfile edit", true, true, func(*BuildInputs) { write("app/Dockerfile", "FROM scratch\nCOPY . /app/\n") }},
		{".dockerignore lets a file in", true, true, func(*BuildInputs) { write("app/.dockerignore", "ignored\n") }},
		// Docker sends an empty directory (COPY creates it); the provider
		// does not hash directories. A new tag here costs a rebuild, never
		// a failure.
		{"empty directory", false, true, func(*BuildInputs) { mustDo(t, os.Mkdir(p("app/empty"), 0o755)) }},
		{"build arg", true, true, func(in *BuildInputs) { in.Args = map[string]string{"VERSION": "2"} }},
		{"platform", true, true, func(in *BuildInputs) { in.Platform = "linux/arm64" }},
		{"target", true, true, func(in *BuildInputs) { in.Target = "runtime" }},
		{"Dockerfile path, same content", true, true, func(in *BuildInputs) {
			write("app/Dockerfile.prod", mustRead(t, p("app/Dockerfile")))
			in.Dockerfile = "app/Dockerfile.prod"
		}},
		{"context moved, same files", true, true, func(in *BuildInputs) {
			mustDo(t, os.Rename(p("app"), p("svc")))
			in.Context, in.Dockerfile = "svc", "svc/Dockerfile.prod"
		}},
	}
	view, tag := providerView(t, in), hash(t, in)
	for _, c := range cases {
		c.apply(&in)
		newView, newTag := providerView(t, in), hash(t, in)
		if got := newView != view; got != c.provider {
			t.Errorf("%s: provider inputs changed = %v, want %v (the port or the case is wrong)", c.name, got, c.provider)
		}
		if newView != view && newTag == tag {
			t.Errorf("%s: the provider would rebuild and push, but the tag stays %s: ECR rejects the push", c.name, ImageTag(tag))
		}
		if got := newTag != tag; got != c.tag {
			t.Errorf("%s: tag changed = %v, want %v", c.name, got, c.tag)
		}
		view, tag = newView, newTag
	}
}

func mustRead(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestTagIsTheSameWhereTheProviderIsTheSame: two checkouts in different
// folders give the provider the same inputs and get the same tag, so
// neither rebuilds what the other pushed.
func TestTagIsTheSameWhereTheProviderIsTheSame(t *testing.T) {
	a := providerTree(t)
	va, ha := providerView(t, a), hash(t, a)
	b := providerTree(t)
	if a.Root == b.Root {
		t.Fatal("trees share a folder")
	}
	if vb := providerView(t, b); vb != va {
		t.Fatalf("the provider's view differs between checkouts:\n%s\n%s", va, vb)
	}
	if hb := hash(t, b); hb != ha {
		t.Errorf("same provider inputs in two checkouts, different tags %s %s", ha, hb)
	}
}

// TestProviderWalkSendsNoFileHashOmits: every file the provider digests is
// one Hash covers (ContextFiles), for each .dockerignore case.
func TestProviderWalkSendsNoFileHashOmits(t *testing.T) {
	ignores := []string{"", ".git\nnode_modules\n*.md\n**/*_test.go\n", "**/*.md\n.git\nnode_modules\n",
		"docs\n!docs/keep.md\n.git\nnode_modules\n", "*\n!go.mod\n!*.go\n*_test.go\n", "# c\n\n*\n!main.go\n",
		"*\n!*/keep.md\n", "docs/**\n!docs/k*\n", "Dockerfile\n.dockerignore\n"}
	for _, ignore := range ignores {
		in := newContext(t, ignore)
		ours, err := ContextFiles(in)
		if err != nil {
			t.Fatal(err)
		}
		var theirs []string
		walkErr := fsutilWalk(in.Context, mustPatterns(t, ignore), func(rel string, _ fs.FileMode) error {
			theirs = append(theirs, filepath.ToSlash(rel))
			return nil
		})
		mustDo(t, walkErr)
		if len(theirs) == 0 {
			t.Fatalf("%q: the provider walk saw no file", ignore)
		}
		for _, f := range theirs {
			if !slices.Contains(ours, f) {
				t.Errorf("%q: the provider hashes %s, Hash does not", ignore, f)
			}
		}
	}
}

func mustPatterns(t *testing.T, ignore string) []string {
	t.Helper()
	pats, err := ignorefile.ReadAll(strings.NewReader(ignore))
	if err != nil {
		t.Fatal(err)
	}
	return pats
}

// TestTagCoversTheProviderItself: a provider upgrade may change the
// context digest's algorithm (the provider's own tests pin no digest
// value), and a settings change changes the provider's inputs; either must
// give a new tag.
func TestTagCoversTheProviderItself(t *testing.T) {
	in := providerTree(t)
	base := hash(t, in)
	saved := dockerProvider
	t.Cleanup(func() { dockerProvider = saved })
	changes := map[string]func(){
		"provider version": func() { dockerProvider.Version = "4.11.0" },
		"builder":          func() { dockerProvider.BuilderVersion = "BuilderV1" },
		"buildOnPreview":   func() { dockerProvider.BuildOnPreview = !saved.BuildOnPreview },
		"skipPush":         func() { dockerProvider.SkipPush = !saved.SkipPush },
	}
	for name, change := range changes {
		dockerProvider = saved
		change()
		if hash(t, in) == base {
			t.Errorf("%s changed, the tag did not", name)
		}
	}
}

// TestDanglingSymlinkFailsEarly: the provider's Check fails on a symlink
// that does not resolve; Hash names it before any resource is created.
func TestDanglingSymlinkFailsEarly(t *testing.T) {
	in := providerTree(t)
	mustDo(t, os.Symlink("gone.txt", filepath.Join(in.Root, "app/dangling")))
	if _, err := providerContextDigest(in.Context, in.providerDockerfile()); err == nil {
		t.Fatal("the provider port accepts a dangling symlink")
	}
	_, err := in.Hash()
	if err == nil || !strings.Contains(err.Error(), "dangling -> gone.txt") {
		t.Errorf("err = %v, want one naming the link and its target", err)
	}
}

// TestProviderPortPassesTheProvidersOwnTests replays pulumi-docker
// v4.10.0's own hashContext tests (provider/provider_test.go
// TestHashIgnoresFile, TestHashIgnoresWildcards,
// TestHashIgnoresDockerfileOutsideDirMove, TestHashRenamingMatters,
// TestHashFilemodeMatters, TestHashDeepSymlinks, TestHashUnignoredDirs) on
// copies of their provider/testdata trees, so the port above behaves as the
// provider does; and, where the provider's digest differs, so does Hash.
func TestProviderPortPassesTheProvidersOwnTests(t *testing.T) {
	const dockerfile = "FROM scratch\n\nWORKDIR /app\n\nCOPY ./bar .\n"
	const appJS = "console.log(\"Pulumi 💜\");\n"
	const fooSh = "#!/usr/bin/env bash\n\necho \"Hello, World!\"\n"
	const wildcardIgnore = "# Ignore everything!\n*\n\n# Except changes to source data in this set of directories:\n!projects/*/src\n\n# This should therefore IGNORE projects/*/dist\n"
	root := t.TempDir()
	t.Chdir(root)
	trees := map[string]map[string]string{
		"ignores/basedir": {"Dockerfile": dockerfile, "bar/app.js": appJS, "foo.txt": "bar\n"},
		"ignores/basedir-with-ignored-files": {"Dockerfile": dockerfile, "bar/app.js": appJS, "foo.txt": "bar\n",
			".dockerignore": ".dockerignore\nignored.txt\nbar/ignored.js\n", "bar/ignored.js": "", "ignored.txt": ""},
		"ignores-wildcard/basedir": {".dockerignore": wildcardIgnore, "Dockerfile": dockerfile, "projects/foo/src/app.js": appJS},
		"ignores-wildcard/basedir-modified-ignored-file": {".dockerignore": wildcardIgnore, "Dockerfile": dockerfile,
			"projects/foo/src/app.js": appJS, "projects/foo/dist/app.js": "built\n"},
		"ignores-wildcard/basedir-modified-included-file": {".dockerignore": wildcardIgnore, "Dockerfile": dockerfile,
			"projects/foo/src/app.js": "console.log(\"💜 Pulumi (included)\");\n"},
		"dockerfile-location-irrelevant": {"app/foo.sh": fooSh, "step1.Dockerfile": dockerfile, "step2.Dockerfile": dockerfile},
		"filemode-matters/step1":         {"Dockerfile": dockerfile, "foo.sh": fooSh},
		"filemode-matters/step2-chmod-x": {"Dockerfile": dockerfile, "foo.sh": fooSh},
		"renaming-matters/step2":         {"Dockerfile": dockerfile, "foo.b.txt": "foo\n"},
		"unignores/basedir":              {"Dockerfile": dockerfile, "top-dir/subdir/app.js": appJS, "top-dir/subdir/ignored.js": ""},
		"unignores/basedir-with-unignored-files": {".dockerignore": "# Ignore everything\n*\n\n#Unignore everything\n!Dockerfile\n!top-dir\n",
			"Dockerfile": dockerfile, "top-dir/subdir/app.js": appJS, "top-dir/subdir/ignored.js": ""},
		"symlinks": {"Dockerfile": dockerfile, "linkedFromDeep.txt": "Hello,\n", "sub/dir/linkedFromTop.txt": "World!\n"},
	}
	for dir, files := range trees {
		writeTree(t, filepath.Join(root, dir), files)
	}
	mustDo(t, os.Chmod("filemode-matters/step2-chmod-x/foo.sh", 0o755))
	mustDo(t, os.Symlink("sub/dir/linkedFromTop.txt", "symlinks/linkedToDeep.txt"))
	mustDo(t, os.Symlink("sub", "symlinks/proxy-for-sub"))
	mustDo(t, os.Symlink("../../linkedFromDeep.txt", "symlinks/sub/dir/linkedToTop.txt"))

	type side struct{ context, dockerfile string }
	at := func(dir string) side { return side{dir, filepath.Join(dir, "Dockerfile")} }
	cases := []struct {
		name  string
		a, b  side
		equal bool
	}{
		{"TestHashIgnoresFile", at("ignores/basedir"), at("ignores/basedir-with-ignored-files"), true},
		{"TestHashIgnoresWildcards ignored", at("ignores-wildcard/basedir"), at("ignores-wildcard/basedir-modified-ignored-file"), true},
		{"TestHashIgnoresWildcards included", at("ignores-wildcard/basedir"), at("ignores-wildcard/basedir-modified-included-file"), false},
		{"TestHashIgnoresDockerfileOutsideDirMove",
			side{"dockerfile-location-irrelevant/app", "dockerfile-location-irrelevant/step1.Dockerfile"},
			side{"dockerfile-location-irrelevant/app", "dockerfile-location-irrelevant/step2.Dockerfile"}, true},
		{"TestHashRenamingMatters", at("filemode-matters/step1"), at("renaming-matters/step2"), false},
		{"TestHashFilemodeMatters", at("filemode-matters/step1"), at("filemode-matters/step2-chmod-x"), false},
		{"TestHashUnignoredDirs", at("unignores/basedir"), at("unignores/basedir-with-unignored-files"), true},
		{"TestHashDeepSymlinks", at("symlinks"), at("symlinks"), true},
	}
	for _, c := range cases {
		da, err := providerContextDigest(c.a.context, c.a.dockerfile)
		mustDo(t, err)
		db, err := providerContextDigest(c.b.context, c.b.dockerfile)
		mustDo(t, err)
		if (da == db) != c.equal {
			t.Errorf("%s: port digests equal = %v, the provider's test wants %v", c.name, da == db, c.equal)
		}
		if da != db {
			ha := hash(t, BuildInputs{Root: root, Context: c.a.context, Dockerfile: c.a.dockerfile})
			hb := hash(t, BuildInputs{Root: root, Context: c.b.context, Dockerfile: c.b.dockerfile})
			if ha == hb {
				t.Errorf("%s: the provider's digest differs, Hash does not", c.name)
			}
		}
	}
}
