package scan

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/fargateship/fargateship/internal/tfplan"
)

// sdkPackage is one package of the pulumi-aws Go SDK, parsed: its struct
// types by name.
type sdkPackage map[string]*ast.StructType

// loadSDKPackage parses the resource file and the type files of a package
// of the pulumi-aws SDK in the module cache.
func loadSDKPackage(t *testing.T, dir, member string) sdkPackage {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "pulumiTypes*.go"))
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, filepath.Join(dir, member+".go"))
	pkg := sdkPackage{}
	fset := token.NewFileSet()
	for _, f := range files {
		file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("parse %s: %v", f, err)
		}
		for _, d := range file.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				if st, ok := ts.Type.(*ast.StructType); ok {
					pkg[ts.Name.Name] = st
				}
			}
		}
	}
	return pkg
}

// sdkDir is where the module cache holds the pulumi-aws Go SDK this
// module builds with.
func sdkDir(t *testing.T) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/pulumi/pulumi-aws/sdk/v6").Output()
	if err != nil {
		t.Fatalf("go list the pulumi-aws SDK: %v", err)
	}
	dir := strings.TrimSpace(string(out))
	if _, err := os.Stat(dir); err != nil {
		t.Fatalf("pulumi-aws SDK not in the module cache: %v (go mod download)", err)
	}
	return dir
}

// TestMappingMatchesTheSDK checks the generic name mapping against the
// pulumi-aws SDK's own Go types, for every property (nested ones too) of
// every AWS resource type that any scanned stack registers, so types added
// to the program are covered without a table here:
//   - a property the SDK types as a map is written as a Terraform map (not
//     a block), and an object-typed one as a block;
//   - a list of objects (a repeated block) gets the singular name the SDK
//     names its element type after (capacityProviderStrategies →
//     ServiceCapacityProviderStrategy → capacity_provider_strategy); the
//     bridge names element types after the Terraform block name, made
//     singular, so the few blocks Terraform itself names in the plural are
//     the table's exceptions and are skipped here;
//   - every input the program sets is a property of the SDK type (the
//     bridge generates those from the Terraform schema): none is Pulumi-only.
func TestMappingMatchesTheSDK(t *testing.T) {
	stacks, err := Shipped(root)
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[string]bool{}
	inputs := map[string]map[string]bool{} // token → input keys the program sets
	for _, s := range stacks {
		rs, err := Evaluate(root, "fargateship", s)
		if err != nil {
			t.Fatalf("%s: %v", s.Label, err)
		}
		for _, r := range rs {
			if r.Custom && strings.HasPrefix(r.Type, "aws:") {
				tokens[r.Type] = true
				if inputs[r.Type] == nil {
					inputs[r.Type] = map[string]bool{}
				}
				for k := range r.Inputs {
					if !strings.HasPrefix(string(k), "__") {
						inputs[r.Type][string(k)] = true
					}
				}
			}
		}
	}
	if len(tokens) < 20 {
		t.Fatalf("only %d AWS types registered: %v", len(tokens), tokens)
	}
	// And the types the next services bring (listener rules, service
	// discovery, separate security group rules), before they are used.
	for _, tok := range []string{
		"aws:lb/listenerRule:ListenerRule", "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace",
		"aws:servicediscovery/httpNamespace:HttpNamespace", "aws:servicediscovery/service:Service",
		"aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
		"aws:ec2/securityGroupRule:SecurityGroupRule",
	} {
		tokens[tok] = true
	}
	base := filepath.Join(sdkDir(t), "go", "aws")
	checked := 0
	names := make([]string, 0, len(tokens))
	for tok := range tokens {
		names = append(names, tok)
	}
	sort.Strings(names)
	pkgs := map[string]sdkPackage{}
	for _, tok := range names {
		parts := strings.Split(tok, ":")
		mod, member, _ := strings.Cut(parts[1], "/")
		key := mod + "/" + member
		if pkgs[key] == nil {
			pkgs[key] = loadSDKPackage(t, filepath.Join(base, mod), member)
		}
		pkg := pkgs[key]
		resName := parts[2]
		args := pkg[string(unicode.ToLower(rune(resName[0])))+resName[1:]+"Args"]
		if args == nil {
			t.Errorf("%s: no args struct in the SDK", tok)
			continue
		}
		// Every input the program sets is a property of the SDK type
		// (generated from the Terraform schema): no Pulumi-only input.
		fields := map[string]bool{}
		for _, f := range args.Fields.List {
			if f.Tag != nil {
				fields[reflect.StructTag(strings.Trim(f.Tag.Value, "`")).Get("pulumi")] = true
			}
		}
		for k := range inputs[tok] {
			if !fields[k] {
				t.Errorf("%s: input %s is not a property of the SDK type (Pulumi-only? list it as approximate)", tok, k)
			}
		}
		tfType, _ := tfplan.TerraformType(tok)
		checked += checkStruct(t, pkg, tok, tfType, resName, args, map[string]bool{})
	}
	t.Logf("%d properties of %d AWS types checked against the pulumi-aws SDK", checked, len(tokens))
}

func checkStruct(t *testing.T, pkg sdkPackage, tok, tfType, typeName string, st *ast.StructType, seen map[string]bool) int {
	t.Helper()
	if seen[typeName] {
		return 0
	}
	seen[typeName] = true
	n := 0
	for _, f := range st.Fields.List {
		if f.Tag == nil || len(f.Names) == 0 {
			continue
		}
		tag := reflect.StructTag(strings.Trim(f.Tag.Value, "`")).Get("pulumi")
		if tag == "" {
			continue
		}
		n++
		where := tok + " " + typeName + "." + tag
		typ := f.Type
		if star, ok := typ.(*ast.StarExpr); ok {
			typ = star.X
		}
		switch x := typ.(type) {
		case *ast.MapType:
			if !tfplan.IsMapProperty(tfType, tag, nil) {
				t.Errorf("%s: a map in the SDK, written as a block (add it to mapAttributes)", where)
			}
		case *ast.Ident:
			nested, ok := pkg[x.Name]
			if !ok {
				continue // a scalar
			}
			if tfplan.IsMapProperty(tfType, tag, nil) {
				t.Errorf("%s: an object (%s) in the SDK, written as a map", where, x.Name)
			}
			n += checkStruct(t, pkg, tok, tfType, x.Name, nested, seen)
		case *ast.ArrayType:
			el, ok := x.Elt.(*ast.Ident)
			if !ok {
				continue
			}
			nested, ok := pkg[el.Name]
			if !ok {
				continue // a list of scalars: its name is kept
			}
			if _, exception := tfplan.AttributeException(tfType, tag); !exception {
				want := strings.TrimPrefix(el.Name, typeName)
				if got := tfplan.BlockName(tfType, tag); got != tfplan.Snake(want) {
					t.Errorf("%s: block written as %q, but the SDK names its element %s (%q)", where, got, el.Name, tfplan.Snake(want))
				}
			}
			n += checkStruct(t, pkg, tok, tfType, el.Name, nested, seen)
		}
	}
	return n
}
