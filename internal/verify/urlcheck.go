package verify

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// AppInfo is what the app answers on GET /.
type AppInfo struct {
	Greeting         string `json:"greeting"`
	Task             string `json:"task"`
	Family           string `json:"family"`
	Revision         string `json:"revision"`
	AvailabilityZone string `json:"availabilityZone"`
}

// URLResult is the outcome of the URL check.
type URLResult struct {
	Label    string // the service, in a stack with several
	URL      string
	OK       bool
	Problem  string // why it is not OK (the last attempt's problem)
	Info     AppInfo
	Attempts int
}

// URLOptions configures CheckURL.
type URLOptions struct {
	Label            string // the service, in a stack with several
	URL              string
	ExpectedRevision int // 0: any revision is accepted
	Wait             time.Duration
	Interval         time.Duration
	Client           *http.Client
}

// NormalizeURL adds http:// when the URL has no scheme and drops a trailing
// slash.
func NormalizeURL(u string) string {
	u = strings.TrimSpace(u)
	if !strings.Contains(u, "://") {
		u = "http://" + u
	}
	return strings.TrimRight(u, "/")
}

// CheckURL checks that GET /healthz answers 200 and that GET / reports the
// expected revision, retrying (a load balancer may still route to draining
// targets) until opts.Wait has passed. Progress lines are printed when the
// observed problem changes.
func CheckURL(ctx context.Context, opts URLOptions, progress io.Writer) URLResult {
	base := NormalizeURL(opts.URL)
	res := URLResult{Label: opts.Label, URL: base}
	client := opts.Client
	if client == nil {
		client = &http.Client{Timeout: 10 * time.Second}
	}
	interval := opts.Interval
	if interval <= 0 {
		interval = 5 * time.Second
	}
	deadline := time.Now().Add(opts.Wait)
	last := ""
	for {
		res.Attempts++
		info, problem := probeOnce(ctx, client, base, opts.ExpectedRevision)
		res.Info = info
		if problem == "" {
			res.OK, res.Problem = true, ""
			return res
		}
		res.Problem = problem
		if problem != last {
			_, _ = fmt.Fprintf(progress, "url: %s\n", problem)
			last = problem
		}
		remaining := time.Until(deadline)
		if remaining <= 0 {
			return res
		}
		select {
		case <-ctx.Done():
			res.Problem = ctx.Err().Error()
			return res
		case <-time.After(min(interval, remaining)):
		}
	}
}

func probeOnce(ctx context.Context, client *http.Client, base string, expectedRevision int) (AppInfo, string) {
	var info AppInfo
	status, _, err := get(ctx, client, base+"/healthz")
	if err != nil {
		return info, fmt.Sprintf("GET /healthz: %v", err)
	}
	if status != http.StatusOK {
		return info, fmt.Sprintf("GET /healthz answered %d, want 200", status)
	}
	status, body, err := get(ctx, client, base+"/")
	if err != nil {
		return info, fmt.Sprintf("GET /: %v", err)
	}
	if status != http.StatusOK {
		return info, fmt.Sprintf("GET / answered %d, want 200", status)
	}
	info, err = ParseAppInfo(body)
	if err != nil {
		return info, fmt.Sprintf("GET /: %v", err)
	}
	if expectedRevision != 0 && info.Revision != strconv.Itoa(expectedRevision) {
		return info, fmt.Sprintf("GET / reports revision %q (task %s), want %d", info.Revision, info.Task, expectedRevision)
	}
	return info, ""
}

// ParseAppInfo decodes the app's GET / answer; revision may be a string or a
// number.
func ParseAppInfo(body []byte) (AppInfo, error) {
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		return AppInfo{}, fmt.Errorf("answer is not a JSON object: %.80q", body)
	}
	s := func(k string) string {
		switch v := raw[k].(type) {
		case string:
			return v
		case float64:
			return strconv.FormatFloat(v, 'f', -1, 64)
		case nil:
			return ""
		default:
			return fmt.Sprint(v)
		}
	}
	info := AppInfo{
		Greeting:         s("greeting"),
		Task:             s("task"),
		Family:           s("family"),
		Revision:         s("revision"),
		AvailabilityZone: s("availabilityZone"),
	}
	if info.Revision == "" {
		return info, fmt.Errorf("answer has no \"revision\" field")
	}
	return info, nil
}

func get(ctx context.Context, client *http.Client, url string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, nil, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return resp.StatusCode, nil, err
	}
	return resp.StatusCode, body, nil
}

// WriteURLReport prints the URL check's result in one or two lines.
func WriteURLReport(w io.Writer, r URLResult) {
	of := ""
	if r.Label != "" {
		of = " of " + r.Label
	}
	if r.OK {
		_, _ = fmt.Fprintf(w, "URL%s %s: /healthz 200, / reports revision %s (task %s, %s): OK\n", of, r.URL, r.Info.Revision, orDash(r.Info.Task), orDash(r.Info.AvailabilityZone))
		return
	}
	_, _ = fmt.Fprintf(w, "URL%s %s: FAIL after %d attempt(s): %s\n", of, r.URL, r.Attempts, r.Problem)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
