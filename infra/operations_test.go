package infra

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// alarmsByName indexes the run's metric alarms by their physical name.
func alarmsByName(r *run) map[string]*res {
	out := map[string]*res{}
	for _, a := range r.all("aws:cloudwatch/metricAlarm:MetricAlarm") {
		out[a.in("name").(string)] = a
	}
	return out
}

// TestAlarmsBehindLoadBalancer pins every alarm's metric, statistic,
// threshold and window, the deployment alarms on the service, and the
// encrypted topic with its e-mail subscription.
func TestAlarmsBehindLoadBalancer(t *testing.T) {
	r := mustRun(t, "prod", with(t, "loadBalancer", "true", "alarms", "true", "alarmEmail", "oncall@example.com",
		"alarm5xxPercent", "3", "alarmLatencyP99Ms", "1500", "alarmCpuPercent", "85", "alarmMemoryPercent", "80"))
	alarms := alarmsByName(r)
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range alarms {
			if !yield(n) {
				return
			}
		}
	})
	want := []string{"fargateship-prod-5xx-rate", "fargateship-prod-cpu-high", "fargateship-prod-memory-high",
		"fargateship-prod-p99-latency", "fargateship-prod-tasks-below-desired", "fargateship-prod-unhealthy-targets"}
	if js(t, names) != js(t, want) {
		t.Fatalf("alarms = %v, want %v", names, want)
	}
	if got := r.outputs["alarmNames"]; js(t, got) != js(t, []string{"fargateship-prod-cpu-high", "fargateship-prod-memory-high",
		"fargateship-prod-tasks-below-desired", "fargateship-prod-5xx-rate", "fargateship-prod-p99-latency", "fargateship-prod-unhealthy-targets"}) {
		t.Errorf("alarmNames output = %v", got)
	}
	topic := r.one(t, "aws:sns/topic:Topic")
	ecsDims := map[string]any{"ClusterName": "fargateship-prod", "ServiceName": "fargateship-prod"}
	tgDims := map[string]any{"LoadBalancer": "app/fargateship-prod/50dc6c495c0c9188", "TargetGroup": "targetgroup/web-1a2b3c4/943f017f100becff"}
	single := func(name, ns, metric, stat string, threshold float64, periods, points int, dims map[string]any) {
		t.Helper()
		a := alarms[name]
		statKey := "statistic"
		if strings.HasPrefix(stat, "p") {
			statKey = "extendedStatistic"
		}
		if got := js(t, map[string]any{"ns": a.in("namespace"), "metric": a.in("metricName"), "stat": a.in(statKey), "threshold": a.in("threshold"),
			"cmp": a.in("comparisonOperator"), "periods": a.in("evaluationPeriods"), "points": a.in("datapointsToAlarm"), "period": a.in("period"),
			"dims": a.in("dimensions"), "missing": a.in("treatMissingData"), "actions": a.in("alarmActions"), "ok": a.in("okActions")}); got != js(t, map[string]any{
			"ns": ns, "metric": metric, "stat": stat, "threshold": threshold, "cmp": "GreaterThanThreshold", "periods": periods, "points": points, "period": 60,
			"dims": dims, "missing": "notBreaching", "actions": []string{topic.ID}, "ok": []string{topic.ID}}) {
			t.Errorf("%s = %s", name, got)
		}
	}
	single("fargateship-prod-cpu-high", "AWS/ECS", "CPUUtilization", "Average", 85, 5, 5, ecsDims)
	single("fargateship-prod-memory-high", "AWS/ECS", "MemoryUtilization", "Average", 80, 5, 5, ecsDims)
	single("fargateship-prod-p99-latency", "AWS/ApplicationELB", "TargetResponseTime", "p99", 1.5, 3, 2, tgDims)
	single("fargateship-prod-unhealthy-targets", "AWS/ApplicationELB", "UnHealthyHostCount", "Maximum", 0, 3, 2+1, tgDims)

	// The 5xx rate is metric math over the target group's 5xx and request counts.
	rate := alarms["fargateship-prod-5xx-rate"]
	if rate.in("threshold") != float64(3) || rate.in("metricName") != nil {
		t.Errorf("5xx rate threshold/metric = %v %v", rate.in("threshold"), rate.in("metricName"))
	}
	if got := js(t, rate.in("metricQueries")); got != js(t, []any{
		map[string]any{"expression": "IF(requests > 0, 100 * FILL(errors, 0) / requests, 0)", "id": "result", "label": "5xx percent", "returnData": true},
		map[string]any{"id": "errors", "metric": map[string]any{"dimensions": tgDims, "metricName": "HTTPCode_Target_5XX_Count", "namespace": "AWS/ApplicationELB", "period": 60, "stat": "Sum"}},
		map[string]any{"id": "requests", "metric": map[string]any{"dimensions": tgDims, "metricName": "RequestCount", "namespace": "AWS/ApplicationELB", "period": 60, "stat": "Sum"}},
	}) {
		t.Errorf("5xx rate queries = %s", got)
	}
	below := alarms["fargateship-prod-tasks-below-desired"]
	if got := js(t, below.in("metricQueries")); !strings.Contains(got, `"expression":"desired - running"`) || !strings.Contains(got, `"metricName":"RunningTaskCount","namespace":"ECS/ContainerInsights"`) {
		t.Errorf("tasks below desired = %s", got)
	}

	// The service rolls back a revision that trips a load balancer alarm,
	// and waits for the alarms to exist.
	svc := r.one(t, "aws:ecs/service:Service")
	if got := js(t, svc.in("alarms")); got != `{"alarmNames":["fargateship-prod-5xx-rate","fargateship-prod-p99-latency","fargateship-prod-unhealthy-targets"],"enable":true,"rollback":true}` {
		t.Errorf("service deployment alarms = %s", got)
	}
	if !svc.dependsOn("aws:cloudwatch/metricAlarm:MetricAlarm", "alarms-5xx-rate") {
		t.Errorf("service does not wait for the alarms: %v", svc.DependsOn)
	}

	// Topic: encrypted with a key CloudWatch may use for this account;
	// only this stack's alarms may publish; e-mail subscription.
	key := r.one(t, "aws:kms/key:Key")
	if topic.in("kmsMasterKeyId") != key.Outputs["arn"].StringValue() || topic.in("name") != "fargateship-prod-alarms" {
		t.Errorf("topic = %v", topic.Inputs)
	}
	if key.in("enableKeyRotation") != true || !strings.Contains(key.in("policy").(string), `"Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":["kms:Decrypt","kms:GenerateDataKey*"],"Resource":["*"],"Condition":{"StringEquals":{"aws:SourceAccount":"123456789012"}}`) {
		t.Errorf("topic key = %v", key.Inputs)
	}
	tp := r.one(t, "aws:sns/topicPolicy:TopicPolicy")
	if got := tp.in("policy"); got != `{"Version":"2012-10-17","Statement":[{"Sid":"StackAlarmsPublish","Effect":"Allow","Principal":{"Service":"cloudwatch.amazonaws.com"},"Action":["sns:Publish"],"Resource":["`+topic.ID+`"],"Condition":{"ArnLike":{"aws:SourceArn":"arn:aws:cloudwatch:us-east-1:123456789012:alarm:fargateship-prod-*"},"StringEquals":{"aws:SourceAccount":"123456789012"}}}]}` {
		t.Errorf("topic policy = %v", got)
	}
	sub := r.one(t, "aws:sns/topicSubscription:TopicSubscription")
	if sub.in("protocol") != "email" || sub.in("endpoint") != "oncall@example.com" || sub.in("topic") != topic.ID {
		t.Errorf("subscription = %v", sub.Inputs)
	}
}

