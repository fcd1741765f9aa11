// Package local runs a stack's services on the local Docker engine exactly
// as their task definitions (`make local`, cmd/local): each service's image
// built with the Dockerfile, target, args and platform the program uses,
// each container created from the container definition the program
// registers (infra.AppContainer), on one network where each service is
// reachable by its name (the Service Connect twin), with the routed
// services behind a local router that applies the load balancer's listener
// rules. The image test (imagetest/) uses the same code.
//
// This file is its Docker Engine API client.
package local

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"
)

// Engine talks to the Docker Engine API over its unix socket. The paths are
// unversioned, so the daemon answers in its own current API version: the
// fields used here (containers, networks, images, logs, wait) have not
// changed since API 1.25.
// Reference: https://docs.docker.com/reference/api/engine/
type Engine struct {
	Socket string
	client *http.Client
}

// NewEngine returns a client for DOCKER_HOST (unix:// only) or the default
// socket /var/run/docker.sock.
func NewEngine() (*Engine, error) {
	sock := "/var/run/docker.sock"
	if h := os.Getenv("DOCKER_HOST"); h != "" {
		p, ok := strings.CutPrefix(h, "unix://")
		if !ok {
			return nil, fmt.Errorf("DOCKER_HOST=%q: fargateship talks to a local engine over a unix socket only (unix:///path)", h)
		}
		sock = p
	}
	tr := &http.Transport{DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, "unix", sock)
	}}
	return &Engine{Socket: sock, client: &http.Client{Transport: tr}}, nil
}

// Do sends one API request; body (if not nil) is sent as JSON and the
// answer is decoded into out (if not nil). A status of 300 or more is an
// error carrying the daemon's message.
func (e *Engine) Do(ctx context.Context, method, path string, query url.Values, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	u := "http://docker" + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return fmt.Errorf("docker engine %s %s: %w", method, path, err)
	}
	defer func() { _ = resp.Body.Close() }()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		var msg struct{ Message string }
		_ = json.Unmarshal(data, &msg)
		if msg.Message == "" {
			msg.Message = strings.TrimSpace(string(data))
		}
		return &APIError{Status: resp.StatusCode, Message: msg.Message}
	}
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			return fmt.Errorf("docker engine %s %s: decode: %w", method, path, err)
		}
	}
	return nil
}

// APIError is a non-2xx answer of the engine.
type APIError struct {
	Status  int
	Message string
}

func (e *APIError) Error() string { return fmt.Sprintf("docker engine: %d %s", e.Status, e.Message) }

// IsNotFound reports a 404 answer.
func IsNotFound(err error) bool {
	var ae *APIError
	return errors.As(err, &ae) && ae.Status == http.StatusNotFound
}

// Version is the part of GET /version the test reports.
type Version struct {
	Version    string
	APIVersion string `json:"ApiVersion"`
	Os, Arch   string
}

// Version answers GET /version: the engine is reachable and this is it.
func (e *Engine) Version(ctx context.Context) (Version, error) {
	var v Version
	err := e.Do(ctx, http.MethodGet, "/version", nil, nil, &v)
	return v, err
}

// HealthConfig is the engine's container health check. Durations are
// nanoseconds; Test is ["CMD", args...] for the exec form.
type HealthConfig struct {
	Test        []string
	Interval    time.Duration
	Timeout     time.Duration
	Retries     int
	StartPeriod time.Duration
}

// ImageInspect is the part of GET /images/{name}/json the test checks.
type ImageInspect struct {
	ID           string `json:"Id"`
	Size         int64
	Architecture string
	Os           string
	Config       struct {
		User        string
		Entrypoint  []string
		Cmd         []string
		Healthcheck *HealthConfig
		Labels      map[string]string
		StopSignal  string
	}
	RootFS struct{ Layers []string }
}

// Image inspects an image; IsNotFound(err) when it is absent.
func (e *Engine) Image(ctx context.Context, ref string) (ImageInspect, error) {
	var im ImageInspect
	err := e.Do(ctx, http.MethodGet, "/images/"+ref+"/json", nil, nil, &im)
	return im, err
}

