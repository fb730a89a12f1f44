"""Public money committed after each shock episode, in 2024 US dollars and as a share of GDP; the Japan-Lynas
ledger.

Only new public money counts (`PUBLIC_KINDS` of CODEBOOK.md: grants, loans, equity, tax credits, budget
envelopes, funds, purchase ceilings, support of unstated form), never an amount inside an envelope
(`amount_part_of`), and by default only amounts wholly for rare earths (`rare_earth_only`). Each
amount is dated like the measure in the adoption tables (`adoption.dated_measures`) and counted in
the windows of each episode it falls in. The share of GDP adds each amount in current US dollars
(annual average rate of its year) over that year's nominal GDP; years after the last GDP figure use
the last one, and the table says so.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import pandas as pd

from rare_earths.datasets.record import UsdRates, constant_dollars
from rare_earths.timeline import adoption
from rare_earths.timeline.adoption import JURISDICTIONS

PUBLIC_KINDS = frozenset(
    {
        "grant",
        "loan",
        "equity",
        "tax_credit",
        "support_unspecified",
        "budget_envelope",
        "fund",
        "purchase_ceiling",
    }
)
LYNAS = r"Lynas|JARE"


def committed(
    dated: pd.DataFrame,
    fx_rates: pd.DataFrame,
    us_deflator: pd.DataFrame,
    gdp: pd.DataFrame,
    *,
    rare_earth_only: bool = True,
) -> pd.DataFrame:
    """The dated response measures that commit new public money, with 2024 dollars and share of GDP."""
    frame = dated[
        dated["amount"].notna()
        & dated["date"].notna()
        & dated["amount_kind"].isin(PUBLIC_KINDS)
        & (dated["amount_part_of"].fillna("") == "")
    ].copy()
    if rare_earth_only:
        frame = frame[frame["amount_rare_earth_only"] == "true"]
    usd, notes = constant_dollars(frame, fx_rates, us_deflator)
    frame["usd_2024"] = usd
    frame["conversion"] = notes
    rates = UsdRates(fx_rates)
    gdp_by = {(r.geography, int(r.year)): float(r.gdp_usd) for r in gdp.itertuples()}
    last_year = {g: int(gdp.loc[gdp["geography"] == g, "year"].max()) for g in set(gdp["geography"])}
    shares, gdp_years = [], []
    for row in frame.itertuples():
        year = row.date.year
        gdp_year = min(year, last_year.get(row.lane, year))
        rate, _ = rates.rate(row.currency, year)
        nominal = None if rate is None else float(row.amount) * rate
        denominator = gdp_by.get((row.lane, gdp_year))
        shares.append(None if nominal is None or denominator is None else nominal / denominator)
        gdp_years.append(gdp_year)
    frame["share_of_gdp"] = shares
    frame["gdp_year"] = gdp_years
    return frame.reset_index(drop=True)


def by_window(
    money: pd.DataFrame, episodes: dict, windows: tuple[int, ...], end: pd.Timestamp | None = None
) -> pd.DataFrame:
    """Per episode, window and jurisdiction: measures, 2024 dollars (millions) and share of GDP (basis points,
    0.01%), with a note where GDP years were carried forward or amounts could not be converted."""
    rows = []
    for (episode, start), window, jurisdiction in itertools.product(episodes.items(), windows, JURISDICTIONS):
        stop = start + pd.DateOffset(months=window)
        inside = money[(money["lane"] == jurisdiction) & (money["date"] >= start) & (money["date"] <= stop)]
        carried = inside[inside["gdp_year"] < inside["date"].dt.year]
        unconverted = int(inside["usd_2024"].isna().sum())
        notes = []
        if end is not None and stop > end:
            notes.append(
                f"censored: the record ends {(end - start).days / 30.4375:.1f} months after the start"
            )
        if not carried.empty:
            notes.append(f"GDP of {int(carried['gdp_year'].max())} used for {len(carried)} later amount(s)")
        if unconverted:
            notes.append(f"{unconverted} amount(s) with no exchange rate for their currency left out")
        rows.append(
            {
                "episode": episode,
                "window_months": window,
                "jurisdiction": jurisdiction,
                "measures": len(inside),
                "usd_2024_millions": round(float(inside["usd_2024"].sum()) / 1e6, 1),
                "share_of_gdp_bp": round(float(inside["share_of_gdp"].sum()) * 1e4, 3),
                "note": "; ".join(notes),
            }
        )
    return pd.DataFrame(rows)


def by_instrument_and_stage(money: pd.DataFrame, episodes: dict, window: int) -> pd.DataFrame:
    """Per episode, jurisdiction, instrument and stage: 2024 dollars (millions) within one window."""
    parts = []
    for episode, start in episodes.items():
        stop = start + pd.DateOffset(months=window)
        inside = money[(money["date"] >= start) & (money["date"] <= stop)]
        part = inside.groupby(["lane", "instrument", "stage"], as_index=False)["usd_2024"].sum()
        parts.append(part.assign(episode=episode, window_months=window))
    table = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    table["usd_2024_millions"] = (table.pop("usd_2024") / 1e6).round(1)
    return table.rename(columns={"lane": "jurisdiction"})[
        ["episode", "window_months", "jurisdiction", "instrument", "stage", "usd_2024_millions"]
    ]


def leaders(
    measures: pd.DataFrame,
    milestones: pd.DataFrame,
    fx_rates: pd.DataFrame,
    us_deflator: pd.DataFrame,
    gdp: pd.DataFrame,
    episodes: dict,
    windows: tuple[int, ...],
) -> pd.DataFrame:
    """Which jurisdiction committed the most public money (2024 dollars) in each window of each episode, with
    the share of variants (the adoption variants, and rare-earth-only amounts or all public amounts) that
    agree with the base."""
    rows = []
    for variant in adoption.variants():
        dated = adoption.dated_measures(measures, milestones, replace(variant, shift_months=0))
        shifted = {e: s + pd.DateOffset(months=variant.shift_months) for e, s in episodes.items()}
        for rare_earth_only in (True, False):
            table = by_window(
                committed(dated, fx_rates, us_deflator, gdp, rare_earth_only=rare_earth_only),
                shifted,
                windows,
            )
            for (episode, window), group in table.groupby(["episode", "window_months"]):
                top = group.sort_values("usd_2024_millions", ascending=False)
                leader = "none" if top["usd_2024_millions"].iloc[0] == 0 else top["jurisdiction"].iloc[0]
                name = variant.describe() + ("" if rare_earth_only else ", wider envelopes too")
                rows.append(
                    {"episode": episode, "window_months": window, "most_money": leader, "variant": name}
                )
    summary = adoption.agreement(pd.DataFrame(rows), ["episode", "window_months"], "most_money")
    return summary.drop(columns="differs_under")


def lynas_ledger(measures: pd.DataFrame, milestones: pd.DataFrame) -> pd.DataFrame:
    """Japan's measures on Lynas, step by step: each milestone with its measure's amount, kind and scope."""
    japan = measures[
        (measures["jurisdiction"] == "JP")
        & (measures["kind"] == "measure")
        & (measures["title"].str.contains(LYNAS) | measures["description"].str.contains(LYNAS))
    ]
    steps = milestones[milestones["measure_id"].isin(japan["measure_id"])]
    ledger = steps.merge(japan, on="measure_id")
    ledger = ledger.sort_values(["date", "measure_id"])
    return ledger[
        [
            "date",
            "step",
            "measure_id",
            "title",
            "instrument",
            "amount",
            "currency",
            "amount_kind",
            "amount_scope",
        ]
    ].reset_index(drop=True)


CAPACITY = r"(?P<tonnes>\d[\d,]*(?:\.\d+)?) ?(?:t/yr|t a year|t per year|tonnes a year|tonnes per year)"


def capacity(measures: pd.DataFrame) -> pd.DataFrame:
    """Contracted or planned capacity in tonnes per year, where a measure's description states it (the record
    has no capacity column, so this lists only what the text says)."""
    text = measures["title"] + " " + measures["description"]
    found = text.str.extract(CAPACITY)
    frame = measures.assign(
        tonnes_per_year=pd.to_numeric(found["tonnes"].str.replace(",", ""), errors="coerce")
    )
    frame = frame[frame["tonnes_per_year"].notna()]
    return frame[
        ["measure_id", "jurisdiction", "kind", "instrument", "stage", "title", "tonnes_per_year"]
    ].reset_index(drop=True)
