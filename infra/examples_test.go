package infra

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// overlay returns base with the keys that the stack file at path sets,
// loaded and type-checked as the CLI loads a stack file: what a team gets
// when it adds those lines to one of its stack files.
func overlay(t *testing.T, base map[string]string, path string) map[string]string {
	t.Helper()
	proj := loadProject(t)
	stackConfig(t, proj, path) // type-checks every key against Pulumi.yaml
	sink := diag.DefaultSink(os.Stderr, os.Stderr, diag.FormatOptions{Color: colors.Never})
	ps, err := workspace.LoadProjectStack(sink, proj, path)
	if err != nil {
		t.Fatal(err)
	}
	set, err := ps.Config.Decrypt(config.NopDecrypter)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range set {
		out[k.String()] = v
	}
	return out
}

// exampleRuns deploys an example's stack lines on top of every shipped
// stack under mocks.
func exampleRuns(t *testing.T, example string) map[string]*run {
	t.Helper()
	runs := map[string]*run{}
	for stack, file := range shippedStacks(t) {
		base := stackConfig(t, loadProject(t), file)
		cfg := overlay(t, base, filepath.Join(projectRoot, "examples", example, "stack.yaml"))
		name := stack
		if stack == "sandbox-preset" {
			name = "sandbox-erin"
		}
		runs[stack] = mustRun(t, name, cfg)
	}
	return runs
}

// TestExampleAPI: another binary, port and health check, built from its
// own folder, on every shipped stack shape.
func TestExampleAPI(t *testing.T) {
	for stack, r := range exampleRuns(t, "api") {
		t.Run(stack, func(t *testing.T) {
			build := r.one(t, "docker:index/image:Image").in("build").(map[string]any)
			if build["context"] != "examples/api" || build["dockerfile"] != "examples/api/Dockerfile" {
				t.Errorf("build = %v", build)
			}
			c := containerOf(t, r)
			if js(t, c.PortMappings) != `[{"name":"http","containerPort":9090,"hostPort":9090,"protocol":"tcp","appProtocol":"http"}]` ||
				c.HealthCheck == nil || js(t, c.HealthCheck.Command) != `["CMD","/api","-check"]` || len(c.Command) != 0 {
				t.Errorf("container = %s", js(t, c))
			}
			if !strings.Contains(js(t, c.Environment), `{"name":"PORT","value":"9090"}`) {
				t.Errorf("PORT not passed: %v", c.Environment)
			}
			ingress := r.named(t, "aws:ec2/securityGroup:SecurityGroup", "app").in("ingress").([]any)[0].(map[string]any)
			if ingress["fromPort"] != float64(9090) || ingress["toPort"] != float64(9090) {
				t.Errorf("task ingress = %v", ingress)
			}
			if stack == "prod" {
				tg := r.one(t, "aws:lb/targetGroup:TargetGroup")
				if tg.in("port") != float64(9090) || tg.in("healthCheck").(map[string]any)["path"] != "/ready" {
					t.Errorf("target group = %v %v", tg.in("port"), tg.in("healthCheck"))
				}
				if lbs := r.one(t, "aws:ecs/service:Service").in("loadBalancers").([]any); lbs[0].(map[string]any)["containerPort"] != float64(9090) {
					t.Errorf("service load balancer = %v", lbs)
				}
			}
			// Not the sample app: the one-off task runs the image's own command.
			if strings.Contains(r.outputs["runTaskCommand"].(string), "--overrides") {
				t.Errorf("runTaskCommand overrides the command: %v", r.outputs["runTaskCommand"])
			}
		})
	}
}

