"""Chart specs of notebook timeline stage, tested through to_dict() on a few hand-built rows."""

import pandas as pd

from rare_earths.timeline.charts import lever_matrix_chart, shock_aligned_chart, swimlane_chart


def _rows(spec: dict) -> list[dict]:
    (values,) = spec["datasets"].values()
    return values


def _caption(spec: dict) -> list[str]:
    subtitle = spec["title"]["subtitle"]
    assert all(len(line) <= 110 for line in subtitle), (
        "subtitle lines longer than ~110 characters are cut off on the page"
    )
    return subtitle


def test_swimlane_chart_spec():
    frame = pd.DataFrame(
        {
            "event_id": ["JP-1", "US-1", "JP-2", "CN-1", "JP-3", "EU-1"],
            "lane": ["JP", "US", "JP", "CN", "JP", "EU"],
            "date": pd.to_datetime(
                ["2012-05-01", "2025-04-15", "2010-11-24", "2010-09-21", "2007-01-01", "2024-01-01"]
            ),
            "date_precision": ["day", "day", "day", "day", "year", "year"],
            "year": [2012, 2025, 2010, 2010, 2007, 2024],
            "stage": ["stockpile", "whole_chain", "mining", "trade", "whole_chain", "whole_chain"],
            "title": ["t1", "t2", "t3", "t4", "t5", "t6"],
            "lever": ["stockpiling", "none", "x", "y", "z", "w"],
            "description": ["d1", "d2", "d3", "d4", "d5", "d6"],
            "source_id": ["s1", "s2", "s3", "s4", "s5", "s6"],
            "linked_documents": ["", "", "abc;def", "abc", "", ""],
        }
    )
    spec = swimlane_chart(
        frame, lanes=["US", "JP"], first_year=2008, last_year=2026, source="fixtures"
    ).to_dict()
    assert spec["spec"]["mark"]["type"] == "point"
    assert spec["facet"]["row"]["field"] == "lane" and spec["facet"]["row"]["sort"] == ["US", "JP"], (
        "one lane per jurisdiction, in the order given"
    )
    enc = spec["spec"]["encoding"]
    assert (
        enc["x"]["field"] == "date"
        and enc["x"]["type"] == "temporal"
        and enc["x"]["title"] == "Date of the event (year)"
    )
    assert (
        enc["y"]["field"] == "stage"
        and enc["color"]["field"] == "stage"
        and spec["resolve"]["scale"]["y"] == "independent"
    )
    assert enc["shape"]["field"] == "articles" and enc["shape"]["scale"]["range"] == ["diamond", "circle"]
    assert [t["field"] for t in enc["tooltip"]] == [
        "event_id",
        "date",
        "date_precision",
        "title",
        "stage",
        "lever",
        "description",
        "source_id",
        "linked_documents",
    ]
    assert spec["title"]["text"] == "Policy measures by jurisdiction, 2008–2026"
    assert _caption(spec)[-1] == "Source: fixtures" and "Diamonds" in spec["title"]["subtitle"][2]
    rows = _rows(spec)
    assert [(r["lane"], r["event_id"], r["date"], r["articles"]) for r in rows] == [
        ("JP", "JP-2", "2010-11-24", "linked to source articles"),
        ("JP", "JP-1", "2012-05-01", "no linked article"),
        ("US", "US-1", "2025-04-15", "no linked article"),
    ], "other lanes and years before first_year are left out; rows sorted by lane, stage, date"


