package infra

// The lifecycle permissions layer. The CI roles (bootstrap/cicd) are
// least-privilege documents written by hand; the program's resources are
// written by hand too; nothing but this test ties the two together. For
// every CI role, every stack shape it may deploy (or, for the reaper,
// destroy) and every phase it runs (create, read on refresh, update,
// delete; the invokes and the provider's own configure calls), each AWS
// action the provider calls (lifecycleCatalog, read from the provider
// source and cited per type in lifecycle_catalog_test.go) must be allowed
// by the role's policies, evaluated with IAM's deny-then-allow logic and
// its conditions (cicd.Decide) against the ARN and the condition keys of
// the real request: the resource's tags, the service a role is passed to,
// the account that owns the resource.
//
// What this cannot settle: whether AWS evaluates a condition key for an
// action exactly as the Service Authorization Reference says (a gap
// refuses a deploy, it never widens access), and calls a provider makes
// that its source does not show (AWS-side dependent actions).

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"

	"github.com/fargateship/fargateship/bootstrap/cicd"
)

// lcPhase is one phase of a resource's life, and the calls it makes.
type lcPhase string

const (
	lcCreate lcPhase = "create"
	lcRead   lcPhase = "read"
	lcUpdate lcPhase = "update"
	lcDelete lcPhase = "delete"
)

func (t lcType) calls(p lcPhase) []lcCall {
	switch p {
	case lcCreate:
		return t.Create
	case lcRead:
		return t.Read
	case lcUpdate:
		return t.Update
	case lcDelete:
		return t.Delete
	}
	return nil
}

// lcRole is one CI role: its documents, the stack it works on and the
// phases its job runs.
type lcRole struct {
	name   string
	docs   []cicd.PolicyDocument
	stack  string
	phases []lcPhase
	// invokes: the role runs the program (preview, up), which calls the
	// data sources; a destroy does not run the program.
	invokes bool
}

// lcShape is one stack configuration a role works on.
type lcShape struct {
	name string
	cfg  map[string]string
}

const lcStateBucket = "acme-pulumi-state"

// lcBootstrapConfig is the bootstrap configuration the roles are built
// from: a state bucket, a secrets key per stack, one hosted zone.
func lcBootstrapConfig(t *testing.T) cicd.Config {
	t.Helper()
	c := cicd.Config{
		GitHubRepository: "acme/fargateship", DeployBranch: "main",
		DevEnvironment: "dev", ProdEnvironment: "prod", ReaperEnvironment: "sandbox-reaper",
		ProjectName: "fargateship", StateBucketName: lcStateBucket,
		SecretsKMSKeyARNs: map[string]string{
			"dev":       "arn:aws:kms:us-east-1:" + mockAccount + ":key/11111111-2222-3333-4444-555555555555",
			"prod":      "arn:aws:kms:us-east-1:" + mockAccount + ":key/22222222-3333-4444-5555-666666666666",
			"sandbox-*": "arn:aws:kms:us-east-1:" + mockAccount + ":key/33333333-4444-5555-6666-777777777777",
		},
		HostedZoneIDs: []string{testZone},
	}
	if err := c.Validate(); err != nil {
		t.Fatalf("bootstrap config: %v", err)
	}
	return c
}

// lcCIStack is a stack CI deploys: the stack file's config with the
// bootstrap's four roles (CI creates no role; docs/delivery.md step 5).
func lcCIStack(t *testing.T, bc cicd.Config, stack string, base map[string]string, kv ...string) map[string]string {
	t.Helper()
	cfg := map[string]string{}
	for k, v := range base {
		cfg[k] = v
	}
	roles := bc.StackRoleARNs(mockAccount, stack, "execution", "task", "flow-logs", "scheduler")
	for i, key := range []string{"executionRoleArn", "taskRoleArn", "flowLogsRoleArn", "schedulerRoleArn"} {
		cfg["fargateship:"+key] = roles[i]
	}
	for i := 0; i+1 < len(kv); i += 2 {
		cfg["fargateship:"+kv[i]] = kv[i+1]
	}
	return cfg
}

