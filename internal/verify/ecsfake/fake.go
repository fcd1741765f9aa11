// Package ecsfake is a fake of the part of the Amazon ECS API the deploy
// verifier reads (DescribeServices, ListTasks, DescribeTasks,
// ListServiceDeployments, DescribeServiceDeployments,
// DescribeServiceRevisions), driven by a fake clock. moto creates no
// deployment on UpdateService, completes every service at once and has no
// FAILED state, failedTasks, service events, health status, pagination or
// service deployments; this fake is a state machine written from the ECS
// API reference and the developer guide instead, so that the verifier's
// verdicts are tested against what ECS does:
//
//   - Deployments (API_Deployment): UpdateService with a new task
//     definition, a service-level change or forceNewDeployment creates a new
//     PRIMARY deployment (rolloutState IN_PROGRESS); the previous one
//     becomes ACTIVE and is removed (INACTIVE) when the new one has all its
//     tasks running, which makes it COMPLETED ("ECS deployment ecs-svc/...
//     completed.").
//   - failedTasks (API_Deployment): "A task is considered a failure if the
//     service scheduler can't launch the task, the task doesn't transition
//     to a RUNNING state, or if it fails any of its defined health checks
//     and is stopped. Once a service deployment has one or more
//     successfully running tasks, the failed task count resets to zero and
//     stops being evaluated."
//   - Deployment circuit breaker (API_DeploymentCircuitBreaker,
//     API_ServiceDeploymentCircuitBreaker; "How the Amazon ECS deployment
//     circuit breaker detects failures"): the deployment is FAILED when
//     failedTasks reaches the threshold 0.5 × desired count, at least 3 and
//     at most 200 (the rounding is not documented: rounded up here). With
//     rollback on and a previous COMPLETED deployment ("The rollback method
//     requires a previous deployment in COMPLETED state",
//     deployment-failure-detection), a new PRIMARY deployment of that
//     revision is created; the FAILED one stays ACTIVE until it completes.
//   - Service deployments (API_ServiceDeployment,
//     API_ListServiceDeployments, API_DescribeServiceDeployments; "View
//     service history using Amazon ECS service deployments"): PENDING,
//     IN_PROGRESS, then SUCCESSFUL; a rollback is recorded in the service
//     deployment it undoes (ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS,
//     ROLLBACK_SUCCESSFUL or ROLLBACK_FAILED, with its `rollback` field);
//     without rollback a failed one is STOPPED ("The rollback option is not
//     in use for the failure detection mechanism ... and the service
//     fails").
//   - Tasks (API_Task, API_Container): startedBy is the deployment id,
//     group service:NAME; stopCode TaskFailedToStart,
//     EssentialContainerExited, ServiceSchedulerInitiated or
//     SpotInterruption with a stoppedReason; container exit codes; task and
//     container healthStatus; stopped tasks are listed for an hour.
//   - Service events, newest first, at most 100 (API_Service: events).
//   - Eventual consistency: StaleReads reads after each UpdateService still
//     answer from before it (kayac/ecspresso#945).
//   - Errors as the SDK returns them (errors.go): throttling, 5xx, expired
//     credentials, access denied, an operation the endpoint does not
//     implement; and the documented input limits (InvalidParameterException).
//   - Paging with opaque nextToken values (ListTasks, ListServiceDeployments).
package ecsfake

