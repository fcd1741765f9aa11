package cicd

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

const (
	testAccount     = "123456789012"
	testProviderARN = "arn:aws:iam::" + testAccount + ":oidc-provider/token.actions.githubusercontent.com"
	testBoundaryARN = "arn:aws:iam::" + testAccount + ":policy/fargateship-task-boundary"
	testDevKey      = "arn:aws:kms:us-east-1:" + testAccount + ":key/11111111-2222-3333-4444-555555555555"
	testProdKey     = "arn:aws:kms:us-east-1:" + testAccount + ":key/mrk-0123456789abcdef0123456789abcdef"
	testSandboxKey  = "arn:aws:kms:eu-west-1:" + testAccount + ":key/66666666-7777-8888-9999-000000000000"
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
	if args.Token == "aws:index/getCallerIdentity:getCallerIdentity" {
		return resource.PropertyMap{
			"accountId": resource.NewStringProperty(testAccount),
			"arn":       resource.NewStringProperty("arn:aws:iam::" + testAccount + ":user/admin"),
			"userId":    resource.NewStringProperty("AIDAEXAMPLE"),
			"id":        resource.NewStringProperty(testAccount),
		}, nil
	}
	return nil, fmt.Errorf("unexpected invoke %s", args.Token)
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
	// An export built from plain values (an empty pulumi.Map) belongs to
	// no resource, so RunErr does not wait for its apply: wait for every
	// one here, or a test could read the map before it is filled.
	var pending sync.WaitGroup
	program := func(ctx *pulumi.Context) error {
		if err := Program(ctx); err != nil {
			return err
		}
		for name, v := range ctx.GetCurrentExportMap() {
			pending.Add(1)
			pulumi.ToOutput(v).ApplyT(func(x any) any {
				defer pending.Done()
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
	if err == nil {
		done := make(chan struct{})
		go func() { pending.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			err = fmt.Errorf("stack outputs did not resolve within 30 s")
		}
	}
	return m, err
}

func mustRun(t *testing.T, cfg map[string]string) *mocks {
	t.Helper()
	m, err := run(t, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// fullConfig sets every optional key: S3 state, a key per stack, a zone.
func fullConfig() map[string]string {
	return map[string]string{
		"githubRepository":  "acme/fargateship",
		"stateBucketName":   "acme-pulumi-state",
		"secretsKmsKeyArns": fmt.Sprintf(`{"dev":%q,"prod":%q,"sandbox-*":%q}`, testDevKey, testProdKey, testSandboxKey),
		"hostedZoneIds":     `["Z0123456789ABCDEFGHIJ"]`,
	}
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

// ciRoles are the CI roles' logical names and their permission policies.
var ciRoles = []string{"preview", "deploy-dev", "deploy-prod", "reaper"}

// rolePolicies are the managed policies attached to a CI role (logical
// name), in order: "<role>-1", "<role>-2", ...
func rolePolicies(t *testing.T, m *mocks, role string) []registered {
	t.Helper()
	var out []registered
	for i := 1; ; i++ {
		name := fmt.Sprintf("%s-%d", role, i)
		found := false
		for _, p := range m.byType("aws:iam/policy:Policy") {
			if p.Name == name {
				out = append(out, p)
				found = true
			}
		}
		if !found {
			break
		}
		att := m.find(t, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name)
		roleName := m.find(t, "aws:iam/role:Role", role).Inputs["name"].StringValue()
		if got := att.Inputs["role"].StringValue(); got != roleName {
			t.Fatalf("policy %s is attached to %q, want %q", name, got, roleName)
		}
	}
	if len(out) == 0 {
		t.Fatalf("role %s has no managed policies", role)
	}
	return out
}

// permissions is all of a CI role's permission statements, in order.
func permissions(t *testing.T, m *mocks, role string) PolicyDocument {
	t.Helper()
	doc := NewPolicy()
	for _, p := range rolePolicies(t, m, role) {
		doc.Statement = append(doc.Statement, policyOf(t, p, "policy").Statement...)
	}
	return doc
}

// bySid indexes a document's statements, failing on empty or repeated ids.
func bySid(t *testing.T, doc PolicyDocument) map[string]Statement {
	t.Helper()
	out := map[string]Statement{}
	for _, s := range doc.Statement {
		if _, dup := out[s.Sid]; dup || s.Sid == "" {
			t.Errorf("statement id %q is empty or repeated", s.Sid)
		}
		out[s.Sid] = s
	}
	return out
}
