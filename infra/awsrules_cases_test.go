package infra

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"gopkg.in/yaml.v3"
)

// runUnchecked is runProgram with the AWS rules off: it records the
// inputs the program sends even where AWS would refuse them, so the
// known-bad table starts from the program's real values.
func runUnchecked(t testing.TB, stackName string, cfg map[string]string, secretKeys ...string) *run {
	t.Helper()
	r := &run{mocks: &mocks{}, outputs: map[string]any{}}
	awsRulesOff.Store(r.mocks, true)
	defer awsRulesOff.Delete(r.mocks)
	r.err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		s, err := NewStack(ctx)
		r.stack = s
		return err
	}, pulumi.WithMocks("fargateship", stackName, r.mocks), withConfig(cfg, secretKeys))
	if r.err != nil {
		t.Fatalf("unchecked run of %s failed: %v", stackName, r.err)
	}
	return r
}

// awsRulesCombo is one stack and config the rules layer is run on.
type awsRulesCombo struct {
	name, stack string
	cfg         map[string]string
	secretKeys  []string
}

const awsRulesKMSKey = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

// awsRulesCombos are every shipped stack file and every option
// combination the option tests build, plus the edges of naming and sizing.
func awsRulesCombos(t *testing.T) []awsRulesCombo {
	t.Helper()
	proj := loadProject(t)
	var out []awsRulesCombo
	stacks := shippedStacks(t)
	names := make([]string, 0, len(stacks))
	for s := range stacks {
		names = append(names, s)
	}
	sort.Strings(names)
	for _, s := range names {
		out = append(out, awsRulesCombo{name: "stack " + s, stack: s, cfg: stackConfig(t, proj, stacks[s])})
	}
	add := func(name, stack string, secret bool, kv ...string) {
		c := awsRulesCombo{name: name, stack: stack, cfg: with(t, kv...)}
		if secret {
			c.secretKeys = []string{"fargateship:secrets"}
		}
		out = append(out, c)
	}
	cert := "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-aaaa-bbbb-cccc-0123456789ab"
	add("defaults", "dev", false)
	add("load balancer", "dev", false, "loadBalancer", "true", "drainDelaySeconds", "7")
	add("https certificate", "dev", false, "loadBalancer", "true", "certificateArn", cert)
	add("domain", "dev", false, "loadBalancer", "true", "domainName", "app.example.com", "hostedZoneId", "Z0123456789ABCDEFGHIJ")
	add("new vpc", "dev", false, "network", "new-vpc", "loadBalancer", "true")
	add("new vpc two NATs, REJECT flow log", "dev", false, "network", "new-vpc", "natGateways", "2", "vpcCidr", "10.20.0.0/20", "flowLogs", "REJECT")
	add("new vpc without flow log", "dev", false, "network", "new-vpc", "flowLogs", "NONE", "kmsKeyArn", awsRulesKMSKey)
	add("new vpc, KMS key, boundary", "dev", false, "network", "new-vpc", "kmsKeyArn", awsRulesKMSKey, "permissionsBoundaryArn", "arn:aws:iam::123456789012:policy/fargateship-task-boundary")
	add("existing vpc", "dev", false, "network", "existing-vpc", "vpcId", "vpc-0123456789abcdef0",
		"publicSubnetIds", `["subnet-0aaaaaaaaaaaaaaa1","subnet-0aaaaaaaaaaaaaaa2"]`,
		"privateSubnetIds", `["subnet-0bbbbbbbbbbbbbbb1","subnet-0bbbbbbbbbbbbbbb2"]`, "loadBalancer", "true")
	add("secrets", "dev", true, "secrets", `{"DB_PASSWORD":"hunter2","API_KEY":"k-123"}`, "environment", `{"LOG_LEVEL":"debug"}`)
	add("secrets with KMS key", "dev", true, "secrets", `{"DB_PASSWORD":"hunter2"}`, "kmsKeyArn", awsRulesKMSKey, "ecsExec", "true")
	add("autoscaling", "dev", false, "loadBalancer", "true", "minCount", "2", "maxCount", "6", "desiredCount", "2", "requestsPerTarget", "800")
	add("ARM64", "dev", false, "architecture", "ARM64")
	add("ARM64 exec on", "dev", false, "architecture", "ARM64", "ecsExec", "true", "loadBalancer", "true")
	add("spot x86", "dev", false, "spot", "true")
	add("exec on", "dev", false, "ecsExec", "true")
	add("exec off", "dev", false, "ecsExec", "false")
	add("permissions boundary", "dev", false, "permissionsBoundaryArn", "arn:aws:iam::123456789012:policy/fargateship-task-boundary")
	add("largest task", "dev", false, "cpu", "16384", "memory", "122880", "stopTimeout", "120", "drainDelaySeconds", "110")
	add("protected", "prod", false, "protect", "true", "loadBalancer", "true", "albDeletionProtection", "true")
	add("everything", "sandbox-carol", true, "network", "new-vpc", "loadBalancer", "true", "minCount", "1", "maxCount", "3", "ecsExec", "true",
		"secrets", `{"A":"b"}`, "requestsPerTarget", "100", "alarms", "true", "alarmEmail", "carol@example.com", "accessLogs", "true")
	add("everything with a domain", "dev", true, "network", "new-vpc", "loadBalancer", "true", "minCount", "1", "maxCount", "3", "ecsExec", "true",
		"secrets", `{"A":"b"}`, "domainName", "carol.example.com", "hostedZoneId", "Z0123456789ABCDEFGHIJ", "requestsPerTarget", "100")
	add("operations", "dev", false, "loadBalancer", "true", "minCount", "1", "maxCount", "4", "alarms", "true", "alarmEmail", "ops@example.com",
		"accessLogs", "true", "dashboard", "true", "activeHours", "MON-FRI 08:00-20:00", "timezone", "Europe/Paris")
	add("operations with KMS key, no load balancer", "dev", false, "alarms", "true", "alarmEmail", "ops@example.com", "kmsKeyArn", awsRulesKMSKey,
		"dashboard", "true", "activeHours", "* 06:00-22:00")
	// The examples/*/stack.yaml keys on top of the dev stack, as a team
	// deploying its own service would set them.
	examples, _ := filepath.Glob(filepath.Join(projectRoot, "examples", "*", "stack.yaml"))
	for _, f := range examples {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Config map[string]any `yaml:"config"`
		}
		if err := yaml.Unmarshal(raw, &doc); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		cfg := stackConfig(t, proj, stacks["dev"])
		for k, v := range doc.Config {
			cfg[k] = defaultString(t, v)
		}
		out = append(out, awsRulesCombo{name: "example " + filepath.Base(filepath.Dir(f)), stack: "dev", cfg: cfg})
	}
	add("odd stack name", "Sandbox.Alice_Smith", false, "loadBalancer", "true")
	// Pulumi caps stack names at 100 characters (sdk/go/common/tokens/stack_name.go).
	long := ("sandbox-" + strings.Repeat("a-very-long-developer-name-", 4))[:100]
	if _, err := tokens.ParseStackName(long); err != nil {
		t.Fatalf("stack name %q: %v", long, err)
	}
	add("long stack name", long, true, "loadBalancer", "true", "ecsExec", "true", "secrets", `{"TOKEN":"x"}`)
	return out
}