// TestAlarmsWithoutLoadBalancerOrEmail: only the ECS alarms, no
// deployment alarms, no topic; with the stack's key, no key is created.
func TestAlarmsWithoutLoadBalancerOrEmail(t *testing.T) {
	r := mustRun(t, "dev", with(t, "alarms", "true"))
	if n := len(r.all("aws:cloudwatch/metricAlarm:MetricAlarm")); n != 3 {
		t.Errorf("want 3 alarms without a load balancer, got %d", n)
	}
	// The service's alarms block is sent, off: a removed block would be
	// ignored by the provider (TestToggleOffIsActedOn).
	if svc := r.one(t, "aws:ecs/service:Service"); js(t, svc.in("alarms")) != js(t, map[string]any{
		"alarmNames": []any{"fargateship-dev-5xx-rate", "fargateship-dev-p99-latency", "fargateship-dev-unhealthy-targets"},
		"enable":     false, "rollback": false,
	}) {
		t.Errorf("deployment alarms without a load balancer: %v", svc.in("alarms"))
	}
	if len(r.all("aws:sns/topic:Topic"))+len(r.all("aws:kms/key:Key")) != 0 {
		t.Errorf("topic or key without an e-mail address")
	}
	for _, a := range r.all("aws:cloudwatch/metricAlarm:MetricAlarm") {
		if a.in("alarmActions") != nil {
			t.Errorf("%s has actions %v", a.Name, a.in("alarmActions"))
		}
	}
	key := "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
	r = mustRun(t, "dev", with(t, "alarms", "true", "alarmEmail", "a@example.com", "kmsKeyArn", key))
	if len(r.all("aws:kms/key:Key")) != 0 || r.one(t, "aws:sns/topic:Topic").in("kmsMasterKeyId") != key {
		t.Errorf("the stack's key is not used for the topic")
	}
	// Off: nothing.
	r = mustRun(t, "dev", with(t))
	if len(r.all("aws:cloudwatch/metricAlarm:MetricAlarm")) != 0 || r.outputs["alarmNames"] != nil {
		t.Errorf("alarms with alarms: false")
	}
}

