package infra

import (
	"fmt"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ServiceStack is one service of the environment: its repository and
// image (none for a prebuilt image), log group, task roles, alarms, and
// the task definition and ECS service (Service). Its components are named
// after the service; AppService's keep the names a one-service stack's
// always had ("app", "alarms"), so upgrading a stack to several services
// replaces nothing.
type ServiceStack struct {
	// Config is the service's own config (per-service fields filled from
	// services.<name>, else the top-level keys).
	Config *Config
	// Naming names its AWS resources: the stack's own for AppService,
	// "<project>-<stack>_<service>" for any other.
	Naming Naming

	Registry *Registry
	Image    *AppImage
	Logs     *Logs
	Roles    *TaskRoles
	Alarms   *Alarms
	Service  *Service

	build builtImage
	src   imageSource
}

// builtImage is what a service's image is built from and its tag.
type builtImage struct {
	inputs BuildInputs
	tag    string
}

// buildOf hashes a service's build inputs into its image tag.
func buildOf(ctx *pulumi.Context, c *Config) (builtImage, error) {
	// Paths relative to the project root, as the docker provider stores
	// them: the same on every machine that runs this program.
	b := BuildInputs{
		Root:       ctx.RootDirectory(),
		Context:    c.BuildContext,
		Dockerfile: c.Dockerfile,
		Platform:   Platform(c.Architecture),
		Target:     c.BuildTarget,
		Args:       c.BuildArgs,
	}
	hash, err := b.Hash()
	if err != nil {
		return builtImage{}, fmt.Errorf("hash the build context %s of service %s: %w", b.Context, c.Name, err)
	}
	return builtImage{inputs: b, tag: ImageTag(hash)}, nil
}

// component is the name of one of the service's components: kind alone
// for AppService ("app" for most, "alarms" for the alarms), else the
// service's name (after kind-, for the alarms).
func (s *ServiceStack) component(kind string) string {
	name := s.Config.Name
	switch {
	case name == AppService && kind == "":
		return AppService
	case name == AppService:
		return kind
	case kind == "":
		return name
	}
	return kind + "-" + name
}

// image is the repository and the image built and pushed to it, or the
// prebuilt image (no repository, nothing built).
func (s *ServiceStack) image(ctx *pulumi.Context, e *environment) error {
	c := s.Config
	s.src = imageSource{Ref: pulumi.String(c.Image).ToStringOutput()}
	if c.Image != "" {
		if img := c.ImageECR; img != nil {
			s.src.PullRepositoryARN = pulumi.Sprintf("arn:%s:ecr:%s:%s:repository/%s", e.partition, img.Region, img.Account, img.Repository)
		}
		return nil
	}
	var err error
	s.Registry, err = NewRegistry(ctx, s.component(""), &RegistryArgs{
		Name:             s.Naming.Name("", maxRepositoryName),
		KeepTaggedImages: c.ImageKeepCount,
		KMSKeyARN:        c.KMSKeyARN,
		Protect:          c.Protect,
		Tags:             e.tags,
	})
	if err != nil {
		return err
	}
	s.Image, err = NewAppImage(ctx, s.component(""), &AppImageArgs{Build: s.build.inputs, Tag: s.build.tag, Registry: s.Registry})
	if err != nil {
		return err
	}
	s.src = imageSource{Ref: s.Image.Ref, Deps: []pulumi.Resource{s.Image.Image}, PullRepositoryARN: s.Registry.Repository.Arn}
	return nil
}

// logs is the service's log group, and for AppService with ECS Exec the
// stack's exec session group beside it (as in a one-service stack).
func (s *ServiceStack) logs(ctx *pulumi.Context, e *environment) error {
	c := s.Config
	var err error
	s.Logs, err = NewLogs(ctx, s.component(""), &LogsArgs{
		Name:          "/ecs/" + s.Naming.Name("", maxLogGroupName-10),
		RetentionDays: c.LogRetentionDays,
		KMSKeyARN:     c.KMSKeyARN,
		ExecSessions:  c.ECSExec && c.Name == AppService,
		Protect:       c.Protect,
		Tags:          e.tags,
	})
	return err
}

// roles are the service's execution and task roles: it pulls only its own
// image, writes only its own log group, reads only the secrets it lists.
func (s *ServiceStack) roles(ctx *pulumi.Context, e *environment) error {
	c := s.Config
	args := &TaskRolesArgs{
		Partition: e.partition, Region: e.region, Account: e.identity.AccountId(),
		KMSKeyARN: c.KMSKeyARN, ECSExec: c.ECSExec, PermissionsBoundaryARN: c.PermissionsBoundaryARN, Tags: e.tags,
		LogGroupARN: s.Logs.App.Arn, PullRepositoryARN: s.src.PullRepositoryARN,
		ExecutionRoleARN: c.ExecutionRoleARN, TaskRoleARN: c.TaskRoleARN,
		Path: e.rolePath,
	}
	if e.secrets != nil && len(c.SecretNames) > 0 {
		_, args.SecretARNs, _ = e.secrets.Pick(c.SecretNames)
		args.HasSecrets = true
	}
	if e.exec != nil {
		args.ExecLogGroupARN = e.exec.Exec.Arn
	}
	var err error
	s.Roles, err = NewTaskRoles(ctx, s.component(""), args)
	return err
}

// alarms are the service's alarms, with alarms on; the first service's
// create the environment's alarm topic, the others notify it.
func (s *ServiceStack) alarms(ctx *pulumi.Context, e *environment) error {
	c := s.Config
	if !c.Alarms {
		return nil
	}
	args := &AlarmsArgs{
		Naming: s.Naming, ClusterName: e.clusterName, ServiceName: s.serviceName(),
		Error5xxPercent: c.Alarm5xxPercent, LatencyP99Ms: c.AlarmLatencyP99Ms,
		CPUPercent: c.AlarmCPUPercent, MemoryPercent: c.AlarmMemoryPercent,
		Email: c.AlarmEmail, KMSKeyARN: c.KMSKeyARN, Protect: c.Protect, MultiService: c.MultiService,
		Partition: e.partition, Region: e.region, Account: e.identity.AccountId(), Tags: e.tags,
	}
	if tg, ok := e.targetGroup(c.Name); ok {
		args.LoadBalancerSuffix, args.TargetGroupSuffix = e.alb.ALB.ArnSuffix, tg.ArnSuffix
	}
	if e.topicOwner != nil {
		args.Topic = e.topicOwner.Topic
	}
	var err error
	s.Alarms, err = NewAlarms(ctx, s.component("alarms"), args)
	if err == nil && e.topicOwner == nil && s.Alarms.Topic != nil {
		e.topicOwner = s.Alarms
	}
	return err
}

// service is the task definition, the security group and the ECS service.
func (s *ServiceStack) service(ctx *pulumi.Context, e *environment) error {
	c := s.Config
	args := &ServiceArgs{
		Config: c, Naming: s.Naming, Region: e.region,
		Cluster: e.clusterRes, Roles: s.Roles, Logs: s.Logs, Image: s.src,
		Network: e.net, Alarms: s.Alarms, Tags: e.tags,
	}
	if e.secrets != nil && len(c.SecretNames) > 0 {
		args.SecretNames, _, args.SecretRefs = e.secrets.Pick(c.SecretNames)
	}
	if tg, ok := e.targetGroup(c.Name); ok {
		args.Route = &ServiceRoute{
			SecurityGroup: e.alb.SecurityGroup, TargetGroup: tg,
			LoadBalancerSuffix: e.alb.ALB.ArnSuffix, Ready: e.alb.Routes[c.Name],
		}
	}
	if ns := e.clusterRes.Namespace; ns != nil {
		args.ServiceConnect = &ServiceConnectArgs{NamespaceARN: ns.Arn, Namespace: ns, MembersSecurityGroup: e.net.Members, Servers: e.servers()}
	}
	var err error
	s.Service, err = NewService(ctx, s.component(""), args)
	return err
}

// serviceName is the ECS service's name, fixed by the program so alarms
// and the dashboard can name it before it exists.
func (s *ServiceStack) serviceName() string { return s.Naming.Name("", maxServiceName) }

// securityGroupIDs are the service's task security groups.
func (s *ServiceStack) securityGroupIDs() pulumi.StringArrayOutput {
	ids := pulumi.StringArray{s.Service.SecurityGroup.ID()}
	if s.Config.MultiService && s.Service.members != nil {
		ids = append(ids, s.Service.members.ID())
	}
	return ids.ToStringArrayOutput()
}
