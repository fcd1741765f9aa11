package infra

import (
	"reflect"
	"strings"
)

// The force-new table: for every resource type the program registers,
// which inputs make the provider replace the resource instead of updating
// it in place, whether the provider replaces it delete-first, and what
// physical identity the program gives it. The replacement matrix
// (replacement_test.go) is computed from this table and nothing else.
//
// Sources. pulumi-aws v6.83 bridges the Terraform AWS provider v5; a
// bridged resource is replaced exactly when an attribute marked
// `ForceNew: true` in its schema changes, or when its CustomizeDiff calls
// ForceNew. Input names below are the Pulumi (camelCase) names the mocks
// record; the Terraform names are the snake_case ones in the cited file.
// Files marked "read" were read for this table at the commit given (the
// stored version of hashicorp/terraform-provider-aws; the flags used here
// are the same across v5); the others are cited by path and were not
// re-read here. pulumi-aws's own overrides come from its provider/resources.go
// (DeleteBeforeReplace on aws_ecr_lifecycle_policy and
// aws_iam_role_policy_attachment, with the comment "a create followed by a
// delete actually deletes the same attachment we just created"), and
// `name` inputs the program leaves unset are auto-named by pulumi-aws
// ("If omitted, the provider will assign a random, unique name" in the SDK
// docs of iam.Role, iam.RolePolicy, ec2.SecurityGroup, lb.TargetGroup,
// appautoscaling.Policy), so a replacement of those gets a fresh name.
// The docker provider (pulumi/pulumi-docker v4.10.0, commit ab90873,
// provider/provider.go Diff) reports every changed input as an UPDATE and
// never a replacement.

const tfAWS = "hashicorp/terraform-provider-aws internal/service/"

// forceNewRule is what the provider does when an input of one resource
// type changes.
type forceNewRule struct {
	// ForceNew are the inputs (top-level, or nested as "a.b") whose change
	// replaces the resource.
	ForceNew []string
	// AllForceNewExcept, when non-nil, means every top-level input forces
	// a replacement except these.
	AllForceNewExcept []string
	// Custom is a CustomizeDiff rule: the inputs it forces new for this
	// old/new pair.
	Custom func(old, new map[string]any) []string
	// CustomNote describes Custom for the docs.
	CustomNote string
	// DeleteBeforeReplace is set by the provider for this type.
	DeleteBeforeReplace bool
	// Identity returns the physical identity the program fixes through the
	// inputs (a name, or the parent the resource is a singleton of); nil
	// for resources named by AWS or auto-named by Pulumi.
	Identity func(in map[string]any) string
	// IdentityNote describes Identity for the docs.
	IdentityNote string
	// SameOutputs: a replacement that keeps the identity keeps the ID and
	// every output, because AWS derives them from the identity (an ECR
	// repository's ARN and URL, a log group's ARN, an ECS cluster's or
	// service's ARN are built from the name). Other replacements get new
	// IDs and outputs.
	SameOutputs bool
	// Revisioned types add a revision next to the old one on replacement
	// (ECS task definitions: a family holds many revisions, and
	// skipDestroy keeps the old one), so a replacement never conflicts.
	Revisioned bool
	// Source cites where the rule comes from.
	Source string
}

// replKeyed is an Identity made of the values of some inputs.
func replKeyed(keys ...string) func(map[string]any) string {
	return func(in map[string]any) string {
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = k + "=" + replRender(in[k])
		}
		return strings.Join(parts, " ")
	}
}

// replCapacityProviderForceNew is aws_ecs_service's
// capacityProviderStrategyCustomizeDiff: a change of the capacity provider
// strategy forces a new service unless force_new_deployment is true and
// neither the old nor the new strategy is empty.
func replCapacityProviderForceNew(old, new map[string]any) []string {
	const k = "capacityProviderStrategies"
	if reflect.DeepEqual(old[k], new[k]) {
		return nil
	}
	force, _ := new["forceNewDeployment"].(bool)
	ol, nl := replListLen(old[k]), replListLen(new[k])
	if !force || (ol == 0) != (nl == 0) {
		return []string{k}
	}
	return nil
}

func replListLen(v any) int {
	l, _ := v.([]any)
	return len(l)
}

