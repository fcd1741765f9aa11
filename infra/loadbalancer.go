package infra

import (
	"maps"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/acm"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/route53"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Target group health check tuned for a Go app that is ready in well under
// a second: a new task turns healthy after HealthyThreshold × Interval =
// 10 s instead of the default 5 × 30 s = 150 s.
const (
	HealthCheckPath      = "/healthz"
	HealthCheckInterval  = 5
	HealthCheckTimeout   = 2
	HealthyThreshold     = 2
	UnhealthyThreshold   = 2
	inFlightAllowanceSec = 5
)

// DeregistrationDelay is how long the target group keeps a draining target:
// the app's drain delay (during which it still serves while load balancer
// nodes catch up) plus time for in-flight requests, instead of the 300 s
// default that makes every deployment wait five minutes per batch.
func DeregistrationDelay(drainDelaySeconds int) int {
	return drainDelaySeconds + inFlightAllowanceSec
}

// LoadBalancerArgs configures the Application Load Balancer.
type LoadBalancerArgs struct {
	// Name is the ALB's physical name (at most 32 characters).
	Name string
	// VPCID and Subnets place the ALB (public subnets, two zones or more).
	VPCID   pulumi.StringInput
	Subnets pulumi.StringArrayInput
	// Targets are the routed services, each with its own target group:
	// AppService's is named like the one target group of a one-service
	// stack.
	Targets []LBTarget
	// CertificateARN turns on HTTPS on 443; HTTP on 80 then redirects.
	CertificateARN string
	// DomainName and HostedZoneID, when set, give the ALB an alias record
	// in that zone and, unless CertificateARN is set, a DNS-validated ACM
	// certificate for the name.
	DomainName, HostedZoneID string
	// DeletionProtection guards the ALB against deletion.
	DeletionProtection bool
	// AccessLogs, when set, receives the ALB's access logs.
	AccessLogs *AccessLogs
	// Tags go on every resource.
	Tags pulumi.StringMap
}

// LBTarget is one routed service.
type LBTarget struct {
	// Service is the service's name.
	Service string
	// ContainerPort is the target port.
	ContainerPort int
	// HealthCheckPath is the target group's health check path.
	HealthCheckPath string
	// DrainDelaySeconds aligns the deregistration delay with the app.
	DrainDelaySeconds int
	// Paths and Hosts are the listener rule's conditions; a target with
	// neither takes the listener's default action.
	Paths, Hosts []string
	// Priority is the rule's priority (RulePriority).
	Priority int
}

// LoadBalancer is an internet-facing ALB with its security group, an `ip`
// target group per routed service, its listeners and the rules that route
// to each service.
type LoadBalancer struct {
	pulumi.ResourceState

	// SecurityGroup is the ALB's security group; tasks accept traffic from it only.
	SecurityGroup *ec2.SecurityGroup
	// ALB is the load balancer.
	ALB *lb.LoadBalancer
	// TargetGroups by service.
	TargetGroups map[string]*lb.TargetGroup
	// Routes by service: what must exist before the service registers
	// targets (ECS rejects a target group no listener uses): the listener
	// and, for a service with paths or hosts, its rule.
	Routes map[string][]pulumi.Resource
	// URL is http(s)://DNS_NAME.
	URL pulumi.StringOutput
}

// TargetGroupName is the logical name of a service's target group: the
// component's own name for AppService (the one target group of a
// one-service stack keeps its URN), "<lb>-<service>" otherwise. Physical
// names stay generated: a fixed name could not be replaced while a rule
// uses it.
func TargetGroupName(lbName, service string) string {
	if service == AppService {
		return lbName
	}
	return lbName + "-" + service
}

// NewLoadBalancer creates the ALB.
func NewLoadBalancer(ctx *pulumi.Context, name string, args *LoadBalancerArgs, opts ...pulumi.ResourceOption) (*LoadBalancer, error) {
	l := &LoadBalancer{}
	if err := ctx.RegisterComponentResource("fargateship:index:LoadBalancer", name, l, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(l)
	var cert pulumi.StringInput
	if args.CertificateARN != "" {
		cert = pulumi.String(args.CertificateARN)
	} else if args.DomainName != "" {
		validated, err := l.certificate(ctx, name, args)
		if err != nil {
			return nil, err
		}
		cert = validated
	}
	https := cert != nil
	ingress := ec2.SecurityGroupIngressArray{&ec2.SecurityGroupIngressArgs{
		Description: pulumi.String("HTTP from the internet"), Protocol: pulumi.String("tcp"),
		FromPort: pulumi.Int(80), ToPort: pulumi.Int(80), CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
	}}
	if https {
		ingress = append(ingress, &ec2.SecurityGroupIngressArgs{
			Description: pulumi.String("HTTPS from the internet"), Protocol: pulumi.String("tcp"),
			FromPort: pulumi.Int(443), ToPort: pulumi.Int(443), CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		})
	}
	// Egress to each routed port (one rule per port, in port order).
	ports := map[int]bool{}
	for _, t := range args.Targets {
		ports[t.ContainerPort] = true
	}
	egress := ec2.SecurityGroupEgressArray{}
	for _, port := range slices.Sorted(maps.Keys(ports)) {
		egress = append(egress, &ec2.SecurityGroupEgressArgs{
			Description: pulumi.String("To the task container port"), Protocol: pulumi.String("tcp"),
			FromPort: pulumi.Int(port), ToPort: pulumi.Int(port),
			CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		})
	}
	sg, err := ec2.NewSecurityGroup(ctx, name+"-alb", &ec2.SecurityGroupArgs{
		Description: pulumi.String("Load balancer: HTTP(S) in from the internet"),
		VpcId:       args.VPCID,
		Ingress:     ingress,
		Egress:      egress,
		Tags:        args.Tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	albOpts := []pulumi.ResourceOption{parent}
	// The access_logs block is always sent: a removed block is ignored by
	// the provider (terraform-provider-aws internal/service/elbv2/
	// load_balancer.go, "access_logs": DiffSuppressFunc
	// verify.SuppressMissingOptionalConfigurationBlock), which would leave
	// the load balancer logging to the bucket the same `up` deletes. Off is
	// enabled false; the bucket and prefix are then neither compared
	// (their DiffSuppressFunc: !access_logs.0.enabled) nor sent
	// (expandLoadBalancerAccessLogsAttributes sends only the enabled
	// attribute when it is false).
	accessLogs := &lb.LoadBalancerAccessLogsArgs{Bucket: pulumi.String(""), Enabled: pulumi.Bool(false)}
	if al := args.AccessLogs; al != nil {
		accessLogs = &lb.LoadBalancerAccessLogsArgs{Bucket: al.Bucket.ID(), Prefix: pulumi.String(al.Prefix), Enabled: pulumi.Bool(true)}
		// ELB checks that it may write to the bucket when logs are turned on.
		albOpts = append(albOpts, pulumi.DependsOn(al.Ready))
	}
	alb, err := lb.NewLoadBalancer(ctx, name, &lb.LoadBalancerArgs{
		Name:                     pulumi.String(args.Name),
		LoadBalancerType:         pulumi.String("application"),
		Internal:                 pulumi.Bool(false),
		Subnets:                  args.Subnets,
		SecurityGroups:           pulumi.StringArray{sg.ID()},
		EnableDeletionProtection: pulumi.Bool(args.DeletionProtection),
		DropInvalidHeaderFields:  pulumi.Bool(true),
		IdleTimeout:              pulumi.Int(60),
		AccessLogs:               accessLogs,
		Tags:                     args.Tags,
	}, albOpts...)
	if err != nil {
		return nil, err
	}
	l.TargetGroups, l.Routes = map[string]*lb.TargetGroup{}, map[string][]pulumi.Resource{}
	var defaultTG *lb.TargetGroup
	for _, t := range args.Targets {
		tg, err := lb.NewTargetGroup(ctx, TargetGroupName(name, t.Service), &lb.TargetGroupArgs{
			TargetType:          pulumi.String("ip"),
			Port:                pulumi.Int(t.ContainerPort),
			Protocol:            pulumi.String("HTTP"),
			VpcId:               args.VPCID,
			DeregistrationDelay: pulumi.Int(DeregistrationDelay(t.DrainDelaySeconds)),
			HealthCheck: &lb.TargetGroupHealthCheckArgs{
				Enabled:            pulumi.Bool(true),
				Path:               pulumi.String(t.HealthCheckPath),
				Protocol:           pulumi.String("HTTP"),
				Port:               pulumi.String("traffic-port"),
				Matcher:            pulumi.String("200"),
				Interval:           pulumi.Int(HealthCheckInterval),
				Timeout:            pulumi.Int(HealthCheckTimeout),
				HealthyThreshold:   pulumi.Int(HealthyThreshold),
				UnhealthyThreshold: pulumi.Int(UnhealthyThreshold),
			},
			Tags: args.Tags,
		}, parent)
		if err != nil {
			return nil, err
		}
		l.TargetGroups[t.Service] = tg
		if len(t.Paths) == 0 && len(t.Hosts) == 0 {
			defaultTG = tg
		}
	}
	// The listeners' default: the service without paths or hosts; else,
	// when app is routed (its paths were added later), app's target group
	// stays the default and a last rule answers 404 to what no rule
	// matches, so giving app paths adds rules and changes no listener
	// (the rules depend on the listener, so a listener change could only
	// come before them); else a fixed 404.
	anchor := defaultTG
	if anchor == nil {
		anchor = l.TargetGroups[AppService]
	}
	notFound := lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
		Type: pulumi.String("fixed-response"),
		FixedResponse: &lb.ListenerDefaultActionFixedResponseArgs{
			ContentType: pulumi.String("text/plain"), MessageBody: pulumi.String("Not Found"), StatusCode: pulumi.String("404"),
		},
	}}
	forward := notFound
	if anchor != nil {
		forward = lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{Type: pulumi.String("forward"), TargetGroupArn: anchor.Arn}}
	}
	httpAction := forward
	if https {
		httpAction = lb.ListenerDefaultActionArray{&lb.ListenerDefaultActionArgs{
			Type: pulumi.String("redirect"),
			Redirect: &lb.ListenerDefaultActionRedirectArgs{
				Protocol: pulumi.String("HTTPS"), Port: pulumi.String("443"), StatusCode: pulumi.String("HTTP_301"),
			},
		}}
	}
	httpListener, err := lb.NewListener(ctx, name+"-http", &lb.ListenerArgs{
		LoadBalancerArn: alb.Arn, Port: pulumi.Int(80), Protocol: pulumi.String("HTTP"),
		DefaultActions: httpAction, Tags: args.Tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	listener := httpListener
	l.URL = pulumi.Sprintf("http://%s", alb.DnsName)
	if https {
		listener, err = lb.NewListener(ctx, name+"-https", &lb.ListenerArgs{
			LoadBalancerArn: alb.Arn, Port: pulumi.Int(443), Protocol: pulumi.String("HTTPS"),
			CertificateArn: cert,
			SslPolicy:      pulumi.String("ELBSecurityPolicy-TLS13-1-2-2021-06"),
			DefaultActions: forward, Tags: args.Tags,
		}, parent)
		if err != nil {
			return nil, err
		}
		l.URL = pulumi.Sprintf("https://%s", alb.DnsName)
	}
	var rules []pulumi.Resource
	for _, t := range args.Targets {
		l.Routes[t.Service] = []pulumi.Resource{listener}
		if len(t.Paths) == 0 && len(t.Hosts) == 0 {
			continue
		}
		rule, err := lb.NewListenerRule(ctx, name+"-"+t.Service, &lb.ListenerRuleArgs{
			ListenerArn: listener.Arn,
			Priority:    pulumi.Int(t.Priority),
			Conditions:  ruleConditions(t),
			Actions:     lb.ListenerRuleActionArray{&lb.ListenerRuleActionArgs{Type: pulumi.String("forward"), TargetGroupArn: l.TargetGroups[t.Service].Arn}},
			Tags:        args.Tags,
		}, parent)
		if err != nil {
			return nil, err
		}
		l.Routes[t.Service] = append(l.Routes[t.Service], rule)
		rules = append(rules, rule)
	}
	if defaultTG == nil && anchor != nil {
		// After every service's rule exists: the 404 for the rest.
		if _, err := lb.NewListenerRule(ctx, name+"-not-found", &lb.ListenerRuleArgs{
			ListenerArn: listener.Arn,
			Priority:    pulumi.Int(NotFoundRulePriority),
			Conditions: lb.ListenerRuleConditionArray{&lb.ListenerRuleConditionArgs{
				PathPattern: &lb.ListenerRuleConditionPathPatternArgs{Values: pulumi.StringArray{pulumi.String("/*")}},
			}},
			Actions: lb.ListenerRuleActionArray{&lb.ListenerRuleActionArgs{
				Type: pulumi.String("fixed-response"),
				FixedResponse: &lb.ListenerRuleActionFixedResponseArgs{
					ContentType: pulumi.String("text/plain"), MessageBody: pulumi.String("Not Found"), StatusCode: pulumi.String("404"),
				},
			}},
			Tags: args.Tags,
		}, parent, pulumi.DependsOn(rules)); err != nil {
			return nil, err
		}
	}
	if args.DomainName != "" {
		if _, err := route53.NewRecord(ctx, name+"-alias", &route53.RecordArgs{
			ZoneId: pulumi.String(args.HostedZoneID),
			Name:   pulumi.String(args.DomainName),
			Type:   pulumi.String("A"),
			Aliases: route53.RecordAliasArray{&route53.RecordAliasArgs{
				Name: alb.DnsName, ZoneId: alb.ZoneId, EvaluateTargetHealth: pulumi.Bool(true),
			}},
		}, parent); err != nil {
			return nil, err
		}
		scheme := "http"
		if https {
			scheme = "https"
		}
		l.URL = pulumi.String(scheme + "://" + args.DomainName).ToStringOutput()
	}
	l.SecurityGroup, l.ALB = sg, alb
	outputs := pulumi.Map{"url": l.URL}
	if tg, ok := l.TargetGroups[AppService]; ok {
		outputs["targetGroupArn"] = tg.Arn
	}
	return l, ctx.RegisterResourceOutputs(l, outputs)
}

// NotFoundRulePriority is the last rule's: ELB priorities are 1-50000, and
// RulePriority stays below it.
const NotFoundRulePriority = 50000

// ruleConditions are a target's rule conditions: its paths and its hosts
// (a rule matches when every condition does, and a condition when any of
// its values does).
func ruleConditions(t LBTarget) lb.ListenerRuleConditionArray {
	var out lb.ListenerRuleConditionArray
	if len(t.Hosts) > 0 {
		out = append(out, &lb.ListenerRuleConditionArgs{HostHeader: &lb.ListenerRuleConditionHostHeaderArgs{Values: pulumi.ToStringArray(t.Hosts)}})
	}
	if len(t.Paths) > 0 {
		out = append(out, &lb.ListenerRuleConditionArgs{PathPattern: &lb.ListenerRuleConditionPathPatternArgs{Values: pulumi.ToStringArray(t.Paths)}})
	}
	return out
}

// certificate requests an ACM certificate for the domain, publishes the DNS
// validation record in the hosted zone and waits until ACM has issued it,
// so the HTTPS listener never references a pending certificate.
func (l *LoadBalancer) certificate(ctx *pulumi.Context, name string, args *LoadBalancerArgs) (pulumi.StringOutput, error) {
	parent := pulumi.Parent(l)
	cert, err := acm.NewCertificate(ctx, name, &acm.CertificateArgs{
		DomainName:       pulumi.String(args.DomainName),
		ValidationMethod: pulumi.String("DNS"),
		KeyAlgorithm:     pulumi.String("EC_prime256v1"),
		Tags:             args.Tags,
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	// One name, one validation record.
	opt := cert.DomainValidationOptions.Index(pulumi.Int(0))
	record, err := route53.NewRecord(ctx, name+"-validation", &route53.RecordArgs{
		ZoneId:         pulumi.String(args.HostedZoneID),
		Name:           opt.ResourceRecordName().Elem(),
		Type:           opt.ResourceRecordType().Elem(),
		Records:        pulumi.StringArray{opt.ResourceRecordValue().Elem()},
		Ttl:            pulumi.Int(60),
		AllowOverwrite: pulumi.Bool(true),
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	validation, err := acm.NewCertificateValidation(ctx, name, &acm.CertificateValidationArgs{
		CertificateArn:        cert.Arn,
		ValidationRecordFqdns: pulumi.StringArray{record.Fqdn},
	}, parent)
	if err != nil {
		return pulumi.StringOutput{}, err
	}
	return validation.CertificateArn, nil
}
