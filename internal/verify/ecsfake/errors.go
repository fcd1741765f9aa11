package ecsfake

import (
	"errors"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws/retry"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	ecstypes "github.com/aws/aws-sdk-go-v2/service/ecs/types"
	"github.com/aws/smithy-go"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// The errors below are built the way aws-sdk-go-v2 returns them to a
// caller: a smithy.OperationError around the HTTP response error
// (awshttp.ResponseError, with the status code and request id) around the
// modeled or generic API error; for errors its standard retryer retries
// (throttling, 5xx), after its 3 attempts, inside retry.MaxAttemptsError.
// So the verifier's classification runs on the same error chain as against
// AWS.

func sdkError(op string, status int, apiErr error, retried bool) error {
	resp := &smithyhttp.Response{Response: &http.Response{StatusCode: status, Header: http.Header{}, Body: http.NoBody}}
	var err error = &awshttp.ResponseError{ResponseError: &smithyhttp.ResponseError{Response: resp, Err: apiErr}, RequestID: "00000000-fake-request"}
	if retried {
		err = &retry.MaxAttemptsError{Attempt: 3, Err: err}
	}
	return &smithy.OperationError{ServiceID: "ECS", OperationName: op, Err: err}
}

// Throttling is ECS's answer to a request over the API rate (HTTP 400,
// ThrottlingException "Rate exceeded"), after the SDK's retries.
func Throttling(op string) error {
	return sdkError(op, http.StatusBadRequest, &smithy.GenericAPIError{Code: "ThrottlingException", Message: "Rate exceeded", Fault: smithy.FaultClient}, true)
}

// ServerError is an ECS server-side failure with the given 5xx status
// (ServerException for 500, ServiceUnavailableException otherwise), after
// the SDK's retries.
func ServerError(op string, status int) error {
	var apiErr error = &ecstypes.ServerException{Message: ptr("Service Unavailable. Please try again later.")}
	if status != http.StatusInternalServerError {
		apiErr = &smithy.GenericAPIError{Code: "ServiceUnavailableException", Message: "Service Unavailable", Fault: smithy.FaultServer}
	}
	return sdkError(op, status, apiErr, true)
}

// ExpiredToken is the answer to a request signed with temporary
// credentials that expired (not retried by the SDK).
func ExpiredToken(op string) error {
	return sdkError(op, http.StatusBadRequest, &smithy.GenericAPIError{Code: "ExpiredTokenException", Message: "The security token included in the request is expired", Fault: smithy.FaultClient}, false)
}

// AccessDenied is the answer to a principal without the permission.
func AccessDenied(op string) error {
	return sdkError(op, http.StatusBadRequest, &ecstypes.AccessDeniedException{Message: ptr("User is not authorized to perform: ecs:" + op)}, false)
}

// NotImplemented is what an emulator that lacks the operation answers:
// moto 5.2.1 raises NotImplementedError, Flask answers HTTP 500 with an HTML
// page, and the SDK, after its retries, fails to decode it (no API error in
// the chain).
func NotImplemented(op string) error {
	decode := &smithy.DeserializationError{Err: errors.New("failed to decode response body, invalid character '<' looking for beginning of value")}
	return sdkError(op, http.StatusInternalServerError, decode, true)
}

func invalidParameter(op, msg string) error {
	return sdkError(op, http.StatusBadRequest, &ecstypes.InvalidParameterException{Message: ptr(msg)}, false)
}

func clusterNotFound(op string) error {
	return sdkError(op, http.StatusBadRequest, &ecstypes.ClusterNotFoundException{Message: ptr("Cluster not found.")}, false)
}

func serviceNotFound(op string) error {
	return sdkError(op, http.StatusBadRequest, &ecstypes.ServiceNotFoundException{Message: ptr("Service not found.")}, false)
}

func ptr[T any](v T) *T { return &v }
