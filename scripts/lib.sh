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

# Minimum versions the scripts rely on, and where to get each tool.
#   pulumi 3.211.0: first release with stack tags on self-managed (DIY)
#     backends (pulumi/pulumi#19882, released in v3.211.0, pulumi/pulumi#21203);
#     `make sandbox` tags its stack with owner and expires. CI pins 3.274.1
#     (PULUMI_VERSION in .github/workflows/*.yml).
#   go: the `go` line of go.mod (read from the file, so it cannot drift).
#   docker: the Docker Engine (the daemon, not the CLI) 20.10, the oldest
#     the image test (`make image-test`) is known to pass on (with the
#     buildx plugin, which only that test uses). The docker provider builds
#     through the engine's API with BuildKit (builderVersion BuilderBuildKit,
#     infra/image.go), so the daemon must answer and be a Linux engine.
#   aws 2.0: AWS CLI v2 (the logsCommand output is `aws logs tail`, which
#     v1 lacks); the credentials are checked with it (aws-credentials).
FS_PULUMI_MIN=3.211.0
FS_DOCKER_MIN=20.10
FS_AWS_MIN=2.0
FS_MOTO_PIN=5.2.1
#   trivy 0.74.0: `make scan`'s scanner; its embedded checks and its parser are
#     what security/accepted.yaml and internal/tfplan are written for
#     (internal/scan.TrivyVersion says the same; a test keeps them equal).
FS_TRIVY_VERSION=0.74.0

# fs_go_min prints the Go version go.mod asks for (its `go` line).
fs_go_min() {
  [[ -f "$FS_ROOT/go.mod" ]] || return 0
  sed -n 's/^go \([0-9][0-9.]*\)$/\1/p' "$FS_ROOT/go.mod" | head -n1
}

# fs_version_ge HAVE MIN succeeds when version HAVE >= MIN (dotted numbers).
fs_version_ge() {
  local have="$1" min="$2" i h m
  local -a hv mv
  IFS=. read -r -a hv <<<"$have"
  IFS=. read -r -a mv <<<"$min"
  for ((i = 0; i < ${#mv[@]} || i < ${#hv[@]}; i++)); do
    h="${hv[$i]:-0}" m="${mv[$i]:-0}"
    h="${h%%[!0-9]*}" m="${m%%[!0-9]*}"
    ((10#${h:-0} > 10#${m:-0})) && return 0
    ((10#${h:-0} < 10#${m:-0})) && return 1
  done
  return 0
}

# fs_tool_version TOOL prints TOOL's version number (digits and dots), or
# nothing when it cannot tell.
fs_tool_version() {
  local out=""
  case "$1" in
    pulumi) out="$(pulumi version 2>/dev/null </dev/null || true)" ;;
    go) out="$(go env GOVERSION 2>/dev/null || true)" ;;
    docker) out="$(docker version --format '{{.Server.Version}}' 2>/dev/null </dev/null || true)" ;;
    aws) out="$(aws --version 2>&1 </dev/null || true)" ;;
    *) return 0 ;;
  esac
  [[ "$out" =~ ([0-9]+\.[0-9]+(\.[0-9]+)?) ]] && printf '%s' "${BASH_REMATCH[1]}"
  return 0
}

# fs_tool_hint TOOL prints the minimum version and where to get TOOL.
fs_tool_hint() {
  case "$1" in
    pulumi) printf 'the Pulumi CLI >= %s (CI uses 3.274.1): https://www.pulumi.com/docs/install/' "$FS_PULUMI_MIN" ;;
    go) printf 'Go >= %s (go.mod): https://go.dev/dl/' "$(fs_go_min)" ;;
    docker) printf 'Docker Engine >= %s, daemon running: https://docs.docker.com/engine/install/' "$FS_DOCKER_MIN" ;;
    aws) printf 'the AWS CLI v2 (>= %s; v1 lacks aws logs tail): https://docs.aws.amazon.com/cli/latest/userguide/getting-started-install.html' "$FS_AWS_MIN" ;;
    jq) printf 'jq: apt-get install jq, or brew install jq' ;;
    moto_server) printf "moto %s with its server: pip install 'moto[server]==%s'" "$FS_MOTO_PIN" "$FS_MOTO_PIN" ;;
    trivy) printf 'Trivy %s (about 6 minutes): %s' "$FS_TRIVY_VERSION" "$(fs_trivy_install_cmd)" ;;
    golangci-lint | actionlint) printf '%s at the version .ci/run pins: make tools' "$1" ;;
    shellcheck | yamllint) printf '%s: apt-get install %s, or brew install %s (make tools says which are missing)' "$1" "$1" "$1" ;;
    *) printf '%s' "$1" ;;
  esac
}

