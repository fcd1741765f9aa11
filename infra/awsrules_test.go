package infra

// The AWS rules layer. Mocks accept anything; AWS and the Terraform AWS
// provider (which pulumi-aws v6 bridges, TF AWS provider v5.x) do not. Every
// resource the program registers under mocks goes through checkAWSRules
// (called from mocks.NewResource in harness_test.go): each input is checked
// against the constraint the provider's schema validation or the AWS API
// enforces, and a violation makes the mock refuse the resource with an
// error naming the resource, the input, the value, the rule and its source.
// So every test that builds a stack, for every shipped stack file and every
// option combination the tests build, is also a test that AWS would accept
// what the program sends.
//
// Sources are cited per rule in awsRules. "TF" means the Terraform AWS
// provider, github.com/hashicorp/terraform-provider-aws, path given; "API"
// means the AWS API reference page named.
//
// What this layer cannot settle (only real AWS can): account quotas,
// eventual consistency, service-side checks that need state (does the key
// policy allow the service, does the subnet have a route, is the name free),
// and rules AWS does not document.

import (
	"encoding/json"
	"fmt"
	"net/netip"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// awsRule is one documented constraint and where it comes from.
type awsRule struct{ what, source string }

// Sources cited more than once.
const (
	srcTags       = "AWS tagging rules: https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html (key 1-128, value 0-256, at most 50, aws: reserved) and TF internal/tags/key_value_tags.go"
	srcECRRepo    = "TF internal/service/ecr/repository.go (name: StringLenBetween(2, 256) + regexp); API ECR CreateRepository"
	srcECSName    = "API ECS CreateCluster/CreateService/RegisterTaskDefinition: up to 255 letters, numbers, underscores and hyphens; TF internal/service/ecs/task_definition.go (family)"
	srcFargate    = "ECS developer guide, Fargate task definition considerations: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-tasks-services.html"
	srcContainer  = "API ECS ContainerDefinition: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDefinition.html"
	srcSGDesc     = "API EC2 CreateSecurityGroup (GroupDescription, EC2-VPC: a-z, A-Z, 0-9, spaces, and ._-:/()#,@[]+=&;{}!$*, 255) and TF internal/service/ec2/validate.go validSecurityGroupRuleDescription"
	srcIAMQuotas  = "IAM quotas: https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html (whitespace not counted)"
	srcELBv2      = "TF internal/service/elbv2/validate.go"
	srcTG         = "TF internal/service/elbv2/target_group.go; API ELBv2 CreateTargetGroup"
	srcKMSIAM     = "KMS developer guide, KMS keys in IAM policies: https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html (an alias ARN in Resource does not cover the key)"
	srcAutoscale  = "API Application Auto Scaling RegisterScalableTarget/PutScalingPolicy; TF internal/service/appautoscaling/policy.go"
	srcLifecycle  = "ECR lifecycle policy parameters: https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html"
	srcDockerRef  = "docker reference grammar: github.com/distribution/reference regexp.go (path components [a-z0-9]+([._-][a-z0-9]+)*, tag [\\w][\\w.-]{0,127})"
	srcEC2Network = "API EC2 CreateVpc/CreateSubnet (block sizes /16 to /28) and TF internal/service/ec2/vpc_subnet.go"
)

// awsRules is every rule the layer enforces, by id.
var awsRules = map[string]awsRule{
	// Tags, per service family.
	"tags.count":         {"at most 50 user tags", srcTags},
	"tags.key":           {"tag keys are 1-128 characters and must not start with aws:", srcTags},
	"tags.value":         {"tag values are at most 256 characters", srcTags},
	"tags.charset":       {`tag keys and values use only letters, numbers, spaces and _ . : / = + - @ ([\p{L}\p{Z}\p{N}_.:/=+\-@]*)`, srcTags + "; API IAM Tag, CloudWatch Logs TagResource, ECS Tag, ELBv2 AddTags, Secrets Manager TagResource patterns"},
	"autoname.chars":     {"the name Pulumi generates (logical name + \"-\" + 7 random characters) must satisfy the resource's name rule", "pulumi-aws provider/resources.go auto-naming (tfbridge.AutoName)"},
	"ecr.name":           {"ECR repository names are 2-256 characters matching (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*", srcECRRepo},
	"ecr.mutability":     {"imageTagMutability is MUTABLE, IMMUTABLE, MUTABLE_WITH_EXCLUSION or IMMUTABLE_WITH_EXCLUSION", "TF internal/service/ecr/repository.go (image_tag_mutability enum)"},
	"ecr.encryption":     {"encryptionType is AES256, KMS or KMS_DSSE; kmsKey only with a KMS type, and must be an ARN", "TF internal/service/ecr/repository.go (encryption_configuration: encryption_type enum, kms_key verify.ValidARN)"},
	"ecr.lifecycle":      {"lifecycle policy: JSON of 100-30720 characters; unique rulePriority 1-999; tagStatus tagged|untagged|any (tagged needs tagPrefixList or tagPatternList); countType imageCountMoreThan|sinceImagePushed (days); countNumber >= 1; the tagStatus any rule has the highest priority; action expire", srcLifecycle + "; API ECR PutLifecyclePolicy"},
	"logs.name":          {`log group names are 1-512 characters of [\.\-_/#A-Za-z0-9]`, "TF internal/service/logs/validate.go validLogGroupName; API CloudWatch Logs CreateLogGroup"},
	"logs.retention":     {"retentionInDays is one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653", "TF internal/service/logs/group.go (retention_in_days IntInSlice); API PutRetentionPolicy"},
	"logs.kms":           {"kmsKeyId must be a KMS key ARN (arn:PARTITION:kms:REGION:ACCOUNT:key/ID); aliases are not accepted", "API CloudWatch Logs CreateLogGroup/AssociateKmsKey (kmsKeyId: the ARN of the KMS key); TF internal/service/logs/group.go verify.ValidARN"},
	"logs.class":         {"logGroupClass is STANDARD, INFREQUENT_ACCESS or DELIVERY", "TF internal/service/logs/group.go (log_group_class enum)"},
	"iam.role.name":      {`IAM role names are 1-64 characters of [\w+=,.@-]`, "TF internal/service/iam/role.go validResourceName(roleNameMaxLen=64); API IAM CreateRole"},
	"iam.role.path":      {"IAM paths are 1-512 characters, / alone or /.../ of printable ASCII", "API IAM CreateRole (Path pattern (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)); TF internal/service/iam/role.go StringLenBetween(0, 512)"},
	"iam.role.desc":      {"role descriptions are at most 1000 characters of [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF] and no curly quotes", "API IAM CreateRole (Description pattern); TF internal/service/iam/role.go"},
	"iam.role.arn":       {"permissionsBoundary and policy ARNs are IAM policy ARNs (arn:PARTITION:iam::ACCOUNT|aws:policy/...)", "TF internal/service/iam/role.go and role_policy_attachment.go verify.ValidARN; API IAM PutRolePermissionsBoundary"},
	"iam.role.ref":       {"role references of role policies and attachments are role names, not ARNs", "TF internal/service/iam/role_policy.go and role_policy_attachment.go (role: the role name)"},
	"iam.policy.json":    {"policy documents are JSON objects with Version 2012-10-17 and a non-empty Statement", "TF internal/verify/validate.go ValidIAMPolicyJSON; IAM JSON policy reference https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements.html"},
	"iam.policy.name":    {`inline policy names are 1-128 characters of [\w+=,.@-]`, "TF internal/service/iam/validate.go validRolePolicyName"},
	"iam.trust.size":     {"a role trust policy is at most 2,048 characters, whitespace not counted", srcIAMQuotas},
	"iam.inline.size":    {"a role's inline policies together are at most 10,240 characters, whitespace not counted", srcIAMQuotas},
	"iam.kms.key":        {"statements with kms: actions name keys by key ARN (or *), never by alias ARN", srcKMSIAM},
	"ecs.name":           {"cluster, service, family, container and volume names are 1-255 letters, numbers, underscores and hyphens", srcECSName},
	"ecs.insights":       {"cluster setting containerInsights is enabled, disabled or enhanced", "API ECS ClusterSetting; TF internal/service/ecs/cluster.go"},
	"ecs.execconfig":     {"exec logging is NONE, DEFAULT or OVERRIDE; OVERRIDE needs a log configuration naming a log group the program creates", "API ECS ExecuteCommandConfiguration; TF internal/service/ecs/cluster.go"},
	"ecs.capacity":       {"capacity providers are FARGATE or FARGATE_SPOT (or an ASG provider); strategy weight 0-1000, base 0-100000, at most one base > 0, and each provider attached to the cluster", "API ECS CapacityProviderStrategyItem and PutClusterCapacityProviders; TF internal/service/ecs/cluster_capacity_providers.go and service.go"},
	"ecs.arm64spot":      {"Linux tasks with the ARM64 architecture do not support the FARGATE_SPOT capacity provider", "ECS developer guide, Fargate capacity providers: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html"},
	"ecs.size":           {"Fargate task cpu/memory is one of the documented pairs (256: 512-2048; 512: 1024-4096; 1024: 2048-8192; 2048: 4096-16384; 4096: 8192-30720 step 1024; 8192: 16384-61440 step 4096; 16384: 32768-122880 step 8192)", srcFargate + " (Task CPU and memory)"},
	"ecs.fargate":        {"FARGATE task definitions need networkMode awsvpc, task-level cpu and memory, LINUX or WINDOWS_* OS family and X86_64 or ARM64", srcFargate + "; TF internal/service/ecs/task_definition.go"},
	"ecs.rolearn":        {"executionRoleArn and taskRoleArn are IAM role ARNs (arn:PARTITION:iam::ACCOUNT:role/PATH/NAME)", "API ECS RegisterTaskDefinition; TF internal/service/ecs/task_definition.go verify.ValidARN"},
	"ecs.execrole":       {"an execution role is required to pull from private ECR, use awslogs or inject secrets", "ECS developer guide, task execution IAM role: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html"},
	"ecs.td.size":        {"a task definition's container definitions are at most 64 KiB", "ECS service quotas: task definition size 64 KiB https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-quotas.html"},
	"ecs.platform":       {"platformVersion for Linux Fargate is LATEST, 1.4.0 or 1.3.0", "Fargate Linux platform versions: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-linux-fargate.html"},
	"ecs.service":        {"service: schedulingStrategy REPLICA on Fargate; launchType and capacityProviderStrategies are exclusive; propagateTags SERVICE|TASK_DEFINITION|NONE; availabilityZoneRebalancing ENABLED|DISABLED; minimum healthy percent 0-100; grace period 0-2147483647; 1-16 subnets and at most 5 security groups", "API ECS CreateService; TF internal/service/ecs/service.go"},
	"ecs.service.lb":     {"a service's load balancer names a container and port of its task definition, and an ip target group (awsvpc)", "API ECS CreateService (loadBalancers); ECS developer guide, load balancer considerations"},
	"ecs.exec":           {"enableExecuteCommand needs a task role in the task definition", "ECS developer guide, ECS Exec prerequisites: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html"},
	"ecs.c.image":        {"container image references are at most 255 characters of letters, numbers, - _ : . / # @", srcContainer + " (image)"},
	"ecs.c.essential":    {"a task definition has at least one essential container", srcContainer + " (essential)"},
	"ecs.c.ports":        {"awsvpc port mappings: containerPort 1-65535, hostPort absent or equal, protocol tcp|udp, appProtocol http|http2|grpc, name of at most 64 lower-case letters, numbers, _ and - not starting with -", srcContainer + " and API PortMapping"},
	"ecs.c.fargate":      {"Fargate does not support privileged, links, hostname, extraHosts, dockerSecurityOptions, disableNetworking, devices, sharedMemorySize, tmpfs, maxSwap or swappiness, and adds no capability but SYS_PTRACE (privileged is refused in any value: Fargate does not support the parameter, and a false that AWS does not echo back is a perpetual diff, issue 9 defect 7)", srcFargate + " (task definition parameters Fargate does not support); API KernelCapabilities"},
	"ecs.c.health":       {"container health check: command starts with CMD, CMD-SHELL or NONE; interval 5-300, timeout 2-60, retries 1-10, startPeriod 0-300", "API ECS HealthCheck: https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html"},
	"ecs.c.stop":         {"stopTimeout on Fargate is at most 120 s", srcContainer + " (stopTimeout)"},
	"ecs.c.logs":         {"Fargate log drivers are awslogs, splunk or awsfirelens; awslogs needs awslogs-group naming a log group the program creates, awslogs-region, and awslogs-stream-prefix on Fargate; mode blocking|non-blocking", "ECS developer guide, awslogs driver: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html"},
	"ecs.c.secrets":      {"secrets valueFrom is a Secrets Manager secret ARN (optionally :json-key:version-stage:version-id) or an SSM parameter", "ECS developer guide, secrets: https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html"},
	"ecs.c.mounts":       {"mount points name a volume of the task definition and an absolute container path", srcContainer + " (mountPoints)"},
	"ecs.c.platform":     {"the image is built for the task's cpuArchitecture (linux/amd64 for X86_64, linux/arm64 for ARM64)", "ECS developer guide, runtimePlatform; an image of another architecture exits with exec format error"},
	"ec2.sg.name":        {"security group names are at most 255 characters and do not start with sg-", "API EC2 CreateSecurityGroup; TF internal/service/ec2/vpc_security_group.go"},
	"ec2.sg.desc":        {"security group and rule descriptions are at most 255 characters of a-zA-Z0-9, space and ._-:/()#,@[]+=&;{}!$*", srcSGDesc},
	"ec2.sg.rule":        {"rules: protocol -1, tcp, udp, icmp, icmpv6 or 0-255; ports 0-65535 with from <= to (both 0 for -1); a source (cidrBlocks, securityGroups, prefixListIds, ipv6CidrBlocks or self); CIDRs are IPv4 network addresses", "TF internal/service/ec2/vpc_security_group.go (ingress/egress schema and expandIPPerms); API EC2 IpPermission"},
	"ec2.cidr":           {"VPC and subnet blocks are IPv4 network addresses of /16 to /28, each subnet inside its VPC", srcEC2Network},
	"ec2.flowlog":        {"flow log: trafficType ACCEPT|REJECT|ALL; maxAggregationInterval 60 or 600; exactly one of vpcId, subnetId, eniId, transitGatewayId, transitGatewayAttachmentId; cloud-watch-logs destinations are a log group the program creates and need an IAM role ARN", "TF internal/service/ec2/vpc_flow_log.go (traffic_type, max_aggregation_interval IntInSlice(60, 600), ExactlyOneOf); API EC2 CreateFlowLogs (DeliverLogsPermissionArn required for CloudWatch Logs)"},
	"ec2.network":        {"EIP domain is vpc; NAT gateways need an allocation and a subnet; routes need exactly one target; route table associations name a subnet", "API EC2 AllocateAddress, CreateNatGateway, CreateRoute; TF internal/service/ec2/vpc_route_table.go"},
	"lb.name":            {"load balancer names are at most 32 alphanumerics and hyphens, not starting or ending with a hyphen nor starting with internal-", srcELBv2 + " validName"},
	"lb.alb":             {"an application load balancer has at least two subnets, at most 5 security groups, idle timeout 1-4000 s", "API ELBv2 CreateLoadBalancer; TF internal/service/elbv2/load_balancer.go"},
	"lb.tg.name":         {"target group names are at most 32 alphanumerics and hyphens, not starting or ending with a hyphen; name_prefix at most 6", srcELBv2 + " validTargetGroupName/validTargetGroupNamePrefix"},
	"lb.tg":              {"target group: port 1-65535, protocol HTTP|HTTPS|TCP|TLS|UDP|TCP_UDP|GENEVE, targetType instance|ip|lambda|alb, deregistrationDelay 0-3600, ip targets need a vpcId", srcTG},
	"lb.tg.health":       {"target group health check: interval 5-300, timeout 2-120 and below the interval, thresholds 2-10, path 1-1024 starting with /, port traffic-port or 1-65535, matcher HTTP codes 200-499", srcTG},
	"lb.listener":        {"listener: port 1-65535; ALB protocol HTTP|HTTPS; HTTPS needs a certificate ARN, and an sslPolicy, when set, is an ELBSecurityPolicy-*; HTTP takes neither; forward needs a target group ARN; redirect status HTTP_301|HTTP_302", "API ELBv2 CreateListener; TF internal/service/elbv2/listener.go"},
	"acm.cert":           {"certificate domain names are at most 253 characters, no trailing dot; validationMethod DNS, EMAIL or NONE", "API ACM RequestCertificate; TF internal/service/acm/certificate.go"},
	"acm.arn":            {"certificate ARNs are ACM ARNs (arn:PARTITION:acm:REGION:ACCOUNT:certificate/ID)", "API ACM; TF internal/service/acm/certificate_validation.go verify.ValidARN"},
	"route53.record":     {"records: type A|AAAA|CAA|CNAME|DS|MX|NAPTR|NS|PTR|SOA|SPF|SRV|TXT; alias excludes ttl and records; non-alias records need ttl and records; zone id Z...; name at most 255", "API Route 53 ChangeResourceRecordSets; TF internal/service/route53/record.go"},
	"sm.name":            {"secret names are 1-512 characters of letters, numbers and /_+=.@-", "API Secrets Manager CreateSecret (Name); TF internal/service/secretsmanager/secret.go"},
	"sm.secret":          {"secret description at most 2048 characters; recoveryWindowInDays 0 or 7-30; kmsKeyId at most 2048", "TF internal/service/secretsmanager/secret.go (recovery_window_in_days Any(IntBetween(7, 30), IntInSlice(0)))"},
	"sm.version":         {"secret versions need a secret and a secretString of at most 65536 bytes", "API Secrets Manager PutSecretValue"},
	"aas.target":         {"scalable target: namespace ecs, dimension ecs:service:DesiredCount, resourceId service/CLUSTER/SERVICE of the program's service, 0 <= min <= max", srcAutoscale},
	"aas.policy":         {"scaling policy: type TargetTrackingScaling|StepScaling|PredictiveScaling; predefined metric ECSServiceAverageCPUUtilization|ECSServiceAverageMemoryUtilization|ALBRequestCountPerTarget; ALBRequestCountPerTarget needs resourceLabel app/LB/ID/targetgroup/TG/ID (at most 1023), the others none; targetValue > 0; cooldowns >= 0", srcAutoscale},
	"cw.alarm":           {"metric alarm: name 1-255, description at most 1024; a comparison operator and treatMissingData of the API's; evaluationPeriods >= 1, datapointsToAlarm 1..evaluationPeriods; period 10, 30 or a multiple of 60 with period x evaluationPeriods at most 86400; either metricName with exactly one of statistic (SampleCount|Average|Sum|Minimum|Maximum) and extendedStatistic (pNN), or metricQueries with ids [a-z][a-zA-Z0-9_]*, each an expression or a metric, exactly one returning data; dimension values 1-1024; at most 5 actions of each kind", "API CloudWatch PutMetricAlarm: https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html; TF internal/service/cloudwatch/metric_alarm.go"},
	"cw.dashboard":       {"dashboard names are 1-255 characters of [-_A-Za-z0-9]; the body is a JSON object whose widgets have metrics with non-empty dimension values", "TF internal/service/cloudwatch/dashboard.go (validDashboardName, StringIsJSON); API PutDashboard and the dashboard body structure"},
	"aas.scheduled":      {"scheduled action: name 1-256 without : / | or control characters; schedule cron(6 fields), rate(...) or at(...); timezone an IANA zone; 0 <= min <= max; the resourceId of a scalable target the program creates", "API Application Auto Scaling PutScheduledAction; TF internal/service/appautoscaling/scheduled_action.go"},
	"s3.bucket":          {"bucket names are 3-63 characters of lower-case letters, numbers, . and -, starting and ending with a letter or number; bucketPrefix at most 37 (63 less the generated suffix)", "S3 bucket naming rules: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html; TF internal/service/s3/bucket.go (bucket_prefix StringLenBetween(0, 63-id.UniqueIDSuffixLength))"},
	"s3.controls":        {"public access block and ownership controls name a bucket; objectOwnership is BucketOwnerPreferred, ObjectWriter or BucketOwnerEnforced", "API S3 PutPublicAccessBlock and PutBucketOwnershipControls; TF internal/service/s3/bucket_ownership_controls.go"},
	"s3.sse":             {"sseAlgorithm is AES256, aws:kms or aws:kms:dsse, with kmsMasterKeyId only for aws:kms*; a bucket that receives load balancer access logs uses SSE-S3 (AES256) only", "API S3 ServerSideEncryptionByDefault; ELB access logs: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html (only SSE-S3 is supported)"},
	"s3.lifecycle":       {"lifecycle rules: 1-1000, id at most 255, status Enabled|Disabled, expiration days >= 1", "API S3 PutBucketLifecycleConfiguration; TF internal/service/s3/bucket_lifecycle_configuration.go"},
	"s3.policy":          {"bucket policies are JSON policies of at most 20 KB whose statements have a Principal and name this bucket's ARN", "S3 bucket policy limits: https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html (20 KB); IAM JSON policy reference"},
	"kms.key":            {"KMS key: description at most 8192; deletionWindowInDays 7-30; key policy JSON with Principals, at most 32768 characters; rotation only for SYMMETRIC_DEFAULT ENCRYPT_DECRYPT keys", "API KMS CreateKey and EnableKeyRotation; TF internal/service/kms/key.go"},
	"sns.topic":          {"topic names are 1-256 letters, numbers, _ and - (.fifo for FIFO); topic policies are JSON of at most 30720 characters on an SNS topic ARN", "API SNS CreateTopic and SetTopicAttributes (Policy); TF internal/service/sns/topic.go"},
	"sns.subscription":   {"subscriptions: protocol email|email-json|http|https|sqs|sms|lambda|firehose|application on an SNS topic ARN; an email endpoint is an e-mail address", "API SNS Subscribe; TF internal/service/sns/topic_subscription.go"},
	"lb.accesslogs":      {"ALB access logs name a bucket the program creates, and a prefix without AWSLogs that does not start or end with /", "ELB access logs: https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html"},
	"lb.rule":            {"listener rule: on a listener the program creates; priority 1-50000, unique on the listener; 1-5 condition values in all, path patterns and host headers of at most 128 characters; forward to a target group the program creates, or a fixed response 2XX-5XX", "ELB user guide, listener rules (conditions, quotas: 5 condition values per rule); API ELBv2 CreateRule; TF internal/service/elbv2/listener_rule.go (priority IntBetween(1, 50000))"},
	"sd.namespace":       {"Cloud Map HTTP namespace: name 1-1024 printable characters, description at most 1024; one of a name per account and region", "API Cloud Map CreateHttpNamespace; TF internal/service/servicediscovery/http_namespace.go (validNamespaceName)"},
	"ecs.connect":        {"Service Connect: a namespace the program creates; each service's portName names a port mapping of the task's containers; discoveryName and client alias dnsName 1-64 of letters, digits, - and _, unique among the namespace's services; client alias port 1-65535; ingressPortOverride 1-65535 and not the container port; the proxy's awslogs group is one the program creates", "API ECS ServiceConnectConfiguration/ServiceConnectService/ServiceConnectClientAlias; ECS developer guide, Service Connect concepts (discovery names are unique in a namespace)"},
	"scheduler.publicip": {"an ECS target with assignPublicIp ENABLED uses launchType FARGATE, not a capacity provider strategy", "API EventBridge Scheduler AwsVpcConfiguration (AssignPublicIp: \"You can specify ENABLED only when the LaunchType in EcsParameters is set to FARGATE\"): https://docs.aws.amazon.com/scheduler/latest/APIReference/API_AwsVpcConfiguration.html"},
	"ecs.service.alarms": {"a service's alarms block names at least one alarm", "aws-sdk-go-v2 service/ecs validators.go validateDeploymentAlarms (AlarmNames is required); TF internal/service/ecs/service.go expandAlarms (an empty alarm_names set is not sent)"},
	"iam.noresource":     {"an action that supports no resource-level permission is allowed only by a statement whose Resource is *", "Service Authorization Reference: actions with no resource type (e.g. CloudWatch Logs DescribeLogGroups, ECR GetAuthorizationToken, ECS RegisterTaskDefinition) match only Resource *: https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html"},
	"scheduler":          {"EventBridge Scheduler: group and schedule names 1-64 of [0-9a-zA-Z-_.]; expression at(...), rate(...) or cron(6 fields), at most 256; timezone an IANA zone; description at most 512; flexible window OFF or FLEXIBLE with 1-1440 minutes; state ENABLED|DISABLED; target ARN and IAM role ARN; input JSON of at most 8192; ECS target: a task definition ARN, taskCount 1-10, 1-16 subnets, at most 5 security groups; retries 0-185, event age 60-86400 s", "API EventBridge Scheduler CreateSchedule/CreateScheduleGroup: https://docs.aws.amazon.com/scheduler/latest/APIReference/API_CreateSchedule.html; TF internal/service/scheduler/schedule.go"},
	"docker.ref":         {"imageName is REGISTRY/PATH:TAG with lower-case path components and a tag of at most 128 characters; never latest", srcDockerRef},
	"docker.build":       {"build: a context, platform linux/amd64 or linux/arm64, builderVersion BuilderV1 or BuilderBuildKit; registry.server is the image's registry", "pulumi-docker provider/image.go (registry credentials are looked up by the image's registry host) and sdk/go/docker BuilderVersion"},
}

// violation is one broken rule.
type awsrViolation struct {
	rule, input string
	value       any
}

// checker holds one resource's inputs while its rules run.
type awsrChecker struct {
	typ, name string
	in        map[string]any
	prior     []*res
	found     []awsrViolation
}

func (c *awsrChecker) fail(rule, input string, value any) {
	if _, ok := awsRules[rule]; !ok {
		panic("unknown AWS rule " + rule)
	}
	c.found = append(c.found, awsrViolation{rule, input, value})
}

// error renders the violations, one line each, with the rule and source.
func (c *awsrChecker) error() error {
	if len(c.found) == 0 {
		return nil
	}
	var b strings.Builder
	fmt.Fprintf(&b, "AWS would refuse %s %q:", c.typ, c.name)
	for _, v := range c.found {
		r := awsRules[v.rule]
		val, _ := json.Marshal(v.value)
		fmt.Fprintf(&b, "\n  - input %s = %s: %s [rule %s; %s]", v.input, val, r.what, v.rule, r.source)
	}
	return fmt.Errorf("%s", b.String())
}

// Value accessors on plain inputs. Unknown (computed) values are skipped:
// the rule is checked on the run where they are known.
func awsrGet(m map[string]any, path string) any {
	var cur any = m
	for _, k := range strings.Split(path, ".") {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[k]
	}
	return cur
}

func awsrStr(v any) (string, bool) { s, ok := v.(string); return s, ok }

func awsrNum(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int:
		return float64(n), true
	}
	return 0, false
}

