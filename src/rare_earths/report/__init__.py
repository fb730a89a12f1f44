"""Text and tables of the study report (notebook 05), computed from the processed tables.

Every number in the executive summary comes from the frames passed in; nothing is typed into prose.
Third-party text (source titles) is escaped where it enters HTML.
"""

from __future__ import annotations

import html
import re

import pandas as pd

from rare_earths import compare
from rare_earths.common.errors import RareEarthsError
from rare_earths.timeline import REFERENCE

# The notebook's parameters and their defaults (its parameters cell holds the same literals; a test checks).
DEFAULTS: dict = {
    "processed_dir": "../data/processed",
    "timeline_years": [2008, 2026],
    "production_first_year": 2000,
    "top_producers": 6,
    "price_first_year": 2010,
    "control_events": ["M-CN-2025-01", "M-CN-2025-02"],
}


def _pct(value) -> str:
    """A share in percent, rounded to a whole number, or 'no figure'."""
    return "no figure" if value is None or pd.isna(value) else f"{value:.0f}%"


def executive_summary(
    achieved: pd.DataFrame,
    world: pd.DataFrame,
    hhi: pd.DataFrame,
    refining: pd.DataFrame,
    levers: pd.DataFrame,
    checks: pd.DataFrame,
) -> list[str]:
    """The summary's bullet points (Markdown), each built from the data."""
    by = achieved.set_index("jurisdiction")
    return [
        _dependence_point(by.loc[REFERENCE], "Japan", "the embargo")
        if REFERENCE in by.index
        else "No figures for Japan.",
        *(
            _dependence_point(by.loc[j], name, "China's controls")
            for j, name in (("US", "The US"), ("EU", "The EU"))
            if j in by.index
        ),
        _production_point(
            world,
            hhi,
            refining,
            pd.Timestamp(by.loc[REFERENCE, "shock_date"]).year if REFERENCE in by.index else None,
        ),
        _lever_point(levers),
        _claims_point(checks),
    ]


def _dependence_point(row: pd.Series, name: str, shock: str) -> str:
    """One jurisdiction's China share before its shock, at its lowest since and now."""
    shock_date = pd.Timestamp(row["shock_date"]).date()
    text = f"**{name}**: "
    if pd.notna(row["before_pct"]):
        year = int(row["before_year"])
        text += (
            f"China supplied {_pct(row['before_pct'])} of its rare-earth imports in {year}, the last year "
            f"before {shock} of {shock_date}. "
        )
    if pd.notna(row["lowest_pct"]):
        after = (
            "the year of the shock"
            if row["years_to_lowest"] == 0
            else f"{int(row['years_to_lowest'])} years after"
        )
        text += f"The lowest figure since is {_pct(row['lowest_pct'])} ({int(row['lowest_year'])}, {after}). "
    else:
        text += "There is no figure for any year since. "
    if pd.notna(row.get("change_pp")) and row["latest_year"] != row.get("lowest_year"):
        text += (
            f"The latest, {_pct(row['latest_pct'])} in {int(row['latest_year'])}, is "
            f"{abs(row['change_pp']):.0f} points "
            f"({abs(row['change_relative_pct']):.0f}%) {'below' if row['change_pp'] < 0 else 'above'} the "
            "level before the shock."
        )
    return text + f" Years with a figure: {int(row['years_with_data'])}."


def _production_point(
    world: pd.DataFrame, hhi: pd.DataFrame, refining: pd.DataFrame, shock_year: int | None
) -> str:
    """China's share of mine production and the index at the Japan shock and now, and the latest refining
    share."""
    share, index = world.set_index("year")["share_pct"], hhi.set_index("year")["hhi"]
    last = int(share.index.max())
    text = "**Supply**: "
    if shock_year in share.index:
        text += (
            f"China's share of world mine production went from {_pct(share[shock_year])} in {shock_year} "
            f"to {_pct(share[last])} in {last}; "
        )
        text += f"the concentration index (HHI) from {index[shock_year]:,.0f} to {index[last]:,.0f}. "
    if not refining.empty:
        latest = refining.sort_values(["year", "value"]).iloc[-1]
        text += (
            f"China's share of refining is still {_pct(latest['value'])} ({int(latest['year'])}, IEA as "
            "reported)."
        )
    return text


def _lever_point(levers: pd.DataFrame) -> str:
    """How many response levers each jurisdiction has pulled since its shock, and how many faster than
    Japan."""
    japan = levers[(levers["jurisdiction"] == REFERENCE) & (levers["status"] == "reference")]
    parts = [f"Japan pulled {len(japan)} of the {levers['lever'].nunique()} response levers after its shock"]
    for j in [j for j in dict.fromkeys(levers["jurisdiction"]) if j != REFERENCE]:
        own = levers[levers["jurisdiction"] == j]
        used = own["status"].isin(["used", "Japan did not use"]).sum()
        faster = (own["lag_years"] < 0).sum()
        parts.append(f"{j} {used} since its shock ({faster} sooner after its shock than Japan was)")
    return "**Levers**: " + "; ".join(parts) + "."


def _claims_point(checks: pd.DataFrame) -> str:
    """The count of checked claims by verdict."""
    counts = checks["verdict"].value_counts()
    listed = ", ".join(f"{n} {verdict}" for verdict, n in counts.items())
    return f"**Claims**: {len(checks)} quantitative claims in the articles: {listed}."


