package infra

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func containerOf(t *testing.T, r *run) ContainerDefinition {
	t.Helper()
	td := r.one(t, "aws:ecs/taskDefinition:TaskDefinition")
	var defs []ContainerDefinition
	if err := json.Unmarshal([]byte(td.in("containerDefinitions").(string)), &defs); err != nil {
		t.Fatal(err)
	}
	return defs[0]
}

func TestLoadBalancerWiring(t *testing.T) {
	r := mustRun(t, "dev", with(t, "loadBalancer", "true", "drainDelaySeconds", "7"))
	alb := r.one(t, "aws:lb/loadBalancer:LoadBalancer")
	tg := r.one(t, "aws:lb/targetGroup:TargetGroup")
	listener := r.one(t, "aws:lb/listener:Listener")
	svc := r.one(t, "aws:ecs/service:Service")
	albSG := r.named(t, "aws:ec2/securityGroup:SecurityGroup", "web-alb")
	taskSG := r.named(t, "aws:ec2/securityGroup:SecurityGroup", "app")

	if alb.in("internal") != false || alb.in("loadBalancerType") != "application" || js(t, alb.in("securityGroups")) != js(t, []string{albSG.ID}) {
		t.Errorf("alb = %v", alb.Inputs)
	}
	if js(t, alb.in("subnets")) != `["subnet-0default0a","subnet-0default0b","subnet-0default0c"]` {
		t.Errorf("alb subnets = %v", alb.in("subnets"))
	}
	// ip target group on the container port, fast health checks on /healthz,
	// deregistration aligned with the drain delay.
	if got := js(t, map[string]any{"type": tg.in("targetType"), "port": tg.in("port"), "dereg": tg.in("deregistrationDelay"), "hc": tg.in("healthCheck")}); got != js(t, map[string]any{
		"type": "ip", "port": 8080, "dereg": 12,
		"hc": map[string]any{"enabled": true, "healthyThreshold": 2, "interval": 5, "matcher": "200", "path": "/healthz", "port": "traffic-port", "protocol": "HTTP", "timeout": 2, "unhealthyThreshold": 2},
	}) {
		t.Errorf("target group = %s", got)
	}
	// listener → target group
	if listener.in("loadBalancerArn") != alb.ID || listener.in("port") != float64(80) ||
		js(t, listener.in("defaultActions")) != js(t, []any{map[string]any{"targetGroupArn": tg.ID, "type": "forward"}}) {
		t.Errorf("listener = %v", listener.Inputs)
	}
	// target group → service, with the container name and port of the
	// container definition.
	c := containerOf(t, r)
	lbs := svc.in("loadBalancers").([]any)
	if len(lbs) != 1 || js(t, lbs[0]) != js(t, map[string]any{"containerName": c.Name, "containerPort": c.PortMappings[0].ContainerPort, "targetGroupArn": tg.ID}) {
		t.Errorf("service load balancers = %v", lbs)
	}
	if svc.in("healthCheckGracePeriodSeconds") != float64(30) {
		t.Errorf("grace period = %v", svc.in("healthCheckGracePeriodSeconds"))
	}
	if !svc.dependsOn("aws:lb/listener:Listener", "web-http") {
		t.Errorf("service does not depend on the listener: %v", svc.DependsOn)
	}
	// SG-to-SG: the tasks accept the container port from the ALB only.
	ingress := taskSG.in("ingress").([]any)
	if len(ingress) != 1 || js(t, ingress[0].(map[string]any)["securityGroups"]) != js(t, []string{albSG.ID}) || ingress[0].(map[string]any)["cidrBlocks"] != nil {
		t.Errorf("task ingress = %v", ingress)
	}
	if r.outputs["url"] != "http://fargateship-dev-123456789.us-east-1.elb.amazonaws.com" {
		t.Errorf("url = %v", r.outputs["url"])
	}
}

func TestHTTPSRedirects(t *testing.T) {
	cert := "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab"
	r := mustRun(t, "dev", with(t, "loadBalancer", "true", "certificateArn", cert))
	http := r.named(t, "aws:lb/listener:Listener", "web-http")
	https := r.named(t, "aws:lb/listener:Listener", "web-https")
	tg := r.one(t, "aws:lb/targetGroup:TargetGroup")
	if js(t, http.in("defaultActions")) != `[{"redirect":{"port":"443","protocol":"HTTPS","statusCode":"HTTP_301"},"type":"redirect"}]` {
		t.Errorf("http listener = %v", http.in("defaultActions"))
	}
	if https.in("certificateArn") != cert || https.in("port") != float64(443) || !strings.HasPrefix(https.in("sslPolicy").(string), "ELBSecurityPolicy-TLS13") ||
		js(t, https.in("defaultActions")) != js(t, []any{map[string]any{"targetGroupArn": tg.ID, "type": "forward"}}) {
		t.Errorf("https listener = %v", https.Inputs)
	}
	if !r.one(t, "aws:ecs/service:Service").dependsOn("aws:lb/listener:Listener", "web-https") {
		t.Errorf("service does not depend on the forwarding listener")
	}
	if !strings.HasPrefix(r.outputs["url"].(string), "https://") {
		t.Errorf("url = %v", r.outputs["url"])
	}
}

