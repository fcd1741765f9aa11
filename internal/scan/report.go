package scan

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/fargateship/fargateship/internal/tfplan"
)

// Totals of a target's row.
type row struct {
	label, resources                 string
	checks, passed, accepted, failed int
	export, scan                     time.Duration
}

func rowOf(t *Target) row {
	r := row{label: t.Label, resources: "-", export: t.Export, scan: t.Scan}
	if t.Plan != nil {
		r.resources = fmt.Sprint(len(t.Plan.ResourceChanges))
	}
	if t.Outcome != nil {
		r.checks, r.passed = len(t.Outcome.Checks), len(t.Outcome.Passed)
		r.accepted, r.failed = len(t.Accepted()), len(t.Failed())
	}
	return r
}

func seconds(d time.Duration) string {
	switch {
	case d == 0:
		return "-"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return fmt.Sprintf("%.1fs", d.Seconds())
}

// PrintText writes the scan's result for a terminal: one line per target
// (checks run, passed, findings accepted and failed, time), the accepted
// findings by id, each new finding with its rule and resource, what is
// stale in the accepted list, and the mapping's approximations.
func (r *Report) PrintText(w io.Writer, verbose bool) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	_, _ = fmt.Fprintln(tw, "target\tresources\tchecks\tpassed\taccepted\tfailed\texport\ttrivy\t")
	var tot row
	for _, t := range r.Targets {
		x := rowOf(t)
		_, _ = fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%s\t\n", x.label, x.resources, x.checks, x.passed, x.accepted, x.failed, seconds(x.export), seconds(x.scan))
		tot.accepted += x.accepted
		tot.failed += x.failed
	}
	_ = tw.Flush()
	_, _ = fmt.Fprintf(w, "(checks: Trivy %s checks run on the file, embedded and %s; passed: checks with no finding; accepted/failed: findings, one per check and resource)\n",
		r.TrivyVersion, ChecksDir)

	byID := map[string]int{}
	for _, t := range r.Targets {
		for _, i := range t.Accepted() {
			byID[i.ID]++
		}
	}
	if len(byID) > 0 {
		ids := make([]string, 0, len(byID))
		for id := range byID {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		parts := make([]string, len(ids))
		for i, id := range ids {
			parts[i] = fmt.Sprintf("%s×%d", id, byID[id])
		}
		_, _ = fmt.Fprintf(w, "\naccepted (%s, docs/security.md): %s\n", AcceptedFile, strings.Join(parts, " "))
	}
	for _, t := range r.Targets {
		for _, i := range t.Failed() {
			_, _ = fmt.Fprintf(w, "FAIL %s: %s %s on %s: %s (%s)\n", t.Label, i.ID, i.Severity, i.Resource, i.Title, i.Message)
		}
	}
	for _, s := range r.Stale {
		_, _ = fmt.Fprintf(w, "STALE %s: accepted in %s but not found; remove it (or scan everything)\n", s, AcceptedFile)
	}
	notes := r.notes()
	if len(notes) > 0 {
		_, _ = fmt.Fprintf(w, "\napproximate mapping (docs/security.md): %d notes over %d plans", len(notes), len(r.plans()))
		if !verbose {
			kinds := map[string]int{}
			for _, n := range notes {
				kinds[n.Kind]++
			}
			var ks []string
			for k, n := range kinds {
				ks = append(ks, fmt.Sprintf("%s: %d", k, n))
			}
			sort.Strings(ks)
			_, _ = fmt.Fprintf(w, " (%s; -v lists them)\n", strings.Join(ks, ", "))
		} else {
			_, _ = fmt.Fprintln(w)
			for _, n := range notes {
				_, _ = fmt.Fprintf(w, "  %s [%s] %s\n", n.Address, n.Kind, n.Detail)
			}
		}
		for _, n := range notes {
			if n.Kind == tfplan.NoteGenericType {
				_, _ = fmt.Fprintf(w, "NOTE %s: %s\n", n.Address, n.Detail)
			}
		}
	}
	_, _ = fmt.Fprintln(w)
	switch {
	case r.OK():
		_, _ = fmt.Fprintf(w, "ok: %d targets scanned in %s; %d findings, all accepted\n", len(r.Targets), seconds(r.Elapsed), tot.accepted)
	default:
		_, _ = fmt.Fprintf(w, "FAILED: %d new findings, %d stale acceptances (%d targets, %s); fix them, or accept them with a reason in %s\n",
			tot.failed, len(r.Stale), len(r.Targets), seconds(r.Elapsed), AcceptedFile)
	}
}

func (r *Report) plans() []*Target {
	var out []*Target
	for _, t := range r.Targets {
		if t.Plan != nil {
			out = append(out, t)
		}
	}
	return out
}

// notes are the plans' notes, each once (by address, kind and detail).
func (r *Report) notes() []tfplan.Note {
	seen := map[tfplan.Note]bool{}
	var out []tfplan.Note
	for _, t := range r.plans() {
		for _, n := range t.Plan.Notes {
			if !seen[n] {
				seen[n] = true
				out = append(out, n)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Address != out[j].Address {
			return out[i].Address < out[j].Address
		}
		return out[i].Kind < out[j].Kind
	})
	return out
}

// The first line of the Markdown report, for scripts.
const (
	MarkdownOK          = "<!-- scan: ok -->"
	MarkdownNewFindings = "<!-- scan: new-findings -->"
)

// Markdown is the scan's result for a pull-request comment: the new
// findings, if any, then the per-target numbers.
func (r *Report) Markdown() string {
	var b strings.Builder
	// The first line says the outcome to scripts (scripts/pr-comment.sh).
	if r.OK() {
		b.WriteString(MarkdownOK + "\n")
	} else {
		b.WriteString(MarkdownNewFindings + "\n")
	}
	b.WriteString("### Security scan (`make scan`, Trivy " + r.TrivyVersion + ")\n\n")
	if r.OK() {
		n := 0
		for _, t := range r.Targets {
			n += len(t.Accepted())
		}
		fmt.Fprintf(&b, "No new findings: %d targets scanned, %d findings, all accepted in [docs/security.md](docs/security.md).\n", len(r.Targets), n)
	} else {
		if r.Failed() > 0 {
			b.WriteString("**New findings** (not in `" + AcceptedFile + "`): fix them, or accept them there with a reason.\n\n")
			b.WriteString("| stack or file | rule | severity | resource | finding |\n|---|---|---|---|---|\n")
			for _, t := range r.Targets {
				for _, i := range t.Failed() {
					fmt.Fprintf(&b, "| %s | %s | %s | `%s` | %s |\n", mdCell(t.Label), i.ID, i.Severity, mdCell(i.Resource), mdCell(i.Title+": "+i.Message))
				}
			}
			b.WriteString("\n")
		}
		if len(r.Stale) > 0 {
			b.WriteString("**Stale acceptances** (in `" + AcceptedFile + "`, no longer found):\n\n")
			for _, s := range r.Stale {
				b.WriteString("- " + mdCell(s) + "\n")
			}
			b.WriteString("\n")
		}
	}
	b.WriteString("\n<details><summary>Checks per target</summary>\n\n")
	b.WriteString(r.table())
	b.WriteString("\n</details>\n")
	return b.String()
}

// table is the per-target numbers as a Markdown table.
func (r *Report) table() string {
	var b strings.Builder
	b.WriteString("| target | resources | checks run | passed | accepted | failed | export | Trivy |\n|---|--:|--:|--:|--:|--:|--:|--:|\n")
	for _, t := range r.Targets {
		x := rowOf(t)
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d | %d | %s | %s |\n", mdCell(x.label), x.resources, x.checks, x.passed, x.accepted, x.failed, seconds(x.export), seconds(x.scan))
	}
	return b.String()
}

func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", " ")
}
