// Package tfplan writes the resources of a Pulumi program, evaluated under
// mocks, as a Terraform plan in Terraform's JSON format (`terraform show
// -json`), so that scanners that read Terraform plans (Aqua Trivy, Checkov)
// can judge a Pulumi program.
//
// Every pulumi-aws resource is a bridged Terraform resource, so the
// mapping is generic (names.go): the type token gives the Terraform type
// (aws:s3/bucketV2:BucketV2 → aws_s3_bucket), camelCase inputs become
// snake_case attributes, objects become nested blocks (lists of one object,
// as Terraform writes them) except map-typed inputs (tags), and the
// bridge's pluralised block names are made singular again
// (capacityProviderStrategies → capacity_provider_strategy), with a short
// table of exceptions. A type the rules do not know is still written, under
// the generic name.
//
// Links between resources become references, as Terraform writes them for a
// resource created in the same plan: an input whose value is the ID or ARN
// of another resource of the plan (a bucket's ID in its public access
// block, a VPC's ID in its flow log, a load balancer's ARN in its listener,
// a security group's ID in another group's rule) is left out of the planned
// values (unknown until apply) and written in the configuration as a
// reference to that resource. Scanners resolve such a reference to the
// resource, so they judge a bucket together with its public access block.
// Trivy follows a reference only for an attribute that is absent from the
// planned values; that is why the linked values are left out.
//
// What is approximate is reported per plan (Plan.Notes): Pulumi-only
// resources and inputs, values rewritten for a scanner, types named by the
// generic rule alone.
package tfplan

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

// Resource is one resource registered by the program, as the engine saw it.
type Resource struct {
	// Type is the Pulumi type token, e.g. aws:s3/bucketV2:BucketV2.
	Type string
	// Name is the resource's logical name.
	Name string
	// Custom is false for component resources (Pulumi-only groupings).
	Custom bool
	// ID is the physical ID the engine returned.
	ID string
	// Inputs are the inputs the program passed.
	Inputs resource.PropertyMap
	// Outputs are the properties the engine returned.
	Outputs resource.PropertyMap
}

// Plan is a Terraform plan in the JSON format of `terraform show -json`
// (format version 1.2), with only what scanners read.
type Plan struct {
	FormatVersion    string           `json:"format_version"`
	TerraformVersion string           `json:"terraform_version"`
	PlannedValues    PlannedValues    `json:"planned_values"`
	ResourceChanges  []ResourceChange `json:"resource_changes"`
	Configuration    Configuration    `json:"configuration"`

	// Notes lists what is approximate in this plan (not part of the JSON).
	Notes []Note `json:"-"`
	// Components counts the component resources, which have no Terraform
	// counterpart and are not written.
	Components int `json:"-"`
}

// PlannedValues is the plan's planned_values.
type PlannedValues struct {
	RootModule Module `json:"root_module"`
}

// Module is planned_values.root_module.
type Module struct {
	Resources []PlannedResource `json:"resources"`
}

// PlannedResource is one resource of planned_values.
type PlannedResource struct {
	Address         string         `json:"address"`
	Mode            string         `json:"mode"`
	Type            string         `json:"type"`
	Name            string         `json:"name"`
	ProviderName    string         `json:"provider_name"`
	SchemaVersion   int            `json:"schema_version"`
	Values          map[string]any `json:"values"`
	SensitiveValues map[string]any `json:"sensitive_values"`
}

// ResourceChange is one entry of resource_changes: a create.
type ResourceChange struct {
	Address      string `json:"address"`
	Mode         string `json:"mode"`
	Type         string `json:"type"`
	Name         string `json:"name"`
	ProviderName string `json:"provider_name"`
	Change       Change `json:"change"`
}

// Change is a resource change; every change of an exported plan creates.
type Change struct {
	Actions         []string       `json:"actions"`
	Before          any            `json:"before"`
	After           map[string]any `json:"after"`
	AfterUnknown    map[string]any `json:"after_unknown"`
	BeforeSensitive bool           `json:"before_sensitive"`
	AfterSensitive  map[string]any `json:"after_sensitive"`
}

// Configuration is the plan's configuration: the expressions of each
// resource, where the references between resources are.
type Configuration struct {
	ProviderConfig map[string]ProviderConfig `json:"provider_config"`
	RootModule     ConfigModule              `json:"root_module"`
}

// ProviderConfig is one provider of the configuration.
type ProviderConfig struct {
	Name     string `json:"name"`
	FullName string `json:"full_name"`
}

// ConfigModule is configuration.root_module.
type ConfigModule struct {
	Resources []ConfigResource `json:"resources"`
}

