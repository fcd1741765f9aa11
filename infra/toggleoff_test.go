package infra

// The toggle-off layer. The program sends some inputs only when a key is
// on (a load balancer's access logs, the service's deployment alarms, a
// role's boundary, ...). Turning the key off then REMOVES the input, and
// a bridged Terraform provider does not always act on a removal: an
// Optional+Computed attribute keeps its old value when it leaves the
// configuration, and a block with DiffSuppressFunc
// verify.SuppressMissingOptionalConfigurationBlock shows no diff at all.
// Either way the `up` reports success and AWS keeps the old setting.
//
// For every case of the replacement matrix (every key, on the baselines
// where it matters) this test finds each input that is present before and
// absent after, on a resource that exists in both runs, and looks it up in
// removalRules, written from the provider schema: a removal the provider
// ignores fails the test (send an explicit "off" value instead), and a
// removal not in the table fails too, so a new optional input is
// classified from the provider source before it ships.

import (
	"fmt"
	"sort"
	"strings"
	"testing"
)

// removalRule is what the provider does when the program stops sending an
// input.
type removalRule struct {
	// Acts: the removal shows as a diff and Update sends the change (or
	// the value no longer matters: Source says why).
	Acts bool
	// Source cites the schema and the Update code read.
	Source string
}

const (
	srcSuppressMissing = "DiffSuppressFunc verify.SuppressMissingOptionalConfigurationBlock: a block that leaves the configuration shows no diff"
	srcTFService       = tfAWS + "ecs/service.go (read @8a0b630a, the v5 line: resourceServiceUpdate)"
	srcTFLB            = tfAWS + "elbv2/load_balancer.go (read @00edc94b)"
)

// removalRules by type and input path ("a" top-level, "a.b" nested in an
// object). The Acts: false entries are the schema's traps, kept whether
// or not a case trips them today: the program must never stop sending
// those inputs. Every Acts: true entry must be seen by some case.
var removalRules = map[string]map[string]removalRule{
	"aws:ecs/service:Service": {
		"alarms": {false, srcTFService + ": \"alarms\" " + srcSuppressMissing + "; Update sends DeploymentConfiguration.Alarms only when the block is set (GetOk), so ECS keeps the old alarms and rollback. " +
			"The program always sends the block, enable/rollback false when off (service.go deploymentAlarms)"},
		"deploymentCircuitBreaker": {false, srcTFService + ": \"deployment_circuit_breaker\" " + srcSuppressMissing},
		"platformVersion":          {false, srcTFService + ": platform_version is Optional+Computed: a removed value keeps the old one"},
		"loadBalancers": {true, srcTFService + ": load_balancer is Optional (not Computed); Update sends expandLoadBalancers of the empty set, " +
			"an empty list, which UpdateService takes as \"remove the load balancers\""},
		"healthCheckGracePeriodSeconds": {true, srcTFService + ": health_check_grace_period_seconds is Optional (not Computed); Update sends the new value, 0"},
		"triggers": {true, srcTFService + ": triggers only start a deployment when they change; a removed map asks nothing of ECS " +
			"(triggersCustomizeDiff clears the diff when the new map is empty)"},
		"serviceConnectConfiguration": {true, srcTFService + ": service_connect_configuration is Optional, MaxItems 1, with no DiffSuppressFunc; " +
			"Update sends expandServiceConnectConfiguration of the empty list, which is {enabled: false}"},
	},
	"aws:lb/loadBalancer:LoadBalancer": {
		"accessLogs": {false, srcTFLB + ": \"access_logs\" " + srcSuppressMissing + ", so the load balancer would keep logging to a bucket the same `up` deletes. " +
			"The program always sends the block, enabled false when off (loadbalancer.go)"},
		"accessLogs.prefix": {true, srcTFLB + ": access_logs.prefix's DiffSuppressFunc is !access_logs.0.enabled, and expandLoadBalancerAccessLogsAttributes " +
			"sends only access_logs.s3.enabled when it is false: with enabled false the prefix (and the bucket, sent as \"\") is neither compared nor sent"},
		"securityGroups": {false, srcTFLB + ": security_groups is Optional+Computed"},
		"subnets":        {false, srcTFLB + ": subnets is Optional+Computed"},
	},
	"aws:ec2/securityGroup:SecurityGroup": {
		"ingress": {false, tfAWS + "ec2/vpc_security_group.go: ingress and egress are Optional+Computed with ConfigMode attribute: an absent list keeps the rules; " +
			"only an explicit [] removes them (the program always sends the list, [] for a worker)"},
		"egress": {false, tfAWS + "ec2/vpc_security_group.go: egress, as ingress"},
	},
	"aws:ecs/cluster:Cluster": {
		"configuration.executeCommandConfiguration.logConfiguration": {true, tfAWS + "ecs/cluster.go (read @00a35305): configuration is Optional (not Computed); Update sends " +
			"expandClusterConfiguration of the whole block, and with logging DEFAULT ECS uses no log configuration (API ECS ExecuteCommandConfiguration)"},
	},
	"aws:cloudwatch/logGroup:LogGroup": {
		"kmsKeyId": {true, tfAWS + "logs/group.go (read @0073593e): kms_key_id is Optional; on a change to empty Update calls DisassociateKmsKey"},
	},
	"aws:iam/role:Role": {
		"permissionsBoundary": {true, tfAWS + "iam/role.go: permissions_boundary is Optional; on a change to empty Update calls DeleteRolePermissionsBoundary " +
			"(which the CI roles are denied: a CI-deployed stack keeps its boundary, by design)"},
	},
	"aws:cloudwatch/metricAlarm:MetricAlarm": {
		"alarmActions": {true, tfAWS + "cloudwatch/metric_alarm.go: alarm_actions is an Optional set; Update re-sends the whole alarm through PutMetricAlarm, without actions"},
		"okActions":    {true, tfAWS + "cloudwatch/metric_alarm.go: ok_actions, as alarm_actions"},
	},
}

