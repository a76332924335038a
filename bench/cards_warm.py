#!/usr/bin/env python3
"""Times a warm-cache `gen build` with a social card for every post against the
same build without cards (target: within 10 %).

Writes the realistic corpus with `examples/gen_corpus` (seeded), then builds
it with `[images] social_cards = "all"` once to fill the cache (every card
drawn cold, timed too), and then, in alternating turns (RUNS each), warm
builds with cards and with `social_cards = "off"`, each into a new output
folder. A warm build with cards must publish the same cards as the first
(byte for byte), so a cache that skipped work cannot look fast. Prints the
medians of wall time, CPU time (user + system) and peak RSS, and the ratio.

    python3 bench/cards_warm.py [--posts 10000] [--runs 3] [--work /tmp/byline-cards-bench]

Builds gen and gen_corpus in release mode first (unless --no-build); GEN_BIN
and GEN_CORPUS_BIN name other binaries to time.
"""

import argparse
import filecmp
import os
import re
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


def set_cards(site, mode):
    """Sets `[images] social_cards` in the site's gen.toml."""
    toml = site / "gen.toml"
    text = toml.read_text()
    text = re.sub(r'(?m)^social_cards = .*\n', "", text)
    if re.search(r"(?m)^\[images\]$", text):
        text = re.sub(r"(?m)^\[images\]$", f'[images]\nsocial_cards = "{mode}"', text, count=1)
    else:
        text += f'\n[images]\nsocial_cards = "{mode}"\n'
    toml.write_text(text)


def cards(out):
    """The published cards: name → bytes."""
    folder = out / "processed_images"
    return {f.name: f.read_bytes() for f in folder.glob("card-*.png")} if folder.exists() else {}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--posts", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--work", default="/tmp/byline-cards-bench")
    ap.add_argument("--no-build", action="store_true")
    args = ap.parse_args()
    if not args.no_build:
        subprocess.run(
            ["cargo", "build", "--release", "--bin", "gen", "--example", "gen_corpus"],
            cwd=ROOT,
            check=True,
        )
    work = Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    print(f"machine: {os.cpu_count()} cores; load before: {os.getloadavg()[0]:.2f}")
    corpus = work / "corpus"
    subprocess.run([CORPUS, "--posts", str(args.posts), "--out", corpus], check=True, stdout=subprocess.DEVNULL)
    site = corpus / "gen"
    out = work / "out"

    set_cards(site, "all")
    cold = run([GEN, "-q", "-r", site, "build", "-o", out])
    reference = cards(out)
    if len(reference) < args.posts:
        sys.exit(f"expected a card per post, got {len(reference)} for {args.posts} posts")
    print(f"cold, cards for all {len(reference)} posts: wall {cold[0]:.2f} s, CPU {cold[1]:.2f} s, "
          f"peak RSS {cold[2]:.0f} MB")
    # The cache is warm for pages too (highlighting) after one build of each.
    set_cards(site, "off")
    run([GEN, "-q", "-r", site, "build", "-o", out])

    times = {"all": [], "off": []}
    for turn in range(args.runs):
        for mode in ("off", "all"):
            set_cards(site, mode)
            shutil.rmtree(out, ignore_errors=True)
            times[mode].append(run([GEN, "-q", "-r", site, "build", "-o", out]))
            if mode == "all" and cards(out) != reference:
                sys.exit("a warm build published other cards than the cold one")
            if mode == "off" and cards(out):
                sys.exit('social_cards = "off" published cards')
        print(f"  turn {turn + 1}: " + ", ".join(
            f"{m} {v[-1][0]:.2f}s wall {v[-1][1]:.2f}s CPU" for m, v in times.items()))
    med = {m: [statistics.median(x[i] for x in v) for i in range(3)] for m, v in times.items()}
    print(f"{args.posts} posts, warm cache (medians of {args.runs}):")
    for m, (wall, cpu, rss) in med.items():
        label = "cards" if m == "all" else "no cards"
        print(f"  {label:9} wall {wall:6.2f} s  CPU {cpu:6.2f} s  peak RSS {rss:6.0f} MB")
    print(f"  cards / no cards: wall {med['all'][0] / med['off'][0]:.3f}x, "
          f"CPU {med['all'][1] / med['off'][1]:.3f}x (target: within 1.10x)")
    print(f"  load after: {os.getloadavg()[0]:.2f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