import (
	"context"
	"fmt"
	"sync"
	"time"

	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Account and Region are those of every ARN the fake makes.
const (
	Account = "123456789012"
	Region  = "eu-west-1"
)

// tick is the step of the simulation.
const tick = time.Second

// stoppedTaskRetention: "Stopped tasks appear in the returned results for at
// least one hour" (API_ListTasks).
const stoppedTaskRetention = time.Hour

// Clock is a fake clock: it moves only when Sleep or Advance is called.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a clock at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Sleep moves the clock by d at once (or returns ctx's error).
func (c *Clock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.Advance(d)
	return nil
}

// Advance moves the clock by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Behavior is how the tasks of a task definition (or of a service
// revision) behave.
type Behavior struct {
	// StartDelay is the time from launch to RUNNING (default 20s).
	StartDelay time.Duration
	// FailToStart, when set, stops every task before RUNNING with stopCode
	// TaskFailedToStart and this stoppedReason (e.g.
	// "CannotPullContainerError: ...").
	FailToStart string
	// CrashAfter, when set, makes the essential container exit with
	// ExitCode this long after RUNNING (stopCode EssentialContainerExited).
	CrashAfter time.Duration
	ExitCode   int32
	// HealthCheck gives the container a health check: HEALTHY once RUNNING,
	// or, with UnhealthyAfter, UNHEALTHY that long after RUNNING, upon which
	// ECS stops the task ("Task failed container health checks") and the
	// container is killed (exit code 137).
	HealthCheck    bool
	UnhealthyAfter time.Duration
}

func (b Behavior) startDelay() time.Duration {
	if b.StartDelay <= 0 {
		return 20 * time.Second
	}
	return b.StartDelay
}

// Fake is the fake ECS endpoint. Its methods are safe for concurrent use.
type Fake struct {
	Clock *Clock
	// StaleReads is how many DescribeServices and ListServiceDeployments
	// calls after each UpdateService still answer from before it.
	StaleReads int

	mu             sync.Mutex
	now            time.Time // the time the simulation has reached
	seq            int
	taskDefs       map[string]Behavior // task definition ARN -> behavior
	clusters       map[string]*cluster
	faults         map[string][]error
	notImplemented map[string]bool
	dropDescribe   int
	calls          map[string]int
}

// New returns an empty fake whose time is clock's.
func New(clock *Clock) *Fake {
	return &Fake{
		Clock: clock, now: clock.Now(),
		taskDefs: map[string]Behavior{}, clusters: map[string]*cluster{},
		faults: map[string][]error{}, notImplemented: map[string]bool{}, calls: map[string]int{},
	}
}

type cluster struct {
	name     string
	services map[string]*service
	tasks    []*task
}

type service struct {
	name          string
	cluster       *cluster
	createdAt     time.Time
	desired       int32
	circuit       ecstypes.DeploymentCircuitBreaker
	alarms        []string
	deployments   []*deployment // PRIMARY first
	sds           []*serviceDeployment
	lastCompleted *revision
	events        []ecstypes.ServiceEvent // newest first
	noCapacity    bool
	stale         *staleView
}

type staleView struct {
	service  ecstypes.Service
	sds      []ecstypes.ServiceDeploymentBrief
	svcReads int
	sdReads  int
}

type revision struct {
	arn          string
	taskDef      string
	startFailure string
	createdAt    time.Time
}

type deployment struct {
	id          string
	rev         *revision
	status      string // PRIMARY or ACTIVE
	rollout     ecstypes.DeploymentRolloutState
	reason      string
	desired     int32
	failedTasks int32
	evaluating  bool // until a task reached RUNNING
	createdAt   time.Time
	updatedAt   time.Time
	sd          *serviceDeployment // the service deployment it carries out
	rollback    bool               // it rolls sd back
}

type serviceDeployment struct {
	arn        string
	target     *revision
	sources    []*revision
	status     ecstypes.ServiceDeploymentStatus
	reason     string
	createdAt  time.Time
	startedAt  *time.Time
	finishedAt *time.Time
	stoppedAt  *time.Time
	rollback   *ecstypes.Rollback
	cbFailures int32
	cbStatus   ecstypes.ServiceDeploymentRollbackMonitorsStatus
	threshold  int32
	alarms     []string
}

type task struct {
	arn        string
	service    string
	taskDef    string
	dep        *deployment
	behavior   Behavior
	startFail  string
	createdAt  time.Time
	startedAt  *time.Time
	stoppedAt  *time.Time
	last       string // PROVISIONING, RUNNING, STOPPED
	stopCode   ecstypes.TaskStopCode
	reason     string
	exitCode   *int32
	health     ecstypes.HealthStatus
	healthyAt  time.Time
	containerR string
}

func (f *Fake) next() int { f.seq++; return f.seq }

func (f *Fake) arn(kind, rest string) string {
	return fmt.Sprintf("arn:aws:ecs:%s:%s:%s/%s", Region, Account, kind, rest)
}

// RegisterTaskDefinition registers the next revision of family with the
// given behavior and returns its ARN.
func (f *Fake) RegisterTaskDefinition(family string, b Behavior) string {
	f.mu.Lock()
	defer f.mu.Unlock()
	rev := 1
	for {
		arn := f.arn("task-definition", fmt.Sprintf("%s:%d", family, rev))
		if _, ok := f.taskDefs[arn]; !ok {
			f.taskDefs[arn] = b
			return arn
		}
		rev++
	}
}

// SetBehavior changes how tasks of taskDef launched from now on behave
// (e.g. a secret they need was deleted: every revision now fails to start).
func (f *Fake) SetBehavior(taskDef string, b Behavior) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.advance()
	f.taskDefs[taskDef] = b
}

