package infra

import (
	"strconv"
	"strings"
	"testing"
)

// with returns the project defaults with some keys (without namespace) set.
func with(t *testing.T, kv ...string) map[string]string {
	t.Helper()
	cfg := projectDefaults(t)
	for i := 0; i < len(kv); i += 2 {
		cfg["fargateship:"+kv[i]] = kv[i+1]
	}
	return cfg
}

// TestBadConfig checks that every bad value fails the program with a
// message naming the key, the value and what is allowed, and that nothing
// is registered.
func TestBadConfig(t *testing.T) {
	for _, tc := range badConfigCases {
		t.Run(tc.name, func(t *testing.T) {
			r := runProgram(t, "dev", with(t, tc.kv...))
			if r.err == nil {
				t.Fatalf("program succeeded with %v", tc.kv)
			}
			msg := r.err.Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error does not mention %s:\n%s", w, msg)
				}
			}
			if strings.Contains(msg, "hunter2") {
				t.Errorf("error leaks a secret value: %s", msg)
			}
			if len(r.resources) != 0 {
				t.Errorf("%d resources registered before the config error", len(r.resources))
			}
		})
	}
}

// badConfigCase is a stack with bad keys (kv, set on the project defaults
// of a dev stack) and what its error must say. docs/configuration.md shows
// each key's cases with the program's exact message (configdoc_test.go).
type badConfigCase struct {
	name string
	kv   []string
	want []string
}