# fs_tool_min TOOL prints TOOL's minimum version, or nothing.
fs_tool_min() {
  case "$1" in
    pulumi) printf '%s' "$FS_PULUMI_MIN" ;;
    go) fs_go_min ;;
    docker) printf '%s' "$FS_DOCKER_MIN" ;;
    aws) printf '%s' "$FS_AWS_MIN" ;;
  esac
}

# fs_need TOOL... checks that every TOOL is on PATH and at least its minimum
# version, printing one line per problem ("not installed" or "too old") and
# exiting 1 when there is any. docker also checks the daemon
# (fs_docker_engine); the pseudo-tool aws-credentials checks, after the
# tools and only when aws is there, that the AWS CLI's credentials work
# (fs_aws_credentials). Scripts call it before they create or change
# anything, and before Pulumi runs.
fs_need() {
  local tool have min bad=0 creds=0
  for tool in "$@"; do
    if [[ "$tool" == aws-credentials ]]; then
      creds=1
      continue
    fi
    if ! command -v "$tool" >/dev/null 2>&1; then
      printf 'error: %s is not installed or not on PATH; install %s\n' "$tool" "$(fs_tool_hint "$tool")" >&2
      bad=1
      continue
    fi
    if [[ "$tool" == docker ]]; then
      fs_docker_engine || bad=1
      continue
    fi
    min="$(fs_tool_min "$tool")"
    [[ -n "$min" ]] || continue
    have="$(fs_tool_version "$tool")"
    if [[ -n "$have" ]] && ! fs_version_ge "$have" "$min"; then
      printf 'error: %s %s is too old; install %s\n' "$tool" "$have" "$(fs_tool_hint "$tool")" >&2
      bad=1
    fi
  done
  if ((creds)) && command -v aws >/dev/null 2>&1; then
    fs_aws_credentials || bad=1
  fi
  ((bad == 0)) || exit 1
}

# fs_last_line prints the last non-blank line of its input: the reason a
# tool gives, without its blank lines.
fs_last_line() {
  awk 'NF { last = $0 } END { print last }'
}

# fs_timeout SECONDS CMD... runs CMD, bounded by timeout(1) where it exists.
fs_timeout() {
  local s="$1"
  shift
  if command -v timeout >/dev/null 2>&1; then timeout "$s" "$@"; else "$@"; fi
}

# fs_docker_engine checks the daemon the image build runs on, one line per
# problem: it answers (`docker version` reaches it), it is a Linux engine
# (BuildKit, which the docker provider builds with through the engine API,
# runs only there), and its version is at least FS_DOCKER_MIN.
fs_docker_engine() {
  local out ver os
  if ! out="$(fs_timeout 30 docker version --format '{{.Server.Version}} {{.Server.Os}}' 2>&1 </dev/null)"; then
    printf 'error: the Docker daemon does not answer (%s); start it (Docker Desktop, or sudo systemctl start docker): the image is built by the engine, not the docker CLI\n' \
      "$(printf '%s\n' "$out" | fs_last_line)" >&2
    return 1
  fi
  read -r ver os <<<"$out"
  if [[ "$os" != linux ]]; then
    printf 'error: the Docker engine runs %s containers; the image is a Linux image built with BuildKit, which needs a Linux engine (Docker Desktop: switch to Linux containers)\n' "${os:-unknown}" >&2
    return 1
  fi
  if ! fs_version_ge "$ver" "$FS_DOCKER_MIN"; then
    printf 'error: Docker Engine %s is too old; install %s\n' "$ver" "$(fs_tool_hint docker)" >&2
    return 1
  fi
}

