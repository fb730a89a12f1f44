"""Chart specs of notebook timeline stage, tested through to_dict() on a few hand-built rows."""

import pandas as pd

from rare_earths.timeline.charts import (
    adoption_curves_chart,
    adoption_matrix_chart,
    shock_aligned_chart,
    swimlane_chart,
)


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
            "episode": ["S1", "S1", "S1", "S2", "S2", "S1"],
            "lane": ["US", "JP", "JP", "EU", "CN", "US"],
            "event_id": ["US-1", "JP-1", "JP-2", "EU-1", "CN-1", "US-2"],
            "title": ["t1", "t2", "t3", "t4", "t5", "t6"],
            "date": pd.to_datetime(
                ["2010-01-01", "2010-11-24", "2011-02-01", "2025-06-04", "2010-09-21", "2015-01-01"]
            ),
            "months_from_shock": [-6.2, 4.5, 6.8, 2.0, 0.0, 53.8],
            "lever": ["stockpiling", "none", "overseas_equity_offtake", "recycling", "x", "y"],
        }
    )
    episodes = {"S1": "2010-07-08", "S2": "2025-04-04"}
    spec = shock_aligned_chart(
        frame, episodes=episodes, lanes=["JP", "US", "EU"], window_years=2, source="fixtures"
    ).to_dict()
    assert spec["facet"]["column"]["field"] == "episode" and spec["facet"]["column"]["sort"] == ["S1", "S2"]
    points, rule = spec["spec"]["layer"]
    assert points["mark"]["type"] == "point" and rule["mark"]["type"] == "rule"
    assert points["encoding"]["x"]["title"] == "Months from the episode start"
    assert points["encoding"]["x"]["scale"]["domain"] == [-24, 24]
    assert points["encoding"]["y"]["sort"] == ["JP", "US", "EU"], "lanes in the order given"
    assert points["encoding"]["color"]["scale"]["domain"] == [
        "overseas equity and offtake",
        "recycling",
        "stockpiling",
        "context (no lever)",
    ]
    assert spec["title"]["subtitle"][2] == "Episodes: S1 2010-07-08, S2 2025-04-04."
    rows = _rows(spec)
    assert [(r["episode"], r["event_id"], r["lever"]) for r in rows] == [
        ("S1", "JP-1", "context (no lever)"),
        ("S1", "JP-2", "overseas equity and offtake"),
        ("S1", "US-1", "stockpiling"),
        ("S2", "EU-1", "recycling"),
    ], "lanes not asked for and measures outside the window are left out"


def _adoption_rows():
    rows = []
    for episode, observed in (("S1", 190.0), ("S2", 13.5)):
        for jurisdiction in ("JP", "US"):
            for window in (12, 36):
                adopted = jurisdiction == "JP" and episode == "S1"
                state = "adopted" if adopted else ("censored" if window > observed else "none")
                rows.append(
                    {
                        "episode": episode,
                        "jurisdiction": jurisdiction,
                        "instrument": "stockpiling",
                        "window_months": window,
                        "state": state,
                        "months": 3.0 if adopted else None,
                        "label": "3 mo (M-JP-2010-01)" if adopted else state,
                        "observed_months": observed,
                        "baseline_measures": 1 if jurisdiction == "JP" else 0,
                    }
                )
    return pd.DataFrame(rows)


def test_adoption_matrix_chart_spec():
    spec = adoption_matrix_chart(_adoption_rows(), windows={"S1": 36, "S2": 12}, source="fixtures").to_dict()
    rects, text = spec["layer"]
    assert text["encoding"]["text"]["field"] == "text"
    assert rects["encoding"]["x"]["sort"] == ["S1 · JP", "S1 · US", "S2 · JP", "S2 · US"]
    assert rects["encoding"]["color"]["scale"]["domain"] == ["adopted", "none", "censored"]
    assert spec["title"]["subtitle"][-2] == "Windows: S1 36 months, S2 12 months."
    cells = {(r["column"], r["state"], r["text"]) for r in _rows(spec)}
    assert cells == {
        ("S1 · JP", "adopted", "3"),
        ("S1 · US", "none", ""),
        ("S2 · JP", "none", ""),
        ("S2 · US", "none", ""),
    }
    censored = adoption_matrix_chart(_adoption_rows(), windows={"S2": 36}, source="fixtures").to_dict()
    assert {r["text"] for r in _rows(censored)} == {"cens."}, "a censored cell is marked, never read as none"


def test_adoption_curves_chart_spec():
    curves = pd.DataFrame(
        {
            "episode": ["S1", "S1", "S2"],
            "jurisdiction": ["JP", "US", "JP"],
            "month": [0, 0, 0],
            "instruments_adopted": [1, 0, 2],
            "share_adopted": [0.083, 0.0, 0.167],
        }
    )
    spec = adoption_curves_chart(curves, source="fixtures").to_dict()
    assert spec["facet"]["column"]["field"] == "episode"
    assert spec["spec"]["mark"]["interpolate"] == "step-after"
    assert spec["spec"]["encoding"]["y"]["scale"]["domain"] == [0, 1]
    assert _caption(spec)[-1] == "Source: fixtures"