// ConfigResource is one resource's configuration.
type ConfigResource struct {
	Address           string         `json:"address"`
	Mode              string         `json:"mode"`
	Type              string         `json:"type"`
	Name              string         `json:"name"`
	ProviderConfigKey string         `json:"provider_config_key"`
	Expressions       map[string]any `json:"expressions"`
	SchemaVersion     int            `json:"schema_version"`
}

// Note is one approximation of the mapping.
type Note struct {
	// Address is the Terraform address concerned (or the Pulumi type and
	// name of what was not written).
	Address string
	// Kind is one of the Note* constants.
	Kind string
	// Detail says what was done.
	Detail string
}

// Kinds of Note.
const (
	// NoteGenericType: the Terraform type comes from the generic rule
	// alone; the type is not in the verified list (KnownTypes).
	NoteGenericType = "generic type"
	// NotePulumiOnly: a resource or input with no Terraform counterpart,
	// written under the generic name so that nothing is dropped silently.
	NotePulumiOnly = "Pulumi-only"
	// NoteRewritten: a value rewritten so that the scanner can read it.
	NoteRewritten = "rewritten for the scanner"
	// NoteNotWritten: something left out, with why.
	NoteNotWritten = "not written"
)

// TerraformVersion is the Terraform version the plans claim: the format
// of Terraform 1.x plans, which scanners detect by these two keys.
const (
	TerraformVersion = "1.9.8"
	FormatVersion    = "1.2"
)

// Export writes resources as a plan that creates them all.
func Export(resources []Resource) (*Plan, error) {
	p := &Plan{
		FormatVersion:    FormatVersion,
		TerraformVersion: TerraformVersion,
		Configuration:    Configuration{ProviderConfig: map[string]ProviderConfig{}},
	}
	p.PlannedValues.RootModule.Resources = []PlannedResource{}
	p.ResourceChanges = []ResourceChange{}
	p.Configuration.RootModule.Resources = []ConfigResource{}

	var exported []*exportedResource
	used := map[string]bool{}
	for i := range resources {
		r := &resources[i]
		switch {
		case !r.Custom:
			p.Components++
			continue
		case strings.HasPrefix(r.Type, "pulumi:providers:"):
			p.Notes = append(p.Notes, Note{Address: r.Type + " " + r.Name, Kind: NoteNotWritten,
				Detail: "an explicit provider instance: Terraform plans carry provider settings in provider_config only"})
			continue
		}
		tfType, generic := TerraformType(r.Type)
		name := sanitizeName(r.Name)
		for n := 2; used[tfType+"."+name]; n++ {
			name = fmt.Sprintf("%s_%d", sanitizeName(r.Name), n)
		}
		used[tfType+"."+name] = true
		e := &exportedResource{src: r, tfType: tfType, name: name, address: tfType + "." + name}
		exported = append(exported, e)
		if reason, ok := pulumiOnlyTypes[r.Type]; ok {
			p.Notes = append(p.Notes, Note{Address: e.address, Kind: NotePulumiOnly, Detail: reason})
		} else if generic && !KnownTypes[r.Type] {
			p.Notes = append(p.Notes, Note{Address: e.address, Kind: NoteGenericType,
				Detail: fmt.Sprintf("%s written as %s by the generic rule; not in the verified list (internal/tfplan KnownTypes)", r.Type, tfType)})
		}
	}

	links := newLinkIndex(exported)
	for _, e := range exported {
		c := converter{plan: p, links: links, self: e}
		after, unknown, sensitive, exprs := c.object(e.src.Inputs, "")
		if e.tfType == "aws_ecs_task_definition" {
			if err := c.containerDefinitions(after, exprs); err != nil {
				return nil, fmt.Errorf("%s: %w", e.address, err)
			}
		}
		provider := providerOf(e.src.Type)
		p.Configuration.ProviderConfig[provider.Name] = provider
		p.PlannedValues.RootModule.Resources = append(p.PlannedValues.RootModule.Resources, PlannedResource{
			Address: e.address, Mode: "managed", Type: e.tfType, Name: e.name, ProviderName: provider.FullName,
			Values: after, SensitiveValues: sensitive,
		})
		p.ResourceChanges = append(p.ResourceChanges, ResourceChange{
			Address: e.address, Mode: "managed", Type: e.tfType, Name: e.name, ProviderName: provider.FullName,
			Change: Change{Actions: []string{"create"}, After: after, AfterUnknown: unknown, AfterSensitive: sensitive},
		})
		p.Configuration.RootModule.Resources = append(p.Configuration.RootModule.Resources, ConfigResource{
			Address: e.address, Mode: "managed", Type: e.tfType, Name: e.name, ProviderConfigKey: provider.Name, Expressions: exprs,
		})
	}
	sort.SliceStable(p.Notes, func(i, j int) bool { return p.Notes[i].Address < p.Notes[j].Address })
	return p, nil
}

