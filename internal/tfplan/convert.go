package tfplan

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource"
)

type exportedResource struct {
	src     *Resource
	tfType  string
	name    string
	address string
}

// link is a reference to an attribute of a resource of the plan.
type link struct {
	to *exportedResource
	// attr is the Terraform attribute referred to (id, arn).
	attr string
}

// linkIndex finds the resource whose ID or ARN a value is. Only values
// that identify exactly one resource are links.
type linkIndex map[string][]link

func newLinkIndex(rs []*exportedResource) linkIndex {
	idx := linkIndex{}
	add := func(v string, l link) {
		if len(v) < 8 { // too short to identify a resource
			return
		}
		for _, have := range idx[v] {
			if have.to == l.to {
				return // the same resource (ID == ARN)
			}
		}
		idx[v] = append(idx[v], l)
	}
	for _, e := range rs {
		if e.src.ID != "" {
			add(e.src.ID, link{to: e, attr: "id"})
		}
		if v, ok := e.src.Outputs["arn"]; ok && v.IsString() {
			add(v.StringValue(), link{to: e, attr: "arn"})
		}
	}
	return idx
}

func (idx linkIndex) find(v string, self *exportedResource) (link, bool) {
	ls := idx[v]
	if len(ls) != 1 || ls[0].to == self {
		return link{}, false
	}
	return ls[0], true
}

// converter turns one resource's inputs into Terraform values, unknowns,
// sensitive markers and configuration expressions.
type converter struct {
	plan  *Plan
	links linkIndex
	self  *exportedResource
}

func (c *converter) note(kind, path, detail string) {
	addr := c.self.address
	if path != "" {
		addr += " " + path
	}
	c.plan.Notes = append(c.plan.Notes, Note{Address: addr, Kind: kind, Detail: detail})
}

// object converts an object of Pulumi properties (a resource's inputs or a
// nested block) into Terraform's after, after_unknown, after_sensitive and
// expressions of that block.
func (c *converter) object(m resource.PropertyMap, path string) (after, unknown, sensitive, exprs map[string]any) {
	after, unknown, sensitive, exprs = map[string]any{}, map[string]any{}, map[string]any{}, map[string]any{}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, string(k))
	}
	sort.Strings(keys)
	for _, k := range keys {
		v := m[resource.PropertyKey(k)]
		if len(k) >= 2 && k[:2] == "__" { // engine bookkeeping (__defaults, ...)
			continue
		}
		secret := false
		for v.IsSecret() {
			secret = true
			v = v.SecretValue().Element
		}
		if v.IsOutput() {
			o := v.OutputValue()
			secret = secret || o.Secret
			if !o.Known {
				name := attributeName(c.self.tfType, k)
				unknown[name] = true
				continue
			}
			v = o.Element
		}
		if v.IsNull() {
			continue
		}
		if v.IsComputed() {
			unknown[attributeName(c.self.tfType, k)] = true
			continue
		}
		switch {
		case v.IsObject() && !isMap(c.self.tfType, k, objectKeys(v.ObjectValue())):
			name := attributeName(c.self.tfType, k)
			a, u, s, e := c.object(v.ObjectValue(), join(path, name))
			after[name] = []any{a}
			unknown[name] = []any{u}
			sensitive[name] = []any{s}
			exprs[name] = []any{e}
		case v.IsArray() && isObjectArray(v.ArrayValue()):
			name := blockName(c.self.tfType, k)
			var as, us, ss, es []any
			for i, el := range v.ArrayValue() {
				for el.IsSecret() {
					el = el.SecretValue().Element
				}
				a, u, s, e := c.object(el.ObjectValue(), fmt.Sprintf("%s[%d]", join(path, name), i))
				as, us, ss, es = append(as, a), append(us, u), append(ss, s), append(es, e)
			}
			after[name], unknown[name], sensitive[name], exprs[name] = as, us, ss, es
		default:
			name := attributeName(c.self.tfType, k)
			if v.IsString() {
				if l, ok := c.links.find(v.StringValue(), c.self); ok {
					exprs[name] = map[string]any{"references": []any{l.to.address + "." + l.attr, l.to.address}}
					if l.attr == "id" || l.attr == "arn" {
						// Computed by the provider on create: unknown in
						// the plan, and absent from after (Trivy follows
						// the reference only then).
						unknown[name] = true
						continue
					}
					after[name] = v.StringValue()
					continue
				}
			}
			val := plain(v)
			after[name] = val
			exprs[name] = map[string]any{"constant_value": val}
			if secret {
				sensitive[name] = true
			}
		}
	}
	return after, unknown, sensitive, exprs
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

