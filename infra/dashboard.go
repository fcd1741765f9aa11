package infra

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DashboardArgs configures the service dashboard.
type DashboardArgs struct {
	// Name is the dashboard name.
	Name string
	// ClusterName and ServiceName select the service's metrics.
	ClusterName, ServiceName string
	// LoadBalancer, when set, adds requests, 5xx and latency.
	LoadBalancer *LoadBalancer
	// Region is where the metrics live.
	Region pulumi.StringInput
}

// Dashboard is one CloudWatch dashboard per stack.
type Dashboard struct {
	pulumi.ResourceState

	// URL is the dashboard's console address.
	URL pulumi.StringOutput
}

// dashboardWidget is a CloudWatch metric widget (dashboard body structure,
// CloudWatch API reference "Dashboard Body Structure and Syntax").
type dashboardWidget struct {
	Type       string           `json:"type"`
	X          int              `json:"x"`
	Y          int              `json:"y"`
	Width      int              `json:"width"`
	Height     int              `json:"height"`
	Properties widgetProperties `json:"properties"`
}

type widgetProperties struct {
	Title   string  `json:"title"`
	Region  string  `json:"region"`
	Metrics [][]any `json:"metrics"`
	Stat    string  `json:"stat"`
	Period  int     `json:"period"`
	View    string  `json:"view"`
}

// DashboardBody lays out the widgets two per row: CPU and memory, running
// and desired tasks, and behind a load balancer (lbSuffix and tgSuffix
// set) requests with 5xx, and p50/p99 latency.
func DashboardBody(region, cluster, service, lbSuffix, tgSuffix string) (string, error) {
	ecsDims := []any{"ClusterName", cluster, "ServiceName", service}
	metric := func(namespace, name string, dims []any, opts ...map[string]string) []any {
		m := append([]any{namespace, name}, dims...)
		for _, o := range opts {
			m = append(m, o)
		}
		return m
	}
	type panel struct {
		title, stat string
		metrics     [][]any
	}
	panels := []panel{
		{"CPU and memory (%)", "Average", [][]any{metric("AWS/ECS", "CPUUtilization", ecsDims), metric("AWS/ECS", "MemoryUtilization", ecsDims)}},
		{"Tasks", "Average", [][]any{metric("ECS/ContainerInsights", "RunningTaskCount", ecsDims), metric("ECS/ContainerInsights", "DesiredTaskCount", ecsDims)}},
	}
	if lbSuffix != "" {
		tgDims := []any{"LoadBalancer", lbSuffix, "TargetGroup", tgSuffix}
		panels = append(panels,
			panel{"Requests and 5xx", "Sum", [][]any{metric("AWS/ApplicationELB", "RequestCount", tgDims), metric("AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", tgDims)}},
			panel{"Response time (s)", "p99", [][]any{
				metric("AWS/ApplicationELB", "TargetResponseTime", tgDims, map[string]string{"stat": "p50", "label": "p50"}),
				metric("AWS/ApplicationELB", "TargetResponseTime", tgDims, map[string]string{"stat": "p99", "label": "p99"}),
			}},
		)
	}
	var widgets []dashboardWidget
	for i, p := range panels {
		widgets = append(widgets, dashboardWidget{
			Type: "metric", X: (i % 2) * 12, Y: (i / 2) * 6, Width: 12, Height: 6,
			Properties: widgetProperties{Title: p.title, Region: region, Metrics: p.metrics, Stat: p.stat, Period: 60, View: "timeSeries"},
		})
	}
	b, err := json.Marshal(map[string]any{"widgets": widgets})
	return string(b), err
}

// NewDashboard creates the dashboard.
func NewDashboard(ctx *pulumi.Context, name string, args *DashboardArgs, opts ...pulumi.ResourceOption) (*Dashboard, error) {
	d := &Dashboard{}
	if err := ctx.RegisterComponentResource("fargateship:index:Dashboard", name, d, opts...); err != nil {
		return nil, err
	}
	lbSuffix, tgSuffix := pulumi.String("").ToStringOutput(), pulumi.String("").ToStringOutput()
	if lb := args.LoadBalancer; lb != nil {
		lbSuffix, tgSuffix = lb.ALB.ArnSuffix, lb.TargetGroup.ArnSuffix
	}
	body := pulumi.All(args.Region, lbSuffix, tgSuffix).ApplyT(func(v []any) (string, error) {
		return DashboardBody(v[0].(string), args.ClusterName, args.ServiceName, v[1].(string), v[2].(string))
	}).(pulumi.StringOutput)
	dash, err := cloudwatch.NewDashboard(ctx, name, &cloudwatch.DashboardArgs{
		DashboardName: pulumi.String(args.Name),
		DashboardBody: body,
	}, pulumi.Parent(d))
	if err != nil {
		return nil, err
	}
	d.URL = pulumi.All(args.Region, dash.DashboardName).ApplyT(func(v []any) string {
		return fmt.Sprintf("https://%[1]s.console.aws.amazon.com/cloudwatch/home?region=%[1]s#dashboards/dashboard/%[2]s", v[0].(string), v[1].(string))
	}).(pulumi.StringOutput)
	return d, ctx.RegisterResourceOutputs(d, pulumi.Map{"url": d.URL})
}