// ContainerInspect is the part of GET /containers/{id}/json the test checks.
type ContainerInspect struct {
	ID   string `json:"Id"`
	Name string
	// Path and Args are the process the engine started: the image's
	// ENTRYPOINT followed by the container's Cmd.
	Path  string
	Args  []string
	State struct {
		Status     string
		Running    bool
		OOMKilled  bool
		Pid        int
		ExitCode   int
		StartedAt  time.Time
		FinishedAt time.Time
		Health     *struct {
			Status string
			Log    []struct {
				ExitCode int
				Output   string
			}
		}
	}
	Config struct {
		User        string
		Env         []string
		Healthcheck *HealthConfig
		StopTimeout *int
		StopSignal  string
		Labels      map[string]string
	}
	HostConfig struct {
		ReadonlyRootfs bool
		CapDrop        []string
		CapAdd         []string
		Init           *bool
		Memory         int64
		NanoCpus       int64 `json:"NanoCpus"`
	}
	NetworkSettings struct {
		Ports map[string][]struct{ HostIP, HostPort string }
		// Networks by name: the container's aliases on each.
		Networks map[string]struct {
			Aliases   []string
			IPAddress string
		}
	}
}

// Container inspects a container.
func (e *Engine) Container(ctx context.Context, id string) (ContainerInspect, error) {
	var c ContainerInspect
	err := e.Do(ctx, http.MethodGet, "/containers/"+id+"/json", nil, nil, &c)
	return c, err
}

// Wait blocks until the container stops (POST /containers/{id}/wait) and
// returns its exit code.
func (e *Engine) Wait(ctx context.Context, id string) (int, error) {
	var res struct {
		StatusCode int
		Error      *struct{ Message string }
	}
	if err := e.Do(ctx, http.MethodPost, "/containers/"+id+"/wait", nil, nil, &res); err != nil {
		return 0, err
	}
	if res.Error != nil && res.Error.Message != "" {
		return res.StatusCode, fmt.Errorf("docker engine wait %s: %s", id, res.Error.Message)
	}
	return res.StatusCode, nil
}

