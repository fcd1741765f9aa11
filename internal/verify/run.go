package verify

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// Result is Run's outcome: the exit code and a one-line summary.
type Result struct {
	Code    int
	Summary string
}

// verdicts collects what fails the run (exit 1) and what leaves it
// unproven (exit 2), each labelled with its service when there are
// several.
type verdicts struct {
	labelled          bool
	failures, pending []string
}

func (v *verdicts) label(t Target, s string) string {
	if v.labelled && t.Label() != "" {
		return t.Label() + ": " + s
	}
	return s
}

func (v *verdicts) fail(t Target, s string) { v.failures = append(v.failures, v.label(t, s)) }

// Run performs the checks and prints progress, the reports and a final
// RESULT line to w. Its inputs must already be validated (Missing is empty).
func Run(ctx context.Context, cfg Config, cl Clients, w io.Writer) Result {
	o := cfg.Outputs
	p := func(format string, a ...any) { _, _ = fmt.Fprintf(w, format, a...) }
	targets := o.Targets()
	v := &verdicts{labelled: len(o.Services) > 0}
	if v.labelled {
		p("verify: %d service(s) in cluster %s, timeout %s\n", len(targets), o.ClusterName, cfg.Timeout)
		for _, t := range targets {
			p("  %s: service %s, expecting %s (revision %d)\n", t.Label(), t.ServiceName, ShortTaskDef(t.TaskDefinitionArn), t.Revision)
		}
	} else {
		p("verify: service %s/%s, expecting %s (revision %d), timeout %s\n",
			o.ClusterName, o.ServiceName, ShortTaskDef(o.TaskDefinitionArn), o.TaskDefinitionRevision, cfg.Timeout)
	}

	results := WaitForDeployments(ctx, cl.ECS, WaitOptions{
		Cluster:  o.ClusterName,
		Targets:  targets,
		Timeout:  cfg.Timeout,
		Interval: cfg.Interval,
		Settle:   cfg.Settle,
		Clock:    cfg.Clock,
		OnExpiredCredentials: func() {
			if c, ok := cl.Credentials.(*aws.CredentialsCache); ok {
				c.Invalidate()
			}
		},
	}, w)
	for i, r := range results {
		reportDeployment(ctx, cfg, cl, w, v, targets[i], r)
	}
	for i, t := range targets {
		checkTargetURL(ctx, cfg, cl, w, v, t, results[i])
	}
	checkAllAlarms(ctx, cfg, cl, w, v, results)
	checkAllScans(ctx, cfg, cl, w, v)

	var res Result
	switch {
	case len(v.failures) > 0:
		res = Result{ExitFailed, "FAILED: " + strings.Join(v.failures, "; ")}
	case len(v.pending) > 0:
		res = Result{ExitTimedOut, strings.Join(v.pending, "; ")}
	case v.labelled:
		var parts []string
		for _, t := range targets {
			parts = append(parts, t.Label()+" "+ShortTaskDef(t.TaskDefinitionArn))
		}
		res = Result{ExitOK, fmt.Sprintf("OK: %d service(s) deployed: %s", len(targets), strings.Join(parts, ", "))}
	default:
		res = Result{ExitOK, fmt.Sprintf("OK: %s revision %d is deployed", ShortTaskDef(o.TaskDefinitionArn), o.TaskDefinitionRevision)}
	}
	p("RESULT: %s\n", res.Summary)
	return res
}

// reportDeployment prints one service's deployment verdict, and the
// failure report when it is not OK.
func reportDeployment(ctx context.Context, cfg Config, cl Clients, w io.Writer, v *verdicts, t Target, r DeployResult) {
	p := func(format string, a ...any) { _, _ = fmt.Fprintf(w, format, a...) }
	name := "deployment"
	if v.labelled {
		name += " " + t.Label()
	}
	switch {
	case r.Err != nil:
		v.fail(t, oneLine(r.Err.Error()))
		p("%s: error: %s\n", name, oneLine(r.Err.Error()))
		return
	case r.Outcome == OutcomeOK:
		p("%s: OK: %s (after %s)\n", name, r.Reason, r.Elapsed.Truncate(time.Second))
		for _, warn := range r.Warnings {
			p("  WARNING: %s\n", warn)
		}
		for _, n := range r.Notes {
			p("  Note: %s\n", n)
		}
		return
	case r.Outcome.ExitCode() == ExitTimedOut:
		v.pending = append(v.pending, strings.ToUpper(r.Outcome.String())+": "+v.label(t, r.Reason))
	default:
		v.fail(t, r.Reason)
	}
	rep := Diagnose(ctx, cl.ECS, cl.Logs, r, DiagnoseOptions{
		Cluster:         cfg.Outputs.ClusterName,
		Service:         t.ServiceName,
		ExpectedTaskDef: t.TaskDefinitionArn,
		LogGroup:        cfg.Outputs.LogGroupName,
		LogPrefix:       cfg.LogPrefix,
		Container:       cfg.Container,
		Events:          cfg.Events,
		StoppedTasks:    cfg.StoppedTasks,
		LogLines:        cfg.LogLines,
	})
	WriteFailureReport(w, rep)
	p("\n")
}

