package infra

// The replacement matrix: for every config key in Pulumi.yaml, what
// changing it on an existing stack does to each resource: updated in
// place, replaced, created or deleted. Each case runs the program under
// mocks with a baseline config and with the key changed, matches the
// resources by type and name, and classifies every changed resource with
// the provider's force-new rules (replacement_rules_test.go).
//
// A replacement's outputs are unknown until it exists, so whatever reads
// them changes too (a new task definition revision gives the service a new
// taskDefinition ARN, a new VPC gives every subnet a new vpcId). The mocks
// cannot know that, so each case is re-run with the IDs and computed
// outputs of the resources found replaced perturbed, until the set of
// replaced resources stops growing: the same cascade `pulumi up` goes
// through. Types whose ID and outputs AWS derives from a name the
// replacement keeps (SameOutputs) are not perturbed.
//
// Pulumi replaces create-before-delete unless the provider or the program
// asks for delete-before-replace. A resource whose physical identity the
// program fixes (the repository, cluster, service, log group, load
// balancer and secret names; resources that are one per parent, like the
// lifecycle policy or the autoscaling target) cannot be created while the
// old one still exists: AWS refuses the name, or the delete of the old one
// removes the new one. TestReplacementMatrix fails on any such replacement
// except the documented create-time-only keys, and keeps
// docs/replacements.md equal to what it computes.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// createTimeOnly are the keys whose change replaces a fixed-name resource
// create-before-delete, so they can only be chosen when the stack is
// created. Each entry names the resources it replaces; the test fails if
// a key replaces anything else, or no longer replaces what is listed.
var createTimeOnly = map[string]struct {
	Resources []string
	Why       string
}{
	"network": {
		Resources: []string{"lb.LoadBalancer web"},
		Why: "with loadBalancer on, a move to another VPC replaces the load balancer's security group there, and the load balancer " +
			"(fixed name fargateship-<stack>) cannot follow: its security groups and subnets must stay in the VPC it was created in. " +
			"Choose the network before the first `pulumi up`, or turn loadBalancer off, change the network, and turn it back on. " +
			"(The VPC rule is the ELBv2 and EC2 API's, not verified against AWS here.)",
	},
	"vpcCidr": {
		Resources: []string{"lb.LoadBalancer web", "ec2.NatGateway network-0", "ec2.NatGateway network-1"},
		Why: "a new CIDR replaces the VPC and everything in it; the load balancer cannot move to the new VPC (see network), " +
			"and each NAT gateway's replacement needs the Elastic IP the old one still holds. Choose it before the first `pulumi up`.",
	},
	"kmsKeyArn": {
		Resources: []string{"ecr.Repository app"},
		Why: "the repository's encryptionConfigurations force a new repository; it keeps its fixed name " +
			"(fargateship-<stack>), so the create fails while the old one exists (and with protect the engine refuses). " +
			"Set it before the first `pulumi up`, or move the images to a new stack.",
	},
}

// replacementCase is one config change on one baseline.
type replacementCase struct {
	Key  string
	Base string
	// Set are key/value pairs applied to the baseline; the first is Key.
	Set []string
}

