#!/bin/sh
# Benchmark of gen serve --watch on a generated 10,000-post site: the time from
# saving a post to the reload event reaching a client and the new page being
# served (median, p90). See examples/serve_reload.rs.
#
#   bench/serve_reload.sh [POSTS] [RUNS]
set -eu
cd "$(dirname "$0")/.."
POSTS=${1:-10000}
RUNS=${2:-40}
WORK=${WORK:-/tmp/byline-serve-bench}
# realistic (every code block different) or cached (the earlier corpus).
VARIANT=${VARIANT:-realistic}
cargo build --release --bin gen --example gen_corpus --example serve_reload
target/release/examples/gen_corpus --posts "$POSTS" --out "$WORK" --kits --variant "$VARIANT"
target/release/examples/serve_reload --site "$WORK/gen" --runs "$RUNS"
