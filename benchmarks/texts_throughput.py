"""Throughput of `rare_earths.texts.clean_folder` on generated articles (not a test: run with `make bench`).

Writes N synthetic articles in several page layouts (news page with banner and share line, briefing
with emoji bullets, blog repost in Markdown, press release, saved HTML) into a temporary folder,
cleans them over the cores and writes the three tables, and prints the wall time, articles per
second, the processor seconds of the process and its workers (a fairer comparison when other programs
share the cores), and peak memory (resident set of the process and of its largest worker). Each size
runs in a fresh process, so its peak memory is its own. `--big-article-mb 5` adds one article of 5 MB,
which shows that claim extraction grows linearly with an article's length. The text is generated
from a fixed seed and word lists written for this script, so runs are comparable between machines
and commits.

    python benchmarks/texts_throughput.py [--articles 100 1000 10000] [--big-article-mb 5] \\
        [--workers 2] [--seed 7]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rare_earths.texts import clean_folder, write_outputs

SUBJECTS = [
    "Japan",
    "Tokyo",
    "Beijing",
    "The European Union",
    "Washington",
    "Canberra",
    "A Japanese trading house",
    "The agency",
]
VERBS = ["agreed to fund", "announced", "halted", "expanded", "approved", "reviewed", "signed", "delayed"]
OBJECTS = [
    "a separation plant",
    "an offtake contract",
    "its rare-earth stockpile",
    "new export licences",
    "a magnet factory",
    "a recycling pilot",
]
MONTHS = ["January", "March", "April", "July", "September", "October", "December"]


def sentence(rng: random.Random) -> str:
    """One sentence with a figure, a year and a place, like the claims the pipeline extracts."""
    figure = rng.choice(
        [
            f"${rng.randint(5, 900)} million",
            f"{rng.randint(1, 99)}%",
            f"{rng.randint(100, 60000):,} tonnes",
            f"a {rng.choice(['two', 'three', 'six'])}-month pause",
        ]
    )
    return (
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} worth {figure} in "
        f"{rng.choice(MONTHS)} {rng.randint(2009, 2026)}."
    )


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def article(rng: random.Random, index: int) -> tuple[str, str]:
    """A file name and content in one of five layouts."""
    title = f"Report {index}: {rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
    date = f"{rng.choice(MONTHS)} {rng.randint(1, 28)}, {rng.randint(2010, 2026)}"
    paragraphs = [paragraph(rng) for _ in range(rng.randint(4, 9))]
    quote = f"“We need a second source for every tonne,” said Kenji Sato{index}, a ministry official."
    layout = index % 5
    if layout == 0:
        text = "\n\n".join(
            [
                f"Daily Wire {index % 7} — News for industry",
                "Business",
                title,
                date,
                "  • #RareEarths\n  • #Trade",
                "Share on XShare on Facebook",
                title,
                *paragraphs,
                quote,
                "Related posts",
                "Another headline here",
            ]
        )
        return f"{index:05d}.txt", text
    if layout == 1:
        bullets = "\n".join(f"•  {sentence(rng)}" for _ in range(3))
        text = "\n\n".join(
            [
                "background image",
                title,
                "author image",
                "By Desk briefings",
                "· 2 min read",
                f"📌 The news: {sentence(rng)}\n{bullets}",
                f"📈 One stat: {sentence(rng)}",
                "Did you enjoy this? Support us by sharing this article!",
                "About the author",
            ]
        )
        return f"{index:05d}.txt", text
    if layout == 2:
        text = "\n\n".join(
            [
                f"# {title}",
                f"Posted on {date} by Guest Writer",
                "*This post originally appeared in The Example Review and is reposted with permission.*",
                *paragraphs,
                "Tags: magnets, policy",
                "Leave a Reply",
            ]
        )
        return f"{index:05d}.md", text
    if layout == 3:
        text = "\n\n".join(
            [
                "FOR IMMEDIATE RELEASE",
                title,
                f"TOKYO, {date} — {paragraphs[0]}",
                *paragraphs[1:],
                quote,
                "About Example Corp.",
                "Example Corp. makes things. Visit our website to learn more.",
                "###",
            ]
        )
        return f"{index:05d}.txt", text
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    head = (
        f"<head><title>{title}</title><meta property='og:site_name' content='Wire'>"
        "<script>var t=1;</script></head>"
    )
    article_html = f"<article><h1>{title}</h1>{body}<p>{quote}</p></article>"
    page = (
        f"<body onload='t()'><nav>Home | World</nav>{article_html}"
        "<footer>Subscribe to our newsletter</footer></body>"
    )
    html = f"<html>{head}{page}</html>"
    return f"{index:05d}.html", html


def write_articles(folder: Path, count: int, seed: int) -> int:
    """Write `count` generated articles into a folder; returns their size in bytes."""
    rng = random.Random(seed)
    size = 0
    for index in range(count):
        name, text = article(rng, index)
        (folder / name).write_text(text, encoding="utf-8")
        size += len(text.encode())
    return size


def write_big_article(folder: Path, megabytes: float, seed: int) -> int:
    """One article of about `megabytes` MB: a title and paragraphs of generated sentences."""
    rng = random.Random(seed)
    parts, size = ["One Very Long Report On Supply", ""], 0
    while size < megabytes * 1e6:
        text = paragraph(rng)
        parts.append(text + "\n")
        size += len(text.encode()) + 2
    (folder / "big.txt").write_text("\n".join(parts), encoding="utf-8")
    return size


def measure(articles: int, big_megabytes: float, seed: int, workers: int | None) -> dict:
    """Clean and write one generated folder in this process; wall time and peak memory of this process and its
    workers."""
    with tempfile.TemporaryDirectory() as folder:
        src, out = Path(folder, "src"), Path(folder, "out")
        src.mkdir()
        size = (
            write_big_article(src, big_megabytes, seed)
            if big_megabytes
            else write_articles(src, articles, seed)
        )
        started = time.perf_counter()
        cleaned = clean_folder(src, max_bytes=size + 1_000_000, workers=workers)
        write_outputs(cleaned, out)
        seconds = time.perf_counter() - started
    return {
        "articles": 1 if big_megabytes else articles,
        "megabytes": size / 1e6,
        "documents": cleaned.documents.height,
        "claims": cleaned.claims.height,
        "problems": cleaned.problems.height,
        "seconds": seconds,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "worker_peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
        # processor seconds of this process and of its workers: less sensitive than the wall time to other
        # programs sharing the cores
        "cpu_seconds": _cpu_seconds(resource.RUSAGE_SELF),
        "worker_cpu_seconds": _cpu_seconds(resource.RUSAGE_CHILDREN),
    }


def _cpu_seconds(who: int) -> float:
    """User and system processor seconds used so far by this process or by its finished children."""
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def report(result: dict) -> str:
    """One line per measurement."""
    return (
        f"{result['articles']:>6} articles ({result['megabytes']:.1f} MB): {result['seconds']:.2f} s, "
        f"{result['articles'] / result['seconds']:.1f} articles/s; processor {result['cpu_seconds']:.1f} s "
        f"+ workers {result['worker_cpu_seconds']:.1f} s; peak memory {result['peak_mb']:.0f} MB "
        f"(largest worker {result['worker_peak_mb']:.0f} MB); {result['documents']} documents, "
        f"{result['claims']} claims, "
        f"{result['problems']} problems"
    )


def main() -> None:
    """Measure each folder size (and the big article) in a fresh process and print one line for each."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--articles", type=int, nargs="+", default=[100, 1000, 10000], help="folder sizes to measure"
    )
    parser.add_argument(
        "--big-article-mb", type=float, default=0, help="also measure one article of this many MB"
    )
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: every core)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one", type=float, nargs=2, metavar=("ARTICLES", "BIG_MB"), help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.one:
        print(json.dumps(measure(int(arguments.one[0]), arguments.one[1], arguments.seed, arguments.workers)))
        return
    print(f"cores: {os.cpu_count()}, workers: {arguments.workers or os.cpu_count()}")
    cases = [(count, 0.0) for count in arguments.articles] + (
        [(1, arguments.big_article_mb)] if arguments.big_article_mb else []
    )
    for count, megabytes in cases:  # each case in a fresh process, so its peak memory is its own
        command = [
            sys.executable,
            __file__,
            "--one",
            str(count),
            str(megabytes),
            "--seed",
            str(arguments.seed),
        ]
        command += ["--workers", str(arguments.workers)] if arguments.workers else []
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
        print(report(json.loads(output.strip().splitlines()[-1])), flush=True)


if __name__ == "__main__":
    main()
