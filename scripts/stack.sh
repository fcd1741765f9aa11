#!/usr/bin/env bash
# Usage: scripts/stack.sh preview|deploy|destroy STACK [extra pulumi flags...]
#
#   preview  select (or create) STACK, then `pulumi preview`
#   deploy   select (or create) STACK, `pulumi up`, then the deploy verifier
#            (`go run ./cmd/verify -stack STACK`: 0 ok, 1 failed or rolled
#            back, 2 timed out, 3 bad usage); its exit code is this script's
#   destroy  `pulumi destroy` of an existing STACK
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
fs_select_backend

case "$action" in
  preview)
    pulumi stack select --create "$stack"
    pulumi preview --stack "$stack" "$@"
    ;;
  deploy)
    pulumi stack select --create "$stack"
    pulumi up --stack "$stack" "$@"
    fs_log "verifying the deployment of $stack"
    # FARGATESHIP_VERIFY replaces the verifier command (tests use a stub).
    read -r -a verify <<<"${FARGATESHIP_VERIFY:-go run ./cmd/verify}"
    exec "${verify[@]}" -stack "$stack"
    ;;
  destroy)
    pulumi stack select "$stack"
    pulumi destroy --stack "$stack" "$@"
    ;;
  *)
    usage
    ;;
esac
