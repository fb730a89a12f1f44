"""Charts of notebook 03: the timeline, the shock-aligned events and lever adoption."""

from __future__ import annotations

import altair as alt
import pandas as pd

from rare_earths.common.theme import GREY, colors, iso_day, themed, titled, utc_year

NO_LEVER = "context (no lever)"


LINKED = ("linked to source articles", "no linked article")


STATUS_COLORS = {
    "reference": "#4c78a8",
    "used": "#59a14f",
    "not yet": "#e6e6e6",
    "Japan did not use": "#f1ce63",
}


def lane_order(shocks: dict[str, str]) -> list[str]:
    """Japan first, then the other lanes in the order of `shocks`."""
    return sorted(shocks, key=lambda lane: lane != "JP")


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
    aligned: pd.DataFrame, *, shocks: dict[str, str], window_years: float, source: str
) -> alt.LayerChart:
    """Events of each lane placed by months from that lane's own China shock (Japan first), coloured by policy
    lever."""
    lanes = lane_order(shocks)
    window = 12 * window_years
    frame = aligned[aligned["lane"].isin(lanes) & aligned["months_from_shock"].between(-window, window)]
    frame = frame.assign(date=iso_day(frame["date"]), lever=frame["lever"].replace({"none": NO_LEVER}))
    frame = frame.sort_values(["lane", "months_from_shock", "event_id"])[
        ["lane", "months_from_shock", "lever", "event_id", "date", "description"]
    ]
    levers = [*sorted(set(frame["lever"]) - {NO_LEVER}), NO_LEVER]
    shock_text = ", ".join(f"{lane} {shocks[lane]}" for lane in lanes)
    points = (
        alt.Chart(frame)
        .mark_point(filled=True, size=40, opacity=0.85)
        .encode(
            x=alt.X(
                "months_from_shock:Q",
                title="Months from the shock",
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
                title="Policy lever",
                sort=levers,
                scale=alt.Scale(domain=levers, range=[*colors(levers[:-1]), GREY]),
                legend=alt.Legend(orient="bottom", columns=3, labelLimit=180),
            ),
            tooltip=["event_id:N", alt.Tooltip("date:N", title="date"), "lever:N", "description:N"],
        )
    )
    rule = (
        alt.Chart(pd.DataFrame({"months_from_shock": [0]}))
        .mark_rule(color="black", strokeDash=[4, 3])
        .encode(x="months_from_shock:Q")
    )
    chart = (
        alt.layer(points, rule)
        .properties(width=460, height=alt.Step(8))
        .properties(
            title=titled(
                "Policy events aligned on each jurisdiction's China shock",
                [
                    "One dot per event, before (−) or after (+) its lane's own shock (dashed line); colour "
                    "and sub-row = lever.",
                    f"Shocks: {shock_text}.",
                ],
                source,
            )
        )
    )
    return themed(chart)


def lever_matrix_chart(levers: pd.DataFrame, *, source: str) -> alt.LayerChart:
    """Which policy levers each jurisdiction has used since its shock, and how much later or sooner than
    Japan."""
    lever_order = list(dict.fromkeys(levers["lever"]))
    jurisdictions = list(dict.fromkeys(levers["jurisdiction"]))
    years = pd.to_datetime(levers["first_date"]).dt.year
    label = levers["status"].map({"not yet": "not yet"}).fillna("—")
    label = label.mask(levers["status"].eq("used"), levers["lag_label"])
    label = label.mask(levers["status"].eq("reference") & years.notna(), years.astype("Int64").astype(str))
    frame = levers.assign(label=label, first_date=iso_day(levers["first_date"]).fillna(""))
    frame = frame.sort_values(["lever", "jurisdiction"])[
        ["lever", "jurisdiction", "status", "label", "first_event_id", "first_date", "lag_years"]
    ]
    shocks = levers.drop_duplicates("jurisdiction").set_index("jurisdiction")["shock_date"]
    shock_text = ", ".join(f"{j} {pd.Timestamp(shocks[j]):%Y-%m-%d}" for j in jurisdictions)
    base = alt.Chart(frame).encode(
        x=alt.X(
            "jurisdiction:N",
            title="Jurisdiction",
            sort=jurisdictions,
            axis=alt.Axis(orient="top", labelAngle=0, labelFontWeight="bold"),
        ),
        y=alt.Y("lever:N", title="Policy lever", sort=lever_order, axis=alt.Axis(labelLimit=220)),
    )
    rects = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "status:N",
            title="Status",
            scale=alt.Scale(domain=list(STATUS_COLORS), range=list(STATUS_COLORS.values())),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=[
            "lever:N",
            "jurisdiction:N",
            "status:N",
            "first_event_id:N",
            alt.Tooltip("first_date:N", title="first use"),
            alt.Tooltip("lag_years:Q", title="lag (years)", format="+.1f"),
        ],
    )
    text = base.mark_text(fontSize=11).encode(
        text="label:N",
        color=alt.condition(alt.datum.status == "reference", alt.value("white"), alt.value("black")),
    )
    chart = (
        alt.layer(rects, text)
        .properties(width=alt.Step(90), height=alt.Step(24))
        .properties(
            title=titled(
                "Japan's levers: who has used them since their own shock",
                [
                    "Japan's cells: year of first use. Others: lag in years, later (+) or sooner (−) than "
                    "Japan, each",
                    "counted from the jurisdiction's own shock. '—': used, though Japan did not use it.",
                    f"Shocks: {shock_text}.",
                ],
                source,
            )
        )
    )
    return themed(chart)
