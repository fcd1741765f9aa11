package cicd

import (
	"encoding/json"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	testAccount     = "123456789012"
	testProviderARN = "arn:aws:iam::" + testAccount + ":oidc-provider/token.actions.githubusercontent.com"
	testBoundaryARN = "arn:aws:iam::" + testAccount + ":policy/fargateship-task-boundary"
)

// registered is one resource the program registered with the mock engine.
type registered struct {
	Type   string
	Name   string
	Inputs resource.PropertyMap
}

type mocks struct {
	mu        sync.Mutex
	resources []registered
	// exports are the stack outputs, resolved.
	exports map[string]any
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	m.mu.Lock()
	m.resources = append(m.resources, registered{Type: args.TypeToken, Name: args.Name, Inputs: args.Inputs})
	m.mu.Unlock()

	state := args.Inputs.Copy()
	id := args.Name + "-id"
	switch args.TypeToken {
	case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
		state["arn"] = resource.NewStringProperty(testProviderARN)
	case "aws:iam/role:Role":
		name := args.Inputs["name"].StringValue()
		id = name
		rolePath := "/"
		if p, ok := args.Inputs["path"]; ok && p.IsString() {
			rolePath = p.StringValue()
		}
		state["arn"] = resource.NewStringProperty("arn:aws:iam::" + testAccount + ":role" + rolePath + name)
	case "aws:iam/policy:Policy":
		name := args.Inputs["name"].StringValue()
		state["arn"] = resource.NewStringProperty("arn:aws:iam::" + testAccount + ":policy/" + name)
	}
	return id, state, nil
}

func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return args.Args, nil
}

