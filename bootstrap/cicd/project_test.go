package cicd

import (
	"reflect"
	"sort"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// Pulumi.yaml declares exactly the keys LoadConfig reads, with the types
// the CLI checks stack config against (the SDK's own project loader).
func TestProjectFileDeclaresEveryKey(t *testing.T) {
	proj, err := workspace.LoadProject("../Pulumi.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if proj.Name != "fargateship-bootstrap" {
		t.Errorf("project name %q", proj.Name)
	}
	got := map[string]string{}
	for k, v := range proj.Config {
		if v.Type != nil {
			got[k] = *v.Type
		}
	}
	want := map[string]string{
		"githubRepository": "string", "deployBranch": "string", "devEnvironment": "string",
		"prodEnvironment": "string", "reaperEnvironment": "string", "projectName": "string",
		"existingOidcProviderArn": "string", "stateBucketName": "string",
		"secretsKmsKeyArns": "object", "hostedZoneIds": "array", "services": "object",
	}
	if !reflect.DeepEqual(got, want) {
		keys := func(m map[string]string) []string {
			var k []string
			for x := range m {
				k = append(k, x+":"+m[x])
			}
			sort.Strings(k)
			return k
		}
		t.Errorf("Pulumi.yaml config:\n got %v\nwant %v", keys(got), keys(want))
	}
}
