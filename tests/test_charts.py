"""Chart functions, checked through their Vega-Lite specification."""

from __future__ import annotations

import pandas as pd

from rare_earths.charts import claims_chart, coverage_chart, rows_by_year_chart, series_chart


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


def test_series_chart_spec():
    frame = pd.DataFrame(
        {
            "country_iso": ["CN", "CN", "CN", "WLD", None, "US"], "year": [2019, 2020, 2020, 2020, 2020, 2020],
            "production_t_reo": [132000.0, 140000.0, 150000.0, 240000.0, 5.0, None], "value_flag": [None, None, "estimated", None, None, "withheld"],
            "source": ["usgs_myb2022", "usgs_myb2022", "bgs_wms", "usgs_myb2022", "usgs_myb2022", "usgs_myb2022"],
            "edition": ["MYB 2022", "MYB 2022", "BGS", "MYB 2022", "MYB 2022", "MYB 2022"],
        }
    )  # fmt: skip
    spec = series_chart(frame, countries={"CN": "China", "WLD": "World"}, first_year=2015, last_year=2022, source="fixtures").to_dict()
    assert spec["facet"]["field"] == "panel" and spec["facet"]["sort"] == ["China", "World"] and spec["columns"] == 2
    assert spec["spec"]["encoding"]["y"]["title"] == "Mine production (t REO)"
    assert spec["title"]["subtitle"] == ["Source: fixtures"]
    rows = next(iter(spec["datasets"].values()))
    assert sorted((r["panel"], r["series"], r["year"]) for r in rows) == [
        ("China", "bgs_wms (BGS)", 2020), ("China", "usgs_myb2022 (MYB 2022)", 2019), ("China", "usgs_myb2022 (MYB 2022)", 2020),
        ("World", "usgs_myb2022 (MYB 2022)", 2020),
    ]  # fmt: skip


def test_rows_by_year_chart_spec():
    frame = pd.DataFrame({"table": ["trade", "trade", "prices"], "source": ["a", "a", "b"], "year": [1985, 2010, 2013], "rows": [3, 40, 250]})
    spec = rows_by_year_chart(frame, first_year=1990, last_year=2026, source="fixtures").to_dict()
    assert spec["mark"]["type"] == "rect" and spec["encoding"]["color"]["scale"]["type"] == "log"
    assert spec["encoding"]["y"]["sort"] == ["prices · b", "trade · a"]
    assert [r["year"] for r in next(iter(spec["datasets"].values()))] == [2013, 2010], "years before first_year are left out"
