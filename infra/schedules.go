package infra

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/scheduler"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// SchedulesArgs configures the scheduled one-off tasks.
type SchedulesArgs struct {
	// Naming names the schedule group.
	Naming Naming
	// Schedules are the jobs by name.
	Schedules map[string]Schedule
	// Cluster, TaskDefinition and the network are the service's: each job
	// runs the current revision where the service runs.
	ClusterARN           pulumi.StringInput
	TaskDefinitionARN    pulumi.StringInput
	TaskDefinitionFamily string
	Subnets              pulumi.StringArrayInput
	SecurityGroupID      pulumi.StringInput
	AssignPublicIP       bool
	CapacityProvider     string
	// ExecutionRoleARN and TaskRoleARN are the only roles the scheduler
	// may pass.
	ExecutionRoleARN, TaskRoleARN pulumi.StringInput
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
	policy, err := iam.NewRolePolicy(ctx, name, &iam.RolePolicyArgs{
		Role: role.Name,
		Policy: pulumi.All(args.Partition, args.Region, args.Account, args.ClusterARN, args.ExecutionRoleARN, args.TaskRoleARN).ApplyT(
			func(v []any) (string, error) {
				partition, region, account := v[0].(string), v[1].(string), v[2].(string)
				return NewPolicy(
					Statement{Sid: "RunThisFamilyOnThisCluster", Effect: "Allow", Action: []string{"ecs:RunTask"},
						Resource:  []string{"arn:" + partition + ":ecs:" + region + ":" + account + ":task-definition/" + args.TaskDefinitionFamily + ":*"},
						Condition: map[string]map[string]string{"ArnEquals": {"ecs:cluster": v[3].(string)}}},
					Statement{Sid: "PassTheTaskRoles", Effect: "Allow", Action: []string{"iam:PassRole"},
						Resource:  []string{v[4].(string), v[5].(string)},
						Condition: map[string]map[string]string{"StringEquals": {"iam:PassedToService": "ecs-tasks.amazonaws.com"}}},
				).JSON()
			}).(pulumi.StringOutput),
	}, parent)
	if err != nil {
		return nil, err
	}
	names := pulumi.StringArray{}
	for _, job := range sortedKeys(args.Schedules) {
		sc := args.Schedules[job]
		ecsParams := &scheduler.ScheduleTargetEcsParametersArgs{
			TaskDefinitionArn: args.TaskDefinitionARN,
			TaskCount:         pulumi.Int(1),
			PlatformVersion:   pulumi.String("LATEST"),
			NetworkConfiguration: &scheduler.ScheduleTargetEcsParametersNetworkConfigurationArgs{
				Subnets:        args.Subnets,
				SecurityGroups: pulumi.StringArray{args.SecurityGroupID},
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
					CapacityProvider: pulumi.String(args.CapacityProvider), Weight: pulumi.Int(1), Base: pulumi.Int(0),
				},
			}
		}
		sched, err := scheduler.NewSchedule(ctx, name+"-"+job, &scheduler.ScheduleArgs{
			Name:      pulumi.String(job),
			GroupName: group.Name,
			// The command is in the target's input, not here: a description
			// is at most 512 characters (Scheduler API reference,
			// CreateSchedule Description), a command up to the input's 8,192.
			Description:                pulumi.String(ScheduleDescription(job, args.Naming.Base)),
			ScheduleExpression:         pulumi.String(sc.Expression),
			ScheduleExpressionTimezone: pulumi.String(sc.Timezone),
			FlexibleTimeWindow:         &scheduler.ScheduleFlexibleTimeWindowArgs{Mode: pulumi.String("OFF")},
			State:                      pulumi.String("ENABLED"),
			Target: &scheduler.ScheduleTargetArgs{
				Arn:           args.ClusterARN,
				RoleArn:       role.ARN,
				Input:         pulumi.String(ContainerOverrides(sc.Command)),
				EcsParameters: ecsParams,
				RetryPolicy: &scheduler.ScheduleTargetRetryPolicyArgs{
					MaximumRetryAttempts:     pulumi.Int(scheduleRetries),
					MaximumEventAgeInSeconds: pulumi.Int(scheduleMaxAgeSec),
				},
			},
		}, parent, pulumi.DependsOn([]pulumi.Resource{policy}))
		if err != nil {
			return nil, err
		}
		names = append(names, sched.Name)
	}
	s.Names = names.ToStringArrayOutput()
	return s, ctx.RegisterResourceOutputs(s, pulumi.Map{"scheduleNames": s.Names, "groupName": group.Name})
}
