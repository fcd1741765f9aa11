package infra

import (
	"fmt"
	"net/netip"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// NetworkArgs selects where the tasks and the load balancer run.
type NetworkArgs struct {
	// Mode is default-vpc, new-vpc or existing-vpc.
	Mode string
	// CIDR is the new VPC's block (new-vpc only).
	CIDR string
	// NATGateways is 1 (one shared NAT, cheapest) or 2 (one per zone, so
	// losing a zone does not cut the other zone's egress) for new-vpc.
	NATGateways int
	// VPCID and the subnet ids are used as they are for existing-vpc.
	VPCID            string
	PublicSubnetIDs  []string
	PrivateSubnetIDs []string
	// Tags go on every network resource.
	Tags pulumi.StringMap
	// Naming gives the Name tags and the flow log group's name.
	Naming Naming

	// FlowLogs is the traffic a new VPC's flow log records: ALL, REJECT,
	// or NONE for no flow log (new-vpc only).
	FlowLogs string
	// FlowLogRetentionDays, KMSKeyARN and Protect configure the flow log
	// group as the app's log group is configured.
	FlowLogRetentionDays int
	KMSKeyARN            string
	Protect              bool
	// Partition, Region and Account scope the flow log role's trust.
	Partition, Region, Account pulumi.StringInput
	// RolePath and PermissionsBoundaryARN are the IAM path and boundary of
	// the flow log role, as for the task roles.
	RolePath               string
	PermissionsBoundaryARN string
	// Members adds the security group every task of an environment of
	// several services carries.
	Members bool
	// FlowLogsRoleARN, when set, is the flow log role the CI bootstrap
	// created: no role is created, the policy goes on it.
	FlowLogsRoleARN string
}

// Flow log traffic types (ec2 CreateFlowLogs TrafficType), and NONE.
const (
	FlowLogsAll    = "ALL"
	FlowLogsReject = "REJECT"
	FlowLogsNone   = "NONE"
)

// Network is the VPC the service runs in: the default VPC's public subnets
// (the beginner's setup), a new two-zone VPC with public subnets for the
// load balancer and private subnets behind NAT for the tasks, or an
// existing VPC given by id.
type Network struct {
	pulumi.ResourceState

	// VPCID is the VPC.
	VPCID pulumi.StringOutput
	// PublicSubnetIDs host the load balancer.
	PublicSubnetIDs pulumi.StringArrayOutput
	// TaskSubnetIDs host the tasks: private subnets when there are any.
	TaskSubnetIDs pulumi.StringArrayOutput
	// FlowLogGroup receives the new VPC's flow log; nil otherwise.
	FlowLogGroup *cloudwatch.LogGroup
	// Members is the environment's members security group (Members).
	Members *ec2.SecurityGroup
}

// SplitCIDR cuts a VPC block into the four subnets of a two-zone VPC: two
// public ones at the start of the block and two private ones in its second
// half, each 1/16 of the block (a /16 gives /20s of 4091 usable addresses).
func SplitCIDR(cidr string) (public, private [2]string, err error) {
	p, err := netip.ParsePrefix(cidr)
	if err != nil || !p.Addr().Is4() {
		return public, private, fmt.Errorf("vpc cidr %q: not an IPv4 prefix", cidr)
	}
	bits := p.Bits() + 4
	base := p.Masked().Addr().As4()
	start := uint32(base[0])<<24 | uint32(base[1])<<16 | uint32(base[2])<<8 | uint32(base[3])
	size := uint32(1) << (32 - bits)
	sub := func(i uint32) string {
		v := start + i*size
		return netip.PrefixFrom(netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), bits).String()
	}
	return [2]string{sub(0), sub(1)}, [2]string{sub(8), sub(9)}, nil
}

