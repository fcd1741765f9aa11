// Package mototest starts a real moto_server on 127.0.0.1 for the verify
// tests and seeds it with ECS, ECR and CloudWatch Logs state through the
// AWS SDK (and CloudWatch alarms). When moto_server is not on PATH, tests that need it skip with a
// message, except in CI (CI=true), where the whole test binary fails and
// names the install command: CI must never pass with these tests skipped.
package mototest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatch/types"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	logstypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
)

// Region is the region every test uses.
const Region = "us-east-1"

// RunningTasks is what the server reports as runningCount of every service
// it creates (moto's MOTO_ECS_SERVICE_RUNNING). A service created with this
// desired count has rollout state COMPLETED; a larger one stays IN_PROGRESS.
const RunningTasks = 2

// Server is a running moto_server.
type Server struct {
	URL string
	cmd *exec.Cmd
	log bytes.Buffer
}

var (
	current    *Server
	skipReason string
	mu         sync.Mutex
)

// MotoVersion is the moto release the tests are written against (its
// quirks are worked around here, e.g. FixContainerTypes).
const MotoVersion = "5.2.1"

// InstallCommand installs the moto_server these tests run.
const InstallCommand = "pip install 'moto[server]==" + MotoVersion + "'"

// preflight decides what happens when moto_server is missing (lookErr is
// exec.LookPath's error): nothing when it is there; in CI (the CI variable
// is a true boolean, as GitHub Actions sets it) an error naming the install
// command; otherwise the reason the moto tests skip.
func preflight(lookErr error, ci string) (skip string, err error) {
	if lookErr == nil {
		return "", nil
	}
	if on, _ := strconv.ParseBool(ci); on {
		return "", fmt.Errorf("moto_server is not on PATH and CI=%s: the tests against moto may not be skipped in CI; install it with: %s", ci, InstallCommand)
	}
	return fmt.Sprintf("moto_server is not on PATH: SKIPPING the tests against moto (CI fails instead); install it with: %s", InstallCommand), nil
}

// Main is the body of a test package's TestMain: it sets dummy credentials,
// starts moto_server (when on PATH), runs the tests and stops the server.
// Without moto_server it returns 1 in CI, and otherwise skips the tests
// that need it.
func Main(m *testing.M) int {
	SetDummyEnv()
	_, lookErr := exec.LookPath("moto_server")
	reason, err := preflight(lookErr, os.Getenv("CI"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "mototest:", err)
		return 1
	}
	if reason != "" {
		skipReason = reason
		fmt.Fprintln(os.Stderr, "mototest:", skipReason)
		return m.Run()
	}
	s, err := Start()
	if err != nil {
		fmt.Fprintln(os.Stderr, "mototest: cannot start moto_server:", err)
		return 1
	}
	mu.Lock()
	current = s
	mu.Unlock()
	code := m.Run()
	s.Stop()
	return code
}

// SetDummyEnv points the AWS SDK at dummy credentials and away from any
// real configuration.
func SetDummyEnv() {
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID":           "testing",
		"AWS_SECRET_ACCESS_KEY":       "testing",
		"AWS_SESSION_TOKEN":           "testing",
		"AWS_REGION":                  Region,
		"AWS_DEFAULT_REGION":          Region,
		"AWS_EC2_METADATA_DISABLED":   "true",
		"AWS_CONFIG_FILE":             os.DevNull,
		"AWS_SHARED_CREDENTIALS_FILE": os.DevNull,
	} {
		_ = os.Setenv(k, v)
	}
	_ = os.Unsetenv("AWS_PROFILE")
	_ = os.Unsetenv("AWS_ENDPOINT_URL")
}

// Require returns the running server, reset to an empty state (so tests,
// and repeated runs with -count, do not see each other's resources), or
// skips the test.
func Require(t testing.TB) *Server {
	t.Helper()
	mu.Lock()
	defer mu.Unlock()
	if current == nil {
		if skipReason == "" {
			skipReason = "moto_server was not started (TestMain must call mototest.Main)"
		}
		t.Skip(skipReason)
	}
	if err := current.Reset(); err != nil {
		t.Fatalf("reset moto: %v", err)
	}
	return current
}