// replRemovals lists the input paths present in old and absent in new.
// A value the program still sends, even empty ([] or ""), is an explicit
// off, not a removal.
func replRemovals(old, new map[string]any, prefix string) []string {
	var out []string
	for k, ov := range old {
		if replEmpty(ov) {
			continue
		}
		path := prefix + k
		nv, ok := new[k]
		if !ok || nv == nil {
			out = append(out, path)
			continue
		}
		om, isObj := ov.(map[string]any)
		nm, isObj2 := nv.(map[string]any)
		if isObj && isObj2 {
			out = append(out, replRemovals(om, nm, path+".")...)
		}
	}
	sort.Strings(out)
	return out
}

func replEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

func TestToggleOffIsActedOn(t *testing.T) {
	bases := replacementBaselines(t)
	seen := map[string]string{}
	for _, c := range replacementCases {
		b := bases[c.Base]
		cfg := map[string]string{}
		for k, v := range b.Cfg {
			cfg[k] = v
		}
		for i := 0; i < len(c.Set); i += 2 {
			cfg["fargateship:"+c.Set[i]] = c.Set[i+1]
		}
		what := fmt.Sprintf("%s on %s", c.Key, c.Base)
		old := replTakeSnapshot(t, what+" (before)", b, b.Cfg, nil)
		new := replTakeSnapshot(t, what+" (after)", b, cfg, nil)
		for key, o := range old.res {
			n, ok := new.res[key]
			if !ok {
				continue
			}
			for _, path := range replRemovals(replInputs(o), replInputs(n), "") {
				if replContains(n.Ignore, strings.Split(path, ".")[0]) {
					continue
				}
				seen[o.Type+" "+path] = what
				rule, ok := removalRules[o.Type][path]
				switch {
				case !ok:
					t.Errorf("%s: %s %s stops sending %q; classify that removal in removalRules from the provider schema "+
						"(Optional+Computed or a suppressed missing block keep the old value)", what, replShortType(o.Type), o.Name, path)
				case !rule.Acts:
					t.Errorf("%s: %s %s stops sending %q, and the provider ignores the removal (%s): AWS keeps the old setting. "+
						"Send an explicit off value instead.", what, replShortType(o.Type), o.Name, path, rule.Source)
				}
			}
		}
	}
	for typ, paths := range removalRules {
		for p, rule := range paths {
			if _, ok := seen[typ+" "+p]; !ok && rule.Acts {
				t.Errorf("removalRules lists %s %s, which no case removes any more: drop it", typ, p)
			}
		}
	}
}
