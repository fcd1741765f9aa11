package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// WaitOptions configures WaitForDeployments.
type WaitOptions struct {
	Cluster string
	// Targets are the services to watch. When empty, Service and
	// TaskDefinitionArn name the one service.
	Targets           []Target
	Service           string
	TaskDefinitionArn string
	Timeout           time.Duration // bound on waiting for the rollouts
	Interval          time.Duration // between polls
	// Settle is how long a completed rollout is watched before it counts:
	// a task of the new revision that crashes in that time (or crashed
	// since the deployment began) fails it.
	Settle time.Duration
	Clock  Clock // nil: the real clock
	// OnExpiredCredentials is called after a call failed on expired
	// credentials, before the next poll (NewClients: it invalidates the
	// credentials cache, so the SDK fetches new ones).
	OnExpiredCredentials func()
}

func (o WaitOptions) targets() []Target {
	if len(o.Targets) > 0 {
		return o.Targets
	}
	return []Target{{ServiceName: o.Service, TaskDefinitionArn: o.TaskDefinitionArn}}
}

// DeployResult is the outcome of the wait for one service, with the last
// service observation (nil when the service was not found).
type DeployResult struct {
	Verdict
	Target             Target
	Service            *ecstypes.Service
	ServiceDeployments *ServiceDeployments
	// SDUnavailable says why service deployments could not be read ("" when
	// they could): the verdict then rests on DescribeServices alone.
	SDUnavailable string
	Crashes       []ecstypes.Task // tasks of the new revision that crashed since its deployment began
	HealthKills   []ecstypes.Task // ... or were stopped after failing health checks (not failures)
	Warnings      []string
	Notes         []string // problems met while watching
	Elapsed       time.Duration
	Err           error // an AWS error that ended the wait
}

// WaitForDeployment waits for one service (opts.Service,
// opts.TaskDefinitionArn); see WaitForDeployments.
func WaitForDeployment(ctx context.Context, api ECSAPI, opts WaitOptions, progress io.Writer) (DeployResult, error) {
	r := WaitForDeployments(ctx, api, opts, progress)[0]
	return r, r.Err
}

// WaitForDeployments polls every target until its verdict stands: the
// PRIMARY deployment runs the expected task definition, its rollout (and
// service deployment) completed, and its tasks did not crash for
// opts.Settle; or it is clear that it will not (rolled back, failed,
// replaced, missing, desired count 0); or opts.Timeout passed. Services are
// read together (DescribeServices, 10 a call) on each poll. Transient
// errors (see Transient) are "still waiting" until the deadline. It prints
// one progress line per state change (prefixed by the target's label when
// there are several).
func WaitForDeployments(ctx context.Context, api ECSAPI, opts WaitOptions, progress io.Writer) []DeployResult {
	clock := clockOr(opts.Clock)
	interval := opts.Interval
	if interval <= 0 {
		interval = 10 * time.Second
	}
	start := clock.Now()
	deadline := start.Add(opts.Timeout)
	targets := opts.targets()
	ws := make([]*watcher, len(targets))
	for i, t := range targets {
		ws[i] = &watcher{
			t: t, opts: opts, clock: clock, start: start, progress: progress, labelled: len(targets) > 1,
			sd: newSDReader(api, opts.Cluster, t.ServiceName), tasks: newStoppedTaskReader(api, opts.Cluster, t.ServiceName),
		}
		ws[i].res.Target = t
	}
	for {
		now := clock.Now()
		var pending []*watcher
		var names []string
		for _, w := range ws {
			if !w.done {
				pending = append(pending, w)
				names = append(names, w.t.ServiceName)
			}
		}
		svcs, reasons, err := describeServices(ctx, api, opts.Cluster, names)
		var missing *missingError
		for _, w := range pending {
			switch {
			case errors.As(err, &missing):
				w.decide(now, Verdict{Outcome: OutcomeMissing, Reason: missing.Error()})
			case err != nil && Transient(ctx, err):
				w.transient(now, err)
			case err != nil:
				w.res.Err = err
				w.decide(now, Verdict{})
			default:
				w.step(ctx, now, svcs[w.t.ServiceName], reasons[w.t.ServiceName])
			}
		}
		next := now.Add(interval)
		waiting := false
		for _, w := range ws {
			settled := w.settleFrom.Add(opts.Settle)
			switch {
			case w.done:
			case w.settling && now.Before(settled):
				// A completed rollout is watched to its end, past the
				// deadline if need be.
				waiting = true
				next = earliest(next, settled)
			case !now.Before(deadline) && (!w.settling || !now.Before(settled)):
				w.timeout(ctx, now)
			default:
				waiting = true
				if deadline.After(now) {
					next = earliest(next, deadline)
				}
			}
		}
		if !waiting {
			break
		}
		if err := clock.Sleep(ctx, max(next.Sub(now), time.Millisecond)); err != nil {
			for _, w := range ws {
				if !w.done {
					w.res.Err = err
					w.decide(clock.Now(), Verdict{})
				}
			}
			break
		}
	}
	out := make([]DeployResult, len(ws))
	for i, w := range ws {
		out[i] = w.res
	}
	return out
}

