package cicd

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

// The stacks CI works on: a pull request previews DevStack, main deploys
// DevStack, the prod environment deploys ProdStack, and the reaper
// destroys SandboxStacks. They are the main program's stack names.
const (
	DevStack      = "dev"
	ProdStack     = "prod"
	SandboxPrefix = "sandbox-"
	// SandboxStacks is the secretsKmsKeyArns key of the sandboxes' key and
	// the IAM pattern of their names.
	SandboxStacks = SandboxPrefix + "*"
)

// Config is the validated configuration of the bootstrap stack. Keys live in
// the project's namespace ("fargateship-bootstrap:githubRepository").
type Config struct {
	// GitHubRepository is "owner/repo", or GitHub's ID-qualified form
	// "owner@OWNER_ID/repo@REPO_ID" (immutable subject claims). It is
	// matched case-sensitively in the OIDC subject claim, so it must be
	// spelled exactly as the repository's tokens spell it.
	GitHubRepository string
	// DeployBranch is the only ref whose jobs may assume a deploy role or
	// the reaper role.
	DeployBranch string
	// DevEnvironment, ProdEnvironment and ReaperEnvironment are the GitHub
	// environments of the dev deploy, the prod deploy and the reaper job.
	DevEnvironment, ProdEnvironment, ReaperEnvironment string
	// ProjectName prefixes the physical names of the main program's
	// resources (ECR repository, log groups, clusters, secrets) and is the
	// main program's Pulumi project name (state paths).
	ProjectName string
	// ExistingOIDCProviderARN reuses an account's existing GitHub provider
	// instead of creating one (IAM allows one provider per URL).
	ExistingOIDCProviderARN string
	// StateBucketName, when set, is the S3 bucket of a self-managed Pulumi
	// backend; each role gets only its own stacks' objects.
	StateBucketName string
	// SecretsKMSKeyARNs maps a stack name (dev, prod, or sandbox-* for
	// every sandbox) to the KMS key of its awskms:// secrets provider.
	SecretsKMSKeyARNs map[string]string
	// HostedZoneIDs are the only Route 53 hosted zones whose records the
	// deploy roles may change; empty means no DNS writes at all.
	HostedZoneIDs []string
	// Services are, by stack (dev, prod), the services of that stack's
	// environment other than app (the main program's `services`): each
	// gets its own execution and task roles (ServiceRoleARN), since CI
	// creates no roles.
	Services map[string][]string
}

// MaxHostedZoneIDs caps hostedZoneIds, so the deploy roles' inline
// policies stay under IAM's 10,240-character limit.
const MaxHostedZoneIDs = 10