// Reset drops every resource (moto's POST /moto-api/reset).
func (s *Server) Reset() error {
	resp, err := http.Post(s.URL+"/moto-api/reset", "application/json", nil)
	if err != nil {
		return err
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("POST /moto-api/reset: %s", resp.Status)
	}
	return nil
}

// Start runs moto_server on a free port of 127.0.0.1 and waits until it
// answers.
func Start() (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	s := &Server{URL: "http://127.0.0.1:" + strconv.Itoa(port)}
	s.cmd = exec.Command("moto_server", "-H", "127.0.0.1", "-p", strconv.Itoa(port))
	s.cmd.Env = append(os.Environ(),
		"MOTO_ECS_SERVICE_RUNNING="+strconv.Itoa(RunningTasks),
	)
	s.cmd.Stdout = &s.log
	s.cmd.Stderr = &s.log
	// Own process group, so Stop also ends the python behind any shim; and
	// killed with the test binary even when it dies without calling Stop
	// (panic, SIGPIPE, go test -timeout).
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if err := s.cmd.Start(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(s.URL + "/moto-api/")
		if err == nil {
			_ = resp.Body.Close()
			return s, nil
		}
		if time.Now().After(deadline) {
			s.Stop()
			return nil, fmt.Errorf("moto_server did not answer on %s within 30s: %v\n%s", s.URL, err, s.log.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Stop kills the server's process group and waits for it.
func (s *Server) Stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = s.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-s.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer func() { _ = l.Close() }()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func (s *Server) cfg() aws.Config {
	return aws.Config{
		Region:       Region,
		BaseEndpoint: aws.String(s.URL),
		Credentials: aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) {
			return aws.Credentials{AccessKeyID: "testing", SecretAccessKey: "testing"}, nil
		}),
	}
}

// ECS returns an ECS client for the server, with FixContainerTypes.
func (s *Server) ECS() *ecs.Client { return ecs.NewFromConfig(s.cfg(), FixContainerTypes) }

// ECR returns an ECR client for the server.
func (s *Server) ECR() *ecr.Client { return ecr.NewFromConfig(s.cfg()) }

// Logs returns a CloudWatch Logs client for the server.
func (s *Server) Logs() *cloudwatchlogs.Client { return cloudwatchlogs.NewFromConfig(s.cfg()) }

// CloudWatch returns a CloudWatch client for the server, with
// CloudWatchQueryProtocol.
func (s *Server) CloudWatch() *cloudwatch.Client {
	return cloudwatch.NewFromConfig(s.cfg(), CloudWatchQueryProtocol)
}

// PutAlarm creates a metric alarm on the service's CPU (as infra/alarms.go
// does) with cloudwatch:PutMetricAlarm. moto 5.2.1 starts it in OK with
// reason "Unchecked: Initial alarm creation" (real CloudWatch starts a new
// alarm in INSUFFICIENT_DATA); SetAlarmState sets any state.
func (s *Server) PutAlarm(t testing.TB, name string) {
	t.Helper()
	_, err := s.CloudWatch().PutMetricAlarm(context.Background(), &cloudwatch.PutMetricAlarmInput{
		AlarmName:          aws.String(name),
		Namespace:          aws.String("AWS/ECS"),
		MetricName:         aws.String("CPUUtilization"),
		Dimensions:         []cwtypes.Dimension{{Name: aws.String("ClusterName"), Value: aws.String("c")}, {Name: aws.String("ServiceName"), Value: aws.String("s")}},
		Statistic:          cwtypes.StatisticAverage,
		Period:             aws.Int32(60),
		EvaluationPeriods:  aws.Int32(3),
		Threshold:          aws.Float64(85),
		ComparisonOperator: cwtypes.ComparisonOperatorGreaterThanThreshold,
		TreatMissingData:   aws.String("notBreaching"),
	})
	if err != nil {
		t.Fatalf("PutMetricAlarm %s: %v", name, err)
	}
}

// SetAlarmState sets an alarm's state and reason (cloudwatch:SetAlarmState).
func (s *Server) SetAlarmState(t testing.TB, name string, state cwtypes.StateValue, reason string) {
	t.Helper()
	_, err := s.CloudWatch().SetAlarmState(context.Background(), &cloudwatch.SetAlarmStateInput{
		AlarmName: aws.String(name), StateValue: state, StateReason: aws.String(reason),
	})
	if err != nil {
		t.Fatalf("SetAlarmState %s: %v", name, err)
	}
}

// Fixture is one seeded service: a cluster, the task definitions of one
// family and the service itself.
type Fixture struct {
	Cluster  string
	Service  string
	Family   string
	TaskDefs []string // ARNs, revision 1, 2, ...
}

// RegisterTaskDef registers one more revision of family and returns its ARN.
// The network mode is bridge: moto then runs tasks without a VPC.
func (s *Server) RegisterTaskDef(t testing.TB, family string) string {
	t.Helper()
	out, err := s.ECS().RegisterTaskDefinition(context.Background(), &ecs.RegisterTaskDefinitionInput{
		Family:      aws.String(family),
		NetworkMode: ecstypes.NetworkModeBridge,
		ContainerDefinitions: []ecstypes.ContainerDefinition{{
			Name:   aws.String("app"),
			Image:  aws.String("123456789012.dkr.ecr.us-east-1.amazonaws.com/app:v1"),
			Memory: aws.Int32(512),
		}},
	})
	if err != nil {
		t.Fatalf("RegisterTaskDefinition: %v", err)
	}
	return aws.ToString(out.TaskDefinition.TaskDefinitionArn)
}

// NewService creates cluster+service names from name, registers revisions
// task definitions and creates the service with desired count on
// revision serviceRev (1-based).
func (s *Server) NewService(t testing.TB, name string, revisions, serviceRev int, desired int32) Fixture {
	t.Helper()
	cluster := name + "-cluster"
	if _, err := s.ECS().CreateCluster(context.Background(), &ecs.CreateClusterInput{ClusterName: aws.String(cluster)}); err != nil {
		t.Fatalf("CreateCluster: %v", err)
	}
	return s.AddService(t, cluster, name, revisions, serviceRev, desired)
}

// AddService is NewService in an existing cluster (a stack with several
// services has them in one cluster).
func (s *Server) AddService(t testing.TB, cluster, name string, revisions, serviceRev int, desired int32) Fixture {
	t.Helper()
	f := Fixture{Cluster: cluster, Service: name + "-svc", Family: name}
	for i := 0; i < revisions; i++ {
		f.TaskDefs = append(f.TaskDefs, s.RegisterTaskDef(t, f.Family))
	}
	_, err := s.ECS().CreateService(context.Background(), &ecs.CreateServiceInput{
		Cluster:        aws.String(f.Cluster),
		ServiceName:    aws.String(f.Service),
		TaskDefinition: aws.String(f.TaskDefs[serviceRev-1]),
		DesiredCount:   aws.Int32(desired),
		LaunchType:     ecstypes.LaunchTypeFargate,
		DeploymentConfiguration: &ecstypes.DeploymentConfiguration{
			DeploymentCircuitBreaker: &ecstypes.DeploymentCircuitBreaker{Enable: true, Rollback: true},
		},
	})
	if err != nil {
		t.Fatalf("CreateService: %v", err)
	}
	return f
}

// UpdateService points the service at another task definition. In moto this
// changes the service's taskDefinition but not its PRIMARY deployment, which
// is how a rolled-back service looks.
func (s *Server) UpdateService(t testing.TB, f Fixture, taskDef string) {
	t.Helper()
	_, err := s.ECS().UpdateService(context.Background(), &ecs.UpdateServiceInput{
		Cluster:        aws.String(f.Cluster),
		Service:        aws.String(f.Service),
		TaskDefinition: aws.String(taskDef),
	})
	if err != nil {
		t.Fatalf("UpdateService: %v", err)
	}
}

// StoppedTask runs one task of taskDef as if the service had started it,
// stops it with reason, and returns its id.
func (s *Server) StoppedTask(t testing.TB, f Fixture, taskDef, reason string) string {
	t.Helper()
	ctx := context.Background()
	out, err := s.ECS().RunTask(ctx, &ecs.RunTaskInput{
		Cluster:        aws.String(f.Cluster),
		TaskDefinition: aws.String(taskDef),
		LaunchType:     ecstypes.LaunchTypeFargate,
		Group:          aws.String("service:" + f.Service),
		StartedBy:      aws.String("ecs-svc/1234567890"),
	})
	if err != nil {
		t.Fatalf("RunTask: %v", err)
	}
	if len(out.Tasks) != 1 {
		t.Fatalf("RunTask started %d tasks, want 1", len(out.Tasks))
	}
	arn := aws.ToString(out.Tasks[0].TaskArn)
	if _, err := s.ECS().StopTask(ctx, &ecs.StopTaskInput{Cluster: aws.String(f.Cluster), Task: aws.String(arn), Reason: aws.String(reason)}); err != nil {
		t.Fatalf("StopTask: %v", err)
	}
	return arn[len(arn)-36:]
}

// PutLogLines creates group/stream (if needed) and appends lines.
func (s *Server) PutLogLines(t testing.TB, group, stream string, lines ...string) {
	t.Helper()
	ctx := context.Background()
	logs := s.Logs()
	_, err := logs.CreateLogGroup(ctx, &cloudwatchlogs.CreateLogGroupInput{LogGroupName: aws.String(group)})
	var exists *logstypes.ResourceAlreadyExistsException
	if err != nil && !errors.As(err, &exists) {
		t.Fatalf("CreateLogGroup: %v", err)
	}
	if _, err := logs.CreateLogStream(ctx, &cloudwatchlogs.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream)}); err != nil {
		t.Fatalf("CreateLogStream: %v", err)
	}
	now := time.Now().UnixMilli()
	var events []logstypes.InputLogEvent
	for i, l := range lines {
		events = append(events, logstypes.InputLogEvent{Message: aws.String(l), Timestamp: aws.Int64(now + int64(i))})
	}
	if _, err := logs.PutLogEvents(ctx, &cloudwatchlogs.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), LogEvents: events}); err != nil {
		t.Fatalf("PutLogEvents: %v", err)
	}
}

