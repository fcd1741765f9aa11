package infra

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/common/tokens"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/fargateship/fargateship/internal/stackconfig"
)

// projectRoot is where Pulumi.yaml lives.
var projectRoot = func() string {
	abs, err := filepath.Abs("..")
	if err != nil {
		panic(err)
	}
	return abs
}()

const (
	mockAccount = "123456789012"
	mockRegion  = "us-east-1"
)

// loadProject loads Pulumi.yaml with the SDK's own loader (which also
// validates it against the project schema, as the CLI does).
func loadProject(t testing.TB) *workspace.Project {
	t.Helper()
	proj, err := workspace.LoadProject(filepath.Join(projectRoot, "Pulumi.yaml"))
	if err != nil {
		t.Fatalf("load Pulumi.yaml: %v", err)
	}
	return proj
}

// stackConfig builds the config map the CLI hands a Go program for the
// stack file at path (internal/stackconfig, which `make check` uses too):
// the stack's values, type-checked against the project's declarations, then
// the project defaults for every declared key the stack leaves unset.
func stackConfig(t testing.TB, proj *workspace.Project, path string) map[string]string {
	t.Helper()
	cfg, err := stackconfig.Load(proj, path)
	if err != nil {
		t.Fatalf("%s: the CLI would stop: %v", path, err)
	}
	return cfg.Values
}

// defaultString renders a Pulumi.yaml default the way the CLI passes it.
func defaultString(_ testing.TB, v any) string { return stackconfig.Render(v) }

