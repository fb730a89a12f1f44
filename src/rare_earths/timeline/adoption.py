"""Time to adoption: who used which instrument first after each shock episode, within equal windows.

Every jurisdiction (Japan, the US, the EU) is measured from the same episode starts (`episodes`, S1
in 2010 and S2 in 2025 by default, taken from the curated `episodes` table). For each episode,
jurisdiction and instrument (the twelve response levers):

- a measure is dated by its first milestone of the chosen steps (`Variant.steps`, default adopted
  or funded), or, when it has none, by its first later step (a law recorded only as in force was
  adopted no later than that; a measure only announced is not adopted and stays undated);
  measures whose chosen step comes before the episode start are the **baseline** (in force
  before), shown apart and never counted as a response; a measure with no milestone of the
  chosen steps is not dated at all (counted in `undated`);
- the first measure on or after the start is the adoption, `months` after it;
- within a window of W months a cell is `adopted`, `none` (no measure within W months, and the
  data cover all W months) or `censored` (no measure yet, and the data end before W months: the
  cell is "censored at M months", never read as non-adoption).

By default only government actors count (national governments, state agencies, EU institutions
and, for the EU lane, member states); state-owned companies can be added (`Variant`). Alternative
datings (a milestone's `alt_dates`) can replace the main date by the earliest or latest one.

`curves` gives the share of the twelve instruments adopted by each month after the start
(cumulative adoption), up to the end of the data. With a single censoring time for every
instrument (the end of the data), the Kaplan-Meier estimate of "share adopted by month m" is
exactly this share, so no survival library is needed (lifelines would add five dependencies for
the same numbers).

`robustness` recomputes the headline conclusions (which jurisdiction adopted each instrument first
within each window of each episode) over variants: episode starts moved by ±3 months, member
states and state companies in or out, the main, earliest or latest dating, and the milestone used
(announced, adopted or funded), and reports the share of variants in which each conclusion holds.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, replace

import pandas as pd

from rare_earths.common.errors import RareEarthsError
from rare_earths.common.geography import lane
from rare_earths.common.periods import DAYS_PER_MONTH

JURISDICTIONS = ("JP", "US", "EU")
INSTRUMENTS = (
    "overseas_equity_offtake",
    "concessional_finance",
    "stockpiling",
    "demand_reduction_substitution",
    "recycling",
    "domestic_mining",
    "domestic_separation_refining",
    "magnet_making",
    "price_floor_offtake_guarantee",
    "trade_litigation",
    "alliances_agreements",
    "law_strategy_targets",
)
GOVERNMENT = frozenset({"national_government", "state_agency", "eu_institution"})
STEPS = ("announced", "adopted", "funded", "disbursed", "operational")
DEFAULT_WINDOWS = (12, 36, 60)
DATINGS = ("main", "earliest", "latest")


@dataclass(frozen=True)
class Variant:
    """How measures are counted: which milestones date them, whose measures count, which dating is used."""

    steps: tuple[str, ...] = ("adopted", "funded")
    member_states: bool = True
    state_companies: bool = False
    dating: str = "main"
    shift_months: int = 0

    def describe(self) -> str:
        parts = [
            "+".join(self.steps),
            "member states" if self.member_states else "no member states",
            "state companies" if self.state_companies else "no state companies",
            f"{self.dating} dating",
        ]
        if self.shift_months:
            parts.append(f"starts {self.shift_months:+d} months")
        return ", ".join(parts)


def parse_episodes(episodes: dict) -> dict[str, pd.Timestamp]:
    """Episode starts as timestamps; an unreadable date or an empty mapping is an error naming the episode."""
    if not isinstance(episodes, dict) or not episodes:
        raise RareEarthsError(
            "episodes must map an episode name to its start date, e.g. {'S1': '2010-07-08'}; "
            f"got {episodes!r}"
        )
    parsed = {}
    for name, value in episodes.items():
        try:
            parsed[str(name)] = pd.Timestamp(dt.date.fromisoformat(str(value)))
        except ValueError as error:
            raise RareEarthsError(
                f"episodes[{name!r}] = {value!r} is not an ISO date (YYYY-MM-DD)"
            ) from error
    return parsed


def check_windows(windows) -> tuple[int, ...]:
    """Windows in months: positive whole numbers."""
    try:
        checked = tuple(int(w) for w in windows)
    except (TypeError, ValueError) as error:
        raise RareEarthsError(
            f"windows must be a list of whole months, e.g. [12, 36, 60]; got {windows!r}"
        ) from error
    if not checked or any(w <= 0 for w in checked) or any(int(w) != w for w in windows):
        raise RareEarthsError(f"windows must be positive whole months, e.g. [12, 36, 60]; got {windows!r}")
    return checked


def _counts(row, variant: Variant) -> bool:
    """Whether a measure's actor counts under the variant."""
    if row.actor_type in GOVERNMENT:
        return True
    if row.actor_type == "member_state":
        return variant.member_states
    return row.actor_type == "state_company" and variant.state_companies