// PutImage creates repo and pushes a manifest tagged tag; it returns the
// image digest moto assigned.
func (s *Server) PutImage(t testing.TB, repo, tag string) string {
	t.Helper()
	ctx := context.Background()
	if _, err := s.ECR().CreateRepository(ctx, &ecr.CreateRepositoryInput{RepositoryName: aws.String(repo)}); err != nil {
		t.Fatalf("CreateRepository: %v", err)
	}
	manifest := `{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",` +
		`"config":{"mediaType":"application/vnd.docker.container.image.v1+json","size":7023,` +
		`"digest":"sha256:b5b2b2c507a0944348e0303114d8d93aaaa081732b86451d9bce1f432a537bc7"},"layers":[]}`
	out, err := s.ECR().PutImage(ctx, &ecr.PutImageInput{RepositoryName: aws.String(repo), ImageManifest: aws.String(manifest), ImageTag: aws.String(tag)})
	if err != nil {
		t.Fatalf("PutImage: %v", err)
	}
	return aws.ToString(out.Image.ImageId.ImageDigest)
}

// StartScan starts the (moto) image scan of repo:tag.
func (s *Server) StartScan(t testing.TB, repo, tag string) {
	t.Helper()
	_, err := s.ECR().StartImageScan(context.Background(), &ecr.StartImageScanInput{
		RepositoryName: aws.String(repo),
		ImageId:        &ecrtypes.ImageIdentifier{ImageTag: aws.String(tag)},
	})
	if err != nil {
		t.Fatalf("StartImageScan: %v", err)
	}
}

// SetScanFindings makes moto answer DescribeImageScanFindings for repo with
// the given response body (moto's /moto-api/static/ecr/scan-finding-results).
// The result is handed to the first image of repo whose findings are read.
func (s *Server) SetScanFindings(t testing.TB, result map[string]any) {
	t.Helper()
	body, err := json.Marshal(map[string]any{"results": []any{result}, "region": Region})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(s.URL+"/moto-api/static/ecr/scan-finding-results", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatalf("set scan findings: %v", err)
	}
	defer func() { _ = resp.Body.Close() }()
	if resp.StatusCode/100 != 2 {
		b, _ := io.ReadAll(resp.Body)
		t.Fatalf("set scan findings: %s: %s", resp.Status, b)
	}
}