// replacementCases cover every key in Pulumi.yaml, each on a baseline
// where the key matters (TestReplacementMatrix checks the coverage).
var replacementCases = []replacementCase{
	{"cpu", "prod", []string{"cpu", "256"}},
	{"memory", "dev", []string{"memory", "1024"}},
	{"desiredCount", "dev", []string{"desiredCount", "2"}},
	{"desiredCount", "prod", []string{"desiredCount", "3"}},
	{"containerPort", "dev", []string{"containerPort", "9090"}},
	{"containerPort", "dev+lb", []string{"containerPort", "9090"}},
	{"containerPort", "dev", []string{"containerPort", "0"}},
	{"architecture", "dev", []string{"architecture", "ARM64"}},
	{"spot", "dev", []string{"spot", "true"}},
	{"spot", "sandbox", []string{"spot", "false"}},
	{"logRetentionDays", "dev", []string{"logRetentionDays", "30"}},
	{"protect", "dev", []string{"protect", "true"}},
	{"protect", "prod", []string{"protect", "false"}},
	{"ecsExec", "dev", []string{"ecsExec", "false"}},
	{"ecsExec", "prod", []string{"ecsExec", "true"}},
	{"environment", "dev", []string{"environment", `{"GREETING":"Hi"}`}},
	{"secrets", "dev", []string{"secrets", `{"API_KEY":"k-1"}`}},
	{"secrets", "dev+secrets", []string{"secrets", `{"API_KEY":"k-2"}`}},
	{"drainDelaySeconds", "dev", []string{"drainDelaySeconds", "10"}},
	{"drainDelaySeconds", "dev+lb", []string{"drainDelaySeconds", "10"}},
	{"stopTimeout", "dev", []string{"stopTimeout", "60"}},
	{"imageKeepCount", "dev", []string{"imageKeepCount", "30"}},
	{"kmsKeyArn", "dev", []string{"kmsKeyArn", testKMSKey}},
	{"kmsKeyArn", "dev+secrets", []string{"kmsKeyArn", testKMSKey}},
	{"permissionsBoundaryArn", "dev", []string{"permissionsBoundaryArn", "arn:aws:iam::123456789012:policy/fargateship-boundary"}},
	{"loadBalancer", "dev", []string{"loadBalancer", "true"}},
	{"loadBalancer", "dev+lb", []string{"loadBalancer", "false"}},
	{"certificateArn", "dev+lb", []string{"certificateArn", "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab"}},
	{"domainName", "dev+lb", []string{"domainName", "app.example.com", "hostedZoneId", testZone}},
	{"domainName", "dev+domain", []string{"domainName", "www.example.com"}},
	{"hostedZoneId", "dev+domain", []string{"hostedZoneId", "Z0987654321ABCDEFGHIJ"}},
	{"albDeletionProtection", "dev+lb", []string{"albDeletionProtection", "true"}},
	{"healthCheckGracePeriodSeconds", "dev+lb", []string{"healthCheckGracePeriodSeconds", "60"}},
	{"network", "dev", []string{"network", "new-vpc"}},
	{"network", "dev", []string{"network", "existing-vpc", "vpcId", testVPC, "privateSubnetIds", testPrivateSubnets}},
	{"network", "prod", []string{"network", "default-vpc"}},
	{"vpcCidr", "prod", []string{"vpcCidr", "10.1.0.0/16"}},
	{"natGateways", "prod", []string{"natGateways", "1"}},
	{"flowLogs", "prod", []string{"flowLogs", "REJECT"}},
	{"flowLogs", "prod", []string{"flowLogs", "NONE"}},
	{"vpcId", "existing-vpc", []string{"vpcId", "vpc-0bbbbbbbbbbbbbbb0"}},
	{"publicSubnetIds", "existing-vpc+lb", []string{"publicSubnetIds", `["subnet-0ccccccccccccccc1","subnet-0ccccccccccccccc2"]`}},
	{"privateSubnetIds", "existing-vpc", []string{"privateSubnetIds", `["subnet-0aaaaaaaaaaaaaaa1","subnet-0aaaaaaaaaaaaaaa3"]`}},
	{"assignPublicIp", "dev", []string{"assignPublicIp", "ENABLED"}},
	{"assignPublicIp", "existing-vpc", []string{"assignPublicIp", "ENABLED"}},
	{"minCount", "prod", []string{"minCount", "1"}},
	{"maxCount", "prod", []string{"maxCount", "20"}},
	{"maxCount", "dev", []string{"maxCount", "3"}},
	{"cpuTargetPercent", "prod", []string{"cpuTargetPercent", "70"}},
	{"requestsPerTarget", "prod", []string{"requestsPerTarget", "500"}},
	{"requestsPerTarget", "prod", []string{"requestsPerTarget", "0"}},
	{"alarms", "prod", []string{"alarms", "true"}},
	{"alarms", "prod+extras", []string{"alarms", "false", "alarmEmail", ""}},
	{"alarmEmail", "prod+extras", []string{"alarmEmail", "ops@example.com"}},
	{"alarm5xxPercent", "prod+extras", []string{"alarm5xxPercent", "10"}},
	{"alarmLatencyP99Ms", "prod+extras", []string{"alarmLatencyP99Ms", "1000"}},
	{"alarmCpuPercent", "prod+extras", []string{"alarmCpuPercent", "80"}},
	{"alarmMemoryPercent", "prod+extras", []string{"alarmMemoryPercent", "80"}},
	{"accessLogs", "prod", []string{"accessLogs", "true"}},
	{"accessLogs", "prod+extras", []string{"accessLogs", "false"}},
	{"dashboard", "dev", []string{"dashboard", "true"}},
	{"activeHours", "prod", []string{"activeHours", "MON-FRI 08:00-20:00"}},
	{"activeHours", "prod+extras", []string{"activeHours", "MON-FRI 07:00-21:00"}},
	{"timezone", "prod+extras", []string{"timezone", "Europe/Paris"}},
	{"image", "dev", []string{"image", "ghcr.io/acme/api:1.4.2"}},
	{"image", "dev+image", []string{"image", "ghcr.io/acme/api:1.4.3"}},
	{"buildContext", "dev", []string{"buildContext", "examples/api"}},
	{"dockerfile", "dev", []string{"dockerfile", "app/Dockerfile"}},
	{"buildTarget", "dev", []string{"buildTarget", "build"}},
	{"buildArgs", "dev", []string{"buildArgs", `{"VERSION":"1.2.3"}`}},
	{"command", "dev", []string{"command", `["serve"]`}},
	{"healthCheckCommand", "dev", []string{"healthCheckCommand", `[]`}},
	{"healthCheckPath", "dev+lb", []string{"healthCheckPath", "/ready"}},
	{"executionRoleArn", "dev", []string{"executionRoleArn", testRole + "execution", "taskRoleArn", testRole + "task"}},
	{"executionRoleArn", "dev+roles", []string{"executionRoleArn", testRole + "execution-2"}},
	{"taskRoleArn", "dev+roles", []string{"taskRoleArn", testRole + "task-2"}},
	{"flowLogsRoleArn", "prod", []string{"flowLogsRoleArn", testRole + "flow-logs"}},
	{"schedulerRoleArn", "dev+schedules", []string{"schedulerRoleArn", testRole + "scheduler"}},
	{"schedules", "dev", []string{"schedules", testSchedules}},
	{"schedules", "dev+schedules", []string{"schedules", `{"nightly":{"schedule":"cron(0 4 * * ? *)","command":["once"]}}`}},
	// Turning options off again (TestToggleOffIsActedOn reads these too).
	{"permissionsBoundaryArn", "dev+boundary", []string{"permissionsBoundaryArn", ""}},
	{"kmsKeyArn", "dev+kms", []string{"kmsKeyArn", ""}},
	{"alarmEmail", "prod+extras", []string{"alarmEmail", ""}},
	{"activeHours", "prod+extras", []string{"activeHours", ""}},
	{"dashboard", "prod", []string{"dashboard", "false"}},
	{"maxCount", "prod", []string{"maxCount", "0", "minCount", "0"}},
	{"schedules", "dev+schedules", []string{"schedules", "{}"}},
	{"secrets", "dev+secrets", []string{"secrets", "{}"}},
	{"image", "dev+image", []string{"image", ""}},
	{"certificateArn", "dev+cert", []string{"certificateArn", ""}},
	{"domainName", "dev+domain", []string{"domainName", "", "hostedZoneId", ""}},
	{"executionRoleArn", "dev+roles", []string{"executionRoleArn", "", "taskRoleArn", ""}},
	{"environment", "dev+env", []string{"environment", "{}"}},
	// A one-service stack becomes an environment: app keeps its resources,
	// the others are created beside it.
	{"services", "prod", []string{"services", testServices}},
	{"services", "prod+services", []string{"services", testServicesPaths}},
	{"services", "prod+services", []string{"services", "{}"}},
}

