package main

import (
	"bufio"
	"bytes"
	"context"
	"debug/buildinfo"
	"debug/elf"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// maxBinaryBytes keeps the image under its 10 MB target: distroless/static
// adds about 2 MB, so the stripped binary gets the rest, with a margin.
const maxBinaryBytes = 7 << 20

// goBuild is the `go build` command of the Dockerfile's build stage: the
// environment assignments before `go` and the arguments after it.
type goBuild struct {
	env  []string
	args []string
}

// parseDockerfileBuild finds the one RUN instruction that runs `go build` and
// splits it into words, so the test builds with the Dockerfile's flags rather
// than a copy of them that could drift.
func parseDockerfileBuild(t *testing.T) goBuild {
	t.Helper()
	for _, inst := range dockerfileInstructions(t) {
		words := shellWords(t, inst)
		if len(words) == 0 || !strings.EqualFold(words[0], "RUN") || !slices.Contains(words, "build") {
			continue
		}
		var b goBuild
		i := 1
		for ; i < len(words) && strings.HasPrefix(words[i], "--"); i++ { // RUN --mount=... flags
		}
		for ; i < len(words) && words[i] != "go"; i++ {
			if !strings.Contains(words[i], "=") {
				t.Fatalf("Dockerfile: unexpected word %q before `go` in %q", words[i], inst)
			}
			b.env = append(b.env, words[i])
		}
		if i == len(words) {
			t.Fatalf("Dockerfile: no `go` command in %q", inst)
		}
		b.args = words[i+1:]
		for _, w := range b.args {
			if w == "&&" || w == ";" || w == "|" {
				t.Fatalf("Dockerfile: keep the go build RUN a single command (found %q) so this test can replay it", w)
			}
		}
		return b
	}
	t.Fatal("Dockerfile: no RUN instruction with `go build`")
	return goBuild{}
}

// dockerfileInstructions returns the Dockerfile's instructions with line
// continuations joined and comment lines dropped, as BuildKit reads them.
func dockerfileInstructions(t *testing.T) []string {
	t.Helper()
	data, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	var cur strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") || (line == "" && cur.Len() == 0) {
			continue
		}
		if cont, ok := strings.CutSuffix(line, `\`); ok {
			cur.WriteString(cont + " ")
			continue
		}
		cur.WriteString(line)
		out = append(out, strings.TrimSpace(cur.String()))
		cur.Reset()
	}
	return out
}

// shellWords splits a command line the way sh does for the simple cases the
// Dockerfile uses: whitespace separates words, quotes group and are removed.
func shellWords(t *testing.T, s string) []string {
	t.Helper()
	var words []string
	var w strings.Builder
	inWord := false
	var quote rune
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			w.WriteRune(r)
		case r == '"' || r == '\'':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		default:
			w.WriteRune(r)
			inWord = true
		}
	}
	if quote != 0 {
		t.Fatalf("unbalanced quote in %q", s)
	}
	if inWord {
		words = append(words, w.String())
	}
	return words
}

// buildLikeDockerfile builds the app for linux/goarch with the Dockerfile's
// environment and flags, writing the binary into dir.
func buildLikeDockerfile(t *testing.T, b goBuild, goarch, dir string) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not on PATH")
	}
	out := filepath.Join(dir, "server")
	expand := func(s string) string {
		return os.Expand(s, func(k string) string {
			switch k {
			case "TARGETOS":
				return "linux"
			case "TARGETARCH":
				return goarch
			}
			t.Fatalf("Dockerfile go build uses $%s, which this test does not know", k)
			return ""
		})
	}
	var args []string
	for i := 0; i < len(b.args); i++ {
		if b.args[i] == "-o" && i+1 < len(b.args) {
			args = append(args, "-o", out) // same flags, but write where the test can read it
			i++
			continue
		}
		args = append(args, expand(b.args[i]))
	}
	cmd := exec.Command(goBin, args...)
	cmd.Env = os.Environ()
	for _, kv := range b.env {
		cmd.Env = append(cmd.Env, expand(kv))
	}
	// The image's build context has no .git, so its build records no VCS
	// information; do the same here rather than depend on git being usable.
	cmd.Env = append(cmd.Env, "GOFLAGS=-buildvcs=false")
	if msg, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, msg)
	}
	return out
}

// TestDockerfileBuildIsStatic builds the binary as the Dockerfile does, for
// both architectures the infra can target, and checks what the distroless
// static image needs: no dynamic loader, no shared libraries, stripped.
func TestDockerfileBuildIsStatic(t *testing.T) {
	b := parseDockerfileBuild(t)
	// The contract, checked on the Dockerfile itself, so the flags the test
	// replays cannot quietly lose what makes the binary static and small.
	if !slices.Contains(b.env, "CGO_ENABLED=0") {
		t.Errorf("Dockerfile go build env %q lacks CGO_ENABLED=0", b.env)
	}
	for _, want := range []string{"build", "-trimpath", "-ldflags=-s -w"} {
		if !slices.Contains(b.args, want) {
			t.Errorf("Dockerfile go build args %q lack %q", b.args, want)
		}
	}

	for _, arch := range []struct {
		goarch  string
		machine elf.Machine
	}{{"amd64", elf.EM_X86_64}, {"arm64", elf.EM_AARCH64}} {
		t.Run(arch.goarch, func(t *testing.T) {
			t.Parallel() // the two builds are independent; use both cores
			// Warm, a build is about a second; cold, each target first
			// compiles the standard library with -trimpath. -short keeps
			// only the architecture that can also be run here.
			if testing.Short() && arch.goarch != runtime.GOARCH {
				t.Skip("-short: building only for " + runtime.GOARCH)
			}
			dir := t.TempDir()
			bin := buildLikeDockerfile(t, b, arch.goarch, dir)
			checkStaticELF(t, bin, arch.machine)
			checkBuildSettings(t, bin, arch.goarch)
			if runtime.GOOS == "linux" && runtime.GOARCH == arch.goarch {
				t.Run("runs", func(t *testing.T) { checkBinaryRuns(t, bin) })
			}
		})
	}
}

func checkStaticELF(t *testing.T, bin string, machine elf.Machine) {
	t.Helper()
	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if f.Machine != machine {
		t.Errorf("ELF machine = %v, want %v", f.Machine, machine)
	}
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			t.Errorf("binary has a PT_INTERP program header: it needs a dynamic loader that distroless/static lacks")
		}
		if p.Type == elf.PT_DYNAMIC {
			t.Errorf("binary has a PT_DYNAMIC program header: it is dynamically linked")
		}
	}
	if libs, err := f.ImportedLibraries(); err == nil && len(libs) > 0 {
		t.Errorf("binary needs shared libraries (DT_NEEDED): %q", libs)
	}
	// -s -w: no symbol table and no DWARF, which is most of what stripping saves.
	for _, name := range []string{".symtab", ".debug_info"} {
		if f.Section(name) != nil {
			t.Errorf("binary has a %s section: not stripped", name)
		}
	}
	fi, err := os.Stat(bin)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Size() > maxBinaryBytes {
		t.Errorf("binary is %d bytes, over %d: the image would miss its 10 MB target", fi.Size(), maxBinaryBytes)
	}
	t.Logf("%s: %d bytes (%.2f MiB), static, stripped", machine, fi.Size(), float64(fi.Size())/(1<<20))
}

func checkBuildSettings(t *testing.T, bin, goarch string) {
	t.Helper()
	bi, err := buildinfo.ReadFile(bin)
	if err != nil {
		t.Fatal(err)
	}
	if bi.Main.Path != "github.com/fargateship/fargateship/app" {
		t.Errorf("main module = %q", bi.Main.Path)
	}
	if len(bi.Deps) != 0 {
		t.Errorf("binary has module dependencies %v; the app must use the standard library only", bi.Deps)
	}
	settings := map[string]string{}
	for _, s := range bi.Settings {
		settings[s.Key] = s.Value
	}
	// -ldflags is not among them: Go leaves it out of the build info under
	// -trimpath (it could hold paths); checkStaticELF checks its effect.
	for k, want := range map[string]string{
		"CGO_ENABLED": "0", "-trimpath": "true", "GOOS": "linux", "GOARCH": goarch,
	} {
		if settings[k] != want {
			t.Errorf("build setting %s = %q, want %q", k, settings[k], want)
		}
	}
}

// checkBinaryRuns runs the built binary the way ECS does: as its own process,
// with the health check and one-off command as separate invocations, and
// SIGTERM to stop it.
func checkBinaryRuns(t *testing.T, bin string) {
	port := freePort(t)
	base := "http://127.0.0.1:" + strconv.Itoa(port)
	env := append(os.Environ(), "PORT="+strconv.Itoa(port), "DRAIN_DELAY=100ms", "GREETING=from the binary")

	// A bad value: non-zero exit, message on stderr naming the variable.
	bad := exec.Command(bin)
	bad.Env = append(os.Environ(), "DRAIN_DELAY=-5s")
	var stderr bytes.Buffer
	bad.Stderr = &stderr
	if err := bad.Run(); err == nil || !strings.Contains(stderr.String(), "DRAIN_DELAY") {
		t.Errorf("DRAIN_DELAY=-5s: err %v, stderr %q; want a non-zero exit naming DRAIN_DELAY", err, stderr.String())
	}

	once := exec.Command(bin, "once")
	once.Env = env
	if out, err := once.Output(); err != nil || string(out) != "from the binary\n" {
		t.Errorf("once: %q, %v", out, err)
	}

	// The health check before the server is up must fail (exit 1).
	hc := func() error {
		c := exec.Command(bin, "healthcheck")
		c.Env = env
		return c.Run()
	}
	if err := hc(); err == nil {
		t.Errorf("healthcheck passed with no server running")
	}

	var stdout syncBuffer
	srv := exec.Command(bin)
	srv.Env = env
	srv.Stdout = &stdout
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- srv.Wait() }()
	t.Cleanup(func() { _ = srv.Process.Kill() })
	waitReady(t, base, 5*time.Second)

	if err := hc(); err != nil {
		t.Errorf("healthcheck against the running server: %v", err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("server exited with %v after SIGTERM, want exit 0", err)
		}
	case <-ctx.Done():
		t.Fatal("server did not exit within 5s of SIGTERM")
	}
	// Every line on stdout is a JSON log record.
	for line := range strings.Lines(stdout.String()) {
		if !json.Valid([]byte(line)) {
			t.Errorf("stdout line is not JSON: %q", line)
		}
	}
	if !strings.Contains(stdout.String(), `"msg":"stopped"`) {
		t.Errorf("no stopped event in the log:\n%s", stdout.String())
	}
}

// TestDockerfileContract checks the parts of the Dockerfile other parts of
// the project rely on: the task definition's health check runs /server, the
// image must run as non-root on a read-only root filesystem.
func TestDockerfileContract(t *testing.T) {
	t.Parallel()
	insts := dockerfileInstructions(t)
	for _, want := range []string{
		"FROM --platform=$BUILDPLATFORM golang:1.26-bookworm AS build",
		"FROM gcr.io/distroless/static-debian12:nonroot",
		"COPY --from=build /out/server /server",
		"USER 65532:65532",
		`ENTRYPOINT ["/server"]`,
	} {
		if !slices.Contains(insts, want) {
			t.Errorf("Dockerfile lacks the instruction %q", want)
		}
	}
	if got := insts[len(insts)-1]; got != `ENTRYPOINT ["/server"]` {
		t.Errorf("last instruction is %q; ENTRYPOINT should close the file so nothing overrides it", got)
	}
}
