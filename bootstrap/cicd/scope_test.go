package cicd

import "testing"

// decision is what an identity policy says about one request.
type decision int

const (
	refused decision = iota // no statement can allow it, or an unconditional Deny matches
	allowed                 // an Allow matches (if its conditions hold) and no Deny can match
)

func (d decision) String() string {
	return map[decision]string{refused: "refused", allowed: "allowed"}[d]
}

// evaluate applies IAM's evaluation logic for one identity policy to an
// action on a resource (AWS IAM User Guide, "Policy evaluation logic":
// an explicit Deny wins, else an Allow is needed), with wildcards as IAM
// matches them (actions case-insensitive, resources case-sensitive).
// Conditions are not evaluated; the result errs on the side of "allowed":
// a conditional Allow counts as matching, a conditional Deny as not. So
// every "refused" here holds whatever the request's context; an "allowed"
// still depends on the Allow's conditions, which the tests in
// policy_test.go assert as exact documents.
func evaluate(doc PolicyDocument, action, resource string) decision {
	matches := func(s Statement) bool {
		a, r := false, false
		for _, p := range s.Action {
			a = a || iamGlob(p, action, true)
		}
		for _, p := range s.Resource {
			r = r || iamGlob(p, resource, false)
		}
		return a && r
	}
	result := refused
	for _, s := range doc.Statement {
		if !matches(s) {
			continue
		}
		switch {
		case s.Effect == "Deny" && len(s.Condition) == 0:
			return refused
		case s.Effect == "Allow":
			result = allowed
		}
	}
	return result
}

type request struct {
	action, resource string
	want             decision
}

func checkRequests(t *testing.T, role string, doc PolicyDocument, reqs []request) {
	t.Helper()
	for _, r := range reqs {
		if got := evaluate(doc, r.action, r.resource); got != r.want {
			t.Errorf("%s: %s on %s is %v, want %v", role, r.action, r.resource, got, r.want)
		}
	}
}

const (
	acct     = testAccount
	region   = "us-east-1"
	bucket   = "arn:aws:s3:::acme-pulumi-state"
	stateDir = bucket + "/.pulumi/stacks/fargateship/"
	lockDir  = bucket + "/.pulumi/locks/organization/fargateship/"
)

func repoARN(name string) string { return "arn:aws:ecr:" + region + ":" + acct + ":repository/" + name }
func logARN(name string) string {
	return "arn:aws:logs:" + region + ":" + acct + ":log-group:" + name + ":*"
}
func secretARN(name string) string {
	return "arn:aws:secretsmanager:" + region + ":" + acct + ":secret:" + name + "-AbCdEf"
}
func serviceARN(b string) string {
	return "arn:aws:ecs:" + region + ":" + acct + ":service/" + b + "/" + b
}
func roleARN(path string) string { return "arn:aws:iam::" + acct + ":role/" + path }
func groupARN(name string) string {
	return "arn:aws:scheduler:" + region + ":" + acct + ":schedule-group/" + name
}
func scheduleARN(group, name string) string {
	return "arn:aws:scheduler:" + region + ":" + acct + ":schedule/" + group + "/" + name
}

