package cicd

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"unicode"
)

func manyZoneIDs(n int) string {
	ids := make([]string, n)
	for i := range ids {
		// 32 characters, the longest id hostedZoneIds accepts.
		ids[i] = fmt.Sprintf("Z%031d", i)
	}
	b, _ := json.Marshal(ids)
	return string(b)
}

// worstCase is the configuration with the longest documents: the longest
// project name, repository (ID-qualified), branch and environments, a
// bucket, a key per stack and the most zones.
func worstCase() map[string]string {
	return map[string]string{
		"githubRepository":  "acme-corporation-with-a-long-name@12345678901234567890/" + strings.Repeat("r", 100) + "@12345678901234567890",
		"projectName":       "p" + strings.Repeat("x", 39),
		"deployBranch":      strings.Repeat("b", 255),
		"devEnvironment":    strings.Repeat("d", 255),
		"prodEnvironment":   strings.Repeat("e", 255),
		"reaperEnvironment": strings.Repeat("f", 255),
		"stateBucketName":   "b" + strings.Repeat("s", 61) + "b",
		"secretsKmsKeyArns": fmt.Sprintf(`{"dev":%q,"prod":%q,"sandbox-*":%q}`,
			"arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-00000000000000000000000000000000",
			"arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-11111111111111111111111111111111",
			"arn:aws-us-gov:kms:us-gov-west-1:123456789012:key/mrk-22222222222222222222222222222222"),
		"hostedZoneIds": manyZoneIDs(MaxHostedZoneIDs),
	}
}

