"""Charts of notebook 01: what the cleaner extracted."""

from __future__ import annotations

import altair as alt
import pandas as pd

from rare_earths.common.theme import themed


def claims_chart(counts: pd.DataFrame, *, source: str) -> alt.Chart:
    """Extracted items per article and kind: a grouped horizontal bar chart (columns doc_id, kind, items)."""
    chart = (
        alt.Chart(
            counts,
            title=alt.Title("Items extracted from each article, by kind", subtitle=[f"Source: {source}"]),
        )
        .mark_bar(color="#4c78a8")
        .encode(
            x=alt.X("items:Q", title="Items extracted (count)"),
            y=alt.Y("kind:N", title=None, sort=list(KIND_ORDER)),
            row=alt.Row(
                "doc_id:N", title="Article (doc_id)", header=alt.Header(labelAngle=0, labelAlign="left")
            ),
            tooltip=["doc_id:N", "kind:N", alt.Tooltip("items:Q", title="items")],
        )
        .properties(width=360, height=alt.Step(12))
    )
    return themed(chart)


KIND_ORDER = (
    "percentage",
    "money",
    "quantity",
    "count",
    "year",
    "date",
    "relative_date",
    "duration",
    "quote",
    "organisation",
    "country",
)
