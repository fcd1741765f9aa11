# Task runner for fargateship. `make help` lists the targets.
#
# Pulumi targets use the backend you are logged in to (`pulumi login`), or
# PULUMI_BACKEND_URL, or else the local file backend in .pulumi-state/
# (git-ignored), so a first run needs no account beyond AWS.
SHELL := /usr/bin/env bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

# Stack of deploy/preview/destroy.
STACK ?= dev
# Extra flags for pulumi, e.g. `make deploy ARGS=--yes` or ARGS='--diff'.
ARGS ?=
# `make local`: the local router's port on 127.0.0.1 (0: a free one), and
# the schedule `make local-run` runs.
LOCAL_PORT ?= 8080
SCHEDULE ?=
# Go modules of this repository: the Pulumi program (root), the app, the
# one-time CI bootstrap, and the example services (docs/your-service.md).
MODULES := . app bootstrap examples/api examples/worker

# `make tools` installs the Go linters into $(go env GOPATH)/bin; make finds
# them there even when that folder is not on PATH.
GOBIN_DIR := $(shell go env GOPATH 2>/dev/null)
ifneq ($(GOBIN_DIR),)
export PATH := $(GOBIN_DIR)/bin:$(PATH)
endif

GOLANGCI_LINT ?= golangci-lint
ACTIONLINT ?= actionlint
SHELLCHECK ?= shellcheck
YAMLLINT ?= yamllint

.PHONY: help
help: ## List the targets.
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-zA-Z_-]*:.*## / {printf "  make %-13s %s\n", $$1, $$2}' $(MAKEFILE_LIST)
	@echo
	@echo "  Variables: STACK=$(STACK)  ARGS='...' (extra pulumi flags; scan flags for make scan)  LOCAL_PORT=$(LOCAL_PORT) (make local's router)  SCHEDULE=name (make local-run)"
	@echo "  Sandbox:   SANDBOX_USER=<name>  EXPIRES=YYYY-MM-DD | SANDBOX_DAYS=7"

.PHONY: deploy
deploy: ## pulumi up of STACK (default dev), then verify the deployment.
	scripts/stack.sh deploy "$(STACK)" $(ARGS)

.PHONY: preview
preview: ## pulumi preview of STACK (default dev).
	scripts/stack.sh preview "$(STACK)" $(ARGS)

.PHONY: destroy
destroy: ## pulumi destroy of STACK (default dev).
	scripts/stack.sh destroy "$(STACK)" $(ARGS)

.PHONY: sandbox
sandbox: ## Create/update your sandbox-<user> stack and print how to reach it.
	scripts/sandbox.sh up $(ARGS)

.PHONY: sandbox-down
sandbox-down: ## Destroy your sandbox-<user> stack and remove it.
	scripts/sandbox.sh down $(ARGS)

.PHONY: check
check: ## Validate Pulumi.STACK.yaml offline, as pulumi up would (no CLI, no AWS).
	@scripts/check.sh "$(STACK)"

.PHONY: local
local: ## Build and run every service of STACK on the local Docker engine as its task definitions (Ctrl-C stops).
	@scripts/tools.sh need go docker
	@go build -o bin/local ./cmd/local # not `go run`, which exits 1 after a Ctrl-C
	bin/local -port "$(LOCAL_PORT)" "$(STACK)"

.PHONY: local-run
local-run: ## Run SCHEDULE of STACK once on the local Docker engine, as its scheduled task.
	@scripts/tools.sh need go docker
	@go build -o bin/local ./cmd/local
	bin/local -schedule "$(SCHEDULE)" "$(STACK)"

.PHONY: tools
tools: ## Install the linters at the versions .ci/run pins; name what else is missing.
	@scripts/tools.sh install

.PHONY: test
test: ## Run every test: every Go module, delivery scripts (needs moto_server), make scan (needs trivy).
	@scripts/tools.sh test
	go test ./...
	cd app && go test ./...
	cd bootstrap && go test ./...
	cd examples/api && go test ./...
	cd examples/worker && go test ./...
	scripts/test-delivery.sh
	$(MAKE) --no-print-directory image-test
	@scripts/tools.sh scan --if-trivy

.PHONY: scan
scan: ## Trivy on every stack's plan and Dockerfile; fails on findings not in security/accepted.yaml.
	@scripts/tools.sh need go
	@scripts/tools.sh scan $(ARGS)

.PHONY: image-test
image-test: ## Build, run and drain the image on a real Docker engine (skips without one; CI=true fails).
	go test -tags imagetest -count=1 -v -timeout 30m ./imagetest/

.PHONY: lint
lint: ## actionlint, shellcheck, yamllint, golangci-lint (get them: make tools).
	@scripts/tools.sh lint actionlint="$(ACTIONLINT)" shellcheck="$(SHELLCHECK)" yamllint="$(YAMLLINT)" golangci-lint="$(GOLANGCI_LINT)"
	@status=0; \
	echo "==> actionlint"; $(ACTIONLINT) || status=1; \
	echo "==> shellcheck"; $(SHELLCHECK) -x $$(git ls-files --cached --others --exclude-standard '*.sh' '.ci/run') || status=1; \
	echo "==> yamllint"; $(YAMLLINT) --strict .github/workflows .golangci.yml .yamllint.yml bootstrap/Pulumi.yaml || status=1; \
	$(YAMLLINT) . || status=1; \
	for m in $(MODULES); do \
	  echo "==> golangci-lint ($$m)"; (cd $$m && $(GOLANGCI_LINT) run ./...) || status=1; \
	done; \
	exit $$status

.PHONY: bench
bench: ## Benchmarks: infra (Go) and the app (scripts/bench-app.sh).
	@scripts/tools.sh need go
	go test -run '^$$' -bench . ./infra/...
	scripts/bench-app.sh