// ServiceOptions are CreateService's deployment settings.
type ServiceOptions struct {
	CircuitBreaker bool
	Rollback       bool
	// DeploymentAlarms are the service's deploymentConfiguration.alarms
	// (enabled, with rollback).
	DeploymentAlarms []string
}

// CreateService creates the cluster (if needed) and a service running
// taskDef with desired tasks; its first deployment then rolls out as time
// passes.
func (f *Fake) CreateService(clusterName, name, taskDef string, desired int32, opts ServiceOptions) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.advance()
	c := f.clusters[clusterName]
	if c == nil {
		c = &cluster{name: clusterName, services: map[string]*service{}}
		f.clusters[clusterName] = c
	}
	s := &service{name: name, cluster: c, createdAt: f.now, desired: desired,
		circuit: ecstypes.DeploymentCircuitBreaker{Enable: opts.CircuitBreaker, Rollback: opts.Rollback}, alarms: opts.DeploymentAlarms}
	c.services[name] = s
	f.deploy(s, &revision{arn: f.revisionArn(s), taskDef: taskDef, createdAt: f.now})
}

// Update is an UpdateService call.
type Update struct {
	TaskDefinition     string // "" keeps the current one
	DesiredCount       *int32
	ForceNewDeployment bool
	// StartFailure stands for a service-level change (network
	// configuration, capacity provider, ...) that makes every task fail to
	// start with this stoppedReason, whatever its task definition.
	StartFailure string
}

// UpdateService updates a service as ecs:UpdateService does: a new task
// definition, a service-level change or ForceNewDeployment starts a new
// deployment; a desired count alone scales the current one.
func (f *Fake) UpdateService(clusterName, name string, u Update) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.advance()
	s := f.clusters[clusterName].services[name]
	s.stale = &staleView{service: f.viewService(s), sds: f.viewBriefs(s), svcReads: f.StaleReads, sdReads: f.StaleReads}
	if u.DesiredCount != nil {
		s.desired = *u.DesiredCount
		s.primary().desired = s.desired
	}
	cur := s.primary().rev
	if (u.TaskDefinition == "" || u.TaskDefinition == cur.taskDef) && !u.ForceNewDeployment && u.StartFailure == "" {
		return
	}
	td := u.TaskDefinition
	if td == "" {
		td = cur.taskDef
	}
	f.deploy(s, &revision{arn: f.revisionArn(s), taskDef: td, startFailure: u.StartFailure, createdAt: f.now})
}

// InterruptTasks stops n RUNNING tasks of the service's PRIMARY deployment
// as a Fargate Spot interruption does; with noCapacity the scheduler then
// cannot place replacements.
func (f *Fake) InterruptTasks(clusterName, name string, n int, noCapacity bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.advance()
	s := f.clusters[clusterName].services[name]
	s.noCapacity = noCapacity
	for _, t := range s.cluster.tasks {
		if n == 0 {
			break
		}
		if t.dep == s.primary() && t.last == "RUNNING" {
			f.stop(t, ecstypes.TaskStopCodeSpotInterruption, "Your Spot Task was interrupted.", nil)
			n--
		}
	}
}

// FailNext makes the next calls of op fail with errs, one each.
func (f *Fake) FailNext(op string, errs ...error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.faults[op] = append(f.faults[op], errs...)
}

// SetNotImplemented makes every call of op fail as on an endpoint without
// it (NotImplemented).
func (f *Fake) SetNotImplemented(op string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.notImplemented[op] = true
}

// DropFromNextDescribeTasks makes the next DescribeTasks answer its first n
// tasks as failures (MISSING), as when they aged out between ListTasks and
// DescribeTasks.
func (f *Fake) DropFromNextDescribeTasks(n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dropDescribe = n
}

// Calls returns how many times op was called.
func (f *Fake) Calls(op string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[op]
}

