# shellcheck shell=bash
# Shared helpers of the delivery scripts (sourced, never run). Every function
# is prefixed fs_ and is tested by scripts/test-delivery.sh with stub
# `pulumi` and `aws` commands on PATH.

# FS_ROOT is the project root: the folder holding Pulumi.yaml.
FS_ROOT="${FARGATESHIP_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"

fs_log() { printf '==> %s\n' "$*" >&2; }
fs_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

fs_require() {
  local cmd
  for cmd in "$@"; do
    command -v "$cmd" >/dev/null 2>&1 || fs_die "'$cmd' is not installed or not on PATH"
  done
}

# fs_select_backend keeps whatever backend the user chose (PULUMI_BACKEND_URL,
# or a `pulumi login` that `pulumi whoami` confirms) and otherwise exports
# PULUMI_BACKEND_URL=file://<root>/.pulumi-state, a git-ignored folder, so a
# first run needs no account beyond AWS. In GitHub Actions it refuses to fall
# back: state on a runner's disk would be lost with the runner.
fs_select_backend() {
  if [[ -n "${PULUMI_BACKEND_URL:-}" ]]; then
    return 0
  fi
  fs_require pulumi
  if pulumi whoami </dev/null >/dev/null 2>&1; then
    return 0
  fi
  if [[ "${GITHUB_ACTIONS:-}" == "true" ]]; then
    fs_die "no Pulumi backend: set the PULUMI_ACCESS_TOKEN secret or the PULUMI_BACKEND_URL variable (docs/delivery.md)"
  fi
  mkdir -p "$FS_ROOT/.pulumi-state"
  export PULUMI_BACKEND_URL="file://$FS_ROOT/.pulumi-state"
  fs_log "not logged in to a Pulumi backend: using local state in $FS_ROOT/.pulumi-state"
  if [[ -z "${PULUMI_CONFIG_PASSPHRASE+set}" && -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]]; then
    fs_log "secrets are encrypted with a passphrase: pulumi will ask for it (or export PULUMI_CONFIG_PASSPHRASE)"
  fi
}

# fs_sanitize_name turns any user name into the lower-case [a-z0-9-] form
# that is valid in a stack name and in every AWS name derived from it:
# other characters become '-', runs of '-' collapse, at most 30 characters.
fs_sanitize_name() {
  local s
  s="$(printf '%s' "$1" | LC_ALL=C tr '[:upper:]' '[:lower:]' | LC_ALL=C sed -E 's/[^a-z0-9]+/-/g; s/^-+//; s/-+$//')"
  s="${s:0:30}"
  while [[ "$s" == *- ]]; do s="${s%-}"; done
  printf '%s' "$s"
}

# fs_sandbox_user is the sanitized owner of a sandbox: SANDBOX_USER if set,
# else $USER (unless it is root or empty), else git's user.name, else root.
fs_sandbox_user() {
  local raw="${SANDBOX_USER:-}" name
  if [[ -z "$raw" && -n "${USER:-}" && "${USER:-}" != "root" ]]; then
    raw="$USER"
  fi
  if [[ -z "$raw" ]]; then
    raw="$(git -C "$FS_ROOT" config user.name 2>/dev/null || true)"
  fi
  if [[ -z "$raw" ]]; then
    raw="${USER:-$(id -un 2>/dev/null || true)}"
  fi
  name="$(fs_sanitize_name "$raw")"
  [[ -n "$name" ]] || fs_die "cannot derive a sandbox name from user '$raw': set SANDBOX_USER"
  printf '%s' "$name"
}

# fs_valid_date succeeds for a YYYY-MM-DD string.
fs_valid_date() {
  [[ "$1" =~ ^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$ ]]
}

# fs_expiry_date prints EXPIRES if set (YYYY-MM-DD), else today (UTC) plus
# SANDBOX_DAYS days (default 7). Works with GNU and BSD date.
fs_expiry_date() {
  if [[ -n "${EXPIRES:-}" ]]; then
    fs_valid_date "$EXPIRES" || fs_die "EXPIRES='$EXPIRES' is not a YYYY-MM-DD date"
    printf '%s' "$EXPIRES"
    return 0
  fi
  local days="${SANDBOX_DAYS:-7}"
  [[ "$days" =~ ^[0-9]+$ ]] || fs_die "SANDBOX_DAYS='$days' is not a number of days"
  date -u -d "+${days} days" +%F 2>/dev/null || date -u -v+"${days}"d +%F
}

# fs_today is today's date (UTC); FS_TODAY overrides it in tests.
fs_today() {
  if [[ -n "${FS_TODAY:-}" ]]; then printf '%s' "$FS_TODAY"; else date -u +%F; fi
}

# fs_output prints a stack output, or nothing when the stack lacks it.
fs_output() {
  pulumi stack output "$2" --stack "$1" 2>/dev/null </dev/null || true
}
