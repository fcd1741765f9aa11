package infra

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/ecr"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// imageMocks answers NewAppImage's calls. With newRepository, the
// repository returns only its inputs, as the engine does for a resource it
// would create during a preview: its URL and registry id are unknown.
type imageMocks struct {
	newRepository bool
	password      string
	// url overrides the repository URL the repository reports.
	url string

	mu    sync.Mutex
	image *pulumi.MockResourceArgs
}

func (m *imageMocks) NewResource(args pulumi.MockResourceArgs) (string, resource.PropertyMap, error) {
	out := args.Inputs.Copy()
	m.mu.Lock()
	defer m.mu.Unlock()
	switch args.TypeToken {
	case "aws:ecr/repository:Repository":
		name := args.Inputs["name"].StringValue()
		if !m.newRepository {
			u := mockAccount + ".dkr.ecr." + mockRegion + ".amazonaws.com/" + name
			if m.url != "" {
				u = m.url
			}
			out["repositoryUrl"] = resource.NewStringProperty(u)
			out["registryId"] = resource.NewStringProperty(mockAccount)
		}
		return name, out, nil
	case "docker:index/image:Image":
		a := args
		m.image = &a
	}
	return args.Name + "-id", out, nil
}

func (m *imageMocks) Call(args pulumi.MockCallArgs) (resource.PropertyMap, error) {
	return resource.NewPropertyMapFromMap(map[string]any{
		"userName": "AWS", "password": m.password,
		"proxyEndpoint": "https://" + mockAccount + ".dkr.ecr." + mockRegion + ".amazonaws.com",
	}), nil
}

// runImage runs NewAppImage on a real ECR repository resource under mocks,
// as a preview (dryRun) or an up.
func runImage(t *testing.T, m *imageMocks, dryRun bool) (*pulumi.MockResourceArgs, error) {
	t.Helper()
	if m.password == "" {
		m.password = "token-1"
	}
	build := BuildInputs{Root: projectRoot, Context: AppDir, Dockerfile: AppDir + "/Dockerfile", Platform: "linux/arm64"}
	h, err := build.Hash()
	if err != nil {
		t.Fatal(err)
	}
	err = pulumi.RunErr(func(ctx *pulumi.Context) error {
		repo, err := ecr.NewRepository(ctx, "app", &ecr.RepositoryArgs{Name: pulumi.String("fargateship-dev")})
		if err != nil {
			return err
		}
		reg := &Registry{Repository: repo, URL: repo.RepositoryUrl, Name: repo.Name, RegistryID: repo.RegistryId}
		_, err = NewAppImage(ctx, "app", &AppImageArgs{Build: build, Tag: ImageTag(h), Registry: reg})
		return err
	}, pulumi.WithMocks("fargateship", "dev", m), func(info *pulumi.RunInfo) {
		info.DryRun = dryRun
		info.RootDirectory = projectRoot
	})
	return m.image, err
}

// TestImagePreviewBuildsWithoutPush: pulumi-docker v4.10.0 builds during a
// preview only when buildOnPreview is true and the image name, context,
// Dockerfile and args are known (provider/provider.go canPreview,
// ensureMinimumBuildInputs); a preview build never pushes (provider/image.go
// dockerBuild returns after the build when isPreview, before ImagePush).
// Here the preview is the first one of a new stack: the repository does not
// exist yet, and the build must still run.
func TestImagePreviewBuildsWithoutPush(t *testing.T) {
	img, err := runImage(t, &imageMocks{newRepository: true}, true)
	if err != nil {
		t.Fatal(err)
	}
	if img == nil {
		t.Fatal("no docker.Image registered")
	}
	in := &res{Inputs: img.Inputs}
	if got := in.in("buildOnPreview"); got != true {
		t.Errorf("buildOnPreview = %v, want true: previews would not build the image", got)
	}
	if got := in.in("skipPush"); got != false {
		t.Errorf("skipPush = %v, want false: `up` must push", got)
	}
	// Unknown inputs are absent under mocks: present means known.
	wantName := mockAccount + ".dkr.ecr." + mockRegion + ".amazonaws.com/fargateship-dev:src-"
	if name, _ := in.in("imageName").(string); !strings.HasPrefix(name, wantName) {
		t.Errorf("imageName = %q, want known during the preview, %s<hash>", name, wantName)
	}
	build, _ := in.in("build").(map[string]any)
	for _, k := range []string{"context", "dockerfile", "platform", "builderVersion"} {
		if build[k] == nil {
			t.Errorf("build.%s is unknown or unset during the preview: %v", k, build)
		}
	}
	if build["context"] != AppDir || build["dockerfile"] != AppDir+"/Dockerfile" {
		t.Errorf("build paths = %v, %v; want project-relative %s and %s/Dockerfile", build["context"], build["dockerfile"], AppDir, AppDir)
	}
	if got := img.RegisterRPC.GetVersion(); got != dockerProvider.Version {
		t.Errorf("docker.Image requests provider %q, the tag covers %q", got, dockerProvider.Version)
	}
}

