package cicd

import (
	"encoding/json"
	"fmt"
	"strings"
)

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

// Statement is one IAM policy statement. There is deliberately no
// NotAction or NotResource: every statement names what it covers.
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

// MaxManagedPolicyChars is IAM's quota on one customer managed policy
// (whitespace not counted; encoding/json writes none).
const MaxManagedPolicyChars = 6144

// Split packs the document's statements, in order, into as few documents
// as possible that each fit maxChars: one managed policy each.
func (d PolicyDocument) Split(maxChars int) ([]PolicyDocument, error) {
	var out []PolicyDocument
	cur := NewPolicy()
	for _, s := range d.Statement {
		next := NewPolicy(append(append([]Statement{}, cur.Statement...), s)...)
		js, err := next.JSON()
		if err != nil {
			return nil, err
		}
		if len(js) <= maxChars {
			cur = next
			continue
		}
		if len(cur.Statement) == 0 {
			return nil, fmt.Errorf("statement %s alone is over %d characters", s.Sid, maxChars)
		}
		out = append(out, cur)
		cur = NewPolicy(s)
		if js, _ := cur.JSON(); len(js) > maxChars {
			return nil, fmt.Errorf("statement %s alone is over %d characters", s.Sid, maxChars)
		}
	}
	if len(cur.Statement) > 0 {
		out = append(out, cur)
	}
	return out, nil
}

func allow(sid string, actions, resources []string) Statement {
	return Statement{Sid: sid, Effect: "Allow", Action: actions, Resource: resources}
}

func deny(sid string, actions, resources []string) Statement {
	return Statement{Sid: sid, Effect: "Deny", Action: actions, Resource: resources}
}

func (s Statement) when(c Conditions) Statement {
	s.Condition = c
	return s
}

// githubTrust lets tokens of the repository whose subject matches assume
// a role. The audience is always exact; op is StringEquals (exact
// subjects) or StringLike (the pull-request pattern only).
func githubTrust(sid, providerARN, op, subject string) PolicyDocument {
	cond := Conditions{"StringEquals": {GitHubOIDCHost + ":aud": {GitHubOIDCAudience}}}
	if op == "StringEquals" {
		cond["StringEquals"][GitHubOIDCHost+":sub"] = []string{subject}
	} else {
		cond[op] = map[string][]string{GitHubOIDCHost + ":sub": {subject}}
	}
	return NewPolicy(Statement{
		Sid:       sid,
		Effect:    "Allow",
		Principal: &Principal{Federated: providerARN},
		Action:    []string{"sts:AssumeRoleWithWebIdentity"},
		Condition: cond,
	})
}

// PreviewTrust: pull_request jobs of the repository, any pull request.
func PreviewTrust(providerARN string, c Config) PolicyDocument {
	return githubTrust("GitHubActionsPullRequests", providerARN, "StringLike", c.PullRequestSubject())
}

// DevDeployTrust: jobs in the dev environment on the deploy branch only.
func DevDeployTrust(providerARN string, c Config) PolicyDocument {
	return githubTrust("GitHubActionsDevEnvironmentOnMain", providerARN, "StringEquals", c.DevDeploySubject())
}

// ProdDeployTrust: jobs in the prod environment on the deploy branch only.
// Both halves are checked by AWS, in the subject: GitHub issues
// "environment:prod" to any job that names the environment, whatever its
// ref, and only the customized subject (SubjectClaimKeys) adds the ref.
func ProdDeployTrust(providerARN string, c Config) PolicyDocument {
	return githubTrust("GitHubActionsProdEnvironmentOnMain", providerARN, "StringEquals", c.ProdDeploySubject())
}

// ReaperTrust: jobs in the reaper environment on the deploy branch only.
func ReaperTrust(providerARN string, c Config) PolicyDocument {
	return githubTrust("GitHubActionsReaperEnvironmentOnMain", providerARN, "StringEquals", c.ReaperSubject())
}

// ECSTasksTrust is the trust policy of the task roles the bootstrap
// creates: ECS tasks of this account only (confused-deputy guard), the
// same document as the main program's infra.ECSTasksTrust, in any region.
func ECSTasksTrust(account string) PolicyDocument {
	return NewPolicy(Statement{
		Sid:       "EcsTasksOfThisAccount",
		Effect:    "Allow",
		Principal: &Principal{Service: "ecs-tasks.amazonaws.com"},
		Action:    []string{"sts:AssumeRole"},
		Condition: Conditions{
			"StringEquals": {"aws:SourceAccount": {account}},
			"ArnLike":      {"aws:SourceArn": {"arn:aws:ecs:*:" + account + ":*"}},
		},
	})
}

// FlowLogsTrust is the trust policy of the VPC flow log roles the
// bootstrap creates: the flow logs service for this account's flow logs
// only (the main program's infra.ServiceTrust for vpc-flow-logs).
func FlowLogsTrust(account string) PolicyDocument {
	return NewPolicy(Statement{
		Sid:       "VpcFlowLogsOfThisAccount",
		Effect:    "Allow",
		Principal: &Principal{Service: "vpc-flow-logs.amazonaws.com"},
		Action:    []string{"sts:AssumeRole"},
		Condition: Conditions{
			"StringEquals": {"aws:SourceAccount": {account}},
			"ArnLike":      {"aws:SourceArn": {"arn:aws:ec2:*:" + account + ":vpc-flow-log/*"}},
		},
	})
}

