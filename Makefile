# Task runner for fargateship. `make help` lists the targets.
SHELL := /usr/bin/env bash

.PHONY: test
test: ## Run every test of every module (the README's test command).
	go test ./...
	cd app && go test ./...
