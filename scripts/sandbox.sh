#!/usr/bin/env bash
# Usage: scripts/sandbox.sh up|down [extra pulumi flags...]
#
# up    Create or select the stack sandbox-<user>, starting its config from
#       presets/sandbox.yaml (one Spot task, no load balancer, short log
#       retention, nothing protected), tag it with `owner` and `expires`,
#       `pulumi up --yes --refresh`, then print how to reach the app: the `url` output,
#       or http://<public IP of the running task>:<port>/ found with the AWS CLI.
# down  `pulumi destroy --yes`, then `pulumi stack rm --yes`. Only a stack the
#       backend reports as missing ("no stack named '...' found") is
#       "nothing to remove" (exit 0); any other failure to select it (CLI
#       missing, backend unreachable, not logged in) exits 1 with the reason,
#       because the sandbox may still be running.
#
# Tools are checked first (pulumi, the AWS CLI v2 and working AWS
# credentials for both; go and a running Docker engine for up), and up finds the AWS region before it creates anything: a missing tool or
# region stops it with the stack file and the backend untouched.
#
# Environment:
#   SANDBOX_USER   user part of the stack name (default: $USER, else git
#                  user.name), sanitized to [a-z0-9-], at most 30 characters
#   EXPIRES        expiry date YYYY-MM-DD (default: today + SANDBOX_DAYS)
#   SANDBOX_DAYS   days until expiry (default 7); the scheduled reaper
#                  destroys the stack after that date
#   SANDBOX_WAIT   seconds to wait for a running task's IP (default 300)
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "$0")/lib.sh"

