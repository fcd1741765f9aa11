package infra

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// shippedStacks are every stack file the repository ships, with the stack
// name each one is for.
func shippedStacks(t *testing.T) map[string]string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(projectRoot, "Pulumi.*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	stacks := map[string]string{}
	for _, f := range files {
		name := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "Pulumi."), ".yaml")
		if strings.HasPrefix(name, "sandbox-") {
			continue // a developer's own, git-ignored sandbox file
		}
		stacks[name] = f
	}
	stacks["sandbox-preset"] = filepath.Join(projectRoot, "presets", "sandbox.yaml")
	for _, want := range []string{"dev", "prod", "sandbox-preset"} {
		if _, ok := stacks[want]; !ok {
			t.Fatalf("stack file for %s is missing", want)
		}
	}
	return stacks
}

// TestShippedStacks runs the program for every shipped stack file with the
// config the CLI would pass, and checks the wiring every stack shares.
func TestShippedStacks(t *testing.T) {
	proj := loadProject(t)
	for stack, file := range shippedStacks(t) {
		t.Run(stack, func(t *testing.T) {
			cfg := stackConfig(t, proj, file)
			r := mustRun(t, stack, cfg)
			checkCoreWiring(t, r, stack)
		})
	}
}

// checkCoreWiring asserts how outputs feed inputs in any stack:
// image → task definition → service, log group → awslogs, roles → task
// definition, and the ECR settings.
func checkCoreWiring(t *testing.T, r *run, stack string) {
	t.Helper()
	base := "fargateship-" + stack
	c := r.stack.Config

	repo := r.one(t, "aws:ecr/repository:Repository")
	if got := js(t, map[string]any{
		"name": repo.in("name"), "imageTagMutability": repo.in("imageTagMutability"),
		"imageScanningConfiguration": repo.in("imageScanningConfiguration"),
		"encryptionConfigurations":   repo.in("encryptionConfigurations"), "forceDelete": repo.in("forceDelete"),
	}); got != js(t, map[string]any{
		"name": base, "imageTagMutability": "IMMUTABLE",
		"imageScanningConfiguration": map[string]any{"scanOnPush": true},
		"encryptionConfigurations":   []any{map[string]any{"encryptionType": "KMS"}}, "forceDelete": !c.Protect,
	}) {
		t.Errorf("repository inputs = %s", got)
	}
	if repo.Protect != c.Protect {
		t.Errorf("repository protect = %v, want %v", repo.Protect, c.Protect)
	}

	// The image: tag from the content hash, platform from architecture,
	// pushed with a fresh token kept secret.
	img := r.one(t, "docker:index/image:Image")
	wantRef := mockAccount + ".dkr.ecr." + mockRegion + ".amazonaws.com/" + base + ":" + r.stack.Image.Tag
	if img.in("imageName") != wantRef {
		t.Errorf("image name = %v, want %s", img.in("imageName"), wantRef)
	}
	if !strings.HasPrefix(r.stack.Image.Tag, "src-") || len(r.stack.Image.Tag) != 24 {
		t.Errorf("image tag %q is not src-<20 hex>", r.stack.Image.Tag)
	}
	build := img.in("build").(map[string]any)
	if build["platform"] != Platform(c.Architecture) || build["context"] != "app" || build["dockerfile"] != "app/Dockerfile" || build["builderVersion"] != "BuilderBuildKit" {
		t.Errorf("image build = %v", build)
	}
	if !img.isSecret("registry") {
		t.Errorf("registry credentials are not secret")
	}
	reg := img.in("registry").(map[string]any)
	if reg["password"] != "ecr-token-password" || reg["username"] != "AWS" || reg["server"] != mockAccount+".dkr.ecr."+mockRegion+".amazonaws.com/"+base {
		t.Errorf("registry = %v", reg)
	}
	if !slices.Contains(r.calls, "aws:ecr/getAuthorizationToken:getAuthorizationToken") {
		t.Errorf("no ECR token fetched")
	}

	// Log group.
	lg := r.named(t, "aws:cloudwatch/logGroup:LogGroup", "app")
	if lg.in("name") != "/ecs/"+base || lg.in("retentionInDays") != float64(c.LogRetentionDays) || lg.Protect != c.Protect {
		t.Errorf("log group = %v retention %v protect %v", lg.in("name"), lg.in("retentionInDays"), lg.Protect)
	}

	// Roles: the execution role has the managed policy; the task role has
	// nothing unless ECS Exec is on.
	exec := r.named(t, "aws:iam/role:Role", "app-execution")
	task := r.named(t, "aws:iam/role:Role", "app-task")
	wantTrust := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":["sts:AssumeRole"],"Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:ecs:us-east-1:123456789012:*"},"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}`
	for _, role := range []*res{exec, task} {
		if role.in("assumeRolePolicy") != wantTrust {
			t.Errorf("%s trust = %v", role.Name, role.in("assumeRolePolicy"))
		}
	}
	// The execution role pulls from exactly the stack's repository and
	// writes to exactly the app's log group (no managed policy, which
	// would allow every repository and log group of the account).
	if n := len(r.all("aws:iam/rolePolicyAttachment:RolePolicyAttachment")); n != 0 {
		t.Errorf("%d managed policy attachments", n)
	}
	basics := r.named(t, "aws:iam/rolePolicy:RolePolicy", "app-execution")
	group := "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/" + base
	if basics.in("role") != exec.ID || basics.in("policy") != `{"Version":"2012-10-17","Statement":[`+
		`{"Sid":"WriteAppLogs","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":["`+group+`","`+group+`:*"]},`+
		`{"Sid":"RegistryLogin","Effect":"Allow","Action":["ecr:GetAuthorizationToken"],"Resource":["*"]},`+
		`{"Sid":"PullAppImage","Effect":"Allow","Action":["ecr:BatchCheckLayerAvailability","ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"],"Resource":["arn:aws:ecr:us-east-1:123456789012:repository/`+base+`"]}]}` {
		t.Errorf("execution role policy = %v", basics.in("policy"))
	}
	var taskPolicies []*res
	for _, p := range r.all("aws:iam/rolePolicy:RolePolicy") {
		if p.in("role") == task.ID {
			taskPolicies = append(taskPolicies, p)
		}
	}
	if !c.ECSExec && len(taskPolicies) != 0 {
		t.Errorf("task role has %d policies with ECS Exec off", len(taskPolicies))
	}
	if c.ECSExec {
		if len(taskPolicies) != 1 {
			t.Fatalf("task role has %d policies with ECS Exec on, want 1", len(taskPolicies))
		}
		var doc PolicyDocument
		if err := json.Unmarshal([]byte(taskPolicies[0].in("policy").(string)), &doc); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(doc.Statement[0].Action, ssmMessagesActions) || doc.Statement[2].Resource[0] != "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/"+base+"/exec:*" {
			t.Errorf("exec policy = %+v", doc)
		}
	}

	// Cluster with Container Insights and both Fargate capacity providers.
	cl := r.one(t, "aws:ecs/cluster:Cluster")
	if cl.in("name") != base || js(t, cl.in("settings")) != `[{"name":"containerInsights","value":"enabled"}]` {
		t.Errorf("cluster = %v %v", cl.in("name"), cl.in("settings"))
	}
	cps := r.one(t, "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders")
	if js(t, cps.in("capacityProviders")) != `["FARGATE","FARGATE_SPOT"]` || cps.in("clusterName") != base {
		t.Errorf("capacity providers = %v", cps.Inputs)
	}

	// Task definition: family, size, platform, roles, and the container.
	td := r.one(t, "aws:ecs/taskDefinition:TaskDefinition")
	wantArch := c.Architecture
	if got := js(t, map[string]any{
		"family": td.in("family"), "cpu": td.in("cpu"), "memory": td.in("memory"), "networkMode": td.in("networkMode"),
		"requiresCompatibilities": td.in("requiresCompatibilities"), "runtimePlatform": td.in("runtimePlatform"),
		"executionRoleArn": td.in("executionRoleArn"), "taskRoleArn": td.in("taskRoleArn"), "skipDestroy": td.in("skipDestroy"),
	}); got != js(t, map[string]any{
		"family": base, "cpu": strconv.Itoa(c.CPU), "memory": strconv.Itoa(c.Memory), "networkMode": "awsvpc",
		"requiresCompatibilities": []string{"FARGATE"}, "runtimePlatform": map[string]string{"cpuArchitecture": wantArch, "operatingSystemFamily": "LINUX"},
		"executionRoleArn": "arn:aws:iam::123456789012:role/fargateship/app-execution-1a2b3c4", "taskRoleArn": "arn:aws:iam::123456789012:role/fargateship/app-task-1a2b3c4", "skipDestroy": true,
	}) {
		t.Errorf("task definition = %s", got)
	}
	var defs []ContainerDefinition
	if err := json.Unmarshal([]byte(td.in("containerDefinitions").(string)), &defs); err != nil {
		t.Fatalf("container definitions: %v", err)
	}
	if len(defs) != 1 {
		t.Fatalf("want 1 container, got %d", len(defs))
	}
	d := defs[0]
	if d.Image != wantRef {
		t.Errorf("container image = %s, want the pushed %s", d.Image, wantRef)
	}
	if d.LogConfiguration.Options["awslogs-group"] != "/ecs/"+base || d.LogConfiguration.Options["awslogs-region"] != mockRegion {
		t.Errorf("awslogs options = %v", d.LogConfiguration.Options)
	}
	// Read-only root everywhere except where ECS Exec needs a writable one.
	if d.User != "65532:65532" || d.ReadonlyRootFilesystem == c.ECSExec || d.StopTimeout != c.StopTimeoutSeconds {
		t.Errorf("container hardening = user %q ro %v (ecsExec %v) stop %d", d.User, d.ReadonlyRootFilesystem, c.ECSExec, d.StopTimeout)
	}
	if js(t, d.HealthCheck.Command) != `["CMD","/server","healthcheck"]` {
		t.Errorf("health check = %v", d.HealthCheck.Command)
	}
	if js(t, d.PortMappings) != js(t, []PortMapping{{Name: "http", ContainerPort: c.ContainerPort, HostPort: c.ContainerPort, Protocol: "tcp", AppProtocol: "http"}}) {
		t.Errorf("port mappings = %v", d.PortMappings)
	}
	// No task may start before its roles hold their policies: the task
	// definition (and so the service) waits for the attachment.
	if !td.dependsOn("aws:iam/rolePolicy:RolePolicy", "app-execution") {
		t.Errorf("task definition does not wait for the execution role's policy: %v", td.DependsOn)
	}
	if c.ECSExec && !td.dependsOn("aws:iam/rolePolicy:RolePolicy", "app-task-exec") {
		t.Errorf("task definition does not wait for the task role's exec policy: %v", td.DependsOn)
	}
	if !td.dependsOn("docker:index/image:Image", "app") {
		t.Errorf("task definition does not depend on the image push: %v", td.DependsOn)
	}

	// Service: the task definition revision, capacity provider, network,
	// deployment safety.
	svc := r.one(t, "aws:ecs/service:Service")
	wantCP := "FARGATE"
	if c.Spot {
		wantCP = "FARGATE_SPOT"
	}
	if got := js(t, map[string]any{
		"name": svc.in("name"), "cluster": svc.in("cluster"), "taskDefinition": svc.in("taskDefinition"),
		"capacityProviderStrategies": svc.in("capacityProviderStrategies"), "platformVersion": svc.in("platformVersion"),
		"deploymentCircuitBreaker": svc.in("deploymentCircuitBreaker"), "min": svc.in("deploymentMinimumHealthyPercent"),
		"max": svc.in("deploymentMaximumPercent"), "wait": svc.in("waitForSteadyState"), "propagateTags": svc.in("propagateTags"),
		"desiredCount": svc.in("desiredCount"), "exec": svc.in("enableExecuteCommand"), "assignPublicIp": svc.in("networkConfiguration").(map[string]any)["assignPublicIp"],
	}); got != js(t, map[string]any{
		"name": base, "cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/" + base,
		"taskDefinition":             "arn:aws:ecs:us-east-1:123456789012:task-definition/" + base + ":7",
		"capacityProviderStrategies": []any{map[string]any{"base": 0, "capacityProvider": wantCP, "weight": 1}}, "platformVersion": "LATEST",
		"deploymentCircuitBreaker": map[string]any{"enable": true, "rollback": true}, "min": 100, "max": 200, "wait": true,
		"propagateTags": "SERVICE", "desiredCount": c.DesiredCount, "exec": c.ECSExec, "assignPublicIp": c.AssignPublicIP,
	}) {
		t.Errorf("service = %s", got)
	}
	sg := r.named(t, "aws:ec2/securityGroup:SecurityGroup", "app")
	if got := svc.in("networkConfiguration").(map[string]any)["securityGroups"]; js(t, got) != js(t, []string{sg.ID}) {
		t.Errorf("service security groups = %v, want [%s]", got, sg.ID)
	}
	if !svc.dependsOn("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "cluster") {
		t.Errorf("service does not depend on the capacity providers")
	}

	// Every component child is parented and tagged.
	for _, x := range r.resources {
		if x.Parent == "" || strings.HasSuffix(x.Parent, "::fargateship-"+stack) {
			if !strings.HasPrefix(x.Type, "fargateship:") {
				t.Errorf("%s %s is not inside a component (parent %q)", x.Type, x.Name, x.Parent)
			}
		}
		if tags, ok := x.in("tags").(map[string]any); ok {
			if tags["project"] != "fargateship" || tags["stack"] != stack {
				t.Errorf("%s %s tags = %v", x.Type, x.Name, tags)
			}
		}
	}

	// Outputs.
	for _, k := range []string{"repositoryUrl", "image", "imageDigest", "taskDefinitionArn", "taskDefinitionRevision", "clusterName", "serviceName", "logGroupName", "logsCommand", "runTaskCommand"} {
		if _, ok := r.outputs[k]; !ok {
			t.Errorf("output %s missing", k)
		}
	}
	if r.outputs["image"] != wantRef || r.outputs["clusterName"] != base || r.outputs["logGroupName"] != "/ecs/"+base {
		t.Errorf("outputs = %v", r.outputs)
	}
	if got, want := r.outputs["logsCommand"], "aws logs tail /ecs/"+base+" --follow --format short --region us-east-1"; got != want {
		t.Errorf("logsCommand = %v, want %s", got, want)
	}
	if _, ok := r.outputs["execCommand"]; ok != c.ECSExec {
		t.Errorf("execCommand present = %v, ECS Exec = %v", ok, c.ECSExec)
	}
}

// dependsOn reports whether the resource explicitly depends on the resource
// of that type and name (URNs end in "$TYPE::NAME" or "::TYPE::NAME").
func (x *res) dependsOn(typ, name string) bool {
	for _, u := range x.DependsOn {
		if strings.HasSuffix(u, "$"+typ+"::"+name) || strings.HasSuffix(u, "::"+typ+"::"+name) {
			return true
		}
	}
	return false
}
