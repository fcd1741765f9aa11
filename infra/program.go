// Package infra is the Pulumi program that ships a Go service (the sample in
// app/, or a team's own: buildContext, image) to ECS Fargate. Program is the
// whole program; each group of resources is a component (NewNetwork,
// NewRegistry, NewAppImage, NewLogs, NewSecrets, NewTaskRoles, NewCluster,
// NewAccessLogs, NewLoadBalancer, NewAlarms, NewDashboard, NewService,
// NewSchedules) whose children are parented to it and named from its name.
// The config is read and checked first (LoadConfig, config_*.go), before
// any resource is registered.
package infra

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AppDir is the sample app's build context, relative to the project root:
// the build context when buildContext is not set.
const AppDir = "app"

// Program reads and validates the stack config, creates every resource and
// exports every output. A bad config value fails it before any resource is
// registered.
func Program(ctx *pulumi.Context) error {
	s, err := NewStack(ctx)
	if err != nil {
		return err
	}
	for name, value := range s.Outputs {
		ctx.Export(name, value)
	}
	return nil
}

// Stack is everything Program creates, for tests and for programs that
// embed this one. The environment's shared parts come first; Services
// holds each service's parts, and the fields below them are the primary
// service's (app, or the first service): what a one-service stack has.
type Stack struct {
	Config       *Config
	Naming       Naming
	Network      *Network
	Logs         *Logs
	Secrets      *Secrets
	Cluster      *Cluster
	LoadBalancer *LoadBalancer
	AccessLogs   *AccessLogs
	Dashboard    *Dashboard
	Schedules    *Schedules
	// Services by name.
	Services map[string]*ServiceStack
	// The primary service's parts.
	Registry *Registry
	Image    *AppImage
	Roles    *TaskRoles
	Alarms   *Alarms
	Service  *Service
	// Outputs are the stack outputs docs/outputs.md lists.
	Outputs pulumi.Map
}

// NewStack validates the config and creates every resource: the
// environment (network, cluster with its Service Connect namespace, load
// balancer, access logs, secrets, dashboard, schedule group), then each
// service (newServiceStack). A stack without `services` is the
// one-service environment of AppService, with the names (and URNs) it
// always had.
func NewStack(ctx *pulumi.Context) (*Stack, error) {
	cfg, err := LoadConfig(ctx)
	if err != nil {
		return nil, err
	}
	naming := NewNaming(ctx.Project(), ctx.Stack())
	// Every image's tag first: a broken build context fails the run before
	// any resource is registered.
	builds := map[string]builtImage{}
	for _, s := range cfg.Services {
		if s.Image != "" {
			continue
		}
		b, err := buildOf(ctx, s)
		if err != nil {
			return nil, err
		}
		builds[s.Name] = b
	}
	e := &environment{
		cfg: cfg, naming: naming, tags: naming.Tags(),
		// Every role the program creates lives under /<project>/ (CI's
		// bootstrap scopes its roles by that path).
		rolePath: "/" + naming.Project + "/",
		// The program fixes the cluster's name, so alarms, the dashboard
		// and the schedules can name it before it exists.
		clusterName: naming.Name("", maxClusterName),
		// Account, region and partition scope the trust policies and name
		// the commands printed as outputs.
		identity:  aws.GetCallerIdentityOutput(ctx, aws.GetCallerIdentityOutputArgs{}),
		region:    aws.GetRegionOutput(ctx, aws.GetRegionOutputArgs{}).Name(),
		partition: aws.GetPartitionOutput(ctx, aws.GetPartitionOutputArgs{}).Partition(),
	}
	st := &Stack{Config: cfg, Naming: naming, Services: map[string]*ServiceStack{}}
	if st.Network, err = e.network(ctx); err != nil {
		return nil, err
	}
	e.net = st.Network
	svcs := make([]*ServiceStack, len(cfg.Services))
	for i, c := range cfg.Services {
		svcs[i] = &ServiceStack{Config: c, Naming: naming.ForService(c.Name), build: builds[c.Name]}
		if err := svcs[i].image(ctx, e); err != nil {
			return nil, err
		}
		st.Services[c.Name] = svcs[i]
	}
	for _, s := range svcs {
		if err := s.logs(ctx, e); err != nil {
			return nil, err
		}
	}
	if st.Logs, err = e.execLogs(ctx, svcs); err != nil {
		return nil, err
	}
	if len(cfg.Secrets) > 0 {
		if st.Secrets, err = NewSecrets(ctx, AppService, &SecretsArgs{
			Values: cfg.Secrets, Naming: naming, KMSKeyARN: cfg.KMSKeyARN, Protect: cfg.Protect, Tags: e.tags,
		}); err != nil {
			return nil, err
		}
	}
	e.secrets = st.Secrets
	for _, s := range svcs {
		if err := s.roles(ctx, e); err != nil {
			return nil, err
		}
	}
	if st.Cluster, err = e.cluster(ctx); err != nil {
		return nil, err
	}
	e.clusterRes = st.Cluster
	if st.AccessLogs, err = e.accessLogs(ctx); err != nil {
		return nil, err
	}
	if st.LoadBalancer, err = e.loadBalancer(ctx, st.AccessLogs); err != nil {
		return nil, err
	}
	e.alb = st.LoadBalancer
	for _, s := range svcs {
		if err := s.alarms(ctx, e); err != nil {
			return nil, err
		}
	}
	if st.Dashboard, err = e.dashboard(ctx, svcs); err != nil {
		return nil, err
	}
	for _, s := range svcs {
		if err := s.service(ctx, e); err != nil {
			return nil, err
		}
	}
	if st.Schedules, err = e.schedules(ctx, svcs); err != nil {
		return nil, err
	}
	p := svcs[0]
	st.Registry, st.Image, st.Roles, st.Alarms, st.Service = p.Registry, p.Image, p.Roles, p.Alarms, p.Service
	if st.Logs == nil {
		st.Logs = p.Logs
	}
	st.Outputs = outputs(e, svcs, operations{st.AccessLogs, p.Alarms, st.Dashboard, st.Schedules})
	return st, nil
}