var (
	// GitHub owners: letters, digits and single hyphens, at most 39
	// characters; repositories: letters, digits, '.', '-', '_'. Either
	// both or neither carry GitHub's numeric "@ID" qualifier.
	ownerRe    = regexp.MustCompile(`^[A-Za-z0-9](?:[A-Za-z0-9]|-[A-Za-z0-9]){0,38}$`)
	repoRe     = regexp.MustCompile(`^[A-Za-z0-9._-]{1,100}$`)
	githubIDRe = regexp.MustCompile(`^[1-9][0-9]{0,19}$`)
	// Branch and environment names end up in exact-match StringEquals
	// conditions, so wildcard, ':' and whitespace characters are refused.
	branchRe      = regexp.MustCompile(`^[A-Za-z0-9._/-]{1,255}$`)
	environmentRe = regexp.MustCompile(`^[A-Za-z0-9._-]{1,255}$`)
	projectRe     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)
	oidcARNRe     = regexp.MustCompile(`^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\.actions\.githubusercontent\.com$`)
	bucketRe      = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`)
	// A KMS key ARN: a key id is a UUID, or mrk-<32 hex> for a
	// multi-Region key. IAM matches key ARNs only, never aliases.
	kmsKeyARNRe   = regexp.MustCompile(`^arn:aws[a-z-]*:kms:[a-z]{2}(-[a-z]+)+-[0-9]:[0-9]{12}:key/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$`)
	kmsAliasARNRe = regexp.MustCompile(`^arn:aws[a-z-]*:kms:[^:]*:[0-9]{12}:alias/`)
	hostedZoneRe  = regexp.MustCompile(`^Z[A-Z0-9]{1,31}$`)
	// The main program's service names (infra serviceNameRE).
	serviceRe = regexp.MustCompile(`^[a-z]([a-z0-9-]{0,30}[a-z0-9])?$`)
)

// LoadConfig reads and validates the stack configuration.
func LoadConfig(ctx *pulumi.Context) (Config, error) {
	c := config.New(ctx, "")
	cfg := Config{
		GitHubRepository:        strings.TrimSpace(c.Get("githubRepository")),
		DeployBranch:            orDefault(c.Get("deployBranch"), "main"),
		DevEnvironment:          orDefault(c.Get("devEnvironment"), "dev"),
		ProdEnvironment:         orDefault(c.Get("prodEnvironment"), "prod"),
		ReaperEnvironment:       orDefault(c.Get("reaperEnvironment"), "sandbox-reaper"),
		ProjectName:             orDefault(c.Get("projectName"), "fargateship"),
		ExistingOIDCProviderARN: strings.TrimSpace(c.Get("existingOidcProviderArn")),
		StateBucketName:         strings.TrimSpace(c.Get("stateBucketName")),
	}
	var errs []error
	if old := strings.TrimSpace(c.Get("secretsKmsKeyArn")); old != "" {
		errs = append(errs, fmt.Errorf("config %q is replaced by %q (one key per stack): "+
			"`pulumi config set --path 'secretsKmsKeyArns.dev' arn:aws:kms:REGION:ACCOUNT:key/KEY_ID`, and unset the old key",
			"secretsKmsKeyArn", "secretsKmsKeyArns"))
	}
	if raw := strings.TrimSpace(c.Get("secretsKmsKeyArns")); raw != "" {
		if err := json.Unmarshal([]byte(raw), &cfg.SecretsKMSKeyARNs); err != nil {
			errs = append(errs, fmt.Errorf("config %q: %s is not an object of stack name to key ARN; "+
				"set each with `pulumi config set --path 'secretsKmsKeyArns.dev' arn:aws:kms:REGION:ACCOUNT:key/KEY_ID`", "secretsKmsKeyArns", raw))
		}
	}
	if raw := strings.TrimSpace(c.Get("services")); raw != "" {
		if err := json.Unmarshal([]byte(raw), &cfg.Services); err != nil {
			errs = append(errs, fmt.Errorf("config %q: %s is not an object of stack name to a list of service names; "+
				"set them with `pulumi config set --path 'services.dev[0]' api`", "services", raw))
		}
	}
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

// validRepository accepts "owner/repo" and "owner@ID/repo@ID".
func validRepository(s string) bool {
	owner, repo, ok := strings.Cut(s, "/")
	if !ok {
		return false
	}
	owner, ownerID, ownerHasID := strings.Cut(owner, "@")
	repo, repoID, repoHasID := strings.Cut(repo, "@")
	if ownerHasID != repoHasID || (ownerHasID && (!githubIDRe.MatchString(ownerID) || !githubIDRe.MatchString(repoID))) {
		return false
	}
	return ownerRe.MatchString(owner) && repoRe.MatchString(repo) && repo != "." && repo != ".."
}

// Validate reports every invalid setting at once.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("config %q: "+format, append([]any{key}, args...)...))
	}
	if c.GitHubRepository == "" {
		bad("githubRepository", "is required (owner/repo, or owner@OWNER_ID/repo@REPO_ID), e.g. `pulumi config set githubRepository my-org/fargateship`")
	} else if !validRepository(c.GitHubRepository) {
		bad("githubRepository", "%q is not a GitHub owner/repo or owner@OWNER_ID/repo@REPO_ID", c.GitHubRepository)
	}
	if !branchRe.MatchString(c.DeployBranch) || strings.Contains(c.DeployBranch, "..") ||
		strings.HasPrefix(c.DeployBranch, "/") || strings.HasSuffix(c.DeployBranch, "/") {
		bad("deployBranch", "%q is not a plain branch name (no wildcards)", c.DeployBranch)
	}
	envs := map[string]string{}
	for _, e := range []struct{ key, value string }{
		{"devEnvironment", c.DevEnvironment}, {"prodEnvironment", c.ProdEnvironment}, {"reaperEnvironment", c.ReaperEnvironment},
	} {
		if !environmentRe.MatchString(e.value) {
			bad(e.key, "%q is not a plain environment name (letters, digits, '.', '_', '-'; no wildcards)", e.value)
		} else if other, dup := envs[e.value]; dup {
			bad(e.key, "%q is also %s: each role needs its own environment", e.value, other)
		}
		envs[e.value] = e.key
	}
	if !projectRe.MatchString(c.ProjectName) {
		bad("projectName", "%q must be lower-case letters, digits and '-', at most 40 characters", c.ProjectName)
	}
	if c.ExistingOIDCProviderARN != "" && !oidcARNRe.MatchString(c.ExistingOIDCProviderARN) {
		bad("existingOidcProviderArn", "%q is not the ARN of a token.actions.githubusercontent.com provider", c.ExistingOIDCProviderARN)
	}
	if c.StateBucketName != "" && (!bucketRe.MatchString(c.StateBucketName) || strings.Contains(c.StateBucketName, "..")) {
		bad("stateBucketName", "%q is not an S3 bucket name (give the name, not s3://...)", c.StateBucketName)
	}
	keyStack := map[string]string{}
	for _, stack := range sortedKeys(c.SecretsKMSKeyARNs) {
		arn := c.SecretsKMSKeyARNs[stack]
		other, shared := keyStack[arn]
		keyStack[arn] = stack
		switch {
		case shared:
			bad("secretsKmsKeyArns", "stacks %q and %q share the key %q: each stack needs its own key, "+
				"or one stack's role could decrypt the other's secrets", other, stack, arn)
		case stack != DevStack && stack != ProdStack && stack != SandboxStacks:
			bad("secretsKmsKeyArns", "stack %q: allowed stack names are %q, %q and %q (every sandbox)", stack, DevStack, ProdStack, SandboxStacks)
		case kmsAliasARNRe.MatchString(arn):
			bad("secretsKmsKeyArns", "stack %q: %q is an alias ARN; IAM policies match key ARNs only: "+
				"give the key's ARN (`aws kms describe-key --key-id alias/NAME --query KeyMetadata.Arn`)", stack, arn)
		case !kmsKeyARNRe.MatchString(arn):
			bad("secretsKmsKeyArns", "stack %q: %q is not a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY_ID)", stack, arn)
		}
	}
	for _, stack := range sortedKeys(c.Services) {
		if stack != DevStack && stack != ProdStack {
			bad("services", "stack %q: services are listed for %q and %q (a sandbox's roles are its own)", stack, DevStack, ProdStack)
			continue
		}
		seenService := map[string]bool{}
		for _, svc := range c.Services[stack] {
			switch {
			case !serviceRe.MatchString(svc) || svc == "app" || svc == "exec":
				bad("services", "stack %q: %q is not a service name of the main program (lower-case letters, digits and '-', "+
					"starting with a letter; app uses the stack's own roles; exec is reserved)", stack, svc)
			case seenService[svc]:
				bad("services", "stack %q lists %q twice", stack, svc)
			case len(c.ServiceRoleName(stack, svc, "execution")) > 64:
				bad("services", "stack %q: the role name %s is over IAM's 64 characters; shorten the service or project name",
					stack, c.ServiceRoleName(stack, svc, "execution"))
			}
			seenService[svc] = true
		}
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

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// SubjectClaimKeys is the repository's OIDC subject template this
// bootstrap's trust policies expect (set once with GitHub's REST API
// "PUT /repos/{owner}/{repo}/actions/oidc/customization/sub", see
// docs/delivery.md): the repository, the job's context (pull_request,
// environment:NAME or ref:REF) and the ref, so that an environment's
// subject also names the branch the job runs on.
var SubjectClaimKeys = []string{"repo", "context", "ref"}

func (c Config) subject(context, ref string) string {
	return "repo:" + c.GitHubRepository + ":" + context + ":ref:" + ref
}

// DeployRef is the only ref the deploy and reaper roles trust.
func (c Config) DeployRef() string { return "refs/heads/" + c.DeployBranch }

// PullRequestSubject matches (StringLike) the subject of every
// pull_request job of the repository: GitHub's ref for those is
// refs/pull/<number>/merge.
func (c Config) PullRequestSubject() string {
	return c.subject("pull_request", "refs/pull/*/merge")
}

// DevDeploySubject is the subject of a job in the dev environment on the
// deploy branch; ProdDeploySubject and ReaperSubject likewise.
func (c Config) DevDeploySubject() string {
	return c.subject("environment:"+c.DevEnvironment, c.DeployRef())
}

// ProdDeploySubject is the subject of a job in the prod environment on the
// deploy branch.
func (c Config) ProdDeploySubject() string {
	return c.subject("environment:"+c.ProdEnvironment, c.DeployRef())
}

// ReaperSubject is the subject of a job in the reaper environment on the
// deploy branch.
func (c Config) ReaperSubject() string {
	return c.subject("environment:"+c.ReaperEnvironment, c.DeployRef())
}

// Role names. All CI roles share the prefix "<project>-github-".
func (c Config) PreviewRoleName() string { return c.ProjectName + "-github-preview" }

// DeployRoleName is the deploy role of one stack (dev or prod).
func (c Config) DeployRoleName(stack string) string { return c.ProjectName + "-github-deploy-" + stack }

// ReaperRoleName is the sandbox reaper's role.
func (c Config) ReaperRoleName() string { return c.ProjectName + "-github-reaper" }

// CIRolePath is the IAM path of the CI roles: outside /<project>/, under
// which the task roles live.
const CIRolePath = "/"

// CIRoleARNs match every CI role of the project in the account.
func (c Config) CIRoleARNs(account string) []string {
	return []string{"arn:aws:iam::" + account + ":role/" + c.ProjectName + "-github-*"}
}

// TaskRolePath is the IAM path of one stack's task roles,
// "/<project>/<stack>/" (the bootstrap creates dev's and prod's; a
// sandbox's are created by the main program under "/<project>/").
func (c Config) TaskRolePath(stack string) string { return "/" + c.ProjectName + "/" + stack + "/" }

// TaskRoleARNs match every role under the stack's task role path.
func (c Config) TaskRoleARNs(account, stack string) []string {
	return []string{"arn:aws:iam::" + account + ":role" + c.TaskRolePath(stack) + "*"}
}

// TaskRoleName is the name of one of a stack's task roles ("execution"
// or "task").
func (c Config) TaskRoleName(stack, kind string) string {
	return c.ProjectName + "-" + stack + "-" + kind
}

// ServiceRoleARN is the ARN of the role of one kind ("execution" or
// "task") the bootstrap creates for a service of a stack's environment
// (the stack's `services` other than app): <project>-<stack>-<service>-<kind>
// under the stack's path.
func (c Config) ServiceRoleARN(account, stack, service, kind string) string {
	return "arn:aws:iam::" + account + ":role" + c.TaskRolePath(stack) + c.ServiceRoleName(stack, service, kind)
}

// ServiceRoleName names a service's role (ServiceRoleARN).
func (c Config) ServiceRoleName(stack, service, kind string) string {
	return c.ProjectName + "-" + stack + "-" + service + "-" + kind
}

// HostedZoneARNs are the hosted zones whose records the deploy roles may
// change; none when hostedZoneIds is empty.
func (c Config) HostedZoneARNs() []string {
	out := make([]string, len(c.HostedZoneIDs))
	for i, id := range c.HostedZoneIDs {
		out[i] = "arn:aws:route53:::hostedzone/" + id
	}
	return out
}

// TaskBoundaryPolicyName is the name of the task roles' permissions
// boundary policy.
func (c Config) TaskBoundaryPolicyName() string { return c.ProjectName + "-task-boundary" }

// TaskRoleKinds are the roles the bootstrap creates for dev and prod: the
// ECS execution and task roles, the VPC flow log role of a new VPC
// (infra/network.go) and the EventBridge Scheduler role of the scheduled
// jobs (infra/schedules.go). The main program takes their ARNs as the
// config keys executionRoleArn, taskRoleArn, flowLogsRoleArn and
// schedulerRoleArn and then creates no role.
var TaskRoleKinds = []string{"execution", "task", "flow-logs", "scheduler"}

// ScheduleGroupName is the EventBridge Scheduler schedule group of a stack
// (or, with SandboxStacks, the pattern of the sandboxes' groups): the main
// program's "<project>-<stack>" (infra/schedules.go, Naming.Name).
func (c Config) ScheduleGroupName(stack string) string { return c.ProjectName + "-" + stack }

// StackRoleARNs are the ARNs of the stack's roles of the given kinds.
func (c Config) StackRoleARNs(account, stack string, kinds ...string) []string {
	out := make([]string, len(kinds))
	for i, k := range kinds {
		out[i] = "arn:aws:iam::" + account + ":role" + c.TaskRolePath(stack) + c.TaskRoleName(stack, k)
	}
	return out
}
