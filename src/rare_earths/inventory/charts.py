"""Charts of notebook 00: what the raw data cover."""

from __future__ import annotations

import altair as alt
import pandas as pd

from rare_earths.common.theme import themed


def coverage_chart(coverage: pd.DataFrame, *, first_year: int, last_year: int, source: str) -> alt.Chart:
    """Years each raw series covers: one bar per consecutive run of years, one line per series."""
    frame = coverage[(coverage["year"] >= first_year) & (coverage["year"] <= last_year)]
    series = sorted(frame["series"].unique())
    chart = (
        alt.Chart(frame, title=alt.Title("Year coverage of each raw input", subtitle=[f"Source: {source}"]))
        .mark_rect(color="#4c78a8", height=10, clip=True)
        .encode(
            x=alt.X(
                "year:Q",
                title="Year (calendar or fiscal year the data are about)",
                scale=alt.Scale(domain=[first_year, last_year + 1], nice=False),
                axis=alt.Axis(format="d"),
            ),
            x2="year_end:Q",
            y=alt.Y("series:N", title=None, sort=series, axis=alt.Axis(labelLimit=320)),
            tooltip=[
                alt.Tooltip("series:N", title="file or folder"),
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("files:Q", title="files"),
            ],
        )
        .properties(width=420, height=alt.Step(16))
    )
    return themed(chart)
