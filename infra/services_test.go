package infra

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// svcs builds a services value from name → fields (JSON objects).
func svcs(entries map[string]string) string {
	var parts []string
	for name, fields := range entries {
		parts = append(parts, `"`+name+`":`+fields)
	}
	sort.Strings(parts)
	return "{" + strings.Join(parts, ",") + "}"
}

var imageTagRE = regexp.MustCompile(`src-[0-9a-f]{20}`)

const (
	apiFields    = `{"buildContext":"examples/api","containerPort":9090,"healthCheckPath":"/ready","healthCheckCommand":["/api","-check"],"paths":["/api/*"]}`
	workerFields = `{"buildContext":"examples/worker","containerPort":0,"healthCheckCommand":[]}`
)

// Bad services are config errors naming services.<name>.<field>, before
// any resource is registered.
func TestBadServices(t *testing.T) {
	base := []string{"loadBalancer", "true", "cpu", "512", "memory", "1024"}
	cases := []struct {
		name  string
		extra []string
		want  []string
	}{
		{"unknown field", []string{"services", svcs(map[string]string{"api": `{"buildContxt":"examples/api"}`})},
			[]string{`"fargateship:services.api.buildContxt"`, "is not a service field"}},
		{"bad name", []string{"services", svcs(map[string]string{"Api": `{}`})}, []string{`"fargateship:services.Api"`, "lower-case letters"}},
		{"reserved name", []string{"services", svcs(map[string]string{"exec": `{}`})}, []string{`"fargateship:services.exec"`, "exec is reserved"}},
		{"name too long", []string{"services", svcs(map[string]string{strings.Repeat("a", 33): `{}`})}, []string{"1-32 lower-case letters"}},
		{"same path twice", []string{"services", svcs(map[string]string{"api": apiFields, "api2": strings.Replace(apiFields, `"examples/api"`, `"app"`, 1)})},
			[]string{`"fargateship:services.api" and "fargateship:services.api2" route the same requests (host * path /api/*)`}},
		{"two defaults", []string{"services", svcs(map[string]string{"app": `{}`, "web": `{}`})}, []string{"services app, web take every request", "at most one service may"}},
		{"paths on a worker", []string{"services", svcs(map[string]string{"worker": `{"buildContext":"examples/worker","containerPort":0,"healthCheckCommand":[],"paths":["/w/*"]}`})},
			[]string{`"fargateship:services.worker.paths"`, "a worker (containerPort 0) takes no requests"}},
		{"paths on an internal service", []string{"services", svcs(map[string]string{"api": `{"paths":["/api/*"],"internal":true}`})},
			[]string{`"fargateship:services.api.paths"`, "an internal service is not routed"}},
		{"paths without a load balancer", []string{"loadBalancer", "false", "services", svcs(map[string]string{"api": `{"paths":["/api/*"]}`})},
			[]string{`"fargateship:services.api.paths" needs "fargateship:loadBalancer"`}},
		{"unknown secret", []string{"services", svcs(map[string]string{"api": `{"secrets":["NOPE"]}`})},
			[]string{`"fargateship:services.api.secrets"`, `"NOPE"`, "must name a secret of the stack's secrets"}},
		{"bad per-service value", []string{"services", svcs(map[string]string{"api": `{"cpu":300}`})},
			[]string{`"fargateship:services.api.cpu"`, `"300"`, "256, 512, 1024"}},
		{"per-service pair", []string{"services", svcs(map[string]string{"api": `{"memory":512}`})},
			[]string{`"fargateship:cpu" and "fargateship:services.api.memory"`, "memory 512 MiB is not a valid Fargate size for cpu 512"}},
		{"Service Connect on 256 CPU units", []string{"cpu", "256", "memory", "512", "services", svcs(map[string]string{"api": `{}`})},
			[]string{`"fargateship:cpu"`, "Service Connect agent", "512 or more"}},
		{"image and build key", []string{"services", svcs(map[string]string{"api": `{"image":"ghcr.io/acme/api:1.0","buildContext":"examples/api"}`})},
			[]string{`"fargateship:services.api.image" and "fargateship:services.api.buildContext"`}},
		{"top-level schedules", []string{"schedules", testSchedules, "services", svcs(map[string]string{"app": `{}`})},
			[]string{`"fargateship:schedules" is set with "fargateship:services"`, "services.NAME.schedules"}},
		{"bad schedule of a service", []string{"services", svcs(map[string]string{"worker": `{"buildContext":"examples/worker","containerPort":0,"healthCheckCommand":[],"schedules":{"n":{"schedule":"daily","command":["report"]}}}`})},
			[]string{`"fargateship:services.worker.schedules.n.schedule"`, `"daily"`}},
		{"too many rule values", []string{"services", svcs(map[string]string{"api": `{"paths":["/a/*","/b/*","/c/*"],"hosts":["a.example.com","b.example.com","c.example.com"]}`})},
			[]string{"6 values; a load balancer rule takes at most 5"}},
		{"host outside the domain's certificate", []string{"domainName", "shop.example.com", "hostedZoneId", "Z0123456789ABCDEFGHIJ",
			"services", svcs(map[string]string{"api": `{"hosts":["api.example.com"]}`})}, []string{`"fargateship:services.api.hosts"`, "is not covered by the certificate"}},
		{"stack roles without service roles", []string{"executionRoleArn", testRole + "execution", "taskRoleArn", testRole + "task",
			"services", svcs(map[string]string{"app": `{}`, "api": apiFields})}, []string{"fargateship:services.api.executionRoleArn"}},
		{"bad path pattern", []string{"services", svcs(map[string]string{"api": `{"paths":["api/*"]}`})}, []string{`"fargateship:services.api.paths"`, `"api/*"`}},
		{"not an object", []string{"services", `["api"]`}, []string{`"fargateship:services"`, "must be an object"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runProgram(t, "dev", with(t, append(append([]string{}, base...), tc.extra...)...))
			if r.err == nil {
				t.Fatalf("accepted: %v", tc.extra)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.err.Error(), w) {
					t.Errorf("error does not say %q:\n%v", w, r.err)
				}
			}
			if len(r.resources) != 0 {
				t.Errorf("%d resources registered before the config error", len(r.resources))
			}
		})
	}
}

