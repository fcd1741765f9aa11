package cicd

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// The workflows are the other half of the trust policies: each job that
// assumes a role must run where that role's subject says, with a session
// that outlasts the job, and get only its own secrets.

type workflow struct {
	Permissions any            `yaml:"permissions"`
	Jobs        map[string]job `yaml:"jobs"`
}

type job struct {
	If          string            `yaml:"if"`
	Environment string            `yaml:"environment"`
	Timeout     int               `yaml:"timeout-minutes"`
	Permissions map[string]string `yaml:"permissions"`
	Env         map[string]string `yaml:"env"`
	Steps       []step            `yaml:"steps"`
}

type step struct {
	ID   string            `yaml:"id"`
	Name string            `yaml:"name"`
	If   string            `yaml:"if"`
	Uses string            `yaml:"uses"`
	With map[string]string `yaml:"with"`
	Env  map[string]string `yaml:"env"`
	Run  string            `yaml:"run"`
}

func loadWorkflow(t *testing.T, name string) (workflow, string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", ".github", "workflows", name))
	if err != nil {
		t.Fatal(err)
	}
	var w workflow
	if err := yaml.Unmarshal(raw, &w); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return w, string(raw)
}

var pinnedRe = regexp.MustCompile(`^\s*(?:- )?uses: ([^@\s]+)@([0-9a-f]{40}) # v\d+\.\d+\.\d+$`)

func TestWorkflowsGrantPerJobAndPinActions(t *testing.T) {
	// job → the role variable it must assume, its environment, and the
	// role's session length (seconds).
	type roleJob struct {
		variable, environment string
		session               int
	}
	want := map[string]map[string]roleJob{
		"pull-request.yml":   {"preview": {"AWS_PREVIEW_ROLE_ARN", "", PreviewSessionSeconds}},
		"deploy.yml":         {"dev": {"AWS_DEV_DEPLOY_ROLE_ARN", "dev", DeploySessionSeconds}, "prod": {"AWS_PROD_DEPLOY_ROLE_ARN", "prod", DeploySessionSeconds}},
		"sandbox-reaper.yml": {"reap": {"AWS_REAPER_ROLE_ARN", "sandbox-reaper", ReaperSessionSeconds}},
	}
	for file, roleJobs := range want {
		t.Run(file, func(t *testing.T) {
			w, raw := loadWorkflow(t, file)
			if m, ok := w.Permissions.(map[string]any); !ok || len(m) != 0 {
				t.Errorf("workflow-level permissions = %v, want {}", w.Permissions)
			}
			if regexp.MustCompile(`(?m)^\s*upsert:`).MatchString(raw) {
				t.Error("a job creates stacks (upsert)")
			}
			for _, line := range strings.Split(raw, "\n") {
				if strings.Contains(line, "uses:") && !pinnedRe.MatchString(line) {
					t.Errorf("action not pinned to a commit SHA with its version: %s", strings.TrimSpace(line))
				}
			}
			for name, j := range w.Jobs {
				rj, assumes := roleJobs[name]
				if j.Permissions == nil {
					t.Errorf("job %s has no permissions block", name)
				}
				if got := j.Permissions["id-token"]; (got == "write") != assumes {
					t.Errorf("job %s: id-token = %q", name, got)
				}
				for k, v := range j.Env {
					if strings.Contains(v, "secrets.") && !assumes {
						t.Errorf("job %s gets secret %s", name, k)
					}
					if strings.Contains(v, "secrets.PULUMI_ACCESS_TOKEN") || strings.Contains(v, "secrets.PULUMI_CONFIG_PASSPHRASE") {
						if j.Environment == "" {
							t.Errorf("job %s reads an environment secret (%s) outside an environment", name, v)
						}
					}
				}
				if !assumes {
					continue
				}
				if j.Environment != rj.environment {
					t.Errorf("job %s environment = %q, want %q", name, j.Environment, rj.environment)
				}
				if rj.environment != "" && !strings.Contains(j.If, "github.ref == 'refs/heads/main'") {
					t.Errorf("job %s runs on other refs: if = %q", name, j.If)
				}
				found := false
				for _, s := range j.Steps {
					if !strings.HasPrefix(s.Uses, "aws-actions/configure-aws-credentials@") {
						continue
					}
					found = true
					if got := s.With["role-to-assume"]; got != "${{ vars."+rj.variable+" }}" {
						t.Errorf("job %s assumes %q, want vars.%s", name, got, rj.variable)
					}
					if got := s.With["role-duration-seconds"]; got != strconv.Itoa(rj.session) {
						t.Errorf("job %s session %q s, want the role's %d", name, got, rj.session)
					}
				}
				if !found {
					t.Errorf("job %s assumes no role", name)
				}
				// Credentials outlive the job: no `up` loses them midway.
				if j.Timeout == 0 || j.Timeout*60 > rj.session {
					t.Errorf("job %s: timeout %d min vs session %d s", name, j.Timeout, rj.session)
				}
			}
		})
	}
}

