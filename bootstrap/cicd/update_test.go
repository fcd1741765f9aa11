package cicd

// The bootstrap's update matrix: for every config key of the bootstrap
// project, what its second `pulumi up` does after the key changes, on the
// baselines where the key matters. Resources are matched by type and
// logical name; a changed resource is replaced when a force-new input
// changed (bootstrapRules, from the provider schema), and a replacement
// that keeps the physical name is created before the old one is deleted,
// which IAM refuses (EntityAlreadyExists) unless the provider replaces
// the type delete-first. TestBootstrapUpdateMatrix fails on any such
// replacement and keeps the table in docs/delivery.md equal to what it
// computes.

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/fargateship/fargateship/bootstrap/docsection"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

const tfIAM = "hashicorp/terraform-provider-aws internal/service/iam/"

// bootstrapRule is what the provider does when an input of a type the
// bootstrap registers changes.
type bootstrapRule struct {
	ForceNew []string
	// DeleteBeforeReplace is set by pulumi-aws for the type.
	DeleteBeforeReplace bool
	// Identity is the physical identity the inputs fix (IAM refuses a
	// second one while the first exists).
	Identity func(in resource.PropertyMap) string
	Source   string
}

func inputString(in resource.PropertyMap, k string) string {
	if v, ok := in[resource.PropertyKey(k)]; ok && v.IsString() {
		return v.StringValue()
	}
	return ""
}

var bootstrapRules = map[string]bootstrapRule{
	"aws:iam/role:Role": {
		ForceNew: []string{"name", "namePrefix", "path"},
		// Role names are unique in an account, whatever the path.
		Identity: func(in resource.PropertyMap) string { return "role " + inputString(in, "name") },
		Source:   tfIAM + "role.go (name, name_prefix, path ForceNew; assume_role_policy, description, max_session_duration, permissions_boundary, tags update in place)",
	},
	"aws:iam/policy:Policy": {
		ForceNew: []string{"name", "namePrefix", "path", "description"},
		// Managed policy names are unique in an account.
		Identity: func(in resource.PropertyMap) string { return "policy " + inputString(in, "name") },
		Source:   tfIAM + "policy.go (name, name_prefix, path, description ForceNew; policy updates in place with CreatePolicyVersion, pruning the oldest of 5 versions)",
	},
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
		ForceNew:            []string{"role", "policyArn"},
		DeleteBeforeReplace: true,
		Identity: func(in resource.PropertyMap) string {
			return "attachment " + inputString(in, "role") + " " + inputString(in, "policyArn")
		},
		Source: tfIAM + "role_policy_attachment.go (role, policy_arn ForceNew); pulumi-aws provider/resources.go DeleteBeforeReplace",
	},
	"aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
		ForceNew: []string{"url", "clientIdLists"},
		// One provider per URL in an account.
		Identity: func(in resource.PropertyMap) string { return "provider " + inputString(in, "url") },
		Source:   tfIAM + "openid_connect_provider.go (url and client_id_list ForceNew in the v5 line; thumbprint_list and tags update in place)",
	},
}

// bootstrapCase is one config change on one baseline.
type bootstrapCase struct {
	Key, Base string
	// Value is the new value of Key ("" unsets it).
	Value string
}

func bootstrapBaselines() map[string]map[string]string {
	return map[string]map[string]string{
		"minimal": {"githubRepository": "acme/fargateship"},
		"full": func() map[string]string {
			c := fullConfig()
			c["services"] = `{"dev":["api","worker"],"prod":["api","worker"]}`
			return c
		}(),
		"worst": worstCase(),
	}
}

