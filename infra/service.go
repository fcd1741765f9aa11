package infra

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/appautoscaling"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ec2"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/lb"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ContainerName is the app container's name in the task definition; the
// service's load balancer block, the log stream names and the one-off
// task's overrides all refer to it.
const ContainerName = "app"

// LogStreamPrefix is the awslogs stream prefix: streams are named
// app/app/<task id>, so a task's logs are found from its id.
const LogStreamPrefix = "app"

// Container health check timings, in seconds (the image's HEALTHCHECK
// uses the same; make local runs the task definition's own).
const (
	HealthCheckIntervalSec    = 10
	HealthCheckTimeoutSec     = 5
	HealthCheckRetries        = 3
	HealthCheckStartPeriodSec = 10
)

// ServiceArgs wires the task definition and the service.
type ServiceArgs struct {
	Config *Config
	Naming Naming
	Region pulumi.StringInput
	// Cluster runs the service.
	Cluster *Cluster
	// Roles are the execution and task roles.
	Roles *TaskRoles
	// Logs receives the container's stdout/stderr.
	Logs *Logs
	// Image is what the tasks run and what they wait for.
	Image imageSource
	// Network places the tasks.
	Network *Network
	// Route, when set, is the load balancer's route to the service.
	Route *ServiceRoute
	// ServiceConnect, when set, makes the service a member of the
	// environment's Service Connect namespace.
	ServiceConnect *ServiceConnectArgs
	// SecretNames and SecretRefs are the secrets injected as environment
	// variables: names, and valueFrom references in the same order.
	SecretNames []string
	SecretRefs  pulumi.StringArrayOutput
	// Alarms, when set, are created before the service, which rolls a
	// deployment back when one of Alarms.Deployment fires.
	Alarms *Alarms
	// Tags go on every resource.
	Tags pulumi.StringMap
}

// ServiceRoute is how the load balancer reaches a routed service.
type ServiceRoute struct {
	// SecurityGroup is the load balancer's: the service admits it on its
	// container port.
	SecurityGroup *ec2.SecurityGroup
	// TargetGroup is the service's target group.
	TargetGroup *lb.TargetGroup
	// LoadBalancerSuffix is the ALB's ARN suffix (request-count scaling).
	LoadBalancerSuffix pulumi.StringInput
	// Ready are the listener and rules that must exist before ECS
	// registers targets.
	Ready []pulumi.Resource
}

// ServiceConnectArgs places a service in the environment's Service
// Connect namespace: a server (it has a port) at http://<name>:<port> for
// the other services, every service a client of the others.
type ServiceConnectArgs struct {
	// NamespaceARN is the environment's Cloud Map namespace.
	NamespaceARN pulumi.StringInput
	// Namespace is the resource the services depend on.
	Namespace pulumi.Resource
	// MembersSecurityGroup is on every task of the environment; a server
	// admits it on the proxy port.
	MembersSecurityGroup *ec2.SecurityGroup
	// Servers are the environment's services with a port, sorted.
	Servers []string
}

// ServiceConnectPort is where a server's Service Connect proxy listens
// (ingressPortOverride): the other services' calls go through the proxy
// on this port, while the load balancer reaches the app on its container
// port directly (ECS API ServiceConnectService: "Use the value of this
// field to bypass the proxy for traffic on the port number specified in
// the named portMapping"), so the app behind the load balancer behaves as
// without Service Connect. A container port equal to it takes the next.
const ServiceConnectPort = 15001

// serviceConnectPort is ServiceConnectPort, or the next port when the
// container already listens on it.
func serviceConnectPort(containerPort int) int {
	if containerPort == ServiceConnectPort {
		return ServiceConnectPort + 1
	}
	return ServiceConnectPort
}

// Service is the app's task definition, its security group and the ECS
// service that keeps DesiredCount tasks of the latest revision running.
type Service struct {
	pulumi.ResourceState

	// SecurityGroup is the tasks' security group.
	SecurityGroup *ec2.SecurityGroup
	// TaskDefinition is the current revision.
	TaskDefinition *ecs.TaskDefinition
	// Service is the ECS service.
	Service *ecs.Service
	// ScalingTarget is set when autoscaling is on.
	ScalingTarget *appautoscaling.Target

	// members is the environment's members group, nil in a one-service
	// stack.
	members *ec2.SecurityGroup
}

