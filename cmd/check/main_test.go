package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
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

// A stack's secrets, set with `pulumi config set --secret --path
// 'secrets.NAME'`, are secure leaves of an object: the program must get
// them as strings, as the CLI passes them, not as {"secure": ...}.
func TestSecretsPassTheCheck(t *testing.T) {
	p := stackFileWith(t, `config:
  aws:region: eu-west-1
  fargateship:secrets:
    DB_PASSWORD:
      secure: v1:abc:def
    API_KEY:
      secure: v1:ghi:jkl
`)
	code, stdout, stderr := check(t, p)
	if code != exitOK || stderr != "" {
		t.Errorf("a stack with secrets: exit %d, stdout %q, stderr:\n%s", code, stdout, stderr)
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

// The first `pulumi stack init` of a stack (which `make deploy` and
// `make preview` run as `pulumi stack select --create`) saves the stack
// file again, adding its secrets provider's line: the CLI (3.274.1,
// pkg/workspace.SaveProjectStack) calls the SDK's ProjectStack.Save, run
// here on each shipped file as the passphrase and the KMS providers leave
// it. Save writes every top-level value as a string, so the files quote
// numbers and booleans as `pulumi config set` does: the save then appends
// its line and changes nothing else (README, "Quick start").
func TestStackFilesSurvivePulumisSave(t *testing.T) {
	root := filepath.Join("..", "..")
	proj, err := stackconfig.LoadProject(filepath.Join(root, "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	files := []string{"Pulumi.dev.yaml", "Pulumi.prod.yaml", filepath.Join("presets", "sandbox.yaml")}
	examples, _ := filepath.Glob(filepath.Join(root, "examples", "*", "stack.yaml"))
	if len(examples) < 3 {
		t.Fatalf("examples: %v", examples)
	}
	for _, e := range examples {
		rel, _ := filepath.Rel(root, e)
		files = append(files, rel)
	}
	sink := diag.DefaultSink(io.Discard, io.Discard, diag.FormatOptions{Color: colors.Never})
	for _, file := range files {
		original, err := os.ReadFile(filepath.Join(root, file))
		if err != nil {
			t.Fatal(err)
		}
		for _, provider := range []struct {
			set   func(*workspace.ProjectStack)
			lines string
		}{
			{func(ps *workspace.ProjectStack) { ps.EncryptionSalt = "v1:c2FsdA==:v1:aXY=:Y2hlY2s=" }, "encryptionsalt: v1:c2FsdA==:v1:aXY=:Y2hlY2s=\n"},
			{func(ps *workspace.ProjectStack) {
				ps.SecretsProvider, ps.EncryptedKey = "awskms://alias/pulumi-dev?region=us-east-1", "AQICAHg="
			}, "secretsprovider: awskms://alias/pulumi-dev?region=us-east-1\nencryptedkey: AQICAHg=\n"},
		} {
			// A copy named as a stack file: the loader takes the stack name from it.
			path := filepath.Join(t.TempDir(), "Pulumi.copy.yaml")
			if err := os.WriteFile(path, original, 0o600); err != nil {
				t.Fatal(err)
			}
			ps, err := workspace.LoadProjectStack(sink, proj, path)
			if err != nil {
				t.Fatal(err)
			}
			provider.set(ps)
			if err := ps.Save(path); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if want := string(original) + provider.lines; string(got) != want {
				t.Errorf("%s: Pulumi's save changes more than the secrets provider's line:\n%s", file, lineDiff(want, string(got)))
			}
		}
	}
}

// lineDiff lists the lines that differ between want and got.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d: file %q, after the save %q\n", i+1, wl, gl)
		}
	}
	return b.String()
}

// `pulumi new <repository URL>` asks for the keys of Pulumi.yaml's
// template section and writes the answers as strings to the new stack's
// file (pulumi/pulumi 3.274.1, pkg/cmd/pulumi/project/newcmd/config.go:
// a key without a namespace is the project's; SaveConfig sets each on the
// stack file the copy brought along, Pulumi.dev.yaml for the default stack
// dev, or a new one). Pulumi.yaml loads with the SDK's project loader,
// which validates it against the project schema as the CLI does; the keys
// are ones the program declares or aws:region; and both files that pulumi
// new can write with the defaults (Enter on every question) pass the check.
func TestPulumiNewTemplate(t *testing.T) {
	root := filepath.Join("..", "..")
	proj, err := stackconfig.LoadProject(filepath.Join(root, "Pulumi.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := proj.Template
	if tmpl == nil || tmpl.Description == "" || tmpl.Quickstart == "" || len(tmpl.Config) < 3 {
		t.Fatalf("template section: %+v", tmpl)
	}
	answers := config.Map{}
	var keys []string
	for name, v := range tmpl.Config {
		if v.Description == "" || v.Default == "" || v.Secret {
			t.Errorf("template key %s: every question has a description and a default, and none is a secret: %+v", name, v)
		}
		full := name
		if !strings.Contains(name, ":") {
			full = proj.Name.String() + ":" + name
		}
		key, err := config.ParseKey(full)
		if err != nil {
			t.Fatalf("template key %s: %v", name, err)
		}
		answers[key] = config.NewValue(v.Default)
		keys = append(keys, full)
	}
	if _, ok := answers[config.MustMakeKey("aws", "region")]; !ok {
		t.Error("the template does not ask for aws:region")
	}
	if msgs := stackconfig.Undeclared(proj, keys); msgs != nil {
		t.Errorf("the template asks for keys the program does not read: %q", msgs)
	}
	sink := diag.DefaultSink(io.Discard, io.Discard, diag.FormatOptions{Color: colors.Never})
	for _, from := range []string{"", "Pulumi.dev.yaml"} {
		path := filepath.Join(t.TempDir(), "Pulumi.new.yaml")
		body := []byte("config: {}\n")
		if from != "" {
			if body, err = os.ReadFile(filepath.Join(root, from)); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.WriteFile(path, body, 0o600); err != nil {
			t.Fatal(err)
		}
		ps, err := workspace.LoadProjectStack(sink, proj, path)
		if err != nil {
			t.Fatal(err)
		}
		for k, v := range answers {
			if err := ps.Config.Set(k, v, false); err != nil {
				t.Fatal(err)
			}
		}
		if err := ps.Save(path); err != nil {
			t.Fatal(err)
		}
		if code, stdout, stderr := check(t, path); code != exitOK {
			t.Errorf("pulumi new's stack file (on %q) fails the check: exit %d %s%s", from, code, stdout, stderr)
		}
	}
}
