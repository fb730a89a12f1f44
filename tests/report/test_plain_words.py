"""The rendered study report speaks in words: no article hashes, source slugs, snake_case codes or
module.function names in the text a reader sees (links keep their full address as the target only)."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from rare_earths import report
from rare_earths.common import labels, paths

REPORT = paths.REPORTS / "05-study-report.html"
PATTERNS = {
    "article hash": re.compile(r"\b[0-9a-f]{16}\b"),
    "source slug": re.compile(r"\b[a-z0-9][a-z0-9-]*-(?:\d{4}|nd)-[0-9a-f]{4}\b"),
    "snake_case code": re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b"),
    "module.function": re.compile(r"\b[a-z_]+\.[a-z_]+\("),
}


def codes_in(html: str) -> dict[str, list[str]]:
    """What a reader would see of each pattern in the page's visible text."""
    soup = BeautifulSoup(html, "html.parser")
    for hidden in soup(["style", "script", "svg"]):
        hidden.decompose()
    text = soup.get_text(" ")
    return {name: sorted(set(p.findall(text))) for name, p in PATTERNS.items() if p.findall(text)}


def test_the_scan_finds_each_kind_of_code():
    page = (
        "<p>Article 89e4a1ad47253d00 cites kksoukan-com-summa-nd-b147 on overseas_equity_offtake, "
        "see compare.rank_import_figures() <a href='https://x.org/a_b'>x.org</a></p>"
    )
    assert set(codes_in(page)) == set(PATTERNS), "the href is not visible text; everything else is found"


@pytest.mark.skipif(not REPORT.exists(), reason="the study report has not been built (make report)")
def test_the_rendered_study_report_has_no_codes():
    assert codes_in(REPORT.read_text(encoding="utf-8")) == {}


def test_words_replace_codes_and_unknown_codes_stay_visible():
    frame = pd.DataFrame({"instrument": ["magnet_making", "new_lever"], "window_months": [12, 36]})
    shown = labels.words(frame)
    assert shown.columns.tolist() == ["instrument", "window (months)"]
    assert shown["instrument"].tolist() == ["magnet making", "new_lever"]


def test_every_instrument_and_stage_of_the_schema_has_words():
    import json

    schema = json.loads((paths.SOURCE / "common" / "schemas" / "measures.json").read_text())
    enums = {
        f["name"]: f["constraints"]["enum"] for f in schema["fields"] if f["name"] in ("instrument", "stage")
    }
    assert set(enums["instrument"]) <= set(labels.INSTRUMENTS) and set(enums["stage"]) <= set(labels.STAGES)


def test_citation_labels_are_author_date_and_unique():
    sources = pd.DataFrame(
        {
            "source_id": ["reuters-2010-aaaa", "reuters-2010-bbbb", "usgs-2025-cccc"],
            "publisher": ["Reuters (via a reprint)", "Reuters", "U.S. Geological Survey"],
            "published": ["2010-09-23", "2010-10-01", "2025"],
        }
    )
    datasets = pd.DataFrame({"source": ["bgs_wms"], "publisher": ["British Geological Survey, Keyworth"]})
    cite = report.citation_labels(sources, datasets)
    assert cite["reuters-2010-aaaa"] == "Reuters 2010a" and cite["reuters-2010-bbbb"] == "Reuters 2010b"
    assert cite["usgs-2025-cccc"] == "U.S. Geological Survey 2025"
    assert cite["bgs_wms"] == "British Geological Survey (dataset)"
    assert (
        report.readable("share 82% (reuters-2010-bbbb); bgs_wms", cite)
        == "share 82% (Reuters 2010b); British Geological Survey (dataset)"
    )


def test_chart_images_get_their_caption_or_title_as_alt_text():
    import base64

    from rare_earths.build.render import NO_ALT, with_alt_texts

    def chart(title: str) -> str:
        svg = f"<svg><g aria-label=\"Title text 'JP'\"></g><g aria-label=\"Title text '{title}'\"></g></svg>"
        encoded = base64.b64encode(svg.encode()).decode()
        return f'<img {NO_ALT} src="data:image/svg+xml;base64,{encoded}">'

    body = (
        chart("China&#x27;s share")
        + "<p><strong>Figure 4.</strong> China's share of <em>imports</em>.</p>"
        + chart("Prices since 2008")
        + "<p>text</p>"
    )
    alts = re.findall(r'alt="([^"]*)"', with_alt_texts(body))
    assert alts == ["Figure 4. China&#x27;s share of imports.", "Chart: Prices since 2008"]