func TestNewVPC(t *testing.T) {
	r := mustRun(t, "dev", with(t, "network", "new-vpc", "loadBalancer", "true"))
	subnets := r.all("aws:ec2/subnet:Subnet")
	if len(subnets) != 4 {
		t.Fatalf("want 4 subnets, got %d", len(subnets))
	}
	want := map[string][2]string{
		"network-public-0": {"10.0.0.0/20", "us-east-1a"}, "network-public-1": {"10.0.16.0/20", "us-east-1b"},
		"network-private-0": {"10.0.128.0/20", "us-east-1a"}, "network-private-1": {"10.0.144.0/20", "us-east-1b"},
	}
	for _, s := range subnets {
		w := want[s.Name]
		if s.in("cidrBlock") != w[0] || s.in("availabilityZone") != w[1] || s.in("mapPublicIpOnLaunch") == true {
			t.Errorf("subnet %s = %v %v %v", s.Name, s.in("cidrBlock"), s.in("availabilityZone"), s.in("mapPublicIpOnLaunch"))
		}
	}
	svc := r.one(t, "aws:ecs/service:Service")
	nc := svc.in("networkConfiguration").(map[string]any)
	if nc["assignPublicIp"] != false || js(t, nc["subnets"]) != `["subnet-network-private-0","subnet-network-private-1"]` {
		t.Errorf("tasks network = %v", nc)
	}
	alb := r.one(t, "aws:lb/loadBalancer:LoadBalancer")
	if js(t, alb.in("subnets")) != `["subnet-network-public-0","subnet-network-public-1"]` {
		t.Errorf("alb subnets = %v", alb.in("subnets"))
	}
	if n := len(r.all("aws:ec2/natGateway:NatGateway")); n != 1 {
		t.Errorf("want 1 NAT gateway by default, got %d", n)
	}
	// Both private route tables send 0.0.0.0/0 to the NAT.
	for _, rt := range r.all("aws:ec2/routeTable:RouteTable") {
		routes := js(t, rt.in("routes"))
		if strings.Contains(rt.Name, "private") && !strings.Contains(routes, `"natGatewayId":"network-0-id"`) {
			t.Errorf("%s routes = %s", rt.Name, routes)
		}
	}
	if !strings.Contains(r.outputs["runTaskCommand"].(string), "assignPublicIp=DISABLED") {
		t.Errorf("run-task command = %v", r.outputs["runTaskCommand"])
	}
}

func TestExistingVPC(t *testing.T) {
	r := mustRun(t, "dev", with(t, "network", "existing-vpc", "vpcId", "vpc-0123456789abcdef0",
		"publicSubnetIds", `["subnet-0aaaaaaaaaaaaaaa1","subnet-0aaaaaaaaaaaaaaa2"]`,
		"privateSubnetIds", `["subnet-0bbbbbbbbbbbbbbb1","subnet-0bbbbbbbbbbbbbbb2"]`, "loadBalancer", "true"))
	if n := len(r.all("aws:ec2/vpc:Vpc")); n != 0 {
		t.Errorf("created %d VPCs for an existing one", n)
	}
	nc := r.one(t, "aws:ecs/service:Service").in("networkConfiguration").(map[string]any)
	if nc["assignPublicIp"] != false || js(t, nc["subnets"]) != `["subnet-0bbbbbbbbbbbbbbb1","subnet-0bbbbbbbbbbbbbbb2"]` {
		t.Errorf("tasks network = %v", nc)
	}
	if r.named(t, "aws:ec2/securityGroup:SecurityGroup", "app").in("vpcId") != "vpc-0123456789abcdef0" {
		t.Errorf("security group not in the given VPC")
	}
}

