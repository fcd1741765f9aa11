package tfplan

import (
	"fmt"
	"hash/fnv"
	"strings"
	"sync"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Mock account and region of the evaluation: what the provider calls
// answer. They appear in ARNs only.
const (
	MockAccount = "123456789012"
	MockRegion  = "us-east-1"
)

// Recorder is a pulumi.MockResourceMonitor that records every resource the
// program registers and answers with AWS-shaped identifiers: what the
// engine would return after a create, so that values flowing from one
// resource into another (a bucket's ID into its public access block, a
// VPC's ID into its flow log) can be recognised and written as references.
// It follows the test harness's mocks (infra/harness_test.go) for the
// identifiers the program itself reads (repository URL, image digest, load
// balancer DNS name, certificate validation records); every other type gets
// a unique ID and an ARN.
type Recorder struct {
	mu        sync.Mutex
	resources []Resource
}

// Resources returns what was registered, in registration order.
func (m *Recorder) Resources() []Resource {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Resource(nil), m.resources...)
}

// NewResource implements pulumi.MockResourceMonitor.
func (m *Recorder) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	in := args.Inputs
	out := in.Copy()
	str := func(k string) string {
		if v, ok := in[resource.PropertyKey(k)]; ok && v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	set := func(k string, v any) { out[resource.PropertyKey(k)] = resource.NewPropertyValue(v) }
	physical := str("name")
	if physical == "" {
		physical = args.Name + "-" + shortHash(args.TypeToken+"/"+args.Name)
	}
	_, mod, _ := splitToken(args.TypeToken)
	arnOf := func(rest string) string {
		return "arn:aws:" + mod + ":" + MockRegion + ":" + MockAccount + ":" + rest
	}
	id := args.Name + "-" + shortHash(args.TypeToken+"/"+args.Name)
	arn := arnOf(memberOf(args.TypeToken) + "/" + physical)
	switch args.TypeToken {
	case "aws:ecr/repository:Repository":
		id = physical
		set("name", id)
		set("registryId", MockAccount)
		set("repositoryUrl", MockAccount+".dkr.ecr."+MockRegion+".amazonaws.com/"+id)
		arn = arnOf("repository/" + id)
	case "docker:index/image:Image":
		ref := str("imageName")
		if i := strings.LastIndex(ref, ":"); i > 0 {
			ref = ref[:i]
		}
		set("repoDigest", ref+"@sha256:"+strings.Repeat("ab", 32))
		arn = ""
	case "aws:cloudwatch/logGroup:LogGroup":
		id = physical
		arn = "arn:aws:logs:" + MockRegion + ":" + MockAccount + ":log-group:" + id
	case "aws:iam/role:Role":
		id = physical
		set("name", id)
		path := str("path")
		if path == "" {
			path = "/"
		}
		arn = "arn:aws:iam::" + MockAccount + ":role" + path + id
	case "aws:ecs/cluster:Cluster":
		arn = arnOf("cluster/" + physical)
		id = arn
		set("name", physical)
	case "aws:ecs/taskDefinition:TaskDefinition":
		id = str("family")
		set("revision", 1)
		arn = arnOf("task-definition/" + id + ":1")
	case "aws:ecs/service:Service":
		set("name", physical)
		arn = arnOf("service/" + physical)
		id = arn
	case "aws:ec2/securityGroup:SecurityGroup":
		id = "sg-" + hexID(args.Name)
	case "aws:ec2/vpc:Vpc":
		id = "vpc-" + hexID(args.Name)
	case "aws:ec2/subnet:Subnet":
		id = "subnet-" + hexID(args.Name)
	case "aws:secretsmanager/secret:Secret":
		arn = "arn:aws:secretsmanager:" + MockRegion + ":" + MockAccount + ":secret:" + physical + "-AbCdEf"
		id = arn
	case "aws:lb/loadBalancer:LoadBalancer":
		arn = arnOf("loadbalancer/app/" + physical + "/50dc6c495c0c9188")
		id = arn
		set("arnSuffix", "app/"+physical+"/50dc6c495c0c9188")
		set("dnsName", physical+"-123456789."+MockRegion+".elb.amazonaws.com")
		set("zoneId", "Z35SXDOTRQ7X7K")
	case "aws:lb/targetGroup:TargetGroup":
		arn = arnOf("targetgroup/" + physical + "/943f017f100becff")
		id = arn
		set("arnSuffix", "targetgroup/"+physical+"/943f017f100becff")
	case "aws:lb/listener:Listener":
		arn = arnOf("listener/app/" + args.Name + "/" + shortHash(args.Name))
		id = arn
	case "aws:acm/certificate:Certificate":
		arn = "arn:aws:acm:" + MockRegion + ":" + MockAccount + ":certificate/" + shortHash(args.Name) + "-1111-2222-3333-444455556666"
		id = arn
		set("domainValidationOptions", []any{map[string]any{
			"domainName": str("domainName"), "resourceRecordName": "_x1." + str("domainName") + ".",
			"resourceRecordType": "CNAME", "resourceRecordValue": "_x2.acm-validations.aws.",
		}})
	case "aws:route53/record:Record":
		set("fqdn", strings.TrimSuffix(str("name"), "."))
	case "aws:s3/bucketV2:BucketV2":
		id = str("bucket")
		if id == "" {
			id = str("bucketPrefix") + "20261128000000000000000001"
		}
		set("bucket", id)
		arn = "arn:aws:s3:::" + id
	case "aws:kms/key:Key":
		id = shortHash(args.Name) + "-4b5a-6978-8796-a5b4c3d2e1f0"
		arn = "arn:aws:kms:" + MockRegion + ":" + MockAccount + ":key/" + id
	case "aws:sns/topic:Topic":
		arn = "arn:aws:sns:" + MockRegion + ":" + MockAccount + ":" + physical
		id = arn
	}
	if arn != "" {
		if _, ok := out["arn"]; !ok {
			set("arn", arn)
		}
	}
	m.mu.Lock()
	m.resources = append(m.resources, Resource{
		Type: args.TypeToken, Name: args.Name, Custom: args.Custom, ID: id, Inputs: in, Outputs: out,
	})
	m.mu.Unlock()
	return id, out, nil
}

