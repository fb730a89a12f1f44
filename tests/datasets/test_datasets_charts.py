"""Chart specs of notebook datasets stage, tested through to_dict() on a few hand-built rows."""

import pandas as pd

from rare_earths.datasets.charts import rows_by_year_chart, series_chart


def _rows(spec: dict) -> list[dict]:
    (values,) = spec["datasets"].values()
    return values


def test_series_chart_spec():
    frame = pd.DataFrame(
        {
            "country_iso": ["CN", "CN", "CN", "WLD", None, "US"],
            "year": [2019, 2020, 2020, 2020, 2020, 2020],
            "production_t_reo": [132000.0, 140000.0, 150000.0, 240000.0, 5.0, None],
            "value_flag": [None, None, "estimated", None, None, "withheld"],
            "source": [
                "usgs_myb2022",
                "usgs_myb2022",
                "bgs_wms",
                "usgs_myb2022",
                "usgs_myb2022",
                "usgs_myb2022",
            ],
            "edition": ["MYB 2022", "MYB 2022", "BGS", "MYB 2022", "MYB 2022", "MYB 2022"],
        }
    )
    spec = series_chart(
        frame, countries={"CN": "China", "WLD": "World"}, first_year=2015, last_year=2022, source="fixtures"
    ).to_dict()
    assert (
        spec["facet"]["field"] == "panel"
        and spec["facet"]["sort"] == ["China", "World"]
        and spec["columns"] == 2
    )
    assert spec["spec"]["encoding"]["y"]["title"] == "Mine production (t REO)"
    assert spec["title"]["subtitle"] == ["Source: fixtures"]
    rows = next(iter(spec["datasets"].values()))
    assert sorted((r["panel"], r["series"], r["year"]) for r in rows) == [
        ("China", "bgs_wms (BGS)", 2020),
        ("China", "usgs_myb2022 (MYB 2022)", 2019),
        ("China", "usgs_myb2022 (MYB 2022)", 2020),
        ("World", "usgs_myb2022 (MYB 2022)", 2020),
    ]


def test_rows_by_year_chart_spec():
    frame = pd.DataFrame(
        {
            "table": ["trade", "trade", "prices"],
            "source": ["a", "a", "b"],
            "year": [1985, 2010, 2013],
            "rows": [3, 40, 250],
        }
    )
    spec = rows_by_year_chart(frame, first_year=1990, last_year=2026, source="fixtures").to_dict()
    assert spec["mark"]["type"] == "rect" and spec["encoding"]["color"]["scale"]["type"] == "log"
    assert spec["encoding"]["y"]["sort"] == ["prices · b", "trade · a"]
    assert [r["year"] for r in next(iter(spec["datasets"].values()))] == [2013, 2010], (
        "years before first_year are left out"
    )