// stackAttacks are requests against one stack's resources, for a role
// that must be refused them all.
func stackAttacks(stack, key string) []request {
	b := "fargateship-" + stack
	return []request{
		{"ecr:PutImage", repoARN(b), refused},
		{"ecr:DeleteRepository", repoARN(b), refused},
		{"logs:DeleteLogGroup", logARN("/ecs/" + b), refused},
		{"secretsmanager:GetSecretValue", secretARN(b + "/API_KEY"), refused},
		{"secretsmanager:PutSecretValue", secretARN(b + "/API_KEY"), refused},
		{"ecs:UpdateService", serviceARN(b), refused},
		{"ecs:DeleteService", serviceARN(b), refused},
		{"iam:PutRolePolicy", roleARN("fargateship/" + stack + "/" + b + "-task"), refused},
		{"iam:PassRole", roleARN("fargateship/" + stack + "/" + b + "-execution"), refused},
		{"iam:PassRole", roleARN("fargateship/" + stack + "/" + b + "-flow-logs"), refused},
		{"iam:PassRole", roleARN("fargateship/" + stack + "/" + b + "-scheduler"), refused},
		{"iam:PutRolePolicy", roleARN("fargateship/" + stack + "/" + b + "-scheduler"), refused},
		{"scheduler:CreateScheduleGroup", groupARN(b), refused},
		{"scheduler:DeleteScheduleGroup", groupARN(b), refused},
		{"scheduler:TagResource", groupARN(b), refused},
		{"scheduler:CreateSchedule", scheduleARN(b, "nightly"), refused},
		{"scheduler:UpdateSchedule", scheduleARN(b, "nightly"), refused},
		{"scheduler:DeleteSchedule", scheduleARN(b, "nightly"), refused},
		{"logs:DeleteLogGroup", logARN("/vpc/" + b + "/flow-logs"), refused},
		{"cloudwatch:DeleteAlarms", "arn:aws:cloudwatch:" + region + ":" + acct + ":alarm:" + b + "-cpu-high", refused},
		{"cloudwatch:PutDashboard", "arn:aws:cloudwatch::" + acct + ":dashboard/" + b, refused},
		{"sns:Subscribe", "arn:aws:sns:" + region + ":" + acct + ":" + b + "-alarms", refused},
		{"s3:PutBucketPolicy", "arn:aws:s3:::" + b + "-alb-logs-20261128", refused},
		{"s3:GetObject", stateDir + stack + ".json", refused},
		{"s3:PutObject", stateDir + stack + ".json", refused},
		{"s3:PutObject", lockDir + stack + "/abc.json", refused},
		{"kms:Decrypt", key, refused},
	}
}

