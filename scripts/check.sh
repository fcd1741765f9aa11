#!/usr/bin/env bash
# Usage: scripts/check.sh STACK | Pulumi.STACK.yaml   (make check STACK=...)
#
# Builds the offline stack-file checker (cmd/check) with `go build` into a
# temporary folder and runs it, so its own messages and exit code (0 valid,
# 1 invalid, 2 bad usage) pass through unchanged: `go run` would add an
# "exit status 1" line and turn every failure into 1. Go is checked first.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

[[ $# -eq 1 ]] || { echo "usage: $0 STACK | Pulumi.STACK.yaml" >&2; exit 2; }
fs_need go
cd "$FS_ROOT"
bindir="$(mktemp -d)"
trap 'rm -rf "$bindir"' EXIT
go build -o "$bindir/check" ./cmd/check || fs_die "cannot build the stack-file checker (go build ./cmd/check)"
rc=0
"$bindir/check" "$1" || rc=$?
exit "$rc"
