#!/usr/bin/env bash
# Tests of the delivery scripts (scripts/lib.sh, stack.sh, sandbox.sh,
# sandbox-reaper.sh) with stub `pulumi`, `aws` and verifier commands on PATH:
# backend selection, user-name sanitizing, the exact pulumi/aws calls and
# their order. Needs bash and jq; prints "N passed, N failed, N skipped"
# last (a skipped test says why on its one "skip" line).
set -uo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

passed=0 failed=0 skipped=0
current=""
fail() {
  printf '    FAIL %s: %s\n' "$current" "$*"
  failed_now=1
}
# skip REASON ends the current test as skipped (exit 77 of its subshell):
# it is reported once, as "skip", and counted apart from the passes.
skip() {
  printf 'skip %s: %s\n' "$current" "$*"
  exit 77
}
run_test() {
  current="$1"
  # Each test runs in a subshell: what it sources, exports or exits with
  # stays there.
  local rc=0
  (failed_now=0; setup; "$1"; exit "$failed_now") || rc=$?
  case "$rc" in
    0) passed=$((passed + 1)); printf 'ok   %s\n' "$1" ;;
    77) skipped=$((skipped + 1)) ;;
    *) failed=$((failed + 1)); printf 'FAIL %s\n' "$1" ;;
  esac
}
eq() { [[ "$1" == "$2" ]] || fail "$3: got '$1', want '$2'"; }
contains() { [[ "$1" == *"$2"* ]] || fail "$3: '$2' not in: $1"; }
not_contains() { [[ "$1" != *"$2"* ]] || fail "$3: '$2' unexpectedly in: $1"; }

# Stub commands. The pulumi stub logs each call as one line
# "BACKEND=<PULUMI_BACKEND_URL> args..." and answers from files in $STUB.
make_stubs() {
  mkdir -p "$work/bin"
  cat >"$work/bin/pulumi" <<'STUB'
#!/usr/bin/env bash
printf 'BACKEND=%s %s\n' "${PULUMI_BACKEND_URL:-}" "$*" >>"$STUB/pulumi.log"
stack=""
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [[ "${args[$i]}" == --stack ]] && stack="${args[$((i + 1))]}"
done
case "$1 ${2:-}" in
  "whoami ") exit "$(cat "$STUB/whoami_rc" 2>/dev/null || echo 255)" ;;
  "stack output")
    f="$STUB/outputs/$3"; [[ -f "$f" ]] || { echo "error: no output $3" >&2; exit 255; }; cat "$f" ;;
  "stack ls") cat "$STUB/stack_ls.json" ;;
  "stack export")
    f="$STUB/exports/$stack.json"; [[ -f "$f" ]] && cat "$f" || echo '{"version":3,"deployment":{}}' ;;
  "stack tag")
    if [[ "$3" == get ]]; then
      f="$STUB/tags/$stack.$4"; [[ -f "$f" ]] || { echo "error: no tag" >&2; exit 255; }; cat "$f"
    fi ;;
  "version ") cat "$STUB/version" 2>/dev/null || echo v3.274.1 ;;
  "stack select")
    # The real CLI's answers (v3.274.1, captured on a file backend): a stack
    # the backend does not have (exit 6), or another failure from
    # select_error with the exit code in select_rc.
    if [[ -f "$STUB/select_error" ]]; then cat "$STUB/select_error" >&2; exit "$(cat "$STUB/select_rc" 2>/dev/null || echo 1)"; fi
    if [[ " $* " != *" --create "* && -f "$STUB/missing_stacks" ]] && grep -qx "$3" "$STUB/missing_stacks"; then
      echo "error: no stack named '$3' found" >&2; exit 6
    fi ;;
  "config get")
    f="$STUB/config/$3"; [[ -f "$f" ]] || exit 255; cat "$f" ;;
  "destroy "*) [[ ! -f "$STUB/destroy_fails/$stack" ]] || exit 255 ;;
  "up "*) [[ ! -f "$STUB/up_error" ]] || { cat "$STUB/up_error" >&2; exit 255; } ;;
esac
exit 0
STUB
  cat >"$work/bin/aws" <<'STUB'
#!/usr/bin/env bash
printf '%s\n' "$*" >>"$STUB/aws.log"
case "$1 ${2:-}" in
  # The AWS CLI v2's version line, or aws_version's; the identity of the
  # credentials, or, with aws_no_credentials, the CLI's message for none.
  "--version ") cat "$STUB/aws_version" 2>/dev/null || echo "aws-cli/2.27.50 Python/3.13.4 Linux/6.8.0 exe/x86_64.ubuntu.24" ;;
  "sts get-caller-identity")
    if [[ -f "$STUB/aws_no_credentials" ]]; then
      echo 'Unable to locate credentials. You can configure credentials by running "aws configure".' >&2; exit 253
    fi
    echo "arn:aws:iam::123456789012:user/alice" ;;
  "ecs list-tasks") cat "$STUB/aws_task" 2>/dev/null || echo None ;;
  "ecs describe-tasks") echo eni-0abc ;;
  "ec2 describe-network-interfaces") echo 203.0.113.7 ;;
  "configure get") exit 1 ;;
esac
STUB
  # docker version --format '{{.Server.Version}} {{.Server.Os}}': the
  # engine's answer (docker_server, default a 28.2.2 Linux engine), or with
  # docker_down what the docker 28.2.2 CLI prints without a daemon (an empty
  # line, the message on stderr, exit 1; captured on this machine).
  cat >"$work/bin/docker" <<'STUB'
#!/usr/bin/env bash
if [[ "$1" == version ]]; then
  if [[ -f "$STUB/docker_down" ]]; then
    echo
    echo "Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?" >&2
    exit 1
  fi
  cat "$STUB/docker_server" 2>/dev/null || echo "28.2.2 linux"
fi
STUB
  cat >"$work/bin/verify" <<'STUB'
#!/usr/bin/env bash
printf 'BACKEND=%s verify %s\n' "${PULUMI_BACKEND_URL:-}" "$*" >>"$STUB/pulumi.log"
exit "$(cat "$STUB/verify_rc" 2>/dev/null || echo 0)"
STUB
  chmod +x "$work/bin/"*
  # sys: the system commands the scripts use, and nothing else (no pulumi,
  # aws, docker or moto_server, even where the machine has them). go is
  # there for the verifier build.
  mkdir -p "$work/sys"
  local c
  for c in bash env cat cp mv mkdir rm rmdir sed awk grep tr date dirname basename head tail \
    id git mktemp sort uname touch chmod ls make go gofmt sleep tee wc jq readlink timeout; do
    if command -v "$c" >/dev/null 2>&1; then ln -sf "$(command -v "$c")" "$work/sys/$c"; fi
  done
  # The stubs without pulumi (and the others one by one) for the tool checks.
  mkdir -p "$work/nopulumi"
  ln -sf "$work/bin/aws" "$work/nopulumi/aws"
  ln -sf "$work/bin/docker" "$work/nopulumi/docker"
  ln -sf "$work/bin/verify" "$work/nopulumi/verify"
  mkdir -p "$work/awsonly"
  ln -sf "$work/bin/aws" "$work/awsonly/aws"
}

