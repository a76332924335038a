#!/usr/bin/env python3
"""Where `gen build`'s CPU time goes: samples a build with `perf record`
(software clock, DWARF call stacks, so it works in VMs without hardware
counters) and attributes each sample to the innermost stage of the pipeline on
its stack: highlighting, the rest of Markdown, the HTML sanitizer, share kits,
templates, feeds, the search index, pictures, social cards, loading, writing,
or other (allocation, start-up, …).

    python3 bench/profile.py SITE [--out /tmp/byline-profile] [--freq 499] [--top 25]

SITE is a site folder, e.g. a corpus from `examples/gen_corpus` (`CORPUS/gen`).
Prints the share of samples of each stage and the hottest functions by self
time. Needs `perf` (linux-perf); uses target/release/gen unless GEN_BIN is set.
"""

import argparse
import collections
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = Path(os.environ.get("GEN_BIN", ROOT / "target" / "release" / "gen"))

# (stage, substrings of a frame's symbol), innermost first wins.
STAGES = [
    ("highlighting (syntect)", ["markdown::highlight::code_block"]),
    ("HTML sanitizer (guest HTML)", ["markdown::sanitize", "ammonia::"]),
    ("Markdown (pulldown-cmark, rest)", ["markdown::render", "pulldown_cmark::"]),
    ("share kits", ["byline::share::"]),
    ("feeds and sitemap", ["render::feeds"]),
    ("templates (Tera, page context)", ["tera::", "render::Prepared::render_job", "render::context"]),
    ("search index (Pagefind)", ["pagefind::", "render::search"]),
    ("pictures (probe, resize, cache)", ["byline::images::"]),
    ("social cards", ["render::card"]),
    ("writing files", ["byline::write", "write::Staging", "RealFs"]),
    ("loading (read, front matter, checks)", ["byline::load", "byline::sitefs"]),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("site")
    ap.add_argument("--out", default="/tmp/byline-profile")
    ap.add_argument("--freq", default="499")
    ap.add_argument("--top", type=int, default=25)
    args = ap.parse_args()
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    data = out.with_suffix(".perf")
    subprocess.run(
        ["perf", "record", "-q", "-F", args.freq, "-e", "cpu-clock", "--call-graph", "dwarf,32768",
         "-o", data, "--", GEN, "-q", "-r", args.site, "build", "-o", out],
        check=True,
    )
    script = subprocess.run(["perf", "script", "-i", data, "-F", "ip,sym"], capture_output=True, text=True, check=True).stdout
    stages = collections.Counter()
    leaf = collections.Counter()
    total = 0
    for sample in script.split("\n\n"):
        # Each line is "address symbol", innermost frame first.
        frames = [line.split(None, 1)[-1] for line in sample.strip().splitlines() if line.strip()]
        if not frames:
            continue
        total += 1
        leaf[frames[0][:110]] += 1
        stage = "other (allocation, start-up, threads)"
        for frame in frames:
            hit = next((name for name, keys in STAGES if any(k in frame for k in keys)), None)
            if hit:
                stage = hit
                break
        stages[stage] += 1
    if not total:
        sys.exit("no samples")
    print(f"{total} samples of {GEN} building {args.site}")
    print("\n| stage | share of CPU samples |\n|---|---:|")
    for name, n in stages.most_common():
        print(f"| {name} | {100 * n / total:.1f} % |")
    print(f"\nhottest functions (self time, top {args.top}):")
    for name, n in leaf.most_common(args.top):
        print(f"{100 * n / total:5.1f} %  {name}")


if __name__ == "__main__":
    main()
