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