// AddStoppedTasks adds n tasks of taskDef, started by another deployment
// and stopped by the scheduler (scale-in) an instant ago: history that
// fills the first pages of ListTasks.
func (f *Fake) AddStoppedTasks(clusterName, name, taskDef string, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.advance()
	s := f.clusters[clusterName].services[name]
	old := &deployment{id: f.deploymentID(), rev: &revision{taskDef: taskDef}}
	for range n {
		t := f.launch(s, old)
		f.stop(t, ecstypes.TaskStopCodeServiceSchedulerInitiated, "Scaling activity initiated by (deployment "+old.id+")", nil)
	}
}

func (f *Fake) deploymentID() string {
	return fmt.Sprintf("ecs-svc/%019d", 4780000000000000000+f.next())
}

func (f *Fake) revisionArn(s *service) string {
	return f.arn("service-revision", fmt.Sprintf("%s/%s/%019d", s.cluster.name, s.name, 2460000000000000000+f.next()))
}

func (s *service) primary() *deployment {
	for _, d := range s.deployments {
		if d.status == "PRIMARY" {
			return d
		}
	}
	return nil
}

func (s *service) event(at time.Time, msg string) {
	ev := ecstypes.ServiceEvent{Id: ptr(fmt.Sprintf("%d", at.UnixNano())), CreatedAt: ptr(at), Message: ptr("(service " + s.name + ") " + msg)}
	s.events = append([]ecstypes.ServiceEvent{ev}, s.events...)
	if len(s.events) > 100 {
		s.events = s.events[:100]
	}
}

// threshold is the circuit breaker's failure threshold for desired tasks.
func threshold(desired int32) int32 {
	t := (desired + 1) / 2 // 0.5 × desired, rounded up
	return min(max(t, 3), 200)
}

// deploy starts a service deployment of rev: a new PRIMARY deployment.
func (f *Fake) deploy(s *service, rev *revision) {
	var sources []*revision
	for _, d := range s.deployments {
		d.status = "ACTIVE"
		sources = append(sources, d.rev)
	}
	sd := &serviceDeployment{
		arn:    f.arn("service-deployment", fmt.Sprintf("%s/%s/sd%08d", s.cluster.name, s.name, f.next())),
		target: rev, sources: sources, status: ecstypes.ServiceDeploymentStatusPending, createdAt: f.now,
		threshold: threshold(s.desired), alarms: s.alarms,
	}
	if s.circuit.Enable {
		sd.cbStatus = ecstypes.ServiceDeploymentRollbackMonitorsStatusMonitoring
	} else {
		sd.cbStatus = ecstypes.ServiceDeploymentRollbackMonitorsStatusDisabled
	}
	s.sds = append(s.sds, sd)
	f.startDeployment(s, rev, sd, false)
}

func (f *Fake) startDeployment(s *service, rev *revision, sd *serviceDeployment, rollback bool) *deployment {
	d := &deployment{id: f.deploymentID(), rev: rev, status: "PRIMARY", rollout: ecstypes.DeploymentRolloutStateInProgress,
		desired: s.desired, evaluating: true, createdAt: f.now, updatedAt: f.now, sd: sd, rollback: rollback}
	d.reason = "ECS deployment " + d.id + " in progress."
	s.deployments = append([]*deployment{d}, s.deployments...)
	return d
}

// advance runs the simulation up to the clock's time.
func (f *Fake) advance() {
	to := f.Clock.Now()
	for f.now.Before(to) {
		f.now = f.now.Add(min(tick, to.Sub(f.now)))
		for _, c := range f.clusters {
			for _, s := range c.services {
				f.step(s)
			}
		}
	}
}

func (f *Fake) step(s *service) {
	now := f.now
	for _, sd := range s.sds {
		if sd.status == ecstypes.ServiceDeploymentStatusPending {
			sd.status, sd.startedAt = ecstypes.ServiceDeploymentStatusInProgress, ptr(now)
		}
	}
	for _, t := range s.cluster.tasks {
		if t.dep == nil || t.stoppedAt != nil {
			continue
		}
		f.progress(s, t)
	}
	p := s.primary()
	if p == nil {
		return
	}
	// The circuit breaker.
	if s.circuit.Enable && p.rollout == ecstypes.DeploymentRolloutStateInProgress && p.evaluating && p.failedTasks >= threshold(p.desired) {
		f.fail(s, p)
		p = s.primary()
	}
	if p.rollout != ecstypes.DeploymentRolloutStateFailed {
		f.schedule(s, p)
	}
	if p.rollout == ecstypes.DeploymentRolloutStateInProgress && f.running(p, true) == p.desired {
		f.complete(s, p)
	}
}

