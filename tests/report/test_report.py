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
        listed.index("a-stats-2019-0002") < listed.index("b-news-2020-0001") < listed.index("usitc_dataweb")
    )
    assert "B &lt;News&gt;" in listed and "Rare &amp; earths" in listed and "unused" not in listed
    with pytest.raises(RareEarthsError, match="missing-2020"):
        report.references(SOURCES, DATASETS, {"missing-2020"})


LEVERS = pd.DataFrame(
    {
        "lever": ["stockpiling"] * 3 + ["recycling"] * 3,
        "jurisdiction": ["JP", "US", "EU"] * 2,
        "first_event_id": ["JP-1", "US-1", None, None, "US-2", None],
        "months_after_shock": [113.0, 3.0, None, None, 5.0, None],
        "lag_years": [None, -9.2, None, None, None, None],
        "status": ["reference", "used", "not yet", "not yet", "Japan did not use", "not yet"],
    }
)


def test_adoption_table_cells():
    table = report.adoption_table(LEVERS).set_index("lever")
    assert list(table.columns) == ["JP", "US", "EU"]
    assert (
        table.loc["stockpiling", "JP"] == "113 mo (JP-1)"
        and table.loc["stockpiling", "US"] == "3 mo, -9.2 y (US-1)"
    )
    assert table.loc["stockpiling", "EU"] == "not yet" and table.loc["recycling", "US"] == "5 mo (US-2)"


def test_executive_summary_numbers_come_from_the_frames():
    achieved = pd.DataFrame(
        [
            {
                "jurisdiction": "JP",
                "shock_date": pd.Timestamp("2010-09-21"),
                "years_with_data": 4,
                "before_pct": 85.49,
                "before_year": 2009,
                "before_source": "a",
                "lowest_pct": 44.0,
                "lowest_year": 2023,
                "lowest_source": "b",
                "latest_pct": 70.0,
                "latest_year": 2024,
                "latest_source": "c",
                "years_to_lowest": 13,
                "years_to_latest": 14,
                "change_pp": -15.49,
                "change_relative_pct": -18.1,
            }
        ]
    )
    world = pd.DataFrame({"year": [2010, 2025], "share_pct": [98.2, 69.4]})
    hhi = pd.DataFrame({"year": [2010, 2025], "hhi": [9653.0, 5072.0]})
    refining = pd.DataFrame({"year": [2025], "value": [91.0]})
    checks = pd.DataFrame({"verdict": ["supported", "supported", "contradicted"]})
    points = report.executive_summary(achieved, world, hhi, refining, LEVERS, checks)
    text = "\n".join(points)
    assert (
        "85% of its rare-earth imports in 2009" in text
        and "44% (2023, 13 years after)" in text
        and "15 points (18%) below" in text
    )
    assert "from 98% in 2010 to 69% in 2025" in text and "9,653 to 5,072" in text and "91% (2025" in text
    assert "Japan pulled 1 of the 2 response levers" in text and "US 2 since its shock (1 sooner" in text
    assert "3 quantitative claims in the articles: 2 supported, 1 contradicted" in text
    changed = "\n".join(
        report.executive_summary(achieved.assign(before_pct=90.0), world, hhi, refining, LEVERS, checks)
    )
    assert "90% of its rare-earth imports" in changed


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
    assert table["evidence"].tolist() == ["14.2 % fall (relative)", "—"]
    html = report.html_table(table).data
    assert "&lt;b&gt;30%&lt;/b&gt;" in html and "<b>30%" not in html and "<td>—</td>" in html
