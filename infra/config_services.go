package infra

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"regexp"
	"slices"
	"strings"
)

// The environment's services (the `services` key). A stack without it is
// a one-service environment whose service is AppService, read from the
// top-level keys exactly as before; with it, each entry is a service whose
// fields default to the top-level key of the same name.

// AppService is the service of a stack without `services`; a service of
// that name keeps the resource names (and URNs) of the one-service stack.
const AppService = "app"

// serviceFields are the per-service keys: the top-level keys a service
// may set for itself (inherited when it does not), and the ones only a
// service has.
var (
	inheritedServiceFields = []string{
		"buildContext", "dockerfile", "buildTarget", "buildArgs", "image", "command", "containerPort",
		"healthCheckPath", "healthCheckCommand", "environment", "cpu", "memory", "desiredCount",
		"minCount", "maxCount", "cpuTargetPercent", "requestsPerTarget", "spot", "architecture",
		"stopTimeout", "drainDelaySeconds",
	}
	// schedules belong to the service that declares them; secrets is a
	// list of the stack's secret names; the roles are the CI bootstrap's
	// roles of this service (a service other than app never inherits the
	// stack's: each service's roles read only its own secrets).
	ownServiceFields = []string{"schedules", "secrets", "paths", "hosts", "internal", "executionRoleArn", "taskRoleArn"}
	buildFields      = []string{"buildContext", "dockerfile", "buildTarget", "buildArgs"}
	mergedFields     = []string{"environment", "buildArgs"}
)

// ReservedServiceNames cannot name a service: exec names the stack's ECS
// Exec session log group (/ecs/<stack>/exec).
var ReservedServiceNames = []string{"exec"}

// serviceNameRE: lower-case letters, digits and hyphens, starting with a
// letter, not ending with a hyphen. MaxServiceName keeps every name
// derived from it valid: the ECS service and family "<project>-<stack>_<name>"
// (255), the ECR repository "<project>-<stack>/<name>" (256), alarms
// "<project>-<stack>_<name>-tasks-below-desired" (255), and schedules
// "<name>-<job>" (64, checked with the job names).
var serviceNameRE = regexp.MustCompile(`^[a-z]([a-z0-9-]*[a-z0-9])?$`)

// MaxServiceName is the longest service name.
const MaxServiceName = 32

// Routing limits (ELB user guide, "Listener rules": 5 condition values
// per rule across its conditions; "Quotas": 100 rules and 100 target
// groups per load balancer).
const (
	maxRuleValues        = 5
	maxRoutedServices    = 99
	maxServiceConnectCPU = 256
)

// pathPatternRE: an ALB path pattern (case-sensitive, up to 128
// characters, A-Z a-z 0-9 _ - . $ / ~ " ' @ : + & (using &amp;) * ?).
var pathPatternRE = regexp.MustCompile(`^/[A-Za-z0-9_\-.$/~"'@:+&*?]{0,127}$`)

// hostPatternRE: an ALB host header pattern (up to 128 characters,
// A-Z a-z 0-9 - . * ?).
var hostPatternRE = regexp.MustCompile(`^[a-z0-9*?]([a-z0-9.*?-]{0,126}[a-z0-9*?])?$`)

// serviceSource is where a service's reader takes a key from: the
// service's own entry, else (for inherited keys) the top-level key.
type serviceSource struct {
	name   string
	fields map[string]json.RawMessage
	parent *configReader
}

// raw is the CLI-rendered value of a key for this service.
func (s *serviceSource) raw(k string) (string, bool) {
	own, set := s.fields[k]
	if slices.Contains(mergedFields, k) {
		return s.merged(k, own, set)
	}
	if set {
		return renderRaw(own), true
	}
	if !slices.Contains(inheritedServiceFields, k) {
		return "", false
	}
	// A service that sets image takes no inherited build key, and one
	// that sets a build key takes no inherited image.
	if slices.Contains(buildFields, k) && s.has("image") {
		return "", false
	}
	if k == "image" && slices.ContainsFunc(buildFields, s.has) {
		return "", false
	}
	return s.parent.raw(k)
}

func (s *serviceSource) has(k string) bool { _, ok := s.fields[k]; return ok }

