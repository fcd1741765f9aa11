package tfplan

import (
	"sort"
	"strings"
	"unicode"
)

// The mapping from Pulumi names to Terraform names is generic: pulumi-aws is
// a bridged provider (pulumi-terraform-bridge), whose names are derived
// from the Terraform provider's by fixed rules, and those rules are
// reversed here. The tables below are the exceptions, each with its source.

// typeExceptions are the type tokens whose Terraform type the generic rule
// does not give (pulumi-aws provider/resources.go names them by hand).
var typeExceptions = map[string]string{
	"aws:lb/loadBalancer:LoadBalancer":    "aws_lb",
	"aws:alb/loadBalancer:LoadBalancer":   "aws_alb",
	"aws:elb/loadBalancer:LoadBalancer":   "aws_elb",
	"aws:ec2/dedicatedHost:DedicatedHost": "aws_ec2_host",
	"aws:cfg/rule:Rule":                   "aws_config_config_rule",
	"aws:cfg/recorder:Recorder":           "aws_config_configuration_recorder",
	"aws:apigateway/response:Response":    "aws_api_gateway_gateway_response",
	"aws:s3/bucket:Bucket":                "aws_s3_bucket", // the legacy S3 bucket
	"aws:cloudwatch/eventRule:EventRule":  "aws_cloudwatch_event_rule",
}

// modulePrefixes maps a pulumi-aws module to the prefix of its Terraform
// types where they differ. ec2's types mostly have no prefix in Terraform
// (aws_vpc, aws_subnet, aws_security_group, aws_flow_log, aws_eip, ...);
// the few that keep "ec2_" are in ec2KeepsPrefix.
var modulePrefixes = map[string]string{
	"ec2":              "",
	"servicediscovery": "service_discovery",
	"cfg":              "config",
	"apigateway":       "api_gateway",
}

// ec2KeepsPrefix are ec2 types named aws_ec2_... in Terraform (by the
// first word of their Pulumi name).
var ec2KeepsPrefix = []string{
	"availabilityZoneGroup", "capacityReservation", "carrierGateway", "fleet", "localGateway", "managedPrefixList",
	"networkInsights", "serialConsoleAccess", "subnetCidrReservation", "tag", "trafficMirror", "transitGateway",
}

// Snake is the Terraform name a Pulumi name was made from (see snake).
func Snake(s string) string { return snake(s) }

// BlockName is the Terraform name of a Pulumi property whose value is a
// list of objects (see blockName).
func BlockName(tfType, pulumiName string) string { return blockName(tfType, pulumiName) }

// AttributeException is the Terraform name of a property named in the table
// of exceptions, if it is there.
func AttributeException(tfType, pulumiName string) (string, bool) {
	return exception(tfType, pulumiName)
}

// IsMapProperty tells whether an object-valued property is written as a
// Terraform map rather than a block (see isMap).
func IsMapProperty(tfType, pulumiName string, keys []string) bool {
	return isMap(tfType, pulumiName, keys)
}

// TerraformType returns the Terraform resource type of a Pulumi type token
// and whether it came from the generic rule alone (true) or from the table
// of exceptions (false). Tokens of other providers than aws follow the
// same rule (docker:index/image:Image → docker_image).
func TerraformType(token string) (tfType string, generic bool) {
	if t, ok := typeExceptions[token]; ok {
		return t, false
	}
	pkg, mod, name := splitToken(token)
	words := snake(name)
	prefix, ok := modulePrefixes[mod]
	if !ok {
		prefix = snake(mod)
	}
	if mod == "index" || mod == "" {
		prefix = ""
	}
	if mod == "ec2" {
		member := memberOf(token)
		for _, p := range ec2KeepsPrefix {
			if strings.HasPrefix(member, p) {
				prefix = "ec2"
			}
		}
	}
	if mod == "s3" {
		// pulumi-aws v6 names the S3 resources it re-mapped with a V2
		// suffix (BucketV2, BucketVersioningV2, ...); Terraform has none.
		words = strings.TrimSuffix(words, "_v2")
	}
	parts := []string{pkg}
	if prefix != "" && !strings.HasPrefix(words, prefix+"_") && words != prefix {
		parts = append(parts, prefix)
	}
	parts = append(parts, words)
	return strings.Join(parts, "_"), true
}

// splitToken splits "aws:ecs/taskDefinition:TaskDefinition" into "aws",
// "ecs", "TaskDefinition"; "docker:index/image:Image" into "docker",
// "index", "Image".
func splitToken(token string) (pkg, mod, name string) {
	parts := strings.Split(token, ":")
	if len(parts) != 3 {
		return "unknown", "", sanitizeName(token)
	}
	pkg, mod, name = parts[0], parts[1], parts[2]
	if i := strings.Index(mod, "/"); i >= 0 {
		mod = mod[:i]
	}
	return pkg, mod, name
}

// memberOf is "taskDefinition" of "aws:ecs/taskDefinition:TaskDefinition".
func memberOf(token string) string {
	parts := strings.Split(token, ":")
	if len(parts) != 3 {
		return ""
	}
	_, member, _ := strings.Cut(parts[1], "/")
	return member
}