// checkTargetURL checks one service's URL when its deployment succeeded.
func checkTargetURL(ctx context.Context, cfg Config, cl Clients, w io.Writer, v *verdicts, t Target, r DeployResult) {
	p := func(format string, a ...any) { _, _ = fmt.Fprintf(w, format, a...) }
	label := ""
	if v.labelled {
		label = t.Label()
	}
	of := ""
	if label != "" {
		of = " of " + label
	}
	switch {
	case t.URL == "":
		p("URL%s: none in the stack outputs (no load balancer); skipped\n", of)
	case cfg.SkipURL:
		p("URL%s: skipped (-skip-url)\n", of)
	case r.Err == nil && r.Outcome == OutcomeNotVerified:
		p("URL%s %s: not checked, desired count 0: no task serves it\n", of, NormalizeURL(t.URL))
	case r.Err != nil || r.Outcome != OutcomeOK:
		p("URL%s %s: not checked, the deployment did not succeed\n", of, NormalizeURL(t.URL))
	default:
		ur := CheckURL(ctx, URLOptions{
			Label:            label,
			URL:              t.URL,
			ExpectedRevision: t.Revision,
			Wait:             cfg.URLWait,
			Interval:         min(cfg.Interval, 5*time.Second),
			Client:           cl.HTTP,
		}, w)
		WriteURLReport(w, ur)
		if !ur.OK {
			v.fail(t, "URL check: "+ur.Problem)
		}
	}
}

// checkAllAlarms reads the stack's alarms and the services' deployment
// alarms. They are read whatever the rollout did: an alarm in ALARM is
// worth knowing after a rollback too, and a deployment alarm in ALARM is a
// definite failure (exit 1) even when the rollout only timed out.
func checkAllAlarms(ctx context.Context, cfg Config, cl Clients, w io.Writer, v *verdicts, results []DeployResult) {
	p := func(format string, a ...any) { _, _ = fmt.Fprintf(w, format, a...) }
	if !cfg.CheckAlarms {
		p("Alarms: skipped (-check-alarms=false)\n")
		return
	}
	deployment := DeploymentAlarms(results)
	names := append([]string(nil), cfg.Outputs.AlarmNames...)
	var extra []string
	for n := range deployment {
		found := false
		for _, s := range names {
			found = found || s == n
		}
		if !found {
			extra = append(extra, n)
		}
	}
	sort.Strings(extra)
	names = append(names, extra...)
	switch {
	case len(names) == 0 && cfg.Outputs.AlarmNames == nil:
		p("Alarms: none in the stack outputs (no alarmNames output: alarms are off); skipped\n")
		return
	case len(names) == 0:
		p("Alarms: the alarmNames output is empty; nothing to check\n")
		return
	}
	ar, err := CheckAlarms(ctx, cl.CloudWatch, names)
	if err != nil {
		p("Alarms: error: %s\n", oneLine(err.Error()))
		v.failures = append(v.failures, oneLine(err.Error()))
		return
	}
	ar.Deployment, ar.FailOnAny = deployment, cfg.FailOnAnyAlarm
	WriteAlarmReport(w, ar)
	if ar.Failed() {
		v.failures = append(v.failures, ar.Problem())
	}
}

// DeploymentAlarms maps each deployment alarm of the services (their
// deploymentConfiguration.alarms.alarmNames, when enabled) to the labels of
// the services it belongs to.
func DeploymentAlarms(results []DeployResult) map[string][]string {
	m := map[string][]string{}
	for _, r := range results {
		if r.Service == nil || r.Service.DeploymentConfiguration == nil {
			continue
		}
		a := r.Service.DeploymentConfiguration.Alarms
		if a == nil || !a.Enable {
			continue
		}
		for _, n := range a.AlarmNames {
			m[n] = append(m[n], r.Target.Label())
		}
	}
	return m
}

// checkAllScans checks the ECR scan of every image of the outputs.
func checkAllScans(ctx context.Context, cfg Config, cl Clients, w io.Writer, v *verdicts) {
	p := func(format string, a ...any) { _, _ = fmt.Fprintf(w, format, a...) }
	if cfg.SkipScan {
		p("Image scan: skipped (-skip-scan)\n")
		return
	}
	for _, st := range cfg.Outputs.ScanTargets() {
		t := Target{Name: st.Label}
		if st.NotECR != "" {
			p("Image scan of %s: %s is not in ECR; not scanned\n", st.Label, st.NotECR)
			continue
		}
		sr, err := CheckScan(ctx, cl.ECR, ScanOptions{
			Repository:  st.Repository,
			ImageTag:    st.ImageTag,
			ImageDigest: st.ImageDigest,
			Threshold:   cfg.Threshold,
			RequireScan: cfg.RequireScan,
			Wait:        cfg.ScanWait,
			Interval:    min(cfg.Interval, 5*time.Second),
		}, w)
		if err != nil {
			p("Image scan: error: %s\n", oneLine(err.Error()))
			v.fail(t, oneLine(err.Error()))
			continue
		}
		WriteScanReport(w, sr, cfg.MaxFindings)
		if sr.Failed() {
			if sr.Blocking() > 0 {
				v.fail(t, fmt.Sprintf("image scan: %d finding(s) at or above %s", sr.Blocking(), sr.Threshold))
			} else {
				v.fail(t, "image scan: no completed scan ("+strings.ToLower(sr.Status)+")")
			}
		}
	}
}