func objectKeys(m resource.PropertyMap) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, string(k))
	}
	return out
}

func isObjectArray(a []resource.PropertyValue) bool {
	if len(a) == 0 {
		return false
	}
	for _, el := range a {
		for el.IsSecret() {
			el = el.SecretValue().Element
		}
		if !el.IsObject() {
			return false
		}
	}
	return true
}

// plain is a property value as plain JSON values (secrets unwrapped,
// resource references as their IDs, assets as their paths).
func plain(v resource.PropertyValue) any {
	switch {
	case v.IsSecret():
		return plain(v.SecretValue().Element)
	case v.IsOutput():
		return plain(v.OutputValue().Element)
	case v.IsNull(), v.IsComputed():
		return nil
	case v.IsString():
		return v.StringValue()
	case v.IsNumber():
		return v.NumberValue()
	case v.IsBool():
		return v.BoolValue()
	case v.IsArray():
		out := []any{}
		for _, e := range v.ArrayValue() {
			out = append(out, plain(e))
		}
		return out
	case v.IsObject():
		out := map[string]any{}
		for k, e := range v.ObjectValue() {
			out[string(k)] = plain(e)
		}
		return out
	case v.IsResourceReference():
		ref := v.ResourceReferenceValue()
		if id, ok := ref.IDString(); ok {
			return id
		}
		return string(ref.URN)
	case v.IsAsset():
		a := v.AssetValue()
		if a.Path != "" {
			return a.Path
		}
		return a.Text
	case v.IsArchive():
		return v.ArchiveValue().Path
	}
	return fmt.Sprint(v.V)
}

// trivyContainer mirrors what Trivy v0.74 decodes of each container
// definition (pkg/iac/providers/aws/ecs.containerDefinitionJSON): if the
// JSON does not decode into it, Trivy drops every container of the task
// definition without a word, and its container checks pass vacuously.
type trivyContainer struct {
	Name         string `json:"name"`
	Image        string `json:"image"`
	CPU          string `json:"cpu"`
	Memory       string `json:"memory"`
	Essential    bool   `json:"essential"`
	PortMappings []struct {
		ContainerPort int `json:"containerPort"`
		HostPort      int `json:"hostPort"`
	} `json:"portMappings"`
	Environment []struct {
		Name  string `json:"name"`
		Value string `json:"value"`
	} `json:"environment"`
	Privileged bool `json:"privileged"`
}

// containerDefinitions rewrites a task definition's container_definitions
// so that Trivy can read it: ECS's cpu and memory are numbers, but Trivy
// v0.74 decodes them as strings (aquasecurity/trivy#6434 made them strings
// for CloudFormation), and a number makes it drop every container silently.
// They are written as strings; the result must decode as Trivy decodes it.
func (c *converter) containerDefinitions(after, exprs map[string]any) error {
	raw, ok := after["container_definitions"].(string)
	if !ok {
		return nil
	}
	var defs []map[string]any
	if err := json.Unmarshal([]byte(raw), &defs); err != nil {
		return fmt.Errorf("container_definitions is not a JSON array of objects: %w", err)
	}
	rewritten := false
	for _, d := range defs {
		for _, k := range []string{"cpu", "memory"} {
			if n, ok := d[k].(float64); ok {
				d[k] = strconv.FormatFloat(n, 'f', -1, 64)
				rewritten = true
			}
		}
	}
	b, err := json.Marshal(defs)
	if err != nil {
		return err
	}
	var check []trivyContainer
	if err := json.Unmarshal(b, &check); err != nil {
		return fmt.Errorf("container_definitions would not decode in Trivy (its containers would be skipped without a word): %w", err)
	}
	if rewritten {
		c.note(NoteRewritten, "container_definitions",
			"each container's cpu and memory written as JSON strings: Trivy v0.74 decodes them as strings and skips every container of a task definition where they are numbers (aquasecurity/trivy#6434)")
	}
	after["container_definitions"] = string(b)
	exprs["container_definitions"] = map[string]any{"constant_value": string(b)}
	return nil
}
