package scan

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/fargateship/fargateship/internal/stackconfig"
	"github.com/fargateship/fargateship/internal/tfplan"
)

// Options of a scan.
type Options struct {
	// Root is the project directory (where Pulumi.yaml is).
	Root string
	// Out is where the plans are written.
	Out string
	// Trivy runs the scanner.
	Trivy Trivy
	// Only, when set, limits the scan to these targets (stack labels or
	// Dockerfile paths); the stale check of the accepted list is then off.
	Only []string
	// Jobs is how many Trivy processes run at once.
	Jobs int
	// Extra are stacks scanned besides the shipped ones (tests plant
	// known-bad resources this way).
	Extra []Extra
}

// Extra is a target made by the caller: resources to export and scan.
type Extra struct {
	Label     string
	Resources []tfplan.Resource
}

// Target is one scanned file.
type Target struct {
	// Label names it: a stack label or a Dockerfile's path.
	Label string
	// Kind is "plan" or "dockerfile".
	Kind string
	// Path is the file Trivy read.
	Path string
	// Plan is the exported plan (plans only).
	Plan *tfplan.Plan
	// Export is how long evaluating and writing the plan took.
	Export time.Duration
	// Scan is how long Trivy took.
	Scan time.Duration
	// Outcome is what Trivy found.
	Outcome *Outcome
}

// Accepted and Failed split the target's issues.
func (t *Target) Accepted() []Issue { return t.issues(true) }

// Failed are the issues no entry of the accepted list covers.
func (t *Target) Failed() []Issue { return t.issues(false) }

func (t *Target) issues(accepted bool) []Issue {
	var out []Issue
	if t.Outcome == nil {
		return nil
	}
	for _, i := range t.Outcome.Issues {
		if (i.Accepted != nil) == accepted {
			out = append(out, i)
		}
	}
	return out
}

// Report is a whole scan.
type Report struct {
	TrivyVersion string
	Targets      []*Target
	// Stale are entries of the accepted list that no target raised (only
	// checked on a full scan).
	Stale []string
	// Elapsed is the wall time of the scan.
	Elapsed time.Duration
}

// Failed counts the issues not accepted.
func (r *Report) Failed() int {
	n := 0
	for _, t := range r.Targets {
		n += len(t.Failed())
	}
	return n
}

// OK is true when nothing failed and nothing accepted is stale.
func (r *Report) OK() bool { return r.Failed() == 0 && len(r.Stale) == 0 }