// Fields not set take the top-level key (maps merge, the service's
// entries win); schedules and secrets are never inherited; a service with
// image takes no inherited build key.
func TestServiceInheritance(t *testing.T) {
	r := mustRun(t, "dev", with(t, "loadBalancer", "true", "cpu", "1024", "memory", "2048", "desiredCount", "3",
		"environment", `{"LOG_LEVEL":"info","GREETING":"top"}`, "buildArgs", `{"VERSION":"1"}`,
		"secrets", `{"DB_PASSWORD":"x","API_KEY":"y"}`,
		"services", svcs(map[string]string{
			"app": `{"environment":{"GREETING":"app"},"secrets":["DB_PASSWORD"]}`,
			"api": `{"image":"ghcr.io/acme/api:1.4.2","containerPort":9090,"paths":["/api/*"],"cpu":512,"memory":1024}`,
		})), "fargateship:secrets")
	c := r.stack.Config
	app, api := c.Services[0], c.Services[1]
	if app.Name != "app" || api.Name != "api" {
		t.Fatalf("services = %s, %s", app.Name, api.Name)
	}
	if app.CPU != 1024 || app.DesiredCount != 3 || api.CPU != 512 || api.DesiredCount != 3 {
		t.Errorf("cpu/count: app %d/%d api %d/%d", app.CPU, app.DesiredCount, api.CPU, api.DesiredCount)
	}
	if js(t, app.Environment) != `{"GREETING":"app","LOG_LEVEL":"info"}` || js(t, api.Environment) != `{"GREETING":"top","LOG_LEVEL":"info"}` {
		t.Errorf("environment: app %v api %v", app.Environment, api.Environment)
	}
	if js(t, app.SecretNames) != `["DB_PASSWORD"]` || len(api.SecretNames) != 0 {
		t.Errorf("secrets: app %v api %v", app.SecretNames, api.SecretNames)
	}
	if api.Image != "ghcr.io/acme/api:1.4.2" || len(api.BuildArgs) != 0 || app.BuildArgs["VERSION"] != "1" {
		t.Errorf("api image %q buildArgs %v; app buildArgs %v", api.Image, api.BuildArgs, app.BuildArgs)
	}
	// Each execution role reads only its own secrets.
	if p := r.named(t, "aws:iam/rolePolicy:RolePolicy", "app-execution-secrets").in("policy").(string); !strings.Contains(p, "DB_PASSWORD") || strings.Contains(p, "API_KEY") {
		t.Errorf("app's secrets policy: %s", p)
	}
	for _, x := range r.all("aws:iam/rolePolicy:RolePolicy") {
		if strings.HasPrefix(x.Name, "api-") && strings.Contains(x.in("policy").(string), "secretsmanager") {
			t.Errorf("api reads secrets: %s", x.in("policy"))
		}
	}
}

