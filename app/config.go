package main

import (
	"fmt"
	"strconv"
	"time"
)

// Defaults live here, in one place. A task definition (and `make local`,
// which runs its container definition) sets PORT, DRAIN_DELAY and
// SHUTDOWN_TIMEOUT itself; these apply to `go run .` and a bare `docker run`.
const (
	defaultPort            = 8080
	defaultGreeting        = "Hello from ECS Fargate!"
	defaultDrainDelay      = 5 * time.Second
	defaultShutdownTimeout = 10 * time.Second
)

// Config is everything the process reads from its environment. It is parsed
// once, up front, for every subcommand, so a typo in the task definition fails
// the task at start (visible in the ECS console as a stopped task with a
// reason) instead of surfacing later as odd behaviour.
type Config struct {
	Port            int
	Greeting        string
	DrainDelay      time.Duration
	ShutdownTimeout time.Duration
	// MetadataURI is ECS_CONTAINER_METADATA_URI_V4; empty outside ECS.
	MetadataURI string
}

// parseConfig reads the environment through getenv (not os.Getenv) so tests
// can pass a map instead of mutating the process environment.
func parseConfig(getenv func(string) string) (Config, error) {
	cfg := Config{
		Port:            defaultPort,
		Greeting:        defaultGreeting,
		DrainDelay:      defaultDrainDelay,
		ShutdownTimeout: defaultShutdownTimeout,
		MetadataURI:     getenv("ECS_CONTAINER_METADATA_URI_V4"),
	}

	if v := getenv("PORT"); v != "" {
		p, err := strconv.Atoi(v)
		if err != nil || p < 1 || p > 65535 {
			return Config{}, fmt.Errorf("PORT: invalid value %q: want an integer from 1 to 65535", v)
		}
		cfg.Port = p
	}

	// An empty GREETING means "unset": getenv cannot tell the two apart, and
	// an empty greeting is never what anyone meant.
	if v := getenv("GREETING"); v != "" {
		cfg.Greeting = v
	}

	if v := getenv("DRAIN_DELAY"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return Config{}, fmt.Errorf("DRAIN_DELAY: invalid value %q: want a Go duration >= 0, such as 5s", v)
		}
		cfg.DrainDelay = d
	}

	if v := getenv("SHUTDOWN_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return Config{}, fmt.Errorf("SHUTDOWN_TIMEOUT: invalid value %q: want a Go duration > 0, such as 10s", v)
		}
		cfg.ShutdownTimeout = d
	}

	return cfg, nil
}
