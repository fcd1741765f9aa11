package docs

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"

	"github.com/fargateship/fargateship/internal/stackconfig"
)

// model is what the set-up commands of the documents change, as far as the
// order of those commands matters: the state bucket and KMS keys, the
// backend, each project's stacks, the selected one, their config, which
// have been deployed. Its errors that the Pulumi CLI also gives use the
// CLI's words (pulumi/pulumi v3.274.1: pkg/cmd/pulumi/stack/io.go for "no
// stack selected", pkg/workspace/config.go for missing values).
type model struct {
	buckets  map[string]bool
	kmsKeys  int
	loggedIn bool
	dir      string // "" (the repository root) or "bootstrap"
	projects map[string]*workspace.Project
	stacks   map[string]map[string]*stack // by dir, then name
	selected map[string]string
}

type stack struct {
	config   map[string]bool // "namespace:key" set
	deployed bool
}

func newModel(t *testing.T) *model {
	t.Helper()
	m := &model{buckets: map[string]bool{}, projects: map[string]*workspace.Project{},
		stacks: map[string]map[string]*stack{}, selected: map[string]string{}}
	for _, dir := range []string{"", "bootstrap"} {
		proj, err := stackconfig.LoadProject(filepath.Join(root, dir, "Pulumi.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		m.projects[dir] = proj
		m.stacks[dir] = map[string]*stack{}
	}
	return m
}

// run runs one command line of a document (commands joined by && run in
// turn).
func (m *model) run(line string) error {
	for _, words := range commands(line) {
		if err := m.command(words); err != nil {
			return err
		}
	}
	return nil
}

func (m *model) command(w []string) error {
	if len(w) == 0 {
		return nil
	}
	flag := func(name string) string {
		for i := range w[:len(w)-1] {
			if w[i] == name {
				return w[i+1]
			}
		}
		return ""
	}
	switch {
	case w[0] == "cd" && len(w) == 2:
		switch w[1] {
		case "bootstrap":
			m.dir = "bootstrap"
		case "..":
			m.dir = ""
		default:
			return fmt.Errorf("cd %s: not a project folder of this repository", w[1])
		}
	case w[0] == "gh":
		// GitHub's side (the OIDC subject template): nothing here depends on it.
	case len(w) >= 3 && w[0] == "aws" && w[1] == "s3api":
		bucket := flag("--bucket")
		if w[2] == "create-bucket" {
			m.buckets[bucket] = true
		} else if !m.buckets[bucket] {
			return fmt.Errorf("bucket %s does not exist yet", bucket)
		}
	case len(w) >= 3 && w[0] == "aws" && w[1] == "kms" && w[2] == "create-key":
		m.kmsKeys++
	case len(w) == 3 && w[0] == "pulumi" && w[1] == "login":
		if u, ok := strings.CutPrefix(w[2], "s3://"); ok {
			if b, _, _ := strings.Cut(u, "?"); !m.buckets[b] {
				return fmt.Errorf("the state bucket %s does not exist yet", b)
			}
		}
		m.loggedIn = true
	case len(w) >= 4 && w[0] == "pulumi" && w[1] == "stack" && w[2] == "init":
		if !m.loggedIn {
			return errors.New("no backend chosen yet (pulumi login, or the step that chooses one)")
		}
		if p := flag("--secrets-provider"); strings.HasPrefix(p, "awskms://") && m.kmsKeys == 0 {
			return errors.New("no KMS key created yet for the awskms:// secrets provider")
		}
		if m.stacks[m.dir][w[3]] != nil {
			return fmt.Errorf("stack '%s' already exists", w[3])
		}
		m.stacks[m.dir][w[3]] = &stack{config: map[string]bool{}}
		m.selected[m.dir] = w[3]
	case len(w) >= 3 && w[0] == "pulumi" && w[1] == "config" && w[2] == "set":
		return m.configSet(w[3:])
	case len(w) == 2 && w[0] == "pulumi" && w[1] == "up":
		return m.up()
	case len(w) >= 3 && w[0] == "pulumi" && w[1] == "stack" && w[2] == "output":
		s, err := m.stack("")
		if err != nil {
			return err
		}
		if !s.deployed {
			return errors.New("the stack has no outputs: it was never deployed")
		}
	default:
		return fmt.Errorf("the model does not know this command: %s", strings.Join(w, " "))
	}
	return nil
}

// stack is the named stack of the current project, or the selected one.
func (m *model) stack(name string) (*stack, error) {
	if name == "" {
		name = m.selected[m.dir]
		if name == "" {
			return nil, errors.New("no stack selected; please use `pulumi stack select` or `pulumi stack init` to choose one")
		}
	}
	s := m.stacks[m.dir][name]
	if s == nil {
		return nil, fmt.Errorf("no stack named '%s' found", name)
	}
	return s, nil
}

func (m *model) configSet(args []string) error {
	var name string
	var rest []string
	for i := 0; i < len(args); i++ {
		switch args[i] {
		case "--stack":
			i++
			name = args[i]
		case "--path", "--secret", "--plaintext":
		default:
			rest = append(rest, args[i])
		}
	}
	if len(rest) != 2 {
		return fmt.Errorf("want KEY VALUE, got %q", rest)
	}
	s, err := m.stack(name)
	if err != nil {
		return err
	}
	proj := m.projects[m.dir]
	key := rest[0]
	if i := strings.IndexAny(key, ".["); i > 0 {
		key = key[:i]
	}
	if !strings.Contains(key, ":") {
		key = proj.Name.String() + ":" + key
	}
	if msgs := stackconfig.Undeclared(proj, []string{key}); msgs != nil {
		return errors.New(msgs[0])
	}
	switch key {
	case proj.Name.String() + ":stateBucketName":
		if !m.buckets[rest[1]] {
			return fmt.Errorf("the bucket %s does not exist yet", rest[1])
		}
	case proj.Name.String() + ":secretsKmsKeyArns":
		if m.kmsKeys == 0 {
			return errors.New("no KMS key created yet")
		}
	}
	s.config[key] = true
	return nil
}

// up needs what the CLI and the AWS provider need: a selected stack, every
// key Pulumi.yaml declares without a default, and aws:region.
func (m *model) up() error {
	s, err := m.stack("")
	if err != nil {
		return err
	}
	proj := m.projects[m.dir]
	for name, decl := range proj.Config {
		key := name
		if !strings.Contains(key, ":") {
			key = proj.Name.String() + ":" + name
		}
		if decl.Default == nil && decl.Value == nil && !s.config[key] {
			return fmt.Errorf("Stack '%s' is missing configuration value '%s'", m.selected[m.dir], name)
		}
	}
	if !s.config["aws:region"] {
		return errors.New("aws:region is not set: the AWS provider has no region")
	}
	s.deployed = true
	return nil
}

// commands splits a shell line into commands (at &&) of words, with quotes
// removed and a # comment dropped.
func commands(line string) [][]string {
	var out [][]string
	var words []string
	var word strings.Builder
	inWord := false
	var quote rune
	flush := func() {
		if inWord {
			words = append(words, word.String())
			word.Reset()
			inWord = false
		}
	}
	runes := []rune(line)
	for i := 0; i < len(runes); i++ {
		r := runes[i]
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			} else {
				word.WriteRune(r)
			}
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			flush()
		case r == '#' && !inWord:
			i = len(runes)
		case r == '&' && i+1 < len(runes) && runes[i+1] == '&':
			flush()
			out = append(out, words)
			words = nil
			i++
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	flush()
	return append(out, words)
}

var (
	shBlockRE = regexp.MustCompile("(?ms)^```sh\n(.*?)^```")
	anchorRE  = regexp.MustCompile(`\]\(#([^)]+)\)`)
)

// section is the part of md under the heading with the given anchor, up to
// the next heading of the same or a higher level.
func section(md, anchor string) string {
	lines := strings.SplitAfter(md, "\n")
	start, level := -1, 0
	inFence := false
	for i, l := range lines {
		if strings.HasPrefix(l, "```") {
			inFence = !inFence
		}
		if inFence || !strings.HasPrefix(l, "#") {
			continue
		}
		n := len(l) - len(strings.TrimLeft(l, "#"))
		if start >= 0 && n <= level {
			return strings.Join(lines[start:i], "")
		}
		if start < 0 && anchors(l)[anchor] {
			start, level = i, n
		}
	}
	if start < 0 {
		return ""
	}
	return strings.Join(lines[start:], "")
}

// shLines are the command lines of the sh blocks of md, a line ending in
// a backslash joined with the next.
func shLines(md string) []string {
	var out []string
	for _, b := range shBlockRE.FindAllStringSubmatch(md, -1) {
		text := strings.ReplaceAll(b[1], "\\\n", " ")
		for _, l := range strings.Split(text, "\n") {
			if strings.TrimSpace(l) != "" {
				out = append(out, l)
			}
		}
	}
	return out
}

// The ordered path of docs/delivery.md runs: its own commands, then those of
// each section it links to, in the order it links them, each one at its
// turn in the model. At the end the bootstrap is deployed and dev and prod
// hold the bootstrap's four roles.
func TestDeliveryPathRunsInOrder(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "docs", "delivery.md"))
	if err != nil {
		t.Fatal(err)
	}
	md := string(b)
	path := section(md, "from-nothing-to-a-green-pipeline")
	if path == "" {
		t.Fatal("docs/delivery.md has no section \"From nothing to a green pipeline\"")
	}
	lines := shLines(path)
	for _, a := range anchorRE.FindAllStringSubmatch(path, -1) {
		sec := section(md, a[1])
		if sec == "" {
			t.Fatalf("the path links to #%s, which is no section of docs/delivery.md", a[1])
		}
		lines = append(lines, shLines(sec)...)
	}
	m := newModel(t)
	for _, l := range lines {
		if err := m.run(l); err != nil {
			t.Errorf("docs/delivery.md: %s\n  fails at its turn: %v", strings.TrimSpace(l), err)
		}
	}
	if ci := m.stacks["bootstrap"]["ci"]; ci == nil || !ci.deployed {
		t.Error("the path never deploys the bootstrap")
	}
	for _, name := range []string{"dev", "prod"} {
		s := m.stacks[""][name]
		if s == nil {
			t.Errorf("the path never creates the %s stack", name)
			continue
		}
		for _, k := range []string{"executionRoleArn", "taskRoleArn", "flowLogsRoleArn", "schedulerRoleArn"} {
			if !s.config["fargateship:"+k] {
				t.Errorf("the path never sets %s on %s", k, name)
			}
		}
	}
}

