package infra

import (
	"fmt"
	"net/mail"
)

// monitoring reads the alarms, their notification address and thresholds,
// the load balancer's access logs and the dashboard; it runs after
// loadBalancer.
func (r *configReader) monitoring(c *Config) {
	c.Alarms = r.boolean("alarms", false)
	c.AlarmEmail = r.str("alarmEmail", "")
	if c.AlarmEmail != "" {
		if a, err := mail.ParseAddress(c.AlarmEmail); err != nil || a.Address != c.AlarmEmail {
			r.fail("alarmEmail", c.AlarmEmail, "must be one e-mail address such as oncall@example.com")
		} else if !c.Alarms {
			r.failCombo(fmt.Sprintf("config key %q is set but %q is false: there are no alarms to notify about; set alarms: true or remove the address",
				r.key("alarmEmail"), r.key("alarms")))
		}
	}
	c.Alarm5xxPercent = r.integer("alarm5xxPercent", 5, 1, 100)
	c.AlarmLatencyP99Ms = r.integer("alarmLatencyP99Ms", 2000, 10, 60000)
	c.AlarmCPUPercent = r.integer("alarmCpuPercent", 90, 10, 100)
	c.AlarmMemoryPercent = r.integer("alarmMemoryPercent", 90, 10, 100)
	c.AccessLogs = r.boolean("accessLogs", false)
	if c.AccessLogs && !c.LoadBalancer {
		r.failCombo(fmt.Sprintf("config key %q is true but %q is false: access logs are the load balancer's", r.key("accessLogs"), r.key("loadBalancer")))
	}
	c.Dashboard = r.boolean("dashboard", false)
}