// TestImageWaitsForTheRepositoryAndChecksIt: the image name is built from
// the token's registry host and the repository name, so the image still
// depends on the repository, and an up fails (before any task runs the
// image) if the repository's URL is another registry's.
func TestImageWaitsForTheRepositoryAndChecksIt(t *testing.T) {
	m := &imageMocks{}
	img, err := runImage(t, m, false)
	if err != nil {
		t.Fatal(err)
	}
	deps := img.RegisterRPC.GetDependencies()
	found := false
	for _, d := range deps {
		found = found || strings.HasSuffix(d, "::app") && strings.Contains(d, "aws:ecr/repository:Repository")
	}
	if !found {
		t.Errorf("docker.Image does not depend on the repository: %v", deps)
	}
	_, err = runImage(t, &imageMocks{url: "210987654321.dkr.ecr.us-east-1.amazonaws.com/fargateship-dev"}, false)
	if err == nil || !strings.Contains(err.Error(), "210987654321") {
		t.Errorf("a repository in another registry: err = %v, want one naming its URL", err)
	}
}

// TestTokenPasswordIsOnlyARegistryCredential: the ECR token (and so its
// password) is new on every run. pulumi-docker's Diff ignores changes to
// registry.username and registry.password (provider/provider.go
// diffUpdates; its TestDiffUpdates), so two runs that differ only in the
// token must differ only there.
func TestTokenPasswordIsOnlyARegistryCredential(t *testing.T) {
	a, err := runImage(t, &imageMocks{password: "token-1"}, false)
	if err != nil {
		t.Fatal(err)
	}
	b, err := runImage(t, &imageMocks{password: "token-2"}, false)
	if err != nil {
		t.Fatal(err)
	}
	d := a.Inputs.Diff(b.Inputs)
	if d == nil {
		t.Fatal("the token password is not an input at all")
	}
	if len(d.Adds) != 0 || len(d.Deletes) != 0 || len(d.Updates) != 1 {
		t.Fatalf("inputs differ beyond the registry: %+v", d)
	}
	reg, ok := d.Updates["registry"]
	if !ok || reg.Object == nil || len(reg.Object.Updates) != 1 || reg.Object.Updates["password"].Old.DeepEquals(reg.Object.Updates["password"].New) {
		t.Errorf("a new token changes more than registry.password: %+v", d.Updates)
	}
	if !a.Inputs["registry"].ObjectValue()["password"].ContainsSecrets() {
		t.Error("registry.password is not a secret")
	}
}

// TestDockerProviderVersionIsTheSDKs: the version the tag covers and the
// program requests is the docker SDK's in go.mod, whose types and schema
// match that plugin; bumping one without the other fails here.
func TestDockerProviderVersionIsTheSDKs(t *testing.T) {
	f, err := os.Open(filepath.Join(projectRoot, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	const mod = "github.com/pulumi/pulumi-docker/sdk/v4"
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) >= 2 && fields[0] == mod {
			if fields[1] != "v"+dockerProvider.Version {
				t.Errorf("go.mod requires %s %s; dockerProvider.Version is %s", mod, fields[1], dockerProvider.Version)
			}
			return
		}
	}
	t.Fatalf("go.mod does not require %s", mod)
}

// TestProgramImageIsPreviewBuiltAndNamedForTheRepository: in the whole
// program, the image builds on preview and its name is the repository URL
// and the tag.
func TestProgramImageIsPreviewBuiltAndNamedForTheRepository(t *testing.T) {
	r := mustRun(t, "dev", projectDefaults(t))
	img := r.one(t, "docker:index/image:Image")
	if got := img.in("buildOnPreview"); got != true {
		t.Errorf("buildOnPreview = %v", got)
	}
	url, _ := r.outputs["repositoryUrl"].(string)
	tag, _ := r.outputs["imageTag"].(string)
	if got := img.in("imageName"); url == "" || got != url+":"+tag {
		t.Errorf("imageName = %v, want %s:%s", got, url, tag)
	}
}
