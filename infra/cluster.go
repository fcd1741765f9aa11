package infra

import (
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecs"
	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/servicediscovery"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// ClusterArgs configures the ECS cluster.
type ClusterArgs struct {
	// Name is the cluster name.
	Name string
	// ExecLogGroupName, when set, records ECS Exec sessions in that group.
	ExecLogGroupName pulumi.StringInput
	// Namespace, when set, names the environment's Service Connect
	// namespace (an AWS Cloud Map HTTP namespace: Service Connect needs no
	// DNS zone), one per stack.
	Namespace string
	// Tags go on the cluster.
	Tags pulumi.StringMap
}

// Cluster is an ECS cluster with Container Insights on and both Fargate
// capacity providers attached, so a service can move between FARGATE and
// FARGATE_SPOT by config alone.
type Cluster struct {
	pulumi.ResourceState

	// Cluster is the ECS cluster.
	Cluster *ecs.Cluster
	// Name is the cluster name.
	Name pulumi.StringOutput
	// CapacityProviders attaches FARGATE and FARGATE_SPOT; services that
	// name a capacity provider must depend on it.
	CapacityProviders *ecs.ClusterCapacityProviders
	// Namespace is the Service Connect namespace, nil without one.
	Namespace *servicediscovery.HttpNamespace
}

// NewCluster creates the cluster and its capacity providers.
func NewCluster(ctx *pulumi.Context, name string, args *ClusterArgs, opts ...pulumi.ResourceOption) (*Cluster, error) {
	c := &Cluster{}
	if err := ctx.RegisterComponentResource("fargateship:index:Cluster", name, c, opts...); err != nil {
		return nil, err
	}
	ca := &ecs.ClusterArgs{
		Name: pulumi.String(args.Name),
		Settings: ecs.ClusterSettingArray{
			&ecs.ClusterSettingArgs{Name: pulumi.String("containerInsights"), Value: pulumi.String("enabled")},
		},
		Tags: args.Tags,
	}
	// Exec off still names the default: without a configuration block the
	// provider sends none on update, and a cluster that had exec logging
	// would keep pointing at the exec log group after it is deleted.
	ca.Configuration = &ecs.ClusterConfigurationArgs{
		ExecuteCommandConfiguration: &ecs.ClusterConfigurationExecuteCommandConfigurationArgs{Logging: pulumi.String("DEFAULT")},
	}
	if args.ExecLogGroupName != nil {
		ca.Configuration = &ecs.ClusterConfigurationArgs{
			ExecuteCommandConfiguration: &ecs.ClusterConfigurationExecuteCommandConfigurationArgs{
				Logging: pulumi.String("OVERRIDE"),
				LogConfiguration: &ecs.ClusterConfigurationExecuteCommandConfigurationLogConfigurationArgs{
					CloudWatchLogGroupName:      args.ExecLogGroupName,
					CloudWatchEncryptionEnabled: pulumi.Bool(false),
				},
			},
		}
	}
	cluster, err := ecs.NewCluster(ctx, name, ca, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	cps, err := ecs.NewClusterCapacityProviders(ctx, name, &ecs.ClusterCapacityProvidersArgs{
		ClusterName:       cluster.Name,
		CapacityProviders: pulumi.StringArray{pulumi.String("FARGATE"), pulumi.String("FARGATE_SPOT")},
		DefaultCapacityProviderStrategies: ecs.ClusterCapacityProvidersDefaultCapacityProviderStrategyArray{
			&ecs.ClusterCapacityProvidersDefaultCapacityProviderStrategyArgs{
				CapacityProvider: pulumi.String("FARGATE"),
				Weight:           pulumi.Int(1),
				Base:             pulumi.Int(0),
			},
		},
	}, pulumi.Parent(c))
	if err != nil {
		return nil, err
	}
	c.Cluster, c.Name, c.CapacityProviders = cluster, cluster.Name, cps
	outputs := pulumi.Map{"clusterName": cluster.Name, "clusterArn": cluster.Arn}
	if args.Namespace != "" {
		// Never renamed: name and description force a new namespace
		// (terraform-provider-aws internal/service/servicediscovery/
		// http_namespace.go: name and description ForceNew), which every
		// service names; no cluster default (serviceConnectDefaults could
		// not be unset later): each service names the namespace itself.
		c.Namespace, err = servicediscovery.NewHttpNamespace(ctx, name+"-namespace", &servicediscovery.HttpNamespaceArgs{
			Name: pulumi.String(args.Namespace),
			Tags: args.Tags,
		}, pulumi.Parent(c))
		if err != nil {
			return nil, err
		}
		outputs["namespaceArn"] = c.Namespace.Arn
	}
	return c, ctx.RegisterResourceOutputs(c, outputs)
}