# setup gives each test a fresh project root with the preset, fresh stub
# state, and an environment free of the caller's Pulumi and AWS settings.
setup() {
  rm -rf "$work/root" "$work/stub" "$work/state" "$work/pulumi-home"
  mkdir -p "$work/root/presets" "$work/stub/exports/acme" "$work/stub/outputs" "$work/stub/tags" "$work/stub/config" "$work/stub/destroy_fails"
  printf 'config:\n  fargateship:desiredCount: 1\n' >"$work/root/presets/sandbox.yaml"
  git -C "$work/root" init -q
  : >"$work/stub/pulumi.log"
  : >"$work/stub/aws.log"
  export STUB="$work/stub" FARGATESHIP_ROOT="$work/root" PATH="$work/bin:$BASE_PATH"
  export FARGATESHIP_VERIFY="verify"
  export SANDBOX_POLL=0 SANDBOX_WAIT=0
  unset PULUMI_BACKEND_URL PULUMI_ACCESS_TOKEN PULUMI_CONFIG_PASSPHRASE PULUMI_CONFIG_PASSPHRASE_FILE
  unset GITHUB_ACTIONS SANDBOX_USER SANDBOX_OWNER EXPIRES SANDBOX_DAYS FS_TODAY
  unset AWS_REGION AWS_DEFAULT_REGION PULUMI_SKIP_CONFIRMATIONS
  export USER=alice
}

plog() { cat "$STUB/pulumi.log"; }

# --- lib.sh -----------------------------------------------------------------

test_sanitize_name() {
  # shellcheck source-path=SCRIPTDIR source=lib.sh
  source "$here/lib.sh"
  eq "$(fs_sanitize_name 'Alice.Smith')" "alice-smith" "dots and case"
  eq "$(fs_sanitize_name "  Bob__O'Neil  ")" "bob-o-neil" "punctuation runs"
  eq "$(fs_sanitize_name 'jdoe@example.com')" "jdoe-example-com" "email"
  eq "$(fs_sanitize_name 'Zoë Ångström')" "zo-ngstr-m" "non-ASCII"
  eq "$(fs_sanitize_name '---')" "" "nothing left"
  eq "$(fs_sanitize_name 'abcdefghijklmnopqrstuvwxyz0123-456789')" "abcdefghijklmnopqrstuvwxyz0123" "30 characters"
  eq "$(fs_sanitize_name 'abcdefghijklmnopqrstuvwxyz012-456789')" "abcdefghijklmnopqrstuvwxyz012" "no trailing dash after cut"
}

test_sandbox_user_sources() {
  # shellcheck source-path=SCRIPTDIR source=lib.sh
  source "$here/lib.sh"
  eq "$(USER=Alice fs_sandbox_user)" "alice" "USER"
  eq "$(SANDBOX_USER='Dev Team' USER=alice fs_sandbox_user)" "dev-team" "SANDBOX_USER wins"
  git -C "$work/root" config user.name "Carol Jones"
  eq "$(USER=root fs_sandbox_user)" "carol-jones" "git user.name when USER is root"
  eq "$(USER='' fs_sandbox_user)" "carol-jones" "git user.name when USER is empty"
  git -C "$work/root" config --unset user.name
  eq "$(USER=root HOME="$work" fs_sandbox_user)" "root" "root as a last resort"
  if (SANDBOX_USER='***' fs_sandbox_user) 2>/dev/null; then fail "an empty sanitized name is refused"; fi
}

test_backend_kept_when_url_set() {
  # shellcheck source-path=SCRIPTDIR source=lib.sh
  source "$here/lib.sh"
  export PULUMI_BACKEND_URL="s3://team-state"
  fs_select_backend 2>/dev/null
  eq "$PULUMI_BACKEND_URL" "s3://team-state" "URL unchanged"
  not_contains "$(plog)" "whoami" "whoami not needed"
}

test_backend_kept_when_logged_in() {
  # shellcheck source-path=SCRIPTDIR source=lib.sh
  source "$here/lib.sh"
  echo 0 >"$STUB/whoami_rc"
  fs_select_backend 2>/dev/null
  eq "${PULUMI_BACKEND_URL:-unset}" "unset" "logged-in backend kept"
  contains "$(plog)" "whoami" "whoami asked"
}

test_backend_local_when_not_logged_in() {
  # shellcheck source-path=SCRIPTDIR source=lib.sh
  source "$here/lib.sh"
  local err
  err="$(fs_select_backend 2>&1 >/dev/null; printf 'URL=%s' "$PULUMI_BACKEND_URL")"
  contains "$err" "URL=file://$work/root/.pulumi-state" "file backend in the project"
  contains "$err" "local state" "says so"
  [[ -d "$work/root/.pulumi-state" ]] || fail "state folder created"
}

test_backend_refused_in_github_actions() {
  if (GITHUB_ACTIONS=true bash -c "source '$here/lib.sh'; fs_select_backend" 2>/dev/null); then
    fail "no local fallback on a runner"
  fi
}

test_expiry_date() {
  # shellcheck source-path=SCRIPTDIR source=lib.sh
  source "$here/lib.sh"
  eq "$(EXPIRES=2031-02-03 fs_expiry_date)" "2031-02-03" "EXPIRES"
  eq "$(SANDBOX_DAYS=0 fs_expiry_date)" "$(date -u +%F)" "today + 0"
  local week
  week="$(fs_expiry_date)"
  fs_valid_date "$week" || fail "default is a date: $week"
  [[ "$week" > "$(date -u +%F)" ]] || fail "default is in the future: $week"
  if (EXPIRES=tomorrow fs_expiry_date) 2>/dev/null; then fail "bad EXPIRES refused"; fi
  if (SANDBOX_DAYS=-1 fs_expiry_date) 2>/dev/null; then fail "bad SANDBOX_DAYS refused"; fi
}

# --- stack.sh ---------------------------------------------------------------

test_deploy_ups_then_verifies() {
  local out rc
  out="$("$here/stack.sh" deploy dev --yes 2>&1)"; rc=$?
  eq "$rc" 0 "exit code"
  local want
  want="BACKEND= version
BACKEND= whoami
BACKEND=file://$work/root/.pulumi-state stack select --create dev
BACKEND=file://$work/root/.pulumi-state up --refresh --stack dev --yes
BACKEND=file://$work/root/.pulumi-state verify -stack dev"
  eq "$(plog)" "$want" "calls"
  contains "$out" "verifying" "announces the verifier"
}

test_deploy_returns_verifier_exit_code() {
  echo 0 >"$STUB/whoami_rc"
  echo 2 >"$STUB/verify_rc"
  "$here/stack.sh" deploy prod --yes >/dev/null 2>&1
  eq "$?" 2 "verifier timeout code"
}

