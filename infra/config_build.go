package infra

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/distribution/reference"
)

// DefaultHealthCheckCommand is the sample app's container health check.
var DefaultHealthCheckCommand = []string{"/server", "healthcheck"}

// ECRImage is an image in a private ECR repository.
type ECRImage struct {
	Account, Region, Repository string
}

var (
	// ACCOUNT.dkr.ecr.REGION.amazonaws.com[.cn]/REPOSITORY (ECR user guide,
	// "Private registry concepts").
	ecrImageRE = regexp.MustCompile(`^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?/(.+)$`)
	// Build arg names, as Dockerfile ARG names.
	buildArgRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	// ALB health check path: starts with /, at most 1024 printable
	// characters without spaces (ELB API, TargetGroup HealthCheckPath).
	healthPathRE = regexp.MustCompile(`^/[\x21-\x7e]*$`)
)

// build reads what the image is: built from buildContext with dockerfile,
// buildTarget and buildArgs, or the prebuilt image; and how the container
// runs: command, healthCheckCommand, healthCheckPath.
func (r *configReader) build(c *Config) {
	root := r.ctx.RootDirectory()
	c.BuildContext = r.str("buildContext", AppDir)
	c.Dockerfile = r.str("dockerfile", "")
	c.BuildTarget = r.str("buildTarget", "")
	c.BuildArgs = r.stringMapNamed("buildArgs", buildArgRE, "build arg names ([A-Za-z_][A-Za-z0-9_]*)")
	c.Image = r.str("image", "")

	if c.Image != "" {
		r.prebuiltImage(c)
		for _, k := range []struct {
			key string
			set bool
		}{
			{"buildContext", c.BuildContext != AppDir}, {"dockerfile", c.Dockerfile != ""},
			{"buildTarget", c.BuildTarget != ""}, {"buildArgs", len(c.BuildArgs) > 0},
		} {
			if k.set {
				r.failCombo(fmt.Sprintf("config keys %q and %q: a prebuilt image is not built; remove %s or the image",
					r.key("image"), r.key(k.key), k.key))
			}
		}
	} else {
		contextOK := false
		if dir, ok := r.insideProject("buildContext", root, c.BuildContext); ok {
			if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
				r.fail("buildContext", c.BuildContext, "must be an existing folder of the project (relative to Pulumi.yaml)")
			} else {
				contextOK = true
			}
		}
		// The key the user set is the one blamed: without dockerfile, the
		// Dockerfile is buildContext's.
		dockerfile, key := c.Dockerfile, "dockerfile"
		if dockerfile == "" {
			dockerfile, key = filepath.Join(c.BuildContext, "Dockerfile"), "buildContext"
		}
		if key == "dockerfile" || contextOK {
			if file, ok := r.insideProject(key, root, dockerfile); ok {
				if fi, err := os.Stat(file); err != nil || fi.IsDir() {
					if key == "dockerfile" {
						r.fail("dockerfile", dockerfile, "must be an existing file of the project (empty means BUILD_CONTEXT/Dockerfile)")
					} else {
						r.fail("buildContext", c.BuildContext, fmt.Sprintf("the folder has no Dockerfile (%s): add one, or set %s to the Dockerfile's path",
							filepath.ToSlash(dockerfile), r.key("dockerfile")))
					}
				}
			}
		}
		c.Dockerfile = filepath.ToSlash(filepath.Clean(dockerfile))
		c.BuildContext = filepath.ToSlash(filepath.Clean(c.BuildContext))
	}

	c.Command = r.stringArray("command", nil)
	c.HealthCheckCommand = r.stringArray("healthCheckCommand", DefaultHealthCheckCommand)
	for _, list := range []struct {
		key string
		v   []string
	}{{"command", c.Command}, {"healthCheckCommand", c.HealthCheckCommand}} {
		if slices.Contains(list.v, "") {
			r.fail(list.key, fmt.Sprint(list.v), "entries must not be empty strings")
		}
	}
	c.HealthCheckPath = r.str("healthCheckPath", HealthCheckPath)
	if !healthPathRE.MatchString(c.HealthCheckPath) || len(c.HealthCheckPath) > 1024 {
		r.fail("healthCheckPath", c.HealthCheckPath, "must be an absolute URL path such as /healthz (no spaces, at most 1024 characters)")
	}
}

// insideProject resolves a project-relative path and checks that it stays
// inside the project, symlinks included: the docker provider sends what
// it names, and a context outside the project would differ per checkout.
func (r *configReader) insideProject(k, root, rel string) (string, bool) {
	if !filepath.IsLocal(rel) {
		r.fail(k, rel, "must be a relative path inside the project (no leading /, no ..)")
		return "", false
	}
	abs := filepath.Join(root, rel)
	resolved, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return abs, true // missing: the caller says so
	}
	rootResolved, err := filepath.EvalSymlinks(root)
	if err != nil {
		rootResolved = root
	}
	if in, err := filepath.Rel(rootResolved, resolved); err != nil || !filepath.IsLocal(in) {
		r.fail(k, rel, "must stay inside the project: it resolves (through a symlink) to "+resolved)
		return "", false
	}
	return abs, true
}

// prebuiltImage checks that image is a pinned reference and notes an ECR
// repository, whose pull permission the execution role then gets.
func (r *configReader) prebuiltImage(c *Config) {
	ref, err := reference.ParseNormalizedNamed(c.Image)
	if err != nil {
		r.fail("image", c.Image, "must be an image reference such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/api:1.4.2 or ghcr.io/acme/api@sha256:<64 hex>: "+err.Error())
		return
	}
	_, digested := ref.(reference.Digested)
	tagged, hasTag := ref.(reference.Tagged)
	switch {
	case digested:
	case !hasTag:
		r.fail("image", c.Image, "must be pinned: add a tag other than latest, or @sha256:<digest> (an untagged reference means latest, which can change under a running service)")
		return
	case tagged.Tag() == "latest":
		r.fail("image", c.Image, "must be pinned: latest can change under a running service; use a version tag or @sha256:<digest>")
		return
	}
	if m := ecrImageRE.FindStringSubmatch(reference.TrimNamed(ref).String()); m != nil {
		c.ImageECR = &ECRImage{Account: m[1], Region: m[2], Repository: m[4]}
	}
}

// stringArray reads an array of strings.
func (r *configReader) stringArray(k string, def []string) []string {
	s, ok := r.raw(k)
	if !ok || strings.TrimSpace(s) == "" {
		return def
	}
	var out []string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		r.fail(k, s, "must be a list of strings, e.g. [\"/server\", \"healthcheck\"]")
		return def
	}
	if out == nil {
		out = []string{}
	}
	return out
}

// stringMapNamed reads an object of string values whose names match re.
func (r *configReader) stringMapNamed(k string, re *regexp.Regexp, what string) map[string]string {
	s, ok := r.raw(k)
	if !ok || strings.TrimSpace(s) == "" {
		return map[string]string{}
	}
	var out map[string]string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		r.fail(k, s, "must be an object of NAME: \"value\" strings")
		return map[string]string{}
	}
	for name := range out {
		if !re.MatchString(name) {
			r.fail(k, name, "names must be "+what)
		}
	}
	return out
}
