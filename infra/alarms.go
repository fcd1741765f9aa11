package infra

import (
	"maps"
	"slices"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/kms"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/sns"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// AlarmsArgs configures the service's CloudWatch alarms.
type AlarmsArgs struct {
	// Naming names the alarms (<project>-<stack>-<what>) and the topic.
	Naming Naming
	// ClusterName and ServiceName are the alarms' ECS dimensions; they are
	// the names the program gives the cluster and the service, known
	// before either exists, so the service can name its deployment alarms.
	ClusterName, ServiceName string
	// LoadBalancerSuffix and TargetGroupSuffix, when set (a routed
	// service), add the request alarms on the service's target group.
	LoadBalancerSuffix, TargetGroupSuffix pulumi.StringInput
	// Thresholds.
	Error5xxPercent, LatencyP99Ms, CPUPercent, MemoryPercent int
	// Email, when set, gets every alarm and recovery through an SNS topic,
	// created here unless Topic is given (another service's Alarms made it).
	Email string
	Topic *sns.Topic
	// KMSKeyARN encrypts the topic; empty creates a key for it (the AWS
	// managed SNS key does not let CloudWatch publish).
	KMSKeyARN string
	// Protect lengthens the created key's deletion window to 30 days.
	Protect bool
	// Partition, Region and Account scope the key and topic policies.
	Partition, Region, Account pulumi.StringInput
	// MultiService: the topic serves every service of the environment.
	MultiService bool
	// Tags go on every resource.
	Tags pulumi.StringMap
}

// Alarms are the service's CloudWatch alarms and their notification topic.
type Alarms struct {
	pulumi.ResourceState

	// Names are every alarm's name, in a fixed order.
	Names []string
	// Deployment are the alarms that mean "this revision is bad": the ECS
	// service's deployment configuration rolls back when one fires.
	Deployment []string
	// Resources are the alarms, for resources that must wait for them.
	Resources []pulumi.Resource
	// Topic is the notification topic, nil without an e-mail address.
	Topic *sns.Topic
}

// alarmSpec is one alarm: a metric with a statistic, or metric math over
// several metrics.
type alarmSpec struct {
	suffix, description string
	threshold           float64
	comparison          string
	periods, datapoints int
	// deployment marks an alarm the ECS deployment watches.
	deployment bool
	metric     *metricSpec
	math       *mathSpec
}

type metricSpec struct {
	namespace, name, statistic, extended string
	dims                                 pulumi.StringMap
}

type mathSpec struct {
	expression, label string
	metrics           map[string]metricSpec
}

// alarmSpecs lists the alarms: always CPU, memory and running tasks below
// desired; behind a load balancer also the 5xx rate, p99 latency and
// unhealthy targets, which are the deployment alarms (a revision that
// starts but fails requests or slows down is rolled back).
func (a *AlarmsArgs) alarmSpecs() []alarmSpec {
	ecsDims := pulumi.StringMap{"ClusterName": pulumi.String(a.ClusterName), "ServiceName": pulumi.String(a.ServiceName)}
	specs := []alarmSpec{
		{suffix: "cpu-high", description: "Average CPU of the service's tasks is high: scale out (maxCount, cpu) or find the hot path.",
			threshold: float64(a.CPUPercent), comparison: "GreaterThanThreshold", periods: 5, datapoints: 5,
			metric: &metricSpec{namespace: "AWS/ECS", name: "CPUUtilization", statistic: "Average", dims: ecsDims}},
		{suffix: "memory-high", description: "Average memory of the service's tasks is high: a leak, or memory too small for the load.",
			threshold: float64(a.MemoryPercent), comparison: "GreaterThanThreshold", periods: 5, datapoints: 5,
			metric: &metricSpec{namespace: "AWS/ECS", name: "MemoryUtilization", statistic: "Average", dims: ecsDims}},
		{suffix: "tasks-below-desired", description: "Fewer tasks run than the service wants: tasks fail to start or keep stopping (see the verifier's stopped-task reasons).",
			threshold: 0, comparison: "GreaterThanThreshold", periods: 5, datapoints: 5,
			math: &mathSpec{expression: "desired - running", label: "Missing tasks", metrics: map[string]metricSpec{
				"desired": {namespace: "ECS/ContainerInsights", name: "DesiredTaskCount", statistic: "Average", dims: ecsDims},
				"running": {namespace: "ECS/ContainerInsights", name: "RunningTaskCount", statistic: "Average", dims: ecsDims},
			}}},
	}
	if a.TargetGroupSuffix != nil {
		tgDims := pulumi.StringMap{"LoadBalancer": a.LoadBalancerSuffix, "TargetGroup": a.TargetGroupSuffix}
		specs = append(specs,
			alarmSpec{suffix: alarm5xxRate, description: "Too many requests get a 5xx from the tasks: a bad revision is rolled back by the deployment; otherwise read the logs.",
				threshold: float64(a.Error5xxPercent), comparison: "GreaterThanThreshold", periods: 3, datapoints: 2, deployment: true,
				math: &mathSpec{expression: "IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)", label: "5xx percent", metrics: map[string]metricSpec{
					"errors":   {namespace: "AWS/ApplicationELB", name: "HTTPCode_Target_5XX_Count", statistic: "Sum", dims: tgDims},
					"requests": {namespace: "AWS/ApplicationELB", name: "RequestCount", statistic: "Sum", dims: tgDims},
				}}},
			alarmSpec{suffix: alarmP99Latency, description: "The tasks' p99 response time is high: a slow revision is rolled back; otherwise check CPU and dependencies.",
				threshold: float64(a.LatencyP99Ms) / 1000, comparison: "GreaterThanThreshold", periods: 3, datapoints: 2, deployment: true,
				metric: &metricSpec{namespace: "AWS/ApplicationELB", name: "TargetResponseTime", extended: "p99", dims: tgDims}},
			alarmSpec{suffix: alarmUnhealthyTargets, description: "Targets fail the load balancer health check: a revision whose tasks fail it is rolled back.",
				threshold: 0, comparison: "GreaterThanThreshold", periods: 3, datapoints: 3, deployment: true,
				metric: &metricSpec{namespace: "AWS/ApplicationELB", name: "UnHealthyHostCount", statistic: "Maximum", dims: tgDims}},
		)
	}
	return specs
}

// The deployment alarms' name suffixes.
const (
	alarm5xxRate          = "5xx-rate"
	alarmP99Latency       = "p99-latency"
	alarmUnhealthyTargets = "unhealthy-targets"
)

// DeploymentAlarmNames are the names the deployment alarms of a stack
// have (or would have, behind a load balancer with alarms on): the ECS
// service names them in its deployment configuration whether they exist
// or not, with enable and rollback false when they do not
// (service.go, deploymentAlarms).
func DeploymentAlarmNames(n Naming) []string {
	return []string{n.Name(alarm5xxRate, maxAlarmName), n.Name(alarmP99Latency, maxAlarmName), n.Name(alarmUnhealthyTargets, maxAlarmName)}
}

// alarmPeriod is every alarm's period: one-minute metrics, so a bad
// revision is caught within its rollout.
const alarmPeriod = 60

// NewAlarms creates the topic (with an e-mail address) and the alarms.
func NewAlarms(ctx *pulumi.Context, name string, args *AlarmsArgs, opts ...pulumi.ResourceOption) (*Alarms, error) {
	a := &Alarms{}
	if err := ctx.RegisterComponentResource("fargateship:index:Alarms", name, a, opts...); err != nil {
		return nil, err
	}
	parent := pulumi.Parent(a)
	var actions pulumi.Array
	if args.Email != "" {
		topic := args.Topic
		if topic == nil {
			var err error
			if topic, err = a.topic(ctx, name, args); err != nil {
				return nil, err
			}
		}
		a.Topic = topic
		actions = pulumi.Array{topic.Arn}
	}
	for _, spec := range args.alarmSpecs() {
		alarmName := args.Naming.Name(spec.suffix, maxAlarmName)
		in := &cloudwatch.MetricAlarmArgs{
			Name:               pulumi.String(alarmName),
			AlarmDescription:   pulumi.String(spec.description),
			ComparisonOperator: pulumi.String(spec.comparison),
			Threshold:          pulumi.Float64(spec.threshold),
			EvaluationPeriods:  pulumi.Int(spec.periods),
			DatapointsToAlarm:  pulumi.Int(spec.datapoints),
			// No data (no traffic, a service scaled to 0) is not an alarm.
			TreatMissingData: pulumi.String("notBreaching"),
			AlarmActions:     actions,
			OkActions:        actions,
			Tags:             args.Tags,
		}
		if m := spec.metric; m != nil {
			in.Namespace, in.MetricName, in.Dimensions, in.Period = pulumi.String(m.namespace), pulumi.String(m.name), m.dims, pulumi.Int(alarmPeriod)
			if m.extended != "" {
				in.ExtendedStatistic = pulumi.String(m.extended)
			} else {
				in.Statistic = pulumi.String(m.statistic)
			}
		} else {
			queries := cloudwatch.MetricAlarmMetricQueryArray{&cloudwatch.MetricAlarmMetricQueryArgs{
				Id: pulumi.String("result"), Expression: pulumi.String(spec.math.expression), Label: pulumi.String(spec.math.label), ReturnData: pulumi.Bool(true),
			}}
			for _, id := range sortedKeys(spec.math.metrics) {
				m := spec.math.metrics[id]
				queries = append(queries, &cloudwatch.MetricAlarmMetricQueryArgs{
					Id: pulumi.String(id),
					Metric: &cloudwatch.MetricAlarmMetricQueryMetricArgs{
						Namespace: pulumi.String(m.namespace), MetricName: pulumi.String(m.name), Stat: pulumi.String(m.statistic),
						Dimensions: m.dims, Period: pulumi.Int(alarmPeriod),
					},
				})
			}
			in.MetricQueries = queries
		}
		alarm, err := cloudwatch.NewMetricAlarm(ctx, name+"-"+spec.suffix, in, parent)
		if err != nil {
			return nil, err
		}
		a.Names = append(a.Names, alarmName)
		a.Resources = append(a.Resources, alarm)
		if spec.deployment {
			a.Deployment = append(a.Deployment, alarmName)
		}
	}
	outputs := pulumi.Map{"alarmNames": pulumi.ToStringArray(a.Names)}
	if a.Topic != nil {
		outputs["topicArn"] = a.Topic.Arn
	}
	return a, ctx.RegisterResourceOutputs(a, outputs)
}

// topic creates the encrypted notification topic, a key for it when the
// stack has none, and the e-mail subscription.
func (a *Alarms) topic(ctx *pulumi.Context, name string, args *AlarmsArgs) (*sns.Topic, error) {
	parent := pulumi.Parent(a)
	var key pulumi.StringInput = pulumi.String(args.KMSKeyARN)
	if args.KMSKeyARN == "" {
		// CloudWatch publishes to an encrypted topic only if the key lets
		// it: the AWS managed aws/sns key does not, so the topic gets a
		// key whose policy admits the account and CloudWatch for this
		// account's alarms.
		policy := pulumi.All(args.Partition, args.Account).ApplyT(func(v []any) (string, error) {
			partition, account := v[0].(string), v[1].(string)
			return NewPolicy(
				Statement{Sid: "AccountAdministers", Effect: "Allow", Principal: map[string]string{"AWS": "arn:" + partition + ":iam::" + account + ":root"},
					Action: []string{"kms:*"}, Resource: []string{"*"}},
				Statement{Sid: "CloudWatchAlarmsPublish", Effect: "Allow", Principal: map[string]string{"Service": "cloudwatch.amazonaws.com"},
					Action: []string{"kms:Decrypt", "kms:GenerateDataKey*"}, Resource: []string{"*"},
					Condition: map[string]map[string]string{"StringEquals": {"aws:SourceAccount": account}}},
			).JSON()
		}).(pulumi.StringOutput)
		window := 7
		if args.Protect {
			window = 30
		}
		k, err := kms.NewKey(ctx, name+"-topic", &kms.KeyArgs{
			Description:          pulumi.String("Encrypts the alarm topic of " + args.Naming.Base),
			EnableKeyRotation:    pulumi.Bool(true),
			DeletionWindowInDays: pulumi.Int(window),
			Policy:               policy,
			Tags:                 args.Tags,
		}, parent)
		if err != nil {
			return nil, err
		}
		key = k.Arn
	}
	topic, err := sns.NewTopic(ctx, name, &sns.TopicArgs{
		Name:           pulumi.String(args.Naming.Name("alarms", maxTopicName)),
		KmsMasterKeyId: key,
		Tags:           args.Tags,
	}, parent)
	if err != nil {
		return nil, err
	}
	// The stack's alarms: app's are <base>-*; in an environment every
	// other service's are <base>_<service>-* (Naming.ForService), a second
	// statement (IAM patterns know no character classes).
	alarmARNs := pulumi.Sprintf("arn:%s:cloudwatch:%s:%s:alarm:%s-*", args.Partition, args.Region, args.Account, args.Naming.Base)
	serviceARNs := pulumi.Sprintf("arn:%s:cloudwatch:%s:%s:alarm:%s_*", args.Partition, args.Region, args.Account, args.Naming.Base)
	if _, err := sns.NewTopicPolicy(ctx, name, &sns.TopicPolicyArgs{
		Arn: topic.Arn,
		Policy: pulumi.All(topic.Arn, alarmARNs, args.Account, serviceARNs).ApplyT(func(v []any) (string, error) {
			publish := func(sid, source string) Statement {
				return Statement{
					Sid: sid, Effect: "Allow", Principal: map[string]string{"Service": "cloudwatch.amazonaws.com"},
					Action: []string{"sns:Publish"}, Resource: []string{v[0].(string)},
					Condition: map[string]map[string]string{
						"StringEquals": {"aws:SourceAccount": v[2].(string)},
						"ArnLike":      {"aws:SourceArn": source},
					},
				}
			}
			st := []Statement{publish("StackAlarmsPublish", v[1].(string))}
			if args.MultiService {
				st = append(st, publish("ServiceAlarmsPublish", v[3].(string)))
			}
			return NewPolicy(st...).JSON()
		}).(pulumi.StringOutput),
	}, parent); err != nil {
		return nil, err
	}
	if _, err := sns.NewTopicSubscription(ctx, name+"-email", &sns.TopicSubscriptionArgs{
		Topic:    topic.Arn,
		Protocol: pulumi.String("email"),
		Endpoint: pulumi.String(args.Email),
	}, parent); err != nil {
		return nil, err
	}
	a.Topic = topic
	return topic, nil
}

// sortedKeys returns a map's keys in order, so resources built from a map
// come out the same on every run.
func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
