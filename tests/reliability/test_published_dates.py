"""Item 7 of issue 18 (published dates): `published` comes only from the page's own metadata or dateline,
never from a year the article mentions (trafilatura's guesses were 2010-01-01 and 2019-01-01); an undated
page is left empty, and the earlier articles' rows are unchanged."""

from __future__ import annotations

import polars as pl
import pytest

BODY = (
    "<p>In 2010 China stopped shipments of rare earths to Japan for about two months, and by 2019 Japan had "
    "cut its dependence on Chinese supply to about 58 percent, the agency said in a report.</p>"
    "<p>Lynas, backed by Japanese state finance since 2011, now supplies a third of Japan's needs, according "
    "to the company, which plans a new separation plant in Texas.</p>"
)


def _page(head: str) -> str:
    return (
        f"<!doctype html><html><head><title>Japan's rare-earth lesson</title>{head}</head><body><article>"
        f"<h1>Japan's rare-earth lesson</h1>{BODY}</article></body></html>"
    )


@pytest.mark.parametrize(
    ("name", "head", "published"),
    [
        ("undated.html", "", None),
        (
            "meta.html",
            '<meta property="article:published_time" content="2025-04-09T08:00:00+00:00">',
            "2025-04-09",
        ),
    ],
    ids=["years-in-text-only", "page-metadata"],
)
def test_published_comes_from_the_page_metadata_only(texts_run, name, head, published):
    (texts_run.src / name).write_text(_page(head), encoding="utf-8")
    code, _out, err = texts_run.again()
    assert code == 0, err
    document = texts_run.documents().filter(pl.col("file") == name).row(0, named=True)
    assert document["title"] == "Japan's rare-earth lesson"
    assert (document["published"] and document["published"].strftime("%Y-%m-%d")) == published
    texts_run.good_rows_unchanged()