func (m *mocks) byType(typ string) []registered {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []registered
	for _, r := range m.resources {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

func (m *mocks) find(t *testing.T, typ, name string) registered {
	t.Helper()
	for _, r := range m.byType(typ) {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no %s named %q was registered", typ, name)
	return registered{}
}

// run runs Program against the mocks with the given config (keys without
// the project namespace).
func run(t *testing.T, cfg map[string]string) (*mocks, error) {
	t.Helper()
	m := &mocks{exports: map[string]any{}}
	full := map[string]string{}
	for k, v := range cfg {
		full["fargateship-bootstrap:"+k] = v
	}
	program := func(ctx *pulumi.Context) error {
		if err := Program(ctx); err != nil {
			return err
		}
		// RunErr waits for these applies before it returns.
		for name, v := range ctx.GetCurrentExportMap() {
			pulumi.ToOutput(v).ApplyT(func(x any) any {
				m.mu.Lock()
				m.exports[name] = x
				m.mu.Unlock()
				return x
			})
		}
		return nil
	}
	err := pulumi.RunErr(program, pulumi.WithMocks("fargateship-bootstrap", "ci", m), func(info *pulumi.RunInfo) {
		info.Config = full
	})
	return m, err
}

// policyOf decodes a policy document input of a registered resource.
func policyOf(t *testing.T, r registered, key string) PolicyDocument {
	t.Helper()
	v, ok := r.Inputs[resource.PropertyKey(key)]
	if !ok || !v.IsString() {
		t.Fatalf("%s %q: input %q is not a known string: %v", r.Type, r.Name, key, v)
	}
	var doc PolicyDocument
	dec := json.NewDecoder(strings.NewReader(v.StringValue()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%s %q: %s is not a policy document: %v\n%s", r.Type, r.Name, key, err, v.StringValue())
	}
	return doc
}

func TestPreviewRoleTrustIsPullRequestsOfThisRepoOnly(t *testing.T) {
	m, err := run(t, map[string]string{"githubRepository": "acme/fargateship"})
	if err != nil {
		t.Fatal(err)
	}
	role := m.find(t, "aws:iam/role:Role", "preview")
	if got := role.Inputs["name"].StringValue(); got != "fargateship-github-preview" {
		t.Errorf("preview role name = %q", got)
	}
	got := policyOf(t, role, "assumeRolePolicy")
	want := PolicyDocument{Version: "2012-10-17", Statement: []Statement{{
		Sid:       "GitHubActionsPullRequests",
		Effect:    "Allow",
		Principal: &Principal{Federated: testProviderARN},
		Action:    []string{"sts:AssumeRoleWithWebIdentity"},
		Condition: Conditions{
			"StringEquals": {"token.actions.githubusercontent.com:aud": {"sts.amazonaws.com"}},
			"StringLike":   {"token.actions.githubusercontent.com:sub": {"repo:acme/fargateship:pull_request"}},
		},
	}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("preview trust policy:\n got %+v\nwant %+v", got, want)
	}

	att := m.find(t, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "preview-readonly")
	if got := att.Inputs["policyArn"].StringValue(); got != "arn:aws:iam::aws:policy/ReadOnlyAccess" {
		t.Errorf("preview role policy = %q, want ReadOnlyAccess", got)
	}
	if got := att.Inputs["role"].StringValue(); got != "fargateship-github-preview" {
		t.Errorf("ReadOnlyAccess attached to %q", got)
	}
	// The preview role gets no inline write permissions without a backend bucket.
	for _, p := range m.byType("aws:iam/rolePolicy:RolePolicy") {
		if p.Inputs["role"].StringValue() == "fargateship-github-preview" {
			t.Errorf("preview role has unexpected inline policy %q", p.Name)
		}
	}
}

func TestDeployRoleTrustIsMainAndProdEnvironmentOnly(t *testing.T) {
	m, err := run(t, map[string]string{"githubRepository": "acme/fargateship"})
	if err != nil {
		t.Fatal(err)
	}
	role := m.find(t, "aws:iam/role:Role", "deploy")
	got := policyOf(t, role, "assumeRolePolicy")
	want := PolicyDocument{Version: "2012-10-17", Statement: []Statement{{
		Sid:       "GitHubActionsMainAndProd",
		Effect:    "Allow",
		Principal: &Principal{Federated: testProviderARN},
		Action:    []string{"sts:AssumeRoleWithWebIdentity"},
		Condition: Conditions{
			"StringEquals": {
				"token.actions.githubusercontent.com:aud": {"sts.amazonaws.com"},
				"token.actions.githubusercontent.com:sub": {
					"repo:acme/fargateship:ref:refs/heads/main",
					"repo:acme/fargateship:environment:prod",
				},
			},
		},
	}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("deploy trust policy:\n got %+v\nwant %+v", got, want)
	}
	// No wildcard may reach an exact-match subject.
	for _, s := range got.Statement {
		if _, ok := s.Condition["StringLike"]; ok {
			t.Errorf("deploy trust uses StringLike: %+v", s.Condition)
		}
	}
}

func TestDeployTrustFollowsBranchAndEnvironmentConfig(t *testing.T) {
	m, err := run(t, map[string]string{
		"githubRepository": "Acme-Corp/ship.it",
		"deployBranch":     "release/v2",
		"prodEnvironment":  "production",
	})
	if err != nil {
		t.Fatal(err)
	}
	got := policyOf(t, m.find(t, "aws:iam/role:Role", "deploy"), "assumeRolePolicy")
	subs := got.Statement[0].Condition["StringEquals"]["token.actions.githubusercontent.com:sub"]
	want := []string{"repo:Acme-Corp/ship.it:ref:refs/heads/release/v2", "repo:Acme-Corp/ship.it:environment:production"}
	if !reflect.DeepEqual(subs, want) {
		t.Errorf("deploy subjects = %q, want %q", subs, want)
	}
}

func TestOIDCProvider(t *testing.T) {
	m, err := run(t, map[string]string{"githubRepository": "acme/fargateship"})
	if err != nil {
		t.Fatal(err)
	}
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
	m, err := run(t, map[string]string{"githubRepository": "acme/fargateship", "existingOidcProviderArn": existing})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(m.byType("aws:iam/openIdConnectProvider:OpenIdConnectProvider")); n != 0 {
		t.Errorf("%d OIDC providers created, want 0 when one is given", n)
	}
	for _, name := range []string{"preview", "deploy"} {
		doc := policyOf(t, m.find(t, "aws:iam/role:Role", name), "assumeRolePolicy")
		if got := doc.Statement[0].Principal.Federated; got != existing {
			t.Errorf("%s trust principal = %q, want %q", name, got, existing)
		}
	}
}

func TestDeployPermissionsAreScoped(t *testing.T) {
	m, err := run(t, map[string]string{"githubRepository": "acme/fargateship"})
	if err != nil {
		t.Fatal(err)
	}
	p := m.find(t, "aws:iam/rolePolicy:RolePolicy", "deploy-permissions")
	if got := p.Inputs["role"].StringValue(); got != "fargateship-github-deploy" {
		t.Errorf("deploy permissions attached to %q", got)
	}
	doc := policyOf(t, p, "policy")
	raw := p.Inputs["policy"].StringValue()
	// IAM's limit for all inline policies of one role.
	if len(raw) > 10240 {
		t.Errorf("deploy policy is %d characters, over the 10240 inline limit", len(raw))
	}
	sids := map[string]Statement{}
	for _, s := range doc.Statement {
		if _, dup := sids[s.Sid]; dup || s.Sid == "" {
			t.Errorf("statement id %q is empty or repeated", s.Sid)
		}
		sids[s.Sid] = s
		if s.Effect == "Deny" {
			continue // asserted exactly in TestDeployRoleDenies
		}
		if s.Effect != "Allow" {
			t.Errorf("statement %s: effect %q", s.Sid, s.Effect)
		}
		for _, a := range s.Action {
			if a == "*" || a == "iam:*" || a == "sts:*" || a == "kms:*" {
				t.Errorf("statement %s grants %q", s.Sid, a)
			}
			// Wildcard services are only ever granted on scoped resources
			// (or on services whose ARNs are generated).
			if strings.HasSuffix(a, ":*") && a != "elasticloadbalancing:*" && a != "application-autoscaling:*" {
				for _, r := range s.Resource {
					if !strings.Contains(r, "fargateship-") {
						t.Errorf("statement %s grants %q on unscoped %q", s.Sid, a, r)
					}
				}
			}
		}
	}
	pass := sids["IamPassRoleToEcsTasks"]
	if !reflect.DeepEqual(pass.Condition, Conditions{"StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}}) {
		t.Errorf("PassRole condition = %v", pass.Condition)
	}
	for _, sid := range []string{
		"IamCreateBoundedTaggedRoles", "IamTagNewRoles", "IamManageProjectRoles", "IamWriteBoundedRolePolicies",
		"IamAttachTaskExecutionPolicyToBoundedRoles", "IamDetachTaskExecutionPolicy",
	} {
		if len(sids[sid].Condition) == 0 {
			t.Errorf("IAM write statement %s has no condition", sid)
		}
	}
	if got := sids["EcrRepository"].Resource; !reflect.DeepEqual(got, []string{"arn:aws:ecr:*:*:repository/fargateship-*"}) {
		t.Errorf("ECR scope = %q", got)
	}
}

func TestBackendAccessGrantedToBothRolesWhenConfigured(t *testing.T) {
	key := "arn:aws:kms:eu-west-1:123456789012:alias/pulumi-secrets"
	m, err := run(t, map[string]string{
		"githubRepository": "acme/fargateship",
		"stateBucketName":  "acme-pulumi-state",
		"secretsKmsKeyArn": key,
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, role := range map[string]string{"preview-backend": "fargateship-github-preview", "deploy-backend": "fargateship-github-deploy"} {
		p := m.find(t, "aws:iam/rolePolicy:RolePolicy", name)
		if got := p.Inputs["role"].StringValue(); got != role {
			t.Errorf("%s attached to %q, want %q", name, got, role)
		}
		doc := policyOf(t, p, "policy")
		want := NewPolicy(
			Statement{Sid: "StateBucketList", Effect: "Allow", Action: []string{"s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketVersioning"}, Resource: []string{"arn:aws:s3:::acme-pulumi-state"}},
			Statement{Sid: "StateObjects", Effect: "Allow", Action: []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}, Resource: []string{"arn:aws:s3:::acme-pulumi-state/*"}},
			Statement{Sid: "SecretsProviderKey", Effect: "Allow", Action: []string{"kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"}, Resource: []string{key}},
		)
		if !reflect.DeepEqual(doc, want) {
			t.Errorf("%s:\n got %+v\nwant %+v", name, doc, want)
		}
	}
}

func TestBadConfigIsRejected(t *testing.T) {
	cases := map[string]map[string]string{
		"missing repository":      {},
		"repository without repo": {"githubRepository": "acme"},
		"repository with space":   {"githubRepository": "acme/far gate"},
		"wildcard repository":     {"githubRepository": "acme/*"},
		"repository url":          {"githubRepository": "https://github.com/acme/fargateship"},
		"three parts":             {"githubRepository": "acme/fargateship/extra"},
		"owner with underscore":   {"githubRepository": "ac_me/fargateship"},
		"dot-dot repo":            {"githubRepository": "acme/.."},
		"wildcard branch":         {"githubRepository": "acme/fargateship", "deployBranch": "*"},
		"wildcard environment":    {"githubRepository": "acme/fargateship", "prodEnvironment": "pr?d"},
		"upper-case project":      {"githubRepository": "acme/fargateship", "projectName": "FargateShip"},
		"foreign oidc provider":   {"githubRepository": "acme/fargateship", "existingOidcProviderArn": "arn:aws:iam::123456789012:oidc-provider/accounts.google.com"},
		"bucket url":              {"githubRepository": "acme/fargateship", "stateBucketName": "s3://acme-state"},
		"kms key id, not arn":     {"githubRepository": "acme/fargateship", "secretsKmsKeyArn": "1234abcd-12ab-34cd-56ef-1234567890ab"},
		"zone ids not a list":     {"githubRepository": "acme/fargateship", "hostedZoneIds": "Z0123456789ABCDEFGHIJ"},
		"zone id with prefix":     {"githubRepository": "acme/fargateship", "hostedZoneIds": `["/hostedzone/Z0123456789ABCDEFGHIJ"]`},
		"lower-case zone id":      {"githubRepository": "acme/fargateship", "hostedZoneIds": `["z0123456789abcdefghij"]`},
		"wildcard zone id":        {"githubRepository": "acme/fargateship", "hostedZoneIds": `["Z*"]`},
		"zone id too long":        {"githubRepository": "acme/fargateship", "hostedZoneIds": `["Z` + strings.Repeat("A", 32) + `"]`},
		"zone id twice":           {"githubRepository": "acme/fargateship", "hostedZoneIds": `["Z0123456789ABCDEFGHIJ","Z0123456789ABCDEFGHIJ"]`},
		"too many zone ids":       {"githubRepository": "acme/fargateship", "hostedZoneIds": manyZoneIDs(MaxHostedZoneIDs + 1)},
	}
	for name, cfg := range cases {
		t.Run(name, func(t *testing.T) {
			m, err := run(t, cfg)
			if err == nil {
				t.Fatalf("config %v accepted", cfg)
			}
			if !strings.Contains(err.Error(), "config \"") {
				t.Errorf("error does not name the config key: %v", err)
			}
			if n := len(m.byType("aws:iam/role:Role")); n != 0 {
				t.Errorf("%d roles registered despite bad config", n)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	err := Config{GitHubRepository: "x", DeployBranch: "*", ProdEnvironment: "prod", ProjectName: "fargateship"}.Validate()
	if err == nil {
		t.Fatal("invalid config accepted")
	}
	for _, key := range []string{"githubRepository", "deployBranch"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error does not mention %s: %v", key, err)
		}
	}
}