func awsrList(v any) []any { l, _ := v.([]any); return l }

func awsrObj(v any) map[string]any { m, _ := v.(map[string]any); return m }

func awsrStrs(v any) []string {
	var out []string
	for _, e := range awsrList(v) {
		if s, ok := e.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// The checks below are the rule helpers.
func (c *awsrChecker) nameMatch(rule, input string, re *regexp.Regexp, lo, hi int) {
	if s, ok := awsrStr(awsrGet(c.in, input)); ok && (len(s) < lo || len(s) > hi || !re.MatchString(s)) {
		c.fail(rule, input, s)
	}
}

func (c *awsrChecker) intRange(rule, input string, lo, hi float64) {
	if n, ok := awsrNum(awsrGet(c.in, input)); ok && (n < lo || n > hi || n != float64(int64(n))) {
		c.fail(rule, input, n)
	}
}

func (c *awsrChecker) oneOf(rule, input string, allowed ...string) {
	if s, ok := awsrStr(awsrGet(c.in, input)); ok && !slices.Contains(allowed, s) {
		c.fail(rule, input, s)
	}
}

var (
	ecrNameRE      = regexp.MustCompile(`^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$`)
	ecsNameRE      = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)
	logGroupRE     = regexp.MustCompile(`^[\.\-_/#A-Za-z0-9]+$`)
	iamNameRE      = regexp.MustCompile(`^[\w+=,.@-]+$`)
	iamPathRE      = regexp.MustCompile(`^(/|/[\x21-\x7E]+/)$`)
	iamDescRE      = regexp.MustCompile("^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$")
	iamPolicyARNRE = regexp.MustCompile(`^arn:aws[a-z-]*:iam::(\d{12}|aws):policy/[\x21-\x7E]+$`)
	iamRoleARNRE   = regexp.MustCompile(`^arn:aws[a-z-]*:iam::\d{12}:role/([\x21-\x7E]+/)?[\w+=,.@-]{1,64}$`)
	kmsKeyARNRE    = regexp.MustCompile(`^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key/[A-Za-z0-9-]+$`)
	anyARNRE       = regexp.MustCompile(`^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12})?:.+$`)
	acmARNRE       = regexp.MustCompile(`^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate/[A-Za-z0-9-]+$`)
	sgDescRE       = regexp.MustCompile(`^[A-Za-z0-9 ._\-:/()#,@\[\]+=&;{}!$*]*$`)
	lbNameRE       = regexp.MustCompile(`^[0-9A-Za-z-]+$`)
	secretNameRE   = regexp.MustCompile(`^[A-Za-z0-9/_+=.@-]+$`)
	tagCharsRE     = regexp.MustCompile(`^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$`)
	imageRefRE     = regexp.MustCompile(`^[A-Za-z0-9\-_:./#@]+$`)
	portNameRE     = regexp.MustCompile(`^[a-z0-9_][a-z0-9_-]{0,63}$`)
	secretRefRE    = regexp.MustCompile(`^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+(:[^:]*:[^:]*:[^:]*)?|arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter/.+|[A-Za-z0-9_.-]+)$`)
	dockerPathRE   = regexp.MustCompile(`^[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|[-]*)[a-z0-9]+)*)*$`)
	dockerTagRE    = regexp.MustCompile(`^[\w][\w.-]{0,127}$`)
	hostedZoneIDRE = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
	albLabelRE     = regexp.MustCompile(`^app/[0-9A-Za-z-]{1,32}/[0-9a-f]+/targetgroup/[0-9A-Za-z-]{1,32}/[0-9a-f]+$`)
	matcherRE      = regexp.MustCompile(`^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$`)
	domainNameRE   = regexp.MustCompile(`^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$`)
)

// taggedService says which tag rules apply: EC2 tags allow any characters,
// the other services the tagging charset.
var ec2Types = map[string]bool{
	"aws:ec2/securityGroup:SecurityGroup": true, "aws:ec2/vpc:Vpc": true, "aws:ec2/subnet:Subnet": true,
	"aws:ec2/internetGateway:InternetGateway": true, "aws:ec2/routeTable:RouteTable": true,
	"aws:ec2/eip:Eip": true, "aws:ec2/natGateway:NatGateway": true, "aws:ec2/flowLog:FlowLog": true,
}

func (c *awsrChecker) tags() {
	tags := awsrObj(c.in["tags"])
	if len(tags) > 50 {
		c.fail("tags.count", "tags", len(tags))
	}
	keys := make([]string, 0, len(tags))
	for k := range tags {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		v, _ := awsrStr(tags[k])
		if len(k) < 1 || len(k) > 128 || strings.HasPrefix(strings.ToLower(k), "aws:") {
			c.fail("tags.key", "tags", k)
		}
		if len(v) > 256 {
			c.fail("tags.value", "tags."+k, v)
		}
		if !ec2Types[c.typ] && (!tagCharsRE.MatchString(k) || !tagCharsRE.MatchString(v)) {
			c.fail("tags.charset", "tags."+k, v)
		}
	}
}

// autoname checks the name Pulumi generates when the program sets none.
func (c *awsrChecker) autoname(input string, valid func(string) bool) {
	if _, awsrSet := c.in[input]; awsrSet {
		return
	}
	if name := c.name + "-1a2b3c4"; !valid(name) {
		c.fail("autoname.chars", input+" (auto-named)", name)
	}
}

// priorOf returns the earlier-registered resources of a type.
func (c *awsrChecker) priorOf(typ string) []*res {
	var out []*res
	for _, r := range c.prior {
		if r.Type == typ {
			out = append(out, r)
		}
	}
	return out
}

// priorWithOutput finds an earlier resource of typ whose output k equals v.
func (c *awsrChecker) priorWithOutput(typ, k, v string) *res {
	for _, r := range c.priorOf(typ) {
		if o, ok := r.Outputs[resource.PropertyKey(k)]; ok && o.IsString() && o.StringValue() == v {
			return r
		}
		if k == "id" && r.ID == v {
			return r
		}
	}
	return nil
}

func (c *awsrChecker) priorWithInput(typ, k, v string) *res {
	for _, r := range c.priorOf(typ) {
		if s, ok := r.in(k).(string); ok && s == v {
			return r
		}
	}
	return nil
}

func (c *awsrChecker) logGroupExists(name string) bool {
	return c.priorWithOutput("aws:cloudwatch/logGroup:LogGroup", "name", name) != nil
}

// awsRulesTypes are the resource types checkAWSRules has rules for.
var awsRulesTypes = []string{
	"aws:ecr/repository:Repository", "aws:ecr/lifecyclePolicy:LifecyclePolicy", "aws:cloudwatch/logGroup:LogGroup",
	"aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
	"aws:ecs/cluster:Cluster", "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders",
	"aws:ecs/taskDefinition:TaskDefinition", "aws:ecs/service:Service", "aws:ec2/securityGroup:SecurityGroup",
	"aws:ec2/vpc:Vpc", "aws:ec2/subnet:Subnet", "aws:ec2/flowLog:FlowLog", "aws:ec2/eip:Eip", "aws:ec2/natGateway:NatGateway",
	"aws:ec2/routeTable:RouteTable", "aws:ec2/routeTableAssociation:RouteTableAssociation", "aws:ec2/internetGateway:InternetGateway",
	"aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup", "aws:lb/listener:Listener",
	"aws:acm/certificate:Certificate", "aws:acm/certificateValidation:CertificateValidation", "aws:route53/record:Record",
	"aws:secretsmanager/secret:Secret", "aws:secretsmanager/secretVersion:SecretVersion",
	"aws:appautoscaling/target:Target", "aws:appautoscaling/policy:Policy", "docker:index/image:Image",
	"aws:cloudwatch/metricAlarm:MetricAlarm", "aws:cloudwatch/dashboard:Dashboard", "aws:appautoscaling/scheduledAction:ScheduledAction",
	"aws:s3/bucketV2:BucketV2", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
	"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
	"aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "aws:s3/bucketPolicy:BucketPolicy",
	"aws:scheduler/scheduleGroup:ScheduleGroup", "aws:scheduler/schedule:Schedule",
	"aws:kms/key:Key", "aws:sns/topic:Topic", "aws:sns/topicPolicy:TopicPolicy", "aws:sns/topicSubscription:TopicSubscription",
	"aws:lb/listenerRule:ListenerRule", "aws:servicediscovery/httpNamespace:HttpNamespace",
}

// checkAWSRules checks one resource's inputs; prior are the resources
// registered before it in the same run.
func checkAWSRules(typ, name string, in map[string]any, prior []*res) error {
	c := &awsrChecker{typ: typ, name: name, in: in, prior: prior}
	if _, ok := in["tags"]; ok {
		c.tags()
	}
	switch typ {
	case "aws:ecr/repository:Repository":
		c.nameMatch("ecr.name", "name", ecrNameRE, 2, 256)
		c.oneOf("ecr.mutability", "imageTagMutability", "MUTABLE", "IMMUTABLE", "MUTABLE_WITH_EXCLUSION", "IMMUTABLE_WITH_EXCLUSION")
		for i, e := range awsrList(in["encryptionConfigurations"]) {
			m := awsrObj(e)
			t, _ := awsrStr(m["encryptionType"])
			if !slices.Contains([]string{"AES256", "KMS", "KMS_DSSE"}, t) {
				c.fail("ecr.encryption", fmt.Sprintf("encryptionConfigurations[%d].encryptionType", i), m["encryptionType"])
			}
			if k, ok := awsrStr(m["kmsKey"]); ok && (t == "AES256" || !anyARNRE.MatchString(k)) {
				c.fail("ecr.encryption", fmt.Sprintf("encryptionConfigurations[%d].kmsKey", i), k)
			}
		}
	case "aws:ecr/lifecyclePolicy:LifecyclePolicy":
		if s, ok := awsrStr(in["policy"]); ok {
			if p := lifecycleProblem(s); p != "" {
				c.fail("ecr.lifecycle", "policy ("+p+")", s)
			}
		}
	case "aws:cloudwatch/logGroup:LogGroup":
		c.nameMatch("logs.name", "name", logGroupRE, 1, 512)
		if n, ok := awsrNum(in["retentionInDays"]); ok && !slices.Contains([]float64{1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}, n) {
			c.fail("logs.retention", "retentionInDays", n)
		}
		c.nameMatch("logs.kms", "kmsKeyId", kmsKeyARNRE, 1, 2048)
		c.oneOf("logs.class", "logGroupClass", "STANDARD", "INFREQUENT_ACCESS", "DELIVERY")
	case "aws:iam/role:Role":
		c.checkRole()
	case "aws:iam/rolePolicy:RolePolicy":
		c.checkRolePolicy()
	case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
		c.nameMatch("iam.role.arn", "policyArn", iamPolicyARNRE, 1, 2048)
		c.nameMatch("iam.role.ref", "role", iamNameRE, 1, 64)
	case "aws:ecs/cluster:Cluster":
		c.nameMatch("ecs.name", "name", ecsNameRE, 1, 255)
		for i, s := range awsrList(in["settings"]) {
			if n, _ := awsrStr(awsrObj(s)["name"]); n == "containerInsights" {
				if v, _ := awsrStr(awsrObj(s)["value"]); !slices.Contains([]string{"enabled", "disabled", "enhanced"}, v) {
					c.fail("ecs.insights", fmt.Sprintf("settings[%d].value", i), v)
				}
			}
		}
		if ec := awsrObj(awsrGet(in, "configuration.executeCommandConfiguration")); ec != nil {
			logging, _ := awsrStr(ec["logging"])
			group, hasGroup := awsrStr(awsrGet(ec, "logConfiguration.cloudWatchLogGroupName"))
			switch {
			case !slices.Contains([]string{"NONE", "DEFAULT", "OVERRIDE"}, logging):
				c.fail("ecs.execconfig", "configuration.executeCommandConfiguration.logging", logging)
			case logging == "OVERRIDE" && ec["logConfiguration"] == nil:
				c.fail("ecs.execconfig", "configuration.executeCommandConfiguration.logConfiguration", nil)
			case hasGroup && !c.logGroupExists(group):
				c.fail("ecs.execconfig", "configuration.executeCommandConfiguration.logConfiguration.cloudWatchLogGroupName", group)
			}
		}
	case "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders":
		cps := awsrStrs(in["capacityProviders"])
		for _, p := range cps {
			if !slices.Contains([]string{"FARGATE", "FARGATE_SPOT"}, p) && !ecsNameRE.MatchString(p) {
				c.fail("ecs.capacity", "capacityProviders", p)
			}
		}
		c.strategy("defaultCapacityProviderStrategies", cps)
	case "aws:ecs/taskDefinition:TaskDefinition":
		c.checkTaskDefinition()
	case "aws:ecs/service:Service":
		c.checkService()
	case "aws:ec2/securityGroup:SecurityGroup":
		c.checkSecurityGroup()
	case "aws:ec2/vpc:Vpc":
		if s, ok := awsrStr(in["cidrBlock"]); ok && !validBlock(s) {
			c.fail("ec2.cidr", "cidrBlock", s)
		}
	case "aws:ec2/subnet:Subnet":
		if s, ok := awsrStr(in["cidrBlock"]); ok {
			vpc := c.priorWithOutput("aws:ec2/vpc:Vpc", "id", fmt.Sprint(in["vpcId"]))
			if !validBlock(s) || (vpc != nil && !awsrWithin(s, vpc.in("cidrBlock"))) {
				c.fail("ec2.cidr", "cidrBlock", s)
			}
		}
	case "aws:ec2/flowLog:FlowLog":
		c.checkFlowLog()
	case "aws:ec2/eip:Eip":
		c.oneOf("ec2.network", "domain", "vpc", "standard")
	case "aws:ec2/natGateway:NatGateway":
		if _, ok := awsrStr(in["subnetId"]); !ok {
			c.fail("ec2.network", "subnetId", nil)
		}
		if ct, _ := awsrStr(in["connectivityType"]); ct != "private" {
			if _, ok := awsrStr(in["allocationId"]); !ok {
				c.fail("ec2.network", "allocationId", nil)
			}
		}
	case "aws:ec2/routeTable:RouteTable":
		for i, r := range awsrList(in["routes"]) {
			targets := 0
			for _, k := range []string{"gatewayId", "natGatewayId", "networkInterfaceId", "transitGatewayId", "vpcEndpointId", "vpcPeeringConnectionId", "egressOnlyGatewayId", "localGatewayId", "carrierGatewayId", "coreNetworkArn"} {
				if _, ok := awsrObj(r)[k]; ok {
					targets++
				}
			}
			dst, _ := awsrStr(awsrObj(r)["cidrBlock"])
			if p, err := netip.ParsePrefix(dst); targets != 1 || err != nil || p.Masked() != p {
				c.fail("ec2.network", fmt.Sprintf("routes[%d]", i), r)
			}
		}
	case "aws:ec2/routeTableAssociation:RouteTableAssociation":
		_, subnet := awsrStr(in["subnetId"])
		_, gw := awsrStr(in["gatewayId"])
		if subnet == gw {
			c.fail("ec2.network", "subnetId", in["subnetId"])
		}
	case "aws:lb/loadBalancer:LoadBalancer":
		c.lbName("lb.name", "name", true)
		c.autoname("name", func(s string) bool { return validLBName(s, true) })
		if t, _ := awsrStr(in["loadBalancerType"]); t == "" || t == "application" {
			if l := awsrList(in["subnets"]); l != nil && len(l) < 2 {
				c.fail("lb.alb", "subnets", in["subnets"])
			}
			if len(awsrList(in["securityGroups"])) > 5 {
				c.fail("lb.alb", "securityGroups", in["securityGroups"])
			}
			c.intRange("lb.alb", "idleTimeout", 1, 4000)
		}
		if al := awsrObj(in["accessLogs"]); al != nil && al["enabled"] != false {
			prefix, _ := awsrStr(al["prefix"])
			if c.priorWithOutput("aws:s3/bucketV2:BucketV2", "bucket", fmt.Sprint(al["bucket"])) == nil ||
				strings.Contains(prefix, "AWSLogs") || strings.HasPrefix(prefix, "/") || strings.HasSuffix(prefix, "/") {
				c.fail("lb.accesslogs", "accessLogs", al)
			}
			for _, sse := range c.priorOf("aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2") {
				if sse.in("bucket") != al["bucket"] {
					continue
				}
				for _, r := range awsrList(sse.in("rules")) {
					if alg := awsrGet(awsrObj(r), "applyServerSideEncryptionByDefault.sseAlgorithm"); alg != "AES256" {
						c.fail("s3.sse", "accessLogs.bucket", map[string]any{"bucket": al["bucket"], "sseAlgorithm": alg})
					}
				}
			}
		}
	case "aws:lb/targetGroup:TargetGroup":
		c.checkTargetGroup()
	case "aws:lb/listenerRule:ListenerRule":
		c.checkListenerRule()
	case "aws:servicediscovery/httpNamespace:HttpNamespace":
		if n, _ := awsrStr(in["name"]); len(n) < 1 || len(n) > 1024 || strings.IndexFunc(n, func(r rune) bool { return r < '!' || r > '~' }) >= 0 {
			c.fail("sd.namespace", "name", n)
		}
		if d, ok := awsrStr(in["description"]); ok && len(d) > 1024 {
			c.fail("sd.namespace", "description", d)
		}
		if n, _ := awsrStr(in["name"]); c.priorWithInput("aws:servicediscovery/httpNamespace:HttpNamespace", "name", n) != nil {
			c.fail("sd.namespace", "name", n)
		}
	case "aws:lb/listener:Listener":
		c.checkListener()
	case "aws:acm/certificate:Certificate":
		if d, ok := awsrStr(in["domainName"]); ok && (len(d) > 253 || !domainNameRE.MatchString(d)) {
			c.fail("acm.cert", "domainName", d)
		}
		c.oneOf("acm.cert", "validationMethod", "DNS", "EMAIL", "NONE")
	case "aws:acm/certificateValidation:CertificateValidation":
		c.nameMatch("acm.arn", "certificateArn", acmARNRE, 1, 2048)
	case "aws:route53/record:Record":
		c.oneOf("route53.record", "type", "A", "AAAA", "CAA", "CNAME", "DS", "MX", "NAPTR", "NS", "PTR", "SOA", "SPF", "SRV", "TXT")
		c.nameMatch("route53.record", "zoneId", hostedZoneIDRE, 1, 32)
		if s, ok := awsrStr(in["name"]); ok && len(s) > 255 {
			c.fail("route53.record", "name", s)
		}
		_, alias := in["aliases"]
		_, ttl := in["ttl"]
		_, records := in["records"]
		if alias && (ttl || records) || !alias && (!ttl || !records) {
			c.fail("route53.record", "aliases/ttl/records", map[string]bool{"aliases": alias, "ttl": ttl, "records": records})
		}
	case "aws:secretsmanager/secret:Secret":
		c.nameMatch("sm.name", "name", secretNameRE, 1, 512)
		if s, ok := awsrStr(in["description"]); ok && len(s) > 2048 {
			c.fail("sm.secret", "description", s)
		}
		if n, ok := awsrNum(in["recoveryWindowInDays"]); ok && n != 0 && (n < 7 || n > 30) {
			c.fail("sm.secret", "recoveryWindowInDays", n)
		}
		if s, ok := awsrStr(in["kmsKeyId"]); ok && len(s) > 2048 {
			c.fail("sm.secret", "kmsKeyId", s)
		}
	case "aws:secretsmanager/secretVersion:SecretVersion":
		if _, ok := awsrStr(in["secretId"]); !ok {
			c.fail("sm.version", "secretId", nil)
		}
		if s, ok := awsrStr(in["secretString"]); ok && len(s) > 65536 {
			c.fail("sm.version", "secretString", fmt.Sprintf("[%d bytes]", len(s)))
		}
	case "aws:appautoscaling/target:Target":
		c.oneOf("aas.target", "serviceNamespace", "ecs")
		c.oneOf("aas.target", "scalableDimension", "ecs:service:DesiredCount")
		minC, _ := awsrNum(in["minCapacity"])
		maxC, _ := awsrNum(in["maxCapacity"])
		if minC < 0 || minC > maxC {
			c.fail("aas.target", "minCapacity", minC)
		}
		if id, ok := awsrStr(in["resourceId"]); ok {
			parts := strings.Split(id, "/")
			if len(parts) != 3 || parts[0] != "service" || c.priorWithOutput("aws:ecs/service:Service", "name", parts[2]) == nil ||
				c.priorWithOutput("aws:ecs/cluster:Cluster", "name", parts[1]) == nil {
				c.fail("aas.target", "resourceId", id)
			}
		}
	case "aws:appautoscaling/policy:Policy":
		c.checkScalingPolicy()
	case "docker:index/image:Image":
		c.checkImage()
	default:
		c.checkOperations()
	}
	return c.error()
}

func (c *awsrChecker) checkFlowLog() {
	in := c.in
	c.oneOf("ec2.flowlog", "trafficType", "ACCEPT", "REJECT", "ALL")
	if n, ok := awsrNum(in["maxAggregationInterval"]); ok && n != 60 && n != 600 {
		c.fail("ec2.flowlog", "maxAggregationInterval", n)
	}
	targets := 0
	for _, k := range []string{"vpcId", "subnetId", "eniId", "transitGatewayId", "transitGatewayAttachmentId"} {
		if _, ok := in[k]; ok {
			targets++
		}
	}
	if targets != 1 {
		c.fail("ec2.flowlog", "vpcId", in["vpcId"])
	}
	if t, _ := awsrStr(in["logDestinationType"]); t == "" || t == "cloud-watch-logs" {
		dest, _ := awsrStr(in["logDestination"])
		if c.priorWithOutput("aws:cloudwatch/logGroup:LogGroup", "arn", dest) == nil {
			c.fail("ec2.flowlog", "logDestination", dest)
		}
		if !iamRoleARNRE.MatchString(fmt.Sprint(in["iamRoleArn"])) {
			c.fail("ec2.flowlog", "iamRoleArn", in["iamRoleArn"])
		}
	}
}

func validBlock(s string) bool {
	p, err := netip.ParsePrefix(s)
	return err == nil && p.Addr().Is4() && p.Masked() == p && p.Bits() >= 16 && p.Bits() <= 28
}

func awsrWithin(sub string, parent any) bool {
	ps, _ := parent.(string)
	p, err1 := netip.ParsePrefix(ps)
	s, err2 := netip.ParsePrefix(sub)
	return err1 == nil && err2 == nil && p.Bits() <= s.Bits() && p.Contains(s.Addr())
}

func validLBName(s string, isLB bool) bool {
	return len(s) <= 32 && lbNameRE.MatchString(s) && !strings.HasPrefix(s, "-") && !strings.HasSuffix(s, "-") &&
		(!isLB || !strings.HasPrefix(s, "internal-"))
}

func (c *awsrChecker) lbName(rule, input string, isLB bool) {
	if s, ok := awsrStr(c.in[input]); ok && !validLBName(s, isLB) {
		c.fail(rule, input, s)
	}
}

// lifecycleProblem returns what is wrong with an ECR lifecycle policy, or "".
func lifecycleProblem(s string) string {
	if len(s) < 100 || len(s) > 30720 {
		return "length 100-30720"
	}
	var doc struct {
		Rules []struct {
			RulePriority *int `json:"rulePriority"`
			Selection    struct {
				TagStatus      string   `json:"tagStatus"`
				TagPrefixList  []string `json:"tagPrefixList"`
				TagPatternList []string `json:"tagPatternList"`
				CountType      string   `json:"countType"`
				CountUnit      string   `json:"countUnit"`
				CountNumber    int      `json:"countNumber"`
			} `json:"selection"`
			Action struct {
				Type string `json:"type"`
			} `json:"action"`
		} `json:"rules"`
	}
	if err := json.Unmarshal([]byte(s), &doc); err != nil || len(doc.Rules) == 0 {
		return "not a JSON object with rules"
	}
	seen, maxPrio, anyPrio := map[int]bool{}, 0, 0
	for _, r := range doc.Rules {
		sel := r.Selection
		switch {
		case r.RulePriority == nil || *r.RulePriority < 1 || *r.RulePriority > 999 || seen[*r.RulePriority]:
			return "rulePriority"
		case !slices.Contains([]string{"tagged", "untagged", "any"}, sel.TagStatus):
			return "tagStatus"
		case sel.TagStatus == "tagged" && len(sel.TagPrefixList)+len(sel.TagPatternList) == 0:
			return "tagged without tagPrefixList/tagPatternList"
		case sel.CountType == "imageCountMoreThan" && sel.CountUnit != "":
			return "countUnit with imageCountMoreThan"
		case sel.CountType == "sinceImagePushed" && sel.CountUnit != "days":
			return "sinceImagePushed without countUnit days"
		case sel.CountType != "imageCountMoreThan" && sel.CountType != "sinceImagePushed":
			return "countType"
		case sel.CountNumber < 1:
			return "countNumber"
		case r.Action.Type != "expire":
			return "action"
		}
		seen[*r.RulePriority] = true
		maxPrio = max(maxPrio, *r.RulePriority)
		if sel.TagStatus == "any" {
			anyPrio = *r.RulePriority
		}
	}
	if anyPrio != 0 && anyPrio != maxPrio {
		return "the tagStatus any rule must have the highest rulePriority"
	}
	return ""
}

// nonWhitespace counts what IAM counts against its size quotas.
func nonWhitespace(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// policyShape checks the top of an IAM policy document and returns its
// statements.
func (c *awsrChecker) policyShape(input, doc string) []map[string]any {
	var p map[string]any
	if err := json.Unmarshal([]byte(doc), &p); err != nil || p["Version"] != "2012-10-17" {
		c.fail("iam.policy.json", input, doc)
		return nil
	}
	var out []map[string]any
	switch st := p["Statement"].(type) {
	case map[string]any:
		out = append(out, st)
	case []any:
		for _, s := range st {
			out = append(out, awsrObj(s))
		}
	}
	if len(out) == 0 {
		c.fail("iam.policy.json", input, doc)
	}
	return out
}

func asStrings(v any) []string {
	if s, ok := v.(string); ok {
		return []string{s}
	}
	return awsrStrs(v)
}

func (c *awsrChecker) checkRole() {
	in := c.in
	c.nameMatch("iam.role.name", "name", iamNameRE, 1, 64)
	c.autoname("name", iamNameRE.MatchString)
	c.nameMatch("iam.role.path", "path", iamPathRE, 1, 512)
	if s, ok := awsrStr(in["description"]); ok && (len([]rune(s)) > 1000 || !iamDescRE.MatchString(s) || strings.ContainsAny(s, "“‘")) {
		c.fail("iam.role.desc", "description", s)
	}
	c.nameMatch("iam.role.arn", "permissionsBoundary", iamPolicyARNRE, 1, 2048)
	for i, a := range awsrStrs(in["managedPolicyArns"]) {
		if !iamPolicyARNRE.MatchString(a) {
			c.fail("iam.role.arn", fmt.Sprintf("managedPolicyArns[%d]", i), a)
		}
	}
	if doc, ok := awsrStr(in["assumeRolePolicy"]); ok {
		c.policyShape("assumeRolePolicy", doc)
		if n := nonWhitespace(doc); n > 2048 {
			c.fail("iam.trust.size", "assumeRolePolicy", fmt.Sprintf("%d characters", n))
		}
	}
}

func (c *awsrChecker) checkRolePolicy() {
	in := c.in
	c.nameMatch("iam.policy.name", "name", iamNameRE, 1, 128)
	c.autoname("name", func(s string) bool { return iamNameRE.MatchString(s) })
	role, ok := awsrStr(in["role"])
	if ok && !iamNameRE.MatchString(role) {
		c.fail("iam.role.ref", "role", role)
	}
	doc, ok := awsrStr(in["policy"])
	if !ok {
		return
	}
	for i, st := range c.policyShape("policy", doc) {
		c.noResourceActions(fmt.Sprintf("policy.Statement[%d]", i), st)
		kms := false
		for _, a := range asStrings(st["Action"]) {
			kms = kms || strings.HasPrefix(strings.ToLower(a), "kms:")
		}
		if !kms {
			continue
		}
		for _, r := range asStrings(st["Resource"]) {
			if r != "*" && !kmsKeyARNRE.MatchString(r) {
				c.fail("iam.kms.key", fmt.Sprintf("policy.Statement[%d].Resource", i), r)
			}
		}
	}
	// The inline policies of one role share one 10,240 budget.
	total := nonWhitespace(doc)
	for _, p := range c.priorOf("aws:iam/rolePolicy:RolePolicy") {
		if p.in("role") == role {
			if s, ok := p.in("policy").(string); ok {
				total += nonWhitespace(s)
			}
		}
	}
	if total > 10240 {
		c.fail("iam.inline.size", "policy", fmt.Sprintf("%d characters for role %s", total, role))
	}
}

// noResourceLevelActions support no resource-level permission (their
// Service Authorization Reference entry lists no resource type): IAM
// evaluates them against "*", so a statement naming resources never
// allows them. The actions the program's and the bootstrap's policies use.
var noResourceLevelActions = []string{
	"logs:DescribeLogGroups", "ecr:GetAuthorizationToken", "sts:GetCallerIdentity",
	"ecs:RegisterTaskDefinition", "ecs:DescribeTaskDefinition", "ecs:DeregisterTaskDefinition",
	"ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
}

// noResourceActions fails an Allow statement that names such an action on
// anything but "*".
func (c *awsrChecker) noResourceActions(at string, st map[string]any) {
	if st["Effect"] != "Allow" {
		return
	}
	res := asStrings(st["Resource"])
	if slices.Contains(res, "*") {
		return
	}
	for _, a := range asStrings(st["Action"]) {
		if slices.ContainsFunc(noResourceLevelActions, func(n string) bool { return strings.EqualFold(n, a) }) {
			c.fail("iam.noresource", at+".Action", a+" on "+strings.Join(res, ", "))
		}
	}
}

// strategy checks a capacity provider strategy against the providers
// available (nil: not known here).
func (c *awsrChecker) strategy(input string, available []string) {
	bases := 0
	for i, s := range awsrList(c.in[input]) {
		m := awsrObj(s)
		p, _ := awsrStr(m["capacityProvider"])
		w, _ := awsrNum(m["weight"])
		b, _ := awsrNum(m["base"])
		if w < 0 || w > 1000 || b < 0 || b > 100000 || (available != nil && !slices.Contains(available, p)) {
			c.fail("ecs.capacity", fmt.Sprintf("%s[%d]", input, i), m)
		}
		if b > 0 {
			bases++
		}
	}
	if bases > 1 {
		c.fail("ecs.capacity", input, c.in[input])
	}
}

// fargateSizes is the Fargate task size table (Linux), from the ECS
// developer guide, written independently of the program's own table.
func fargateSize(cpu, mem int) bool {
	type span struct{ lo, hi, step int }
	table := map[int][]span{
		256:   {{512, 512, 1}, {1024, 1024, 1}, {2048, 2048, 1}},
		512:   {{1024, 4096, 1024}},
		1024:  {{2048, 8192, 1024}},
		2048:  {{4096, 16384, 1024}},
		4096:  {{8192, 30720, 1024}},
		8192:  {{16384, 61440, 4096}},
		16384: {{32768, 122880, 8192}},
	}
	for _, s := range table[cpu] {
		if mem >= s.lo && mem <= s.hi && (mem-s.lo)%s.step == 0 {
			return true
		}
	}
	return false
}

func (c *awsrChecker) checkTaskDefinition() {
	in := c.in
	c.nameMatch("ecs.name", "family", ecsNameRE, 1, 255)
	fargate := slices.Contains(awsrStrs(in["requiresCompatibilities"]), "FARGATE")
	if fargate {
		if nm, _ := awsrStr(in["networkMode"]); nm != "awsvpc" {
			c.fail("ecs.fargate", "networkMode", in["networkMode"])
		}
		cpu, err1 := strconv.Atoi(fmt.Sprint(in["cpu"]))
		mem, err2 := strconv.Atoi(fmt.Sprint(in["memory"]))
		if err1 != nil || err2 != nil {
			c.fail("ecs.fargate", "cpu/memory", []any{in["cpu"], in["memory"]})
		} else if !fargateSize(cpu, mem) {
			c.fail("ecs.size", "cpu/memory", []int{cpu, mem})
		}
		if rp := awsrObj(in["runtimePlatform"]); rp != nil {
			if os, _ := awsrStr(rp["operatingSystemFamily"]); os != "LINUX" && !strings.HasPrefix(os, "WINDOWS_SERVER_") {
				c.fail("ecs.fargate", "runtimePlatform.operatingSystemFamily", os)
			}
			if a, _ := awsrStr(rp["cpuArchitecture"]); a != "X86_64" && a != "ARM64" {
				c.fail("ecs.fargate", "runtimePlatform.cpuArchitecture", a)
			}
		}
	}
	c.nameMatch("ecs.rolearn", "executionRoleArn", iamRoleARNRE, 1, 2048)
	c.nameMatch("ecs.rolearn", "taskRoleArn", iamRoleARNRE, 1, 2048)
	volumes := map[string]bool{}
	for i, v := range awsrList(in["volumes"]) {
		n, _ := awsrStr(awsrObj(v)["name"])
		if !ecsNameRE.MatchString(n) || len(n) > 255 {
			c.fail("ecs.name", fmt.Sprintf("volumes[%d].name", i), n)
		}
		volumes[n] = true
	}
	raw, ok := awsrStr(in["containerDefinitions"])
	if !ok {
		return
	}
	if len(raw) > 65536 {
		c.fail("ecs.td.size", "containerDefinitions", fmt.Sprintf("%d bytes", len(raw)))
	}
	var defs []map[string]any
	if err := json.Unmarshal([]byte(raw), &defs); err != nil {
		c.fail("ecs.c.essential", "containerDefinitions (not a JSON list)", raw)
		return
	}
	_, hasExecRole := awsrStr(in["executionRoleArn"])
	essential := false
	for i, d := range defs {
		c.checkContainer(fmt.Sprintf("containerDefinitions[%d]", i), d, volumes, hasExecRole, fargate)
		if e, ok := d["essential"].(bool); !ok || e {
			essential = true
		}
	}
	if !essential {
		c.fail("ecs.c.essential", "containerDefinitions", "no essential container")
	}
	// The image must be built for the task's architecture.
	if arch, ok := awsrStr(awsrGet(in, "runtimePlatform.cpuArchitecture")); ok && len(defs) > 0 {
		want := map[string]string{"X86_64": "linux/amd64", "ARM64": "linux/arm64"}[arch]
		for i, d := range defs {
			img := c.priorWithOutput("docker:index/image:Image", "imageName", fmt.Sprint(d["image"]))
			if img == nil {
				continue
			}
			if p, _ := awsrObj(img.in("build"))["platform"].(string); p != want {
				c.fail("ecs.c.platform", fmt.Sprintf("containerDefinitions[%d].image", i), map[string]any{"image": d["image"], "platform": p, "cpuArchitecture": arch})
			}
		}
	}
}

func (c *awsrChecker) checkContainer(at string, d map[string]any, volumes map[string]bool, hasExecRole, fargate bool) {
	f := func(rule, k string, v any) { c.fail(rule, at+"."+k, v) }
	if n, _ := awsrStr(d["name"]); !ecsNameRE.MatchString(n) || len(n) > 255 {
		f("ecs.name", "name", d["name"])
	}
	image, _ := awsrStr(d["image"])
	if len(image) == 0 || len(image) > 255 || !imageRefRE.MatchString(image) {
		f("ecs.c.image", "image", d["image"])
	}
	for i, p := range awsrList(d["portMappings"]) {
		m := awsrObj(p)
		cp, _ := awsrNum(m["containerPort"])
		hp, hasHost := awsrNum(m["hostPort"])
		proto, hasProto := awsrStr(m["protocol"])
		app, hasApp := awsrStr(m["appProtocol"])
		name, hasName := awsrStr(m["name"])
		if cp < 1 || cp > 65535 || (hasHost && hp != 0 && hp != cp) || (hasProto && proto != "tcp" && proto != "udp") ||
			(hasApp && !slices.Contains([]string{"http", "http2", "grpc"}, app)) || (hasName && !portNameRE.MatchString(name)) {
			f("ecs.c.ports", fmt.Sprintf("portMappings[%d]", i), m)
		}
	}
	if fargate {
		for _, k := range []string{"privileged", "links", "hostname", "extraHosts", "dockerSecurityOptions", "disableNetworking"} {
			if _, ok := d[k]; ok {
				f("ecs.c.fargate", k, d[k])
			}
		}
		lp := awsrObj(d["linuxParameters"])
		for _, k := range []string{"devices", "sharedMemorySize", "tmpfs", "maxSwap", "swappiness"} {
			if _, ok := lp[k]; ok {
				f("ecs.c.fargate", "linuxParameters."+k, lp[k])
			}
		}
		for _, a := range awsrStrs(awsrGet(lp, "capabilities.add")) {
			if a != "SYS_PTRACE" {
				f("ecs.c.fargate", "linuxParameters.capabilities.add", a)
			}
		}
		if st, ok := awsrNum(d["stopTimeout"]); ok && (st < 0 || st > 120) {
			f("ecs.c.stop", "stopTimeout", st)
		}
	}
	if hc := awsrObj(d["healthCheck"]); hc != nil {
		cmd := awsrStrs(hc["command"])
		bad := len(cmd) == 0 || !slices.Contains([]string{"CMD", "CMD-SHELL", "NONE"}, cmd[0])
		for _, r := range []struct {
			k      string
			lo, hi float64
		}{{"interval", 5, 300}, {"timeout", 2, 60}, {"retries", 1, 10}, {"startPeriod", 0, 300}} {
			if n, ok := awsrNum(hc[r.k]); ok && (n < r.lo || n > r.hi) {
				bad = true
			}
		}
		if bad {
			f("ecs.c.health", "healthCheck", hc)
		}
	}
	if lc := awsrObj(d["logConfiguration"]); lc != nil {
		driver, _ := awsrStr(lc["logDriver"])
		opts := awsrObj(lc["options"])
		switch {
		case fargate && !slices.Contains([]string{"awslogs", "splunk", "awsfirelens"}, driver):
			f("ecs.c.logs", "logConfiguration.logDriver", driver)
		case driver == "awslogs":
			group, _ := awsrStr(opts["awslogs-group"])
			_, region := awsrStr(opts["awslogs-region"])
			_, prefix := awsrStr(opts["awslogs-stream-prefix"])
			mode, hasMode := awsrStr(opts["mode"])
			if !c.logGroupExists(group) && opts["awslogs-create-group"] != "true" {
				f("ecs.c.logs", "logConfiguration.options.awslogs-group", group)
			}
			if !region || (fargate && !prefix) || (hasMode && mode != "blocking" && mode != "non-blocking") {
				f("ecs.c.logs", "logConfiguration.options", opts)
			}
		}
		if !hasExecRole {
			f("ecs.execrole", "logConfiguration", driver)
		}
	}
	for i, s := range awsrList(d["secrets"]) {
		if v, _ := awsrStr(awsrObj(s)["valueFrom"]); !secretRefRE.MatchString(v) {
			f("ecs.c.secrets", fmt.Sprintf("secrets[%d].valueFrom", i), v)
		}
		if !hasExecRole {
			f("ecs.execrole", fmt.Sprintf("secrets[%d]", i), awsrObj(s)["name"])
		}
	}
	for i, m := range awsrList(d["mountPoints"]) {
		src, _ := awsrStr(awsrObj(m)["sourceVolume"])
		path, _ := awsrStr(awsrObj(m)["containerPath"])
		if !volumes[src] || !strings.HasPrefix(path, "/") {
			f("ecs.c.mounts", fmt.Sprintf("mountPoints[%d]", i), m)
		}
	}
	if strings.Contains(image, ".dkr.ecr.") && !hasExecRole {
		f("ecs.execrole", "image", image)
	}
}

func (c *awsrChecker) checkService() {
	in := c.in
	c.nameMatch("ecs.name", "name", ecsNameRE, 1, 255)
	_, launchType := in["launchType"]
	if launchType && in["capacityProviderStrategies"] != nil {
		c.fail("ecs.service", "launchType", in["launchType"])
	}
	c.oneOf("ecs.service", "schedulingStrategy", "REPLICA")
	c.oneOf("ecs.service", "propagateTags", "SERVICE", "TASK_DEFINITION", "NONE")
	c.oneOf("ecs.service", "availabilityZoneRebalancing", "ENABLED", "DISABLED")
	c.intRange("ecs.service", "deploymentMinimumHealthyPercent", 0, 100)
	c.intRange("ecs.service", "healthCheckGracePeriodSeconds", 0, 2147483647)
	if nc := awsrObj(in["networkConfiguration"]); nc != nil {
		if n := len(awsrList(nc["subnets"])); n < 1 || n > 16 {
			c.fail("ecs.service", "networkConfiguration.subnets", nc["subnets"])
		}
		if n := len(awsrList(nc["securityGroups"])); n > 5 {
			c.fail("ecs.service", "networkConfiguration.securityGroups", nc["securityGroups"])
		}
	}
	if pv, ok := awsrStr(in["platformVersion"]); ok && !slices.Contains([]string{"LATEST", "1.4.0", "1.3.0"}, pv) {
		c.fail("ecs.platform", "platformVersion", pv)
	}
	if al := awsrObj(in["alarms"]); al != nil && len(awsrList(al["alarmNames"])) == 0 {
		c.fail("ecs.service.alarms", "alarms.alarmNames", al["alarmNames"])
	}

	// The cluster's attached capacity providers.
	var available []string
	if cl, ok := awsrStr(in["cluster"]); ok {
		clusterName := cl[strings.LastIndex(cl, "/")+1:]
		for _, cp := range c.priorOf("aws:ecs/clusterCapacityProviders:ClusterCapacityProviders") {
			if cp.in("clusterName") == clusterName {
				available = append(available, awsrStrs(cp.in("capacityProviders"))...)
			}
		}
		if available == nil {
			available = []string{}
		}
	}
	c.strategy("capacityProviderStrategies", available)

	td := c.priorWithOutput("aws:ecs/taskDefinition:TaskDefinition", "arn", fmt.Sprint(in["taskDefinition"]))
	if td == nil {
		return
	}
	if arch, _ := awsrObj(td.in("runtimePlatform"))["cpuArchitecture"].(string); arch == "ARM64" {
		for i, s := range awsrList(in["capacityProviderStrategies"]) {
			if awsrObj(s)["capacityProvider"] == "FARGATE_SPOT" {
				c.fail("ecs.arm64spot", fmt.Sprintf("capacityProviderStrategies[%d].capacityProvider", i), "FARGATE_SPOT with task definition cpuArchitecture ARM64")
			}
		}
	}
	if b, _ := in["enableExecuteCommand"].(bool); b {
		if _, ok := td.in("taskRoleArn").(string); !ok {
			c.fail("ecs.exec", "enableExecuteCommand", true)
		}
	}
	var defs []map[string]any
	_ = json.Unmarshal([]byte(fmt.Sprint(td.in("containerDefinitions"))), &defs)
	c.checkServiceConnect(defs)
	for i, l := range awsrList(in["loadBalancers"]) {
		m := awsrObj(l)
		port, _ := awsrNum(m["containerPort"])
		found := false
		for _, d := range defs {
			if d["name"] != m["containerName"] {
				continue
			}
			for _, p := range awsrList(d["portMappings"]) {
				if cp, _ := awsrNum(awsrObj(p)["containerPort"]); cp == port {
					found = true
				}
			}
		}
		tg := c.priorWithOutput("aws:lb/targetGroup:TargetGroup", "arn", fmt.Sprint(m["targetGroupArn"]))
		if !found || (tg != nil && tg.in("targetType") != "ip") {
			c.fail("ecs.service.lb", fmt.Sprintf("loadBalancers[%d]", i), m)
		}
	}
}

func (c *awsrChecker) checkSecurityGroup() {
	in := c.in
	if s, ok := awsrStr(in["name"]); ok && (len(s) > 255 || strings.HasPrefix(s, "sg-")) {
		c.fail("ec2.sg.name", "name", s)
	}
	c.autoname("name", func(s string) bool { return !strings.HasPrefix(s, "sg-") })
	if s, ok := awsrStr(in["description"]); ok && (len(s) > 255 || !sgDescRE.MatchString(s)) {
		c.fail("ec2.sg.desc", "description", s)
	}
	for _, dir := range []string{"ingress", "egress"} {
		for i, r := range awsrList(in[dir]) {
			m := awsrObj(r)
			at := fmt.Sprintf("%s[%d]", dir, i)
			if s, ok := awsrStr(m["description"]); ok && (len(s) > 255 || !sgDescRE.MatchString(s)) {
				c.fail("ec2.sg.desc", at+".description", s)
			}
			proto, _ := awsrStr(m["protocol"])
			from, _ := awsrNum(m["fromPort"])
			to, _ := awsrNum(m["toPort"])
			n, err := strconv.Atoi(proto)
			okProto := slices.Contains([]string{"-1", "tcp", "udp", "icmp", "icmpv6", "all"}, proto) || (err == nil && n >= 0 && n <= 255)
			all := proto == "-1" || proto == "all"
			okPorts := (all && from == 0 && to == 0) || (!all && from >= -1 && to <= 65535 && from <= to)
			cidrs := awsrStrs(m["cidrBlocks"])
			okCIDR := true
			for _, s := range cidrs {
				if p, err := netip.ParsePrefix(s); err != nil || !p.Addr().Is4() || p.Masked() != p {
					okCIDR = false
				}
			}
			self, _ := m["self"].(bool)
			source := len(cidrs)+len(awsrList(m["securityGroups"]))+len(awsrList(m["prefixListIds"]))+len(awsrList(m["ipv6CidrBlocks"])) > 0 || self
			if !okProto || !okPorts || !okCIDR || !source {
				c.fail("ec2.sg.rule", at, m)
			}
		}
	}
}

func (c *awsrChecker) checkTargetGroup() {
	in := c.in
	c.lbName("lb.tg.name", "name", false)
	if s, ok := awsrStr(in["namePrefix"]); ok && (len(s) > 6 || !lbNameRE.MatchString(s) || strings.HasPrefix(s, "-")) {
		c.fail("lb.tg.name", "namePrefix", s)
	}
	if _, ok := in["namePrefix"]; !ok {
		c.autoname("name", func(s string) bool { return validLBName(s, false) })
	}
	c.intRange("lb.tg", "port", 1, 65535)
	c.oneOf("lb.tg", "protocol", "HTTP", "HTTPS", "TCP", "TLS", "UDP", "TCP_UDP", "GENEVE")
	c.oneOf("lb.tg", "targetType", "instance", "ip", "lambda", "alb")
	c.intRange("lb.tg", "deregistrationDelay", 0, 3600)
	if tt, _ := awsrStr(in["targetType"]); tt == "ip" {
		if _, ok := in["vpcId"]; !ok {
			c.fail("lb.tg", "vpcId", nil)
		}
	}
	hc := awsrObj(in["healthCheck"])
	if hc == nil {
		return
	}
	interval, hasI := awsrNum(hc["interval"])
	timeout, hasT := awsrNum(hc["timeout"])
	bad := (hasI && (interval < 5 || interval > 300)) || (hasT && (timeout < 2 || timeout > 120)) || (hasI && hasT && timeout >= interval)
	for _, k := range []string{"healthyThreshold", "unhealthyThreshold"} {
		if n, ok := awsrNum(hc[k]); ok && (n < 2 || n > 10) {
			bad = true
		}
	}
	if p, ok := awsrStr(hc["path"]); ok && (len(p) < 1 || len(p) > 1024 || !strings.HasPrefix(p, "/")) {
		bad = true
	}
	if p, ok := awsrStr(hc["port"]); ok && p != "traffic-port" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			bad = true
		}
	}
	if m, ok := awsrStr(hc["matcher"]); ok {
		if !matcherRE.MatchString(m) {
			bad = true
		}
		for _, code := range regexp.MustCompile(`\d{3}`).FindAllString(m, -1) {
			if n, _ := strconv.Atoi(code); n < 200 || n > 499 {
				bad = true
			}
		}
	}
	if bad {
		c.fail("lb.tg.health", "healthCheck", hc)
	}
}

