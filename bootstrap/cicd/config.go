package cicd

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// Config is the validated configuration of the bootstrap stack. Keys live in
// the project's namespace ("fargateship-bootstrap:githubRepository").
type Config struct {
	// GitHubRepository is "owner/repo". It is matched case-sensitively in
	// the OIDC subject claim, so it must be spelled as GitHub spells it.
	GitHubRepository string
	// DeployBranch is the branch whose pushes may assume the deploy role.
	DeployBranch string
	// ProdEnvironment is the GitHub environment whose jobs may assume the
	// deploy role.
	ProdEnvironment string
	// ProjectName prefixes the physical names of the main program's
	// resources (ECR repository, log groups, clusters, secrets); the deploy
	// role's permissions are scoped to that prefix.
	ProjectName string
	// ExistingOIDCProviderARN reuses an account's existing GitHub provider
	// instead of creating one (IAM allows one provider per URL).
	ExistingOIDCProviderARN string
	// StateBucketName, when set, is the S3 bucket of a self-managed Pulumi
	// backend; both roles may read and write its objects (a preview takes a
	// lock, which is a write).
	StateBucketName string
	// SecretsKMSKeyARN, when set, is the key of an awskms:// secrets
	// provider; both roles may encrypt and decrypt with it.
	SecretsKMSKeyARN string
	// HostedZoneIDs, when set, are the only Route 53 hosted zones whose
	// records the deploy role may change (the main program's domainName
	// + hostedZoneId); empty means every hosted zone of the account.
	HostedZoneIDs []string
}

// MaxHostedZoneIDs caps hostedZoneIds, so the deploy role's inline
// policies stay under IAM's 10,240-character limit.
const MaxHostedZoneIDs = 10

