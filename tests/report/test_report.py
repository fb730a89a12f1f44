"""Study-report text and tables built from small frames: numbers come from the data, text is escaped."""

from __future__ import annotations

import pandas as pd
import pytest

from rare_earths import report
from rare_earths.common.errors import RareEarthsError

SOURCES = pd.DataFrame(
    {
        "source_id": ["b-news-2020-0001", "a-stats-2019-0002", "unused-2000-0003"],
        "publisher": ["B <News>", "A Stats", "C"],
        "title": ["Rare & earths", "Table", "x"],
        "published": ["2020", "2019-05", "2000"],
        "url": ["https://b.example/1", "https://a.example/2", "u"],
        "accessed": ["2026-11-01"] * 3,
        "kind": ["news", "statistics", "news"],
        "primary": ["false", "true", "false"],
    }
)
DATASETS = pd.DataFrame(
    {
        "source": ["usitc_dataweb"],
        "title": ["DataWeb"],
        "publisher": ["USITC"],
        "doi": [None],
        "licence": ["public"],
        "origin": ["mirror"],
    }
)


def test_references_are_sorted_escaped_and_complete():
    listed = report.references(SOURCES, DATASETS, {"b-news-2020-0001", "a-stats-2019-0002", "usitc_dataweb"})
    assert (
        listed.index("ref-a-stats-2019-0002")
        < listed.index("ref-b-news-2020-0001")
        < listed.index("ref-usitc_dataweb")
    ), "statistics before news, then the datasets"
    headings = ["Statistics (1)", "News (1)", "Datasets (1)"]
    assert [listed.index(h) for h in headings] == sorted(listed.index(h) for h in headings)
    assert listed.index("News (1)") < listed.index("ref-b-news-2020-0001")
    only_news = report.references(SOURCES, DATASETS, {"b-news-2020-0001"})
    assert "News (1)" in only_news and "Statistics" not in only_news, "no empty group"
    odd = SOURCES.assign(kind=["blog", "statistics", "news"])
    assert "Other sources (1)" in report.references(odd, DATASETS, {"b-news-2020-0001"}), "unknown kinds"
    assert "<strong>A Stats 2019</strong>" in listed and "primary document" in listed
    assert "<a class='title' href='https://b.example/1'>Rare &amp; earths</a> (b.example)" in listed, (
        "the title links to the document, and the host shows in print"
    )
    assert "<em>DataWeb</em>" in listed, "a title without an address is only italic"
    assert "B &lt;News&gt;" in listed and "Rare &amp; earths" in listed and "unused" not in listed
    with pytest.raises(RareEarthsError, match="missing-2020"):
        report.references(SOURCES, DATASETS, {"missing-2020"})


def _record():
    """A timeline of five measures: a landmark, a first adopter of Table 1, a target's measure, a measure
    drawn only as a mark, and one outside the years shown; figures and evidence from other sources."""
    timeline = pd.DataFrame(
        {
            "event_id": ["M-JP-2010-01", "M-JP-2011-01", "M-US-2012-01", "M-EU-2013-01", "M-JP-2001-01"],
            "landmark": [True, False, False, False, False],
            "lane": ["JP", "JP", "US", "EU", "JP"],
            "year": [2010, 2011, 2012, 2013, 2001],
            "source_id": ["s-landmark", "s-first", "s-target", "s-mark-only", "s-before"],
        }
    )
    empty = pd.DataFrame({"source_id": []})
    return {
        "timeline": timeline,
        "adoption": pd.DataFrame({"measure_id": ["M-JP-2011-01", None]}),
        "targets_scorecard": pd.DataFrame({"measure_id": ["M-US-2012-01"]}),
        "import_figures": pd.DataFrame({"source_id": ["s-imports"]}),
        "indicators": pd.DataFrame(
            {"indicator": [], "source_id": [], "year": [], "value": [], "unit": [], "scope": []}
        ),
        "price_series": empty,
        "claim_checks": pd.DataFrame({"evidence_source_id": ["s-claim;s-mark-only", None]}),
        "assertion_checks": pd.DataFrame({"evidence_source_id": [""]}),
        "production_shares": pd.DataFrame({"source": ["usgs_mcs"]}),
    }