// SchedulerTrust is the trust policy of a stack's EventBridge Scheduler
// role: the scheduler service, for this account's schedule group of the
// stack only (the main program's infra.ServiceTrust for
// scheduler.amazonaws.com in infra/schedules.go; EventBridge Scheduler
// User Guide, "Set up the execution role", confused-deputy conditions
// aws:SourceAccount and aws:SourceArn). The region is a wildcard, as in
// ECSTasksTrust and FlowLogsTrust: IAM is global and a stack's region is
// its own config, not the bootstrap's.
func SchedulerTrust(account, groupName string) PolicyDocument {
	return NewPolicy(Statement{
		Sid:       "SchedulerForTheStacksGroup",
		Effect:    "Allow",
		Principal: &Principal{Service: "scheduler.amazonaws.com"},
		Action:    []string{"sts:AssumeRole"},
		Condition: Conditions{
			"StringEquals": {"aws:SourceAccount": {account}},
			"ArnLike":      {"aws:SourceArn": {"arn:aws:scheduler:*:" + account + ":schedule-group/" + groupName}},
		},
	})
}

// Actions of the task permissions boundary; see TaskBoundary.
var (
	ecrPullActions        = []string{"ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"}
	ecsExecChannelActions = []string{
		"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel",
		"ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
	}
)