// merged is an object key: the top-level entries, then the service's,
// which win.
func (s *serviceSource) merged(k string, own json.RawMessage, set bool) (string, bool) {
	top, topSet := s.parent.raw(k)
	if k == "buildArgs" && s.has("image") {
		topSet = false
	}
	if !set {
		return top, topSet
	}
	if !topSet || strings.TrimSpace(top) == "" {
		return renderRaw(own), true
	}
	m := map[string]any{}
	var mine map[string]any
	if json.Unmarshal([]byte(top), &m) != nil || json.Unmarshal(own, &mine) != nil {
		return renderRaw(own), true // the reader reports the bad value
	}
	for name, v := range mine {
		m[name] = v
	}
	b, _ := json.Marshal(m)
	return string(b), true
}

// key names a key in errors: the service's field when it set it.
func (s *serviceSource) key(k string) string {
	if s.has(strings.SplitN(k, ".", 2)[0]) {
		return s.parent.ns + ":services." + s.name + "." + k
	}
	return s.parent.key(k)
}

// renderRaw renders a JSON value the way the CLI passes config: strings
// bare, everything else as JSON.
func renderRaw(v json.RawMessage) string {
	var s string
	if json.Unmarshal(v, &s) == nil {
		return s
	}
	return string(bytes.TrimSpace(v))
}

// services reads the `services` key: one Config per service (app first,
// then by name), each a copy of the top-level config with its own
// per-service fields. Without the key, the stack's only service is app,
// the top-level config itself.
func (r *configReader) services(c *Config) {
	c.Name = AppService
	raw, ok := r.raw("services")
	if !ok || strings.TrimSpace(raw) == "" || strings.TrimSpace(raw) == "{}" {
		c.SecretNames = sortedKeys(c.Secrets)
		c.Services = []*Config{c}
		return
	}
	var entries map[string]json.RawMessage
	if err := json.Unmarshal([]byte(raw), &entries); err != nil {
		r.fail("services", raw, "must be an object of NAME: {field: value, ...}")
		c.Services = []*Config{c}
		return
	}
	c.MultiService = true
	if len(c.Schedules) > 0 {
		r.failCombo(fmt.Sprintf("config key %q is set with %q: schedules belong to the service that runs them; move each under services.NAME.schedules",
			r.key("schedules"), r.key("services")))
	}
	names := sortedKeys(entries)
	if i := slices.Index(names, AppService); i > 0 {
		names = append([]string{AppService}, slices.Delete(names, i, i+1)...)
	}
	for _, name := range names {
		at := "services." + name
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(entries[name], &fields); err != nil {
			r.fail(at, string(entries[name]), "must be an object of the service's fields")
			continue
		}
		if !serviceNameRE.MatchString(name) || len(name) > MaxServiceName || slices.Contains(ReservedServiceNames, name) {
			r.fail(at, name, fmt.Sprintf("service names are 1-%d lower-case letters, digits and hyphens, start with a letter and do not end with a hyphen; %s is reserved",
				MaxServiceName, strings.Join(ReservedServiceNames, ", ")))
			continue
		}
		for _, f := range sortedKeys(fields) {
			if !slices.Contains(inheritedServiceFields, f) && !slices.Contains(ownServiceFields, f) {
				r.fail(at+"."+f, renderRaw(fields[f]), "is not a service field; a service may set "+
					strings.Join(append(slices.Clone(inheritedServiceFields), ownServiceFields...), ", "))
				delete(fields, f)
			}
		}
		c.Services = append(c.Services, r.service(c, name, fields))
	}
	if len(c.Services) == 0 && len(r.errs) == 0 {
		r.fail("services", raw, "must name at least one service, or be left unset for the one service app")
	}
	r.routing(c)
}