var lcInputRE = regexp.MustCompile(`\{in:([A-Za-z0-9_.\[\]]+)\}`)

// lcExpand fills an ARN template or a context value for a resource:
// {partition} {region} {account} {id} and {in:PATH} (an input, else the
// output of that name).
func lcExpand(tmpl string, r *res) string {
	out := strings.NewReplacer("{partition}", "aws", "{region}", mockRegion, "{account}", mockAccount).Replace(tmpl)
	if r == nil {
		return out
	}
	out = strings.ReplaceAll(out, "{id}", r.ID)
	in := replInputs(r)
	return lcInputRE.ReplaceAllStringFunc(out, func(m string) string {
		key := lcInputRE.FindStringSubmatch(m)[1]
		if v, ok := lcWalk(in, key)[0].(string); ok && v != "" {
			return v
		}
		if o, ok := r.Outputs[resource.PropertyKey(key)]; ok && o.IsString() {
			return o.StringValue()
		}
		return m
	})
}

// lcWalk returns the values at an input path: "a.b" descends objects,
// "a[]" every element of a list. A missing value is a single nil.
func lcWalk(v any, path string) []any {
	if path == "" {
		return []any{v}
	}
	head, rest, _ := strings.Cut(path, ".")
	each := strings.HasSuffix(head, "[]")
	head = strings.TrimSuffix(head, "[]")
	m, _ := v.(map[string]any)
	next, ok := m[head]
	if !ok || next == nil {
		return []any{nil}
	}
	if !each {
		return lcWalk(next, rest)
	}
	var out []any
	list, _ := next.([]any)
	for _, e := range list {
		out = append(out, lcWalk(e, rest)...)
	}
	if len(out) == 0 {
		return []any{nil}
	}
	return out
}

// values are the values at an input path of r; a path may go through a
// reference: "secretId.kmsKeyId" is the kmsKeyId input of the resource
// that r's secretId names.
func (x *lcRun) values(r *res, path string) []any {
	out := lcWalk(replInputs(r), path)
	if len(out) != 1 || out[0] != nil || !strings.Contains(path, ".") {
		return out
	}
	head, rest, _ := strings.Cut(path, ".")
	ref, ok := lcWalk(replInputs(r), head)[0].(string)
	if !ok || ref == "" {
		return out
	}
	if target := x.lcResolve(ref); target.res != nil && target.res != r {
		return x.values(target.res, rest)
	}
	return out
}

// set: the input is set (non-empty, not false).
func (x *lcRun) set(r *res, path string) bool {
	for _, v := range x.values(r, path) {
		if !replEmpty(v) && v != false {
			return true
		}
	}
	return false
}

// lcTags are a resource's tags input.
func lcTags(r *res) map[string]string {
	out := map[string]string{}
	if r == nil {
		return out
	}
	tags, _ := replInputs(r)["tags"].(map[string]any)
	for k, v := range tags {
		out[k], _ = v.(string)
	}
	return out
}

// lcTarget is a resource a request is authorized against.
type lcTarget struct {
	arn string
	// res is the program's resource behind it; nil for one the program
	// does not manage (the default VPC, an existing subnet, a role of the
	// bootstrap).
	res *res
	// tags and boundary are what IAM sees on it (aws:ResourceTag/...,
	// iam:PermissionsBoundary): the program's tags input, or, for a role
	// of the bootstrap, the tags and boundary the bootstrap gives it.
	tags     map[string]string
	boundary string
}

// lcBootstrapRole is what the bootstrap gives the roles it creates for a
// stack under /<project>/<stack>/ (bootstrap/cicd/program.go): the tags
// project, managed-by and stack, and the task boundary.
var lcBootstrapRoleRE = regexp.MustCompile(`^arn:aws:iam::` + mockAccount + `:role/fargateship/([a-z0-9-]+)/fargateship-[a-z0-9-]+$`)

