#!/bin/sh
# CPU cost of pictures, cold: a 12-megapixel JPEG decoded, turned upright and
# encoded into every variant ([images] widths below its width, and its own
# size, in JPEG and WebP), on one thread. Prints the CPU time per picture
# (user + system, median of 5) and runs the criterion group, with the
# process's totals from /usr/bin/time -v. Then one social card (layout,
# the default social-card.svg, resvg, PNG): CPU time per card (mean of 50);
# and 240 cards in parallel on every core, titles in six scripts (Latin,
# Japanese, Chinese, Korean, Arabic, emoji): CPU time per card.
#
#   bench/images.sh
set -eu
cd "$(dirname "$0")/.."
cargo bench --bench images --no-run
exec /usr/bin/time -v cargo bench --bench images -- --noplot 2>&1 |
    grep -E 'ms CPU|time:|User time|System time|Maximum resident|^12-megapixel|^social card'
