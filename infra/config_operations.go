package infra

import (
	"fmt"
	"slices"
	"strconv"
)

// operations reads logs, protection, ECS Exec, the image retention, the
// KMS key and the task roles' permissions boundary.
func (r *configReader) operations(c *Config) {
	c.LogRetentionDays = r.integer("logRetentionDays", 30, 1, 3653)
	if !slices.Contains(logRetentionDays, c.LogRetentionDays) {
		r.fail("logRetentionDays", strconv.Itoa(c.LogRetentionDays), "must be one of "+joinInts(logRetentionDays))
	}
	c.Protect = r.boolean("protect", false)
	c.ECSExec = r.boolean("ecsExec", false)
	c.ImageKeepCount = r.integer("imageKeepCount", 20, 1, 1000)
	c.KMSKeyARN = r.str("kmsKeyArn", "")
	if c.KMSKeyARN != "" && !kmsKeyRE.MatchString(c.KMSKeyARN) {
		r.fail("kmsKeyArn", c.KMSKeyARN, "must be a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID); alias ARNs are not accepted because IAM grants on an alias do not cover the key")
	}
	for _, k := range []struct {
		key string
		v   *string
	}{{"flowLogsRoleArn", &c.FlowLogsRoleARN}, {"schedulerRoleArn", &c.SchedulerRoleARN}} {
		*k.v = r.roleARN(k.key)
	}
	r.roleKeys(c)
	c.PermissionsBoundaryARN = r.str("permissionsBoundaryArn", "")
	if c.PermissionsBoundaryARN != "" && !policyARNRE.MatchString(c.PermissionsBoundaryARN) {
		r.fail("permissionsBoundaryArn", c.PermissionsBoundaryARN, "must be an IAM policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)")
	}
}

// roleARN reads a role ARN key.
func (r *configReader) roleARN(k string) string {
	v := r.str(k, "")
	if v != "" && !roleARNRE.MatchString(v) {
		r.fail(k, v, "must be an IAM role ARN (arn:aws:iam::ACCOUNT:role/PATH/NAME), e.g. the CI bootstrap's output")
	}
	return v
}

// roleKeys reads the task's execution and task roles (the stack's, or a
// service's).
func (r *configReader) roleKeys(c *Config) {
	c.ExecutionRoleARN, c.TaskRoleARN = r.roleARN("executionRoleArn"), r.roleARN("taskRoleArn")
	if (c.ExecutionRoleARN == "") != (c.TaskRoleARN == "") {
		r.failCombo(fmt.Sprintf("config keys %q and %q go together: both roles come from the CI bootstrap, or the program creates both",
			r.key("executionRoleArn"), r.key("taskRoleArn")))
	}
	if c.ExecutionRoleARN != "" && c.ExecutionRoleARN == c.TaskRoleARN {
		r.failCombo(fmt.Sprintf("config keys %q and %q name the same role: the app must not hold the agent's permissions", r.key("executionRoleArn"), r.key("taskRoleArn")))
	}
}
