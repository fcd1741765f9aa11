#!/usr/bin/env bash
# Usage: scripts/sandbox-reaper.sh [--dry-run]
#
# Destroys and removes every sandbox-* stack of this project whose `expires`
# stack tag (YYYY-MM-DD, set by `make sandbox`) is before today (UTC). Stacks
# without a valid tag are reported and left alone, and so is a stack whose
# state lists a resource tagged for another stack (it is not a sandbox's to
# destroy). Runs in the scheduled workflow with the reaper role, which may
# only delete sandboxes' resources anyway; it exits non-zero when any
# destroy failed or any stack was refused.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

dry_run=false
case "${1:-}" in
  --dry-run) dry_run=true ;;
  "") ;;
  *) echo "usage: $0 [--dry-run]" >&2; exit 3 ;;
esac

# restore_stack_file NAME SHORT writes Pulumi.SHORT.yaml from the stack's
# state when the file is missing (sandbox stack files are git-ignored, so a
# CI checkout never has them). Without it, pulumi cannot find a passphrase
# stack's salt or a KMS stack's key and asks for a passphrase instead.
restore_stack_file() {
  local name="$1" file="Pulumi.$2.yaml" providers
  [[ ! -f "$file" ]] || return 0
  providers="$(pulumi stack export --stack "$name" </dev/null | jq -c '.deployment.secrets_providers // {}')" || return 1
  case "$(jq -r '.type // ""' <<<"$providers")" in
    passphrase)
      jq -r '"encryptionsalt: " + .state.salt' <<<"$providers" >"$file" ;;
    cloud)
      # The data key is "encryptedkey" in current state files, "dataKey" in old ones.
      jq -r '"secretsprovider: " + .state.url, "encryptedkey: " + (.state.encryptedkey // .state.dataKey)' <<<"$providers" >"$file" ;;
    *) return 0 ;;
  esac
  fs_log "$name: wrote $file from the stack's state (secrets provider settings)"
}

# foreign_stacks NAME SHORT prints, once each, the `stack` tags other than
# SHORT on the resources in the stack's state (the main program tags every
# taggable resource with its stack: infra.Naming.Tags).
foreign_stacks() {
  pulumi stack export --stack "$1" </dev/null |
    jq -r --arg s "$2" '[.deployment.resources[]? | (.inputs.tags.stack?, .outputs.tags.stack?)
      | strings | select(. != $s)] | unique | .[]'
}

cd "$FS_ROOT"
fs_require jq
fs_select_backend
today="$(fs_today)"

stacks="$(pulumi stack ls --json </dev/null | jq -r '.[].name')"
failed=0 reaped=0
while IFS= read -r name; do
  [[ -n "$name" ]] || continue
  short="${name##*/}"
  [[ "$short" == sandbox-* ]] || continue
  expires="$(pulumi stack tag get expires --stack "$name" </dev/null 2>/dev/null || true)"
  if ! fs_valid_date "$expires"; then
    fs_log "$name: no valid 'expires' tag ('$expires'); left alone"
    continue
  fi
  if [[ ! "$expires" < "$today" ]]; then
    fs_log "$name: expires $expires; kept"
    continue
  fi
  if $dry_run; then
    fs_log "$name: expired $expires; would destroy (dry run)"
    continue
  fi
  if ! foreign="$(foreign_stacks "$name" "$short")"; then
    fs_log "$name: cannot read its state; left alone"
    failed=$((failed + 1))
    continue
  fi
  if [[ -n "$foreign" ]]; then
    fs_log "$name: its state lists resources of other stacks (stack tag: ${foreign//$'\n'/, }); left alone"
    failed=$((failed + 1))
    continue
  fi
  fs_log "$name: expired $expires; destroying"
  if restore_stack_file "$name" "$short" &&
    pulumi destroy --yes --stack "$name" </dev/null &&
    pulumi stack rm --yes --stack "$name" </dev/null; then
    reaped=$((reaped + 1))
  else
    fs_log "$name: destroy failed"
    failed=$((failed + 1))
  fi
done <<<"$stacks"

fs_log "reaped $reaped expired sandbox stack(s), $failed failure(s)"
[[ $failed -eq 0 ]]
