package local

import (
	"maps"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSecrets: a secret's local value comes from the environment, else
// the secrets file; one that has none fails, naming it, the service and
// where to set it; a bad file names its line.
func TestSecrets(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, SecretsFile)
	content := "# local values\nDB_PASSWORD=from file\nexport API_KEY=\"quoted = kept\"\n\nTOKEN='t'\nEMPTY=\n"
	if err := os.WriteFile(file, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	env := map[string]string{"DB_PASSWORD": "from env"}
	s, err := LoadSecrets(file, func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		names      []string
		want, from map[string]string
		err        string
	}{
		{names: nil, want: map[string]string{}, from: map[string]string{}},
		{names: []string{"DB_PASSWORD"}, want: map[string]string{"DB_PASSWORD": "from env"}, from: map[string]string{"DB_PASSWORD": "environment"}},
		{names: []string{"API_KEY", "TOKEN", "EMPTY"}, want: map[string]string{"API_KEY": "quoted = kept", "TOKEN": "t", "EMPTY": ""},
			from: map[string]string{"API_KEY": file, "TOKEN": file, "EMPTY": file}},
		{names: []string{"TOKEN", "NOPE", "ALSO_NOPE"}, err: "service api: no local value for secret NOPE, ALSO_NOPE: set each as NAME=value in " + file},
	} {
		got, from, err := s.For("api", tc.names)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), "environment") {
				t.Errorf("%q: %v, want %q", tc.names, err, tc.err)
			}
			continue
		}
		if err != nil || !maps.Equal(got, tc.want) || !maps.Equal(from, tc.from) {
			t.Errorf("%q: %v from %v (%v), want %v from %v", tc.names, got, from, err, tc.want, tc.from)
		}
	}
	// No file: only the environment.
	none, err := LoadSecrets(filepath.Join(dir, "absent.env"), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := none.For("app", []string{"DB_PASSWORD"}); err == nil || !strings.Contains(err.Error(), "DB_PASSWORD") {
		t.Errorf("no value anywhere: %v", err)
	}
	for bad, want := range map[string]string{
		"JUST_A_NAME\n":    ":1: want NAME=value",
		"\n\n1BAD=x\n":     ":3: want NAME=value",
		"A=1\nB=2\nA=3\n":  ":3: A is set twice",
		"OK=1\nNOT OK=2\n": ":2: want NAME=value",
	} {
		f := filepath.Join(dir, "bad.env")
		if err := os.WriteFile(f, []byte(bad), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := LoadSecrets(f, os.Getenv); err == nil || !strings.Contains(err.Error(), f+want) {
			t.Errorf("%q: %v, want %q", bad, err, want)
		}
	}
}
