package stackconfig

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// A project with the kinds of declarations the CLI treats differently: a
// required key, typed keys with defaults, an object, and a secret key.
const project = `name: proj
runtime: go
config:
  region:
    type: string
  size:
    type: integer
    default: 256
  spot:
    type: boolean
    default: false
  env:
    type: object
    default: {}
  names:
    type: array
    items:
      type: string
    default: [a]
  token:
    type: string
    secret: true
    default: none
`

func write(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func load(t *testing.T, stack string) (*Config, error) {
	t.Helper()
	dir := t.TempDir()
	proj, err := LoadProject(write(t, dir, "Pulumi.yaml", project))
	if err != nil {
		t.Fatal(err)
	}
	return Load(proj, write(t, dir, "Pulumi.test.yaml", stack))
}

// Secure leaves of an object (`pulumi config set --secret --path
// 'env.TOKEN'`) reach the program as strings, and the key is secret.
func TestSecureLeavesOfAnObject(t *testing.T) {
	cfg, err := load(t, `config:
  proj:region: eu-west-1
  proj:size: "512"
  proj:env:
    A: b
    TOKEN:
      secure: v1:abc:def
`)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Values["proj:env"], `{"A":"b","TOKEN":"v1:abc:def"}`; got != want {
		t.Errorf("proj:env = %s, want %s", got, want)
	}
	if !slices.Contains(cfg.SecretKeys, "proj:env") {
		t.Errorf("secret keys %v lack proj:env", cfg.SecretKeys)
	}
}

func TestDefaultsAndValues(t *testing.T) {
	cfg, err := load(t, `config:
  proj:region: eu-west-1
  proj:size: "512"
  proj:env:
    A: b
  aws:region: eu-west-1
  proj:token:
    secure: v1:abc:def
`)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"proj:region": "eu-west-1", "proj:size": "512", "proj:env": `{"A":"b"}`, "aws:region": "eu-west-1",
		"proj:spot": "false", "proj:names": `["a"]`, "proj:token": "v1:abc:def",
	}
	for k, v := range want {
		if cfg.Values[k] != v {
			t.Errorf("%s = %q, want %q", k, cfg.Values[k], v)
		}
	}
	if len(cfg.Values) != len(want) {
		t.Errorf("values %v", cfg.Values)
	}
	if !slices.Equal(cfg.Defaulted, []string{"proj:names", "proj:spot"}) {
		t.Errorf("defaulted %v", cfg.Defaulted)
	}
	if !slices.Equal(cfg.SecretKeys, []string{"proj:token"}) {
		t.Errorf("secret keys %v", cfg.SecretKeys)
	}
}

// The CLI's messages (pulumi/pulumi pkg/workspace/config.go, v3.274.1), one
// per bad key, the missing ones first.
func TestCLIErrors(t *testing.T) {
	_, err := load(t, `config:
  proj:size: big
  proj:spot: maybe
  proj:names: [1, 2]
  proj:env: text
  proj:token: plain
`)
	if err == nil {
		t.Fatal("no error")
	}
	got := strings.Split(err.Error(), "\n")
	want := []string{
		"Stack 'test' is missing configuration value 'region'",
		"Stack 'test' with configuration key 'env' must be of type 'object'",
		"Stack 'test' with configuration key 'names' must be of type 'array<string>'",
		"Stack 'test' with configuration key 'size' must be of type 'integer'",
		"Stack 'test' with configuration key 'spot' must be of type 'boolean'",
		"Stack 'test' with configuration key 'token' must be encrypted as it's secret",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestSecureNonString(t *testing.T) {
	_, err := load(t, `config:
  proj:region: x
  proj:size:
    secure: v1:abc:def
`)
	if err == nil || !strings.Contains(err.Error(), `config key "proj:size" is a secure integer: its value cannot be checked without decrypting it`) {
		t.Errorf("got %v", err)
	}
}

func TestNotAStackFile(t *testing.T) {
	if _, err := load(t, "config: [1, 2]\n"); err == nil {
		t.Error("a stack file whose config is a list was accepted")
	}
}

func TestMissingKeysWording(t *testing.T) {
	for _, tc := range []struct {
		keys []string
		want string
	}{
		{[]string{"a"}, "'a'"},
		{[]string{"b", "a"}, "'a' and 'b'"},
		{[]string{"c", "a", "b"}, "'a', 'b' and 'c'"},
	} {
		if got := formatMissingKeys(tc.keys); got != tc.want {
			t.Errorf("%v: %q, want %q", tc.keys, got, tc.want)
		}
	}
}
