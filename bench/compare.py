#!/usr/bin/env python3
"""Times `gen build` against the floor and Hugo on the same generated corpus.

For each corpus variant and size, writes the corpus with `examples/gen_corpus`
(seeded, so every run uses the same posts, and a rerun rewrites nothing), then
builds it with gen, with `examples/floor` (the posts read, rendered and
highlighted with the same syntax set and written in parallel, nothing else: the
unavoidable part of a build) and with Hugo, in turns, several times each after
one untimed warm-up run, into fresh folders. It checks that each produced every
post page (and gen and Hugo the feeds and listings, so a broken build cannot
look fast), and prints medians of wall time, CPU time and peak RSS, with the
ratios gen / floor and gen / Hugo (of wall and of CPU times), the machine (cores, CPU model) and the load
average before and after each size (other processes on a shared machine change
the figures; the turns spread that over all three alike).

    python3 bench/compare.py [--sizes 1000,10000] [--runs 5] [--warmup 1] [--work /tmp/byline-bench]
                             [--variants realistic,cached] [--kits] [--no-search] [--no-hugo] [--no-floor]

`--variants`: `realistic` (the default: every code block different) and/or
`cached` (the earlier corpus of six repeated snippets, for contrast).
`--kits` keeps gen's share kits on (Hugo has none). `--no-search` turns gen's
search index off (Hugo builds none).
`--work` on a tmpfs (`/dev/shm/byline-bench`) takes the disk out of the figures;
on a disk, wait a few minutes after deleting many files before timing (ext4
without a journal checks recently freed inodes on every file it creates).

Needs `hugo` on PATH (Debian: `apt-get install hugo`) unless --no-hugo. Builds
gen and the examples in release mode first (unless --no-build); GEN_BIN,
GEN_CORPUS_BIN and FLOOR_BIN name other binaries to time.
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
FLOOR = Path(os.environ.get("FLOOR_BIN", ROOT / "target" / "release" / "examples" / "floor"))


def run(cmd, cwd=None):
    """Runs cmd; returns (seconds, CPU seconds, peak RSS in MB)."""
    start = time.perf_counter()
    proc = subprocess.run(
        ["/usr/bin/time", "-f", "%U %S %M", *cmd],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(map(str, cmd))}\n{proc.stderr[-2000:]}")
    user, system, rss_kb = proc.stderr.strip().splitlines()[-1].split()
    return elapsed, float(user) + float(system), int(rss_kb) / 1024


def machine() -> str:
    """Cores, CPU model, memory and kernel, for the figures' context."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    mem = ""
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
            mem = f", {kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({model}){mem}, {os.uname().sysname} {os.uname().release}"