// AppContainer builds the app's container definition from typed values.
func AppContainer(c *Config, image, logGroup, region string, secretNames, secretRefs []string) ContainerDefinition {
	env := map[string]string{
		"DRAIN_DELAY": Seconds(c.DrainDelaySeconds),
		// The app must be done before ECS sends SIGKILL at stopTimeout:
		// drain, then at most this long for in-flight requests, with 2 s
		// to spare for process exit.
		"SHUTDOWN_TIMEOUT": Seconds(ShutdownTimeout(c)),
	}
	ports := []PortMapping{}
	if !c.Worker() {
		env["PORT"] = fmt.Sprint(c.ContainerPort)
		ports = append(ports, PortMapping{
			Name: "http", ContainerPort: c.ContainerPort, HostPort: c.ContainerPort, Protocol: "tcp", AppProtocol: "http",
		})
	}
	for k, v := range c.Environment {
		env[k] = v
	}
	def := ContainerDefinition{
		Name:           ContainerName,
		Image:          image,
		Essential:      true,
		PortMappings:   ports,
		Command:        c.Command,
		Environment:    SortedEnv(env),
		MountPoints:    []MountPoint{},
		VolumesFrom:    []any{},
		SystemControls: []any{},
		LogConfiguration: LogConfiguration{
			LogDriver: "awslogs",
			Options: map[string]string{
				"awslogs-group":         logGroup,
				"awslogs-region":        region,
				"awslogs-stream-prefix": LogStreamPrefix,
				// Never block the app on CloudWatch: a throttled log API
				// must not stall request handling.
				"mode":            "non-blocking",
				"max-buffer-size": "25m",
			},
		},
		StopTimeout:            c.StopTimeoutSeconds,
		User:                   "65532:65532",
		ReadonlyRootFilesystem: !c.ECSExec,
	}
	// nil means "not configured": the sample app's own health check; an
	// empty list (healthCheckCommand: []) means none.
	hc := c.HealthCheckCommand
	if hc == nil {
		hc = DefaultHealthCheckCommand
	}
	if len(hc) > 0 {
		// Exec form: the image needs no shell (distroless has none).
		def.HealthCheck = &HealthCheck{
			Command:  append([]string{"CMD"}, hc...),
			Interval: HealthCheckIntervalSec, Timeout: HealthCheckTimeoutSec, Retries: HealthCheckRetries, StartPeriod: HealthCheckStartPeriodSec,
		}
	}
	for i, name := range secretNames {
		def.Secrets = append(def.Secrets, Secret{Name: name, ValueFrom: secretRefs[i]})
	}
	if c.ECSExec {
		// ECS Exec runs the SSM agent inside the container: it needs an
		// init process to reap its children and a WRITABLE root
		// filesystem. AWS supports exec only on containers whose root is
		// writable (its amazon-ecs-exec-checker fails a task definition
		// with readonlyRootFilesystem: true, aws-containers/
		// amazon-ecs-exec-checker#21; read-only support is the open
		// request aws/containers-roadmap#1359). The agent writes under
		// /managed-agents, /var/lib/amazon and /var/log/amazon, and AWS
		// documents no complete list, so mounting volumes there is a
		// guess that breaks on the next agent release. The exception is
		// limited to stacks with ecsExec on (dev, sandboxes); prod keeps
		// a read-only root. docs/design.md, "Production shape", ECS Exec.
		def.LinuxParameters = &LinuxParameters{InitProcessEnabled: true}
	} else {
		// The app needs no capabilities at all.
		def.LinuxParameters = &LinuxParameters{Capabilities: &Capabilities{Drop: []string{"ALL"}}}
	}
	return def
}

// deploymentAlarms is the service's alarms block. A revision that starts
// but then fails requests or slows down trips the deployment alarms within
// its rollout, and ECS rolls it back. The block is ALWAYS sent: with no
// deployment alarms (alarms off, or no load balancer) it says enable and
// rollback false. Omitting it would not turn them off: the provider
// suppresses the diff of a removed alarms block
// (terraform-provider-aws internal/service/ecs/service.go, "alarms":
// DiffSuppressFunc verify.SuppressMissingOptionalConfigurationBlock), and
// its Update sends no alarms when the block is absent, so ECS would keep
// rolling back on alarms the same `up` deletes. The names stay the stack's
// deployment alarm names: ECS requires at least one (aws-sdk-go-v2 ecs
// validateDeploymentAlarms: AlarmNames is required, and the provider's
// expandAlarms drops an empty set). TestToggleOffIsActedOn checks every
// such block.
func deploymentAlarms(n Naming, a *Alarms) *ecs.ServiceAlarmsArgs {
	if a != nil && len(a.Deployment) > 0 {
		return &ecs.ServiceAlarmsArgs{AlarmNames: pulumi.ToStringArray(a.Deployment), Enable: pulumi.Bool(true), Rollback: pulumi.Bool(true)}
	}
	return &ecs.ServiceAlarmsArgs{AlarmNames: pulumi.ToStringArray(DeploymentAlarmNames(n)), Enable: pulumi.Bool(false), Rollback: pulumi.Bool(false)}
}