// TestExampleWorker: no port, no inbound rule, no health check, no load
// balancer, and a scheduled job run through EventBridge Scheduler.
func TestExampleWorker(t *testing.T) {
	for stack, r := range exampleRuns(t, "worker") {
		t.Run(stack, func(t *testing.T) {
			c := containerOf(t, r)
			if len(c.PortMappings) != 0 || c.HealthCheck != nil || strings.Contains(js(t, c.Environment), `"PORT"`) {
				t.Errorf("worker container = %s", js(t, c))
			}
			sg := r.named(t, "aws:ec2/securityGroup:SecurityGroup", "app")
			if got := sg.in("ingress"); got != nil && len(got.([]any)) != 0 {
				t.Errorf("worker ingress = %v", got)
			}
			if len(r.all("aws:lb/loadBalancer:LoadBalancer"))+len(r.all("aws:lb/targetGroup:TargetGroup")) != 0 {
				t.Errorf("worker has a load balancer")
			}
			svc := r.one(t, "aws:ecs/service:Service")
			if svc.in("loadBalancers") != nil {
				t.Errorf("worker service load balancers = %v", svc.in("loadBalancers"))
			}
			base := r.stack.Naming.Base
			group := r.one(t, "aws:scheduler/scheduleGroup:ScheduleGroup")
			if group.in("name") != base {
				t.Errorf("schedule group = %v", group.in("name"))
			}
			sched := r.one(t, "aws:scheduler/schedule:Schedule")
			td := r.one(t, "aws:ecs/taskDefinition:TaskDefinition")
			cluster := r.one(t, "aws:ecs/cluster:Cluster")
			role := r.named(t, "aws:iam/role:Role", "jobs")
			nc := svc.in("networkConfiguration").(map[string]any)
			capacity := svc.in("capacityProviderStrategies").([]any)[0].(map[string]any)["capacityProvider"]
			ecsParams := map[string]any{
				"taskDefinitionArn": td.Outputs["arn"].StringValue(), "taskCount": 1, "platformVersion": "LATEST",
				"networkConfiguration": map[string]any{"assignPublicIp": nc["assignPublicIp"], "securityGroups": nc["securityGroups"], "subnets": nc["subnets"]},
			}
			if nc["assignPublicIp"] == true {
				// EventBridge Scheduler takes a public IP only with launch
				// type FARGATE (rule scheduler.publicip).
				ecsParams["launchType"] = "FARGATE"
			} else {
				ecsParams["capacityProviderStrategies"] = []any{map[string]any{"base": 0, "capacityProvider": capacity, "weight": 1}}
			}
			if got := js(t, map[string]any{
				"name": sched.in("name"), "group": sched.in("groupName"), "expr": sched.in("scheduleExpression"), "tz": sched.in("scheduleExpressionTimezone"),
				"window": sched.in("flexibleTimeWindow"), "state": sched.in("state"), "target": sched.in("target"),
			}); got != js(t, map[string]any{
				"name": "nightly-report", "group": base, "expr": "cron(0 3 * * ? *)", "tz": "Europe/Paris",
				"window": map[string]any{"mode": "OFF"}, "state": "ENABLED",
				"target": map[string]any{
					"arn": cluster.Outputs["arn"].StringValue(), "roleArn": role.Outputs["arn"].StringValue(),
					"input":         `{"containerOverrides":[{"name":"app","command":["report"]}]}`,
					"ecsParameters": ecsParams,
					"retryPolicy":   map[string]any{"maximumEventAgeInSeconds": 3600, "maximumRetryAttempts": 2},
				},
			}) {
				t.Errorf("schedule = %s", got)
			}
			// The scheduler role: trusted by the scheduler of this account
			// for this group only; may run only this family on this cluster
			// and pass only the two task roles, to ECS tasks only.
			if got := role.in("assumeRolePolicy"); got != `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"scheduler.amazonaws.com"},"Action":["sts:AssumeRole"],"Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:scheduler:us-east-1:123456789012:schedule-group/`+base+`"},"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}` {
				t.Errorf("scheduler trust = %v", got)
			}
			exec := r.named(t, "aws:iam/role:Role", "app-execution").Outputs["arn"].StringValue()
			task := r.named(t, "aws:iam/role:Role", "app-task").Outputs["arn"].StringValue()
			if got := r.named(t, "aws:iam/rolePolicy:RolePolicy", "jobs").in("policy"); got != `{"Version":"2012-10-17","Statement":[`+
				`{"Sid":"RunThisFamilyOnThisCluster","Effect":"Allow","Action":["ecs:RunTask"],"Resource":["arn:aws:ecs:us-east-1:123456789012:task-definition/`+base+`:*"],"Condition":{"ArnEquals":{"ecs:cluster":"`+cluster.Outputs["arn"].StringValue()+`"}}},`+
				`{"Sid":"PassTheTaskRoles","Effect":"Allow","Action":["iam:PassRole"],"Resource":["`+exec+`","`+task+`"],"Condition":{"StringEquals":{"iam:PassedToService":"ecs-tasks.amazonaws.com"}}}]}` {
				t.Errorf("scheduler policy = %v", got)
			}
			if js(t, r.outputs["scheduleNames"]) != `["nightly-report"]` {
				t.Errorf("scheduleNames = %v", r.outputs["scheduleNames"])
			}
			runNow := r.outputs["scheduleRunCommands"].(map[string]string)["nightly-report"]
			if !strings.HasPrefix(runNow, "aws ecs run-task ") || !strings.HasSuffix(runNow, `--overrides '{"containerOverrides":[{"name":"app","command":["report"]}]}'`) {
				t.Errorf("run-now command = %s", runNow)
			}
		})
	}
}

