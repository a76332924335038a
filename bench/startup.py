#!/usr/bin/env python3
"""Times `gen build` on small sites, start-up included: a 10-post site from
`examples/gen_corpus` (share kits on) and the example site. Prints the median
wall time of the whole process over several runs (after one untimed run), the
posts and files built and the median peak RSS.

    python3 bench/startup.py [--runs 20] [--posts 10] [--work /tmp/byline-startup]

Builds gen in release mode first (unless --no-build); GEN_BIN and GEN_CORPUS_BIN
name other binaries to time. The README's "a 10-post site builds in … ms and the
example site in … ms" come from this script.
"""

import argparse
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
    """Runs cmd; returns (seconds, peak RSS in MB)."""
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *map(str, cmd)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{proc.stderr[-2000:]}")
    return elapsed, int(proc.stderr.strip().splitlines()[-1]) / 1024


def summary(site: Path, out: Path) -> str:
    """What gen says it built ("13 posts, 1 page and 102 files"), from an untimed run."""
    proc = subprocess.run([GEN, "-r", site, "build", "-o", out], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(f"gen build {site} failed:\n{proc.stderr[-2000:]}")
    line = (proc.stdout + proc.stderr).strip().splitlines()[-1]
    return line.removeprefix("built ").split(" into ")[0]


def time_site(name: str, site: Path, work: Path, runs: int):
    times, rss = [], []
    built = summary(site, work / f"out-{name}")
    for i in range(runs):
        out = work / f"out-{name}"
        shutil.rmtree(out, ignore_errors=True)
        t, m = run([GEN, "-q", "-r", site, "build", "-o", out])
        if not (out / "index.html").is_file():
            sys.exit(f"{name}: the build wrote no home page")
        times.append(t)
        rss.append(m)
    shutil.rmtree(work / f"out-{name}", ignore_errors=True)
    ms = sorted(t * 1000 for t in times)
    print(
        f"{name} ({built}): median {statistics.median(ms):.0f} ms "
        f"(min {ms[0]:.0f}, max {ms[-1]:.0f}, n={len(ms)}), peak RSS {statistics.median(rss):.0f} MB"
    )


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--posts", type=int, default=10)
    ap.add_argument("--work", default="/tmp/byline-startup")
    ap.add_argument("--no-build", action="store_true", help="use the release binaries as they are")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(
            ["cargo", "build", "--release", "--quiet", "--bin", "gen", "--example", "gen_corpus"], cwd=ROOT, check=True
        )
    print(f"machine: {os.cpu_count()} cores, {os.uname().sysname} {os.uname().release}")
    work = Path(args.work)
    corpus = work / f"corpus-{args.posts}"
    subprocess.run(
        [CORPUS, "--posts", str(args.posts), "--out", corpus, "--kits"], check=True, stdout=subprocess.DEVNULL
    )
    time_site(f"{args.posts}-post site", corpus / "gen", work, args.runs)
    time_site("example site", ROOT / "example-site", work, args.runs)


if __name__ == "__main__":
    main()
