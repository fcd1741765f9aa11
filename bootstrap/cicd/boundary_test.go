package cicd

import (
	"path"
	"reflect"
	"strings"
	"testing"
)

func TestTaskBoundaryPolicy(t *testing.T) {
	m, err := run(t, map[string]string{"githubRepository": "acme/fargateship"})
	if err != nil {
		t.Fatal(err)
	}
	pols := m.byType("aws:iam/policy:Policy")
	if len(pols) != 1 {
		t.Fatalf("%d managed policies registered, want 1", len(pols))
	}
	p := pols[0]
	if p.Name != "task-boundary" {
		t.Errorf("boundary resource named %q", p.Name)
	}
	if got := p.Inputs["name"].StringValue(); got != "fargateship-task-boundary" {
		t.Errorf("boundary policy name = %q", got)
	}
	got := policyOf(t, p, "policy")
	want := PolicyDocument{Version: "2012-10-17", Statement: []Statement{
		{Sid: "EcrAuthToken", Effect: "Allow", Action: []string{"ecr:GetAuthorizationToken"}, Resource: []string{"*"}},
		{
			Sid: "EcrPullProjectImages", Effect: "Allow",
			Action:   []string{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"},
			Resource: []string{"arn:aws:ecr:*:*:repository/fargateship-*"},
		},
		{
			Sid: "WriteProjectLogs", Effect: "Allow",
			Action: []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
			Resource: []string{
				"arn:aws:logs:*:*:log-group:/ecs/fargateship-*",
				"arn:aws:logs:*:*:log-group:/ecs/fargateship-*:*",
			},
		},
		{Sid: "LookUpLogGroups", Effect: "Allow", Action: []string{"logs:DescribeLogGroups"}, Resource: []string{"*"}},
		{
			Sid: "ReadProjectSecrets", Effect: "Allow",
			Action:   []string{"secretsmanager:GetSecretValue"},
			Resource: []string{"arn:aws:secretsmanager:*:*:secret:fargateship-*"},
		},
		{
			Sid: "DecryptSecretsViaSecretsManager", Effect: "Allow",
			Action:    []string{"kms:Decrypt"},
			Resource:  []string{"*"},
			Condition: Conditions{"StringLike": {"kms:ViaService": {"secretsmanager.*.amazonaws.com"}}},
		},
		{
			Sid: "EcsExecChannels", Effect: "Allow",
			Action: []string{
				"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
				"ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
			},
			Resource: []string{"*"},
		},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("boundary policy:\n got %+v\nwant %+v", got, want)
	}
}

func TestTaskBoundaryFollowsProjectName(t *testing.T) {
	m, err := run(t, map[string]string{"githubRepository": "acme/shop", "projectName": "shop"})
	if err != nil {
		t.Fatal(err)
	}
	p := m.find(t, "aws:iam/policy:Policy", "task-boundary")
	if got := p.Inputs["name"].StringValue(); got != "shop-task-boundary" {
		t.Errorf("boundary policy name = %q", got)
	}
	for _, s := range policyOf(t, p, "policy").Statement {
		for _, r := range s.Resource {
			if r != "*" && !strings.Contains(r, "shop-*") {
				t.Errorf("statement %s: resource %q not scoped to shop-", s.Sid, r)
			}
		}
	}
	doc := policyOf(t, m.find(t, "aws:iam/rolePolicy:RolePolicy", "deploy-permissions"), "policy")
	want := "arn:aws:iam::" + testAccount + ":policy/shop-task-boundary"
	for _, s := range doc.Statement {
		if s.Sid == "IamCreateBoundedTaggedRoles" {
			if got := s.Condition["StringEquals"]["iam:PermissionsBoundary"]; !reflect.DeepEqual(got, []string{want}) {
				t.Errorf("CreateRole boundary = %q, want %q", got, want)
			}
		}
	}
	if got := m.exports["taskPermissionsBoundaryArn"]; got != want {
		t.Errorf("taskPermissionsBoundaryArn = %v, want %q", got, want)
	}
}

// deployStatements returns the deploy role's inline policy by Sid.
func deployStatements(t *testing.T, m *mocks) map[string]Statement {
	t.Helper()
	doc := policyOf(t, m.find(t, "aws:iam/rolePolicy:RolePolicy", "deploy-permissions"), "policy")
	out := map[string]Statement{}
	for _, s := range doc.Statement {
		out[s.Sid] = s
	}
	return out
}

func TestDeployRoleIAMWritesRequireTheBoundary(t *testing.T) {
	m, err := run(t, map[string]string{"githubRepository": "acme/fargateship"})
	if err != nil {
		t.Fatal(err)
	}
	sids := deployStatements(t, m)
	roles := []string{"arn:aws:iam::*:role/fargateship/*"}
	want := []Statement{
		{
			Sid: "IamCreateBoundedTaggedRoles", Effect: "Allow",
			Action: []string{"iam:CreateRole"}, Resource: roles,
			Condition: Conditions{"StringEquals": {
				"aws:RequestTag/project":  {"fargateship"},
				"iam:PermissionsBoundary": {testBoundaryARN},
			}},
		},
		{
			Sid: "IamTagNewRoles", Effect: "Allow",
			Action: []string{"iam:TagRole"}, Resource: roles,
			Condition: Conditions{"StringEquals": {"aws:RequestTag/project": {"fargateship"}}},
		},
		{
			Sid: "IamManageProjectRoles", Effect: "Allow",
			Action: []string{
				"iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
				"iam:DeleteRolePolicy", "iam:UntagRole", "iam:TagRole",
			},
			Resource:  roles,
			Condition: Conditions{"StringEquals": {"iam:ResourceTag/project": {"fargateship"}}},
		},
		{
			Sid: "IamWriteBoundedRolePolicies", Effect: "Allow",
			Action: []string{"iam:PutRolePolicy", "iam:PutRolePermissionsBoundary"}, Resource: roles,
			Condition: Conditions{"StringEquals": {
				"iam:ResourceTag/project": {"fargateship"},
				"iam:PermissionsBoundary": {testBoundaryARN},
			}},
		},
		{
			Sid: "IamAttachTaskExecutionPolicyToBoundedRoles", Effect: "Allow",
			Action: []string{"iam:AttachRolePolicy"}, Resource: roles,
			Condition: Conditions{"StringEquals": {
				"iam:ResourceTag/project": {"fargateship"},
				"iam:PolicyARN":           {"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"},
				"iam:PermissionsBoundary": {testBoundaryARN},
			}},
		},
		{
			Sid: "IamDetachTaskExecutionPolicy", Effect: "Allow",
			Action: []string{"iam:DetachRolePolicy"}, Resource: roles,
			Condition: Conditions{"StringEquals": {
				"iam:ResourceTag/project": {"fargateship"},
				"iam:PolicyARN":           {"arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"},
			}},
		},
		{
			Sid: "IamPassRoleToEcsTasks", Effect: "Allow",
			Action: []string{"iam:PassRole"}, Resource: roles,
			Condition: Conditions{"StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}},
		},
	}
	for _, w := range want {
		if got, ok := sids[w.Sid]; !ok {
			t.Errorf("no statement %s", w.Sid)
		} else if !reflect.DeepEqual(got, w) {
			t.Errorf("statement %s:\n got %+v\nwant %+v", w.Sid, got, w)
		}
	}
}

// Whatever statements are added later, no Allow may grant an action that
// gives a role permissions without requiring the boundary.
func TestNoAllowGrantsRolePermissionsWithoutTheBoundary(t *testing.T) {
	m, err := run(t, map[string]string{"githubRepository": "acme/fargateship"})
	if err != nil {
		t.Fatal(err)
	}
	guarded := []string{"iam:CreateRole", "iam:PutRolePolicy", "iam:AttachRolePolicy", "iam:PutRolePermissionsBoundary"}
	for sid, s := range deployStatements(t, m) {
		if s.Effect != "Allow" {
			continue
		}
		for _, a := range s.Action {
			for _, g := range guarded {
				// IAM action patterns are case-insensitive globs.
				if ok, _ := path.Match(strings.ToLower(a), strings.ToLower(g)); !ok {
					continue
				}
				got := s.Condition["StringEquals"]["iam:PermissionsBoundary"]
				if !reflect.DeepEqual(got, []string{testBoundaryARN}) {
					t.Errorf("statement %s allows %s (via %q) with boundary condition %q", sid, g, a, got)
				}
			}
			if strings.EqualFold(a, "iam:DeleteRolePermissionsBoundary") {
				t.Errorf("statement %s allows %s", sid, a)
			}
		}
	}
}

func TestDeployRoleDenies(t *testing.T) {
	m, err := run(t, map[string]string{"githubRepository": "acme/fargateship"})
	if err != nil {
		t.Fatal(err)
	}
	var denies []Statement
	for _, s := range policyOf(t, m.find(t, "aws:iam/rolePolicy:RolePolicy", "deploy-permissions"), "policy").Statement {
		if s.Effect == "Deny" {
			denies = append(denies, s)
		}
	}
	want := []Statement{
		{
			Sid: "DenyRemovingPermissionsBoundaries", Effect: "Deny",
			Action:   []string{"iam:DeleteRolePermissionsBoundary"},
			Resource: []string{"arn:aws:iam::*:role/*"},
		},
		{
			Sid: "DenyChangingTheBoundaryPolicy", Effect: "Deny",
			Action: []string{
				"iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion",
			},
			Resource: []string{testBoundaryARN},
		},
		{
			Sid: "DenyChangingTheCIRoles", Effect: "Deny",
			Action: []string{
				"iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy",
				"iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary",
				"iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:TagRole", "iam:UntagRole",
			},
			Resource: []string{
				"arn:aws:iam::*:role/fargateship-github-preview",
				"arn:aws:iam::*:role/fargateship-github-deploy",
			},
		},
		{
			Sid: "DenyOtherDnsRecordTypes", Effect: "Deny",
			Action:   []string{"route53:ChangeResourceRecordSets"},
			Resource: []string{"arn:aws:route53:::hostedzone/*"},
			Condition: Conditions{"ForAnyValue:StringNotEquals": {
				"route53:ChangeResourceRecordSetsRecordTypes": {"A", "CNAME"},
			}},
		},
	}
	if !reflect.DeepEqual(denies, want) {
		t.Errorf("deny statements:\n got %+v\nwant %+v", denies, want)
	}
}

func TestOutputs(t *testing.T) {
	m, err := run(t, map[string]string{"githubRepository": "acme/fargateship"})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{
		"oidcProviderArn":            testProviderARN,
		"previewRoleArn":             "arn:aws:iam::" + testAccount + ":role/fargateship-github-preview",
		"deployRoleArn":              "arn:aws:iam::" + testAccount + ":role/fargateship-github-deploy",
		"taskPermissionsBoundaryArn": testBoundaryARN,
	}
	if !reflect.DeepEqual(m.exports, want) {
		t.Errorf("outputs:\n got %v\nwant %v", m.exports, want)
	}
}