func (c *awsrChecker) checkListener() {
	in := c.in
	c.intRange("lb.listener", "port", 1, 65535)
	c.oneOf("lb.listener", "protocol", "HTTP", "HTTPS")
	proto, _ := awsrStr(in["protocol"])
	cert, hasCert := awsrStr(in["certificateArn"])
	policy, _ := awsrStr(in["sslPolicy"])
	_, hasPolicy := in["sslPolicy"]
	if proto == "HTTPS" && (!hasCert || (hasPolicy && !strings.HasPrefix(policy, "ELBSecurityPolicy-"))) || proto == "HTTP" && (hasCert || hasPolicy) {
		c.fail("lb.listener", "certificateArn/sslPolicy", map[string]any{"protocol": proto, "certificateArn": in["certificateArn"], "sslPolicy": in["sslPolicy"]})
	}
	if hasCert && !acmARNRE.MatchString(cert) && !strings.Contains(cert, ":iam::") {
		c.fail("acm.arn", "certificateArn", cert)
	}
	for i, a := range awsrList(in["defaultActions"]) {
		m := awsrObj(a)
		at := fmt.Sprintf("defaultActions[%d]", i)
		switch m["type"] {
		case "forward":
			if !anyARNRE.MatchString(fmt.Sprint(m["targetGroupArn"])) && m["forward"] == nil {
				c.fail("lb.listener", at, m)
			}
		case "redirect":
			r := awsrObj(m["redirect"])
			code, _ := awsrStr(r["statusCode"])
			port, hasPort := awsrStr(r["port"])
			pn, err := strconv.Atoi(port)
			if (code != "HTTP_301" && code != "HTTP_302") || (hasPort && port != "#{port}" && (err != nil || pn < 1 || pn > 65535)) {
				c.fail("lb.listener", at, m)
			}
		case "fixed-response", "authenticate-cognito", "authenticate-oidc":
		default:
			c.fail("lb.listener", at+".type", m["type"])
		}
	}
}