// ec2IDTypes map an EC2 ID prefix to its ARN resource type, for IDs the
// program gets from config or a lookup.
var ec2IDTypes = map[string]string{
	"vpc-": "vpc", "subnet-": "subnet", "sg-": "security-group", "eipalloc-": "elastic-ip", "igw-": "internet-gateway",
	"rtb-": "route-table", "nat-": "natgateway", "fl-": "vpc-flow-log",
}

var (
	// ACCOUNT.dkr.ecr.REGION.amazonaws.com/REPO[:TAG|@DIGEST]
	lcImageRE = regexp.MustCompile(`^([0-9]{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com/([^:@]+)`)
	// An Application Auto Scaling resource id: service/CLUSTER/SERVICE.
	lcScalableRE = regexp.MustCompile(`^service/([^/]+)/([^/]+)$`)
	lcZoneRE     = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
)

// lcResolve turns an input's value (an ARN, an ID, a name, an image
// reference) into the resource it names.
func (x *lcRun) lcResolve(v string) lcTarget {
	found := func(arn string, r *res) lcTarget {
		t := lcTarget{arn: arn, res: r, tags: lcTags(r)}
		if r != nil {
			t.boundary, _ = r.in("permissionsBoundary").(string)
		} else if m := lcBootstrapRoleRE.FindStringSubmatch(arn); m != nil {
			t.tags = map[string]string{"project": "fargateship", "managed-by": "pulumi", "stack": m[1]}
			t.boundary = "arn:aws:iam::" + mockAccount + ":policy/fargateship-task-boundary"
		}
		return t
	}
	if strings.HasPrefix(v, "arn:") {
		for _, r := range x.resources {
			if t, ok := lifecycleCatalog[r.Type]; ok && t.ARN != "" && lcExpand(t.ARN, r) == v {
				return found(v, r)
			}
		}
		return found(v, nil)
	}
	for _, r := range x.resources {
		if r.ID == v || r.in("name") == v {
			if t, ok := lifecycleCatalog[r.Type]; ok && t.ARN != "" {
				return found(lcExpand(t.ARN, r), r)
			}
		}
	}
	// A role named by the stack's config (the bootstrap's roles).
	for _, arn := range x.externalRoles {
		if arn[strings.LastIndex(arn, "/")+1:] == v {
			return found(arn, nil)
		}
	}
	if m := lcImageRE.FindStringSubmatch(v); m != nil {
		return x.lcResolve("arn:aws:ecr:" + m[2] + ":" + m[1] + ":repository/" + m[3])
	}
	if m := lcScalableRE.FindStringSubmatch(v); m != nil {
		return x.lcResolve("arn:aws:ecs:" + mockRegion + ":" + mockAccount + ":service/" + m[1] + "/" + m[2])
	}
	if lcZoneRE.MatchString(v) {
		return found("arn:aws:route53:::hostedzone/"+v, nil)
	}
	for prefix, typ := range ec2IDTypes {
		if strings.HasPrefix(v, prefix) {
			return found("arn:aws:ec2:"+mockRegion+":"+mockAccount+":"+typ+"/"+v, nil)
		}
	}
	return found(v, nil)
}

// lcRun is one evaluated stack shape.
type lcRun struct {
	*run
	// externalRoles are the role ARNs the stack's config names.
	externalRoles []string
}

var lcRoleARNRE = regexp.MustCompile(`arn:aws:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]+`)

func newLCRun(r *run, cfg map[string]string) *lcRun {
	x := &lcRun{run: r}
	// Top-level keys, and the services' own roles inside `services`.
	for _, v := range cfg {
		x.externalRoles = append(x.externalRoles, lcRoleARNRE.FindAllString(v, -1)...)
	}
	return x
}

