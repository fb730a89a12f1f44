"""Chart specs of notebook compare stage, tested through to_dict() on a few hand-built rows."""

import pandas as pd

from rare_earths.compare.charts import (
    concentration_chart,
    dependence_chart,
    price_chart,
    production_chart,
    world_share_chart,
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


def test_dependence_chart_spec():
    best = pd.DataFrame(
        {
            "jurisdiction": ["US", "JP", "JP"],
            "year": [2020, 2009, 2010],
            "share_pct": [50.0, 85.5, 81.6],
            "source_id": ["u", "k", "k"],
            "edition": ["USITC", "MoF", "MoF"],
            "basis": ["HTS 2846 by value", "customs by weight", "customs by weight"],
            "figures": [1, 2, 1],
        }
    )
    figures = pd.DataFrame(
        {
            "jurisdiction": ["JP", "JP", "US", "JP"],
            "year": [2009, 2009, 2020, 2010],
            "share_pct": [85.5, 84.0, 50.0, 90.0],
            "source_id": ["k", "t", "u", "c"],
            "edition": ["MoF", "", "USITC", "Argus"],
            "basis": ["customs by weight", "news", "HTS 2846 by value", "news"],
        }
    )
    spec = dependence_chart(
        best,
        figures,
        episodes={"S1": "2010-07-08", "S2": "2025-04-04"},
        jurisdictions=["JP", "US"],
        source="fixtures",
    ).to_dict()
    assert spec["facet"]["row"]["field"] == "panel" and spec["facet"]["row"]["sort"] == [
        "JP: line = customs by weight",
        "US: line = HTS 2846 by value",
    ], "each panel names the basis its line is on"
    assert "S1 2010-07-08, S2 2025-04-04" in " ".join(spec["title"]["subtitle"])
    rule, others, line = spec["spec"]["layer"]
    assert (
        rule["mark"]["type"] == "rule"
        and others["mark"]["type"] == "point"
        and others["mark"]["filled"] is False
    )
    assert line["mark"]["type"] == "line" and "point" in line["mark"]
    assert line["encoding"]["detail"]["field"] == "run", "a year without a figure breaks the line"
    runs = {r["year"]: r["run"] for r in _rows(spec) if r["kind"] == "best" and r["jurisdiction"] == "JP"}
    assert runs[2009] == runs[2010]
    assert line["encoding"]["y"]["field"] == "share_pct" and line["encoding"]["y"]["scale"]["domain"] == [
        0,
        100,
    ]
    assert (
        " ".join(line["encoding"]["y"]["title"]) == "Share of imports from China (%)"
        and line["encoding"]["x"]["title"] == "Year"
    )
    assert line["encoding"]["x"]["scale"]["domain"] == [2009, 2026]
    assert (
        spec["title"]["text"] == "China's share of rare-earth imports"
        and _caption(spec)[-1] == "Source: fixtures"
    )
    rows = [(r["jurisdiction"], r["kind"], r["year"], r["share_pct"]) for r in _rows(spec)]
    assert [(j, k, y) for j, k, y, _ in rows] == [
        ("JP", "best", 2009),
        ("JP", "best", 2010),
        ("JP", "other", 2009),
        ("JP", "other", 2010),
        ("JP", "shock", 2010.52),
        ("JP", "shock", 2025.25),
        ("US", "best", 2020),
        ("US", "shock", 2010.52),
        ("US", "shock", 2025.25),
    ], "figures that are the best for their year are not drawn twice; both episodes on every panel"
    assert [s for _, k, _, s in rows if k == "other"] == [84.0, 90.0]


def test_world_share_chart_spec():
    production = pd.DataFrame(
        {
            "year": [2018, 2017, 2016],
            "share_pct": [63.2, 77.1, 85.4],
            "source": ["usgs_myb2022", "bgs_wms", "bgs_wms"],
            "edition": ["MYB 2022", "BGS", "BGS"],
        }
    )
    refining = pd.DataFrame(
        {
            "year": [2023, 2019, 2025],
            "value": [92.0, 87.0, 94.0],
            "source_id": ["b", "a", "c"],
            "stage": ["Refining", "Refining", "Magnet making"],
            "figure_year_basis": ["data_year", "data_year", "publication_year"],
        }
    )
    spec = world_share_chart(production, refining, source="fixtures").to_dict()
    assert spec["mark"]["type"] == "line"
    assert spec["encoding"]["y"]["field"] == "share_pct" and spec["encoding"]["y"]["scale"]["domain"] == [
        0,
        100,
    ]
    assert (
        spec["encoding"]["y"]["title"] == "China's share of the world total (%)"
        and spec["encoding"]["x"]["title"] == "Year"
    )
    assert spec["encoding"]["color"]["field"] == "series"
    assert spec["encoding"]["color"]["scale"]["domain"] == [
        "Mining: bgs_wms (BGS)",
        "Mining: usgs_myb2022 (MYB 2022)",
        "Refining: curated figures (data year)",
    ], "a figure dated only by its publication year is not drawn"
    assert spec["encoding"]["shape"]["scale"]["range"] == ["circle", "circle", "diamond"]
    assert _caption(spec)[-1] == "Source: fixtures"
    assert [(r["measure"], r["year"], r["share_pct"]) for r in _rows(spec)] == [
        ("Mine production", 2016, 85.4),
        ("Mine production", 2017, 77.1),
        ("Mine production", 2018, 63.2),
        ("Refining", 2019, 87.0),
        ("Refining", 2023, 92.0),
    ]


def test_production_chart_spec():
    frame = pd.DataFrame(
        {
            "year": [2019, 2019, 2019, 2020, 2020, 2020, 2020, 2020, 2018],
            "country_iso": ["CN", "US", "AU", "CN", "US", "AU", "MM", None, "US"],
            "country_label": [
                "China",
                "United States",
                "Australia",
                "China",
                "United States",
                "Australia",
                "Burma",
                "Other countries",
                "United States",
            ],
            "production_t_reo": [
                132000.0,
                28000.0,
                20000.0,
                140000.0,
                39000.0,
                20000.0,
                30000.0,
                1000.0,
                14000.0,
            ],
            "share_pct": [60.0, 12.7, 9.1, 56.0, 15.6, 8.0, 12.0, 0.4, 7.4],
        }
    )
    spec = production_chart(frame, top=2, first_year=2019, source="fixtures").to_dict()
    bars, line = spec["layer"]
    assert (
        bars["mark"]["type"] == "bar"
        and line["mark"]["type"] == "line"
        and spec["resolve"]["scale"]["y"] == "independent"
    )
    assert (
        bars["encoding"]["y"]["title"] == "Mine production outside China (t REO)"
        and bars["encoding"]["color"]["field"] == "group"
    )
    assert bars["encoding"]["color"]["scale"]["domain"] == ["United States", "Burma", "Other countries"], (
        "top producers of the latest year"
    )
    assert (
        " ".join(line["encoding"]["y"]["title"]) == "China's share of world mine production (%)"
        and line["encoding"]["y"]["axis"]["orient"] == "right"
    )
    assert (
        spec["title"]["text"] == "Rare-earth mine production outside China, 2019–2020"
        and _caption(spec)[-1] == "Source: fixtures"
    )
    rows = [(r["kind"], r["year"], r["group"], r["production_t_reo"], r["share_pct"]) for r in _rows(spec)]
    assert rows == [
        ("china_share", 2019, "China", None, 60.0),
        ("china_share", 2020, "China", None, 56.0),
        ("production", 2019, "United States", 28000.0, None),
        ("production", 2019, "Other countries", 20000.0, None),
        ("production", 2020, "United States", 39000.0, None),
        ("production", 2020, "Burma", 30000.0, None),
        ("production", 2020, "Other countries", 21000.0, None),
    ], (
        "China left out of the bars, the rest (incl. the residual row) grouped, years before first_year "
        "left out"
    )


def test_concentration_chart_spec():
    frame = pd.DataFrame(
        {
            "year": [2018, 2017],
            "hhi": [4319.0, 6143.0],
            "producers": [12, 8],
            "unattributed_pct": [0.0, 0.26],
            "source": ["usgs_myb2022", "bgs_wms"],
            "edition": ["MYB 2022", "BGS"],
        }
    )
    spec = concentration_chart(frame, source="fixtures").to_dict()
    assert spec["mark"]["type"] == "line" and "point" in spec["mark"]
    assert (
        spec["encoding"]["y"]["field"] == "hhi"
        and spec["encoding"]["y"]["title"] == "Herfindahl-Hirschman index (0–10,000)"
    )
    assert spec["encoding"]["color"]["field"] == "publication" and spec["encoding"]["color"]["sort"] == [
        "bgs_wms (BGS)",
        "usgs_myb2022 (MYB 2022)",
    ]
    assert {"producers", "unattributed_pct"} <= {t["field"] for t in spec["encoding"]["tooltip"]}
    assert (
        spec["title"]["text"] == "Concentration of world rare-earth mine production"
        and _caption(spec)[-1] == "Source: fixtures"
    )
    assert [(r["year"], r["hhi"]) for r in _rows(spec)] == [(2017, 6143.0), (2018, 4319.0)]


def test_price_chart_spec():
    prices = pd.DataFrame(
        {
            "date": pd.to_datetime(
                ["2013-01-04", "2013-01-05", "2013-02-01", "2011-07-01", "2024-01-02", "2009-05-01"]
            ),
            "element": ["Nd", "Nd", "Nd", "Dy", "Nd", "Nd"],
            "series": [
                "China domestic, daily",
                "China domestic, daily",
                "China domestic, daily",
                "reported points (curated record)",
                "international, daily",
                "China domestic, daily",
            ],
            "currency": ["CNY", "CNY", "CNY", "USD", "USD", "CNY"],
            "value_per_kg": [300.0, 310.0, 305.0, 2377.0, 60.0, 1.0],
            "source_id": ["y", "y", "y", "q", "k", "y"],
            "market": ["China", "China", "China", "international, as reported", "FOB", "China"],
            "form": ["oxide"] * 6,
            "timing": ["daily"] * 3 + ["peak, date not given", "daily", "daily"],
        }
    )
    controls = pd.DataFrame(
        {
            "event_id": ["CN-2", "CN-1"],
            "date": pd.to_datetime(["2025-10-09", "2025-04-04"]),
            "description": ["b", "a"],
        }
    )
    spec = price_chart(prices, controls, first_year=2010, source="fixtures").to_dict()
    assert spec["facet"]["row"]["field"] == "panel" and spec["facet"]["row"]["sort"] == [
        "CNY per kg: China domestic",
        "USD per kg: international",
    ]
    rules, rule_text, lines, peaks, peak_text = spec["spec"]["layer"]
    assert [
        rules["mark"]["type"],
        rule_text["mark"]["type"],
        lines["mark"]["type"],
        peaks["mark"]["type"],
        peak_text["mark"]["type"],
    ] == [
        "rule",
        "text",
        "line",
        "point",
        "text",
    ]
    assert (
        lines["encoding"]["y"]["scale"]["type"] == "log"
        and lines["encoding"]["y"]["title"] == "Price (per kg, log scale)"
    )
    assert (
        lines["encoding"]["color"]["field"] == "element"
        and lines["encoding"]["strokeDash"]["field"] == "series"
    )
    assert "monthly means" in spec["title"]["subtitle"][0] and _caption(spec)[-1] == "Source: fixtures"
    rows = [
        (r["panel"][:3], r["kind"], r["date"], r["value_per_kg"], r.get("mark_label")) for r in _rows(spec)
    ]
    assert rows == [
        ("CNY", "control", "2025-04-04", None, None),
        ("CNY", "control", "2025-10-09", None, None),
        ("CNY", "series", "2013-01-01", 305.0, None),
        ("CNY", "series", "2013-02-01", 305.0, None),
        ("USD", "control", "2025-04-04", None, None),
        ("USD", "control", "2025-10-09", None, None),
        ("USD", "peak", "2011-07-01", 2377.0, "Dy 2011: 2,377"),
        ("USD", "series", "2024-01-01", 60.0, None),
    ], "daily prices averaged per month, dates before first_year left out, the controls drawn in every panel"
