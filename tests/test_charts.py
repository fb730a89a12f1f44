"""Chart functions, checked through their Vega-Lite specification."""

from __future__ import annotations

import pandas as pd

from rare_earths.charts import claims_chart, coverage_chart


def test_coverage_chart_spec():
    frame = pd.DataFrame({"series": ["a.csv", "a.csv", "b.json", "old.xlsx"], "year": [2010, 2011, 2024, 1950], "files": [1, 1, 3, 1]})
    frame["year_end"] = frame["year"] + 1
    spec = coverage_chart(frame, first_year=2000, last_year=2026, source="test files").to_dict()
    assert spec["mark"]["type"] == "rect" and spec["mark"]["clip"] is True
    assert spec["encoding"]["x"]["scale"]["domain"] == [2000, 2027]
    assert spec["encoding"]["x"]["title"].startswith("Year")
    assert spec["encoding"]["y"]["sort"] == ["a.csv", "b.json"], "series wholly before first_year are left out"
    assert spec["title"]["text"] == "Year coverage of each raw input" and spec["title"]["subtitle"] == ["Source: test files"]
    values = next(iter(spec["datasets"].values()))
    assert sorted(v["year"] for v in values) == [2010, 2011, 2024]


def test_claims_chart_spec():
    frame = pd.DataFrame({"doc_id": ["a", "a", "b"], "kind": ["money", "year", "quote"], "items": [1, 3, 2]})
    spec = claims_chart(frame, source="fixtures").to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["title"] == "Items extracted (count)"
    assert spec["encoding"]["y"]["sort"][:3] == ["percentage", "money", "quantity"]
    assert spec["encoding"]["row"]["field"] == "doc_id"
    assert spec["title"]["subtitle"] == ["Source: fixtures"]
    assert [row["items"] for row in next(iter(spec["datasets"].values()))] == [1, 3, 2]
