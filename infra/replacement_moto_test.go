package infra

import (
	"encoding/json"
	"os"
	"os/exec"
	"sort"
	"testing"
)

// replIdentityScript asks moto (5.2.1, in process) what AWS does when a
// second resource is created with the identity of one that still exists:
// what a create-before-delete replacement does. For each type it prints the
// first and second create's ids, or the second's error code.
const replIdentityScript = `
import json, boto3
from botocore.exceptions import ClientError
from moto import mock_aws

out = {}
def twice(typ, first, second):
    a = first()
    try:
        b = second()
        out[typ] = {"first": a, "second": b}
    except ClientError as e:
        out[typ] = {"first": a, "error": e.response["Error"]["Code"]}

with mock_aws():
    r = "us-east-1"
    ecr = boto3.client("ecr", region_name=r)
    repo = lambda: ecr.create_repository(repositoryName="fargateship-dev")["repository"]["repositoryArn"]
    twice("aws:ecr/repository:Repository", repo, repo)
    logs = boto3.client("logs", region_name=r)
    def group():
        logs.create_log_group(logGroupName="/ecs/fargateship-dev")
        return "/ecs/fargateship-dev"
    twice("aws:cloudwatch/logGroup:LogGroup", group, group)
    sm = boto3.client("secretsmanager", region_name=r)
    secret = lambda: sm.create_secret(Name="fargateship-dev/API_KEY", SecretString="v")["ARN"]
    twice("aws:secretsmanager/secret:Secret", secret, secret)
    ecs = boto3.client("ecs", region_name=r)
    cluster = lambda: ecs.create_cluster(clusterName="fargateship-dev")["cluster"]["clusterArn"]
    twice("aws:ecs/cluster:Cluster", cluster, cluster)
    td = ecs.register_task_definition(family="fargateship-dev", containerDefinitions=[{"name": "app", "image": "x", "memory": 512}])["taskDefinition"]["taskDefinitionArn"]
    service = lambda: ecs.create_service(cluster="fargateship-dev", serviceName="fargateship-dev", taskDefinition=td, desiredCount=1)["service"]["serviceArn"]
    twice("aws:ecs/service:Service", service, service)
    ec2 = boto3.client("ec2", region_name=r)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnet = lambda: ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/20", AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    twice("aws:ec2/subnet:Subnet", subnet, subnet)
    sn = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.16.0/20", AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = lambda: ec2.create_nat_gateway(SubnetId=sn, AllocationId=eip)["NatGateway"]["NatGatewayId"]
    twice("aws:ec2/natGateway:NatGateway", nat, nat)
    dest = "arn:aws:logs:us-east-1:123456789012:log-group:/vpc/fargateship-dev/flow-logs"
    def flow(role):
        return lambda: ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL",
            LogDestinationType="cloud-watch-logs", LogDestination=dest,
            DeliverLogsPermissionArn="arn:aws:iam::123456789012:role/" + role)["FlowLogIds"][0]
    twice("aws:ec2/flowLog:FlowLog", flow("a"), flow("b"))
    sns = boto3.client("sns", region_name=r)
    topic = lambda: sns.create_topic(Name="fargateship-dev-alarms")["TopicArn"]
    twice("aws:sns/topic:Topic", topic, topic)
    sched = boto3.client("scheduler", region_name=r)
    sgroup = lambda: sched.create_schedule_group(Name="fargateship-dev")["ScheduleGroupArn"]
    twice("aws:scheduler/scheduleGroup:ScheduleGroup", sgroup, sgroup)
print(json.dumps(out))
`

// TestReplacementIdentitiesAgainstMoto checks the fixed identities of the
// force-new table against moto: for every type it covers, creating a second
// resource with the identity of one that still exists either fails or
// returns that same resource (whose later delete, as the old one, then
// removes the replacement). Either way a create-before-delete replacement
// cannot work, which is what the matrix's REFUSED means.
func TestReplacementIdentitiesAgainstMoto(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err == nil {
		err = exec.Command(python, "-c", "import moto, boto3").Run()
	}
	if err != nil {
		msg := "python3 with moto 5.2.1 and boto3 is needed: pip install 'moto[server]==5.2.1' (" + err.Error() + ")"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	cmd := exec.Command(python, "-c", replIdentityScript)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=testing", "AWS_SECRET_ACCESS_KEY=testing",
		"AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
	cmd.Stderr = os.Stderr
	raw, err := cmd.Output()
	if err != nil {
		t.Fatalf("moto script: %v", err)
	}
	var got map[string]struct{ First, Second, Error string }
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("moto script output %q: %v", raw, err)
	}
	types := make([]string, 0, len(got))
	for typ := range got {
		types = append(types, typ)
	}
	sort.Strings(types)
	if len(types) < 10 {
		t.Fatalf("moto checked only %v", types)
	}
	for _, typ := range types {
		r := got[typ]
		rule, ok := forceNewRules[typ]
		switch {
		case !ok:
			t.Errorf("%s: no rule in forceNewRules", typ)
		case rule.Identity == nil:
			t.Errorf("%s: moto refuses a second one with the same identity (%+v), but forceNewRules gives it no fixed identity", typ, r)
		case r.Error == "" && r.Second != r.First:
			t.Errorf("%s: moto created a second, distinct resource with the same identity (%s, then %s): the rule's fixed identity (%s) is wrong",
				typ, r.First, r.Second, rule.IdentityNote)
		}
		t.Logf("%s: second create -> %s%s", typ, r.Error, map[bool]string{true: "the same resource " + r.Second, false: ""}[r.Error == ""])
	}
}
