package local

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"regexp"
	"strings"
)

// SecretsFile is where `make local` reads the local values of a stack's
// secrets (git-ignored): NAME=value lines, # comments.
const SecretsFile = ".local-secrets.env"

// Secrets are the local values of secrets: a deployed task reads them from
// Secrets Manager; a local run never touches AWS and takes them from the
// secrets file or, winning over it, the environment variable of the same
// name.
type Secrets struct {
	file   string
	values map[string]string
	getenv func(string) string
}

// envNameRE is a secret's name: an environment variable name.
var envNameRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// LoadSecrets reads file (a missing file holds no value).
func LoadSecrets(file string, getenv func(string) string) (*Secrets, error) {
	s := &Secrets{file: file, values: map[string]string{}, getenv: getenv}
	f, err := os.Open(file)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	defer func() { _ = f.Close() }()
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		name, value, ok := strings.Cut(strings.TrimPrefix(line, "export "), "=")
		name = strings.TrimSpace(name)
		if !ok || !envNameRE.MatchString(name) {
			return nil, fmt.Errorf("%s:%d: want NAME=value, where NAME is the secret's name (letters, digits, _)", file, n)
		}
		value = strings.TrimSpace(value)
		if len(value) >= 2 && (value[0] == '"' || value[0] == '\'') && value[len(value)-1] == value[0] {
			value = value[1 : len(value)-1]
		}
		if _, dup := s.values[name]; dup {
			return nil, fmt.Errorf("%s:%d: %s is set twice", file, n, name)
		}
		s.values[name] = value
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return s, nil
}

// For returns the values of names, the secrets service receives (its
// SecretNames), and where each came from. A name with no value is an
// error naming it, the service, and where to set it.
func (s *Secrets) For(service string, names []string) (map[string]string, map[string]string, error) {
	values, from := map[string]string{}, map[string]string{}
	var missing []string
	for _, n := range names {
		if v := s.getenv(n); v != "" {
			values[n], from[n] = v, "environment"
			continue
		}
		if v, ok := s.values[n]; ok {
			values[n], from[n] = v, s.file
			continue
		}
		missing = append(missing, n)
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("service %s: no local value for secret %s: set each as NAME=value in %s (git-ignored) or in the environment (a local run never reads Secrets Manager)",
			service, strings.Join(missing, ", "), s.file)
	}
	return values, from, nil
}
