package tfplan

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

func TestTerraformType(t *testing.T) {
	for token, want := range map[string]string{
		"aws:ecs/taskDefinition:TaskDefinition":                                                      "aws_ecs_task_definition",
		"aws:ecs/clusterCapacityProviders:ClusterCapacityProviders":                                  "aws_ecs_cluster_capacity_providers",
		"aws:s3/bucketV2:BucketV2":                                                                   "aws_s3_bucket",
		"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":                                     "aws_s3_bucket_public_access_block",
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": "aws_s3_bucket_server_side_encryption_configuration",
		"aws:ec2/vpc:Vpc":                                              "aws_vpc",
		"aws:ec2/flowLog:FlowLog":                                      "aws_flow_log",
		"aws:ec2/securityGroup:SecurityGroup":                          "aws_security_group",
		"aws:ec2/routeTableAssociation:RouteTableAssociation":          "aws_route_table_association",
		"aws:ec2/transitGateway:TransitGateway":                        "aws_ec2_transit_gateway",
		"aws:ec2/dedicatedHost:DedicatedHost":                          "aws_ec2_host",
		"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":    "aws_vpc_security_group_ingress_rule",
		"aws:lb/loadBalancer:LoadBalancer":                             "aws_lb",
		"aws:lb/listener:Listener":                                     "aws_lb_listener",
		"aws:lb/listenerRule:ListenerRule":                             "aws_lb_listener_rule",
		"aws:cloudwatch/logGroup:LogGroup":                             "aws_cloudwatch_log_group",
		"aws:iam/rolePolicy:RolePolicy":                                "aws_iam_role_policy",
		"aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": "aws_service_discovery_private_dns_namespace",
		"aws:servicediscovery/httpNamespace:HttpNamespace":             "aws_service_discovery_http_namespace",
		"aws:servicediscovery/service:Service":                         "aws_service_discovery_service",
		"aws:scheduler/scheduleGroup:ScheduleGroup":                    "aws_scheduler_schedule_group",
		"aws:appautoscaling/scheduledAction:ScheduledAction":           "aws_appautoscaling_scheduled_action",
		"docker:index/image:Image":                                     "docker_image",
	} {
		if got, _ := TerraformType(token); got != want {
			t.Errorf("TerraformType(%s) = %s, want %s", token, got, want)
		}
	}
	// Every verified type has a name from the rules or the table.
	for token := range KnownTypes {
		if got, _ := TerraformType(token); !strings.HasPrefix(got, "aws_") || strings.Contains(got, "__") {
			t.Errorf("TerraformType(%s) = %s", token, got)
		}
	}
}

