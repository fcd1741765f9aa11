package scan

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// AcceptedFile is where the accepted findings live, relative to the root.
const AcceptedFile = "security/accepted.yaml"

// Accepted is security/accepted.yaml: the findings the scanners raise on the
// shipped stacks that are choices, each with why.
type Accepted struct {
	Findings []Finding `yaml:"findings"`
}

// Finding is one accepted finding.
type Finding struct {
	// Trivy is the Trivy check id (AWS-0089, DS-0026, FS-0001), or empty
	// for a finding Trivy has no check for (then Checkov or SecurityHub
	// names it, and the scan cannot rerun it).
	Trivy string `yaml:"trivy"`
	// Title says what is found, in a few words.
	Title string `yaml:"title"`
	// Checkov and SecurityHub are the same finding's ids in those tools,
	// where they exist.
	Checkov     []string `yaml:"checkov"`
	SecurityHub []string `yaml:"securityHub"`
	// Why it is accepted.
	Why string `yaml:"why"`
	// Fix is the configuration that removes it, or why there is none.
	Fix string `yaml:"fix"`
	// Resources, when set, limits the acceptance to these Terraform
	// addresses (of the exported plans; a Dockerfile's path for DS
	// checks), each with why that resource may have it.
	Resources map[string]string `yaml:"resources"`
	// FixedBy, when set, are the stack keys (of the project's namespace)
	// of Fix: a test scans the prod stack with them and the finding must
	// be gone.
	FixedBy map[string]string `yaml:"fixedBy"`
}

var (
	trivyIDRe   = regexp.MustCompile(`^(AWS|DS|FS)-\d{4}$`)
	checkovIDRe = regexp.MustCompile(`^CKV2?_[A-Z]+_\d+$`)
	hubIDRe     = regexp.MustCompile(`^[A-Za-z0-9]+\.\d+$`)
)

// LoadAccepted reads and checks the accepted findings file.
func LoadAccepted(path string) (*Accepted, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return ParseAccepted(raw, path)
}

// ParseAccepted decodes the accepted findings (unknown keys are errors) and
// checks each entry: a known id format, a title and a reason, no id twice.
func ParseAccepted(raw []byte, name string) (*Accepted, error) {
	var a Accepted
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&a); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(a.Findings) == 0 {
		return nil, fmt.Errorf("%s: no findings", name)
	}
	var errs []error
	seen := map[string]bool{}
	for i, f := range a.Findings {
		where := fmt.Sprintf("%s: finding %d (%s)", name, i+1, f.ID())
		switch {
		case f.Trivy != "" && !trivyIDRe.MatchString(f.Trivy):
			errs = append(errs, fmt.Errorf("%s: trivy id %q is not AWS-NNNN, DS-NNNN or FS-NNNN", where, f.Trivy))
		case f.Trivy == "" && len(f.Checkov)+len(f.SecurityHub) == 0:
			errs = append(errs, fmt.Errorf("%s: no id (trivy, checkov or securityHub)", where))
		}
		for _, id := range f.Checkov {
			if !checkovIDRe.MatchString(id) {
				errs = append(errs, fmt.Errorf("%s: checkov id %q is not CKV_X_N or CKV2_X_N", where, id))
			}
		}
		for _, id := range f.SecurityHub {
			if !hubIDRe.MatchString(id) {
				errs = append(errs, fmt.Errorf("%s: Security Hub id %q is not Service.N", where, id))
			}
		}
		if strings.TrimSpace(f.Title) == "" || strings.TrimSpace(f.Why) == "" || strings.TrimSpace(f.Fix) == "" {
			errs = append(errs, fmt.Errorf("%s: title, why and fix are required", where))
		}
		for addr, why := range f.Resources {
			if strings.TrimSpace(why) == "" {
				errs = append(errs, fmt.Errorf("%s: resource %s has no reason", where, addr))
			}
		}
		if len(f.FixedBy) > 0 && f.Trivy == "" {
			errs = append(errs, fmt.Errorf("%s: fixedBy needs a trivy id (the test scans for it)", where))
		}
		for k := range f.FixedBy {
			if k == "" || strings.Contains(k, ":") {
				errs = append(errs, fmt.Errorf("%s: fixedBy key %q is not a key of the project's namespace (no prefix)", where, k))
			}
		}
		if f.Trivy != "" {
			if seen[f.Trivy] {
				errs = append(errs, fmt.Errorf("%s: %s is listed twice (one entry per id; list resources under it)", where, f.Trivy))
			}
			seen[f.Trivy] = true
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return &a, nil
}

// ID is the finding's first id: its Trivy id, else its Checkov or
// Security Hub id.
func (f Finding) ID() string {
	switch {
	case f.Trivy != "":
		return f.Trivy
	case len(f.Checkov) > 0:
		return f.Checkov[0]
	case len(f.SecurityHub) > 0:
		return f.SecurityHub[0]
	}
	return "?"
}

// Match returns the accepted entry for a Trivy finding on a resource, if
// any.
func (a *Accepted) Match(id, resource string) (*Finding, bool) {
	for i := range a.Findings {
		f := &a.Findings[i]
		if f.Trivy != id {
			continue
		}
		if len(f.Resources) == 0 {
			return f, true
		}
		if _, ok := f.Resources[resource]; ok {
			return f, true
		}
	}
	return nil, false
}

// TrivyIDs are the Trivy ids of the accepted list, sorted.
func (a *Accepted) TrivyIDs() []string {
	var out []string
	for _, f := range a.Findings {
		if f.Trivy != "" {
			out = append(out, f.Trivy)
		}
	}
	sort.Strings(out)
	return out
}
