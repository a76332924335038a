#!/usr/bin/env python3
"""Times `gen build` with a cold and a warm highlight cache, as in CI.

For each size, writes the realistic corpus with `examples/gen_corpus` (seeded),
then in turns, RUNS times: a cold build (no `.byline-cache/`, a new output
folder: a first CI run) and a warm one (the cache the cold build left, a new
output folder again: a CI run after `actions/cache` restored the cache into a
fresh checkout). A `--no-cache` build is timed in the same turns, for contrast.
Every build's output is compared with the first cold one (the same files, byte
for byte), so a cache that served wrong HTML cannot look fast. Prints medians
of wall time, CPU time (user + system) and peak RSS, and warm / cold.

    python3 bench/cache.py [--sizes 1000,10000] [--runs 3] [--work /tmp/byline-cache-bench]

Builds gen and gen_corpus in release mode first (unless --no-build); GEN_BIN
and GEN_CORPUS_BIN name other binaries to time. `--work` on a tmpfs takes the
disk out of the figures.
"""

import argparse
import filecmp
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN = Path(os.environ.get("GEN_BIN", ROOT / "target" / "release" / "gen"))
CORPUS = Path(os.environ.get("GEN_CORPUS_BIN", ROOT / "target" / "release" / "examples" / "gen_corpus"))


def run(cmd):
    """Runs cmd; returns (seconds, CPU seconds, peak RSS in MB)."""
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%U %S %M", *map(str, cmd)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{proc.stderr[-2000:]}")
    user, system, rss_kb = proc.stderr.strip().splitlines()[-1].split()
    return elapsed, float(user) + float(system), int(rss_kb) / 1024


def same_tree(a, b):
    """Whether two folders hold the same files with the same bytes."""
    cmp = filecmp.dircmp(a, b)
    if cmp.left_only or cmp.right_only or cmp.funny_files:
        return False
    _, mismatch, errors = filecmp.cmpfiles(a, b, cmp.common_files, shallow=False)
    if mismatch or errors:
        return False
    return all(same_tree(Path(a) / d, Path(b) / d) for d in cmp.common_dirs)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/byline-cache-bench")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(
            ["cargo", "build", "--release", "--bin", "gen", "--example", "gen_corpus"],
            cwd=ROOT,
            check=True,
        )
    work = Path(args.work)
    print(f"machine: {os.cpu_count()} cores; load before: {os.getloadavg()[0]:.2f}")
    for size in map(int, args.sizes.split(",")):
        corpus = work / f"corpus-{size}"
        subprocess.run([CORPUS, "--posts", str(size), "--out", corpus], check=True, stdout=subprocess.DEVNULL)
        site = corpus / "gen"
        cache = site / ".byline-cache"
        reference = work / f"reference-{size}"
        out = work / f"out-{size}"
        times = {"cold": [], "warm": [], "no-cache": []}
        for turn in range(args.runs):
            for kind in ("cold", "warm", "no-cache"):
                if kind == "cold":
                    shutil.rmtree(cache, ignore_errors=True)
                shutil.rmtree(out, ignore_errors=True)
                flags = ["--no-cache"] if kind == "no-cache" else []
                times[kind].append(run([GEN, "-q", "-r", site, "build", "-o", out, *flags]))
                if not reference.exists():
                    out.rename(reference)
                elif not same_tree(reference, out):
                    sys.exit(f"{kind} build of {size} posts differs from the first cold one")
            print(f"  {size} posts, turn {turn + 1}: " + ", ".join(
                f"{k} {v[-1][0]:.2f}s wall {v[-1][1]:.2f}s CPU" for k, v in times.items()))
        cache_mb = sum(f.stat().st_size for f in cache.rglob("*") if f.is_file()) / 2**20
        med = {k: [statistics.median(x[i] for x in v) for i in range(3)] for k, v in times.items()}
        print(f"{size} posts (medians of {args.runs}; cache {cache_mb:.1f} MB):")
        for k, (wall, cpu, rss) in med.items():
            print(f"  {k:9} wall {wall:6.2f} s  CPU {cpu:6.2f} s  peak RSS {rss:6.0f} MB")
        print(f"  warm / cold: wall {med['warm'][0] / med['cold'][0]:.2f}x, CPU {med['warm'][1] / med['cold'][1]:.2f}x")
        print(f"  load after: {os.getloadavg()[0]:.2f}")
        shutil.rmtree(reference, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
        # gen_corpus refuses a folder holding files it did not write.
        shutil.rmtree(cache, ignore_errors=True)


if __name__ == "__main__":
    main()
