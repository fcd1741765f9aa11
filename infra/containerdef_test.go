package infra

import (
	"strings"
	"testing"
)

func TestContainerDefinitionLimits(t *testing.T) {
	good := AppContainer(&Config{ContainerPort: 8080, DrainDelaySeconds: 5, StopTimeoutSeconds: 30}, "img", "/ecs/x", "us-east-1", nil, nil)
	if err := good.Validate(); err != nil {
		t.Fatalf("default container invalid: %v", err)
	}
	cases := []struct {
		name   string
		mutate func(*ContainerDefinition)
		want   string
	}{
		{"interval", func(c *ContainerDefinition) { c.HealthCheck.Interval = 4 }, "interval 4 s outside 5-300"},
		{"timeout", func(c *ContainerDefinition) { c.HealthCheck.Timeout = 61 }, "timeout 61 s outside 2-60"},
		{"timeout vs interval", func(c *ContainerDefinition) { c.HealthCheck.Timeout = 10 }, "must be below the interval"},
		{"retries", func(c *ContainerDefinition) { c.HealthCheck.Retries = 11 }, "retries 11 outside 1-10"},
		{"start period", func(c *ContainerDefinition) { c.HealthCheck.StartPeriod = 301 }, "start period 301 s"},
		{"stop timeout", func(c *ContainerDefinition) { c.StopTimeout = 121 }, "stopTimeout 121 s outside 2-120"},
		{"host port", func(c *ContainerDefinition) { c.PortMappings[0].HostPort = 80 }, "hostPort == containerPort"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := AppContainer(&Config{ContainerPort: 8080, DrainDelaySeconds: 5, StopTimeoutSeconds: 30}, "img", "/ecs/x", "us-east-1", nil, nil)
			tc.mutate(&c)
			if _, err := ContainerDefinitionsJSON(c); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

// TestContainerJSONHasAWSDefaults pins the fields AWS fills in when absent:
// writing them out is what keeps an unchanged program from showing a diff.
func TestContainerJSONHasAWSDefaults(t *testing.T) {
	c := AppContainer(&Config{ContainerPort: 8080, DrainDelaySeconds: 5, StopTimeoutSeconds: 30, Environment: map[string]string{"B": "2", "A": "1"}}, "img", "/ecs/x", "us-east-1", nil, nil)
	got, err := ContainerDefinitionsJSON(c)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"essential":true`, `"cpu":0`, `"hostPort":8080`, `"protocol":"tcp"`, `"mountPoints":[]`, `"volumesFrom":[]`, `"systemControls":[]`, `"secretOptions":[]`,
		`"environment":[{"name":"A","value":"1"},{"name":"B","value":"2"},{"name":"DRAIN_DELAY","value":"5s"},{"name":"PORT","value":"8080"},{"name":"SHUTDOWN_TIMEOUT","value":"23s"}]`} {
		if !strings.Contains(got, want) {
			t.Errorf("container JSON lacks %s:\n%s", want, got)
		}
	}
	if strings.Contains(got, `"secrets"`) {
		t.Errorf("empty secrets list written: %s", got)
	}
}
