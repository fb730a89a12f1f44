"""Charts of notebook 03: the timeline, measures aligned on each episode, adoption within windows."""

from __future__ import annotations

import altair as alt
import pandas as pd

from rare_earths.common import labels
from rare_earths.common.theme import GREY, colors, iso_day, themed, titled, utc_year

NO_LEVER = "context (no lever)"


LINKED = ("linked to source articles", "no linked article")


def swimlane_chart(
    timeline: pd.DataFrame, *, lanes: list[str], first_year: int, last_year: int, source: str
) -> alt.FacetChart:
    """Measures as dots on a date axis (at their first milestone): one lane per jurisdiction (in the order of
    `lanes`), one row per value-chain stage within it."""
    frame = timeline[timeline["lane"].isin(lanes) & timeline["year"].between(first_year, last_year)]
    linked = frame["linked_documents"].fillna("").ne("")
    frame = frame.assign(
        date=iso_day(frame["date"]), articles=linked.map({True: LINKED[0], False: LINKED[1]})
    )
    columns = [
        "lane",
        "stage",
        "date",
        "event_id",
        "title",
        "date_precision",
        "lever",
        "description",
        "source_id",
        "linked_documents",
        "articles",
    ]
    frame = frame.sort_values(["lane", "stage", "date", "event_id"])[columns]
    frame = frame.assign(  # stages and instruments as words on the chart (common.labels)
        stage=frame["stage"].map(lambda code: labels.STAGES.get(code, code)),
        lever=frame["lever"].map(lambda code: labels.INSTRUMENTS.get(code, code)),
    )
    categories = sorted(frame["stage"].unique())
    chart = (
        alt.Chart(frame)
        .mark_point(filled=True, opacity=0.8)
        .encode(
            x=alt.X(
                "date:T",
                title="Date of the event (year)",
                scale=alt.Scale(
                    type="utc", domain=[utc_year(first_year), utc_year(last_year + 1)], nice=False
                ),
                axis=alt.Axis(format="%Y", tickCount="year", labelOverlap=True),
            ),
            y=alt.Y("stage:N", title=None, sort=categories, axis=alt.Axis(labelLimit=130)),
            color=alt.Color(
                "stage:N",
                sort=categories,
                scale=alt.Scale(domain=categories, range=colors(categories)),
                legend=None,
            ),
            shape=alt.Shape(
                "articles:N",
                title="Marker",
                scale=alt.Scale(domain=list(LINKED), range=["diamond", "circle"]),
                legend=alt.Legend(orient="bottom"),
            ),
            size=alt.Size(
                "articles:N",
                title="Marker",
                scale=alt.Scale(domain=list(LINKED), range=[90, 36]),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=[
                "event_id:N",
                alt.Tooltip("date:N", title="date"),
                "date_precision:N",
                "title:N",
                "stage:N",
                "lever:N",
                "description:N",
                "source_id:N",
                "linked_documents:N",
            ],
        )
        .add_params(alt.selection_interval(bind="scales", encodings=["x"]))  # zoom and pan in HTML
        .properties(width=420, height=alt.Step(11))
        .facet(
            row=alt.Row(
                "lane:N",
                title=None,
                sort=list(lanes),
                header=alt.Header(labelAngle=0, labelAlign="left", labelFontWeight="bold", labelFontSize=12),
            ),
            spacing=8,
        )
        .resolve_scale(y="independent")
        .properties(
            title=titled(
                f"Policy measures by jurisdiction, {first_year}–{last_year}",
                [
                    "One mark per measure, at its first milestone; one lane per jurisdiction,",
                    "one row (and colour) per value-chain stage within it.",
                    "Diamonds: events with linked source articles. Year- or month-only dates sit on the "
                    "period's first day.",
                ],
                source,
            )
        )
    )
    return themed(chart)


def shock_aligned_chart(
    aligned: pd.DataFrame, *, episodes: dict[str, str], lanes: list[str], window_years: float, source: str
) -> alt.FacetChart:
    """Measures of each lane placed by months from each episode's start (the same start for every lane), one
    column per episode, coloured by instrument."""
    window = 12 * window_years
    frame = aligned[aligned["lane"].isin(lanes) & aligned["months_from_shock"].between(-window, window)]
    frame = frame.assign(
        date=iso_day(frame["date"]),
        lever=frame["lever"].map(
            lambda code: NO_LEVER if code == "none" else labels.INSTRUMENTS.get(code, code)
        ),
    )
    frame = frame.sort_values(["episode", "lane", "months_from_shock", "event_id"])[
        ["episode", "lane", "months_from_shock", "lever", "event_id", "title", "date"]
    ]
    levers = [*sorted(set(frame["lever"]) - {NO_LEVER}), NO_LEVER]
    starts = ", ".join(f"{name} {start}" for name, start in episodes.items())
    points = (
        alt.Chart()
        .mark_point(filled=True, size=36, opacity=0.85)
        .encode(
            x=alt.X(
                "months_from_shock:Q",
                title="Months from the episode start",
                scale=alt.Scale(domain=[-window, window], nice=False),
            ),
            y=alt.Y(
                "lane:N",
                title=None,
                sort=lanes,
                axis=alt.Axis(
                    labelFontWeight="bold", labelFontSize=12, grid=True, bandPosition=0, ticks=False
                ),
            ),
            yOffset=alt.YOffset("lever:N", sort=levers, scale=alt.Scale(domain=levers)),
            color=alt.Color(
                "lever:N",
                title="Instrument",
                sort=levers,
                scale=alt.Scale(domain=levers, range=[*colors(levers[:-1]), GREY]),
                legend=alt.Legend(orient="bottom", columns=3, labelLimit=180),
            ),
            tooltip=["event_id:N", "title:N", alt.Tooltip("date:N", title="date"), "lever:N", "episode:N"],
        )
    )
    rule = alt.Chart().mark_rule(color="black", strokeDash=[4, 3]).encode(x=alt.datum(0))
    chart = (
        alt.layer(points, rule, data=frame)
        .properties(width=250, height=alt.Step(7))
        .facet(column=alt.Column("episode:N", title=None, sort=list(episodes)))
        .properties(
            title=titled(
                "Measures aligned on each shock episode",
                [
                    "One dot per measure, before (−) or after (+) the episode start (dashed line);",
                    "every jurisdiction is measured from the same start. Colour and sub-row = instrument.",
                    f"Episodes: {starts}.",
                ],
                source,
            )
        )
    )
    return themed(chart)


ADOPTION_COLORS = {"adopted": "#59a14f", "none": "#e6e6e6", "censored": "#f1ce63"}


def adoption_matrix_chart(adoption: pd.DataFrame, *, windows: dict[str, int], source: str) -> alt.LayerChart:
    """Per instrument: which jurisdiction adopted it within the chosen window of each episode (months to the
    first measure), none, or censored by the end of the data."""
    parts = [
        adoption[(adoption["episode"] == e) & (adoption["window_months"] == w)] for e, w in windows.items()
    ]
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.assign(
        column=frame["episode"] + " · " + frame["jurisdiction"],
        text=frame["months"].map(lambda m: "" if pd.isna(m) else f"{m:.0f}"),
    )
    frame.loc[frame["state"] == "censored", "text"] = "cens."
    frame = frame.assign(instrument=frame["instrument"].map(lambda code: labels.INSTRUMENTS.get(code, code)))
    columns = list(dict.fromkeys(frame["column"]))
    instruments = list(dict.fromkeys(frame["instrument"]))
    base = alt.Chart(frame[["column", "instrument", "state", "text", "label", "baseline_measures"]]).encode(
        x=alt.X(
            "column:N",
            title=None,
            sort=columns,
            axis=alt.Axis(orient="top", labelAngle=0, labelFontWeight="bold"),
        ),
        y=alt.Y("instrument:N", title="Instrument", sort=instruments, axis=alt.Axis(labelLimit=220)),
    )
    rects = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "state:N",
            title="Within the window",
            scale=alt.Scale(domain=list(ADOPTION_COLORS), range=list(ADOPTION_COLORS.values())),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=[
            "column:N",
            "instrument:N",
            "label:N",
            alt.Tooltip("baseline_measures:Q", title="in force before"),
        ],
    )
    text = base.mark_text(fontSize=10).encode(text="text:N")
    window_text = ", ".join(f"{e} {w} months" for e, w in windows.items())
    chart = (
        alt.layer(rects, text)
        .properties(width=alt.Step(52), height=alt.Step(20))
        .properties(
            title=titled(
                "Who adopted which instrument, within equal windows of each episode",
                [
                    "Number: months from the episode start to the first new measure (adopted or funded).",
                    "Grey: none within the window. Yellow: no measure yet, and the data end before the",
                    "window does (censored).",
                    f"Windows: {window_text}.",
                ],
                source,
            )
        )
    )
    return themed(chart)


