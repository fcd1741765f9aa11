package infra

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
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
	// Like the provider's walker (fsutil.NewFS), resolve a symlinked
	// context directory first.
	root, err := filepath.EvalSymlinks(in.Context)
	if err != nil {
		return nil, fmt.Errorf("walk build context %s: %w", in.Context, err)
	}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
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

// Hash returns the hex SHA-256 of the build inputs, which ImageTag turns
// into the image tag. The docker provider (pulumi-docker v4) rebuilds and
// pushes whenever any of its inputs changes, and pushing a tag the immutable
// repository already holds fails the `up`. So the hash covers everything the
// provider compares and more:
//
//   - the provider's identity and fixed settings (ImageProviderIdentity:
//     plugin version, builder, buildOnPreview, skipPush), so a provider
//     upgrade, whose context-digest algorithm may differ, gets a new tag;
//   - the context and Dockerfile paths exactly as the provider receives them;
//   - the platform, the target and the build args in sorted order;
//   - the Dockerfile's content (read through symlinks, as the provider does);
//   - every context file docker sends after .dockerignore (a superset of the
//     files the provider digests): path, full mode bits as os.Lstat reports
//     them (the provider hashes fs.FileMode.String(), so 0644 → 0664 is a
//     change), and the content, or for a symlink its target and where it
//     resolves (the provider hashes filepath.EvalSymlinks).
//
// Provider source: pulumi/pulumi-docker v4.10.0 (ab9083731ca9)
// provider/provider.go hashContext, contextHashAccumulator.hashPath and
// Diff; dockerhash_test.go runs a port of it against this function.
func (in BuildInputs) Hash() (string, error) {
	files, err := ContextFiles(in)
	if err != nil {
		return "", err
	}
	h := sha256.New()
	field := func(parts ...string) {
		for _, p := range parts {
			// Length-prefix every field so no two inputs serialize alike.
			_, _ = fmt.Fprintf(h, "%d:%s;", len(p), p)
		}
	}
	field("scheme", hashScheme, "provider", ImageProviderIdentity())
	// The paths as the provider stores them (relative to Root in the
	// program, so the same in every checkout).
	field("context", filepath.ToSlash(in.Context), "dockerfile", filepath.ToSlash(in.providerDockerfile()))
	field("platform", in.Platform, "target", in.Target)
	keys := make([]string, 0, len(in.Args))
	for k := range in.Args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		field("arg", k, in.Args[k])
	}
	res := in.resolved()
	dockerfile := res.Dockerfile
	if dockerfile == "" {
		dockerfile = filepath.Join(res.Context, "Dockerfile")
	}
	// The provider opens the Dockerfile (following symlinks) and hashes its
	// content whatever its name; so does this.
	content, err := os.ReadFile(dockerfile)
	if err != nil {
		return "", fmt.Errorf("hash build input: read Dockerfile: %w", err)
	}
	field("dockerfile-content", string(content))
	base := res.Context
	if in.Root != "" && !filepath.IsAbs(in.Context) {
		base = in.Root
	}
	base, err = filepath.EvalSymlinks(base)
	if err != nil {
		return "", fmt.Errorf("hash build input: %w", err)
	}
	for _, rel := range files {
		if err := hashFile(h, field, rel, filepath.Join(res.Context, filepath.FromSlash(rel)), base); err != nil {
			return "", err
		}
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// hashScheme names this hashing scheme; change it whenever Hash changes
// what it covers, so the change itself gives every stack a new tag.
const hashScheme = "fargateship-build-hash/2"

// providerDockerfile is the Dockerfile path the docker provider stores:
// the given one, or its default, context/Dockerfile (provider/image.go
// marshalBuildAndApplyDefaults).
func (in BuildInputs) providerDockerfile() string {
	if in.Dockerfile != "" {
		return in.Dockerfile
	}
	return path.Join(filepath.ToSlash(in.Context), "Dockerfile")
}

// hashFile hashes one context entry. base is the directory a symlink's
// resolved target is recorded relative to (the project root), so the hash
// is the same in every checkout.
func hashFile(h io.Writer, field func(...string), name, file, base string) error {
	fi, err := os.Lstat(file)
	if err != nil {
		return fmt.Errorf("hash build input: %w", err)
	}
	mode := fi.Mode().String()
	switch {
	case fi.Mode()&fs.ModeSymlink != 0:
		target, err := os.Readlink(file)
		if err != nil {
			return err
		}
		// The provider hashes filepath.EvalSymlinks of the link, and fails
		// on a dangling one; say which link before anything is created.
		resolved, err := filepath.EvalSymlinks(file)
		if err != nil {
			return fmt.Errorf("hash build input: symlink %s -> %s does not resolve (the docker provider fails on it too): %w", name, target, err)
		}
		if rel, err := filepath.Rel(base, resolved); err == nil {
			resolved = rel
		}
		field("symlink", name, mode, target, filepath.ToSlash(resolved))
	case fi.IsDir():
		field("dir", name)
	case fi.Mode().IsRegular():
		field("file", name, mode, fmt.Sprint(fi.Size()))
		f, err := os.Open(file)
		if err != nil {
			return err
		}
		defer func() { _ = f.Close() }()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
	default:
		// Pipes, sockets and devices: docker does not send their content,
		// but the provider hashes their name and mode.
		field("special", name, mode)
	}
	return nil
}
