package infra

import (
	"sort"

	"github.com/pulumi/pulumi-aws/sdk/v6/go/aws/secretsmanager"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// SecretsArgs configures the app's Secrets Manager secrets.
type SecretsArgs struct {
	// Values maps environment variable names to secret values (from the
	// stack's secret config). Values are wrapped as Pulumi secrets, so they
	// are encrypted in state and never printed.
	Values map[string]string
	// Naming builds the secret names: /<project>-<stack>/<NAME>.
	Naming Naming
	// KMSKeyARN optionally encrypts the secrets with a customer managed key.
	KMSKeyARN string
	// Protect keeps a 7-day recovery window on deletion; without it the
	// secrets are deleted at once so a sandbox can be recreated right away.
	Protect bool
	// Tags go on every secret.
	Tags pulumi.StringMap
}

// Secrets holds one Secrets Manager secret per app secret.
type Secrets struct {
	pulumi.ResourceState

	// Names are the environment variable names, sorted.
	Names []string
	// ARNs are the secrets' ARNs, in the order of Names.
	ARNs pulumi.StringArrayOutput
	// ValueFroms are the task definition's `valueFrom` references, in the
	// order of Names: each secret's ARN pinned to its current version id
	// (ARN:json-key:version-stage:version-id), so changing a value
	// registers a new task definition revision and rolls the tasks, instead
	// of leaving running tasks on the old value until they happen to restart.
	ValueFroms pulumi.StringArrayOutput
}

// NewSecrets creates the secrets and their current versions.
func NewSecrets(ctx *pulumi.Context, name string, args *SecretsArgs, opts ...pulumi.ResourceOption) (*Secrets, error) {
	s := &Secrets{}
	if err := ctx.RegisterComponentResource("fargateship:index:Secrets", name, s, opts...); err != nil {
		return nil, err
	}
	for k := range args.Values {
		s.Names = append(s.Names, k)
	}
	sort.Strings(s.Names)
	window := 0
	if args.Protect {
		window = 7
	}
	arns, refs := pulumi.StringArray{}, pulumi.StringArray{}
	for _, env := range s.Names {
		sa := &secretsmanager.SecretArgs{
			Name:                 pulumi.String(args.Naming.Name("", maxSecretName-len(env)-1) + "/" + env),
			Description:          pulumi.String("Injected into the app container as $" + env),
			RecoveryWindowInDays: pulumi.Int(window),
			Tags:                 args.Tags,
		}
		if args.KMSKeyARN != "" {
			sa.KmsKeyId = pulumi.String(args.KMSKeyARN)
		}
		sec, err := secretsmanager.NewSecret(ctx, name+"-"+env, sa, pulumi.Parent(s))
		if err != nil {
			return nil, err
		}
		ver, err := secretsmanager.NewSecretVersion(ctx, name+"-"+env, &secretsmanager.SecretVersionArgs{
			SecretId:     sec.ID(),
			SecretString: pulumi.ToSecret(pulumi.String(args.Values[env])).(pulumi.StringOutput),
		}, pulumi.Parent(s))
		if err != nil {
			return nil, err
		}
		arns = append(arns, sec.Arn)
		refs = append(refs, pulumi.Sprintf("%s:::%s", sec.Arn, ver.VersionId))
	}
	s.ARNs = arns.ToStringArrayOutput()
	s.ValueFroms = refs.ToStringArrayOutput()
	return s, ctx.RegisterResourceOutputs(s, pulumi.Map{"secretArns": s.ARNs})
}

// Pick returns the names, ARNs and valueFrom references of the named
// secrets (a service receives only the ones it lists), in the order of
// names, which must be sorted and among s.Names.
func (s *Secrets) Pick(names []string) ([]string, pulumi.StringArrayOutput, pulumi.StringArrayOutput) {
	idx := make([]int, len(names))
	for i, n := range names {
		idx[i] = sort.SearchStrings(s.Names, n)
	}
	pick := func(all pulumi.StringArrayOutput) pulumi.StringArrayOutput {
		return all.ApplyT(func(v []string) []string {
			out := make([]string, len(idx))
			for i, j := range idx {
				out[i] = v[j]
			}
			return out
		}).(pulumi.StringArrayOutput)
	}
	return names, pick(s.ARNs), pick(s.ValueFroms)
}