// service reads one service: the per-service readers run on a reader whose
// keys come from the service's entry, else the top-level key.
func (r *configReader) service(top *Config, name string, fields map[string]json.RawMessage) *Config {
	src := &serviceSource{name: name, fields: fields, parent: r}
	sr := &configReader{ctx: r.ctx, ns: r.ns, src: src}
	c := *top
	c.Name, c.Services, c.MultiService = name, nil, true
	c.ExecutionRoleARN, c.TaskRoleARN = "", ""
	c.Schedules = nil
	sr.task(&c)
	sr.build(&c)
	sr.scaling(&c)
	sr.serviceSchedules(&c)
	sr.serviceRoles(&c, top)
	sr.serviceSecrets(&c, top)
	c.Paths = sr.patterns("paths", pathPatternRE, "ALB path patterns such as /api/*")
	c.Hosts = sr.patterns("hosts", hostPatternRE, "host names or patterns such as api.example.com")
	c.Internal = sr.boolean("internal", false)
	routed := len(c.Paths) > 0 || len(c.Hosts) > 0
	switch {
	case routed && c.Worker():
		sr.failCombo(fmt.Sprintf("config key %q: a worker (containerPort 0) takes no requests; remove paths and hosts or give it a port", sr.key(firstSet(src, "paths", "hosts"))))
	case routed && c.Internal:
		sr.failCombo(fmt.Sprintf("config key %q: an internal service is not routed from the load balancer; remove paths and hosts or internal", sr.key(firstSet(src, "paths", "hosts"))))
	case routed && !c.LoadBalancer:
		sr.failCombo(fmt.Sprintf("config key %q needs %q: paths and hosts are load balancer rules", sr.key(firstSet(src, "paths", "hosts")), r.key("loadBalancer")))
	}
	if n := len(c.Paths) + len(c.Hosts); n > maxRuleValues {
		sr.failCombo(fmt.Sprintf("config keys %q and %q: %d values; a load balancer rule takes at most %d", sr.key("paths"), sr.key("hosts"), n, maxRuleValues))
	}
	if c.CPU <= maxServiceConnectCPU {
		sr.fail("cpu", fmt.Sprint(c.CPU), fmt.Sprintf("a service of an environment runs the Service Connect agent in its task, which AWS sizes at %d CPU units and 64 MiB: give the service 512 or more", maxServiceConnectCPU))
	}
	r.errs = append(r.errs, sr.errs...)
	return &c
}

func firstSet(src *serviceSource, keys ...string) string {
	for _, k := range keys {
		if src.has(k) {
			return k
		}
	}
	return keys[0]
}

// patterns reads a list of ALB rule patterns.
func (r *configReader) patterns(k string, re *regexp.Regexp, what string) []string {
	list := r.stringArray(k, nil)
	for _, p := range list {
		if !re.MatchString(p) {
			r.fail(k, p, "each entry must be one of the "+what)
		}
	}
	return list
}

// serviceSchedules reads a service's own schedules (never inherited).
func (r *configReader) serviceSchedules(c *Config) {
	c.Schedules = map[string]Schedule{}
	if _, ok := r.src.fields["schedules"]; ok {
		r.readSchedules(c)
	}
}

// serviceRoles: app keeps the stack's roles; any other service names its
// own, and must when the stack's come from the CI bootstrap (CI creates
// no roles).
func (r *configReader) serviceRoles(c, top *Config) {
	if c.Name == AppService && !r.src.has("executionRoleArn") && !r.src.has("taskRoleArn") {
		c.ExecutionRoleARN, c.TaskRoleARN = top.ExecutionRoleARN, top.TaskRoleARN
		return
	}
	r.roleKeys(c)
	if top.ExecutionRoleARN != "" && c.ExecutionRoleARN == "" {
		r.failCombo(fmt.Sprintf("config key %q is set, so this stack's roles come from the CI bootstrap: set %s and %s to the bootstrap's roles of service %s",
			r.parentKey("executionRoleArn"), r.src.parent.ns+":services."+c.Name+".executionRoleArn", r.src.parent.ns+":services."+c.Name+".taskRoleArn", c.Name))
	}
}

func (r *configReader) parentKey(k string) string { return r.src.parent.key(k) }

// serviceSecrets: the names of the stack's secrets this service receives.
func (r *configReader) serviceSecrets(c, top *Config) {
	c.SecretNames = nil
	names := r.stringArray("secrets", nil)
	for _, n := range names {
		if _, ok := top.Secrets[n]; !ok {
			r.fail("secrets", n, "must name a secret of the stack's secrets ("+strings.Join(sortedKeys(top.Secrets), ", ")+")")
			continue
		}
		if _, clash := c.Environment[n]; clash {
			r.failCombo(fmt.Sprintf("config keys %q and %q both set %s: a variable is either plain or secret", r.key("environment"), r.key("secrets"), n))
		}
		c.SecretNames = append(c.SecretNames, n)
	}
	slices.Sort(c.SecretNames)
}

