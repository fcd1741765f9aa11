package local

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/fargateship/fargateship/infra"
)

// svc is a service of a stack with a load balancer (lb) or without.
func svc(name string, lb bool, port int, paths, hosts []string) *infra.Config {
	return &infra.Config{Name: name, LoadBalancer: lb, ContainerPort: port, Paths: paths, Hosts: hosts}
}

// TestRoutesMatch: the listener the program makes, request by request: a
// rule matches when each of its conditions does (any value of one), the
// most specific rule first (infra.RulePriorities), path patterns
// case-sensitive with * and ?, host names case-insensitive and without
// the port, the query string never part of the path, and what no rule
// takes goes to the service without paths or hosts, or is the 404.
func TestRoutesMatch(t *testing.T) {
	shop, err := LoadStack(root, "examples/shop/stack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	env := []*infra.Config{
		svc("app", true, 8080, nil, nil),
		svc("api", true, 9090, []string{"/api/*"}, nil),
		svc("admin", true, 9091, []string{"/api/admin/*"}, nil),
		svc("web", true, 3000, nil, []string{"shop.example.com", "*.shop.example.org"}),
		svc("v1", true, 3001, []string{"/v?/items", "/v?/items/*"}, []string{"api.example.com"}),
		svc("jobs", true, 0, []string{"/jobs/*"}, nil), // a worker is never routed
		{Name: "inner", LoadBalancer: true, ContainerPort: 7000, Internal: true},
	}
	appWithPaths := []*infra.Config{svc("app", true, 8080, []string{"/shop/*"}, nil), svc("api", true, 9090, []string{"/api/*"}, nil)}
	for _, tc := range []struct {
		name       string
		services   []*infra.Config
		host, path string
		want       string // "" is the listener's 404
	}{
		{"shop root", shop.Config.Services, "localhost:8080", "/", "app"},
		{"shop api", shop.Config.Services, "localhost:8080", "/api/upstream", "api"},
		{"shop api prefix only", shop.Config.Services, "localhost", "/api/", "api"},
		{"shop /api is not /api/*", shop.Config.Services, "localhost", "/api", "app"},
		{"shop /apix", shop.Config.Services, "localhost", "/apix/y", "app"},
		{"shop case-sensitive path", shop.Config.Services, "localhost", "/API/x", "app"},
		{"deeper path first", env, "x", "/api/admin/users", "admin"},
		{"shallower path", env, "x", "/api/users", "api"},
		{"host rule", env, "shop.example.com", "/anything", "web"},
		{"host case and port ignored", env, "Shop.Example.COM:8080", "/", "web"},
		{"host wildcard", env, "eu.shop.example.org", "/", "web"},
		{"host wildcard needs a label", env, "shop.example.org", "/", "app"},
		{"host and path rule before path rule", env, "api.example.com", "/v1/items", "v1"},
		{"? is one character", env, "api.example.com", "/v10/items", "app"},
		{"host and path: path wrong", env, "api.example.com", "/items", "app"},
		{"host and path: host wrong", env, "other.example.com", "/v2/items/7", "app"},
		{"a worker is not routed", env, "x", "/jobs/run", "app"},
		{"internal is not routed", env, "inner", "/", "app"},
		{"app with paths: its path", appWithPaths, "x", "/shop/cart", "app"},
		{"app with paths: the rest is 404", appWithPaths, "x", "/", ""},
		{"no load balancer: its one public service", []*infra.Config{svc("app", false, 8080, nil, nil), svc("w", false, 0, nil, nil)}, "x", "/any/path", "app"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rt := RoutesOf(tc.services)
			got, ok := rt.Match(tc.host, tc.path)
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("%s %s -> %q (%v), want %q; rules %q", tc.host, tc.path, got, ok, tc.want, rt.Describe())
			}
		})
	}
	// Nothing answers on one address without a load balancer and with
	// several public services, or none.
	if rt := RoutesOf([]*infra.Config{svc("a", false, 1, nil, nil), svc("b", false, 2, nil, nil)}); rt != nil {
		t.Errorf("two public services without a load balancer: %q", rt.Describe())
	}
	if rt := RoutesOf([]*infra.Config{svc("w", false, 0, nil, nil)}); rt != nil {
		t.Errorf("a worker alone: %q", rt.Describe())
	}
	// The rules are in the order ELB evaluates them.
	rt := RoutesOf(env)
	var order []string
	for _, r := range rt.Rules {
		order = append(order, r.Service)
	}
	if !slices.Equal(order, []string{"admin", "v1", "api", "web"}) || rt.Default != "app" {
		t.Errorf("rule order %q, default %q; rules %q", order, rt.Default, rt.Describe())
	}
}