# fs_aws_credentials checks that the AWS CLI's credentials work (`aws sts
# get-caller-identity`, which needs no permission) and says whose they are,
# so a deploy into the wrong account is seen before it starts.
fs_aws_credentials() {
  local out
  if out="$(fs_timeout 60 aws sts get-caller-identity --query Arn --output text 2>&1 </dev/null)"; then
    fs_log "AWS credentials: $(printf '%s\n' "$out" | fs_last_line)"
    return 0
  fi
  printf 'error: no working AWS credentials (aws sts get-caller-identity: %s); run aws configure or aws sso login, or set AWS_PROFILE\n' \
    "$(printf '%s\n' "$out" | fs_last_line)" >&2
  return 1
}

# fs_confirm_check TARGET PULUMI-FLAGS... stops `make deploy` and `make
# destroy` before anything runs when pulumi would stop on a question it
# cannot ask: `pulumi up` and `pulumi destroy` want a confirmation unless
# --yes, -y, --skip-preview or -f is passed or PULUMI_SKIP_CONFIRMATIONS is
# true, and outside an interactive session they fail with "--yes or
# --skip-preview or --preview-only must be passed in to proceed when running
# in non-interactive mode" (pulumi/pulumi v3.274.1, pkg/cmd/pulumi/operations/up.go
# and destroy.go). Interactive there means stdin and stdout are terminals,
# TERM is not dumb, no --non-interactive and no CI system
# (sdk/go/common/util/cmdutil/console.go); each reason below is one of
# those, so this never stops a run pulumi would let through.
fs_confirm_check() {
  local target="$1" a why=""
  shift
  for a in "$@"; do
    case "$a" in
      --yes | -y | --yes=true | --skip-preview | --skip-preview=true | -f) return 0 ;;
    esac
  done
  case "${PULUMI_SKIP_CONFIRMATIONS:-}" in
    1 | [Tt][Rr][Uu][Ee]) return 0 ;;
  esac
  if [[ ! -t 0 || ! -t 1 ]]; then
    why="its input or output is not a terminal"
  elif [[ "${TERM:-}" == dumb ]]; then
    why="TERM=dumb"
  elif [[ " $* " == *" --non-interactive "* ]]; then
    why="--non-interactive"
  elif [[ -n "${GITHUB_ACTIONS:-}${GITLAB_CI:-}${PULUMI_CI_SYSTEM:-}" ]]; then
    why="it runs in CI"
  fi
  [[ -n "$why" ]] || return 0
  fs_die "pulumi asks to confirm the $target and cannot here ($why): run make $target ARGS=--yes (scripts/stack.sh $target STACK --yes); make preview shows the changes without asking"
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

# fs_ci_pin NAME prints NAME=... from .ci/run (ACTIONLINT_VERSION,
# GOLANGCI_LINT_VERSION): `make tools` installs what CI installs.
fs_ci_pin() {
  sed -n "s/^$1=\\([^[:space:]]*\\)\$/\\1/p" "$FS_ROOT/.ci/run" 2>/dev/null | head -n1
}