// TaskBoundary is the permissions boundary of the roles the main program's
// stacks run with (the bootstrap's own for dev and prod; a sandbox's when
// its stack sets fargateship:permissionsBoundaryArn). It grants nothing by
// itself; it is the most those roles may ever do, whatever policies are
// put on them. It is the union of the inline policies the main program
// writes, widened only from "this stack's" to "this project's, in this
// account" (one boundary serves every stack):
//   - execution role (infra/iam.go, NewTaskRoles "<name>-execution" and
//     "-execution-secrets"): ECR login, image pull from the project's
//     repositories, log stream writes to the project's /ecs/ groups,
//     GetSecretValue on the project's secrets and kms:Decrypt of this
//     account's keys only through Secrets Manager;
//   - task role with ECS Exec ("<name>-task-exec"): the ssmmessages
//     channels, DescribeLogGroups, and writes to the exec session groups;
//   - VPC flow log role (infra/network.go, flowLog): writes to the
//     project's /vpc/*/flow-logs groups;
//   - EventBridge Scheduler role (infra/schedules.go): ecs:RunTask of the
//     project's task definition families on the project's clusters, and
//     PassRole of the project's roles (path /<project>/) to ECS tasks only.
//
// No managed policy is attached to any of these roles. An app that needs
// more AWS access (its task role) widens this document.
func TaskBoundary(c Config, account string) PolicyDocument {
	p := c.ProjectName + "-"
	arn := func(service, resource string) string { return "arn:aws:" + service + ":*:" + account + ":" + resource }
	return NewPolicy(
		// Execution role.
		allow("EcrAuthToken", []string{"ecr:GetAuthorizationToken"}, []string{"*"}),
		allow("EcrPullProjectImages", ecrPullActions, []string{arn("ecr", "repository/"+p+"*")}),
		allow("WriteProjectTaskLogs", []string{"logs:CreateLogStream", "logs:PutLogEvents"}, []string{
			arn("logs", "log-group:/ecs/"+p+"*"),
			arn("logs", "log-group:/ecs/"+p+"*:*"),
		}),
		allow("ReadProjectSecrets", []string{"secretsmanager:GetSecretValue"}, []string{arn("secretsmanager", "secret:"+p+"*")}),
		allow("DecryptSecretsViaSecretsManager", []string{"kms:Decrypt"}, []string{arn("kms", "key/*")}).
			when(Conditions{"StringLike": {"kms:ViaService": {"secretsmanager.*.amazonaws.com"}}}),
		// Task role with ECS Exec.
		allow("EcsExecChannels", ecsExecChannelActions, []string{"*"}),
		allow("LookUpLogGroups", []string{"logs:DescribeLogGroups"}, []string{"*"}),
		allow("ExecSessionLogStreams", []string{"logs:DescribeLogStreams"}, []string{arn("logs", "log-group:/ecs/"+p+"*/exec:*")}),
		// VPC flow log role.
		// (DescribeLogGroups, which takes no resource, is LookUpLogGroups.)
		allow("WriteProjectFlowLogs", []string{"logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"}, []string{
			arn("logs", "log-group:/vpc/"+p+"*/flow-logs"),
			arn("logs", "log-group:/vpc/"+p+"*/flow-logs:*"),
		}),
		// EventBridge Scheduler role.
		allow("RunProjectTasksOnProjectClusters", []string{"ecs:RunTask"}, []string{arn("ecs", "task-definition/"+p+"*:*")}).
			when(Conditions{"ArnLike": {"ecs:cluster": {arn("ecs", "cluster/"+p+"*")}}}),
		allow("PassProjectRolesToEcsTasks", []string{"iam:PassRole"}, []string{"arn:aws:iam::" + account + ":role/" + c.ProjectName + "/*"}).
			when(Conditions{"StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}}),
	)
}

// CertificateKeyAlgorithm and CertificateValidationMethod are what the
// main program requests its ACM certificate with; the deploy roles may
// request no other kind.
const (
	CertificateKeyAlgorithm     = "EC_prime256v1"
	CertificateValidationMethod = "DNS"
)

// CertificateRecordTypes are the only DNS record types the deploy roles may
// change: the certificate's validation CNAME and the load balancer's alias A.
var CertificateRecordTypes = []string{"A", "CNAME"}

// Scope names what one CI role may touch: the account it runs in and the
// stack (or stack pattern) whose resources, state and key it gets.
type Scope struct {
	// Account is the 12-digit account id of the bootstrap's stack.
	Account string
	// Stack is "dev", "prod", or SandboxStacks ("sandbox-*").
	Stack string
}

// base is the name prefix of the stack's resources, "<project>-<stack>"
// (a pattern for the sandboxes).
func (s Scope) base(c Config) string { return c.ProjectName + "-" + s.Stack }

// arn builds an ARN of this account in any region.
func (s Scope) arn(service, resource string) string {
	return "arn:aws:" + service + ":*:" + s.Account + ":" + resource
}

// ResourceNames are the ARNs of the resources the main program names
// after the stack: ECR repository, ECS cluster/service/tasks/task
// definitions, log groups, Secrets Manager secrets, alarms, dashboard,
// alarm topic, ALB access log bucket, and the EventBridge Scheduler
// schedule group and its schedules.
func (s Scope) ResourceNames(c Config) map[string][]string {
	b := s.base(c)
	return map[string][]string{
		// A stack's services other than app are named <base>_<service>
		// (infra Naming.ForService): "_" is never in a stack's base, so
		// these patterns never reach stack <base>-x.
		"ecr": {s.arn("ecr", "repository/"+b), s.arn("ecr", "repository/"+b+"_*")},
		"ecs": {
			s.arn("ecs", "cluster/"+b),
			s.arn("ecs", "service/"+b+"/*"),
			s.arn("ecs", "task/"+b+"/*"),
			s.arn("ecs", "task-definition/"+b+":*"),
			s.arn("ecs", "task-definition/"+b+"_*:*"),
		},
		"logs": {
			s.arn("logs", "log-group:/ecs/"+b),
			s.arn("logs", "log-group:/ecs/"+b+":*"),
			s.arn("logs", "log-group:/ecs/"+b+"/*"),
			s.arn("logs", "log-group:/ecs/"+b+"_*"),
			s.arn("logs", "log-group:/vpc/"+b+"/flow-logs"),
			s.arn("logs", "log-group:/vpc/"+b+"/flow-logs:*"),
		},
		"secretsmanager": {s.arn("secretsmanager", "secret:"+b+"/*")},
		// The program's alarms (<base>-<suffix>) and the target tracking
		// alarms Application Auto Scaling names after the service.
		"cloudwatch": {
			s.arn("cloudwatch", "alarm:"+b+"-*"),
			s.arn("cloudwatch", "alarm:"+b+"_*"),
			s.arn("cloudwatch", "alarm:TargetTracking-service/"+b+"/*"),
		},
		"dashboard": {"arn:aws:cloudwatch::" + s.Account + ":dashboard/" + b},
		"sns":       {s.arn("sns", b+"-*")},
		// The ALB access log bucket (generated name, prefix <base>-alb-logs-).
		"s3": {"arn:aws:s3:::" + b + "-alb-logs-*", "arn:aws:s3:::" + b + "-alb-logs-*/*"},
		// The schedule group "<base>" and the schedules in it (Service
		// Authorization Reference, EventBridge Scheduler resource types:
		// schedule-group/${GroupName}, schedule/${GroupName}/${ScheduleName}).
		"scheduler": {
			s.arn("scheduler", "schedule-group/"+c.ScheduleGroupName(s.Stack)),
			s.arn("scheduler", "schedule/"+c.ScheduleGroupName(s.Stack)+"/*"),
		},
	}
}

// StateObjects are the Pulumi DIY backend's objects of the stack in the
// state bucket (pulumi/pulumi pkg/backend/diy/store.go and lock.go:
// .pulumi/stacks/<project>/<stack>.json[.gz|.zst][.bak],
// .pulumi/{history,backups,journal}/<project>/<stack>/...,
// .pulumi/locks/organization/<project>/<stack>/<id>.json).
func (s Scope) StateObjects(c Config) []string {
	if c.StateBucketName == "" {
		return nil
	}
	root := "arn:aws:s3:::" + c.StateBucketName + "/.pulumi/"
	p := c.ProjectName + "/" + s.Stack
	return []string{
		root + "stacks/" + p + ".json*",
		root + "history/" + p + "/*",
		root + "backups/" + p + "/*",
		root + "journal/" + p + "/*",
		root + "locks/organization/" + p + "/*",
	}
}

// StateLock is the stack's lock folder in the state bucket.
func (s Scope) StateLock(c Config) []string {
	if c.StateBucketName == "" {
		return nil
	}
	return []string{"arn:aws:s3:::" + c.StateBucketName + "/.pulumi/locks/organization/" + c.ProjectName + "/" + s.Stack + "/*"}
}

// stateStatements: list the bucket, read the backend's meta.yaml, and the
// given object access on the given objects.
func stateStatements(c Config, readObjects, writeObjects []string) []Statement {
	if c.StateBucketName == "" {
		return nil
	}
	bucket := "arn:aws:s3:::" + c.StateBucketName
	st := []Statement{
		allow("StateBucketList", []string{"s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketVersioning"}, []string{bucket}),
		allow("StateRead", []string{"s3:GetObject"}, append([]string{bucket + "/.pulumi/meta.yaml"}, readObjects...)),
	}
	if len(writeObjects) > 0 {
		st = append(st, allow("StateWrite", []string{"s3:PutObject", "s3:DeleteObject"}, writeObjects))
	}
	return st
}

// secretsKeyStatement grants the stack's secrets provider key, if any.
func secretsKeyStatement(c Config, stack string, actions []string) []Statement {
	key := c.SecretsKMSKeyARNs[stack]
	if key == "" {
		return nil
	}
	return []Statement{allow("StackSecretsKey", actions, []string{key})}
}

// otherStacksDeny explicitly denies every action on the named resources,
// task roles and state of the given stacks: a dev role never touches
// prod, a reaper never touches dev or prod, even if an allow is widened.
// One statement per stack (DenyOtherStacksProd, ...), so each fits one
// managed policy however long the names.
func otherStacksDeny(c Config, account string, stacks ...string) []Statement {
	var out []Statement
	for _, stack := range stacks {
		var res []string
		o := Scope{Account: account, Stack: stack}
		names := o.ResourceNames(c)
		for _, svc := range []string{"ecr", "ecs", "logs", "secretsmanager", "cloudwatch", "dashboard", "sns", "s3", "scheduler"} {
			res = append(res, names[svc]...)
		}
		res = append(res, c.TaskRoleARNs(account, stack)...)
		res = append(res, o.StateObjects(c)...)
		if key := c.SecretsKMSKeyARNs[stack]; key != "" {
			res = append(res, key)
		}
		out = append(out, deny("DenyOtherStacks"+stackSid(stack), []string{"*"}, res))
	}
	return out
}

// stackSid names a stack in a statement id: Dev, Prod, Sandboxes.
func stackSid(stack string) string {
	if stack == SandboxStacks {
		return "Sandboxes"
	}
	return strings.ToUpper(stack[:1]) + stack[1:]
}

// commonDenies hold for every CI role whatever its allows say.
func commonDenies(c Config, account string) []Statement {
	thisAccountKeys := "arn:aws:kms:*:" + account + ":key/*"
	return []Statement{
		// Resource policies hand resources to other accounts (public
		// images, cross-account secret reads, log streaming).
		deny("DenyResourcePolicies", []string{
			"ecr:SetRepositoryPolicy", "ecr:PutRegistryPolicy", "ecr:PutReplicationConfiguration",
			"secretsmanager:PutResourcePolicy", "logs:PutSubscriptionFilter", "logs:PutResourcePolicy",
			"logs:PutDestination", "logs:PutDestinationPolicy", "sns:AddPermission",
		}, []string{"*"}),
		// A secret (re-)keyed with another account's key: that account
		// could decrypt it, or revoke the key.
		deny("DenySecretsWithForeignKeys", []string{"secretsmanager:CreateSecret", "secretsmanager:UpdateSecret"}, []string{"*"}).
			when(Conditions{
				"Null":          {"secretsmanager:KmsKeyArn": {"false"}},
				"StringNotLike": {"secretsmanager:KmsKeyArn": {thisAccountKeys}},
			}),
		deny("DenyOtherAccountsKeys", []string{"kms:*"}, []string{"arn:aws:kms:*:*:key/*"}).
			when(Conditions{"StringNotEquals": {"aws:ResourceAccount": {account}}}),
		deny("DenyChangingBoundaries", []string{"iam:DeleteRolePermissionsBoundary", "iam:PutRolePermissionsBoundary"}, []string{"arn:aws:iam::" + account + ":role/*"}),
		deny("DenyChangingTheCIRoles", []string{"iam:*"}, c.CIRoleARNs(account)),
	}
}

// PreviewPermissions is what `pulumi preview` of the dev stack needs and
// nothing else: describe/list/get of the services the main program uses
// (never S3 objects, secret values or log events), the invokes it makes
// (caller identity, ECR login token for the docker provider, default VPC
// lookup), the dev stack's state (read; write only its lock) and the dev
// secrets key (decrypt only). It cannot read prod's or a sandbox's state,
// decrypt their secrets, or write any stack's checkpoint.
func PreviewPermissions(c Config, account string) PolicyDocument {
	dev := Scope{Account: account, Stack: DevStack}
	st := []Statement{
		allow("ReadTheProgramsServices", []string{
			"sts:GetCallerIdentity",
			"ec2:Describe*",
			"ecs:Describe*", "ecs:List*",
			"ecr:DescribeRepositories", "ecr:DescribeImages", "ecr:ListTagsForResource", "ecr:GetLifecyclePolicy", "ecr:GetAuthorizationToken",
			"logs:DescribeLogGroups", "logs:ListTagsForResource", "logs:ListTagsLogGroup",
			"iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListRoleTags", "iam:GetPolicy", "iam:GetPolicyVersion",
			"elasticloadbalancing:Describe*",
			"acm:DescribeCertificate", "acm:ListCertificates", "acm:ListTagsForCertificate",
			"route53:GetHostedZone", "route53:ListResourceRecordSets", "route53:GetChange",
			"application-autoscaling:Describe*", "cloudwatch:DescribeAlarms",
			"secretsmanager:DescribeSecret", "secretsmanager:ListSecrets",
			"kms:DescribeKey", "kms:ListAliases",
			"scheduler:GetSchedule", "scheduler:GetScheduleGroup", "scheduler:ListSchedules", "scheduler:ListScheduleGroups", "scheduler:ListTagsForResource",
		}, []string{"*"}),
	}
	if c.StateBucketName != "" {
		// The stack's checkpoint and its lock folder (pulumi reads other
		// locks' contents) are read; only the lock is written.
		read := append([]string{dev.StateObjects(c)[0]}, dev.StateLock(c)...)
		st = append(st, stateStatements(c, read, dev.StateLock(c))...)
	}
	st = append(st, secretsKeyStatement(c, DevStack, []string{"kms:Decrypt", "kms:DescribeKey"})...)
	st = append(st, otherStacksDeny(c, account, ProdStack, SandboxStacks)...)
	st = append(st, commonDenies(c, account)...)
	return NewPolicy(st...)
}

// DeployPermissions is what `pulumi up` and `pulumi destroy` of one stack
// (dev or prod) and the deploy verifier need, scoped to that stack:
//   - resources the program names after the stack by ARN (ResourceNames);
//   - the stack's task roles, created by the bootstrap under
//     /<project>/<stack>/: their inline policies (only with the boundary)
//     and PassRole to ECS tasks; no role is created, deleted, re-trusted
//     or tagged by CI;
//   - resources with generated ids (EC2 networking, load balancers,
//     scalable targets, certificates) by tag: created only with the
//     request tags project=<project> and stack=<stack> (tagging only as
//     part of the create call), changed or deleted only when they carry
//     stack=<stack>;
//   - DNS records of type A/CNAME in the listed zones only (none when
//     hostedZoneIds is empty);
//   - KMS through ECR, Logs and Secrets Manager on this account's keys,
//     and the stack's secrets provider key;
//   - the stack's state objects.
//
// Explicit denies keep the other CI stacks, resource policies, foreign
// keys, the boundaries and the CI roles out of reach.
func DeployPermissions(c Config, account, stack, boundaryARN string) PolicyDocument {
	s := Scope{Account: account, Stack: stack}
	names := s.ResourceNames(c)
	roles := c.TaskRoleARNs(account, stack)
	requestTags := Conditions{"StringEquals": {
		"aws:RequestTag/project": {c.ProjectName},
		"aws:RequestTag/stack":   {stack},
	}}
	ownTag := Conditions{"StringEquals": {"aws:ResourceTag/stack": {stack}}}
	ec2 := func(types ...string) []string {
		out := make([]string, len(types))
		for i, t := range types {
			out[i] = s.arn("ec2", t+"/*")
		}
		return out
	}
	ec2Creates := prefixed("ec2:", ec2CreateActions)
	elbCreates := prefixed("elasticloadbalancing:", elbCreateActions)
	otherStack := ProdStack
	if stack == ProdStack {
		otherStack = DevStack
	}

	st := []Statement{
		allow("Identity", []string{"sts:GetCallerIdentity"}, []string{"*"}),
		allow("Reads", []string{
			"ecr:GetAuthorizationToken", "ecr:DescribeRepositories",
			"ecs:Describe*", "ecs:List*",
			"logs:DescribeLogGroups",
			"secretsmanager:ListSecrets", "secretsmanager:GetRandomPassword",
			"iam:GetRole", "iam:GetRolePolicy", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListRoleTags",
			"iam:GetPolicy", "iam:GetPolicyVersion",
			"ec2:Describe*", "elasticloadbalancing:Describe*", "application-autoscaling:Describe*", "cloudwatch:DescribeAlarms",
			"application-autoscaling:ListTagsForResource",
			"acm:DescribeCertificate", "acm:ListCertificates", "acm:ListTagsForCertificate", "kms:ListAliases",
			"servicediscovery:GetOperation", "servicediscovery:ListTagsForResource",
		}, []string{"*"}),
		allow("EcrStackRepository", []string{"ecr:*"}, names["ecr"]),
		allow("EcsStackResources", []string{"ecs:*"}, names["ecs"]),
		// RegisterTaskDefinition and CreateCluster take no resource ARN.
		allow("EcsCreateTagged", []string{"ecs:RegisterTaskDefinition", "ecs:CreateCluster", "ecs:TagResource"}, []string{"*"}).when(requestTags),
		allow("LogsStackGroups", []string{"logs:*"}, names["logs"]),
		allow("SecretsStackSecrets", []string{"secretsmanager:*"}, names["secretsmanager"]),
		allow("StackAlarms", []string{
			"cloudwatch:PutMetricAlarm", "cloudwatch:DeleteAlarms", "cloudwatch:TagResource", "cloudwatch:UntagResource",
			"cloudwatch:ListTagsForResource", "cloudwatch:EnableAlarmActions", "cloudwatch:DisableAlarmActions",
		}, names["cloudwatch"]),
		allow("StackDashboard", []string{"cloudwatch:PutDashboard", "cloudwatch:GetDashboard", "cloudwatch:DeleteDashboards"}, names["dashboard"]),
		allow("StackAlarmTopic", []string{"sns:*"}, names["sns"]),
		snsSubscriptionStatement,
		allow("StackAccessLogBucket", []string{"s3:*"}, names["s3"]),
		// EventBridge Scheduler: the stack's group and the schedules in it
		// only, by ARN. DeleteScheduleGroup also needs DeleteSchedule on
		// the group's schedules; the group's tags are written by TagResource
		// (Service Authorization Reference, EventBridge Scheduler; the
		// provider's calls: terraform-provider-aws
		// internal/service/scheduler/schedule_group.go, schedule.go).
		allow("SchedulerStackGroup", []string{
			"scheduler:CreateScheduleGroup", "scheduler:DeleteScheduleGroup", "scheduler:GetScheduleGroup",
			"scheduler:TagResource", "scheduler:UntagResource", "scheduler:ListTagsForResource",
		}, names["scheduler"][:1]),
		allow("SchedulerStackSchedules", []string{
			"scheduler:CreateSchedule", "scheduler:UpdateSchedule", "scheduler:DeleteSchedule", "scheduler:GetSchedule",
		}, names["scheduler"][1:]),
		// No kms:CreateKey: KMS has no create-action condition, so the
		// kms:TagResource a tagged CreateKey needs would let the role tag
		// (and then manage) any untagged key of the account. CI-deployed
		// stacks with alarms set fargateship:kmsKeyArn (docs/delivery.md).
		// The task roles exist (the bootstrap made them, with the
		// boundary); CI only writes their inline policies and passes them.
		allow("IamWriteBoundedTaskRolePolicies", []string{"iam:PutRolePolicy", "iam:DeleteRolePolicy"}, roles).
			when(Conditions{"StringEquals": {"iam:PermissionsBoundary": {boundaryARN}}}),
		// Every task role of the stack, app's and each service's (the
		// bootstrap creates them under /<project>/<stack>/), by path.
		allow("IamPassTaskRolesToEcsTasks", []string{"iam:PassRole"}, roles).
			when(Conditions{"StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}}),
		// No iam:PassedToService condition here: AWS documents no value
		// for the role ec2:CreateFlowLogs passes (VPC user guide, "IAM
		// role for publishing flow logs to CloudWatch Logs", grants
		// iam:PassRole on the role alone; the IAM user guide's
		// iam:PassedToService examples do not list vpc-flow-logs), and a
		// condition on an undocumented value could refuse every create.
		// The resource is the stack's one flow log role.
		allow("IamPassFlowLogsRoleToFlowLogs", []string{"iam:PassRole"}, c.StackRoleARNs(account, stack, "flow-logs")),
		// CreateSchedule/UpdateSchedule pass the schedule's role.
		allow("IamPassSchedulerRoleToScheduler", []string{"iam:PassRole"}, c.StackRoleARNs(account, stack, "scheduler")).
			when(Conditions{"StringEquals": {"iam:PassedToService": {"scheduler.amazonaws.com"}}}),
		allow("IamServiceLinkedRoles", []string{"iam:CreateServiceLinkedRole"}, []string{"arn:aws:iam::" + account + ":role/aws-service-role/*"}).
			when(Conditions{"StringEquals": {"iam:AWSServiceName": {
				"ecs.amazonaws.com", "elasticloadbalancing.amazonaws.com", "ecs.application-autoscaling.amazonaws.com",
			}}}),
		// EC2: new resources only with the stack's tags; the parents they
		// are created in (a VPC, possibly the default one; a subnet and
		// an address for a NAT gateway) are named by their own statement.
		allow("Ec2CreateTagged", ec2Creates, ec2("vpc", "subnet", "internet-gateway", "route-table", "natgateway", "elastic-ip", "security-group", "vpc-flow-log")).when(requestTags),
		allow("Ec2CreateInVpc", []string{"ec2:CreateSubnet", "ec2:CreateRouteTable", "ec2:CreateSecurityGroup", "ec2:CreateFlowLogs"}, ec2("vpc")),
		allow("Ec2NatGatewayParents", []string{"ec2:CreateNatGateway"}, ec2("subnet", "elastic-ip")),
		// ec2:CreateAction is the API name of the create, without the
		// service prefix (EC2 user guide, "Grant permission to tag
		// resources during creation": "ec2:CreateAction": "RunInstances").
		allow("Ec2TagOnlyOnCreate", []string{"ec2:CreateTags"}, []string{s.arn("ec2", "*/*")}).
			when(Conditions{"StringEquals": {"ec2:CreateAction": ec2CreateActions}}),
		allow("Ec2ManageStackResources", []string{
			"ec2:DeleteVpc", "ec2:ModifyVpcAttribute", "ec2:DeleteSubnet", "ec2:ModifySubnetAttribute",
			"ec2:DeleteInternetGateway", "ec2:AttachInternetGateway", "ec2:DetachInternetGateway",
			"ec2:DeleteRouteTable", "ec2:CreateRoute", "ec2:DeleteRoute", "ec2:ReplaceRoute",
			"ec2:AssociateRouteTable", "ec2:DisassociateRouteTable", "ec2:ReplaceRouteTableAssociation",
			"ec2:ReleaseAddress", "ec2:DisassociateAddress", "ec2:DeleteNatGateway", "ec2:DeleteSecurityGroup",
			"ec2:DeleteFlowLogs", "ec2:AuthorizeSecurityGroupIngress", "ec2:AuthorizeSecurityGroupEgress",
			"ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress", "ec2:ModifySecurityGroupRules",
			"ec2:UpdateSecurityGroupRuleDescriptionsIngress", "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
		}, []string{s.arn("ec2", "*/*")}).when(ownTag),
		allow("ElbCreateTagged", elbCreates, []string{"*"}).when(requestTags),
		// elasticloadbalancing:CreateAction is the API name, without the
		// prefix (ELB user guide, "ELB API permissions to tag resources
		// during creation": "elasticloadbalancing:CreateAction":
		// "CreateTargetGroup").
		allow("ElbTagOnlyOnCreate", []string{"elasticloadbalancing:AddTags"}, []string{"*"}).
			when(Conditions{"StringEquals": {"elasticloadbalancing:CreateAction": elbCreateActions}}),
		allow("ElbManageStackResources", []string{
			"elasticloadbalancing:CreateListener", "elasticloadbalancing:DeleteListener", "elasticloadbalancing:ModifyListener",
			"elasticloadbalancing:ModifyListenerAttributes",
			"elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:ModifyLoadBalancerAttributes",
			"elasticloadbalancing:SetSecurityGroups", "elasticloadbalancing:SetSubnets", "elasticloadbalancing:SetIpAddressType",
			"elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:ModifyTargetGroup",
			"elasticloadbalancing:ModifyTargetGroupAttributes",
			"elasticloadbalancing:AddListenerCertificates", "elasticloadbalancing:RemoveListenerCertificates",
			// Listener rules route to the services of an environment;
			// CreateRule is authorized on the stack's listener.
			"elasticloadbalancing:CreateRule", "elasticloadbalancing:ModifyRule", "elasticloadbalancing:DeleteRule",
			"elasticloadbalancing:SetRulePriorities",
		}, []string{"*"}).when(ownTag),
		// An environment's Service Connect namespace (Cloud Map HTTP
		// namespace, generated id): created only with the stack's tags,
		// read and deleted only when it carries them. GetOperation has no
		// resource type (Service Authorization Reference, AWS Cloud Map).
		allow("CloudMapCreateTaggedNamespace", []string{"servicediscovery:CreateHttpNamespace", "servicediscovery:TagResource"}, []string{"*"}).when(requestTags),
		allow("CloudMapManageStackNamespace", []string{"servicediscovery:GetNamespace", "servicediscovery:DeleteNamespace"},
			[]string{s.arn("servicediscovery", "namespace/*")}).when(ownTag),
		allow("ScalingCreateTagged", []string{"application-autoscaling:RegisterScalableTarget", "application-autoscaling:TagResource"}, []string{"*"}).when(requestTags),
		allow("ScalingManageStackTargets", []string{
			"application-autoscaling:RegisterScalableTarget", "application-autoscaling:DeregisterScalableTarget",
			"application-autoscaling:PutScalingPolicy", "application-autoscaling:DeleteScalingPolicy",
			"application-autoscaling:PutScheduledAction", "application-autoscaling:DeleteScheduledAction",
		}, []string{"*"}).when(ownTag),
		// ACM: RequestCertificate has no resource type; only the tagged,
		// DNS-validated kind the program requests.
		allow("AcmRequestTaggedDnsCertificates", []string{"acm:RequestCertificate"}, []string{"*"}).
			when(Conditions{"StringEquals": {
				"aws:RequestTag/project": {c.ProjectName},
				"aws:RequestTag/stack":   {stack},
				"acm:ValidationMethod":   {CertificateValidationMethod},
				"acm:KeyAlgorithm":       {CertificateKeyAlgorithm},
			}}),
		// The tags given in RequestCertificate.
		allow("AcmTagWithStackTags", []string{"acm:AddTagsToCertificate"}, []string{s.arn("acm", "certificate/*")}).when(requestTags),
		allow("AcmManageStackCertificates", []string{"acm:DeleteCertificate"}, []string{s.arn("acm", "certificate/*")}).when(ownTag),
		// CreateGrant and RetireGrant: ECR grants itself the repository's
		// key on create and retires the grant on delete (ECR user guide,
		// "Encryption at rest": the creating principal needs
		// kms:CreateGrant, kms:RetireGrant and kms:DescribeKey).
		allow("KmsThroughServices", []string{"kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey*", "kms:DescribeKey", "kms:CreateGrant", "kms:RetireGrant"},
			[]string{"arn:aws:kms:*:" + account + ":key/*"}).
			when(Conditions{"StringLike": {"kms:ViaService": {
				"ecr.*.amazonaws.com", "logs.*.amazonaws.com", "secretsmanager.*.amazonaws.com",
			}}}),
	}
	if zones := c.HostedZoneARNs(); len(zones) > 0 {
		st = append(st,
			allow("Route53ListedZones", []string{"route53:ChangeResourceRecordSets", "route53:GetHostedZone", "route53:ListResourceRecordSets"}, zones),
			allow("Route53Changes", []string{"route53:GetChange"}, []string{"arn:aws:route53:::change/*"}),
			deny("DenyOtherDnsRecordTypes", []string{"route53:ChangeResourceRecordSets"}, []string{"arn:aws:route53:::hostedzone/*"}).
				when(Conditions{"ForAnyValue:StringNotEquals": {"route53:ChangeResourceRecordSetsRecordTypes": CertificateRecordTypes}}),
		)
	}
	st = append(st, stateStatements(c, s.StateObjects(c), s.StateObjects(c))...)
	st = append(st, secretsKeyStatement(c, stack, []string{"kms:Encrypt", "kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"})...)
	st = append(st, otherStacksDeny(c, account, otherStack, SandboxStacks)...)
	st = append(st,
		// Whatever an allow above says: nothing tagged for another stack
		// (its tags, its settings, its deletion) is this role's.
		deny("DenyResourcesTaggedForOtherStacks", taggedServices, []string{"*"}).
			when(Conditions{"Null": {"aws:ResourceTag/stack": {"false"}}, "StringNotEquals": {"aws:ResourceTag/stack": {stack}}}),
	)
	st = append(st, commonDenies(c, account)...)
	return NewPolicy(st...)
}

// The creates whose tags the deploy roles may set (tag on create only),
// as their ec2:CreateAction and elasticloadbalancing:CreateAction values.
var (
	ec2CreateActions = []string{
		"CreateVpc", "CreateSubnet", "CreateInternetGateway", "CreateRouteTable",
		"CreateNatGateway", "AllocateAddress", "CreateSecurityGroup", "CreateFlowLogs",
	}
	elbCreateActions = []string{"CreateLoadBalancer", "CreateTargetGroup", "CreateListener", "CreateRule"}
)

func prefixed(prefix string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

// snsSubscriptionStatement: the alarm e-mail subscription. Subscribe is
// authorized on the topic (StackAlarmTopic); these three act on a
// subscription and support no resource type (Service Authorization
// Reference, Amazon SNS: GetSubscriptionAttributes,
// SetSubscriptionAttributes and Unsubscribe list none), so only "*"
// allows them. The provider reads the subscription right after Subscribe
// and unsubscribes on delete (terraform-provider-aws
// internal/service/sns/topic_subscription.go). The cost, documented in
// docs/delivery.md: a role holding them can read, change or remove any
// subscription of the account whose ARN it knows.
var snsSubscriptionStatement = allow("SnsSubscriptionsHaveNoResourceType",
	[]string{"sns:GetSubscriptionAttributes", "sns:SetSubscriptionAttributes", "sns:Unsubscribe"}, []string{"*"})

// taggedServices are the services whose resources the deploy and reaper
// roles reach by tag (aws:ResourceTag/stack).
var taggedServices = []string{"ec2:*", "elasticloadbalancing:*", "application-autoscaling:*", "acm:*", "kms:*", "servicediscovery:*"}

// ReaperPermissions is what `pulumi destroy` of sandbox stacks needs:
// reads, and deletes of resources named or tagged as a sandbox's, their
// state objects and the sandboxes' secrets key. It creates nothing,
// writes no policy, passes no role, and is denied everything of dev's and
// prod's.
func ReaperPermissions(c Config, account string) PolicyDocument {
	s := Scope{Account: account, Stack: SandboxStacks}
	names := s.ResourceNames(c)
	sandboxTag := Conditions{"StringLike": {"aws:ResourceTag/stack": {SandboxStacks}}}
	st := []Statement{
		allow("Identity", []string{"sts:GetCallerIdentity"}, []string{"*"}),
		allow("Reads", []string{
			"ecr:DescribeRepositories", "ecs:Describe*", "ecs:List*", "logs:DescribeLogGroups",
			"iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListInstanceProfilesForRole",
			"ec2:Describe*", "elasticloadbalancing:Describe*", "application-autoscaling:Describe*", "cloudwatch:DescribeAlarms",
			"acm:DescribeCertificate", "servicediscovery:GetOperation",
		}, []string{"*"}),
		allow("EcrDeleteSandboxRepositories", []string{"ecr:DeleteRepository", "ecr:BatchDeleteImage", "ecr:ListImages", "ecr:DescribeImages", "ecr:DeleteLifecyclePolicy", "ecr:GetLifecyclePolicy"}, names["ecr"]),
		allow("EcsDeleteSandboxResources", []string{
			"ecs:UpdateService", "ecs:DeleteService", "ecs:DeleteCluster", "ecs:PutClusterCapacityProviders", "ecs:StopTask",
		}, names["ecs"]),
		allow("LogsDeleteSandboxGroups", []string{"logs:DeleteLogGroup", "logs:DeleteRetentionPolicy"}, names["logs"]),
		// GetSecretValue: after a secret version is deleted the provider
		// reads it until it is gone (internal/service/secretsmanager/
		// secret_version.go, resourceSecretVersionDelete); without it the
		// destroy of a sandbox with secrets fails. Sandbox values only.
		allow("SecretsDeleteSandboxSecrets", []string{
			"secretsmanager:DeleteSecret", "secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:UpdateSecretVersionStage",
		}, names["secretsmanager"]),
		// A sandbox with kmsKeyArn: the secret version's read-back
		// decrypts, and deleting the repository retires ECR's grant.
		allow("KmsForSandboxDeletesThroughServices", []string{"kms:Decrypt", "kms:RetireGrant"}, []string{"arn:aws:kms:*:" + account + ":key/*"}).
			when(Conditions{"StringLike": {"kms:ViaService": {"secretsmanager.*.amazonaws.com", "ecr.*.amazonaws.com"}}}),
		allow("AlarmsDeleteSandboxAlarms", []string{"cloudwatch:DeleteAlarms"}, names["cloudwatch"]),
		allow("DashboardsDeleteSandboxDashboards", []string{"cloudwatch:DeleteDashboards"}, []string{"arn:aws:cloudwatch::" + account + ":dashboard/" + c.ProjectName + "-" + SandboxStacks}),
		// SetTopicAttributes: deleting a topic policy sets it back to the
		// default (terraform-provider-aws internal/service/sns/topic_policy.go).
		allow("SnsDeleteSandboxTopics", []string{
			"sns:DeleteTopic", "sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:ListSubscriptionsByTopic",
		}, names["sns"]),
		snsSubscriptionStatement,
		// Deleting a bucket's public access block, ownership controls,
		// encryption and lifecycle configuration is authorized as the Put
		// action (Service Authorization Reference, Amazon S3:
		// DeletePublicAccessBlock → s3:PutBucketPublicAccessBlock, ...),
		// and the provider reads each back until it is gone
		// (internal/service/s3/bucket_*.go Delete functions).
		allow("S3DeleteSandboxAccessLogBuckets", []string{
			"s3:DeleteBucket", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:ListBucket", "s3:ListBucketVersions",
			"s3:DeleteBucketPolicy", "s3:GetBucketPolicy",
			"s3:PutBucketPublicAccessBlock", "s3:GetBucketPublicAccessBlock",
			"s3:PutBucketOwnershipControls", "s3:GetBucketOwnershipControls",
			"s3:PutEncryptionConfiguration", "s3:GetEncryptionConfiguration",
			"s3:PutLifecycleConfiguration", "s3:GetLifecycleConfiguration",
		}, names["s3"]),
		// The provider waits for a deleted group with GetScheduleGroup.
		allow("SchedulerDeleteSandboxSchedules", []string{
			"scheduler:DeleteScheduleGroup", "scheduler:GetScheduleGroup", "scheduler:DeleteSchedule", "scheduler:GetSchedule",
		}, names["scheduler"]),
		// A sandbox's task roles are the main program's, under
		// /<project>/ with the tag stack=sandbox-<user>.
		allow("IamDeleteSandboxTaskRoles", []string{"iam:DeleteRole", "iam:DeleteRolePolicy", "iam:DetachRolePolicy"},
			[]string{"arn:aws:iam::" + account + ":role/" + c.ProjectName + "/*"}).when(sandboxTag),
		// A sandbox's new-vpc network: the VPC, its subnets, route tables
		// and their associations, internet and NAT gateways, Elastic IPs and
		// flow log (internal/service/ec2/vpc_*.go, ec2_eip.go Delete).
		allow("DeleteSandboxTaggedResources", []string{
			"ec2:DeleteSecurityGroup", "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress",
			"ec2:DeleteVpc", "ec2:DeleteSubnet", "ec2:DeleteRouteTable", "ec2:DisassociateRouteTable", "ec2:DeleteRoute",
			"ec2:DetachInternetGateway", "ec2:DeleteInternetGateway", "ec2:DeleteNatGateway",
			"ec2:DisassociateAddress", "ec2:ReleaseAddress", "ec2:DeleteFlowLogs",
			"elasticloadbalancing:DeleteRule", "servicediscovery:DeleteNamespace", "servicediscovery:GetNamespace",
			"elasticloadbalancing:DeleteLoadBalancer", "elasticloadbalancing:DeleteTargetGroup", "elasticloadbalancing:DeleteListener",
			"application-autoscaling:DeregisterScalableTarget", "application-autoscaling:DeleteScalingPolicy",
			"application-autoscaling:DeleteScheduledAction",
			"acm:DeleteCertificate", "kms:ScheduleKeyDeletion", "kms:DescribeKey",
		}, []string{"*"}).when(sandboxTag),
	}
	st = append(st, stateStatements(c, s.StateObjects(c), s.StateObjects(c))...)
	st = append(st, secretsKeyStatement(c, SandboxStacks, []string{"kms:Decrypt", "kms:DescribeKey"})...)
	st = append(st, otherStacksDeny(c, account, DevStack, ProdStack)...)
	st = append(st,
		// (dev's and prod's roles are denied by path in DenyOtherStacks*;
		// a tag condition there would only repeat it.)
		deny("DenyResourcesTaggedDevOrProd", taggedServices, []string{"*"}).
			when(Conditions{"StringEquals": {"aws:ResourceTag/stack": {DevStack, ProdStack}}}),
	)
	st = append(st, commonDenies(c, account)...)
	return NewPolicy(st...)
}