func (f *Fake) progress(s *service, t *task) {
	now := f.now
	switch t.last {
	case "PROVISIONING":
		if now.Before(t.createdAt.Add(t.behavior.startDelay())) {
			return
		}
		if t.startFail != "" {
			f.stop(t, ecstypes.TaskStopCodeTaskFailedToStart, t.startFail, nil)
			t.containerR = t.startFail
			f.failedTask(s, t)
			return
		}
		t.last, t.startedAt = "RUNNING", ptr(now)
		if t.behavior.HealthCheck {
			t.health, t.healthyAt = ecstypes.HealthStatusUnknown, now.Add(10*time.Second)
		}
	case "RUNNING":
		b := t.behavior
		if t.health == ecstypes.HealthStatusUnknown && !now.Before(t.healthyAt) {
			t.health = ecstypes.HealthStatusHealthy
		}
		if t.health == ecstypes.HealthStatusHealthy || !b.HealthCheck {
			t.dep.runningOnce()
		}
		switch {
		case b.CrashAfter > 0 && !now.Before(t.startedAt.Add(b.CrashAfter)):
			f.stop(t, ecstypes.TaskStopCodeEssentialContainerExited, "Essential container in task exited", ptr(b.ExitCode))
			f.failedTask(s, t)
		case b.HealthCheck && b.UnhealthyAfter > 0 && !now.Before(t.startedAt.Add(b.UnhealthyAfter)):
			t.health = ecstypes.HealthStatusUnhealthy
			f.stop(t, ecstypes.TaskStopCodeServiceSchedulerInitiated, "Task failed container health checks", ptr(int32(137)))
			f.failedTask(s, t)
		}
	}
}

func (d *deployment) runningOnce() {
	if d.evaluating {
		d.evaluating, d.failedTasks = false, 0
	}
}

// failedTask counts a failure of t's deployment while it is evaluated.
func (f *Fake) failedTask(s *service, t *task) {
	d := t.dep
	if d.evaluating && d.status != "" && d.rollout == ecstypes.DeploymentRolloutStateInProgress {
		d.failedTasks++
		d.updatedAt = f.now
		if d.sd != nil && !d.rollback {
			d.sd.cbFailures = d.failedTasks
		}
	}
	if t.stopCode == ecstypes.TaskStopCodeTaskFailedToStart {
		s.event(f.now, fmt.Sprintf("(task %s) failed to start: %s", taskID(t.arn), t.reason))
	}
}

// running counts d's RUNNING tasks (healthy ones, when they have a health
// check and healthy is set).
func (f *Fake) running(d *deployment, healthy bool) int32 {
	var n int32
	for _, c := range f.clusters {
		for _, t := range c.tasks {
			if t.dep == d && t.stoppedAt == nil && t.last == "RUNNING" && (!healthy || !t.behavior.HealthCheck || t.health == ecstypes.HealthStatusHealthy) {
				n++
			}
		}
	}
	return n
}

func (f *Fake) live(s *service, d *deployment) (n int32) {
	for _, t := range s.cluster.tasks {
		if t.dep == d && t.stoppedAt == nil {
			n++
		}
	}
	return n
}

// schedule launches the PRIMARY deployment's missing tasks.
func (f *Fake) schedule(s *service, p *deployment) {
	missing := p.desired - f.live(s, p)
	if missing > 0 && s.noCapacity {
		if len(s.events) == 0 || *s.events[0].Message != "(service "+s.name+") was unable to place a task. Reason: Capacity is unavailable at this time." {
			s.event(f.now, "was unable to place a task. Reason: Capacity is unavailable at this time.")
		}
		return
	}
	// One task a second: the scheduler places tasks gradually, so failures
	// reach the circuit breaker one by one.
	if missing > 0 {
		f.launch(s, p)
	}
}

func (f *Fake) launch(s *service, d *deployment) *task {
	t := &task{
		arn:     f.arn("task", fmt.Sprintf("%s/%032x", s.cluster.name, 0xfa4e0000+f.next())),
		service: s.name, taskDef: d.rev.taskDef, dep: d, behavior: f.taskDefs[d.rev.taskDef], createdAt: f.now, last: "PROVISIONING",
	}
	t.startFail = d.rev.startFailure
	if t.startFail == "" {
		t.startFail = t.behavior.FailToStart
	}
	s.cluster.tasks = append(s.cluster.tasks, t)
	return t
}