const (
	testKMSKey         = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	testZone           = "Z0123456789ABCDEFGHIJ"
	testVPC            = "vpc-0aaaaaaaaaaaaaaa0"
	testPrivateSubnets = `["subnet-0aaaaaaaaaaaaaaa1","subnet-0aaaaaaaaaaaaaaa2"]`
	testPublicSubnets  = `["subnet-0bbbbbbbbbbbbbbb1","subnet-0bbbbbbbbbbbbbbb2"]`
	replSecretsKey     = "fargateship:secrets"
	testRole           = "arn:aws:iam::123456789012:role/fargateship/fargateship-dev-"
	testSchedules      = `{"nightly":{"schedule":"cron(0 3 * * ? *)","command":["once"]}}`
	testServices       = `{"app":{},"api":{"buildContext":"examples/api","containerPort":9090,"healthCheckPath":"/ready","healthCheckCommand":["/api","-check"],"paths":["/api/*"]},"worker":{"buildContext":"examples/worker","containerPort":0,"healthCheckCommand":[]}}`
	// app gains paths: a rule and a last 404 rule, the listener unchanged.
	testServicesPaths = `{"app":{"paths":["/shop/*"]},"api":{"buildContext":"examples/api","containerPort":9090,"healthCheckPath":"/ready","healthCheckCommand":["/api","-check"],"paths":["/api/*"]},"worker":{"buildContext":"examples/worker","containerPort":0,"healthCheckCommand":[]}}`
)

// replBaseline is a stack name and the config the CLI would pass it.
type replBaseline struct {
	Stack string
	Cfg   map[string]string
	About string
}

