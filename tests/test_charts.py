"""Chart functions, checked through their Vega-Lite specification."""

from __future__ import annotations

import pandas as pd

from rare_earths.charts import (
    claims_chart,
    concentration_chart,
    coverage_chart,
    dependence_chart,
    lever_matrix_chart,
    price_chart,
    production_chart,
    rows_by_year_chart,
    series_chart,
    shock_aligned_chart,
    swimlane_chart,
    world_share_chart,
)


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


def _rows(spec: dict) -> list[dict]:
    (values,) = spec["datasets"].values()
    return values


def _caption(spec: dict) -> list[str]:
    subtitle = spec["title"]["subtitle"]
    assert all(len(line) <= 110 for line in subtitle), "subtitle lines longer than ~110 characters are cut off on the page"
    return subtitle


def test_swimlane_chart_spec():
    frame = pd.DataFrame(
        {
            "event_id": ["JP-1", "US-1", "JP-2", "CN-1", "JP-3", "EU-1"], "lane": ["JP", "US", "JP", "CN", "JP", "EU"],
            "date": pd.to_datetime(["2012-05-01", "2025-04-15", "2010-11-24", "2010-09-21", "2007-01-01", "2024-01-01"]),
            "date_precision": ["day", "day", "day", "day", "year", "year"], "year": [2012, 2025, 2010, 2010, 2007, 2024],
            "category": ["stockpile", "legislation", "alliance", "embargo", "strategy", "strategy"], "lever": ["stockpiling", "none", "x", "y", "z", "w"],
            "description": ["d1", "d2", "d3", "d4", "d5", "d6"], "source_id": ["s1", "s2", "s3", "s4", "s5", "s6"],
            "linked_documents": ["", "", "abc;def", "abc", "", ""],
        }
    )  # fmt: skip
    spec = swimlane_chart(frame, lanes=["US", "JP"], first_year=2008, last_year=2026, source="fixtures").to_dict()
    assert spec["spec"]["mark"]["type"] == "point"
    assert spec["facet"]["row"]["field"] == "lane" and spec["facet"]["row"]["sort"] == ["US", "JP"], "one lane per jurisdiction, in the order given"
    enc = spec["spec"]["encoding"]
    assert enc["x"]["field"] == "date" and enc["x"]["type"] == "temporal" and enc["x"]["title"] == "Date of the event (year)"
    assert enc["y"]["field"] == "category" and enc["color"]["field"] == "category" and spec["resolve"]["scale"]["y"] == "independent"
    assert enc["shape"]["field"] == "articles" and enc["shape"]["scale"]["range"] == ["diamond", "circle"]
    assert [t["field"] for t in enc["tooltip"]] == [
        "event_id", "date", "date_precision", "category", "lever", "description", "source_id", "linked_documents",
    ]  # fmt: skip
    assert spec["title"]["text"] == "Policy events by jurisdiction, 2008–2026"
    assert _caption(spec)[-1] == "Source: fixtures" and "Diamonds" in spec["title"]["subtitle"][1]
    rows = _rows(spec)
    assert [(r["lane"], r["event_id"], r["date"], r["articles"]) for r in rows] == [
        ("JP", "JP-2", "2010-11-24", "linked to source articles"), ("JP", "JP-1", "2012-05-01", "no linked article"),
        ("US", "US-1", "2025-04-15", "no linked article"),
    ], "other lanes and years before first_year are left out; rows sorted by lane, category, date"  # fmt: skip