var badConfigCases = []badConfigCase{
	{"cpu not a number", []string{"cpu", "lots"}, []string{`"fargateship:cpu"`, `"lots"`, "integer"}},
	{"cpu not a Fargate size", []string{"cpu", "300"}, []string{`"fargateship:cpu"`, `"300"`, "256, 512, 1024, 2048, 4096, 8192, 16384"}},
	{"memory too small for cpu", []string{"cpu", "1024", "memory", "1024"}, []string{`"fargateship:cpu"`, `"fargateship:memory"`, "memory 1024 MiB", "cpu 1024", "2048 to 8192 in steps of 1024"}},
	{"memory off the step", []string{"cpu", "8192", "memory", "20000"}, []string{"memory 20000 MiB", "16384 to 61440 in steps of 4096"}},
	{"memory not in 256 list", []string{"memory", "4096"}, []string{"memory 4096 MiB", "512, 1024, 2048"}},
	{"negative desired count", []string{"desiredCount", "-1"}, []string{`"fargateship:desiredCount"`, `"-1"`, "between 0 and 5000"}},
	{"worker behind a load balancer", []string{"containerPort", "0", "loadBalancer", "true"}, []string{`"fargateship:loadBalancer" (true)`, `"fargateship:containerPort" (0)`, "worker has no port"}},
	{"port too large", []string{"containerPort", "70000"}, []string{`"70000"`, "between 0 and 65535"}},
	{"unknown architecture", []string{"architecture", "arm64"}, []string{`"fargateship:architecture"`, `"arm64"`, "X86_64, ARM64"}},
	{"spot not boolean", []string{"spot", "yes"}, []string{`"fargateship:spot"`, `"yes"`, "true or false"}},
	{"retention not accepted", []string{"logRetentionDays", "10"}, []string{`"fargateship:logRetentionDays"`, `"10"`, "1, 3, 5, 7, 14, 30"}},
	{"protect not boolean", []string{"protect", "1"}, []string{`"fargateship:protect"`, "true or false"}},
	{"environment not an object", []string{"environment", `["A"]`}, []string{`"fargateship:environment"`, "object of NAME: value pairs"}},
	{"environment bad name", []string{"environment", `{"1BAD":"x"}`}, []string{`"1BAD"`, "environment variable names"}},
	{"environment sets PORT", []string{"environment", `{"PORT":"9"}`}, []string{`"PORT"`, "containerPort"}},
	{"stop timeout too long", []string{"stopTimeout", "121"}, []string{`"fargateship:stopTimeout"`, "between 2 and 120"}},
	{"drain longer than stop timeout", []string{"drainDelaySeconds", "28"}, []string{`"fargateship:drainDelaySeconds" (28)`, `"fargateship:stopTimeout" (30)`}},
	{"bad permissions boundary", []string{"permissionsBoundaryArn", "fargateship-boundary"}, []string{`"fargateship:permissionsBoundaryArn"`, `"fargateship-boundary"`, "IAM policy ARN"}},
	{"bad kms arn", []string{"kmsKeyArn", "alias/mine"}, []string{`"fargateship:kmsKeyArn"`, "KMS key ARN"}},
	{"kms alias arn", []string{"kmsKeyArn", "arn:aws:kms:us-east-1:123456789012:alias/fargateship"}, []string{`"fargateship:kmsKeyArn"`, `"arn:aws:kms:us-east-1:123456789012:alias/fargateship"`, "alias ARNs are not accepted"}},
	{"kms key id without arn", []string{"kmsKeyArn", "1234abcd-12ab-34cd-56ef-1234567890ab"}, []string{`"fargateship:kmsKeyArn"`, "key/KEY-ID"}},
	{"arm64 on spot", []string{"architecture", "ARM64", "spot", "true"}, []string{`"fargateship:spot" (true)`, `"fargateship:architecture" (ARM64)`, "Fargate Spot does not run ARM64"}},
	{"unknown network", []string{"network", "vpc"}, []string{`"fargateship:network"`, `"vpc"`, "default-vpc, new-vpc, existing-vpc"}},
	{"public IP forced on in new-vpc", []string{"network", "new-vpc", "assignPublicIp", "ENABLED"}, []string{`"fargateship:assignPublicIp" is ENABLED`, `"new-vpc"`}},
	{"public IP off in default-vpc", []string{"assignPublicIp", "DISABLED"}, []string{`"fargateship:assignPublicIp" is DISABLED`, "cannot pull the image"}},
	{"public IP not a choice", []string{"assignPublicIp", "true"}, []string{`"fargateship:assignPublicIp"`, "auto, ENABLED, DISABLED"}},
	{"bad flow log traffic", []string{"network", "new-vpc", "flowLogs", "ACCEPT"}, []string{`"fargateship:flowLogs"`, `"ACCEPT"`, "ALL, REJECT, NONE"}},
	{"bad vpc cidr", []string{"network", "new-vpc", "vpcCidr", "10.0.0.0/8"}, []string{`"fargateship:vpcCidr"`, "/16 and /20"}},
	{"existing vpc without id", []string{"network", "existing-vpc", "privateSubnetIds", `["subnet-0123456789abcdef0"]`}, []string{`"fargateship:vpcId" is empty`}},
	{"bad subnet id", []string{"network", "existing-vpc", "vpcId", "vpc-0123456789abcdef0", "privateSubnetIds", `["sub-1"]`}, []string{`"fargateship:privateSubnetIds"`, `"sub-1"`}},
	{"vpc id without existing-vpc", []string{"vpcId", "vpc-0123456789abcdef0"}, []string{`"fargateship:vpcId" is only used with fargateship:network: existing-vpc`}},
	{"min above max", []string{"minCount", "3", "maxCount", "2"}, []string{`"fargateship:minCount" (3)`, `"fargateship:maxCount" (2)`, "must not exceed"}},
	{"desired outside autoscaling bounds", []string{"minCount", "2", "maxCount", "4", "desiredCount", "1"}, []string{`"fargateship:desiredCount" (1) must lie between`}},
	{"certificate without load balancer", []string{"certificateArn", "arn:aws:acm:us-east-1:123456789012:certificate/abc-123"}, []string{`"fargateship:certificateArn" is set but "fargateship:loadBalancer" is false`}},
	{"bad certificate arn", []string{"loadBalancer", "true", "certificateArn", "my-cert"}, []string{`"fargateship:certificateArn"`, `"my-cert"`, "ACM certificate ARN"}},
	{"domain without load balancer", []string{"domainName", "app.example.com", "hostedZoneId", "Z0123456789ABCDEFGHIJ"}, []string{`"fargateship:domainName" is set but "fargateship:loadBalancer" is false`}},
	{"domain without zone", []string{"loadBalancer", "true", "domainName", "app.example.com"}, []string{`"fargateship:domainName" and "fargateship:hostedZoneId" go together`}},
	{"bad domain", []string{"loadBalancer", "true", "domainName", "App_Example", "hostedZoneId", "Z0123456789ABCDEFGHIJ"}, []string{`"fargateship:domainName"`, `"App_Example"`, "DNS name"}},
	{"bad zone id", []string{"loadBalancer", "true", "domainName", "app.example.com", "hostedZoneId", "zone-1"}, []string{`"fargateship:hostedZoneId"`, `"zone-1"`}},
	{"deletion protection without load balancer", []string{"albDeletionProtection", "true"}, []string{`"fargateship:albDeletionProtection" is true`}},
	{"requests target without load balancer", []string{"requestsPerTarget", "500"}, []string{`"fargateship:requestsPerTarget" needs "fargateship:loadBalancer"`}},
	{"cpu target out of range", []string{"cpuTargetPercent", "95"}, []string{`"fargateship:cpuTargetPercent"`, "between 10 and 90"}},
	{"alarm email without @", []string{"alarms", "true", "alarmEmail", "oncall.example.com"}, []string{`"fargateship:alarmEmail"`, `"oncall.example.com"`, "e-mail address"}},
	{"alarm email with a name", []string{"alarms", "true", "alarmEmail", "On Call <oncall@example.com>"}, []string{`"fargateship:alarmEmail"`, "one e-mail address"}},
	{"alarm email without alarms", []string{"alarmEmail", "oncall@example.com"}, []string{`"fargateship:alarmEmail" is set but "fargateship:alarms" is false`}},
	{"alarm threshold out of range", []string{"alarms", "true", "alarm5xxPercent", "0"}, []string{`"fargateship:alarm5xxPercent"`, "between 1 and 100"}},
	{"access logs without load balancer", []string{"accessLogs", "true"}, []string{`"fargateship:accessLogs" is true but "fargateship:loadBalancer" is false`}},
	{"malformed active hours", []string{"activeHours", "weekdays 8-20"}, []string{`"fargateship:activeHours"`, `"weekdays 8-20"`, "DAYS HH:MM-HH:MM"}},
	{"active hours end before start", []string{"activeHours", "MON-FRI 20:00-08:00"}, []string{`"fargateship:activeHours"`, "start must be before the end"}},
	{"unknown time zone", []string{"timezone", "Mars/Olympus"}, []string{`"fargateship:timezone"`, `"Mars/Olympus"`, "IANA time zone"}},
	{"local is not a zone", []string{"timezone", "Local"}, []string{`"fargateship:timezone"`, `"Local"`}},
	{"image with build keys", []string{"image", "ghcr.io/acme/api:1.0", "buildContext", "examples/api", "buildArgs", `{"A":"b"}`}, []string{`"fargateship:image" and "fargateship:buildContext"`, `"fargateship:image" and "fargateship:buildArgs"`, "not built"}},
	{"context outside the project", []string{"buildContext", "../elsewhere"}, []string{`"fargateship:buildContext"`, `"../elsewhere"`, "inside the project"}},
	{"absolute context", []string{"buildContext", "/tmp"}, []string{`"fargateship:buildContext"`, `"/tmp"`, "relative path"}},
	{"missing context", []string{"buildContext", "services/none"}, []string{`"fargateship:buildContext"`, `"services/none"`, "existing folder"}},
	{"missing dockerfile", []string{"dockerfile", "app/Dockerfile.prod"}, []string{`"fargateship:dockerfile"`, `"app/Dockerfile.prod"`, "existing file"}},
	{"context without a Dockerfile", []string{"buildContext", "infra"}, []string{`config key "fargateship:buildContext": value "infra" is not allowed: the folder has no Dockerfile (infra/Dockerfile)`, "set fargateship:dockerfile"}},
	{"bad build arg name", []string{"buildArgs", `{"1X":"y"}`}, []string{`"fargateship:buildArgs"`, `"1X"`, "build arg names"}},
	{"latest image", []string{"image", "ghcr.io/acme/api:latest"}, []string{`"fargateship:image"`, `"ghcr.io/acme/api:latest"`, "pinned"}},
	{"untagged image", []string{"image", "ghcr.io/acme/api"}, []string{`"fargateship:image"`, "untagged reference means latest"}},
	{"malformed image", []string{"image", "Not An Image"}, []string{`"fargateship:image"`, "image reference"}},
	{"relative health path", []string{"healthCheckPath", "healthz"}, []string{`"fargateship:healthCheckPath"`, `"healthz"`, "absolute URL path"}},
	{"health command with empty entry", []string{"healthCheckCommand", `["/server",""]`}, []string{`"fargateship:healthCheckCommand"`, "empty strings"}},
	{"command not a list", []string{"command", `"serve"`}, []string{`"fargateship:command"`, "list of strings"}},
	{"schedule bad expression", []string{"schedules", `{"nightly":{"schedule":"every night","command":["once"]}}`}, []string{`"fargateship:schedules.nightly.schedule"`, `"every night"`, "cron("}},
	{"schedule cron with both days", []string{"schedules", `{"nightly":{"schedule":"cron(0 3 * * * *)","command":["once"]}}`}, []string{`"fargateship:schedules.nightly.schedule"`, "exactly one of day-of-month and day-of-week"}},
	{"schedule rate unit", []string{"schedules", `{"often":{"schedule":"rate(5 minute)","command":["once"]}}`}, []string{`"fargateship:schedules.often.schedule"`, "plural"}},
	{"schedule unknown zone", []string{"schedules", `{"nightly":{"schedule":"rate(1 day)","command":["once"],"timezone":"Moon/Base"}}`}, []string{`"fargateship:schedules.nightly.timezone"`, `"Moon/Base"`}},
	{"schedule empty command", []string{"schedules", `{"nightly":{"schedule":"rate(1 day)","command":[]}}`}, []string{`"fargateship:schedules.nightly.command"`, "non-empty list"}},
	{"schedule command over the input limit", []string{"schedules", `{"nightly":{"schedule":"rate(1 day)","command":["report","` + strings.Repeat("x", 8200) + `"]}}`},
		[]string{`"fargateship:schedules.nightly.command"`, "8263 characters as RunTask overrides", "at most 8192"}},
	{"schedule name too long", []string{"schedules", `{"` + strings.Repeat("n", 65) + `":{"schedule":"rate(1 day)","command":["once"]}}`}, []string{"schedule names are 1-64 characters"}},
	{"schedule unknown field", []string{"schedules", `{"nightly":{"schedule":"rate(1 day)","command":["once"],"cron":"x"}}`}, []string{`"fargateship:schedules.nightly"`, "unknown field"}},
	{"bad role arn", []string{"executionRoleArn", "fargateship-dev-execution", "taskRoleArn", "arn:aws:iam::123456789012:role/t"}, []string{`"fargateship:executionRoleArn"`, `"fargateship-dev-execution"`, "IAM role ARN"}},
	{"execution role without task role", []string{"executionRoleArn", "arn:aws:iam::123456789012:role/e"}, []string{`"fargateship:executionRoleArn" and "fargateship:taskRoleArn" go together`}},
	{"one role for both", []string{"executionRoleArn", "arn:aws:iam::123456789012:role/e", "taskRoleArn", "arn:aws:iam::123456789012:role/e"}, []string{"name the same role"}},
	{"plain secrets", []string{"secrets", `{"DB_PASSWORD":"hunter2"}`}, []string{`"fargateship:secrets" holds plain values`, "--secret"}},
	{"grace period negative", []string{"healthCheckGracePeriodSeconds", "-5"}, []string{`"fargateship:healthCheckGracePeriodSeconds"`, "between 0 and 2147483647"}},
	{"keep no images", []string{"imageKeepCount", "0"}, []string{`"fargateship:imageKeepCount"`, "between 1 and 1000"}},
	{"three NAT gateways", []string{"network", "new-vpc", "natGateways", "3"}, []string{`"fargateship:natGateways"`, "between 1 and 2"}},
	{"bad public subnet id", []string{"network", "existing-vpc", "vpcId", "vpc-0123456789abcdef0", "privateSubnetIds", `["subnet-0123456789abcdef0"]`, "publicSubnetIds", `["public-1"]`}, []string{`"fargateship:publicSubnetIds"`, `"public-1"`}},
	{"bad vpc id", []string{"network", "existing-vpc", "vpcId", "vpc-1", "privateSubnetIds", `["subnet-0123456789abcdef0"]`}, []string{`"fargateship:vpcId"`, `"vpc-1"`, "VPC id"}},
	{"bad flow log role", []string{"flowLogsRoleArn", "flow-logs"}, []string{`"fargateship:flowLogsRoleArn"`, `"flow-logs"`, "IAM role ARN"}},
	{"bad scheduler role", []string{"schedulerRoleArn", "scheduler"}, []string{`"fargateship:schedulerRoleArn"`, `"scheduler"`, "IAM role ARN"}},
	{"negative min count", []string{"minCount", "-1"}, []string{`"fargateship:minCount"`, "between 0 and 5000"}},
	{"latency alarm too low", []string{"alarms", "true", "alarmLatencyP99Ms", "5"}, []string{`"fargateship:alarmLatencyP99Ms"`, "between 10 and 60000"}},
	{"cpu alarm over 100", []string{"alarms", "true", "alarmCpuPercent", "101"}, []string{`"fargateship:alarmCpuPercent"`, "between 10 and 100"}},
	{"memory alarm too low", []string{"alarms", "true", "alarmMemoryPercent", "5"}, []string{`"fargateship:alarmMemoryPercent"`, "between 10 and 100"}},
	{"dashboard not boolean", []string{"dashboard", "yes"}, []string{`"fargateship:dashboard"`, "true or false"}},
	{"exec not boolean", []string{"ecsExec", "on"}, []string{`"fargateship:ecsExec"`, "true or false"}},
	{"load balancer not boolean", []string{"loadBalancer", "1"}, []string{`"fargateship:loadBalancer"`, "true or false"}},
	{"alarms not boolean", []string{"alarms", "enabled"}, []string{`"fargateship:alarms"`, "true or false"}},
}

