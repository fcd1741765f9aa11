package scan

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestParseAcceptedRejects(t *testing.T) {
	good := "  - trivy: AWS-0089\n    title: t\n    why: w\n    fix: f\n"
	for name, tc := range map[string]struct{ yaml, want string }{
		"unknown key":         {"findings:\n" + good + "    resourcez: {}\n", "field resourcez not found"},
		"bad trivy id":        {"findings:\n  - trivy: AVD-AWS-0089\n    title: t\n    why: w\n    fix: f\n", "is not AWS-NNNN"},
		"no id at all":        {"findings:\n  - title: t\n    why: w\n    fix: f\n", "no id"},
		"bad checkov id":      {"findings:\n  - trivy: AWS-0089\n    checkov: [CKV_89]\n    title: t\n    why: w\n    fix: f\n", "checkov id"},
		"bad Security Hub id": {"findings:\n  - trivy: AWS-0089\n    securityHub: [S3-9]\n    title: t\n    why: w\n    fix: f\n", "Security Hub id"},
		"no reason":           {"findings:\n  - trivy: AWS-0089\n    title: t\n    fix: f\n", "title, why and fix are required"},
		"resource no reason":  {"findings:\n" + good + "    resources: {aws_s3_bucket.x: \"\"}\n", "has no reason"},
		"id twice":            {"findings:\n" + good + good, "listed twice"},
		"empty":               {"findings: []\n", "no findings"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParseAccepted([]byte(tc.yaml), "accepted.yaml")
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestAcceptedMatch(t *testing.T) {
	a, err := ParseAccepted([]byte(`findings:
  - trivy: AWS-0017
    title: t
    why: w
    fix: f
  - trivy: AWS-0089
    title: t
    why: w
    fix: f
    resources:
      aws_s3_bucket.logs: the log bucket
`), "a.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		id, res string
		ok      bool
	}{
		{"AWS-0017", "aws_cloudwatch_log_group.anything", true},
		{"AWS-0089", "aws_s3_bucket.logs", true},
		{"AWS-0089", "aws_s3_bucket.data", false}, // only the listed resource
		{"AWS-0090", "aws_s3_bucket.logs", false},
	} {
		if _, ok := a.Match(tc.id, tc.res); ok != tc.ok {
			t.Errorf("Match(%s, %s) = %v", tc.id, tc.res, ok)
		}
	}
	used := map[string]map[string]bool{"AWS-0089": {"aws_s3_bucket.logs": true}}
	if got := stale(a, used); len(got) != 1 || !strings.HasPrefix(got[0], "AWS-0017") {
		t.Errorf("stale = %v", got)
	}
	if got := stale(a, map[string]map[string]bool{"AWS-0017": {"x": true}, "AWS-0089": {"aws_s3_bucket.other": true}}); len(got) != 1 || !strings.Contains(got[0], "on aws_s3_bucket.logs") {
		t.Errorf("stale resource = %v", got)
	}
}

// TestAcceptedFile: the project's list loads, and names the access-log
// bucket's findings (issue 21: complete, nothing stale).
func TestAcceptedFile(t *testing.T) {
	a := loadAccepted(t)
	got := strings.Join(a.TrivyIDs(), " ")
	for _, id := range []string{"AWS-0089", "AWS-0090", "AWS-0132"} {
		if !strings.Contains(got, id) {
			t.Errorf("%s is not accepted: %s", id, got)
		}
	}
	raw, err := os.ReadFile(filepath.Join(root, AcceptedFile))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ToLower(string(raw)), "not built yet") {
		t.Error("the stale 'not built yet' access-log row is back")
	}
}

// TestSecurityDocIsGenerated: docs/security.md is what RenderDoc makes of
// security/accepted.yaml (only its measured section is free).
func TestSecurityDocIsGenerated(t *testing.T) {
	raw, err := os.ReadFile(filepath.Join(root, DocFile))
	if err != nil {
		t.Fatal(err)
	}
	measured, err := ExtractMeasured(string(raw))
	if err != nil {
		t.Fatalf("%s: %v", DocFile, err)
	}
	if want := RenderDoc(loadAccepted(t), measured); string(raw) != want {
		t.Errorf("%s differs from %s: regenerate it with `go run ./cmd/scan -write-docs`\n%s", DocFile, AcceptedFile, firstDiff(string(raw), want))
	}
}

func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n  have: " + a + "\n  want: " + b
		}
	}
	return ""
}
