package local

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/fargateship/fargateship/infra"
)

// TestBuildArgs: the command line builds what the program builds: the
// service's Dockerfile, target, args (sorted, so the same line every
// time) and platform, through the engine's own builder.
func TestBuildArgs(t *testing.T) {
	in := infra.BuildInputs{Root: "/p", Context: "examples/api", Dockerfile: "examples/api/Dockerfile", Platform: "linux/arm64",
		Target: "runtime", Args: map[string]string{"B": "2", "A": "1"}}
	got := BuildArgs(in, "--load", "--tag", "t:1")
	want := []string{"buildx", "build", "--builder", "default", "--platform", "linux/arm64", "--progress", "plain", "--provenance=false",
		"--file", "/p/examples/api/Dockerfile", "--target", "runtime", "--build-arg", "A=1", "--build-arg", "B=2", "--load", "--tag", "t:1", "/p/examples/api"}
	if !slices.Equal(got, want) {
		t.Errorf("BuildArgs:\n got %q\nwant %q", got, want)
	}
	in.Target, in.Args = "", nil
	if got := BuildArgs(in); slices.Contains(got, "--target") || slices.Contains(got, "--build-arg") {
		t.Errorf("no target or args: %q", got)
	}
}

// TestCountSteps reads BuildKit's plain progress of a warm and a cold
// build (trimmed from real runs of app/Dockerfile).
func TestCountSteps(t *testing.T) {
	warm := `#5 [build 1/4] FROM docker.io/library/golang:1.26-bookworm
#5 DONE 0.0s
#6 [stage-1 1/2] FROM gcr.io/distroless/static-debian12:nonroot
#6 DONE 0.0s
#7 [internal] load build context
#7 DONE 0.0s
#8 [build 3/4] COPY go.mod *.go ./
#8 CACHED
#9 [build 4/4] RUN --mount=type=cache,target=/root/.cache/go-build go build -o /out/server .
#9 CACHED
#10 [build 2/4] WORKDIR /src
#10 CACHED
#11 [stage-1 2/2] COPY --from=build /out/server /server
#11 CACHED
`
	cold := `#8 [build 2/4] WORKDIR /src
#8 CACHED
#9 [build 3/4] COPY go.mod *.go ./
#9 DONE 0.1s
#10 [build 4/4] RUN go build -o /out/api .
#10 0.512 go: downloading nothing
#10 DONE 41.2s
#11 [stage-1 2/2] COPY --from=build /out/api /api
#11 DONE 0.1s
`
	for name, tc := range map[string]struct {
		out           string
		steps, cached int
	}{"warm": {warm, 4, 4}, "cold": {cold, 4, 1}, "none": {"", 0, 0}} {
		if s, c := CountSteps(tc.out); s != tc.steps || c != tc.cached {
			t.Errorf("%s: %d steps, %d cached; want %d, %d", name, s, c, tc.steps, tc.cached)
		}
	}
}

// TestPrefixer: lines from several writers come out whole, each with its
// source's name in one column.
func TestPrefixer(t *testing.T) {
	var buf bytes.Buffer
	p := newPrefixer(&buf, []string{"local", "api", "worker"})
	w := p.writer("api")
	_, _ = w.Write([]byte("one\ntw"))
	p.line("local", "between")
	_, _ = w.Write([]byte("o\r\n"))
	want := "api    | one\nlocal  | between\napi    | two\n"
	if buf.String() != want {
		t.Errorf("got\n%s\nwant\n%s", buf.String(), want)
	}
	if strings.Count(buf.String(), "|") != 3 {
		t.Error("one prefix a line")
	}
}
