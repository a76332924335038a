#!/usr/bin/env python3
"""Times `gen build` against Hugo on the same generated corpus.

For each size, writes the corpus with `examples/gen_corpus` (seeded, so every run
uses the same posts, and a rerun rewrites nothing), builds it with both
generators in turns, several times each after one untimed warm-up run, into fresh
folders, checks that each produced every post page and the feeds (so a broken
build cannot look fast), and prints a table of median wall time, median peak
RSS and the ratio.

    python3 bench/compare.py [--sizes 1000,10000] [--runs 5] [--work /tmp/byline-bench]

`--work` on a tmpfs (`/dev/shm/byline-bench`) takes the disk out of the figures;
on a disk, wait a few minutes after deleting many files before timing (ext4
without a journal checks recently freed inodes on every file it creates).

Needs `hugo` on PATH. Builds gen in release mode first (unless --no-build);
GEN_BIN and GEN_CORPUS_BIN name other binaries to time.
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


def run(cmd, cwd=None):
    """Runs cmd; returns (seconds, peak RSS in MB)."""
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *cmd],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{proc.stderr[-2000:]}")
    rss_kb = int(proc.stderr.strip().splitlines()[-1])
    return elapsed, rss_kb / 1024


def on_tmpfs(path: Path) -> bool:
    """Whether `path` is on a tmpfs (by the longest mount point above it)."""
    path = path.resolve()
    best, fstype = "", ""
    try:
        with open("/proc/mounts") as mounts:
            for line in mounts:
                parts = line.split()
                mount, kind = parts[1], parts[2]
                if (str(path) + "/").startswith(mount.rstrip("/") + "/") and len(mount) > len(best):
                    best, fstype = mount, kind
    except OSError:
        return False
    return fstype == "tmpfs"


def check_output(out: Path, posts: int, name: str):
    pages = list((out / "posts").glob("*/index.html"))
    if len(pages) != posts:
        sys.exit(f"{name}: expected {posts} post pages, found {len(pages)}")
    for feed in ["index.xml" if name == "hugo" else "rss.xml", "sitemap.xml"]:
        if not (out / feed).is_file():
            sys.exit(f"{name}: missing {feed}")
    if not list((out / "tags").glob("*/index.html")):
        sys.exit(f"{name}: no tag pages")
    if not list((out / "authors").glob("*/index.html")):
        sys.exit(f"{name}: no author pages")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--work", default="/tmp/byline-bench")
    ap.add_argument("--no-hugo", action="store_true", help="time gen only")
    ap.add_argument("--no-build", action="store_true", help="use the release binaries as they are")
    ap.add_argument("--kits", action="store_true", help="keep gen's share kits on (Hugo has none)")
    args = ap.parse_args()

    if not args.no_build:
        subprocess.run(
            ["cargo", "build", "--release", "--quiet", "--bin", "gen", "--example", "gen_corpus"], cwd=ROOT, check=True
        )
    hugo = None if args.no_hugo else shutil.which("hugo")
    if not args.no_hugo and not hugo:
        sys.exit("hugo not found: apt-get install hugo, or pass --no-hugo")
    if hugo:
        ver = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()
        print(f"hugo: {ver}")
    print(f"machine: {os.cpu_count()} cores, {os.uname().sysname} {os.uname().release}")
    work = Path(args.work)
    rows = []
    leftovers = []
    for size in [int(s) for s in args.sizes.split(",")]:
        corpus = work / f"corpus-{size}"
        corpus_args = [CORPUS, "--posts", str(size), "--out", corpus] + (["--kits"] if args.kits else [])
        subprocess.run(corpus_args, check=True, stdout=subprocess.DEVNULL)
        names = ["gen", "hugo"] if hugo else ["gen"]
        times = {n: [] for n in names}
        rss = {n: [] for n in names}
        # One untimed run each warms the page cache; then the generators take
        # turns, so that a change in the machine's state (another process, the
        # file system's bookkeeping) falls on both alike.
        for i in range(-1, args.runs):
            for name in names:
                out = work / f"out-{name}-{size}-{i + 1}"
                shutil.rmtree(out, ignore_errors=True)
                if name == "gen":
                    cmd = [GEN, "-q", "-r", corpus / "gen", "build", "-o", out]
                else:
                    cmd = [hugo, "--quiet", "-s", corpus / "hugo", "-d", out]
                t, m = run(cmd)
                check_output(out, size, name)
                # On a disk, outputs are deleted only at the end: deleting between
                # runs makes the file system slower for whichever generator runs
                # next. A tmpfs has no such cost, and holds them in memory.
                if on_tmpfs(work):
                    shutil.rmtree(out, ignore_errors=True)
                else:
                    leftovers.append(out)
                if i >= 0:
                    times[name].append(t)
                    rss[name].append(m)
        results = {n: (statistics.median(times[n]), statistics.median(rss[n])) for n in names}
        rows.append((size, results))

    for out in leftovers:
        shutil.rmtree(out, ignore_errors=True)
    print()
    print("| posts | gen time | gen peak RSS | hugo time | hugo peak RSS | gen / hugo |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size, r in rows:
        g = r["gen"]
        if "hugo" in r:
            h = r["hugo"]
            print(f"| {size:,} | {g[0]:.2f} s | {g[1]:.0f} MB | {h[0]:.2f} s | {h[1]:.0f} MB | {g[0] / h[0]:.2f} |")
        else:
            print(f"| {size:,} | {g[0]:.2f} s | {g[1]:.0f} MB | – | – | – |")


if __name__ == "__main__":
    main()