def adoption_curves_chart(curves: pd.DataFrame, *, source: str) -> alt.FacetChart:
    """Share of the twelve instruments each jurisdiction adopted, by months after each episode start."""
    episodes = list(dict.fromkeys(curves["episode"]))
    jurisdictions = list(dict.fromkeys(curves["jurisdiction"]))
    chart = (
        alt.Chart(curves)
        .mark_line(interpolate="step-after", strokeWidth=2)
        .encode(
            x=alt.X("month:Q", title="Months after the episode start"),
            y=alt.Y(
                "share_adopted:Q",
                title="Share of the 12 instruments adopted",
                axis=alt.Axis(format="%"),
                scale=alt.Scale(domain=[0, 1]),
            ),
            color=alt.Color(
                "jurisdiction:N",
                title="Jurisdiction",
                sort=jurisdictions,
                scale=alt.Scale(domain=jurisdictions, range=colors(jurisdictions)),
                legend=alt.Legend(orient="bottom"),
            ),
            tooltip=["episode:N", "jurisdiction:N", "month:Q", "instruments_adopted:Q"],
        )
        .properties(width=250, height=160)
        .facet(column=alt.Column("episode:N", title=None, sort=episodes))
        .resolve_scale(x="independent")
        .properties(
            title=titled(
                "Cumulative adoption after each shock episode",
                [
                    "Share of the twelve response instruments with a new measure (adopted or funded);",
                    "each line stops at the end of the data (right-censored).",
                ],
                source,
            )
        )
    )
    return themed(chart)


