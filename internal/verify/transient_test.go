package verify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/smithy-go"

	"github.com/fargateship/fargateship/internal/verify/ecsfake"
)

// How errors shaped as the SDK returns them are classified: Transient
// ones keep the wait going, Unsupported ones turn service deployments off,
// the rest end the wait.
func TestErrorClassification(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	// A connection refused, as the SDK returns it after its retries.
	_, connErr := ecs.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String("http://127.0.0.1:1"), Credentials: aws.AnonymousCredentials{},
		Retryer: func() aws.Retryer { return retry.AddWithMaxAttempts(retry.NewStandard(), 1) }}).
		DescribeServices(context.Background(), &ecs.DescribeServicesInput{Services: []string{"s"}})
	for _, tc := range []struct {
		name        string
		err         error
		ctx         context.Context
		transient   bool
		unsupported string
		brief       string
	}{
		{"throttling", ecsfake.Throttling("DescribeServices"), nil, true, "", "ECS DescribeServices: HTTP 400 ThrottlingException: Rate exceeded (3 attempts)"},
		{"throttling, retry quota exhausted", errors.Join(ecsfake.Throttling("ListTasks"), fmt.Errorf("failed to get rate limit token, retry quota exceeded, 0 available, 5 requested")), nil, true, "", ""},
		{"500", ecsfake.ServerError("DescribeServices", 500), nil, true, "", "ECS DescribeServices: HTTP 500 ServerException: Service Unavailable. Please try again later. (3 attempts)"},
		{"503", ecsfake.ServerError("DescribeServices", 503), nil, true, "", ""},
		{"expired token", ecsfake.ExpiredToken("DescribeTasks"), nil, true, "", "ECS DescribeTasks: HTTP 400 ExpiredTokenException: The security token included in the request is expired"},
		{"connection refused", connErr, nil, true, "", ""},
		{"per-call timeout", fmt.Errorf("ecs ListTasks: %w", context.DeadlineExceeded), nil, true, "", ""},
		{"caller canceled", ecsfake.Throttling("DescribeServices"), canceled, false, "", ""},
		{"access denied", ecsfake.AccessDenied("ListServiceDeployments"), nil, false, "AccessDeniedException", ""},
		{"not implemented (moto)", ecsfake.NotImplemented("ListServiceDeployments"), nil, true, "the endpoint does not implement it: HTTP 500 without an AWS error",
			"ECS ListServiceDeployments: HTTP 500 failed to decode response body, invalid character '<' looking for beginning of value (3 attempts)"},
		{"unknown operation", &smithy.OperationError{ServiceID: "ECS", OperationName: "X", Err: &smithy.GenericAPIError{Code: "UnknownOperationException"}}, nil, false, "UnknownOperationException", ""},
		{"other client error", &smithy.OperationError{ServiceID: "ECS", OperationName: "X", Err: &smithy.GenericAPIError{Code: "InvalidParameterException"}}, nil, false, "", "ECS X: InvalidParameterException"},
		{"not an SDK error", errors.New("boom"), nil, false, "", "boom"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := tc.ctx
			if ctx == nil {
				ctx = context.Background()
			}
			if got := Transient(ctx, tc.err); got != tc.transient {
				t.Errorf("Transient = %v, want %v (%v)", got, tc.transient, tc.err)
			}
			if got := Unsupported(tc.err); got != tc.unsupported {
				t.Errorf("Unsupported = %q, want %q", got, tc.unsupported)
			}
			if tc.brief != "" {
				if got := Brief(tc.err); got != tc.brief {
					t.Errorf("Brief = %q\nwant    %q", got, tc.brief)
				}
			}
		})
	}
	var netErr net.Error
	if !errors.As(connErr, &netErr) {
		t.Errorf("the connection error is not a net.Error: %v", connErr)
	}
}