def _step_date(group: pd.DataFrame, variant: Variant) -> pd.Timestamp | None:
    """A measure's date under the variant: the first milestone of the chosen steps, by the chosen dating; when
    it has none, its first later step (disbursed, operational: adoption came no later than that)."""
    chosen = group[group["step"].isin(variant.steps)]
    if chosen.empty:
        last = max(STEPS.index(step) for step in variant.steps)
        chosen = group[group["step"].isin(STEPS[last + 1 :])]
    if chosen.empty:
        return None
    dates = []
    for date, alternatives in zip(chosen["date"], chosen["alt_dates"], strict=True):
        options = [pd.Timestamp(date), *(pd.Timestamp(a) for a in str(alternatives).split(";") if a)]
        dates.append({"main": options[0], "earliest": min(options), "latest": max(options)}[variant.dating])
    return min(dates)


def dated_measures(
    measures: pd.DataFrame, milestones: pd.DataFrame, variant: Variant = Variant()
) -> pd.DataFrame:
    """The response measures of the three lanes that count under the variant, each with its date (NaT when
    it has no milestone of the chosen steps)."""
    frame = measures[(measures["kind"] == "measure") & measures["instrument"].isin(INSTRUMENTS)].copy()
    frame["lane"] = frame["jurisdiction"].map(lane)
    frame = frame[frame["lane"].isin(JURISDICTIONS)]
    frame = frame[[_counts(row, variant) for row in frame.itertuples()]]
    by_measure = {key: group for key, group in milestones.groupby("measure_id")}
    frame["date"] = [
        _step_date(by_measure[m], variant) if m in by_measure else None for m in frame["measure_id"]
    ]
    frame["date"] = pd.to_datetime(frame["date"])
    return frame.reset_index(drop=True)


def data_end(milestones: pd.DataFrame) -> pd.Timestamp:
    """The last day the record covers: its latest milestone."""
    return pd.Timestamp(pd.to_datetime(milestones["date"]).max())


def _months(date: pd.Timestamp, start: pd.Timestamp) -> float:
    return (date - start).days / DAYS_PER_MONTH


def adoption(
    dated: pd.DataFrame,
    episodes: dict[str, pd.Timestamp],
    windows: tuple[int, ...],
    end: pd.Timestamp,
    *,
    shift_months: int = 0,
) -> pd.DataFrame:
    """One row per episode, jurisdiction, instrument and window: adopted in the window, none, or censored."""
    rows = []
    for (episode, start), jurisdiction, instrument in itertools.product(
        episodes.items(), JURISDICTIONS, INSTRUMENTS
    ):
        start = start + pd.DateOffset(months=shift_months)
        uses = dated[
            (dated["lane"] == jurisdiction) & (dated["instrument"] == instrument) & dated["date"].notna()
        ]
        baseline = uses[uses["date"] < start]
        after = uses[uses["date"] >= start].sort_values(["date", "measure_id"])
        first = None if after.empty else after.iloc[0]
        for window in windows:
            rows.append(_cell(episode, start, jurisdiction, instrument, window, first, end, baseline))
    return pd.DataFrame(rows)


def _cell(episode, start, jurisdiction, instrument, window, first, end, baseline) -> dict:
    """One cell; a window of W months ends W calendar months after the start, that day included."""
    stop = start + pd.DateOffset(months=window)
    months = None if first is None else round(_months(first["date"], start), 1)
    observed = _months(end, start)
    if first is not None and first["date"] <= stop:
        state, label = "adopted", f"{months:g} mo ({first['measure_id']})"
    elif end >= stop:
        state, label = "none", f"none within {window} months"
    else:
        state, label = "censored", f"censored at {observed:.1f} months"
    return {
        "episode": episode,
        "start": start,
        "jurisdiction": jurisdiction,
        "instrument": instrument,
        "window_months": window,
        "state": state,
        "months": months if state == "adopted" else None,
        "measure_id": first["measure_id"] if state == "adopted" else None,
        "label": label,
        "observed_months": round(observed, 1),
        "baseline_measures": len(baseline),
        "baseline_ids": ";".join(sorted(baseline["measure_id"])),
    }