// iamLength counts a policy document as IAM does for its size quotas:
// whitespace is not counted (IAM User Guide, "IAM and AWS STS quotas").
func iamLength(doc string) int {
	n := 0
	for _, r := range doc {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// IAM quotas (IAM User Guide, "IAM and AWS STS quotas"): a role trust
// policy 2,048 characters (the default), a managed policy 6,144, the
// inline policies of one role 10,240 in total.
const (
	maxTrustPolicy   = 2048
	maxManagedPolicy = 6144
	maxInlinePerRole = 10240
	// Managed policies attached to one role (the default quota).
	maxManagedPerRole = 10
)

func TestEveryDocumentFitsIAMSizeQuotas(t *testing.T) {
	for name, cfg := range map[string]map[string]string{"worst case": worstCase(), "full": fullConfig()} {
		t.Run(name, func(t *testing.T) {
			m := mustRun(t, cfg)
			roleNames := map[string]string{}
			checked := 0
			for _, r := range m.byType("aws:iam/role:Role") {
				roleNames[r.Inputs["name"].StringValue()] = r.Name
				n := iamLength(r.Inputs["assumeRolePolicy"].StringValue())
				t.Logf("trust policy of %s: %d characters", r.Name, n)
				if n > maxTrustPolicy {
					t.Errorf("trust policy of %s is %d characters, quota %d", r.Name, n, maxTrustPolicy)
				}
				checked++
			}
			for _, p := range m.byType("aws:iam/policy:Policy") {
				n := iamLength(p.Inputs["policy"].StringValue())
				t.Logf("managed policy %s: %d characters", p.Name, n)
				if n > maxManagedPolicy {
					t.Errorf("managed policy %s is %d characters, quota %d", p.Name, n, maxManagedPolicy)
				}
				checked++
			}
			// No inline policies at all (their 10,240 per-role quota
			// would not hold the deploy roles'), and at most 10 managed
			// policies attached to a role.
			if n := len(m.byType("aws:iam/rolePolicy:RolePolicy")); n != 0 {
				t.Errorf("%d inline policies", n)
			}
			attached := map[string]int{}
			for _, a := range m.byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment") {
				attached[a.Inputs["role"].StringValue()]++
			}
			for role, n := range attached {
				t.Logf("%s: %d managed policies", role, n)
				if n > maxManagedPerRole {
					t.Errorf("%s has %d managed policies attached, quota %d", role, n, maxManagedPerRole)
				}
			}
			if checked < 12+1+4 {
				t.Errorf("checked %d documents, want at least 17 (12 trust: 4 CI roles and 4 roles per stack for dev and prod; the boundary; 4 CI roles' policies)", checked)
			}
		})
	}
}

func TestIAMLengthIgnoresWhitespace(t *testing.T) {
	if got := iamLength("{ \"a\" :\n\t\"b\" }"); got != 9 {
		t.Errorf("iamLength = %d, want 9", got)
	}
}

// moto's IAM policy validators (moto.iam.policy_validation, the checks
// moto's CreatePolicy/PutRolePolicy/CreateRole run: element names and
// types, Version, Effect, Action and Resource syntax, ARN format,
// condition operators, Sid uniqueness) accept every document.
func TestEveryDocumentPassesIAMGrammar(t *testing.T) {
	python := requireMoto(t)
	m := mustRun(t, fullConfig())
	dir := t.TempDir()
	var docs []map[string]string
	add := func(kind, name, doc string) {
		f := filepath.Join(dir, fmt.Sprintf("%d.json", len(docs)))
		if err := os.WriteFile(f, []byte(doc), 0o600); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, map[string]string{"kind": kind, "name": name, "file": f})
	}
	for _, r := range m.byType("aws:iam/role:Role") {
		add("trust", r.Name, r.Inputs["assumeRolePolicy"].StringValue())
	}
	for _, p := range m.byType("aws:iam/policy:Policy") {
		add("identity", p.Name, p.Inputs["policy"].StringValue())
	}
	// The validator must reject a broken document, or this test proves nothing.
	add("identity", "broken (must fail)", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject"],"Resource":["not-an-arn"]}]}`)
	list, _ := json.Marshal(docs)
	script := `
import json, sys
from moto.iam.policy_validation import IAMPolicyDocumentValidator, IAMTrustPolicyDocumentValidator
for d in json.loads(sys.argv[1]):
    doc = open(d["file"]).read()
    v = IAMTrustPolicyDocumentValidator if d["kind"] == "trust" else IAMPolicyDocumentValidator
    try:
        v(doc).validate()
        print("OK", d["name"])
    except Exception as e:
        print("INVALID", d["name"], type(e).__name__, e)
`
	out, err := exec.Command(python, "-c", script, string(list)).CombinedOutput()
	if err != nil {
		t.Fatalf("validator: %v\n%s", err, out)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if len(lines) != len(docs) {
		t.Fatalf("validator printed %d lines for %d documents:\n%s", len(lines), len(docs), out)
	}
	for i, l := range lines {
		broken := i == len(docs)-1
		if strings.HasPrefix(l, "OK ") == broken {
			t.Errorf("%s", l)
		}
	}
	t.Logf("%d documents validated", len(docs)-1)
}

// The statements whose conditions carry the scoping (moto cannot
// evaluate conditions; see moto_test.go), asserted exactly.
func TestConditionalStatementsOfTheDevDeployRole(t *testing.T) {
	m := mustRun(t, fullConfig())
	sids := bySid(t, permissions(t, m, "deploy-dev"))
	requestTags := Conditions{"StringEquals": {"aws:RequestTag/project": {"fargateship"}, "aws:RequestTag/stack": {"dev"}}}
	ownTag := Conditions{"StringEquals": {"aws:ResourceTag/stack": {"dev"}}}
	// The API names, without the service prefix: the values AWS puts in
	// ec2:CreateAction and elasticloadbalancing:CreateAction.
	ec2Creates := []string{"CreateVpc", "CreateSubnet", "CreateInternetGateway", "CreateRouteTable",
		"CreateNatGateway", "AllocateAddress", "CreateSecurityGroup", "CreateFlowLogs"}
	want := map[string]Conditions{
		"IamWriteBoundedTaskRolePolicies": {"StringEquals": {"iam:PermissionsBoundary": {testBoundaryARN}}},
		"IamPassTaskRolesToEcsTasks":      {"StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}},
		"IamPassSchedulerRoleToScheduler": {"StringEquals": {"iam:PassedToService": {"scheduler.amazonaws.com"}}},
		"EcsCreateTagged":                 requestTags,
		"Ec2CreateTagged":                 requestTags,
		"Ec2TagOnlyOnCreate":              {"StringEquals": {"ec2:CreateAction": ec2Creates}},
		"Ec2ManageStackResources":         ownTag,
		"ElbCreateTagged":                 requestTags,
		"ElbTagOnlyOnCreate": {"StringEquals": {"elasticloadbalancing:CreateAction": {
			"CreateLoadBalancer", "CreateTargetGroup", "CreateListener", "CreateRule"}}},
		"ElbManageStackResources":       ownTag,
		"CloudMapCreateTaggedNamespace": requestTags,
		"CloudMapManageStackNamespace":  ownTag,
		"ScalingCreateTagged":           requestTags,
		"ScalingManageStackTargets":     ownTag,
		"AcmRequestTaggedDnsCertificates": {"StringEquals": {
			"aws:RequestTag/project": {"fargateship"}, "aws:RequestTag/stack": {"dev"},
			"acm:ValidationMethod": {"DNS"}, "acm:KeyAlgorithm": {"EC_prime256v1"}}},
		"AcmTagWithStackTags":        requestTags,
		"AcmManageStackCertificates": ownTag,
		"KmsThroughServices": {"StringLike": {"kms:ViaService": {
			"ecr.*.amazonaws.com", "logs.*.amazonaws.com", "secretsmanager.*.amazonaws.com"}}},
		"DenyOtherDnsRecordTypes": {"ForAnyValue:StringNotEquals": {"route53:ChangeResourceRecordSetsRecordTypes": {"A", "CNAME"}}},
		"DenyResourcesTaggedForOtherStacks": {
			"Null":            {"aws:ResourceTag/stack": {"false"}},
			"StringNotEquals": {"aws:ResourceTag/stack": {"dev"}}},
		"DenySecretsWithForeignKeys": {
			"Null":          {"secretsmanager:KmsKeyArn": {"false"}},
			"StringNotLike": {"secretsmanager:KmsKeyArn": {"arn:aws:kms:*:" + testAccount + ":key/*"}}},
		"DenyOtherAccountsKeys": {"StringNotEquals": {"aws:ResourceAccount": {testAccount}}},
		"IamServiceLinkedRoles": {"StringEquals": {"iam:AWSServiceName": {
			"ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com", "ecs.application-autoscaling.amazonaws.com"}}},
	}
	conditional := 0
	for sid, s := range sids {
		if len(s.Condition) == 0 {
			continue
		}
		conditional++
		if w, ok := want[sid]; !ok {
			t.Errorf("statement %s has a condition this test does not assert: %v", sid, s.Condition)
		} else if !reflect.DeepEqual(s.Condition, w) {
			t.Errorf("statement %s condition:\n got %v\nwant %v", sid, s.Condition, w)
		}
	}
	if conditional != len(want) {
		t.Errorf("%d conditional statements, want %d", conditional, len(want))
	}
	// The tag-conditioned writes name generated-id resources only.
	for sid, want := range map[string][]string{
		// Every task role the bootstrap created for dev (app's and each
		// service's), by path: CI creates no role there.
		"IamPassTaskRolesToEcsTasks":      {roleARN("fargateship/dev/*")},
		"IamPassFlowLogsRoleToFlowLogs":   {roleARN("fargateship/dev/fargateship-dev-flow-logs")},
		"IamPassSchedulerRoleToScheduler": {roleARN("fargateship/dev/fargateship-dev-scheduler")},
		// EventBridge Scheduler: the stack's group and its schedules only.
		"SchedulerStackGroup":     {"arn:aws:scheduler:*:" + testAccount + ":schedule-group/fargateship-dev"},
		"SchedulerStackSchedules": {"arn:aws:scheduler:*:" + testAccount + ":schedule/fargateship-dev/*"},
	} {
		if got := sids[sid].Resource; !reflect.DeepEqual(got, want) {
			t.Errorf("%s on %q, want %q", sid, got, want)
		}
	}
	if got := sids["Ec2ManageStackResources"].Resource; !reflect.DeepEqual(got, []string{"arn:aws:ec2:*:" + testAccount + ":*/*"}) {
		t.Errorf("EC2 writes on %q", got)
	}
}

// The prod role's conditions are the dev role's with the stack swapped.
func TestProdDeployRoleIsTheDevRoleForProd(t *testing.T) {
	m := mustRun(t, fullConfig())
	dev, err := json.Marshal(permissions(t, m, "deploy-dev"))
	if err != nil {
		t.Fatal(err)
	}
	prod, err := json.Marshal(permissions(t, m, "deploy-prod"))
	if err != nil {
		t.Fatal(err)
	}
	swap := func(s string) string {
		r := strings.NewReplacer("dev", "\x00", "Dev", "\x03", testDevKey, "\x01", testProdKey, "\x02")
		return strings.NewReplacer("prod", "dev", "Prod", "Dev", "\x00", "prod", "\x03", "Prod").Replace(r.Replace(s))
	}
	got := strings.NewReplacer("\x01", testProdKey, "\x02", testDevKey).Replace(swap(string(dev)))
	if got != string(prod) {
		t.Errorf("prod deploy policy is not dev's with dev and prod swapped:\n dev→prod %s\n prod     %s", got, prod)
	}
}

func TestPreviewPermissionsExactly(t *testing.T) {
	m := mustRun(t, fullConfig())
	sids := bySid(t, permissions(t, m, "preview"))
	state := []Statement{
		allow("StateBucketList", []string{"s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketVersioning"}, []string{bucket}),
		allow("StateRead", []string{"s3:GetObject"}, []string{bucket + "/.pulumi/meta.yaml", stateDir + "dev.json*", lockDir + "dev/*"}),
		allow("StateWrite", []string{"s3:PutObject", "s3:DeleteObject"}, []string{lockDir + "dev/*"}),
		allow("StackSecretsKey", []string{"kms:Decrypt", "kms:DescribeKey"}, []string{testDevKey}),
	}
	for _, w := range state {
		if got := sids[w.Sid]; !reflect.DeepEqual(got, w) {
			t.Errorf("%s:\n got %+v\nwant %+v", w.Sid, got, w)
		}
	}
	for _, a := range sids["ReadTheProgramsServices"].Action {
		for _, forbidden := range []string{"s3:", "secretsmanager:GetSecretValue", "logs:GetLogEvents", "logs:FilterLogEvents", "kms:Decrypt", "ssm:"} {
			if strings.HasPrefix(a, forbidden) {
				t.Errorf("preview reads %s", a)
			}
		}
		if strings.HasSuffix(a, ":*") || a == "*" {
			t.Errorf("preview grants %s", a)
		}
	}
	// The reads, the state, a deny each for prod and the sandboxes, and
	// the five common denies.
	if len(sids) != 1+len(state)+2+5 {
		t.Errorf("preview has %d statements: %v", len(sids), sids)
	}
}

func TestNoStatementUsesNotActionOrNotResource(t *testing.T) {
	m := mustRun(t, fullConfig())
	for _, p := range m.byType("aws:iam/policy:Policy") {
		raw := p.Inputs["policy"].StringValue()
		if strings.Contains(raw, "NotAction") || strings.Contains(raw, "NotResource") || strings.Contains(raw, "NotPrincipal") {
			t.Errorf("%s uses a Not* element", p.Name)
		}
	}
}