// replacementBaselines are the shipped stacks and a few option shapes
// built on dev.
func replacementBaselines(t *testing.T) map[string]replBaseline {
	t.Helper()
	proj := loadProject(t)
	stacks := shippedStacks(t)
	b := map[string]replBaseline{
		"dev":     {"dev", stackConfig(t, proj, stacks["dev"]), "Pulumi.dev.yaml"},
		"prod":    {"prod", stackConfig(t, proj, stacks["prod"]), "Pulumi.prod.yaml"},
		"sandbox": {"sandbox-preset", stackConfig(t, proj, stacks["sandbox-preset"]), "presets/sandbox.yaml"},
	}
	derive := func(name, from, about string, kv ...string) {
		cfg := map[string]string{}
		for k, v := range b[from].Cfg {
			cfg[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			cfg["fargateship:"+kv[i]] = kv[i+1]
		}
		b[name] = replBaseline{b[from].Stack, cfg, about}
	}
	derive("dev+lb", "dev", "dev with loadBalancer: true", "loadBalancer", "true")
	derive("dev+domain", "dev+lb", "dev+lb with domainName app.example.com and hostedZoneId", "domainName", "app.example.com", "hostedZoneId", testZone)
	derive("dev+secrets", "dev", "dev with secrets.API_KEY", "secrets", `{"API_KEY":"k-1"}`)
	derive("existing-vpc", "dev", "dev with network: existing-vpc, vpcId and two private subnets", "network", "existing-vpc", "vpcId", testVPC, "privateSubnetIds", testPrivateSubnets)
	derive("prod+extras", "prod", "prod with alarms (alarmEmail oncall@example.com), accessLogs, dashboard and activeHours MON-FRI 08:00-20:00",
		"alarms", "true", "alarmEmail", "oncall@example.com", "accessLogs", "true", "dashboard", "true", "activeHours", "MON-FRI 08:00-20:00")
	derive("dev+image", "dev", "dev with the prebuilt image ghcr.io/acme/api:1.4.2", "image", "ghcr.io/acme/api:1.4.2")
	derive("dev+roles", "dev", "dev with executionRoleArn and taskRoleArn from the CI bootstrap", "executionRoleArn", testRole+"execution", "taskRoleArn", testRole+"task")
	derive("dev+schedules", "dev", "dev with a nightly scheduled task", "schedules", testSchedules)
	derive("dev+boundary", "dev", "dev with permissionsBoundaryArn", "permissionsBoundaryArn", "arn:aws:iam::123456789012:policy/fargateship-boundary")
	derive("dev+kms", "dev", "dev with kmsKeyArn", "kmsKeyArn", testKMSKey)
	derive("dev+cert", "dev+lb", "dev+lb with certificateArn", "certificateArn", "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab")
	derive("dev+env", "dev", "dev with environment GREETING", "environment", `{"GREETING":"Hi"}`)
	derive("prod+services", "prod", "prod with services app, api at /api/* and worker", "services", testServices)
	derive("existing-vpc+lb", "existing-vpc", "existing-vpc with loadBalancer: true and two public subnets", "loadBalancer", "true", "publicSubnetIds", testPublicSubnets)
	return b
}

// replMocks answers like the harness mocks, except that resources in
// replaced get new IDs and new computed outputs, as a replacement does.
type replMocks struct {
	*mocks
	replaced map[string]bool
	mu       sync.Mutex
	dbr      map[string]bool
}

func replKey(typ, name string) string { return typ + "::" + name }

func (m *replMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	id, out, err := m.mocks.NewResource(args)
	if err != nil {
		return id, out, err
	}
	key := replKey(args.TypeToken, args.Name)
	if rpc := args.RegisterRPC; rpc != nil && rpc.GetDeleteBeforeReplace() {
		m.mu.Lock()
		m.dbr[key] = true
		m.mu.Unlock()
	}
	if m.replaced[key] {
		id = replPerturb(id)
		perturbed := out.Copy()
		for k, v := range out {
			if _, isInput := args.Inputs[k]; !isInput && v.IsString() {
				perturbed[k] = resource.NewStringProperty(replPerturb(v.StringValue()))
			}
		}
		out = perturbed
	}
	return id, out, nil
}

// replPerturb changes a generated value the way a new resource would, and
// keeps its shape (the AWS rules layer checks ID and ARN shapes): the last
// hexadecimal character moves to another one of the same class, a digit
// to a digit and a-f to a-f.
func replPerturb(s string) string {
	b := []byte(s)
	for i := len(b) - 1; i >= 0; i-- {
		switch c := b[i]; {
		case c >= '0' && c <= '9':
			b[i] = '0' + (c-'0'+5)%10
			return string(b)
		case c >= 'a' && c <= 'f':
			b[i] = 'a' + (c-'a'+3)%6
			return string(b)
		}
	}
	return s + "-new"
}

// replSnapshot is the custom resources of one run, by type and name.
type replSnapshot struct {
	res map[string]*res
	dbr map[string]bool
}

func replTakeSnapshot(t *testing.T, what string, b replBaseline, cfg map[string]string, replaced map[string]bool) replSnapshot {
	t.Helper()
	m := &replMocks{mocks: &mocks{}, replaced: replaced, dbr: map[string]bool{}}
	err := pulumi.RunErr(func(ctx *pulumi.Context) error {
		_, err := NewStack(ctx)
		return err
	}, pulumi.WithMocks("fargateship", b.Stack, m), withConfig(cfg, []string{replSecretsKey}))
	if err != nil {
		t.Fatalf("%s: the program fails on stack %s: %v", what, b.Stack, err)
	}
	s := replSnapshot{res: map[string]*res{}, dbr: m.dbr}
	for _, r := range m.resources {
		if strings.HasPrefix(r.Type, "fargateship:") {
			continue // components
		}
		key := replKey(r.Type, r.Name)
		if _, dup := s.res[key]; dup {
			t.Fatalf("two resources %s: the matrix matches resources by type and name", key)
		}
		s.res[key] = r
	}
	return s
}

// replChange is what happens to one resource.
type replChange struct {
	Type, Name string
	// Kind is update, replace, create or delete.
	Kind string
	// Changed are the top-level inputs that differ.
	Changed []string
	// ForceNew are the inputs that force the replacement.
	ForceNew []string
	// DeleteFirst: the replacement deletes the old resource first.
	DeleteFirst bool
	// Conflict, when set, says why AWS or the engine refuses the change.
	Conflict string
	// Protected: the resource has protect set, so the engine refuses to
	// delete or replace it until protect is turned off (by design, not a
	// failure of the key).
	Protected bool
	// SameOutputs: the replacement keeps the ID and outputs (same
	// identity, and the type derives them from it).
	SameOutputs bool
}

// label is "module.Type name", e.g. "ecs.Service app".
func (c replChange) label() string { return replShortType(c.Type) + " " + c.Name }

func replShortType(tok string) string {
	// aws:ecs/service:Service -> ecs.Service; docker:index/image:Image -> docker.Image
	parts := strings.Split(tok, ":")
	mod := strings.Split(parts[1], "/")[0]
	if mod == "index" {
		mod = parts[0]
	}
	return mod + "." + parts[2]
}

func replInputs(r *res) map[string]any {
	out := map[string]any{}
	for k, v := range r.Inputs {
		out[string(k)] = plain(v)
	}
	return out
}

// replDiff classifies every resource that differs between the runs.
func replDiff(t *testing.T, old, new replSnapshot) []replChange {
	t.Helper()
	var out []replChange
	deletedIdentity := map[string]string{}
	for key, o := range old.res {
		if _, ok := new.res[key]; ok {
			continue
		}
		c := replChange{Type: o.Type, Name: o.Name, Kind: "delete"}
		rule := replRuleFor(t, o.Type)
		if rule.Identity != nil {
			deletedIdentity[o.Type+"|"+rule.Identity(replInputs(o))] = c.label()
		}
		if o.Protect {
			c.Protected = true
		}
		out = append(out, c)
	}
	for key, n := range new.res {
		o, ok := old.res[key]
		rule := replRuleFor(t, n.Type)
		if !ok {
			c := replChange{Type: n.Type, Name: n.Name, Kind: "create"}
			if rule.Identity != nil {
				if was, clash := deletedIdentity[n.Type+"|"+rule.Identity(replInputs(n))]; clash {
					c.Conflict = fmt.Sprintf("same physical identity as %s, which is deleted only after the create", was)
				}
			}
			out = append(out, c)
			continue
		}
		oi, ni := replInputs(o), replInputs(n)
		var changed []string
		for k := range replUnion(oi, ni) {
			if replContains(n.Ignore, k) {
				continue // ignoreChanges: the engine keeps the old value
			}
			if !reflect.DeepEqual(oi[k], ni[k]) {
				changed = append(changed, k)
			}
		}
		if len(changed) == 0 {
			continue
		}
		sort.Strings(changed)
		c := replChange{Type: n.Type, Name: n.Name, Kind: "update", Changed: changed}
		if fn := rule.forceNewBy(oi, ni, changed); len(fn) > 0 {
			c.Kind, c.ForceNew = "replace", fn
			c.DeleteFirst = rule.DeleteBeforeReplace || new.dbr[key]
			c.SameOutputs = rule.SameOutputs && rule.Identity != nil && rule.Identity(oi) == rule.Identity(ni)
			c.Protected = o.Protect && n.Protect
			switch {
			case rule.Identity == nil || rule.Revisioned || c.DeleteFirst:
			case rule.Identity(oi) == rule.Identity(ni):
				c.Conflict = fmt.Sprintf("same %s (%s): the replacement is created before the old one is deleted", rule.IdentityNote, rule.Identity(ni))
			}
		}
		out = append(out, c)
	}
	replVPCMoves(old, out)
	sort.Slice(out, func(i, j int) bool { return out[i].label() < out[j].label() })
	return out
}

// replVPCMoves marks in-place updates that would move a load balancer to
// another VPC. A load balancer's VPC is set when it is created (from its
// subnets), and its security groups must belong to that VPC, as every
// network interface's do; ELBv2 has no call that changes it. So when a
// security group the load balancer uses is replaced because its vpcId
// changed, the update of the load balancer (fixed name) is refused.
func replVPCMoves(old replSnapshot, changes []replChange) {
	movedGroups := map[string]bool{}
	for _, ch := range changes {
		if ch.Type == "aws:ec2/securityGroup:SecurityGroup" && ch.Kind == "replace" && replContains(ch.ForceNew, "vpcId") {
			movedGroups[old.res[replKey(ch.Type, ch.Name)].ID] = true
		}
	}
	for i, ch := range changes {
		if ch.Type != "aws:lb/loadBalancer:LoadBalancer" || ch.Kind != "update" {
			continue
		}
		groups, _ := replInputs(old.res[replKey(ch.Type, ch.Name)])["securityGroups"].([]any)
		for _, g := range groups {
			if id, _ := g.(string); movedGroups[id] {
				changes[i].Conflict = "moves to another VPC: its security group is replaced in the new VPC, " +
					"and a load balancer keeps the VPC it was created in"
			}
		}
	}
}

func replUnion(a, b map[string]any) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		out[k] = true
	}
	for k := range b {
		out[k] = true
	}
	return out
}

