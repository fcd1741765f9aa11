package infra

import (
	"strings"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/iam"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ServiceRole is an IAM role the program gives to an AWS service (ECS
// tasks, VPC flow logs, EventBridge Scheduler): created here, or, when its
// ARN is configured, created once by the CI bootstrap, so that CI never
// creates a role or writes a trust policy. Either way the program writes
// the role's inline policies.
type ServiceRole struct {
	// ARN is the role's ARN.
	ARN pulumi.StringOutput
	// Name is what a RolePolicy attaches to.
	Name pulumi.StringInput
	// Role is the created role; nil for a configured one.
	Role *iam.Role
}

// RoleNameFromARN is the role name of arn:PARTITION:iam::ACCOUNT:role/PATH/NAME.
func RoleNameFromARN(arn string) string {
	return arn[strings.LastIndex(arn, "/")+1:]
}

// newServiceRole creates the role from args, unless existingARN is set.
func newServiceRole(ctx *pulumi.Context, name, existingARN string, args *iam.RoleArgs, opts ...pulumi.ResourceOption) (ServiceRole, error) {
	if existingARN != "" {
		return ServiceRole{
			ARN:  pulumi.String(existingARN).ToStringOutput(),
			Name: pulumi.String(RoleNameFromARN(existingARN)),
		}, nil
	}
	role, err := iam.NewRole(ctx, name, args, opts...)
	if err != nil {
		return ServiceRole{}, err
	}
	return ServiceRole{ARN: role.Arn, Name: role.ID(), Role: role}, nil
}

// permissionsBoundary is a role's PermissionsBoundary input: none when arn
// is empty.
func permissionsBoundary(arn string) pulumi.StringPtrInput {
	if arn == "" {
		return nil
	}
	return pulumi.String(arn)
}