// TestAccessLogs pins the bucket's settings and policy and the ALB's use.
func TestAccessLogs(t *testing.T) {
	r := mustRun(t, "prod", with(t, "loadBalancer", "true", "accessLogs", "true", "logRetentionDays", "90"))
	bucket := r.one(t, "aws:s3/bucketV2:BucketV2")
	name := bucket.Outputs["bucket"].StringValue()
	if bucket.in("bucketPrefix") != "fargateship-prod-alb-logs-" || bucket.in("forceDestroy") != true || bucket.Protect {
		t.Errorf("bucket = %v protect %v", bucket.Inputs, bucket.Protect)
	}
	if len(bucket.in("bucketPrefix").(string)) > maxBucketPrefix {
		t.Errorf("bucket prefix longer than %d", maxBucketPrefix)
	}
	block := r.one(t, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
	if js(t, []any{block.in("blockPublicAcls"), block.in("blockPublicPolicy"), block.in("ignorePublicAcls"), block.in("restrictPublicBuckets")}) != `[true,true,true,true]` {
		t.Errorf("public access block = %v", block.Inputs)
	}
	if got := js(t, r.one(t, "aws:s3/bucketOwnershipControls:BucketOwnershipControls").in("rule")); got != `{"objectOwnership":"BucketOwnerEnforced"}` {
		t.Errorf("ownership = %s", got)
	}
	if got := js(t, r.one(t, "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2").in("rules")); got != `[{"applyServerSideEncryptionByDefault":{"sseAlgorithm":"AES256"}}]` {
		t.Errorf("encryption = %s", got)
	}
	if got := js(t, r.one(t, "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2").in("rules")); got != `[{"expiration":{"days":90},"filter":{"prefix":"fargateship-prod/"},"id":"expire-access-logs","status":"Enabled"}]` {
		t.Errorf("lifecycle = %s", got)
	}
	policy := r.one(t, "aws:s3/bucketPolicy:BucketPolicy")
	if got := policy.in("policy"); got != `{"Version":"2012-10-17","Statement":[{"Sid":"LoadBalancerLogDelivery","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::127311923021:root"},"Action":["s3:PutObject"],"Resource":["arn:aws:s3:::`+name+`/fargateship-prod/AWSLogs/123456789012/*"]},{"Sid":"DenyWithoutTLS","Effect":"Deny","Principal":{"AWS":"*"},"Action":["s3:*"],"Resource":["arn:aws:s3:::`+name+`","arn:aws:s3:::`+name+`/*"],"Condition":{"Bool":{"aws:SecureTransport":"false"}}}]}` {
		t.Errorf("bucket policy = %v", got)
	}
	alb := r.one(t, "aws:lb/loadBalancer:LoadBalancer")
	if got := js(t, alb.in("accessLogs")); got != `{"bucket":"`+name+`","enabled":true,"prefix":"fargateship-prod"}` {
		t.Errorf("alb access logs = %s", got)
	}
	if !alb.dependsOn("aws:s3/bucketPolicy:BucketPolicy", "access-logs") {
		t.Errorf("alb does not wait for the bucket policy: %v", alb.DependsOn)
	}
	if r.outputs["accessLogsBucket"] != name {
		t.Errorf("accessLogsBucket = %v", r.outputs["accessLogsBucket"])
	}
	// A region opened after August 2022 has no ELB account: the service
	// principal writes.
	var doc PolicyDocument
	if err := json.Unmarshal([]byte(mustJSON(t, AccessLogsPolicy("aws", "ap-southeast-5", "123456789012", "arn:aws:s3:::b", "p"))), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Statement[0].Principal["Service"] != "logdelivery.elasticloadbalancing.amazonaws.com" {
		t.Errorf("new-region writer = %v", doc.Statement[0].Principal)
	}
	// protect keeps the bucket and its logs.
	kept := mustRun(t, "prod", with(t, "loadBalancer", "true", "accessLogs", "true", "protect", "true")).one(t, "aws:s3/bucketV2:BucketV2")
	if kept.in("forceDestroy") != false || !kept.Protect {
		t.Errorf("protected bucket = %v protect %v", kept.Inputs, kept.Protect)
	}
}

func mustJSON(t *testing.T, d PolicyDocument) string {
	t.Helper()
	s, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestDashboard pins the widgets with and without a load balancer.
func TestDashboard(t *testing.T) {
	r := mustRun(t, "prod", with(t, "loadBalancer", "true", "dashboard", "true"))
	d := r.one(t, "aws:cloudwatch/dashboard:Dashboard")
	var body struct {
		Widgets []dashboardWidget `json:"widgets"`
	}
	if err := json.Unmarshal([]byte(d.in("dashboardBody").(string)), &body); err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, w := range body.Widgets {
		titles = append(titles, w.Properties.Title)
		if w.Properties.Region != mockRegion || w.Width != 12 || w.Properties.Period != 60 {
			t.Errorf("widget %s = %+v", w.Properties.Title, w)
		}
	}
	if js(t, titles) != `["CPU and memory (%)","Tasks","Requests and 5xx","Response time (s)"]` {
		t.Errorf("widgets = %v", titles)
	}
	if got := js(t, body.Widgets[0].Properties.Metrics[0]); got != `["AWS/ECS","CPUUtilization","ClusterName","fargateship-prod","ServiceName","fargateship-prod"]` {
		t.Errorf("cpu metric = %s", got)
	}
	if d.in("dashboardName") != "fargateship-prod" ||
		r.outputs["dashboardUrl"] != "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards/dashboard/fargateship-prod" {
		t.Errorf("dashboard %v url %v", d.in("dashboardName"), r.outputs["dashboardUrl"])
	}
	small := mustRun(t, "dev", with(t, "dashboard", "true")).one(t, "aws:cloudwatch/dashboard:Dashboard")
	if strings.Contains(small.in("dashboardBody").(string), "ApplicationELB") {
		t.Errorf("load balancer widgets without a load balancer")
	}
}

// TestActiveHours: scheduled actions scale the service to 0 outside the
// hours and back inside them, in the stack's zone; a scalable target
// exists for them even without autoscaling, and neither the service's
// count nor the target's bounds are reset by `pulumi up`.
func TestActiveHours(t *testing.T) {
	r := mustRun(t, "sandbox-alice", with(t, "activeHours", "MON-FRI 08:30-19:00", "timezone", "Europe/Paris", "desiredCount", "2"))
	target := r.one(t, "aws:appautoscaling/target:Target")
	if target.in("minCapacity") != float64(2) || target.in("maxCapacity") != float64(2) ||
		js(t, target.Ignore) != `["minCapacity","maxCapacity"]` {
		t.Errorf("target = %v ignore %v", target.Inputs, target.Ignore)
	}
	if svc := r.one(t, "aws:ecs/service:Service"); !slices.Contains(svc.Ignore, "desiredCount") {
		t.Errorf("service resets desiredCount: ignore %v", svc.Ignore)
	}
	if len(r.all("aws:appautoscaling/policy:Policy")) != 0 {
		t.Errorf("scaling policies without autoscaling")
	}
	wake := r.named(t, "aws:appautoscaling/scheduledAction:ScheduledAction", "app-wake")
	sleep := r.named(t, "aws:appautoscaling/scheduledAction:ScheduledAction", "app-sleep")
	for _, c := range []struct {
		a                *res
		name, schedule   string
		minimum, maximum float64
	}{
		{wake, "fargateship-sandbox-alice-wake", "cron(30 8 ? * MON-FRI *)", 2, 2},
		{sleep, "fargateship-sandbox-alice-sleep", "cron(0 19 ? * MON-FRI *)", 0, 0},
	} {
		if got := js(t, map[string]any{"name": c.a.in("name"), "schedule": c.a.in("schedule"), "tz": c.a.in("timezone"),
			"action": c.a.in("scalableTargetAction"), "resource": c.a.in("resourceId")}); got != js(t, map[string]any{
			"name": c.name, "schedule": c.schedule, "tz": "Europe/Paris",
			"action": map[string]any{"maxCapacity": c.maximum, "minCapacity": c.minimum}, "resource": "service/fargateship-sandbox-alice/fargateship-sandbox-alice"}) {
			t.Errorf("%s = %s", c.a.Name, got)
		}
	}
	// With autoscaling the wake restores its bounds.
	r = mustRun(t, "prod", with(t, "activeHours", "* 06:00-22:00", "minCount", "2", "maxCount", "6", "desiredCount", "2"))
	wake = r.named(t, "aws:appautoscaling/scheduledAction:ScheduledAction", "app-wake")
	if js(t, wake.in("scalableTargetAction")) != `{"maxCapacity":6,"minCapacity":2}` || wake.in("schedule") != "cron(0 6 ? * * *)" {
		t.Errorf("autoscaled wake = %v %v", wake.in("scalableTargetAction"), wake.in("schedule"))
	}
	if len(r.all("aws:appautoscaling/policy:Policy")) == 0 {
		t.Errorf("autoscaling policies lost with active hours")
	}
}

func TestParseActiveHours(t *testing.T) {
	good := map[string]string{
		"MON-FRI 08:00-20:00":     "cron(0 8 ? * MON-FRI *)",
		"* 00:00-23:59":           "cron(0 0 ? * * *)",
		"MON-WED,FRI 09:15-17:45": "cron(15 9 ? * MON-WED,FRI *)",
		"SAT,SUN 10:00-12:00":     "cron(0 10 ? * SAT,SUN *)",
	}
	for in, cron := range good {
		a, err := ParseActiveHours(in)
		if err != nil || a.Cron(a.Start) != cron {
			t.Errorf("%q: %v %v", in, a, err)
		}
	}
	for _, bad := range []string{"", "MON-FRI", "mon-fri 08:00-20:00", "MON-FRI 8:00-20:00", "MON-FRI 20:00-08:00", "MON-FRI 08:00-08:00",
		"FRI-MON 08:00-20:00", "WEEKDAYS 08:00-20:00", "MON-FRI 08:00-24:00", "MON-FRI 08:00 - 20:00", "MON,,FRI 08:00-20:00"} {
		if a, err := ParseActiveHours(bad); err == nil {
			t.Errorf("%q accepted: %+v", bad, a)
		}
	}
}

// TestLongScheduleCommand: a command of a few hundred characters, which
// the schedule's description once embedded (as the overrides JSON) past
// Scheduler's 512-character limit, deploys; the command goes in the
// target's input, and the description stays short.
func TestLongScheduleCommand(t *testing.T) {
	long := make([]string, 0, 40)
	for i := range 40 {
		long = append(long, fmt.Sprintf("--flag-%02d=value", i))
	}
	cmd, _ := json.Marshal(append([]string{"report"}, long...))
	r := mustRun(t, "dev", with(t, "schedules", `{"nightly":{"schedule":"rate(1 day)","command":`+string(cmd)+`}}`))
	s := r.one(t, "aws:scheduler/schedule:Schedule")
	if d := s.in("description"); d != "Scheduled task nightly of fargateship-dev" {
		t.Errorf("description = %q", d)
	}
	input := s.in("target").(map[string]any)["input"].(string)
	if len(input) <= 512 || !strings.Contains(input, "--flag-39=value") {
		t.Errorf("the input does not carry the whole command (%d characters): %s", len(input), input)
	}
}