func replRuleFor(t *testing.T, typ string) forceNewRule {
	t.Helper()
	rule, ok := forceNewRules[typ]
	if !ok {
		t.Fatalf("resource type %s has no entry in forceNewRules (replacement_rules_test.go): "+
			"add its force-new inputs from the provider source before using it", typ)
	}
	return rule
}

// replResult is one evaluated case.
type replResult struct {
	replacementCase
	From, To string
	Changes  []replChange
}

// replEvaluate runs a case to a fixed point of the replaced set.
func replEvaluate(t *testing.T, bases map[string]replBaseline, c replacementCase) replResult {
	t.Helper()
	b, ok := bases[c.Base]
	if !ok {
		t.Fatalf("case %s: unknown baseline %q", c.Key, c.Base)
	}
	if len(c.Set) < 2 || c.Set[0] != c.Key {
		t.Fatalf("case %s on %s: Set must start with the key", c.Key, c.Base)
	}
	cfg := map[string]string{}
	for k, v := range b.Cfg {
		cfg[k] = v
	}
	var to []string
	for i := 0; i < len(c.Set); i += 2 {
		cfg["fargateship:"+c.Set[i]] = c.Set[i+1]
		if i > 0 {
			v := c.Set[i+1]
			if v == "" {
				v = `""`
			}
			to = append(to, c.Set[i]+": "+v)
		}
	}
	res := replResult{replacementCase: c, From: b.Cfg["fargateship:"+c.Key], To: c.Set[1]}
	if len(to) > 0 {
		res.To += " (with " + strings.Join(to, ", ") + ")"
	}
	what := fmt.Sprintf("case %s on %s (baseline)", c.Key, c.Base)
	old := replTakeSnapshot(t, what, b, b.Cfg, nil)
	what = fmt.Sprintf("case %s on %s (%s -> %s)", c.Key, c.Base, res.From, res.To)
	replaced := map[string]bool{}
	for range 10 {
		res.Changes = replDiff(t, old, replTakeSnapshot(t, what, b, cfg, replaced))
		next := map[string]bool{}
		for _, ch := range res.Changes {
			if ch.Kind == "replace" && !ch.SameOutputs {
				next[replKey(ch.Type, ch.Name)] = true
			}
		}
		if reflect.DeepEqual(next, replaced) {
			return res
		}
		replaced = next
	}
	t.Fatalf("case %s on %s: the replaced set does not settle", c.Key, c.Base)
	return res
}

