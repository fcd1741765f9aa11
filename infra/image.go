package infra

import (
	"fmt"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi-docker/sdk/v4/go/docker"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Platform maps an ECS cpuArchitecture to the docker build platform, so one
// config value decides both and an image built on an Apple-silicon laptop
// can never land on an x86 task (or the reverse).
func Platform(architecture string) string {
	if architecture == "ARM64" {
		return "linux/arm64"
	}
	return "linux/amd64"
}

// ImageTag is the tag for a build: "src-" and the first 20 hex characters
// (80 bits) of the build inputs' hash. Never "latest": the repository is
// immutable, and the tag must change exactly when the image would.
func ImageTag(hash string) string { return "src-" + hash[:20] }

// AppImageArgs configures the app image build and push.
type AppImageArgs struct {
	// Build is what goes into the build.
	Build BuildInputs
	// Tag is ImageTag of the build inputs' hash, computed before any
	// resource is registered so a broken context fails the run early.
	Tag string
	// Registry is where the image is pushed.
	Registry *Registry
}

// AppImage is the app's container image, built by the docker provider with
// BuildKit for the task's platform and pushed to the private repository.
type AppImage struct {
	pulumi.ResourceState

	// Image is the docker provider's image resource.
	Image *docker.Image
	// Tag is the content-hash tag; known at preview time.
	Tag string
	// Ref is REPOSITORY_URL:TAG, the reference the task definition runs.
	Ref pulumi.StringOutput
	// Digest is the pushed manifest reference (REPOSITORY_URL@sha256:...).
	Digest pulumi.StringOutput
}

// NewAppImage builds and pushes the image with a registry token fetched on
// every run (ECR tokens last 12 hours, so a stored one would go stale).
func NewAppImage(ctx *pulumi.Context, name string, args *AppImageArgs, opts ...pulumi.ResourceOption) (*AppImage, error) {
	if args.Tag == "" {
		return nil, fmt.Errorf("app image %s: empty tag", name)
	}
	a := &AppImage{Tag: args.Tag}
	if err := ctx.RegisterComponentResource("fargateship:index:AppImage", name, a, opts...); err != nil {
		return nil, err
	}
	token := ecr.GetAuthorizationTokenOutput(ctx, ecr.GetAuthorizationTokenOutputArgs{
		RegistryId: args.Registry.RegistryID,
	}, pulumi.Parent(a))
	a.Ref = pulumi.Sprintf("%s:%s", args.Registry.URL, a.Tag)

	buildArgs := pulumi.StringMap{}
	for k, v := range args.Build.Args {
		buildArgs[k] = pulumi.String(v)
	}
	build := &docker.DockerBuildArgs{
		Context:        pulumi.String(args.Build.Context),
		Platform:       pulumi.String(args.Build.Platform),
		BuilderVersion: docker.BuilderVersionBuilderBuildKit,
		Args:           buildArgs,
	}
	if args.Build.Dockerfile != "" {
		build.Dockerfile = pulumi.String(args.Build.Dockerfile)
	}
	if args.Build.Target != "" {
		build.Target = pulumi.String(args.Build.Target)
	}
	img, err := docker.NewImage(ctx, name, &docker.ImageArgs{
		ImageName: a.Ref,
		Build:     build,
		Registry: &docker.RegistryArgs{
			Server:   args.Registry.URL,
			Username: token.UserName(),
			Password: pulumi.ToSecret(token.Password()).(pulumi.StringOutput),
		},
	}, pulumi.Parent(a))
	if err != nil {
		return nil, err
	}
	a.Image = img
	a.Digest = img.RepoDigest
	return a, ctx.RegisterResourceOutputs(a, pulumi.Map{
		"ref":    a.Ref,
		"digest": img.RepoDigest,
	})
}