// forceNewRules is the table. Every type the program registers must be
// here (TestReplacementMatrix checks it).
var forceNewRules = map[string]forceNewRule{
	"aws:servicediscovery/httpNamespace:HttpNamespace": {
		SameOutputs:  true,
		ForceNew:     []string{"name", "description"},
		Identity:     replKeyed("name"),
		IdentityNote: "name (one namespace of the name per account and region)",
		Source:       tfAWS + "servicediscovery/http_namespace.go (name and description ForceNew; tags update in place)",
	},
	"aws:lb/listenerRule:ListenerRule": {
		ForceNew: []string{"listenerArn"},
		Source:   tfAWS + "elbv2/listener_rule.go (listener_arn ForceNew; priority updates through SetRulePriorities, action and condition through ModifyRule)",
	},
	"aws:ecr/repository:Repository": {
		SameOutputs:  true,
		ForceNew:     []string{"name", "encryptionConfigurations"},
		Identity:     replKeyed("name"),
		IdentityNote: "name",
		Source:       tfAWS + "ecr/repository.go (read @0072eea2: name and encryption_configuration, with encryption_type and kms_key, ForceNew)",
	},
	"aws:ecr/lifecyclePolicy:LifecyclePolicy": {
		SameOutputs:         true,
		ForceNew:            []string{"policy", "repository"},
		DeleteBeforeReplace: true,
		Identity:            replKeyed("repository"),
		IdentityNote:        "repository (one policy each)",
		Source:              tfAWS + "ecr/lifecycle_policy.go (read @00a35305: policy and repository ForceNew, no Update); pulumi-aws provider/resources.go DeleteBeforeReplace",
	},
	"docker:index/image:Image": {
		Source: "pulumi/pulumi-docker v4.10.0 provider/provider.go Diff (read @ab908373: every changed input is an UPDATE; registry username/password changes are ignored)",
	},
	"aws:cloudwatch/logGroup:LogGroup": {
		SameOutputs:  true,
		ForceNew:     []string{"name", "namePrefix", "logGroupClass"},
		Identity:     replKeyed("name"),
		IdentityNote: "name",
		Source:       tfAWS + "logs/group.go (read @0073593e: name, name_prefix, log_group_class ForceNew; kms_key_id and retention_in_days update in place)",
	},
	"aws:iam/role:Role": {
		ForceNew: []string{"name", "namePrefix", "path"},
		Source:   tfAWS + "iam/role.go (name, name_prefix, path ForceNew; assume_role_policy, description, permissions_boundary update in place)",
	},
	"aws:iam/rolePolicy:RolePolicy": {
		ForceNew: []string{"name", "namePrefix", "role"},
		Source:   tfAWS + "iam/role_policy.go (name, name_prefix, role ForceNew; policy updates in place)",
	},
	"aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
		SameOutputs:         true,
		ForceNew:            []string{"role", "policyArn"},
		DeleteBeforeReplace: true,
		Identity:            replKeyed("role", "policyArn"),
		IdentityNote:        "role + policy ARN",
		Source:              tfAWS + "iam/role_policy_attachment.go (role, policy_arn ForceNew); pulumi-aws provider/resources.go DeleteBeforeReplace",
	},
	"aws:ecs/cluster:Cluster": {
		SameOutputs:  true,
		ForceNew:     []string{"name"},
		Identity:     replKeyed("name"),
		IdentityNote: "name",
		Source:       tfAWS + "ecs/cluster.go (read @00a35305: name ForceNew; configuration, setting update in place through UpdateCluster)",
	},
	"aws:ecs/clusterCapacityProviders:ClusterCapacityProviders": {
		SameOutputs:  true,
		ForceNew:     []string{"clusterName"},
		Identity:     replKeyed("clusterName"),
		IdentityNote: "cluster (one set each)",
		Source:       tfAWS + "ecs/cluster_capacity_providers.go (cluster_name ForceNew)",
	},
	"aws:ecs/taskDefinition:TaskDefinition": {
		AllForceNewExcept: []string{"tags", "skipDestroy", "trackLatest"},
		Identity:          replKeyed("family"),
		IdentityNote:      "family (each replacement is a new revision)",
		Revisioned:        true,
		Source:            tfAWS + "ecs/task_definition.go (every argument ForceNew except tags, skip_destroy, track_latest)",
	},
	"aws:ecs/service:Service": {
		SameOutputs:  true,
		ForceNew:     []string{"name", "cluster", "launchType", "schedulingStrategy", "iamRole", "deploymentController.type"},
		Custom:       replCapacityProviderForceNew,
		CustomNote:   "capacityProviderStrategies unless forceNewDeployment is true and neither side is empty",
		Identity:     replKeyed("cluster", "name"),
		IdentityNote: "cluster + name",
		Source:       tfAWS + "ecs/service.go (read @00a919d1: name, cluster, launch_type, scheduling_strategy, iam_role, deployment_controller.type ForceNew; capacityProviderStrategyCustomizeDiff; load_balancer, network_configuration, desired_count update in place)",
	},
	"aws:ec2/securityGroup:SecurityGroup": {
		ForceNew: []string{"name", "namePrefix", "description", "vpcId"},
		Source:   tfAWS + "ec2/vpc_security_group.go (name, name_prefix, description, vpc_id ForceNew; ingress, egress update in place)",
	},
	"aws:ec2/vpc:Vpc": {
		ForceNew: []string{"cidrBlock"},
		Source:   tfAWS + "ec2/vpc_.go (cidr_block ForceNew; DNS attributes update in place)",
	},
	"aws:ec2/subnet:Subnet": {
		ForceNew: []string{"vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId"},
		// Subnets of one VPC cannot overlap.
		Identity:     replKeyed("vpcId", "cidrBlock"),
		IdentityNote: "CIDR block within the VPC",
		Source:       tfAWS + "ec2/vpc_subnet.go (vpc_id, cidr_block, availability_zone, availability_zone_id ForceNew)",
	},
	"aws:ec2/internetGateway:InternetGateway": {
		Source: tfAWS + "ec2/vpc_internet_gateway.go (read @08923b68: no ForceNew input; vpc_id changes detach and attach)",
	},
	"aws:ec2/flowLog:FlowLog": {
		AllForceNewExcept: []string{"tags"},
		// EC2 CreateFlowLogs refuses a second flow log of a resource to
		// the same destination: FlowLogAlreadyExists, "There is an
		// existing Flow Log with the same configuration and log
		// destination". moto 5.2.1 (moto/ec2/models/flow_logs.py) keys it
		// on resource and destination, whatever the role or traffic type;
		// TestReplacementIdentitiesAgainstMoto creates two such flow logs
		// under moto and gets it. The matrix takes that rule; AWS itself
		// is not verified here.
		Identity:     replKeyed("vpcId", "logDestination"),
		IdentityNote: "VPC + destination",
		Source: tfAWS + "ec2/vpc_flow_log.go (read @00a35305: every argument ForceNew, Update is tags only); " +
			"FlowLogAlreadyExists as moto 5.2.1 moto/ec2/models/flow_logs.py raises it",
	},
	"aws:ec2/routeTable:RouteTable": {
		ForceNew: []string{"vpcId"},
		Source:   tfAWS + "ec2/vpc_route_table.go (vpc_id ForceNew; route updates in place)",
	},
	"aws:ec2/routeTableAssociation:RouteTableAssociation": {
		ForceNew:     []string{"subnetId", "gatewayId"},
		Identity:     replKeyed("subnetId"),
		IdentityNote: "subnet (one association each)",
		Source:       tfAWS + "ec2/vpc_route_table_association.go (subnet_id, gateway_id ForceNew; route_table_id updates in place)",
	},
	"aws:ec2/eip:Eip": {
		ForceNew: []string{"domain", "vpc"},
		Source:   tfAWS + "ec2/ec2_eip.go (domain, vpc ForceNew)",
	},
	"aws:ec2/natGateway:NatGateway": {
		ForceNew: []string{"allocationId", "subnetId", "connectivityType", "privateIp"},
		// An Elastic IP backs one NAT gateway at a time: a replacement
		// with the same allocation cannot be created next to the old one.
		Identity:     replKeyed("allocationId"),
		IdentityNote: "Elastic IP (one NAT gateway each)",
		Source:       tfAWS + "ec2/vpc_nat_gateway.go (allocation_id, subnet_id, connectivity_type, private_ip ForceNew)",
	},
	"aws:lb/loadBalancer:LoadBalancer": {
		ForceNew:     []string{"name", "namePrefix", "internal", "loadBalancerType", "customerOwnedIpv4Pool"},
		Identity:     replKeyed("name"),
		IdentityNote: "name",
		Source:       tfAWS + "elbv2/load_balancer.go (read @00edc94b: name, name_prefix, internal, load_balancer_type, customer_owned_ipv4_pool ForceNew; subnets and security_groups update in place for type application)",
	},
	"aws:lb/targetGroup:TargetGroup": {
		ForceNew: []string{"name", "namePrefix", "port", "protocol", "protocolVersion", "vpcId", "targetType"},
		Source:   tfAWS + "elbv2/target_group.go (name, name_prefix, port, protocol, protocol_version, vpc_id, target_type ForceNew; health_check, deregistration_delay update in place)",
	},
	"aws:lb/listener:Listener": {
		ForceNew:     []string{"loadBalancerArn"},
		Identity:     replKeyed("loadBalancerArn", "port"),
		IdentityNote: "load balancer + port",
		Source:       tfAWS + "elbv2/listener.go (load_balancer_arn ForceNew; port, protocol, certificate_arn, default_action update in place)",
	},
	"aws:acm/certificate:Certificate": {
		ForceNew: []string{"domainName", "subjectAlternativeNames", "keyAlgorithm", "validationMethod", "certificateAuthorityArn"},
		Source:   tfAWS + "acm/certificate.go (domain_name, subject_alternative_names, key_algorithm, validation_method, certificate_authority_arn ForceNew)",
	},
	"aws:acm/certificateValidation:CertificateValidation": {
		ForceNew: []string{"certificateArn", "validationRecordFqdns"},
		Source:   tfAWS + "acm/certificate_validation.go (no Update: every argument ForceNew; no AWS object of its own)",
	},
	"aws:route53/record:Record": {
		ForceNew:     []string{"name", "zoneId"},
		Identity:     replKeyed("zoneId", "name", "type"),
		IdentityNote: "zone + name + type",
		Source:       tfAWS + "route53/record.go (name, zone_id ForceNew; records, ttl, alias, type update in place)",
	},
	"aws:secretsmanager/secret:Secret": {
		ForceNew:     []string{"name", "namePrefix"},
		Identity:     replKeyed("name"),
		IdentityNote: "name",
		Source:       tfAWS + "secretsmanager/secret.go (read @00c21ced: name, name_prefix ForceNew; description, kms_key_id, recovery_window_in_days update in place)",
	},
	"aws:secretsmanager/secretVersion:SecretVersion": {
		ForceNew: []string{"secretId", "secretString", "secretBinary"},
		Source:   tfAWS + "secretsmanager/secret_version.go (read @0042e8ea: secret_id, secret_string, secret_binary ForceNew; each version has its own generated id)",
	},
	"aws:appautoscaling/target:Target": {
		SameOutputs:  true,
		ForceNew:     []string{"resourceId", "scalableDimension", "serviceNamespace"},
		Identity:     replKeyed("serviceNamespace", "resourceId", "scalableDimension"),
		IdentityNote: "scalable dimension (one target each)",
		Source:       tfAWS + "appautoscaling/target.go (resource_id, scalable_dimension, service_namespace ForceNew; min/max_capacity update in place)",
	},
	"aws:appautoscaling/scheduledAction:ScheduledAction": {
		ForceNew:     []string{"name", "serviceNamespace", "resourceId", "scalableDimension"},
		Identity:     replKeyed("name", "resourceId"),
		IdentityNote: "name on the scalable target",
		Source:       tfAWS + "appautoscaling/scheduled_action.go (name, service_namespace, resource_id, scalable_dimension ForceNew; schedule, timezone, scalable_target_action update in place)",
	},
	"aws:cloudwatch/metricAlarm:MetricAlarm": {
		ForceNew:     []string{"name"},
		Identity:     replKeyed("name"),
		IdentityNote: "alarm name",
		Source:       tfAWS + "cloudwatch/metric_alarm.go (alarm_name ForceNew; PutMetricAlarm updates everything else in place)",
	},
	"aws:cloudwatch/dashboard:Dashboard": {
		ForceNew:     []string{"dashboardName"},
		Identity:     replKeyed("dashboardName"),
		IdentityNote: "dashboard name",
		Source:       tfAWS + "cloudwatch/dashboard.go (dashboard_name ForceNew; dashboard_body updates in place)",
	},
	"aws:kms/key:Key": {
		ForceNew: []string{"customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"},
		Source:   tfAWS + "kms/key.go (customer_master_key_spec, key_usage, multi_region, custom_key_store_id, xks_key_id ForceNew; policy, description, rotation, deletion window update in place)",
	},
	"aws:sns/topic:Topic": {
		ForceNew:     []string{"name", "namePrefix", "fifoTopic"},
		Identity:     replKeyed("name"),
		IdentityNote: "topic name",
		Source:       tfAWS + "sns/topic.go (name, name_prefix, fifo_topic ForceNew; kms_master_key_id and the other attributes update in place)",
	},
	"aws:sns/topicPolicy:TopicPolicy": {
		ForceNew:     []string{"arn"},
		Identity:     replKeyed("arn"),
		IdentityNote: "topic (one policy each)",
		Source:       tfAWS + "sns/topic_policy.go (arn ForceNew; policy updates in place)",
	},
	"aws:sns/topicSubscription:TopicSubscription": {
		ForceNew: []string{"topic", "protocol", "endpoint"},
		// Subscribe is idempotent for the same topic, protocol and
		// endpoint: a replacement with all three equal would get the old
		// subscription back and then unsubscribe it.
		Identity:     replKeyed("topic", "protocol", "endpoint"),
		IdentityNote: "topic + protocol + endpoint",
		Source:       tfAWS + "sns/topic_subscription.go (topic_arn, protocol, endpoint ForceNew)",
	},
	"aws:s3/bucketV2:BucketV2": {
		ForceNew: []string{"bucket", "bucketPrefix", "objectLockEnabled"},
		Source:   tfAWS + "s3/bucket.go (bucket, bucket_prefix, object_lock_enabled ForceNew; the program sets only bucketPrefix, so the name is generated)",
	},
	"aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
		ForceNew:     []string{"bucket"},
		Identity:     replKeyed("bucket"),
		IdentityNote: "bucket (one each)",
		Source:       tfAWS + "s3/bucket_public_access_block.go (bucket ForceNew; the four settings update in place)",
	},
	"aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
		ForceNew:     []string{"bucket"},
		Identity:     replKeyed("bucket"),
		IdentityNote: "bucket (one each)",
		Source:       tfAWS + "s3/bucket_ownership_controls.go (bucket ForceNew; rule updates in place)",
	},
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2": {
		ForceNew:     []string{"bucket", "expectedBucketOwner"},
		Identity:     replKeyed("bucket"),
		IdentityNote: "bucket (one each)",
		Source:       tfAWS + "s3/bucket_server_side_encryption_configuration.go (bucket, expected_bucket_owner ForceNew; rule updates in place)",
	},
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2": {
		ForceNew:     []string{"bucket", "expectedBucketOwner"},
		Identity:     replKeyed("bucket"),
		IdentityNote: "bucket (one each)",
		Source:       tfAWS + "s3/bucket_lifecycle_configuration.go (bucket, expected_bucket_owner ForceNew; rule updates in place)",
	},
	"aws:s3/bucketPolicy:BucketPolicy": {
		ForceNew:     []string{"bucket"},
		Identity:     replKeyed("bucket"),
		IdentityNote: "bucket (one each)",
		Source:       tfAWS + "s3/bucket_policy.go (bucket ForceNew; policy updates in place)",
	},
	"aws:scheduler/scheduleGroup:ScheduleGroup": {
		ForceNew:     []string{"name", "namePrefix"},
		Identity:     replKeyed("name"),
		IdentityNote: "group name",
		Source:       tfAWS + "scheduler/schedule_group.go (name, name_prefix ForceNew)",
	},
	"aws:scheduler/schedule:Schedule": {
		ForceNew:     []string{"name", "namePrefix", "groupName"},
		Identity:     replKeyed("groupName", "name"),
		IdentityNote: "group + name",
		Source:       tfAWS + "scheduler/schedule.go (name, name_prefix, group_name ForceNew; schedule_expression, target, timezone update in place)",
	},
	"aws:appautoscaling/policy:Policy": {
		ForceNew: []string{"name", "resourceId", "scalableDimension", "serviceNamespace"},
		Source:   tfAWS + "appautoscaling/policy.go (name, resource_id, scalable_dimension, service_namespace ForceNew; target_tracking_scaling_policy_configuration updates in place)",
	},
}

// forceNewBy returns the inputs of a changed resource that force its
// replacement, given the changed top-level inputs.
func (r forceNewRule) forceNewBy(old, new map[string]any, changed []string) []string {
	var out []string
	seen := map[string]bool{}
	add := func(k string) {
		if !seen[k] {
			seen[k] = true
			out = append(out, k)
		}
	}
	if r.AllForceNewExcept != nil {
		for _, k := range changed {
			if !replContains(r.AllForceNewExcept, k) {
				add(k)
			}
		}
	}
	for _, path := range r.ForceNew {
		if !reflect.DeepEqual(replLookup(old, path), replLookup(new, path)) {
			add(path)
		}
	}
	if r.Custom != nil {
		for _, k := range r.Custom(old, new) {
			add(k)
		}
	}
	return out
}

// replLookup follows a dotted path through objects and one-element lists
// (Terraform's MaxItems: 1 blocks).
func replLookup(v any, path string) any {
	for _, part := range strings.Split(path, ".") {
		if l, ok := v.([]any); ok && len(l) == 1 {
			v = l[0]
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	return v
}

func replContains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
