#!/bin/sh
# Benchmark of gen import wordpress on a generated export (examples/gen_wxr.rs:
# 20 authors, Gutenberg comments, shortcodes, terms and one comment per post):
# CPU and wall time of each run, from /usr/bin/time -v, and the report's last
# line. The target is under 10 s for 10,000 posts.
#
#   bench/import.sh [POSTS] [RUNS]
set -eu
cd "$(dirname "$0")/.."
POSTS=${1:-10000}
RUNS=${2:-3}
WORK=${WORK:-/tmp/byline-import-bench}
nice -n 5 cargo build --release --bin gen --example gen_wxr
mkdir -p "$WORK"
target/release/examples/gen_wxr "$POSTS" "$WORK/export.xml"
echo "export: $(du -h "$WORK/export.xml" | cut -f1), $POSTS posts; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
i=1
while [ "$i" -le "$RUNS" ]; do
    rm -rf "$WORK/site"
    /usr/bin/time -v target/release/gen import wordpress "$WORK/export.xml" --into "$WORK/site" \
        >"$WORK/report.txt" 2>"$WORK/time.txt"
    user=$(sed -n 's/.*User time (seconds): //p' "$WORK/time.txt")
    sys=$(sed -n 's/.*System time (seconds): //p' "$WORK/time.txt")
    wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$WORK/time.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt")
    echo "run $i: wall $wall, CPU user ${user} s + sys ${sys} s, max RSS ${rss} kB; $(tail -n 2 "$WORK/report.txt" | head -n 1)"
    i=$((i + 1))
done