def test_the_reference_list_cites_named_measures_and_the_record_covers_the_rest(monkeypatch):
    from rare_earths import compare

    monkeypatch.setattr(
        compare, "refining_shares", lambda indicators: pd.DataFrame({"source_id": ["s-refining"]})
    )
    tables = _record()
    assert report.named_measures(tables) == {"M-JP-2010-01", "M-JP-2011-01", "M-US-2012-01"}
    cited = report.cited_sources(tables, ["JP", "US", "EU"], [2008, 2026])
    assert cited == {
        "s-landmark",
        "s-first",
        "s-target",
        "s-imports",
        "s-refining",
        "s-claim",
        "s-mark-only",
        "usgs_mcs",
        compare.COMPUTED_US_SOURCE,
    }, "a measure only drawn is not cited for itself, but its source is when evidence cites it"
    drawn, unnamed, record_only = report.record_only_sources(tables, ["JP", "US", "EU"], [2008, 2026])
    assert (drawn, unnamed, record_only) == (4, 1, set()), "the 2001 measure is not drawn"
    tables["claim_checks"] = pd.DataFrame({"evidence_source_id": ["s-claim"]})
    assert report.record_only_sources(tables, ["JP", "US", "EU"], [2008, 2026]) == (4, 1, {"s-mark-only"})
    assert "s-mark-only" not in report.cited_sources(tables, ["JP", "US", "EU"], [2008, 2026])


def _adoption():
    rows = []
    for episode, observed in (("S1", 190.0), ("S2", 13.5)):
        for jurisdiction in ("JP", "US", "EU"):
            for instrument in ("stockpiling", "recycling"):
                for window in (12, 36):
                    adopted = (episode, jurisdiction, instrument) in {
                        ("S1", "JP", "stockpiling"),
                        ("S2", "US", "stockpiling"),
                    }
                    state = "adopted" if adopted else ("censored" if window > observed else "none")
                    label = {
                        "adopted": f"3 mo (M-{jurisdiction}-1)",
                        "none": f"none within {window} months",
                    }.get(state, f"censored at {observed} months")
                    rows.append(
                        {
                            "episode": episode,
                            "jurisdiction": jurisdiction,
                            "instrument": instrument,
                            "window_months": window,
                            "state": state,
                            "months": 3.0 if adopted else None,
                            "label": label,
                            "observed_months": observed,
                        }
                    )
    return pd.DataFrame(rows)


ADOPTION = _adoption()


def test_adoption_table_cells():
    table = report.adoption_table(ADOPTION, {"S1": 36, "S2": 12}).set_index("instrument")
    assert list(table.columns) == [
        f"{e} {j} ({w} months)" for e, w in (("S1", 36), ("S2", 12)) for j in ("JP", "US", "EU")
    ]
    assert table.loc["stockpiling", "S1 JP (36 months)"] == "3 mo (M-JP-1)"
    assert table.loc["stockpiling", "S1 US (36 months)"] == "none within 36 months"
    assert table.loc["stockpiling", "S2 US (12 months)"] == "3 mo (M-US-1)"
    censored = report.adoption_table(ADOPTION, {"S2": 36}).set_index("instrument")
    assert censored.loc["recycling", "S2 JP (36 months)"] == "censored at 13.5 months"


