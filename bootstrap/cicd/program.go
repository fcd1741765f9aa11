// Package cicd is the one-time CI bootstrap: the GitHub Actions OIDC
// identity provider and the two roles the workflows assume.
package cicd

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ReadOnlyPolicyARN is attached to the preview role.
const ReadOnlyPolicyARN = "arn:aws:iam::aws:policy/ReadOnlyAccess"

// Program creates (or reuses) the GitHub OIDC provider, the preview role,
// the task roles' permissions boundary policy and the deploy role, and
// exports their ARNs: the roles' for the repository variables
// AWS_PREVIEW_ROLE_ARN and AWS_DEPLOY_ROLE_ARN, the boundary's for the main
// program's fargateship:permissionsBoundaryArn.
func Program(ctx *pulumi.Context) error {
	cfg, err := LoadConfig(ctx)
	if err != nil {
		return err
	}
	tags := pulumi.StringMap{
		"project":    pulumi.String(cfg.ProjectName),
		"managed-by": pulumi.String("pulumi"),
		"purpose":    pulumi.String("github-actions"),
	}

	var providerARN pulumi.StringOutput
	if cfg.ExistingOIDCProviderARN != "" {
		providerARN = pulumi.String(cfg.ExistingOIDCProviderARN).ToStringOutput()
	} else {
		provider, err := iam.NewOpenIdConnectProvider(ctx, "github", &iam.OpenIdConnectProviderArgs{
			Url:           pulumi.String(GitHubOIDCURL),
			ClientIdLists: pulumi.StringArray{pulumi.String(GitHubOIDCAudience)},
			Tags:          tags,
		})
		if err != nil {
			return err
		}
		providerARN = provider.Arn
	}

	trust := func(build func(string, Config) PolicyDocument) pulumi.StringOutput {
		return providerARN.ApplyT(func(arn string) (string, error) {
			return build(arn, cfg).JSON()
		}).(pulumi.StringOutput)
	}

	preview, err := iam.NewRole(ctx, "preview", &iam.RoleArgs{
		Name:               pulumi.String(cfg.PreviewRoleName()),
		Path:               pulumi.String(CIRolePath),
		Description:        pulumi.String("GitHub Actions pull requests of " + cfg.GitHubRepository + ": read-only, for pulumi preview"),
		AssumeRolePolicy:   trust(PreviewTrust),
		MaxSessionDuration: pulumi.Int(3600),
		Tags:               tags,
	})
	if err != nil {
		return err
	}
	if _, err := iam.NewRolePolicyAttachment(ctx, "preview-readonly", &iam.RolePolicyAttachmentArgs{
		Role:      preview.Name,
		PolicyArn: pulumi.String(ReadOnlyPolicyARN),
	}); err != nil {
		return err
	}

	// The deploy role may only create and write roles that carry this
	// boundary, so it must exist before the deploy role's permissions.
	boundaryDoc, err := TaskBoundary(cfg).JSON()
	if err != nil {
		return err
	}
	boundary, err := iam.NewPolicy(ctx, "task-boundary", &iam.PolicyArgs{
		Name:        pulumi.String(cfg.TaskBoundaryPolicyName()),
		Description: pulumi.String("Permissions boundary of the " + cfg.ProjectName + " ECS task roles: the most any task may do"),
		Policy:      pulumi.String(boundaryDoc),
		Tags: pulumi.StringMap{
			"project":    pulumi.String(cfg.ProjectName),
			"managed-by": pulumi.String("pulumi"),
			"purpose":    pulumi.String("ecs-task-permissions-boundary"),
		},
	})
	if err != nil {
		return err
	}

	deploy, err := iam.NewRole(ctx, "deploy", &iam.RoleArgs{
		Name:               pulumi.String(cfg.DeployRoleName()),
		Path:               pulumi.String(CIRolePath),
		Description:        pulumi.String("GitHub Actions on " + cfg.DeployBranch + " and environment " + cfg.ProdEnvironment + " of " + cfg.GitHubRepository + ": pulumi up"),
		AssumeRolePolicy:   trust(DeployTrust),
		MaxSessionDuration: pulumi.Int(3600),
		Tags:               tags,
	})
	if err != nil {
		return err
	}
	deployDoc := boundary.Arn.ApplyT(func(arn string) (string, error) {
		return DeployPermissions(cfg, arn).JSON()
	}).(pulumi.StringOutput)
	if _, err := iam.NewRolePolicy(ctx, "deploy-permissions", &iam.RolePolicyArgs{
		Role:   deploy.Name,
		Policy: deployDoc,
	}); err != nil {
		return err
	}

	if doc, ok := BackendAccess(cfg); ok {
		backendDoc, err := doc.JSON()
		if err != nil {
			return err
		}
		for _, r := range []struct {
			name string
			role *iam.Role
		}{{"preview-backend", preview}, {"deploy-backend", deploy}} {
			if _, err := iam.NewRolePolicy(ctx, r.name, &iam.RolePolicyArgs{
				Role:   r.role.Name,
				Policy: pulumi.String(backendDoc),
			}); err != nil {
				return err
			}
		}
	}

	ctx.Export("oidcProviderArn", providerARN)
	ctx.Export("previewRoleArn", preview.Arn)
	ctx.Export("deployRoleArn", deploy.Arn)
	ctx.Export("taskPermissionsBoundaryArn", boundary.Arn)
	return nil
}