// Run evaluates the stacks, writes their plans, scans them and the
// Dockerfiles with Trivy, and compares with the accepted list.
func Run(ctx context.Context, opts Options, accepted *Accepted) (*Report, error) {
	start := time.Now()
	if opts.Jobs < 1 {
		opts.Jobs = 1
	}
	version, err := opts.Trivy.Version(ctx)
	if err != nil {
		return nil, err
	}
	if version != TrivyVersion {
		return nil, fmt.Errorf("%s reports version %s; the scan needs Trivy %s (its embedded checks and parser are what the accepted list and the exporter are written for): %s",
			opts.Trivy.Bin, version, TrivyVersion, TrivyInstall)
	}
	if err := os.MkdirAll(opts.Out, 0o755); err != nil {
		return nil, err
	}
	proj, err := stackconfig.LoadProject(filepath.Join(opts.Root, "Pulumi.yaml"))
	if err != nil {
		return nil, err
	}
	want := func(label string) bool {
		if len(opts.Only) == 0 {
			return true
		}
		for _, o := range opts.Only {
			if o == label {
				return true
			}
		}
		return false
	}
	stacks, err := Shipped(opts.Root)
	if err != nil {
		return nil, err
	}
	var targets []*Target
	for _, s := range stacks {
		if !want(s.Label) {
			continue
		}
		t0 := time.Now()
		rs, err := Evaluate(opts.Root, proj.Name.String(), s)
		if err != nil {
			return nil, fmt.Errorf("%s (%s): the program failed: %w", s.Label, strings.Join(s.Files, " + "), err)
		}
		t, err := writePlan(opts.Out, s.Label, rs)
		if err != nil {
			return nil, err
		}
		t.Export = time.Since(t0)
		targets = append(targets, t)
	}
	for _, e := range opts.Extra {
		t0 := time.Now()
		t, err := writePlan(opts.Out, e.Label, e.Resources)
		if err != nil {
			return nil, err
		}
		t.Export = time.Since(t0)
		targets = append(targets, t)
	}
	dockerfiles, err := Dockerfiles(opts.Root)
	if err != nil {
		return nil, err
	}
	for _, d := range dockerfiles {
		if want(d) {
			targets = append(targets, &Target{Label: d, Kind: "dockerfile", Path: filepath.Join(opts.Root, d)})
		}
	}
	if len(targets) == 0 {
		return nil, fmt.Errorf("nothing to scan: no target is named %s (targets: the stack labels and Dockerfile paths the full scan prints)", strings.Join(opts.Only, ", "))
	}

	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		sem  = make(chan struct{}, opts.Jobs)
	)
	for _, t := range targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			scanner, none := "terraformplan-json", ""
			if t.Kind == "dockerfile" {
				scanner, none = "dockerfile", t.Label
			}
			t0 := time.Now()
			o, err := opts.Trivy.Scan(ctx, t.Path, scanner, none)
			t.Scan = time.Since(t0)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", t.Label, err))
				return
			}
			t.Outcome = o
		}()
	}
	wg.Wait()
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}

	used := map[string]map[string]bool{} // accepted id → resources matched
	for _, t := range targets {
		for i := range t.Outcome.Issues {
			is := &t.Outcome.Issues[i]
			if f, ok := accepted.Match(is.ID, is.Resource); ok {
				is.Accepted = f
				if used[f.Trivy] == nil {
					used[f.Trivy] = map[string]bool{}
				}
				used[f.Trivy][is.Resource] = true
			}
		}
	}
	rep := &Report{TrivyVersion: version, Targets: targets}
	if len(opts.Only) == 0 {
		rep.Stale = stale(accepted, used)
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// stale lists the accepted entries (and resources of entries) that no
// finding matched.
func stale(a *Accepted, used map[string]map[string]bool) []string {
	var out []string
	for _, f := range a.Findings {
		if f.Trivy == "" {
			continue
		}
		if len(used[f.Trivy]) == 0 {
			out = append(out, fmt.Sprintf("%s (%s): no scanned stack or Dockerfile raises it", f.Trivy, f.Title))
			continue
		}
		for addr := range f.Resources {
			if !used[f.Trivy][addr] {
				out = append(out, fmt.Sprintf("%s on %s: not raised on that resource", f.Trivy, addr))
			}
		}
	}
	sort.Strings(out)
	return out
}

// writePlan exports resources as a plan file under dir.
func writePlan(dir, label string, rs []tfplan.Resource) (*Target, error) {
	p, err := tfplan.Export(rs)
	if err != nil {
		return nil, fmt.Errorf("%s: export: %w", label, err)
	}
	b, err := p.JSON()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, fileName(label)+".tfplan.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		return nil, err
	}
	return &Target{Label: label, Kind: "plan", Path: path, Plan: p}, nil
}

// fileName turns a label (dev+examples/api) into a file name.
func fileName(label string) string {
	return strings.NewReplacer("/", "_", "+", "__", " ", "_").Replace(label)
}

// Dockerfiles are the Dockerfiles the project ships, relative to root: the
// app's and each example's.
func Dockerfiles(root string) ([]string, error) {
	var out []string
	for _, pattern := range []string{"app/Dockerfile", "examples/*/Dockerfile"} {
		m, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			return nil, err
		}
		for _, f := range m {
			rel, err := filepath.Rel(root, f)
			if err != nil {
				return nil, err
			}
			out = append(out, filepath.ToSlash(rel))
		}
	}
	sort.Strings(out)
	return out, nil
}