def test_shock_aligned_chart_spec():
    frame = pd.DataFrame(
        {
            "lane": ["US", "JP", "JP", "EU", "CN", "US"], "event_id": ["US-1", "JP-1", "JP-2", "EU-1", "CN-1", "US-2"],
            "date": pd.to_datetime(["2024-04-01", "2010-11-24", "2011-02-01", "2025-06-04", "2010-09-21", "2015-01-01"]),
            "months_from_shock": [-12.1, 2.1, 4.4, 2.0, 0.0, -123.0], "lever": ["stockpiling", "none", "overseas_equity_offtake", "recycling", "x", "y"],
            "description": ["d1", "d2", "d3", "d4", "d5", "d6"],
        }
    )  # fmt: skip
    shocks = {"US": "2023-07-03", "JP": "2010-09-21", "EU": "2023-07-03"}
    spec = shock_aligned_chart(frame, shocks=shocks, window_years=2, source="fixtures").to_dict()
    points, rule = spec["layer"]
    assert points["mark"]["type"] == "point" and rule["mark"]["type"] == "rule"
    assert points["encoding"]["x"]["field"] == "months_from_shock" and points["encoding"]["x"]["title"] == "Months from the shock"
    assert points["encoding"]["x"]["scale"]["domain"] == [-24, 24]
    assert points["encoding"]["y"]["sort"] == ["JP", "US", "EU"], "Japan first, then the lanes in the order of `shocks`"
    assert points["encoding"]["color"]["field"] == "lever"
    assert points["encoding"]["color"]["scale"]["domain"] == ["overseas_equity_offtake", "recycling", "stockpiling", "context (no lever)"]
    assert points["encoding"]["color"]["scale"]["range"][-1] == "#a0a0a0", "events without a lever are grey"
    assert [t["field"] for t in points["encoding"]["tooltip"]] == ["event_id", "date", "lever", "description"]
    assert spec["datasets"][rule["data"]["name"]] == [{"months_from_shock": 0}]
    assert spec["title"]["subtitle"][1] == "Shocks: JP 2010-09-21, US 2023-07-03, EU 2023-07-03." and _caption(spec)[-1] == "Source: fixtures"
    rows = spec["datasets"][points["data"]["name"]]
    assert [(r["event_id"], r["lever"], r["date"]) for r in rows] == [
        ("EU-1", "recycling", "2025-06-04"), ("JP-1", "context (no lever)", "2010-11-24"), ("JP-2", "overseas_equity_offtake", "2011-02-01"),
        ("US-1", "stockpiling", "2024-04-01"),
    ], "lanes not in `shocks` and events outside the window are left out"  # fmt: skip
    moved = shock_aligned_chart(frame, shocks={**shocks, "US": "2025-04-04"}, window_years=2, source="fixtures").to_dict()
    assert moved["title"]["subtitle"][1] == "Shocks: JP 2010-09-21, US 2025-04-04, EU 2023-07-03."


