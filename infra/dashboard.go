package infra

import (
	"encoding/json"
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/cloudwatch"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// DashboardArgs configures the environment's dashboard.
type DashboardArgs struct {
	// Name is the dashboard name.
	Name string
	// ClusterName is the cluster of every service.
	ClusterName string
	// Rows are the services, one row of panels each.
	Rows []DashboardRow
	// Region is where the metrics live.
	Region pulumi.StringInput
}

// DashboardRow is one service's panels.
type DashboardRow struct {
	// Title prefixes the panel titles ("" in a one-service stack).
	Title string
	// ServiceName selects the service's metrics.
	ServiceName string
	// LoadBalancerSuffix and TargetGroupSuffix, when set, add requests, 5xx
	// and latency.
	LoadBalancerSuffix, TargetGroupSuffix pulumi.StringInput
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

// DashboardService is one service's row of DashboardBody.
type DashboardService struct {
	Title, Service, LBSuffix, TGSuffix string
}

// DashboardBody lays out each service's widgets two per row: CPU and
// memory, running and desired tasks, and behind a load balancer (LBSuffix
// and TGSuffix set) requests with 5xx, and p50/p99 latency.
func DashboardBody(region, cluster string, services ...DashboardService) (string, error) {
	var widgets []dashboardWidget
	y := 0
	for _, s := range services {
		ws, rows := dashboardPanels(region, cluster, s, y)
		widgets = append(widgets, ws...)
		y += rows * 6
	}
	b, err := json.Marshal(map[string]any{"widgets": widgets})
	return string(b), err
}

// dashboardPanels are one service's widgets from row y, and how many rows
// of widgets they take.
func dashboardPanels(region, cluster string, s DashboardService, y int) ([]dashboardWidget, int) {
	service, lbSuffix, tgSuffix := s.Service, s.LBSuffix, s.TGSuffix
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
		title := p.title
		if s.Title != "" {
			title = s.Title + ": " + title
		}
		widgets = append(widgets, dashboardWidget{
			Type: "metric", X: (i % 2) * 12, Y: y + (i/2)*6, Width: 12, Height: 6,
			Properties: widgetProperties{Title: title, Region: region, Metrics: p.metrics, Stat: p.stat, Period: 60, View: "timeSeries"},
		})
	}
	return widgets, (len(panels) + 1) / 2
}

// NewDashboard creates the dashboard.
func NewDashboard(ctx *pulumi.Context, name string, args *DashboardArgs, opts ...pulumi.ResourceOption) (*Dashboard, error) {
	d := &Dashboard{}
	if err := ctx.RegisterComponentResource("fargateship:index:Dashboard", name, d, opts...); err != nil {
		return nil, err
	}
	inputs := []any{args.Region}
	for _, row := range args.Rows {
		lbSuffix, tgSuffix := pulumi.StringInput(pulumi.String("")), pulumi.StringInput(pulumi.String(""))
		if row.TargetGroupSuffix != nil {
			lbSuffix, tgSuffix = row.LoadBalancerSuffix, row.TargetGroupSuffix
		}
		inputs = append(inputs, lbSuffix, tgSuffix)
	}
	body := pulumi.All(inputs...).ApplyT(func(v []any) (string, error) {
		services := make([]DashboardService, len(args.Rows))
		for i, row := range args.Rows {
			services[i] = DashboardService{Title: row.Title, Service: row.ServiceName, LBSuffix: v[1+2*i].(string), TGSuffix: v[2+2*i].(string)}
		}
		return DashboardBody(v[0].(string), args.ClusterName, services...)
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