// projectDefaults is the config of a stack that sets nothing.
func projectDefaults(t testing.TB) map[string]string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "Pulumi.empty.yaml")
	if err := os.WriteFile(path, []byte("config: {}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return stackConfig(t, loadProject(t), path)
}

// withConfig sets the config the way the CLI does through PULUMI_CONFIG.
func withConfig(cfg map[string]string, secretKeys []string) pulumi.RunOption {
	return func(info *pulumi.RunInfo) {
		info.Config = cfg
		info.ConfigSecretKeys = secretKeys
		info.RootDirectory = projectRoot
	}
}

// res is one registered resource as the engine saw it.
type res struct {
	Type, Name string
	Inputs     resource.PropertyMap
	Outputs    resource.PropertyMap
	ID         string
	Parent     string
	Protect    bool
	Ignore     []string
	DependsOn  []string
	// URN is the resource's URN, computed as the engine does from its
	// parent's (the root stack's type is not part of a child's).
	URN string
}

// childURN is the URN of a resource of a type and name under parent.
func childURN(parent, typ, name string) string {
	p := resource.URN(parent)
	parentType := tokens.Type("")
	if p.IsValid() && p.QualifiedType() != "pulumi:pulumi:Stack" {
		parentType = p.QualifiedType()
	}
	return string(resource.NewURN(p.Stack(), p.Project(), parentType, tokens.Type(typ), name))
}

// mocks answers the provider calls of the program with AWS-shaped values
// and records every resource.
type mocks struct {
	mu        sync.Mutex
	resources []*res
	calls     []string
}

func (m *mocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	// Refuse what AWS or the provider would refuse (awsrules_test.go).
	if err := m.awsRulesCheck(args.TypeToken, args.Name, args.Inputs); err != nil {
		return "", nil, err
	}
	name := args.Name
	in := args.Inputs
	out := in.Copy()
	str := func(k string) string {
		if v, ok := in[resource.PropertyKey(k)]; ok && v.IsString() {
			return v.StringValue()
		}
		return ""
	}
	set := func(k string, v any) { out[resource.PropertyKey(k)] = resource.NewPropertyValue(v) }
	physical := func() string {
		if n := str("name"); n != "" {
			return n
		}
		return name + "-1a2b3c4"
	}
	id := name + "-id"
	switch args.TypeToken {
	case "aws:ecr/repository:Repository":
		id = physical()
		set("name", id)
		set("registryId", mockAccount)
		set("repositoryUrl", mockAccount+".dkr.ecr."+mockRegion+".amazonaws.com/"+id)
		set("arn", "arn:aws:ecr:"+mockRegion+":"+mockAccount+":repository/"+id)
	case "docker:index/image:Image":
		ref := str("imageName")
		set("repoDigest", ref[:strings.LastIndex(ref, ":")]+"@sha256:"+strings.Repeat("ab", 32))
	case "aws:cloudwatch/logGroup:LogGroup":
		id = physical()
		set("arn", "arn:aws:logs:"+mockRegion+":"+mockAccount+":log-group:"+id)
	case "aws:iam/role:Role":
		id = physical()
		set("name", id)
		set("arn", "arn:aws:iam::"+mockAccount+":role"+str("path")+id)
	case "aws:ecs/cluster:Cluster":
		id = "arn:aws:ecs:" + mockRegion + ":" + mockAccount + ":cluster/" + physical()
		set("name", physical())
		set("arn", id)
	case "aws:ecs/taskDefinition:TaskDefinition":
		family := str("family")
		id = family
		set("revision", 7)
		set("arn", "arn:aws:ecs:"+mockRegion+":"+mockAccount+":task-definition/"+family+":7")
	case "aws:ecs/service:Service":
		set("name", physical())
		// The provider's ID is the service ARN, in ECS's long format
		// (service/CLUSTER/SERVICE).
		cluster := str("cluster")
		id = "arn:aws:ecs:" + mockRegion + ":" + mockAccount + ":service/" + cluster[strings.LastIndex(cluster, "/")+1:] + "/" + physical()
	case "aws:ec2/securityGroup:SecurityGroup":
		id = "sg-" + fmt.Sprintf("%017x", len(name)*7919)
	case "aws:secretsmanager/secret:Secret":
		id = "arn:aws:secretsmanager:" + mockRegion + ":" + mockAccount + ":secret:" + str("name") + "-AbCdEf"
		set("arn", id)
	case "aws:secretsmanager/secretVersion:SecretVersion":
		set("versionId", "v-"+name)
	case "aws:lb/loadBalancer:LoadBalancer":
		id = "arn:aws:elasticloadbalancing:" + mockRegion + ":" + mockAccount + ":loadbalancer/app/" + physical() + "/50dc6c495c0c9188"
		set("arn", id)
		set("arnSuffix", "app/"+physical()+"/50dc6c495c0c9188")
		set("dnsName", physical()+"-123456789."+mockRegion+".elb.amazonaws.com")
		set("zoneId", "Z35SXDOTRQ7X7K")
	case "aws:acm/certificate:Certificate":
		id = "arn:aws:acm:" + mockRegion + ":" + mockAccount + ":certificate/0f0e0d0c-1111-2222-3333-444455556666"
		set("arn", id)
		set("domainValidationOptions", []any{map[string]any{
			"domainName": str("domainName"), "resourceRecordName": "_x1." + str("domainName") + ".",
			"resourceRecordType": "CNAME", "resourceRecordValue": "_x2.acm-validations.aws.",
		}})
	case "aws:route53/record:Record":
		set("fqdn", strings.TrimSuffix(str("name"), "."))
	case "aws:lb/targetGroup:TargetGroup":
		id = "arn:aws:elasticloadbalancing:" + mockRegion + ":" + mockAccount + ":targetgroup/" + physical() + "/943f017f100becff"
		set("arn", id)
		set("arnSuffix", "targetgroup/"+physical()+"/943f017f100becff")
	case "aws:lb/listener:Listener":
		id = "arn:aws:elasticloadbalancing:" + mockRegion + ":" + mockAccount + ":listener/app/" + name
		set("arn", id)
	case "aws:ec2/vpc:Vpc":
		id = "vpc-0new000000000000"
	case "aws:ec2/subnet:Subnet":
		id = "subnet-" + name
	case "aws:s3/bucketV2:BucketV2":
		id = str("bucketPrefix") + "20261128000000000000000001"
		set("bucket", id)
		set("arn", "arn:aws:s3:::"+id)
	case "aws:servicediscovery/httpNamespace:HttpNamespace":
		id = "ns-abcdefghijklmnop"
		set("arn", "arn:aws:servicediscovery:"+mockRegion+":"+mockAccount+":namespace/"+id)
	case "aws:lb/listenerRule:ListenerRule":
		id = "arn:aws:elasticloadbalancing:" + mockRegion + ":" + mockAccount + ":listener-rule/app/" + name + "/0123456789abcdef"
		set("arn", id)
	case "aws:kms/key:Key":
		id = "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
		set("arn", "arn:aws:kms:"+mockRegion+":"+mockAccount+":key/"+id)
	case "aws:sns/topic:Topic":
		id = "arn:aws:sns:" + mockRegion + ":" + mockAccount + ":" + str("name")
		set("arn", id)
	case "aws:cloudwatch/metricAlarm:MetricAlarm":
		id = str("name")
		set("arn", "arn:aws:cloudwatch:"+mockRegion+":"+mockAccount+":alarm:"+id)
	}
	r := &res{Type: args.TypeToken, Name: name, Inputs: in, Outputs: out, ID: id}
	if rpc := args.RegisterRPC; rpc != nil {
		r.Parent, r.Protect, r.Ignore, r.DependsOn = rpc.GetParent(), rpc.GetProtect(), rpc.GetIgnoreChanges(), rpc.GetDependencies()
		r.URN = childURN(r.Parent, args.TypeToken, name)
	}
	m.mu.Lock()
	m.resources = append(m.resources, r)
	m.mu.Unlock()
	return id, out, nil
}

func (m *mocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	m.mu.Lock()
	m.calls = append(m.calls, args.Token)
	m.mu.Unlock()
	switch args.Token {
	case "aws:index/getCallerIdentity:getCallerIdentity":
		return resource.NewPropertyMapFromMap(map[string]any{
			"accountId": mockAccount, "arn": "arn:aws:iam::" + mockAccount + ":user/ci", "userId": "AIDA", "id": mockAccount,
		}), nil
	case "aws:index/getRegion:getRegion":
		return resource.NewPropertyMapFromMap(map[string]any{"name": mockRegion, "id": mockRegion}), nil
	case "aws:index/getPartition:getPartition":
		return resource.NewPropertyMapFromMap(map[string]any{"partition": "aws", "dnsSuffix": "amazonaws.com", "id": "aws"}), nil
	case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
		return resource.NewPropertyMapFromMap(map[string]any{
			"userName": "AWS", "password": "ecr-token-password", "authorizationToken": "QVdTOmVjci10b2tlbi1wYXNzd29yZA==",
			"proxyEndpoint": "https://" + mockAccount + ".dkr.ecr." + mockRegion + ".amazonaws.com", "expiresAt": "2026-11-28T06:00:00Z", "id": mockRegion,
		}), nil
	case "aws:ec2/getVpc:getVpc":
		return resource.NewPropertyMapFromMap(map[string]any{"id": "vpc-0default00000000", "cidrBlock": "172.31.0.0/16", "default": true}), nil
	case "aws:ec2/getSubnets:getSubnets":
		return resource.NewPropertyMapFromMap(map[string]any{"ids": []any{"subnet-0default0a", "subnet-0default0b", "subnet-0default0c"}, "id": mockRegion}), nil
	case "aws:index/getAvailabilityZones:getAvailabilityZones":
		return resource.NewPropertyMapFromMap(map[string]any{"names": []any{"us-east-1a", "us-east-1b", "us-east-1c"}, "zoneIds": []any{"use1-az1", "use1-az2", "use1-az4"}, "id": mockRegion}), nil
	}
	return nil, fmt.Errorf("unexpected call %s", args.Token)
}

// run is one mocked evaluation of the program.
type run struct {
	*mocks
	stack   *Stack
	outputs map[string]any
	err     error
}

// runProgram evaluates NewStack under mocks with the given config and
// resolves every stack output.
func runProgram(t testing.TB, stackName string, cfg map[string]string, secretKeys ...string) *run {
	t.Helper()
	r := &run{mocks: &mocks{}, outputs: map[string]any{}}
	var mu sync.Mutex
	// An output built from a plain value (pulumi.String(...)) belongs to
	// no resource, so RunErr does not wait for its apply: wait for every
	// one here, or a test could read the map before it is filled.
	var pending sync.WaitGroup
	r.err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		s, err := NewStack(ctx)
		if err != nil {
			return err
		}
		r.stack = s
		for name, v := range s.Outputs {
			pending.Add(1)
			pulumi.ToOutput(v).ApplyT(func(x any) any {
				defer pending.Done()
				mu.Lock()
				defer mu.Unlock()
				r.outputs[name] = x
				return x
			})
		}
		return nil
	}, pulumi.WithMocks("fargateship", stackName, r.mocks), withConfig(cfg, secretKeys))
	if r.err == nil {
		done := make(chan struct{})
		go func() { pending.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			r.err = fmt.Errorf("stack outputs did not resolve within 30 s")
		}
	}
	return r
}

