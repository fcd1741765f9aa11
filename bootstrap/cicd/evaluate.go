package cicd

import (
	"slices"
	"strings"
)

// Request is one AWS API call as IAM authorizes it: an action on a
// resource, with the condition keys the call carries.
type Request struct {
	// Action is "service:Action".
	Action string
	// Resource is the ARN IAM matches, or "*" for actions without a
	// resource type.
	Resource string
	// Context are the request's condition keys and their values
	// (aws:RequestTag/stack, iam:PassedToService, aws:ResourceAccount,
	// ...). A key that is absent is absent: conditions on it evaluate as
	// IAM evaluates a missing key.
	Context map[string][]string
}

// Decision is what identity policies say about a request.
type Decision int

// Decisions, in IAM's words (IAM User Guide, "Policy evaluation logic").
const (
	ImplicitDeny Decision = iota // no Allow matches
	Allowed                      // an Allow matches and no Deny does
	ExplicitDeny                 // a Deny matches
)

func (d Decision) String() string {
	return [...]string{"implicitly denied", "allowed", "explicitly denied"}[d]
}

// Decide evaluates the documents of one principal (its identity policies,
// all attached) for a request, conditions included: an explicit Deny whose
// conditions hold wins; otherwise an Allow whose conditions hold allows;
// otherwise the request is implicitly denied. It returns the deciding
// statement's Sid.
func Decide(docs []PolicyDocument, r Request) (Decision, string) {
	result, sid := ImplicitDeny, ""
	for _, d := range docs {
		for _, s := range d.Statement {
			if !s.covers(r) || !conditionsHold(s.Condition, r.Context) {
				continue
			}
			if s.Effect == "Deny" {
				return ExplicitDeny, s.Sid
			}
			if result == ImplicitDeny {
				result, sid = Allowed, s.Sid
			}
		}
	}
	return result, sid
}

// covers reports whether the statement's Action and Resource match.
func (s Statement) covers(r Request) bool {
	action, resource := false, false
	for _, p := range s.Action {
		action = action || Glob(p, r.Action, true)
	}
	for _, p := range s.Resource {
		// "*" matches every request; a statement naming resources never
		// matches a request for an action without a resource type.
		resource = resource || p == "*" || (r.Resource != "*" && Glob(p, r.Resource, false))
	}
	return action && resource
}

// Glob matches an IAM pattern: * any run of characters, ? one; actions
// case-insensitively, resources case-sensitively.
func Glob(pattern, s string, foldCase bool) bool {
	if foldCase {
		pattern, s = strings.ToLower(pattern), strings.ToLower(s)
	}
	// Not path.Match: it treats '/' specially and knows [ ]; IAM does
	// neither.
	return globMatch(pattern, s)
}

func globMatch(p, s string) bool {
	for len(p) > 0 {
		switch p[0] {
		case '*':
			for len(p) > 0 && p[0] == '*' {
				p = p[1:]
			}
			if p == "" {
				return true
			}
			for i := 0; i <= len(s); i++ {
				if globMatch(p, s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
			p, s = p[1:], s[1:]
		default:
			if s == "" || s[0] != p[0] {
				return false
			}
			p, s = p[1:], s[1:]
		}
	}
	return s == ""
}

// conditionsHold evaluates a Condition block: every operator and every key
// must hold (IAM ANDs them; the values of one key are ORed). The
// operators these policies use are implemented; any other one does not
// hold, so an unknown operator never widens an Allow (and never fires a
// Deny: the tests assert the documents use only these).
func conditionsHold(c Conditions, ctx map[string][]string) bool {
	for op, keys := range c {
		for key, want := range keys {
			if !operatorHolds(op, ctx[key], hasKey(ctx, key), want) {
				return false
			}
		}
	}
	return true
}

func hasKey(ctx map[string][]string, key string) bool {
	_, ok := ctx[key]
	return ok
}

// KnownOperators are the condition operators Decide evaluates.
var KnownOperators = []string{
	"StringEquals", "StringNotEquals", "StringLike", "StringNotLike",
	"ArnEquals", "ArnLike", "ArnNotEquals", "ArnNotLike", "Null",
	"ForAnyValue:StringEquals", "ForAnyValue:StringNotEquals", "ForAllValues:StringEquals",
}

func operatorHolds(op string, got []string, present bool, want []string) bool {
	anyMatch := func(match func(w, g string) bool) bool {
		for _, g := range got {
			for _, w := range want {
				if match(w, g) {
					return true
				}
			}
		}
		return false
	}
	equal := func(w, g string) bool { return w == g }
	like := func(w, g string) bool { return Glob(w, g, false) }
	switch op {
	// A positive operator on a missing key is false; a negated one is
	// true (IAM User Guide, "Condition operators": "...if the key is
	// not present in the request context, the condition returns true"
	// for the negated string and ARN operators).
	case "StringEquals", "ArnEquals":
		return present && anyMatch(equal)
	case "StringLike", "ArnLike":
		return present && anyMatch(like)
	case "StringNotEquals", "ArnNotEquals":
		return !present || !anyMatch(equal)
	case "StringNotLike", "ArnNotLike":
		return !present || !anyMatch(like)
	case "Null":
		return len(want) == 1 && (want[0] == "true") == !present
	// Set operators over multivalued keys (aws:TagKeys, ...).
	case "ForAnyValue:StringEquals":
		return present && anyMatch(equal)
	case "ForAnyValue:StringNotEquals":
		// Some value of the key is none of the listed ones.
		return slices.ContainsFunc(got, func(g string) bool { return !slices.Contains(want, g) })
	case "ForAllValues:StringEquals":
		// Every value of the key is a listed one (true when none).
		return !slices.ContainsFunc(got, func(g string) bool { return !slices.Contains(want, g) })
	}
	return false
}