// securityGroups are the task's: its own, and in an environment the
// members group every service admits on its proxy port.
func (s *Service) securityGroups(args *ServiceArgs) pulumi.StringArray {
	groups := pulumi.StringArray{s.SecurityGroup.ID()}
	if sc := args.ServiceConnect; sc != nil {
		groups = append(groups, sc.MembersSecurityGroup.ID())
	}
	return groups
}

// serviceConnect is a service's Service Connect configuration: a client
// of the namespace always; a server at http://<name>:<containerPort> when
// it has a port (its own discovery name and client alias: discovery names
// are unique in a namespace, and every port mapping is named "http").
// The proxy's own logs go to the service's log group. Calls through the
// proxy time out after 15 s, the Service Connect default (ECS API
// TimeoutConfiguration perRequestTimeoutSeconds).
func serviceConnect(c *Config, sc *ServiceConnectArgs, logGroup, region pulumi.StringInput) *ecs.ServiceServiceConnectConfigurationArgs {
	out := &ecs.ServiceServiceConnectConfigurationArgs{
		Enabled:   pulumi.Bool(true),
		Namespace: sc.NamespaceARN,
		LogConfiguration: &ecs.ServiceServiceConnectConfigurationLogConfigurationArgs{
			LogDriver: pulumi.String("awslogs"),
			Options: pulumi.StringMap{
				"awslogs-group": logGroup, "awslogs-region": region, "awslogs-stream-prefix": pulumi.String("service-connect"),
			},
		},
	}
	if !c.Worker() {
		out.Services = ecs.ServiceServiceConnectConfigurationServiceArray{&ecs.ServiceServiceConnectConfigurationServiceArgs{
			PortName:            pulumi.String("http"),
			DiscoveryName:       pulumi.String(c.Name),
			IngressPortOverride: pulumi.Int(serviceConnectPort(c.ContainerPort)),
			ClientAlias: ecs.ServiceServiceConnectConfigurationServiceClientAliasArray{&ecs.ServiceServiceConnectConfigurationServiceClientAliasArgs{
				DnsName: pulumi.String(c.Name), Port: pulumi.Int(c.ContainerPort),
			}},
		}}
	}
	return out
}

// ShutdownTimeout is the app's SHUTDOWN_TIMEOUT in seconds: what is left of
// the stop timeout after the drain delay, less 2 s. LoadConfig guarantees it
// is at least 3.
func ShutdownTimeout(c *Config) int { return c.StopTimeoutSeconds - c.DrainDelaySeconds - 2 }