LABEL_CHARACTERS = 58  # a landmark's short title is cut at a word boundary to fit beside its mark


def short_title(title: str, limit: int = LABEL_CHARACTERS) -> str:
    """A title cut at a word boundary (with an ellipsis) to `limit` characters."""
    if len(title) <= limit:
        return title
    return title[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:(") + "…"


def landmark_chart(
    timeline: pd.DataFrame,
    *,
    lanes: list[str],
    episodes: dict[str, str],
    windows: dict[str, tuple[int, int]],
    source: str,
) -> alt.VConcatChart:
    """The record's landmark measures, labelled: one panel per episode window (the episodes side by side in
    time, each on its own date axis), one block of rows per jurisdiction, each landmark on its own row with
    its short title and amount, and the episode start as a rule. Landmarks outside every window are counted
    in the subtitle, not hidden."""
    marks = timeline[timeline["landmark"] & timeline["lane"].isin(lanes)].copy()
    marks["label"] = [
        short_title(t) + (f" ({labels.money(a, c)})" if labels.money(a, c) else "")
        for t, a, c in zip(marks["title"], marks["amount"], marks["currency"], strict=True)
    ]
    marks["jurisdiction_name"] = marks["lane"].map(lambda code: labels.JURISDICTIONS.get(code, code))
    names = [labels.JURISDICTIONS.get(code, code) for code in lanes]
    panels, shown = [], pd.Series(False, index=marks.index)
    for episode, (first, last) in windows.items():
        inside = marks["year"].between(first, last)
        shown |= inside
        frame = marks[inside].sort_values(["lane", "date", "event_id"])
        frame = frame.assign(
            row=frame.groupby("lane").cumcount(),
            date=iso_day(frame["date"]),
            lever=frame["lever"].map(lambda code: labels.INSTRUMENTS.get(code, code)),
        )
        start, end = pd.Timestamp(f"{first}-01-01"), pd.Timestamp(f"{last + 1}-01-01")
        middle = start + (end - start) * 0.55
        frame["side"] = [("left" if pd.Timestamp(d) < middle else "right") for d in frame["date"]]
        frame["shock"] = iso_day(pd.Series([pd.Timestamp(episodes[episode])] * len(frame), index=frame.index))
        frame = frame[
            [
                "jurisdiction_name",
                "row",
                "date",
                "label",
                "side",
                "title",
                "lever",
                "event_id",
                "source_id",
                "shock",
            ]
        ]
        x = alt.X(
            "date:T",
            title=None,
            scale=alt.Scale(type="utc", domain=[utc_year(first), utc_year(last + 1)], nice=False),
            axis=alt.Axis(format="%Y", tickCount="year", labelOverlap=True),
        )
        y = alt.Y("row:O", axis=None)
        base = alt.Chart().encode(x=x, y=y)
        tooltip = [
            alt.Tooltip("title:N", title="measure"),
            alt.Tooltip("date:N", title="first milestone"),
            alt.Tooltip("lever:N", title="instrument"),
            alt.Tooltip("source_id:N", title="source"),
        ]
        points = base.mark_point(filled=True, size=50, color="#333333").encode(tooltip=tooltip)
        left = (
            base.transform_filter(alt.datum.side == "left")
            .mark_text(align="left", dx=7, fontSize=9, baseline="middle")
            .encode(text="label:N", tooltip=tooltip)
        )
        right = (
            base.transform_filter(alt.datum.side == "right")
            .mark_text(align="right", dx=-7, fontSize=9, baseline="middle")
            .encode(text="label:N", tooltip=tooltip)
        )
        rule = (
            alt.Chart()
            .mark_rule(color=GREY, strokeDash=[4, 3])
            .encode(x=alt.X("shock:T"), tooltip=[alt.Tooltip("shock:N", title=f"{episode} starts")])
        )
        panel = (
            alt.layer(rule, points, left, right, data=frame)
            .properties(width=560, height=alt.Step(13))
            .facet(
                row=alt.Row(
                    "jurisdiction_name:N",
                    title=None,
                    sort=names,
                    header=alt.Header(
                        labelAngle=0, labelAlign="left", labelFontWeight="bold", labelFontSize=11
                    ),
                ),
                spacing=6,
                title=alt.Title(f"{episode}: {first}–{last}", anchor="start", fontSize=12),
            )
            .resolve_scale(y="independent")
        )
        panels.append(panel)
    kept, outside = int(shown.sum()), int((~shown).sum())
    chart = alt.vconcat(*panels, spacing=18).properties(
        title=titled(
            "Landmark measures around each episode",
            [
                f"{kept} of the record's {len(marks)} landmark measures, each on its own row with its short "
                "title and amount;",
                "dashed line: the episode's start. "
                + (
                    f"{outside} landmarks between the windows are on the full timeline (next figure)."
                    if outside
                    else "No landmark falls outside the windows."
                ),
            ],
            source,
        )
    )
    return themed(chart)