def test_executive_summary_numbers_come_from_the_frames():
    base = {
        "years_with_data": 4,
        "before_source": "a",
        "lowest_source": "b",
        "latest_source": "c",
        "latest_pct": 70.0,
        "latest_year": 2024,
    }
    achieved = pd.DataFrame(
        [
            {
                **base,
                "episode": "S1",
                "jurisdiction": "JP",
                "shock_date": pd.Timestamp("2010-07-08"),
                "before_pct": 85.49,
                "before_year": 2009,
                "lowest_pct": 44.0,
                "lowest_year": 2023,
            },
            {
                **base,
                "episode": "S2",
                "jurisdiction": "JP",
                "shock_date": pd.Timestamp("2025-04-04"),
                "before_pct": 70.0,
                "before_year": 2024,
                "lowest_pct": None,
                "lowest_year": None,
            },
        ]
    )
    world = pd.DataFrame(
        {
            "year": [2010, 2022, 2022, 2025],
            "share_pct": [98.2, 74.0, 70.0, 69.4],
            "source": ["bgs_wms", "bgs_wms", "usgs_mcs2024", "usgs_mcs2026"],
            "edition": ["BGS", "BGS", "MCS 2024", "MCS 2026"],
        }
    )
    hhi = world.assign(hhi=[9653.0, 5658.0, 5156.0, 5072.0])
    refining = pd.DataFrame(
        {
            "year": [2024, 2025],
            "value": [91.0, 94.0],
            "stage": ["Refining", "Refining"],
            "figure_year_basis": ["data_year", "publication_year"],
            "edition": ["IEA (as cited)", ""],
        }
    )
    money = pd.DataFrame(
        {
            "episode": ["S1", "S1", "S2"],
            "window_months": [12, 12, 12],
            "jurisdiction": ["JP", "US", "US"],
            "scope": ["rare_earth_only"] * 3,
            "usd_2024_millions": [1902.6, 0.0, 1084.2],
        }
    )
    scorecard = pd.DataFrame({"verdict": ["not measurable yet", "not on track", "not measurable yet"]})
    checks = pd.DataFrame({"verdict": ["supported", "supported", "contradicted"]})
    points = report.executive_summary(achieved, world, hhi, refining, ADOPTION, money, scorecard, checks)
    text = "\n".join(points)
    assert "before S1 (2010-07-08): 85% in 2009; lowest since 44% (2023)" in text
    assert "before S2 (2025-04-04): 70% in 2024; no figure since" in text
    assert "98% in 2010 (BGS) and 69% in 2025 (MCS 2026)" in text and "9,653 and 5,072" in text
    assert "2022-2022: BGS 74-74%; MCS 2024 70-70%" in text, "the publications' overlap is stated"
    assert "refining: 91% in 2024 (IEA (as cited))" in text, "a publication-year figure is not the latest"
    assert (
        "within 12 months — S1: Japan 1, United States 0, European Union 0; S2: Japan 0, United States 1, "
        "European Union 0" in text
    )
    assert (
        "S1: Japan US$1.90 billion, United States US$0.00 billion; S2: United States US$1.08 billion" in text
    )
    assert "3 quantitative targets in the record: 2 not measurable yet, 1 not on track" in text
    assert "3 quantitative claims in the articles: 2 supported, 1 contradicted" in text
    changed = "\n".join(
        report.executive_summary(
            achieved.assign(before_pct=90.0), world, hhi, refining, ADOPTION, money, scorecard, checks
        )
    )
    assert "90% in 2009" in changed
    robust = pd.DataFrame(
        {
            "episode": ["S1", "S1", "S2"],
            "window_months": [12, 12, 12],
            "instrument": ["stockpiling", "recycling", "stockpiling"],
            "first": ["JP", "none", "US"],
            "variants": [10, 10, 10],
            "holds_in": [10, 8, 10],
            "share_holding": [1.0, 0.8, 1.0],
        }
    )
    most = pd.DataFrame(
        {
            "episode": ["S1", "S2"],
            "window_months": [12, 12],
            "most_money": ["JP", "US"],
            "variants": [20, 20],
            "holds_in": [20, 13],
        }
    )
    asserted = pd.DataFrame({"verdict": ["supported", "not checkable", "supported"]})
    summary = "\n".join(
        report.executive_summary(
            achieved, world, hhi, refining, ADOPTION, money, scorecard, checks, asserted, robust, most
        )
    )
    assert (
        "**How robust** (within 12 months): S1: first to adopt Japan 1 (of 2 instruments); 1 of 2 hold in "
        "every variant, the least robust recycling (8 of 10); most new money: Japan (20 of 20 variants); S2:"
        in summary
    )
    assert "most new money: United States (13 of 20 variants)." in summary
    assert "3 assertions without a number: 2 supported, 1 not checkable." in summary


def test_claims_table_and_html_escaping():
    checks = pd.DataFrame(
        {
            "doc_id": ["d1", "d2"],
            "claim_text": ["<b>30%</b>", "8,500 t"],
            "verdict": ["contradicted", "not checkable"],
            "evidence_value": [14.2, None],
            "evidence_unit": ["% fall (relative)", None],
            "evidence_period": ["2010-2024", None],
            "evidence_source_id": ["a;b", None],
        }
    )
    table = report.claims_table(checks)
    assert table["evidence"].tolist() == ["a 14.2% fall (relative)", "—"]
    assert (
        report.evidence_words(250e6, "USD") == "US$250 million"
        and report.evidence_words(92.0, "pct") == "92%"
    )
    html = report.html_table(table).data
    assert "&lt;b&gt;30%&lt;/b&gt;" in html and "<b>30%" not in html and '<td class="text">—</td>' in html


def test_text_columns_are_marked_to_read_left_and_numbers_stay_right():
    frame = pd.DataFrame(
        {
            "episode": ["S1", "S2"],
            "window": [12, 36],
            "share": ["80%", "90%"],
            "money": ["1,250.5", None],
            "first": ["US", "tie"],
        }
    )
    assert report.text_columns(frame) == [0, 4], "codes and words read left; counts, shares and sums right"
    page = report.html_table(frame).data
    assert page.count('class="text"') == 2 * 3, "the header and both rows of the two text columns"
    assert '<td class="text">S1</td><td>12</td><td>80%</td><td>1,250.5</td><td class="text">US</td>' in (
        page.replace("\n", "")
    )
    assert "<td>—</td>" in page, "a missing value is a dash"