func earliest(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

// watcher is the state of the wait for one service.
type watcher struct {
	t        Target
	opts     WaitOptions
	clock    Clock
	start    time.Time
	progress io.Writer
	labelled bool
	sd       *sdReader
	tasks    *stoppedTaskReader

	res        DeployResult
	done       bool
	candidate  Verdict // a verdict seen, not yet on enough reads
	seen       int
	interim    *Verdict // a confirmed Interim verdict, given at the deadline
	settling   bool
	settleFrom time.Time
	lastLine   string
	lastNote   string
	sdNoted    bool
}

func (w *watcher) printf(now time.Time, format string, a ...any) {
	label := ""
	if w.labelled {
		label = w.t.Label() + ": "
	}
	_, _ = fmt.Fprintf(w.progress, "[%5s] %s%s\n", now.Sub(w.start).Truncate(time.Second), label, fmt.Sprintf(format, a...))
}

// note prints a progress line once until another one is printed.
func (w *watcher) note(now time.Time, line string) {
	if line != w.lastNote {
		w.printf(now, "%s", line)
		w.lastNote = line
	}
}

func (w *watcher) decide(now time.Time, v Verdict) {
	w.res.Verdict = v
	w.res.Elapsed = now.Sub(w.start)
	w.done = true
}

func (w *watcher) transient(now time.Time, err error) {
	if expiredCredentials(err) && w.opts.OnExpiredCredentials != nil {
		w.opts.OnExpiredCredentials()
	}
	w.note(now, "still waiting: "+Brief(err))
}

func (w *watcher) step(ctx context.Context, now time.Time, svc *ecstypes.Service, failure string) {
	if svc == nil {
		if failure == "" {
			failure = "MISSING"
		}
		w.decide(now, Verdict{Outcome: OutcomeMissing, Reason: fmt.Sprintf("service %s not found in cluster %s (DescribeServices: %s)", w.t.ServiceName, w.opts.Cluster, failure)})
		return
	}
	w.res.Service = svc
	if line := StateLine(svc); line != w.lastLine {
		w.printf(now, "%s", line)
		w.lastLine, w.lastNote = line, ""
	}
	sds, err := w.sd.read(ctx, w.t.TaskDefinitionArn)
	if err != nil {
		w.transient(now, err)
		return
	}
	if w.sd.unavailable != "" && !w.sdNoted {
		w.sdNoted = true
		w.res.SDUnavailable = w.sd.unavailable
		w.printf(now, "service deployments unavailable (%s): judging from DescribeServices alone", w.sd.unavailable)
	}
	w.res.ServiceDeployments = sds
	v := Evaluate(Observation{Service: svc, Deployments: sds}, w.t.TaskDefinitionArn)
	switch v.Outcome {
	case OutcomeOK:
		w.candidate, w.seen = Verdict{}, 0
		w.settle(ctx, now, svc, v)
	case OutcomeWaiting:
		w.candidate, w.seen, w.interim = Verdict{}, 0, nil
		if w.settling {
			w.settling = false
			w.printf(now, "no longer settled: %s", orDash(v.Reason))
		}
	default:
		w.settling = false
		if v == w.candidate {
			w.seen++
		} else {
			w.candidate, w.seen = v, 1
		}
		if w.seen >= max(1, v.Reads) {
			if !v.Interim {
				w.decide(now, v)
				return
			}
			if w.interim == nil || *w.interim != v {
				w.printf(now, "%s: %s; watching until it ends", strings.ToUpper(v.Outcome.String()), v.Reason)
			}
			w.interim = &v
			return
		}
		w.note(now, fmt.Sprintf("looks %s: %s (to be confirmed by the next read)", strings.ToUpper(v.Outcome.String()), v.Reason))
	}
}

// settle watches a completed rollout: a crashed task of the new revision
// fails it; after opts.Settle without one it is OK.
func (w *watcher) settle(ctx context.Context, now time.Time, svc *ecstypes.Service, v Verdict) {
	if !w.settling {
		w.settling, w.settleFrom = true, now
		if w.opts.Settle > 0 {
			w.printf(now, "rollout done (%s); watching the new tasks for %s", v.Reason, w.opts.Settle)
		}
	}
	scanned, err := w.scan(ctx, svc)
	if err != nil && Transient(ctx, err) {
		w.transient(now, err)
		return
	}
	if err != nil && !scanned {
		w.res.Notes = appendOnce(w.res.Notes, "cannot check the new tasks for crashes: "+oneLine(err.Error()))
	}
	if len(w.res.Crashes) > 0 {
		w.decide(now, Verdict{Outcome: OutcomeFailed, Reason: crashReason(w.res.Crashes, w.t.TaskDefinitionArn)})
		return
	}
	if now.Sub(w.settleFrom) < w.opts.Settle {
		return
	}
	p := PrimaryDeployment(svc)
	if p.RunningCount != p.DesiredCount {
		w.res.Warnings = append(w.res.Warnings, fmt.Sprintf("the rollout COMPLETED, but %d of %d desired tasks run (a task being replaced: Spot interruption, Availability Zone rebalancing, scaling); not a failure", p.RunningCount, p.DesiredCount))
	}
	if n := len(w.res.HealthKills); n > 0 {
		w.res.Warnings = append(w.res.Warnings, fmt.Sprintf("%d task(s) of %s were stopped after failing health checks since the deployment began (not crashes: see the health check): %s", n, ShortTaskDef(w.t.TaskDefinitionArn), taskIDs(w.res.HealthKills)))
	}
	if w.res.SDUnavailable != "" {
		w.res.Warnings = append(w.res.Warnings, "service deployments unavailable ("+w.res.SDUnavailable+"): a rollback that restored the same task definition cannot be told from a success")
	}
	if w.opts.Settle > 0 {
		v.Reason += fmt.Sprintf("; no task crashed while it settled (%s)", w.opts.Settle)
	}
	w.decide(now, v)
}

// scan reads the service's stopped tasks and keeps those of the PRIMARY
// deployment (when it runs the expected revision) that crashed or were
// stopped for failing health checks. scanned is false when nothing could
// be read.
func (w *watcher) scan(ctx context.Context, svc *ecstypes.Service) (scanned bool, err error) {
	p := PrimaryDeployment(svc)
	if p == nil || !SameTaskDef(w.t.TaskDefinitionArn, aws.ToString(p.TaskDefinition)) {
		return false, nil
	}
	tasks, err := w.tasks.read(ctx)
	w.res.Notes = appendOnce(w.res.Notes, w.tasks.notes...)
	if err != nil {
		return false, err
	}
	w.res.Crashes, w.res.HealthKills = nil, nil
	for _, t := range tasks {
		if !ofDeployment(t, p, w.t.TaskDefinitionArn) {
			continue
		}
		switch {
		case Crashed(t):
			w.res.Crashes = append(w.res.Crashes, t)
		case HealthKilled(t):
			w.res.HealthKills = append(w.res.HealthKills, t)
		}
	}
	SortStoppedTasks(w.res.Crashes, w.t.TaskDefinitionArn)
	return true, nil
}

// timeout ends the wait: an interim verdict (a rollback under way) stands;
// a crash of the new revision is a failure; anything else a timeout naming
// the last state.
func (w *watcher) timeout(ctx context.Context, now time.Time) {
	if w.interim != nil {
		v := *w.interim
		v.Reason += fmt.Sprintf(" (still so after %s)", w.opts.Timeout)
		w.decide(now, v)
		return
	}
	if svc := w.res.Service; svc != nil {
		if _, err := w.scan(ctx, svc); err == nil && len(w.res.Crashes) > 0 {
			w.decide(now, Verdict{Outcome: OutcomeFailed, Reason: crashReason(w.res.Crashes, w.t.TaskDefinitionArn) + fmt.Sprintf(" (the rollout had not completed after %s)", w.opts.Timeout)})
			return
		}
	}
	last := w.lastLine
	if last == "" || w.settling {
		last = w.lastNote
	}
	reason := fmt.Sprintf("timed out after %s; last state: %s", w.opts.Timeout, orDash(last))
	if w.settling {
		reason = fmt.Sprintf("timed out after %s: the rollout completed, but its new tasks could not be checked for crashes; last: %s", w.opts.Timeout, orDash(last))
	}
	if w.candidate.Outcome != OutcomeWaiting {
		reason += fmt.Sprintf("; last read: %s (not confirmed)", w.candidate.Reason)
	}
	w.decide(now, Verdict{Outcome: OutcomeTimedOut, Reason: reason})
}

func crashReason(crashes []ecstypes.Task, expected string) string {
	t := crashes[0]
	detail := string(t.StopCode)
	if r := aws.ToString(t.StoppedReason); r != "" {
		detail += ": " + r
	}
	for _, c := range t.Containers {
		if c.ExitCode != nil && *c.ExitCode != 0 {
			detail += fmt.Sprintf(", container %s exit code %d", aws.ToString(c.Name), *c.ExitCode)
		}
	}
	return fmt.Sprintf("%d task(s) of %s crashed since its deployment began (the circuit breaker stops counting once a task ran); latest: task %s %s",
		len(crashes), ShortTaskDef(expected), taskID(aws.ToString(t.TaskArn)), detail)
}

func taskIDs(tasks []ecstypes.Task) string {
	ids := make([]string, len(tasks))
	for i, t := range tasks {
		ids[i] = taskID(aws.ToString(t.TaskArn))
	}
	return strings.Join(ids, ", ")
}

func appendOnce(list []string, items ...string) []string {
	for _, it := range items {
		found := false
		for _, l := range list {
			found = found || l == it
		}
		if !found {
			list = append(list, it)
		}
	}
	return list
}