def test_lever_matrix_chart_spec():
    frame = pd.DataFrame(
        {
            "lever": ["stockpiling", "stockpiling", "stockpiling", "magnet_making", "magnet_making", "magnet_making"],
            "jurisdiction": ["JP", "US", "EU", "JP", "US", "EU"],
            "shock_date": pd.to_datetime(["2010-09-21", "2025-04-04", "2025-04-04"] * 2),
            "first_event_id": ["JP-9", "US-9", None, None, "US-8", "EU-8"],
            "first_date": pd.to_datetime(["2020-03-01", "2025-07-03", None, None, "2025-07-10", "2025-09-19"]),
            "lag_years": [None, -9.2, None, None, None, None],
            "status": ["reference", "used", "not yet", "not yet", "Japan did not use", "Japan did not use"],
            "lag_label": ["reference", "-9.2", "not yet", "not yet", "Japan did not use", "Japan did not use"],
        }
    )
    spec = lever_matrix_chart(frame, source="fixtures").to_dict()
    rects, text = spec["layer"]
    assert rects["mark"]["type"] == "rect" and text["mark"]["type"] == "text"
    assert rects["encoding"]["y"]["field"] == "lever" and rects["encoding"]["y"]["sort"] == ["stockpiling", "magnet_making"], "levers in frame order"
    assert rects["encoding"]["x"]["field"] == "jurisdiction" and rects["encoding"]["x"]["sort"] == ["JP", "US", "EU"]
    assert rects["encoding"]["y"]["title"] == "Policy lever" and rects["encoding"]["x"]["title"] == "Jurisdiction"
    assert rects["encoding"]["color"]["field"] == "status"
    assert rects["encoding"]["color"]["scale"]["domain"] == ["reference", "used", "not yet", "Japan did not use"]
    assert text["encoding"]["text"]["field"] == "label"
    assert "later (+) or sooner (−) than Japan" in spec["title"]["subtitle"][0] and "own shock" in spec["title"]["subtitle"][1]
    assert spec["title"]["subtitle"][2] == "Shocks: JP 2010-09-21, US 2025-04-04, EU 2025-04-04." and _caption(spec)[-1] == "Source: fixtures"
    labels = {(r["lever"], r["jurisdiction"]): r["label"] for r in _rows(spec)}
    assert labels == {
        ("stockpiling", "JP"): "2020", ("stockpiling", "US"): "-9.2", ("stockpiling", "EU"): "not yet",
        ("magnet_making", "JP"): "not yet", ("magnet_making", "US"): "—", ("magnet_making", "EU"): "—",
    }  # fmt: skip
    assert [(r["lever"], r["jurisdiction"]) for r in _rows(spec)][:2] == [("magnet_making", "EU"), ("magnet_making", "JP")], "embedded rows are sorted"


def test_dependence_chart_spec():
    best = pd.DataFrame(
        {"jurisdiction": ["US", "JP", "JP"], "year": [2020, 2009, 2010], "share_pct": [50.0, 85.5, 81.6], "source_id": ["u", "k", "k"],
         "edition": ["USITC", "MoF", "MoF"], "figures": [1, 2, 1]}
    )  # fmt: skip
    figures = pd.DataFrame(
        {"jurisdiction": ["JP", "JP", "US", "JP"], "year": [2009, 2009, 2020, 2010], "share_pct": [85.5, 84.0, 50.0, 90.0],
         "source_id": ["k", "t", "u", "c"], "edition": ["MoF", "", "USITC", "Argus"]}
    )  # fmt: skip
    spec = dependence_chart(best, figures, shocks={"JP": "2010-09-21", "US": "2025-04-04"}, source="fixtures").to_dict()
    assert spec["facet"]["row"]["field"] == "panel" and spec["facet"]["row"]["sort"] == ["JP (shock 2010-09-21)", "US (shock 2025-04-04)"]
    rule, others, line = spec["spec"]["layer"]
    assert rule["mark"]["type"] == "rule" and others["mark"]["type"] == "point" and others["mark"]["filled"] is False
    assert line["mark"]["type"] == "line" and "point" in line["mark"]
    assert line["encoding"]["y"]["field"] == "share_pct" and line["encoding"]["y"]["scale"]["domain"] == [0, 100]
    assert " ".join(line["encoding"]["y"]["title"]) == "Share of imports from China (%)" and line["encoding"]["x"]["title"] == "Year"
    assert line["encoding"]["x"]["scale"]["domain"] == [2009, 2026]
    assert spec["title"]["text"] == "China's share of rare-earth imports" and _caption(spec)[-1] == "Source: fixtures"
    rows = [(r["jurisdiction"], r["kind"], r["year"], r["share_pct"]) for r in _rows(spec)]
    assert [(j, k, y) for j, k, y, _ in rows] == [
        ("JP", "best", 2009), ("JP", "best", 2010), ("JP", "other", 2009), ("JP", "other", 2010), ("JP", "shock", 2010.72),
        ("US", "best", 2020), ("US", "shock", 2025.25),
    ], "figures that are the best for their year are not drawn twice"  # fmt: skip
    assert [s for _, k, _, s in rows if k == "other"] == [84.0, 90.0]


