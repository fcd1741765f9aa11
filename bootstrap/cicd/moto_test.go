package cicd

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// motoInstall is what CI runs to get moto (the workflows pin it too).
const motoInstall = "pip install 'moto[server]==5.2.1'"

// requireMoto returns the python3 that has moto, or skips the test
// locally; with CI=true a missing moto fails the test instead.
func requireMoto(t *testing.T) string {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err == nil {
		err = exec.Command(python, "-c", "import moto.iam.policy_validation, moto.server, boto3").Run()
	}
	if err == nil {
		_, err = exec.LookPath("moto_server")
	}
	if err != nil {
		msg := fmt.Sprintf("moto 5.2.1 with its server is needed (%v): %s", err, motoInstall)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return python
}

// startMoto runs moto_server on a free 127.0.0.1 port until the test ends.
func startMoto(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	cmd := exec.Command("moto_server", "-H", "127.0.0.1", "-p", fmt.Sprint(port))
	logFile := filepath.Join(t.TempDir(), "moto.log")
	f, err := os.Create(logFile)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_, _ = cmd.Process.Wait()
		_ = f.Close()
	})
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url+"/moto-api/data.json", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			_ = resp.Body.Close()
			return url
		}
		select {
		case <-ctx.Done():
			log, _ := os.ReadFile(logFile)
			t.Fatalf("moto_server did not start on %s:\n%s", url, log)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// motoCall is one AWS call made as a CI role, through boto3.
type motoCall struct {
	Role    string         `json:"role"`
	Service string         `json:"service"`
	Op      string         `json:"op"`
	Params  map[string]any `json:"params"`
	Allowed bool           `json:"allowed"`
}

// The driver: as an administrator (moto's auth off), create the state
// bucket and its objects, the ECR repository and every role of the
// bootstrap with its exact trust and permission documents (moto validates
// both), assume each CI role; then turn moto's IAM enforcement on
// (POST /moto-api/reset-auth 0, as moto's set_initial_no_auth_action_count
// does) and make each call with the role's credentials.
const motoDriver = `
import json, sys, urllib.request
import boto3, botocore
spec = json.load(open(sys.argv[1]))
url = spec["url"]
def client(svc, creds=None):
    kw = dict(endpoint_url=url, region_name="us-east-1",
              aws_access_key_id="AKIAADMIN0000000000", aws_secret_access_key="admin")
    if creds:
        kw.update(aws_access_key_id=creds["AccessKeyId"], aws_secret_access_key=creds["SecretAccessKey"],
                  aws_session_token=creds["SessionToken"])
    return boto3.client(svc, config=botocore.config.Config(retries={"max_attempts": 1}), **kw)
iam, s3, sts = client("iam"), client("s3"), client("sts")
for r in spec["roles"]:
    iam.create_role(RoleName=r["name"], Path=r["path"], AssumeRolePolicyDocument=r["trust"])
for p in spec["policies"]:
    arn = iam.create_policy(PolicyName=p["name"], PolicyDocument=p["doc"])["Policy"]["Arn"]
    if p["role"]:
        iam.attach_role_policy(RoleName=p["role"], PolicyArn=arn)
s3.create_bucket(Bucket=spec["bucket"])
for key in spec["objects"]:
    s3.put_object(Bucket=spec["bucket"], Key=key, Body=b"{}")
client("ecr").create_repository(repositoryName="fargateship-dev")
for r in spec["roles"]:
    if r["path"].startswith("/fargateship/"):
        iam.put_role_policy(RoleName=r["name"], PolicyName="app", PolicyDocument=spec["appPolicy"])
creds = {}
for name in spec["ciRoles"]:
    creds[name] = sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/" + name, RoleSessionName="test")["Credentials"]
urllib.request.urlopen(urllib.request.Request(url + "/moto-api/reset-auth", data=b"0", method="POST",
                                              headers={"Content-Type": "text/plain"})).read()
for c in spec["calls"]:
    api = client(c["service"], creds[c["role"]])
    try:
        getattr(api, c["op"])(**c["params"])
        print("ALLOWED")
    except botocore.exceptions.ClientError as e:
        code = e.response["Error"]["Code"]
        # moto answers ECR's JSON protocol with an XML AccessDenied body
        # (HTTP 403), which botocore reports as code "403".
        denied = code in ("AccessDenied", "AccessDeniedException") or (code == "403" and "<Code>AccessDenied</Code>" in str(e))
        print(("DENIED " if denied else "ERROR ") + code + " " + str(e).replace("\n", " "))
`

// Calls made as each role against a real moto_server with its IAM
// enforcement on. moto 5.2.1 (moto/iam/access_control.py,
// moto/core/authorization.py) evaluates Action and Resource with
// wildcards and explicit Deny, for S3 with the real bucket/key ARN and for
// IAM role operations with the role's ARN; other services are checked
// against the resource "*", and Conditions are not evaluated (an Allow's
// condition counts as met, a Deny's too). So these calls prove the S3 state
// and IAM role scoping and the unconditional denies; the conditional
// statements are asserted as documents in policy_test.go, the other
// services' ARN scoping by TestEachRoleIsRefusedOtherStacksAndAccountWideWrites.
func TestCallsAsEachRoleAgainstMoto(t *testing.T) {
	python := requireMoto(t)
	url := startMoto(t)
	m := mustRun(t, fullConfig())

	var roles []map[string]string
	for _, r := range m.byType("aws:iam/role:Role") {
		role := map[string]string{
			"name":  r.Inputs["name"].StringValue(),
			"path":  r.Inputs["path"].StringValue(),
			"trust": r.Inputs["assumeRolePolicy"].StringValue(),
		}
		roles = append(roles, role)
	}
	// A sandbox's task role, as the main program creates it.
	roles = append(roles, map[string]string{"name": "app-task-abc1234", "path": "/fargateship/", "trust": roles[0]["trust"]})

	const (
		preview, dev, prod, reaper = "fargateship-github-preview", "fargateship-github-deploy-dev", "fargateship-github-deploy-prod", "fargateship-github-reaper"
		b                          = "acme-pulumi-state"
		st                         = ".pulumi/stacks/fargateship/"
		lk                         = ".pulumi/locks/organization/fargateship/"
	)
	objects := []string{".pulumi/meta.yaml", st + "dev.json", st + "prod.json", st + "sandbox-alice.json", st + "sandbox-alice.json.bak"}
	get := func(role, key string, ok bool) motoCall {
		return motoCall{role, "s3", "get_object", map[string]any{"Bucket": b, "Key": key}, ok}
	}
	put := func(role, key string, ok bool) motoCall {
		return motoCall{role, "s3", "put_object", map[string]any{"Bucket": b, "Key": key, "Body": "x"}, ok}
	}
	del := func(role, key string, ok bool) motoCall {
		return motoCall{role, "s3", "delete_object", map[string]any{"Bucket": b, "Key": key}, ok}
	}
	rolePolicy := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": "*"}}}
	policyJSON, _ := json.Marshal(rolePolicy)
	putRolePolicy := func(role, target string, ok bool) motoCall {
		return motoCall{role, "iam", "put_role_policy", map[string]any{"RoleName": target, "PolicyName": "app", "PolicyDocument": string(policyJSON)}, ok}
	}
	iamCall := func(role, op, target string, extra map[string]any, ok bool) motoCall {
		p := map[string]any{"RoleName": target}
		for k, v := range extra {
			p[k] = v
		}
		return motoCall{role, "iam", op, p, ok}
	}
	calls := []motoCall{
		// Preview: reads dev's state, writes only dev's lock.
		get(preview, st+"dev.json", true),
		get(preview, ".pulumi/meta.yaml", true),
		put(preview, lk+"dev/0001.json", true),
		del(preview, lk+"dev/0001.json", true),
		put(preview, st+"dev.json", false),
		del(preview, st+"dev.json", false),
		get(preview, st+"prod.json", false),
		put(preview, st+"prod.json", false),
		put(preview, lk+"prod/0001.json", false),
		put(preview, st+"sandbox-mallory.json", false),
		get(preview, st+"sandbox-alice.json", false),
		putRolePolicy(preview, "fargateship-dev-task", false),
		// Dev deploy: dev's state and task roles, nothing of prod's.
		get(dev, st+"dev.json", true),
		put(dev, st+"dev.json", true),
		put(dev, ".pulumi/history/fargateship/dev/dev-1.history.json", true),
		get(dev, st+"prod.json", false),
		put(dev, st+"prod.json", false),
		del(dev, st+"prod.json", false),
		put(dev, lk+"prod/0001.json", false),
		put(dev, st+"sandbox-mallory.json", false),
		putRolePolicy(dev, "fargateship-dev-task", true),
		putRolePolicy(dev, "fargateship-prod-task", false),
		putRolePolicy(dev, "fargateship-prod-execution", false),
		putRolePolicy(dev, "fargateship-github-deploy-prod", false),
		putRolePolicy(dev, "app-task-abc1234", false),
		putRolePolicy(dev, "fargateship-dev-scheduler", true),
		putRolePolicy(dev, "fargateship-prod-scheduler", false),
		iamCall(dev, "update_assume_role_policy", "fargateship-dev-scheduler", map[string]any{"PolicyDocument": roles[0]["trust"]}, false),
		iamCall(dev, "attach_role_policy", "fargateship-dev-execution", map[string]any{"PolicyArn": "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"}, false),
		iamCall(dev, "delete_role_policy", "fargateship-prod-task", map[string]any{"PolicyName": "app"}, false),
		iamCall(dev, "update_assume_role_policy", "fargateship-dev-task", map[string]any{"PolicyDocument": roles[0]["trust"]}, false),
		iamCall(dev, "delete_role", "fargateship-dev-task", nil, false),
		iamCall(dev, "attach_role_policy", "fargateship-dev-task", map[string]any{"PolicyArn": "arn:aws:iam::aws:policy/AdministratorAccess"}, false),
		iamCall(dev, "create_role", "fargateship-dev-extra", map[string]any{"Path": "/fargateship/dev/", "AssumeRolePolicyDocument": roles[0]["trust"]}, false),
		{dev, "ecr", "set_repository_policy", map[string]any{"repositoryName": "fargateship-dev", "policyText": `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"ecr:BatchGetImage"}]}`}, false},
		// Prod deploy: the mirror image.
		put(prod, st+"prod.json", true),
		put(prod, lk+"prod/0001.json", true),
		get(prod, st+"dev.json", false),
		put(prod, st+"dev.json", false),
		putRolePolicy(prod, "fargateship-prod-task", true),
		putRolePolicy(prod, "fargateship-dev-task", false),
		putRolePolicy(prod, "fargateship-prod-scheduler", true),
		putRolePolicy(prod, "fargateship-dev-scheduler", false),
		// Reaper: sandboxes only, and only deletes.
		get(reaper, st+"sandbox-alice.json", true),
		del(reaper, st+"sandbox-alice.json.bak", true),
		iamCall(reaper, "delete_role_policy", "app-task-abc1234", map[string]any{"PolicyName": "app"}, true),
		get(reaper, st+"dev.json", false),
		put(reaper, st+"dev.json", false),
		del(reaper, st+"prod.json", false),
		iamCall(reaper, "delete_role_policy", "fargateship-dev-task", map[string]any{"PolicyName": "app"}, false),
		iamCall(reaper, "delete_role", "fargateship-prod-execution", nil, false),
		iamCall(reaper, "delete_role_policy", "fargateship-dev-scheduler", map[string]any{"PolicyName": "app"}, false),
		putRolePolicy(reaper, "app-task-abc1234", false),
	}

	// Every managed policy, and which role it is attached to.
	var policies []map[string]string
	for _, p := range m.byType("aws:iam/policy:Policy") {
		role := ""
		for _, a := range m.byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment") {
			if a.Name == p.Name {
				role = a.Inputs["role"].StringValue()
			}
		}
		policies = append(policies, map[string]string{"name": p.Inputs["name"].StringValue(), "doc": p.Inputs["policy"].StringValue(), "role": role})
	}
	spec, _ := json.Marshal(map[string]any{
		"url": url, "bucket": b, "objects": objects, "roles": roles, "calls": calls, "policies": policies,
		"ciRoles": []string{preview, dev, prod, reaper}, "appPolicy": string(policyJSON),
	})
	dir := t.TempDir()
	specFile := filepath.Join(dir, "spec.json")
	if err := os.WriteFile(specFile, spec, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(python, "-c", motoDriver, specFile)
	cmd.Env = append(os.Environ(), "AWS_EC2_METADATA_DISABLED=true", "AWS_CONFIG_FILE="+os.DevNull, "AWS_SHARED_CREDENTIALS_FILE="+os.DevNull)
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("driver: %v\n%s\n%s", err, out, stderr)
	}
	var results []string
	sc := bufio.NewScanner(strings.NewReader(string(out)))
	for sc.Scan() {
		results = append(results, sc.Text())
	}
	if len(results) != len(calls) {
		t.Fatalf("%d results for %d calls:\n%s", len(results), len(calls), out)
	}
	allowedN, deniedN := 0, 0
	for i, c := range calls {
		got := results[i]
		what := fmt.Sprintf("%s: %s.%s %v", c.Role, c.Service, c.Op, c.Params["Key"])
		if c.Params["Key"] == nil {
			what = fmt.Sprintf("%s: %s.%s %v", c.Role, c.Service, c.Op, c.Params["RoleName"])
		}
		switch {
		case c.Allowed && got != "ALLOWED":
			t.Errorf("%s should succeed: %s", what, got)
		case !c.Allowed && !strings.HasPrefix(got, "DENIED "):
			t.Errorf("%s should be refused: %s", what, got)
		case c.Allowed:
			allowedN++
		default:
			deniedN++
		}
	}
	t.Logf("moto: %d calls allowed, %d refused, as expected", allowedN, deniedN)
}
