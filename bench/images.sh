#!/bin/sh
# CPU cost of pictures, cold: a 12-megapixel JPEG (4000×3000) decoded, turned
# upright and encoded into the four default widths in JPEG and WebP, on one
# thread (CPU time, median of 5: the issue's "four widths and two formats");
# then all a cold build does for that picture (Pictures::picture on one
# thread: read, hash, the same work, the cache written), which publishes
# nothing more (its own path serves the 1600-pixel JPEG). Each step on its
# own (decode, orientation, each resize, each encode; median of 5), and the
# encoders against the ones used before (CPU time, size, PSNR). Then one
# social card (layout, the default social-card.svg, resvg, PNG): CPU time
# per card (mean of 50); and 240 cards in parallel on every core, titles in
# six scripts (Latin, Japanese, Chinese, Korean, Arabic, emoji): CPU time
# per card. The criterion groups follow, with the process's totals from
# /usr/bin/time -v.
#
#   bench/images.sh
set -eu
cd "$(dirname "$0")/.."
cargo bench --bench images --no-run
exec /usr/bin/time -v cargo bench --bench images -- --noplot 2>&1 |
    grep -E 'ms CPU|time:|User time|System time|Maximum resident|^12-megapixel|^social card|^step:|^encoder:'