# fs_test_prereqs checks what `make test` needs: go and jq, and moto_server
# for the verifier's tests. Without moto_server it fails when CI is true
# (CI must not pass with those tests skipped) and otherwise prints a warning
# that cannot be missed, since `go test` hides a passing package's output.
fs_test_prereqs() {
  fs_need go jq
  command -v moto_server >/dev/null 2>&1 && return 0
  local install="pip install 'moto[server]==$FS_MOTO_PIN'"
  case "${CI:-}" in
    true | TRUE | True | 1)
      printf 'error: moto_server is not on PATH and CI=%s: the verifier tests against moto may not be skipped in CI; install it with: %s\n' "$CI" "$install" >&2
      exit 1
      ;;
  esac
  printf '%s\n' "WARNING: moto_server is not on PATH: the verifier's tests against moto will be SKIPPED (CI=true fails instead)." \
    "WARNING: install it with: $install" >&2
}

# fs_lint_prereqs NAME=COMMAND... checks the linters `make lint` runs (the
# command may be overridden, e.g. GOLANGCI_LINT=...), one line per missing
# one with how to get it; exits 1 if any is missing.
fs_lint_prereqs() {
  local pair name cmd bad=0
  for pair in "$@"; do
    name="${pair%%=*}" cmd="${pair#*=}"
    if ! command -v "$cmd" >/dev/null 2>&1; then
      printf 'error: %s is not installed or not on PATH; get %s\n' "$cmd" "$(fs_tool_hint "$name")" >&2
      bad=1
    fi
  done
  if ((bad)); then
    printf '%s\n' "(make tools installs golangci-lint and actionlint at .ci/run's versions; bash .ci/run installs everything and runs the checks CI runs)" >&2
    exit 1
  fi
}