// TestBadConfigReportsEveryKey checks that one run names every bad key, so
// fixing a stack takes one round trip.
func TestBadConfigReportsEveryKey(t *testing.T) {
	r := runProgram(t, "dev", with(t, "cpu", "300", "architecture", "sparc", "logRetentionDays", "2"))
	if r.err == nil {
		t.Fatal("program succeeded")
	}
	for _, k := range []string{"fargateship:cpu", "fargateship:architecture", "fargateship:logRetentionDays"} {
		if !strings.Contains(r.err.Error(), k) {
			t.Errorf("error does not name %s: %v", k, r.err)
		}
	}
}

// TestFargateSizes walks the documented table: every listed pair is
// accepted and neighbours just off it are rejected.
func TestFargateSizes(t *testing.T) {
	valid := 0
	for cpu, mems := range fargateMemory {
		for _, mem := range mems {
			r := runProgram(t, "dev", with(t, "cpu", strconv.Itoa(cpu), "memory", strconv.Itoa(mem)))
			if r.err != nil {
				t.Errorf("cpu %d memory %d rejected: %v", cpu, mem, r.err)
			}
			valid++
		}
		for _, mem := range []int{mems[0] - 1, mems[len(mems)-1] + 1024} {
			if r := runProgram(t, "dev", with(t, "cpu", strconv.Itoa(cpu), "memory", strconv.Itoa(mem))); r.err == nil {
				t.Errorf("cpu %d memory %d accepted", cpu, mem)
			}
		}
	}
	// 3 + 4 + 7 + 13 + 23 + 12 + 12 pairs in AWS's table.
	if valid != 74 {
		t.Errorf("table has %d valid pairs, want 74", valid)
	}
}

// A sandbox stack refuses a domain: the reaper that destroys expired
// sandboxes has no DNS rights (bootstrap/cicd ReaperPermissions), and a
// destroy it cannot finish would leave the sandbox running.
func TestSandboxRefusesDomain(t *testing.T) {
	r := runProgram(t, "sandbox-alice", with(t, "loadBalancer", "true", "domainName", "alice.example.com", "hostedZoneId", "Z0123456789ABCDEFGHIJ"))
	if r.err == nil {
		t.Fatal("a sandbox with a domain was accepted")
	}
	for _, want := range []string{`"fargateship:domainName"`, `"alice.example.com"`, "sandbox stacks (sandbox-*)", "reaper"} {
		if !strings.Contains(r.err.Error(), want) {
			t.Errorf("error does not say %q: %v", want, r.err)
		}
	}
	if len(r.resources) != 0 {
		t.Errorf("%d resources registered before the error", len(r.resources))
	}
	// dev may.
	mustRun(t, "dev", with(t, "loadBalancer", "true", "domainName", "app.example.com", "hostedZoneId", "Z0123456789ABCDEFGHIJ"))
}
