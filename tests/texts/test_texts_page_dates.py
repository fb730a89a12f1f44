"""A saved page's publication date comes from its own markup, never from a date or year its text mentions.

The pages in tests/fixtures/texts_page_dates are written by the team. htmldate, asked through trafilatura,
fell back on a YYYY-MM-DD written in the body (and can read a title or a "date" element) when the markup
held no date; that became the article's `published`.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rare_earths.texts import articles, clean_folder

PAGES = Path(__file__).parents[1] / "fixtures" / "texts_page_dates"


@pytest.mark.parametrize(
    ("file", "published"),
    [
        ("no_page_date.html", None),  # the body's "2019-01-01" and "2010" are events, not the page's date
        ("meta_page_date.html", "2024-04-17"),  # article:published_time, not the body's 2019-01-01
        ("time_page_date.html", "2023-11-02"),  # <time pubdate>, not the body's 2019-01-01
    ],
)
def test_published_comes_from_the_page_markup_only(file, published):
    article = articles.from_html(file, (PAGES / file).read_text(encoding="utf-8"))
    assert article.published == published
    assert "2019-01-01" in article.body  # the date the text mentions is still there, as text


def test_a_full_date_in_the_canonical_url_is_the_page_date():
    page = (PAGES / "no_page_date.html").read_text(encoding="utf-8")
    canonical = '<link rel="canonical" href="https://ledger.example/2021/09/14/magnet-makers">'
    article = articles.from_html("with_url.html", page.replace("</head>", canonical + "</head>"))
    assert article.published == "2021-09-14"


def test_a_page_without_a_date_has_an_empty_published_cell():
    cleaned = clean_folder(PAGES)
    published = dict(zip(cleaned.documents["file"], cleaned.documents["published"], strict=True))
    assert published == {
        "meta_page_date.html": dt.date(2024, 4, 17),
        "no_page_date.html": None,
        "time_page_date.html": dt.date(2023, 11, 2),
    }
    assert cleaned.problems.height == 0


@pytest.mark.parametrize(
    "markup",
    [
        '<meta itemprop="copyrightYear" content="2010">',  # htmldate reads it as 2010-01-01
        "<abbr>2010-09-07</abbr>",  # htmldate falls back on any date in an <abbr>'s text
    ],
)
def test_a_copyright_year_or_an_abbreviation_is_no_publication_date(markup):
    page = (PAGES / "no_page_date.html").read_text(encoding="utf-8")
    page = (
        page.replace("</head>", markup + "</head>")
        if "meta" in markup
        else page.replace("<p>", f"<p>{markup} ", 1)
    )
    assert articles.from_html("guess.html", page).published is None
