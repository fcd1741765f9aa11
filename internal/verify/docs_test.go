package verify

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// testFuncs lists the Test functions of the _test.go files in dirs.
func testFuncs(t *testing.T, dirs ...string) map[string]bool {
	t.Helper()
	found := map[string]bool{}
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*_test.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no tests in %s: %v", dir, err)
		}
		for _, f := range files {
			file, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range file.Decls {
				if fn, ok := d.(*ast.FuncDecl); ok && fn.Recv == nil && strings.HasPrefix(fn.Name.Name, "Test") {
					found[fn.Name.Name] = true
				}
			}
		}
	}
	return found
}

// docs/verify.md's verdict table cannot drift from the tests: every test a
// row names exists (a Go test of this package or of cmd/verify, a scenario
// of TestScenarios, or a test function of scripts/test-delivery.sh), a
// TestScenarios row's exit code is the scenario's, and every scenario has
// a row.
func TestVerdictTableInDocs(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "..", "docs", "verify.md"))
	if err != nil {
		t.Fatal(err)
	}
	text := string(doc)
	start := strings.Index(text, "\n## Verdicts\n")
	if start < 0 {
		t.Fatal("docs/verify.md has no \"## Verdicts\" section")
	}
	section := text[start+1:]
	if end := strings.Index(section[3:], "\n## "); end >= 0 {
		section = section[:end+3]
	}
	delivery, err := os.ReadFile(filepath.Join("..", "..", "scripts", "test-delivery.sh"))
	if err != nil {
		t.Fatal(err)
	}
	funcs := testFuncs(t, ".", filepath.Join("..", "..", "cmd", "verify"))
	byName := map[string]scenario{}
	for _, sc := range scenarios {
		byName[sc.name] = sc
	}
	rowOf := map[string]bool{}
	rows := 0
	for _, line := range strings.Split(section, "\n") {
		if !strings.HasPrefix(line, "| ") || strings.HasPrefix(line, "| scenario |") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), "|")
		if len(cells) != 5 {
			t.Errorf("row has %d cells, want 5 (scenario, what ECS shows, verdict, exit, test): %s", len(cells), line)
			continue
		}
		rows++
		exit, test := strings.TrimSpace(cells[3]), strings.Trim(strings.TrimSpace(cells[4]), "`")
		name, sub, isScenario := strings.Cut(test, "/")
		switch {
		case isScenario && name == "TestScenarios":
			sc, ok := byName[sub]
			if !ok {
				t.Errorf("%s: no such scenario", test)
				continue
			}
			rowOf[sub] = true
			if code, err := strconv.Atoi(exit); err != nil || code != sc.code {
				t.Errorf("%s: the table says exit %q, the scenario %d", test, exit, sc.code)
			}
		case strings.HasPrefix(test, "test_"):
			if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(test) + `\(\) \{`).Match(delivery) {
				t.Errorf("%s is not a test of scripts/test-delivery.sh", test)
			}
		case !funcs[test]:
			t.Errorf("%s is not a test of internal/verify or cmd/verify", test)
		}
	}
	if rows < len(scenarios) {
		t.Errorf("only %d rows", rows)
	}
	for _, sc := range scenarios {
		if !rowOf[sc.name] {
			t.Errorf("scenario %s has no row in docs/verify.md's verdict table", sc.name)
		}
	}
}