// TestReplacementMatrix computes the matrix, fails on every replacement
// AWS or the engine would refuse (outside createTimeOnly), and keeps
// docs/replacements.md in step.
func TestReplacementMatrix(t *testing.T) {
	bases := replacementBaselines(t)
	var results []replResult
	seenTypes := map[string]bool{}
	for _, c := range replacementCases {
		r := replEvaluate(t, bases, c)
		results = append(results, r)
		for _, ch := range r.Changes {
			seenTypes[ch.Type] = true
		}
	}
	// Every type any baseline registers has a rule (not only the ones
	// that happen to change).
	for _, b := range bases {
		for _, r := range replTakeSnapshot(t, "baseline "+b.About, b, b.Cfg, nil).res {
			replRuleFor(t, r.Type)
			seenTypes[r.Type] = true
		}
	}

	// Coverage: every key in Pulumi.yaml has a case.
	covered := map[string]bool{}
	for _, c := range replacementCases {
		covered[c.Key] = true
	}
	for name := range loadProject(t).Config {
		if !covered[name] {
			t.Errorf("config key %q has no case in replacementCases: add one on a baseline where it matters", name)
		}
	}

	// No refused change outside the create-time-only keys, and each of
	// those still does what the docs say.
	stillReplaces := map[string]map[string]bool{}
	for _, r := range results {
		for _, ch := range r.Changes {
			if ch.Conflict == "" {
				continue
			}
			if allowed, ok := createTimeOnly[r.Key]; ok && replContains(allowed.Resources, ch.label()) {
				if stillReplaces[r.Key] == nil {
					stillReplaces[r.Key] = map[string]bool{}
				}
				stillReplaces[r.Key][ch.label()] = true
				continue
			}
			rule := forceNewRules[ch.Type]
			t.Errorf("changing %s on %s (%q -> %q) would fail in AWS: %s %s by %v: %s.\n"+
				"Make the change an in-place update, or have the resource replaced delete-first, or list the key in createTimeOnly with why.\n"+
				"Provider rule: %s",
				r.Key, r.Base, r.From, r.To, ch.label(), ch.Kind, ch.ForceNew, ch.Conflict, rule.Source)
		}
	}
	for key, allowed := range createTimeOnly {
		for _, l := range allowed.Resources {
			if !stillReplaces[key][l] {
				t.Errorf("createTimeOnly lists %s for %s, but no case of %s replaces it any more: remove it from createTimeOnly and the docs", l, key, key)
			}
		}
	}

	replCheckDoc(t, replRenderDoc(bases, results, seenTypes))
}

