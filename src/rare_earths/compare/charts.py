"""Charts of notebook 04: dependence, world shares, concentration and prices."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from rare_earths.common.theme import GREY, colors, iso_day, panel_rows, themed, titled, utc_year
from rare_earths.compare import CURATED_PRICES

ELEMENT_COLORS = {"Nd": "#4c78a8", "Dy": "#e45756", "Ce": "#f58518"}


def _fractional_year(date: str) -> float:
    """A date as a decimal year (2010-09-21 -> 2010.72), to place it on a yearly axis."""
    day = pd.Timestamp(date)
    start, end = pd.Timestamp(year=day.year, month=1, day=1), pd.Timestamp(year=day.year + 1, month=1, day=1)
    return round(day.year + (day - start) / (end - start), 2)


def dependence_chart(
    best: pd.DataFrame,
    figures: pd.DataFrame,
    *,
    episodes: dict[str, str],
    jurisdictions: list[str],
    source: str,
) -> alt.FacetChart:
    """China's share of each jurisdiction's rare-earth imports: the best figure per year as a line, the other
    figures as grey rings, and the start of every shock episode on every panel."""
    order = list(jurisdictions) + sorted(set(best["jurisdiction"]) - set(jurisdictions))
    keys = ["jurisdiction", "year", "source_id", "share_pct"]
    others = figures.merge(best[keys], on=keys, how="left", indicator=True)
    others = others[others["_merge"].eq("left_only")].drop(columns="_merge")
    rules = pd.DataFrame(
        [
            {"jurisdiction": j, "year": _fractional_year(start), "source_id": name}
            for j in order
            for name, start in episodes.items()
        ]
    )
    best = best.sort_values(["jurisdiction", "year"])
    runs = best.groupby("jurisdiction")["year"].diff().ne(1).cumsum()  # consecutive years form one run
    frame = pd.concat(
        [best.assign(kind="best", run=runs), others.assign(kind="other"), rules.assign(kind="shock")],
        ignore_index=True,
    )
    frame = frame[frame["jurisdiction"].isin(order)]
    labels = best.drop_duplicates("jurisdiction").set_index("jurisdiction")["basis"].to_dict()
    titles = {
        j: f"{j}: line = {labels[j]}" if j in labels else f"{j}: no default-basis figure" for j in order
    }
    frame = frame.assign(panel=frame["jurisdiction"].map(titles))
    columns = [
        "panel",
        "jurisdiction",
        "kind",
        "run",
        "year",
        "share_pct",
        "source_id",
        "edition",
        "basis",
        "figures",
    ]
    frame = frame.sort_values(["jurisdiction", "kind", "year", "share_pct", "source_id"])[
        [c for c in columns if c in frame]
    ]
    panels = [titles[j] for j in order if j in set(frame["jurisdiction"])]
    lo, hi = math.floor(frame["year"].min()), math.ceil(frame["year"].max())
    x = alt.X("year:Q", title="Year", scale=alt.Scale(domain=[lo, hi], nice=False), axis=alt.Axis(format="d"))
    y = alt.Y(
        "share_pct:Q",
        title=["Share of imports", "from China (%)"],
        scale=alt.Scale(domain=[0, 100]),
        axis=alt.Axis(values=[0, 25, 50, 75, 100]),
    )
    tooltip = [
        "jurisdiction:N",
        alt.Tooltip("year:Q", format="d"),
        alt.Tooltip("share_pct:Q", format=".1f", title="share (%)"),
        "source_id:N",
        "edition:N",
        alt.Tooltip("basis:N", title="basis"),
    ]
    base = alt.Chart(frame)
    best_line = base.transform_filter(alt.datum.kind == "best").mark_line(
        color="#4c78a8", point=alt.OverlayMarkDef(size=28, color="#4c78a8")
    )
    best_line = best_line.encode(
        x=x, y=y, detail="run:N", tooltip=[*tooltip, alt.Tooltip("figures:Q", title="figures for the year")]
    )
    other_points = (
        base.transform_filter(alt.datum.kind == "other")
        .mark_point(color="#8c8c8c", size=22, filled=False)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    shock_rule = (
        base.transform_filter(alt.datum.kind == "shock")
        .mark_rule(color="#d62728", strokeDash=[4, 3])
        .encode(x=x)
    )
    chart = (
        alt.layer(shock_rule, other_points, best_line)
        .properties(width=470, height=120)
        .facet(row=panel_rows(panels))
        .properties(
            title=titled(
                "China's share of rare-earth imports",
                [
                    "Blue line and dots: the default basis only (named on each panel); a year without a "
                    "figure breaks the line;",
                    "grey rings: figures on any other basis (tooltip and table give each one's basis), "
                    "never joined;",
                    "red dashed lines: the shock episodes ("
                    + ", ".join(f"{name} {start}" for name, start in episodes.items())
                    + ").",
                ],
                source,
            )
        )
    )
    return themed(chart)


def _publication(frame: pd.DataFrame) -> pd.Series:
    return frame["source"] + " (" + frame["edition"] + ")"


def _by_first_year(frame: pd.DataFrame, column: str) -> list[str]:
    """Values of `column` in the order of the first year they appear in."""
    return list(frame.sort_values(["year", column]).drop_duplicates(column)[column])


def world_share_chart(production_share: pd.DataFrame, refining: pd.DataFrame, *, source: str) -> alt.Chart:
    """China's share of world mine production (line, coloured by publication) and of refining (diamonds)."""
    mine = production_share.assign(measure="Mine production", series=lambda f: "Mining: " + _publication(f))[
        ["year", "share_pct", "measure", "series"]
    ]
    dated = refining[
        refining["figure_year_basis"].eq("data_year") & refining["stage"].ne("Refining, heavy rare earths")
    ]
    refined = dated.assign(
        measure=dated["stage"],
        series=dated["stage"] + ": curated figures (data year)",
        share_pct=dated["value"],
    )
    refined = refined.assign(series_source=refined["source_id"])[
        ["year", "share_pct", "measure", "series", "series_source"]
    ]
    frame = pd.concat([mine, refined], ignore_index=True).sort_values(
        ["measure", "series", "year", "share_pct"]
    )
    stages = sorted(set(refined["series"]))
    series = [*_by_first_year(mine, "series"), *stages]
    marks = {"Refining": ("black", "diamond"), "Magnet making": ("#7f3c8d", "square")}
    stage_colors = [marks[s.split(":")[0]][0] for s in stages]
    stage_shapes = [marks[s.split(":")[0]][1] for s in stages]
    first, last = int(frame["year"].min()), int(frame["year"].max())
    chart = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=36, filled=True))
        .encode(
            x=alt.X(
                "year:Q",
                title="Year",
                scale=alt.Scale(domain=[first, last], nice=False, padding=6),
                axis=alt.Axis(format="d", tickCount=8),
            ),
            y=alt.Y(
                "share_pct:Q", title="China's share of the world total (%)", scale=alt.Scale(domain=[0, 100])
            ),
            color=alt.Color(
                "series:N",
                title="Series (publication)",
                sort=series,
                scale=alt.Scale(
                    domain=series, range=[*colors(series[: -len(stages) or None]), *stage_colors]
                ),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=280),
            ),
            shape=alt.Shape(
                "series:N",
                title="Series (publication)",
                sort=series,
                scale=alt.Scale(
                    domain=series, range=[*["circle"] * (len(series) - len(stages)), *stage_shapes]
                ),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=280),
            ),
            strokeWidth=alt.condition(alt.datum.measure != "Mine production", alt.value(0), alt.value(2)),
            tooltip=[
                "measure:N",
                "series:N",
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("share_pct:Q", format=".1f", title="share (%)"),
                alt.Tooltip("series_source:N", title="source_id"),
            ],
        )
        .properties(width=480, height=220)
        .properties(
            title=titled(
                "China's share of world rare-earth mining and refining",
                [
                    "Mine production: one line per publication, never spliced (publications overlap where "
                    "they disagree).",
                    "Refining (black diamonds) and magnet making (squares): curated figures for their data "
                    "year only, not joined.",
                ],
                source,
            )
        )
    )
    return themed(chart)


