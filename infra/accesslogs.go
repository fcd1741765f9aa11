package infra

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/s3"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// elbLogAccounts are the Elastic Load Balancing accounts that deliver
// access logs in the regions that opened before August 2022; the bucket
// policy names the region's account. Regions opened later deliver as the
// logdelivery.elasticloadbalancing.amazonaws.com service principal. Source:
// ELB user guide, "Enable access logs for your Application Load Balancer",
// bucket permissions; the same table as terraform-provider-aws
// internal/service/elb/service_account_data_source.go.
var elbLogAccounts = map[string]string{
	"af-south-1": "098369216593", "ap-east-1": "754344448648", "ap-northeast-1": "582318560864",
	"ap-northeast-2": "600734575887", "ap-northeast-3": "383597477331", "ap-south-1": "718504428378",
	"ap-southeast-1": "114774131450", "ap-southeast-2": "783225319266", "ap-southeast-3": "589379963580",
	"ca-central-1": "985666609251", "cn-north-1": "638102146993", "cn-northwest-1": "037604701340",
	"eu-central-1": "054676820928", "eu-north-1": "897822967062", "eu-south-1": "635631232127",
	"eu-west-1": "156460612806", "eu-west-2": "652711504416", "eu-west-3": "009996457667",
	"me-south-1": "076674570225", "sa-east-1": "507241528517", "us-east-1": "127311923021",
	"us-east-2": "033677994240", "us-gov-east-1": "190560391635", "us-gov-west-1": "048591011584",
	"us-west-1": "027434742980", "us-west-2": "797873946194",
}

// AccessLogsPolicy is the bucket policy: only the region's load balancer
// log delivery may write, and only under PREFIX/AWSLogs/ACCOUNT/; every
// request without TLS is denied.
func AccessLogsPolicy(partition, region, account, bucketARN, prefix string) PolicyDocument {
	writer := map[string]string{"Service": "logdelivery.elasticloadbalancing.amazonaws.com"}
	if id, ok := elbLogAccounts[region]; ok {
		writer = map[string]string{"AWS": "arn:" + partition + ":iam::" + id + ":root"}
	}
	return NewPolicy(
		Statement{Sid: "LoadBalancerLogDelivery", Effect: "Allow", Principal: writer,
			Action: []string{"s3:PutObject"}, Resource: []string{bucketARN + "/" + prefix + "/AWSLogs/" + account + "/*"}},
		Statement{Sid: "DenyWithoutTLS", Effect: "Deny", Principal: map[string]string{"AWS": "*"},
			Action: []string{"s3:*"}, Resource: []string{bucketARN, bucketARN + "/*"},
			Condition: map[string]map[string]string{"Bool": {"aws:SecureTransport": "false"}}},
	)
}

// AccessLogsArgs configures the access log bucket.
type AccessLogsArgs struct {
	// BucketPrefix starts the bucket's generated, globally unique name.
	BucketPrefix string
	// Prefix is the key prefix the load balancer writes under.
	Prefix string
	// RetentionDays expires log objects after this many days.
	RetentionDays int
	// Protect keeps the bucket (and its logs) on `pulumi destroy`.
	Protect bool
	// Partition, Region and Account scope the bucket policy.
	Partition, Region, Account pulumi.StringInput
	// Tags go on the bucket.
	Tags pulumi.StringMap
}

// AccessLogs is the S3 bucket that receives the load balancer's access
// logs: public access blocked, bucket-owner-enforced ownership, SSE-S3
// (the only encryption ALB log delivery supports), TLS only, a lifecycle
// that expires logs, and a policy that lets only the region's load
// balancer log delivery write under the stack's prefix.
type AccessLogs struct {
	pulumi.ResourceState

	// Bucket is the bucket.
	Bucket *s3.BucketV2
	// Prefix is the key prefix.
	Prefix string
	// Ready are the resources the load balancer must wait for: it checks
	// that it may write to the bucket when access logs are turned on.
	Ready []pulumi.Resource
}

