package local

import (
	"slices"
	"testing"

	"github.com/fargateship/fargateship/infra"
)

// TestApplyOverrides: the schedule's overrides replace the container's
// command, and anything a local run would not apply is refused.
func TestApplyOverrides(t *testing.T) {
	cfg, err := StackFileConfig(root, "examples/worker/stack.yaml")
	if err != nil {
		t.Fatal(err)
	}
	def := infra.AppContainer(cfg, "img", "/ecs/x", "us-east-1", nil, nil)
	run, err := ApplyOverrides(def, infra.ContainerOverrides([]string{"report", "--full"}))
	if err != nil || !slices.Equal(run.Command, []string{"report", "--full"}) || len(def.Command) != 0 {
		t.Errorf("applied: %q (definition %q), %v", run.Command, def.Command, err)
	}
	for _, bad := range []string{
		`{"containerOverrides":[{"name":"other","command":["report"]}]}`,
		`{"containerOverrides":[{"name":"` + def.Name + `","command":[]}]}`,
		`{"containerOverrides":[{"name":"` + def.Name + `","command":["report"],"environment":[]}]}`,
		`{"containerOverrides":[]}`,
		`{"containerOverrides":[{"name":"` + def.Name + `","command":["report"]}],"taskRoleArn":"x"}`,
	} {
		if _, err := ApplyOverrides(def, bad); err == nil {
			t.Errorf("%s applied", bad)
		}
	}
}
