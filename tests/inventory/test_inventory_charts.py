"""Chart specs of notebook inventory stage, tested through to_dict() on a few hand-built rows."""

import pandas as pd

from rare_earths.inventory.charts import coverage_chart


def test_coverage_chart_spec():
    frame = pd.DataFrame(
        {
            "series": ["a.csv", "a.csv", "b.json", "old.xlsx"],
            "year": [2010, 2011, 2024, 1950],
            "files": [1, 1, 3, 1],
        }
    )
    frame["year_end"] = frame["year"] + 1
    spec = coverage_chart(frame, first_year=2000, last_year=2026, source="test files").to_dict()
    assert spec["mark"]["type"] == "rect" and spec["mark"]["clip"] is True
    assert spec["encoding"]["x"]["scale"]["domain"] == [2000, 2027]
    assert spec["encoding"]["x"]["title"].startswith("Year")
    assert spec["encoding"]["y"]["sort"] == ["a.csv", "b.json"], (
        "series wholly before first_year are left out"
    )
    assert spec["title"]["text"] == "Year coverage of each raw input" and spec["title"]["subtitle"] == [
        "Source: test files"
    ]
    values = next(iter(spec["datasets"].values()))
    assert sorted(v["year"] for v in values) == [2010, 2011, 2024]
