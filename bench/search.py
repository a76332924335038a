#!/usr/bin/env python3
"""Times a clean `gen build` with search on and off on the same generated corpus.

Writes the realistic corpus with `examples/gen_corpus` (seeded: every run uses
the same posts), copies its site once with `[search] enabled = false` added to
gen.toml, and builds the two in turns, several times each after an untimed
warm-up run, into fresh folders. It checks that the build with search wrote
the index (and the other none), and prints the medians of wall time, CPU time
and peak RSS of each, and what search adds (the issue's bound: at most 25 % of
a clean 10,000-post build), with the machine and the load average (other
processes on a shared machine change the figures; the turns spread that over
both alike).

    python3 bench/search.py [--sizes 1000,10000] [--runs 5] [--warmup 1] [--cache warm|cold] [--work /tmp/byline-search-bench]

With --cache warm (the default) both builds read the highlight cache the
warm-up filled, as a rebuild does; with --cache cold both pass --no-cache and
highlight every code block, as a first build on a fresh clone does.

Builds gen and gen_corpus in release mode first (unless --no-build); GEN_BIN and
GEN_CORPUS_BIN name other binaries to time.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from compare import CORPUS, GEN, ROOT, load, machine, run  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--warmup", type=int, default=1, help="untimed runs of each first")
    ap.add_argument("--cache", choices=["warm", "cold"], default="warm", help="highlight cache: warm (a rebuild) or cold (--no-cache)")
    ap.add_argument("--work", default="/tmp/byline-search-bench")
    ap.add_argument("--no-build", action="store_true", help="use the release binaries as they are")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(
            ["cargo", "build", "--release", "--quiet", "--bin", "gen", "--example", "gen_corpus"],
            cwd=ROOT,
            check=True,
        )
    print(f"machine: {machine()}")
    print(f"medians of {args.runs} clean builds after {args.warmup} warm-up run(s) each, highlight cache {args.cache}")
    print(f"{'posts':>6}  {'search on':>26}  {'search off':>26}  {'search adds':>18}  load")
    work = Path(args.work)
    for size in [int(s) for s in args.sizes.split(",")]:
        corpus = work / f"corpus-{size}"
        subprocess.run(
            [CORPUS, "--posts", str(size), "--out", corpus, "--variant", "realistic"],
            check=True,
            capture_output=True,
        )
        sites = {"on": corpus / "gen", "off": work / f"site-off-{size}"}
        shutil.rmtree(sites["off"], ignore_errors=True)
        shutil.copytree(sites["on"], sites["off"], ignore=shutil.ignore_patterns(".byline-cache", "public"))
        with open(sites["off"] / "gen.toml", "a") as f:
            f.write("\n[search]\nenabled = false\n")
        figures = {k: ([], [], []) for k in sites}
        load_before = load()
        for i in range(-args.warmup, args.runs):
            for name, site in sites.items():
                out = work / f"out-{name}-{size}"
                shutil.rmtree(out, ignore_errors=True)
                cache = ["--no-cache"] if args.cache == "cold" else []
                t, c, m = run([GEN, "-q", "-r", site, "build", "-o", out, *cache])
                has_index = (out / "pagefind" / "pagefind-entry.json").is_file()
                if has_index != (name == "on"):
                    sys.exit(f"search {name}: the index is {'there' if has_index else 'missing'} in {out}")
                print(f"  {size} run {i + 1}: search {name} {t:.2f} s, CPU {c:.2f} s, {m:.0f} MB", file=sys.stderr, flush=True)
                shutil.rmtree(out, ignore_errors=True)
                if i >= 0:
                    for k, v in enumerate((t, c, m)):
                        figures[name][k].append(v)
        med = {k: [statistics.median(v) for v in figures[k]] for k in sites}
        on, off = med["on"], med["off"]
        cell = lambda f: f"{f[0]:6.2f} s, CPU {f[1]:6.2f} s, {f[2]:5.0f} MB"
        adds = f"{(on[0] / off[0] - 1) * 100:+5.1f} % wall, {(on[1] / off[1] - 1) * 100:+5.1f} % CPU"
        print(f"{size:>6}  {cell(on)}  {cell(off)}  {adds}  {load_before} → {load()}", flush=True)


if __name__ == "__main__":
    main()