func (c *awsrChecker) checkListenerRule() {
	in := c.in
	listener, _ := awsrStr(in["listenerArn"])
	if c.priorWithOutput("aws:lb/listener:Listener", "arn", listener) == nil {
		c.fail("lb.rule", "listenerArn", listener)
	}
	prio, _ := awsrNum(in["priority"])
	if prio < 1 || prio > 50000 {
		c.fail("lb.rule", "priority", prio)
	}
	for _, r := range c.priorOf("aws:lb/listenerRule:ListenerRule") {
		if r.in("listenerArn") == listener && r.in("priority") == prio {
			c.fail("lb.rule", "priority", fmt.Sprintf("%v, also %s's", prio, r.Name))
		}
	}
	values := 0
	for i, cond := range awsrList(in["conditions"]) {
		m := awsrObj(cond)
		for _, k := range []string{"pathPattern", "hostHeader"} {
			for _, v := range awsrList(awsrObj(m[k])["values"]) {
				values++
				if s, _ := v.(string); s == "" || len(s) > 128 {
					c.fail("lb.rule", fmt.Sprintf("conditions[%d].%s", i, k), v)
				}
			}
		}
	}
	if values < 1 || values > 5 {
		c.fail("lb.rule", "conditions", fmt.Sprintf("%d values", values))
	}
	for i, a := range awsrList(in["actions"]) {
		m := awsrObj(a)
		switch m["type"] {
		case "forward":
			if c.priorWithOutput("aws:lb/targetGroup:TargetGroup", "arn", fmt.Sprint(m["targetGroupArn"])) == nil {
				c.fail("lb.rule", fmt.Sprintf("actions[%d].targetGroupArn", i), m["targetGroupArn"])
			}
		case "fixed-response":
			code, _ := awsrStr(awsrObj(m["fixedResponse"])["statusCode"])
			if n, err := strconv.Atoi(code); err != nil || n < 200 || n > 599 {
				c.fail("lb.rule", fmt.Sprintf("actions[%d].fixedResponse.statusCode", i), code)
			}
		default:
			c.fail("lb.rule", fmt.Sprintf("actions[%d].type", i), m["type"])
		}
	}
}