// TestAWSRulesOptionMatrix runs the program, with the rules on, for every
// combination above: each resource of each must be one AWS accepts.
func TestAWSRulesOptionMatrix(t *testing.T) {
	for _, c := range awsRulesCombos(t) {
		t.Run(c.name, func(t *testing.T) {
			r := runProgram(t, c.stack, c.cfg, c.secretKeys...)
			if r.err != nil {
				t.Fatalf("%s: %v", c.name, r.err)
			}
			if len(r.resources) < 10 {
				t.Fatalf("only %d resources registered", len(r.resources))
			}
		})
	}
}

// comboRuns are unchecked runs of every combination, shared by the
// tests that read what the program sends.
var comboRuns struct {
	sync.Once
	combos []awsRulesCombo
	runs   []*run
}

func awsrComboRuns(t *testing.T) ([]awsRulesCombo, []*run) {
	comboRuns.Do(func() {
		comboRuns.combos = awsRulesCombos(t)
		for _, c := range comboRuns.combos {
			comboRuns.runs = append(comboRuns.runs, runUnchecked(t, c.stack, c.cfg, c.secretKeys...))
		}
	})
	if len(comboRuns.runs) == 0 {
		t.Fatal("no combination ran")
	}
	return comboRuns.combos, comboRuns.runs
}

// TestAWSRulesCoverEveryType fails when the program registers a resource
// type the rules layer has no rules for (internet gateways and route table
// associations have only tags and references to check).
func TestAWSRulesCoverEveryType(t *testing.T) {
	seen := map[string]bool{}
	_, runs := awsrComboRuns(t)
	for _, r := range runs {
		for _, x := range r.resources {
			if !strings.HasPrefix(x.Type, "fargateship:") {
				seen[x.Type] = true
			}
		}
	}
	for typ := range seen {
		if !slices.Contains(awsRulesTypes, typ) {
			t.Errorf("resource type %s has no AWS rules: add its provider and API constraints to checkAWSRules (awsrules_test.go)", typ)
		}
	}
	for _, typ := range awsRulesTypes {
		if !seen[typ] {
			// Rules for a type the program no longer creates are harmless;
			// a combination that should create it is worth adding.
			t.Logf("no combination creates %s (no longer created, or awsRulesCombos lacks the option)", typ)
		}
	}
}

// TestAWSRulesRefuseWhatAWSRefuses: configs LoadConfig may accept but AWS
// refuses must fail the program, in LoadConfig (preferred: before any
// resource) or at the latest in the rules layer; never succeed.
func TestAWSRulesRefuseWhatAWSRefuses(t *testing.T) {
	cases := []struct {
		name string
		kv   []string
		want []string // either the config keys or the rule id
	}{
		{"ARM64 with Spot", []string{"architecture", "ARM64", "spot", "true"}, []string{"ecs.arm64spot", "spot"}},
		{"KMS alias ARN", []string{"kmsKeyArn", "arn:aws:kms:us-east-1:123456789012:alias/fargateship"}, []string{"logs.kms", "kmsKeyArn"}},
		{"KMS alias ARN with secrets", []string{"kmsKeyArn", "arn:aws:kms:us-east-1:123456789012:alias/fargateship", "secrets", `{"A":"b"}`}, []string{"logs.kms", "iam.kms.key", "kmsKeyArn"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := runProgram(t, "dev", with(t, tc.kv...), "fargateship:secrets")
			if r.err == nil {
				t.Fatalf("%v: the program succeeded, but AWS refuses it", tc.kv)
			}
			for _, w := range tc.want {
				if strings.Contains(r.err.Error(), w) {
					return
				}
			}
			t.Errorf("error does not name any of %v:\n%v", tc.want, r.err)
		})
	}
}

// badCase is one known-bad value for one rule, set on an input the
// program really sends.
type awsrBadCase struct {
	rule  string
	typ   string
	name  string // resource logical name; "" takes the first of typ
	run   string // "full" (default) or "arm64"
	input string // the input the error must name
	mut   func(in map[string]any)
	prior func(prior []*res) []*res
	// checkAs checks the mutated inputs as another type (for types no
	// base run creates); the inputs are then the case's own.
	checkAs string
}

// setPath sets a value at a dotted path; numeric parts index lists.
func awsrSetPath(m map[string]any, path string, v any) {
	parts := strings.Split(path, ".")
	var cur any = m
	for i, p := range parts {
		last := i == len(parts)-1
		switch c := cur.(type) {
		case map[string]any:
			if last {
				if v == nil {
					delete(c, p)
				} else {
					c[p] = v
				}
				return
			}
			if c[p] == nil {
				c[p] = map[string]any{}
			}
			cur = c[p]
		case []any:
			n, _ := strconv.Atoi(p)
			if last {
				c[n] = v
				return
			}
			cur = c[n]
		}
	}
}

func awsrSet(path string, v any) func(map[string]any) {
	return func(in map[string]any) { awsrSetPath(in, path, v) }
}

// container mutates the first container definition.
func awsrContainer(f func(d map[string]any)) func(map[string]any) {
	return func(in map[string]any) {
		var defs []map[string]any
		if err := json.Unmarshal([]byte(in["containerDefinitions"].(string)), &defs); err != nil {
			panic(err)
		}
		f(defs[0])
		b, _ := json.Marshal(defs)
		in["containerDefinitions"] = string(b)
	}
}