// JSON is the plan as Terraform writes it, indented.
func (p *Plan) JSON() ([]byte, error) {
	return json.MarshalIndent(p, "", " ")
}

// Addresses are the Terraform addresses of the plan's resources, in
// registration order.
func (p *Plan) Addresses() []string {
	out := make([]string, 0, len(p.ResourceChanges))
	for _, rc := range p.ResourceChanges {
		out = append(out, rc.Address)
	}
	return out
}

func providerOf(token string) ProviderConfig {
	pkg, _, _ := splitToken(token)
	if pkg == "aws" {
		return ProviderConfig{Name: "aws", FullName: "registry.terraform.io/hashicorp/aws"}
	}
	return ProviderConfig{Name: pkg, FullName: "registry.terraform.io/pulumi/" + pkg}
}

// PulumiOnlyTypes are the types written although no Terraform resource has
// their inputs, with why (a copy, for the docs).
func PulumiOnlyTypes() map[string]string { return copyMap(pulumiOnlyTypes) }

// pulumiOnlyTypes have no Terraform resource with the same inputs.
var pulumiOnlyTypes = map[string]string{
	"docker:index/image:Image": "pulumi-docker's Image is a native Pulumi resource (no Terraform counterpart): written as docker_image with its inputs; no scanner check reads it (the Dockerfile is scanned instead)",
}

// KnownTypes are the type tokens whose Terraform type (TerraformType) was
// checked by hand: every type the program registers today, and those its
// next services add. The acm, appautoscaling, ec2, ecr, ecs and vpc ones
// against pulumi-aws's own table (bridge-metadata.json, renames.resources);
// the others against the Terraform AWS provider's resource names. A type
// not listed is still written, and the scan prints a note naming it.
var KnownTypes = map[string]bool{}

func init() {
	for _, t := range []string{
		"aws:acm/certificate:Certificate", "aws:acm/certificateValidation:CertificateValidation",
		"aws:appautoscaling/policy:Policy", "aws:appautoscaling/scheduledAction:ScheduledAction", "aws:appautoscaling/target:Target",
		"aws:cloudwatch/dashboard:Dashboard", "aws:cloudwatch/logGroup:LogGroup", "aws:cloudwatch/metricAlarm:MetricAlarm",
		"aws:ec2/eip:Eip", "aws:ec2/flowLog:FlowLog", "aws:ec2/internetGateway:InternetGateway", "aws:ec2/natGateway:NatGateway",
		"aws:ec2/routeTable:RouteTable", "aws:ec2/routeTableAssociation:RouteTableAssociation", "aws:ec2/securityGroup:SecurityGroup",
		"aws:ec2/securityGroupRule:SecurityGroupRule", "aws:ec2/subnet:Subnet", "aws:ec2/vpc:Vpc", "aws:ec2/vpcEndpoint:VpcEndpoint",
		"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
		"aws:ecr/lifecyclePolicy:LifecyclePolicy", "aws:ecr/repository:Repository",
		"aws:ecs/cluster:Cluster", "aws:ecs/clusterCapacityProviders:ClusterCapacityProviders", "aws:ecs/service:Service", "aws:ecs/taskDefinition:TaskDefinition",
		"aws:iam/role:Role", "aws:iam/rolePolicy:RolePolicy", "aws:kms/key:Key",
		"aws:lb/listener:Listener", "aws:lb/listenerRule:ListenerRule", "aws:lb/loadBalancer:LoadBalancer", "aws:lb/targetGroup:TargetGroup",
		"aws:route53/record:Record",
		"aws:s3/bucketV2:BucketV2", "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2", "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
		"aws:s3/bucketPolicy:BucketPolicy", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
		"aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
		"aws:s3/bucketVersioningV2:BucketVersioningV2", "aws:s3/bucketLoggingV2:BucketLoggingV2",
		"aws:scheduler/schedule:Schedule", "aws:scheduler/scheduleGroup:ScheduleGroup",
		"aws:secretsmanager/secret:Secret", "aws:secretsmanager/secretVersion:SecretVersion",
		"aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace", "aws:servicediscovery/httpNamespace:HttpNamespace",
		"aws:servicediscovery/service:Service",
		"aws:sns/topic:Topic", "aws:sns/topicPolicy:TopicPolicy", "aws:sns/topicSubscription:TopicSubscription",
	} {
		KnownTypes[t] = true
	}
}
