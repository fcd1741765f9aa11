package cicd

import (
	"reflect"
	"strings"
	"testing"
)

func TestTaskBoundaryPolicy(t *testing.T) {
	m := mustRun(t, map[string]string{"githubRepository": "acme/fargateship"})
	p := m.find(t, "aws:iam/policy:Policy", "task-boundary")
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
		{
			Sid: "WriteProjectFlowLogs", Effect: "Allow",
			Action: []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogGroups", "logs:DescribeLogStreams"},
			Resource: []string{
				"arn:aws:logs:*:*:log-group:/vpc/fargateship-*/flow-logs",
				"arn:aws:logs:*:*:log-group:/vpc/fargateship-*/flow-logs:*",
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

// The project name scopes the boundary, and the deploy roles' boundary
// condition names the boundary the bootstrap creates.
func TestBoundaryFollowsProjectName(t *testing.T) {
	m := mustRun(t, map[string]string{"githubRepository": "acme/shop", "projectName": "shop"})
	p := m.find(t, "aws:iam/policy:Policy", "task-boundary")
	for _, s := range policyOf(t, p, "policy").Statement {
		for _, r := range s.Resource {
			if r != "*" && !strings.Contains(r, "shop-*") {
				t.Errorf("statement %s: resource %q not scoped to shop-", s.Sid, r)
			}
		}
	}
	want := "arn:aws:iam::" + testAccount + ":policy/shop-task-boundary"
	if got := m.exports["taskPermissionsBoundaryArn"]; got != want {
		t.Errorf("taskPermissionsBoundaryArn = %v, want %q", got, want)
	}
	for _, role := range []string{"deploy-dev", "deploy-prod"} {
		s := bySid(t, permissions(t, m, role))["IamWriteBoundedTaskRolePolicies"]
		if got := s.Condition["StringEquals"]["iam:PermissionsBoundary"]; !reflect.DeepEqual(got, []string{want}) {
			t.Errorf("%s boundary condition = %q, want %q", role, got, want)
		}
	}
	for _, kind := range TaskRoleKinds {
		for _, stack := range []string{"dev", "prod"} {
			r := m.find(t, "aws:iam/role:Role", stack+"-"+kind)
			if got := r.Inputs["permissionsBoundary"].StringValue(); got != want {
				t.Errorf("%s-%s boundary = %q", stack, kind, got)
			}
		}
	}
}
