package mototest

import (
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatch/schemas"
	"github.com/aws/smithy-go/transport/http/protocol/awsquery"
)

// CloudWatchQueryProtocol makes a CloudWatch client speak the awsQuery
// protocol instead of its default, Smithy RPC v2 CBOR.
//
// aws-sdk-go-v2's service/cloudwatch (v1.75.7, api_client.go) sets
// options.Protocol = rpcv2.NewCBOR(...) by default; moto 5.2.1 has no
// CBOR support (moto/cloudwatch/responses.py, moto/core/responses.py parse
// query and JSON bodies only), so a default client's DescribeAlarms gets a
// 404 or 500 that the SDK cannot decode. CloudWatch itself still serves awsQuery (the
// service schema carries the AWSQueryCompatible trait, schemas/schemas.go,
// and AWS CLI v1 uses it), and smithy-go ships that protocol
// (transport/http/protocol/awsquery), so the tests swap it in through the
// client's Protocol option. The verifier does not carry this shim: against
// real AWS it uses the SDK's default.
func CloudWatchQueryProtocol(o *cloudwatch.Options) {
	o.Protocol = awsquery.New(schemas.GraniteServiceVersion20100801)
}