# A failing `pulumi up` (a provider that fails `up` on a rollback) does not
# skip the verifier under set -e: its report is printed, and the script
# still exits non-zero (1), whatever the verifier said.
test_deploy_verifies_when_up_fails() {
  echo "error: update failed: creating ECS Service: the deployment was rolled back" >"$STUB/up_error"
  local out rc verify_rc
  for verify_rc in 0 1 2; do
    echo "$verify_rc" >"$STUB/verify_rc"
    : >"$STUB/pulumi.log"
    out="$("$here/stack.sh" deploy dev --yes 2>&1)"; rc=$?
    eq "$rc" 1 "exit code when up fails and the verifier exits $verify_rc"
    contains "$(plog)" " up --refresh --stack dev --yes
BACKEND=file://$work/root/.pulumi-state verify -stack dev" "the verifier ran after the failed up (verifier $verify_rc)"
    contains "$out" "error: update failed: creating ECS Service" "pulumi's error is shown"
    contains "$out" "pulumi up failed (exit 255): the deploy failed; the verifier's report above says what ECS did" "says why it fails"
  done
  # A failing `pulumi stack select` still stops the deploy before `up`.
  rm "$STUB/up_error"
  echo "error: could not create stack: permission denied" >"$STUB/select_error"
  : >"$STUB/pulumi.log"
  out="$("$here/stack.sh" deploy dev 2>&1)"; rc=$?
  [[ "$rc" != 0 ]] || fail "a failing stack select passed"
  not_contains "$(plog)" " up " "nothing deployed after a failing select"
  not_contains "$(plog)" "verify" "no verifier after a failing select"
}

# The real verifier path: stack.sh builds cmd/verify with go and returns its
# exit code unchanged. The project here is a stand-in module whose verifier
# prints one line and exits 2 (what the real one does on a timeout); with
# `go run` the script returned 1 and printed an extra "exit status 2".
test_deploy_builds_verifier_and_keeps_its_exit_code() {
  unset FARGATESHIP_VERIFY
  echo 0 >"$STUB/whoami_rc"
  mkdir -p "$work/root/cmd/verify"
  printf 'module example.test/fake\n\ngo 1.22\n' >"$work/root/go.mod"
  cat >"$work/root/cmd/verify/main.go" <<'GO'
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	fmt.Fprintf(os.Stderr, "verify: timed out (%s)\n", strings.Join(os.Args[1:], " "))
	os.Exit(2)
}
GO
  local out rc
  out="$("$here/stack.sh" deploy dev --yes 2>&1)"; rc=$?
  eq "$rc" 2 "the verifier's own exit code"
  contains "$out" "verify: timed out (-stack dev)" "the verifier's one line"
  not_contains "$out" "exit status" "no go run noise"
  eq "$(plog | grep -c ' up --refresh --stack dev')" 1 "pulumi up ran once"
  printf 'package main\n\nfunc main() { undefined() }\n' >"$work/root/cmd/verify/main.go"
  : >"$STUB/pulumi.log"
  out="$("$here/stack.sh" deploy dev --yes 2>&1)"; rc=$?
  eq "$rc" 1 "a verifier that does not build fails the deploy"
  contains "$out" "cannot build the deploy verifier" "says why"
  not_contains "$(plog)" " up " "nothing deployed with a broken verifier"
}

test_deploy_without_pulumi_names_it_and_creates_nothing() {
  export PULUMI_BACKEND_URL="file://$work/state"
  local out rc
  out="$(PATH="$work/nopulumi:$work/sys" "$here/stack.sh" deploy dev 2>&1)"; rc=$?
  eq "$rc" 1 "exit code"
  contains "$out" "error: pulumi is not installed or not on PATH; install the Pulumi CLI >= 3.211.0" "names pulumi and its minimum"
  contains "$out" "https://www.pulumi.com/docs/install/" "install pointer"
  not_contains "$out" "command not found" "no raw shell error"
  [[ ! -e "$work/state" && ! -e "$work/root/.pulumi-state" ]] || fail "state folder created"
  unset PULUMI_BACKEND_URL
  out="$(PATH="$work/nopulumi:$work/sys" "$here/stack.sh" preview dev 2>&1)"; rc=$?
  eq "$rc" 1 "preview exit code"
  [[ ! -e "$work/root/.pulumi-state" ]] || fail "local state folder created without pulumi"
}

test_deploy_names_every_missing_tool() {
  local out rc
  mkdir -p "$work/onlypulumi"
  ln -sf "$work/bin/pulumi" "$work/onlypulumi/pulumi"
  # sys without go: a folder of links to everything in sys but go.
  mkdir -p "$work/nogo"
  local f
  for f in "$work/sys/"*; do [[ "$(basename "$f")" == go* ]] || ln -sf "$(readlink "$f")" "$work/nogo/$(basename "$f")"; done
  out="$(PATH="$work/onlypulumi:$work/nogo" "$here/stack.sh" deploy dev 2>&1)"; rc=$?
  eq "$rc" 1 "exit code"
  contains "$out" "error: go is not installed or not on PATH; install Go >=" "go named"
  contains "$out" "error: docker is not installed or not on PATH; install Docker Engine >= 20.10" "docker named"
  contains "$out" "error: aws is not installed or not on PATH; install the AWS CLI v2" "aws named"
  eq "$(plog)" "BACKEND= version" "pulumi asked only for its version"
  # A preview builds the image (buildOnPreview) and the program (the Go
  # language host runs go build): docker and go are needed.
  out="$(PATH="$work/onlypulumi:$work/nogo" "$here/stack.sh" preview dev 2>&1)"; rc=$?
  eq "$rc" 1 "preview exit code"
  contains "$out" "error: docker is not installed" "preview names docker"
  contains "$out" "error: go is not installed" "preview names go"
  # destroy runs no program and builds nothing: pulumi and aws only.
  out="$(PATH="$work/onlypulumi:$work/nogo" "$here/stack.sh" destroy dev --yes 2>&1)"; rc=$?
  eq "$rc" 1 "destroy exit code"
  contains "$out" "error: aws is not installed" "destroy names aws"
  not_contains "$out" "error: docker" "destroy needs no docker"
  not_contains "$out" "error: go" "destroy needs no go"
}

# The daemon, not just the docker CLI: one line per problem, before pulumi
# runs. The engine minimum is 20.10 (the oldest the image test passes on).
test_docker_engine_checked() {
  local out rc
  touch "$STUB/docker_down"
  out="$("$here/stack.sh" preview dev 2>&1)"; rc=$?
  eq "$rc" 1 "daemon down"
  contains "$out" "error: the Docker daemon does not answer (Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?); start it" "daemon down named with docker's reason"
  eq "$(plog)" "BACKEND= version" "pulumi asked only for its version"
  rm "$STUB/docker_down"
  echo "19.03.15 linux" >"$STUB/docker_server"
  out="$("$here/stack.sh" preview dev 2>&1)"; rc=$?
  eq "$rc" 1 "old engine"
  contains "$out" "error: Docker Engine 19.03.15 is too old; install Docker Engine >= 20.10, daemon running" "old engine named"
  echo "10.0.17763 windows" >"$STUB/docker_server"
  out="$("$here/stack.sh" preview dev 2>&1)"; rc=$?
  eq "$rc" 1 "windows engine"
  contains "$out" "error: the Docker engine runs windows containers" "windows engine named"
  echo "20.10.24+dfsg1 linux" >"$STUB/docker_server"
  echo 0 >"$STUB/whoami_rc"
  out="$("$here/stack.sh" preview dev 2>&1)"; rc=$?
  eq "$rc" 0 "Debian's 20.10 engine is enough: $out"
  eq "$(echo "$out" | grep -c '^error:')" 0 "no error line"
}

