// Package stackconfig builds the configuration the Pulumi CLI hands a Go
// program for one stack file, without the CLI: the stack file loaded with the
// SDK's own workspace loader (which also checks it against the stack-file
// schema), the stack's values type-checked against the project's config
// declarations, and the project's defaults for every declared key the stack
// leaves unset.
//
// It follows the CLI's own code, pulumi/pulumi pkg/workspace/config.go
// (v3.274.1): mergeConfig applies the defaults and names missing required
// keys ("Stack 'dev' is missing configuration value ..."), and
// validateStackConfigValue checks each explicitly typed key, passing
// workspace.ValidateConfigValue the decrypted string (or, for an object, its
// JSON) and failing with "Stack 'dev' with configuration key 'cpu' must be of
// type 'integer'". That code lives in the CLI's module (pkg/v3), which this
// project does not import; the checks are the SDK functions it calls.
//
// Secure values are not decrypted (no passphrase or KMS key is needed): the
// program sees their ciphertext, and a secure value of a key typed other
// than string is reported as not verifiable offline.
package stackconfig

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/common/diag"
	"github.com/pulumi/pulumi/sdk/v3/go/common/diag/colors"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/config"
	"github.com/pulumi/pulumi/sdk/v3/go/common/workspace"
)

// Config is the configuration of one stack as the CLI passes it to a Go
// program (PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS).
type Config struct {
	// Values maps "namespace:key" to its value: strings as they are,
	// objects and arrays as JSON.
	Values map[string]string
	// SecretKeys are the keys whose values are secure in the stack file.
	SecretKeys []string
	// Defaulted are the keys that took Pulumi.yaml's default.
	Defaulted []string
}

// ciphertextDecrypter "decrypts" a secure value to its own ciphertext, so
// the program sees a string where the CLI would pass the plaintext, inside
// objects too (`--path 'secrets.NAME'`). config.NopDecrypter would not do:
// Map.Decrypt special-cases it and leaves an object's secure leaves as
// {"secure": "..."}, a shape no program receives from the CLI.
type ciphertextDecrypter struct{}

func (ciphertextDecrypter) DecryptValue(_ context.Context, ciphertext string) (string, error) {
	return ciphertext, nil
}

func (d ciphertextDecrypter) BatchDecrypt(ctx context.Context, ciphertexts []string) ([]string, error) {
	return config.DefaultBatchDecrypt(ctx, d, ciphertexts)
}

// LoadProject loads Pulumi.yaml with the SDK's loader, which validates it
// against the project schema as the CLI does.
func LoadProject(path string) (*workspace.Project, error) {
	proj, err := workspace.LoadProject(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	return proj, nil
}

// Load builds the configuration of the stack file at path (Pulumi.NAME.yaml)
// of proj. Every problem the CLI would stop on is returned, one error per
// key, joined with errors.Join; the messages are the CLI's.
func Load(proj *workspace.Project, path string) (*Config, error) {
	stackName := StackName(path)
	sink := diag.DefaultSink(io.Discard, io.Discard, diag.FormatOptions{Color: colors.Never})
	ps, err := workspace.LoadProjectStack(sink, proj, path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	plain, err := ps.Config.Decrypt(ciphertextDecrypter{})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	out := &Config{Values: map[string]string{}}
	for k, v := range plain {
		out.Values[k.String()] = v
		if ps.Config[k].Secure() {
			out.SecretKeys = append(out.SecretKeys, k.String())
		}
	}

	names := make([]string, 0, len(proj.Config))
	for name := range proj.Config {
		names = append(names, name)
	}
	sort.Strings(names)
	var errs, missing []string
	for _, name := range names {
		decl := proj.Config[name]
		key := name
		if !strings.Contains(key, ":") {
			key = proj.Name.String() + ":" + name
		}
		ckey, err := config.ParseKey(key)
		if err != nil {
			return nil, fmt.Errorf("project config key %q in Pulumi.yaml: %w", name, err)
		}
		v, set := ps.Config[ckey]
		if !set {
			switch {
			case decl.Default != nil:
				out.Values[key] = Render(decl.Default)
				out.Defaulted = append(out.Defaulted, key)
			case decl.Value != nil:
				out.Values[key] = Render(decl.Value)
				out.Defaulted = append(out.Defaulted, key)
			case ckey.Namespace() == proj.Name.String():
				missing = append(missing, name)
			}
			continue
		}
		if decl.Secret && !v.Secure() {
			errs = append(errs, fmt.Sprintf("Stack '%v' with configuration key '%v' must be encrypted as it's secret", stackName, name))
			continue
		}
		if !decl.IsExplicitlyTyped() {
			continue
		}
		if v.Secure() && !v.Object() && decl.TypeName() != "string" {
			errs = append(errs, fmt.Sprintf("config key %q is a secure %s: its value cannot be checked without decrypting it (pulumi preview checks it)", key, decl.TypeName()))
			continue
		}
		var content any = out.Values[key]
		if v.Object() {
			if err := json.Unmarshal([]byte(out.Values[key]), &content); err != nil {
				return nil, fmt.Errorf("%s: %s: %w", path, key, err)
			}
		}
		if !workspace.ValidateConfigValue(decl.TypeName(), decl.Items, content) {
			errs = append(errs, fmt.Sprintf("Stack '%v' with configuration key '%v' must be of type '%v'",
				stackName, name, workspace.InferFullTypeName(decl.TypeName(), decl.Items)))
		}
	}
	if len(missing) > 0 {
		word := "value"
		if len(missing) > 1 {
			word = "values"
		}
		errs = append([]string{fmt.Sprintf("Stack '%v' is missing configuration %v %v", stackName, word, formatMissingKeys(missing))}, errs...)
	}
	sort.Strings(out.SecretKeys)
	sort.Strings(out.Defaulted)
	if len(errs) > 0 {
		joined := make([]error, len(errs))
		for i, e := range errs {
			joined[i] = errors.New(e)
		}
		return out, errors.Join(joined...)
	}
	return out, nil
}

// StackName is NAME of a stack file Pulumi.NAME.yaml (or .yml).
func StackName(path string) string {
	base := filepath.Base(path)
	base = strings.TrimPrefix(base, "Pulumi.")
	return strings.TrimSuffix(strings.TrimSuffix(base, ".yaml"), ".yml")
}

// Render writes a Pulumi.yaml default the way the CLI passes it: strings as
// they are, objects and arrays as JSON, numbers and booleans printed.
func Render(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case map[string]any, []any:
		b, err := json.Marshal(v)
		if err != nil {
			return fmt.Sprint(v)
		}
		return string(b)
	default:
		return fmt.Sprint(v)
	}
}

// formatMissingKeys is the CLI's list of missing keys: 'a', 'a' and 'b',
// 'a', 'b' and 'c' (pkg/workspace/config.go).
func formatMissingKeys(keys []string) string {
	if len(keys) == 1 {
		return fmt.Sprintf("'%v'", keys[0])
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		switch {
		case i == len(keys)-1:
			fmt.Fprintf(&b, "and '%s'", k)
		case i == len(keys)-2:
			fmt.Fprintf(&b, "'%s' ", k)
		default:
			fmt.Fprintf(&b, "'%s', ", k)
		}
	}
	return b.String()
}