// NewNetwork looks up or creates the network.
func NewNetwork(ctx *pulumi.Context, name string, args *NetworkArgs, opts ...pulumi.ResourceOption) (*Network, error) {
	n := &Network{}
	if err := ctx.RegisterComponentResource("fargateship:index:Network", name, n, opts...); err != nil {
		return nil, err
	}
	var err error
	switch args.Mode {
	case NetworkDefaultVPC:
		vpc := ec2.LookupVpcOutput(ctx, ec2.LookupVpcOutputArgs{Default: pulumi.BoolPtr(true)}, pulumi.Parent(n))
		subnets := ec2.GetSubnetsOutput(ctx, ec2.GetSubnetsOutputArgs{Filters: ec2.GetSubnetsFilterArray{
			ec2.GetSubnetsFilterArgs{Name: pulumi.String("vpc-id"), Values: pulumi.StringArray{vpc.Id()}},
			ec2.GetSubnetsFilterArgs{Name: pulumi.String("default-for-az"), Values: pulumi.StringArray{pulumi.String("true")}},
		}}, pulumi.Parent(n))
		n.VPCID, n.PublicSubnetIDs, n.TaskSubnetIDs = vpc.Id(), subnets.Ids(), subnets.Ids()
	case NetworkExistingVPC:
		n.VPCID = pulumi.String(args.VPCID).ToStringOutput()
		n.PublicSubnetIDs = pulumi.ToStringArray(args.PublicSubnetIDs).ToStringArrayOutput()
		tasks := args.PrivateSubnetIDs
		if len(tasks) == 0 {
			tasks = args.PublicSubnetIDs
		}
		n.TaskSubnetIDs = pulumi.ToStringArray(tasks).ToStringArrayOutput()
	case NetworkNewVPC:
		err = n.newVPC(ctx, name, args)
	default:
		err = fmt.Errorf("network %q: unknown mode", args.Mode)
	}
	if err != nil {
		return nil, err
	}
	if args.Members {
		// On every task of the environment, so each service can admit the
		// others (and only them) on its Service Connect proxy port, whatever
		// their addresses; it admits nothing itself.
		n.Members, err = ec2.NewSecurityGroup(ctx, name+"-members", &ec2.SecurityGroupArgs{
			Description: pulumi.String("Tasks of the environment: each service admits this group on its Service Connect port"),
			VpcId:       n.VPCID,
			Ingress:     ec2.SecurityGroupIngressArray{},
			Egress: ec2.SecurityGroupEgressArray{&ec2.SecurityGroupEgressArgs{
				Description: pulumi.String("All egress"), Protocol: pulumi.String("-1"),
				FromPort: pulumi.Int(0), ToPort: pulumi.Int(0), CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
			}},
			Tags: args.Tags,
		}, pulumi.Parent(n))
		if err != nil {
			return nil, err
		}
	}
	return n, ctx.RegisterResourceOutputs(n, pulumi.Map{
		"vpcId":           n.VPCID,
		"publicSubnetIds": n.PublicSubnetIDs,
		"taskSubnetIds":   n.TaskSubnetIDs,
	})
}

