package infra

import (
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
	c.PermissionsBoundaryARN = r.str("permissionsBoundaryArn", "")
	if c.PermissionsBoundaryARN != "" && !policyARNRE.MatchString(c.PermissionsBoundaryARN) {
		r.fail("permissionsBoundaryArn", c.PermissionsBoundaryARN, "must be an IAM policy ARN (arn:aws:iam::ACCOUNT:policy/NAME)")
	}

}