def production_chart(shares: pd.DataFrame, *, top: int, first_year: int, source: str) -> alt.LayerChart:
    """Mine production outside China, stacked by country (t REO), with China's share of world production on a
    right-hand axis."""
    frame = shares[shares["year"].ge(first_year) & shares["production_t_reo"].notna()]
    china = frame[frame["country_iso"].eq("CN")]
    rest = frame[frame["country_iso"].ne("CN") | frame["country_iso"].isna()]
    named = rest[rest["country_iso"].notna()]
    latest = named[named["year"].eq(named["year"].max())].sort_values(
        ["production_t_reo", "country_label"], ascending=[False, True]
    )
    leaders = list(latest.loc[latest["production_t_reo"].gt(0), "country_label"].head(top))
    groups = [*leaders, "Other countries"]
    rest = rest.assign(
        group=rest["country_label"].where(
            rest["country_label"].isin(leaders) & rest["country_iso"].notna(), "Other countries"
        )
    )
    stacked = (
        rest.groupby(["year", "group"], as_index=False)["production_t_reo"].sum().assign(kind="production")
    )
    stacked["rank"] = stacked["group"].map({g: i for i, g in enumerate(groups)})
    share = (
        china.groupby("year", as_index=False)["share_pct"].mean().assign(kind="china_share", group="China")
    )
    data = pd.concat([stacked, share], ignore_index=True).sort_values(["kind", "year", "rank"])
    data = data[["kind", "year", "group", "rank", "production_t_reo", "share_pct"]]
    years = list(
        range(int(data["year"].min()), int(data["year"].max()) + 1)
    )  # every year, so a year without data stays an empty slot
    x = alt.X(
        "year:O",
        title="Year",
        scale=alt.Scale(domain=years),
        axis=alt.Axis(labelAngle=0, values=[y for y in years if y % 5 == 0]),
    )
    base = alt.Chart(data)
    bars = (
        base.transform_filter(alt.datum.kind == "production")
        .mark_bar()
        .encode(
            x=x,
            y=alt.Y(
                "sum(production_t_reo):Q",
                title="Mine production outside China (t REO)",
                axis=alt.Axis(format="~s"),
            ),
            color=alt.Color(
                "group:N",
                title="Producer",
                sort=groups,
                scale=alt.Scale(domain=groups, range=[*colors(leaders), "#c7c7c7"]),
                legend=alt.Legend(orient="bottom", columns=4, labelLimit=150),
            ),
            order=alt.Order("rank:Q", sort="ascending"),
            tooltip=[
                alt.Tooltip("year:O"),
                "group:N",
                alt.Tooltip("sum(production_t_reo):Q", format=",.0f", title="t REO"),
            ],
        )
    )
    line = (
        base.transform_filter(alt.datum.kind == "china_share")
        .mark_line(color="black", point=alt.OverlayMarkDef(color="black", size=20))
        .encode(
            x=x,
            y=alt.Y(
                "share_pct:Q",
                title=["China's share of world", "mine production (%)"],
                scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(orient="right"),
            ),
            tooltip=[
                alt.Tooltip("year:O"),
                alt.Tooltip("share_pct:Q", format=".1f", title="China's share (%)"),
            ],
        )
    )
    chart = (
        alt.layer(bars, line)
        .resolve_scale(y="independent")
        .properties(width=460, height=240)
        .properties(
            title=titled(
                f"Rare-earth mine production outside China, {years[0]}–{years[-1]}",
                [
                    f"Bars: output by country (left axis), the {len(leaders)} largest producers of "
                    f"{years[-1]} named; the rest, incl. unattributed",
                    "output, as 'Other countries'. Black line: China's share of world mine production "
                    "(right axis).",
                ],
                source,
            )
        )
    )
    return themed(chart)


