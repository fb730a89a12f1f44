"""Cleaning and extraction of source texts: team-written fixtures, bad input, and the two corpus articles."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import polars as pl
import pytest

from rare_earths.build import cli
from rare_earths.common import paths
from rare_earths.texts import articles, claims, clean_folder, lines, reading, write_outputs

FIXTURES = Path(__file__).parents[1] / "fixtures" / "texts"
CORPUS = paths.PROJECT_ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="module")
def cleaned():
    return clean_folder(FIXTURES)


def _document(cleaned, file: str) -> dict:
    rows = cleaned.documents.filter(pl.col("file") == file).to_dicts()
    assert len(rows) == 1, f"{file} not among the documents"
    return rows[0]


def _below_headline(document: dict) -> str:
    """The body without the headline paragraph that opens it (the headline is also the title)."""
    headline = document["title"] + "\n\n"
    assert document["body"].startswith(headline), "the body opens with the headline"
    return document["body"].removeprefix(headline)


def _items(
    cleaned, file: str, kinds=("percentage", "money", "quantity", "duration", "year", "date")
) -> set[tuple]:
    doc_id = _document(cleaned, file)["doc_id"]
    frame = cleaned.claims.filter((pl.col("doc_id") == doc_id) & pl.col("kind").is_in(kinds))
    return {
        (
            r["kind"],
            r["text"],
            r["value"],
            r["unit"] if r["kind"] not in ("date", "year") else r["normalised"],
        )
        for r in frame.to_dicts()
    }


# --- the ten fixtures, one page layout each -------------------------------------------------------

EXPECTED_DOCUMENTS = {
    "01_news_site.txt": {
        "title": "Magnet Makers Look Beyond One Supplier",
        "published": dt.date(2024, 3, 4),
        "outlet": "The Harbour Ledger",
        "byline": "Ana Ortiz",
        "original_outlet": None,
        "paragraphs": 3,
    },
    "02_blog_repost.md": {
        "title": "Why Recycling Will Not Close the Gap Soon",
        "published": dt.date(2023, 5, 12),
        "byline": "Tom Reyes",
        "original_outlet": "The Mining Review",
        "tags": ["recycling", "magnets", "policy"],
        "paragraphs": 2,
    },
    "03_press_release.txt": {
        "title": "Example Metals Corp. Signs Offtake Agreement With Kanto Motors",
        "published": dt.date(2022, 6, 2),
        "paragraphs": 3,
    },
    "04_forum_post.txt": {
        "title": "Are NdPr prices bottoming out?",
        "published": dt.date(2024, 1, 8),
        "byline": "orebody_fan",
        "paragraphs": 2,
    },
    "05_briefing_emoji.txt": {
        "title": "Tokyo Bets on Seabed Mud",
        "outlet": "Coastline",
        "byline": "Coastline briefings",
        "original_outlet": "The Harbour Ledger",
        "published": None,
        "paragraphs": 3,
    },
    "06_page.html": {
        "title": "EU names strategic projects",
        "published": dt.date(2025, 3, 25),
        "outlet": "Continental Wire",
        "byline": "Piet de Vries",
        "tags": ["EU", "critical raw materials"],
        "paragraphs": 2,
    },
    "07_cookie_banner.txt": {
        "title": "Canada Opens Separation Plant",
        "published": dt.date(2024, 10, 3),
        "paragraphs": 2,
    },
    "08_cp1252.txt": {
        "title": "Japan’s stockpile grows",
        "published": dt.date(2012, 7, 5),
        "encoding": "cp1252",
        "paragraphs": 2,
    },
    "09_mojibake.txt": {
        "title": "Lynas ships first concentrate",
        "published": dt.date(2012, 11, 26),
        "paragraphs": 2,
    },
}


@pytest.mark.parametrize("file", sorted(EXPECTED_DOCUMENTS))
def test_fixture_metadata(cleaned, file):
    document = _document(cleaned, file)
    expected = dict(EXPECTED_DOCUMENTS[file])
    assert len(_below_headline(document).split("\n\n")) == expected.pop("paragraphs")
    for column, value in expected.items():
        assert document[column] == value, column


def test_news_site_keeps_the_paragraphs_and_drops_the_furniture(cleaned):
    body = _below_headline(_document(cleaned, "01_news_site.txt"))
    assert body.startswith("Three European magnet makers said on Monday")
    assert body.endswith("said Lena Park, chief executive of Nordmag.")
    for furniture in (
        "Independent news since 1998",
        "Share on",
        "Related articles",
        "Prices slide",
        "Magnet Makers Look",  # the headline opens the body once; its repeat as a caption is dropped
        "World",
    ):
        assert furniture not in body


def test_emoji_bullets_lose_the_emoji_and_keep_their_labels(cleaned):
    body = _below_headline(_document(cleaned, "05_briefing_emoji.txt"))
    paragraphs = body.split("\n\n")
    assert paragraphs[0].startswith("The news: A survey ship")
    assert paragraphs[1].startswith("- Officials hope")
    assert paragraphs[2].startswith("The number: The seabed deposit")
    assert "📌" not in body and "📊" not in body and "•" not in body
    assert "summarises the day's news" not in body and "Support us" not in body and "min read" not in body


def test_press_release_and_forum_footers_are_dropped(cleaned):
    release = _below_headline(_document(cleaned, "03_press_release.txt"))
    assert (
        "FOR IMMEDIATE RELEASE" not in release
        and "About Example Metals" not in release
        and "Media contact" not in release
    )
    assert "###" not in release and release.startswith("TOKYO, June 2, 2022")
    forum = _document(cleaned, "04_forum_post.txt")["body"]
    assert (
        "Metals Forum" not in forum
        and "Joined" not in forum
        and "Reply" not in forum
        and "Post by" not in forum
    )


def test_markdown_and_cookie_banner_are_cleaned(cleaned):
    blog = _document(cleaned, "02_blog_repost.md")["body"]
    assert (
        "#" not in blog
        and "*" not in blog
        and "Leave a Reply" not in blog
        and "email address" not in blog
        and "reposted" not in blog
    )
    cookie = _document(cleaned, "07_cookie_banner.txt")["body"]
    assert "cookies" not in cookie and "Accept all" not in cookie and "Manage preferences" not in cookie


def test_encoding_and_mojibake_are_repaired_and_recorded(cleaned):
    assert "“rare metal” stockpile" in _document(cleaned, "08_cp1252.txt")["body"]
    assert "¥10 billion" in _document(cleaned, "08_cp1252.txt")["body"]
    mojibake = _document(cleaned, "09_mojibake.txt")["body"]
    assert "company’s plant" in mojibake and "“This is a milestone,”" in mojibake and "â€" not in mojibake
    reasons = {(r["file"], r["reason"]) for r in cleaned.problems.to_dicts()}
    assert any(
        file == "09_mojibake.txt" and reason.startswith("mojibake or Unicode normalisation fixed by ftfy")
        for file, reason in reasons
    )
    assert any(file == "08_cp1252.txt" and "decoded as cp1252" in reason for file, reason in reasons)


def test_html_scripts_and_event_handlers_never_reach_the_body(cleaned):
    body = _below_headline(_document(cleaned, "06_page.html"))
    assert body.startswith("The European Commission selected 47 strategic projects")
    for leaked in (
        "TRACKING-SCRIPT-TEXT",
        "INLINE-SCRIPT-TEXT",
        "EVENT-HANDLER-TEXT",
        "trackPageView",
        "Subscribe",
        "Home",
    ):
        assert leaked not in body
    problem = cleaned.problems.filter(pl.col("file") == "06_page.html").row(0, named=True)
    assert (
        problem["action"] == "repaired"
        and "2 <script> element(s) and 2 event-handler attribute(s)" in problem["reason"]
    )


def test_a_page_that_is_only_boilerplate_is_skipped_with_a_reason(cleaned):
    assert "10_only_boilerplate.txt" not in cleaned.documents["file"].to_list()
    problem = cleaned.problems.filter(pl.col("file") == "10_only_boilerplate.txt").row(0, named=True)
    assert problem["action"] == "skipped" and problem["reason"].startswith(
        "no article text: all 6 non-empty line(s)"
    )


EXPECTED_FIGURES = {
    "01_news_site.txt": {
        ("quantity", "1,200 tonnes", 1200.0, "t"),
        ("money", "€75 million", 75e6, "EUR"),
        ("duration", "18 months", 18.0, "month"),
    },
    "03_press_release.txt": {
        ("date", "June 2, 2022", None, "2022-06-02"),
        ("duration", "ten-year", 10.0, "year"),
        ("quantity", "up to 3,000 t REO", 3000.0, "t REO"),
        ("money", "US$120 million", 120e6, "USD"),
    },
    "04_forum_post.txt": {
        ("percentage", "about 30%", 30.0, "%"),
        ("year", "2023", 2023.0, "2023"),
        ("money", "$60 per kilogram", 60.0, "USD/kg"),
        ("year", "2010", 2010.0, "2010"),
        ("year", "2011", 2011.0, "2011"),
        ("duration", "three months", 3.0, "month"),
    },
    "05_briefing_emoji.txt": {
        ("quantity", "5,500 metres", 5500.0, "m"),
        ("date", "January 2026", None, "2026-01"),
        ("money", "2,000 yen per kilogram", 2000.0, "JPY/kg"),
        ("quantity", "16 million tonnes", 16e6, "t"),
        ("year", "2018", 2018.0, "2018"),
    },
    "06_page.html": {("percentage", "no more than 65%", 65.0, "%"), ("year", "2030", 2030.0, "2030")},
    "08_cp1252.txt": {
        ("quantity", "1,500 tonnes", 1500.0, "t"),
        ("year", "2011", 2011.0, "2011"),
        ("money", "¥10 billion", 10e9, "JPY"),
        ("duration", "60 days", 60.0, "day"),
    },
}


@pytest.mark.parametrize("file", sorted(EXPECTED_FIGURES))
def test_fixture_figures(cleaned, file):
    assert _items(cleaned, file) == EXPECTED_FIGURES[file]


def test_quotes_carry_speaker_and_role(cleaned):
    quotes = cleaned.claims.filter(pl.col("kind") == "quote").select("speaker", "speaker_role").rows()
    assert ("Lena Park", "chief executive of Nordmag") in quotes
    assert ("Mika Sato", "president of Example Metals") in quotes
    assert ("Amanda Lacaze", "chief executive") in quotes


def test_countries_use_iso_codes_and_capitals_stand_in(cleaned):
    countries = set(cleaned.claims.filter(pl.col("kind") == "country").select("text", "normalised").rows())
    assert {
        ("Brussels", "EU"),
        ("Ottawa", "CA"),
        ("Beijing", "CN"),
        ("Estonia", "EE"),
        ("Japanese", "JP"),
    } <= countries


def test_offsets_point_into_the_body(cleaned):
    bodies = dict(cleaned.documents.select("doc_id", "body").rows())
    for row in cleaned.claims.to_dicts():
        assert bodies[row["doc_id"]][row["start"] : row["end"]] == row["text"]
        assert row["text"] in row["sentence"] or row["kind"] == "quote"


# --- extraction rules on single sentences -------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "kind", "value", "unit"),
    [
        ("Sojitz invested $250 million in the miner.", "money", 250_000_000, "USD"),
        ("The state lent A$1.2 billion to the project.", "money", 1_200_000_000, "AUD"),
        ("A budget of 100 billion yen was approved.", "money", 100_000_000_000, "JPY"),
        ("China imposed a two-month halt on shipments.", "duration", 2, "month"),
        ("Output reached 12,000 t REO last year.", "quantity", 12_000, "t REO"),
        ("Imports fell 20 percentage points.", "percentage", 20, "percentage point"),
        ("China refines 91 per cent of the world's rare earths.", "percentage", 91, "%"),
    ],
)
def test_numbers_are_normalised(sentence, kind, value, unit):
    [item] = [c for c in claims.extract("d", sentence) if c.kind == kind]
    assert (item.value, item.unit) == (value, unit)


def test_date_ranges_and_periods():
    items = claims.extract(
        "d",
        "Quotas applied from 2010-2012. Controls ran from April to October 2025. "
        "China supplied 60% of imports in 2020.",
    )
    ranges = {(c.kind, c.date_start, c.date_end) for c in items if c.kind in ("year", "date")}
    assert ("year", "2010-01-01", "2012-12-31") in ranges
    assert ("date", "2025-04-01", "2025-10-31") in ranges
    [share] = [c for c in items if c.kind == "percentage"]
    assert share.period == "2020" and share.subject == "imports"


def test_a_later_surname_resolves_to_the_full_speaker():
    body = (
        "“We learned early,” said Aiko Tanaka, a ministry official.\n\n"
        "“Scale brings costs down,” said Tanaka."
    )
    speakers = [(c.speaker, c.speaker_role) for c in claims.extract("d", body) if c.kind == "quote"]
    assert speakers == [("Aiko Tanaka", "a ministry official"), ("Aiko Tanaka", "a ministry official")]


def test_line_classifier_labels_furniture_by_kind():
    text = (
        "Site Name — News for all\n\nA Title About Rare Earth Supply\n\n"
        "By A. Writer\n4 min read\nPhoto: archive image\n"
        "The first paragraph is long enough to count as article text here.\n"
        "Click here to subscribe!\nRelated posts\n"
        "A teaser for another story that should not be kept."
    )
    classified = lines.split_lines(text)
    title = lines.classify(classified)
    labels = {line.text: line.label for line in classified}
    assert title == "A Title About Rare Earth Supply"
    assert labels["By A. Writer"] == "byline"
    assert (
        labels["4 min read"]
        == labels["Photo: archive image"]
        == labels["Click here to subscribe!"]
        == "boilerplate"
    )
    assert labels["A teaser for another story that should not be kept."] == "boilerplate"
    assert lines.banner_site(classified) == "Site Name"


# --- bad input ----------------------------------------------------------------------------------------


def _write_article(path: Path, extra: str = "") -> None:
    path.write_text(
        "A Test Article Title\n\nMarch 1, 2024\n\n"
        f"The plant will produce 5,000 tonnes of oxide a year from 2026.{extra}\n",
        encoding="utf-8",
    )


def test_bad_inputs_are_each_recorded(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "empty.txt").write_bytes(b"")
    (src / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (src / "undecodable.txt").write_bytes(
        b"A Test Title Here\n\nThe plant ships 40 tonnes a month now and more later.\n"
        + b"\xff\xfe\xfa broken tail sentence goes here.\n"
    )
    with open(src / "huge.txt", "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # a sparse 50 MB file: refused by size before it is read
    (src / "page.html").write_text(
        '<html><body onload="x()"><article><h1>Heading Of The Page</h1>'
        '<p onclick="steal()">The county approved a separation plant for 3,000 tonnes a year.</p>'
        '<script>alert("SCRIPT-BODY")</script></article></body></html>'
    )
    _write_article(src / "first.txt")
    _write_article(src / "second copy.txt")
    (src / "notes.pdf").write_bytes(b"%PDF-1.4")
    result = clean_folder(src)
    problems = {row["file"]: (row["action"], row["reason"]) for row in result.problems.to_dicts()}
    assert problems["empty.txt"] == ("skipped", "empty file (0 bytes)")
    assert problems["binary.txt"][0] == "skipped" and "binary" in problems["binary.txt"][1]
    assert problems["huge.txt"] == (
        "refused",
        "file is 52,428,800 bytes, over the 5,000,000-byte limit (--max-bytes)",
    )
    assert problems["undecodable.txt"][0] == "repaired"
    assert (
        problems["page.html"][0] == "repaired"
        and "1 <script> element(s) and 2 event-handler" in problems["page.html"][1]
    )
    assert problems["second copy.txt"][0] == "skipped" and problems["second copy.txt"][1].startswith(
        "duplicate of first.txt"
    )
    assert problems["notes.pdf"][0] == "skipped" and "unsupported file type .pdf" in problems["notes.pdf"][1]
    assert sorted(result.documents["file"]) == ["first.txt", "page.html", "undecodable.txt"]
    assert "SCRIPT-BODY" not in "".join(result.documents["body"]) and "steal" not in "".join(
        result.documents["body"]
    )
    assert set(problems) | set(result.documents["file"]) == {
        p.name for p in src.iterdir()
    }  # nothing silently dropped


def test_undecodable_bytes_are_replaced_and_counted(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(b"Plain words then \xff\xfe bytes.")
    decoded = reading.read_source(path)
    assert decoded.text is not None and decoded.actions and decoded.actions[0][0] == "repaired"


def test_a_failed_write_leaves_earlier_outputs_untouched(tmp_path, monkeypatch):
    out = tmp_path / "out"
    write_outputs(clean_folder(FIXTURES), out)
    before = {p.name: p.read_bytes() for p in out.glob("*.parquet")}
    calls = []

    def failing_write(self, target, *args, **kwargs):
        calls.append(target)
        if len(calls) == 2:
            raise OSError("disk full")
        return original(self, target, *args, **kwargs)

    original = pd.DataFrame.to_parquet
    monkeypatch.setattr(pd.DataFrame, "to_parquet", failing_write)
    with pytest.raises(OSError, match="disk full"):
        write_outputs(clean_folder(FIXTURES), out)
    assert {p.name: p.read_bytes() for p in out.glob("*.parquet")} == before
    assert not list(out.glob(".*.part"))


def test_cli_writes_the_three_tables_and_refuses_a_missing_folder(tmp_path, capsys):
    assert cli.main(["texts", str(FIXTURES), "--out", str(tmp_path)]) == 0
    assert (
        pl.read_parquet(tmp_path / "documents.parquet").height == 16
    )  # nine English layouts, seven of issue 16
    assert pl.read_parquet(tmp_path / "problems.parquet").height == 4
    assert cli.main(["texts", str(tmp_path / "absent"), "--out", str(tmp_path)]) == 2
    assert "not a folder of source texts" in capsys.readouterr().err


# --- the two seed articles (../shared/corpus) --------------------------------------------------------
# Expectations are line numbers of the source files, so no sentence of the articles is copied here.

SEED = {
    "000_ad2884b5b7757b65.txt": {
        "title_line": 5,
        "kept": [16, 18, 20, 22, 24, 26, 28, 30, 31, 32, 34, 36, 38, 40, 42, 44, 46, 48],
        "dropped": [1, 3, 13, 14, 52],
        "published": dt.date(2025, 12, 8),
        "outlet": "Newsclip",
        "original_outlet": "The New York Times",
        "figures": {
            ("year", "2010", 2010.0, "2010"),
            ("date", "September 2010", None, "2010-09"),
            ("duration", "two-month", 2.0, "month"),
            ("duration", "15 years", 15.0, "year"),
            ("money", "$250 million", 250e6, "USD"),
            ("percentage", "30%", 30.0, "%"),
        },
        "quotes": [("Naoki Kobayashi", "a trade ministry official")] * 3,
    },
    "003_29df297da22cacd0.txt": {
        "title_line": 3,
        "kept": [14, 15, 16, 18, 19, 20, 22, 23, 24, 26, 27, 28, 30, 32],
        "dropped": [1, 5, 9, 12, 34, 36, 38, 39, 41, 43, 45, 48, 51, 53, 55],
        "published": None,
        "outlet": "illuminem",
        "original_outlet": "The Wall Street Journal",
        "figures": {
            ("year", "2010", 2010.0, "2010"),
            ("year", "2025", 2025.0, "2025"),
            ("percentage", "over 85%", 85.0, "%"),
        },
        "quotes": [("Yoko Kubota", "reporting for The Wall Street Journal")],
    },
}
needs_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"{CORPUS} is absent: the seed articles are not in the repository"
)


@pytest.fixture(scope="module")
def corpus():
    return clean_folder(CORPUS)


def _line_text(file: str, number: int) -> str:
    """A source line as the cleaner sees it: decoded, stripped, bullet or emoji marker removed."""
    raw = reading.read_source(CORPUS / file).text.splitlines()[number - 1]
    return lines.split_lines(raw)[0].text


@needs_corpus
@pytest.mark.parametrize("file", sorted(SEED))
def test_seed_article_body_keeps_every_paragraph_and_drops_every_boilerplate_line(corpus, file):
    expected = SEED[file]
    document = _document(corpus, file)
    body_lines = [line.removeprefix("- ") for line in _below_headline(document).split("\n") if line]
    assert body_lines == [_line_text(file, n) for n in expected["kept"]]
    for number in expected["dropped"]:
        assert _line_text(file, number) not in body_lines
    assert document["title"] == _line_text(file, expected["title_line"])


@needs_corpus
@pytest.mark.parametrize("file", sorted(SEED))
def test_seed_article_metadata_figures_and_quotes(corpus, file):
    expected = SEED[file]
    document = _document(corpus, file)
    assert (document["published"], document["outlet"], document["original_outlet"]) == (
        expected["published"],
        expected["outlet"],
        expected["original_outlet"],
    )
    assert _items(corpus, file) == expected["figures"]
    quotes = corpus.claims.filter((pl.col("doc_id") == document["doc_id"]) & (pl.col("kind") == "quote"))
    assert quotes.select("speaker", "speaker_role").rows() == expected["quotes"]


def test_article_ids_depend_on_content_only():
    one = articles.from_text(
        "a.txt", "Some Title Here\n\nThe body text is long enough to be a paragraph here."
    )
    two = articles.from_text(
        "b.txt", "Some Title Here\n\nThe body   text is long enough to be a paragraph here."
    )
    assert one.doc_id == two.doc_id and len(one.doc_id) == 16


@pytest.mark.parametrize("prefix", ["Ledger|", "Re: "])
def test_the_headline_opens_the_body_without_a_site_or_reply_prefix(prefix):
    page = (
        f"Business\n\n{prefix}Tokyo Weighs a Second Magnet Supplier for Its Carmakers\n\n"
        "The trade ministry met three carmakers on Tuesday to discuss a second supplier of magnets.\n\n"
        "Officials said a decision could come within two months."
    )
    article = articles.from_text("p.txt", page)
    paragraphs = article.body.split("\n\n")  # the section label before the headline is dropped
    assert article.title == paragraphs[0] == "Tokyo Weighs a Second Magnet Supplier for Its Carmakers"
    assert article.headline == paragraphs[0] and len(paragraphs) == 3


def test_a_headline_without_article_text_is_no_article():
    article = articles.from_text(
        "p.txt", "Home | World\n\nTokyo Weighs a Second Magnet Supplier\n\nShare on X"
    )
    assert article.body == "" and article.headline == ""


def test_the_article_id_does_not_depend_on_the_headline():
    text = "The trade ministry met three carmakers on Tuesday to discuss a second magnet supplier."
    one = articles.from_text("a.txt", "Tokyo Weighs a Second Magnet Supplier\n\n" + text)
    two = articles.from_text("b.txt", "Carmakers Meet the Trade Ministry on Magnets\n\n" + text)
    untitled = articles.from_text("c.txt", text)
    assert one.body != two.body and one.doc_id == two.doc_id == untitled.doc_id
