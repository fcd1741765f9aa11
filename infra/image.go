package infra

import (
	"fmt"
	"net/url"
	"path/filepath"

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

// dockerProvider is the pulumi-docker plugin every docker resource of the
// program requests, and the docker.Image inputs that never vary. All of it
// is part of the image tag (ImageProviderIdentity, through Hash): the
// provider rebuilds and pushes when its inputs or its own context digest
// change, and a provider upgrade may change that digest's algorithm, so any
// change here must give a new tag, or the push of an existing tag fails.
var dockerProvider = struct {
	// Version is requested explicitly with pulumi.Version; a test holds it
	// equal to the docker SDK version in go.mod.
	Version        string
	BuilderVersion docker.BuilderVersion
	// BuildOnPreview makes `pulumi preview` run the build (never the push:
	// provider/image.go dockerBuild returns before ImagePush when
	// isPreview), so a broken Dockerfile fails the pull-request preview.
	BuildOnPreview bool
	SkipPush       bool
}{
	Version:        "4.10.0",
	BuilderVersion: docker.BuilderVersionBuilderBuildKit,
	BuildOnPreview: true,
	SkipPush:       false,
}

// ImageProviderIdentity names the docker provider version and the fixed
// docker.Image settings; Hash covers it.
func ImageProviderIdentity() string {
	return fmt.Sprintf("pulumi-docker %s builderVersion=%s buildOnPreview=%t skipPush=%t",
		dockerProvider.Version, dockerProvider.BuilderVersion, dockerProvider.BuildOnPreview, dockerProvider.SkipPush)
}

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
	// Ref is REGISTRY/REPOSITORY:TAG, the reference the task definition
	// runs; known at preview time, even before the repository exists.
	Ref pulumi.StringOutput
	// Digest is the pushed manifest reference (REPOSITORY_URL@sha256:...).
	Digest pulumi.StringOutput
}

// registryHost is the host of an ECR authorization token's proxyEndpoint
// ("https://ACCOUNT.dkr.ecr.REGION.amazonaws.com").
func registryHost(proxyEndpoint string) (string, error) {
	u, err := url.Parse(proxyEndpoint)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("ECR proxy endpoint %q is not a URL with a host", proxyEndpoint)
	}
	return u.Host, nil
}

// NewAppImage builds and pushes the image with a registry token fetched on
// every run (ECR tokens last 12 hours, so a stored one would go stale). The
// token's password changes every run, but the provider's Diff ignores
// registry username and password (provider/provider.go diffUpdates), so a
// new token alone rebuilds nothing.
//
// The image name is REGISTRY_HOST/REPOSITORY_NAME:TAG, with the host from
// the token (the caller's own registry, where the program creates the
// repository) and the name from the repository (an input, so known during
// a preview). Every input is then known during a preview, even the first one
// of a new stack, which the provider requires to build on preview
// (provider/provider.go ensureMinimumBuildInputs); the repository URL would
// be unknown until the repository exists. At `up` the name is checked
// against the repository URL.
func NewAppImage(ctx *pulumi.Context, name string, args *AppImageArgs, opts ...pulumi.ResourceOption) (*AppImage, error) {
	if args.Tag == "" {
		return nil, fmt.Errorf("app image %s: empty tag", name)
	}
	a := &AppImage{Tag: args.Tag}
	if err := ctx.RegisterComponentResource("fargateship:index:AppImage", name, a, opts...); err != nil {
		return nil, err
	}
	token := ecr.GetAuthorizationTokenOutput(ctx, ecr.GetAuthorizationTokenOutputArgs{}, pulumi.Parent(a))
	host := token.ProxyEndpoint().ApplyT(registryHost).(pulumi.StringOutput)
	a.Ref = pulumi.Sprintf("%s/%s:%s", host, args.Registry.Name, a.Tag)
	// Fails the `up` if the token's registry is not the repository's.
	check := pulumi.All(host, args.Registry.Name, args.Registry.URL).ApplyT(func(v []any) (string, error) {
		want := v[0].(string) + "/" + v[1].(string)
		if got := v[2].(string); got != want {
			return "", fmt.Errorf("app image %s: repository URL %q is not %q (the ECR token's registry and the repository name)", name, got, want)
		}
		return want, nil
	}).(pulumi.StringOutput)

	buildArgs := pulumi.StringMap{}
	for k, v := range args.Build.Args {
		buildArgs[k] = pulumi.String(v)
	}
	build := &docker.DockerBuildArgs{
		Context:        pulumi.String(filepath.ToSlash(args.Build.Context)),
		Platform:       pulumi.String(args.Build.Platform),
		BuilderVersion: dockerProvider.BuilderVersion,
		Args:           buildArgs,
	}
	if args.Build.Dockerfile != "" {
		build.Dockerfile = pulumi.String(filepath.ToSlash(args.Build.Dockerfile))
	}
	if args.Build.Target != "" {
		build.Target = pulumi.String(args.Build.Target)
	}
	img, err := docker.NewImage(ctx, name, &docker.ImageArgs{
		ImageName:      a.Ref,
		Build:          build,
		BuildOnPreview: pulumi.Bool(dockerProvider.BuildOnPreview),
		SkipPush:       pulumi.Bool(dockerProvider.SkipPush),
		Registry: &docker.RegistryArgs{
			// The repository URL (the provider logs in to its host). Unknown
			// in a new stack's first preview, where the provider takes the
			// host from imageName; a preview does not push anyway.
			Server:   args.Registry.URL,
			Username: token.UserName(),
			Password: pulumi.ToSecret(token.Password()).(pulumi.StringOutput),
		},
	}, pulumi.Parent(a), pulumi.Version(dockerProvider.Version))
	if err != nil {
		return nil, err
	}
	a.Image = img
	a.Digest = img.RepoDigest
	return a, ctx.RegisterResourceOutputs(a, pulumi.Map{
		"ref":        a.Ref,
		"digest":     img.RepoDigest,
		"repository": check,
	})
}