// Remove force-removes a container (and its anonymous volumes); a missing
// one is not an error.
func (e *Engine) Remove(ctx context.Context, id string) error {
	err := e.Do(ctx, http.MethodDelete, "/containers/"+id, url.Values{"force": {"1"}, "v": {"1"}}, nil, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}

// Logs returns the container's stdout and stderr lines so far.
func (e *Engine) Logs(ctx context.Context, id string) ([]string, error) {
	var out bytes.Buffer
	if err := e.logs(ctx, id, false, func(_ byte, p []byte) { out.Write(p) }); err != nil {
		return nil, err
	}
	return strings.Split(strings.TrimRight(out.String(), "\n"), "\n"), nil
}

// FollowLogs calls line with each line the container writes (stream 1 is
// stdout, 2 stderr), from its start until it stops or ctx ends.
func (e *Engine) FollowLogs(ctx context.Context, id string, line func(stream byte, text string)) error {
	partial := map[byte]string{}
	err := e.logs(ctx, id, true, func(stream byte, p []byte) {
		text := partial[stream] + string(p)
		for {
			l, rest, ok := strings.Cut(text, "\n")
			if !ok {
				break
			}
			line(stream, l)
			text = rest
		}
		partial[stream] = text
	})
	for _, stream := range []byte{1, 2} {
		if partial[stream] != "" {
			line(stream, partial[stream])
		}
	}
	return err
}

// logs reads the container's log stream, demultiplexed from the engine's
// stream format (an 8-byte header per frame: stream, 0, 0, 0, big-endian
// length) for containers without a TTY.
func (e *Engine) logs(ctx context.Context, id string, follow bool, frame func(stream byte, p []byte)) error {
	u := "http://docker/containers/" + id + "/logs?stdout=1&stderr=1"
	if follow {
		u += "&follow=1"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("docker engine logs %s: %s", id, resp.Status)
	}
	hdr := make([]byte, 8)
	var buf bytes.Buffer
	for {
		if _, err := io.ReadFull(resp.Body, hdr); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		buf.Reset()
		if _, err := io.CopyN(&buf, resp.Body, int64(binary.BigEndian.Uint32(hdr[4:]))); err != nil {
			return err
		}
		frame(hdr[0], buf.Bytes())
	}
}

// Create creates a container named name from the create body and returns
// its id.
func (e *Engine) Create(ctx context.Context, name string, body any) (string, error) {
	var created struct {
		ID string `json:"Id"`
	}
	if err := e.Do(ctx, http.MethodPost, "/containers/create", url.Values{"name": {name}}, body, &created); err != nil {
		return "", fmt.Errorf("create container %s: %w", name, err)
	}
	return created.ID, nil
}

// Start starts a created container.
func (e *Engine) Start(ctx context.Context, id string) error {
	return e.Do(ctx, http.MethodPost, "/containers/"+id+"/start", nil, nil, nil)
}

// Stop stops a container as ECS stops a task's: the stop signal (SIGTERM),
// then SIGKILL after the container's StopTimeout (the task definition's
// stopTimeout). It returns once the container has stopped.
func (e *Engine) Stop(ctx context.Context, id string) error {
	return e.Do(ctx, http.MethodPost, "/containers/"+id+"/stop", nil, nil, nil)
}

// Kill sends SIGKILL; a container that is not running is not an error.
func (e *Engine) Kill(ctx context.Context, id string) error {
	err := e.Do(ctx, http.MethodPost, "/containers/"+id+"/kill", nil, nil, nil)
	var ae *APIError
	if errors.As(err, &ae) && ae.Status == http.StatusConflict {
		return nil
	}
	return err
}

// Summary is an entry of a container or network list.
type Summary struct {
	ID     string `json:"Id"`
	Names  []string
	Name   string
	State  string
	Labels map[string]string
}

// DisplayName is the container's or network's name.
func (s Summary) DisplayName() string {
	if s.Name != "" {
		return s.Name
	}
	if len(s.Names) > 0 {
		return strings.TrimPrefix(s.Names[0], "/")
	}
	return s.ID
}

// labelFilter is the engine's list filter for containers or networks that
// carry every label of labels.
func labelFilter(labels map[string]string) url.Values {
	var f []string
	for k, v := range labels {
		f = append(f, k+"="+v)
	}
	b, _ := json.Marshal(map[string][]string{"label": f})
	return url.Values{"filters": {string(b)}}
}

// Containers lists the containers, running or not, that carry every label
// of labels.
func (e *Engine) Containers(ctx context.Context, labels map[string]string) ([]Summary, error) {
	q := labelFilter(labels)
	q.Set("all", "1")
	var list []Summary
	err := e.Do(ctx, http.MethodGet, "/containers/json", q, nil, &list)
	return list, err
}

// Networks lists the networks that carry every label of labels.
func (e *Engine) Networks(ctx context.Context, labels map[string]string) ([]Summary, error) {
	var list []Summary
	err := e.Do(ctx, http.MethodGet, "/networks", labelFilter(labels), nil, &list)
	return list, err
}

// CreateNetwork creates a bridge network with the engine's embedded DNS,
// where a container's aliases resolve to it, and returns its id.
func (e *Engine) CreateNetwork(ctx context.Context, name string, labels map[string]string) (string, error) {
	var created struct {
		ID string `json:"Id"`
	}
	body := map[string]any{"Name": name, "Driver": "bridge", "CheckDuplicate": true, "Labels": labels}
	if err := e.Do(ctx, http.MethodPost, "/networks/create", nil, body, &created); err != nil {
		return "", fmt.Errorf("create network %s: %w", name, err)
	}
	return created.ID, nil
}

// RemoveNetwork removes a network; a missing one is not an error.
func (e *Engine) RemoveNetwork(ctx context.Context, id string) error {
	err := e.Do(ctx, http.MethodDelete, "/networks/"+id, nil, nil, nil)
	if IsNotFound(err) {
		return nil
	}
	return err
}