// snake turns a Pulumi name (camelCase or PascalCase) into the Terraform
// name it was made from: healthCheckGracePeriodSeconds →
// health_check_grace_period_seconds, ipv6CidrBlocks → ipv6_cidr_blocks.
// The bridge makes Pulumi names by dropping each underscore and upper-casing
// the next letter, so an underscore goes back before each upper-case letter.
func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(r))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// attributeExceptions are Pulumi property names whose Terraform name the
// generic rules do not give: Terraform block names that are already plural
// (the bridge then keeps them), and irregular plurals. Keyed by the
// Terraform type, "*" for every type.
var attributeExceptions = map[string]map[string]string{
	"*": {
		// aws_ecs_service, aws_ecs_task_definition and the scheduler's
		// ecs_parameters name this block in the plural.
		"placementConstraints": "placement_constraints",
		// aws_appautoscaling_policy customized_metric_specification.
		"metrics": "metrics",
	},
	"aws_route53_record": {"aliases": "alias"},
	// customized_metric_specification's blocks (and metric_stat.metric's).
	"aws_appautoscaling_policy": {"dimensions": "dimensions"},
	// dns_config's records.
	"aws_service_discovery_service": {"dnsRecords": "dns_records"},
}

// blockName is the Terraform name of a Pulumi property whose value is a
// list of objects (a repeated block): the bridge pluralises singular block
// names (load_balancer → loadBalancers, capacity_provider_strategy →
// capacityProviderStrategies, rule → rules), so the singular is restored.
func blockName(tfType, pulumiName string) string {
	if n, ok := exception(tfType, pulumiName); ok {
		return n
	}
	return singular(snake(pulumiName))
}

// attributeName is the Terraform name of any other Pulumi property.
func attributeName(tfType, pulumiName string) string {
	if n, ok := exception(tfType, pulumiName); ok {
		return n
	}
	return snake(pulumiName)
}

func exception(tfType, pulumiName string) (string, bool) {
	if n, ok := attributeExceptions[tfType][pulumiName]; ok {
		return n, true
	}
	n, ok := attributeExceptions["*"][pulumiName]
	return n, ok
}

// singular undoes the bridge's pluralisation of a snake_case name: the
// last word loses its plural "s" (ies → y, sses → ss); words that end in
// "s" in the singular (ingress, egress, alias, status) are kept.
func singular(s string) string {
	switch {
	case strings.HasSuffix(s, "ies"):
		return strings.TrimSuffix(s, "ies") + "y"
	case strings.HasSuffix(s, "sses"):
		return strings.TrimSuffix(s, "es")
	case strings.HasSuffix(s, "ss"), strings.HasSuffix(s, "us"), strings.HasSuffix(s, "is"), strings.HasSuffix(s, "alias"):
		return s
	case strings.HasSuffix(s, "s"):
		return strings.TrimSuffix(s, "s")
	}
	return s
}

// mapAttributes are the properties whose object value is a Terraform map
// (arbitrary keys) rather than a nested block, by Terraform type ("*": every
// type). TestMappingMatchesTheSDK checks them against the pulumi-aws SDK's
// Go types for every resource type the program registers.
var mapAttributes = map[string]map[string]bool{
	"*":                           {"tags": true, "tagsAll": true},
	"aws_cloudwatch_metric_alarm": {"dimensions": true},
	"aws_ecs_service":             {"options": true, "triggers": true},
	"aws_ecs_task_definition":     {"properties": true, "driverOpts": true, "labels": true},
	"aws_lb_listener":             {"authenticationRequestExtraParams": true},
	"aws_lb_listener_rule":        {"authenticationRequestExtraParams": true},
	"docker_image":                {"args": true},
}

// isMap tells whether an object-valued property is a map: a known map
// property, or an object with a key that is not a lowerCamel identifier
// (blocks' keys always are).
func isMap(tfType, pulumiName string, keys []string) bool {
	if mapAttributes["*"][pulumiName] || mapAttributes[tfType][pulumiName] {
		return true
	}
	for _, k := range keys {
		if !isIdentifier(k) {
			return true
		}
	}
	return false
}

func isIdentifier(k string) bool {
	if k == "" {
		return false
	}
	for i, r := range k {
		switch {
		case i == 0 && (r < 'a' || r > 'z'):
			return false
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			return false
		}
	}
	return true
}

// sanitizeName makes a Pulumi logical name a valid Terraform resource name:
// letters, digits, '-' and '_', starting with a letter or '_'.
func sanitizeName(s string) string {
	var b strings.Builder
	for i, r := range s {
		ok := r == '_' || r == '-' || (r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)))
		if !ok {
			r = '_'
		}
		if i == 0 && r != '_' && !unicode.IsLetter(r) {
			b.WriteByte('_')
		}
		b.WriteRune(r)
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}

// TypeExceptions, ModulePrefixes, EC2KeepsPrefix, AttributeExceptions and
// MapAttributes return copies of the mapping's tables (for the docs).
func TypeExceptions() map[string]string { return copyMap(typeExceptions) }

// ModulePrefixes: see TypeExceptions.
func ModulePrefixes() map[string]string { return copyMap(modulePrefixes) }

// EC2KeepsPrefix: see TypeExceptions.
func EC2KeepsPrefix() []string { return append([]string(nil), ec2KeepsPrefix...) }

// AttributeExceptions: see TypeExceptions.
func AttributeExceptions() map[string]map[string]string {
	out := map[string]map[string]string{}
	for t, m := range attributeExceptions {
		out[t] = copyMap(m)
	}
	return out
}

// MapAttributes: see TypeExceptions (property names by Terraform type,
// sorted).
func MapAttributes() map[string][]string {
	out := map[string][]string{}
	for t, m := range mapAttributes {
		for k := range m {
			out[t] = append(out[t], k)
		}
		sort.Strings(out[t])
	}
	return out
}

func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
