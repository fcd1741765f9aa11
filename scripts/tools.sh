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
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"
cd "$FS_ROOT"

[[ $# -ge 1 ]] || { echo "usage: $0 need TOOL... | test | lint NAME=CMD... | install" >&2; exit 3; }
action="$1"
shift
case "$action" in
  need) fs_need "$@" ;;
  test) fs_test_prereqs ;;
  lint) fs_lint_prereqs "$@" ;;
  install) fs_install_tools ;;
  *) echo "usage: $0 need TOOL... | test | lint NAME=CMD... | install" >&2; exit 3 ;;
esac