// A stack dev with a service api and a stack dev-api side by side: no
// physical name of one is a name of the other (log groups, repositories,
// families, services, alarms, roles' paths aside, schedules).
func TestServiceNamesDoNotMeetOtherStacks(t *testing.T) {
	env := mustRun(t, "dev", with(t, "loadBalancer", "true", "cpu", "512", "memory", "1024", "alarms", "true", "schedules", "{}",
		"services", svcs(map[string]string{"app": `{}`, "api": strings.TrimSuffix(apiFields, "}") + `,"schedules":{"nightly":{"schedule":"rate(1 day)","command":["x"]}}}`})))
	other := mustRun(t, "dev-api", with(t, "loadBalancer", "true", "alarms", "true", "schedules", testSchedules))
	names := func(r *run) map[string]string {
		out := map[string]string{}
		for _, x := range r.resources {
			for _, k := range []string{"name", "family", "dashboardName", "bucketPrefix"} {
				if v, ok := x.in(k).(string); ok && v != "" {
					out[replShortType(x.Type)+" "+v] = x.Name
				}
			}
		}
		return out
	}
	a, b := names(env), names(other)
	for k := range a {
		if _, clash := b[k]; clash {
			t.Errorf("stack dev (service %s) and stack dev-api both name %s", a[k], k)
		}
	}
	if a["ecs.Service fargateship-dev_api"] == "" || a["cloudwatch.LogGroup /ecs/fargateship-dev_api"] == "" || a["ecr.Repository fargateship-dev_api"] == "" {
		t.Errorf("service api's names: %v", a)
	}
}

// Adding a service moves no existing rule: each priority depends on its
// service alone; deeper paths come first; the not-found rule is last.
func TestRulePrioritiesAreStable(t *testing.T) {
	rules := func(services string) map[string]float64 {
		r := mustRun(t, "dev", with(t, "loadBalancer", "true", "cpu", "512", "memory", "1024", "services", services))
		out := map[string]float64{}
		for _, x := range r.all("aws:lb/listenerRule:ListenerRule") {
			out[x.Name], _ = x.in("priority").(float64)
		}
		return out
	}
	before := rules(svcs(map[string]string{"app": `{}`, "api": apiFields}))
	after := rules(svcs(map[string]string{"app": `{}`, "api": apiFields, "admin": `{"paths":["/api/admin/*"]}`}))
	if before["web-api"] == 0 || before["web-api"] != after["web-api"] {
		t.Errorf("api's rule moved: %v -> %v", before, after)
	}
	if after["web-admin"] >= after["web-api"] {
		t.Errorf("/api/admin/* (%v) must come before /api/* (%v)", after["web-admin"], after["web-api"])
	}
	last := rules(svcs(map[string]string{"app": `{"paths":["/shop/*"]}`, "api": apiFields}))
	if last["web-not-found"] != NotFoundRulePriority || last["web-app"] >= NotFoundRulePriority {
		t.Errorf("rules = %v", last)
	}
}

