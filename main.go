// Command fargateship is the Pulumi program that ships the Go service in app/
// to AWS ECS Fargate. Everything lives in package infra; this file only hands
// infra.Program to the Pulumi engine.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/fargateship/fargateship/infra"
)

func main() {
	pulumi.Run(infra.Program)
}