# AWS CLI v2 and working credentials, before pulumi runs; whose they are
# is said on one line.
test_aws_cli_and_credentials_checked() {
  local out rc
  echo "aws-cli/1.45.11 Python/3.11.7 Linux/6.18.44 botocore/1.43.11" >"$STUB/aws_version"
  touch "$STUB/aws_no_credentials"
  out="$("$here/stack.sh" preview dev 2>&1)"; rc=$?
  eq "$rc" 1 "exit code"
  contains "$out" "error: aws 1.45.11 is too old; install the AWS CLI v2 (>= 2.0; v1 lacks aws logs tail)" "v1 refused"
  contains "$out" 'error: no working AWS credentials (aws sts get-caller-identity: Unable to locate credentials. You can configure credentials by running "aws configure".); run aws configure or aws sso login, or set AWS_PROFILE' "no credentials named with the CLI's reason"
  eq "$(plog)" "BACKEND= version" "pulumi asked only for its version"
  rm "$STUB/aws_version" "$STUB/aws_no_credentials"
  out="$("$here/stack.sh" preview dev 2>&1)"; rc=$?
  eq "$rc" 0 "exit code with credentials"
  contains "$out" "==> AWS credentials: arn:aws:iam::123456789012:user/alice" "whose credentials"
  out="$("$here/sandbox.sh" down 2>&1)"
  contains "$out" "==> AWS credentials: arn:aws:iam::123456789012:user/alice" "sandbox down checks them too"
}

# Outside a terminal pulumi up and destroy stop on "--yes or --skip-preview
# must be passed": the script says so first, before anything is built,
# selected or created, and lets through what pulumi would let through.
test_deploy_outside_a_terminal_needs_yes() {
  local out rc
  out="$("$here/stack.sh" deploy dev </dev/null 2>&1)"; rc=$?
  eq "$rc" 1 "exit code"
  contains "$out" "error: pulumi asks to confirm the deploy and cannot here (its input or output is not a terminal): run make deploy ARGS=--yes" "says what to pass"
  eq "$(plog)" "BACKEND= version" "nothing selected, created or built"
  out="$("$here/stack.sh" destroy dev 2>&1)"; rc=$?
  eq "$rc" 1 "destroy exit code"
  contains "$out" "run make destroy ARGS=--yes" "destroy says it too"
  local flag
  for flag in --yes -y --skip-preview -f; do
    : >"$STUB/pulumi.log"
    "$here/stack.sh" deploy dev "$flag" >/dev/null 2>&1 || fail "deploy $flag refused"
    contains "$(plog)" "up --refresh --stack dev $flag" "up ran with $flag"
  done
  : >"$STUB/pulumi.log"
  PULUMI_SKIP_CONFIRMATIONS=true "$here/stack.sh" deploy dev >/dev/null 2>&1 || fail "PULUMI_SKIP_CONFIRMATIONS=true refused"
  "$here/stack.sh" preview dev >/dev/null 2>&1 || fail "preview asks nothing: no --yes needed"
}

# In a terminal (a pseudo-terminal from util-linux script(1)) nothing is
# refused: pulumi asks its own question there.
test_deploy_in_a_terminal_needs_no_yes() {
  script --version 2>/dev/null | grep -q util-linux || skip "needs script(1) from util-linux for a pseudo-terminal"
  local out
  out="$(TERM=xterm script -qec "'$here/stack.sh' deploy dev" /dev/null 2>&1)" || fail "deploy in a terminal refused: $out"
  contains "$(plog)" "up --refresh --stack dev" "pulumi up ran"
  not_contains "$out" "ARGS=--yes" "no --yes demanded"
}

test_old_pulumi_refused() {
  echo v3.200.0 >"$STUB/version"
  local out rc
  out="$("$here/stack.sh" preview dev 2>&1)"; rc=$?
  eq "$rc" 1 "exit code"
  contains "$out" "error: pulumi 3.200.0 is too old; install the Pulumi CLI >= 3.211.0" "says so"
  eq "$(plog)" "BACKEND= version" "nothing but the version asked"
}

test_preview_and_destroy() {
  echo 0 >"$STUB/whoami_rc"
  "$here/stack.sh" preview staging --diff >/dev/null 2>&1 || fail "preview failed"
  "$here/stack.sh" destroy staging --yes >/dev/null 2>&1 || fail "destroy failed"
  eq "$(plog)" "BACKEND= version
BACKEND= whoami
BACKEND= stack select --create staging
BACKEND= preview --stack staging --diff
BACKEND= version
BACKEND= whoami
BACKEND= stack select staging
BACKEND= destroy --stack staging --yes" "calls"
}

test_stack_usage_errors() {
  "$here/stack.sh" deploy >/dev/null 2>&1
  eq "$?" 3 "missing stack"
  "$here/stack.sh" launch dev >/dev/null 2>&1
  eq "$?" 3 "unknown action"
  if "$here/stack.sh" deploy 'dev;rm' >/dev/null 2>&1; then fail "bad stack name accepted"; fi
}

# --- make check (scripts/check.sh) ------------------------------------------

# The checker is built, not run with `go run`: its own lines and exit code
# pass through (go run added "exit status 1" and made every failure 1). The
# project here is a stand-in module whose checker prints one line.
test_check_builds_the_checker_and_keeps_its_exit_code() {
  mkdir -p "$work/root/cmd/check"
  printf 'module example.test/fake\n\ngo 1.22\n' >"$work/root/go.mod"
  cat >"$work/root/cmd/check/main.go" <<'GO'
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintf(os.Stderr, "Pulumi.%s.yaml: invalid stack configuration\n", os.Args[1])
	os.Exit(2)
}
GO
  local out rc
  out="$("$here/check.sh" dev 2>&1)"; rc=$?
  eq "$rc" 2 "the checker's own exit code"
  eq "$out" "Pulumi.dev.yaml: invalid stack configuration" "the checker's line and nothing else"
  printf 'package main\n\nfunc main() { undefined() }\n' >"$work/root/cmd/check/main.go"
  out="$("$here/check.sh" dev 2>&1)"; rc=$?
  eq "$rc" 1 "a checker that does not build"
  contains "$out" "error: cannot build the stack-file checker (go build ./cmd/check)" "says why"
}

# The real checker through make: a misspelt key is named with the key
# that was meant, with no go run noise.
test_make_check_names_a_misspelt_key() {
  printf 'config:\n  aws:region: us-east-1\n  fargateship:desiredCont: "3"\n' >"$work/Pulumi.typo.yaml"
  local out rc
  out="$(FARGATESHIP_ROOT="$here/.." make -s -C "$here/.." check STACK="$work/Pulumi.typo.yaml" 2>&1)"; rc=$?
  eq "$rc" 2 "make's exit code for a failed recipe"
  contains "$out" 'Pulumi.typo.yaml: invalid stack configuration:
  - config key "fargateship:desiredCont" is not declared in Pulumi.yaml, so nothing reads it: did you mean desiredCount?' "names the key and the suggestion"
  not_contains "$out" "exit status" "no go run noise"
}

# --- sandbox.sh -------------------------------------------------------------