// NewService creates the security group, task definition, service and
// (when configured) the autoscaling target and policies.
func NewService(ctx *pulumi.Context, name string, args *ServiceArgs, opts ...pulumi.ResourceOption) (*Service, error) {
	s := &Service{}
	if err := ctx.RegisterComponentResource("fargateship:index:Service", name, s, opts...); err != nil {
		return nil, err
	}
	c := args.Config
	parent := pulumi.Parent(s)

	// EC2 group and rule descriptions allow only a-zA-Z0-9, space and
	// ._-:/()#,@[]+=&;{}!$* (no apostrophe); TestAWSRules checks every one.
	description := "App tasks: the container port in, all egress (ECR, logs, calls made by the app)"
	ingress := ec2.SecurityGroupIngressArray{}
	port := func(p int, desc string) *ec2.SecurityGroupIngressArgs {
		return &ec2.SecurityGroupIngressArgs{Protocol: pulumi.String("tcp"), FromPort: pulumi.Int(p), ToPort: pulumi.Int(p), Description: pulumi.String(desc)}
	}
	switch {
	case c.Worker():
		description = "Worker tasks: nothing in, all egress (ECR, logs, calls made by the app)"
	case args.Route != nil:
		rule := port(c.ContainerPort, "App port from the load balancer only")
		rule.SecurityGroups = pulumi.StringArray{args.Route.SecurityGroup.ID()}
		ingress = append(ingress, rule)
	case c.Internal:
		description = "Internal service tasks: the environment only, all egress (ECR, logs, calls made by the app)"
	default:
		rule := port(c.ContainerPort, "App port from the internet (no load balancer)")
		rule.CidrBlocks = pulumi.StringArray{pulumi.String("0.0.0.0/0")}
		ingress = append(ingress, rule)
	}
	if sc := args.ServiceConnect; sc != nil && !c.Worker() {
		// The environment's services, through their Service Connect proxy.
		rule := port(serviceConnectPort(c.ContainerPort), "Service Connect proxy port from the services of the environment")
		rule.SecurityGroups = pulumi.StringArray{sc.MembersSecurityGroup.ID()}
		ingress = append(ingress, rule)
	}
	var err error
	s.SecurityGroup, err = ec2.NewSecurityGroup(ctx, name, &ec2.SecurityGroupArgs{
		Description: pulumi.String(description),
		VpcId:       args.Network.VPCID,
		Ingress:     ingress,
		Egress: ec2.SecurityGroupEgressArray{&ec2.SecurityGroupEgressArgs{
			Description: pulumi.String("All egress"), Protocol: pulumi.String("-1"),
			FromPort: pulumi.Int(0), ToPort: pulumi.Int(0), CidrBlocks: pulumi.StringArray{pulumi.String("0.0.0.0/0")},
		}},
		Tags: args.Tags,
	}, parent)
	if err != nil {
		return nil, err
	}

	if sc := args.ServiceConnect; sc != nil {
		s.members = sc.MembersSecurityGroup
	}
	secretNames, secretRefs := args.SecretNames, pulumi.StringArray{}.ToStringArrayOutput()
	if len(secretNames) > 0 {
		secretRefs = args.SecretRefs
	}
	defs := pulumi.All(args.Image.Ref, args.Logs.App.Name, args.Region, secretRefs).ApplyT(func(v []any) (string, error) {
		return ContainerDefinitionsJSON(AppContainer(c, v[0].(string), v[1].(string), v[2].(string), secretNames, v[3].([]string)))
	}).(pulumi.StringOutput)

	s.TaskDefinition, err = ecs.NewTaskDefinition(ctx, name, &ecs.TaskDefinitionArgs{
		Family:                  pulumi.String(args.Naming.Name("", maxFamily)),
		RequiresCompatibilities: pulumi.StringArray{pulumi.String("FARGATE")},
		NetworkMode:             pulumi.String("awsvpc"),
		Cpu:                     pulumi.String(fmt.Sprint(c.CPU)),
		Memory:                  pulumi.String(fmt.Sprint(c.Memory)),
		RuntimePlatform: &ecs.TaskDefinitionRuntimePlatformArgs{
			OperatingSystemFamily: pulumi.String("LINUX"),
			CpuArchitecture:       pulumi.String(c.Architecture),
		},
		ExecutionRoleArn:     args.Roles.Execution.ARN,
		TaskRoleArn:          args.Roles.Task.ARN,
		ContainerDefinitions: defs,
		// Old revisions stay registered: `aws ecs update-service
		// --task-definition FAMILY:N` can always roll back to one.
		SkipDestroy: pulumi.Bool(true),
		Tags:        args.Tags,
		// The image must be pushed, and the roles must hold their policies
		// (pull, logs, secrets) before a task of this revision can start:
		// a task started earlier fails to pull or to read its secrets, and
		// each failure counts toward the circuit breaker.
	}, parent, pulumi.DependsOn(append(slices.Clone(args.Image.Deps), args.Roles.Policies...)))
	if err != nil {
		return nil, err
	}

	capacityProvider := "FARGATE"
	if c.Spot {
		capacityProvider = "FARGATE_SPOT"
	}
	svcArgs := &ecs.ServiceArgs{
		Name:           pulumi.String(args.Naming.Name("", maxServiceName)),
		Cluster:        args.Cluster.Cluster.Arn,
		TaskDefinition: s.TaskDefinition.Arn,
		DesiredCount:   pulumi.Int(c.DesiredCount),
		CapacityProviderStrategies: ecs.ServiceCapacityProviderStrategyArray{&ecs.ServiceCapacityProviderStrategyArgs{
			CapacityProvider: pulumi.String(capacityProvider), Weight: pulumi.Int(1), Base: pulumi.Int(0),
		}},
		PlatformVersion:    pulumi.String("LATEST"),
		SchedulingStrategy: pulumi.String("REPLICA"),
		NetworkConfiguration: &ecs.ServiceNetworkConfigurationArgs{
			Subnets:        args.Network.TaskSubnetIDs,
			SecurityGroups: s.securityGroups(args),
			AssignPublicIp: pulumi.Bool(c.AssignPublicIP),
		},
		DeploymentCircuitBreaker: &ecs.ServiceDeploymentCircuitBreakerArgs{
			Enable: pulumi.Bool(true), Rollback: pulumi.Bool(true),
		},
		// Every UpdateService starts a new deployment. Without it the
		// provider REPLACES the service when the capacity provider strategy
		// changes (spot on/off): terraform-provider-aws
		// internal/service/ecs/service.go, capacityProviderStrategyCustomizeDiff
		// forces new unless force_new_deployment is true; the replacement is
		// created before the old service is deleted, under the same name,
		// and ECS refuses it. With it, switching spot is an in-place update
		// that rolls the tasks onto the new capacity provider. The cost: any
		// other service update (desiredCount, grace period) also rolls the
		// tasks, under the same circuit breaker.
		ForceNewDeployment:              pulumi.Bool(true),
		DeploymentMinimumHealthyPercent: pulumi.Int(100),
		DeploymentMaximumPercent:        pulumi.Int(200),
		AvailabilityZoneRebalancing:     pulumi.String("ENABLED"),
		WaitForSteadyState:              pulumi.Bool(true),
		EnableEcsManagedTags:            pulumi.Bool(true),
		PropagateTags:                   pulumi.String("SERVICE"),
		EnableExecuteCommand:            pulumi.Bool(c.ECSExec),
		Tags:                            args.Tags,
	}
	deps := []pulumi.Resource{args.Cluster.CapacityProviders}
	if a := args.Alarms; a != nil {
		deps = append(deps, a.Resources...)
	}
	svcArgs.Alarms = deploymentAlarms(args.Naming, args.Alarms)
	if r := args.Route; r != nil {
		svcArgs.LoadBalancers = ecs.ServiceLoadBalancerArray{&ecs.ServiceLoadBalancerArgs{
			TargetGroupArn: r.TargetGroup.Arn,
			ContainerName:  pulumi.String(ContainerName),
			ContainerPort:  pulumi.Int(c.ContainerPort),
		}}
		svcArgs.HealthCheckGracePeriodSeconds = pulumi.Int(c.HealthCheckGracePeriodSecs)
		deps = append(deps, r.Ready...)
	}
	if sc := args.ServiceConnect; sc != nil {
		svcArgs.ServiceConnectConfiguration = serviceConnect(c, sc, args.Logs.App.Name, args.Region)
		deps = append(deps, sc.Namespace)
		// Running tasks learn the namespace's endpoints when they start
		// (ECS developer guide, Service Connect: "tasks that are already
		// running don't get the new endpoints"): a change of the set of
		// servers redeploys every service (triggers redeploy in place
		// with forceNewDeployment, terraform-provider-aws
		// internal/service/ecs/service.go triggersCustomizeDiff).
		svcArgs.Triggers = pulumi.StringMap{"serviceConnectServers": pulumi.String(strings.Join(sc.Servers, ","))}
	}
	svcOpts := []pulumi.ResourceOption{parent, pulumi.DependsOn(deps)}
	if c.Autoscaling() || c.ActiveHours != nil {
		// The autoscaler (or the active-hours schedule) owns the running
		// count once the service exists; re-applying desiredCount on every
		// `pulumi up` would undo its work.
		svcOpts = append(svcOpts, pulumi.IgnoreChanges([]string{"desiredCount"}))
	}
	s.Service, err = ecs.NewService(ctx, name, svcArgs, svcOpts...)
	if err != nil {
		return nil, err
	}
	if c.Autoscaling() || c.ActiveHours != nil {
		if err := s.autoscaling(ctx, name, args); err != nil {
			return nil, err
		}
	}
	return s, ctx.RegisterResourceOutputs(s, pulumi.Map{
		"serviceName":            s.Service.Name,
		"taskDefinitionArn":      s.TaskDefinition.Arn,
		"taskDefinitionRevision": s.TaskDefinition.Revision,
		"securityGroupId":        s.SecurityGroup.ID(),
	})
}

