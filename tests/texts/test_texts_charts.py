"""Chart specs of notebook texts stage, tested through to_dict() on a few hand-built rows."""

import pandas as pd

from rare_earths.texts.charts import claims_chart


def test_claims_chart_spec():
    frame = pd.DataFrame({"doc_id": ["a", "a", "b"], "kind": ["money", "year", "quote"], "items": [1, 3, 2]})
    spec = claims_chart(frame, source="fixtures").to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["title"] == "Items extracted (count)"
    assert spec["encoding"]["y"]["sort"][:3] == ["percentage", "money", "quantity"]
    assert spec["encoding"]["row"]["field"] == "doc_id"
    assert spec["title"]["subtitle"] == ["Source: fixtures"]
    assert [row["items"] for row in next(iter(spec["datasets"].values()))] == [1, 3, 2]
