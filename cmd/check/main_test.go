package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/fargateship/fargateship/internal/stackconfig"
)

func check(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(append([]string{"-C", filepath.Join("..", "..")}, args...), &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func stackFileWith(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "Pulumi.mine.yaml")
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// Every stack file the project ships is valid, with a one-line OK.
func TestShippedStacksAreValid(t *testing.T) {
	for _, arg := range []string{"dev", "prod", filepath.Join("..", "..", "presets", "sandbox.yaml")} {
		code, stdout, stderr := check(t, arg)
		if code != exitOK || stderr != "" || strings.Count(stdout, "\n") != 1 || !strings.HasPrefix(stdout, "ok: ") {
			t.Errorf("%s: exit %d, stdout %q, stderr %q", arg, code, stdout, stderr)
		}
	}
}

// A bad stack file prints the program's own messages, one per bad key, as
// `pulumi up` would (infra.LoadConfig), and exits 1.
func TestProgramValidation(t *testing.T) {
	p := stackFileWith(t, `config:
  fargateship:cpu: 1024
  fargateship:memory: 1024
  fargateship:architecture: arm64
`)
	code, stdout, stderr := check(t, p)
	want := `Pulumi.mine.yaml: invalid stack configuration:
  - config keys "fargateship:cpu" and "fargateship:memory": memory 1024 MiB is not a valid Fargate size for cpu 1024: allowed memory is 2048 to 8192 in steps of 1024
  - config key "fargateship:architecture": value "arm64" is not allowed: must be one of X86_64, ARM64
`
	if code != exitInvalid || stdout != "" || stderr != want {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant:\n%s", code, stdout, stderr, want)
	}
}

// Values of the wrong type stop the CLI before the program runs; check
// says so with the CLI's messages.
func TestTypeErrors(t *testing.T) {
	p := stackFileWith(t, `config:
  fargateship:cpu: lots
  fargateship:spot: maybe
`)
	code, _, stderr := check(t, p)
	for _, want := range []string{
		"the Pulumi CLI stops before running the program",
		"  - Stack 'mine' with configuration key 'cpu' must be of type 'integer'",
		"  - Stack 'mine' with configuration key 'spot' must be of type 'boolean'",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("%q not in:\n%s", want, stderr)
		}
	}
	if code != exitInvalid {
		t.Errorf("exit %d", code)
	}
}

// A misspelt key of the project fails the check, named with the key that
// was meant; another namespace's keys pass (infra.LoadConfig, which
// `pulumi up` runs too, reports it: internal/stackconfig.Undeclared).
func TestMisspeltKey(t *testing.T) {
	p := stackFileWith(t, `config:
  aws:region: eu-west-1
  pulumi:tags:
    team: a
  fargateship:desiredCont: "3"
`)
	code, stdout, stderr := check(t, p)
	want := `Pulumi.mine.yaml: invalid stack configuration:
  - config key "fargateship:desiredCont" is not declared in Pulumi.yaml, so nothing reads it: did you mean desiredCount?
`
	if code != exitInvalid || stdout != "" || stderr != want {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant:\n%s", code, stdout, stderr, want)
	}
}

func TestUsage(t *testing.T) {
	code, _, stderr := check(t, "nope")
	if code != exitUsage || !strings.Contains(stderr, "no stack file ") || !strings.Contains(stderr, "stack files here: dev, prod") {
		t.Errorf("missing stack: exit %d %q", code, stderr)
	}
	if code, _, stderr := check(t); code != exitUsage || !strings.Contains(stderr, "want one stack name") {
		t.Errorf("no stack: exit %d %q", code, stderr)
	}
	if code, _, _ := check(t, "-h"); code != exitOK {
		t.Errorf("-h: exit %d", code)
	}
	p := stackFileWith(t, "config: [1, 2]\n")
	if code, _, stderr := check(t, p); code != exitUsage || !strings.Contains(stderr, "check: load ") {
		t.Errorf("unreadable stack file: exit %d %q", code, stderr)
	}
}

// The README says every choice in the shipped stack files that differs from
// Pulumi.yaml's defaults is commented there: each such key has a comment on
// its line or the lines above it (keys that are not the project's, such as
// aws:region, count as choices).
func TestStackFilesCommentEveryChoice(t *testing.T) {
	root := filepath.Join("..", "..")
	proj, err := stackconfig.LoadProject(filepath.Join(root, "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{"Pulumi.dev.yaml", "Pulumi.prod.yaml", filepath.Join("presets", "sandbox.yaml")} {
		path := filepath.Join(root, file)
		cfg, err := stackconfig.Load(proj, path)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		config := mapValue(doc.Content[0], "config")
		if config == nil {
			t.Fatalf("%s: no config", file)
		}
		choices := 0
		for i := 0; i+1 < len(config.Content); i += 2 {
			k, v := config.Content[i], config.Content[i+1]
			name, isProject := strings.CutPrefix(k.Value, proj.Name.String()+":")
			if decl, ok := proj.Config[name]; isProject && ok && decl.Default != nil && cfg.Values[k.Value] == stackconfig.Render(decl.Default) {
				continue // the default, written out
			}
			choices++
			if k.HeadComment == "" && k.LineComment == "" && v.LineComment == "" {
				t.Errorf("%s:%d: %s differs from the default and has no comment", file, k.Line, k.Value)
			}
		}
		if choices == 0 {
			t.Errorf("%s: no choices found", file)
		}
	}
}

func mapValue(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i+1]
		}
	}
	return nil
}
