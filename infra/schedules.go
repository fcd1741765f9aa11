package infra

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/scheduler"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// SchedulesArgs configures the scheduled one-off tasks of the
// environment's services.
type SchedulesArgs struct {
	// Naming names the schedule group.
	Naming Naming
	// Services are the services with jobs, each running its own current
	// task definition revision with a job's command, on its network.
	Services []ServiceJobs
	// ClusterARN is the environment's cluster.
	ClusterARN pulumi.StringInput
	// Subnets and AssignPublicIP place the tasks as the services'.
	Subnets        pulumi.StringArrayInput
	AssignPublicIP bool
	// Partition, Region and Account scope the role.
	Partition, Region, Account pulumi.StringInput
	// RolePath and PermissionsBoundaryARN are the role's path and boundary.
	RolePath               string
	PermissionsBoundaryARN string
	// SchedulerRoleARN, when set, is the role the CI bootstrap created: no
	// role is created, the policy goes on it.
	SchedulerRoleARN string
	// Tags go on the group and the role.
	Tags pulumi.StringMap
}

// ServiceJobs are one service's jobs and what they run.
type ServiceJobs struct {
	// Service is the service's name.
	Service string
	// Schedules are the jobs by name.
	Schedules map[string]Schedule
	// TaskDefinitionARN and TaskDefinitionFamily are the service's.
	TaskDefinitionARN    pulumi.StringInput
	TaskDefinitionFamily string
	// SecurityGroupIDs are the service's task security groups.
	SecurityGroupIDs pulumi.StringArrayInput
	// CapacityProvider is the service's.
	CapacityProvider string
	// ExecutionRoleARN and TaskRoleARN are the roles the scheduler may
	// pass for this service.
	ExecutionRoleARN, TaskRoleARN pulumi.StringInput
}

// Schedules are EventBridge Scheduler schedules, in a schedule group of
// the stack, each running the service's current task definition revision
// with its command replaced, through one role that may only run this
// family on this cluster and pass its two roles.
type Schedules struct {
	pulumi.ResourceState

	// Names are the schedule names, sorted.
	Names pulumi.StringArrayOutput
	// Group is the schedule group.
	Group *scheduler.ScheduleGroup
}

// ScheduleDescription is a schedule's description: the job and the stack,
// at most 17 + 64 + the stack's name length (well under 512).
func ScheduleDescription(job, base string) string {
	return "Scheduled task " + job + " of " + base
}

// MaxScheduleInput is the most a schedule target's input may hold
// (Scheduler API reference, Target Input: 1-8192 characters): the
// RunTask overrides with the job's command.
const MaxScheduleInput = 8192

// Retry policy: a job that could not be started (throttling, capacity) is
// tried twice more within the hour; a started task that fails is not
// retried (that is the job's own business).
const (
	scheduleRetries   = 2
	scheduleMaxAgeSec = 3600
)