// NewAccessLogs creates the bucket and its settings.
func NewAccessLogs(ctx *pulumi.Context, name string, args *AccessLogsArgs, opts ...pulumi.ResourceOption) (*AccessLogs, error) {
	l := &AccessLogs{Prefix: args.Prefix}
	if err := ctx.RegisterComponentResource("fargateship:index:AccessLogs", name, l, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(l)
	bucket, err := s3.NewBucketV2(ctx, name, &s3.BucketV2Args{
		BucketPrefix: pulumi.String(args.BucketPrefix),
		ForceDestroy: pulumi.Bool(!args.Protect),
		Tags:         args.Tags,
	}, parent, pulumi.Protect(args.Protect))
	if err != nil {
		return nil, err
	}
	l.Bucket = bucket
	block, err := s3.NewBucketPublicAccessBlock(ctx, name, &s3.BucketPublicAccessBlockArgs{
		Bucket: bucket.ID(), BlockPublicAcls: pulumi.Bool(true), BlockPublicPolicy: pulumi.Bool(true),
		IgnorePublicAcls: pulumi.Bool(true), RestrictPublicBuckets: pulumi.Bool(true),
	}, parent)
	if err != nil {
		return nil, err
	}
	ownership, err := s3.NewBucketOwnershipControls(ctx, name, &s3.BucketOwnershipControlsArgs{
		Bucket: bucket.ID(),
		Rule:   &s3.BucketOwnershipControlsRuleArgs{ObjectOwnership: pulumi.String("BucketOwnerEnforced")},
	}, parent)
	if err != nil {
		return nil, err
	}
	encryption, err := s3.NewBucketServerSideEncryptionConfigurationV2(ctx, name, &s3.BucketServerSideEncryptionConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketServerSideEncryptionConfigurationV2RuleArray{&s3.BucketServerSideEncryptionConfigurationV2RuleArgs{
			ApplyServerSideEncryptionByDefault: &s3.BucketServerSideEncryptionConfigurationV2RuleApplyServerSideEncryptionByDefaultArgs{
				SseAlgorithm: pulumi.String("AES256"),
			},
		}},
	}, parent)
	if err != nil {
		return nil, err
	}
	if _, err := s3.NewBucketLifecycleConfigurationV2(ctx, name, &s3.BucketLifecycleConfigurationV2Args{
		Bucket: bucket.ID(),
		Rules: s3.BucketLifecycleConfigurationV2RuleArray{&s3.BucketLifecycleConfigurationV2RuleArgs{
			Id:         pulumi.String("expire-access-logs"),
			Status:     pulumi.String("Enabled"),
			Filter:     &s3.BucketLifecycleConfigurationV2RuleFilterArgs{Prefix: pulumi.String(args.Prefix + "/")},
			Expiration: &s3.BucketLifecycleConfigurationV2RuleExpirationArgs{Days: pulumi.Int(args.RetentionDays)},
		}},
	}, parent); err != nil {
		return nil, err
	}
	policy, err := s3.NewBucketPolicy(ctx, name, &s3.BucketPolicyArgs{
		Bucket: bucket.ID(),
		Policy: pulumi.All(args.Partition, args.Region, args.Account, bucket.Arn).ApplyT(func(v []any) (string, error) {
			return AccessLogsPolicy(v[0].(string), v[1].(string), v[2].(string), v[3].(string), args.Prefix).JSON()
		}).(pulumi.StringOutput),
		// A policy put while the public access block is being applied can
		// be refused as public; apply it after.
	}, parent, pulumi.DependsOn([]pulumi.Resource{block}))
	if err != nil {
		return nil, err
	}
	l.Ready = []pulumi.Resource{policy, ownership, encryption}
	return l, ctx.RegisterResourceOutputs(l, pulumi.Map{"bucket": bucket.Bucket})
}
