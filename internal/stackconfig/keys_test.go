package stackconfig

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

func keysProject(t *testing.T) *workspace.Project {
	t.Helper()
	proj, err := LoadProject(write(t, t.TempDir(), "Pulumi.yaml", `name: proj
runtime: go
config:
  desiredCount:
    type: integer
    default: 1
  proj:memory:
    type: integer
    default: 512
  environment:
    type: object
    default: {}
  aws:region:
    value: us-east-1
`))
	if err != nil {
		t.Fatal(err)
	}
	return proj
}

// Keys of the project's namespace must be declared, whichever way
// Pulumi.yaml spells the declaration (name or proj:name).
func TestUndeclaredProjectKeysAreRefused(t *testing.T) {
	proj := keysProject(t)
	if got := Declared(proj); !slices.Equal(got, []string{"desiredCount", "environment", "memory"}) {
		t.Errorf("declared %q", got)
	}
	if got := Undeclared(proj, []string{"proj:desiredCount", "proj:memory", "proj:environment", "proj:config:memory"}); got != nil {
		t.Errorf("declared keys refused: %q", got)
	}
	got := Undeclared(proj, []string{"proj:desiredCount", "proj:desiredCont", "proj:memroy", "proj:zzz"})
	want := []string{
		`config key "proj:desiredCont" is not declared in Pulumi.yaml, so nothing reads it: did you mean desiredCount?`,
		`config key "proj:memroy" is not declared in Pulumi.yaml, so nothing reads it: did you mean memory?`,
		`config key "proj:zzz" is not declared in Pulumi.yaml, so nothing reads it: Pulumi.yaml lists every key the program reads (make check validates a stack file)`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}

// Keys of every other namespace pass, declared in Pulumi.yaml or not: the
// providers and the engine read them, not the program.
func TestOtherNamespacesPass(t *testing.T) {
	proj := keysProject(t)
	keys := []string{"aws:region", "aws:profile", "aws:defaultTags", "pulumi:tags", "pulumi:disable-default-providers",
		"docker:host", "random:anything", "projx:desiredCont", "pro:memroy"}
	if got := Undeclared(proj, keys); got != nil {
		t.Errorf("other namespaces refused: %q", got)
	}
}

// A copy that `pulumi new` renamed still has the shipped stack files'
// fargateship: keys, which nothing would read: each is named, with the
// key it has become.
func TestShippedNamespaceInARenamedProject(t *testing.T) {
	got := Undeclared(keysProject(t), []string{"fargateship:desiredCount", "aws:region"})
	want := []string{`config key "fargateship:desiredCount" is in the namespace of the project this one was copied from, so nothing reads it: this project is named proj (Pulumi.yaml), so the key is proj:desiredCount`}
	if !slices.Equal(got, want) {
		t.Errorf("got %q", got)
	}
}

// The usual slips get the key that was meant: a region set without aws:,
// a path inside an object set without --path, a key in the wrong case.
func TestUndeclaredHints(t *testing.T) {
	proj := keysProject(t)
	for key, want := range map[string]string{
		"proj:region":                `did you mean aws:region? (` + "`pulumi config set aws:region VALUE`" + `; a key without a namespace is the project's)`,
		"proj:environment.GREETING":  "did you mean the path environment.GREETING inside environment? set it with `pulumi config set --path 'environment.GREETING' VALUE`",
		`proj:environment["A"]`:      "did you mean the path environment[\"A\"] inside environment? set it with `pulumi config set --path 'environment[\"A\"]' VALUE`",
		"proj:desiredcount":          "did you mean desiredCount?",
		"proj:memory.limit":          "did you mean memory?",
		"proj:desiredCountForNights": "Pulumi.yaml lists every key the program reads (make check validates a stack file)",
	} {
		got := Undeclared(proj, []string{key})
		if len(got) != 1 {
			t.Errorf("%s: %q", key, got)
			continue
		}
		if _, hint, _ := strings.Cut(got[0], "so nothing reads it: "); hint != want {
			t.Errorf("%s:\n got %s\nwant %s", key, hint, want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"cpu", "", 3}, {"", "cpu", 3},
		{"desiredcont", "desiredcount", 1},
		{"memroy", "memory", 1}, // a swap is one edit
		{"ca", "abc", 3},        // optimal string alignment: no edit of a swapped pair
		{"kitten", "sitting", 3},
		{"ünïcode", "unicode", 2},
	} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestClosest(t *testing.T) {
	keys := []string{"cpu", "memory", "desiredCount", "minCount", "maxCount", "aws:region"}
	for name, want := range map[string]string{
		"cpus":        "cpu",
		"CPU":         "cpu",
		"spot":        "", // 3 edits from cpu: too far for 4 letters
		"minCoutn":    "minCount",
		"maxcount":    "maxCount",
		"desiredCont": "desiredCount",
		"region":      "aws:region",
		"x":           "",
	} {
		if got := Closest(name, keys); got != want {
			t.Errorf("Closest(%q) = %q, want %q", name, got, want)
		}
	}
}

// Every key of the shipped Pulumi.yaml is a candidate: a one-letter slip
// of any of them suggests it (and only it).
func TestEveryShippedKeyIsSuggested(t *testing.T) {
	proj, err := LoadProject(filepath.Join("..", "..", "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	declared := Declared(proj)
	if len(declared) < 40 {
		t.Fatalf("only %d keys declared", len(declared))
	}
	for _, d := range declared {
		slip := d[:len(d)-1] // the last letter dropped
		if got := Closest(slip, declared); got != d {
			t.Errorf("%s: %q suggests %q", d, slip, got)
		}
	}
}