// The README's one-line bootstrap runs on a chosen backend; the old one
// (no stack, no region) is refused with the CLI's message.
func TestReadmeBootstrapLine(t *testing.T) {
	b, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, span := range codeSpanRE.FindAllString(string(b), -1) {
		line := strings.Trim(span, "`")
		if !strings.HasPrefix(line, "cd bootstrap && pulumi") {
			continue
		}
		found++
		m := newModel(t)
		m.loggedIn = true
		if err := m.run(line); err != nil {
			t.Errorf("README: %s\n  fails: %v", line, err)
		}
	}
	if found == 0 {
		t.Error("the README has no one-line bootstrap (`cd bootstrap && ...`)")
	}
	m := newModel(t)
	m.loggedIn = true
	err = m.run("cd bootstrap && pulumi config set githubRepository OWNER/REPO && pulumi up")
	if err == nil || err.Error() != "no stack selected; please use `pulumi stack select` or `pulumi stack init` to choose one" {
		t.Errorf("the old one-liner: %v", err)
	}
	m = newModel(t)
	m.loggedIn = true
	if err := m.run("cd bootstrap && pulumi stack init ci && pulumi config set githubRepository OWNER/REPO && pulumi up"); err == nil || !strings.Contains(err.Error(), "aws:region") {
		t.Errorf("no region: %v", err)
	}
	m = newModel(t)
	m.loggedIn = true
	if err := m.run("cd bootstrap && pulumi stack init ci && pulumi config set aws:region us-east-1 && pulumi up"); err == nil ||
		err.Error() != "Stack 'ci' is missing configuration value 'githubRepository'" {
		t.Errorf("no repository: %v", err)
	}
}

func TestCommands(t *testing.T) {
	got := fmt.Sprint(commands(`cd bootstrap && pulumi config set --path 'secretsKmsKeyArns["sandbox-*"]' "a b" # note`))
	if want := `[[cd bootstrap] [pulumi config set --path secretsKmsKeyArns["sandbox-*"] a b]]`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}
