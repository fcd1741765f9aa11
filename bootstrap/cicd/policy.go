package cicd

import "encoding/json"

// GitHub's OIDC issuer and the audience configure-aws-credentials asks for.
const (
	GitHubOIDCURL      = "https://token.actions.githubusercontent.com"
	GitHubOIDCHost     = "token.actions.githubusercontent.com"
	GitHubOIDCAudience = "sts.amazonaws.com"
)

// PolicyDocument is an IAM policy document. Policies are typed Go values,
// marshalled with encoding/json; nothing is assembled from JSON text.
type PolicyDocument struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one IAM policy statement.
type Statement struct {
	Sid       string     `json:"Sid,omitempty"`
	Effect    string     `json:"Effect"`
	Principal *Principal `json:"Principal,omitempty"`
	Action    []string   `json:"Action"`
	Resource  []string   `json:"Resource,omitempty"`
	Condition Conditions `json:"Condition,omitempty"`
}

// Principal names who a trust policy statement applies to.
type Principal struct {
	Federated string `json:"Federated,omitempty"`
	Service   string `json:"Service,omitempty"`
}

// Conditions maps an operator (StringEquals, StringLike, ...) to condition
// keys and their allowed values.
type Conditions map[string]map[string][]string

// NewPolicy returns a 2012-10-17 document with the statements.
func NewPolicy(statements ...Statement) PolicyDocument {
	return PolicyDocument{Version: "2012-10-17", Statement: statements}
}

// JSON marshals the document.
func (d PolicyDocument) JSON() (string, error) {
	b, err := json.Marshal(d)
	return string(b), err
}

func allow(sid string, actions, resources []string) Statement {
	return Statement{Sid: sid, Effect: "Allow", Action: actions, Resource: resources}
}

// PreviewTrust lets GitHub Actions runs of the repository's pull requests,
// and nothing else, assume the preview role through the OIDC provider.
func PreviewTrust(providerARN string, c Config) PolicyDocument {
	return NewPolicy(Statement{
		Sid:       "GitHubActionsPullRequests",
		Effect:    "Allow",
		Principal: &Principal{Federated: providerARN},
		Action:    []string{"sts:AssumeRoleWithWebIdentity"},
		Condition: Conditions{
			"StringEquals": {GitHubOIDCHost + ":aud": {GitHubOIDCAudience}},
			"StringLike":   {GitHubOIDCHost + ":sub": {c.PullRequestSubject()}},
		},
	})
}

// DeployTrust lets only runs on the deploy branch and jobs in the prod
// environment assume the deploy role. StringEquals: no wildcards.
func DeployTrust(providerARN string, c Config) PolicyDocument {
	return NewPolicy(Statement{
		Sid:       "GitHubActionsMainAndProd",
		Effect:    "Allow",
		Principal: &Principal{Federated: providerARN},
		Action:    []string{"sts:AssumeRoleWithWebIdentity"},
		Condition: Conditions{
			"StringEquals": {
				GitHubOIDCHost + ":aud": {GitHubOIDCAudience},
				GitHubOIDCHost + ":sub": c.DeploySubjects(),
			},
		},
	})
}

// BackendAccess is the policy both roles need for a self-managed backend:
// the state bucket (a preview writes a lock file) and the secrets key. It
// returns false when neither is configured.
func BackendAccess(c Config) (PolicyDocument, bool) {
	var st []Statement
	if b := c.StateBucketName; b != "" {
		bucket := "arn:aws:s3:::" + b
		st = append(st,
			allow("StateBucketList", []string{"s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketVersioning"}, []string{bucket}),
			allow("StateObjects", []string{"s3:GetObject", "s3:PutObject", "s3:DeleteObject"}, []string{bucket + "/*"}),
		)
	}
	if k := c.SecretsKMSKeyARN; k != "" {
		st = append(st, allow("SecretsProviderKey",
			[]string{"kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"}, []string{k}))
	}
	return NewPolicy(st...), len(st) > 0
}