const replDocPath = "docs/replacements.md"

func replCheckDoc(t *testing.T, want string) {
	t.Helper()
	path := filepath.Join(projectRoot, replDocPath)
	if os.Getenv("UPDATE_REPLACEMENTS") == "1" {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v (generate it with `UPDATE_REPLACEMENTS=1 go test ./infra -run TestReplacementMatrix`)", replDocPath, err)
	}
	if string(got) != want {
		t.Errorf("%s is not what the matrix computes; regenerate it with\n"+
			"  UPDATE_REPLACEMENTS=1 go test ./infra -run TestReplacementMatrix\n"+
			"and review the diff (first difference at line %d)", replDocPath, replFirstDiffLine(string(got), want))
	}
}

func replFirstDiffLine(a, b string) int {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := range min(len(al), len(bl)) {
		if al[i] != bl[i] {
			return i + 1
		}
	}
	return min(len(al), len(bl)) + 1
}

// replRender prints a config or input value compactly.
func replRender(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

const replProtectedNote = "protected: turn protect off first"

func replMD(s string) string { return strings.ReplaceAll(s, "|", `\|`) }

func replRenderDoc(bases map[string]replBaseline, results []replResult, registered map[string]bool) string {
	var b strings.Builder
	w := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	w("# Replacement matrix\n\n")
	w("<!-- Generated by TestReplacementMatrix (infra/replacement_test.go); do not edit.\n")
	w("     Regenerate: UPDATE_REPLACEMENTS=1 go test ./infra -run TestReplacementMatrix -->\n\n")
	w("What changing one config key on an existing stack does to each resource, as `pulumi up` would do it.\n")
	w("Computed, not written by hand: each row runs the program under mocks with a baseline config and with the key changed,\n")
	w("matches resources by type and name, and classifies every changed input with the provider's force-new rules (table at the end).\n")
	w("A replaced resource's outputs are unknown until it exists, so whatever reads them changes too; the test follows that cascade to a fixed point.\n\n")
	w("- **in place**: the provider updates the resource (for the service, a rolling deployment).\n")
	w("- **replaced**: a new resource, then the old one is deleted (Pulumi's default, create-before-delete);\n")
	w("  *delete first* where the provider asks for delete-before-replace; *new revision* for the task definition, whose old revisions stay registered.\n")
	w("- **REFUSED**: the replacement keeps a physical name or a one-per-parent slot the program fixes, so AWS rejects the create while the old one exists,\n")
	w("  or the engine refuses to replace a protected resource, or AWS refuses the in-place update (a load balancer cannot move to another VPC).\n")
	w("  The test fails on any of these except the create-time-only keys below.\n")
	w("- *protected: turn protect off first*: the resource has `protect` (the repository, log groups, access-log bucket with `protect: true`);\n")
	w("  the engine refuses to delete or replace it until a `pulumi up` with `protect: false` has cleared the flag. That is what protect is for.\n\n")
	w("Not modelled: provider-side defaults and normalisation (the diff is of the inputs the program sends), and what AWS does during an in-place update\n")
	w("(an in-place service update still starts a deployment). Not verified against real AWS here.\n\n")

	w("## Create-time-only keys\n\n")
	w("| key | refused change | why |\n|---|---|---|\n")
	keys := make([]string, 0, len(createTimeOnly))
	for k := range createTimeOnly {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		w("| `%s` | %s | %s |\n", k, strings.Join(createTimeOnly[k].Resources, ", "), replMD(createTimeOnly[k].Why))
	}

	w("\n## Baselines\n\n| baseline | stack | config |\n|---|---|---|\n")
	names := make([]string, 0, len(bases))
	for n := range bases {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		w("| %s | %s | %s |\n", n, bases[n].Stack, bases[n].About)
	}

	w("\n## Matrix\n\n")
	w("| key | baseline | change | updated in place | replaced | created | deleted |\n|---|---|---|---|---|---|---|\n")
	for _, r := range results {
		var upd, rep, cre, del []string
		for _, ch := range r.Changes {
			l := ch.label()
			switch ch.Kind {
			case "update":
				note := strings.Join(ch.Changed, ", ")
				if ch.Conflict != "" {
					note += "; **REFUSED**: " + ch.Conflict
				}
				upd = append(upd, fmt.Sprintf("%s (%s)", l, note))
			case "replace":
				note := "by " + strings.Join(ch.ForceNew, ", ")
				if ch.DeleteFirst {
					note += "; delete first"
				}
				if rule := forceNewRules[ch.Type]; rule.Revisioned {
					note += "; new revision"
				}
				if ch.Conflict != "" {
					note += "; **REFUSED**: " + ch.Conflict
				}
				if ch.Protected {
					note += "; " + replProtectedNote
				}
				rep = append(rep, fmt.Sprintf("%s (%s)", l, note))
			case "create":
				if ch.Conflict != "" {
					l += " (**REFUSED**: " + ch.Conflict + ")"
				}
				cre = append(cre, l)
			case "delete":
				if ch.Protected {
					l += " (" + replProtectedNote + ")"
				}
				del = append(del, l)
			}
		}
		cell := func(v []string) string {
			if len(v) == 0 {
				return "–"
			}
			return replMD(strings.Join(v, "<br>"))
		}
		from := r.From
		if from == "" {
			from = `""`
		}
		key := "`" + r.Key + "`"
		refused, allowed := 0, 0
		for _, ch := range r.Changes {
			if ch.Conflict != "" {
				refused++
				if a, ok := createTimeOnly[r.Key]; ok && replContains(a.Resources, ch.label()) {
					allowed++
				}
			}
		}
		switch {
		case refused > allowed:
			key += " (**fails**: the test reports it)"
		case refused > 0:
			key += " (create-time only)"
		}
		if len(r.Changes) == 0 {
			upd = []string{"nothing changes"}
		}
		w("| %s | %s | %s → %s | %s | %s | %s | %s |\n", key, r.Base, replMD("`"+from+"`"), replMD("`"+r.To+"`"),
			cell(upd), cell(rep), cell(cre), cell(del))
	}

	w("\n## Force-new inputs by resource type\n\n")
	w("The data the matrix is computed from (infra/replacement_rules_test.go), read from the Terraform AWS provider v5 that pulumi-aws v6.83 bridges,\n")
	w("pulumi-aws's own overrides, and the docker provider. Inputs are the Pulumi names; the cited files use the snake_case Terraform names.\n")
	w("Sources marked *read @commit* were read for this table at that commit of hashicorp/terraform-provider-aws (the version the search index holds);\n")
	w("the others are cited by path and were not re-read here. The fixed identities of the repository, log group, secret, cluster, service, subnet,\n")
	w("NAT gateway, flow log, SNS topic and schedule group are checked against moto 5.2.1 (TestReplacementIdentitiesAgainstMoto: a second create with\n")
	w("the same identity fails, or returns the same resource); the others, and AWS itself, are not verified here.\n\n")
	w("| resource type | replaced when these change | delete first | fixed identity | source |\n|---|---|---|---|---|\n")
	// The types the program registers on some baseline; the table may
	// keep rules for types it no longer creates.
	types := make([]string, 0, len(registered))
	for typ := range registered {
		types = append(types, typ)
	}
	sort.Strings(types)
	for _, typ := range types {
		rule := forceNewRules[typ]
		var fn []string
		if rule.AllForceNewExcept != nil {
			fn = append(fn, "every input except "+strings.Join(rule.AllForceNewExcept, ", "))
		}
		fn = append(fn, rule.ForceNew...)
		if rule.CustomNote != "" {
			fn = append(fn, rule.CustomNote)
		}
		if len(fn) == 0 {
			fn = []string{"nothing (every change is in place)"}
		}
		dbr := "no"
		if rule.DeleteBeforeReplace {
			dbr = "yes"
		}
		id := rule.IdentityNote
		if id == "" {
			id = "none (named by AWS or auto-named)"
		}
		w("| `%s` | %s | %s | %s | %s |\n", typ, replMD(strings.Join(fn, ", ")), dbr, id, replMD(rule.Source))
	}
	return b.String()
}

// TestCreateTimeOnlyKeysDocumented: a key that can only be set when the
// stack is created says so where people set it (Pulumi.yaml's description,
// which `pulumi config` and the README table show).
func TestCreateTimeOnlyKeysDocumented(t *testing.T) {
	proj := loadProject(t)
	for key := range createTimeOnly {
		decl, ok := proj.Config[key]
		if !ok {
			t.Errorf("createTimeOnly lists %q, which Pulumi.yaml does not declare", key)
			continue
		}
		if !strings.Contains(strings.ToLower(decl.Description), "create-time only") {
			t.Errorf("config key %q can only be set when the stack is created (%s), but its Pulumi.yaml description does not say \"create-time only\": %q",
				key, strings.Join(createTimeOnly[key].Resources, ", "), decl.Description)
		}
	}
}