// checkServiceConnect checks a service's Service Connect configuration
// against its task definition's containers (defs) and the services
// registered before it.
func (c *awsrChecker) checkServiceConnect(defs []map[string]any) {
	sc := awsrObj(c.in["serviceConnectConfiguration"])
	if sc == nil || sc["enabled"] != true {
		return
	}
	ns, _ := awsrStr(sc["namespace"])
	if c.priorWithOutput("aws:servicediscovery/httpNamespace:HttpNamespace", "arn", ns) == nil {
		c.fail("ecs.connect", "serviceConnectConfiguration.namespace", ns)
	}
	if lc := awsrObj(sc["logConfiguration"]); lc != nil {
		if g, _ := awsrStr(awsrObj(lc["options"])["awslogs-group"]); !c.logGroupExists(g) {
			c.fail("ecs.connect", "serviceConnectConfiguration.logConfiguration", g)
		}
	}
	taken := map[string]bool{}
	for _, p := range c.priorOf("aws:ecs/service:Service") {
		for _, s := range awsrList(awsrObj(p.in("serviceConnectConfiguration"))["services"]) {
			taken[fmt.Sprint(awsrObj(s)["discoveryName"])] = true
			for _, a := range awsrList(awsrObj(s)["clientAlias"]) {
				taken[fmt.Sprint(awsrObj(a)["dnsName"])] = true
			}
		}
	}
	for i, s := range awsrList(sc["services"]) {
		m := awsrObj(s)
		at := fmt.Sprintf("serviceConnectConfiguration.services[%d]", i)
		port := 0.0
		for _, d := range defs {
			for _, pm := range awsrList(d["portMappings"]) {
				if awsrObj(pm)["name"] == m["portName"] {
					port, _ = awsrNum(awsrObj(pm)["containerPort"])
				}
			}
		}
		if port == 0 {
			c.fail("ecs.connect", at+".portName", m["portName"])
		}
		if n, _ := awsrStr(m["discoveryName"]); !connectNameRE.MatchString(n) || taken[n] {
			c.fail("ecs.connect", at+".discoveryName", n)
		}
		for j, a := range awsrList(m["clientAlias"]) {
			am := awsrObj(a)
			p, _ := awsrNum(am["port"])
			if n, _ := awsrStr(am["dnsName"]); !connectNameRE.MatchString(n) || taken[n] || p < 1 || p > 65535 {
				c.fail("ecs.connect", fmt.Sprintf("%s.clientAlias[%d]", at, j), am)
			}
		}
		if o, ok := awsrNum(m["ingressPortOverride"]); ok && (o < 1 || o > 65535 || o == port) {
			c.fail("ecs.connect", at+".ingressPortOverride", o)
		}
	}
}

var connectNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

func (c *awsrChecker) checkScalingPolicy() {
	in := c.in
	c.oneOf("aas.policy", "policyType", "TargetTrackingScaling", "StepScaling", "PredictiveScaling")
	tt := awsrObj(in["targetTrackingScalingPolicyConfiguration"])
	if tt == nil {
		return
	}
	spec := awsrObj(tt["predefinedMetricSpecification"])
	metric, _ := awsrStr(spec["predefinedMetricType"])
	label, hasLabel := awsrStr(spec["resourceLabel"])
	switch {
	case spec == nil:
	case !slices.Contains([]string{"ECSServiceAverageCPUUtilization", "ECSServiceAverageMemoryUtilization", "ALBRequestCountPerTarget"}, metric):
		c.fail("aas.policy", "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.predefinedMetricType", metric)
	case metric == "ALBRequestCountPerTarget" && (!hasLabel || len(label) > 1023 || !albLabelRE.MatchString(label)):
		c.fail("aas.policy", "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.resourceLabel", spec["resourceLabel"])
	case metric != "ALBRequestCountPerTarget" && hasLabel:
		c.fail("aas.policy", "targetTrackingScalingPolicyConfiguration.predefinedMetricSpecification.resourceLabel", label)
	}
	if v, ok := awsrNum(tt["targetValue"]); ok && v <= 0 {
		c.fail("aas.policy", "targetTrackingScalingPolicyConfiguration.targetValue", v)
	}
	for _, k := range []string{"scaleInCooldown", "scaleOutCooldown"} {
		if v, ok := awsrNum(tt[k]); ok && v < 0 {
			c.fail("aas.policy", "targetTrackingScalingPolicyConfiguration."+k, v)
		}
	}
}