// TestRouter sends real HTTP through the router to real servers standing
// in for the services: each request reaches the service its rule names,
// with its path, query and Host header unchanged and the X-Forwarded
// headers an ALB adds; the rest gets the listener's 404; a service that
// does not answer is a 502.
func TestRouter(t *testing.T) {
	backend := func(name string) *httptest.Server {
		return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			_ = json.NewEncoder(w).Encode(map[string]string{
				"service": name, "uri": r.URL.RequestURI(), "host": r.Host,
				"xff": r.Header.Get("X-Forwarded-For"), "proto": r.Header.Get("X-Forwarded-Proto"), "port": r.Header.Get("X-Forwarded-Port"),
			})
		}))
	}
	app, api := backend("app"), backend("api")
	defer app.Close()
	defer api.Close()
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	targets := map[string]*url.URL{}
	for name, s := range map[string]*httptest.Server{"app": app, "api": api, "web": down} {
		u, err := url.Parse(s.URL)
		if err != nil {
			t.Fatal(err)
		}
		targets[name] = u
	}
	services := []*infra.Config{
		svc("app", true, 8080, []string{"/shop/*"}, nil),
		svc("api", true, 9090, []string{"/api/*"}, nil),
		svc("web", true, 3000, nil, []string{"web.example.com"}),
	}
	r, err := NewRouter(RoutesOf(services), targets, 8000)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(r)
	defer srv.Close()
	for _, tc := range []struct {
		name, host, uri string
		xff             string
		status          int
		service         string
		body            string
	}{
		{name: "app", uri: "/shop/cart?id=7", status: 200, service: "app"},
		{name: "api, path not rewritten", uri: "/api/v1/items?q=a%20b", status: 200, service: "api"},
		{name: "host kept", host: "shop.test", uri: "/api/x", status: 200, service: "api"},
		{name: "forwarded for appended", uri: "/api/x", xff: "203.0.113.9", status: 200, service: "api"},
		{name: "no rule: 404", uri: "/", status: 404, body: "Not Found"},
		{name: "a service that does not answer: 502", host: "web.example.com", uri: "/", status: 502, body: "502 Bad Gateway: service web"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodGet, srv.URL+tc.uri, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tc.host != "" {
				req.Host = tc.host
			}
			if tc.xff != "" {
				req.Header.Set("X-Forwarded-For", tc.xff)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(resp.Body)
			_ = resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode != tc.status {
				t.Fatalf("GET %s (Host %q) = %d %q, want %d", tc.uri, tc.host, resp.StatusCode, b, tc.status)
			}
			if tc.service == "" {
				if !strings.HasPrefix(string(b), tc.body) {
					t.Errorf("GET %s = %q, want %q...", tc.uri, b, tc.body)
				}
				if tc.status == 404 && resp.Header.Get("Content-Type") != "text/plain" {
					t.Errorf("404 Content-Type %q, want the listener's text/plain", resp.Header.Get("Content-Type"))
				}
				return
			}
			var got map[string]string
			if err := json.Unmarshal(b, &got); err != nil {
				t.Fatalf("%q: %v", b, err)
			}
			host := tc.host
			if host == "" {
				host = strings.TrimPrefix(srv.URL, "http://")
			}
			wantXFF := "127.0.0.1"
			if tc.xff != "" {
				wantXFF = tc.xff + ", 127.0.0.1"
			}
			if got["service"] != tc.service || got["uri"] != tc.uri || got["host"] != host || got["xff"] != wantXFF || got["proto"] != "http" || got["port"] != "8000" {
				t.Errorf("GET %s reached %v; want service %s, uri %s, host %s, X-Forwarded-For %q, -Proto http, -Port 8000", tc.uri, got, tc.service, tc.uri, host, wantXFF)
			}
		})
	}
	// A routed service without an address is a bug of the caller.
	delete(targets, "api")
	if _, err := NewRouter(RoutesOf(services), targets, 8000); err == nil || !strings.Contains(err.Error(), "api") {
		t.Errorf("no address for api: %v", err)
	}
}
