package infra

import (
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strings"

	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
)

// Naming derives every physical name from the project and the stack, so any
// number of stacks (dev, prod, one sandbox per developer) coexist in one
// account and region without colliding.
type Naming struct {
	Project string
	Stack   string
	// Base is "<project>-<stack>", lower-cased, with characters outside
	// [a-z0-9-] replaced by "-". It is valid for every AWS name used here.
	Base string
}

var nonNameChars = regexp.MustCompile(`[^a-z0-9-]+`)

// NewNaming builds the naming for a project and stack.
func NewNaming(project, stack string) Naming {
	base := nonNameChars.ReplaceAllString(strings.ToLower(project+"-"+stack), "-")
	base = strings.Trim(base, "-")
	return Naming{Project: project, Stack: stack, Base: base}
}

// Name returns Base plus suffix, shortened to max characters. A shortened
// name ends in 6 hex characters of a hash of the full name, so two long
// stack names that share a prefix still get different names.
func (n Naming) Name(suffix string, max int) string {
	full := n.Base
	if suffix != "" {
		full += "-" + suffix
	}
	if len(full) <= max {
		return full
	}
	sum := sha256.Sum256([]byte(full))
	h := hex.EncodeToString(sum[:])[:6]
	return strings.TrimRight(full[:max-7], "-") + "-" + h
}

// ForService is the naming of one service of the environment: the
// stack's own for AppService (a one-service stack's names are kept), and
// "<base>_<service>" for any other. The underscore is never in Base (it
// holds only a-z, 0-9 and -), so stack dev's service api
// ("fargateship-dev_api") never meets stack dev-api ("fargateship-dev-api").
func (n Naming) ForService(service string) Naming {
	if service == AppService {
		return n
	}
	n.Base += "_" + service
	return n
}

// Tags are put on every taggable resource: who owns it and which stack
// manages it, so a cost report or a console search finds a stack's resources.
func (n Naming) Tags() pulumi.StringMap {
	return pulumi.StringMap{
		"project":    pulumi.String(n.Project),
		"stack":      pulumi.String(n.Stack),
		"managed-by": pulumi.String("pulumi"),
	}
}

// AWS name length limits used here.
const (
	maxClusterName    = 255
	maxServiceName    = 255
	maxFamily         = 255
	maxRepositoryName = 256
	maxLogGroupName   = 512
	maxLBName         = 32
	maxSecretName     = 512
	maxAlarmName      = 255
	maxTopicName      = 256
	maxDashboardName  = 255
	// EventBridge Scheduler group names: 1-64 of [0-9a-zA-Z-_.].
	maxScheduleGroupName = 64
	// S3 bucket names are at most 63 characters; a bucket_prefix at most
	// 37, the provider adds 26 (terraform-provider-aws
	// internal/service/s3/bucket.go, bucket_prefix).
	maxBucketPrefix = 37
)
