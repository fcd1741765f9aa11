package cicd

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// stackRoleKeys are the main program's config keys that take the roles the
// bootstrap creates for a stack, and the output each one comes from
// ("<stack>" + the output suffix).
var stackRoleKeys = map[string]string{
	"executionRoleArn": "ExecutionRoleArn",
	"taskRoleArn":      "TaskRoleArn",
	"flowLogsRoleArn":  "FlowLogsRoleArn",
	"schedulerRoleArn": "SchedulerRoleArn",
}

var configSetRe = regexp.MustCompile("pulumi config set --stack (dev|prod) +([A-Za-z]+) +(arn:aws:iam::<acct>:[^ `\n]+)")

// The set-up commands in docs/delivery.md give the dev and
// prod stacks exactly the bootstrap's role outputs, under config keys the
// main program declares (Pulumi.yaml), every key for both stacks.
func TestDocsSetTheBootstrapRolesOnDevAndProd(t *testing.T) {
	m := mustRun(t, map[string]string{"githubRepository": "acme/fargateship"})
	project, err := os.ReadFile(filepath.Join("..", "..", "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for key := range stackRoleKeys {
		if !regexp.MustCompile(`(?m)^  ` + key + `:$`).Match(project) {
			t.Errorf("Pulumi.yaml declares no config key %s", key)
		}
	}
	for _, doc := range []string{"docs/delivery.md"} {
		raw, err := os.ReadFile(filepath.Join("..", "..", doc))
		if err != nil {
			t.Fatal(err)
		}
		var set []string
		for _, c := range configSetRe.FindAllStringSubmatch(string(raw), -1) {
			stack, key, arn := c[1], c[2], strings.ReplaceAll(c[3], "<acct>", testAccount)
			set = append(set, stack+" "+key)
			suffix, ok := stackRoleKeys[key]
			if !ok {
				t.Errorf("%s sets %s on %s: not a role key of the main program", doc, key, stack)
				continue
			}
			if want := m.exports[stack+suffix]; arn != want {
				t.Errorf("%s sets %s on %s to %s, but the bootstrap output %s is %v", doc, key, stack, arn, stack+suffix, want)
			}
		}
		var want []string
		for _, stack := range []string{"dev", "prod"} {
			for key := range stackRoleKeys {
				want = append(want, stack+" "+key)
			}
		}
		sort.Strings(set)
		sort.Strings(want)
		if !reflect.DeepEqual(set, want) {
			t.Errorf("%s sets %q, want each of %q once", doc, set, want)
		}
	}
}
