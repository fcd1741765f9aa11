package infra

import "encoding/json"

// PolicyDocument is an IAM policy document. Policies are built as typed Go
// values and marshalled, never assembled from JSON string templates.
type PolicyDocument struct {
	Version   string      `json:"Version"`
	Statement []Statement `json:"Statement"`
}

// Statement is one IAM policy statement.
type Statement struct {
	Sid       string                       `json:"Sid,omitempty"`
	Effect    string                       `json:"Effect"`
	Principal map[string]string            `json:"Principal,omitempty"`
	Action    []string                     `json:"Action"`
	Resource  []string                     `json:"Resource,omitempty"`
	Condition map[string]map[string]string `json:"Condition,omitempty"`
}

// NewPolicy returns a 2012-10-17 policy document with the statements.
func NewPolicy(statements ...Statement) PolicyDocument {
	return PolicyDocument{Version: "2012-10-17", Statement: statements}
}

// JSON marshals the document.
func (d PolicyDocument) JSON() (string, error) {
	b, err := json.Marshal(d)
	return string(b), err
}

// ECSTasksTrust is the trust policy for roles that ECS tasks assume, limited
// to this account's ECS resources in this region (confused-deputy guard:
// another account's task cannot get this role through the ECS service).
func ECSTasksTrust(partition, region, account string) PolicyDocument {
	return ServiceTrust("ecs-tasks.amazonaws.com", "arn:"+partition+":ecs:"+region+":"+account+":*", account)
}

// ServiceTrust is the trust policy of a role that an AWS service principal
// assumes on behalf of this account only: aws:SourceAccount is the account
// and aws:SourceArn matches sourceARN.
func ServiceTrust(principal, sourceARN, account string) PolicyDocument {
	return NewPolicy(Statement{
		Effect:    "Allow",
		Principal: map[string]string{"Service": principal},
		Action:    []string{"sts:AssumeRole"},
		Condition: map[string]map[string]string{
			"StringEquals": {"aws:SourceAccount": account},
			"ArnLike":      {"aws:SourceArn": sourceARN},
		},
	})
}
