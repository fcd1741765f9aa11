// Package imagetest proves app/Dockerfile on a real Docker engine: it builds
// the image with BuildKit (linux/amd64, and linux/arm64 cross-built), runs it
// with exactly the settings the program's task definition gives the
// container (infra.AppContainer), and drives it through health, routes and a
// drain under load. The example services of README "Deploy your own
// service" (examples/api, examples/worker) are built and run the same way,
// each with the config its examples/<name>/stack.yaml gives
// (examples_test.go). The tests are image_test.go and examples_test.go
// (build tag imagetest, run by `make image-test`); this file is their
// Docker Engine API client.
package imagetest

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
// fields used here (create, start, inspect, stop, wait, logs, history) have
// not changed since API 1.25.
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
			return nil, fmt.Errorf("DOCKER_HOST=%q: the image test talks to a local engine over a unix socket only (unix:///path)", h)
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
	ID string `json:"Id"`
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

// Logs returns the container's stdout and stderr lines, demultiplexed from
// the engine's stream format (an 8-byte header per frame: stream, 0, 0, 0,
// big-endian length) for containers without a TTY.
func (e *Engine) Logs(ctx context.Context, id string) ([]string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://docker/containers/"+id+"/logs?stdout=1&stderr=1", nil)
	if err != nil {
		return nil, err
	}
	resp, err := e.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("docker engine logs %s: %s", id, resp.Status)
	}
	var out bytes.Buffer
	hdr := make([]byte, 8)
	for {
		if _, err := io.ReadFull(resp.Body, hdr); err != nil {
			if errors.Is(err, io.EOF) {
				break
			}
			return nil, err
		}
		if _, err := io.CopyN(&out, resp.Body, int64(binary.BigEndian.Uint32(hdr[4:]))); err != nil {
			return nil, err
		}
	}
	return strings.Split(strings.TrimRight(out.String(), "\n"), "\n"), nil
}
