# METADATA
# title: ECS containers should not run privileged
# description: |
#   A privileged container has every capability of the host's root user and
#   can reach the host's devices. Fargate refuses privileged containers, so
#   the flag in a task definition is at best a mistake. Trivy v0.74's
#   embedded checks have no rule for it (Security Hub has: ECS.4); this
#   project adds it.
# scope: package
# schemas:
#   - input: schema["cloud"]
# related_resources:
#   - https://docs.aws.amazon.com/securityhub/latest/userguide/ecs-controls.html#ecs-4
# custom:
#   id: FS-0001
#   avd_id: FS-0001
#   provider: aws
#   service: ecs
#   severity: HIGH
#   short_code: no-privileged-containers
#   recommended_action: Remove privileged from the container definition
#   input:
#     selector:
#       - type: cloud
#         subtypes:
#           - service: ecs
#             provider: aws
package user.aws.ecs.fs0001

import rego.v1

deny contains res if {
	some container in input.aws.ecs.taskdefinitions[_].containerdefinitions
	container.privileged.value
	res := result.new(sprintf("Container %q runs privileged", [container.name.value]), container)
}
