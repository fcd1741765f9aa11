package infra

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// TaskRolesArgs configures the two roles of the task.
type TaskRolesArgs struct {
	// Partition, Region and Account scope the trust policy.
	Partition, Region, Account pulumi.StringInput
	// SecretARNs are the Secrets Manager secrets the container receives
	// through the task definition's `secrets`; only the execution role may
	// read them.
	SecretARNs pulumi.StringArrayInput
	// LogGroupARN is the app's log group: the execution role writes its
	// streams (the awslogs driver runs as the execution role).
	LogGroupARN pulumi.StringInput
	// PullRepositoryARN is the ECR repository of the image, which the
	// execution role may pull from; empty for an image outside ECR.
	PullRepositoryARN pulumi.StringInput
	// HasSecrets says whether SecretARNs is non-empty (known before deploy).
	HasSecrets bool
	// KMSKeyARN, when set, is the customer managed key of the secrets.
	KMSKeyARN string
	// ECSExec grants the task role the ssmmessages channel actions and
	// write access to ExecLogGroupARN for session logs.
	ECSExec         bool
	ExecLogGroupARN pulumi.StringInput
	// Path is the IAM path of both roles, /<project>/: CI's deploy role
	// may only write and pass roles under it (see bootstrap/).
	Path string
	// PermissionsBoundaryARN, when set, caps both roles: whatever policy
	// is later attached, they can never exceed the boundary.
	PermissionsBoundaryARN string
	// ExecutionRoleARN and TaskRoleARN, when set, are roles the CI
	// bootstrap created: no role is created, the policies go on these.
	ExecutionRoleARN, TaskRoleARN string
	// Tags go on both roles.
	Tags pulumi.StringMap
}

// TaskRoles are the execution role, used by the ECS agent to pull the image,
// write logs and fetch secrets before the app starts, and the task role,
// which is what the app's own AWS SDK calls run as. Keeping them apart means
// the app can never read its own secrets' source or pull images, and the
// agent never gets the app's permissions.
type TaskRoles struct {
	pulumi.ResourceState

	// Execution is the task execution role.
	Execution ServiceRole
	// Task is the task role (empty by default).
	Task ServiceRole
	// Policies are the roles' policy attachments and inline policies. IAM
	// is eventually consistent and a role without its policies cannot
	// pull, log or read secrets: whatever starts tasks depends on them.
	Policies []pulumi.Resource
}

// ECS Exec channel actions (the only ones the SSM agent in the task needs).
var ssmMessagesActions = []string{
	"ssmmessages:CreateControlChannel",
	"ssmmessages:CreateDataChannel",
	"ssmmessages:OpenControlChannel",
	"ssmmessages:OpenDataChannel",
}

// NewTaskRoles creates both roles and their policies.
func NewTaskRoles(ctx *pulumi.Context, name string, args *TaskRolesArgs, opts ...pulumi.ResourceOption) (*TaskRoles, error) {
	t := &TaskRoles{}
	if err := ctx.RegisterComponentResource("fargateship:index:TaskRoles", name, t, opts...); err != nil {
		return nil, err
	}
	trust := pulumi.All(args.Partition, args.Region, args.Account).ApplyT(func(v []any) (string, error) {
		return ECSTasksTrust(v[0].(string), v[1].(string), v[2].(string)).JSON()
	}).(pulumi.StringOutput)

	// Both roles share the trust policy, boundary and tags.
	role := func(suffix, existingARN, description string) (ServiceRole, error) {
		return newServiceRole(ctx, name+"-"+suffix, existingARN, &iam.RoleArgs{
			Description:         pulumi.String(description),
			AssumeRolePolicy:    trust,
			Path:                pulumi.String(args.Path),
			PermissionsBoundary: permissionsBoundary(args.PermissionsBoundaryARN),
			Tags:                args.Tags,
		}, pulumi.Parent(t))
	}
	var err error
	t.Execution, err = role("execution", args.ExecutionRoleARN, "ECS task execution role: pulls the image, writes logs, reads the task's secrets")
	if err != nil {
		return nil, err
	}
	// The execution role's own policy instead of the managed
	// AmazonECSTaskExecutionRolePolicy, which allows pulling from every
	// repository and writing to every log group of the account: pull from
	// exactly the image's repository, write to exactly the app's log group.
	basics := pulumi.All(args.LogGroupARN, args.PullRepositoryARN).ApplyT(func(v []any) (string, error) {
		st := []Statement{{Sid: "WriteAppLogs", Effect: "Allow", Action: []string{"logs:CreateLogStream", "logs:PutLogEvents"},
			Resource: []string{v[0].(string), v[0].(string) + ":*"}}}
		if repo, _ := v[1].(string); repo != "" {
			st = append(st,
				// GetAuthorizationToken has no resource-level scoping.
				Statement{Sid: "RegistryLogin", Effect: "Allow", Action: []string{"ecr:GetAuthorizationToken"}, Resource: []string{"*"}},
				Statement{Sid: "PullAppImage", Effect: "Allow",
					Action:   []string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"},
					Resource: []string{repo}})
		}
		return NewPolicy(st...).JSON()
	}).(pulumi.StringOutput)
	// policy puts an inline policy on a role and records it in Policies.
	policy := func(suffix string, role ServiceRole, doc pulumi.StringInput) error {
		p, err := iam.NewRolePolicy(ctx, name+"-"+suffix, &iam.RolePolicyArgs{Role: role.Name, Policy: doc}, pulumi.Parent(t))
		if err == nil {
			t.Policies = append(t.Policies, p)
		}
		return err
	}
	if err := policy("execution", t.Execution, basics); err != nil {
		return nil, err
	}
	if args.HasSecrets {
		kmsKey := args.KMSKeyARN
		doc := args.SecretARNs.ToStringArrayOutput().ApplyT(func(arns []string) (string, error) {
			st := []Statement{{Sid: "ReadTaskSecrets", Effect: "Allow", Action: []string{"secretsmanager:GetSecretValue"}, Resource: arns}}
			if kmsKey != "" {
				st = append(st, Statement{Sid: "DecryptTaskSecrets", Effect: "Allow", Action: []string{"kms:Decrypt"}, Resource: []string{kmsKey}})
			}
			return NewPolicy(st...).JSON()
		}).(pulumi.StringOutput)
		if err := policy("execution-secrets", t.Execution, doc); err != nil {
			return nil, err
		}
	}

	t.Task, err = role("task", args.TaskRoleARN, "ECS task role: the app's own AWS permissions (none by default)")
	if err != nil {
		return nil, err
	}
	if args.ECSExec {
		doc := args.ExecLogGroupARN.ToStringOutput().ApplyT(func(group string) (string, error) {
			return NewPolicy(
				Statement{Sid: "ExecChannels", Effect: "Allow", Action: ssmMessagesActions, Resource: []string{"*"}},
				// The agent looks the group up by name before writing;
				// DescribeLogGroups has no resource-level scoping.
				Statement{Sid: "ExecSessionLogLookup", Effect: "Allow", Action: []string{"logs:DescribeLogGroups"}, Resource: []string{"*"}},
				Statement{Sid: "ExecSessionLogs", Effect: "Allow",
					Action:   []string{"logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"},
					Resource: []string{group + ":*"}},
			).JSON()
		}).(pulumi.StringOutput)
		if err := policy("task-exec", t.Task, doc); err != nil {
			return nil, err
		}
	}
	return t, ctx.RegisterResourceOutputs(t, pulumi.Map{
		"executionRoleArn": t.Execution.ARN,
		"taskRoleArn":      t.Task.ARN,
	})
}
