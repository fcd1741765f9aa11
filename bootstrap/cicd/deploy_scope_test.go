package cicd

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"testing"
)

// iamGlob reports whether an IAM resource or action pattern (case-sensitive
// for resources, '*' and '?' crossing '/' and ':') matches s.
func iamGlob(pattern, s string, foldCase bool) bool {
	re := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(pattern)) + "$"
	if foldCase {
		re = "(?i)" + re
	}
	return regexp.MustCompile(re).MatchString(s)
}

// roleWriteActions are every IAM action that changes a role or hands it to
// a service.
var roleWriteActions = []string{
	"iam:CreateRole", "iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription",
	"iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy",
	"iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary",
	"iam:DeleteRolePermissionsBoundary", "iam:TagRole", "iam:UntagRole", "iam:PassRole",
}

// Whatever statements are added later, no Allow may grant a role write or
// PassRole on a role outside /<project>/, and the CI roles are not in it.
func TestNoRoleWriteOrPassRoleOutsideTheTaskRolePath(t *testing.T) {
	for _, project := range []string{"fargateship", "shop"} {
		t.Run(project, func(t *testing.T) {
			m, err := run(t, map[string]string{"githubRepository": "acme/" + project, "projectName": project})
			if err != nil {
				t.Fatal(err)
			}
			prefix := "arn:aws:iam::*:role/" + project + "/"
			ciRoles := []string{
				m.exports["previewRoleArn"].(string),
				m.exports["deployRoleArn"].(string),
			}
			granted := 0
			for sid, s := range deployStatements(t, m) {
				if s.Effect != "Allow" {
					continue
				}
				for _, a := range s.Action {
					for _, w := range roleWriteActions {
						if !iamGlob(a, w, true) {
							continue
						}
						granted++
						for _, r := range s.Resource {
							// Anything after the path prefix stays under
							// the path; the prefix has no wildcard but
							// the account.
							if !strings.HasPrefix(r, prefix) {
								t.Errorf("statement %s allows %s (via %q) on %q, outside %s*", sid, w, a, r, prefix)
							}
							for _, ci := range ciRoles {
								if iamGlob(r, ci, false) {
									t.Errorf("statement %s allows %s on CI role %s", sid, w, ci)
								}
							}
						}
					}
				}
			}
			if granted == 0 {
				t.Fatal("no role write found: the check checked nothing")
			}
		})
	}
}

func TestCIRolesAreOutsideTheTaskRolePath(t *testing.T) {
	m, err := run(t, map[string]string{"githubRepository": "acme/fargateship"})
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"preview", "deploy"} {
		role := m.find(t, "aws:iam/role:Role", name)
		if got := role.Inputs["path"].StringValue(); got != "/" {
			t.Errorf("%s role path = %q, want /", name, got)
		}
		if n := role.Inputs["name"].StringValue(); strings.Contains(n, "/") {
			t.Errorf("%s role name %q contains a path", name, n)
		}
	}
	task := "arn:aws:iam::*:role/fargateship/*"
	for _, out := range []string{"previewRoleArn", "deployRoleArn"} {
		arn := m.exports[out].(string)
		if iamGlob(task, arn, false) {
			t.Errorf("%s %s is under the task role path", out, arn)
		}
	}
	// A task role the main program creates is under it.
	if !iamGlob(task, "arn:aws:iam::123456789012:role/fargateship/app-execution-abc1234", false) {
		t.Error("task role pattern does not match a task role")
	}
}

func certificateAndDNSStatements(zones []string) []Statement {
	certs := []string{"arn:aws:acm:*:*:certificate/*"}
	return []Statement{
		{
			Sid: "AcmRequestTaggedDnsCertificates", Effect: "Allow",
			Action: []string{"acm:RequestCertificate"}, Resource: []string{"*"},
			Condition: Conditions{"StringEquals": {
				"aws:RequestTag/project": {"fargateship"},
				"acm:ValidationMethod":   {"DNS"},
				"acm:KeyAlgorithm":       {"EC_prime256v1"},
			}},
		},
		{
			Sid: "AcmTagNewCertificates", Effect: "Allow",
			Action: []string{"acm:AddTagsToCertificate"}, Resource: certs,
			Condition: Conditions{"StringEquals": {"aws:RequestTag/project": {"fargateship"}}},
		},
		{
			Sid: "AcmManageProjectCertificates", Effect: "Allow",
			Action:    []string{"acm:DeleteCertificate", "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate"},
			Resource:  certs,
			Condition: Conditions{"StringEquals": {"aws:ResourceTag/project": {"fargateship"}}},
		},
		{
			Sid: "Route53Records", Effect: "Allow",
			Action:   []string{"route53:ChangeResourceRecordSets", "route53:GetHostedZone", "route53:ListResourceRecordSets"},
			Resource: zones,
		},
		{
			Sid: "Route53Changes", Effect: "Allow",
			Action: []string{"route53:GetChange"}, Resource: []string{"arn:aws:route53:::change/*"},
		},
		{
			Sid: "Certificates", Effect: "Allow",
			Action:   []string{"acm:DescribeCertificate", "acm:ListCertificates", "acm:ListTagsForCertificate"},
			Resource: []string{"*"},
		},
	}
}