func (c *awsrChecker) checkImage() {
	in := c.in
	ref, ok := awsrStr(in["imageName"])
	if ok {
		host, rest, _ := strings.Cut(ref, "/")
		path, tag, hasTag := strings.Cut(rest, ":")
		if !strings.Contains(host, ".") || !dockerPathRE.MatchString(path) || !hasTag || !dockerTagRE.MatchString(tag) || tag == "latest" {
			c.fail("docker.ref", "imageName", ref)
		}
		if server, ok := awsrStr(awsrGet(in, "registry.server")); ok {
			server = strings.TrimPrefix(strings.TrimPrefix(server, "https://"), "http://")
			if s, _, _ := strings.Cut(server, "/"); s != host {
				c.fail("docker.build", "registry.server", server)
			}
		}
	}
	b := awsrObj(in["build"])
	if b == nil {
		return
	}
	if s, _ := awsrStr(b["context"]); s == "" {
		c.fail("docker.build", "build.context", b["context"])
	}
	c.oneOf("docker.build", "build.platform", "linux/amd64", "linux/arm64")
	c.oneOf("docker.build", "build.builderVersion", "BuilderV1", "BuilderBuildKit")
}

var (
	alarmNameRE     = regexp.MustCompile(`^[^\x00-\x1f]{1,255}$`)
	queryIDRE       = regexp.MustCompile(`^[a-z][a-zA-Z0-9_]*$`)
	extendedStatRE  = regexp.MustCompile(`^(p|tm|wm|tc|ts|pr)\d{1,2}(\.\d{1,10})?$`)
	dashboardNameRE = regexp.MustCompile(`^[\-_A-Za-z0-9]+$`)
	scheduleRE      = regexp.MustCompile(`^(cron\(\S+( \S+){5}\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\)|at\(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\))$`)
	bucketNameRE    = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	bucketPrefixRE  = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{0,36}$`)
	topicNameRE     = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}(\.fifo)?$`)
	snsARNRE        = regexp.MustCompile(`^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_.-]+$`)
	emailRE         = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// checkOperations covers the monitoring and operations resources: alarms,
// dashboard, schedules, the access log bucket, the alarm topic and its key.
func (c *awsrChecker) checkOperations() {
	in := c.in
	switch c.typ {
	case "aws:cloudwatch/metricAlarm:MetricAlarm":
		c.checkAlarm()
	case "aws:cloudwatch/dashboard:Dashboard":
		c.nameMatch("cw.dashboard", "dashboardName", dashboardNameRE, 1, 255)
		if body, ok := awsrStr(in["dashboardBody"]); ok {
			var d struct {
				Widgets []struct {
					Properties struct {
						Metrics [][]any `json:"metrics"`
					} `json:"properties"`
				} `json:"widgets"`
			}
			if err := json.Unmarshal([]byte(body), &d); err != nil || len(d.Widgets) == 0 {
				c.fail("cw.dashboard", "dashboardBody", body)
			}
			for i, w := range d.Widgets {
				for _, m := range w.Properties.Metrics {
					// [namespace, metric, dim1, value1, ...] or [".", ...]; a
					// trailing options object is allowed.
					for j := 3; j < len(m); j += 2 {
						if v, ok := m[j].(string); ok && v == "" {
							c.fail("cw.dashboard", fmt.Sprintf("dashboardBody.widgets[%d].properties.metrics", i), m)
						}
					}
				}
			}
		}
	case "aws:appautoscaling/scheduledAction:ScheduledAction":
		if n, ok := awsrStr(in["name"]); ok && (len(n) < 1 || len(n) > 256 || strings.ContainsAny(n, ":/|") || strings.TrimSpace(n) != n) {
			c.fail("aas.scheduled", "name", n)
		}
		if s, ok := awsrStr(in["schedule"]); ok && !scheduleRE.MatchString(s) {
			c.fail("aas.scheduled", "schedule", s)
		}
		if tz, ok := awsrStr(in["timezone"]); ok {
			if _, err := time.LoadLocation(tz); err != nil || tz == "" || tz == "Local" {
				c.fail("aas.scheduled", "timezone", tz)
			}
		}
		act := awsrObj(in["scalableTargetAction"])
		lo, okLo := awsrNum(act["minCapacity"])
		hi, okHi := awsrNum(act["maxCapacity"])
		if okLo && okHi && (lo < 0 || lo > hi) {
			c.fail("aas.scheduled", "scalableTargetAction", act)
		}
		if id, ok := awsrStr(in["resourceId"]); ok && c.priorWithOutput("aws:appautoscaling/target:Target", "resourceId", id) == nil {
			c.fail("aas.scheduled", "resourceId", id)
		}
	case "aws:s3/bucketV2:BucketV2":
		if b, ok := awsrStr(in["bucket"]); ok && (!bucketNameRE.MatchString(b) || strings.Contains(b, "..") || strings.HasPrefix(b, "xn--") || strings.HasPrefix(b, "sthree-") || strings.HasSuffix(b, "-s3alias")) {
			c.fail("s3.bucket", "bucket", b)
		}
		if p, ok := awsrStr(in["bucketPrefix"]); ok && (!bucketPrefixRE.MatchString(p) || strings.HasPrefix(p, "xn--") || strings.HasPrefix(p, "sthree-")) {
			c.fail("s3.bucket", "bucketPrefix", p)
		}
	case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
		if b, _ := awsrStr(in["bucket"]); b == "" {
			c.fail("s3.controls", "bucket", in["bucket"])
		}
	case "aws:s3/bucketOwnershipControls:BucketOwnershipControls":
		if b, _ := awsrStr(in["bucket"]); b == "" {
			c.fail("s3.controls", "bucket", in["bucket"])
		}
		c.oneOf("s3.controls", "rule.objectOwnership", "BucketOwnerPreferred", "ObjectWriter", "BucketOwnerEnforced")
	case "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2":
		for i, r := range awsrList(in["rules"]) {
			d := awsrObj(awsrObj(r)["applyServerSideEncryptionByDefault"])
			alg, _ := awsrStr(d["sseAlgorithm"])
			_, key := d["kmsMasterKeyId"]
			if !slices.Contains([]string{"AES256", "aws:kms", "aws:kms:dsse"}, alg) || (key && alg == "AES256") {
				c.fail("s3.sse", fmt.Sprintf("rules[%d].applyServerSideEncryptionByDefault", i), d)
			}
		}
	case "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":
		rules := awsrList(in["rules"])
		if len(rules) < 1 || len(rules) > 1000 {
			c.fail("s3.lifecycle", "rules", len(rules))
		}
		for i, r := range rules {
			m := awsrObj(r)
			id, _ := awsrStr(m["id"])
			days, hasDays := awsrNum(awsrGet(m, "expiration.days"))
			if len(id) > 255 || (m["status"] != "Enabled" && m["status"] != "Disabled") || (hasDays && days < 1) {
				c.fail("s3.lifecycle", fmt.Sprintf("rules[%d]", i), m)
			}
		}
	case "aws:s3/bucketPolicy:BucketPolicy":
		doc, ok := awsrStr(in["policy"])
		if !ok {
			return
		}
		bucket, _ := awsrStr(in["bucket"])
		if len(doc) > 20480 {
			c.fail("s3.policy", "policy", fmt.Sprintf("%d bytes", len(doc)))
		}
		for i, st := range c.policyShape("policy", doc) {
			if st["Principal"] == nil {
				c.fail("s3.policy", fmt.Sprintf("policy.Statement[%d].Principal", i), nil)
			}
			for _, r := range asStrings(st["Resource"]) {
				if bucket != "" && r != "arn:aws:s3:::"+bucket && !strings.HasPrefix(r, "arn:aws:s3:::"+bucket+"/") {
					c.fail("s3.policy", fmt.Sprintf("policy.Statement[%d].Resource", i), r)
				}
			}
		}
	case "aws:kms/key:Key":
		if d, ok := awsrStr(in["description"]); ok && len(d) > 8192 {
			c.fail("kms.key", "description", d)
		}
		c.intRange("kms.key", "deletionWindowInDays", 7, 30)
		if rot, _ := in["enableKeyRotation"].(bool); rot {
			if spec, ok := awsrStr(in["customerMasterKeySpec"]); ok && spec != "SYMMETRIC_DEFAULT" {
				c.fail("kms.key", "enableKeyRotation", spec)
			}
			if u, ok := awsrStr(in["keyUsage"]); ok && u != "ENCRYPT_DECRYPT" {
				c.fail("kms.key", "enableKeyRotation", u)
			}
		}
		if doc, ok := awsrStr(in["policy"]); ok {
			if len(doc) > 32768 {
				c.fail("kms.key", "policy", fmt.Sprintf("%d characters", len(doc)))
			}
			for i, st := range c.policyShape("policy", doc) {
				if st["Principal"] == nil {
					c.fail("kms.key", fmt.Sprintf("policy.Statement[%d].Principal", i), nil)
				}
			}
		}
	case "aws:scheduler/scheduleGroup:ScheduleGroup":
		c.nameMatch("scheduler", "name", schedulerNameRE, 1, 64)
	case "aws:scheduler/schedule:Schedule":
		c.checkSchedule()
	case "aws:sns/topic:Topic":
		c.nameMatch("sns.topic", "name", topicNameRE, 1, 261)
	case "aws:sns/topicPolicy:TopicPolicy":
		c.nameMatch("sns.topic", "arn", snsARNRE, 1, 2048)
		if doc, ok := awsrStr(in["policy"]); ok {
			if len(doc) > 30720 {
				c.fail("sns.topic", "policy", fmt.Sprintf("%d characters", len(doc)))
			}
			c.policyShape("policy", doc)
		}
	case "aws:sns/topicSubscription:TopicSubscription":
		c.oneOf("sns.subscription", "protocol", "email", "email-json", "http", "https", "sqs", "sms", "lambda", "firehose", "application")
		c.nameMatch("sns.subscription", "topic", snsARNRE, 1, 2048)
		if p, _ := awsrStr(in["protocol"]); p == "email" || p == "email-json" {
			c.nameMatch("sns.subscription", "endpoint", emailRE, 3, 320)
		}
	}
}

