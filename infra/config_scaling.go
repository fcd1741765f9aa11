package infra

import (
	"fmt"
)

// scaling reads the autoscaling bounds and targets; it runs after
// loadBalancer (request-count scaling needs one).
func (r *configReader) scaling(c *Config) {
	c.MinCount = r.integer("minCount", 0, 0, 5000)
	c.MaxCount = r.integer("maxCount", 0, 0, 5000)
	if c.MinCount > c.MaxCount {
		r.failCombo(fmt.Sprintf("config keys %q (%d) and %q (%d): minCount must not exceed maxCount (maxCount 0 turns autoscaling off)",
			r.key("minCount"), c.MinCount, r.key("maxCount"), c.MaxCount))
	} else if c.Autoscaling() && (c.DesiredCount < c.MinCount || c.DesiredCount > c.MaxCount) {
		r.failCombo(fmt.Sprintf("config key %q (%d) must lie between %q (%d) and %q (%d): it is the starting count the autoscaler takes over from",
			r.key("desiredCount"), c.DesiredCount, r.key("minCount"), c.MinCount, r.key("maxCount"), c.MaxCount))
	}
	c.CPUTargetPercent = r.integer("cpuTargetPercent", 60, 10, 90)
	c.RequestsPerTarget = r.integer("requestsPerTarget", 0, 0, 1000000)
	if c.RequestsPerTarget > 0 && !c.LoadBalancer {
		r.failCombo(fmt.Sprintf("config key %q needs %q: request counts come from the load balancer", r.key("requestsPerTarget"), r.key("loadBalancer")))
	}
}