@pytest.mark.skipif(not REPORT.exists(), reason="the study report has not been built (make report)")
def test_no_chart_in_the_rendered_report_lacks_alt_text():
    page = REPORT.read_text(encoding="utf-8")
    assert "No description has been provided" not in page and page.count('alt="Figure ') >= 8


def test_captions_get_anchors_mentions_link_to_them_and_the_page_gets_contents():
    from rare_earths.build.render import with_navigation

    body = (
        "<h1 id='t'>Title</h1><p>intro</p>"
        + "".join(
            f"<h2 id='s{i}'>Section {i}<a class='anchor-link' href='#s{i}'>¶</a></h2>" for i in (1, 2, 3)
        )
        + "<p><strong>Figure 4.</strong> Shares.</p><p>As Figure 4 shows, and Table 9 (no such table).</p>"
    )
    page = with_navigation(body)
    assert '<p id="figure-4"><strong>Figure 4.</strong>' in page
    assert 'As <a href="#figure-4">Figure 4</a> shows, and Table 9' in page
    assert '<nav class="toc"><strong>Contents</strong><ol><li><a href="#s1">Section 1</a></li>' in page


def test_author_date_labels_in_the_text_link_to_their_references():
    from rare_earths.build.render import with_navigation

    body = (
        "<p>Shares from HK01 2026 and Toyo Keizai 2025; not HK01 20267 or XHK01 2026.</p>"
        "<table><tr><td>71.9 (2024, HK01 2026)</td></tr></table>"
        "<ol><li id='ref-hk01-2026-f86d'><strong>HK01 2026</strong>. HK01 (2026).</li>"
        "<li id='ref-toyo-keizai-2025-d240'><strong>Toyo Keizai 2025</strong>. Toyo Keizai.</li></ol>"
    )
    page = with_navigation(body)
    link = '<a class="citation" href="#ref-hk01-2026-f86d">HK01 2026</a>'
    assert f"Shares from {link} and <a class" in page and f"(2024, {link})</td>" in page
    assert "not HK01 20267 or XHK01 2026" in page, "labels are matched whole"
    assert '<li id="ref-hk01-2026-f86d"><strong>HK01 2026</strong>' in page, "the entries stay as they are"
    assert page.count('class="citation"') == 3


@pytest.mark.skipif(not REPORT.exists(), reason="the study report has not been built (make report)")
def test_the_rendered_report_cites_in_the_text_with_links():
    page = REPORT.read_text(encoding="utf-8")
    targets = set(re.findall(r'class="citation" href="#(ref-[^"]+)"', page))
    assert len(targets) >= 20 and all(f'id="{t}"' in page or f"id='{t}'" in page for t in targets)


def test_the_study_report_opens_with_its_build_stamp_and_contents_as_a_title_page():
    from rare_earths.build.render import with_navigation

    body = "<h1 id='t'>T</h1><p>i</p>" + "".join(f"<h2 id='s{i}'>S{i}</h2>" for i in range(3))
    page = with_navigation(
        body, "Built 2026-12-01 10:00 UTC with rare-earths 0.1.0, commit abc; parameters: x=1."
    )
    assert page.index('class="build-stamp"') < page.index('<nav class="toc title-page">')
    assert 'class="build-stamp"' not in with_navigation(body), "other reports get no stamp"


def test_in_print_a_caption_stays_with_its_chart_or_table():
    from rare_earths.build.render import with_navigation

    cell = "<div class='jp-Cell {kind}'>{inner}</div>"
    body = (
        cell.format(kind="jp-CodeCell", inner="<svg></svg>")
        + cell.format(kind="jp-MarkdownCell", inner="<p><strong>Figure 1.</strong> Shares.</p>")
        + cell.format(kind="jp-MarkdownCell", inner="<p><strong>Table 1.</strong> Measures.</p>")
        + cell.format(kind="jp-CodeCell", inner="<table></table>")
    )
    soup = BeautifulSoup(with_navigation(body), "html.parser")
    cells = soup.find_all("div", class_="jp-Cell")
    assert ["keep-with-next" in c["class"] for c in cells] == [True, False, True, False]
    css = (Path(__file__).parents[2] / "src/rare_earths/build/templates/offline/report.css").read_text()
    assert ".jp-Cell.keep-with-next { break-after: avoid; }" in css