// NewSchedules creates the group, the role and one schedule per job.
func NewSchedules(ctx *pulumi.Context, name string, args *SchedulesArgs, opts ...pulumi.ResourceOption) (*Schedules, error) {
	s := &Schedules{}
	if err := ctx.RegisterComponentResource("fargateship:index:Schedules", name, s, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(s)
	groupName := args.Naming.Name("", maxScheduleGroupName)
	group, err := scheduler.NewScheduleGroup(ctx, name, &scheduler.ScheduleGroupArgs{
		Name: pulumi.String(groupName),
		Tags: args.Tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	s.Group = group
	trust := pulumi.All(args.Partition, args.Region, args.Account).ApplyT(func(v []any) (string, error) {
		partition, region, account := v[0].(string), v[1].(string), v[2].(string)
		return ServiceTrust("scheduler.amazonaws.com", "arn:"+partition+":scheduler:"+region+":"+account+":schedule-group/"+groupName, account).JSON()
	}).(pulumi.StringOutput)
	role, err := newServiceRole(ctx, name, args.SchedulerRoleARN, &iam.RoleArgs{
		Description:         pulumi.String("EventBridge Scheduler: runs the scheduled tasks of " + args.Naming.Base),
		AssumeRolePolicy:    trust,
		Path:                pulumi.String(args.RolePath),
		PermissionsBoundary: permissionsBoundary(args.PermissionsBoundaryARN),
		Tags:                args.Tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	// Run each service's family on this cluster; pass each service's two
	// roles, to ECS tasks only.
	inputs := []any{args.Partition, args.Region, args.Account, args.ClusterARN}
	for _, sv := range args.Services {
		inputs = append(inputs, sv.ExecutionRoleARN, sv.TaskRoleARN)
	}
	policy, err := iam.NewRolePolicy(ctx, name, &iam.RolePolicyArgs{
		Role: role.Name,
		Policy: pulumi.All(inputs...).ApplyT(func(v []any) (string, error) {
			partition, region, account := v[0].(string), v[1].(string), v[2].(string)
			var families, roles []string
			for i, sv := range args.Services {
				families = append(families, "arn:"+partition+":ecs:"+region+":"+account+":task-definition/"+sv.TaskDefinitionFamily+":*")
				roles = append(roles, v[4+2*i].(string), v[5+2*i].(string))
			}
			return NewPolicy(
				Statement{Sid: "RunThisFamilyOnThisCluster", Effect: "Allow", Action: []string{"ecs:RunTask"},
					Resource:  families,
					Condition: map[string]map[string]string{"ArnEquals": {"ecs:cluster": v[3].(string)}}},
				Statement{Sid: "PassTheTaskRoles", Effect: "Allow", Action: []string{"iam:PassRole"},
					Resource:  roles,
					Condition: map[string]map[string]string{"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}},
			).JSON()
		}).(pulumi.StringOutput),
	}, parent)
	if err != nil {
		return nil, err
	}
	names := pulumi.StringArray{}
	for _, sv := range args.Services {
		for _, job := range sortedKeys(sv.Schedules) {
			sched, err := newSchedule(ctx, s, name, job, sv, args, group, role.ARN, policy)
			if err != nil {
				return nil, err
			}
			names = append(names, sched.Name)
		}
	}
	s.Names = names.ToStringArrayOutput()
	return s, ctx.RegisterResourceOutputs(s, pulumi.Map{"scheduleNames": s.Names, "groupName": group.Name})
}

// newSchedule is one job: app's named as in a one-service stack (logical
// "<component>-<job>", physical "<job>"), any other service's
// "<component>-<service>-<job>" and "<service>-<job>" (ScheduleName).
func newSchedule(ctx *pulumi.Context, s *Schedules, name, job string, sv ServiceJobs, args *SchedulesArgs,
	group *scheduler.ScheduleGroup, roleARN pulumi.StringInput, policy pulumi.Resource) (*scheduler.Schedule, error) {
	sc := sv.Schedules[job]
	logical := name + "-" + job
	if sv.Service != AppService {
		logical = name + "-" + sv.Service + "-" + job
	}
	ecsParams := &scheduler.ScheduleTargetEcsParametersArgs{
		TaskDefinitionArn: sv.TaskDefinitionARN,
		TaskCount:         pulumi.Int(1),
		PlatformVersion:   pulumi.String("LATEST"),
		NetworkConfiguration: &scheduler.ScheduleTargetEcsParametersNetworkConfigurationArgs{
			Subnets:        args.Subnets,
			SecurityGroups: sv.SecurityGroupIDs,
			AssignPublicIp: pulumi.Bool(args.AssignPublicIP),
		},
	}
	if args.AssignPublicIP {
		// EventBridge Scheduler accepts a public IP only with launch
		// type FARGATE (Scheduler API reference, AwsVpcConfiguration,
		// AssignPublicIp: "You can specify ENABLED only when the
		// LaunchType in EcsParameters is set to FARGATE"), not with a
		// capacity provider strategy: jobs of a stack with public IPs
		// (default-vpc) run on on-demand Fargate, even with spot.
		ecsParams.LaunchType = pulumi.String("FARGATE")
	} else {
		ecsParams.CapacityProviderStrategies = scheduler.ScheduleTargetEcsParametersCapacityProviderStrategyArray{
			&scheduler.ScheduleTargetEcsParametersCapacityProviderStrategyArgs{
				CapacityProvider: pulumi.String(sv.CapacityProvider), Weight: pulumi.Int(1), Base: pulumi.Int(0),
			},
		}
	}
	physical := ScheduleName(sv.Service, job)
	return scheduler.NewSchedule(ctx, logical, &scheduler.ScheduleArgs{
		Name:      pulumi.String(physical),
		GroupName: group.Name,
		// The command is in the target's input, not here: a description
		// is at most 512 characters (Scheduler API reference,
		// CreateSchedule Description), a command up to the input's 8,192.
		Description:                pulumi.String(ScheduleDescription(physical, args.Naming.Base)),
		ScheduleExpression:         pulumi.String(sc.Expression),
		ScheduleExpressionTimezone: pulumi.String(sc.Timezone),
		FlexibleTimeWindow:         &scheduler.ScheduleFlexibleTimeWindowArgs{Mode: pulumi.String("OFF")},
		State:                      pulumi.String("ENABLED"),
		Target: &scheduler.ScheduleTargetArgs{
			Arn:           args.ClusterARN,
			RoleArn:       roleARN,
			Input:         pulumi.String(ContainerOverrides(sc.Command)),
			EcsParameters: ecsParams,
			RetryPolicy: &scheduler.ScheduleTargetRetryPolicyArgs{
				MaximumRetryAttempts:     pulumi.Int(scheduleRetries),
				MaximumEventAgeInSeconds: pulumi.Int(scheduleMaxAgeSec),
			},
		},
	}, pulumi.Parent(s), pulumi.DependsOn([]pulumi.Resource{policy}))
}