def concentration_chart(concentration: pd.DataFrame, *, source: str) -> alt.Chart:
    """Herfindahl-Hirschman index of world mine production per year, coloured by the publication the year
    comes from."""
    frame = concentration.assign(publication=_publication(concentration))
    frame = frame.sort_values(["year", "publication"])[
        ["year", "hhi", "producers", "unattributed_pct", "publication"]
    ]
    publications = _by_first_year(frame, "publication")
    chart = (
        alt.Chart(frame)
        .mark_line(point=alt.OverlayMarkDef(size=30, filled=True))
        .encode(
            x=alt.X(
                "year:Q",
                title="Year",
                scale=alt.Scale(
                    domain=[int(frame["year"].min()), int(frame["year"].max())], nice=False, padding=6
                ),
                axis=alt.Axis(format="d", tickCount=8),
            ),
            y=alt.Y(
                "hhi:Q",
                title="Herfindahl-Hirschman index (0–10,000)",
                scale=alt.Scale(domain=[0, 10000]),
                axis=alt.Axis(format=",.0f"),
            ),
            color=alt.Color(
                "publication:N",
                title="Publication",
                sort=publications,
                scale=alt.Scale(domain=publications, range=colors(publications)),
                legend=alt.Legend(orient="bottom", columns=2, labelLimit=280),
            ),
            tooltip=[
                alt.Tooltip("year:Q", format="d"),
                alt.Tooltip("hhi:Q", format=",.0f", title="HHI"),
                alt.Tooltip("producers:Q", title="producers"),
                alt.Tooltip("unattributed_pct:Q", format=".2f", title="unattributed (%)"),
                "publication:N",
            ],
        )
        .properties(width=480, height=220)
        .properties(
            title=titled(
                "Concentration of world rare-earth mine production",
                [
                    "Sum of squared country shares (%) of world mine production: 10,000 = one producer; a "
                    "break in the line",
                    "or a change of colour marks a change of publication.",
                ],
                source,
            )
        )
    )
    return themed(chart)


