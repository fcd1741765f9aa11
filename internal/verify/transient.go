package verify

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/smithy-go"
)

// expiredCredentialCodes are the API error codes of a request signed with
// credentials that expired (temporary credentials of a role or SSO session
// that ran out while the verifier waited). The SDK's credentials cache
// fetches new ones on the next call once it is invalidated.
var expiredCredentialCodes = map[string]bool{
	"ExpiredToken":          true,
	"ExpiredTokenException": true,
	"RequestExpired":        true,
}

var retryables = retry.IsErrorRetryables(retry.DefaultRetryables)

// Transient reports whether err, returned by an AWS call after the SDK's
// own retries, is worth another try at the next poll rather than an end of
// the wait: what the SDK's retryer classifies as retryable (throttling
// codes, HTTP 500/502/503/504, connection errors, request timeouts;
// aws/retry.DefaultRetryables), expired credentials, and a per-call
// timeout while ctx itself is still alive. The SDK wraps the cause (in
// retry.MaxAttemptsError, and with errors.Join when its retry quota ran
// out); the checks below unwrap it.
func Transient(ctx context.Context, err error) bool {
	if err == nil || ctx.Err() != nil {
		return false
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return true // callTimeout, not the caller's context
	}
	if retryables.IsErrorRetryable(err) == aws.TrueTernary {
		return true
	}
	return expiredCredentials(err)
}

func expiredCredentials(err error) bool {
	var ae smithy.APIError
	return errors.As(err, &ae) && expiredCredentialCodes[ae.ErrorCode()]
}

// unsupportedCodes are API error codes meaning "this endpoint will never
// answer this operation" (not "not now"): an endpoint that does not know it,
// or a principal that may not call it.
var unsupportedCodes = map[string]bool{
	"UnknownOperationException": true,
	"InvalidAction":             true,
	"AccessDeniedException":     true,
	"AccessDenied":              true,
	"UnauthorizedOperation":     true,
}

// Unsupported reports why an endpoint cannot answer an operation at all,
// or "" when err says nothing of the kind. Besides the codes above: HTTP
// 404 and 501, and an HTTP 500 whose body is not an AWS error (the SDK
// found no error code in it). AWS answers every 5xx of its JSON APIs with
// an error document (ServerException), while an emulator answers an
// operation it does not implement with an HTML page and status 500 (moto
// 5.2.1: "NotImplementedError: The list_service_deployments action has not
// been implemented"); a 502/503/504 stays Transient whatever its body.
func Unsupported(err error) string {
	var ae smithy.APIError
	hasCode := errors.As(err, &ae)
	if hasCode && unsupportedCodes[ae.ErrorCode()] {
		return ae.ErrorCode()
	}
	var status interface{ HTTPStatusCode() int }
	if !errors.As(err, &status) {
		return ""
	}
	switch code := status.HTTPStatusCode(); {
	case code == http.StatusNotFound || code == http.StatusNotImplemented:
		return fmt.Sprintf("HTTP %d", code)
	case code == http.StatusInternalServerError && (!hasCode || ae.ErrorCode() == "UnknownError"):
		return "the endpoint does not implement it: HTTP 500 without an AWS error"
	}
	return ""
}

// Brief renders an AWS error in one short line: the operation, the HTTP
// status, the API error code and message (or, without one, the innermost
// error) and the SDK's attempts, e.g. "ECS DescribeServices: HTTP 400
// ThrottlingException: Rate exceeded (3 attempts)". Errors that are not an
// SDK operation's are rendered whole.
func Brief(err error) string {
	var oe *smithy.OperationError
	if !errors.As(err, &oe) {
		return oneLine(err.Error())
	}
	s := oe.Service() + " " + oe.Operation() + ":"
	var status interface{ HTTPStatusCode() int }
	if errors.As(err, &status) {
		s += fmt.Sprintf(" HTTP %d", status.HTTPStatusCode())
	}
	var ae smithy.APIError
	if errors.As(err, &ae) {
		s += " " + ae.ErrorCode()
		if m := ae.ErrorMessage(); m != "" {
			s += ": " + m
		}
	} else {
		inner := err
		for u := errors.Unwrap(inner); u != nil; u = errors.Unwrap(inner) {
			inner = u
		}
		s += " " + inner.Error()
	}
	var ma *retry.MaxAttemptsError
	if errors.As(err, &ma) {
		s += fmt.Sprintf(" (%d attempts)", ma.Attempt)
	}
	return oneLine(s)
}