// imageSource is the image the tasks run and what the service waits for.
type imageSource struct {
	// Ref is the reference the task definition runs.
	Ref pulumi.StringOutput
	// Deps are the resources that must exist before a task can pull it.
	Deps []pulumi.Resource
	// PullRepositoryARN is its ECR repository, nil outside ECR.
	PullRepositoryARN pulumi.StringInput
}

// operations are the optional components beside the service.
type operations struct {
	accessLogs *AccessLogs
	alarms     *Alarms
	dashboard  *Dashboard
	schedules  *Schedules
}

// outputs are the stack outputs docs/outputs.md lists: the primary service's
// (what a one-service stack always exported), the environment's, and
// `services`, every service's by name.
func outputs(e *environment, svcs []*ServiceStack, ops operations) pulumi.Map {
	p := svcs[0]
	out := p.outputs(e)
	// The one-service outputs keep their shape: the primary's image and
	// repository, its one-off commands.
	delete(out, "url")
	out["region"] = e.region
	out["clusterName"] = e.clusterRes.Name
	out["subnetIds"] = e.net.TaskSubnetIDs
	out["vpcId"] = e.net.VPCID
	out["taskDefinitionFamily"] = p.Service.TaskDefinition.Family
	out["taskDefinitionRevision"] = p.Service.TaskDefinition.Revision
	out["logGroupName"] = p.Logs.App.Name
	out["securityGroupId"] = p.Service.SecurityGroup.ID()
	if p.Image != nil {
		out["repositoryUrl"] = p.Registry.URL
		out["repositoryName"] = p.Registry.Name
		out["imageTag"] = pulumi.String(p.Image.Tag)
		out["imageDigest"] = p.Image.Digest
	} else {
		c := p.Config
		if ecrImage := c.ImageECR; ecrImage != nil {
			out["repositoryName"] = pulumi.String(ecrImage.Repository)
		}
		if strings.Contains(c.Image, "@") {
			out["imageDigest"] = pulumi.String(c.Image)
		} else if i := strings.LastIndex(c.Image, ":"); i > strings.LastIndex(c.Image, "/") {
			out["imageTag"] = pulumi.String(c.Image[i+1:])
		}
	}
	if e.alb != nil {
		out["url"] = e.alb.URL
	}
	// Every alarm of the stack: the primary service's, then the others'.
	var alarmNames []string
	for _, s := range svcs {
		if s.Alarms != nil {
			alarmNames = append(alarmNames, s.Alarms.Names...)
		}
	}
	if ops.alarms != nil || alarmNames != nil {
		out["alarmNames"] = pulumi.ToStringArray(alarmNames)
	}
	if ops.accessLogs != nil {
		out["accessLogsBucket"] = ops.accessLogs.Bucket.Bucket
	}
	if ops.dashboard != nil {
		out["dashboardUrl"] = ops.dashboard.URL
	}
	if ops.schedules != nil {
		out["scheduleNames"] = ops.schedules.Names
	}
	if len(p.Config.Schedules) > 0 {
		commands := pulumi.StringMap{}
		for name, sc := range p.Config.Schedules {
			commands[name] = p.runTask(e, sc.Command)
		}
		out["scheduleRunCommands"] = commands
	}
	services := pulumi.Map{}
	for _, s := range svcs {
		services[s.Config.Name] = s.outputs(e)
	}
	out["services"] = services
	return out
}

