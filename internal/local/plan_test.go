package local

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/fargateship/fargateship/infra"
)

// TestNewPlan: each service runs the container definition of its task
// definition (infra.AppContainer of its config, with the local image),
// each distinct build is built once, services with a port are reachable
// by name and the public ones published for the router, a worker is a
// client only.
func TestNewPlan(t *testing.T) {
	st, err := LoadStack(root, "examples/shop/stack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p := NewPlan("/abs/root", st)
	if len(p.Services) != 3 || len(p.Builds) != 3 || len(p.RunID) != 6 {
		t.Fatalf("services %d, builds %d, run %q", len(p.Services), len(p.Builds), p.RunID)
	}
	for i, want := range []struct {
		name, context, alias string
		publish              bool
	}{
		{"app", "app", "app", true},
		{"api", "examples/api", "api", true},
		{"worker", "examples/worker", "", false},
	} {
		s := p.Services[i]
		if s.Name != want.name || s.Build == nil || s.Build.Inputs.Context != want.context || s.Build.Inputs.Root != "/abs/root" ||
			s.Build.Inputs.Platform != "linux/amd64" || s.Alias != want.alias || s.Publish != want.publish {
			t.Errorf("service %d: %s build %+v alias %q publish %v; want %+v", i, s.Name, s.Build, s.Alias, s.Publish, want)
		}
		if def := infra.AppContainer(s.Config, s.Build.Tag, "/ecs/local/shop", "local", nil, nil); !reflect.DeepEqual(def, s.Def) {
			t.Errorf("%s: container definition %+v, infra.AppContainer %+v", s.Name, s.Def, def)
		}
		if s.Build.Tag != "fargateship-local/shop-"+want.name+":latest" || p.Service(want.name) != s {
			t.Errorf("%s: tag %s", s.Name, s.Build.Tag)
		}
	}
	if p.Service("nope") != nil {
		t.Error("a service that is not there")
	}
	if n := p.NetworkName(); n != "fargateship-local-shop-"+p.RunID || p.ContainerName("api") != "fargateship-local-shop-api-"+p.RunID {
		t.Errorf("names %s %s", n, p.ContainerName("api"))
	}
	if l := p.Labels(KindServices); l[LabelProject] != "/abs/root" || l[LabelStack] != "shop" || l[LabelRun] != p.RunID || l[LabelKind] != KindServices {
		t.Errorf("labels %v", l)
	}
	if NewPlan("/abs/root", st).RunID == p.RunID {
		t.Error("two runs share an id")
	}
}

// TestNewPlanSharedBuild: services that share a build context (one image,
// different commands) share one build; a prebuilt image is not built;
// an internal service is reachable by name only.
func TestNewPlanSharedBuild(t *testing.T) {
	file := writeStack(t, "env", `config:
  fargateship:loadBalancer: true
  fargateship:cpu: 512
  fargateship:memory: 1024
  fargateship:services:
    app: {}
    jobs:
      containerPort: 0
      healthCheckCommand: []
      command: ["once"]
      schedules:
        sync: {schedule: "rate(1 hour)", command: ["sync"]}
    inner:
      internal: true
      schedules:
        sync: {schedule: "rate(1 day)", command: ["sync", "--full"]}
    billing:
      image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/billing:1.4.2
      containerPort: 8000
      healthCheckCommand: []
      paths: ["/billing/*"]
`)
	st, err := LoadStack(root, file)
	if err != nil {
		t.Fatal(err)
	}
	p := NewPlan(root, st)
	app, billing, inner, jobs := p.Service("app"), p.Service("billing"), p.Service("inner"), p.Service("jobs")
	if len(p.Builds) != 1 || app.Build != jobs.Build || app.Build != inner.Build || !slices.Equal(app.Build.Services, []string{"app", "inner", "jobs"}) {
		t.Errorf("builds %d, services of app's build %q", len(p.Builds), app.Build.Services)
	}
	if billing.Build != nil || billing.Def.Image != "123456789012.dkr.ecr.us-east-1.amazonaws.com/billing:1.4.2" || !billing.Publish {
		t.Errorf("billing: build %v, image %q, publish %v", billing.Build, billing.Def.Image, billing.Publish)
	}
	if !slices.Equal(jobs.Def.Command, []string{"once"}) || jobs.Alias != "" || jobs.Publish {
		t.Errorf("jobs: command %q alias %q publish %v", jobs.Def.Command, jobs.Alias, jobs.Publish)
	}
	if inner.Alias != "inner" || inner.Publish {
		t.Errorf("inner: alias %q publish %v; want reachable by name only", inner.Alias, inner.Publish)
	}
	// Two services with a job of one name: only the full name says which.
	if _, err := p.Schedule("sync"); err == nil || !strings.Contains(err.Error(), "name one of inner-sync, jobs-sync") {
		t.Errorf("ambiguous job name: %v", err)
	}
	if ref, err := p.Schedule("inner-sync"); err != nil || ref.Service != inner || !slices.Equal(ref.Schedule.Command, []string{"sync", "--full"}) {
		t.Errorf("inner-sync: %+v, %v", ref, err)
	}
}

// TestSchedule: a schedule by its name in the stack's schedule group or,
// when that is unambiguous, its job's name.
func TestSchedule(t *testing.T) {
	shop, err := LoadStack(root, "examples/shop/stack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	worker, err := LoadStack(root, "examples/worker/stack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dev, err := LoadStack(root, "dev")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		stack          *Stack
		name           string
		service, sched string
		err            string
	}{
		{shop, "worker-nightly-report", "worker", "worker-nightly-report", ""},
		{shop, "nightly-report", "worker", "worker-nightly-report", ""},
		{worker, "nightly-report", "app", "nightly-report", ""},
		{shop, "nope", "", "", `stack shop has no schedule "nope" (its schedules: worker-nightly-report)`},
		{shop, "", "", "", "SCHEDULE=<name>"},
		{dev, "nightly-report", "", "", "(its schedules: none)"},
	} {
		ref, err := NewPlan(root, tc.stack).Schedule(tc.name)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s %q: %v, want %q", tc.stack.Name, tc.name, err, tc.err)
			}
			continue
		}
		if err != nil || ref.Service.Name != tc.service || ref.Name != tc.sched || !slices.Equal(ref.Schedule.Command, []string{"report"}) {
			t.Errorf("%s %q: %+v, %v", tc.stack.Name, tc.name, ref, err)
		}
	}
}
