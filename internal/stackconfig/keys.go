package stackconfig

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// otherNamespaceKeys are keys of other namespaces that a stack sets under
// the project's namespace by mistake: `pulumi config set region us-east-1`
// writes PROJECT:region, which the AWS provider never reads.
var otherNamespaceKeys = []string{"aws:region", "aws:profile"}

// ShippedProject is the project name this repository ships with, the
// namespace of every key in its stack files, presets and examples. `pulumi
// new` lets a copy take another name; such keys would then be another
// namespace's, read by nothing.
const ShippedProject = "fargateship"

// Declared lists the keys of the project's own namespace that Pulumi.yaml
// declares, by their short name (cpu for PROJECT:cpu), sorted.
func Declared(proj *workspace.Project) []string {
	ns := proj.Name.String()
	var names []string
	for name := range proj.Config {
		short, ok := strings.CutPrefix(name, ns+":")
		if !ok && strings.Contains(name, ":") {
			continue // another namespace's key (aws:region)
		}
		names = append(names, short)
	}
	sort.Strings(names)
	return names
}

// Undeclared checks the keys a stack sets ("namespace:name", as the CLI
// hands them to the program) against the declarations of Pulumi.yaml: a key
// of the project's namespace that it does not declare is a mistake the CLI
// accepts silently (it checks only declared keys), and the program would
// run with the default of the key that was meant. It returns one message
// per such key, sorted, naming it and the closest declared key. Keys of
// every other namespace (aws:region, pulumi:tags, other providers') are
// not the project's to judge and pass, except ShippedProject's in a
// project renamed by `pulumi new`: the shipped stack files' keys, which
// nothing would read.
func Undeclared(proj *workspace.Project, keys []string) []string {
	ns := proj.Name.String()
	declared := Declared(proj)
	known := make(map[string]bool, len(declared))
	for _, d := range declared {
		known[d] = true
	}
	var msgs []string
	for _, k := range keys {
		kns, name := splitKey(k)
		if kns == ShippedProject && ns != ShippedProject {
			msgs = append(msgs, fmt.Sprintf("config key %q is in the namespace of the project this one was copied from, so nothing reads it: "+
				"this project is named %s (Pulumi.yaml), so the key is %s:%s", k, ns, ns, name))
			continue
		}
		if kns != ns || known[name] {
			continue
		}
		msgs = append(msgs, fmt.Sprintf("config key %q is not declared in Pulumi.yaml, so nothing reads it: %s",
			ns+":"+name, hint(ns, name, declared, proj)))
	}
	sort.Strings(msgs)
	return msgs
}

// splitKey splits "namespace:name" (or the legacy "namespace:config:name")
// as the CLI does; a key it cannot parse is split at its first colon.
func splitKey(k string) (string, string) {
	if key, err := config.ParseKey(k); err == nil {
		return key.Namespace(), key.Name()
	}
	ns, name, _ := strings.Cut(k, ":")
	return ns, name
}

// hint says what the user most likely meant by the undeclared key name.
func hint(ns, name string, declared []string, proj *workspace.Project) string {
	// environment.FOO: a path inside an object key, set without --path.
	if i := strings.IndexAny(name, ".["); i > 0 && contains(declared, name[:i]) {
		parent := name[:i]
		if isObject(proj, ns, parent) {
			return fmt.Sprintf("did you mean the path %s inside %s? set it with `pulumi config set --path '%s' VALUE`", name, parent, name)
		}
		return fmt.Sprintf("did you mean %s?", parent)
	}
	candidates := append(append([]string{}, declared...), otherNamespaceKeys...)
	if best := Closest(name, candidates); best != "" {
		if strings.Contains(best, ":") {
			return fmt.Sprintf("did you mean %s? (`pulumi config set %s VALUE`; a key without a namespace is the project's)", best, best)
		}
		return fmt.Sprintf("did you mean %s?", best)
	}
	return "Pulumi.yaml lists every key the program reads (make check validates a stack file)"
}

func contains(list []string, s string) bool {
	i := sort.SearchStrings(list, s)
	return i < len(list) && list[i] == s
}

func isObject(proj *workspace.Project, ns, name string) bool {
	decl, ok := proj.Config[name]
	if !ok {
		decl, ok = proj.Config[ns+":"+name]
	}
	return ok && decl.TypeName() == "object"
}

// Closest is the candidate nearest to name: the smallest edit distance
// (insertions, deletions, substitutions and swaps of adjacent letters,
// ignoring case; for "ns:key" candidates, the distance to key), at most a
// third of name's length (at least 1), ties broken by the order of
// candidates. It is "" when none is that close.
func Closest(name string, candidates []string) string {
	limit := max(1, utf8.RuneCountInString(name)/3)
	best, bestDist := "", limit+1
	lname := strings.ToLower(name)
	for _, c := range candidates {
		short := c
		if _, after, ok := strings.Cut(c, ":"); ok {
			short = after
		}
		if d := Distance(lname, strings.ToLower(short)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// Distance is the optimal string alignment distance between a and b (the
// Damerau-Levenshtein distance where no substring is edited twice): the
// fewest insertions, deletions, substitutions and transpositions of two
// adjacent runes that turn a into b.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	// d[i][j]: distance between ra[:i] and rb[:j].
	d := make([][]int, len(ra)+1)
	for i := range d {
		d[i] = make([]int, len(rb)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(ra); i++ {
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(ra)][len(rb)]
}