test_sandbox_up_without_load_balancer_prints_task_ip() {
  export EXPIRES=2031-01-31 USER=Alice.Smith
  echo eu-west-1 >"$STUB/outputs/region"
  echo fargateship-sandbox-alice-smith >"$STUB/outputs/clusterName"
  echo fargateship-sandbox-alice-smith >"$STUB/outputs/serviceName"
  echo "aws logs tail /ecs/x --follow" >"$STUB/outputs/logsCommand"
  echo arn:aws:ecs:eu-west-1:1:task/c/abc >"$STUB/aws_task"
  echo 9090 >"$STUB/config/containerPort"
  local out
  out="$(AWS_REGION=eu-west-1 "$here/sandbox.sh" up 2>&1)" || fail "sandbox up failed: $out"
  [[ -f "$work/root/Pulumi.sandbox-alice-smith.yaml" ]] || fail "preset copied to the stack file"
  eq "$(cat "$work/root/Pulumi.sandbox-alice-smith.yaml")" "$(cat "$work/root/presets/sandbox.yaml")" "stack file is the preset"
  local calls
  calls="$(plog | sed 's/^BACKEND=[^ ]* //' | grep -v '^stack output\|^config get containerPort')"
  eq "$calls" "version
whoami
stack select --create sandbox-alice-smith
config get aws:region --stack sandbox-alice-smith
config set aws:region eu-west-1 --stack sandbox-alice-smith
stack tag set owner alice-smith --stack sandbox-alice-smith
stack tag set expires 2031-01-31 --stack sandbox-alice-smith
up --yes --refresh --stack sandbox-alice-smith" "pulumi calls"
  contains "$out" "http://203.0.113.7:9090/" "task URL"
  contains "$out" "aws logs tail" "logs command"
  local aws
  aws="$(cat "$STUB/aws.log")"
  contains "$aws" "ecs list-tasks --region eu-west-1 --cluster fargateship-sandbox-alice-smith --service-name fargateship-sandbox-alice-smith --desired-status RUNNING" "list-tasks"
  contains "$aws" "ecs describe-tasks --region eu-west-1 --cluster fargateship-sandbox-alice-smith --tasks arn:aws:ecs:eu-west-1:1:task/c/abc" "describe-tasks"
  contains "$aws" "ec2 describe-network-interfaces --region eu-west-1 --network-interface-ids eni-0abc" "ENI lookup"
}

test_sandbox_up_keeps_existing_stack_file_and_prints_url() {
  echo "config: {}" >"$work/root/Pulumi.sandbox-alice.yaml"
  echo us-east-1 >"$STUB/config/aws:region"
  echo "http://lb.example.test" >"$STUB/outputs/url"
  local out
  out="$(SANDBOX_DAYS=3 "$here/sandbox.sh" up --diff 2>&1)" || fail "sandbox up failed: $out"
  eq "$(cat "$work/root/Pulumi.sandbox-alice.yaml")" "config: {}" "existing stack file kept"
  contains "$out" "http://lb.example.test" "URL printed"
  contains "$(plog)" "stack tag set expires $(SANDBOX_DAYS=3 bash -c "source '$here/lib.sh'; fs_expiry_date") --stack sandbox-alice" "expiry in 3 days"
  contains "$(plog)" "up --yes --refresh --stack sandbox-alice --diff" "extra flags"
  not_contains "$(plog)" "config set aws:region" "region kept"
  eq "$(grep -v -e '^--version$' -e '^sts get-caller-identity ' "$STUB/aws.log")" "" "no AWS CLI calls but the tool checks"
}

test_sandbox_up_needs_a_region() {
  local out
  if out="$("$here/sandbox.sh" up 2>&1)"; then fail "no region accepted"; fi
  contains "$out" "no AWS region: set AWS_REGION" "says what to set"
  [[ ! -e "$work/root/Pulumi.sandbox-alice.yaml" ]] || fail "stack file created without a region"
  [[ ! -e "$work/root/.pulumi-state" ]] || fail "state folder created without a region"
  eq "$(plog | sed 's/^BACKEND=[^ ]* //')" "version" "no stack selected or created"
}

test_sandbox_up_region_from_stack_file() {
  printf 'config:\n  aws:region: eu-north-1 # Stockholm\n' >"$work/root/Pulumi.sandbox-alice.yaml"
  echo eu-north-1 >"$STUB/config/aws:region"
  echo "http://lb.example.test" >"$STUB/outputs/url"
  "$here/sandbox.sh" up >/dev/null 2>&1 || fail "region in the stack file not found"
  contains "$(plog)" "up --yes --refresh --stack sandbox-alice" "deployed"
}

test_sandbox_up_without_pulumi_leaves_nothing_behind() {
  export PULUMI_BACKEND_URL="file://$work/state" AWS_REGION=eu-west-1
  local out rc
  out="$(PATH="$work/nopulumi:$work/sys" "$here/sandbox.sh" up 2>&1)"; rc=$?
  eq "$rc" 1 "exit code"
  contains "$out" "error: pulumi is not installed or not on PATH; install the Pulumi CLI >= 3.211.0" "names pulumi"
  not_contains "$out" "command not found" "no raw shell error"
  [[ ! -e "$work/root/Pulumi.sandbox-alice.yaml" ]] || fail "stack file left behind"
  [[ ! -e "$work/state" ]] || fail "state folder created"
}

test_sandbox_down_destroys_then_removes() {
  echo 0 >"$STUB/whoami_rc"
  "$here/sandbox.sh" down >/dev/null 2>&1 || fail "sandbox down failed"
  eq "$(plog)" "BACKEND= version
BACKEND= whoami
BACKEND= stack select sandbox-alice
BACKEND= destroy --yes --stack sandbox-alice
BACKEND= stack rm --yes --stack sandbox-alice" "calls"
}

test_sandbox_down_without_stack() {
  echo sandbox-alice >"$STUB/missing_stacks"
  local out
  out="$("$here/sandbox.sh" down 2>&1)" || fail "missing stack is not an error: $out"
  contains "$out" "no stack sandbox-alice: nothing to remove" "says so"
  not_contains "$(plog)" "destroy" "nothing destroyed"
  # Older CLIs: the same message with exit 255; a qualified name
  # (organization/project/stack) too.
  rm "$STUB/missing_stacks"
  echo 255 >"$STUB/select_rc"
  echo "error: no stack named 'organization/fargateship/sandbox-alice' found" >"$STUB/select_error"
  out="$("$here/sandbox.sh" down 2>&1)" || fail "qualified missing stack is not an error: $out"
  # Another stack's absence is not this one's.
  echo "error: no stack named 'sandbox-alice2' found" >"$STUB/select_error"
  if "$here/sandbox.sh" down >/dev/null 2>&1; then fail "another stack's message taken as this one's"; fi
  # Exit code 6 is the CLI's ExitStackNotFound, whatever the text.
  echo 6 >"$STUB/select_rc"
  echo "error: stack not found" >"$STUB/select_error"
  "$here/sandbox.sh" down >/dev/null 2>&1 || fail "exit code 6 is a missing stack"
}