PRICE_PANELS = {"CNY": "CNY per kg: China domestic", "USD": "USD per kg: international"}


def price_chart(
    prices: pd.DataFrame, controls: pd.DataFrame, *, first_year: int, source: str
) -> alt.FacetChart:
    """Rare-earth prices per kg on a log axis, one panel per currency; daily series as monthly means, the 2011
    peaks as labelled dots."""
    frame = prices[pd.to_datetime(prices["date"]).dt.year.ge(first_year)]
    frame = frame.assign(month=pd.to_datetime(frame["date"]).dt.to_period("M").dt.start_time)
    peak = frame["series"].eq(CURATED_PRICES)
    lines = (
        frame[~peak]
        .groupby(["currency", "element", "series", "source_id", "month"], as_index=False)["value_per_kg"]
        .mean()
    )
    lines = lines.assign(kind="series", date=iso_day(lines["month"]))
    peaks = frame[peak].assign(kind="peak", date=iso_day(frame.loc[peak, "date"]))
    peaks = peaks.assign(
        label=peaks["element"]
        + " "
        + peaks["form"]
        + ", "
        + peaks["market"]
        + ", "
        + peaks["timing"]
        + ": "
        + peaks["value_per_kg"].map("{:,.0f}".format)
    )
    highest = (
        peaks.groupby(["currency", "element"])["value_per_kg"].transform("max").eq(peaks["value_per_kg"])
    )
    peaks = peaks.assign(  # only each element's highest reported point is written on the chart
        mark_label=(
            peaks["element"]
            + " "
            + peaks["date"].str[:4]
            + ": "
            + peaks["value_per_kg"].map("{:,.0f}".format)
        ).where(highest & ~peaks.duplicated(["currency", "element", "value_per_kg"]), "")
    )
    currencies = sorted(set(frame["currency"]))
    kept = controls[pd.to_datetime(controls["date"]).dt.year.ge(first_year)].sort_values(["date", "event_id"])
    rules = kept[["event_id", "date", "description"]].merge(
        pd.DataFrame({"currency": currencies}), how="cross"
    )  # every control in every panel
    rules = rules.sort_values(["currency", "date", "event_id"]).assign(
        kind="control", date=lambda f: iso_day(f["date"])
    )
    first = rules.groupby("currency").cumcount().eq(0)  # the label goes on each panel's first rule only
    rules = rules.assign(
        label=first.map({True: f"{rules['date'].min()[:4]} controls", False: ""}) if len(rules) else ""
    )
    data = pd.concat([lines, peaks, rules], ignore_index=True)
    data = data.assign(
        panel=data["currency"].map(lambda c: PRICE_PANELS.get(c, f"{c} per kg")),
        value_per_kg=data["value_per_kg"].round(4),
    )
    columns = [
        "panel",
        "kind",
        "element",
        "series",
        "date",
        "value_per_kg",
        "label",
        "mark_label",
        "source_id",
        "event_id",
        "description",
    ]
    data = data.sort_values(["panel", "kind", "element", "series", "date"], na_position="first")[
        [c for c in columns if c in data]
    ]
    panels = [PRICE_PANELS.get(c, f"{c} per kg") for c in currencies]
    present = set(lines["element"]) | set(peaks["element"])
    elements = [e for e in ELEMENT_COLORS if e in present] + sorted(present - set(ELEMENT_COLORS))
    series = sorted(set(lines["series"]))
    dashes = [
        [1, 0] if "daily" in s else [6, 3] if "annual" in s else [2, 2] for s in series
    ]  # daily: solid; annual: dashed; other: dotted
    last = int(pd.to_datetime(prices["date"]).dt.year.max()) + 1
    x = alt.X(
        "date:T",
        title="Date",
        scale=alt.Scale(type="utc", domain=[utc_year(first_year), utc_year(last)], nice=False),
        axis=alt.Axis(format="%Y", tickCount="year", labelOverlap=True),
    )
    y = alt.Y(
        "value_per_kg:Q",
        title="Price (per kg, log scale)",
        scale=alt.Scale(type="log"),
        axis=alt.Axis(format=",~g", values=[10.0**k for k in range(-2, 6)]),
    )
    color = alt.Color(
        "element:N",
        title="Element",
        sort=elements,
        scale=alt.Scale(domain=elements, range=[ELEMENT_COLORS.get(e, GREY) for e in elements]),
        legend=alt.Legend(orient="bottom"),
    )
    base = alt.Chart(data)
    series_lines = (
        base.transform_filter(alt.datum.kind == "series")
        .mark_line(strokeWidth=1.5)
        .encode(
            x=x,
            y=y,
            color=color,
            strokeDash=alt.StrokeDash(
                "series:N",
                title="Series",
                sort=series,
                scale=alt.Scale(domain=series, range=dashes),
                legend=alt.Legend(
                    orient="bottom",
                    direction="vertical",
                    labelLimit=300,
                    symbolType="stroke",
                    symbolStrokeWidth=1.5,
                ),
            ),
            tooltip=[
                "element:N",
                "series:N",
                alt.Tooltip("date:N", title="month"),
                alt.Tooltip("value_per_kg:Q", format=",.2f", title="price per kg"),
            ],
        )
    )
    peak_points = (
        base.transform_filter(alt.datum.kind == "peak")
        .mark_point(filled=True, size=110, opacity=1)
        .encode(x=x, y=y, color=color, tooltip=["label:N", "source_id:N"])
    )
    peak_text = (
        base.transform_filter((alt.datum.kind == "peak") & (alt.datum.mark_label != ""))
        .mark_text(align="left", dx=8, fontSize=10)
        .encode(x=x, y=y, text="mark_label:N")
    )
    control_rules = (
        base.transform_filter(alt.datum.kind == "control")
        .mark_rule(color="black", strokeDash=[4, 3])
        .encode(
            x=x,
            tooltip=[
                "event_id:N",
                alt.Tooltip("date:N", title="date"),
                alt.Tooltip("description:N", title="control"),
            ],
        )
    )
    control_text = (
        base.transform_filter((alt.datum.kind == "control") & (alt.datum.label != ""))
        .mark_text(align="right", baseline="top", dx=-4, fontSize=10)
        .encode(x=x, y=alt.value(4), text="label:N")
    )
    chart = (
        alt.layer(control_rules, control_text, series_lines, peak_points, peak_text)
        .properties(width=460, height=150)
        .facet(row=panel_rows(panels))
        .resolve_scale(y="independent")
        .properties(
            title=titled(
                f"Rare-earth prices since {first_year}",
                [
                    "Price per kg on a log scale, daily series shown as monthly means; colour = element, "
                    "dash = series.",
                    "Large dots: single quotes of the curated record (2008-2013, 2025), the highest per "
                    "element labelled;",
                    "the tooltip gives market, form and timing. Dashed vertical lines: China's 2025 export "
                    "controls.",
                ],
                source,
            )
        )
    )
    return themed(chart)


