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
	a := "arn:aws:%s:*:" + testAccount + ":"
	arn := func(service, resource string) string { return strings.Replace(a, "%s", service, 1) + resource }
	want := PolicyDocument{Version: "2012-10-17", Statement: []Statement{
		{Sid: "EcrAuthToken", Effect: "Allow", Action: []string{"ecr:GetAuthorizationToken"}, Resource: []string{"*"}},
		{
			Sid: "EcrPullProjectImages", Effect: "Allow",
			Action:   []string{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"},
			Resource: []string{arn("ecr", "repository/fargateship-*")},
		},
		{
			Sid: "WriteProjectTaskLogs", Effect: "Allow",
			Action:   []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			Resource: []string{arn("logs", "log-group:/ecs/fargateship-*"), arn("logs", "log-group:/ecs/fargateship-*:*")},
		},
		{
			Sid: "ReadProjectSecrets", Effect: "Allow",
			Action:   []string{"secretsmanager:GetSecretValue"},
			Resource: []string{arn("secretsmanager", "secret:fargateship-*")},
		},
		{
			Sid: "DecryptSecretsViaSecretsManager", Effect: "Allow",
			Action:    []string{"kms:Decrypt"},
			Resource:  []string{arn("kms", "key/*")},
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
		{Sid: "LookUpLogGroups", Effect: "Allow", Action: []string{"logs:DescribeLogGroups"}, Resource: []string{"*"}},
		{
			Sid: "ExecSessionLogStreams", Effect: "Allow",
			Action:   []string{"logs:DescribeLogStreams"},
			Resource: []string{arn("logs", "log-group:/ecs/fargateship-*/exec:*")},
		},
		{
			Sid: "WriteProjectFlowLogs", Effect: "Allow",
			Action: []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
			Resource: []string{
				arn("logs", "log-group:/vpc/fargateship-*/flow-logs"),
				arn("logs", "log-group:/vpc/fargateship-*/flow-logs:*"),
			},
		},
		{
			Sid: "RunProjectTasksOnProjectClusters", Effect: "Allow",
			Action:    []string{"ecs:RunTask"},
			Resource:  []string{arn("ecs", "task-definition/fargateship-*:*")},
			Condition: Conditions{"ArnLike": {"ecs:cluster": {arn("ecs", "cluster/fargateship-*")}}},
		},
		{
			Sid: "PassProjectRolesToEcsTasks", Effect: "Allow",
			Action:    []string{"iam:PassRole"},
			Resource:  []string{"arn:aws:iam::" + testAccount + ":role/fargateship/*"},
			Condition: Conditions{"StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}},
		},
	}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("boundary policy:\n got %+v\nwant %+v", got, want)
	}
}

// programGrant is one (action, resource) the main program's inline
// policies grant a stack's roles, as AWS sees the request.
type programGrant struct{ role, action, resource string }

// programGrants are the grants of the main program's inline policies for
// one stack, every action on every resource they name (infra/iam.go
// NewTaskRoles: "<name>-execution", "-execution-secrets", "-task-exec";
// infra/network.go flowLog; infra/schedules.go NewSchedules), with the
// names the program gives the stack's resources (infra/naming.go,
// infra/program.go: repository, family and cluster "<base>", log groups
// "/ecs/<base>", "/ecs/<base>/exec", "/vpc/<base>/flow-logs", secrets
// "<base>/NAME") and the roles the stack runs with.
func programGrants(stack string, roles []string) []programGrant {
	b := "fargateship-" + stack
	r := "arn:aws:%s:us-east-1:" + testAccount + ":"
	arn := func(service, resource string) string { return strings.Replace(r, "%s", service, 1) + resource }
	app, exec, flow := arn("logs", "log-group:/ecs/"+b), arn("logs", "log-group:/ecs/"+b+"/exec"), arn("logs", "log-group:/vpc/"+b+"/flow-logs")
	var out []programGrant
	add := func(role string, actions []string, resources ...string) {
		for _, a := range actions {
			for _, res := range resources {
				out = append(out, programGrant{role, a, res})
			}
		}
	}
	add("execution", []string{"logs:CreateLogStream", "logs:PutLogEvents"}, app, app+":*")
	add("execution", []string{"ecr:GetAuthorizationToken"}, "*")
	add("execution", []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"}, arn("ecr", "repository/"+b))
	add("execution", []string{"secretsmanager:GetSecretValue"}, arn("secretsmanager", "secret:"+b+"/API_KEY-AbCdEf"))
	add("execution", []string{"kms:Decrypt"}, testDevKey) // through Secrets Manager
	add("task", ecsExecChannelActions, "*")
	add("task", []string{"logs:DescribeLogGroups"}, "*")
	add("task", []string{"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"}, exec+":*")
	add("flow-logs", []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"}, flow, flow+":*")
	add("flow-logs", []string{"logs:DescribeLogGroups"}, "*")
	add("scheduler", []string{"ecs:RunTask"}, arn("ecs", "task-definition/"+b+":7")) // on cluster/<base>
	add("scheduler", []string{"iam:PassRole"}, roles...)                             // to ecs-tasks.amazonaws.com
	return out
}

// The boundary allows every grant of the main program's inline policies,
// for the bootstrap's dev and prod roles and a sandbox's own roles, and
// every one of its statements and actions is needed by one of them: it
// allows nothing the program does not grant, beyond the project-wide
// patterns one boundary for every stack needs. Conditions are asserted in
// TestTaskBoundaryPolicy; the evaluator counts them as met.
func TestBoundaryAllowsExactlyWhatTheProgramGrants(t *testing.T) {
	m := mustRun(t, map[string]string{"githubRepository": "acme/fargateship"})
	boundary := policyOf(t, m.find(t, "aws:iam/policy:Policy", "task-boundary"), "policy")
	var grants []programGrant
	for _, stack := range []string{"dev", "prod"} {
		grants = append(grants, programGrants(stack, []string{
			roleARN("fargateship/" + stack + "/fargateship-" + stack + "-execution"),
			roleARN("fargateship/" + stack + "/fargateship-" + stack + "-task"),
		})...)
	}
	// A sandbox's roles, auto-named by the main program under /fargateship/.
	grants = append(grants, programGrants("sandbox-alice", []string{
		roleARN("fargateship/roles-execution-abc1234"), roleARN("fargateship/roles-task-abc1234"),
	})...)
	for _, g := range grants {
		if got := evaluate(boundary, g.action, g.resource); got != allowed {
			t.Errorf("the boundary refuses the %s role's %s on %s, which the main program grants", g.role, g.action, g.resource)
		}
	}
	for _, s := range boundary.Statement {
		for _, action := range s.Action {
			used := false
			for _, g := range grants {
				used = used || evaluate(NewPolicy(allow("", []string{action}, s.Resource)), g.action, g.resource) == allowed
			}
			if !used {
				t.Errorf("boundary statement %s allows %s, which no inline policy of the main program grants", s.Sid, action)
			}
		}
	}
	// What the program never grants: its roles can never get it.
	other := "999999999999"
	for _, r := range []request{
		{"ecr:PutImage", repoARN("fargateship-dev"), refused},
		{"ecr:BatchGetImage", repoARN("other-app"), refused},
		{"ecr:BatchGetImage", "arn:aws:ecr:us-east-1:" + other + ":repository/fargateship-dev", refused},
		{"logs:CreateLogStream", logARN("/ecs/other-app"), refused},
		{"logs:DeleteLogGroup", logARN("/ecs/fargateship-dev"), refused},
		{"logs:GetLogEvents", logARN("/ecs/fargateship-dev"), refused},
		{"logs:DescribeLogStreams", logARN("/ecs/fargateship-dev"), refused},
		{"logs:PutLogEvents", "arn:aws:logs:us-east-1:" + other + ":log-group:/ecs/fargateship-dev:*", refused},
		{"secretsmanager:GetSecretValue", secretARN("other-app/DB"), refused},
		{"secretsmanager:GetSecretValue", "arn:aws:secretsmanager:us-east-1:" + other + ":secret:fargateship-dev/API_KEY-AbCdEf", refused},
		{"secretsmanager:PutSecretValue", secretARN("fargateship-dev/API_KEY"), refused},
		{"kms:Decrypt", "arn:aws:kms:us-east-1:" + other + ":key/11111111-2222-3333-4444-555555555555", refused},
		{"kms:Encrypt", testDevKey, refused},
		{"ecs:RunTask", "arn:aws:ecs:us-east-1:" + acct + ":task-definition/other-app:1", refused},
		{"ecs:RunTask", "arn:aws:ecs:us-east-1:" + other + ":task-definition/fargateship-dev:1", refused},
		{"ecs:StopTask", "arn:aws:ecs:us-east-1:" + acct + ":task/fargateship-dev/abc", refused},
		{"ecs:RegisterTaskDefinition", "*", refused},
		{"iam:PassRole", roleARN("admin"), refused},
		{"iam:PassRole", roleARN("fargateship-github-deploy-prod"), refused},
		{"iam:PassRole", "arn:aws:iam::" + other + ":role/fargateship/x", refused},
		{"iam:CreateRole", roleARN("fargateship/x"), refused},
		{"sts:AssumeRole", roleARN("fargateship/dev/fargateship-dev-task"), refused},
		{"s3:GetObject", "arn:aws:s3:::acme-pulumi-state/.pulumi/stacks/fargateship/prod.json", refused},
		{"scheduler:CreateSchedule", "arn:aws:scheduler:us-east-1:" + acct + ":schedule/fargateship-dev/x", refused},
	} {
		if got := evaluate(boundary, r.action, r.resource); got != r.want {
			t.Errorf("boundary: %s on %s is %v, want %v", r.action, r.resource, got, r.want)
		}
	}
}

// The project name scopes the boundary, and the deploy roles' boundary
// condition names the boundary the bootstrap creates.
func TestBoundaryFollowsProjectName(t *testing.T) {
	m := mustRun(t, map[string]string{"githubRepository": "acme/shop", "projectName": "shop"})
	p := m.find(t, "aws:iam/policy:Policy", "task-boundary")
	for _, s := range policyOf(t, p, "policy").Statement {
		for _, r := range s.Resource {
			scoped := strings.Contains(r, "shop-*") || strings.HasSuffix(r, ":role/shop/*") || strings.HasSuffix(r, ":"+testAccount+":key/*")
			if r != "*" && !scoped {
				t.Errorf("statement %s: resource %q not scoped to shop", s.Sid, r)
			}
			if r != "*" && !strings.Contains(r, testAccount) {
				t.Errorf("statement %s: resource %q not scoped to the account", s.Sid, r)
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