// TestExamplePrebuiltImage: nothing built or pushed, no repository; the
// task runs the given reference; the execution role may pull exactly its
// repository.
func TestExamplePrebuiltImage(t *testing.T) {
	ref := "123456789012.dkr.ecr.us-east-1.amazonaws.com/billing-api:1.4.2"
	for stack, r := range exampleRuns(t, "prebuilt") {
		t.Run(stack, func(t *testing.T) {
			if len(r.all("docker:index/image:Image"))+len(r.all("aws:ecr/repository:Repository"))+len(r.all("aws:ecr/lifecyclePolicy:LifecyclePolicy")) != 0 {
				t.Errorf("a prebuilt image stack builds or creates a repository")
			}
			for _, call := range r.calls {
				if call == "aws:ecr/getAuthorizationToken:getAuthorizationToken" {
					t.Errorf("a prebuilt image stack asks for a registry token")
				}
			}
			c := containerOf(t, r)
			if c.Image != ref || c.PortMappings[0].ContainerPort != 8000 || js(t, c.HealthCheck.Command) != `["CMD","/usr/local/bin/billing-api","healthcheck"]` {
				t.Errorf("container = %s", js(t, c))
			}
			var doc PolicyDocument
			if err := json.Unmarshal([]byte(r.named(t, "aws:iam/rolePolicy:RolePolicy", "app-execution").in("policy").(string)), &doc); err != nil {
				t.Fatal(err)
			}
			if last := doc.Statement[len(doc.Statement)-1]; last.Sid != "PullAppImage" || js(t, last.Resource) != `["arn:aws:ecr:us-east-1:123456789012:repository/billing-api"]` {
				t.Errorf("pull statement = %+v", last)
			}
			if r.outputs["image"] != ref || r.outputs["imageTag"] != "1.4.2" || r.outputs["repositoryName"] != "billing-api" || r.outputs["repositoryUrl"] != nil {
				t.Errorf("outputs = %v %v %v %v", r.outputs["image"], r.outputs["imageTag"], r.outputs["repositoryName"], r.outputs["repositoryUrl"])
			}
		})
	}
	// Outside ECR: no pull permission at all.
	r := mustRun(t, "dev", with(t, "image", "ghcr.io/acme/api@sha256:"+strings.Repeat("ab", 32)))
	if p := r.named(t, "aws:iam/rolePolicy:RolePolicy", "app-execution").in("policy").(string); strings.Contains(p, "ecr:") {
		t.Errorf("non-ECR image gets ECR permissions: %s", p)
	}
	if r.outputs["imageDigest"] != "ghcr.io/acme/api@sha256:"+strings.Repeat("ab", 32) {
		t.Errorf("imageDigest = %v", r.outputs["imageDigest"])
	}
}

// TestBuildKeysFollowTheTag: buildContext, dockerfile, buildTarget and
// buildArgs are build inputs: each changes the content-hash tag and
// reaches the docker provider.
func TestBuildKeysFollowTheTag(t *testing.T) {
	base := mustRun(t, "dev", with(t))
	for _, kv := range [][]string{
		{"buildContext", "examples/api"},
		{"dockerfile", "examples/api/Dockerfile"},
		{"buildTarget", "build"},
		{"buildArgs", `{"VERSION":"1.2.3"}`},
	} {
		r := mustRun(t, "dev", with(t, kv...))
		if r.stack.Image.Tag == base.stack.Image.Tag {
			t.Errorf("%s does not change the tag", kv[0])
		}
		build := r.one(t, "docker:index/image:Image").in("build").(map[string]any)
		switch kv[0] {
		case "buildTarget":
			if build["target"] != "build" {
				t.Errorf("target = %v", build["target"])
			}
		case "buildArgs":
			if js(t, build["args"]) != `{"VERSION":"1.2.3"}` {
				t.Errorf("args = %v", build["args"])
			}
		}
	}
}
