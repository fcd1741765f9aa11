package scan

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var makeTestRe = regexp.MustCompile(`(?m)^\s*(?:run: )?make test(?:\s|$)`)

// TestTrivyPinsAgree: the version the scan needs is the one the scripts
// install, with the same command, and every place that runs `make test` in
// CI installs it first.
func TestTrivyPinsAgree(t *testing.T) {
	lib, err := os.ReadFile(filepath.Join(root, "scripts", "lib.sh"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(lib), "\nFS_TRIVY_VERSION="+TrivyVersion+"\n") {
		t.Errorf("scripts/lib.sh does not pin FS_TRIVY_VERSION=%s", TrivyVersion)
	}
	cmd := exec.Command("bash", "-c", "source scripts/lib.sh && fs_trivy_install_cmd")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != TrivyInstall {
		t.Errorf("install commands differ:\n lib.sh: %s\n Go:     %s", out, TrivyInstall)
	}
	for _, f := range []string{".ci/run", ".github/workflows/pull-request.yml", ".github/workflows/deploy.yml"} {
		raw, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		s := string(raw)
		i := strings.Index(s, "scripts/tools.sh install-trivy")
		j := makeTestRe.FindStringIndex(s)
		if i < 0 || j == nil || i > j[0] {
			t.Errorf("%s does not install Trivy before make test", f)
		}
	}
}