// autoscaling creates the scalable target and, with autoscaling on, target
// tracking on average CPU and, behind a load balancer, on requests per
// target; with active hours, the scheduled actions that wake and sleep it.
func (s *Service) autoscaling(ctx *pulumi.Context, name string, args *ServiceArgs) error {
	c := args.Config
	parent := pulumi.Parent(s)
	resourceID := pulumi.Sprintf("service/%s/%s", args.Cluster.Name, s.Service.Name)
	// Without autoscaling the target only carries the schedule: its bounds
	// pin the count to desiredCount while the service is awake.
	low, high := c.DesiredCount, c.DesiredCount
	if c.Autoscaling() {
		low, high = c.MinCount, c.MaxCount
	}
	targetOpts := []pulumi.ResourceOption{parent}
	if c.ActiveHours != nil {
		// The schedule moves the bounds to 0 and back; `pulumi up` must not
		// put them back at night. New bounds take effect at the next wake.
		targetOpts = append(targetOpts, pulumi.IgnoreChanges([]string{"minCapacity", "maxCapacity"}))
	}
	target, err := appautoscaling.NewTarget(ctx, name, &appautoscaling.TargetArgs{
		ServiceNamespace:  pulumi.String("ecs"),
		ScalableDimension: pulumi.String("ecs:service:DesiredCount"),
		ResourceId:        resourceID,
		MinCapacity:       pulumi.Int(low),
		MaxCapacity:       pulumi.Int(high),
		Tags:              args.Tags,
	}, targetOpts...)
	if err != nil {
		return err
	}
	s.ScalingTarget = target
	if a := c.ActiveHours; a != nil {
		for _, action := range []struct {
			suffix   string
			at       Clock
			min, max int
		}{{"wake", a.Start, low, high}, {"sleep", a.End, 0, 0}} {
			if _, err := appautoscaling.NewScheduledAction(ctx, name+"-"+action.suffix, &appautoscaling.ScheduledActionArgs{
				Name:              pulumi.String(args.Naming.Name(action.suffix, 255)),
				ServiceNamespace:  target.ServiceNamespace,
				ScalableDimension: target.ScalableDimension,
				ResourceId:        target.ResourceId,
				Schedule:          pulumi.String(a.Cron(action.at)),
				Timezone:          pulumi.String(c.Timezone),
				ScalableTargetAction: &appautoscaling.ScheduledActionScalableTargetActionArgs{
					MinCapacity: pulumi.Int(action.min), MaxCapacity: pulumi.Int(action.max),
				},
			}, parent); err != nil {
				return err
			}
		}
	}
	if !c.Autoscaling() {
		return nil
	}
	policy := func(suffix, metric string, value float64, label pulumi.StringInput) error {
		spec := &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationPredefinedMetricSpecificationArgs{
			PredefinedMetricType: pulumi.String(metric),
		}
		if label != nil {
			spec.ResourceLabel = label
		}
		_, err := appautoscaling.NewPolicy(ctx, name+"-"+suffix, &appautoscaling.PolicyArgs{
			PolicyType:        pulumi.String("TargetTrackingScaling"),
			ServiceNamespace:  target.ServiceNamespace,
			ScalableDimension: target.ScalableDimension,
			ResourceId:        target.ResourceId,
			TargetTrackingScalingPolicyConfiguration: &appautoscaling.PolicyTargetTrackingScalingPolicyConfigurationArgs{
				PredefinedMetricSpecification: spec,
				TargetValue:                   pulumi.Float64(value),
				// Scale out fast, scale in slowly: capacity is cheap next
				// to dropped requests.
				ScaleOutCooldown: pulumi.Int(60),
				ScaleInCooldown:  pulumi.Int(300),
			},
		}, parent)
		return err
	}
	if err := policy("cpu", "ECSServiceAverageCPUUtilization", float64(c.CPUTargetPercent), nil); err != nil {
		return err
	}
	if r := args.Route; r != nil && c.RequestsPerTarget > 0 {
		label := pulumi.Sprintf("%s/%s", r.LoadBalancerSuffix, r.TargetGroup.ArnSuffix)
		if err := policy("requests", "ALBRequestCountPerTarget", float64(c.RequestsPerTarget), label); err != nil {
			return err
		}
	}
	return nil
}
