"""The record as dated events: one row per measure, at its first milestone, with money in constant dollars.

The timeline and everything downstream read this view (`events`), built from the curated
`measures` and `milestones`. A measure is counted once, however many milestones it has: its
`date` is its earliest milestone (announcement, adoption or, for incidents, occurrence); its
`status` is the step of its latest milestone; `end_date` is its first `ended` milestone, with the
dates other sources give for it in `end_alt_dates`.

`amount_usd_2024` converts an amount with the annual average rate of the year of the measure's
first milestone (`fx_rates`, US dollars per unit) and the US price index (`us_deflator`) to 2024
dollars; `amount_usd_note` says why a conversion is missing (no rate for that currency and year).
An amount that is part of an envelope (`amount_part_of`) is kept, and marked, so it is never
summed with the envelope. `deal_amount` is the whole transaction a measure's money belongs to when the
sources report one (a state loan next to a company's own stake); it is evidence for what articles
say, never public money.
"""

from __future__ import annotations

import pandas as pd

from rare_earths.common import registry
from rare_earths.datasets.record_rules import first_milestones, in_order

BASE_YEAR = 2024


def events(
    measures: pd.DataFrame, milestones: pd.DataFrame, fx_rates: pd.DataFrame, us_deflator: pd.DataFrame
) -> pd.DataFrame:
    """One row per measure, dated by its first milestone, with its status, end and constant-dollar amount."""
    first = first_milestones(milestones)
    ranked = in_order(milestones)
    latest = ranked.groupby("measure_id").tail(1).set_index("measure_id")
    ended = ranked[ranked["step"] == "ended"].groupby("measure_id").head(1).set_index("measure_id")
    frame = measures.set_index("measure_id")
    out = pd.DataFrame(
        {
            "event_id": frame.index,
            "date": pd.to_datetime(first.loc[frame.index, "date"]).to_numpy(),
            "date_precision": first.loc[frame.index, "date_precision"].to_numpy(),
            "jurisdiction": frame["jurisdiction"].to_numpy(),
            "kind": frame["kind"].to_numpy(),
            "lever": frame["instrument"].to_numpy(),
            "stage": frame["stage"].to_numpy(),
            "actor_type": frame["actor_type"].to_numpy(),
            "title": frame["title"].to_numpy(),
            "description": frame["description"].to_numpy(),
            "amount": frame["amount"].to_numpy(),
            "currency": frame["currency"].to_numpy(),
            "amount_scope": frame["amount_scope"].to_numpy(),
            "amount_part_of": frame["amount_part_of"].to_numpy(),
            "deal_amount": frame["deal_amount"].to_numpy(),
            "deal_currency": frame["deal_currency"].to_numpy(),
            "deal_parts": frame["deal_parts"].to_numpy(),
            "deal_source_id": frame["deal_source_id"].to_numpy(),
            "landmark": frame["landmark"].astype(bool).to_numpy(),
            "in_force_before": frame["in_force_before"].to_numpy(),
            "status": latest.loc[frame.index, "step"].to_numpy(),
            "status_date": pd.to_datetime(latest.loc[frame.index, "date"]).to_numpy(),
            "end_date": pd.to_datetime(ended["date"].reindex(frame.index)).to_numpy(),
            "end_alt_dates": ended["alt_dates"].reindex(frame.index).fillna("").to_numpy(),
            "milestones": milestones.groupby("measure_id").size().reindex(frame.index).to_numpy(),
            "actors": frame["actor"].to_numpy(),
            "source_id": first.loc[frame.index, "source_id"].to_numpy(),
            "locator": first.loc[frame.index, "locator"].to_numpy(),
        }
    )
    out["amount_usd_2024"], out["amount_usd_note"] = constant_dollars(out, fx_rates, us_deflator)
    return out[registry.field_names("events")].sort_values(["date", "event_id"]).reset_index(drop=True)


class UsdRates:
    """Annual average US dollars per unit of each currency; a year after the last published one uses the
    last (the caller says so)."""

    def __init__(self, fx_rates: pd.DataFrame) -> None:
        self.rates = {(row.currency, int(row.year)): float(row.usd_per_unit) for row in fx_rates.itertuples()}
        self.last = {}
        for currency, year in self.rates:
            self.last[currency] = max(year, self.last.get(currency, year))

    def rate(self, currency: str, year: int) -> tuple[float | None, int]:
        """The rate for the year (1 for USD) and the year it is from; None when the currency has none."""
        if currency == "USD":
            return 1.0, year
        used = min(year, self.last.get(currency, year))
        return self.rates.get((currency, used)), used


def constant_dollars(
    frame: pd.DataFrame, fx_rates: pd.DataFrame, us_deflator: pd.DataFrame
) -> tuple[pd.Series, pd.Series]:
    """Each amount in 2024 US dollars, and how: the annual average rate and price index of its year; a year
    after the last published rate or index uses the last one, and the note says so; no rate at all for the
    currency leaves the amount unconverted."""
    rates = UsdRates(fx_rates)
    index = {int(row.year): float(row.index) for row in us_deflator.itertuples()}
    last_index = max(index) if index else None
    values, notes = [], []
    for amount, currency, date in zip(frame["amount"], frame["currency"], frame["date"], strict=True):
        if pd.isna(amount):
            values.append(float("nan"))
            notes.append("")
            continue
        year = pd.Timestamp(date).year
        rate, rate_year = rates.rate(currency, year)
        index_year = min(year, last_index) if last_index else year
        if rate is None or index_year not in index or BASE_YEAR not in index:
            values.append(float("nan"))
            notes.append(f"no {currency} rate or US price index for {year}")
            continue
        values.append(round(float(amount) * rate * index[BASE_YEAR] / index[index_year], 0))
        note = f"{currency} at the {rate_year} average, US price index {index_year} to {BASE_YEAR}"
        if rate_year != year or index_year != year:
            note += f" (latest published for {year})"
        notes.append(note)
    return pd.Series(values, index=frame.index, dtype=float), pd.Series(notes, index=frame.index, dtype=str)