// outputs are one service's entry of the `services` output: url (routed
// services only), image, taskDefinitionArn, serviceName, logsCommand,
// execCommand (with ECS Exec), runTaskCommand, and its alarmNames.
func (s *ServiceStack) outputs(e *environment) pulumi.Map {
	c := s.Config
	out := pulumi.Map{
		"serviceName":       s.Service.Service.Name,
		"taskDefinitionArn": s.Service.TaskDefinition.Arn,
		"logsCommand":       pulumi.Sprintf("aws logs tail %s --follow --format short --region %s", s.Logs.App.Name, e.region),
	}
	if s.Image != nil {
		out["image"] = s.Image.Ref
	} else {
		out["image"] = pulumi.String(c.Image)
	}
	if url, ok := s.url(e); ok {
		out["url"] = url
	}
	if s.Alarms != nil {
		out["alarmNames"] = pulumi.ToStringArray(s.Alarms.Names)
	}
	if c.ECSExec {
		// Exec runs a binary that exists in the image (distroless images
		// have no shell): the health check command when there is one.
		execCmd := "/bin/sh"
		if len(c.HealthCheckCommand) > 0 {
			execCmd = strings.Join(c.HealthCheckCommand, " ")
		}
		out["execCommand"] = pulumi.Sprintf(
			"aws ecs execute-command --region %[1]s --cluster %[2]s --container %[3]s --interactive --command %[5]s "+
				"--task \"$(aws ecs list-tasks --region %[1]s --cluster %[2]s --service-name %[4]s --query 'taskArns[0]' --output text)\"",
			e.region, e.clusterRes.Name, ContainerName, s.Service.Service.Name, shellQuote(execCmd))
	}
	// The sample app's `once` subcommand; another image runs its own
	// command (or the configured one) as the one-off task.
	var oneOff []string
	if c.Image == "" && c.BuildContext == AppDir {
		oneOff = []string{"once"}
	}
	out["runTaskCommand"] = s.runTask(e, oneOff)
	return out
}

// url is a routed service's address: the load balancer's (its host, with
// hosts) and the fixed part of its first path; nil for a service the load
// balancer does not route to.
func (s *ServiceStack) url(e *environment) (pulumi.StringOutput, bool) {
	c := s.Config
	if e.alb == nil || !c.Routed() {
		return pulumi.StringOutput{}, false
	}
	base := e.alb.URL
	if len(c.Hosts) > 0 && !strings.ContainsAny(c.Hosts[0], "*?") {
		scheme := "http"
		if e.cfg.CertificateARN != "" || e.cfg.DomainName != "" {
			scheme = "https"
		}
		base = pulumi.String(scheme + "://" + c.Hosts[0]).ToStringOutput()
	}
	if len(c.Paths) > 0 {
		prefix := strings.TrimRight(strings.SplitN(strings.SplitN(c.Paths[0], "*", 2)[0], "?", 2)[0], "/")
		return pulumi.Sprintf("%s%s/", base, prefix), true
	}
	return base, true
}

// runTask is the service's `aws ecs run-task` command with command.
func (s *ServiceStack) runTask(e *environment, command []string) pulumi.StringOutput {
	c := s.Config
	return pulumi.All(e.region, e.clusterRes.Name, s.Service.TaskDefinition.Arn, e.net.TaskSubnetIDs, s.securityGroupIDs()).ApplyT(
		func(v []any) string {
			return RunTaskCommand(v[0].(string), v[1].(string), v[2].(string), CapacityProvider(c), v[3].([]string), strings.Join(v[4].([]string), ","), PublicIP(c), command)
		}).(pulumi.StringOutput)
}

// CapacityProvider is the service's (and its one-off tasks') capacity
// provider.
func CapacityProvider(c *Config) string {
	if c.Spot {
		return "FARGATE_SPOT"
	}
	return "FARGATE"
}

// PublicIP is assignPublicIp in ECS's words.
func PublicIP(c *Config) string {
	if c.AssignPublicIP {
		return "ENABLED"
	}
	return "DISABLED"
}

// RunTaskCommand is the `aws ecs run-task` command that runs the task
// definition as a one-off task on the service's network, with the
// container's command replaced by command when it is not empty.
func RunTaskCommand(region, cluster, taskDefinition, capacityProvider string, subnets []string, securityGroup, publicIP string, command []string) string {
	s := fmt.Sprintf("aws ecs run-task --region %s --cluster %s --task-definition %s "+
		"--capacity-provider-strategy capacityProvider=%s,weight=1 --platform-version LATEST "+
		"--network-configuration 'awsvpcConfiguration={subnets=[%s],securityGroups=[%s],assignPublicIp=%s}'",
		region, cluster, taskDefinition, capacityProvider, strings.Join(subnets, ","), securityGroup, publicIP)
	if len(command) > 0 {
		s += " --overrides " + shellQuote(ContainerOverrides(command))
	}
	return s
}

// ContainerOverrides is the RunTask overrides JSON that replaces the app
// container's command.
func ContainerOverrides(command []string) string {
	type override struct {
		Name    string   `json:"name"`
		Command []string `json:"command"`
	}
	b, _ := json.Marshal(struct {
		ContainerOverrides []override `json:"containerOverrides"`
	}{[]override{{ContainerName, command}}})
	return string(b)
}

// shellQuote quotes s for a POSIX shell.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