// targets are the resources one call of r is authorized against.
func (x *lcRun) targets(t *testing.T, r *res, typ lcType, c lcCall) []lcTarget {
	switch {
	case c.On == "*":
		return []lcTarget{{arn: "*"}}
	case c.On == "" || strings.HasPrefix(c.On, "arn:"):
		tmpl := c.On
		if tmpl == "" {
			tmpl = typ.ARN
		}
		if tmpl == "" {
			t.Fatalf("%s: call %s is on the resource itself, but the catalog gives no ARN", r.Type, c.Action)
		}
		self := r
		if strings.Contains(tmpl, "{target}") {
			// A scaling policy or scheduled action is authorized against
			// its scalable target, whose ARN ends in the target's id.
			self = x.scalableTarget(t, r)
			tmpl = strings.ReplaceAll(tmpl, "{target}", self.ID)
		}
		arn := lcExpand(tmpl, r)
		if strings.Contains(arn, "{") {
			t.Fatalf("%s %s: ARN template %q left %q", r.Type, r.Name, tmpl, arn)
		}
		target := x.lcResolve(arn)
		if c.On == "" {
			target.res, target.tags = self, lcTags(self)
			target.boundary, _ = self.in("permissionsBoundary").(string)
		}
		return []lcTarget{target}
	case strings.HasPrefix(c.On, "input:"):
		var out []lcTarget
		for _, v := range x.values(r, strings.TrimPrefix(c.On, "input:")) {
			if s, ok := v.(string); ok && s != "" {
				out = append(out, x.lcResolve(s))
			}
		}
		return out
	}
	t.Fatalf("%s: call %s has an unknown On %q", r.Type, c.Action, c.On)
	return nil
}

// scalableTarget is the Application Auto Scaling target of r (r itself,
// or the target with r's resourceId).
func (x *lcRun) scalableTarget(t *testing.T, r *res) *res {
	if r.Type == "aws:appautoscaling/target:Target" {
		return r
	}
	for _, o := range x.resources {
		if o.Type == "aws:appautoscaling/target:Target" && o.in("resourceId") == r.in("resourceId") {
			return o
		}
	}
	t.Fatalf("%s %s: no scalable target with resourceId %v", r.Type, r.Name, r.in("resourceId"))
	return nil
}

// lcTagChange matches the calls that change a resource's tags. The program
// gives every resource of a stack the same tags on every `up`
// (Naming.Tags: project, stack, managed-by), and the providers call their
// tag APIs on an update only when tags_all changed (terraform-provider-aws
// internal/provider/intercept.go, tagsResourceInterceptor), so no update
// calls them; a create's tags are checked with the create.
var lcTagChange = regexp.MustCompile(`:(Tag[A-Za-z]*|Untag[A-Za-z]*|AddTags[A-Za-z]*|RemoveTags[A-Za-z]*|CreateTags|DeleteTags)$`)

// lcContext is the request context of one call on one target: the
// owning account, and the keys the catalog says the call carries, with
// "{tags}" expanded to one key per tag of the target.
func lcContext(c lcCall, on lcTarget, self *res) map[string][]string {
	ctx := map[string][]string{"aws:PrincipalAccount": {mockAccount}}
	if parts := strings.SplitN(on.arn, ":", 6); len(parts) == 6 && parts[4] != "" {
		ctx["aws:ResourceAccount"] = []string{parts[4]}
	}
	// IAM actions on a role carry the role's boundary (Service
	// Authorization Reference, IAM: iam:PermissionsBoundary on role
	// actions).
	if strings.HasPrefix(c.Action, "iam:") && on.boundary != "" {
		ctx["iam:PermissionsBoundary"] = []string{on.boundary}
	}
	for k, v := range c.Context {
		if v != "{tags}" {
			ctx[k] = append(ctx[k], lcExpand(v, self))
			continue
		}
		// A create carries the new resource's tags; any other call the
		// tags of the resource it acts on.
		tags := on.tags
		if strings.HasPrefix(k, "aws:RequestTag/") {
			tags = lcTags(self)
		}
		prefix := strings.TrimSuffix(k, "*")
		for tk, tv := range tags {
			ctx[prefix+tk] = []string{tv}
		}
		if strings.HasPrefix(k, "aws:RequestTag/") {
			for tk := range tags {
				ctx["aws:TagKeys"] = append(ctx["aws:TagKeys"], tk)
			}
		}
	}
	return ctx
}

