package infra

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// task reads the task size, architecture, capacity, port and the app's
// environment and shutdown timings.
func (r *configReader) task(c *Config) {
	c.CPU = r.integer("cpu", 256, 256, 16384)
	c.Memory = r.integer("memory", 512, 512, 122880)
	if allowed, ok := fargateMemory[c.CPU]; !ok {
		r.fail("cpu", strconv.Itoa(c.CPU), "Fargate CPU units must be one of "+joinInts(slices.Sorted(maps.Keys(fargateMemory))))
	} else if !slices.Contains(allowed, c.Memory) {
		r.failCombo(fmt.Sprintf("config keys %q and %q: memory %d MiB is not a valid Fargate size for cpu %d: allowed memory is %s",
			r.key("cpu"), r.key("memory"), c.Memory, c.CPU, describeMemory(c.CPU)))
	}

	c.DesiredCount = r.integer("desiredCount", 1, 0, 5000)
	c.ContainerPort = r.integer("containerPort", 8080, 0, 65535)
	c.Architecture = r.oneOf("architecture", "X86_64", "X86_64", "ARM64")
	c.Spot = r.boolean("spot", false)
	// ECS developer guide, "AWS Fargate capacity providers": Linux tasks
	// with the ARM64 architecture don't support FARGATE_SPOT. The service
	// would wait out its steady-state timeout with no task ever placed.
	if c.Spot && c.Architecture == "ARM64" {
		r.failCombo(fmt.Sprintf("config keys %q (true) and %q (ARM64): Fargate Spot does not run ARM64 tasks; set spot: false or architecture: X86_64",
			r.key("spot"), r.key("architecture")))
	}
	c.Environment = r.stringMap("environment", false)
	c.DrainDelaySeconds = r.integer("drainDelaySeconds", 5, 0, 110)
	c.StopTimeoutSeconds = r.integer("stopTimeout", 30, 2, 120)
	if c.DrainDelaySeconds+5 > c.StopTimeoutSeconds {
		r.failCombo(fmt.Sprintf("config keys %q (%d) and %q (%d): the drain delay plus 5 s for in-flight requests must fit in the stop timeout, or ECS kills the app mid-drain",
			r.key("drainDelaySeconds"), c.DrainDelaySeconds, r.key("stopTimeout"), c.StopTimeoutSeconds))
	}
}
