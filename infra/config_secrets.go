package infra

import (
	"fmt"
	"strings"
)

// secrets reads the secret environment variables, which must be Pulumi
// secrets and must not also be plain variables.
func (r *configReader) secrets(c *Config) {
	c.Secrets = r.stringMap("secrets", true)
	if s, ok := r.raw("secrets"); ok && strings.TrimSpace(s) != "" && strings.TrimSpace(s) != "{}" && !r.ctx.IsConfigSecret(r.key("secrets")) {
		r.failCombo(fmt.Sprintf("config key %q holds plain values: set each one with `pulumi config set --secret --path 'secrets.NAME' VALUE`", r.key("secrets")))
	}
	for name := range c.Secrets {
		if _, clash := c.Environment[name]; clash {
			r.failCombo(fmt.Sprintf("config keys %q and %q both set %s: a variable is either plain or secret", r.key("environment"), r.key("secrets"), name))
		}
	}

}
