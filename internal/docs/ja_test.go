package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

// sectionByHeading is section for a heading written out ("## Quick start").
func sectionByHeading(t *testing.T, md, heading string) string {
	t.Helper()
	for a := range anchors(heading + "\n") {
		if s := section(md, a); s != "" {
			return s
		}
	}
	t.Fatalf("no section %q", heading)
	return ""
}

// tableRows are the body rows of the Markdown tables in md.
func tableRows(md string) []string {
	var rows []string
	for _, l := range strings.Split(md, "\n") {
		if strings.HasPrefix(l, "|") && !strings.HasPrefix(l, "|---") {
			rows = append(rows, l)
		}
	}
	if len(rows) > 0 {
		rows = rows[1:] // the header
	}
	return rows
}

var versionRE = regexp.MustCompile(`\b\d+\.\d+(?:\.\d+)?\b`)

// versions are the version numbers a text names, sorted, without repeats.
func versions(s string) []string {
	v := versionRE.FindAllString(stripLinks(s), -1)
	sort.Strings(v)
	return slices.Compact(v)
}

// stripLinks drops link targets (URLs hold numbers that are no versions).
func stripLinks(s string) string {
	return regexp.MustCompile(`\]\([^)]*\)`).ReplaceAllString(s, "]")
}

// The Japanese quick start (docs/README.ja.md) is the README's, translated:
// its console table has the README's rows with the same code in each, its
// prerequisites name the same versions, and every command of its quick
// start is one the README gives. A README change that the translation
// misses fails here.
func TestJapaneseQuickStartFollowsTheReadme(t *testing.T) {
	read := func(p string) string {
		b, err := os.ReadFile(filepath.Join(root, p))
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	en, ja := read("README.md"), read(filepath.Join("docs", "README.ja.md"))

	enRows := tableRows(sectionByHeading(t, en, "## From the console to this program"))
	jaRows := tableRows(sectionByHeading(t, ja, "## AWS コンソールの操作と、このプログラムでの対応"))
	if len(enRows) < 20 || len(enRows) != len(jaRows) {
		t.Fatalf("console table: %d rows in the README, %d in docs/README.ja.md", len(enRows), len(jaRows))
	}
	for i := range enRows {
		if e, j := codeSpanRE.FindAllString(enRows[i], -1), codeSpanRE.FindAllString(jaRows[i], -1); !slices.Equal(e, j) {
			t.Errorf("console table row %d: the README's code %q, the translation's %q", i+1, e, j)
		}
	}

	enQuick := sectionByHeading(t, en, "## Quick start")
	jaPrereq := sectionByHeading(t, ja, "## 前提ツール")
	if e, j := versions(strings.Join(tableRows(enQuick), "\n")), versions(strings.Join(tableRows(jaPrereq), "\n")); len(e) < 5 || !slices.Equal(e, j) {
		t.Errorf("prerequisites: the README names versions %q, the translation %q", e, j)
	}

	enCommands := map[string]bool{}
	for _, l := range shLines(en) {
		if c := commands(l); len(c) > 0 {
			enCommands[strings.Join(c[0], " ")] = true
		}
	}
	jaQuick := sectionByHeading(t, ja, "## クイックスタート")
	n := 0
	for _, l := range shLines(jaQuick) {
		for _, c := range commands(l) {
			n++
			if cmd := strings.Join(c, " "); !enCommands[cmd] && !strings.Contains(en, "`"+strings.Join(c, " ")+"`") {
				t.Errorf("the Japanese quick start runs %q, which the README does not", cmd)
			}
		}
	}
	if n < 6 {
		t.Errorf("only %d commands in the Japanese quick start", n)
	}
}
