package docs

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// root is the repository root.
var root = filepath.Join("..", "..")

// documents are the Markdown pages the link test covers: the README and
// every page of docs/.
func documents(t *testing.T) []string {
	t.Helper()
	pages, err := filepath.Glob(filepath.Join(root, "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) < 4 {
		t.Fatalf("docs/ has %d pages", len(pages))
	}
	return append([]string{filepath.Join(root, "README.md")}, pages...)
}

var (
	fenceRE      = regexp.MustCompile("(?ms)^[ \t]*(```|~~~).*?^[ \t]*(```|~~~)[ \t]*$")
	codeSpanRE   = regexp.MustCompile("`+[^`]*`+")
	linkRE       = regexp.MustCompile(`\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
	headingRE    = regexp.MustCompile(`(?m)^#{1,6}[ \t]+(.+?)[ \t]*#*[ \t]*$`)
	htmlAnchorRE = regexp.MustCompile(`<a (?:name|id)="([^"]+)"`)
	inlineLinkRE = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
	schemeRE     = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9+.-]*:`)
)

// stripCode removes fenced blocks and code spans: a link written inside
// code is text, not a link.
func stripCode(md string) string {
	return codeSpanRE.ReplaceAllString(fenceRE.ReplaceAllString(md, ""), "")
}

// anchors are the fragment ids GitHub gives a page's headings: the text
// without formatting, lower-cased, every character but letters, digits,
// marks, '_', '-' and spaces dropped, spaces turned into '-', and a repeated
// id suffixed -1, -2, ...; plus explicit <a name=...> anchors.
func anchors(md string) map[string]bool {
	out := map[string]bool{}
	seen := map[string]int{}
	for _, m := range headingRE.FindAllStringSubmatch(fenceRE.ReplaceAllString(md, ""), -1) {
		text := inlineLinkRE.ReplaceAllString(m[1], "$1")
		var b strings.Builder
		for _, r := range strings.ToLower(text) {
			switch {
			case unicode.IsLetter(r), unicode.IsDigit(r), unicode.IsMark(r), r == '_', r == '-':
				b.WriteRune(r)
			case r == ' ':
				b.WriteRune('-')
			}
		}
		id := b.String()
		if n := seen[id]; n > 0 {
			out[fmt.Sprintf("%s-%d", id, n)] = true
		} else {
			out[id] = true
		}
		seen[id]++
	}
	for _, m := range htmlAnchorRE.FindAllStringSubmatch(md, -1) {
		out[m[1]] = true
	}
	return out
}

func TestAnchors(t *testing.T) {
	got := anchors("# One-time CI bootstrap (`bootstrap/`)\n## Quick start\n## Quick start\n### 1. Run the bootstrap\n" +
		"## クイックスタート（前提）\n## From the [console](x.md) to this program\n```\n# not a heading\n```\n")
	for _, want := range []string{"one-time-ci-bootstrap-bootstrap", "quick-start", "quick-start-1", "1-run-the-bootstrap",
		"クイックスタート前提", "from-the-console-to-this-program"} {
		if !got[want] {
			t.Errorf("no anchor %q in %v", want, got)
		}
	}
	if got["not-a-heading"] {
		t.Error("a comment in a code block became a heading")
	}
}

// Every relative link of the README and of docs/*.md names a file or
// folder of the repository, and a #fragment names a heading of the
// Markdown page it points to (or of the same page).
func TestRelativeLinksResolve(t *testing.T) {
	pages := map[string]string{}
	read := func(path string) (string, error) {
		if md, ok := pages[path]; ok {
			return md, nil
		}
		b, err := os.ReadFile(path)
		if err == nil {
			pages[path] = string(b)
		}
		return string(b), err
	}
	checked := 0
	for _, doc := range documents(t) {
		md, err := read(doc)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(root, doc)
		for _, m := range linkRE.FindAllStringSubmatch(stripCode(md), -1) {
			target := m[1]
			if schemeRE.MatchString(target) {
				continue // https:, mailto:
			}
			checked++
			file, fragment, _ := strings.Cut(target, "#")
			path := doc
			if file != "" {
				path = filepath.Join(filepath.Dir(doc), filepath.FromSlash(file))
				if _, err := os.Stat(path); err != nil {
					t.Errorf("%s: link %s: no such file or folder", rel, target)
					continue
				}
			}
			if fragment == "" || !strings.HasSuffix(path, ".md") {
				continue
			}
			page, err := read(path)
			if err != nil {
				t.Errorf("%s: link %s: %v", rel, target, err)
				continue
			}
			if !anchors(page)[fragment] {
				t.Errorf("%s: link %s: no heading with the anchor #%s", rel, target, fragment)
			}
		}
	}
	if checked < 30 {
		t.Errorf("only %d relative links found: is the link pattern still right?", checked)
	}
}
