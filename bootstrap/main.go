// Command fargateship-bootstrap is the one-time CI bootstrap: run it once per
// AWS account with `pulumi up` from this folder. See docs/delivery.md.
package main

import (
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"

	"github.com/fargateship/fargateship/bootstrap/cicd"
)

func main() {
	pulumi.Run(cicd.Program)
}
