package cicd

import "testing"

// Decide follows IAM's order (explicit Deny, then Allow, else implicit
// deny) and its operators on present and missing keys.
func TestDecide(t *testing.T) {
	ctx := func(kv ...string) map[string][]string {
		m := map[string][]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = append(m[kv[i]], kv[i+1])
		}
		return m
	}
	doc := NewPolicy(
		allow("Tagged", []string{"ec2:DeleteVpc"}, []string{"arn:aws:ec2:*:1:vpc/*"}).
			when(Conditions{"StringEquals": {"aws:ResourceTag/stack": {"dev"}}}),
		allow("Pass", []string{"iam:PassRole"}, []string{"arn:aws:iam::1:role/app/*"}).
			when(Conditions{"StringEquals": {"iam:PassedToService": {"ecs-tasks.amazonaws.com"}}}),
		allow("Star", []string{"logs:DescribeLogGroups"}, []string{"*"}),
		allow("Named", []string{"logs:CreateLogStream"}, []string{"arn:aws:logs:*:1:log-group:/ecs/app*"}),
		deny("NotOurs", []string{"ec2:*"}, []string{"*"}).
			when(Conditions{"Null": {"aws:ResourceTag/stack": {"false"}}, "StringNotEquals": {"aws:ResourceTag/stack": {"dev"}}}),
		deny("ForeignKeys", []string{"kms:*"}, []string{"*"}).
			when(Conditions{"StringNotEquals": {"aws:ResourceAccount": {"1"}}}),
		allow("Keys", []string{"kms:Decrypt"}, []string{"*"}),
		deny("RecordTypes", []string{"route53:ChangeResourceRecordSets"}, []string{"*"}).
			when(Conditions{"ForAnyValue:StringNotEquals": {"route53:ChangeResourceRecordSetsRecordTypes": {"A", "CNAME"}}}),
		allow("Dns", []string{"route53:ChangeResourceRecordSets"}, []string{"*"}),
	)
	vpc := "arn:aws:ec2:us-east-1:1:vpc/vpc-1"
	for _, c := range []struct {
		name string
		r    Request
		want Decision
	}{
		{"tag matches", Request{"ec2:DeleteVpc", vpc, ctx("aws:ResourceTag/stack", "dev")}, Allowed},
		{"tag missing: positive operator fails", Request{"ec2:DeleteVpc", vpc, nil}, ImplicitDeny},
		{"other stack's tag: deny wins", Request{"ec2:DeleteVpc", vpc, ctx("aws:ResourceTag/stack", "prod")}, ExplicitDeny},
		{"pass to the right service", Request{"iam:PassRole", "arn:aws:iam::1:role/app/x", ctx("iam:PassedToService", "ecs-tasks.amazonaws.com")}, Allowed},
		{"pass to another service", Request{"iam:PassRole", "arn:aws:iam::1:role/app/x", ctx("iam:PassedToService", "lambda.amazonaws.com")}, ImplicitDeny},
		{"no-resource action on *", Request{"logs:DescribeLogGroups", "*", nil}, Allowed},
		{"no-resource action, named statement", Request{"logs:CreateLogStream", "*", nil}, ImplicitDeny},
		{"named resource, wildcard", Request{"logs:CreateLogStream", "arn:aws:logs:us-east-1:1:log-group:/ecs/app-dev:log-stream:x", nil}, Allowed},
		{"actions ignore case", Request{"LOGS:describeloggroups", "*", nil}, Allowed},
		{"negated operator on a missing key holds", Request{"kms:Decrypt", "arn:aws:kms:us-east-1:1:key/k", nil}, ExplicitDeny},
		{"own account's key", Request{"kms:Decrypt", "arn:aws:kms:us-east-1:1:key/k", ctx("aws:ResourceAccount", "1")}, Allowed},
		{"record types allowed", Request{"route53:ChangeResourceRecordSets", "*", ctx("route53:ChangeResourceRecordSetsRecordTypes", "A", "route53:ChangeResourceRecordSetsRecordTypes", "CNAME")}, Allowed},
		{"one record type not allowed", Request{"route53:ChangeResourceRecordSets", "*", ctx("route53:ChangeResourceRecordSetsRecordTypes", "A", "route53:ChangeResourceRecordSetsRecordTypes", "TXT")}, ExplicitDeny},
	} {
		if got, sid := Decide([]PolicyDocument{doc}, c.r); got != c.want {
			t.Errorf("%s: %s on %s is %v (by %q), want %v", c.name, c.r.Action, c.r.Resource, got, sid, c.want)
		}
	}
}

// Every condition operator of every document the bootstrap writes is one
// Decide evaluates.
func TestDecideKnowsEveryOperatorTheRolesUse(t *testing.T) {
	m := mustRun(t, worstCase())
	known := map[string]bool{}
	for _, op := range KnownOperators {
		known[op] = true
	}
	for _, role := range ciRoles {
		for _, s := range permissions(t, m, role).Statement {
			for op := range s.Condition {
				if !known[op] {
					t.Errorf("%s statement %s uses %s, which Decide does not evaluate", role, s.Sid, op)
				}
			}
		}
	}
}