[[ $# -ge 1 ]] || { echo "usage: $0 up|down [pulumi flags...]" >&2; exit 3; }
action="$1"
shift

cd "$FS_ROOT"
user="$(fs_sandbox_user)"
stack="sandbox-$user"

# task_public_ip CLUSTER SERVICE REGION prints the public IP of the service's
# first running task, or nothing.
task_public_ip() {
  local cluster="$1" service="$2" region="$3" task eni ip
  task="$(aws ecs list-tasks --region "$region" --cluster "$cluster" --service-name "$service" \
    --desired-status RUNNING --query 'taskArns[0]' --output text 2>/dev/null || true)"
  [[ -n "$task" && "$task" != "None" ]] || return 0
  eni="$(aws ecs describe-tasks --region "$region" --cluster "$cluster" --tasks "$task" \
    --query "tasks[0].attachments[?type=='ElasticNetworkInterface'] | [0].details[?name=='networkInterfaceId'] | [0].value" \
    --output text 2>/dev/null || true)"
  [[ -n "$eni" && "$eni" != "None" ]] || return 0
  ip="$(aws ec2 describe-network-interfaces --region "$region" --network-interface-ids "$eni" \
    --query 'NetworkInterfaces[0].Association.PublicIp' --output text 2>/dev/null || true)"
  [[ -n "$ip" && "$ip" != "None" ]] || return 0
  printf '%s' "$ip"
}

# stack_file_region prints the aws:region set in the stack file, if any.
stack_file_region() {
  [[ -f "Pulumi.$stack.yaml" ]] || return 0
  sed -n -E 's/^[[:space:]]+aws:region:[[:space:]]*["'\'']?([a-z0-9-]+)["'\'']?[[:space:]]*(#.*)?$/\1/p' "Pulumi.$stack.yaml" | head -n1
}

sandbox_up() {
  local expires owner region
  fs_need pulumi go docker aws aws-credentials
  expires="$(fs_expiry_date)"
  owner="${SANDBOX_OWNER:-$user}"

  # The AWS region comes from the stack (its file, or the config of an
  # existing stack), else from the environment or the AWS CLI's settings; it
  # is settled before anything is created.
  region="$(stack_file_region)"
  if [[ -z "$region" && -f "Pulumi.$stack.yaml" ]]; then
    fs_select_backend
    region="$(pulumi config get aws:region --stack "$stack" 2>/dev/null </dev/null || true)"
  fi
  if [[ -z "$region" ]]; then
    region="${AWS_REGION:-${AWS_DEFAULT_REGION:-}}"
    [[ -n "$region" ]] || region="$(aws configure get region 2>/dev/null </dev/null || true)"
    [[ -n "$region" ]] || fs_die "no AWS region: set AWS_REGION (or 'aws configure set region <region>', or aws:region in Pulumi.$stack.yaml); nothing was created"
  fi

  fs_select_backend
  if [[ ! -f "Pulumi.$stack.yaml" ]]; then
    [[ -f presets/sandbox.yaml ]] || fs_die "presets/sandbox.yaml is missing"
    cp presets/sandbox.yaml "Pulumi.$stack.yaml"
    fs_log "created Pulumi.$stack.yaml from presets/sandbox.yaml (git-ignored; edit it freely)"
  fi
  pulumi stack select --create "$stack"

  if ! pulumi config get aws:region --stack "$stack" >/dev/null 2>&1 </dev/null; then
    pulumi config set aws:region "$region" --stack "$stack"
  fi

  pulumi stack tag set owner "$owner" --stack "$stack"
  pulumi stack tag set expires "$expires" --stack "$stack"
  fs_log "stack $stack (owner $owner) expires $expires"

  # --refresh: read what AWS holds first (active hours scaled the service
  # to 0 tonight, a rollback put the old revision back), so the plan is
  # made against the real state, not the last `up`'s (docs/operations.md).
  pulumi up --yes --refresh --stack "$stack" "$@"
  print_endpoint
}

print_endpoint() {
  local url cluster service region port ip logs deadline
  url="$(fs_output "$stack" url)"
  if [[ -n "$url" ]]; then
    fs_log "sandbox $stack is up: $url"
    return 0
  fi
  cluster="$(fs_output "$stack" clusterName)"
  service="$(fs_output "$stack" serviceName)"
  region="$(fs_output "$stack" region)"
  [[ -n "$cluster" && -n "$service" && -n "$region" ]] ||
    fs_die "stack $stack has no url and lacks clusterName/serviceName/region outputs"
  fs_require aws
  port="$(pulumi config get containerPort --stack "$stack" 2>/dev/null </dev/null || true)"
  port="${port:-8080}"
  deadline=$((SECONDS + ${SANDBOX_WAIT:-300}))
  fs_log "no load balancer: waiting for a running task's public IP (up to ${SANDBOX_WAIT:-300}s)"
  while :; do
    ip="$(task_public_ip "$cluster" "$service" "$region")"
    if [[ -n "$ip" ]]; then
      fs_log "sandbox $stack is up: http://$ip:$port/"
      break
    fi
    if ((SECONDS >= deadline)); then
      fs_log "no running task with a public IP yet; look again later with:"
      fs_log "  aws ecs list-tasks --region $region --cluster $cluster --service-name $service"
      break
    fi
    sleep "${SANDBOX_POLL:-5}"
  done
  logs="$(fs_output "$stack" logsCommand)"
  if [[ -n "$logs" ]]; then
    fs_log "logs: $logs"
  fi
}

sandbox_down() {
  local err rc=0
  fs_need pulumi aws aws-credentials
  fs_select_backend
  err="$(pulumi stack select "$stack" 2>&1 </dev/null)" || rc=$?
  if ((rc != 0)); then
    # The one answer that means "there is nothing": the backend's
    # StackNotFoundError (pulumi/pulumi pkg/backend/backenderr/backenderr.go,
    # returned by pkg/cmd/pulumi/stack/stack_select.go), which the CLI
    # (v3.274.1) prints as
    #   error: no stack named 'sandbox-alice' found
    # with exit code 6, ExitStackNotFound in its exit code taxonomy
    # (sdk/go/common/util/cmdutil/exit.go). Older CLIs exit 255 with the same
    # message; the name may be qualified (org/project/sandbox-alice). Every
    # other failure (not logged in: exit 3; backend unreachable: exit 1)
    # leaves the sandbox's fate unknown.
    local notfound="no stack named '([^']*/)?$stack' found"
    if ((rc == 6)) || [[ "$err" =~ $notfound ]]; then
      fs_log "no stack $stack: nothing to remove"
      return 0
    fi
    printf '%s\n' "$err" >&2
    fs_die "cannot select stack $stack (pulumi exit $rc): the sandbox may still exist; fix the above and run make sandbox-down again"
  fi
  pulumi destroy --yes --stack "$stack" "$@"
  pulumi stack rm --yes --stack "$stack"
  fs_log "sandbox $stack destroyed and removed"
}

case "$action" in
  up) sandbox_up "$@" ;;
  down) sandbox_down "$@" ;;
  *) echo "usage: $0 up|down [pulumi flags...]" >&2; exit 3 ;;
esac