// lcFailure is one refused call, for the report.
type lcFailure struct{ role, action, resource, why string }

// check evaluates every call of every phase of every resource of the run
// for a role, and the invokes and provider calls when the role runs the
// program.
func (x *lcRun) check(t *testing.T, role lcRole, shape string, fail func(lcFailure)) {
	t.Helper()
	decide := func(c lcCall, on lcTarget, self *res, what string) {
		d, sid := cicd.Decide(role.docs, cicd.Request{Action: c.Action, Resource: on.arn, Context: lcContext(c, on, self)})
		if d != cicd.Allowed {
			fail(lcFailure{role.name, c.Action, on.arn, fmt.Sprintf("%s (%s) on %s, %s", d, sid, shape, what)})
		}
	}
	for _, r := range x.resources {
		if strings.HasPrefix(r.Type, "fargateship:") || r.Type == "pulumi:providers:docker" {
			continue
		}
		typ, ok := lifecycleCatalog[r.Type]
		if !ok {
			t.Errorf("%s has no entry in lifecycleCatalog (lifecycle_catalog_test.go): add its CRUD calls from the provider source", r.Type)
			continue
		}
		for _, p := range role.phases {
			for _, c := range typ.calls(p) {
				if p == lcUpdate && lcTagChange.MatchString(c.Action) {
					continue
				}
				if c.If != "" && (strings.HasPrefix(c.If, "!") == x.set(r, strings.TrimPrefix(c.If, "!"))) {
					continue
				}
				for _, on := range x.targets(t, r, typ, c) {
					decide(c, on, r, fmt.Sprintf("%s of %s %s", p, replShortType(r.Type), r.Name))
				}
			}
		}
	}
	if !role.invokes {
		return
	}
	seen := map[string]bool{}
	for _, tok := range x.calls {
		if seen[tok] {
			continue
		}
		seen[tok] = true
		calls, ok := lifecycleInvokes[tok]
		if !ok {
			t.Errorf("invoke %s has no entry in lifecycleInvokes", tok)
		}
		for _, c := range calls {
			decide(c, lcTarget{arn: lcExpand(c.On, nil)}, nil, "invoke "+tok)
		}
	}
}

// lcCheckProvider evaluates the providers' configure calls.
func lcCheckProvider(role lcRole, fail func(lcFailure)) {
	for name, calls := range lifecycleProvider {
		for _, c := range calls {
			arn := "*"
			if c.On != "" && c.On != "*" {
				arn = lcExpand(c.On, nil)
			}
			d, sid := cicd.Decide(role.docs, cicd.Request{Action: c.Action, Resource: arn, Context: lcContext(c, lcTarget{arn: arn}, nil)})
			if d != cicd.Allowed {
				fail(lcFailure{role.name, c.Action, arn, fmt.Sprintf("%s (%s), the %s provider's configure", d, sid, name)})
			}
		}
	}
}

// lcReport fails the test once per distinct refused action and resource
// pattern, naming where it was needed.
type lcReport struct {
	t    *testing.T
	seen map[string][]string
}

func (r *lcReport) add(f lcFailure) {
	key := f.role + " " + f.action + " " + lcGeneric(f.resource)
	r.seen[key] = append(r.seen[key], f.why)
}

