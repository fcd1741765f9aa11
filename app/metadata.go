package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
)

// TaskInfo is the part of the ECS task metadata the app reports on GET /.
// Every field is a string in the v4 metadata JSON (Revision included), and
// stays empty when there is no metadata endpoint, as on a laptop.
type TaskInfo struct {
	TaskARN          string `json:"TaskARN"`
	Family           string `json:"Family"`
	Revision         string `json:"Revision"`
	AvailabilityZone string `json:"AvailabilityZone"`
}

// TaskSource answers which task is serving. GET / depends on this interface
// rather than on *TaskMetadata so handler tests can stub it if they like.
type TaskSource interface {
	Task(ctx context.Context) TaskInfo
}

const (
	// metadataTimeout bounds one fetch. The endpoint is a link-local agent on
	// the task's own host, so it answers in milliseconds or not at all.
	metadataTimeout = 2 * time.Second
	// metadataRetryAfter spaces out retries after a failed fetch: a task
	// whose first fetch failed should still end up reporting its revision
	// (the deploy verifier reads it), without every request paying for a
	// fetch while the endpoint is down.
	metadataRetryAfter = 10 * time.Second
)

// TaskMetadata fetches $ECS_CONTAINER_METADATA_URI_V4/task at most once
// successfully and caches it: a task's ARN, family, revision and zone never
// change during its life.
type TaskMetadata struct {
	uri    string
	client *http.Client
	logger *slog.Logger
	now    func() time.Time

	mu       sync.Mutex // held across a fetch, so concurrent callers wait for one fetch instead of each starting their own
	info     TaskInfo
	ok       bool
	lastFail time.Time
}

// NewTaskMetadata returns a TaskSource for the given endpoint; uri may be
// empty, in which case Task always returns the zero TaskInfo without I/O.
func NewTaskMetadata(uri string, logger *slog.Logger) *TaskMetadata {
	return &TaskMetadata{
		uri:    strings.TrimRight(uri, "/"),
		client: &http.Client{Timeout: metadataTimeout},
		logger: logger,
		now:    time.Now,
	}
}

// Task returns the cached task info, fetching it first if needed. Failure is
// logged and answered with empty fields: the greeting matters more than the
// metadata, and locally there is none.
func (m *TaskMetadata) Task(ctx context.Context) TaskInfo {
	if m.uri == "" {
		return TaskInfo{}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.ok {
		return m.info
	}
	if !m.lastFail.IsZero() && m.now().Sub(m.lastFail) < metadataRetryAfter {
		return TaskInfo{}
	}
	// Detach from the caller's cancellation: if the request that triggered
	// the fetch goes away, the result is still wanted by everyone else.
	info, err := m.fetch(context.WithoutCancel(ctx))
	if err != nil {
		m.lastFail = m.now()
		m.logger.Warn("task metadata unavailable", "error", err.Error())
		return TaskInfo{}
	}
	m.info, m.ok = info, true
	m.logger.Info("task metadata", "task", info.TaskARN, "family", info.Family,
		"revision", info.Revision, "availabilityZone", info.AvailabilityZone)
	return info
}

func (m *TaskMetadata) fetch(ctx context.Context) (TaskInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, metadataTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, m.uri+"/task", nil)
	if err != nil {
		return TaskInfo{}, err
	}
	resp, err := m.client.Do(req)
	if err != nil {
		return TaskInfo{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return TaskInfo{}, fmt.Errorf("GET %s/task: status %d", m.uri, resp.StatusCode)
	}
	var info TaskInfo
	// The full task document lists every container; 1 MiB is far more than
	// it needs and keeps a misbehaving endpoint from eating memory.
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&info); err != nil {
		return TaskInfo{}, fmt.Errorf("GET %s/task: decoding: %w", m.uri, err)
	}
	return info, nil
}
