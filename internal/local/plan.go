package local

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/fargateship/fargateship/infra"
)

// Labels on everything a local run creates, so it is found again (and
// nothing is left behind): the project folder, the stack, the run, what it
// runs (KindServices for `make local`, KindSchedule for `make local-run`)
// and, on containers, the service.
const (
	LabelProject = "io.fargateship.local.project"
	LabelStack   = "io.fargateship.local.stack"
	LabelRun     = "io.fargateship.local.run"
	LabelKind    = "io.fargateship.local.kind"
	LabelService = "io.fargateship.local.service"

	KindServices = "services"
	KindSchedule = "schedule"
)

// Service is one service of a stack as a local run starts it.
type Service struct {
	Name   string
	Config *infra.Config
	// Build is the build of its image; nil for a prebuilt image.
	Build *Build
	// Def is the container definition the service's task definition
	// registers, from the program's own infra.AppContainer, with the
	// local image.
	Def infra.ContainerDefinition
	// Alias is its name on the network, where the others reach it at
	// http://<name>:<containerPort> (Service Connect); empty for a worker,
	// which Service Connect makes a client only.
	Alias string
	// Publish: its port is published on loopback, for the router (a
	// routed service) or as its task's own address (a public service of a
	// stack without a load balancer). Internal services and workers are
	// reachable only from the network, as in AWS.
	Publish bool
}

// Plan is what a local run of a stack builds and starts.
type Plan struct {
	Stack *Stack
	// Root is the project folder.
	Root string
	// RunID tells this run's containers and network from any other's.
	RunID string
	// Services are the stack's services, app first.
	Services []*Service
	// Builds are the distinct builds, in the services' order: services
	// that share a build context, Dockerfile, target, args and platform
	// share one image.
	Builds []*Build
	// Routes is the load balancer's listener (nil when nothing answers on
	// one address: RoutesOf).
	Routes *Routes
}

// secretRef stands for a secret's Secrets Manager ARN in the container
// definition: locally the value comes from Secrets.
const secretRef = "local:"

// NewPlan plans a local run of st from projectRoot.
func NewPlan(projectRoot string, st *Stack) *Plan {
	p := &Plan{Stack: st, Root: projectRoot, RunID: newRunID(), Routes: RoutesOf(st.Config.Services)}
	builds := map[string]*Build{}
	for _, c := range st.Config.Services {
		s := &Service{Name: c.Name, Config: c}
		image := c.Image
		if image == "" {
			b := Build{Inputs: BuildInputs(projectRoot, c), Tag: ImageTag(st.Name, c.Name)}
			if have, ok := builds[b.key()]; ok {
				s.Build = have
			} else {
				s.Build = &b
				builds[b.key()] = &b
				p.Builds = append(p.Builds, &b)
			}
			s.Build.Services = append(s.Build.Services, c.Name)
			image = s.Build.Tag
		}
		refs := make([]string, len(c.SecretNames))
		for i, n := range c.SecretNames {
			refs[i] = secretRef + n
		}
		s.Def = infra.AppContainer(c, image, "/ecs/local/"+st.Name, "local", c.SecretNames, refs)
		if !c.Worker() {
			s.Alias = c.Name
			s.Publish = !c.Internal
		}
		p.Services = append(p.Services, s)
	}
	return p
}

// ImageTag is the local tag of a service's image.
func ImageTag(stack, service string) string {
	return "fargateship-local/" + stack + "-" + service + ":latest"
}

// Service is the service of that name, or nil.
func (p *Plan) Service(name string) *Service {
	i := slices.IndexFunc(p.Services, func(s *Service) bool { return s.Name == name })
	if i < 0 {
		return nil
	}
	return p.Services[i]
}

// Labels are the labels of what this run creates, for kind.
func (p *Plan) Labels(kind string) map[string]string {
	return map[string]string{LabelProject: p.Root, LabelStack: p.Stack.Name, LabelRun: p.RunID, LabelKind: kind}
}

// ContainerName is a service's container name in this run.
func (p *Plan) ContainerName(service string) string {
	return fmt.Sprintf("fargateship-local-%s-%s-%s", p.Stack.Name, service, p.RunID)
}

// NetworkName is this run's network.
func (p *Plan) NetworkName() string {
	return fmt.Sprintf("fargateship-local-%s-%s", p.Stack.Name, p.RunID)
}

// ScheduleRef is a schedule of a service.
type ScheduleRef struct {
	Service *Service
	// Job is its name under the service's schedules; Name its name in the
	// stack's schedule group (infra.ScheduleName).
	Job, Name string
	Schedule  infra.Schedule
}

// Schedule finds a schedule by its name in the stack's schedule group
// (infra.ScheduleName: the job's name for app, <service>-<job> for the
// others) or, when only one service has a job of that name, the job's
// name. Anything else is an error listing the stack's schedules.
func (p *Plan) Schedule(name string) (ScheduleRef, error) {
	var all []ScheduleRef
	for _, s := range p.Services {
		for _, job := range slices.Sorted(maps.Keys(s.Config.Schedules)) {
			all = append(all, ScheduleRef{Service: s, Job: job, Name: infra.ScheduleName(s.Name, job), Schedule: s.Config.Schedules[job]})
		}
	}
	var names []string
	for _, r := range all {
		if r.Name == name {
			return r, nil
		}
		names = append(names, r.Name)
	}
	var byJob []ScheduleRef
	for _, r := range all {
		if r.Job == name {
			byJob = append(byJob, r)
		}
	}
	if len(byJob) == 1 {
		return byJob[0], nil
	}
	if len(byJob) > 1 {
		var which []string
		for _, r := range byJob {
			which = append(which, r.Name)
		}
		return ScheduleRef{}, fmt.Errorf("stack %s: several services have a schedule %q: name one of %s", p.Stack.Name, name, strings.Join(which, ", "))
	}
	if len(names) == 0 {
		names = []string{"none"}
	}
	if name == "" {
		return ScheduleRef{}, fmt.Errorf("no schedule named: say which with SCHEDULE=<name> (schedules of stack %s: %s)", p.Stack.Name, strings.Join(names, ", "))
	}
	return ScheduleRef{}, fmt.Errorf("stack %s has no schedule %q (its schedules: %s)", p.Stack.Name, name, strings.Join(names, ", "))
}

func newRunID() string {
	b := make([]byte, 3)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