# Any other failure of `pulumi stack select` is not "nothing to remove": the
# sandbox may still run. Exit codes and messages are the real CLI's
# (v3.274.1): not logged in to a Pulumi Cloud URL, a Cloud URL that refuses
# connections, a file backend folder that does not exist.
test_sandbox_down_fails_when_the_backend_fails() {
  local line code msg out rc
  while IFS= read -r line; do
    [[ -n "$line" ]] || continue
    code="${line%% *}" msg="${line#* }"
    : >"$STUB/pulumi.log"
    printf '%s\n' "$msg" >"$STUB/select_error"
    echo "$code" >"$STUB/select_rc"
    out="$("$here/sandbox.sh" down 2>&1)"; rc=$?
    eq "$rc" 1 "exit code for: $msg"
    contains "$out" "$msg" "pulumi's reason shown"
    contains "$out" "the sandbox may still exist" "says what it means"
    not_contains "$out" "nothing to remove" "not reported as removed"
    not_contains "$(plog)" "destroy" "nothing destroyed"
  done <<'MSGS'
3 error: PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions
1 error: performing HTTP request: Get "http://127.0.0.1:9/api/user": dial tcp 127.0.0.1:9: connect: connection refused
1 error: unable to open state directory "file:///nonexistent/dir": stat /nonexistent/dir: no such file or directory
MSGS
}

# The same against the real Pulumi CLI, when FS_REAL_PULUMI names one (CI
# does not build it; see docs in scripts/sandbox.sh): a file backend without
# the stack, a file backend folder that does not exist, a Cloud URL that
# refuses connections.
test_sandbox_down_with_real_pulumi_cli() {
  [[ -n "${FS_REAL_PULUMI:-}" ]] || skip "set FS_REAL_PULUMI=/path/to/pulumi to run it"
  mkdir -p "$work/real" "$work/state"
  ln -sf "$FS_REAL_PULUMI" "$work/real/pulumi"
  ln -sf "$work/bin/aws" "$work/real/aws"
  printf 'name: fargateship\nruntime: go\n' >"$work/root/Pulumi.yaml"
  export PULUMI_HOME="$work/pulumi-home" PULUMI_SKIP_UPDATE_CHECK=true PULUMI_CONFIG_PASSPHRASE=x
  local out rc
  out="$(PULUMI_BACKEND_URL="file://$work/state" PATH="$work/real:$work/sys" "$here/sandbox.sh" down 2>&1)"; rc=$?
  eq "$rc" 0 "missing stack on a file backend"
  contains "$out" "no stack sandbox-alice: nothing to remove" "nothing to remove"
  out="$(PULUMI_BACKEND_URL="file://$work/nonexistent" PATH="$work/real:$work/sys" "$here/sandbox.sh" down 2>&1)"; rc=$?
  eq "$rc" 1 "missing state folder"
  contains "$out" "unable to open state directory" "pulumi's reason"
  out="$(PULUMI_ACCESS_TOKEN=pul-x PULUMI_BACKEND_URL=http://127.0.0.1:9 PATH="$work/real:$work/sys" "$here/sandbox.sh" down 2>&1)"; rc=$?
  eq "$rc" 1 "unreachable backend"
  contains "$out" "connection refused" "pulumi's reason"
  not_contains "$out" "nothing to remove" "not reported as removed"
}

test_sandbox_down_without_pulumi() {
  export PULUMI_BACKEND_URL="file://$work/state"
  local out rc
  out="$(PATH="$work/nopulumi:$work/sys" "$here/sandbox.sh" down 2>&1)"; rc=$?
  eq "$rc" 1 "exit code"
  contains "$out" "error: pulumi is not installed or not on PATH" "names pulumi"
  not_contains "$out" "nothing to remove" "not reported as removed"
}

# --- Makefile tool checks (scripts/tools.sh) ---------------------------------

test_make_lint_names_each_missing_linter() {
  local out rc
  out="$(PATH="$work/sys" GOPATH="$work/gopath" make -s -C "$here/.." lint 2>&1)"; rc=$?
  [[ $rc -ne 0 ]] || fail "make lint passed without linters"
  local t
  for t in actionlint shellcheck yamllint golangci-lint; do
    contains "$out" "error: $t is not installed or not on PATH; get $t" "$t named"
  done
  contains "$out" "make tools" "how to get them"
  not_contains "$out" "command not found" "no raw shell errors"
  not_contains "$out" "==> actionlint" "no linter run"
}

test_make_test_fails_in_ci_without_moto() {
  local out rc
  # Bounded: a make test that does not stop at the check would run the whole
  # suite (this script included) again.
  out="$(CI=true PATH="$work/sys" timeout 120 make -s -C "$here/.." test 2>&1)"; rc=$?
  eq "$rc" 2 "make's exit code for a failed recipe"
  contains "$out" "error: moto_server is not on PATH and CI=true" "says why"
  contains "$out" "pip install 'moto[server]==5.2.1'" "names the install command"
  not_contains "$out" "ok  " "no test ran"
}

test_test_prereqs_warn_locally_without_moto() {
  local out rc
  out="$(env -u CI FARGATESHIP_ROOT="$here/.." PATH="$work/sys" "$here/tools.sh" test 2>&1)"; rc=$?
  eq "$rc" 0 "exit code"
  contains "$out" "WARNING: moto_server is not on PATH: the verifier's tests against moto will be SKIPPED" "visible warning"
  contains "$out" "pip install 'moto[server]==5.2.1'" "install command"
  out="$(FARGATESHIP_ROOT="$here/.." PATH="$work/bin:$work/sys" CI=false "$here/tools.sh" test 2>&1)"; rc=$?
  eq "$rc" 0 "CI=false is not CI"
  mkdir -p "$work/moto"
  printf '#!/bin/sh\n' >"$work/moto/moto_server"
  chmod +x "$work/moto/moto_server"
  out="$(FARGATESHIP_ROOT="$here/.." CI=true PATH="$work/moto:$work/sys" "$here/tools.sh" test 2>&1)"; rc=$?
  eq "$rc" 0 "moto_server present in CI"
  eq "$out" "" "nothing to say"
}

test_tools_pins_come_from_ci_run() {
  # shellcheck source-path=SCRIPTDIR source=lib.sh
  FARGATESHIP_ROOT="$here/.." source "$here/lib.sh"
  local want
  want="$(sed -n 's/^GOLANGCI_LINT_VERSION=//p' "$here/../.ci/run")"
  [[ "$want" == v* ]] || fail ".ci/run pins golangci-lint: '$want'"
  eq "$(fs_ci_pin GOLANGCI_LINT_VERSION)" "$want" "golangci-lint"
  eq "$(fs_ci_pin ACTIONLINT_VERSION)" "$(sed -n 's/^ACTIONLINT_VERSION=//p' "$here/../.ci/run")" "actionlint"
  eq "$(fs_go_min)" "$(sed -n 's/^go //p' "$here/../go.mod")" "Go minimum from go.mod"
}

# --- make scan: Trivy found, missing, or another version ---------------------

# trivy_stub DIR VERSION puts a trivy in DIR that reports VERSION.
trivy_stub() {
  mkdir -p "$1"
  cat >"$1/trivy" <<STUB
#!/bin/sh
[ "\$1" = --version ] && echo "Version: $2"
exit 0
STUB
  chmod +x "$1/trivy"
}

