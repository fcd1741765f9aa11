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
// embed this one.
type Stack struct {
	Config       *Config
	Naming       Naming
	Network      *Network
	Registry     *Registry
	Image        *AppImage
	Logs         *Logs
	Secrets      *Secrets
	Roles        *TaskRoles
	Cluster      *Cluster
	LoadBalancer *LoadBalancer
	AccessLogs   *AccessLogs
	Alarms       *Alarms
	Dashboard    *Dashboard
	Schedules    *Schedules
	Service      *Service
	// Outputs are the stack outputs the README lists.
	Outputs pulumi.Map
}

// NewStack validates the config and creates every resource.
func NewStack(ctx *pulumi.Context) (*Stack, error) {
	cfg, err := LoadConfig(ctx)
	if err != nil {
		return nil, err
	}
	naming := NewNaming(ctx.Project(), ctx.Stack())
	// Paths relative to the project root, as the docker provider stores
	// them: the same on every machine that runs this program.
	build := BuildInputs{
		Root:       ctx.RootDirectory(),
		Context:    cfg.BuildContext,
		Dockerfile: cfg.Dockerfile,
		Platform:   Platform(cfg.Architecture),
		Target:     cfg.BuildTarget,
		Args:       cfg.BuildArgs,
	}
	var tag string
	if cfg.Image == "" {
		hash, err := build.Hash()
		if err != nil {
			return nil, fmt.Errorf("hash the build context %s: %w", build.Context, err)
		}
		tag = ImageTag(hash)
	}
	tags := naming.Tags()
	// Every role the program creates lives under /<project>/ (CI's
	// bootstrap scopes its roles by that path).
	rolePath := "/" + naming.Project + "/"
	// The program fixes these names, so the alarms, the dashboard and the
	// schedules can name the cluster, service and family before they exist.
	clusterName, serviceName := naming.Name("", maxClusterName), naming.Name("", maxServiceName)

	// Account, region and partition scope the trust policies and name the
	// commands printed as outputs.
	identity := aws.GetCallerIdentityOutput(ctx, aws.GetCallerIdentityOutputArgs{})
	region := aws.GetRegionOutput(ctx, aws.GetRegionOutputArgs{}).Name()
	partition := aws.GetPartitionOutput(ctx, aws.GetPartitionOutputArgs{}).Partition()

	network, err := NewNetwork(ctx, "network", &NetworkArgs{
		Mode: cfg.Network, CIDR: cfg.VPCCIDR, NATGateways: cfg.NATGateways,
		VPCID: cfg.VPCID, PublicSubnetIDs: cfg.PublicSubnetIDs, PrivateSubnetIDs: cfg.PrivateSubnetIDs,
		Tags: tags, Naming: naming,
		FlowLogs: cfg.FlowLogs, FlowLogRetentionDays: cfg.LogRetentionDays, KMSKeyARN: cfg.KMSKeyARN, Protect: cfg.Protect,
		Partition: partition, Region: region, Account: identity.AccountId(),
		RolePath: rolePath, PermissionsBoundaryARN: cfg.PermissionsBoundaryARN,
		FlowLogsRoleARN: cfg.FlowLogsRoleARN,
	})
	if err != nil {
		return nil, err
	}
	// What the tasks run: an image built here and pushed to the stack's
	// repository, or a prebuilt one (no repository, nothing built).
	var registry *Registry
	var image *AppImage
	src := imageSource{Ref: pulumi.String(cfg.Image).ToStringOutput()}
	if cfg.Image == "" {
		registry, err = NewRegistry(ctx, "app", &RegistryArgs{
			Name:             naming.Name("", maxRepositoryName),
			KeepTaggedImages: cfg.ImageKeepCount,
			KMSKeyARN:        cfg.KMSKeyARN,
			Protect:          cfg.Protect,
			Tags:             tags,
		})
		if err != nil {
			return nil, err
		}
		image, err = NewAppImage(ctx, "app", &AppImageArgs{Build: build, Tag: tag, Registry: registry})
		if err != nil {
			return nil, err
		}
		src = imageSource{Ref: image.Ref, Deps: []pulumi.Resource{image.Image}, PullRepositoryARN: registry.Repository.Arn}
	} else if e := cfg.ImageECR; e != nil {
		src.PullRepositoryARN = pulumi.Sprintf("arn:%s:ecr:%s:%s:repository/%s", partition, e.Region, e.Account, e.Repository)
	}
	logs, err := NewLogs(ctx, "app", &LogsArgs{
		Name:          "/ecs/" + naming.Name("", maxLogGroupName-10),
		RetentionDays: cfg.LogRetentionDays,
		KMSKeyARN:     cfg.KMSKeyARN,
		ExecSessions:  cfg.ECSExec,
		Protect:       cfg.Protect,
		Tags:          tags,
	})
	if err != nil {
		return nil, err
	}
	var secrets *Secrets
	if len(cfg.Secrets) > 0 {
		secrets, err = NewSecrets(ctx, "app", &SecretsArgs{
			Values: cfg.Secrets, Naming: naming, KMSKeyARN: cfg.KMSKeyARN, Protect: cfg.Protect, Tags: tags,
		})
		if err != nil {
			return nil, err
		}
	}
	rolesArgs := &TaskRolesArgs{
		Partition: partition, Region: region, Account: identity.AccountId(),
		KMSKeyARN: cfg.KMSKeyARN, ECSExec: cfg.ECSExec, PermissionsBoundaryARN: cfg.PermissionsBoundaryARN, Tags: tags,
		LogGroupARN: logs.App.Arn, PullRepositoryARN: src.PullRepositoryARN,
		ExecutionRoleARN: cfg.ExecutionRoleARN, TaskRoleARN: cfg.TaskRoleARN,
		Path: rolePath,
	}
	if secrets != nil {
		rolesArgs.HasSecrets, rolesArgs.SecretARNs = true, secrets.ARNs
	}
	if logs.Exec != nil {
		rolesArgs.ExecLogGroupARN = logs.Exec.Arn
	}
	roles, err := NewTaskRoles(ctx, "app", rolesArgs)
	if err != nil {
		return nil, err
	}
	clusterArgs := &ClusterArgs{Name: clusterName, Tags: tags}
	if logs.Exec != nil {
		clusterArgs.ExecLogGroupName = logs.Exec.Name
	}
	cluster, err := NewCluster(ctx, "cluster", clusterArgs)
	if err != nil {
		return nil, err
	}
	var accessLogs *AccessLogs
	if cfg.AccessLogs {
		accessLogs, err = NewAccessLogs(ctx, "access-logs", &AccessLogsArgs{
			BucketPrefix: naming.Name("alb-logs", maxBucketPrefix-1) + "-", Prefix: naming.Base,
			RetentionDays: cfg.LogRetentionDays, Protect: cfg.Protect,
			Partition: partition, Region: region, Account: identity.AccountId(), Tags: tags,
		})
		if err != nil {
			return nil, err
		}
	}
	var alb *LoadBalancer
	if cfg.LoadBalancer {
		alb, err = NewLoadBalancer(ctx, "web", &LoadBalancerArgs{
			Name:               naming.Name("", maxLBName),
			VPCID:              network.VPCID,
			Subnets:            network.PublicSubnetIDs,
			ContainerPort:      cfg.ContainerPort,
			HealthCheckPath:    cfg.HealthCheckPath,
			DrainDelaySeconds:  cfg.DrainDelaySeconds,
			CertificateARN:     cfg.CertificateARN,
			DomainName:         cfg.DomainName,
			HostedZoneID:       cfg.HostedZoneID,
			DeletionProtection: cfg.ALBDeletionProtection,
			AccessLogs:         accessLogs,
			Tags:               tags,
		})
		if err != nil {
			return nil, err
		}
	}
	var alarms *Alarms
	if cfg.Alarms {
		alarms, err = NewAlarms(ctx, "alarms", &AlarmsArgs{
			Naming: naming, ClusterName: clusterName, ServiceName: serviceName, LoadBalancer: alb,
			Error5xxPercent: cfg.Alarm5xxPercent, LatencyP99Ms: cfg.AlarmLatencyP99Ms,
			CPUPercent: cfg.AlarmCPUPercent, MemoryPercent: cfg.AlarmMemoryPercent,
			Email: cfg.AlarmEmail, KMSKeyARN: cfg.KMSKeyARN, Protect: cfg.Protect,
			Partition: partition, Region: region, Account: identity.AccountId(), Tags: tags,
		})
		if err != nil {
			return nil, err
		}
	}
	var dashboard *Dashboard
	if cfg.Dashboard {
		dashboard, err = NewDashboard(ctx, "dashboard", &DashboardArgs{
			Name: naming.Name("", maxDashboardName), ClusterName: clusterName, ServiceName: serviceName,
			LoadBalancer: alb, Region: region,
		})
		if err != nil {
			return nil, err
		}
	}
	svc, err := NewService(ctx, "app", &ServiceArgs{
		Config: cfg, Naming: naming, Region: region,
		Cluster: cluster, Roles: roles, Logs: logs, Image: src,
		Network: network, LoadBalancer: alb, Secrets: secrets, Alarms: alarms, Tags: tags,
	})
	if err != nil {
		return nil, err
	}
	var schedules *Schedules
	if len(cfg.Schedules) > 0 {
		schedules, err = NewSchedules(ctx, "jobs", &SchedulesArgs{
			Naming: naming, Schedules: cfg.Schedules,
			ClusterARN: cluster.Cluster.Arn, TaskDefinitionARN: svc.TaskDefinition.Arn, TaskDefinitionFamily: naming.Name("", maxFamily),
			Subnets: network.TaskSubnetIDs, SecurityGroupID: svc.SecurityGroup.ID(),
			AssignPublicIP: cfg.AssignPublicIP, CapacityProvider: CapacityProvider(cfg),
			ExecutionRoleARN: roles.Execution.ARN, TaskRoleARN: roles.Task.ARN, SchedulerRoleARN: cfg.SchedulerRoleARN,
			Partition: partition, Region: region, Account: identity.AccountId(),
			RolePath: rolePath, PermissionsBoundaryARN: cfg.PermissionsBoundaryARN, Tags: tags,
		})
		if err != nil {
			return nil, err
		}
	}

	return &Stack{
		Config: cfg, Naming: naming, Network: network, Registry: registry, Image: image, Logs: logs,
		Secrets: secrets, Roles: roles, Cluster: cluster, LoadBalancer: alb, Service: svc,
		AccessLogs: accessLogs, Alarms: alarms, Dashboard: dashboard, Schedules: schedules,
		Outputs: outputs(cfg, region, registry, image, logs, cluster, svc, network, alb, operations{accessLogs, alarms, dashboard, schedules}),
	}, nil
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

// outputs are the stack outputs the README lists.
func outputs(cfg *Config, region pulumi.StringOutput, registry *Registry, image *AppImage,
	logs *Logs, cluster *Cluster, svc *Service, network *Network, alb *LoadBalancer, ops operations) pulumi.Map {
	out := pulumi.Map{}
	out["region"] = region
	if image != nil {
		out["repositoryUrl"] = registry.URL
		out["repositoryName"] = registry.Name
		out["image"] = image.Ref
		out["imageTag"] = pulumi.String(image.Tag)
		out["imageDigest"] = image.Digest
	} else {
		out["image"] = pulumi.String(cfg.Image)
		if e := cfg.ImageECR; e != nil {
			out["repositoryName"] = pulumi.String(e.Repository)
		}
		if strings.Contains(cfg.Image, "@") {
			out["imageDigest"] = pulumi.String(cfg.Image)
		} else if i := strings.LastIndex(cfg.Image, ":"); i > strings.LastIndex(cfg.Image, "/") {
			out["imageTag"] = pulumi.String(cfg.Image[i+1:])
		}
	}
	out["clusterName"] = cluster.Name
	out["serviceName"] = svc.Service.Name
	out["taskDefinitionArn"] = svc.TaskDefinition.Arn
	out["taskDefinitionFamily"] = svc.TaskDefinition.Family
	out["taskDefinitionRevision"] = svc.TaskDefinition.Revision
	out["logGroupName"] = logs.App.Name
	out["securityGroupId"] = svc.SecurityGroup.ID()
	out["subnetIds"] = network.TaskSubnetIDs
	out["vpcId"] = network.VPCID
	if alb != nil {
		out["url"] = alb.URL
	}
	if ops.alarms != nil {
		out["alarmNames"] = pulumi.ToStringArray(ops.alarms.Names)
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

	out["logsCommand"] = pulumi.Sprintf("aws logs tail %s --follow --format short --region %s", logs.App.Name, region)
	if cfg.ECSExec {
		// Exec runs a binary that exists in the image (distroless images
		// have no shell): the health check command when there is one.
		execCmd := "/bin/sh"
		if len(cfg.HealthCheckCommand) > 0 {
			execCmd = strings.Join(cfg.HealthCheckCommand, " ")
		}
		out["execCommand"] = pulumi.Sprintf(
			"aws ecs execute-command --region %[1]s --cluster %[2]s --container %[3]s --interactive --command %[5]s "+
				"--task \"$(aws ecs list-tasks --region %[1]s --cluster %[2]s --service-name %[4]s --query 'taskArns[0]' --output text)\"",
			region, cluster.Name, ContainerName, svc.Service.Name, shellQuote(execCmd))
	}
	// The sample app's `once` subcommand; another image runs its own
	// command (or the configured one) as the one-off task.
	var oneOff []string
	if cfg.Image == "" && cfg.BuildContext == AppDir {
		oneOff = []string{"once"}
	}
	run := func(command []string) pulumi.StringOutput {
		return pulumi.All(region, cluster.Name, svc.TaskDefinition.Arn, network.TaskSubnetIDs, svc.SecurityGroup.ID()).ApplyT(
			func(v []any) string {
				return RunTaskCommand(v[0].(string), v[1].(string), v[2].(string), CapacityProvider(cfg), v[3].([]string), string(v[4].(pulumi.ID)), PublicIP(cfg), command)
			}).(pulumi.StringOutput)
	}
	out["runTaskCommand"] = run(oneOff)
	if len(cfg.Schedules) > 0 {
		commands := pulumi.StringMap{}
		for name, sc := range cfg.Schedules {
			commands[name] = run(sc.Command)
		}
		out["scheduleRunCommands"] = commands
	}
	return out
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