var bootstrapCases = []bootstrapCase{
	{"githubRepository", "minimal", "acme/shop"},
	{"githubRepository", "full", "acme@123456/fargateship@654321"},
	{"deployBranch", "minimal", "release"},
	{"devEnvironment", "minimal", "development"},
	{"prodEnvironment", "minimal", "production"},
	{"reaperEnvironment", "minimal", "reaper"},
	{"projectName", "minimal", "shop"},
	{"projectName", "full", "shop"},
	{"existingOidcProviderArn", "minimal", testProviderARN},
	{"stateBucketName", "minimal", "acme-pulumi-state"},
	{"stateBucketName", "full", ""},
	{"stateBucketName", "worst", ""},
	{"secretsKmsKeyArns", "minimal", fmt.Sprintf(`{"dev":%q}`, testDevKey)},
	{"secretsKmsKeyArns", "minimal", fmt.Sprintf(`{"dev":%q,"prod":%q,"sandbox-*":%q}`, testDevKey, testProdKey, testSandboxKey)},
	{"secretsKmsKeyArns", "full", `{}`},
	{"hostedZoneIds", "minimal", `["Z0123456789ABCDEFGHIJ"]`},
	{"hostedZoneIds", "minimal", manyZoneIDs(MaxHostedZoneIDs)},
	{"hostedZoneIds", "worst", `[]`},
	{"services", "minimal", `{"dev":["api","worker"],"prod":["api"]}`},
	{"services", "full", `{}`},
}

// bootstrapChange is what one resource does in one case.
type bootstrapChange struct {
	Label, Kind string
	Inputs      []string
	Conflict    string
}

func bootstrapSnapshot(t *testing.T, cfg map[string]string) map[string]registered {
	t.Helper()
	m := mustRun(t, cfg)
	out := map[string]registered{}
	for _, r := range m.resources {
		key := r.Type + "::" + r.Name
		if _, dup := out[key]; dup {
			t.Fatalf("two resources %s", key)
		}
		out[key] = r
	}
	return out
}

func bootstrapLabel(r registered) string {
	typ := r.Type[strings.LastIndex(r.Type, ":")+1:]
	return "iam." + typ + " " + r.Name
}