var (
	schedulerNameRE = regexp.MustCompile(`^[0-9a-zA-Z\-_.]+$`)
	taskDefARNRE    = regexp.MustCompile(`^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition/[A-Za-z0-9_-]{1,255}(:\d+)?$`)
)

func (c *awsrChecker) checkSchedule() {
	in := c.in
	c.nameMatch("scheduler", "name", schedulerNameRE, 1, 64)
	if e, ok := awsrStr(in["scheduleExpression"]); ok && (len(e) > 256 || !scheduleRE.MatchString(e)) {
		c.fail("scheduler", "scheduleExpression", e)
	}
	if tz, ok := awsrStr(in["scheduleExpressionTimezone"]); ok {
		if _, err := time.LoadLocation(tz); err != nil || tz == "" || tz == "Local" {
			c.fail("scheduler", "scheduleExpressionTimezone", tz)
		}
	}
	if d, ok := awsrStr(in["description"]); ok && len(d) > 512 {
		c.fail("scheduler", "description", d)
	}
	ftw := awsrObj(in["flexibleTimeWindow"])
	mode, _ := awsrStr(ftw["mode"])
	win, hasWin := awsrNum(ftw["maximumWindowInMinutes"])
	if (mode != "OFF" && mode != "FLEXIBLE") || (mode == "FLEXIBLE" && (!hasWin || win < 1 || win > 1440)) || (mode == "OFF" && hasWin) {
		c.fail("scheduler", "flexibleTimeWindow", ftw)
	}
	c.oneOf("scheduler", "state", "ENABLED", "DISABLED")
	tgt := awsrObj(in["target"])
	if tgt == nil {
		c.fail("scheduler", "target", nil)
		return
	}
	if a, _ := awsrStr(tgt["arn"]); !anyARNRE.MatchString(a) {
		c.fail("scheduler", "target.arn", tgt["arn"])
	}
	if r, _ := awsrStr(tgt["roleArn"]); !iamRoleARNRE.MatchString(r) {
		c.fail("scheduler", "target.roleArn", tgt["roleArn"])
	}
	if s, ok := awsrStr(tgt["input"]); ok && (len(s) > 8192 || !json.Valid([]byte(s))) {
		c.fail("scheduler", "target.input", s)
	}
	if rp := awsrObj(tgt["retryPolicy"]); rp != nil {
		n, okN := awsrNum(rp["maximumRetryAttempts"])
		age, okA := awsrNum(rp["maximumEventAgeInSeconds"])
		if (okN && (n < 0 || n > 185)) || (okA && (age < 60 || age > 86400)) {
			c.fail("scheduler", "target.retryPolicy", rp)
		}
	}
	ecs := awsrObj(tgt["ecsParameters"])
	if ecs == nil {
		return
	}
	if td, _ := awsrStr(ecs["taskDefinitionArn"]); !taskDefARNRE.MatchString(td) {
		c.fail("scheduler", "target.ecsParameters.taskDefinitionArn", ecs["taskDefinitionArn"])
	}
	if n, ok := awsrNum(ecs["taskCount"]); ok && (n < 1 || n > 10) {
		c.fail("scheduler", "target.ecsParameters.taskCount", n)
	}
	if pv, ok := awsrStr(ecs["platformVersion"]); ok && !slices.Contains([]string{"LATEST", "1.4.0", "1.3.0"}, pv) {
		c.fail("ecs.platform", "target.ecsParameters.platformVersion", pv)
	}
	if nc := awsrObj(ecs["networkConfiguration"]); nc != nil {
		if n := len(awsrList(nc["subnets"])); n < 1 || n > 16 || len(awsrList(nc["securityGroups"])) > 5 {
			c.fail("scheduler", "target.ecsParameters.networkConfiguration", nc)
		}
		if nc["assignPublicIp"] == true && ecs["launchType"] != "FARGATE" {
			c.fail("scheduler.publicip", "target.ecsParameters.launchType", ecs["launchType"])
		}
	}
	for i, st := range awsrList(ecs["capacityProviderStrategies"]) {
		m := awsrObj(st)
		w, _ := awsrNum(m["weight"])
		b, _ := awsrNum(m["base"])
		if w < 0 || w > 1000 || b < 0 || b > 100000 {
			c.fail("ecs.capacity", fmt.Sprintf("target.ecsParameters.capacityProviderStrategies[%d]", i), m)
		}
	}
}

func (c *awsrChecker) checkAlarm() {
	in := c.in
	c.nameMatch("cw.alarm", "name", alarmNameRE, 1, 255)
	if d, ok := awsrStr(in["alarmDescription"]); ok && len(d) > 1024 {
		c.fail("cw.alarm", "alarmDescription", d)
	}
	c.oneOf("cw.alarm", "comparisonOperator", "GreaterThanOrEqualToThreshold", "GreaterThanThreshold", "LessThanThreshold", "LessThanOrEqualToThreshold",
		"LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold")
	c.oneOf("cw.alarm", "treatMissingData", "breaching", "notBreaching", "ignore", "missing")
	periods, _ := awsrNum(in["evaluationPeriods"])
	if periods < 1 {
		c.fail("cw.alarm", "evaluationPeriods", in["evaluationPeriods"])
	}
	if dp, ok := awsrNum(in["datapointsToAlarm"]); ok && (dp < 1 || dp > periods) {
		c.fail("cw.alarm", "datapointsToAlarm", dp)
	}
	checkPeriod := func(at string, v any) {
		p, ok := awsrNum(v)
		if !ok {
			return
		}
		if (p != 10 && p != 30 && (p < 60 || int(p)%60 != 0)) || p*periods > 86400 {
			c.fail("cw.alarm", at, p)
		}
	}
	checkDims := func(at string, v any) {
		dims := awsrObj(v)
		if len(dims) > 30 {
			c.fail("cw.alarm", at, dims)
		}
		for k, d := range dims {
			if s, _ := awsrStr(d); len(s) < 1 || len(s) > 1024 {
				c.fail("cw.alarm", at+"."+k, d)
			}
		}
	}
	_, hasMetric := in["metricName"]
	queries := awsrList(in["metricQueries"])
	if hasMetric == (len(queries) > 0) {
		c.fail("cw.alarm", "metricName/metricQueries", map[string]any{"metricName": in["metricName"], "metricQueries": len(queries)})
	}
	if hasMetric {
		_, stat := in["statistic"]
		ext, hasExt := awsrStr(in["extendedStatistic"])
		if stat == hasExt {
			c.fail("cw.alarm", "statistic/extendedStatistic", map[string]any{"statistic": in["statistic"], "extendedStatistic": in["extendedStatistic"]})
		}
		c.oneOf("cw.alarm", "statistic", "SampleCount", "Average", "Sum", "Minimum", "Maximum")
		if hasExt && !extendedStatRE.MatchString(ext) {
			c.fail("cw.alarm", "extendedStatistic", ext)
		}
		checkPeriod("period", in["period"])
		checkDims("dimensions", in["dimensions"])
	}
	returning := 0
	for i, q := range queries {
		m := awsrObj(q)
		at := fmt.Sprintf("metricQueries[%d]", i)
		if id, _ := awsrStr(m["id"]); !queryIDRE.MatchString(id) || len(id) > 255 {
			c.fail("cw.alarm", at+".id", m["id"])
		}
		_, expr := m["expression"]
		metric := awsrObj(m["metric"])
		if expr == (metric != nil) {
			c.fail("cw.alarm", at, m)
		}
		if rd, _ := m["returnData"].(bool); rd {
			returning++
		}
		if metric != nil {
			if s, _ := awsrStr(metric["stat"]); s == "" {
				c.fail("cw.alarm", at+".metric.stat", metric["stat"])
			}
			checkPeriod(at+".metric.period", metric["period"])
			checkDims(at+".metric.dimensions", metric["dimensions"])
		}
	}
	if len(queries) > 0 && returning != 1 {
		c.fail("cw.alarm", "metricQueries.returnData", returning)
	}
	for _, k := range []string{"alarmActions", "okActions", "insufficientDataActions"} {
		acts := awsrList(in[k])
		if len(acts) > 5 {
			c.fail("cw.alarm", k, acts)
		}
		for _, a := range acts {
			if s, _ := awsrStr(a); !anyARNRE.MatchString(s) {
				c.fail("cw.alarm", k, a)
			}
		}
	}
}

// plainInputs converts mock inputs to plain Go values (secrets unwrapped).
func plainInputs(in resource.PropertyMap) map[string]any {
	out := map[string]any{}
	for k, v := range in {
		if v.IsComputed() || (v.IsOutput() && !v.OutputValue().Known) {
			continue
		}
		out[string(k)] = plain(v)
	}
	return out
}

// awsRulesOff holds the mocks of runs that record inputs without the
// rules (runUnchecked), to build known-bad cases from real inputs.
var awsRulesOff sync.Map

// awsRulesCheck is the hook mocks.NewResource calls for every resource.
func (m *mocks) awsRulesCheck(typ, name string, in resource.PropertyMap) error {
	if _, off := awsRulesOff.Load(m); off {
		return nil
	}
	m.mu.Lock()
	prior := slices.Clone(m.resources)
	m.mu.Unlock()
	return checkAWSRules(typ, name, plainInputs(in), prior)
}