// Every role, every account-wide or cross-stack attack of the issue.
func TestEachRoleIsRefusedOtherStacksAndAccountWideWrites(t *testing.T) {
	m := mustRun(t, fullConfig())
	common := []request{
		// Resource policies: public images, cross-account secrets, log streaming.
		{"ecr:SetRepositoryPolicy", repoARN("fargateship-dev"), refused},
		{"ecr:SetRepositoryPolicy", repoARN("fargateship-sandbox-alice"), refused},
		{"secretsmanager:PutResourcePolicy", secretARN("fargateship-dev/API_KEY"), refused},
		{"logs:PutSubscriptionFilter", logARN("/ecs/fargateship-dev"), refused},
		{"ecr:PutReplicationConfiguration", "*", refused},
		// No role creates, re-trusts or tags a role, or touches a CI role.
		{"iam:CreateRole", roleARN("fargateship/dev/x"), refused},
		{"iam:CreateRole", roleARN("x"), refused},
		{"iam:UpdateAssumeRolePolicy", roleARN("fargateship/dev/fargateship-dev-task"), refused},
		{"iam:UpdateAssumeRolePolicy", roleARN("fargateship/prod/fargateship-prod-task"), refused},
		{"iam:TagRole", roleARN("fargateship/dev/fargateship-dev-task"), refused},
		{"iam:DeleteRolePermissionsBoundary", roleARN("fargateship/dev/fargateship-dev-task"), refused},
		{"iam:PutRolePermissionsBoundary", roleARN("fargateship/dev/fargateship-dev-task"), refused},
		{"iam:PutRolePolicy", roleARN("fargateship-github-deploy-prod"), refused},
		{"iam:UpdateAssumeRolePolicy", roleARN("fargateship-github-reaper"), refused},
		{"iam:PassRole", roleARN("some-admin-role"), refused},
		{"iam:PutRolePolicy", roleARN("some-other-role"), refused},
		{"iam:CreatePolicyVersion", testBoundaryARN, refused},
		// KMS: never another account's keys.
		{"kms:Decrypt", "arn:aws:kms:us-east-1:999999999999:key/11111111-2222-3333-4444-555555555555", refused},
		// Unrelated data in the account.
		{"s3:GetObject", "arn:aws:s3:::acme-payroll/2026.csv", refused},
		{"s3:GetObject", stateDir + "../other/prod.json", refused},
		{"dynamodb:Scan", "arn:aws:dynamodb:us-east-1:" + acct + ":table/users", refused},
		{"ssm:GetParameter", "arn:aws:ssm:us-east-1:" + acct + ":parameter/db-password", refused},
		{"ec2:RunInstances", "arn:aws:ec2:us-east-1:" + acct + ":instance/*", refused},
		{"ec2:TerminateInstances", "arn:aws:ec2:us-east-1:" + acct + ":instance/i-0123", refused},
		{"lambda:CreateFunction", "arn:aws:lambda:us-east-1:" + acct + ":function:x", refused},
		{"route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/ZOTHERZONE", refused},
		{"sts:AssumeRole", roleARN("fargateship-github-deploy-prod"), refused},
		// Schedules outside the project's groups: the default group, another app's.
		{"scheduler:CreateSchedule", scheduleARN("default", "x"), refused},
		{"scheduler:CreateSchedule", scheduleARN("fargateship-dev-x", "x"), refused},
		{"scheduler:DeleteSchedule", scheduleARN("other-app", "x"), refused},
		{"scheduler:DeleteScheduleGroup", groupARN("other-app"), refused},
		{"scheduler:UpdateSchedule", scheduleARN("fargateship", "x"), refused},
		// The scheduler role is passed to EventBridge Scheduler by the
		// deploy role only; ECS never runs tasks as the deploy role.
		{"ecs:RunTask", "arn:aws:ecs:us-east-1:" + acct + ":task-definition/other-app:1", refused},
	}

	preview := append(append([]request{
		{"s3:GetObject", stateDir + "dev.json", allowed},
		{"s3:PutObject", lockDir + "dev/abc.json", allowed},
		{"s3:DeleteObject", lockDir + "dev/abc.json", allowed},
		{"kms:Decrypt", testDevKey, allowed},
		{"ec2:DescribeVpcs", "*", allowed},
		{"ecr:GetAuthorizationToken", "*", allowed},
		// The PR may not rewrite dev's state, or plant a stack for the reaper.
		{"s3:PutObject", stateDir + "dev.json", refused},
		{"s3:DeleteObject", stateDir + "dev.json", refused},
		{"s3:PutObject", stateDir + "sandbox-mallory.json", refused},
		{"s3:PutObject", bucket + "/.pulumi/history/fargateship/dev/x.json", refused},
		{"kms:Encrypt", testDevKey, refused},
		{"secretsmanager:GetSecretValue", secretARN("fargateship-dev/API_KEY"), refused},
		{"logs:GetLogEvents", logARN("/ecs/fargateship-dev"), refused},
		{"ecr:PutImage", repoARN("fargateship-dev"), refused},
		{"ecr:BatchGetImage", repoARN("fargateship-prod"), refused},
		{"ecs:UpdateService", serviceARN("fargateship-dev"), refused},
		{"iam:PutRolePolicy", roleARN("fargateship/dev/fargateship-dev-task"), refused},
		{"scheduler:GetSchedule", scheduleARN("fargateship-dev", "nightly"), allowed},
		{"scheduler:ListScheduleGroups", "*", allowed},
		{"scheduler:CreateSchedule", scheduleARN("fargateship-dev", "nightly"), refused},
		{"scheduler:DeleteScheduleGroup", groupARN("fargateship-dev"), refused},
		{"iam:PassRole", roleARN("fargateship/dev/fargateship-dev-scheduler"), refused},
	}, stackAttacks("prod", testProdKey)...), stackAttacks("sandbox-alice", testSandboxKey)...)
	checkRequests(t, "preview", permissions(t, m, "preview"), append(preview, common...))

	own := func(stack, key string) []request {
		b := "fargateship-" + stack
		return []request{
			{"ecr:PutImage", repoARN(b), allowed},
			{"ecr:CreateRepository", repoARN(b), allowed},
			{"logs:CreateLogGroup", logARN("/ecs/" + b + "/exec"), allowed},
			{"secretsmanager:CreateSecret", secretARN(b + "/API_KEY"), allowed},
			{"ecs:UpdateService", serviceARN(b), allowed},
			{"iam:PutRolePolicy", roleARN("fargateship/" + stack + "/" + b + "-execution"), allowed},
			{"iam:PassRole", roleARN("fargateship/" + stack + "/" + b + "-task"), allowed},
			{"iam:PassRole", roleARN("fargateship/" + stack + "/" + b + "-flow-logs"), allowed},
			{"logs:CreateLogGroup", logARN("/vpc/" + b + "/flow-logs"), allowed},
			// Any role under the stack's path: only the bootstrap creates
			// roles there (app's and each service's); not another path.
			{"iam:PassRole", roleARN("fargateship/" + stack + "/" + b + "-api-task"), allowed},
			{"iam:PassRole", roleARN("fargateship/other/" + b + "-task"), refused},
			{"iam:PassRole", roleARN("fargateship/" + stack + "-x/" + b + "-task"), refused},
			{"iam:PassRole", roleARN("fargateship/" + stack + "/" + b + "-scheduler"), allowed},
			{"iam:PutRolePolicy", roleARN("fargateship/" + stack + "/" + b + "-scheduler"), allowed},
			{"scheduler:CreateScheduleGroup", groupARN(b), allowed},
			{"scheduler:TagResource", groupARN(b), allowed},
			{"scheduler:ListTagsForResource", groupARN(b), allowed},
			{"scheduler:DeleteScheduleGroup", groupARN(b), allowed},
			{"scheduler:CreateSchedule", scheduleARN(b, "nightly"), allowed},
			{"scheduler:UpdateSchedule", scheduleARN(b, "nightly"), allowed},
			{"scheduler:DeleteSchedule", scheduleARN(b, "nightly"), allowed},
			{"scheduler:GetSchedule", scheduleARN(b, "nightly"), allowed},
			// Exactly the stack's group: not one that merely starts with its name.
			{"scheduler:CreateScheduleGroup", groupARN(b + "-x"), refused},
			{"scheduler:CreateSchedule", scheduleARN(b+"-x", "nightly"), refused},
			{"scheduler:CreateSchedule", scheduleARN("default", "nightly"), refused},
			{"cloudwatch:PutMetricAlarm", "arn:aws:cloudwatch:" + region + ":" + acct + ":alarm:" + b + "-cpu-high", allowed},
			{"cloudwatch:PutDashboard", "arn:aws:cloudwatch::" + acct + ":dashboard/" + b, allowed},
			{"sns:CreateTopic", "arn:aws:sns:" + region + ":" + acct + ":" + b + "-alarms", allowed},
			{"s3:CreateBucket", "arn:aws:s3:::" + b + "-alb-logs-20261128", allowed},
			{"sns:AddPermission", "arn:aws:sns:" + region + ":" + acct + ":" + b + "-alarms", refused},
			{"kms:CreateKey", "*", refused},
			{"kms:PutKeyPolicy", key, refused},
			{"kms:TagResource", "arn:aws:kms:us-east-1:" + acct + ":key/99999999-2222-3333-4444-555555555555", refused},
			{"s3:PutObject", stateDir + stack + ".json", allowed},
			{"s3:PutObject", lockDir + stack + "/abc.json", allowed},
			{"kms:Decrypt", key, allowed},
			{"route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/Z0123456789ABCDEFGHIJ", allowed},
			// A stack's own task roles can be written, never re-created.
			{"iam:DeleteRole", roleARN("fargateship/" + stack + "/" + b + "-task"), refused},
			{"iam:AttachRolePolicy", roleARN("fargateship/" + stack + "/" + b + "-task"), refused},
			{"iam:PutRolePolicy", roleARN("fargateship/app-task-abc"), refused},
			// Roles the main program created before the stack took the
			// bootstrap's: only an administrator deletes them.
			{"iam:DeleteRole", roleARN("fargateship/app-execution-abc1234"), refused},
			{"iam:DeleteRolePolicy", roleARN("fargateship/app-execution-abc1234"), refused},
		}
	}
	dev := append(append(own("dev", testDevKey), stackAttacks("prod", testProdKey)...), stackAttacks("sandbox-alice", testSandboxKey)...)
	checkRequests(t, "deploy-dev", permissions(t, m, "deploy-dev"), append(dev, common...))
	prod := append(append(own("prod", testProdKey), stackAttacks("dev", testDevKey)...), stackAttacks("sandbox-alice", testSandboxKey)...)
	checkRequests(t, "deploy-prod", permissions(t, m, "deploy-prod"), append(prod, common...))

	reaper := append(append([]request{
		{"ecr:DeleteRepository", repoARN("fargateship-sandbox-alice"), allowed},
		{"logs:DeleteLogGroup", logARN("/ecs/fargateship-sandbox-alice"), allowed},
		{"secretsmanager:DeleteSecret", secretARN("fargateship-sandbox-alice/API_KEY"), allowed},
		{"ecs:DeleteService", serviceARN("fargateship-sandbox-alice"), allowed},
		{"iam:DeleteRole", roleARN("fargateship/app-task-abc1234"), allowed},
		{"s3:GetObject", stateDir + "sandbox-alice.json", allowed},
		{"s3:PutObject", stateDir + "sandbox-alice.json", allowed},
		{"s3:DeleteObject", stateDir + "sandbox-alice.json.bak", allowed},
		{"kms:Decrypt", testSandboxKey, allowed},
		{"scheduler:DeleteScheduleGroup", groupARN("fargateship-sandbox-alice"), allowed},
		{"scheduler:DeleteSchedule", scheduleARN("fargateship-sandbox-alice", "nightly"), allowed},
		{"scheduler:GetScheduleGroup", groupARN("fargateship-sandbox-alice"), allowed},
		{"iam:DeleteRolePolicy", roleARN("fargateship/jobs-abc1234"), allowed},
		// Destroy only: the reaper creates and changes nothing.
		{"scheduler:CreateSchedule", scheduleARN("fargateship-sandbox-alice", "nightly"), refused},
		{"scheduler:UpdateSchedule", scheduleARN("fargateship-sandbox-alice", "nightly"), refused},
		{"scheduler:TagResource", groupARN("fargateship-sandbox-alice"), refused},
		{"iam:PassRole", roleARN("fargateship/jobs-abc1234"), refused},
		{"ecr:PutImage", repoARN("fargateship-sandbox-alice"), refused},
		{"ecs:CreateService", serviceARN("fargateship-sandbox-alice"), refused},
		{"iam:PutRolePolicy", roleARN("fargateship/app-task-abc1234"), refused},
		{"iam:PassRole", roleARN("fargateship/app-task-abc1234"), refused},
		// A sandbox's secret values are readable: the provider reads a
		// deleted secret version back until it is gone, so a destroy needs
		// it (TestCIRolesCoverEveryLifecycleCall); dev's and prod's stay
		// refused (stackAttacks).
		{"secretsmanager:GetSecretValue", secretARN("fargateship-sandbox-alice/API_KEY"), allowed},
		{"iam:DeleteRole", roleARN("fargateship/dev/fargateship-dev-task"), refused},
		{"iam:DeleteRole", roleARN("fargateship/prod/fargateship-prod-execution"), refused},
		{"iam:DeleteRole", roleARN("admin"), refused},
		{"ecr:DeleteRepository", repoARN("other-app"), refused},
	}, stackAttacks("dev", testDevKey)...), stackAttacks("prod", testProdKey)...)
	checkRequests(t, "reaper", permissions(t, m, "reaper"), append(reaper, common...))
}

