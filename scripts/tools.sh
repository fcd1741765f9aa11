#!/usr/bin/env bash
# Usage: scripts/tools.sh need TOOL... | test | lint NAME=CMD... | install
#
# The Makefile's tool checks (functions in scripts/lib.sh):
#   need TOOL...  each TOOL on PATH and at least its minimum version, else one
#                 line per problem naming the minimum and where to get it
#   test          make test's prerequisites: go, jq, and moto_server (an
#                 error when CI=true, else a visible warning)
#   lint          make lint's linters, one line per missing one
#   install       make tools: the linters at .ci/run's versions
#   scan [--if-trivy] ARGS...
#                 make scan: build and run cmd/scan with Trivy; without Trivy
#                 an error, or with --if-trivy (make test) an error when
#                 CI=true and else a visible warning
#   install-trivy install Trivy at the pinned version unless it is there
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$FS_ROOT"

usage="usage: $0 need TOOL... | test | lint NAME=CMD... | install | scan [--if-trivy] ARGS... | install-trivy"
[[ $# -ge 1 ]] || { echo "$usage" >&2; exit 3; }
action="$1"
shift
case "$action" in
  need) fs_need "$@" ;;
  test) fs_test_prereqs ;;
  lint) fs_lint_prereqs "$@" ;;
  install) fs_install_tools ;;
  scan) fs_scan "$@" ;;
  install-trivy) fs_install_trivy ;;
  *) echo "$usage" >&2; exit 3 ;;
esac
