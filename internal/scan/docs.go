package scan

import (
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/fargateship/fargateship/internal/tfplan"
)

// DocFile is the generated page, relative to the root.
const DocFile = "docs/security.md"

const (
	measuredBegin = "<!-- measured: written by the last `go run ./cmd/scan -write-docs`; the drift test keeps the rest -->"
	measuredEnd   = "<!-- end of measured -->"
)

// WriteDoc regenerates docs/security.md from the accepted list, with the
// numbers of the scan rep.
func WriteDoc(path string, a *Accepted, rep *Report) error {
	return os.WriteFile(path, []byte(RenderDoc(a, Measured(rep))), 0o644)
}

// Measured is the doc's section of measured numbers for a scan.
func Measured(rep *Report) string {
	var b strings.Builder
	load := ""
	if raw, err := os.ReadFile("/proc/loadavg"); err == nil {
		if f := strings.Fields(string(raw)); len(f) > 0 {
			load = ", load average " + f[0] + " (shared with other work: the times vary with it)"
		}
	}
	fmt.Fprintf(&b, "Measured on %s with Trivy %s (embedded checks of that release, plus `%s`), %d targets in %s on the project's 2-core machine, two Trivy processes at once%s.\n\n",
		time.Now().UTC().Format("2006-01-02"), rep.TrivyVersion, ChecksDir, len(rep.Targets), seconds(rep.Elapsed), load)
	b.WriteString(rep.table())
	b.WriteString("\n*checks run*: Trivy checks evaluated on the file (every provider's: most pass because the plan has no such resource); *passed*: checks with no finding; *accepted* / *failed*: findings (one per check and resource) in / not in the list below; *export*: evaluating the program under mocks and writing the plan; *Trivy*: the `trivy config` run.\n")
	return b.String()
}

// ExtractMeasured returns the measured section of a generated doc.
func ExtractMeasured(doc string) (string, error) {
	_, rest, ok := strings.Cut(doc, measuredBegin+"\n")
	if !ok {
		return "", errors.New("no measured section (regenerate: go run ./cmd/scan -write-docs)")
	}
	m, _, ok := strings.Cut(rest, measuredEnd)
	if !ok {
		return "", errors.New("measured section not closed")
	}
	return m, nil
}

func cell(s string) string {
	return mdCell(strings.TrimSpace(s))
}