func TestNames(t *testing.T) {
	for in, want := range map[string]string{
		"healthCheckGracePeriodSeconds": "health_check_grace_period_seconds",
		"ipv6CidrBlocks":                "ipv6_cidr_blocks",
		"enableHttp2":                   "enable_http2",
		"s3BucketName":                  "s3_bucket_name",
	} {
		if got := snake(in); got != want {
			t.Errorf("snake(%s) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]string{
		"capacityProviderStrategies": "capacity_provider_strategy",
		"loadBalancers":              "load_balancer",
		"defaultActions":             "default_action",
		"rules":                      "rule",
		"ingress":                    "ingress",
		"egress":                     "egress",
		"clientAlias":                "client_alias",
		"addresses":                  "address",
		"sourceSelectionCriterias":   "source_selection_criteria",
		"placementConstraints":       "placement_constraints", // plural in Terraform too
	} {
		if got := blockName("aws_ecs_service", in); got != want {
			t.Errorf("blockName(%s) = %s, want %s", in, got, want)
		}
	}
	if got := blockName("aws_route53_record", "aliases"); got != "alias" {
		t.Errorf("route53 aliases → %s", got)
	}
	if got := blockName("aws_service_discovery_service", "dnsRecords"); got != "dns_records" {
		t.Errorf("service discovery dnsRecords → %s", got)
	}
	if !isMap("aws_vpc", "tags", nil) || isMap("aws_lb", "accessLogs", []string{"bucket", "enabled"}) || !isMap("anything", "x", []string{"Some Key"}) {
		t.Error("isMap")
	}
	if got := sanitizeName("9 lives/app"); got != "_9_lives_app" {
		t.Errorf("sanitizeName = %s", got)
	}
}

func res(typ, name, id string, in map[string]any, out map[string]any) Resource {
	o := resource.NewPropertyMapFromMap(in)
	for k, v := range out {
		o[resource.PropertyKey(k)] = resource.NewPropertyValue(v)
	}
	return Resource{Type: typ, Name: name, Custom: true, ID: id, Inputs: resource.NewPropertyMapFromMap(in), Outputs: o}
}

func change(t *testing.T, p *Plan, addr string) (ResourceChange, ConfigResource) {
	t.Helper()
	for i, rc := range p.ResourceChanges {
		if rc.Address == addr {
			return rc, p.Configuration.RootModule.Resources[i]
		}
	}
	t.Fatalf("no %s in %v", addr, p.Addresses())
	return ResourceChange{}, ConfigResource{}
}

func js(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLinksAreReferences: an input holding another resource's ID or ARN is
// a reference in the configuration and absent from the planned values
// (where Trivy would otherwise take the literal and not follow it);
// objects are blocks, lists of objects repeated blocks with singular names.
func TestLinksAreReferences(t *testing.T) {
	p, err := Export([]Resource{
		{Type: "fargateship:index:AccessLogs", Name: "access-logs"},
		res("aws:s3/bucketV2:BucketV2", "logs", "logs-20261128", map[string]any{"bucketPrefix": "logs-", "tags": map[string]any{"stack": "dev"}},
			map[string]any{"arn": "arn:aws:s3:::logs-20261128"}),
		res("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "logs", "logs-pab-1",
			map[string]any{"bucket": "logs-20261128", "blockPublicAcls": true}, nil),
		res("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2", "logs", "logs-sse-1",
			map[string]any{"bucket": "logs-20261128", "rules": []any{map[string]any{"applyServerSideEncryptionByDefault": map[string]any{"sseAlgorithm": "AES256"}}}}, nil),
		res("aws:ecs/service:Service", "app", "arn:aws:ecs:us-east-1:123456789012:service/app",
			map[string]any{"capacityProviderStrategies": []any{map[string]any{"capacityProvider": "FARGATE", "weight": 1}}}, nil),
		res("aws:frobnicate/widget:Widget", "w", "w-1", map[string]any{"someSetting": "x"}, nil),
	})
	if err != nil {
		t.Fatal(err)
	}
	if p.Components != 1 || len(p.ResourceChanges) != 5 {
		t.Fatalf("components %d, resources %v", p.Components, p.Addresses())
	}
	rc, cfg := change(t, p, "aws_s3_bucket_public_access_block.logs")
	if _, ok := rc.Change.After["bucket"]; ok || rc.Change.AfterUnknown["bucket"] != true {
		t.Errorf("linked bucket in after: %s / unknown %s", js(t, rc.Change.After), js(t, rc.Change.AfterUnknown))
	}
	if got := js(t, cfg.Expressions["bucket"]); got != `{"references":["aws_s3_bucket.logs.id","aws_s3_bucket.logs"]}` {
		t.Errorf("bucket expression = %s", got)
	}
	if got := js(t, rc.Change.After); got != `{"block_public_acls":true}` {
		t.Errorf("after = %s", got)
	}
	enc, _ := change(t, p, "aws_s3_bucket_server_side_encryption_configuration.logs")
	if got := js(t, enc.Change.After["rule"]); got != `[{"apply_server_side_encryption_by_default":[{"sse_algorithm":"AES256"}]}]` {
		t.Errorf("rule = %s", got)
	}
	bucket, _ := change(t, p, "aws_s3_bucket.logs")
	if got := js(t, bucket.Change.After); got != `{"bucket_prefix":"logs-","tags":{"stack":"dev"}}` {
		t.Errorf("bucket = %s", got)
	}
	svc, _ := change(t, p, "aws_ecs_service.app")
	if got := js(t, svc.Change.After); got != `{"capacity_provider_strategy":[{"capacity_provider":"FARGATE","weight":1}]}` {
		t.Errorf("service = %s", got)
	}
	// An unknown type is written under the generic name, and noted.
	if _, _ = change(t, p, "aws_frobnicate_widget.w"); !strings.Contains(js(t, p.Notes), "aws:frobnicate/widget:Widget written as aws_frobnicate_widget") {
		t.Errorf("notes = %s", js(t, p.Notes))
	}
	b, err := p.JSON()
	if err != nil || !strings.Contains(string(b), `"format_version": "1.2"`) || !strings.Contains(string(b), `"terraform_version"`) {
		t.Errorf("plan JSON lacks the keys scanners detect a plan by: %v", err)
	}
}

// TestContainerDefinitionsForTrivy: cpu and memory become strings (Trivy
// v0.74 drops numeric ones with every container), and a container
// definition that Trivy could not decode is an error, never a silent pass.
func TestContainerDefinitionsForTrivy(t *testing.T) {
	td := func(defs string) []Resource {
		return []Resource{res("aws:ecs/taskDefinition:TaskDefinition", "app", "app", map[string]any{"containerDefinitions": defs, "cpu": "256"}, nil)}
	}
	p, err := Export(td(`[{"name":"app","cpu":0,"memory":512,"memoryReservation":256,"essential":true,"environment":[{"name":"A","value":"b"}]}]`))
	if err != nil {
		t.Fatal(err)
	}
	rc, _ := change(t, p, "aws_ecs_task_definition.app")
	if got := rc.Change.After["container_definitions"]; got != `[{"cpu":"0","environment":[{"name":"A","value":"b"}],"essential":true,"memory":"512","memoryReservation":256,"name":"app"}]` {
		t.Errorf("container_definitions = %v", got)
	}
	if rc.Change.After["cpu"] != "256" || !strings.Contains(js(t, p.Notes), "trivy#6434") {
		t.Errorf("task cpu %v, notes %s", rc.Change.After["cpu"], js(t, p.Notes))
	}
	if _, err := Export(td(`[{"name":"app","essential":"yes"}]`)); err == nil || !strings.Contains(err.Error(), "would not decode in Trivy") {
		t.Errorf("undecodable container definition: err = %v", err)
	}
	if _, err := Export(td(`{"name":"app"}`)); err == nil {
		t.Error("a container_definitions that is not an array is accepted")
	}
}

// TestAmbiguousValuesAreNotLinks: a value that is the ID of two resources,
// or a resource's own ID, stays a literal.
func TestAmbiguousValuesAreNotLinks(t *testing.T) {
	p, err := Export([]Resource{
		res("aws:ec2/vpc:Vpc", "a", "shared-id-123", map[string]any{}, nil),
		res("aws:ec2/subnet:Subnet", "b", "shared-id-123", map[string]any{}, nil),
		res("aws:ec2/flowLog:FlowLog", "f", "fl-12345678", map[string]any{"vpcId": "shared-id-123", "tags": map[string]any{"id": "fl-12345678"}}, nil),
	})
	if err != nil {
		t.Fatal(err)
	}
	rc, _ := change(t, p, "aws_flow_log.f")
	if rc.Change.After["vpc_id"] != "shared-id-123" {
		t.Errorf("ambiguous value linked: %s", js(t, rc.Change.After))
	}
}