// The shop example on every shipped stack shape: every input of every
// resource, pinned (testdata/shop/<stack>.json; UPDATE_SHOP=1 rewrites
// them, then review the diff), and what the environment promises.
func TestExampleShop(t *testing.T) {
	for stack, r := range exampleRuns(t, "shop") {
		t.Run(stack, func(t *testing.T) {
			dump := map[string]any{}
			for _, x := range r.resources {
				dump[x.URN] = replInputs(x)
			}
			b, err := json.MarshalIndent(dump, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			// The image tags hash the services' sources, tested on their
			// own (image_test.go): an edit of examples/api is not a change
			// of the shop's shape.
			b = imageTagRE.ReplaceAll(b, []byte("src-<content hash>"))
			path := filepath.Join("testdata", "shop", stack+".json")
			if os.Getenv("UPDATE_SHOP") == "1" {
				if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, append(b, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			} else if want, err := os.ReadFile(path); err != nil || string(want) != string(b)+"\n" {
				t.Errorf("the shop's inputs on %s differ from %s (err %v): regenerate with UPDATE_SHOP=1 go test ./infra -run TestExampleShop and review the diff", stack, path, err)
			}
			checkShop(t, r)
		})
	}
}

func checkShop(t *testing.T, r *run) {
	t.Helper()
	svc := map[string]*res{}
	for _, x := range r.all("aws:ecs/service:Service") {
		svc[x.Name] = x
	}
	if len(svc) != 3 {
		t.Fatalf("services: %v", svc)
	}
	ns := r.one(t, "aws:servicediscovery/httpNamespace:HttpNamespace")
	members := r.named(t, "aws:ec2/securityGroup:SecurityGroup", "network-members")
	for name, s := range svc {
		sc, _ := s.in("serviceConnectConfiguration").(map[string]any)
		if sc["enabled"] != true || sc["namespace"] != ns.Outputs["arn"].StringValue() {
			t.Errorf("%s: service connect %v", name, sc)
		}
		groups := s.in("networkConfiguration").(map[string]any)["securityGroups"].([]any)
		if len(groups) != 2 || groups[1] != members.ID {
			t.Errorf("%s: security groups %v", name, groups)
		}
		// Every service waits for the namespace.
		if !strings.Contains(js(t, s.DependsOn), "HttpNamespace") {
			t.Errorf("%s does not depend on the namespace: %v", name, s.DependsOn)
		}
	}
	// Servers: app and api, each reachable by name on its port; the
	// worker is a client only.
	for name, port := range map[string]float64{"app": 8080, "api": 9090} {
		sc := svc[name].in("serviceConnectConfiguration").(map[string]any)
		want := `[{"clientAlias":[{"dnsName":"` + name + `","port":` + js(t, port) + `}],"discoveryName":"` + name + `","ingressPortOverride":15001,"portName":"http"}]`
		if js(t, sc["services"]) != want {
			t.Errorf("%s: %s", name, js(t, sc["services"]))
		}
	}
	if _, ok := svc["worker"].in("serviceConnectConfiguration").(map[string]any)["services"]; ok {
		t.Errorf("the worker serves")
	}
	// api at /api/*; app the listener's default; the worker not routed.
	rule := r.named(t, "aws:lb/listenerRule:ListenerRule", "web-api")
	if js(t, rule.in("conditions")) != `[{"pathPattern":{"values":["/api/*"]}}]` {
		t.Errorf("api rule: %s", js(t, rule.in("conditions")))
	}
	if lbs, _ := svc["worker"].in("loadBalancers").([]any); len(lbs) != 0 {
		t.Errorf("worker behind the load balancer: %v", lbs)
	}
	// The api calls the app by name.
	td := r.named(t, "aws:ecs/taskDefinition:TaskDefinition", "api")
	if !strings.Contains(td.in("containerDefinitions").(string), `{"name":"UPSTREAM_URL","value":"http://app:8080"}`) {
		t.Errorf("api environment: %s", td.in("containerDefinitions"))
	}
	// The worker's nightly job, named after it, runs the worker's family.
	sched := r.one(t, "aws:scheduler/schedule:Schedule")
	if sched.in("name") != "worker-nightly-report" || !strings.Contains(js(t, sched.in("target")), `task-definition/fargateship-`) ||
		!strings.Contains(js(t, sched.in("target")), `_worker:7"`) {
		t.Errorf("schedule: %v %s", sched.in("name"), js(t, sched.in("target")))
	}
	// The services output names each.
	out, _ := r.outputs["services"].(map[string]any)
	if len(out) != 3 || out["api"].(map[string]any)["url"] == nil || out["worker"].(map[string]any)["url"] != nil {
		t.Errorf("services output: %s", js(t, out))
	}
}
