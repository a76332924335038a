#!/bin/sh
# Benchmark of a template change under gen serve --watch on a generated
# 10,000-post site (share kits on): edits a listing partial, post.html and
# base.html (which every page uses) EDITS times each, with the newest post's
# page open, and prints the medians of: save -> reload event for that page,
# save -> that page served with the edit, and the rebuild time the server
# reports (until every page was made); then the preview's memory after the
# first build and at the end (after rebuilds of every page). See
# examples/serve_reload.rs (--templates, --which).
#
#   bench/template_change.sh [POSTS] [EDITS]
#   WHICH=base.html bench/template_change.sh 10000 10   # ten base.html edits
set -eu
cd "$(dirname "$0")/.."
POSTS=${1:-10000}
EDITS=${2:-5}
WORK=${WORK:-/tmp/byline-serve-bench}
# realistic (every code block different) or cached (the earlier corpus).
VARIANT=${VARIANT:-realistic}
cargo build --release --bin gen --example gen_corpus --example serve_reload
target/release/examples/gen_corpus --posts "$POSTS" --out "$WORK" --kits --variant "$VARIANT"
target/release/examples/serve_reload --site "$WORK/gen" --runs 0 --newest 0 --templates "$EDITS" \
    --which "${WHICH:-partials/post_list.html,post.html,base.html}"
