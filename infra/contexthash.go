package infra

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
)

// BuildInputs is everything that decides what `docker build` produces. Its
// hash is the image tag: same inputs, same tag, nothing rebuilt or pushed;
// any change, a new tag and so a new task definition revision.
type BuildInputs struct {
	// Root is the directory relative Context and Dockerfile paths are
	// resolved against when reading files (the project root).
	Root string
	// Context is the build context directory. Keep it relative to Root:
	// the docker provider stores it as an input, and an absolute path would
	// differ between a laptop and CI, making the provider rebuild and
	// re-push a tag the immutable repository already holds.
	Context string
	// Dockerfile is the Dockerfile path; empty means Context/Dockerfile.
	Dockerfile string
	// Platform is the target platform, e.g. linux/arm64.
	Platform string
	// Target is the build stage, if any.
	Target string
	// Args are the build args.
	Args map[string]string
}

// ContextFiles lists, in sorted order, the files and directories (slash
// separated, relative to the context) that the docker CLI sends as the build
// context: everything not excluded by the .dockerignore rules, with the
// same parent-directory semantics and `!` re-inclusions docker uses. Like
// docker, the Dockerfile and .dockerignore are always sent.
func ContextFiles(in BuildInputs) ([]string, error) {
	in = in.resolved()
	patterns, err := readIgnore(in)
	if err != nil {
		return nil, err
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		return nil, fmt.Errorf("parse .dockerignore of %s: %w", in.Context, err)
	}
	dockerfileRel := relDockerfile(in)
	parents := map[string]patternmatcher.MatchInfo{}
	var files []string
	err = filepath.WalkDir(in.Context, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(in.Context, path)
		if err != nil {
			return err
		}
		if rel == "." {
			return nil
		}
		rel = filepath.ToSlash(rel)
		parentInfo := parents[filepath.ToSlash(filepath.Dir(rel))]
		excluded, info, err := pm.MatchesUsingParentResults(rel, parentInfo)
		if err != nil {
			return err
		}
		if d.IsDir() {
			parents[rel] = info
			// A directory can only be skipped when no `!` pattern could
			// bring back something inside it (docker's own shortcut).
			if excluded && !pm.Exclusions() {
				return filepath.SkipDir
			}
		}
		if excluded && rel != dockerfileRel && rel != ".dockerignore" {
			return nil
		}
		files = append(files, rel)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("walk build context %s: %w", in.Context, err)
	}
	sort.Strings(files)
	return files, nil
}

// resolved returns the inputs with Context and Dockerfile joined to Root.
func (in BuildInputs) resolved() BuildInputs {
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) || in.Root == "" {
			return p
		}
		return filepath.Join(in.Root, p)
	}
	in.Context, in.Dockerfile = abs(in.Context), abs(in.Dockerfile)
	return in
}

// readIgnore reads the ignore rules docker uses: <Dockerfile>.dockerignore
// beside the Dockerfile wins over <context>/.dockerignore (BuildKit rule).
func readIgnore(in BuildInputs) ([]string, error) {
	candidates := []string{filepath.Join(in.Context, ".dockerignore")}
	if in.Dockerfile != "" {
		candidates = append([]string{in.Dockerfile + ".dockerignore"}, candidates...)
	}
	for _, p := range candidates {
		f, err := os.Open(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		defer func() { _ = f.Close() }()
		patterns, err := ignorefile.ReadAll(f)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		return patterns, nil
	}
	return nil, nil
}

func relDockerfile(in BuildInputs) string {
	if in.Dockerfile == "" {
		return "Dockerfile"
	}
	rel, err := filepath.Rel(in.Context, in.Dockerfile)
	if err != nil || strings.HasPrefix(rel, "..") {
		return ""
	}
	return filepath.ToSlash(rel)
}

// Hash returns the hex SHA-256 of the build inputs: each context file's path,
// type, executable bit and content (a symlink's target), the Dockerfile (even
// when it sits outside the context), the platform, the target and the build
// args in sorted order.
func (in BuildInputs) Hash() (string, error) {
	files, err := ContextFiles(in)
	if err != nil {
		return "", err
	}
	in = in.resolved()
	h := sha256.New()
	field := func(parts ...string) {
		for _, p := range parts {
			// Length-prefix every field so no two inputs serialize alike.
			_, _ = fmt.Fprintf(h, "%d:%s;", len(p), p)
		}
	}
	field("platform", in.Platform, "target", in.Target)
	keys := make([]string, 0, len(in.Args))
	for k := range in.Args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		field("arg", k, in.Args[k])
	}
	dockerfile := in.Dockerfile
	if dockerfile == "" {
		dockerfile = filepath.Join(in.Context, "Dockerfile")
	}
	if err := hashFile(h, field, "dockerfile", dockerfile); err != nil {
		return "", err
	}
	for _, rel := range files {
		if err := hashFile(h, field, rel, filepath.Join(in.Context, filepath.FromSlash(rel))); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func hashFile(h io.Writer, field func(...string), name, path string) error {
	fi, err := os.Lstat(path)
	if err != nil {
		return fmt.Errorf("hash build input: %w", err)
	}
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(path)
		if err != nil {
			return err
		}
		field("symlink", name, target)
	case fi.IsDir():
		field("dir", name)
	case fi.Mode().IsRegular():
		exec := "0"
		if fi.Mode()&0o111 != 0 {
			exec = "1"
		}
		field("file", name, exec, fmt.Sprint(fi.Size()))
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer func() { _ = f.Close() }()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
	default:
		// Sockets, devices and pipes are not sent by docker.
	}
	return nil
}