func (f *Fake) stop(t *task, code ecstypes.TaskStopCode, reason string, exit *int32) {
	t.last, t.stoppedAt, t.stopCode, t.reason, t.exitCode = "STOPPED", ptr(f.now), code, reason, exit
}

// fail is the circuit breaker tripping on deployment p.
func (f *Fake) fail(s *service, p *deployment) {
	now := f.now
	p.rollout, p.reason, p.updatedAt = ecstypes.DeploymentRolloutStateFailed, "ECS deployment circuit breaker: tasks failed to start.", now
	s.event(now, fmt.Sprintf("(deployment %s) deployment failed: tasks failed to start.", p.id))
	sd := p.sd
	if p.rollback {
		// The rollback itself failed: nothing to go back to any more.
		sd.status, sd.reason, sd.finishedAt = ecstypes.ServiceDeploymentStatusRollbackFailed, "Service deployment rollback failed.", ptr(now)
		return
	}
	sd.cbStatus, sd.cbFailures = ecstypes.ServiceDeploymentRollbackMonitorsStatusTriggered, p.failedTasks
	if !s.circuit.Rollback || s.lastCompleted == nil {
		sd.status, sd.reason, sd.stoppedAt, sd.finishedAt = ecstypes.ServiceDeploymentStatusStopped, "ECS deployment circuit breaker: tasks failed to start.", ptr(now), ptr(now)
		return
	}
	sd.status, sd.reason = ecstypes.ServiceDeploymentStatusRollbackInProgress, "Service deployment rolled back because the circuit breaker threshold was exceeded."
	sd.rollback = &ecstypes.Rollback{Reason: ptr("Circuit breaker detected a service deployment failure."), ServiceRevisionArn: ptr(s.lastCompleted.arn), StartedAt: ptr(now)}
	prev := "ecs-svc/unknown"
	for _, d := range s.deployments {
		if d.rev == s.lastCompleted {
			prev = d.id
		}
	}
	rb := f.startDeployment(s, s.lastCompleted, sd, true)
	rb.reason = "ECS deployment circuit breaker: rolling back to deploymentId " + prev + "."
	p.status = "ACTIVE"
	s.event(now, "rolling back to deployment "+prev+".")
}

// complete makes p COMPLETED: the other deployments' tasks are stopped and
// the deployments removed.
func (f *Fake) complete(s *service, p *deployment) {
	now := f.now
	for _, t := range s.cluster.tasks {
		if t.service == s.name && t.dep != nil && t.dep != p && t.stoppedAt == nil && t.dep.status != "" {
			f.stop(t, ecstypes.TaskStopCodeServiceSchedulerInitiated, "Scaling activity initiated by (deployment "+p.id+")", nil)
		}
	}
	for _, d := range s.deployments {
		if d != p {
			d.status = "" // INACTIVE
		}
	}
	s.deployments = []*deployment{p}
	p.rollout, p.reason, p.updatedAt = ecstypes.DeploymentRolloutStateCompleted, "ECS deployment "+p.id+" completed.", now
	s.lastCompleted = p.rev
	if sd := p.sd; sd != nil {
		if p.rollback {
			sd.status, sd.reason = ecstypes.ServiceDeploymentStatusRollbackSuccessful, "Service deployment rolled back because the circuit breaker threshold was exceeded."
		} else {
			sd.status, sd.reason = ecstypes.ServiceDeploymentStatusSuccessful, ""
			if sd.cbStatus == ecstypes.ServiceDeploymentRollbackMonitorsStatusMonitoring {
				sd.cbStatus = ecstypes.ServiceDeploymentRollbackMonitorsStatusMonitoringComplete
			}
		}
		sd.finishedAt = ptr(now)
	}
	s.event(now, fmt.Sprintf("(deployment %s) deployment completed.", p.id))
	s.event(now, "has reached a steady state.")
}

func taskID(arn string) string {
	for i := len(arn) - 1; i >= 0; i-- {
		if arn[i] == '/' {
			return arn[i+1:]
		}
	}
	return arn
}
