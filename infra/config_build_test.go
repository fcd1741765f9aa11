package infra

import (
	"strings"
	"testing"
)

// A Dockerfile that is missing is blamed on the key the stack set: on
// buildContext when dockerfile is unset (the user never wrote dockerfile),
// on dockerfile when it is set; a missing or outside context is reported
// once, on buildContext.
func TestMissingDockerfileBlamesTheKeySet(t *testing.T) {
	for _, tc := range []struct {
		kv         []string
		want, not  string
		wantErrors int
	}{
		{[]string{"buildContext", "infra"}, `config key "fargateship:buildContext": value "infra" is not allowed: the folder has no Dockerfile (infra/Dockerfile)`, `"fargateship:dockerfile"`, 1},
		{[]string{"buildContext", "infra", "dockerfile", "infra/Dockerfile"}, `config key "fargateship:dockerfile": value "infra/Dockerfile" is not allowed`, `"fargateship:buildContext"`, 1},
		{[]string{"buildContext", "services/none"}, `config key "fargateship:buildContext": value "services/none" is not allowed: must be an existing folder`, `"fargateship:dockerfile"`, 1},
		{[]string{"buildContext", "../elsewhere"}, `config key "fargateship:buildContext": value "../elsewhere" is not allowed: must be a relative path`, `"fargateship:dockerfile"`, 1},
	} {
		r := runProgram(t, "dev", with(t, tc.kv...))
		if r.err == nil {
			t.Errorf("%v: program succeeded", tc.kv)
			continue
		}
		msg := r.err.Error()
		if !strings.Contains(msg, tc.want) || strings.Contains(msg, tc.not) {
			t.Errorf("%v: want %q and not %q in:\n%s", tc.kv, tc.want, tc.not, msg)
		}
		if n := strings.Count(msg, "\n  - "); n != tc.wantErrors {
			t.Errorf("%v: %d errors, want %d:\n%s", tc.kv, n, tc.wantErrors, msg)
		}
	}
}