def test_shock_aligned_chart_spec():
    frame = pd.DataFrame(
        {
            "lane": ["US", "JP", "JP", "EU", "CN", "US"],
            "event_id": ["US-1", "JP-1", "JP-2", "EU-1", "CN-1", "US-2"],
            "date": pd.to_datetime(
                ["2024-04-01", "2010-11-24", "2011-02-01", "2025-06-04", "2010-09-21", "2015-01-01"]
            ),
            "months_from_shock": [-12.1, 2.1, 4.4, 2.0, 0.0, -123.0],
            "lever": ["stockpiling", "none", "overseas_equity_offtake", "recycling", "x", "y"],
            "description": ["d1", "d2", "d3", "d4", "d5", "d6"],
        }
    )
    shocks = {"US": "2023-07-03", "JP": "2010-09-21", "EU": "2023-07-03"}
    spec = shock_aligned_chart(frame, shocks=shocks, window_years=2, source="fixtures").to_dict()
    points, rule = spec["layer"]
    assert points["mark"]["type"] == "point" and rule["mark"]["type"] == "rule"
    assert (
        points["encoding"]["x"]["field"] == "months_from_shock"
        and points["encoding"]["x"]["title"] == "Months from the shock"
    )
    assert points["encoding"]["x"]["scale"]["domain"] == [-24, 24]
    assert points["encoding"]["y"]["sort"] == ["JP", "US", "EU"], (
        "Japan first, then the lanes in the order of `shocks`"
    )
    assert points["encoding"]["color"]["field"] == "lever"
    assert points["encoding"]["color"]["scale"]["domain"] == [
        "overseas_equity_offtake",
        "recycling",
        "stockpiling",
        "context (no lever)",
    ]
    assert points["encoding"]["color"]["scale"]["range"][-1] == "#a0a0a0", "events without a lever are grey"
    assert [t["field"] for t in points["encoding"]["tooltip"]] == ["event_id", "date", "lever", "description"]
    assert spec["datasets"][rule["data"]["name"]] == [{"months_from_shock": 0}]
    assert (
        spec["title"]["subtitle"][1] == "Shocks: JP 2010-09-21, US 2023-07-03, EU 2023-07-03."
        and _caption(spec)[-1] == "Source: fixtures"
    )
    rows = spec["datasets"][points["data"]["name"]]
    assert [(r["event_id"], r["lever"], r["date"]) for r in rows] == [
        ("EU-1", "recycling", "2025-06-04"),
        ("JP-1", "context (no lever)", "2010-11-24"),
        ("JP-2", "overseas_equity_offtake", "2011-02-01"),
        ("US-1", "stockpiling", "2024-04-01"),
    ], "lanes not in `shocks` and events outside the window are left out"
    moved = shock_aligned_chart(
        frame, shocks={**shocks, "US": "2025-04-04"}, window_years=2, source="fixtures"
    ).to_dict()
    assert moved["title"]["subtitle"][1] == "Shocks: JP 2010-09-21, US 2025-04-04, EU 2023-07-03."


def test_lever_matrix_chart_spec():
    frame = pd.DataFrame(
        {
            "lever": [
                "stockpiling",
                "stockpiling",
                "stockpiling",
                "magnet_making",
                "magnet_making",
                "magnet_making",
            ],
            "jurisdiction": ["JP", "US", "EU", "JP", "US", "EU"],
            "shock_date": pd.to_datetime(["2010-09-21", "2025-04-04", "2025-04-04"] * 2),
            "first_event_id": ["JP-9", "US-9", None, None, "US-8", "EU-8"],
            "first_date": pd.to_datetime(
                ["2020-03-01", "2025-07-03", None, None, "2025-07-10", "2025-09-19"]
            ),
            "lag_years": [None, -9.2, None, None, None, None],
            "status": ["reference", "used", "not yet", "not yet", "Japan did not use", "Japan did not use"],
            "lag_label": [
                "reference",
                "-9.2",
                "not yet",
                "not yet",
                "Japan did not use",
                "Japan did not use",
            ],
        }
    )
    spec = lever_matrix_chart(frame, source="fixtures").to_dict()
    rects, text = spec["layer"]
    assert rects["mark"]["type"] == "rect" and text["mark"]["type"] == "text"
    assert rects["encoding"]["y"]["field"] == "lever" and rects["encoding"]["y"]["sort"] == [
        "stockpiling",
        "magnet_making",
    ], "levers in frame order"
    assert rects["encoding"]["x"]["field"] == "jurisdiction" and rects["encoding"]["x"]["sort"] == [
        "JP",
        "US",
        "EU",
    ]
    assert (
        rects["encoding"]["y"]["title"] == "Policy lever"
        and rects["encoding"]["x"]["title"] == "Jurisdiction"
    )
    assert rects["encoding"]["color"]["field"] == "status"
    assert rects["encoding"]["color"]["scale"]["domain"] == [
        "reference",
        "used",
        "not yet",
        "Japan did not use",
    ]
    assert text["encoding"]["text"]["field"] == "label"
    assert (
        "later (+) or sooner (−) than Japan" in spec["title"]["subtitle"][0]
        and "own shock" in spec["title"]["subtitle"][1]
    )
    assert (
        spec["title"]["subtitle"][2] == "Shocks: JP 2010-09-21, US 2025-04-04, EU 2025-04-04."
        and _caption(spec)[-1] == "Source: fixtures"
    )
    labels = {(r["lever"], r["jurisdiction"]): r["label"] for r in _rows(spec)}
    assert labels == {
        ("stockpiling", "JP"): "2020",
        ("stockpiling", "US"): "-9.2",
        ("stockpiling", "EU"): "not yet",
        ("magnet_making", "JP"): "not yet",
        ("magnet_making", "US"): "—",
        ("magnet_making", "EU"): "—",
    }
    assert [(r["lever"], r["jurisdiction"]) for r in _rows(spec)][:2] == [
        ("magnet_making", "EU"),
        ("magnet_making", "JP"),
    ], "embedded rows are sorted"