# fs_install_tools installs the Go linters at the versions .ci/run pins into
# $(go env GOPATH)/bin, and names the system packages still missing.
fs_install_tools() {
  fs_need go
  local golangci actionlint gobin missing=() t
  golangci="$(fs_ci_pin GOLANGCI_LINT_VERSION)"
  actionlint="$(fs_ci_pin ACTIONLINT_VERSION)"
  [[ -n "$golangci" && -n "$actionlint" ]] || fs_die "cannot read the linter versions from .ci/run"
  gobin="$(go env GOPATH)/bin"
  fs_log "go install golangci-lint@$golangci and actionlint@$actionlint into $gobin"
  go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@$golangci"
  go install "github.com/rhysd/actionlint/cmd/actionlint@$actionlint"
  case ":$PATH:" in
    *":$gobin:"*) ;;
    *) fs_log "$gobin is not on your PATH: make adds it for its own targets; add it to use the linters directly" ;;
  esac
  for t in shellcheck yamllint jq; do
    command -v "$t" >/dev/null 2>&1 || missing+=("$t")
  done
  if ((${#missing[@]})); then
    fs_log "still missing (system packages): ${missing[*]}: apt-get install ${missing[*]}, or brew install ${missing[*]}"
  fi
  command -v moto_server >/dev/null 2>&1 ||
    fs_log "for make test: pip install 'moto[server]==$FS_MOTO_PIN'"
  [[ "$(fs_trivy_version "$(fs_trivy_bin)" 2>/dev/null)" == "$FS_TRIVY_VERSION" ]] ||
    fs_log "for make scan: $(fs_trivy_install_cmd) (about 6 minutes; scripts/tools.sh install-trivy)"
  return 0
}

# fs_trivy_install_cmd prints the command that installs Trivy
# $FS_TRIVY_VERSION into $(go env GOPATH)/bin: a build from the Go module
# proxy (GOEXPERIMENT=jsonv2, as Trivy's release builds), with the version
# stamped in so that `trivy --version` reports it.
fs_trivy_install_cmd() {
  printf 'GOEXPERIMENT=jsonv2 go install -ldflags "-X github.com/aquasecurity/trivy/pkg/version/app.ver=%s" github.com/aquasecurity/trivy/cmd/trivy@v%s' \
    "$FS_TRIVY_VERSION" "$FS_TRIVY_VERSION"
}

# fs_trivy_bin prints the trivy to use: on PATH, else in $(go env GOPATH)/bin;
# nothing when there is none.
fs_trivy_bin() {
  local bin gopath
  if bin="$(command -v trivy 2>/dev/null)"; then
    printf '%s' "$bin"
    return 0
  fi
  gopath="$(go env GOPATH 2>/dev/null || true)"
  [[ -n "$gopath" && -x "$gopath/bin/trivy" ]] && printf '%s' "$gopath/bin/trivy"
  return 0
}

# fs_trivy_version BIN prints the version BIN reports (0.74.0; "dev" for a
# build without the release's version stamp).
fs_trivy_version() {
  "$1" --version 2>/dev/null </dev/null | sed -n 's/^Version: *v\{0,1\}//p' | head -n1
}

# fs_install_trivy installs Trivy $FS_TRIVY_VERSION unless the trivy found
# already reports that version (`.ci/run` runs it: once per machine).
fs_install_trivy() {
  local bin have=""
  bin="$(fs_trivy_bin)"
  [[ -n "$bin" ]] && have="$(fs_trivy_version "$bin")"
  if [[ "$have" == "$FS_TRIVY_VERSION" ]]; then
    fs_log "trivy $have already installed ($bin)"
    return 0
  fi
  fs_log "installing Trivy $FS_TRIVY_VERSION${have:+ (found $have at $bin)}: about 6 minutes"
  GOEXPERIMENT=jsonv2 go install -ldflags "-X github.com/aquasecurity/trivy/pkg/version/app.ver=$FS_TRIVY_VERSION" \
    "github.com/aquasecurity/trivy/cmd/trivy@v$FS_TRIVY_VERSION"
}

# fs_scan [--if-trivy] ARGS... builds cmd/scan (into a temporary folder: its
# exit code stays its own, with no `go run` noise) and runs it with ARGS and
# the trivy fs_trivy_bin finds. Without Trivy $FS_TRIVY_VERSION it fails,
# naming how to install it; with --if-trivy (make test) it fails only when
# CI is true and otherwise prints a warning that cannot be missed and
# returns 0 (SCAN_MARKDOWN, when set, gets the same warning). SCAN_MARKDOWN
# also asks the scan for its Markdown report (the pull-request comment).
fs_scan() {
  local optional=0 bin have problem="" bindir rc
  if [[ "${1:-}" == --if-trivy ]]; then
    optional=1
    shift
  fi
  bin="$(fs_trivy_bin)"
  if [[ -z "$bin" ]]; then
    problem="trivy is not installed (not on PATH nor in \$(go env GOPATH)/bin)"
  else
    have="$(fs_trivy_version "$bin")"
    [[ "$have" == "$FS_TRIVY_VERSION" ]] || problem="$bin is Trivy ${have:-of unknown version}, not $FS_TRIVY_VERSION"
  fi
  if [[ -n "$problem" ]]; then
    if ((optional)); then
      case "${CI:-}" in
        true | TRUE | True | 1) ;;
        *)
          printf '%s\n' "WARNING: $problem: the security scan (make scan) is SKIPPED (CI=true fails instead)." \
            "WARNING: install it with: $(fs_trivy_install_cmd)" >&2
          if [[ -n "${SCAN_MARKDOWN:-}" ]]; then
            printf '<!-- scan: skipped -->\n### Security scan\n\nSKIPPED: %s.\n' "$problem" >"$SCAN_MARKDOWN"
          fi
          return 0
          ;;
      esac
    fi
    fs_die "$problem${CI:+ and CI=$CI}: the security scan cannot run; install it with: $(fs_trivy_install_cmd) (bash .ci/run does it once)"
  fi
  bindir="$(mktemp -d)"
  if ! (cd "$FS_ROOT" && go build -o "$bindir/scan" ./cmd/scan); then
    rm -rf "$bindir"
    fs_die "cannot build the scanner (go build ./cmd/scan)"
  fi
  rc=0
  (cd "$FS_ROOT" && "$bindir/scan" -trivy "$bin" ${SCAN_MARKDOWN:+-markdown "$SCAN_MARKDOWN"} "$@") || rc=$?
  rm -rf "$bindir"
  return "$rc"
}
