package infra

import (
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// TestReplacementClassifier feeds the classifier hand-made before/after
// resources, so the matrix's verdicts are known to fail when they should.
func TestReplacementClassifier(t *testing.T) {
	mk := func(typ, name string, in map[string]any) *res {
		return &res{Type: typ, Name: name, Inputs: resource.NewPropertyMapFromMap(in)}
	}
	snap := func(rs ...*res) replSnapshot {
		s := replSnapshot{res: map[string]*res{}, dbr: map[string]bool{}}
		for _, r := range rs {
			s.res[replKey(r.Type, r.Name)] = r
		}
		return s
	}
	const (
		repo = "aws:ecr/repository:Repository"
		svc  = "aws:ecs/service:Service"
		lcp  = "aws:ecr/lifecyclePolicy:LifecyclePolicy"
		td   = "aws:ecs/taskDefinition:TaskDefinition"
		sg   = "aws:ec2/securityGroup:SecurityGroup"
	)
	strategy := func(p string) []any {
		return []any{map[string]any{"capacityProvider": p, "weight": 1, "base": 0}}
	}
	service := func(p string, extra map[string]any) map[string]any {
		in := map[string]any{"name": "fargateship-dev", "cluster": "arn:cluster", "capacityProviderStrategies": strategy(p)}
		for k, v := range extra {
			in[k] = v
		}
		return in
	}
	protected := func(r *res) *res { r.Protect = true; return r }
	ignoring := func(r *res, k string) *res { r.Ignore = []string{k}; return r }

	cases := []struct {
		name               string
		old, new           replSnapshot
		wantKind           string
		wantForceNew       string
		wantConflict       bool
		wantDeleteFirst    bool
		wantProtected      bool
		wantNoChangeAtAll  bool
		wantConflictOnKind string
	}{
		{name: "repository encryption with a fixed name",
			old:      snap(mk(repo, "app", map[string]any{"name": "r", "encryptionConfigurations": []any{map[string]any{"encryptionType": "KMS"}}})),
			new:      snap(mk(repo, "app", map[string]any{"name": "r", "encryptionConfigurations": []any{map[string]any{"encryptionType": "KMS", "kmsKey": "arn:k"}}})),
			wantKind: "replace", wantForceNew: "encryptionConfigurations", wantConflict: true},
		{name: "capacity provider change without forceNewDeployment",
			old: snap(mk(svc, "app", service("FARGATE", nil))), new: snap(mk(svc, "app", service("FARGATE_SPOT", nil))),
			wantKind: "replace", wantForceNew: "capacityProviderStrategies", wantConflict: true},
		{name: "capacity provider change with forceNewDeployment",
			old:      snap(mk(svc, "app", service("FARGATE", map[string]any{"forceNewDeployment": true}))),
			new:      snap(mk(svc, "app", service("FARGATE_SPOT", map[string]any{"forceNewDeployment": true}))),
			wantKind: "update"},
		{name: "capacity provider strategy added, even with forceNewDeployment",
			old:      snap(mk(svc, "app", map[string]any{"name": "fargateship-dev", "cluster": "arn:cluster", "forceNewDeployment": true})),
			new:      snap(mk(svc, "app", service("FARGATE", map[string]any{"forceNewDeployment": true}))),
			wantKind: "replace", wantForceNew: "capacityProviderStrategies", wantConflict: true},
		{name: "lifecycle policy is replaced delete-first",
			old:      snap(mk(lcp, "app", map[string]any{"repository": "r", "policy": "{1}"})),
			new:      snap(mk(lcp, "app", map[string]any{"repository": "r", "policy": "{2}"})),
			wantKind: "replace", wantForceNew: "policy", wantDeleteFirst: true},
		{name: "task definition change is a new revision",
			old:      snap(mk(td, "app", map[string]any{"family": "f", "cpu": "256"})),
			new:      snap(mk(td, "app", map[string]any{"family": "f", "cpu": "512"})),
			wantKind: "replace", wantForceNew: "cpu"},
		{name: "task definition tags update in place",
			old:      snap(mk(td, "app", map[string]any{"family": "f", "tags": map[string]any{"a": "1"}})),
			new:      snap(mk(td, "app", map[string]any{"family": "f", "tags": map[string]any{"a": "2"}})),
			wantKind: "update"},
		{name: "auto-named security group replaced safely",
			old:      snap(mk(sg, "app", map[string]any{"description": "a"})),
			new:      snap(mk(sg, "app", map[string]any{"description": "b"})),
			wantKind: "replace", wantForceNew: "description"},
		{name: "protected resource replaced",
			old:      snap(protected(mk(sg, "app", map[string]any{"description": "a"}))),
			new:      snap(protected(mk(sg, "app", map[string]any{"description": "b"}))),
			wantKind: "replace", wantForceNew: "description", wantProtected: true},
		{name: "ignoreChanges hides a change",
			old:               snap(mk(svc, "app", service("FARGATE", map[string]any{"desiredCount": 2}))),
			new:               snap(ignoring(mk(svc, "app", service("FARGATE", map[string]any{"desiredCount": 3})), "desiredCount")),
			wantNoChangeAtAll: true},
		{name: "same name under a new logical name",
			old:                snap(mk(repo, "app", map[string]any{"name": "r"})),
			new:                snap(mk(repo, "app2", map[string]any{"name": "r"})),
			wantConflictOnKind: "create"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			changes := replDiff(t, c.old, c.new)
			if c.wantNoChangeAtAll {
				if len(changes) != 0 {
					t.Fatalf("changes = %+v, want none", changes)
				}
				return
			}
			if c.wantConflictOnKind != "" {
				found := false
				for _, ch := range changes {
					if ch.Kind == c.wantConflictOnKind && ch.Conflict != "" {
						found = true
					}
				}
				if !found {
					t.Fatalf("changes = %+v, want a refused %s", changes, c.wantConflictOnKind)
				}
				return
			}
			if len(changes) != 1 {
				t.Fatalf("changes = %+v, want one", changes)
			}
			ch := changes[0]
			if ch.Kind != c.wantKind || (c.wantForceNew != "" && !replContains(ch.ForceNew, c.wantForceNew)) ||
				(ch.Conflict != "") != c.wantConflict || ch.DeleteFirst != c.wantDeleteFirst || ch.Protected != c.wantProtected {
				t.Errorf("got %+v, want kind %s forced by %q, conflict %v, delete first %v, protected %v",
					ch, c.wantKind, c.wantForceNew, c.wantConflict, c.wantDeleteFirst, c.wantProtected)
			}
		})
	}
}
