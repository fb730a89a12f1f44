"""Throughput of `rare_earths.texts.clean_folder` on generated articles (not a test: run with `make bench`).

Writes N synthetic articles in several page layouts (news page with banner and share line, briefing
with emoji bullets, blog repost in Markdown, press release, saved HTML) into a temporary folder,
cleans them, and prints articles per second. The text is generated from a fixed seed and word lists
written for this script, so runs are comparable between machines and commits.

    python benchmarks/texts_throughput.py [--articles 1000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path

from rare_earths.texts import clean_folder

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=7)
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)
    with tempfile.TemporaryDirectory() as folder:
        src = Path(folder)
        size = 0
        for index in range(arguments.articles):
            name, text = article(rng, index)
            (src / name).write_text(text, encoding="utf-8")
            size += len(text.encode())
        started = time.perf_counter()
        cleaned = clean_folder(src)
        seconds = time.perf_counter() - started
    print(
        f"articles: {arguments.articles} ({size / 1e6:.1f} MB), documents: {cleaned.documents.height}, "
        f"claims: {cleaned.claims.height}, problems: {cleaned.problems.height}"
    )
    print(f"time: {seconds:.2f} s, throughput: {arguments.articles / seconds:.1f} articles/s")


if __name__ == "__main__":
    main()