// editPrior replaces the first earlier resource of typ by a copy whose
// inputs f edits.
func awsrEditPrior(typ string, f func(in resource.PropertyMap)) func([]*res) []*res {
	return func(prior []*res) []*res {
		out := make([]*res, len(prior))
		copy(out, prior)
		for i, r := range out {
			if r.Type == typ {
				cp := *r
				cp.Inputs = r.Inputs.Copy()
				f(cp.Inputs)
				out[i] = &cp
				break
			}
		}
		return out
	}
}

func awsrManyTags(n int) map[string]any {
	m := map[string]any{}
	for i := range n {
		m[fmt.Sprintf("k%d", i)] = "v"
	}
	return m
}

// awsrSchedule replaces the inputs by a schedule as the program sends
// one (infra/schedules.go), with one input changed.
func awsrSchedule(path string, v any) func(map[string]any) {
	return func(in map[string]any) {
		for k := range in {
			delete(in, k)
		}
		in["name"] = "nightly-report"
		in["scheduleExpression"] = "cron(0 3 * * ? *)"
		in["scheduleExpressionTimezone"] = "Europe/Paris"
		in["flexibleTimeWindow"] = map[string]any{"mode": "OFF"}
		in["state"] = "ENABLED"
		in["target"] = map[string]any{
			"arn": "arn:aws:ecs:us-east-1:123456789012:cluster/fargateship-dev", "roleArn": "arn:aws:iam::123456789012:role/fargateship/schedules-1a2b3c4",
			"input": `{"containerOverrides":[{"name":"app","command":["report"]}]}`,
			"ecsParameters": map[string]any{"taskDefinitionArn": "arn:aws:ecs:us-east-1:123456789012:task-definition/fargateship-dev:7", "taskCount": 1.0,
				"platformVersion": "LATEST", "networkConfiguration": map[string]any{"subnets": []any{"subnet-1"}, "securityGroups": []any{"sg-1"}}},
			"retryPolicy": map[string]any{"maximumRetryAttempts": 2.0, "maximumEventAgeInSeconds": 3600.0},
		}
		awsrSetPath(in, path, v)
	}
}

const aliasARN = "arn:aws:kms:us-east-1:123456789012:alias/fargateship"