// routing checks the services' load balancer rules against each other.
func (r *configReader) routing(c *Config) {
	ns := r.ns + ":services."
	seen := map[string]string{}
	var defaults []string
	routed := 0
	for _, s := range c.Services {
		if !s.Routed() {
			continue
		}
		routed++
		if len(s.Paths) == 0 && len(s.Hosts) == 0 {
			defaults = append(defaults, s.Name)
		}
		for _, cond := range ruleConditionKeys(s) {
			if other, dup := seen[cond]; dup {
				r.failCombo(fmt.Sprintf("config keys %q and %q route the same requests (%s): give each service its own paths or hosts",
					ns+other, ns+s.Name, cond))
			}
			seen[cond] = s.Name
		}
		if c.DomainName != "" {
			for _, h := range s.Hosts {
				if h != c.DomainName {
					r.fail("services."+s.Name+".hosts", h, fmt.Sprintf("is not covered by the certificate of %s (%q); serve it under that name, or set %q to a certificate that covers it",
						r.key("domainName"), c.DomainName, r.key("certificateArn")))
				}
			}
		}
	}
	if len(defaults) > 1 {
		r.failCombo(fmt.Sprintf("services %s take every request the load balancer gets (no paths or hosts): at most one service may; give the others paths or hosts",
			strings.Join(defaults, ", ")))
	}
	if routed > maxRoutedServices {
		r.failCombo(fmt.Sprintf("config key %q: %d services routed from one load balancer; at most %d", r.key("services"), routed, maxRoutedServices))
	}
	jobs := map[string]string{}
	for _, s := range c.Services {
		for job := range s.Schedules {
			name := ScheduleName(s.Name, job)
			if len(name) > 64 {
				r.fail("services."+s.Name+".schedules."+job, name, "the schedule name <service>-<job> must be at most 64 characters")
			}
			if other, dup := jobs[name]; dup {
				r.failCombo(fmt.Sprintf("schedules %s and %s are both named %s in the stack's schedule group", other, s.Name+"."+job, name))
			}
			jobs[name] = s.Name + "." + job
		}
	}
}

// ruleConditionKeys are the (host, path) pairs a service's rule matches.
func ruleConditionKeys(s *Config) []string {
	hosts, paths := s.Hosts, s.Paths
	if len(hosts) == 0 {
		hosts = []string{"*"}
	}
	if len(paths) == 0 {
		paths = []string{"*"}
	}
	var out []string
	for _, h := range hosts {
		for _, p := range paths {
			out = append(out, "host "+h+" path "+p)
		}
	}
	return out
}

// Routed: the load balancer sends requests to the service.
func (c *Config) Routed() bool { return c.LoadBalancer && !c.Worker() && !c.Internal }

// ScheduleName is a schedule's name in the stack's group: the job's name
// for app (as in a one-service stack), "<service>-<job>" otherwise.
func ScheduleName(service, job string) string {
	if service == AppService {
		return job
	}
	return service + "-" + job
}

// RulePriority is a service's listener rule priority: most specific first
// (hosts and paths, then the deepest path), and stable: it depends on the
// service alone, not on the others, so adding a service moves no rule.
// 1 + class×1000 + a hash of the name below 1000; class 0-49 (ELB
// priorities are 1-50000).
func RulePriority(s *Config) int {
	depth := 0
	for _, p := range s.Paths {
		d := strings.Count(strings.SplitN(p, "*", 2)[0], "/")
		if len(s.Paths) > 0 && (depth == 0 || d < depth) {
			depth = d
		}
	}
	depth = min(depth, 24)
	class := (24 - depth) * 2
	if len(s.Hosts) == 0 {
		class++
	}
	h := fnv.New32a()
	h.Write([]byte(s.Name))
	return 1 + class*1000 + int(h.Sum32()%1000)
}
