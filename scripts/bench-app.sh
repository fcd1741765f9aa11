#!/usr/bin/env bash
# Benchmarks the sample app (app/) against a bare net/http hello server, in one
# run, on loopback only, with a bounded number of requests. Prints, for each:
# requests/s and p50/p99 latency with the server at GOMAXPROCS=1, start-to-ready
# time, idle and loaded RSS (from /proc), and the stripped binary size.
#
# Usage: scripts/bench-app.sh            (about half a minute)
#   BENCH_REQUESTS=50000  measured requests per server
#   BENCH_CONNS=8         concurrent keep-alive connections
#   BENCH_STARTS=7        cold starts per server for start-to-ready (median)
#
# Numbers are printed, not asserted: they depend on the machine and on what
# else it is doing, which is why the header records both.
set -euo pipefail

cd "$(dirname "$0")/../app"

requests=${BENCH_REQUESTS:-50000}
conns=${BENCH_CONNS:-8}
starts=${BENCH_STARTS:-7}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Both servers are built with the Dockerfile's flags (TestDockerfileBuildIsStatic
# keeps the Dockerfile itself on them), so the sizes are those of the image's
# binary and of its bare equivalent.
build() {
	CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o "$work/$1" "$2"
}
build server .
build hello ./internal/bench/hello
build loadgen ./internal/bench/loadgen

echo "# bench-app: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "# $(go version); $(nproc) CPUs: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# $requests requests per server over $conns keep-alive connections (after a warm-up); servers at GOMAXPROCS=1, loadgen at GOMAXPROCS=1"
echo

# The load generator is also held to one P, so on a two-core machine the
# server has the other core to itself rather than competing with the client.
GOMAXPROCS=1 "$work/loadgen" \
	-n "$requests" -c "$conns" -starts "$starts" \
	-server "app=$work/server:/readyz" \
	-server "hello=$work/hello:/"

echo
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