func bootstrapDiff(t *testing.T, old, new map[string]registered) []bootstrapChange {
	t.Helper()
	var out []bootstrapChange
	deleted := map[string]string{}
	for key, o := range old {
		if _, ok := new[key]; !ok {
			out = append(out, bootstrapChange{Label: bootstrapLabel(o), Kind: "delete"})
			deleted[bootstrapRuleFor(t, o.Type).Identity(o.Inputs)] = bootstrapLabel(o)
		}
	}
	for key, n := range new {
		rule := bootstrapRuleFor(t, n.Type)
		o, ok := old[key]
		if !ok {
			c := bootstrapChange{Label: bootstrapLabel(n), Kind: "create"}
			if was, clash := deleted[rule.Identity(n.Inputs)]; clash {
				c.Conflict = "same " + rule.Identity(n.Inputs) + " as " + was + ", which is deleted only after the create"
			}
			out = append(out, c)
			continue
		}
		var changed, forceNew []string
		keys := map[string]bool{}
		for k := range o.Inputs {
			keys[string(k)] = true
		}
		for k := range n.Inputs {
			keys[string(k)] = true
		}
		for k := range keys {
			ov, nv := o.Inputs[resource.PropertyKey(k)], n.Inputs[resource.PropertyKey(k)]
			if !reflect.DeepEqual(ov.Mappable(), nv.Mappable()) {
				changed = append(changed, k)
				for _, f := range rule.ForceNew {
					if f == k {
						forceNew = append(forceNew, k)
					}
				}
			}
		}
		if len(changed) == 0 {
			continue
		}
		sort.Strings(changed)
		c := bootstrapChange{Label: bootstrapLabel(n), Kind: "update", Inputs: changed}
		if len(forceNew) > 0 {
			sort.Strings(forceNew)
			c.Kind, c.Inputs = "replace", forceNew
			if !rule.DeleteBeforeReplace && rule.Identity(o.Inputs) == rule.Identity(n.Inputs) {
				c.Conflict = "same " + rule.Identity(n.Inputs) + ": the replacement is created before the old one is deleted"
			}
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out
}

func bootstrapRuleFor(t *testing.T, typ string) bootstrapRule {
	t.Helper()
	r, ok := bootstrapRules[typ]
	if !ok {
		t.Fatalf("type %s has no entry in bootstrapRules: add its force-new inputs from the provider source", typ)
	}
	return r
}

// TestBootstrapUpdateMatrix: no bootstrap config change replaces a
// fixed-name resource create-before-delete, every key of the bootstrap's
// Pulumi.yaml has a case, and docs/delivery.md shows the matrix.
func TestBootstrapUpdateMatrix(t *testing.T) {
	bases := bootstrapBaselines()
	type result struct {
		bootstrapCase
		From    string
		Changes []bootstrapChange
	}
	var results []result
	covered := map[string]bool{}
	for _, c := range bootstrapCases {
		covered[c.Key] = true
		base := bases[c.Base]
		cfg := map[string]string{}
		for k, v := range base {
			cfg[k] = v
		}
		if c.Value == "" {
			delete(cfg, c.Key)
		} else {
			cfg[c.Key] = c.Value
		}
		r := result{bootstrapCase: c, From: base[c.Key], Changes: bootstrapDiff(t, bootstrapSnapshot(t, base), bootstrapSnapshot(t, cfg))}
		for _, ch := range r.Changes {
			if ch.Conflict != "" {
				t.Errorf("changing %s on %s (%q -> %q): %s %s by %v would fail in IAM: %s",
					c.Key, c.Base, r.From, c.Value, ch.Label, ch.Kind, ch.Inputs, ch.Conflict)
			}
		}
		results = append(results, r)
	}
	for _, key := range bootstrapProjectKeys(t) {
		if !covered[key] {
			t.Errorf("bootstrap config key %q has no case in bootstrapCases", key)
		}
	}

	var b strings.Builder
	b.WriteString("| key | on | from → to | updated in place | replaced | created | deleted |\n|---|---|---|---|---|---|---|\n")
	short := func(s string) string {
		if s == "" {
			return "(unset)"
		}
		if len(s) > 48 {
			s = s[:45] + "…"
		}
		return "`" + strings.ReplaceAll(s, "|", `\|`) + "`"
	}
	for _, r := range results {
		cols := map[string][]string{}
		for _, ch := range r.Changes {
			cell := ch.Label
			if len(ch.Inputs) > 0 {
				cell += " (" + strings.Join(ch.Inputs, ", ") + ")"
			}
			if ch.Conflict != "" {
				cell += " **REFUSED**: " + ch.Conflict
			}
			cols[ch.Kind] = append(cols[ch.Kind], cell)
		}
		cell := func(k string) string {
			if len(cols[k]) == 0 {
				return "–"
			}
			return strings.Join(cols[k], "<br>")
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s → %s | %s | %s | %s | %s |\n", r.Key, r.Base, short(r.From), short(r.Value),
			cell("update"), cell("replace"), cell("create"), cell("delete"))
	}
	docsection.Check(t, filepath.Join("..", "..", "docs", "delivery.md"), "docs/delivery.md", "bootstrap-update-matrix", b.String(),
		"cd bootstrap && UPDATE_DOCS=1 go test ./cicd -run "+t.Name())
}

// bootstrapProjectKeys are the config keys the bootstrap's Pulumi.yaml
// declares.
func bootstrapProjectKeys(t *testing.T) []string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	in := false
	for _, line := range strings.Split(string(raw), "\n") {
		switch {
		case line == "config:":
			in = true
		case in && strings.HasPrefix(line, "  ") && !strings.HasPrefix(line, "   ") && strings.HasSuffix(line, ":"):
			keys = append(keys, strings.TrimSuffix(strings.TrimSpace(line), ":"))
		case in && line != "" && !strings.HasPrefix(line, " "):
			in = false
		}
	}
	if len(keys) == 0 {
		t.Fatal("no config keys found in bootstrap/Pulumi.yaml")
	}
	return keys
}