def test_world_share_chart_spec():
    production = pd.DataFrame(
        {"year": [2018, 2017, 2016], "share_pct": [63.2, 77.1, 85.4], "source": ["usgs_myb2022", "bgs_wms", "bgs_wms"], "edition": ["MYB 2022", "BGS", "BGS"]}
    )  # fmt: skip
    refining = pd.DataFrame({"year": [2023, 2019], "value": [92.0, 87.0], "source_id": ["b", "a"]})
    spec = world_share_chart(production, refining, source="fixtures").to_dict()
    assert spec["mark"]["type"] == "line"
    assert spec["encoding"]["y"]["field"] == "share_pct" and spec["encoding"]["y"]["scale"]["domain"] == [0, 100]
    assert spec["encoding"]["y"]["title"] == "China's share of the world total (%)" and spec["encoding"]["x"]["title"] == "Year"
    assert spec["encoding"]["color"]["field"] == "series"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Mining: bgs_wms (BGS)", "Mining: usgs_myb2022 (MYB 2022)", "Refining: curated figures"]
    assert spec["encoding"]["shape"]["scale"]["range"] == ["circle", "circle", "diamond"]
    assert _caption(spec)[-1] == "Source: fixtures"
    assert [(r["measure"], r["year"], r["share_pct"]) for r in _rows(spec)] == [
        ("Mine production", 2016, 85.4), ("Mine production", 2017, 77.1), ("Mine production", 2018, 63.2), ("Refining", 2019, 87.0), ("Refining", 2023, 92.0),
    ]  # fmt: skip


def test_production_chart_spec():
    frame = pd.DataFrame(
        {
            "year": [2019, 2019, 2019, 2020, 2020, 2020, 2020, 2020, 2018],
            "country_iso": ["CN", "US", "AU", "CN", "US", "AU", "MM", None, "US"],
            "country_label": ["China", "United States", "Australia", "China", "United States", "Australia", "Burma", "Other countries", "United States"],
            "production_t_reo": [132000.0, 28000.0, 20000.0, 140000.0, 39000.0, 20000.0, 30000.0, 1000.0, 14000.0],
            "share_pct": [60.0, 12.7, 9.1, 56.0, 15.6, 8.0, 12.0, 0.4, 7.4],
        }
    )  # fmt: skip
    spec = production_chart(frame, top=2, first_year=2019, source="fixtures").to_dict()
    bars, line = spec["layer"]
    assert bars["mark"]["type"] == "bar" and line["mark"]["type"] == "line" and spec["resolve"]["scale"]["y"] == "independent"
    assert bars["encoding"]["y"]["title"] == "Mine production outside China (t REO)" and bars["encoding"]["color"]["field"] == "group"
    assert bars["encoding"]["color"]["scale"]["domain"] == ["United States", "Burma", "Other countries"], "top producers of the latest year"
    assert " ".join(line["encoding"]["y"]["title"]) == "China's share of world mine production (%)" and line["encoding"]["y"]["axis"]["orient"] == "right"
    assert spec["title"]["text"] == "Rare-earth mine production outside China, 2019–2020" and _caption(spec)[-1] == "Source: fixtures"
    rows = [(r["kind"], r["year"], r["group"], r["production_t_reo"], r["share_pct"]) for r in _rows(spec)]
    assert rows == [
        ("china_share", 2019, "China", None, 60.0), ("china_share", 2020, "China", None, 56.0),
        ("production", 2019, "United States", 28000.0, None), ("production", 2019, "Other countries", 20000.0, None),
        ("production", 2020, "United States", 39000.0, None), ("production", 2020, "Burma", 30000.0, None),
        ("production", 2020, "Other countries", 21000.0, None),
    ], "China left out of the bars, the rest (incl. the residual row) grouped, years before first_year left out"  # fmt: skip


