package scan

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// root is the project root (where Pulumi.yaml is), from this package.
const root = "../.."

// requireTrivy returns Trivy TrivyVersion, looked up on PATH and in
// $(go env GOPATH)/bin (where `go install` and .ci/run put it). Without it
// the test skips, saying so, unless CI=true: then it fails, since CI must
// not pass with the scanner's tests skipped.
func requireTrivy(t *testing.T) Trivy {
	t.Helper()
	bin, err := FindTrivy()
	if err != nil {
		msg := err.Error() + ": install it with " + TrivyInstall
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true and %s (.ci/run installs it)", msg)
		}
		t.Skip("SKIP: " + msg + " (CI=true makes this a failure)")
	}
	tr := Trivy{Bin: bin, Checks: filepath.Join(root, ChecksDir)}
	v, err := tr.Version(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if v != TrivyVersion {
		t.Fatalf("%s is Trivy %s; the scan needs %s: %s", bin, v, TrivyVersion, TrivyInstall)
	}
	return tr
}
