"""Charts of notebook 02: the processed statistics."""

from __future__ import annotations

import altair as alt
import pandas as pd

from rare_earths.common.theme import themed


def series_chart(
    production: pd.DataFrame, *, countries: dict[str, str], first_year: int, last_year: int, source: str
) -> alt.Chart:
    """Mine production of a few countries as each series prints it: one line per source and edition, one panel
    per country.

    `production` has the processed production layout; `countries` maps ISO codes (or WLD) to panel titles.
    """
    frame = production[
        production["country_iso"].isin(list(countries)) & production["production_t_reo"].notna()
    ]
    frame = frame[frame["year"].between(first_year, last_year)].assign(
        series=lambda f: f["source"] + " (" + f["edition"] + ")",
        panel=lambda f: f["country_iso"].map(countries),
    )
    frame = frame.sort_values(["panel", "series", "year"])[
        ["panel", "series", "year", "production_t_reo", "value_flag"]
    ]
    chart = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=18), clip=True)
        .encode(
            x=alt.X(
                "year:Q",
                title="Year",
                scale=alt.Scale(domain=[first_year, last_year], nice=False),
                axis=alt.Axis(format="d"),
            ),
            y=alt.Y("production_t_reo:Q", title="Mine production (t REO)", axis=alt.Axis(format="~s")),
            color=alt.Color(
                "series:N",
                title="Series (source, edition)",
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=260),
            ),
            tooltip=[
                "panel:N",
                "series:N",
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("production_t_reo:Q", format=",.0f", title="t REO"),
                alt.Tooltip("value_flag:N", title="flag"),
            ],
        )
        .properties(width=240, height=150)
        .facet(facet=alt.Facet("panel:N", title=None, sort=list(countries.values())), columns=2)
        .resolve_scale(y="independent")
        .properties(
            title=alt.Title(
                "Rare-earth mine production as each series prints it", subtitle=[f"Source: {source}"]
            )
        )
    )
    return themed(chart)


def rows_by_year_chart(counts: pd.DataFrame, *, first_year: int, last_year: int, source: str) -> alt.Chart:
    """Rows per table, source and year as a heat map (columns table, source, year, rows)."""
    frame = counts[counts["year"].between(first_year, last_year)].assign(
        series=lambda f: f["table"] + " · " + f["source"]
    )
    order = sorted(frame["series"].unique())
    chart = (
        alt.Chart(
            frame.sort_values(["series", "year"]),
            title=alt.Title("Processed rows per table, source and year", subtitle=[f"Source: {source}"]),
        )
        .mark_rect()
        .encode(
            x=alt.X(
                "year:O",
                title="Year",
                axis=alt.Axis(
                    labelAngle=-90, values=list(range(first_year - first_year % 5, last_year + 1, 5))
                ),
            ),
            y=alt.Y("series:N", title=None, sort=order, axis=alt.Axis(labelLimit=300)),
            color=alt.Color("rows:Q", title="Rows", scale=alt.Scale(type="log", scheme="blues")),
            tooltip=["table:N", "source:N", "year:O", alt.Tooltip("rows:Q", format=",")],
        )
        .properties(width=440, height=alt.Step(14))
    )
    return themed(chart)
