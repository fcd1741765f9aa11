// Package cicd is the one-time CI bootstrap: the GitHub Actions OIDC
// identity provider, one role per CI job kind (pull-request preview, dev
// deploy, prod deploy, sandbox reaper), the roles the dev and prod stacks
// run with (ECS execution and task roles, VPC flow log role, EventBridge
// Scheduler role) and their permissions boundary.
package cicd

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Session limits of the roles (IAM MaxSessionDuration, seconds). A deploy
// job may run for DeployJobMinutes (the workflows' timeout-minutes of the
// deploy jobs); its credentials are requested for the same length, so they
// outlive every step of the job. See docs/delivery.md for the numbers.
const (
	PreviewSessionSeconds = 3600
	DeploySessionSeconds  = 3 * 3600
	ReaperSessionSeconds  = 2 * 3600
)

// PolicyPartDescription is the description of a CI role's n-th managed
// policy: it must not depend on how many parts there are.
func PolicyPartDescription(roleName string, n int) string {
	return fmt.Sprintf("Permissions of %s, part %d (split to fit the IAM managed policy size quota)", roleName, n)
}

// Program creates (or reuses) the GitHub OIDC provider, the four CI roles,
// the boundary policy and the dev and prod task roles, and exports their
// ARNs: the CI roles' for the repository variables AWS_PREVIEW_ROLE_ARN,
// AWS_DEV_DEPLOY_ROLE_ARN, AWS_PROD_DEPLOY_ROLE_ARN, AWS_REAPER_ROLE_ARN;
// the stack roles' and the boundary's for the main program's stack config
// (executionRoleArn, taskRoleArn, flowLogsRoleArn, schedulerRoleArn,
// permissionsBoundaryArn; docs/delivery.md).
func Program(ctx *pulumi.Context) error {
	cfg, err := LoadConfig(ctx)
	if err != nil {
		return err
	}
	caller, err := aws.GetCallerIdentity(ctx, &aws.GetCallerIdentityArgs{})
	if err != nil {
		return err
	}
	account := caller.AccountId
	tags := func(extra ...string) pulumi.StringMap {
		m := pulumi.StringMap{
			"project":    pulumi.String(cfg.ProjectName),
			"managed-by": pulumi.String("pulumi"),
		}
		for i := 0; i+1 < len(extra); i += 2 {
			m[extra[i]] = pulumi.String(extra[i+1])
		}
		return m
	}

	var providerARN pulumi.StringOutput
	if cfg.ExistingOIDCProviderARN != "" {
		providerARN = pulumi.String(cfg.ExistingOIDCProviderARN).ToStringOutput()
	} else {
		provider, err := iam.NewOpenIdConnectProvider(ctx, "github", &iam.OpenIdConnectProviderArgs{
			Url:           pulumi.String(GitHubOIDCURL),
			ClientIdLists: pulumi.StringArray{pulumi.String(GitHubOIDCAudience)},
			Tags:          tags("purpose", "github-actions"),
		})
		if err != nil {
			return err
		}
		providerARN = provider.Arn
	}

	// The boundary of every task role; CI may write a task role's
	// policies only while it carries this boundary.
	boundaryDoc, err := TaskBoundary(cfg, account).JSON()
	if err != nil {
		return err
	}
	boundary, err := iam.NewPolicy(ctx, "task-boundary", &iam.PolicyArgs{
		Name:        pulumi.String(cfg.TaskBoundaryPolicyName()),
		Description: pulumi.String("Permissions boundary of the " + cfg.ProjectName + " ECS task roles: the most any task may do"),
		Policy:      pulumi.String(boundaryDoc),
		Tags:        tags("purpose", "ecs-task-permissions-boundary"),
	})
	if err != nil {
		return err
	}

	// The dev and prod stacks' roles: created here, once, with their
	// trust policy and boundary and no policy at all, so no CI role ever
	// creates a role or sets a trust policy. The main program writes their
	// inline policies (its own, scoped to the stack's resources: no AWS
	// managed policy, not even AmazonECSTaskExecutionRolePolicy, which
	// reaches every repository and log group of the account).
	taskRoleARNs := map[string]pulumi.StringOutput{}
	for _, stack := range []string{DevStack, ProdStack} {
		for _, kind := range TaskRoleKinds {
			trust := ECSTasksTrust(account)
			switch kind {
			case "flow-logs":
				trust = FlowLogsTrust(account)
			case "scheduler":
				trust = SchedulerTrust(account, cfg.ScheduleGroupName(stack))
			}
			trustDoc, err := trust.JSON()
			if err != nil {
				return err
			}
			role, err := iam.NewRole(ctx, stack+"-"+kind, &iam.RoleArgs{
				Name:                pulumi.String(cfg.TaskRoleName(stack, kind)),
				Path:                pulumi.String(cfg.TaskRolePath(stack)),
				Description:         pulumi.String(kind + " role of the " + cfg.ProjectName + " " + stack + " stack (CI writes its inline policies)"),
				AssumeRolePolicy:    pulumi.String(trustDoc),
				PermissionsBoundary: boundary.Arn,
				Tags:                tags("stack", stack),
			})
			if err != nil {
				return err
			}
			taskRoleARNs[stack+"-"+kind] = role.Arn
		}
	}

	// Each service of a stack's environment other than app: its own
	// execution and task roles, the same trust and boundary, no policy.
	serviceRoles := map[string]pulumi.Map{}
	for _, stack := range []string{DevStack, ProdStack} {
		roles := pulumi.Map{}
		for _, svc := range cfg.Services[stack] {
			arns := pulumi.Map{}
			for _, kind := range []string{"execution", "task"} {
				trustDoc, err := ECSTasksTrust(account).JSON()
				if err != nil {
					return err
				}
				role, err := iam.NewRole(ctx, stack+"-"+svc+"-"+kind, &iam.RoleArgs{
					Name:                pulumi.String(cfg.ServiceRoleName(stack, svc, kind)),
					Path:                pulumi.String(cfg.TaskRolePath(stack)),
					Description:         pulumi.String(kind + " role of service " + svc + " of the " + cfg.ProjectName + " " + stack + " stack (CI writes its inline policies)"),
					AssumeRolePolicy:    pulumi.String(trustDoc),
					PermissionsBoundary: boundary.Arn,
					Tags:                tags("stack", stack, "service", svc),
				})
				if err != nil {
					return err
				}
				arns[kind+"RoleArn"] = role.Arn
			}
			roles[svc] = arns
		}
		serviceRoles[stack] = roles
	}

	// ciRole creates one CI role with its trust policy and its
	// permissions as customer managed policies "<role>-1", "<role>-2", ...
	// (the documents are split to fit IAM's 6,144-character quota per
	// managed policy; a role may have 10 attached).
	ciRole := func(name, roleName, description string, seconds int,
		trust func(string, Config) PolicyDocument, permissions PolicyDocument) (*iam.Role, error) {
		role, err := iam.NewRole(ctx, name, &iam.RoleArgs{
			Name:        pulumi.String(roleName),
			Path:        pulumi.String(CIRolePath),
			Description: pulumi.String(description),
			AssumeRolePolicy: providerARN.ApplyT(func(arn string) (string, error) {
				return trust(arn, cfg).JSON()
			}).(pulumi.StringOutput),
			MaxSessionDuration: pulumi.Int(seconds),
			Tags:               tags("purpose", "github-actions"),
		})
		if err != nil {
			return nil, err
		}
		parts, err := permissions.Split(MaxManagedPolicyChars)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", roleName, err)
		}
		for i, part := range parts {
			doc, err := part.JSON()
			if err != nil {
				return nil, err
			}
			n := fmt.Sprintf("%s-%d", name, i+1)
			// The description is ForceNew on aws_iam_policy
			// (terraform-provider-aws internal/service/iam/policy.go), and
			// the name is fixed: a description that changed with the
			// number of parts ("part 1 of 2") replaced every part
			// create-before-delete under its own name when a config
			// change added a part, and IAM refused the create
			// (EntityAlreadyExists). It names only the part's position,
			// which the name holds too (TestBootstrapUpdateMatrix).
			policy, err := iam.NewPolicy(ctx, n, &iam.PolicyArgs{
				Name:        pulumi.Sprintf("%s-%d", roleName, i+1),
				Description: pulumi.String(PolicyPartDescription(roleName, i+1)),
				Policy:      pulumi.String(doc),
				Tags:        tags("purpose", "github-actions"),
			})
			if err != nil {
				return nil, err
			}
			if _, err := iam.NewRolePolicyAttachment(ctx, n, &iam.RolePolicyAttachmentArgs{
				Role:      role.Name,
				PolicyArn: policy.Arn,
			}); err != nil {
				return nil, err
			}
		}
		return role, nil
	}
	// The boundary's ARN, known before it exists: policy path "/".
	boundaryARN := "arn:aws:iam::" + account + ":policy/" + cfg.TaskBoundaryPolicyName()

	repo := cfg.GitHubRepository
	preview, err := ciRole("preview", cfg.PreviewRoleName(),
		"GitHub Actions pull requests of "+repo+": pulumi preview of "+DevStack+" (reads, dev state, dev lock)",
		PreviewSessionSeconds, PreviewTrust, PreviewPermissions(cfg, account))
	if err != nil {
		return err
	}
	devDeploy, err := ciRole("deploy-dev", cfg.DeployRoleName(DevStack),
		"GitHub Actions environment "+cfg.DevEnvironment+" on "+cfg.DeployBranch+" of "+repo+": pulumi up of "+DevStack,
		DeploySessionSeconds, DevDeployTrust, DeployPermissions(cfg, account, DevStack, boundaryARN))
	if err != nil {
		return err
	}
	prodDeploy, err := ciRole("deploy-prod", cfg.DeployRoleName(ProdStack),
		"GitHub Actions environment "+cfg.ProdEnvironment+" on "+cfg.DeployBranch+" of "+repo+": pulumi up of "+ProdStack,
		DeploySessionSeconds, ProdDeployTrust, DeployPermissions(cfg, account, ProdStack, boundaryARN))
	if err != nil {
		return err
	}
	reaper, err := ciRole("reaper", cfg.ReaperRoleName(),
		"GitHub Actions environment "+cfg.ReaperEnvironment+" on "+cfg.DeployBranch+" of "+repo+": pulumi destroy of expired sandboxes",
		ReaperSessionSeconds, ReaperTrust, ReaperPermissions(cfg, account))
	if err != nil {
		return err
	}

	ctx.Export("oidcProviderArn", providerARN)
	ctx.Export("previewRoleArn", preview.Arn)
	ctx.Export("devDeployRoleArn", devDeploy.Arn)
	ctx.Export("prodDeployRoleArn", prodDeploy.Arn)
	ctx.Export("reaperRoleArn", reaper.Arn)
	ctx.Export("taskPermissionsBoundaryArn", boundary.Arn)
	ctx.Export("devExecutionRoleArn", taskRoleARNs["dev-execution"])
	ctx.Export("devTaskRoleArn", taskRoleARNs["dev-task"])
	ctx.Export("prodExecutionRoleArn", taskRoleARNs["prod-execution"])
	ctx.Export("prodTaskRoleArn", taskRoleARNs["prod-task"])
	ctx.Export("devFlowLogsRoleArn", taskRoleARNs["dev-flow-logs"])
	ctx.Export("prodFlowLogsRoleArn", taskRoleARNs["prod-flow-logs"])
	ctx.Export("devSchedulerRoleArn", taskRoleARNs["dev-scheduler"])
	ctx.Export("prodSchedulerRoleArn", taskRoleARNs["prod-scheduler"])
	// Per service: {executionRoleArn, taskRoleArn}, the values of the main
	// program's services.<name>.executionRoleArn and .taskRoleArn.
	ctx.Export("devServiceRoles", serviceRoles[DevStack])
	ctx.Export("prodServiceRoles", serviceRoles[ProdStack])
	return nil
}