var awsrBadCases = []awsrBadCase{
	// The defects at 848d4dd: the program's own values.
	{rule: "ec2.sg.desc", typ: "aws:ec2/securityGroup:SecurityGroup", name: "app", input: "description",
		mut: awsrSet("description", "App tasks: the container port in, all egress (ECR, logs, the app's own calls)")},
	{rule: "ec2.sg.desc", typ: "aws:ec2/securityGroup:SecurityGroup", name: "web-alb", input: "egress[0].description",
		mut: awsrSet("egress.0.description", "To the tasks' container port")},
	{rule: "ec2.sg.desc", typ: "aws:ec2/securityGroup:SecurityGroup", name: "app", input: "ingress[0].description",
		mut: awsrSet("ingress.0.description", strings.Repeat("a", 256))},
	{rule: "ecs.arm64spot", typ: "aws:ecs/service:Service", run: "arm64", input: "capacityProviderStrategies[0].capacityProvider",
		mut: awsrSet("capacityProviderStrategies.0.capacityProvider", "FARGATE_SPOT")},
	{rule: "logs.kms", typ: "aws:cloudwatch/logGroup:LogGroup", input: "kmsKeyId", mut: awsrSet("kmsKeyId", aliasARN)},
	{rule: "iam.kms.key", typ: "aws:iam/rolePolicy:RolePolicy", name: "app-execution-secrets", input: "policy.Statement[1].Resource",
		mut: awsrSet("policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue"],"Resource":["*"]},{"Effect":"Allow","Action":["kms:Decrypt"],"Resource":["`+aliasARN+`"]}]}`)},
	{rule: "ecs.c.fargate", typ: "aws:ecs/taskDefinition:TaskDefinition", input: "containerDefinitions[0].privileged",
		mut: awsrContainer(func(d map[string]any) { d["privileged"] = false })},

	// Tags.
	{rule: "tags.count", typ: "aws:ecr/repository:Repository", input: "tags", mut: awsrSet("tags", awsrManyTags(51))},
	{rule: "tags.key", typ: "aws:ecs/cluster:Cluster", input: "tags", mut: awsrSet("tags", map[string]any{"aws:owner": "me"})},
	{rule: "tags.value", typ: "aws:ec2/vpc:Vpc", input: "tags.Name", mut: awsrSet("tags", map[string]any{"Name": strings.Repeat("v", 257)})},
	{rule: "tags.charset", typ: "aws:iam/role:Role", input: "tags.owner", mut: awsrSet("tags", map[string]any{"owner": "o'brien"})},
	{rule: "autoname.chars", typ: "aws:lb/targetGroup:TargetGroup", name: "web_tg", input: "name (auto-named)", mut: awsrSet("name", nil)},

	// ECR.
	{rule: "ecr.name", typ: "aws:ecr/repository:Repository", input: "name", mut: awsrSet("name", "Fargateship-Dev")},
	{rule: "ecr.name", typ: "aws:ecr/repository:Repository", input: "name", mut: awsrSet("name", "f")},
	{rule: "ecr.mutability", typ: "aws:ecr/repository:Repository", input: "imageTagMutability", mut: awsrSet("imageTagMutability", "SOMETIMES")},
	{rule: "ecr.encryption", typ: "aws:ecr/repository:Repository", input: "encryptionConfigurations[0].kmsKey",
		mut: awsrSet("encryptionConfigurations", []any{map[string]any{"encryptionType": "AES256", "kmsKey": awsRulesKMSKey}})},
	{rule: "ecr.lifecycle", typ: "aws:ecr/lifecyclePolicy:LifecyclePolicy", input: "policy (the tagStatus any rule must have the highest rulePriority)",
		mut: awsrSet("policy", `{"rules":[{"rulePriority":1,"description":"keep 20","selection":{"tagStatus":"any","countType":"imageCountMoreThan","countNumber":20},"action":{"type":"expire"}},{"rulePriority":2,"description":"untagged","selection":{"tagStatus":"untagged","countType":"sinceImagePushed","countUnit":"days","countNumber":1},"action":{"type":"expire"}}]}`)},

	// CloudWatch Logs.
	{rule: "logs.name", typ: "aws:cloudwatch/logGroup:LogGroup", input: "name", mut: awsrSet("name", "/ecs/fargateship dev")},
	{rule: "logs.retention", typ: "aws:cloudwatch/logGroup:LogGroup", input: "retentionInDays", mut: awsrSet("retentionInDays", 10.0)},
	{rule: "logs.class", typ: "aws:cloudwatch/logGroup:LogGroup", input: "logGroupClass", mut: awsrSet("logGroupClass", "COLD")},

	// IAM.
	{rule: "iam.role.name", typ: "aws:iam/role:Role", input: "name", mut: awsrSet("name", strings.Repeat("r", 65))},
	{rule: "iam.role.path", typ: "aws:iam/role:Role", input: "path", mut: awsrSet("path", "fargateship/")},
	{rule: "iam.role.desc", typ: "aws:iam/role:Role", input: "description", mut: awsrSet("description", "Pulls the image — and writes logs")},
	{rule: "iam.role.arn", typ: "aws:iam/role:Role", input: "permissionsBoundary", mut: awsrSet("permissionsBoundary", "fargateship-boundary")},
	{rule: "iam.role.ref", typ: "aws:iam/rolePolicy:RolePolicy", input: "role",
		mut: awsrSet("role", "arn:aws:iam::123456789012:role/fargateship/app-execution")},
	{rule: "iam.policy.json", typ: "aws:iam/rolePolicy:RolePolicy", input: "policy", mut: awsrSet("policy", `{"Statement":[]}`)},
	{rule: "iam.policy.name", typ: "aws:iam/rolePolicy:RolePolicy", input: "name", mut: awsrSet("name", "secrets policy")},
	{rule: "iam.trust.size", typ: "aws:iam/role:Role", input: "assumeRolePolicy",
		mut: awsrSet("assumeRolePolicy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ecs-tasks.amazonaws.com"},"Action":"sts:AssumeRole","Condition":{"StringEquals":{"aws:SourceAccount":"`+strings.Repeat("1", 2000)+`"}}}]}`)},
	{rule: "iam.inline.size", typ: "aws:iam/rolePolicy:RolePolicy", name: "app-execution-secrets", input: "policy",
		mut: awsrSet("policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["secretsmanager:GetSecretValue"],"Resource":["`+strings.Repeat("arn:aws:secretsmanager:us-east-1:123456789012:secret:x-AbCdEf", 170)+`"]}]}`)},

	// ECS cluster and capacity.
	{rule: "ecs.name", typ: "aws:ecs/cluster:Cluster", input: "name", mut: awsrSet("name", "fargateship.dev")},
	{rule: "ecs.insights", typ: "aws:ecs/cluster:Cluster", input: "settings[0].value", mut: awsrSet("settings", []any{map[string]any{"name": "containerInsights", "value": "on"}})},
	{rule: "ecs.execconfig", typ: "aws:ecs/cluster:Cluster", input: "cloudWatchLogGroupName",
		mut: awsrSet("configuration.executeCommandConfiguration.logConfiguration.cloudWatchLogGroupName", "/ecs/never-created")},
	{rule: "ecs.capacity", typ: "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", input: "defaultCapacityProviderStrategies[0]",
		mut: awsrSet("defaultCapacityProviderStrategies.0.weight", 1001.0)},
	{rule: "ecs.capacity", typ: "aws:ecs/service:Service", input: "capacityProviderStrategies[0]",
		mut: awsrSet("capacityProviderStrategies.0.capacityProvider", "MY_ASG_PROVIDER")},

	// ECS task definition.
	{rule: "ecs.size", typ: "aws:ecs/taskDefinition:TaskDefinition", input: "cpu/memory", mut: func(in map[string]any) { in["cpu"], in["memory"] = "256", "4096" }},
	{rule: "ecs.fargate", typ: "aws:ecs/taskDefinition:TaskDefinition", input: "networkMode", mut: awsrSet("networkMode", "bridge")},
	{rule: "ecs.rolearn", typ: "aws:ecs/taskDefinition:TaskDefinition", input: "executionRoleArn", mut: awsrSet("executionRoleArn", "app-execution")},
	{rule: "ecs.execrole", typ: "aws:ecs/taskDefinition:TaskDefinition", input: "containerDefinitions[0].image", mut: awsrSet("executionRoleArn", nil)},
	{rule: "ecs.td.size", typ: "aws:ecs/taskDefinition:TaskDefinition", input: "containerDefinitions",
		mut: awsrContainer(func(d map[string]any) {
			d["environment"] = []any{map[string]any{"name": "BIG", "value": strings.Repeat("x", 70000)}}
		})},
	{rule: "ecs.c.image", typ: "aws:ecs/taskDefinition:TaskDefinition", input: "containerDefinitions[0].image",
		mut: awsrContainer(func(d map[string]any) { d["image"] = "repo:tag with spaces" })},
	{rule: "ecs.c.essential", typ: "aws:ecs/taskDefinition:TaskDefinition", input: "containerDefinitions",
		mut: awsrContainer(func(d map[string]any) { d["essential"] = false })},
	{rule: "ecs.c.ports", typ: "aws:ecs/taskDefinition:TaskDefinition", input: "containerDefinitions[0].portMappings[0]",
		mut: awsrContainer(func(d map[string]any) { awsrSetPath(d, "portMappings.0.hostPort", 80.0) })},
	{rule: "ecs.c.fargate", typ: "aws:ecs/taskDefinition:TaskDefinition", input: "containerDefinitions[0].linuxParameters.capabilities.add",
		mut: awsrContainer(func(d map[string]any) {
			d["linuxParameters"] = map[string]any{"capabilities": map[string]any{"add": []any{"NET_ADMIN"}}}
		})},
	{rule: "ecs.c.health", typ: "aws:ecs/taskDefinition:TaskDefinition", input: "containerDefinitions[0].healthCheck",
		mut: awsrContainer(func(d map[string]any) { awsrSetPath(d, "healthCheck.interval", 3.0) })},
	{rule: "ecs.c.stop", typ: "aws:ecs/taskDefinition:TaskDefinition", input: "containerDefinitions[0].stopTimeout",
		mut: awsrContainer(func(d map[string]any) { d["stopTimeout"] = 300.0 })},
	{rule: "ecs.c.logs", typ: "aws:ecs/taskDefinition:TaskDefinition", input: "containerDefinitions[0].logConfiguration.options.awslogs-group",
		mut: awsrContainer(func(d map[string]any) { awsrSetPath(d, "logConfiguration.options.awslogs-group", "/ecs/never-created") })},
	{rule: "ecs.c.secrets", typ: "aws:ecs/taskDefinition:TaskDefinition", input: "containerDefinitions[0].secrets[0].valueFrom",
		mut: awsrContainer(func(d map[string]any) {
			d["secrets"] = []any{map[string]any{"name": "DB_PASSWORD", "valueFrom": "arn:aws:s3:::bucket/secret"}}
		})},
	{rule: "ecs.c.mounts", typ: "aws:ecs/taskDefinition:TaskDefinition", input: "containerDefinitions[0].mountPoints[0]",
		mut: awsrContainer(func(d map[string]any) {
			d["mountPoints"] = []any{map[string]any{"sourceVolume": "missing", "containerPath": "/var/lib/amazon", "readOnly": false}}
		})},
	{rule: "ecs.c.platform", typ: "aws:ecs/taskDefinition:TaskDefinition", input: "containerDefinitions[0].image",
		mut: awsrSet("runtimePlatform.cpuArchitecture", "ARM64")},

	// ECS service.
	{rule: "ecs.platform", typ: "aws:ecs/service:Service", input: "platformVersion", mut: awsrSet("platformVersion", "1.2.0")},
	{rule: "ecs.service", typ: "aws:ecs/service:Service", input: "schedulingStrategy", mut: awsrSet("schedulingStrategy", "DAEMON")},
	{rule: "ecs.service.lb", typ: "aws:ecs/service:Service", input: "loadBalancers[0]", mut: awsrSet("loadBalancers.0.containerPort", 9999.0)},
	{rule: "ecs.exec", typ: "aws:ecs/service:Service", input: "enableExecuteCommand",
		prior: awsrEditPrior("aws:ecs/taskDefinition:TaskDefinition", func(in resource.PropertyMap) { delete(in, "taskRoleArn") })},

	// EC2.
	{rule: "ec2.sg.name", typ: "aws:ec2/securityGroup:SecurityGroup", input: "name", mut: awsrSet("name", "sg-app")},
	{rule: "ec2.sg.rule", typ: "aws:ec2/securityGroup:SecurityGroup", name: "app", input: "egress[0]", mut: awsrSet("egress.0.fromPort", 80.0)},
	{rule: "ec2.sg.rule", typ: "aws:ec2/securityGroup:SecurityGroup", name: "web-alb", input: "ingress[0]", mut: awsrSet("ingress.0.cidrBlocks", []any{"10.0.0.1/16"})},
	{rule: "ec2.cidr", typ: "aws:ec2/vpc:Vpc", input: "cidrBlock", mut: awsrSet("cidrBlock", "10.0.0.0/8")},
	{rule: "ec2.cidr", typ: "aws:ec2/subnet:Subnet", input: "cidrBlock", mut: awsrSet("cidrBlock", "192.168.0.0/20")},
	{rule: "ec2.flowlog", typ: "aws:ec2/flowLog:FlowLog", input: "maxAggregationInterval", mut: awsrSet("maxAggregationInterval", 300.0)},
	{rule: "ec2.flowlog", typ: "aws:ec2/flowLog:FlowLog", input: "logDestination", mut: awsrSet("logDestination", "arn:aws:logs:us-east-1:123456789012:log-group:/vpc/never-created")},
	{rule: "ec2.flowlog", typ: "aws:ec2/flowLog:FlowLog", input: "iamRoleArn", mut: awsrSet("iamRoleArn", nil)},
	{rule: "ec2.network", typ: "aws:ec2/eip:Eip", input: "domain", mut: awsrSet("domain", "classic")},
	{rule: "ec2.network", typ: "aws:ec2/routeTable:RouteTable", input: "routes[0]", mut: awsrSet("routes.0.vpcPeeringConnectionId", "pcx-0123")},

	// ELBv2, ACM, Route 53.
	{rule: "lb.name", typ: "aws:lb/loadBalancer:LoadBalancer", input: "name", mut: awsrSet("name", "internal-fargateship")},
	{rule: "lb.name", typ: "aws:lb/loadBalancer:LoadBalancer", input: "name", mut: awsrSet("name", strings.Repeat("a", 33))},
	{rule: "lb.alb", typ: "aws:lb/loadBalancer:LoadBalancer", input: "subnets", mut: awsrSet("subnets", []any{"subnet-1"})},
	{rule: "lb.tg.name", typ: "aws:lb/targetGroup:TargetGroup", input: "name", mut: awsrSet("name", "-web")},
	{rule: "lb.tg", typ: "aws:lb/targetGroup:TargetGroup", input: "deregistrationDelay", mut: awsrSet("deregistrationDelay", 4000.0)},
	{rule: "lb.tg.health", typ: "aws:lb/targetGroup:TargetGroup", input: "healthCheck", mut: awsrSet("healthCheck.timeout", 5.0)},
	{rule: "lb.listener", typ: "aws:lb/listener:Listener", name: "web-https", input: "certificateArn/sslPolicy", mut: awsrSet("certificateArn", nil)},
	{rule: "lb.listener", typ: "aws:lb/listener:Listener", name: "web-https", input: "certificateArn/sslPolicy", mut: awsrSet("sslPolicy", "TLS13-only")},
	{rule: "lb.listener", typ: "aws:lb/listener:Listener", name: "web-http", input: "defaultActions[0]", mut: awsrSet("defaultActions.0.redirect.statusCode", "HTTP_308")},
	{rule: "acm.cert", typ: "aws:acm/certificate:Certificate", input: "domainName", mut: awsrSet("domainName", "app.example.com.")},
	{rule: "acm.arn", typ: "aws:acm/certificateValidation:CertificateValidation", input: "certificateArn",
		mut: awsrSet("certificateArn", "arn:aws:iam::123456789012:server-certificate/x")},
	{rule: "route53.record", typ: "aws:route53/record:Record", name: "web-alias", input: "aliases/ttl/records", mut: awsrSet("ttl", 60.0)},

	// Secrets Manager.
	{rule: "sm.name", typ: "aws:secretsmanager/secret:Secret", input: "name", mut: awsrSet("name", "fargateship dev/DB")},
	{rule: "sm.secret", typ: "aws:secretsmanager/secret:Secret", input: "recoveryWindowInDays", mut: awsrSet("recoveryWindowInDays", 3.0)},
	{rule: "sm.version", typ: "aws:secretsmanager/secretVersion:SecretVersion", input: "secretString", mut: awsrSet("secretString", strings.Repeat("s", 70000))},

	// Application Auto Scaling.
	{rule: "aas.target", typ: "aws:appautoscaling/target:Target", input: "minCapacity", mut: awsrSet("minCapacity", 5.0)},
	{rule: "aas.target", typ: "aws:appautoscaling/target:Target", input: "resourceId", mut: awsrSet("resourceId", "service/fargateship-x/other")},
	{rule: "aas.policy", typ: "aws:appautoscaling/policy:Policy", name: "app-requests", input: "resourceLabel",
		mut: awsrSet("targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.resourceLabel", nil)},

	// Operations: alarms, dashboard, schedules, access logs, alarm topic.
	{rule: "cw.alarm", typ: "aws:cloudwatch/metricAlarm:MetricAlarm", run: "ops", name: "alarms-cpu-high", input: "period", mut: awsrSet("period", 45.0)},
	{rule: "cw.alarm", typ: "aws:cloudwatch/metricAlarm:MetricAlarm", run: "ops", name: "alarms-cpu-high", input: "datapointsToAlarm", mut: awsrSet("datapointsToAlarm", 9.0)},
	{rule: "cw.alarm", typ: "aws:cloudwatch/metricAlarm:MetricAlarm", run: "ops", name: "alarms-p99-latency", input: "statistic/extendedStatistic", mut: awsrSet("statistic", "Average")},
	{rule: "cw.alarm", typ: "aws:cloudwatch/metricAlarm:MetricAlarm", run: "ops", name: "alarms-5xx-rate", input: "metricQueries.returnData", mut: awsrSet("metricQueries.0.returnData", false)},
	{rule: "cw.alarm", typ: "aws:cloudwatch/metricAlarm:MetricAlarm", run: "ops", name: "alarms-unhealthy-targets", input: "dimensions.TargetGroup", mut: awsrSet("dimensions.TargetGroup", "")},
	{rule: "cw.dashboard", typ: "aws:cloudwatch/dashboard:Dashboard", run: "ops", input: "dashboardName", mut: awsrSet("dashboardName", "fargateship dev")},
	{rule: "cw.dashboard", typ: "aws:cloudwatch/dashboard:Dashboard", run: "ops", input: "dashboardBody.widgets[0].properties.metrics",
		mut: awsrSet("dashboardBody", `{"widgets":[{"type":"metric","properties":{"metrics":[["AWS/ApplicationELB","RequestCount","LoadBalancer",""]]}}]}`)},
	{rule: "aas.scheduled", typ: "aws:appautoscaling/scheduledAction:ScheduledAction", run: "ops", input: "timezone", mut: awsrSet("timezone", "Europe/Parish")},
	{rule: "aas.scheduled", typ: "aws:appautoscaling/scheduledAction:ScheduledAction", run: "ops", input: "schedule", mut: awsrSet("schedule", "cron(0 8 * * MON-FRI)")},
	{rule: "s3.bucket", typ: "aws:s3/bucketV2:BucketV2", run: "ops", input: "bucketPrefix", mut: awsrSet("bucketPrefix", "Fargateship-Dev-Access-Logs-")},
	{rule: "s3.controls", typ: "aws:s3/bucketOwnershipControls:BucketOwnershipControls", run: "ops", input: "rule.objectOwnership", mut: awsrSet("rule.objectOwnership", "BucketOwner")},
	{rule: "s3.sse", typ: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", run: "ops", input: "rules[0].applyServerSideEncryptionByDefault",
		mut: awsrSet("rules.0.applyServerSideEncryptionByDefault", map[string]any{"sseAlgorithm": "AES256", "kmsMasterKeyId": awsRulesKMSKey})},
	{rule: "s3.sse", typ: "aws:lb/loadBalancer:LoadBalancer", run: "ops", input: "accessLogs.bucket",
		prior: awsrEditPrior("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", func(in resource.PropertyMap) {
			in["rules"] = resource.NewPropertyValue([]any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "aws:kms", "kmsMasterKeyId": awsRulesKMSKey}}})
		})},
	{rule: "s3.lifecycle", typ: "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", run: "ops", input: "rules[0]", mut: awsrSet("rules.0.status", "On")},
	{rule: "s3.policy", typ: "aws:s3/bucketPolicy:BucketPolicy", run: "ops", input: "policy.Statement[0].Principal",
		mut: awsrSet("policy", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}`)},
	{rule: "kms.key", typ: "aws:kms/key:Key", run: "ops", input: "deletionWindowInDays", mut: awsrSet("deletionWindowInDays", 3.0)},
	{rule: "sns.topic", typ: "aws:sns/topic:Topic", run: "ops", input: "name", mut: awsrSet("name", "fargateship dev alarms")},
	{rule: "sns.subscription", typ: "aws:sns/topicSubscription:TopicSubscription", run: "ops", input: "endpoint", mut: awsrSet("endpoint", "ops-at-example.com")},
	{rule: "lb.accesslogs", typ: "aws:lb/loadBalancer:LoadBalancer", run: "ops", input: "accessLogs", mut: awsrSet("accessLogs.prefix", "logs/AWSLogs")},

	// EventBridge Scheduler, on inputs of the shape the program sends.
	{rule: "scheduler", typ: "aws:ecs/service:Service", checkAs: "aws:scheduler/schedule:Schedule", input: "scheduleExpressionTimezone",
		mut: awsrSchedule("scheduleExpressionTimezone", "Europe/Pariss")},
	{rule: "scheduler", typ: "aws:ecs/service:Service", checkAs: "aws:scheduler/schedule:Schedule", input: "scheduleExpression",
		mut: awsrSchedule("scheduleExpression", "cron(0 3 * * *)")},
	{rule: "scheduler", typ: "aws:ecs/service:Service", checkAs: "aws:scheduler/schedule:Schedule", input: "target.ecsParameters.taskDefinitionArn",
		mut: awsrSchedule("target.ecsParameters.taskDefinitionArn", "fargateship-dev:7")},

	{rule: "scheduler.publicip", typ: "aws:ecs/service:Service", checkAs: "aws:scheduler/schedule:Schedule", input: "target.ecsParameters.launchType",
		mut: awsrSchedule("target.ecsParameters.networkConfiguration.assignPublicIp", true)},
	{rule: "ecs.service.alarms", typ: "aws:ecs/service:Service", input: "alarms.alarmNames", mut: awsrSet("alarms.alarmNames", []any{})},
	// The flow log role's policy at 615acb1: DescribeLogGroups named the group.
	{rule: "iam.noresource", typ: "aws:iam/rolePolicy:RolePolicy", name: "network-flow-logs", input: "policy.Statement[0].Action",
		mut: awsrSet("policy", `{"Version":"2012-10-17","Statement":[{"Sid":"WriteFlowLogGroup","Effect":"Allow","Action":["logs:CreateLogStream","logs:PutLogEvents","logs:DescribeLogGroups","logs:DescribeLogStreams"],"Resource":["arn:aws:logs:us-east-1:123456789012:log-group:/vpc/fargateship-dev/flow-logs","arn:aws:logs:us-east-1:123456789012:log-group:/vpc/fargateship-dev/flow-logs:*"]}]}`)},

	// Environments of several services.
	{rule: "lb.rule", typ: "aws:lb/listenerRule:ListenerRule", run: "shop", input: "priority", mut: awsrSet("priority", 50001.0)},
	{rule: "lb.rule", typ: "aws:lb/listenerRule:ListenerRule", run: "shop", input: "conditions",
		mut: awsrSet("conditions", []any{map[string]any{"pathPattern": map[string]any{"values": []any{"/a/*", "/b/*", "/c/*", "/d/*", "/e/*", "/f/*"}}}})},
	{rule: "sd.namespace", typ: "aws:servicediscovery/httpNamespace:HttpNamespace", run: "shop", input: "name", mut: awsrSet("name", "fargateship dev")},
	{rule: "ecs.connect", typ: "aws:ecs/service:Service", run: "shop", name: "api", input: "serviceConnectConfiguration.services[0].discoveryName",
		mut: awsrSet("serviceConnectConfiguration.services.0.discoveryName", "api.internal")},
	{rule: "ecs.connect", typ: "aws:ecs/service:Service", run: "shop", name: "api", input: "serviceConnectConfiguration.services[0].ingressPortOverride",
		mut: awsrSet("serviceConnectConfiguration.services.0.ingressPortOverride", 9090.0)},

	// docker.
	{rule: "docker.ref", typ: "docker:index/image:Image", input: "imageName", mut: awsrSet("imageName", "123456789012.dkr.ecr.us-east-1.amazonaws.com/fargateship-dev:latest")},
	{rule: "docker.build", typ: "docker:index/image:Image", input: "build.platform", mut: awsrSet("build.platform", "linux/386")},
}

// badCaseRuns builds the base runs once: the fullest option set, and ARM64.
var badCaseRuns = struct {
	sync.Once
	runs map[string]*run
}{}

func baseRuns(t *testing.T) map[string]*run {
	badCaseRuns.Do(func() {
		badCaseRuns.runs = map[string]*run{
			"full": runUnchecked(t, "dev", with(t, "network", "new-vpc", "loadBalancer", "true", "minCount", "1", "maxCount", "3",
				"ecsExec", "true", "secrets", `{"DB_PASSWORD":"x"}`, "kmsKeyArn", awsRulesKMSKey,
				"domainName", "app.example.com", "hostedZoneId", "Z0123456789ABCDEFGHIJ", "requestsPerTarget", "100"), "fargateship:secrets"),
			"arm64": runUnchecked(t, "dev", with(t, "architecture", "ARM64")),
			"shop":  runUnchecked(t, "dev", with(t, "loadBalancer", "true", "cpu", "512", "memory", "1024", "services", testServices)),
			"ops": runUnchecked(t, "dev", with(t, "loadBalancer", "true", "minCount", "1", "maxCount", "4", "alarms", "true",
				"alarmEmail", "ops@example.com", "accessLogs", "true", "dashboard", "true", "activeHours", "MON-FRI 08:00-20:00", "timezone", "Europe/Paris")),
		}
	})
	return badCaseRuns.runs
}

// TestAWSRulesRejectKnownBad proves each rule refuses a bad value set on a
// real input of the program (so no rule is one that cannot fail), that the
// same input as the program sends it does not trip that rule, and that
// every rule has a case.
func TestAWSRulesRejectKnownBad(t *testing.T) {
	runs := baseRuns(t)
	covered := map[string]bool{}
	for _, bc := range awsrBadCases {
		covered[bc.rule] = true
		t.Run(bc.rule+" "+bc.input, func(t *testing.T) {
			r := runs["full"]
			if bc.run != "" {
				r = runs[bc.run]
			}
			var base *res
			for _, x := range r.all(bc.typ) {
				if bc.name == "" || x.Name == bc.name || (bc.rule == "autoname.chars" && base == nil) {
					base = x
					break
				}
			}
			if base == nil {
				t.Fatalf("the base run has no %s %q", bc.typ, bc.name)
			}
			logical, typ := base.Name, bc.typ
			if bc.rule == "autoname.chars" {
				logical = bc.name
			}
			if bc.checkAs != "" {
				logical, typ = "nightly-report", bc.checkAs
			}
			var prior []*res
			for _, x := range r.resources {
				if x == base {
					break
				}
				prior = append(prior, x)
			}
			// Unchanged, the rule holds (unless the program itself breaks it).
			// (Auto-naming cases supply their own logical name.)
			if logical == base.Name && typ == bc.typ {
				if err := checkAWSRules(bc.typ, logical, plainInputs(base.Inputs), prior); err != nil && strings.Contains(err.Error(), "[rule "+bc.rule+";") {
					t.Errorf("the program's own %s %s already breaks %s:\n%v", bc.typ, base.Name, bc.rule, err)
				}
			}
			in := plainInputs(base.Inputs)
			if bc.mut != nil {
				bc.mut(in)
			}
			if bc.prior != nil {
				prior = bc.prior(prior)
			}
			err := checkAWSRules(typ, logical, in, prior)
			if err == nil {
				t.Fatalf("rule %s accepted the bad value", bc.rule)
			}
			msg := err.Error()
			if bc.checkAs != "" {
				// The valid shape itself must pass.
				good := map[string]any{}
				awsrSchedule("state", "ENABLED")(good)
				if err := checkAWSRules(typ, logical, good, prior); err != nil {
					t.Errorf("the valid schedule is refused: %v", err)
				}
			}
			for _, want := range []string{typ, strconv.Quote(logical), "[rule " + bc.rule + ";", bc.input, awsRules[bc.rule].source} {
				if !strings.Contains(msg, want) {
					t.Errorf("error does not contain %q:\n%s", want, msg)
				}
			}
		})
	}
	var missing []string
	for id := range awsRules {
		if !covered[id] {
			missing = append(missing, id)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("rules without a known-bad case: %v", missing)
	}
}

// iamDoc is one policy document and where the program sends it.
type awsrIAMDoc struct {
	Kind  string `json:"kind"` // trust, identity or resource
	Where string `json:"where"`
	Doc   string `json:"doc"`
	Bad   bool   `json:"bad"` // a known-bad control document
}

// iamValidator runs moto's IAM policy validators (moto 5.2.1
// moto/iam/policy_validation.py: IAMPolicyDocumentValidator for identity
// policies, IAMTrustPolicyDocumentValidator for trust policies) over every
// document in one process.
const iamValidator = `
import json, sys
try:
    from moto.iam.policy_validation import IAMPolicyDocumentValidator, IAMTrustPolicyDocumentValidator
except Exception as e:
    print("moto missing: %s" % e, file=sys.stderr)
    sys.exit(3)
out = []
for d in json.load(sys.stdin):
    v = IAMTrustPolicyDocumentValidator if d["kind"] == "trust" else IAMPolicyDocumentValidator
    try:
        v(d["doc"]).validate()
        out.append("")
    except Exception as e:
        out.append("%s: %s" % (type(e).__name__, e))
json.dump(out, sys.stdout)
`

// TestAWSRulesIAMPolicyGrammar validates every trust and inline policy the
// program sends, for every combination of awsRulesCombos, with IAM's
// grammar as moto implements it, plus control documents IAM rejects.
func TestAWSRulesIAMPolicyGrammar(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err == nil {
		err = exec.Command(python, "-c", "import moto.iam.policy_validation").Run()
	}
	if err != nil {
		msg := "python3 with moto is needed to validate IAM policies: pip install 'moto[server]==5.2.1' (" + err.Error() + ")"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	seen := map[string]bool{}
	var docs []awsrIAMDoc
	combos, runs := awsrComboRuns(t)
	for i, r := range runs {
		c := combos[i]
		for _, x := range r.resources {
			var d awsrIAMDoc
			switch x.Type {
			case "aws:iam/role:Role":
				d = awsrIAMDoc{Kind: "trust", Where: x.Name + ".assumeRolePolicy"}
				d.Doc, _ = x.in("assumeRolePolicy").(string)
			case "aws:iam/rolePolicy:RolePolicy":
				d = awsrIAMDoc{Kind: "identity", Where: x.Name + ".policy"}
				d.Doc, _ = x.in("policy").(string)
			case "aws:s3/bucketPolicy:BucketPolicy", "aws:sns/topicPolicy:TopicPolicy", "aws:kms/key:Key":
				// Resource policies share the grammar (with a Principal).
				d = awsrIAMDoc{Kind: "resource", Where: x.Type + " " + x.Name + ".policy"}
				d.Doc, _ = x.in("policy").(string)
			default:
				continue
			}
			if d.Doc == "" {
				t.Errorf("%s (%s): no policy document", d.Where, c.name)
				continue
			}
			if !seen[d.Kind+d.Doc] {
				seen[d.Kind+d.Doc] = true
				d.Where += " (" + c.name + ")"
				docs = append(docs, d)
			}
		}
	}
	if len(docs) < 4 {
		t.Fatalf("collected only %d policy documents", len(docs))
	}
	// Controls: IAM rejects each of these, so the validator must too.
	trust := ECSTasksTrust("aws", "us-east-1", "123456789012")
	withResource := trust
	withResource.Statement = []Statement{trust.Statement[0]}
	withResource.Statement[0].Resource = []string{"*"}
	trustWithResource, _ := withResource.JSON()
	docs = append(docs,
		awsrIAMDoc{Kind: "trust", Where: "control: trust policy with a Resource", Doc: trustWithResource, Bad: true},
		awsrIAMDoc{Kind: "identity", Where: "control: statement without Resource", Doc: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["logs:PutLogEvents"]}]}`, Bad: true},
		awsrIAMDoc{Kind: "identity", Where: "control: old Version", Doc: `{"Version":"2008-10-17","Statement":[{"Effect":"Allow","Action":["logs:PutLogEvents"],"Resource":["*"]}]}`, Bad: true},
		awsrIAMDoc{Kind: "identity", Where: "control: duplicate Sid", Doc: `{"Version":"2012-10-17","Statement":[{"Sid":"A","Effect":"Allow","Action":"s3:GetObject","Resource":"*"},{"Sid":"A","Effect":"Allow","Action":"s3:PutObject","Resource":"*"}]}`, Bad: true},
		awsrIAMDoc{Kind: "identity", Where: "control: Effect allow", Doc: `{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}]}`, Bad: true},
	)
	in, _ := json.Marshal(docs)
	cmd := exec.Command(python, "-c", iamValidator)
	cmd.Stdin = bytes.NewReader(in)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 3 {
		t.Fatalf("moto missing: %s", stderr.String())
	}
	if err != nil {
		t.Fatalf("validator: %v\n%s", err, stderr.String())
	}
	var results []string
	if err := json.Unmarshal(out, &results); err != nil || len(results) != len(docs) {
		t.Fatalf("validator output %q: %v", out, err)
	}
	for i, d := range docs {
		switch {
		case d.Bad && results[i] == "":
			t.Errorf("%s: the validator accepted a document IAM rejects", d.Where)
		case !d.Bad && results[i] != "":
			t.Errorf("%s: IAM would reject the %s policy: %s\n%s", d.Where, d.Kind, results[i], d.Doc)
		}
	}
	t.Logf("validated %d distinct policy documents (%d controls) from %d combinations", len(docs)-5, 5, len(combos))
}

// TestAWSRulesCatalogue keeps the catalogue honest: every rule names what
// it checks and a source.
func TestAWSRulesCatalogue(t *testing.T) {
	for id, r := range awsRules {
		if r.what == "" || r.source == "" {
			t.Errorf("rule %s has no text or no source", id)
		}
	}
	if len(awsRules) < 60 {
		t.Errorf("only %d rules", len(awsRules))
	}
}