func (n *Network) newVPC(ctx *pulumi.Context, name string, args *NetworkArgs) error {
	publicCIDRs, privateCIDRs, err := SplitCIDR(args.CIDR)
	if err != nil {
		return err
	}
	parent := pulumi.Parent(n)
	tags := func(suffix string) pulumi.StringMap {
		t := pulumi.StringMap{"Name": pulumi.String(args.Naming.Name(suffix, 255))}
		for k, v := range args.Tags {
			t[k] = v
		}
		return t
	}
	// Zones that need no opt-in, so the VPC works in every region.
	zones := aws.GetAvailabilityZonesOutput(ctx, aws.GetAvailabilityZonesOutputArgs{
		State: pulumi.String("available"),
		Filters: aws.GetAvailabilityZonesFilterArray{aws.GetAvailabilityZonesFilterArgs{
			Name: pulumi.String("opt-in-status"), Values: pulumi.StringArray{pulumi.String("opt-in-not-required")},
		}},
	}, parent)
	vpc, err := ec2.NewVpc(ctx, name, &ec2.VpcArgs{
		CidrBlock:          pulumi.String(args.CIDR),
		EnableDnsSupport:   pulumi.Bool(true),
		EnableDnsHostnames: pulumi.Bool(true),
		Tags:               tags("vpc"),
	}, parent)
	if err != nil {
		return err
	}
	igw, err := ec2.NewInternetGateway(ctx, name, &ec2.InternetGatewayArgs{VpcId: vpc.ID(), Tags: tags("igw")}, parent)
	if err != nil {
		return err
	}
	publicRT, err := ec2.NewRouteTable(ctx, name+"-public", &ec2.RouteTableArgs{
		VpcId:  vpc.ID(),
		Routes: ec2.RouteTableRouteArray{&ec2.RouteTableRouteArgs{CidrBlock: pulumi.String("0.0.0.0/0"), GatewayId: igw.ID()}},
		Tags:   tags("public"),
	}, parent)
	if err != nil {
		return err
	}
	var public, private pulumi.StringArray
	var nats []*ec2.NatGateway
	for i := range 2 {
		az := zones.Names().Index(pulumi.Int(i))
		sn, err := ec2.NewSubnet(ctx, fmt.Sprintf("%s-public-%d", name, i), &ec2.SubnetArgs{
			VpcId:               vpc.ID(),
			CidrBlock:           pulumi.String(publicCIDRs[i]),
			AvailabilityZone:    az,
			MapPublicIpOnLaunch: pulumi.Bool(false),
			Tags:                tags(fmt.Sprintf("public-%d", i)),
		}, parent)
		if err != nil {
			return err
		}
		if _, err := ec2.NewRouteTableAssociation(ctx, fmt.Sprintf("%s-public-%d", name, i), &ec2.RouteTableAssociationArgs{
			SubnetId: sn.ID(), RouteTableId: publicRT.ID(),
		}, parent); err != nil {
			return err
		}
		public = append(public, sn.ID())
		if i < args.NATGateways {
			eip, err := ec2.NewEip(ctx, fmt.Sprintf("%s-nat-%d", name, i), &ec2.EipArgs{Domain: pulumi.String("vpc"), Tags: tags(fmt.Sprintf("nat-%d", i))}, parent)
			if err != nil {
				return err
			}
			nat, err := ec2.NewNatGateway(ctx, fmt.Sprintf("%s-%d", name, i), &ec2.NatGatewayArgs{
				AllocationId: eip.ID(), SubnetId: sn.ID(), Tags: tags(fmt.Sprintf("nat-%d", i)),
			}, parent, pulumi.DependsOn([]pulumi.Resource{igw}))
			if err != nil {
				return err
			}
			nats = append(nats, nat)
		}
	}
	for i := range 2 {
		az := zones.Names().Index(pulumi.Int(i))
		sn, err := ec2.NewSubnet(ctx, fmt.Sprintf("%s-private-%d", name, i), &ec2.SubnetArgs{
			VpcId:            vpc.ID(),
			CidrBlock:        pulumi.String(privateCIDRs[i]),
			AvailabilityZone: az,
			Tags:             tags(fmt.Sprintf("private-%d", i)),
		}, parent)
		if err != nil {
			return err
		}
		// With one NAT both zones share it; with two each zone uses its own.
		nat := nats[i%len(nats)]
		rt, err := ec2.NewRouteTable(ctx, fmt.Sprintf("%s-private-%d", name, i), &ec2.RouteTableArgs{
			VpcId:  vpc.ID(),
			Routes: ec2.RouteTableRouteArray{&ec2.RouteTableRouteArgs{CidrBlock: pulumi.String("0.0.0.0/0"), NatGatewayId: nat.ID()}},
			Tags:   tags(fmt.Sprintf("private-%d", i)),
		}, parent)
		if err != nil {
			return err
		}
		assoc, err := ec2.NewRouteTableAssociation(ctx, fmt.Sprintf("%s-private-%d", name, i), &ec2.RouteTableAssociationArgs{
			SubnetId: sn.ID(), RouteTableId: rt.ID(),
		}, parent)
		if err != nil {
			return err
		}
		// The subnet id resolves only once the subnet routes through its
		// NAT gateway (the route table's route needs the NAT gateway, which
		// the provider creates and waits for until it is available), so a
		// task can never start in a subnet without egress and fail to pull.
		private = append(private, pulumi.All(sn.ID(), assoc.ID()).ApplyT(func(v []any) string {
			return string(v[0].(pulumi.ID))
		}).(pulumi.StringOutput))
	}
	n.VPCID = vpc.ID().ToStringOutput()
	n.PublicSubnetIDs = public.ToStringArrayOutput()
	n.TaskSubnetIDs = private.ToStringArrayOutput()
	if args.FlowLogs != FlowLogsNone {
		return n.flowLog(ctx, name, args, vpc)
	}
	return nil
}

