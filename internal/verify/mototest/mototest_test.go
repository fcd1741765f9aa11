package mototest

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// The child process of TestMissingMotoServer: Main exactly as a test
// package's TestMain calls it, with the PATH and CI the parent chose.
func TestMain(m *testing.M) {
	if os.Getenv("MOTOTEST_CHILD") == "1" {
		os.Exit(Main(m))
	}
	os.Exit(m.Run())
}

// TestChildRequiresMoto is what the child runs: one test that needs moto.
func TestChildRequiresMoto(t *testing.T) {
	if os.Getenv("MOTOTEST_CHILD") != "1" {
		t.Skip("runs only as the child of TestMissingMotoServer")
	}
	Require(t)
}

// Without moto_server on PATH, a test binary using Main fails in CI with
// the install command, and elsewhere passes with the moto tests skipped
// and the reason printed.
func TestMissingMotoServer(t *testing.T) {
	child := func(ci string) (int, string) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestChildRequiresMoto$", "-test.v")
		cmd.Env = []string{"MOTOTEST_CHILD=1", "PATH=" + t.TempDir(), "HOME=" + t.TempDir()}
		if ci != "" {
			cmd.Env = append(cmd.Env, "CI="+ci)
		}
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		var exit *exec.ExitError
		if err != nil && !errors.As(err, &exit) {
			t.Fatal(err)
		}
		return cmd.ProcessState.ExitCode(), out.String()
	}
	for _, ci := range []string{"true", "1"} {
		code, out := child(ci)
		if code != 1 || !strings.Contains(out, "moto_server is not on PATH and CI="+ci) || !strings.Contains(out, "pip install 'moto[server]==5.2.1'") {
			t.Errorf("CI=%s: exit %d, output:\n%s", ci, code, out)
		}
		if strings.Contains(out, "--- SKIP") {
			t.Errorf("CI=%s: tests ran and skipped instead of failing:\n%s", ci, out)
		}
	}
	for _, ci := range []string{"", "false"} {
		code, out := child(ci)
		if code != 0 || !strings.Contains(out, "SKIPPING the tests against moto") || !strings.Contains(out, "--- SKIP: TestChildRequiresMoto") {
			t.Errorf("CI=%q: exit %d, output:\n%s", ci, code, out)
		}
	}
}

func TestPreflight(t *testing.T) {
	if skip, err := preflight(nil, "true"); skip != "" || err != nil {
		t.Errorf("moto_server present: %q %v", skip, err)
	}
	if _, err := preflight(exec.ErrNotFound, "TRUE"); err == nil {
		t.Error("CI=TRUE: no error")
	}
	if skip, err := preflight(exec.ErrNotFound, "no"); err != nil || skip == "" {
		t.Errorf("CI=no: %q %v", skip, err)
	}
}