func assertStatements(t *testing.T, sids map[string]Statement, want []Statement) {
	t.Helper()
	for _, w := range want {
		if got, ok := sids[w.Sid]; !ok {
			t.Errorf("no statement %s", w.Sid)
		} else if !reflect.DeepEqual(got, w) {
			t.Errorf("statement %s:\n got %+v\nwant %+v", w.Sid, got, w)
		}
	}
}

func TestDeployRoleCertificateAndDNSInEveryZone(t *testing.T) {
	m, err := run(t, map[string]string{"githubRepository": "acme/fargateship"})
	if err != nil {
		t.Fatal(err)
	}
	sids := deployStatements(t, m)
	assertStatements(t, sids, certificateAndDNSStatements([]string{"arn:aws:route53:::hostedzone/*"}))
	// No other statement grants ACM or Route 53 actions.
	known := map[string]bool{}
	for _, s := range certificateAndDNSStatements(nil) {
		known[s.Sid] = true
	}
	for sid, s := range sids {
		for _, a := range s.Action {
			if (strings.HasPrefix(a, "acm:") || strings.HasPrefix(a, "route53:")) && !known[sid] && s.Effect == "Allow" {
				t.Errorf("statement %s also grants %s", sid, a)
			}
		}
	}
}

func TestDeployRoleDNSScopedToConfiguredZones(t *testing.T) {
	m, err := run(t, map[string]string{
		"githubRepository": "acme/fargateship",
		"hostedZoneIds":    `["Z0123456789ABCDEFGHIJ","Z9"]`,
	})
	if err != nil {
		t.Fatal(err)
	}
	assertStatements(t, deployStatements(t, m), certificateAndDNSStatements([]string{
		"arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ",
		"arn:aws:route53:::hostedzone/Z9",
	}))
}

func TestEmptyHostedZoneIdsMeansEveryZone(t *testing.T) {
	m, err := run(t, map[string]string{"githubRepository": "acme/fargateship", "hostedZoneIds": "[]"})
	if err != nil {
		t.Fatal(err)
	}
	got := deployStatements(t, m)["Route53Records"].Resource
	if !reflect.DeepEqual(got, []string{"arn:aws:route53:::hostedzone/*"}) {
		t.Errorf("Route53Records resources = %q", got)
	}
}

func manyZoneIDs(n int) string {
	ids := make([]string, n)
	for i := range ids {
		// 32 characters, the longest id hostedZoneIds accepts.
		ids[i] = fmt.Sprintf("Z%031d", i)
	}
	b, _ := json.Marshal(ids)
	return string(b)
}

// IAM limits the inline policies of one role to 10,240 characters in
// total (whitespace excluded; encoding/json writes none). The worst case:
// the longest project name, every optional policy and the most zones.
func TestDeployRoleInlinePoliciesFitIAMLimit(t *testing.T) {
	project := "p" + strings.Repeat("x", 39)
	m, err := run(t, map[string]string{
		"githubRepository": "acme-corporation-with-a-long-name/" + strings.Repeat("r", 100),
		"projectName":      project,
		"deployBranch":     strings.Repeat("b", 255),
		"prodEnvironment":  strings.Repeat("e", 255),
		"stateBucketName":  "b" + strings.Repeat("s", 61) + "b",
		"secretsKmsKeyArn": "arn:aws-us-gov:kms:us-gov-west-1:123456789012:alias/" + strings.Repeat("k", 200),
		"hostedZoneIds":    manyZoneIDs(MaxHostedZoneIDs),
	})
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, p := range m.byType("aws:iam/rolePolicy:RolePolicy") {
		if p.Inputs["role"].StringValue() == project+"-github-deploy" {
			total += len(p.Inputs["policy"].StringValue())
		}
	}
	if total == 0 || total > 10240 {
		t.Errorf("deploy role inline policies total %d characters, limit 10240", total)
	}
	t.Logf("deploy role inline policies, worst case: %d characters", total)
}
