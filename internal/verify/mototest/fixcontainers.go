package mototest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"

	"github.com/aws/aws-sdk-go-v2/service/ecs"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"
)

// FixContainerTypes is an ECS client option for tests against moto. moto
// 5.2.1 serializes a task's containers[].cpu and containers[].memory as JSON
// numbers where the ECS API (and so aws-sdk-go-v2) has strings, and the SDK
// then fails RunTask, StopTask and DescribeTasks with "deserialization
// failed, expected string, got 0". This option rewrites those numbers to
// strings in the raw response before the SDK decodes it; nothing else is
// changed. The verifier itself never uses it: against real ECS it is not
// needed.
func FixContainerTypes(o *ecs.Options) {
	o.APIOptions = append(o.APIOptions, func(stack *middleware.Stack) error {
		return stack.Deserialize.Add(middleware.DeserializeMiddlewareFunc("MotoFixContainerTypes",
			func(ctx context.Context, in middleware.DeserializeInput, next middleware.DeserializeHandler) (middleware.DeserializeOutput, middleware.Metadata, error) {
				out, md, err := next.HandleDeserialize(ctx, in)
				if err != nil {
					return out, md, err
				}
				resp, ok := out.RawResponse.(*smithyhttp.Response)
				if !ok || resp.Body == nil {
					return out, md, nil
				}
				body, rerr := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				if rerr != nil {
					return out, md, rerr
				}
				resp.Body = io.NopCloser(bytes.NewReader(fixContainerNumbers(body)))
				return out, md, nil
			}), middleware.After)
	})
}

func fixContainerNumbers(body []byte) []byte {
	var v any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&v); err != nil {
		return body
	}
	changed := false
	var walk func(any)
	walk = func(x any) {
		switch t := x.(type) {
		case map[string]any:
			for k, val := range t {
				if k == "containers" {
					if list, ok := val.([]any); ok {
						for _, c := range list {
							if cm, ok := c.(map[string]any); ok {
								for _, f := range []string{"cpu", "memory", "memoryReservation"} {
									if n, ok := cm[f].(json.Number); ok {
										cm[f] = n.String()
										changed = true
									}
								}
							}
						}
					}
				}
				walk(val)
			}
		case []any:
			for _, e := range t {
				walk(e)
			}
		}
	}
	walk(v)
	if !changed {
		return body
	}
	out, err := json.Marshal(v)
	if err != nil {
		return body
	}
	return out
}
