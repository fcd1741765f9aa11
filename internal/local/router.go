package local

import (
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/fargateship/fargateship/infra"
)

// Rule is a listener rule of the load balancer as the program makes it
// (infra/loadbalancer.go): the service it forwards to, its priority
// (infra.RulePriorities) and its conditions.
type Rule struct {
	Service  string
	Priority int
	// Paths and Hosts are the rule's conditions: a request matches when
	// each condition that is set matches, and a condition matches when
	// any of its values does.
	Paths, Hosts []string
	paths, hosts []*regexp.Regexp
}

// Routes are a stack's load balancer listener as the program makes it:
// the rules of the routed services with paths or hosts, in priority order
// (the lowest first, as ELB evaluates them), and what takes a request no
// rule matches: the routed service without paths or hosts, or else a
// fixed 404 "Not Found" (the listener's fixed response, or the last rule
// at priority infra.NotFoundRulePriority, which matches every path, when
// app has paths and its target group stays the listener's default).
type Routes struct {
	Rules []Rule
	// Default is the routed service without paths or hosts; empty when
	// the listener answers 404.
	Default string
	// Direct is set when the stack has no load balancer: its one public
	// service (a port, not internal), whose tasks answer on their own
	// address, takes every request.
	Direct bool
}

// RoutesOf is the listener of the stack whose services are services, or
// nil when nothing would answer on one address: a stack without a load
// balancer and with no or several public services.
func RoutesOf(services []*infra.Config) *Routes {
	if len(services) == 0 {
		return nil
	}
	if !services[0].LoadBalancer {
		var public []string
		for _, s := range services {
			if !s.Worker() && !s.Internal {
				public = append(public, s.Name)
			}
		}
		if len(public) != 1 {
			return nil
		}
		return &Routes{Default: public[0], Direct: true}
	}
	rt := &Routes{}
	prio := infra.RulePriorities(services)
	for _, s := range services {
		if !s.Routed() {
			continue
		}
		if len(s.Paths) == 0 && len(s.Hosts) == 0 {
			rt.Default = s.Name
			continue
		}
		r := Rule{Service: s.Name, Priority: prio[s.Name], Paths: s.Paths, Hosts: s.Hosts}
		for _, p := range s.Paths {
			r.paths = append(r.paths, wildcard(p, false))
		}
		for _, h := range s.Hosts {
			r.hosts = append(r.hosts, wildcard(h, true))
		}
		rt.Rules = append(rt.Rules, r)
	}
	slices.SortFunc(rt.Rules, func(a, b Rule) int { return a.Priority - b.Priority })
	return rt
}

// wildcard compiles an ELB condition value: * matches any run of
// characters (none included) and ? exactly one; everything else literally.
// Path patterns are case-sensitive, host names are not (ELB user guide,
// "Listener rules for your Application Load Balancer", path and host
// conditions).
func wildcard(pattern string, fold bool) *regexp.Regexp {
	var b strings.Builder
	if fold {
		b.WriteString("(?i)")
	}
	b.WriteString("^")
	for _, r := range pattern {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

// Match is the service a request for host (the Host header; a port is
// ignored) and path goes to, and false for the listener's 404. Path
// conditions see the path only, never the query string.
func (rt *Routes) Match(host, path string) (string, bool) {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	for _, r := range rt.Rules {
		if matchAny(r.hosts, host) && matchAny(r.paths, path) {
			return r.Service, true
		}
	}
	return rt.Default, rt.Default != ""
}

// matchAny: an unset condition matches every request.
func matchAny(res []*regexp.Regexp, s string) bool {
	if len(res) == 0 {
		return true
	}
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

// Describe is one line per rule, in evaluation order.
func (rt *Routes) Describe() []string {
	var out []string
	for _, r := range rt.Rules {
		var cond []string
		if len(r.Hosts) > 0 {
			cond = append(cond, "host "+strings.Join(r.Hosts, ", "))
		}
		if len(r.Paths) > 0 {
			cond = append(cond, "path "+strings.Join(r.Paths, ", "))
		}
		out = append(out, fmt.Sprintf("rule priority %d: %s -> %s", r.Priority, strings.Join(cond, " and "), r.Service))
	}
	switch {
	case rt.Direct:
		out = append(out, "no load balancer in this stack: every request -> "+rt.Default+", as at its task's own address")
	case rt.Default != "":
		out = append(out, "load balancer default -> "+rt.Default)
	default:
		out = append(out, "load balancer default -> 404 Not Found")
	}
	return out
}

// Router is the local load balancer: it applies Routes to each request
// and forwards it, path and Host header unchanged (an ALB has no path
// rewrite), with the X-Forwarded-For, -Proto and -Port headers an ALB
// adds, to the service's published port.
type Router struct {
	Routes  *Routes
	proxies map[string]*httputil.ReverseProxy
	port    string
}

// NewRouter forwards to targets, each service's base URL
// (http://127.0.0.1:<published port>); listenPort is the router's own
// port, sent as X-Forwarded-Port.
func NewRouter(rt *Routes, targets map[string]*url.URL, listenPort int) (*Router, error) {
	r := &Router{Routes: rt, proxies: map[string]*httputil.ReverseProxy{}, port: strconv.Itoa(listenPort)}
	need := slices.Clone(rt.Rules)
	if rt.Default != "" {
		need = append(need, Rule{Service: rt.Default})
	}
	for _, rule := range need {
		target, ok := targets[rule.Service]
		if !ok {
			return nil, fmt.Errorf("router: no address for service %s", rule.Service)
		}
		service := rule.Service
		r.proxies[service] = &httputil.ReverseProxy{
			Rewrite: func(pr *httputil.ProxyRequest) {
				pr.SetURL(target) // the target has no path: the request's path is kept
				pr.Out.Host = pr.In.Host
				if ip, _, err := net.SplitHostPort(pr.In.RemoteAddr); err == nil {
					prior := pr.In.Header.Values("X-Forwarded-For")
					pr.Out.Header.Set("X-Forwarded-For", strings.Join(append(prior, ip), ", "))
				}
				pr.Out.Header.Set("X-Forwarded-Proto", "http")
				pr.Out.Header.Set("X-Forwarded-Port", r.port)
			},
			// What an ALB answers when its target does not: 502.
			ErrorHandler: func(w http.ResponseWriter, _ *http.Request, err error) {
				http.Error(w, fmt.Sprintf("502 Bad Gateway: service %s: %v", service, err), http.StatusBadGateway)
			},
		}
	}
	return r, nil
}

// ServeHTTP routes one request.
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	service, ok := r.Routes.Match(req.Host, req.URL.Path)
	if !ok {
		// The listener's fixed response.
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("Not Found"))
		return
	}
	r.proxies[service].ServeHTTP(w, req)
}