test_scan_skips_locally_without_trivy() {
  local out rc
  out="$(env -u CI SCAN_MARKDOWN="$work/scan.md" FARGATESHIP_ROOT="$here/.." PATH="$work/sys" GOPATH="$work/notrivy-gopath" \
    "$here/tools.sh" scan --if-trivy 2>&1)"; rc=$?
  eq "$rc" 0 "exit code"
  contains "$out" "WARNING: trivy is not installed (not on PATH nor in \$(go env GOPATH)/bin): the security scan (make scan) is SKIPPED" "visible warning"
  contains "$out" "GOEXPERIMENT=jsonv2 go install -ldflags \"-X github.com/aquasecurity/trivy/pkg/version/app.ver=0.74.0\" github.com/aquasecurity/trivy/cmd/trivy@v0.74.0" "install command"
  contains "$(cat "$work/scan.md")" "<!-- scan: skipped -->" "the PR comment says so too"
}

test_scan_fails_in_ci_without_trivy() {
  local out rc
  out="$(CI=true FARGATESHIP_ROOT="$here/.." PATH="$work/sys" GOPATH="$work/notrivy-gopath" "$here/tools.sh" scan --if-trivy 2>&1)"; rc=$?
  eq "$rc" 1 "exit code"
  contains "$out" "error: trivy is not installed (not on PATH nor in \$(go env GOPATH)/bin) and CI=true: the security scan cannot run; install it with: GOEXPERIMENT=jsonv2 go install" "says why and how"
  not_contains "$out" "WARNING" "no skip"
}

test_make_scan_fails_without_trivy() {
  local out rc
  out="$(env -u CI PATH="$work/sys" GOPATH="$work/notrivy-gopath" make -s -C "$here/.." scan 2>&1)"; rc=$?
  eq "$rc" 2 "make's exit code for a failed recipe"
  contains "$out" "error: trivy is not installed" "says why"
  contains "$out" "go install -ldflags" "names the install command"
  not_contains "$out" "ok:" "nothing scanned"
}

test_scan_refuses_another_trivy_version() {
  trivy_stub "$work/oldtrivy" dev
  local out rc
  out="$(env -u CI FARGATESHIP_ROOT="$here/.." PATH="$work/oldtrivy:$work/sys" "$here/tools.sh" scan 2>&1)"; rc=$?
  eq "$rc" 1 "exit code"
  contains "$out" "$work/oldtrivy/trivy is Trivy dev, not 0.74.0" "names the version found"
  out="$(env -u CI FARGATESHIP_ROOT="$here/.." PATH="$work/oldtrivy:$work/sys" "$here/tools.sh" scan --if-trivy 2>&1)"; rc=$?
  eq "$rc" 0 "make test skips locally"
  contains "$out" "WARNING: $work/oldtrivy/trivy is Trivy dev, not 0.74.0" "and says so"
}

# The scanner is built (no `go run` noise), finds trivy in GOPATH/bin, gets
# its path, the Markdown file and the arguments, and its exit code is kept.
test_scan_builds_and_runs_with_found_trivy() {
  rm -rf "$work/scan-gopath"
  trivy_stub "$work/scan-gopath/bin" 0.74.0
  mkdir -p "$work/root/cmd/scan"
  printf 'module example.test/fake\n\ngo 1.22\n' >"$work/root/go.mod"
  cat >"$work/root/cmd/scan/main.go" <<'GO'
package main

import (
	"fmt"
	"os"
	"strings"
)

func main() {
	fmt.Printf("scan %s\n", strings.Join(os.Args[1:], " "))
	os.Exit(1)
}
GO
  local out rc
  out="$(env -u CI SCAN_MARKDOWN="$work/scan.md" PATH="$work/sys" GOPATH="$work/scan-gopath" "$here/tools.sh" scan -v prod 2>&1)"; rc=$?
  eq "$rc" 1 "the scanner's exit code"
  eq "$out" "scan -trivy $work/scan-gopath/bin/trivy -markdown $work/scan.md -v prod" "arguments"
}

test_install_trivy_only_when_missing() {
  rm -rf "$work/install-gopath"
  mkdir -p "$work/fakego"
  cat >"$work/fakego/go" <<'STUB'
#!/usr/bin/env bash
[[ "$1 $2" == "env GOPATH" ]] && { echo "$FAKE_GOPATH"; exit 0; }
printf 'GOEXPERIMENT=%s go %s\n' "${GOEXPERIMENT:-}" "$*" >>"$STUB/go.log"
STUB
  chmod +x "$work/fakego/go"
  local out
  out="$(FAKE_GOPATH="$work/install-gopath" PATH="$work/fakego:$work/sys" "$here/tools.sh" install-trivy 2>&1)" || fail "install failed: $out"
  eq "$(cat "$STUB/go.log")" 'GOEXPERIMENT=jsonv2 go install -ldflags -X github.com/aquasecurity/trivy/pkg/version/app.ver=0.74.0 github.com/aquasecurity/trivy/cmd/trivy@v0.74.0' "builds the pinned version"
  : >"$STUB/go.log"
  trivy_stub "$work/install-gopath/bin" 0.74.0
  out="$(FAKE_GOPATH="$work/install-gopath" PATH="$work/fakego:$work/sys" "$here/tools.sh" install-trivy 2>&1)" || fail "second run failed: $out"
  eq "$(cat "$STUB/go.log")" "" "nothing built when 0.74.0 is there"
  contains "$out" "trivy 0.74.0 already installed ($work/install-gopath/bin/trivy)" "says so"
}

# --- pr-comment.sh ------------------------------------------------------------

test_pr_comment_scan_output() {
  printf '<!-- scan: new-findings -->\n### Security scan\n\n**New findings**\n' >"$work/scan.md"
  SCAN_MARKDOWN="$work/scan.md" GITHUB_OUTPUT="$work/out" "$here/pr-comment.sh" scan-output >/dev/null || fail "scan-output failed"
  contains "$(cat "$work/out")" "status=new-findings" "status"
  contains "$(cat "$work/out")" "**New findings**" "report"
  local delim
  delim="$(sed -n 's/^report<<//p' "$work/out")"
  [[ -n "$delim" && "$(tail -n1 "$work/out")" == "$delim" ]] || fail "multi-line output delimited: $(cat "$work/out")"
  : >"$work/out"
  SCAN_MARKDOWN="$work/none.md" GITHUB_OUTPUT="$work/out" "$here/pr-comment.sh" scan-output >/dev/null || fail "scan-output without report failed"
  contains "$(cat "$work/out")" "status=not-run" "no report: not run"
  contains "$(cat "$work/out")" "stopped before" "says why"
}

