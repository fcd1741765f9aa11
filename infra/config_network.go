package infra

import (
	"fmt"
)

// network reads the VPC mode, subnets, NAT, flow logs and public IP; it
// runs after loadBalancer, whose subnets it checks.
func (r *configReader) network(c *Config) {
	c.Network = r.oneOf("network", NetworkDefaultVPC, NetworkDefaultVPC, NetworkNewVPC, NetworkExistingVPC)
	c.VPCID = r.str("vpcId", "")
	if c.VPCID != "" && !vpcIDRE.MatchString(c.VPCID) {
		r.fail("vpcId", c.VPCID, "must be a VPC id (vpc-0123456789abcdef0)")
	}
	c.PublicSubnetIDs = r.stringList("publicSubnetIds", subnetIDRE, "subnet ids (subnet-0123456789abcdef0)")
	c.PrivateSubnetIDs = r.stringList("privateSubnetIds", subnetIDRE, "subnet ids (subnet-0123456789abcdef0)")
	c.VPCCIDR = r.str("vpcCidr", "10.0.0.0/16")
	if !validCIDR(c.VPCCIDR, 16, 20) {
		r.fail("vpcCidr", c.VPCCIDR, "must be an IPv4 CIDR block with a prefix between /16 and /20")
	}
	c.NATGateways = r.integer("natGateways", 1, 1, 2)
	c.FlowLogs = r.oneOf("flowLogs", FlowLogsAll, FlowLogsAll, FlowLogsReject, FlowLogsNone)
	switch c.Network {
	case NetworkExistingVPC:
		if c.VPCID == "" {
			r.failCombo(fmt.Sprintf("config key %q is %q but %q is empty: name the VPC to use", r.key("network"), c.Network, r.key("vpcId")))
		}
		if len(c.PrivateSubnetIDs) == 0 && len(c.PublicSubnetIDs) == 0 {
			r.failCombo(fmt.Sprintf("config key %q is %q: set %q (tasks) and, with a load balancer, %q", r.key("network"), c.Network, r.key("privateSubnetIds"), r.key("publicSubnetIds")))
		}
		if c.LoadBalancer && len(c.PublicSubnetIDs) < 2 {
			r.failCombo(fmt.Sprintf("config key %q needs at least two subnets in different zones for the load balancer", r.key("publicSubnetIds")))
		}
	default:
		for _, k := range []struct {
			key string
			set bool
		}{{"vpcId", c.VPCID != ""}, {"publicSubnetIds", len(c.PublicSubnetIDs) > 0}, {"privateSubnetIds", len(c.PrivateSubnetIDs) > 0}} {
			if k.set {
				r.failCombo(fmt.Sprintf("config key %q is only used with %s: %s, not %q", r.key(k.key), r.key("network"), NetworkExistingVPC, c.Network))
			}
		}
	}
	// Tasks need a public IP to reach ECR when they sit in a public subnet
	// with no NAT; in private subnets a public IP is impossible.
	defaultPublicIP := c.Network == NetworkDefaultVPC ||
		(c.Network == NetworkExistingVPC && len(c.PrivateSubnetIDs) == 0)
	// ECS's own words (ENABLED/DISABLED) plus auto, which picks what the
	// network needs; a boolean could not say "auto".
	switch r.oneOf("assignPublicIp", "auto", "auto", "ENABLED", "DISABLED") {
	case "auto":
		c.AssignPublicIP = defaultPublicIP
	case "ENABLED":
		c.AssignPublicIP = true
		if c.Network == NetworkNewVPC {
			r.failCombo(fmt.Sprintf("config key %q is ENABLED but %q is %q: tasks run in private subnets with egress through NAT and cannot have a public IP",
				r.key("assignPublicIp"), r.key("network"), c.Network))
		}
	case "DISABLED":
		if c.Network == NetworkDefaultVPC {
			r.failCombo(fmt.Sprintf("config key %q is DISABLED but %q is %q: default-VPC subnets have no NAT, so tasks without a public IP cannot pull the image",
				r.key("assignPublicIp"), r.key("network"), c.Network))
		}
	}

}