// mustRun is runProgram that fails the test on error.
func mustRun(t testing.TB, stackName string, cfg map[string]string, secretKeys ...string) *run {
	t.Helper()
	r := runProgram(t, stackName, cfg, secretKeys...)
	if r.err != nil {
		t.Fatalf("program failed: %v", r.err)
	}
	return r
}

// all returns the resources of a type, sorted by name.
func (r *run) all(typ string) []*res {
	var out []*res
	for _, x := range r.resources {
		if x.Type == typ {
			out = append(out, x)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// one returns the only resource of a type.
func (r *run) one(t testing.TB, typ string) *res {
	t.Helper()
	all := r.all(typ)
	if len(all) != 1 {
		t.Fatalf("want exactly one %s, got %d", typ, len(all))
	}
	return all[0]
}

// named returns the resource of a type with a name.
func (r *run) named(t testing.TB, typ, name string) *res {
	t.Helper()
	for _, x := range r.all(typ) {
		if x.Name == name {
			return x
		}
	}
	t.Fatalf("no %s named %s", typ, name)
	return nil
}

// in returns an input as plain Go values (secrets unwrapped, and reported).
func (x *res) in(k string) any {
	v, ok := x.Inputs[resource.PropertyKey(k)]
	if !ok {
		return nil
	}
	return plain(v)
}

func (x *res) isSecret(k string) bool {
	v, ok := x.Inputs[resource.PropertyKey(k)]
	return ok && v.ContainsSecrets()
}

func plain(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return plain(v.SecretValue().Element)
	case v.IsNull():
		return nil
	case v.IsString():
		return v.StringValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsBool():
		return v.BoolValue()
	case v.IsArray():
		var out []any
		for _, e := range v.ArrayValue() {
			out = append(out, plain(e))
		}
		return out
	case v.IsObject():
		out := map[string]any{}
		for k, e := range v.ObjectValue() {
			out[string(k)] = plain(e)
		}
		return out
	case v.IsOutput():
		return plain(v.OutputValue().Element)
	}
	return v.V
}

// js renders a value as compact JSON for readable comparisons.
func js(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
