#!/usr/bin/env bash
# Usage: scripts/stack.sh preview|deploy|destroy STACK [extra pulumi flags...]
#
#   preview  select (or create) STACK, then `pulumi preview`
#   deploy   select (or create) STACK, `pulumi up`, then the deploy verifier
#            (cmd/verify, built once with `go build` into a temporary folder
#            and run as `verify -stack STACK`: 0 ok, 1 failed or rolled back,
#            2 timed out, 3 bad usage); its exit code is this script's, as is
#            (`go run` would turn every non-zero code into 1)
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
    pulumi up --stack "$stack" "$@"
    fs_log "verifying the deployment of $stack"
    rc=0
    "${verify[@]}" -stack "$stack" || rc=$?
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
