package scan

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/fargateship/fargateship/internal/stackconfig"
	"github.com/fargateship/fargateship/internal/tfplan"
)

func loadAccepted(t *testing.T) *Accepted {
	t.Helper()
	a, err := LoadAccepted(filepath.Join(root, AcceptedFile))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestShippedStacksScanClean is `make scan`: every shipped stack and
// example, every Dockerfile, with Trivy's embedded checks and the
// project's; every finding is accepted, every acceptance still found.
func TestShippedStacksScanClean(t *testing.T) {
	tr := requireTrivy(t)
	a := loadAccepted(t)
	rep, err := Run(context.Background(), Options{Root: root, Out: t.TempDir(), Trivy: tr, Jobs: 2}, a)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep.PrintText(&out, false)
	t.Log("\n" + out.String())
	if !rep.OK() {
		t.Errorf("the shipped stacks do not scan clean:\n%s", out.String())
	}
	labels := map[string]*Target{}
	for _, tg := range rep.Targets {
		labels[tg.Label] = tg
		if len(tg.Outcome.Checks) < 20 {
			t.Errorf("%s: only %d checks ran", tg.Label, len(tg.Outcome.Checks))
		}
	}
	for _, want := range []string{"dev", "prod", "sandbox-preset", "prod+examples/api", "sandbox-preset+examples/worker", "app/Dockerfile", "examples/api/Dockerfile"} {
		if labels[want] == nil {
			t.Errorf("target %s not scanned", want)
		}
	}
	// The project's own check runs with the embedded ones, and prod's
	// accepted findings are exactly the access-log bucket's and the load
	// balancer's choices on top of dev's.
	if !strings.Contains(strings.Join(labels["prod"].Outcome.Passed, " "), "FS-0001") {
		t.Errorf("FS-0001 did not run on prod: %v", labels["prod"].Outcome.Passed)
	}
	got := map[string]bool{}
	for _, i := range labels["prod"].Accepted() {
		got[i.ID+" "+i.Resource] = true
	}
	for _, want := range []string{
		"AWS-0089 aws_s3_bucket.access-logs", "AWS-0090 aws_s3_bucket.access-logs",
		"AWS-0132 aws_s3_bucket_server_side_encryption_configuration.access-logs",
		"AWS-0054 aws_lb_listener.web-http", "AWS-0053 aws_lb.web", "AWS-0104 aws_security_group.app",
	} {
		if !got[want] {
			t.Errorf("prod: %s not found (accepted: %v)", want, got)
		}
	}
	// Linked resources are judged together: the bucket with its public
	// access block, the VPC with its flow log.
	for _, id := range []string{"AWS-0086", "AWS-0091", "AWS-0093", "AWS-0094", "AWS-0178"} {
		if !strings.Contains(strings.Join(labels["prod"].Outcome.Passed, " "), id) {
			t.Errorf("prod: %s did not pass (is the bucket or the VPC judged without its linked resource?)", id)
		}
	}
}

// plant returns dev's resources with known-bad ones planted: a bucket with
// no public access block, and in the task definition's container a
// privileged flag and a plain-text secret.
func plant(t *testing.T) []tfplan.Resource {
	t.Helper()
	stacks, err := Shipped(root)
	if err != nil {
		t.Fatal(err)
	}
	var rs []tfplan.Resource
	for _, s := range stacks {
		if s.Label == "dev" {
			if rs, err = Evaluate(root, "fargateship", s); err != nil {
				t.Fatal(err)
			}
		}
	}
	found := false
	for i, r := range rs {
		if r.Type != "aws:ecs/taskDefinition:TaskDefinition" {
			continue
		}
		var defs []map[string]any
		if err := json.Unmarshal([]byte(r.Inputs["containerDefinitions"].StringValue()), &defs); err != nil {
			t.Fatal(err)
		}
		defs[0]["privileged"] = true
		defs[0]["environment"] = append(defs[0]["environment"].([]any), map[string]any{"name": "DB_PASSWORD", "value": "hunter2"})
		b, err := json.Marshal(defs)
		if err != nil {
			t.Fatal(err)
		}
		in := r.Inputs.Copy()
		in["containerDefinitions"] = resource.NewProperty(string(b))
		rs[i].Inputs = in
		found = true
	}
	if !found {
		t.Fatal("dev has no task definition")
	}
	return append(rs, tfplan.Resource{
		Type: "aws:s3/bucketV2:BucketV2", Name: "planted", Custom: true, ID: "planted-bucket-20261128",
		Inputs:  resource.NewPropertyMapFromMap(map[string]any{"bucketPrefix": "planted-"}),
		Outputs: resource.NewPropertyMapFromMap(map[string]any{"arn": "arn:aws:s3:::planted-bucket-20261128"}),
	})
}

// TestPlantedFindingsFail: known-bad resources make the scan fail, each
// finding naming its rule and resource.
func TestPlantedFindingsFail(t *testing.T) {
	tr := requireTrivy(t)
	rep, err := Run(context.Background(), Options{
		Root: root, Out: t.TempDir(), Trivy: tr, Jobs: 1, Only: []string{"none"},
		Extra: []Extra{{Label: "planted", Resources: plant(t)}},
	}, loadAccepted(t))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	rep.PrintText(&out, false)
	if rep.OK() {
		t.Fatalf("the scan passes with planted findings:\n%s", out.String())
	}
	for _, want := range []string{
		"FAIL planted: AWS-0094 LOW on aws_s3_bucket.planted",            // no public access block
		"FAIL planted: AWS-0086 HIGH on aws_s3_bucket.planted",           // public ACLs not blocked
		"FAIL planted: FS-0001 HIGH on aws_ecs_task_definition.app",      // privileged container
		"FAIL planted: AWS-0036 CRITICAL on aws_ecs_task_definition.app", // plain-text secret
		"FAILED: ",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	md := rep.Markdown()
	if !strings.Contains(md, "**New findings**") || !strings.Contains(md, "| planted | FS-0001 | HIGH | `aws_ecs_task_definition.app` |") {
		t.Errorf("markdown:\n%s", md)
	}
	// dev's own findings stay accepted in the same plan.
	if len(rep.Targets[0].Accepted()) == 0 {
		t.Errorf("no accepted finding in the planted plan")
	}
}

// TestTrivyDropsNumericCPU documents why the exporter writes cpu and
// memory as strings: with ECS's numbers, Trivy 0.74 reads no container and
// the planted secret passes. If this test fails, Trivy has fixed its
// parser and the rewrite (tfplan containerDefinitions) can go.
func TestTrivyDropsNumericCPU(t *testing.T) {
	tr := requireTrivy(t)
	p, err := tfplan.Export(plant(t))
	if err != nil {
		t.Fatal(err)
	}
	for i, rc := range p.ResourceChanges {
		if rc.Type != "aws_ecs_task_definition" {
			continue
		}
		var defs []map[string]any
		if err := json.Unmarshal([]byte(rc.Change.After["container_definitions"].(string)), &defs); err != nil {
			t.Fatal(err)
		}
		defs[0]["cpu"], defs[0]["memory"] = 256, 512
		b, _ := json.Marshal(defs)
		p.ResourceChanges[i].Change.After["container_definitions"] = string(b)
	}
	b, err := p.JSON()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "numeric.tfplan.json")
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	o, err := tr.Scan(context.Background(), path, "terraformplan-json", "")
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range o.Issues {
		if i.ID == "AWS-0036" || i.ID == "FS-0001" {
			t.Errorf("Trivy now reads numeric cpu/memory (%s found): the string rewrite may be removed", i.ID)
		}
	}
	if !strings.Contains(strings.Join(o.Passed, " "), "AWS-0036") {
		t.Errorf("AWS-0036 did not run: %v", o.Passed)
	}
}

// TestAcceptedFixesRemoveFindings: the configuration the accepted list
// (and so docs/security.md) names as the fix of a finding removes it: prod
// with those keys set is scanned and the finding is gone.
func TestAcceptedFixesRemoveFindings(t *testing.T) {
	tr := requireTrivy(t)
	a := loadAccepted(t)
	stacks, err := Shipped(root)
	if err != nil {
		t.Fatal(err)
	}
	var prod Stack
	for _, s := range stacks {
		if s.Label == "prod" {
			prod = s
		}
	}
	var extra []Extra
	want := map[string]string{} // label → the id that must be gone
	for _, f := range a.Findings {
		if len(f.FixedBy) == 0 {
			continue
		}
		s := prod
		s.Config = &stackconfig.Config{Values: map[string]string{}, SecretKeys: prod.Config.SecretKeys}
		for k, v := range prod.Config.Values {
			s.Config.Values[k] = v
		}
		for k, v := range f.FixedBy {
			s.Config.Values["fargateship:"+k] = v
		}
		rs, err := Evaluate(root, "fargateship", s)
		if err != nil {
			t.Fatalf("%s: prod with %v: %v", f.Trivy, f.FixedBy, err)
		}
		label := "prod+fix-" + f.Trivy
		extra = append(extra, Extra{Label: label, Resources: rs})
		want[label] = f.Trivy
	}
	if len(extra) == 0 {
		t.Fatal("no accepted finding names a fixedBy configuration")
	}
	rep, err := Run(context.Background(), Options{Root: root, Out: t.TempDir(), Trivy: tr, Jobs: 2, Only: []string{"none"}, Extra: extra}, a)
	if err != nil {
		t.Fatal(err)
	}
	for _, tg := range rep.Targets {
		for _, i := range tg.Outcome.Issues {
			if i.ID == want[tg.Label] {
				t.Errorf("%s: %s is still raised on %s with the fix applied", tg.Label, i.ID, i.Resource)
			}
		}
	}
}