test_pr_comment_posts_then_edits() {
  cat >"$work/bin/gh" <<'STUB'
#!/usr/bin/env bash
printf '%s\n' "$*" >>"$STUB/gh.log"
for a in "$@"; do [[ "$a" == body=@* ]] && cp "${a#body=@}" "$STUB/gh.body"; done
[[ "$*" == *"--paginate"* ]] && cat "$STUB/gh_comment_id" 2>/dev/null
exit 0
STUB
  chmod +x "$work/bin/gh"
  export GITHUB_REPOSITORY=acme/fargateship PR_NUMBER=42 STACK=acme/dev PREVIEW_OUTCOME=success
  export PREVIEW="+ aws:ecs/service:Service app update" SCAN_REPORT=$'<!-- scan: ok -->\n### Security scan\n\nNo new findings'
  local out
  out="$("$here/pr-comment.sh" post 2>&1)" || fail "post failed: $out"
  contains "$(cat "$STUB/gh.log")" "api -X POST repos/acme/fargateship/issues/42/comments -F body=@" "posts a new comment"
  local body
  body="$(cat "$STUB/gh.body")"
  eq "$(head -n1 "$STUB/gh.body")" "<!-- fargateship: pull-request preview -->" "marker first"
  contains "$body" "pulumi preview\` of \`acme/dev\`" "the stack"
  contains "$body" "+ aws:ecs/service:Service app update" "the preview"
  contains "$body" "No new findings" "the scan"
  not_contains "$body" "did not succeed" "a good preview"
  : >"$STUB/gh.log"
  echo 77 >"$STUB/gh_comment_id"
  PREVIEW_OUTCOME=failure "$here/pr-comment.sh" post >/dev/null 2>&1 || fail "edit failed"
  contains "$(cat "$STUB/gh.log")" "api -X PATCH repos/acme/fargateship/issues/comments/77 -F body=@" "edits its comment"
  contains "$(cat "$STUB/gh.body")" "The preview did not succeed (failure)" "a failed preview says so"
  rm -f "$work/bin/gh"
}

# --- sandbox-reaper.sh ------------------------------------------------------

reaper_fixture() {
  echo 0 >"$STUB/whoami_rc"
  export FS_TODAY=2030-06-15
  cat >"$STUB/stack_ls.json" <<'JSON'
[{"name":"dev"},{"name":"prod"},{"name":"acme/sandbox-old"},{"name":"sandbox-today"},
 {"name":"sandbox-new"},{"name":"sandbox-untagged"},{"name":"sandbox-garbled"},{"name":"sandbox-broken"}]
JSON
  mkdir -p "$STUB/tags/acme"
  echo 2030-06-14 >"$STUB/tags/acme/sandbox-old.expires"
  echo 2030-06-15 >"$STUB/tags/sandbox-today.expires"
  echo 2030-07-01 >"$STUB/tags/sandbox-new.expires"
  echo soon >"$STUB/tags/sandbox-garbled.expires"
  echo 2029-01-01 >"$STUB/tags/sandbox-broken.expires"
  echo 2029-01-01 >"$STUB/tags/dev.expires"
}

test_reaper_destroys_only_expired_sandboxes() {
  reaper_fixture
  touch "$STUB/destroy_fails/sandbox-broken"
  local out rc
  out="$("$here/sandbox-reaper.sh" 2>&1)"; rc=$?
  eq "$rc" 1 "a failed destroy fails the run"
  local destroys
  destroys="$(plog | grep -E ' (destroy|stack rm) ' | sed 's/^BACKEND=[^ ]* //')"
  eq "$destroys" "destroy --yes --stack acme/sandbox-old
stack rm --yes --stack acme/sandbox-old
destroy --yes --stack sandbox-broken" "only expired sandboxes"
  contains "$out" "sandbox-untagged: no valid 'expires' tag" "untagged reported"
  contains "$out" "sandbox-garbled: no valid 'expires' tag ('soon')" "garbled reported"
  contains "$out" "sandbox-today: expires 2030-06-15; kept" "expiry day itself kept"
}

test_reaper_restores_missing_stack_files_from_state() {
  reaper_fixture
  cat >"$STUB/exports/acme/sandbox-old.json" <<'JSON'
{"version":3,"deployment":{"secrets_providers":{"type":"passphrase","state":{"salt":"v1:abc:def"}},"resources":[]}}
JSON
  cat >"$STUB/exports/sandbox-broken.json" <<'JSON'
{"version":3,"deployment":{"secrets_providers":{"type":"cloud","state":{"url":"awskms://alias/pulumi?region=us-east-1","dataKey":"AQID"}}}}
JSON
  echo "encryptionsalt: mine" >"$work/root/Pulumi.sandbox-broken.yaml"
  "$here/sandbox-reaper.sh" >/dev/null 2>&1
  eq "$(cat "$work/root/Pulumi.sandbox-old.yaml")" "encryptionsalt: v1:abc:def" "passphrase salt restored"
  eq "$(cat "$work/root/Pulumi.sandbox-broken.yaml")" "encryptionsalt: mine" "existing file kept"
  rm "$work/root/Pulumi.sandbox-broken.yaml"
  "$here/sandbox-reaper.sh" >/dev/null 2>&1
  eq "$(cat "$work/root/Pulumi.sandbox-broken.yaml")" "secretsprovider: awskms://alias/pulumi?region=us-east-1
encryptedkey: AQID" "KMS provider restored"
  [[ ! -f "$work/root/Pulumi.sandbox-new.yaml" ]] || fail "kept stacks get no file"
}

# A stack named sandbox-* whose state lists another stack's resources (a
# planted or hand-edited state) is refused, not destroyed.
test_reaper_refuses_stacks_listing_other_stacks_resources() {
  reaper_fixture
  mkdir -p "$STUB/exports/acme"
  cat >"$STUB/exports/acme/sandbox-old.json" <<'JSON'
{"version":3,"deployment":{"resources":[
 {"type":"aws:ecr/repository:Repository","inputs":{"tags":{"stack":"sandbox-old"}},"outputs":{"tags":{"stack":"sandbox-old"}}},
 {"type":"aws:ecs/service:Service","inputs":{"tags":{"stack":"prod"}},"outputs":{"tags":{"stack":"prod"}}},
 {"type":"aws:iam/role:Role","inputs":{"tags":{"stack":"dev"}}},
 {"type":"pulumi:pulumi:Stack","inputs":{}}]}}
JSON
  cat >"$STUB/exports/sandbox-broken.json" <<'JSON'
{"version":3,"deployment":{"resources":[{"type":"aws:ecr/repository:Repository","inputs":{"tags":{"stack":"sandbox-broken"}}}]}}
JSON
  local out rc
  out="$("$here/sandbox-reaper.sh" 2>&1)"; rc=$?
  eq "$rc" 1 "a refused stack fails the run"
  contains "$out" "acme/sandbox-old: its state lists resources of other stacks (stack tag: dev, prod); left alone" "reported"
  local destroys
  destroys="$(plog | grep -E ' (destroy|stack rm) ' | sed 's/^BACKEND=[^ ]* //')"
  eq "$destroys" "destroy --yes --stack sandbox-broken
stack rm --yes --stack sandbox-broken" "only the sandbox with its own resources"
}

test_reaper_dry_run_destroys_nothing() {
  reaper_fixture
  local out
  out="$("$here/sandbox-reaper.sh" --dry-run 2>&1)" || fail "dry run failed: $out"
  not_contains "$(plog)" "destroy" "no destroy"
  contains "$out" "acme/sandbox-old: expired 2030-06-14; would destroy" "reports"
}

BASE_PATH="$PATH"
command -v jq >/dev/null || { echo "test-delivery.sh needs jq" >&2; exit 1; }
make_stubs
for t in $(declare -F | awk '{print $3}' | grep '^test_'); do
  run_test "$t"
done
printf '%d passed, %d failed, %d skipped\n' "$passed" "$failed" "$skipped"
[[ $failed -eq 0 ]]
