package verify

import (
	"reflect"
	"strings"
	"testing"
)

const (
	webTD    = "arn:aws:ecs:eu-west-1:123456789012:task-definition/fargateship-dev-web:7"
	workerTD = "arn:aws:ecs:eu-west-1:123456789012:task-definition/fargateship-dev-worker:3"
	img      = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/fargateship-dev"
	digest   = "sha256:" + "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12"
)

// The `services` output of a stack with several services (issue 20), next
// to today's one-service outputs.
func TestParseServices(t *testing.T) {
	base := `"clusterName":"fargateship-dev","serviceName":"web","taskDefinitionArn":"` + webTD + `"`
	for _, tc := range []struct {
		name    string
		json    string
		want    []Target
		wantErr string
	}{
		{"absent: the one service", `{` + base + `}`, []Target{{ServiceName: "web", TaskDefinitionArn: webTD, Revision: 7}}, ""},
		{"null", `{` + base + `,"services":null}`, []Target{{ServiceName: "web", TaskDefinitionArn: webTD, Revision: 7}}, ""},
		{"two, sorted by name", `{` + base + `,"services":{
			"worker":{"serviceName":"fargateship-dev-worker","taskDefinitionArn":"` + workerTD + `","image":"` + img + `:v3","logsCommand":"aws logs tail ..."},
			"web":{"serviceName":"fargateship-dev-web","taskDefinitionArn":"` + webTD + `","url":"http://web.example","image":"` + img + `@` + digest + `","execCommand":"aws ecs execute-command ..."}}}`,
			[]Target{
				{Name: "web", ServiceName: "fargateship-dev-web", TaskDefinitionArn: webTD, Revision: 7, URL: "http://web.example", Image: img + "@" + digest},
				{Name: "worker", ServiceName: "fargateship-dev-worker", TaskDefinitionArn: workerTD, Revision: 3, Image: img + ":v3"},
			}, ""},
		{"not an object", `{` + base + `,"services":["web"]}`, nil, `stack output "services" is not an object of services`},
		{"entry not an object", `{` + base + `,"services":{"web":"x"}}`, nil, `stack output "services": "web" is not an object`},
		{"field not a string", `{` + base + `,"services":{"web":{"serviceName":1,"taskDefinitionArn":"x:1"}}}`, nil, `stack output "services": web.serviceName is not a string: 1`},
		{"missing fields", `{` + base + `,"services":{"web":{"url":"http://x"}}}`, nil, `stack output "services": web has no serviceName and taskDefinitionArn`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o, err := ParseOutputs([]byte(tc.json))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := o.Normalize().Targets(); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("targets\n got %+v\nwant %+v", got, tc.want)
			}
		})
	}
}

// With `services`, the top-level serviceName and taskDefinitionArn are not
// required; an explicit -service or -task-definition sets `services` aside.
func TestServicesMissingAndMerge(t *testing.T) {
	o := Outputs{ClusterName: "c", Services: map[string]ServiceOutputs{"web": {ServiceName: "s", TaskDefinitionArn: webTD, Image: img + ":v7"}}}
	if m := o.Missing(true); len(m) != 0 {
		t.Errorf("missing %v: a service image is scanned", m)
	}
	o.Services["web"] = ServiceOutputs{ServiceName: "s", TaskDefinitionArn: webTD}
	if m := strings.Join(o.Missing(true), ", "); m != "repositoryName, imageTag (or imageDigest)" {
		t.Errorf("missing %q, want the image outputs", m)
	}
	if got := o.Merge(Outputs{ServiceName: "other"}); got.Services != nil || len(got.Targets()) != 1 || got.Targets()[0].ServiceName != "other" {
		t.Errorf("-service kept the services output: %+v", got)
	}
	if got := o.Merge(Outputs{ClusterName: "c2"}); len(got.Services) != 1 {
		t.Errorf("-cluster dropped the services output")
	}
}

// The images whose scan is checked: the top-level image, then every ECR
// image of the services once; an image elsewhere is named, not scanned.
func TestScanTargets(t *testing.T) {
	o := Outputs{RepositoryName: "fargateship-dev", ImageTag: "v7", ImageDigest: digest, Services: map[string]ServiceOutputs{
		"web":    {ServiceName: "w", TaskDefinitionArn: webTD, Image: img + ":v7@" + digest},
		"api":    {ServiceName: "a", TaskDefinitionArn: webTD, Image: img + "@" + digest},
		"worker": {ServiceName: "k", TaskDefinitionArn: workerTD, Image: img + "-worker:v3"},
		"proxy":  {ServiceName: "p", TaskDefinitionArn: workerTD, Image: "public.ecr.aws/nginx/nginx:1.27"},
	}}
	want := []ScanTarget{
		{Label: "api, web", Repository: "fargateship-dev", ImageTag: "v7", ImageDigest: digest},
		{Label: "proxy", NotECR: "public.ecr.aws/nginx/nginx:1.27"},
		{Label: "worker", Repository: "fargateship-dev-worker", ImageTag: "v3"},
	}
	if got := o.ScanTargets(); !reflect.DeepEqual(got, want) {
		t.Errorf("scan targets\n got %+v\nwant %+v", got, want)
	}
}