def adoption_table(levers: pd.DataFrame) -> pd.DataFrame:
    """Lever × jurisdiction: months from the shock to the first use, with the lag behind Japan in years."""

    def cell(row) -> str:
        if row["status"] in ("reference", "Japan did not use"):
            return f"{row['months_after_shock']:.0f} mo ({row['first_event_id']})"
        if row["status"] == "used":
            return f"{row['months_after_shock']:.0f} mo, {row['lag_years']:+.1f} y ({row['first_event_id']})"
        return row["status"]

    order = list(dict.fromkeys(levers["jurisdiction"]))
    table = levers.assign(cell=levers.apply(cell, axis=1)).pivot(
        index="lever", columns="jurisdiction", values="cell"
    )[order]
    return (
        table.reindex(list(dict.fromkeys(levers["lever"])))
        .rename_axis(index="lever", columns=None)
        .reset_index()
    )


def achievement_table(achieved: pd.DataFrame) -> pd.DataFrame:
    """One row per jurisdiction: the share before the shock, at its lowest since and latest, each with year
    and source."""
    rows = []
    for row in achieved.itertuples():

        def point(step: str, row=row) -> str:
            value, year, source = (
                getattr(row, f"{step}_pct"),
                getattr(row, f"{step}_year"),
                getattr(row, f"{step}_source"),
            )
            return "—" if value is None or pd.isna(value) else f"{value:.1f}% ({int(year)}; {source})"

        rows.append(
            {
                "jurisdiction": row.jurisdiction,
                "shock": str(pd.Timestamp(row.shock_date).date()),
                "before the shock": point("before"),
                "lowest since": point("lowest"),
                "latest": point("latest"),
            }
        )
    return pd.DataFrame(rows)


def _breakable(url: str) -> str:
    """An escaped URL with break opportunities after its separators (weasyprint will not break a long run of
    '+'-joined words otherwise, and the whole list would grow wider than the page)."""
    return re.sub(r"([/+&?=])", r"\1<wbr>", html.escape(url))


def references(sources: pd.DataFrame, datasets: pd.DataFrame, used: set[str]) -> str:
    """An HTML list of what the report cites: registry entries by source_id, then the external datasets
    (by module name, with DOI where one exists); all text escaped. An id in neither is an error."""
    missing = sorted(used - set(sources["source_id"]) - set(datasets["source"]))
    if missing:
        raise RareEarthsError(
            f"cited in the report but neither in the citation registry nor in the datasets table: {missing}"
        )
    cited = sources[sources["source_id"].isin(used)].sort_values("source_id")
    items = [
        f"<li><code>{html.escape(r.source_id)}</code>: {html.escape(str(r.publisher))} "
        f"({html.escape(str(r.published))}). "
        f"<em>{html.escape(str(r.title))}</em>. {_breakable(str(r.url))} (accessed "
        f"{html.escape(str(r.accessed))}).</li>"
        for r in cited.itertuples()
    ]
    for r in datasets[datasets["source"].isin(used)].sort_values("source").itertuples():
        doi = f" doi:{html.escape(str(r.doi))}." if pd.notna(r.doi) and r.doi else ""
        items.append(
            f"<li><code>{html.escape(r.source)}</code>: {html.escape(str(r.publisher))}. "
            f"<em>{html.escape(str(r.title))}</em>.{doi} "
            f"Copy used: {html.escape(str(r.origin))} ({html.escape(str(r.licence))}).</li>"
        )
    return "<ol class='references'>" + "".join(items) + "</ol>"


def claims_table(checks: pd.DataFrame) -> pd.DataFrame:
    """The claim checks as the report shows them: the claim's figure, the verdict and the evidence."""
    evidence = (
        checks["evidence_value"].map("{:,.1f}".format, na_action="ignore").fillna("—")
        + " "
        + checks["evidence_unit"].fillna("")
    )
    frame = checks.assign(evidence=evidence.str.strip())[
        ["doc_id", "claim_text", "verdict", "evidence", "evidence_period", "evidence_source_id"]
    ]
    return frame.rename(
        columns={
            "doc_id": "article",
            "claim_text": "claim",
            "evidence_period": "period",
            "evidence_source_id": "source",
        }
    )


def html_table(frame: pd.DataFrame):
    """A table for the report: no index, text escaped, missing values as a dash (deterministic HTML, unlike a
    Styler)."""
    from IPython.display import HTML

    return HTML(frame.to_html(index=False, escape=True, na_rep="—", classes="report-table"))


def cited_sources(tables: dict[str, pd.DataFrame], lanes: list[str], timeline_years: list[int]) -> set[str]:
    """Every source id the report's figures and tables use: timeline events shown, figures, evidence,
    datasets."""
    timeline = tables["timeline"]
    shown = timeline["lane"].isin([*lanes, "CN"]) & timeline["year"].between(*timeline_years)
    used = set(timeline.loc[shown, "source_id"]) | set(tables["import_figures"]["source_id"])
    used |= set(compare.refining_shares(tables["indicators"])["source_id"]) | set(
        tables["price_series"]["source_id"]
    )
    used |= {
        source for ids in tables["claim_checks"]["evidence_source_id"].dropna() for source in ids.split(";")
    }
    return used | set(tables["production_shares"]["source"]) | {compare.COMPUTED_US_SOURCE}
