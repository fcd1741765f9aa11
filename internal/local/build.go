package local

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"maps"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/fargateship/fargateship/infra"
)

// Build is one image build: the inputs the program hands the docker
// provider for a service (infra.BuildInputs: its buildContext,
// dockerfile, buildTarget, buildArgs and the platform of its
// architecture), and the local tag.
type Build struct {
	Inputs infra.BuildInputs
	Tag    string
	// Services are the services that run this image (several may share
	// one build context, with different commands).
	Services []string
}

// key is what makes two builds the same image.
func (b Build) key() string {
	in := b.Inputs
	var args []string
	for _, k := range slices.Sorted(maps.Keys(in.Args)) {
		args = append(args, k+"="+in.Args[k])
	}
	return strings.Join([]string{in.Context, in.Dockerfile, in.Platform, in.Target, strings.Join(args, "\x00")}, "\x01")
}

// BuildInputs are a service's build inputs exactly as the program makes
// them (infra/appservice.go buildOf): paths relative to projectRoot.
func BuildInputs(projectRoot string, c *infra.Config) infra.BuildInputs {
	return infra.BuildInputs{
		Root:       projectRoot,
		Context:    c.BuildContext,
		Dockerfile: c.Dockerfile,
		Platform:   infra.Platform(c.Architecture),
		Target:     c.BuildTarget,
		Args:       c.BuildArgs,
	}
}

// BuildArgs is the `docker buildx build` command line of in, through the
// engine's own builder (the docker driver, which sees the engine's images
// and loads the result into them), then extra (--load --tag ..., or an
// --output), then the context.
func BuildArgs(in infra.BuildInputs, extra ...string) []string {
	args := []string{"buildx", "build", "--builder", "default", "--platform", in.Platform, "--progress", "plain",
		"--provenance=false", "--file", filepath.Join(in.Root, filepath.FromSlash(in.Dockerfile))}
	if in.Target != "" {
		args = append(args, "--target", in.Target)
	}
	for _, k := range slices.Sorted(maps.Keys(in.Args)) {
		args = append(args, "--build-arg", k+"="+in.Args[k])
	}
	args = append(args, extra...)
	return append(args, filepath.Join(in.Root, filepath.FromSlash(in.Context)))
}

// BuildResult is what a build did.
type BuildResult struct {
	Took time.Duration
	// Steps counts the Dockerfile's steps BuildKit ran or took from its
	// cache (FROM lines excepted); Cached those it took from the cache.
	Steps, Cached int
}

func (r BuildResult) String() string {
	return fmt.Sprintf("%s, %d of %d steps from the build cache", r.Took.Round(100*time.Millisecond), r.Cached, r.Steps)
}

// stepRE is a Dockerfile step in BuildKit's plain progress output
// ("#8 [build 3/4] COPY go.mod *.go ./"), cachedRE its cache hit ("#8
// CACHED").
var (
	stepRE   = regexp.MustCompile(`^#(\d+) \[[^\]]* \d+/\d+\] (\S+)`)
	cachedRE = regexp.MustCompile(`^#(\d+) CACHED$`)
)

// CountSteps reads BuildKit's plain progress output.
func CountSteps(output string) (steps, cached int) {
	seen, hit := map[string]bool{}, map[string]bool{}
	for _, l := range strings.Split(output, "\n") {
		if m := stepRE.FindStringSubmatch(l); m != nil && m[2] != "FROM" {
			seen[m[1]] = true
		}
		if m := cachedRE.FindStringSubmatch(l); m != nil {
			hit[m[1]] = true
		}
	}
	for id := range seen {
		if hit[id] {
			cached++
		}
	}
	return len(seen), cached
}

// RunBuild builds b with BuildKit and loads it into the engine as b.Tag,
// writing the build's output to out line by line.
func RunBuild(ctx context.Context, b Build, out io.Writer) (BuildResult, error) {
	start := time.Now()
	cmd := exec.CommandContext(ctx, "docker", BuildArgs(b.Inputs, "--load", "--tag", b.Tag)...)
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	var all strings.Builder
	done := make(chan struct{})
	go func() {
		defer close(done)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 64*1024), 1024*1024)
		for sc.Scan() {
			all.WriteString(sc.Text() + "\n")
			_, _ = fmt.Fprintln(out, sc.Text())
		}
		_, _ = io.Copy(io.Discard, pr)
	}()
	err := cmd.Run()
	_ = pw.Close()
	<-done
	res := BuildResult{Took: time.Since(start)}
	res.Steps, res.Cached = CountSteps(all.String())
	if err != nil && ctx.Err() != nil {
		return res, fmt.Errorf("build %s: interrupted", b.Tag)
	}
	if err != nil {
		return res, fmt.Errorf("build %s (context %s, Dockerfile %s, platform %s) failed: %w\n%s",
			b.Tag, b.Inputs.Context, b.Inputs.Dockerfile, b.Inputs.Platform, err, Tail(all.String(), 20))
	}
	return res, nil
}