func TestSecretsNeverPlain(t *testing.T) {
	cfg := with(t, "secrets", `{"DB_PASSWORD":"hunter2","API_KEY":"k-123"}`, "environment", `{"LOG_LEVEL":"debug"}`)
	r := mustRun(t, "dev", cfg, "fargateship:secrets")
	c := containerOf(t, r)
	for _, kv := range c.Environment {
		if kv.Name == "DB_PASSWORD" || kv.Name == "API_KEY" || strings.Contains(kv.Value, "hunter2") {
			t.Errorf("secret in plain environment: %v", kv)
		}
	}
	want := []Secret{
		{Name: "API_KEY", ValueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:fargateship-dev/API_KEY-AbCdEf:::v-app-API_KEY"},
		{Name: "DB_PASSWORD", ValueFrom: "arn:aws:secretsmanager:us-east-1:123456789012:secret:fargateship-dev/DB_PASSWORD-AbCdEf:::v-app-DB_PASSWORD"},
	}
	if js(t, c.Secrets) != js(t, want) {
		t.Errorf("container secrets = %v", c.Secrets)
	}
	for _, v := range r.all("aws:secretsmanager/secretVersion:SecretVersion") {
		if !v.isSecret("secretString") {
			t.Errorf("%s secretString is not a Pulumi secret", v.Name)
		}
	}
	// Only the execution role reads them, and only these two.
	exec := r.named(t, "aws:iam/role:Role", "app-execution")
	pol := r.named(t, "aws:iam/rolePolicy:RolePolicy", "app-execution-secrets")
	if pol.in("role") != exec.ID || pol.in("policy") != `{"Version":"2012-10-17","Statement":[{"Sid":"ReadTaskSecrets","Effect":"Allow","Action":["secretsmanager:GetSecretValue"],"Resource":["arn:aws:secretsmanager:us-east-1:123456789012:secret:fargateship-dev/API_KEY-AbCdEf","arn:aws:secretsmanager:us-east-1:123456789012:secret:fargateship-dev/DB_PASSWORD-AbCdEf"]}]}` {
		t.Errorf("secrets policy = %v on %v", pol.in("policy"), pol.in("role"))
	}
	for _, p := range r.all("aws:iam/rolePolicy:RolePolicy") {
		if strings.Contains(p.in("policy").(string), "secretsmanager") && p.in("role") != exec.ID {
			t.Errorf("%s grants secrets to another role", p.Name)
		}
	}
	for k, v := range r.outputs {
		if strings.Contains(js(t, v), "hunter2") || strings.Contains(js(t, v), "k-123") {
			t.Errorf("output %s leaks a secret", k)
		}
	}
}

func TestAutoscaling(t *testing.T) {
	r := mustRun(t, "dev", with(t, "loadBalancer", "true", "minCount", "2", "maxCount", "6", "desiredCount", "2", "requestsPerTarget", "800"))
	target := r.one(t, "aws:appautoscaling/target:Target")
	if got := js(t, map[string]any{"min": target.in("minCapacity"), "max": target.in("maxCapacity"), "id": target.in("resourceId"), "dim": target.in("scalableDimension")}); got != `{"dim":"ecs:service:DesiredCount","id":"service/fargateship-dev/fargateship-dev","max":6,"min":2}` {
		t.Errorf("scaling target = %s", got)
	}
	cpu := r.named(t, "aws:appautoscaling/policy:Policy", "app-cpu")
	req := r.named(t, "aws:appautoscaling/policy:Policy", "app-requests")
	if got := js(t, cpu.in("targetTrackingScalingPolicyConfiguration")); !strings.Contains(got, `"predefinedMetricType":"ECSServiceAverageCPUUtilization"`) || !strings.Contains(got, `"targetValue":60`) {
		t.Errorf("cpu policy = %s", got)
	}
	if got := js(t, req.in("targetTrackingScalingPolicyConfiguration")); !strings.Contains(got, `"resourceLabel":"app/fargateship-dev/50dc6c495c0c9188/targetgroup/web-1a2b3c4/943f017f100becff"`) || !strings.Contains(got, `"targetValue":800`) {
		t.Errorf("requests policy = %s", got)
	}
	// desiredCount is left to the autoscaler after creation.
	if svc := r.one(t, "aws:ecs/service:Service"); !slices.Contains(svc.Ignore, "desiredCount") {
		t.Errorf("service ignoreChanges = %v", svc.Ignore)
	}
	// Without autoscaling, desiredCount is managed.
	r = mustRun(t, "dev", with(t))
	if svc := r.one(t, "aws:ecs/service:Service"); slices.Contains(svc.Ignore, "desiredCount") || len(r.all("aws:appautoscaling/target:Target")) != 0 {
		t.Errorf("autoscaling present with maxCount 0")
	}
}

func TestArchitectureDrivesImageAndTask(t *testing.T) {
	x86 := mustRun(t, "dev", with(t))
	arm := mustRun(t, "dev", with(t, "architecture", "ARM64"))
	if arm.one(t, "docker:index/image:Image").in("build").(map[string]any)["platform"] != "linux/arm64" {
		t.Errorf("ARM64 image not built for linux/arm64")
	}
	if js(t, arm.one(t, "aws:ecs/taskDefinition:TaskDefinition").in("runtimePlatform")) != `{"cpuArchitecture":"ARM64","operatingSystemFamily":"LINUX"}` {
		t.Errorf("ARM64 runtime platform wrong")
	}
	// The platform is a build input: another platform, another tag.
	if x86.stack.Image.Tag == arm.stack.Image.Tag {
		t.Errorf("x86 and arm images share tag %s", x86.stack.Image.Tag)
	}
}

// TestECSExecWritableRoot: with exec on the container gets an init process
// and a writable root (AWS supports exec only there), no volume guesses;
// with exec off the root is read-only and every capability is dropped.
func TestECSExecWritableRoot(t *testing.T) {
	r := mustRun(t, "dev", with(t, "ecsExec", "true"))
	c := containerOf(t, r)
	if c.ReadonlyRootFilesystem || c.LinuxParameters == nil || !c.LinuxParameters.InitProcessEnabled || c.LinuxParameters.Capabilities != nil {
		t.Errorf("exec container = %+v", c)
	}
	if len(c.MountPoints) != 0 {
		t.Errorf("mount points = %v", c.MountPoints)
	}
	td := r.one(t, "aws:ecs/taskDefinition:TaskDefinition")
	if td.in("volumes") != nil {
		t.Errorf("volumes = %v", td.in("volumes"))
	}
	cl := r.one(t, "aws:ecs/cluster:Cluster")
	if js(t, cl.in("configuration")) != `{"executeCommandConfiguration":{"logConfiguration":{"cloudWatchEncryptionEnabled":false,"cloudWatchLogGroupName":"/ecs/fargateship-dev/exec"},"logging":"OVERRIDE"}}` {
		t.Errorf("cluster exec config = %v", js(t, cl.in("configuration")))
	}
	// Off: read-only root, all capabilities dropped, and the cluster's exec
	// logging set back to the default rather than left pointing at the
	// deleted exec log group.
	offRun := mustRun(t, "dev", with(t, "ecsExec", "false"))
	if got := js(t, offRun.one(t, "aws:ecs/cluster:Cluster").in("configuration")); got != `{"executeCommandConfiguration":{"logging":"DEFAULT"}}` {
		t.Errorf("exec-off cluster config = %s", got)
	}
	off := containerOf(t, offRun)
	if !off.ReadonlyRootFilesystem || len(off.MountPoints) != 0 || off.LinuxParameters.Capabilities == nil || js(t, off.LinuxParameters.Capabilities.Drop) != `["ALL"]` {
		t.Errorf("exec-off container = %+v", off)
	}
}

// TestSpotSwitchIsAnUpdate: the capacity provider strategy is the only
// service input spot changes, and forceNewDeployment is set, so the
// provider updates the service in place instead of replacing it under
// the same name (terraform-provider-aws internal/service/ecs/service.go,
// capacityProviderStrategyCustomizeDiff).
func TestSpotSwitchIsAnUpdate(t *testing.T) {
	onDemand := mustRun(t, "dev", with(t)).one(t, "aws:ecs/service:Service")
	spot := mustRun(t, "dev", with(t, "spot", "true")).one(t, "aws:ecs/service:Service")
	for _, svc := range []*res{onDemand, spot} {
		if svc.in("forceNewDeployment") != true {
			t.Errorf("forceNewDeployment = %v: a capacity provider change would replace the service", svc.in("forceNewDeployment"))
		}
	}
	var changed []string
	for k := range spot.Inputs {
		if js(t, spot.in(string(k))) != js(t, onDemand.in(string(k))) {
			changed = append(changed, string(k))
		}
	}
	if js(t, changed) != `["capacityProviderStrategies"]` {
		t.Errorf("spot changes service inputs %v, want only capacityProviderStrategies", changed)
	}
	if js(t, spot.in("capacityProviderStrategies")) != `[{"base":0,"capacityProvider":"FARGATE_SPOT","weight":1}]` {
		t.Errorf("spot strategy = %v", js(t, spot.in("capacityProviderStrategies")))
	}
}

// TestNewVPCTaskSubnetsWaitForRoutes: in new-vpc the service's subnets
// resolve only once each private subnet is associated with its route
// table (whose default route needs the NAT gateway), so no task starts
// in a subnet without egress.
func TestNewVPCTaskSubnetsWaitForRoutes(t *testing.T) {
	r := mustRun(t, "prod", with(t, "network", "new-vpc", "natGateways", "2"))
	svc := r.one(t, "aws:ecs/service:Service")
	for _, name := range []string{"network-private-0", "network-private-1"} {
		if !svc.dependsOn("aws:ec2/routeTableAssociation:RouteTableAssociation", name) {
			t.Errorf("service does not wait for route table association %s: %v", name, svc.DependsOn)
		}
	}
	for i, rt := range []string{"network-private-0", "network-private-1"} {
		routes := r.named(t, "aws:ec2/routeTable:RouteTable", rt).in("routes").([]any)
		nat := r.named(t, "aws:ec2/natGateway:NatGateway", "network-"+strconv.Itoa(i))
		if routes[0].(map[string]any)["natGatewayId"] != nat.ID {
			t.Errorf("%s routes = %v, want via %s", rt, routes, nat.ID)
		}
	}
}

func TestStacksDoNotCollide(t *testing.T) {
	names := map[string]string{}
	for _, stack := range []string{"dev", "prod", "sandbox-alice", "sandbox-bob"} {
		r := mustRun(t, stack, with(t, "loadBalancer", "true"))
		for _, x := range r.resources {
			n, ok := x.in("name").(string)
			if !ok || x.Type == "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders" {
				continue
			}
			key := x.Type + " " + n
			if prev, dup := names[key]; dup {
				t.Errorf("%s named %s in stacks %s and %s", x.Type, n, prev, stack)
			}
			names[key] = stack
		}
	}
}

func TestNaming(t *testing.T) {
	n := NewNaming("fargateship", "Sandbox.Alice_Smith")
	if n.Base != "fargateship-sandbox-alice-smith" {
		t.Errorf("base = %s", n.Base)
	}
	long := NewNaming("fargateship", "sandbox-a-very-long-developer-name")
	a, b := long.Name("", 32), NewNaming("fargateship", "sandbox-a-very-long-developer-nam3").Name("", 32)
	if len(a) != 32 || a == b {
		t.Errorf("long names %q %q", a, b)
	}
}

func TestRunTaskCommand(t *testing.T) {
	got := RunTaskCommand("eu-west-1", "c", "arn:td:3", "FARGATE_SPOT", []string{"subnet-1", "subnet-2"}, "sg-1", "ENABLED", []string{"once"})
	want := `aws ecs run-task --region eu-west-1 --cluster c --task-definition arn:td:3 --capacity-provider-strategy capacityProvider=FARGATE_SPOT,weight=1 --platform-version LATEST --network-configuration 'awsvpcConfiguration={subnets=[subnet-1,subnet-2],securityGroups=[sg-1],assignPublicIp=ENABLED}' --overrides '{"containerOverrides":[{"name":"app","command":["once"]}]}'`
	if got != want {
		t.Errorf("run-task =\n%s\nwant\n%s", got, want)
	}
	// No command: the task definition's own; quotes survive the shell.
	got = RunTaskCommand("eu-west-1", "c", "arn:td:3", "FARGATE", []string{"subnet-1"}, "sg-1", "DISABLED", nil)
	if strings.Contains(got, "--overrides") {
		t.Errorf("run-task without a command overrides it: %s", got)
	}
	got = RunTaskCommand("eu-west-1", "c", "arn:td:3", "FARGATE", []string{"subnet-1"}, "sg-1", "DISABLED", []string{"echo", "it's"})
	if !strings.HasSuffix(got, `--overrides '{"containerOverrides":[{"name":"app","command":["echo","it'\''s"]}]}'`) {
		t.Errorf("run-task quoting = %s", got)
	}
}

// TestProdStack pins what Pulumi.prod.yaml promises: a load balancer with
// deletion protection, tasks only in private subnets of two zones, at
// least two tasks with autoscaling, protection and long log retention.
func TestProdStack(t *testing.T) {
	r := mustRun(t, "prod", stackConfig(t, loadProject(t), projectRoot+"/Pulumi.prod.yaml"))
	c := r.stack.Config
	if c.DesiredCount < 2 || c.MinCount < 2 || !c.Autoscaling() || !c.Protect || c.LogRetentionDays < 90 || c.ECSExec {
		t.Errorf("prod config = %+v", c)
	}
	if alb := r.one(t, "aws:lb/loadBalancer:LoadBalancer"); alb.in("enableDeletionProtection") != true {
		t.Errorf("prod ALB without deletion protection")
	}
	nc := r.one(t, "aws:ecs/service:Service").in("networkConfiguration").(map[string]any)
	if nc["assignPublicIp"] != false || js(t, nc["subnets"]) != `["subnet-network-private-0","subnet-network-private-1"]` {
		t.Errorf("prod tasks network = %v", nc)
	}
	zones := map[any]bool{}
	for _, s := range r.all("aws:ec2/subnet:Subnet") {
		if strings.Contains(s.Name, "private") {
			zones[s.in("availabilityZone")] = true
		}
	}
	if len(zones) != 2 {
		t.Errorf("prod task subnets span %d zones", len(zones))
	}
	if n := len(r.all("aws:ec2/natGateway:NatGateway")); n != 2 {
		t.Errorf("prod has %d NAT gateways, want one per zone", n)
	}
	for _, x := range r.resources {
		if (x.Type == "aws:ecr/repository:Repository" || x.Type == "aws:cloudwatch/logGroup:LogGroup") && !x.Protect {
			t.Errorf("prod %s %s not protected", x.Type, x.Name)
		}
	}
	if r.one(t, "aws:ecr/repository:Repository").in("forceDelete") != false {
		t.Errorf("prod repository can be force-deleted")
	}
	// Operated: alarms with deployment rollback, access logs, dashboard,
	// flow logs of the new VPC.
	if svc := r.one(t, "aws:ecs/service:Service"); svc.in("alarms") == nil || len(r.all("aws:cloudwatch/metricAlarm:MetricAlarm")) != 6 {
		t.Errorf("prod without deployment alarms")
	}
	if r.outputs["accessLogsBucket"] == nil || r.outputs["dashboardUrl"] == nil || len(r.all("aws:ec2/flowLog:FlowLog")) != 1 {
		t.Errorf("prod without access logs, dashboard or flow log")
	}
}

// TestSandboxPresetSleeps: the sandbox preset scales to 0 outside working
// hours.
func TestSandboxPresetSleeps(t *testing.T) {
	r := mustRun(t, "sandbox-dave", stackConfig(t, loadProject(t), projectRoot+"/presets/sandbox.yaml"))
	if sleep := r.named(t, "aws:appautoscaling/scheduledAction:ScheduledAction", "app-sleep"); sleep.in("schedule") != "cron(0 21 ? * MON-FRI *)" {
		t.Errorf("sandbox sleep = %v", sleep.in("schedule"))
	}
}

// taggable are the resource types the program creates that accept tags;
// each must carry the project and stack.
var taggable = []string{
	"aws:ecr/repository:Repository", "aws:cloudwatch/logGroup:LogGroup", "aws:iam/role:Role", "aws:ecs/cluster:Cluster",
	"aws:ecs/taskDefinition:TaskDefinition", "aws:ecs/service:Service", "aws:ec2/securityGroup:SecurityGroup",
	"aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup", "aws:lb/listener:Listener",
	"aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/internetGateway:InternetGateway", "aws:ec2/routeTable:RouteTable",
	"aws:ec2/eip:Eip", "aws:ec2/natGateway:NatGateway", "aws:appautoscaling/target:Target", "aws:secretsmanager/secret:Secret",
	"aws:acm/certificate:Certificate", "aws:ec2/flowLog:FlowLog", "aws:s3/bucketV2:BucketV2", "aws:sns/topic:Topic",
	"aws:kms/key:Key", "aws:cloudwatch/metricAlarm:MetricAlarm",
}

func TestEveryTaggableResourceIsTagged(t *testing.T) {
	cfg := with(t, "network", "new-vpc", "loadBalancer", "true", "minCount", "1", "maxCount", "3", "ecsExec", "true", "secrets", `{"A":"b"}`,
		"domainName", "carol.example.com", "hostedZoneId", "Z0123456789ABCDEFGHIJ",
		"alarms", "true", "alarmEmail", "carol@example.com", "accessLogs", "true")
	r := mustRun(t, "carol", cfg, "fargateship:secrets")
	seen := map[string]bool{}
	for _, x := range r.resources {
		if !slices.Contains(taggable, x.Type) {
			continue
		}
		seen[x.Type] = true
		tags, _ := x.in("tags").(map[string]any)
		if tags["project"] != "fargateship" || tags["stack"] != "carol" {
			t.Errorf("%s %s tags = %v", x.Type, x.Name, tags)
		}
	}
	for _, typ := range taggable {
		if !seen[typ] {
			t.Errorf("no %s created: the list is stale", typ)
		}
	}
}

func TestPermissionsBoundary(t *testing.T) {
	arn := "arn:aws:iam::123456789012:policy/fargateship-task-boundary"
	r := mustRun(t, "dev", with(t, "permissionsBoundaryArn", arn))
	for _, role := range r.all("aws:iam/role:Role") {
		if role.in("permissionsBoundary") != arn {
			t.Errorf("%s boundary = %v", role.Name, role.in("permissionsBoundary"))
		}
	}
	for _, role := range mustRun(t, "dev", with(t)).all("aws:iam/role:Role") {
		if role.in("permissionsBoundary") != nil {
			t.Errorf("%s has a boundary by default: %v", role.Name, role.in("permissionsBoundary"))
		}
	}
}

func TestDomainGetsCertificateAndAlias(t *testing.T) {
	r := mustRun(t, "dev", with(t, "loadBalancer", "true", "domainName", "app.example.com", "hostedZoneId", "Z0123456789ABCDEFGHIJ"))
	cert := r.one(t, "aws:acm/certificate:Certificate")
	if cert.in("domainName") != "app.example.com" || cert.in("validationMethod") != "DNS" {
		t.Errorf("certificate = %v", cert.Inputs)
	}
	validation := r.named(t, "aws:route53/record:Record", "web-validation")
	if got := js(t, map[string]any{"zone": validation.in("zoneId"), "name": validation.in("name"), "type": validation.in("type"), "records": validation.in("records")}); got != `{"name":"_x1.app.example.com.","records":["_x2.acm-validations.aws."],"type":"CNAME","zone":"Z0123456789ABCDEFGHIJ"}` {
		t.Errorf("validation record = %s", got)
	}
	cv := r.one(t, "aws:acm/certificateValidation:CertificateValidation")
	if cv.in("certificateArn") != cert.ID || js(t, cv.in("validationRecordFqdns")) != `["_x1.app.example.com"]` {
		t.Errorf("certificate validation = %v", cv.Inputs)
	}
	// The HTTPS listener uses the certificate only once it is validated.
	https := r.named(t, "aws:lb/listener:Listener", "web-https")
	if https.in("certificateArn") != cert.ID {
		t.Errorf("https listener certificate = %v", https.in("certificateArn"))
	}
	alias := r.named(t, "aws:route53/record:Record", "web-alias")
	alb := r.one(t, "aws:lb/loadBalancer:LoadBalancer")
	if got := js(t, map[string]any{"name": alias.in("name"), "type": alias.in("type"), "aliases": alias.in("aliases")}); got != js(t, map[string]any{
		"name": "app.example.com", "type": "A",
		"aliases": []any{map[string]any{"evaluateTargetHealth": true, "name": alb.Outputs["dnsName"].StringValue(), "zoneId": "Z35SXDOTRQ7X7K"}},
	}) {
		t.Errorf("alias record = %s", got)
	}
	if r.outputs["url"] != "https://app.example.com" {
		t.Errorf("url = %v", r.outputs["url"])
	}
}

// TestNewVPCFlowLogs: a new VPC records its traffic to a log group of the
// stack with the stack's retention and key, through a role only the VPC
// flow logs service of this account can assume and that writes only there.
func TestNewVPCFlowLogs(t *testing.T) {
	key := "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	r := mustRun(t, "prod", with(t, "network", "new-vpc", "logRetentionDays", "90", "kmsKeyArn", key, "protect", "true"))
	group := r.named(t, "aws:cloudwatch/logGroup:LogGroup", "network-flow-logs")
	if got := js(t, map[string]any{"name": group.in("name"), "retention": group.in("retentionInDays"), "kms": group.in("kmsKeyId"), "protect": group.Protect}); got !=
		`{"kms":"`+key+`","name":"/vpc/fargateship-prod/flow-logs","protect":true,"retention":90}` {
		t.Errorf("flow log group = %s", got)
	}
	fl := r.one(t, "aws:ec2/flowLog:FlowLog")
	role := r.named(t, "aws:iam/role:Role", "network-flow-logs")
	groupARN := "arn:aws:logs:us-east-1:123456789012:log-group:/vpc/fargateship-prod/flow-logs"
	if got := js(t, map[string]any{
		"vpc": fl.in("vpcId"), "traffic": fl.in("trafficType"), "type": fl.in("logDestinationType"),
		"dest": fl.in("logDestination"), "role": fl.in("iamRoleArn"), "interval": fl.in("maxAggregationInterval"),
	}); got != js(t, map[string]any{
		"vpc": "vpc-0new000000000000", "traffic": "ALL", "type": "cloud-watch-logs",
		"dest": groupARN, "role": "arn:aws:iam::123456789012:role/fargateship/network-flow-logs-1a2b3c4", "interval": 600,
	}) {
		t.Errorf("flow log = %s", got)
	}
	if !fl.dependsOn("aws:iam/rolePolicy:RolePolicy", "network-flow-logs") {
		t.Errorf("flow log does not wait for its role's policy: %v", fl.DependsOn)
	}
	if got := role.in("assumeRolePolicy"); got != `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"vpc-flow-logs.amazonaws.com"},"Action":["sts:AssumeRole"],"Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*"},"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}` {
		t.Errorf("flow log role trust = %v", got)
	}
	if role.in("path") != "/fargateship/" {
		t.Errorf("flow log role path = %v", role.in("path"))
	}
	policy := r.named(t, "aws:iam/rolePolicy:RolePolicy", "network-flow-logs")
	if got := policy.in("policy"); got != `{"Version":"2012-10-17","Statement":[{"Sid":"WriteFlowLogGroup","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents","logs:DescribeLogStreams"],"Resource":["`+groupARN+`","`+groupARN+`:*"]},{"Sid":"LookUpLogGroups","Effect":"Allow","Action":["logs:DescribeLogGroups"],"Resource":["*"]}]}` {
		t.Errorf("flow log role policy = %v", got)
	}

	// REJECT only; NONE: no flow log, group or role; default VPC: none.
	if tt := mustRun(t, "prod", with(t, "network", "new-vpc", "flowLogs", "REJECT")).one(t, "aws:ec2/flowLog:FlowLog").in("trafficType"); tt != "REJECT" {
		t.Errorf("trafficType = %v", tt)
	}
	for _, kv := range [][]string{{"network", "new-vpc", "flowLogs", "NONE"}, {}} {
		r := mustRun(t, "prod", with(t, kv...))
		if n := len(r.all("aws:ec2/flowLog:FlowLog")) + len(r.all("aws:cloudwatch/logGroup:LogGroup")) - 1; n != 0 {
			t.Errorf("%v: %d flow log resources", kv, n)
		}
	}
}

// TestRolesFromTheBootstrap: with the CI bootstrap's role ARNs the program
// creates no role at all and writes each inline policy on the given role
// (by name); every consumer uses the given ARNs.
func TestRolesFromTheBootstrap(t *testing.T) {
	arn := func(kind string) string {
		return "arn:aws:iam::123456789012:role/fargateship/prod/fargateship-prod-" + kind
	}
	r := mustRun(t, "prod", with(t, "network", "new-vpc", "ecsExec", "true", "secrets", `{"DB":"x"}`,
		"schedules", `{"nightly":{"schedule":"rate(1 day)","command":["once"]}}`,
		"executionRoleArn", arn("execution"), "taskRoleArn", arn("task"), "flowLogsRoleArn", arn("flow-logs"), "schedulerRoleArn", arn("scheduler")),
		"fargateship:secrets")
	if n := len(r.all("aws:iam/role:Role")); n != 0 {
		t.Errorf("%d roles created with the bootstrap's roles given", n)
	}
	want := map[string]string{
		"app-execution": "fargateship-prod-execution", "app-execution-secrets": "fargateship-prod-execution",
		"app-task-exec": "fargateship-prod-task", "network-flow-logs": "fargateship-prod-flow-logs", "jobs": "fargateship-prod-scheduler",
	}
	for name, role := range want {
		if got := r.named(t, "aws:iam/rolePolicy:RolePolicy", name).in("role"); got != role {
			t.Errorf("policy %s on role %v, want %s", name, got, role)
		}
	}
	td := r.one(t, "aws:ecs/taskDefinition:TaskDefinition")
	if td.in("executionRoleArn") != arn("execution") || td.in("taskRoleArn") != arn("task") {
		t.Errorf("task definition roles = %v %v", td.in("executionRoleArn"), td.in("taskRoleArn"))
	}
	if fl := r.one(t, "aws:ec2/flowLog:FlowLog"); fl.in("iamRoleArn") != arn("flow-logs") {
		t.Errorf("flow log role = %v", fl.in("iamRoleArn"))
	}
	if s := r.one(t, "aws:scheduler/schedule:Schedule"); s.in("target").(map[string]any)["roleArn"] != arn("scheduler") {
		t.Errorf("schedule role = %v", s.in("target"))
	}
	if p := r.named(t, "aws:iam/rolePolicy:RolePolicy", "jobs").in("policy").(string); !strings.Contains(p, `"Resource":["`+arn("execution")+`","`+arn("task")+`"]`) {
		t.Errorf("scheduler may pass %s", p)
	}
}