// Without hostedZoneIds no role may change any DNS record.
func TestNoHostedZonesMeansNoDNSWrites(t *testing.T) {
	m := mustRun(t, map[string]string{"githubRepository": "acme/fargateship"})
	for _, role := range ciRoles {
		doc := permissions(t, m, role)
		for _, zone := range []string{"Z0123456789ABCDEFGHIJ", "ZANYOTHERZONE", "*"} {
			if got := evaluate(doc, "route53:ChangeResourceRecordSets", "arn:aws:route53:::hostedzone/"+zone); got != refused {
				t.Errorf("%s may change records in %s without hostedZoneIds", role, zone)
			}
		}
	}
}

// The evaluator itself: a Deny wins, conditional Denies do not count, and
// wildcards are IAM's.
func TestEvaluate(t *testing.T) {
	doc := NewPolicy(
		allow("A", []string{"s3:Get*"}, []string{"arn:aws:s3:::b/dev/*"}),
		deny("D", []string{"s3:GetObject"}, []string{"arn:aws:s3:::b/dev/secret"}),
		deny("C", []string{"s3:GetObjectTagging"}, []string{"*"}).when(Conditions{"Bool": {"aws:SecureTransport": {"false"}}}),
	)
	for _, tc := range []struct {
		action, resource string
		want             decision
	}{
		{"s3:GetObject", "arn:aws:s3:::b/dev/x", allowed},
		{"S3:getobject", "arn:aws:s3:::b/dev/x", allowed},
		{"s3:GetObject", "arn:aws:s3:::b/DEV/x", refused},
		{"s3:GetObject", "arn:aws:s3:::b/dev/secret", refused},
		{"s3:GetObjectTagging", "arn:aws:s3:::b/dev/x", allowed},
		{"s3:PutObject", "arn:aws:s3:::b/dev/x", refused},
		{"s3:GetObject", "arn:aws:s3:::b/prod/x", refused},
	} {
		if got := evaluate(doc, tc.action, tc.resource); got != tc.want {
			t.Errorf("%s on %s = %v, want %v", tc.action, tc.resource, got, tc.want)
		}
	}
}
