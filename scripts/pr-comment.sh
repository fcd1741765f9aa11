#!/usr/bin/env bash
# Usage: scripts/pr-comment.sh scan-output | post
#
# The pull-request workflow's comment (.github/workflows/pull-request.yml):
#
#   scan-output  in the test job, after `make test`: hands the security
#                scan's Markdown report ($SCAN_MARKDOWN, written by make scan)
#                to the preview job as the step outputs `report` and
#                `status` (ok, new-findings, skipped, or not-run when make
#                test stopped before the scan) in $GITHUB_OUTPUT
#   post         in the preview job: posts one comment on pull request
#                $PR_NUMBER of $GITHUB_REPOSITORY, or edits the one it posted
#                before: the `pulumi preview` of $STACK ($PREVIEW, its
#                outcome $PREVIEW_OUTCOME) and the scan's report
#                ($SCAN_REPORT). Uses the gh CLI with $GH_TOKEN.
#
# The comment starts with a marker line, which is how a later push finds it.
set -euo pipefail

MARKER='<!-- fargateship: pull-request preview -->'
# GitHub refuses comments over 65536 characters; the preview is cut first.
MAX_PREVIEW=55000

die() { printf 'error: %s\n' "$*" >&2; exit 1; }

scan_output() {
  : "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set}"
  local report="" status=not-run delim
  if [[ -n "${SCAN_MARKDOWN:-}" && -s "$SCAN_MARKDOWN" ]]; then
    report="$(cat "$SCAN_MARKDOWN")"
    case "$(head -n1 "$SCAN_MARKDOWN")" in
      '<!-- scan: ok -->') status=ok ;;
      '<!-- scan: new-findings -->') status=new-findings ;;
      '<!-- scan: skipped -->') status=skipped ;;
      *) status=unknown ;;
    esac
  else
    report="### Security scan"$'\n\n'"Not run: \`make test\` stopped before \`make scan\` (see the test job)."
  fi
  delim="SCAN_REPORT_$RANDOM$RANDOM$RANDOM"
  while [[ "$report" == *"$delim"* ]]; do delim="$delim$RANDOM"; done
  {
    printf 'status=%s\n' "$status"
    printf 'report<<%s\n%s\n%s\n' "$delim" "$report" "$delim"
  } >>"$GITHUB_OUTPUT"
  printf 'scan report: %s\n' "$status"
}

post() {
  : "${GITHUB_REPOSITORY:?}" "${PR_NUMBER:?}" "${STACK:?}"
  command -v gh >/dev/null 2>&1 || die "the gh CLI is not on PATH"
  local body preview="${PREVIEW:-}" outcome="${PREVIEW_OUTCOME:-unknown}" id
  if ((${#preview} > MAX_PREVIEW)); then
    preview="${preview:0:MAX_PREVIEW}"$'\n'"... (cut: the whole preview is in the job log)"
  fi
  body="$(mktemp)"
  trap 'rm -f "$body"' RETURN
  {
    printf '%s\n' "$MARKER"
    # shellcheck disable=SC2016  # Markdown backquotes, not a command
    printf '#### :tropical_drink: `pulumi preview` of `%s`\n\n' "$STACK"
    if [[ "$outcome" != success ]]; then
      printf '**The preview did not succeed (%s)**: see the job log.\n\n' "$outcome"
    fi
    if [[ -n "$preview" ]]; then
      # shellcheck disable=SC2016  # Markdown fences, not commands
      printf '<details><summary>Preview</summary>\n\n```\n%s\n```\n\n</details>\n\n' "$preview"
    fi
    if [[ -n "${SCAN_REPORT:-}" ]]; then
      printf '%s\n' "$SCAN_REPORT"
    else
      printf '### Security scan\n\nNo report from the test job.\n'
    fi
  } >"$body"
  id="$(gh api --paginate "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" \
    --jq ".[] | select(.body | startswith(\"$MARKER\")) | .id" | tail -n1)"
  if [[ -n "$id" ]]; then
    gh api -X PATCH "repos/$GITHUB_REPOSITORY/issues/comments/$id" -F "body=@$body" >/dev/null
    printf 'edited comment %s on pull request %s\n' "$id" "$PR_NUMBER"
  else
    gh api -X POST "repos/$GITHUB_REPOSITORY/issues/$PR_NUMBER/comments" -F "body=@$body" >/dev/null
    printf 'commented on pull request %s\n' "$PR_NUMBER"
  fi
}

case "${1:-}" in
  scan-output) scan_output ;;
  post) post ;;
  *) die "usage: $0 scan-output | post" ;;
esac