// lcGeneric folds the parts of an ARN that differ between runs (IDs,
// generated suffixes) so one missing permission is reported once.
func lcGeneric(arn string) string {
	arn = regexp.MustCompile(`sandbox-[a-z]+`).ReplaceAllString(arn, "sandbox-…")
	return regexp.MustCompile(`(:[a-z-]+/)[^/:]+$`).ReplaceAllString(arn, "${1}…")
}

func (r *lcReport) done() {
	keys := make([]string, 0, len(r.seen))
	for k := range r.seen {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		r.t.Errorf("%s is refused: %s (and %d more places)", k, r.seen[k][0], len(r.seen[k])-1)
	}
}

// lcShapes are the stack shapes a role works on. CI-deployed stacks run
// with the bootstrap's roles; a stack with alarmEmail also names its
// kmsKeyArn (CI may not create keys: docs/delivery.md). Sandboxes are the
// preset with each option a developer may add; their roles are the
// program's own.
func lcShapes(t *testing.T, bc cicd.Config, stack string) []lcShape {
	t.Helper()
	proj := loadProject(t)
	stacks := shippedStacks(t)
	key := lcKMSKey
	zone := testZone
	cert := "arn:aws:acm:us-east-1:" + mockAccount + ":certificate/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab"
	switch stack {
	case "dev", "prod":
		base := stackConfig(t, proj, stacks[stack])
		ci := func(kv ...string) map[string]string { return lcCIStack(t, bc, stack, base, kv...) }
		shapes := []lcShape{
			{"the " + stack + " stack file", ci()},
			{"with a load balancer and autoscaling", ci("loadBalancer", "true", "minCount", "1", "maxCount", "4", "requestsPerTarget", "500")},
			{"with a domain", ci("loadBalancer", "true", "domainName", "app.example.com", "hostedZoneId", zone)},
			{"with a certificate", ci("loadBalancer", "true", "certificateArn", cert)},
			{"new VPC", ci("network", "new-vpc", "loadBalancer", "true", "natGateways", "2")},
			{"existing VPC", ci("network", "existing-vpc", "vpcId", testVPC, "privateSubnetIds", testPrivateSubnets,
				"publicSubnetIds", testPublicSubnets, "loadBalancer", "true")},
			{"secrets with the stack's key", ci("secrets", `{"API_KEY":"k-1"}`, "kmsKeyArn", key)},
			{"operations", ci("loadBalancer", "true", "alarms", "true", "alarmEmail", "ops@example.com", "kmsKeyArn", key,
				"accessLogs", "true", "dashboard", "true", "activeHours", "MON-FRI 08:00-20:00")},
			{"schedules", ci("schedules", testSchedules)},
			{"spot", ci("spot", "true", "schedules", testSchedules)},
			{"prebuilt ECR image", ci("image", mockAccount+".dkr.ecr.us-east-1.amazonaws.com/fargateship-"+stack+"-billing:1.4.2")},
			{"several services", ci("loadBalancer", "true", "cpu", "512", "memory", "1024", "alarms", "true", "dashboard", "true",
				"services", lcServices(bc, stack))},
		}
		return shapes
	default:
		base := stackConfig(t, proj, stacks["sandbox-preset"])
		sb := func(kv ...string) map[string]string {
			cfg := map[string]string{}
			for k, v := range base {
				cfg[k] = v
			}
			for i := 0; i+1 < len(kv); i += 2 {
				cfg["fargateship:"+kv[i]] = kv[i+1]
			}
			return cfg
		}
		return []lcShape{
			{"the sandbox preset", sb()},
			{"alarm e-mail (a created key)", sb("alarms", "true", "alarmEmail", "me@example.com")},
			{"load balancer with access logs and alarms", sb("loadBalancer", "true", "accessLogs", "true", "alarms", "true", "dashboard", "true")},
			{"new VPC", sb("network", "new-vpc", "loadBalancer", "true")},
			{"schedules and secrets", sb("schedules", testSchedules, "secrets", `{"API_KEY":"k-1"}`)},
			{"secrets with a key", sb("secrets", `{"API_KEY":"k-1"}`, "kmsKeyArn", key)},
			{"autoscaling", sb("loadBalancer", "true", "minCount", "1", "maxCount", "3", "requestsPerTarget", "100")},
			{"several services", sb("loadBalancer", "true", "cpu", "512", "memory", "1024", "alarms", "true", "alarmEmail", "me@example.com",
				"services", testServicesPaths)},
		}
	}
}