def curves(
    dated: pd.DataFrame, episodes: dict[str, pd.Timestamp], end: pd.Timestamp, horizon: int = 120
) -> pd.DataFrame:
    """Share of the twelve instruments each jurisdiction has adopted, month by month after each episode start,
    up to the end of the data (or `horizon` months)."""
    rows = []
    for (episode, start), jurisdiction in itertools.product(episodes.items(), JURISDICTIONS):
        uses = dated[(dated["lane"] == jurisdiction) & (dated["date"] >= start)]
        firsts = (uses.groupby("instrument")["date"].min() - start).dt.days / DAYS_PER_MONTH
        last = min(horizon, int(_months(end, start)))
        for month in range(0, last + 1):
            adopted = int((firsts <= month).sum())
            rows.append(
                {
                    "episode": episode,
                    "jurisdiction": jurisdiction,
                    "month": month,
                    "instruments_adopted": adopted,
                    "share_adopted": round(adopted / len(INSTRUMENTS), 3),
                }
            )
    return pd.DataFrame(rows)


def leaders(table: pd.DataFrame) -> pd.DataFrame:
    """Per episode, window and instrument: which jurisdiction adopted first within the window ('none' when no
    one did, 'censored' when no one did and some cell is censored, 'tie' for the same month)."""
    rows = []
    for (episode, window, instrument), group in table.groupby(
        ["episode", "window_months", "instrument"], sort=False
    ):
        adopted = group[group["state"] == "adopted"].sort_values("months")
        if adopted.empty:
            leader = "censored" if (group["state"] == "censored").any() else "none"
        elif len(adopted) > 1 and adopted["months"].iloc[0] == adopted["months"].iloc[1]:
            leader = "tie"
        else:
            leader = adopted["jurisdiction"].iloc[0]
        rows.append({"episode": episode, "window_months": window, "instrument": instrument, "first": leader})
    return pd.DataFrame(rows)


def variants(base: Variant = Variant()) -> list[Variant]:
    """The variants the robustness check runs: one change at a time from the base, plus the base."""
    found = [base]
    found += [replace(base, shift_months=s) for s in (-3, 3)]
    found += [
        replace(base, member_states=not base.member_states),
        replace(base, state_companies=not base.state_companies),
    ]
    found += [replace(base, dating=d) for d in DATINGS if d != base.dating]
    found += [replace(base, steps=s) for s in (("announced",), ("adopted",), ("funded",)) if s != base.steps]
    return found


def robustness(
    measures: pd.DataFrame,
    milestones: pd.DataFrame,
    episodes: dict[str, pd.Timestamp],
    windows: tuple[int, ...],
    base: Variant = Variant(),
) -> pd.DataFrame:
    """Each conclusion of the base variant (who adopted each instrument first within each window) with the
    share of variants in which it holds."""
    end = data_end(milestones)
    results = []
    for variant in variants(base):
        dated = dated_measures(measures, milestones, replace(variant, shift_months=0))
        table = adoption(dated, episodes, windows, end, shift_months=variant.shift_months)
        results.append(leaders(table).assign(variant=variant.describe()))
    return agreement(
        pd.concat(results, ignore_index=True), ["episode", "window_months", "instrument"], "first"
    )


def agreement(stacked: pd.DataFrame, keys: list[str], column: str) -> pd.DataFrame:
    """Per key, the base variant's value of `column` (each key's first row in `stacked`), how many variants
    were computed, how many agree, the share agreeing, and the variants that do not (`variant` column)."""
    base = stacked.drop_duplicates(keys).set_index(keys)[column].rename("_base")
    holds = stacked.join(base, on=keys)
    holds["_holds"] = holds[column] == holds["_base"]
    summary = holds.groupby(keys, sort=False).agg(
        **{column: ("_base", "first")}, variants=("_holds", "size"), holds_in=("_holds", "sum")
    )
    summary["share_holding"] = (summary["holds_in"] / summary["variants"]).round(2)
    summary["differs_under"] = (
        holds[~holds["_holds"]].groupby(keys)["variant"].agg("; ".join).reindex(summary.index).fillna("")
    )
    return summary.reset_index()


def widest_observed(table: pd.DataFrame) -> dict[str, int]:
    """Per episode, the widest window the data cover in full (else the narrowest), for one-window views."""
    chosen = {}
    for episode, group in table.groupby("episode", sort=False):
        observed = group["observed_months"].iloc[0]
        windows = sorted(set(group["window_months"]))
        covered = [w for w in windows if w <= observed]
        chosen[episode] = int(covered[-1] if covered else windows[0])
    return chosen
