package infra

import (
	"encoding/json"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// RegistryArgs configures the private ECR repository that holds the app's images.
type RegistryArgs struct {
	// Name is the repository name (unique per account and region).
	Name string
	// KeepTaggedImages bounds how many tagged images the lifecycle policy keeps.
	KeepTaggedImages int
	// KMSKeyARN is a customer managed key; empty uses the AWS managed aws/ecr key.
	KMSKeyARN string
	// Protect keeps the repository on `pulumi destroy`; when false the
	// repository is force-deleted together with its images.
	Protect bool
	// Tags go on the repository.
	Tags pulumi.StringMap
}

// Registry is a private ECR repository: immutable tags (a tag names one
// image forever, so a task definition revision always runs what it says),
// scan on push, KMS encryption, and a lifecycle policy.
type Registry struct {
	pulumi.ResourceState

	// Repository is the ECR repository.
	Repository *ecr.Repository
	// URL is the repository URL (ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME).
	URL pulumi.StringOutput
	// Name is the repository name.
	Name pulumi.StringOutput
	// RegistryID is the account id that owns the registry.
	RegistryID pulumi.StringOutput
}

// lifecycleRule is one ECR lifecycle policy rule, marshalled to the JSON
// ECR documents (https://docs.aws.amazon.com/AmazonECR/latest/userguide/lifecycle_policy_parameters.html).
type lifecycleRule struct {
	RulePriority int                `json:"rulePriority"`
	Description  string             `json:"description"`
	Selection    lifecycleSelection `json:"selection"`
	Action       lifecycleAction    `json:"action"`
}

type lifecycleSelection struct {
	TagStatus   string `json:"tagStatus"`
	CountType   string `json:"countType"`
	CountUnit   string `json:"countUnit,omitempty"`
	CountNumber int    `json:"countNumber"`
}

type lifecycleAction struct {
	Type string `json:"type"`
}

// LifecyclePolicy returns the repository's lifecycle policy document:
// untagged images (left behind by interrupted pushes) expire after a day,
// and only the newest keep tagged images stay, which bounds storage cost
// while keeping recent rollback targets.
func LifecyclePolicy(keep int) (string, error) {
	doc := struct {
		Rules []lifecycleRule `json:"rules"`
	}{Rules: []lifecycleRule{
		{
			RulePriority: 1,
			Description:  "Expire untagged images after 1 day",
			Selection:    lifecycleSelection{TagStatus: "untagged", CountType: "sinceImagePushed", CountUnit: "days", CountNumber: 1},
			Action:       lifecycleAction{Type: "expire"},
		},
		{
			RulePriority: 2,
			Description:  "Keep only the newest tagged images",
			Selection:    lifecycleSelection{TagStatus: "any", CountType: "imageCountMoreThan", CountNumber: keep},
			Action:       lifecycleAction{Type: "expire"},
		},
	}}
	b, err := json.Marshal(doc)
	return string(b), err
}

// NewRegistry creates the repository and its lifecycle policy.
func NewRegistry(ctx *pulumi.Context, name string, args *RegistryArgs, opts ...pulumi.ResourceOption) (*Registry, error) {
	r := &Registry{}
	if err := ctx.RegisterComponentResource("fargateship:index:Registry", name, r, opts...); err != nil {
		return nil, err
	}
	policy, err := LifecyclePolicy(args.KeepTaggedImages)
	if err != nil {
		return nil, err
	}
	enc := &ecr.RepositoryEncryptionConfigurationArgs{EncryptionType: pulumi.String("KMS")}
	if args.KMSKeyARN != "" {
		enc.KmsKey = pulumi.String(args.KMSKeyARN)
	}
	repo, err := ecr.NewRepository(ctx, name, &ecr.RepositoryArgs{
		Name:                       pulumi.String(args.Name),
		ImageTagMutability:         pulumi.String("IMMUTABLE"),
		ImageScanningConfiguration: &ecr.RepositoryImageScanningConfigurationArgs{ScanOnPush: pulumi.Bool(true)},
		EncryptionConfigurations:   ecr.RepositoryEncryptionConfigurationArray{enc},
		ForceDelete:                pulumi.Bool(!args.Protect),
		Tags:                       args.Tags,
	}, pulumi.Parent(r), pulumi.Protect(args.Protect))
	if err != nil {
		return nil, err
	}
	if _, err := ecr.NewLifecyclePolicy(ctx, name, &ecr.LifecyclePolicyArgs{
		Repository: repo.Name,
		Policy:     pulumi.String(policy),
	}, pulumi.Parent(r)); err != nil {
		return nil, err
	}
	r.Repository, r.URL, r.Name, r.RegistryID = repo, repo.RepositoryUrl, repo.Name, repo.RegistryId
	return r, ctx.RegisterResourceOutputs(r, pulumi.Map{
		"repositoryUrl":  repo.RepositoryUrl,
		"repositoryName": repo.Name,
	})
}
