"""The study's chart theme: font, palette, titles with caption and source lines, date helpers."""

from __future__ import annotations

import altair as alt
import pandas as pd

FONT = "DejaVu Sans"


def themed(chart: alt.Chart) -> alt.Chart:
    """Fonts available on every build machine, so the SVG is the same everywhere."""
    return (
        chart.configure(font=FONT)
        .configure_axis(labelFontSize=10, titleFontSize=11)
        .configure_title(fontSize=13, subtitleFontSize=10, anchor="start")
    )


PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#bcbd22",
    "#17becf",
    "#393b79",
    "#222222",
    "#ffbb78",
    "#98df8a",
    "#aec7e8",
    "#c5b0d5",
    "#f7b6d2",
)


GREY = "#a0a0a0"


def titled(text: str, captions: list[str], source: str) -> alt.Title:
    """A chart title with its caption lines and, last, the source line every study chart carries."""
    return alt.Title(text, subtitle=[*captions, f"Source: {source}"])


def iso_day(dates: pd.Series) -> pd.Series:
    return pd.to_datetime(dates).dt.strftime("%Y-%m-%d")


def utc_year(year: int) -> alt.DateTime:
    return alt.DateTime(year=year, month=1, date=1, utc=True)


def colors(domain: list[str]) -> list[str]:
    return [PALETTE[i % len(PALETTE)] for i in range(len(domain))]


def panel_rows(panels: list[str]) -> alt.Row:
    """Facet rows by the `panel` column, in the given order, each labelled above its panel."""
    header = alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top")
    return alt.Row("panel:N", title=None, sort=panels, header=header)