// The deploy jobs refresh before `up` (active hours, autoscaling and
// rollbacks change the service behind Pulumi's back), and verify even
// when `up` failed, whose report explains the failure.
func TestDeployJobsRefreshAndAlwaysVerify(t *testing.T) {
	w, _ := loadWorkflow(t, "deploy.yml")
	for _, name := range []string{"dev", "prod"} {
		var up, verify *step
		for i, s := range w.Jobs[name].Steps {
			if strings.HasPrefix(s.Uses, "pulumi/actions@") && s.With["command"] == "up" {
				up = &w.Jobs[name].Steps[i]
			}
			if s.Name == "Verify" {
				verify = &w.Jobs[name].Steps[i]
			}
		}
		if up == nil || verify == nil {
			t.Fatalf("job %s: no pulumi up step or no Verify step", name)
		}
		if up.With["refresh"] != "true" {
			t.Errorf("job %s: pulumi up without refresh: true", name)
		}
		if up.ID == "" || !strings.Contains(verify.If, "!cancelled()") ||
			!strings.Contains(verify.If, "steps."+up.ID+".outcome == 'failure'") {
			t.Errorf("job %s: the verifier does not run when up fails: if = %q (up id %q)", name, verify.If, up.ID)
		}
	}
}

// The backend check every Pulumi job runs first, executed with bash.
func TestWorkflowBackendCheck(t *testing.T) {
	w, _ := loadWorkflow(t, "deploy.yml")
	var script string
	for _, s := range w.Jobs["prod"].Steps {
		if s.ID == "stack" {
			script = s.Run
		}
	}
	if script == "" {
		t.Fatal("deploy.yml prod has no backend step")
	}
	// The same script in every Pulumi job.
	for file, jobName := range map[string]string{"pull-request.yml": "preview", "deploy.yml": "dev", "sandbox-reaper.yml": "reap"} {
		w, _ := loadWorkflow(t, file)
		ok := false
		for _, s := range w.Jobs[jobName].Steps {
			ok = ok || (s.ID == "stack" && s.Run == script)
		}
		if !ok {
			t.Errorf("%s %s: backend step differs from deploy.yml prod's", file, jobName)
		}
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.prod.yaml"), []byte("encryptionsalt: v1:abc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Pulumi.dev.yaml"), []byte("secretsprovider: awskms://k\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, stack, url, token, org, passphrase string
		ok                                       bool
		out                                      string
	}{
		{"s3", "prod", "s3://state?region=us-east-1", "", "", "pw", true, "name=prod"},
		{"s3 with PULUMI_ORG", "prod", "s3://state", "", "acme", "pw", false, "PULUMI_ORG variable is for Pulumi Cloud only"},
		{"cloud with org", "dev", "", "pul-123", "acme", "", true, "name=acme/dev"},
		{"cloud without org", "dev", "", "pul-123", "", "", true, "name=dev"},
		{"cloud url with org", "dev", "https://api.pulumi.com", "pul-123", "acme", "", true, "name=acme/dev"},
		{"no backend", "dev", "", "", "", "", false, "no Pulumi backend"},
		{"empty passphrase", "prod", "s3://state", "", "", "", false, "uses a passphrase but the PASS secret is empty"},
		{"kms stack, no passphrase", "dev", "s3://state", "", "", "", true, "name=dev"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			outFile := filepath.Join(t.TempDir(), "out")
			cmd := exec.Command("bash", "-e", "-c", script)
			cmd.Dir = dir
			cmd.Env = []string{
				"PATH=" + os.Getenv("PATH"), "GITHUB_OUTPUT=" + outFile, "STACK=" + tc.stack,
				"PULUMI_BACKEND_URL=" + tc.url, "PULUMI_ACCESS_TOKEN=" + tc.token, "PULUMI_ORG=" + tc.org,
				"PULUMI_CONFIG_PASSPHRASE=" + tc.passphrase, "TOKEN_SECRET=TOKEN", "PASSPHRASE_SECRET=PASS",
			}
			stdout, err := cmd.CombinedOutput()
			out, _ := os.ReadFile(outFile)
			all := string(stdout) + string(out)
			if (err == nil) != tc.ok {
				t.Errorf("exit %v, want ok=%v:\n%s", err, tc.ok, all)
			}
			if !strings.Contains(all, tc.out) {
				t.Errorf("output lacks %q:\n%s", tc.out, all)
			}
		})
	}
}
