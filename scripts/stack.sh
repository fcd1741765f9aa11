#!/usr/bin/env bash
# Usage: scripts/stack.sh preview|deploy|destroy STACK [extra pulumi flags...]
#
#   preview  select (or create) STACK, then `pulumi preview`
#   deploy   select (or create) STACK, `pulumi up --refresh`, then the deploy verifier
#            (cmd/verify, built once with `go build` into a temporary folder
#            and run as `verify -stack STACK`: 0 ok, 1 failed or rolled back,
#            2 timed out or not verified, 3 bad usage); its exit code is this
#            script's, as is (`go run` would turn every non-zero code into 1).
#            When `pulumi up` fails, the verifier runs all the same (its
#            report says what ECS did, e.g. a rollback) and the script exits
#            1, whatever the verifier said.
#   destroy  `pulumi destroy` of an existing STACK
#
# Tools are checked first (pulumi, the AWS CLI v2 and working AWS
# credentials for every action; go, which builds the program and deploy's
# verifier, and a running Docker engine for deploy and preview, which builds
# the image (buildOnPreview, infra/image.go)): a missing or too old one is
# named with its minimum version and where to get it, and nothing is created
# or changed. deploy and destroy outside an interactive terminal stop there
# too unless --yes is passed (make deploy ARGS=--yes), which pulumi would
# otherwise ask for only after the stack is created and the program built.
#
# The backend is the one you are logged in to, or PULUMI_BACKEND_URL, or else
# the local file backend in .pulumi-state/ (see scripts/lib.sh). Extra flags
# (e.g. --yes, --diff, --target ...) go to pulumi unchanged. Pulumi's own
# progress output is shown as is.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

usage() { echo "usage: $0 preview|deploy|destroy STACK [pulumi flags...]" >&2; exit 3; }
[[ $# -ge 2 ]] || usage
action="$1" stack="$2"
shift 2
[[ -n "$stack" && "$stack" =~ ^[A-Za-z0-9/._-]+$ ]] || fs_die "'$stack' is not a valid stack name"

cd "$FS_ROOT"
case "$action" in
  deploy) fs_need pulumi go docker aws aws-credentials && fs_confirm_check deploy "$@" ;;
  preview) fs_need pulumi go docker aws aws-credentials ;;
  destroy) fs_need pulumi aws aws-credentials && fs_confirm_check destroy "$@" ;;
  *) usage ;;
esac
fs_select_backend

case "$action" in
  preview)
    pulumi stack select --create "$stack"
    pulumi preview --stack "$stack" "$@"
    ;;
  deploy)
    # The verifier is built before `pulumi up`, so a broken build stops the
    # deploy before it starts. Built, not `go run`: go run reports any
    # non-zero exit as 1 and adds an "exit status N" line; the binary's own
    # code (0/1/2/3) and one-line error pass through unchanged.
    # FARGATESHIP_VERIFY replaces the verifier command (tests use a stub).
    if [[ -n "${FARGATESHIP_VERIFY:-}" ]]; then
      read -r -a verify <<<"$FARGATESHIP_VERIFY"
    else
      bindir="$(mktemp -d)"
      trap 'rm -rf "$bindir"' EXIT
      go build -o "$bindir/verify" ./cmd/verify || fs_die "cannot build the deploy verifier (go build ./cmd/verify)"
      verify=("$bindir/verify")
    fi
    pulumi stack select --create "$stack"
    # --refresh: plan against what AWS holds, not the last `up`'s state
    # (active hours scaled the service to 0 tonight, autoscaling moved the
    # count, a rollback put the old revision back; docs/design.md, "Design notes").
    # A failing `pulumi up` (set -e) must not skip the verifier: its report
    # is what the user needs then. Its status is kept; the script still
    # fails.
    up_rc=0
    pulumi up --refresh --stack "$stack" "$@" || up_rc=$?
    fs_log "verifying the deployment of $stack"
    rc=0
    "${verify[@]}" -stack "$stack" || rc=$?
    if ((up_rc != 0)); then
      fs_log "pulumi up failed (exit $up_rc): the deploy failed; the verifier's report above says what ECS did"
      exit 1
    fi
    exit "$rc"
    ;;
  destroy)
    pulumi stack select "$stack"
    pulumi destroy --stack "$stack" "$@"
    ;;
  *)
    usage
    ;;
esac