def load() -> str:
    """The 1-, 5- and 15-minute load averages."""
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


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
    if name == "floor":
        return
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
    ap.add_argument("--warmup", type=int, default=1, help="untimed runs of each program first")
    ap.add_argument("--work", default="/tmp/byline-bench")
    ap.add_argument("--variants", default="realistic", help="realistic, cached, or both comma-separated")
    ap.add_argument("--no-hugo", action="store_true", help="leave Hugo out")
    ap.add_argument("--no-floor", action="store_true", help="leave the floor out")
    ap.add_argument("--no-build", action="store_true", help="use the release binaries as they are")
    ap.add_argument("--kits", action="store_true", help="keep gen's share kits on (Hugo has none)")
    ap.add_argument("--no-search", action="store_true", help="turn gen's search index off (Hugo builds none)")
    args = ap.parse_args()

    if not args.no_build:
        subprocess.run(
            ["cargo", "build", "--release", "--quiet", "--bin", "gen", "--example", "gen_corpus", "--example", "floor"],
            cwd=ROOT,
            check=True,
        )
    hugo = None if args.no_hugo else shutil.which("hugo")
    if not args.no_hugo and not hugo:
        sys.exit("hugo not found: apt-get install hugo, or pass --no-hugo")
    if hugo:
        ver = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout.strip()
        print(f"hugo: {ver}")
    print(f"machine: {machine()}")
    work = Path(args.work)
    print(f"output: {work} ({'tmpfs' if on_tmpfs(work.parent if not work.exists() else work) else 'disk'})")
    print(f"gen: share kits {'on' if args.kits else 'off'}, search {'off' if args.no_search else 'on'}; medians of {args.runs} runs after {args.warmup} warm-up run(s) each")
    names = ["gen"] + ([] if args.no_floor else ["floor"]) + (["hugo"] if hugo else [])
    rows = []
    leftovers = []
    for variant in args.variants.split(","):
        for size in [int(s) for s in args.sizes.split(",")]:
            corpus = work / f"corpus-{variant}-{size}"
            corpus_args = [CORPUS, "--posts", str(size), "--out", corpus, "--variant", variant]
            corpus_args += ["--kits"] if args.kits else []
            corpus_args += ["--no-search"] if args.no_search else []
            made = subprocess.run(corpus_args, check=True, capture_output=True, text=True).stdout.strip()
            print(f"corpus {variant} {size}: {made}")
            times = {n: [] for n in names}
            cpu = {n: [] for n in names}
            rss = {n: [] for n in names}
            load_before = load()
            # Untimed runs (one by default) warm the page cache; then the programs take
            # turns, so that a change in the machine's state (another process, the
            # file system's bookkeeping) falls on all alike.
            for i in range(-args.warmup, args.runs):
                for name in names:
                    out = work / f"out-{name}-{variant}-{size}-{i + 1}"
                    shutil.rmtree(out, ignore_errors=True)
                    if name == "gen":
                        cmd = [GEN, "-q", "-r", corpus / "gen", "build", "-o", out]
                    elif name == "floor":
                        cmd = [FLOOR, corpus / "gen", out]
                    else:
                        cmd = [hugo, "--quiet", "-s", corpus / "hugo", "-d", out]
                    t, c, m = run(cmd)
                    check_output(out, size, name)
                    print(f"  {variant} {size} run {i + 1}: {name} {t:.2f} s, CPU {c:.2f} s, {m:.0f} MB, load {load()}", file=sys.stderr, flush=True)
                    # On a disk, outputs are deleted only at the end: deleting between
                    # runs makes the file system slower for whichever program runs
                    # next. A tmpfs has no such cost, and holds them in memory.
                    if on_tmpfs(work):
                        shutil.rmtree(out, ignore_errors=True)
                    else:
                        leftovers.append(out)
                    if i >= 0:
                        times[name].append(t)
                        cpu[name].append(c)
                        rss[name].append(m)
            results = {
                n: (statistics.median(times[n]), statistics.median(cpu[n]), statistics.median(rss[n])) for n in names
            }
            rows.append((variant, size, results, f"{load_before} → {load()}"))
            if len(rows) == 1:
                print(header(names))
            print(row(names, rows[-1]), flush=True)

    for out in leftovers:
        shutil.rmtree(out, ignore_errors=True)
    print("\nall:")
    print(header(names))
    for r in rows:
        print(row(names, r))


def header(names) -> str:
    """The table's header and separator lines (Markdown)."""
    cells = ["corpus", "posts"] + [f"{n} time (CPU)" for n in names]
    cells += [f"gen / {n} (CPU)" for n in names[1:]] + [f"{n} peak RSS" for n in names]
    cells.append("load (1, 5, 15 min) before → after")
    return "| " + " | ".join(cells) + " |\n|---|" + "---:|" * (3 * len(names)) + "---|"


def row(names, result) -> str:
    """One table line: medians, ratios of wall times, memory, load."""
    variant, size, r, ld = result
    cells = [variant, f"{size:,}"]
    cells += [f"{r[n][0]:.2f} s ({r[n][1]:.2f} s)" for n in names]
    cells += [f"{r['gen'][0] / r[n][0]:.2f} ({r['gen'][1] / r[n][1]:.2f})" for n in names[1:]]
    cells += [f"{r[n][2]:.0f} MB" for n in names]
    cells.append(ld)
    return "| " + " | ".join(cells) + " |"

if __name__ == "__main__":
    main()