MAGNET_SERIES = {
    "baci_magnets": "BACI, top six suppliers kept (2002-2024)",
    "baci_magnets_full": "BACI, complete (2022, 2024)",
    "comtrade_magnets": "UN Comtrade as declared (2022, 2024)",
}


def magnets_chart(shares: pd.DataFrame, *, episodes: dict[str, str], source: str) -> alt.Chart:
    """China's share of permanent-magnet imports (HS 850511, by value) for Japan, the US and the EU: the
    long BACI series as lines, the complete BACI and declared Comtrade values of the checked years as
    marks."""
    frame = shares.assign(series=shares["source"].map(MAGNET_SERIES))[
        ["jurisdiction", "year", "series", "share_pct", "china_usd", "total_usd"]
    ].sort_values(["jurisdiction", "series", "year"])
    jurisdictions = [j for j in ("JP", "US", "EU") if j in set(frame["jurisdiction"])]
    x = alt.X(
        "year:Q",
        title="Year",
        axis=alt.Axis(format="d", tickCount=12),
        scale=alt.Scale(nice=False, zero=False),
    )
    y = alt.Y("share_pct:Q", title="China's share of magnet imports (%)", scale=alt.Scale(domain=[0, 100]))
    color = alt.Color(
        "jurisdiction:N",
        title="Importer",
        sort=jurisdictions,
        scale=alt.Scale(domain=jurisdictions, range=colors(jurisdictions)),
        legend=alt.Legend(orient="bottom"),
    )
    tooltip = [
        "jurisdiction:N",
        "series:N",
        alt.Tooltip("year:Q", format="d"),
        alt.Tooltip("share_pct:Q", format=".1f", title="share (%)"),
        alt.Tooltip("china_usd:Q", format=",.0f", title="from China (USD)"),
        alt.Tooltip("total_usd:Q", format=",.0f", title="from all partners (USD)"),
    ]
    base = alt.Chart(frame)
    lines = (
        base.transform_filter(alt.datum.series == MAGNET_SERIES["baci_magnets"])
        .mark_line(point=alt.OverlayMarkDef(size=20))
        .encode(x=x, y=y, color=color, tooltip=tooltip)
    )
    checks = (
        base.transform_filter(alt.datum.series != MAGNET_SERIES["baci_magnets"])
        .mark_point(size=70, filled=False, strokeWidth=1.5)
        .encode(
            x=x,
            y=y,
            color=color,
            shape=alt.Shape("series:N", title="Check", legend=alt.Legend(orient="bottom", labelLimit=300)),
            tooltip=tooltip,
        )
    )
    rules = pd.DataFrame({"year": [_fractional_year(start) for start in episodes.values()]})
    shock = alt.Chart(rules).mark_rule(color="#d62728", strokeDash=[4, 3]).encode(x="year:Q")
    chart = (
        alt.layer(shock, lines, checks)
        .properties(width=480, height=220)
        .properties(
            title=titled(
                "China's share of permanent-magnet imports (HS 850511, by value)",
                [
                    "Lines: BACI as the atlas kept it (each importer's top six suppliers); rings and "
                    "crosses: complete BACI and",
                    "declared UN Comtrade for 2022 and 2024. EU = extra-EU imports of the 27 members. Red "
                    "dashed lines: the shock episodes.",
                ],
                source,
            )
        )
    )
    return themed(chart)
