package imagetest

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Load is concurrent keep-alive GET traffic to one URL on loopback, counted
// in two phases: before the stop request and after it (the drain).
type Load struct {
	URL     string
	Clients int
	// MaxPerClient bounds each client's requests whatever the time.
	MaxPerClient int

	draining atomic.Bool
	stopped  atomic.Bool
	wg       sync.WaitGroup
	mu       sync.Mutex
	res      LoadResult
}

// LoadResult counts the requests of each phase.
type LoadResult struct {
	Before, During             int // requests answered 200
	FailedBefore, FailedDuring int
	// ConnClose counts drain answers with `Connection: close`: the app
	// switches keep-alives off when its drain begins.
	ConnClose int
	// FirstErrors keeps a few failures for the report.
	FirstErrors []string
}

// Start runs the clients until Stop. Each has its own connection pool of
// one keep-alive connection, as a load balancer's would be.
func (l *Load) Start(ctx context.Context) {
	for range l.Clients {
		l.wg.Add(1)
		go func() {
			defer l.wg.Done()
			tr := &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}
			defer tr.CloseIdleConnections()
			c := &http.Client{Transport: tr, Timeout: 5 * time.Second}
			for n := 0; n < l.MaxPerClient && !l.stopped.Load() && ctx.Err() == nil; n++ {
				during := l.draining.Load()
				status, closed, err := get(ctx, c, l.URL)
				l.record(during, status, closed, err)
			}
		}()
	}
}

func get(ctx context.Context, c *http.Client, url string) (int, bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, false, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, false, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode, resp.Close, err
}

func (l *Load) record(during bool, status int, closed bool, err error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	ok := err == nil && status == http.StatusOK
	if !ok {
		if len(l.res.FirstErrors) < 5 {
			l.res.FirstErrors = append(l.res.FirstErrors, fmt.Sprintf("during=%v status=%d err=%v", during, status, err))
		}
	}
	switch {
	case during && ok:
		l.res.During++
		if closed {
			l.res.ConnClose++
		}
	case during:
		l.res.FailedDuring++
	case ok:
		l.res.Before++
	default:
		l.res.FailedBefore++
	}
}

// Draining marks the requests sent from now on as drain requests.
func (l *Load) Draining() { l.draining.Store(true) }

// Stop ends the clients (requests in flight finish) and returns the counts.
func (l *Load) Stop() LoadResult {
	l.stopped.Store(true)
	l.wg.Wait()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.res
}
