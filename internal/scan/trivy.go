package scan

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
)

// TrivyVersion is the Trivy release the scan is pinned to: the embedded
// checks, and the parsing quirks the exporter works around, are this
// version's.
const TrivyVersion = "0.74.0"

// TrivyInstall is how to get that version (also what .ci/run runs).
const TrivyInstall = `GOEXPERIMENT=jsonv2 go install -ldflags "-X github.com/aquasecurity/trivy/pkg/version/app.ver=` + TrivyVersion +
	`" github.com/aquasecurity/trivy/cmd/trivy@v` + TrivyVersion

// ChecksDir holds the project's own Rego checks (FS-NNNN), relative to the
// root; Trivy runs them next to its embedded ones.
const ChecksDir = "security/checks"

// Trivy runs the trivy binary.
type Trivy struct {
	// Bin is the trivy executable.
	Bin string
	// Checks is the directory of extra Rego checks ("" for none).
	Checks string
}

// FindTrivy returns the trivy executable: on PATH, else in
// $(go env GOPATH)/bin, where `go install` (and .ci/run) put it.
func FindTrivy() (string, error) {
	if bin, err := exec.LookPath("trivy"); err == nil {
		return bin, nil
	}
	if gopath, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		bin := filepath.Join(strings.TrimSpace(string(gopath)), "bin", "trivy")
		if _, err := os.Stat(bin); err == nil {
			return bin, nil
		}
	}
	return "", errors.New("trivy is not installed (not on PATH nor in $(go env GOPATH)/bin)")
}

var trivyVersionRe = regexp.MustCompile(`(?m)^Version:\s*v?(\S+)`)

// Version is the version trivy reports ("dev" for a build without the
// release's ldflags).
func (t Trivy) Version(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, t.Bin, "--version").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("%s --version: %w: %s", t.Bin, err, strings.TrimSpace(string(out)))
	}
	m := trivyVersionRe.FindSubmatch(out)
	if m == nil {
		return "", fmt.Errorf("%s --version printed no version: %s", t.Bin, strings.TrimSpace(string(out)))
	}
	return string(m[1]), nil
}

// trivyReport is the part of `trivy config --format json` the scan reads.
type trivyReport struct {
	Results []struct {
		Target            string `json:"Target"`
		Type              string `json:"Type"`
		MisconfSummary    *struct{ Successes, Failures int }
		Misconfigurations []struct {
			ID            string `json:"ID"`
			Title         string `json:"Title"`
			Message       string `json:"Message"`
			Severity      string `json:"Severity"`
			Status        string `json:"Status"`
			CauseMetadata struct {
				Resource string `json:"Resource"`
			} `json:"CauseMetadata"`
		} `json:"Misconfigurations"`
	} `json:"Results"`
}

// Issue is one failed check on one resource.
type Issue struct {
	ID       string
	Severity string
	Title    string
	Message  string
	// Resource is the Terraform address (or the Dockerfile's path).
	Resource string
	// Accepted is the entry of security/accepted.yaml that accepts it.
	Accepted *Finding
}

// Outcome is what Trivy found in one file.
type Outcome struct {
	// Checks are the ids of the checks Trivy ran on it; Passed those
	// without a finding.
	Checks, Passed []string
	// Issues are the failed checks, one per resource.
	Issues []Issue
}

// Scan runs `trivy config` on one file with one misconfiguration scanner
// (terraformplan-json or dockerfile) and returns its checks and findings.
// Trivy reading nothing from the file is an error, never an empty pass.
func (t Trivy) Scan(ctx context.Context, path, scanner, resourceIfNone string) (*Outcome, error) {
	args := []string{"config", "--quiet", "--skip-check-update", "--skip-version-check", "--disable-telemetry",
		"--format", "json", "--include-non-failures", "--misconfig-scanners", scanner}
	if t.Checks != "" {
		args = append(args, "--config-check", t.Checks, "--check-namespaces", "user")
	}
	args = append(args, path)
	cmd := exec.CommandContext(ctx, t.Bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("trivy config %s: %w: %s", path, err, strings.TrimSpace(stderr.String()))
	}
	var rep trivyReport
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		return nil, fmt.Errorf("trivy config %s: unreadable JSON report: %w", path, err)
	}
	out := &Outcome{}
	passed, failed := map[string]bool{}, map[string]bool{}
	for _, r := range rep.Results {
		for _, m := range r.Misconfigurations {
			switch m.Status {
			case "PASS":
				passed[m.ID] = true
			case "FAIL":
				failed[m.ID] = true
				res := m.CauseMetadata.Resource
				if res == "" {
					res = resourceIfNone
				}
				out.Issues = append(out.Issues, Issue{ID: m.ID, Severity: m.Severity, Title: m.Title, Message: m.Message, Resource: res})
			}
		}
	}
	if len(passed)+len(failed) == 0 {
		return nil, errors.New("trivy config " + path + ": Trivy ran no check on it (not read as " + scanner + "?): " + strings.TrimSpace(stderr.String()))
	}
	for id := range passed {
		if failed[id] {
			delete(passed, id) // a check that failed on one resource failed
		}
	}
	for id := range passed {
		out.Passed = append(out.Passed, id)
		out.Checks = append(out.Checks, id)
	}
	for id := range failed {
		out.Checks = append(out.Checks, id)
	}
	sort.Strings(out.Passed)
	sort.Strings(out.Checks)
	sort.Slice(out.Issues, func(i, j int) bool {
		if out.Issues[i].ID != out.Issues[j].ID {
			return out.Issues[i].ID < out.Issues[j].ID
		}
		return out.Issues[i].Resource < out.Issues[j].Resource
	})
	return out, nil
}