var (
	// GitHub owners: letters, digits and single hyphens, at most 39
	// characters; repositories: letters, digits, '.', '-', '_'.
	ownerRe = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9]|-[A-Za-z0-9]){0,38}$`)
	repoRe  = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)
	// Branch and environment names end up in an exact-match StringEquals
	// condition, so wildcard and whitespace characters are refused.
	branchRe      = regexp.MustCompile(`^[A-Za-z0-9._/-]{1,255}$`)
	environmentRe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,255}$`)
	projectRe     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)
	oidcARNRe     = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\.actions\.githubusercontent\.com$`)
	bucketRe      = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	kmsKeyARNRe   = regexp.MustCompile(`^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key|alias)/[A-Za-z0-9/_-]+$`)
	hostedZoneRe  = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
)

// LoadConfig reads and validates the stack configuration.
func LoadConfig(ctx *pulumi.Context) (Config, error) {
	c := config.New(ctx, "")
	cfg := Config{
		GitHubRepository:        strings.TrimSpace(c.Get("githubRepository")),
		DeployBranch:            orDefault(c.Get("deployBranch"), "main"),
		ProdEnvironment:         orDefault(c.Get("prodEnvironment"), "prod"),
		ProjectName:             orDefault(c.Get("projectName"), "fargateship"),
		ExistingOIDCProviderARN: strings.TrimSpace(c.Get("existingOidcProviderArn")),
		StateBucketName:         strings.TrimSpace(c.Get("stateBucketName")),
		SecretsKMSKeyARN:        strings.TrimSpace(c.Get("secretsKmsKeyArn")),
	}
	var errs []error
	if raw := strings.TrimSpace(c.Get("hostedZoneIds")); raw != "" {
		if err := json.Unmarshal([]byte(raw), &cfg.HostedZoneIDs); err != nil {
			errs = append(errs, fmt.Errorf("config %q: %s is not a list of hosted zone ids; "+
				"set them with `pulumi config set --path 'hostedZoneIds[0]' Z0123456789ABCDEFGHIJ`", "hostedZoneIds", raw))
		}
	}
	return cfg, errors.Join(append(errs, cfg.Validate())...)
}

func orDefault(v, def string) string {
	if v = strings.TrimSpace(v); v == "" {
		return def
	}
	return v
}

// Validate reports every invalid setting at once.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("config %q: "+format, append([]any{key}, args...)...))
	}
	if c.GitHubRepository == "" {
		bad("githubRepository", "is required (owner/repo), e.g. `pulumi config set githubRepository my-org/fargateship`")
	} else if owner, repo, ok := strings.Cut(c.GitHubRepository, "/"); !ok || !ownerRe.MatchString(owner) ||
		!repoRe.MatchString(repo) || repo == "." || repo == ".." {
		bad("githubRepository", "%q is not a GitHub owner/repo", c.GitHubRepository)
	}
	if !branchRe.MatchString(c.DeployBranch) || strings.Contains(c.DeployBranch, "..") ||
		strings.HasPrefix(c.DeployBranch, "/") || strings.HasSuffix(c.DeployBranch, "/") {
		bad("deployBranch", "%q is not a plain branch name (no wildcards)", c.DeployBranch)
	}
	if !environmentRe.MatchString(c.ProdEnvironment) {
		bad("prodEnvironment", "%q is not a plain environment name (no wildcards)", c.ProdEnvironment)
	}
	if !projectRe.MatchString(c.ProjectName) {
		bad("projectName", "%q must be lower-case letters, digits and '-'", c.ProjectName)
	}
	if c.ExistingOIDCProviderARN != "" && !oidcARNRe.MatchString(c.ExistingOIDCProviderARN) {
		bad("existingOidcProviderArn", "%q is not the ARN of a token.actions.githubusercontent.com provider", c.ExistingOIDCProviderARN)
	}
	if c.StateBucketName != "" && (!bucketRe.MatchString(c.StateBucketName) || strings.Contains(c.StateBucketName, "..")) {
		bad("stateBucketName", "%q is not an S3 bucket name (give the name, not s3://...)", c.StateBucketName)
	}
	if c.SecretsKMSKeyARN != "" && !kmsKeyARNRe.MatchString(c.SecretsKMSKeyARN) {
		bad("secretsKmsKeyArn", "%q is not a KMS key or alias ARN", c.SecretsKMSKeyARN)
	}
	if len(c.HostedZoneIDs) > MaxHostedZoneIDs {
		bad("hostedZoneIds", "lists %d zones, at most %d are allowed", len(c.HostedZoneIDs), MaxHostedZoneIDs)
	}
	seen := map[string]bool{}
	for _, id := range c.HostedZoneIDs {
		switch {
		case !hostedZoneRe.MatchString(id):
			bad("hostedZoneIds", "%q is not a Route 53 hosted zone id (Z0123456789ABCDEFGHIJ, without /hostedzone/)", id)
		case seen[id]:
			bad("hostedZoneIds", "%q is listed twice", id)
		}
		seen[id] = true
	}
	return errors.Join(errs...)
}

// PullRequestSubject is the OIDC subject GitHub sends for pull_request runs.
func (c Config) PullRequestSubject() string {
	return "repo:" + c.GitHubRepository + ":pull_request"
}

// DeploySubjects are the OIDC subjects that may assume the deploy role: a
// job on the deploy branch without an environment, and a job in the prod
// environment (GitHub replaces the ref by the environment in the subject
// when a job names an environment).
func (c Config) DeploySubjects() []string {
	return []string{
		"repo:" + c.GitHubRepository + ":ref:refs/heads/" + c.DeployBranch,
		"repo:" + c.GitHubRepository + ":environment:" + c.ProdEnvironment,
	}
}

// PreviewRoleName is the name of the preview role.
func (c Config) PreviewRoleName() string { return c.ProjectName + "-github-preview" }

// DeployRoleName is the name of the deploy role.
func (c Config) DeployRoleName() string { return c.ProjectName + "-github-deploy" }

// CIRolePath is the IAM path of the two CI roles. It must stay outside
// TaskRolePath: the deploy role may write every role under that.
const CIRolePath = "/"

// CIRoleARNs match the two CI roles in any account.
func (c Config) CIRoleARNs() []string {
	return []string{"arn:aws:iam::*:role/" + c.PreviewRoleName(), "arn:aws:iam::*:role/" + c.DeployRoleName()}
}

// TaskRolePath is the IAM path under which the main program creates its
// task roles, "/<project>/".
func (c Config) TaskRolePath() string { return "/" + c.ProjectName + "/" }

// TaskRoleARNs match every role under TaskRolePath in any account: the
// only roles the deploy role may create, write or pass.
func (c Config) TaskRoleARNs() []string {
	return []string{"arn:aws:iam::*:role" + c.TaskRolePath() + "*"}
}

// HostedZoneARNs are the hosted zones whose records the deploy role may
// change: the configured ones, else every zone.
func (c Config) HostedZoneARNs() []string {
	if len(c.HostedZoneIDs) == 0 {
		return []string{"arn:aws:route53:::hostedzone/*"}
	}
	out := make([]string, len(c.HostedZoneIDs))
	for i, id := range c.HostedZoneIDs {
		out[i] = "arn:aws:route53:::hostedzone/" + id
	}
	return out
}

// TaskBoundaryPolicyName is the name of the task roles' permissions
// boundary policy.
func (c Config) TaskBoundaryPolicyName() string { return c.ProjectName + "-task-boundary" }