def test_concentration_chart_spec():
    frame = pd.DataFrame(
        {"year": [2018, 2017], "hhi": [4319.0, 6143.0], "producers": [12, 8], "unattributed_pct": [0.0, 0.26],
         "source": ["usgs_myb2022", "bgs_wms"], "edition": ["MYB 2022", "BGS"]}
    )  # fmt: skip
    spec = concentration_chart(frame, source="fixtures").to_dict()
    assert spec["mark"]["type"] == "line" and "point" in spec["mark"]
    assert spec["encoding"]["y"]["field"] == "hhi" and spec["encoding"]["y"]["title"] == "Herfindahl-Hirschman index (0–10,000)"
    assert spec["encoding"]["color"]["field"] == "publication" and spec["encoding"]["color"]["sort"] == ["bgs_wms (BGS)", "usgs_myb2022 (MYB 2022)"]
    assert {"producers", "unattributed_pct"} <= {t["field"] for t in spec["encoding"]["tooltip"]}
    assert spec["title"]["text"] == "Concentration of world rare-earth mine production" and _caption(spec)[-1] == "Source: fixtures"
    assert [(r["year"], r["hhi"]) for r in _rows(spec)] == [(2017, 6143.0), (2018, 4319.0)]


def test_price_chart_spec():
    prices = pd.DataFrame(
        {
            "date": pd.to_datetime(["2013-01-04", "2013-01-05", "2013-02-01", "2011-07-01", "2024-01-02", "2009-05-01"]),
            "element": ["Nd", "Nd", "Nd", "Dy", "Nd", "Nd"],
            "series": ["China domestic, daily", "China domestic, daily", "China domestic, daily", "2011 peak (curated record; year only)",
                       "international, daily", "China domestic, daily"],
            "currency": ["CNY", "CNY", "CNY", "USD", "USD", "CNY"], "value_per_kg": [300.0, 310.0, 305.0, 2377.0, 60.0, 1.0],
            "source_id": ["y", "y", "y", "q", "k", "y"],
        }
    )  # fmt: skip
    controls = pd.DataFrame({"event_id": ["CN-2", "CN-1"], "date": pd.to_datetime(["2025-10-09", "2025-04-04"]), "description": ["b", "a"]})
    spec = price_chart(prices, controls, first_year=2010, source="fixtures").to_dict()
    assert spec["facet"]["row"]["field"] == "panel" and spec["facet"]["row"]["sort"] == ["CNY per kg: China domestic", "USD per kg: international"]
    rules, rule_text, lines, peaks, peak_text = spec["spec"]["layer"]
    assert [rules["mark"]["type"], rule_text["mark"]["type"], lines["mark"]["type"], peaks["mark"]["type"], peak_text["mark"]["type"]] == [
        "rule", "text", "line", "point", "text",
    ]  # fmt: skip
    assert lines["encoding"]["y"]["scale"]["type"] == "log" and lines["encoding"]["y"]["title"] == "Price (per kg, log scale)"
    assert lines["encoding"]["color"]["field"] == "element" and lines["encoding"]["strokeDash"]["field"] == "series"
    assert "monthly means" in spec["title"]["subtitle"][0] and _caption(spec)[-1] == "Source: fixtures"
    rows = [(r["panel"][:3], r["kind"], r["date"], r["value_per_kg"], r["label"]) for r in _rows(spec)]
    assert rows == [
        ("CNY", "control", "2025-04-04", None, "2025 controls"), ("CNY", "control", "2025-10-09", None, ""),
        ("CNY", "series", "2013-01-01", 305.0, None), ("CNY", "series", "2013-02-01", 305.0, None),
        ("USD", "control", "2025-04-04", None, "2025 controls"), ("USD", "control", "2025-10-09", None, ""),
        ("USD", "peak", "2011-07-01", 2377.0, "Dy 2011 peak: 2,377"), ("USD", "series", "2024-01-01", 60.0, None),
    ], "daily prices averaged per month, dates before first_year left out, the controls drawn in every panel"  # fmt: skip