// Call implements pulumi.MockResourceMonitor: the data sources and
// functions the program calls, answered for the mock account and region.
func (m *Recorder) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	var v map[string]any
	switch args.Token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		v = map[string]any{"accountId": MockAccount, "arn": "arn:aws:iam::" + MockAccount + ":user/scan", "userId": "AIDA", "id": MockAccount}
	case "aws:index/getRegion:getRegion":
		v = map[string]any{"name": MockRegion, "id": MockRegion}
	case "aws:index/getPartition:getPartition":
		v = map[string]any{"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}
	case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
		v = map[string]any{
			"userName": "AWS", "password": "mock-ecr-token", "authorizationToken": "QVdTOm1vY2stZWNyLXRva2Vu",
			"proxyEndpoint": "https://" + MockAccount + ".dkr.ecr." + MockRegion + ".amazonaws.com", "expiresAt": "2026-11-28T06:00:00Z", "id": MockRegion,
		}
	case "aws:ec2/getVpc:getVpc":
		v = map[string]any{"id": "vpc-0default00000000", "cidrBlock": "172.31.0.0/16", "default": true}
	case "aws:ec2/getSubnets:getSubnets":
		v = map[string]any{"ids": []any{"subnet-0default0a", "subnet-0default0b", "subnet-0default0c"}, "id": MockRegion}
	case "aws:index/getAvailabilityZones:getAvailabilityZones":
		v = map[string]any{"names": []any{"us-east-1a", "us-east-1b", "us-east-1c"}, "zoneIds": []any{"use1-az1", "use1-az2", "use1-az4"}, "id": MockRegion}
	default:
		return nil, fmt.Errorf("tfplan mocks: no answer for the call %s (add it to internal/tfplan/mocks.go)", args.Token)
	}
	return resource.NewPropertyMapFromMap(v), nil
}

// shortHash is 8 hex digits of s: unique identifiers per resource.
func shortHash(s string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(s))
	return fmt.Sprintf("%08x", h.Sum32())
}

// hexID is the 17 hex digits of an EC2 ID (sg-, vpc-, subnet-) for a name.
func hexID(name string) string {
	return "0" + shortHash(name) + shortHash("ec2/"+name)
}
