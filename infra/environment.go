package infra

import (
	"fmt"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// environment is what a stack's services share: the network, the cluster
// and its Service Connect namespace, the load balancer and its access
// logs, the stack's secrets, the dashboard and the schedule group. Its
// methods create those parts; each service's own parts are
// ServiceStack's (appservice.go). Neither is a component resource of its
// own: a one-service stack's resources keep the parents (and so the URNs)
// they always had.
type environment struct {
	cfg         *Config
	naming      Naming
	tags        pulumi.StringMap
	rolePath    string
	clusterName string
	identity    aws.GetCallerIdentityResultOutput
	region      pulumi.StringOutput
	partition   pulumi.StringOutput

	// Filled in as NewStack goes.
	net  *Network
	exec *Logs
	// topicOwner is the first service's Alarms, which created the alarm
	// topic the others notify.
	topicOwner *Alarms
	secrets    *Secrets
	clusterRes *Cluster
	alb        *LoadBalancer
}

// network is the VPC the tasks and the load balancer run in; an
// environment of several services adds the members security group.
func (e *environment) network(ctx *pulumi.Context) (*Network, error) {
	c := e.cfg
	return NewNetwork(ctx, "network", &NetworkArgs{
		Mode: c.Network, CIDR: c.VPCCIDR, NATGateways: c.NATGateways,
		VPCID: c.VPCID, PublicSubnetIDs: c.PublicSubnetIDs, PrivateSubnetIDs: c.PrivateSubnetIDs,
		Tags: e.tags, Naming: e.naming,
		FlowLogs: c.FlowLogs, FlowLogRetentionDays: c.LogRetentionDays, KMSKeyARN: c.KMSKeyARN, Protect: c.Protect,
		Partition: e.partition, Region: e.region, Account: e.identity.AccountId(),
		RolePath: e.rolePath, PermissionsBoundaryARN: c.PermissionsBoundaryARN,
		FlowLogsRoleARN: c.FlowLogsRoleARN,
		Members:         c.MultiService,
	})
}

// execLogs is the ECS Exec session log group, /ecs/<stack>/exec: app's
// Logs create it beside app's group; an environment without app gets a
// Logs of its own for it. Nil when app's Logs has it, or exec is off.
func (e *environment) execLogs(ctx *pulumi.Context, svcs []*ServiceStack) (*Logs, error) {
	if !e.cfg.ECSExec {
		return nil, nil
	}
	for _, s := range svcs {
		if s.Logs.Exec != nil {
			e.setExec(s.Logs)
			return nil, nil
		}
	}
	l, err := NewLogs(ctx, "sessions", &LogsArgs{
		ExecSessions: true, ExecGroupName: e.execGroupName(),
		RetentionDays: e.cfg.LogRetentionDays, KMSKeyARN: e.cfg.KMSKeyARN, Protect: e.cfg.Protect, Tags: e.tags,
	})
	if err != nil {
		return nil, err
	}
	e.setExec(l)
	return l, nil
}

// execGroupName is the stack's exec session group.
func (e *environment) execGroupName() string {
	return "/ecs/" + e.naming.Name("", maxLogGroupName-10) + "/exec"
}

// setExec records the Logs that hold the stack's exec session group.
func (e *environment) setExec(l *Logs) { e.exec = l }

// cluster is the ECS cluster, with the Service Connect namespace in an
// environment of several services.
func (e *environment) cluster(ctx *pulumi.Context) (*Cluster, error) {
	args := &ClusterArgs{Name: e.clusterName, Tags: e.tags}
	if e.exec != nil {
		args.ExecLogGroupName = e.exec.Exec.Name
	}
	if e.cfg.MultiService {
		args.Namespace = e.naming.Base
	}
	return NewCluster(ctx, "cluster", args)
}

// accessLogs is the load balancer's access log bucket, with accessLogs.
func (e *environment) accessLogs(ctx *pulumi.Context) (*AccessLogs, error) {
	c := e.cfg
	if !c.AccessLogs {
		return nil, nil
	}
	return NewAccessLogs(ctx, "access-logs", &AccessLogsArgs{
		BucketPrefix: e.naming.Name("alb-logs", maxBucketPrefix-1) + "-", Prefix: e.naming.Base,
		RetentionDays: c.LogRetentionDays, Protect: c.Protect,
		Partition: e.partition, Region: e.region, Account: e.identity.AccountId(), Tags: e.tags,
	})
}

// loadBalancer is the environment's load balancer, routing to every
// routed service, with loadBalancer.
func (e *environment) loadBalancer(ctx *pulumi.Context, accessLogs *AccessLogs) (*LoadBalancer, error) {
	c := e.cfg
	if !c.LoadBalancer {
		return nil, nil
	}
	var targets []LBTarget
	for _, s := range c.Services {
		if !s.Routed() {
			continue
		}
		targets = append(targets, LBTarget{
			Service: s.Name, ContainerPort: s.ContainerPort, HealthCheckPath: s.HealthCheckPath,
			DrainDelaySeconds: s.DrainDelaySeconds, Paths: s.Paths, Hosts: s.Hosts,
		})
	}
	priorities := RulePriorities(c.Services)
	for i := range targets {
		targets[i].Priority = priorities[targets[i].Service]
	}
	return NewLoadBalancer(ctx, "web", &LoadBalancerArgs{
		Name:               e.naming.Name("", maxLBName),
		VPCID:              e.net.VPCID,
		Subnets:            e.net.PublicSubnetIDs,
		Targets:            targets,
		CertificateARN:     c.CertificateARN,
		DomainName:         c.DomainName,
		HostedZoneID:       c.HostedZoneID,
		DeletionProtection: c.ALBDeletionProtection,
		AccessLogs:         accessLogs,
		Tags:               e.tags,
	})
}

// dashboard is the environment's dashboard, a row per service.
func (e *environment) dashboard(ctx *pulumi.Context, svcs []*ServiceStack) (*Dashboard, error) {
	if !e.cfg.Dashboard {
		return nil, nil
	}
	var rows []DashboardRow
	for _, s := range svcs {
		row := DashboardRow{ServiceName: s.serviceName()}
		if e.cfg.MultiService {
			row.Title = s.Config.Name
		}
		if tg, ok := e.targetGroup(s.Config.Name); ok {
			row.LoadBalancerSuffix, row.TargetGroupSuffix = e.alb.ALB.ArnSuffix, tg.ArnSuffix
		}
		rows = append(rows, row)
	}
	return NewDashboard(ctx, "dashboard", &DashboardArgs{
		Name: e.naming.Name("", maxDashboardName), ClusterName: e.clusterName, Rows: rows, Region: e.region,
	})
}

// schedules are every service's jobs, in the stack's schedule group.
func (e *environment) schedules(ctx *pulumi.Context, svcs []*ServiceStack) (*Schedules, error) {
	var jobs []ServiceJobs
	for _, s := range svcs {
		c := s.Config
		if len(c.Schedules) == 0 {
			continue
		}
		jobs = append(jobs, ServiceJobs{
			Service: c.Name, Schedules: c.Schedules,
			TaskDefinitionARN: s.Service.TaskDefinition.Arn, TaskDefinitionFamily: s.Naming.Name("", maxFamily),
			SecurityGroupIDs: s.securityGroupIDs(), CapacityProvider: CapacityProvider(c),
			ExecutionRoleARN: s.Roles.Execution.ARN, TaskRoleARN: s.Roles.Task.ARN,
		})
	}
	if len(jobs) == 0 {
		return nil, nil
	}
	c := e.cfg
	return NewSchedules(ctx, "jobs", &SchedulesArgs{
		Naming: e.naming, Services: jobs,
		ClusterARN: e.clusterRes.Cluster.Arn, Subnets: e.net.TaskSubnetIDs, AssignPublicIP: c.AssignPublicIP,
		Partition: e.partition, Region: e.region, Account: e.identity.AccountId(),
		RolePath: e.rolePath, PermissionsBoundaryARN: c.PermissionsBoundaryARN, SchedulerRoleARN: c.SchedulerRoleARN, Tags: e.tags,
	})
}

// targetGroup is a routed service's target group.
func (e *environment) targetGroup(service string) (*lb.TargetGroup, bool) {
	if e.alb == nil {
		return nil, false
	}
	t, ok := e.alb.TargetGroups[service]
	return t, ok
}

// RulePriorities are the services' listener rule priorities
// (RulePriority), the later name moving up by one when two collide, so
// every rule has its own.
func RulePriorities(services []*Config) map[string]int {
	out := map[string]int{}
	taken := map[int]string{}
	for _, s := range services {
		if !s.Routed() || (len(s.Paths) == 0 && len(s.Hosts) == 0) {
			continue
		}
		p := RulePriority(s)
		for taken[p] != "" && p < NotFoundRulePriority-1 {
			p++
		}
		if taken[p] != "" {
			panic(fmt.Sprintf("no listener rule priority left for service %s", s.Name))
		}
		taken[p], out[s.Name] = s.Name, p
	}
	return out
}

// servers are the environment's Service Connect servers: its services
// with a port, by name.
func (e *environment) servers() []string {
	var out []string
	for _, s := range e.cfg.Services {
		if !s.Worker() {
			out = append(out, s.Name)
		}
	}
	slices.Sort(out)
	return out
}