// lcServices is the shop's services with the bootstrap's roles of each
// service other than app (CI creates no roles).
func lcServices(bc cicd.Config, stack string) string {
	role := func(svc, kind string) string { return bc.ServiceRoleARN(mockAccount, stack, svc, kind) }
	return `{"app":{},` +
		`"api":{"buildContext":"examples/api","containerPort":9090,"healthCheckPath":"/ready","healthCheckCommand":["/api","-check"],"paths":["/api/*"],` +
		`"executionRoleArn":"` + role("api", "execution") + `","taskRoleArn":"` + role("api", "task") + `"},` +
		`"worker":{"buildContext":"examples/worker","containerPort":0,"healthCheckCommand":[],` +
		`"schedules":{"nightly":{"schedule":"rate(1 day)","command":["report"]}},` +
		`"executionRoleArn":"` + role("worker", "execution") + `","taskRoleArn":"` + role("worker", "task") + `"}}`
}

const lcKMSKey = "arn:aws:kms:us-east-1:" + mockAccount + ":key/44444444-5555-6666-7777-888888888888"

// lcRoles are the four CI roles of the bootstrap, as the bootstrap
// builds their documents.
func lcRoles(t *testing.T, bc cicd.Config) []lcRole {
	t.Helper()
	boundary := "arn:aws:iam::" + mockAccount + ":policy/" + bc.TaskBoundaryPolicyName()
	all := []lcPhase{lcCreate, lcRead, lcUpdate, lcDelete}
	return []lcRole{
		// A pull request previews dev: the program runs (invokes, the image
		// build's registry token) but no resource is read (no --refresh).
		{name: "preview", docs: []cicd.PolicyDocument{cicd.PreviewPermissions(bc, mockAccount)}, stack: "dev", invokes: true},
		{name: "deploy-dev", docs: []cicd.PolicyDocument{cicd.DeployPermissions(bc, mockAccount, "dev", boundary)}, stack: "dev", phases: all, invokes: true},
		{name: "deploy-prod", docs: []cicd.PolicyDocument{cicd.DeployPermissions(bc, mockAccount, "prod", boundary)}, stack: "prod", phases: all, invokes: true},
		// The reaper destroys expired sandboxes: `pulumi destroy` deletes
		// from the state, without running the program or refreshing.
		{name: "reaper", docs: []cicd.PolicyDocument{cicd.ReaperPermissions(bc, mockAccount)}, stack: "sandbox-alice", phases: []lcPhase{lcDelete}},
	}
}

// TestCIRolesCoverEveryLifecycleCall is the layer: every role, every shape
// it works on, every phase its job runs.
func TestCIRolesCoverEveryLifecycleCall(t *testing.T) {
	bc := lcBootstrapConfig(t)
	for _, role := range lcRoles(t, bc) {
		t.Run(role.name, func(t *testing.T) {
			report := &lcReport{t: t, seen: map[string][]string{}}
			lcCheckProvider(role, report.add)
			for _, shape := range lcShapes(t, bc, role.stack) {
				r := runProgram(t, role.stack, shape.cfg, "fargateship:secrets")
				if r.err != nil {
					t.Fatalf("%s: %v", shape.name, r.err)
				}
				newLCRun(r, shape.cfg).check(t, role, shape.name, report.add)
			}
			report.done()
		})
	}
}
