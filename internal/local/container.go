package local

import (
	"fmt"
	"maps"
	"time"

	"github.com/fargateship/fargateship/infra"
)

// Placement is where a container runs: its network, its name there, its
// labels, and whether its port is published on loopback.
type Placement struct {
	// Network is the network to join; empty is the engine's default
	// bridge.
	Network string
	// Alias is the container's name on Network, where other containers
	// resolve it (the Service Connect twin: http://<alias>:<port>).
	Alias string
	// Labels go on the container.
	Labels map[string]string
	// Publish publishes the container's port on 127.0.0.1, on a free port
	// the engine picks.
	Publish bool
}

// HealthOf is the engine's form of a container definition's health check.
func HealthOf(h *infra.HealthCheck) HealthConfig {
	s := func(n int) time.Duration { return time.Duration(n) * time.Second }
	return HealthConfig{Test: h.Command, Interval: s(h.Interval), Timeout: s(h.Timeout), Retries: h.Retries, StartPeriod: s(h.StartPeriod)}
}

// CreateBody is the Engine API's create body of a container that runs as
// the task definition's container definition def (infra.AppContainer) of
// a task of cfg's size: its image, command (the container's Cmd, after the
// image's ENTRYPOINT: ECS "command ... maps to Cmd"), user, environment
// and secrets (their values from secrets, by name), health check (or none
// at all: the image's own HEALTHCHECK is disabled when the definition has
// none), stop timeout, read-only root, capabilities, init process, its
// docker labels, and the
// task's CPU and memory, which Fargate enforces on the task's cgroup. It
// returns the body and the port key ("8080/tcp"; empty for a worker).
// Anything in def it cannot map is an error, so nothing is dropped
// silently.
func CreateBody(cfg *infra.Config, def infra.ContainerDefinition, secrets map[string]string, p Placement) (map[string]any, string, error) {
	if len(def.MountPoints) > 0 || len(def.VolumesFrom) > 0 || len(def.SystemControls) > 0 {
		return nil, "", fmt.Errorf("container definition of %s: mount points, volumes or system controls: fargateship local does not map them yet", cfg.Name)
	}
	if len(def.PortMappings) > 1 {
		return nil, "", fmt.Errorf("container definition of %s: %d port mappings; fargateship local maps one or none (a worker)", cfg.Name, len(def.PortMappings))
	}
	var env []string
	for _, kv := range def.Environment {
		env = append(env, kv.Name+"="+kv.Value)
	}
	for _, s := range def.Secrets {
		v, ok := secrets[s.Name]
		if !ok {
			return nil, "", fmt.Errorf("service %s: secret %s has no local value", cfg.Name, s.Name)
		}
		env = append(env, s.Name+"="+v)
	}
	host := map[string]any{
		"ReadonlyRootfs": def.ReadonlyRootFilesystem,
		"Memory":         int64(cfg.Memory) << 20,
		"NanoCpus":       int64(cfg.CPU) * 1_000_000_000 / 1024,
	}
	port := ""
	if len(def.PortMappings) == 1 {
		port = fmt.Sprintf("%d/%s", def.PortMappings[0].ContainerPort, def.PortMappings[0].Protocol)
		if p.Publish {
			host["PortBindings"] = map[string]any{port: []map[string]string{{"HostIp": "127.0.0.1", "HostPort": ""}}}
		}
	}
	health := map[string]any{"Test": []string{"NONE"}}
	if def.HealthCheck != nil {
		hc := HealthOf(def.HealthCheck)
		health = map[string]any{"Test": hc.Test, "Interval": hc.Interval, "Timeout": hc.Timeout, "Retries": hc.Retries, "StartPeriod": hc.StartPeriod}
	}
	if lp := def.LinuxParameters; lp != nil {
		host["Init"] = lp.InitProcessEnabled
		if lp.Capabilities != nil {
			host["CapDrop"] = lp.Capabilities.Drop
			host["CapAdd"] = lp.Capabilities.Add
		}
	}
	labels := map[string]string{}
	maps.Copy(labels, def.DockerLabels)
	maps.Copy(labels, p.Labels)
	body := map[string]any{
		"Image":       def.Image,
		"User":        def.User,
		"Env":         env,
		"Healthcheck": health,
		"StopTimeout": def.StopTimeout,
		"Labels":      labels,
		"HostConfig":  host,
	}
	if port != "" {
		body["ExposedPorts"] = map[string]any{port: map[string]any{}}
	}
	if len(def.Command) > 0 {
		body["Cmd"] = def.Command
	}
	if p.Network != "" {
		host["NetworkMode"] = p.Network
		ep := map[string]any{}
		if p.Alias != "" {
			ep["Aliases"] = []string{p.Alias}
		}
		body["NetworkingConfig"] = map[string]any{"EndpointsConfig": map[string]any{p.Network: ep}}
	}
	return body, port, nil
}
