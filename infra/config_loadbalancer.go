package infra

import (
	"fmt"
	"strings"
)

// SandboxPrefix starts the name of every per-developer sandbox stack
// (make sandbox: sandbox-<user>; the CI bootstrap's reaper destroys them).
const SandboxPrefix = "sandbox-"

// loadBalancer reads the ALB, TLS and DNS keys.
func (r *configReader) loadBalancer(c *Config) {
	c.LoadBalancer = r.boolean("loadBalancer", false)
	if c.LoadBalancer && c.Worker() && !r.multiService() {
		r.failCombo(fmt.Sprintf("config keys %q (true) and %q (0): a worker has no port for the load balancer to send requests to; set a containerPort or loadBalancer: false",
			r.key("loadBalancer"), r.key("containerPort")))
	}
	c.CertificateARN = r.str("certificateArn", "")
	if c.CertificateARN != "" && !certificateRE.MatchString(c.CertificateARN) {
		r.fail("certificateArn", c.CertificateARN, "must be an ACM certificate ARN (arn:aws:acm:REGION:ACCOUNT:certificate/ID)")
	}
	if c.CertificateARN != "" && !c.LoadBalancer {
		r.failCombo(fmt.Sprintf("config key %q is set but %q is false: a certificate needs the load balancer; set loadBalancer: true or remove the certificate",
			r.key("certificateArn"), r.key("loadBalancer")))
	}
	c.DomainName = r.str("domainName", "")
	c.HostedZoneID = r.str("hostedZoneId", "")
	if c.DomainName != "" && (len(c.DomainName) > 253 || !domainRE.MatchString(c.DomainName)) {
		r.fail("domainName", c.DomainName, "must be a lower-case DNS name such as app.example.com")
	}
	if c.HostedZoneID != "" && !hostedZoneRE.MatchString(c.HostedZoneID) {
		r.fail("hostedZoneId", c.HostedZoneID, "must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ")
	}
	if c.DomainName != "" && !c.LoadBalancer {
		r.failCombo(fmt.Sprintf("config key %q is set but %q is false: the domain points at the load balancer; set loadBalancer: true or remove the domain",
			r.key("domainName"), r.key("loadBalancer")))
	}
	if c.DomainName != "" && strings.HasPrefix(r.ctx.Stack(), SandboxPrefix) {
		r.fail("domainName", c.DomainName, fmt.Sprintf("is not available on sandbox stacks (%s*): the reaper that destroys expired sandboxes "+
			"may not change DNS records, since it could delete another stack's records in the same hosted zone; use the load balancer's url output", SandboxPrefix))
	}
	if (c.DomainName == "") != (c.HostedZoneID == "") {
		r.failCombo(fmt.Sprintf("config keys %q and %q go together: the certificate is validated and the alias record created in that hosted zone",
			r.key("domainName"), r.key("hostedZoneId")))
	}
	c.ALBDeletionProtection = r.boolean("albDeletionProtection", false)
	if c.ALBDeletionProtection && !c.LoadBalancer {
		r.failCombo(fmt.Sprintf("config key %q is true but %q is false: there is no load balancer to protect",
			r.key("albDeletionProtection"), r.key("loadBalancer")))
	}
	c.HealthCheckGracePeriodSecs = r.integer("healthCheckGracePeriodSeconds", 30, 0, 2147483647)

}
