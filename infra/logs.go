package infra

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// LogsArgs configures the app's CloudWatch log groups.
type LogsArgs struct {
	// Name is the app log group name, e.g. /ecs/fargateship-dev.
	Name string
	// RetentionDays is how long CloudWatch keeps the logs.
	RetentionDays int
	// KMSKeyARN optionally encrypts the logs with a customer managed key
	// (its key policy must allow the CloudWatch Logs service principal).
	KMSKeyARN string
	// ExecSessions adds a second group for ECS Exec session transcripts,
	// Name + "/exec", or ExecGroupName (an environment without an app
	// service has a Logs with the exec group alone: Name empty).
	ExecSessions  bool
	ExecGroupName string
	// Protect keeps the log groups on `pulumi destroy`.
	Protect bool
	// Tags go on every log group.
	Tags pulumi.StringMap
}

// Logs holds the log group the awslogs driver writes to and, with ECS Exec
// on, the group that records exec sessions. Created by the program rather
// than by the awslogs driver (awslogs-create-group) so retention, tags and
// deletion are managed, and the execution role needs no logs:CreateLogGroup.
type Logs struct {
	pulumi.ResourceState

	// App is the container log group.
	App *cloudwatch.LogGroup
	// Exec is the ECS Exec session log group, nil when exec is off.
	Exec *cloudwatch.LogGroup
}

// NewLogs creates the log groups.
func NewLogs(ctx *pulumi.Context, name string, args *LogsArgs, opts ...pulumi.ResourceOption) (*Logs, error) {
	l := &Logs{}
	if err := ctx.RegisterComponentResource("fargateship:index:Logs", name, l, opts...); err != nil {
		return nil, err
	}
	group := func(suffix, physical string) (*cloudwatch.LogGroup, error) {
		a := &cloudwatch.LogGroupArgs{
			Name:            pulumi.String(physical),
			RetentionInDays: pulumi.Int(args.RetentionDays),
			LogGroupClass:   pulumi.String("STANDARD"),
			Tags:            args.Tags,
		}
		if args.KMSKeyARN != "" {
			a.KmsKeyId = pulumi.String(args.KMSKeyARN)
		}
		return cloudwatch.NewLogGroup(ctx, name+suffix, a, pulumi.Parent(l), pulumi.Protect(args.Protect))
	}
	var err error
	outputs := pulumi.Map{}
	if args.Name != "" {
		if l.App, err = group("", args.Name); err != nil {
			return nil, err
		}
		outputs["appLogGroupName"] = l.App.Name
	}
	if args.ExecSessions {
		if l.Exec, err = group("-exec", args.ExecName()); err != nil {
			return nil, err
		}
		outputs["execLogGroupName"] = l.Exec.Name
	}
	return l, ctx.RegisterResourceOutputs(l, outputs)
}

// ExecName is the exec session group's name.
func (a *LogsArgs) ExecName() string {
	if a.ExecGroupName != "" {
		return a.ExecGroupName
	}
	return a.Name + "/exec"
}