// RenderDoc is docs/security.md: the accepted findings as tables, how to
// rerun the scan, the measured numbers, and where the mapping is
// approximate (from internal/tfplan's own tables).
func RenderDoc(a *Accepted, measured string) string {
	var b strings.Builder
	b.WriteString("<!-- Generated from " + AcceptedFile + " by `go run ./cmd/scan -write-docs`; edit that file, not this one. -->\n")
	b.WriteString(`# Security: scanners and accepted findings

What the program does by default: private ECR with immutable tags and scan on
push; KMS encryption everywhere the service offers it; non-root user
(65532), read-only root filesystem and all capabilities dropped (not with ECS
Exec); least-privilege execution and task roles with confused-deputy
conditions; secrets only through Secrets Manager; TLS 1.3 policy and
invalid-header dropping on the ALB; flow logs on a new VPC; access logs of
the load balancer in a private, encrypted bucket.

The findings that scanners still raise are choices, listed below with why
each is accepted and the configuration that removes it where one exists.
They come from one machine-readable file, ` + "[`" + AcceptedFile + "`](../" + AcceptedFile + ")" + `, from which this page is
generated (a test fails when they differ), and ` + "`make scan`" + ` reruns them.

## Rerun the scan: ` + "`make scan`" + `

Scanners read Terraform, not Go Pulumi programs; but every pulumi-aws
resource is a bridged Terraform resource. ` + "`make scan`" + ` evaluates the program
under mocks for every shipped stack file (` + "`Pulumi.dev.yaml`, `Pulumi.prod.yaml`, `presets/sandbox.yaml`" + `)
and for every ` + "`examples/*/stack.yaml`" + ` layered on each of them, writes
each as a Terraform plan in ` + "`terraform show -json`" + ` format
(` + "`internal/tfplan`" + `), and runs Aqua Trivy ` + TrivyVersion + `'s misconfiguration checks on
it offline (` + "`trivy config --skip-check-update`" + `, the checks embedded in that
release) together with the project's own checks in ` + "[`" + ChecksDir + "`](../" + ChecksDir + ")" + `; then on every
Dockerfile (` + "`app/`, `examples/*/`" + `). It fails on any finding that is not
accepted below, and on an acceptance that no longer matches a finding
(stale). It prints, per stack, the checks run and passed, the findings
accepted and failed, and the time; ` + "`-v`" + ` lists the mapping's approximations,
` + "`-out DIR`" + ` keeps the plans. It is part of ` + "`make test`" + `; pull requests run it and
the preview comment lists new findings.

Trivy: ` + "`" + TrivyInstall + "`" + ` (about 6 minutes; ` + "`bash .ci/run`" + `
installs it once). Without it, ` + "`make test`" + ` skips the scan with a warning, and
fails under ` + "`CI=true`" + `.

A finding the scan raises on a new resource is fixed, or accepted in
` + "`" + AcceptedFile + "`" + ` with its reason (per resource where only that resource
may have it), then this page is regenerated: ` + "`go run ./cmd/scan -write-docs`" + `.

## Accepted findings (rerun by ` + "`make scan`" + `)

`)
	b.WriteString("| finding | Trivy | Checkov | Security Hub | where | why accepted | config that removes it |\n|---|---|---|---|---|---|---|\n")
	for _, f := range a.Findings {
		if f.Trivy == "" {
			continue
		}
		where := "any resource"
		if len(f.Resources) > 0 {
			var parts []string
			for _, addr := range sortedKeys(f.Resources) {
				parts = append(parts, "`"+addr+"`: "+strings.TrimSpace(f.Resources[addr]))
			}
			where = strings.Join(parts, "; ")
		}
		fix := f.Fix
		if len(f.FixedBy) > 0 {
			fix += " (checked: the tests scan prod with " + strings.Join(sortedKeys(f.FixedBy), ", ") + " set, and the finding is gone)"
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", cell(f.Title), f.Trivy, strings.Join(f.Checkov, ", "), strings.Join(f.SecurityHub, ", "),
			cell(where), cell(f.Why), cell(fix))
	}
	b.WriteString(`
## From the rule catalogues only (not rerun)

Checkov (a Python tool; PyPI is not reachable from this project's machine)
and Security Hub (a service of a real account) were not run. These findings
come from their published rule catalogues; Trivy ` + TrivyVersion + ` has no check that
raises them on the shipped stacks.

`)
	b.WriteString("| finding | Checkov | Security Hub | why accepted | config that removes it |\n|---|---|---|---|---|\n")
	for _, f := range a.Findings {
		if f.Trivy != "" {
			continue
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", cell(f.Title), strings.Join(f.Checkov, ", "), strings.Join(f.SecurityHub, ", "), cell(f.Why), cell(f.Fix))
	}
	b.WriteString("\n## Measured\n\n" + measuredBegin + "\n" + measured + measuredEnd + "\n")
	b.WriteString(approximations())
	return b.String()
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// approximations documents the mapping from the exporter's own tables.
func approximations() string {
	var b strings.Builder
	b.WriteString(`
## How a plan is made, and where it is approximate

The mapping is generic (` + "`internal/tfplan`" + `): the type token gives the Terraform
type (` + "`aws:ecs/taskDefinition:TaskDefinition` → `aws_ecs_task_definition`" + `: module,
then the resource name in snake_case), camelCase inputs become snake_case
attributes, an object becomes a nested block (a list of one object, as
Terraform writes blocks), and the bridge's pluralised block names become
singular again (` + "`capacityProviderStrategies` → `capacity_provider_strategy`" + `).
` + "`TestMappingMatchesTheSDK`" + ` checks these rules against the pulumi-aws Go SDK's
own types for every property of every type any scanned stack registers.
An input whose value is the ID or ARN of another resource of the plan is
written as a reference to it (` + "`aws_s3_bucket.access-logs.id`" + `) and left out of
the planned values, as Terraform does for a value known only after apply:
Trivy resolves such references (only for attributes absent from the planned
values), so it judges a bucket with its public access block, encryption,
policy and lifecycle, a VPC with its flow log, a listener with its load
balancer.

Exceptions to the generic rules:

`)
	b.WriteString("- Terraform types: " + joinMap(tfplan.TypeExceptions()) + "; module prefixes: " + joinMap(tfplan.ModulePrefixes()) +
		" (ec2 types named `aws_ec2_…`: " + strings.Join(tfplan.EC2KeepsPrefix(), ", ") + "); S3 types drop pulumi-aws's `V2` suffix.\n")
	b.WriteString("- Property names: " + joinNested(tfplan.AttributeExceptions()) + ".\n")
	b.WriteString("- Map-typed properties (written as maps, not blocks): " + joinSet(tfplan.MapAttributes()) +
		"; any other object with a key that is not a camelCase identifier is a map too.\n")
	b.WriteString(`
Approximate, and listed per plan by ` + "`make scan ARGS=-v`" + `:

`)
	only := tfplan.PulumiOnlyTypes()
	for _, tok := range sortedKeys(only) {
		b.WriteString("- `" + tok + "` (Pulumi-only): " + only[tok] + ".\n")
	}
	b.WriteString(`- Task definitions: each container's ` + "`cpu` and `memory`" + ` are written as JSON
  strings. ECS's type is a number, but Trivy ` + TrivyVersion + ` decodes them as strings
  (aquasecurity/trivy#6434) and, given numbers, drops every container of the
  task definition without a word, so that every container check (plain-text
  secrets AWS-0036, privileged FS-0001) passes vacuously. The exporter checks
  that its output decodes as Trivy decodes it.
- Pulumi-only inputs: none among the pulumi-aws types the program registers
  (the bridge generates their inputs from the Terraform schema, and
  ` + "`TestMappingMatchesTheSDK`" + ` finds every property in the SDK). What is
  Pulumi-only is not resource inputs: component resources
  (` + "`fargateship:index:…`" + `, groupings, counted per plan but not written), resource
  options (` + "`protect`, `dependsOn`, `ignoreChanges`" + `: no plan attribute), and explicit
  provider resources (none today; they would not be written either).
- A type the rules have not been checked on is still written, under its
  generic name, and ` + "`make scan`" + ` prints a NOTE naming it (types checked:
  ` + "`tfplan.KnownTypes`" + `).
- References are written for single values only; a list holding IDs (a
  security group rule's source groups) keeps the literal IDs of the mocks.
- Values come from the mocks (` + "`internal/tfplan`" + ` Recorder): IDs and ARNs are made up
  for the account ` + tfplan.MockAccount + ` in ` + tfplan.MockRegion + `; secure config values are their ciphertext.
`)
	return b.String()
}

func joinMap(m map[string]string) string {
	var parts []string
	for _, k := range sortedKeys(m) {
		v := m[k]
		if v == "" {
			v = "(none)"
		}
		parts = append(parts, "`"+k+"` → `"+v+"`")
	}
	return strings.Join(parts, ", ")
}

func joinNested(m map[string]map[string]string) string {
	var parts []string
	for _, t := range sortedKeys(m) {
		for _, k := range sortedKeys(m[t]) {
			scope := "every type"
			if t != "*" {
				scope = "`" + t + "`"
			}
			parts = append(parts, "`"+k+"` → `"+m[t][k]+"` ("+scope+")")
		}
	}
	return strings.Join(parts, ", ")
}

func joinSet(m map[string][]string) string {
	var parts []string
	for _, t := range sortedKeys(m) {
		scope := "every type"
		if t != "*" {
			scope = "`" + t + "`"
		}
		parts = append(parts, "`"+strings.Join(m[t], "`, `")+"` ("+scope+")")
	}
	return strings.Join(parts, "; ")
}
