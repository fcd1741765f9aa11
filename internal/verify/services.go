package verify

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// ServiceOutputs is one entry of the stack's `services` output (a stack
// with several services: a map from the service's name in the stack to
// these). The verifier uses serviceName, taskDefinitionArn, url and image;
// the commands (logsCommand, execCommand, runTaskCommand) are for people.
type ServiceOutputs struct {
	ServiceName       string `json:"serviceName"`
	TaskDefinitionArn string `json:"taskDefinitionArn"`
	URL               string `json:"url"`
	Image             string `json:"image"`
}

// Target is one service the verifier checks: its name in the stack (""
// for a stack with one service), the ECS service, the task definition that
// must be PRIMARY, the revision its URL must report and its image.
type Target struct {
	Name              string
	ServiceName       string
	TaskDefinitionArn string
	Revision          int
	URL               string
	Image             string
}

// Label names the target in reports: its stack name, or the ECS service
// name for a stack with one service.
func (t Target) Label() string {
	if t.Name != "" {
		return t.Name
	}
	return t.ServiceName
}

// Targets are the services to verify: every entry of the `services` output
// (sorted by name) when the stack has one, else the one service of the
// top-level outputs.
func (o Outputs) Targets() []Target {
	if len(o.Services) == 0 {
		return []Target{{ServiceName: o.ServiceName, TaskDefinitionArn: o.TaskDefinitionArn, Revision: o.TaskDefinitionRevision, URL: o.URL}}
	}
	names := make([]string, 0, len(o.Services))
	for n := range o.Services {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]Target, 0, len(names))
	for _, n := range names {
		s := o.Services[n]
		t := Target{Name: n, ServiceName: s.ServiceName, TaskDefinitionArn: s.TaskDefinitionArn, URL: s.URL, Image: s.Image}
		if _, rev, ok := ParseTaskDefinitionArn(s.TaskDefinitionArn); ok {
			t.Revision = rev
		}
		out = append(out, t)
	}
	return out
}

// parseServices decodes the `services` output: an object whose values are
// objects with non-empty serviceName and taskDefinitionArn strings (url and
// image are optional strings; other keys are ignored).
func parseServices(v json.RawMessage) (map[string]ServiceOutputs, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(v, &raw); err != nil {
		return nil, fmt.Errorf("stack output \"services\" is not an object of services: %.80s", v)
	}
	out := make(map[string]ServiceOutputs, len(raw))
	for name, entry := range raw {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(entry, &fields); err != nil {
			return nil, fmt.Errorf("stack output \"services\": %q is not an object: %.80s", name, entry)
		}
		var s ServiceOutputs
		for key, dst := range map[string]*string{"serviceName": &s.ServiceName, "taskDefinitionArn": &s.TaskDefinitionArn, "url": &s.URL, "image": &s.Image} {
			f, ok := fields[key]
			if !ok || string(f) == "null" {
				continue
			}
			if err := json.Unmarshal(f, dst); err != nil {
				return nil, fmt.Errorf("stack output \"services\": %s.%s is not a string: %s", name, key, f)
			}
			if *dst == "[secret]" {
				*dst = ""
			}
			*dst = strings.TrimSpace(*dst)
		}
		var missing []string
		if s.ServiceName == "" {
			missing = append(missing, "serviceName")
		}
		if s.TaskDefinitionArn == "" {
			missing = append(missing, "taskDefinitionArn")
		}
		if len(missing) > 0 {
			return nil, fmt.Errorf("stack output \"services\": %s has no %s", name, strings.Join(missing, " and "))
		}
		out[name] = s
	}
	return out, nil
}

// ecrImage matches an image in a private ECR registry:
// ACCOUNT.dkr.ecr.REGION.amazonaws.com[.cn]/REPOSITORY[:TAG][@sha256:DIGEST].
var ecrImage = regexp.MustCompile(`^[0-9]{12}\.dkr\.ecr(-fips)?\.[a-z0-9-]+\.amazonaws\.com(\.cn)?/([a-z0-9._/-]+?)(?::([A-Za-z0-9_][A-Za-z0-9._-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?$`)

// ScanTarget is one image whose ECR scan is checked.
type ScanTarget struct {
	Label       string // the services it belongs to ("" for the top-level outputs)
	Repository  string
	ImageTag    string
	ImageDigest string
	NotECR      string // an image of the outputs that is not in ECR (not scanned)
}

// ScanTargets are the images to check: the top-level repositoryName /
// imageTag / imageDigest when present, then every service image that is in
// ECR and not already listed; a service image elsewhere is listed with
// NotECR set.
func (o Outputs) ScanTargets() []ScanTarget {
	var out []ScanTarget
	key := func(repo, tag, digest string) string {
		if digest != "" {
			return repo + "@" + digest
		}
		return repo + ":" + tag
	}
	seen := map[string]int{}
	if o.RepositoryName != "" {
		out = append(out, ScanTarget{Repository: o.RepositoryName, ImageTag: o.ImageTag, ImageDigest: o.ImageDigest})
		seen[key(o.RepositoryName, o.ImageTag, o.ImageDigest)] = 0
	}
	for _, t := range o.Targets() {
		if t.Image == "" || t.Name == "" {
			continue
		}
		m := ecrImage.FindStringSubmatch(t.Image)
		if m == nil || (m[4] == "" && m[5] == "") {
			out = append(out, ScanTarget{Label: t.Name, NotECR: t.Image})
			continue
		}
		k := key(m[3], m[4], m[5])
		if i, ok := seen[k]; ok {
			out[i].Label = strings.TrimPrefix(out[i].Label+", "+t.Name, ", ")
			continue
		}
		seen[k] = len(out)
		out = append(out, ScanTarget{Label: t.Name, Repository: m[3], ImageTag: m[4], ImageDigest: m[5]})
	}
	return out
}