// Actions of the task permissions boundary; see TaskBoundary.
var (
	ecrPullActions        = []string{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"}
	taskLogActions        = []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"}
	ecsExecChannelActions = []string{
		"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
		"ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
	}
)

// TaskBoundary is the permissions boundary of the main program's task roles
// (infra sets it on the execution and the task role when the stack has
// fargateship:permissionsBoundaryArn). It grants nothing by itself; it is
// the most those roles may ever do, whatever policies are put on them. It
// covers what infra gives them: the execution role's
// AmazonECSTaskExecutionRolePolicy (image pull from the project's
// repositories, writes to the project's log groups) and GetSecretValue on
// the stack's secrets (decrypting a customer managed key only through
// Secrets Manager), the task role's ECS Exec channels and session log
// writes. An app that needs more AWS access widens this document.
func TaskBoundary(c Config) PolicyDocument {
	p := c.ProjectName + "-"
	arn := func(service, resource string) string { return "arn:aws:" + service + ":*:*:" + resource }
	return NewPolicy(
		allow("EcrAuthToken", []string{"ecr:GetAuthorizationToken"}, []string{"*"}),
		allow("EcrPullProjectImages", ecrPullActions, []string{arn("ecr", "repository/"+p+"*")}),
		allow("WriteProjectLogs", taskLogActions, []string{
			arn("logs", "log-group:/ecs/"+p+"*"),
			arn("logs", "log-group:/ecs/"+p+"*:*"),
		}),
		allow("LookUpLogGroups", []string{"logs:DescribeLogGroups"}, []string{"*"}),
		allow("ReadProjectSecrets", []string{"secretsmanager:GetSecretValue"}, []string{arn("secretsmanager", "secret:"+p+"*")}),
		Statement{
			Sid: "DecryptSecretsViaSecretsManager", Effect: "Allow",
			Action:    []string{"kms:Decrypt"},
			Resource:  []string{"*"},
			Condition: Conditions{"StringLike": {"kms:ViaService": {"secretsmanager.*.amazonaws.com"}}},
		},
		allow("EcsExecChannels", ecsExecChannelActions, []string{"*"}),
	)
}

// TaskExecutionPolicyARN is the one managed policy the deploy role may
// attach (to the execution role).
const TaskExecutionPolicyARN = "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"

// CertificateKeyAlgorithm and CertificateValidationMethod are what the
// main program requests its ACM certificate with; the deploy role may
// request no other kind.
const (
	CertificateKeyAlgorithm     = "EC_prime256v1"
	CertificateValidationMethod = "DNS"
)

// CertificateRecordTypes are the only DNS record types the deploy role may
// change: the certificate's validation CNAME and the load balancer's alias A.
var CertificateRecordTypes = []string{"A", "CNAME"}

// DeployPermissions is what `pulumi up` and `pulumi destroy` of the main
// program, and the deploy verifier, need. Resources whose names the program
// chooses (ECR repository, log groups, cluster, service, task family,
// secrets: all "<project>-<stack>...") are scoped to the project prefix.
// IAM roles are auto-named but created under the IAM path /<project>/, so
// every role write and PassRole is scoped to that path (the CI roles are
// not under it), role writes additionally to the `project` tag the program
// puts on them, role policies to the one AWS managed policy the program
// attaches, and PassRole to ECS tasks. Every write that gives a role
// permissions (CreateRole, PutRolePolicy, AttachRolePolicy,
// PutRolePermissionsBoundary) additionally requires boundaryARN (the
// TaskBoundary policy) as the role's permissions boundary, so whatever a
// deploy writes into a task role, the role never exceeds the boundary; the
// boundary can be neither removed from a role nor edited. ACM certificates
// may only be requested with the project tag, DNS validation and the
// program's key algorithm, and changed or deleted only with the tag; DNS
// records only of types A and CNAME, in c.HostedZoneIDs when set. EC2
// networking, load balancers and autoscaling are limited to the listed
// actions on "*": their ARNs carry generated IDs known only after creation.
func DeployPermissions(c Config, boundaryARN string) PolicyDocument {
	p := c.ProjectName + "-"
	arn := func(service, resource string) string { return "arn:aws:" + service + ":*:*:" + resource }
	project := []string{c.ProjectName}
	bounded := []string{boundaryARN}
	allRoles := []string{"arn:aws:iam::*:role/*"}
	roles := c.TaskRoleARNs()
	certificates := []string{arn("acm", "certificate/*")}
	return NewPolicy(
		allow("Identity", []string{"sts:GetCallerIdentity"}, []string{"*"}),
		allow("EcrLogin", []string{"ecr:GetAuthorizationToken", "ecr:DescribeRepositories"}, []string{"*"}),
		allow("EcrRepository", []string{"ecr:*"}, []string{arn("ecr", "repository/"+p+"*")}),
		allow("EcsRead", []string{
			"ecs:Describe*", "ecs:List*",
			"ecs:RegisterTaskDefinition", "ecs:DeregisterTaskDefinition",
			"ecs:CreateCluster",
		}, []string{"*"}),
		allow("EcsProject", []string{"ecs:*"}, []string{
			arn("ecs", "cluster/"+p+"*"),
			arn("ecs", "service/"+p+"*/*"),
			arn("ecs", "task/"+p+"*/*"),
			arn("ecs", "task-definition/"+p+"*:*"),
		}),
		allow("LogsRead", []string{"logs:DescribeLogGroups", "logs:ListTagsForResource"}, []string{"*"}),
		allow("LogsProject", []string{"logs:*"}, []string{
			arn("logs", "log-group:/ecs/"+p+"*"),
			arn("logs", "log-group:/ecs/"+p+"*:*"),
		}),
		allow("SecretsProject", []string{"secretsmanager:*"}, []string{arn("secretsmanager", "secret:"+p+"*")}),
		allow("SecretsRead", []string{"secretsmanager:ListSecrets", "secretsmanager:GetRandomPassword"}, []string{"*"}),
		allow("IamRead", []string{"iam:Get*", "iam:List*"}, []string{"*"}),
		Statement{
			Sid: "IamCreateBoundedTaggedRoles", Effect: "Allow",
			Action:   []string{"iam:CreateRole"},
			Resource: roles,
			Condition: Conditions{"StringEquals": {
				"aws:RequestTag/project":  project,
				"iam:PermissionsBoundary": bounded,
			}},
		},
		Statement{
			// Tags given in CreateRole (iam:TagRole has no
			// iam:PermissionsBoundary key, hence its own statement).
			Sid: "IamTagNewRoles", Effect: "Allow",
			Action:    []string{"iam:TagRole"},
			Resource:  roles,
			Condition: Conditions{"StringEquals": {"aws:RequestTag/project": project}},
		},
		Statement{
			Sid: "IamManageProjectRoles", Effect: "Allow",
			Action: []string{
				"iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
				"iam:DeleteRolePolicy", "iam:UntagRole", "iam:TagRole",
			},
			Resource:  roles,
			Condition: Conditions{"StringEquals": {"iam:ResourceTag/project": project}},
		},
		Statement{
			Sid: "IamWriteBoundedRolePolicies", Effect: "Allow",
			Action:   []string{"iam:PutRolePolicy", "iam:PutRolePermissionsBoundary"},
			Resource: roles,
			Condition: Conditions{"StringEquals": {
				"iam:ResourceTag/project": project,
				"iam:PermissionsBoundary": bounded,
			}},
		},
		Statement{
			Sid: "IamAttachTaskExecutionPolicyToBoundedRoles", Effect: "Allow",
			Action:   []string{"iam:AttachRolePolicy"},
			Resource: roles,
			Condition: Conditions{"StringEquals": {
				"iam:ResourceTag/project": project,
				"iam:PolicyARN":           {TaskExecutionPolicyARN},
				"iam:PermissionsBoundary": bounded,
			}},
		},
		Statement{
			// Detaching only removes permissions; no boundary required, so
			// roles created before the boundary can still be cleaned up.
			Sid: "IamDetachTaskExecutionPolicy", Effect: "Allow",
			Action:   []string{"iam:DetachRolePolicy"},
			Resource: roles,
			Condition: Conditions{"StringEquals": {
				"iam:ResourceTag/project": project,
				"iam:PolicyARN":           {TaskExecutionPolicyARN},
			}},
		},
		Statement{
			Sid: "IamPassRoleToEcsTasks", Effect: "Allow",
			Action:    []string{"iam:PassRole"},
			Resource:  roles,
			Condition: Conditions{"StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}},
		},
		Statement{
			Sid: "IamServiceLinkedRoles", Effect: "Allow",
			Action:   []string{"iam:CreateServiceLinkedRole"},
			Resource: []string{"arn:aws:iam::*:role/aws-service-role/*"},
			Condition: Conditions{"StringEquals": {"iam:AWSServiceName": {
				"ecs.amazonaws.com",
				"elasticloadbalancing.amazonaws.com",
				"ecs.application-autoscaling.amazonaws.com",
			}}},
		},
		allow("Ec2Network", []string{
			"ec2:Describe*", "ec2:Get*",
			"ec2:CreateVpc", "ec2:DeleteVpc", "ec2:ModifyVpcAttribute",
			"ec2:CreateSubnet", "ec2:DeleteSubnet", "ec2:ModifySubnetAttribute",
			"ec2:CreateInternetGateway", "ec2:DeleteInternetGateway",
			"ec2:AttachInternetGateway", "ec2:DetachInternetGateway",
			"ec2:CreateRouteTable", "ec2:DeleteRouteTable", "ec2:CreateRoute", "ec2:DeleteRoute", "ec2:ReplaceRoute",
			"ec2:AssociateRouteTable", "ec2:DisassociateRouteTable",
			"ec2:AllocateAddress", "ec2:ReleaseAddress", "ec2:DisassociateAddress",
			"ec2:CreateNatGateway", "ec2:DeleteNatGateway",
			"ec2:CreateSecurityGroup", "ec2:DeleteSecurityGroup",
			"ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress",
			"ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress",
			"ec2:ModifySecurityGroupRules", "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
			"ec2:UpdateSecurityGroupRuleDescriptionsEgress",
			"ec2:CreateTags", "ec2:DeleteTags",
		}, []string{"*"}),
		allow("LoadBalancing", []string{"elasticloadbalancing:*"}, []string{"*"}),
		allow("Certificates", []string{"acm:DescribeCertificate", "acm:ListCertificates", "acm:ListTagsForCertificate"}, []string{"*"}),
		Statement{
			// RequestCertificate has no resource type (the certificate does
			// not exist yet), so "*", narrowed by the request's keys.
			Sid: "AcmRequestTaggedDnsCertificates", Effect: "Allow",
			Action:   []string{"acm:RequestCertificate"},
			Resource: []string{"*"},
			Condition: Conditions{"StringEquals": {
				"aws:RequestTag/project": project,
				"acm:ValidationMethod":   {CertificateValidationMethod},
				"acm:KeyAlgorithm":       {CertificateKeyAlgorithm},
			}},
		},
		Statement{
			// Tags given in RequestCertificate.
			Sid: "AcmTagNewCertificates", Effect: "Allow",
			Action:    []string{"acm:AddTagsToCertificate"},
			Resource:  certificates,
			Condition: Conditions{"StringEquals": {"aws:RequestTag/project": project}},
		},
		Statement{
			Sid: "AcmManageProjectCertificates", Effect: "Allow",
			Action: []string{
				"acm:DeleteCertificate", "acm:AddTagsToCertificate", "acm:RemoveTagsFromCertificate",
			},
			Resource:  certificates,
			Condition: Conditions{"StringEquals": {"aws:ResourceTag/project": project}},
		},
		allow("Route53Records", []string{
			"route53:ChangeResourceRecordSets", "route53:GetHostedZone", "route53:ListResourceRecordSets",
		}, c.HostedZoneARNs()),
		allow("Route53Changes", []string{"route53:GetChange"}, []string{"arn:aws:route53:::change/*"}),
		allow("Autoscaling", []string{
			"application-autoscaling:*",
			"cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:DescribeAlarms",
		}, []string{"*"}),
		Statement{
			Sid: "KmsThroughServices", Effect: "Allow",
			Action:   []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant"},
			Resource: []string{"*"},
			Condition: Conditions{"StringLike": {"kms:ViaService": {
				"ecr.*.amazonaws.com", "logs.*.amazonaws.com", "secretsmanager.*.amazonaws.com",
			}}},
		},
		// Explicit denies: they hold even if an allow above is widened.
		Statement{
			Sid: "DenyRemovingPermissionsBoundaries", Effect: "Deny",
			Action:   []string{"iam:DeleteRolePermissionsBoundary"},
			Resource: allRoles,
		},
		Statement{
			Sid: "DenyChangingTheBoundaryPolicy", Effect: "Deny",
			Action: []string{
				"iam:CreatePolicyVersion", "iam:DeletePolicy", "iam:DeletePolicyVersion", "iam:SetDefaultPolicyVersion",
			},
			Resource: bounded,
		},
		Statement{
			// The CI roles carry the project tag too; they are outside
			// the task role path, and this deny keeps them out of reach
			// even if an allow above is widened.
			Sid: "DenyChangingTheCIRoles", Effect: "Deny",
			Action: []string{
				"iam:UpdateAssumeRolePolicy", "iam:PutRolePolicy", "iam:DeleteRolePolicy",
				"iam:AttachRolePolicy", "iam:DetachRolePolicy", "iam:PutRolePermissionsBoundary",
				"iam:DeleteRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:TagRole", "iam:UntagRole",
			},
			Resource: c.CIRoleARNs(),
		},
		Statement{
			// Only the certificate's validation CNAME and the alias A
			// record: no NS, MX, TXT, ... in any zone.
			Sid: "DenyOtherDnsRecordTypes", Effect: "Deny",
			Action:    []string{"route53:ChangeResourceRecordSets"},
			Resource:  []string{"arn:aws:route53:::hostedzone/*"},
			Condition: Conditions{"ForAnyValue:StringNotEquals": {"route53:ChangeResourceRecordSetsRecordTypes": CertificateRecordTypes}},
		},
	)
}
