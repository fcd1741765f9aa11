package local

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/fargateship/fargateship/infra"
)

// ApplyOverrides applies a RunTask overrides document (the JSON the
// program's schedules send as their target's Input, infra.ContainerOverrides)
// to the container definition as ECS does: the override for the container
// of that name replaces its command ("The command to send to the container
// that overrides the default command from the Docker image or the task
// definition", ECS API Reference, ContainerOverride; the command is the
// container's Cmd, after the image's ENTRYPOINT, ECS API Reference,
// ContainerDefinition "command ... maps to Cmd"). Any other field, a
// second override, or none for this container is an error: what runs
// locally would not be what the scheduler runs.
func ApplyOverrides(def infra.ContainerDefinition, overrides string) (infra.ContainerDefinition, error) {
	var doc struct {
		ContainerOverrides []map[string]json.RawMessage `json:"containerOverrides"`
	}
	dec := json.NewDecoder(strings.NewReader(overrides))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&doc); err != nil {
		return def, fmt.Errorf("overrides %s: %w", overrides, err)
	}
	if len(doc.ContainerOverrides) != 1 {
		return def, fmt.Errorf("overrides %s: %d container overrides, want one", overrides, len(doc.ContainerOverrides))
	}
	o := doc.ContainerOverrides[0]
	for k := range o {
		if k != "name" && k != "command" {
			return def, fmt.Errorf("overrides %s: fargateship applies name and command only, not %q", overrides, k)
		}
	}
	var name string
	if err := json.Unmarshal(o["name"], &name); err != nil || name != def.Name {
		return def, fmt.Errorf("overrides %s name the container %q, the task definition's is %q", overrides, name, def.Name)
	}
	var command []string
	if err := json.Unmarshal(o["command"], &command); err != nil {
		return def, fmt.Errorf("overrides %s: command: %w", overrides, err)
	}
	if len(command) == 0 {
		return def, errors.New("overrides " + overrides + ": no command")
	}
	def.Command = command
	return def, nil
}