// flowLog records the new VPC's traffic (Security Hub EC2.6, Trivy
// AWS-0178) in a log group of the stack, through a role that the VPC flow
// logs service assumes for this account only and that may write to that
// group only.
func (n *Network) flowLog(ctx *pulumi.Context, name string, args *NetworkArgs, vpc *ec2.Vpc) error {
	parent := pulumi.Parent(n)
	groupArgs := &cloudwatch.LogGroupArgs{
		Name:            pulumi.String("/vpc/" + args.Naming.Name("", maxLogGroupName-20) + "/flow-logs"),
		RetentionInDays: pulumi.Int(args.FlowLogRetentionDays),
		LogGroupClass:   pulumi.String("STANDARD"),
		Tags:            args.Tags,
	}
	if args.KMSKeyARN != "" {
		groupArgs.KmsKeyId = pulumi.String(args.KMSKeyARN)
	}
	group, err := cloudwatch.NewLogGroup(ctx, name+"-flow-logs", groupArgs, parent, pulumi.Protect(args.Protect))
	if err != nil {
		return err
	}
	n.FlowLogGroup = group
	trust := pulumi.All(args.Partition, args.Region, args.Account).ApplyT(func(v []any) (string, error) {
		partition, region, account := v[0].(string), v[1].(string), v[2].(string)
		return ServiceTrust("vpc-flow-logs.amazonaws.com", "arn:"+partition+":ec2:"+region+":"+account+":vpc-flow-log/*", account).JSON()
	}).(pulumi.StringOutput)
	role, err := newServiceRole(ctx, name+"-flow-logs", args.FlowLogsRoleARN, &iam.RoleArgs{
		Description:         pulumi.String("VPC flow logs: writes the VPC flow log to its log group only"),
		AssumeRolePolicy:    trust,
		Path:                pulumi.String(args.RolePath),
		PermissionsBoundary: permissionsBoundary(args.PermissionsBoundaryARN),
		Tags:                args.Tags,
	}, parent)
	if err != nil {
		return err
	}
	// The actions the flow logs service calls (VPC user guide, "IAM role
	// for publishing flow logs to CloudWatch Logs"), on this group only;
	// the group exists, so no logs:CreateLogGroup. DescribeLogGroups takes
	// no log-group resource (Service Authorization Reference, CloudWatch
	// Logs: DescribeLogGroups has no resource type, so a statement naming
	// the group never matches it): it gets "*" in its own statement, and
	// it reveals only group names and settings.
	policy, err := iam.NewRolePolicy(ctx, name+"-flow-logs", &iam.RolePolicyArgs{
		Role: role.Name,
		Policy: group.Arn.ApplyT(func(arn string) (string, error) {
			return NewPolicy(
				Statement{
					Sid: "WriteFlowLogGroup", Effect: "Allow",
					Action:   []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"},
					Resource: []string{arn, arn + ":*"},
				},
				Statement{Sid: "LookUpLogGroups", Effect: "Allow", Action: []string{"logs:DescribeLogGroups"}, Resource: []string{"*"}},
			).JSON()
		}).(pulumi.StringOutput),
	}, parent)
	if err != nil {
		return err
	}
	_, err = ec2.NewFlowLog(ctx, name, &ec2.FlowLogArgs{
		VpcId:                  vpc.ID(),
		TrafficType:            pulumi.String(args.FlowLogs),
		LogDestinationType:     pulumi.String("cloud-watch-logs"),
		LogDestination:         group.Arn,
		IamRoleArn:             role.ARN,
		MaxAggregationInterval: pulumi.Int(600),
		Tags:                   args.Tags,
		// EC2 allows one flow log per VPC, traffic type and destination
		// (FlowLogAlreadyExists), and every input forces a new one: the old
		// one must go first. A few seconds without a flow log on a change.
	}, parent, pulumi.DependsOn([]pulumi.Resource{policy}), pulumi.DeleteBeforeReplace(true))
	return err
}
