package cicd

import (
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// iamGlob reports whether an IAM pattern ('*' and '?' wildcards, crossing
// '/' and ':', as StringLike and Resource matching define them) matches s.
func iamGlob(pattern, s string, foldCase bool) bool {
	re := "^" + strings.NewReplacer(`\*`, ".*", `\?`, ".").Replace(regexp.QuoteMeta(pattern)) + "$"
	if foldCase {
		re = "(?i)" + re
	}
	return regexp.MustCompile(re).MatchString(s)
}

// trusts evaluates a GitHub trust policy for a token with this audience
// and subject: every operator of the statement must hold (StringEquals:
// one of the values exactly; StringLike: one of the patterns). These are
// the only operators the trust policies use (asserted below).
func trusts(t *testing.T, doc PolicyDocument, aud, sub string) bool {
	t.Helper()
	claims := map[string]string{GitHubOIDCHost + ":aud": aud, GitHubOIDCHost + ":sub": sub}
	for _, s := range doc.Statement {
		if s.Effect != "Allow" || !reflect.DeepEqual(s.Action, []string{"sts:AssumeRoleWithWebIdentity"}) {
			t.Fatalf("unexpected trust statement %+v", s)
		}
		ok := true
		for op, keys := range s.Condition {
			for key, values := range keys {
				match := false
				for _, v := range values {
					switch op {
					case "StringEquals":
						match = match || claims[key] == v
					case "StringLike":
						match = match || iamGlob(v, claims[key], false)
					default:
						t.Fatalf("trust policy uses operator %s", op)
					}
				}
				ok = ok && match
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// The subjects GitHub issues with the repository's subject template
// (SubjectClaimKeys = repo, context, ref) to the jobs that matter.
func TestEachRoleTrustsOnlyItsJob(t *testing.T) {
	for _, repo := range []string{"acme/fargateship", "acme@1234567/fargateship@987654321"} {
		t.Run(repo, func(t *testing.T) {
			m := mustRun(t, map[string]string{"githubRepository": repo})
			r := "repo:" + repo + ":"
			subjects := map[string]string{
				"pull request":                      r + "pull_request:ref:refs/pull/42/merge",
				"dev environment on main":           r + "environment:dev:ref:refs/heads/main",
				"prod environment on main":          r + "environment:prod:ref:refs/heads/main",
				"reaper environment on main":        r + "environment:sandbox-reaper:ref:refs/heads/main",
				"push to main, no environment":      r + "ref:refs/heads/main:ref:refs/heads/main",
				"prod environment on a branch":      r + "environment:prod:ref:refs/heads/feature",
				"prod environment in a PR":          r + "environment:prod:ref:refs/pull/42/merge",
				"dev environment on a branch":       r + "environment:dev:ref:refs/heads/main-copy",
				"reaper environment on a tag":       r + "environment:sandbox-reaper:ref:refs/tags/v1",
				"prod, default subject format":      r + "environment:prod",
				"pull request, default format":      r + "pull_request",
				"another repository's PR":           "repo:acme/other:pull_request:ref:refs/pull/1/merge",
				"another repository's prod on main": "repo:evil/fargateship:environment:prod:ref:refs/heads/main",
			}
			want := map[string]string{
				"preview":     "pull request",
				"deploy-dev":  "dev environment on main",
				"deploy-prod": "prod environment on main",
				"reaper":      "reaper environment on main",
			}
			for _, role := range ciRoles {
				doc := policyOf(t, m.find(t, "aws:iam/role:Role", role), "assumeRolePolicy")
				for job, sub := range subjects {
					if got := trusts(t, doc, "sts.amazonaws.com", sub); got != (job == want[role]) {
						t.Errorf("%s role trusts %q (%s) = %v", role, job, sub, got)
					}
				}
				if trusts(t, doc, "https://github.com/acme", subjects[want[role]]) {
					t.Errorf("%s role trusts a token for another audience", role)
				}
			}
		})
	}
}

func TestTrustPolicies(t *testing.T) {
	m := mustRun(t, map[string]string{"githubRepository": "acme/fargateship", "deployBranch": "release"})
	aud := map[string][]string{"token.actions.githubusercontent.com:aud": {"sts.amazonaws.com"}}
	exact := func(sid, sub string) PolicyDocument {
		return NewPolicy(Statement{
			Sid: sid, Effect: "Allow", Principal: &Principal{Federated: testProviderARN},
			Action: []string{"sts:AssumeRoleWithWebIdentity"},
			Condition: Conditions{"StringEquals": {
				"token.actions.githubusercontent.com:aud": {"sts.amazonaws.com"},
				"token.actions.githubusercontent.com:sub": {sub},
			}},
		})
	}
	want := map[string]PolicyDocument{
		"preview": NewPolicy(Statement{
			Sid: "GitHubActionsPullRequests", Effect: "Allow", Principal: &Principal{Federated: testProviderARN},
			Action: []string{"sts:AssumeRoleWithWebIdentity"},
			Condition: Conditions{
				"StringEquals": aud,
				"StringLike":   {"token.actions.githubusercontent.com:sub": {"repo:acme/fargateship:pull_request:ref:refs/pull/*/merge"}},
			},
		}),
		"deploy-dev":  exact("GitHubActionsDevEnvironmentOnMain", "repo:acme/fargateship:environment:dev:ref:refs/heads/release"),
		"deploy-prod": exact("GitHubActionsProdEnvironmentOnMain", "repo:acme/fargateship:environment:prod:ref:refs/heads/release"),
		"reaper":      exact("GitHubActionsReaperEnvironmentOnMain", "repo:acme/fargateship:environment:sandbox-reaper:ref:refs/heads/release"),
	}
	names := map[string]string{
		"preview": "fargateship-github-preview", "deploy-dev": "fargateship-github-deploy-dev",
		"deploy-prod": "fargateship-github-deploy-prod", "reaper": "fargateship-github-reaper",
	}
	sessions := map[string]float64{"preview": 3600, "deploy-dev": 10800, "deploy-prod": 10800, "reaper": 7200}
	for _, name := range ciRoles {
		role := m.find(t, "aws:iam/role:Role", name)
		if got := policyOf(t, role, "assumeRolePolicy"); !reflect.DeepEqual(got, want[name]) {
			t.Errorf("%s trust policy:\n got %+v\nwant %+v", name, got, want[name])
		}
		if got := role.Inputs["name"].StringValue(); got != names[name] {
			t.Errorf("%s role name = %q, want %q", name, got, names[name])
		}
		if got := role.Inputs["path"].StringValue(); got != "/" {
			t.Errorf("%s role path = %q, want / (outside the task roles' /fargateship/)", name, got)
		}
		if got := role.Inputs["maxSessionDuration"].NumberValue(); got != sessions[name] {
			t.Errorf("%s max session = %v s, want %v", name, got, sessions[name])
		}
	}
	// Every attachment is one of a CI role's own policies "<role>-N":
	// no AWS managed policy on any role (the execution roles included:
	// the main program writes their inline policy).
	for _, att := range m.byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment") {
		arn := att.Inputs["policyArn"].StringValue()
		if !strings.HasPrefix(arn, "arn:aws:iam::"+testAccount+":policy/fargateship-github-") {
			t.Errorf("policy %s attached by %s: roles get only the bootstrap's own CI policies", arn, att.Name)
		}
	}
	if n := len(m.byType("aws:iam/rolePolicy:RolePolicy")); n != 0 {
		t.Errorf("%d inline role policies, want none", n)
	}
}

func TestSubjectClaimTemplate(t *testing.T) {
	// docs/delivery.md sets exactly this template; the trust policies
	// above are written for it.
	if want := []string{"repo", "context", "ref"}; !reflect.DeepEqual(SubjectClaimKeys, want) {
		t.Errorf("SubjectClaimKeys = %q, want %q", SubjectClaimKeys, want)
	}
}

func TestOIDCProvider(t *testing.T) {
	m := mustRun(t, map[string]string{"githubRepository": "acme/fargateship"})
	providers := m.byType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")
	if len(providers) != 1 {
		t.Fatalf("%d OIDC providers registered, want 1", len(providers))
	}
	in := providers[0].Inputs
	if got := in["url"].StringValue(); got != "https://token.actions.githubusercontent.com" {
		t.Errorf("provider url = %q", got)
	}
	ids := in["clientIdLists"].ArrayValue()
	if len(ids) != 1 || ids[0].StringValue() != "sts.amazonaws.com" {
		t.Errorf("provider client ids = %v, want [sts.amazonaws.com]", ids)
	}
}

func TestExistingOIDCProviderIsReused(t *testing.T) {
	existing := "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com"
	m := mustRun(t, map[string]string{"githubRepository": "acme/fargateship", "existingOidcProviderArn": existing})
	if n := len(m.byType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")); n != 0 {
		t.Errorf("%d OIDC providers created, want 0 when one is given", n)
	}
	for _, name := range ciRoles {
		doc := policyOf(t, m.find(t, "aws:iam/role:Role", name), "assumeRolePolicy")
		if got := doc.Statement[0].Principal.Federated; got != existing {
			t.Errorf("%s trust principal = %q, want %q", name, got, existing)
		}
	}
}

// The dev and prod stacks' roles exist before CI runs, with the boundary
// and their service's trust policy; CI can neither create nor re-trust
// them.
func TestTaskRolesAreCreatedByTheBootstrap(t *testing.T) {
	m := mustRun(t, map[string]string{"githubRepository": "acme/fargateship"})
	for _, stack := range []string{"dev", "prod"} {
		for _, kind := range []string{"execution", "task", "flow-logs", "scheduler"} {
			role := m.find(t, "aws:iam/role:Role", stack+"-"+kind)
			in := role.Inputs
			if got := in["name"].StringValue(); got != "fargateship-"+stack+"-"+kind {
				t.Errorf("%s-%s name = %q", stack, kind, got)
			}
			if got := in["path"].StringValue(); got != "/fargateship/"+stack+"/" {
				t.Errorf("%s-%s path = %q", stack, kind, got)
			}
			if got := in["permissionsBoundary"].StringValue(); got != testBoundaryARN {
				t.Errorf("%s-%s boundary = %q", stack, kind, got)
			}
			if got := in["tags"].ObjectValue()["stack"].StringValue(); got != stack {
				t.Errorf("%s-%s stack tag = %q", stack, kind, got)
			}
			want := NewPolicy(Statement{
				Sid: "EcsTasksOfThisAccount", Effect: "Allow", Principal: &Principal{Service: "ecs-tasks.amazonaws.com"},
				Action: []string{"sts:AssumeRole"},
				Condition: Conditions{
					"StringEquals": {"aws:SourceAccount": {testAccount}},
					"ArnLike":      {"aws:SourceArn": {"arn:aws:ecs:*:" + testAccount + ":*"}},
				},
			})
			switch kind {
			case "flow-logs":
				want = NewPolicy(Statement{
					Sid: "VpcFlowLogsOfThisAccount", Effect: "Allow", Principal: &Principal{Service: "vpc-flow-logs.amazonaws.com"},
					Action: []string{"sts:AssumeRole"},
					Condition: Conditions{
						"StringEquals": {"aws:SourceAccount": {testAccount}},
						"ArnLike":      {"aws:SourceArn": {"arn:aws:ec2:*:" + testAccount + ":vpc-flow-log/*"}},
					},
				})
			case "scheduler":
				// The main program's group is "<project>-<stack>"
				// (infra/schedules.go): only schedules in it may use
				// the role.
				want = NewPolicy(Statement{
					Sid: "SchedulerForTheStacksGroup", Effect: "Allow", Principal: &Principal{Service: "scheduler.amazonaws.com"},
					Action: []string{"sts:AssumeRole"},
					Condition: Conditions{
						"StringEquals": {"aws:SourceAccount": {testAccount}},
						"ArnLike":      {"aws:SourceArn": {"arn:aws:scheduler:*:" + testAccount + ":schedule-group/fargateship-" + stack}},
					},
				})
			}
			if got := policyOf(t, role, "assumeRolePolicy"); !reflect.DeepEqual(got, want) {
				t.Errorf("%s-%s trust:\n got %+v\nwant %+v", stack, kind, got, want)
			}
		}
	}
	// The roles carry no policy at all until the main program writes its
	// inline ones: no AmazonECSTaskExecutionRolePolicy (every repository
	// and log group of the account) on the execution roles.
	for _, att := range m.byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment") {
		if role := att.Inputs["role"].StringValue(); !strings.HasPrefix(role, "fargateship-github-") {
			t.Errorf("policy %s attached to %s", att.Inputs["policyArn"].StringValue(), role)
		}
	}
	if n := len(m.byType("aws:iam/rolePolicy:RolePolicy")); n != 0 {
		t.Errorf("%d inline policies written by the bootstrap, want none", n)
	}
}

func TestOutputs(t *testing.T) {
	m := mustRun(t, map[string]string{"githubRepository": "acme/fargateship"})
	want := map[string]string{
		"oidcProviderArn":            testProviderARN,
		"previewRoleArn":             "arn:aws:iam::" + testAccount + ":role/fargateship-github-preview",
		"devDeployRoleArn":           "arn:aws:iam::" + testAccount + ":role/fargateship-github-deploy-dev",
		"prodDeployRoleArn":          "arn:aws:iam::" + testAccount + ":role/fargateship-github-deploy-prod",
		"reaperRoleArn":              "arn:aws:iam::" + testAccount + ":role/fargateship-github-reaper",
		"taskPermissionsBoundaryArn": testBoundaryARN,
		"devExecutionRoleArn":        "arn:aws:iam::" + testAccount + ":role/fargateship/dev/fargateship-dev-execution",
		"devTaskRoleArn":             "arn:aws:iam::" + testAccount + ":role/fargateship/dev/fargateship-dev-task",
		"prodExecutionRoleArn":       "arn:aws:iam::" + testAccount + ":role/fargateship/prod/fargateship-prod-execution",
		"prodTaskRoleArn":            "arn:aws:iam::" + testAccount + ":role/fargateship/prod/fargateship-prod-task",
		"devFlowLogsRoleArn":         "arn:aws:iam::" + testAccount + ":role/fargateship/dev/fargateship-dev-flow-logs",
		"prodFlowLogsRoleArn":        "arn:aws:iam::" + testAccount + ":role/fargateship/prod/fargateship-prod-flow-logs",
		"devSchedulerRoleArn":        "arn:aws:iam::" + testAccount + ":role/fargateship/dev/fargateship-dev-scheduler",
		"prodSchedulerRoleArn":       "arn:aws:iam::" + testAccount + ":role/fargateship/prod/fargateship-prod-scheduler",
	}
	got := map[string]string{}
	for k, v := range m.exports {
		if s, ok := v.(string); ok {
			got[k] = s
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("outputs:\n got %v\nwant %v", got, want)
	}
	for _, k := range []string{"devServiceRoles", "prodServiceRoles"} {
		if v, ok := m.exports[k].(map[string]any); !ok || len(v) != 0 {
			t.Errorf("%s = %v, want an empty map without services", k, m.exports[k])
		}
	}
}

// A stack's services other than app get their own execution and task
// roles from the bootstrap, under the stack's path, with the boundary and
// the ECS tasks trust; the outputs are what the main program's
// services.<name>.executionRoleArn and .taskRoleArn take.
func TestServiceRolesAreCreatedByTheBootstrap(t *testing.T) {
	m := mustRun(t, map[string]string{"githubRepository": "acme/fargateship", "services": `{"dev":["api","worker"],"prod":["api"]}`})
	for _, name := range []string{"dev-api-execution", "dev-api-task", "dev-worker-execution", "dev-worker-task", "prod-api-execution", "prod-api-task"} {
		r := m.find(t, "aws:iam/role:Role", name)
		stack := strings.SplitN(name, "-", 2)[0]
		if got := r.Inputs["path"].StringValue(); got != "/fargateship/"+stack+"/" {
			t.Errorf("%s path %q", name, got)
		}
		if got := r.Inputs["name"].StringValue(); got != "fargateship-"+name {
			t.Errorf("%s name %q", name, got)
		}
		if got := r.Inputs["permissionsBoundary"].StringValue(); got != testBoundaryARN {
			t.Errorf("%s boundary %q", name, got)
		}
		if policyOf(t, r, "assumeRolePolicy").Statement[0].Principal.Service != "ecs-tasks.amazonaws.com" {
			t.Errorf("%s trust", name)
		}
	}
	dev := m.exports["devServiceRoles"].(map[string]any)
	if got := dev["api"].(map[string]any)["taskRoleArn"]; got != "arn:aws:iam::"+testAccount+":role/fargateship/dev/fargateship-dev-api-task" {
		t.Errorf("devServiceRoles.api.taskRoleArn = %v", got)
	}
	for _, cfg := range []string{`{"staging":["api"]}`, `{"dev":["app"]}`, `{"dev":["Api"]}`, `{"dev":["api","api"]}`, `{"dev":["` + strings.Repeat("a", 32) + `"]}`} {
		if _, err := run(t, map[string]string{"githubRepository": "acme/fargateship", "projectName": "p" + strings.Repeat("x", 30), "services": cfg}); err == nil ||
			!strings.Contains(err.Error(), `config "services"`) {
			t.Errorf("services %s: %v", cfg, err)
		}
	}
}

func TestGoodConfigIsAccepted(t *testing.T) {
	cases := map[string]map[string]string{
		"id-qualified repository": {"githubRepository": "acme@1234567/fargateship@987654321"},
		"keys for every stack":    fullConfig(),
		"only a dev key":          {"githubRepository": "acme/fargateship", "secretsKmsKeyArns": `{"dev":"` + testDevKey + `"}`},
		"custom environments":     {"githubRepository": "acme/fargateship", "devEnvironment": "staging", "prodEnvironment": "production", "reaperEnvironment": "cleanup"},
	}
	for name, cfg := range cases {
		t.Run(name, func(t *testing.T) { mustRun(t, cfg) })
	}
}

func TestBadConfigIsRejected(t *testing.T) {
	repo := "acme/fargateship"
	cases := map[string]struct {
		cfg  map[string]string
		want string // in the error: the key and what is allowed
	}{
		"missing repository":      {map[string]string{}, `"githubRepository": is required`},
		"repository without repo": {map[string]string{"githubRepository": "acme"}, `"acme" is not a GitHub owner/repo`},
		"repository with space":   {map[string]string{"githubRepository": "acme/far gate"}, "githubRepository"},
		"wildcard repository":     {map[string]string{"githubRepository": "acme/*"}, "githubRepository"},
		"repository url":          {map[string]string{"githubRepository": "https://github.com/acme/fargateship"}, "githubRepository"},
		"three parts":             {map[string]string{"githubRepository": "acme/fargateship/extra"}, "githubRepository"},
		"owner with underscore":   {map[string]string{"githubRepository": "ac_me/fargateship"}, "githubRepository"},
		"dot-dot repo":            {map[string]string{"githubRepository": "acme/.."}, "githubRepository"},
		"id on the owner only":    {map[string]string{"githubRepository": "acme@123/fargateship"}, "owner@OWNER_ID/repo@REPO_ID"},
		"non-numeric id":          {map[string]string{"githubRepository": "acme@x/fargateship@1"}, "githubRepository"},
		"wildcard id":             {map[string]string{"githubRepository": "acme@*/fargateship@*"}, "githubRepository"},
		"wildcard branch":         {map[string]string{"githubRepository": repo, "deployBranch": "*"}, `"deployBranch": "*" is not a plain branch name`},
		"wildcard environment":    {map[string]string{"githubRepository": repo, "prodEnvironment": "pr?d"}, `"prodEnvironment"`},
		"environment with colon":  {map[string]string{"githubRepository": repo, "devEnvironment": "dev:ref"}, `"devEnvironment"`},
		"shared environment":      {map[string]string{"githubRepository": repo, "reaperEnvironment": "prod"}, "each role needs its own environment"},
		"upper-case project":      {map[string]string{"githubRepository": repo, "projectName": "FargateShip"}, `"projectName"`},
		"foreign oidc provider":   {map[string]string{"githubRepository": repo, "existingOidcProviderArn": "arn:aws:iam::123456789012:oidc-provider/accounts.google.com"}, `"existingOidcProviderArn"`},
		"bucket url":              {map[string]string{"githubRepository": repo, "stateBucketName": "s3://acme-state"}, `"stateBucketName"`},
		"old single key":          {map[string]string{"githubRepository": repo, "secretsKmsKeyArn": testDevKey}, `"secretsKmsKeyArn" is replaced by "secretsKmsKeyArns"`},
		"keys not an object":      {map[string]string{"githubRepository": repo, "secretsKmsKeyArns": `["` + testDevKey + `"]`}, "is not an object of stack name to key ARN"},
		"alias arn":               {map[string]string{"githubRepository": repo, "secretsKmsKeyArns": `{"dev":"arn:aws:kms:us-east-1:123456789012:alias/pulumi"}`}, "is an alias ARN; IAM policies match key ARNs only"},
		"key id, not arn":         {map[string]string{"githubRepository": repo, "secretsKmsKeyArns": `{"dev":"1234abcd-12ab-34cd-56ef-1234567890ab"}`}, "is not a KMS key ARN"},
		"wildcard key":            {map[string]string{"githubRepository": repo, "secretsKmsKeyArns": `{"dev":"arn:aws:kms:us-east-1:123456789012:key/*"}`}, "is not a KMS key ARN"},
		"unknown stack":           {map[string]string{"githubRepository": repo, "secretsKmsKeyArns": `{"staging":"` + testDevKey + `"}`}, `stack "staging": allowed stack names are "dev", "prod" and "sandbox-*"`},
		"one key for two stacks":  {map[string]string{"githubRepository": repo, "secretsKmsKeyArns": `{"dev":"` + testDevKey + `","prod":"` + testDevKey + `"}`}, "each stack needs its own key"},
		"zone ids not a list":     {map[string]string{"githubRepository": repo, "hostedZoneIds": "Z0123456789ABCDEFGHIJ"}, `"hostedZoneIds"`},
		"zone id with prefix":     {map[string]string{"githubRepository": repo, "hostedZoneIds": `["/hostedzone/Z0123456789ABCDEFGHIJ"]`}, "without /hostedzone/"},
		"lower-case zone id":      {map[string]string{"githubRepository": repo, "hostedZoneIds": `["z0123456789abcdefghij"]`}, `"hostedZoneIds"`},
		"wildcard zone id":        {map[string]string{"githubRepository": repo, "hostedZoneIds": `["Z*"]`}, `"hostedZoneIds"`},
		"zone id twice":           {map[string]string{"githubRepository": repo, "hostedZoneIds": `["Z0123456789ABCDEFGHIJ","Z0123456789ABCDEFGHIJ"]`}, "is listed twice"},
		"too many zone ids":       {map[string]string{"githubRepository": repo, "hostedZoneIds": manyZoneIDs(MaxHostedZoneIDs + 1)}, "at most 10 are allowed"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			m, err := run(t, tc.cfg)
			if err == nil {
				t.Fatalf("config %v accepted", tc.cfg)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error does not say %q:\n%v", tc.want, err)
			}
			if n := len(m.resources); n != 0 {
				t.Errorf("%d resources registered despite bad config", n)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	err := Config{
		GitHubRepository: "x", DeployBranch: "*", DevEnvironment: "dev", ProdEnvironment: "prod",
		ReaperEnvironment: "r", ProjectName: "fargateship",
		SecretsKMSKeyARNs: map[string]string{"dev": "arn:aws:kms:us-east-1:123456789012:alias/a", "prod": "x"},
	}.Validate()
	if err == nil {
		t.Fatal("invalid config accepted")
	}
	var lines []string
	for _, l := range strings.Split(err.Error(), "\n") {
		lines = append(lines, strings.SplitN(l, ":", 2)[0])
	}
	sort.Strings(lines)
	want := []string{`config "deployBranch"`, `config "githubRepository"`, `config "secretsKmsKeyArns"`, `config "secretsKmsKeyArns"`}
	if !reflect.DeepEqual(lines, want) {
		t.Errorf("errors for keys %q, want %q:\n%v", lines, want, err)
	}
}
