"""Targets against outcomes: each quantitative target of the record beside the latest measured value.

A target (`targets.csv`) names the indicator that measures it (indicator, geography, partner) when
one exists. The verdict compares the target with the indicator's annual values, never with a typed
figure:

- `not measurable yet`: no indicator measures it, or no value for the deadline year has been
  published yet while the deadline has passed;
- deadline passed and a value for the deadline year (or the first later year) exists: `met` when
  every source's value meets the target, `missed` when none does, `sources disagree` otherwise;
- deadline still ahead (or none given): `on track` when every latest value meets it already,
  `not on track` when none does, `sources disagree` otherwise.

Where several sources give a figure for the same year, all are shown (the basis of each figure is
in indicators.csv); the verdict holds only if they agree. A figure whose year is only its publication
year is not used.
"""

from __future__ import annotations

import pandas as pd

COMPARE = {"<=": lambda value, target: value <= target, ">=": lambda value, target: value >= target}


def _values(indicators: pd.DataFrame, target) -> pd.DataFrame:
    if not target.indicator:
        return indicators.iloc[0:0]
    values = indicators[
        (indicators["indicator"] == target.indicator)
        & (indicators["geography"] == target.geography)
        & (indicators["partner"].fillna("") == (target.partner or ""))
        & (indicators["period"].fillna("") == "")
    ]
    if "figure_year_basis" in values:  # a publication year never stands in for a data year
        values = values[values["figure_year_basis"].fillna("") != "publication_year"]
    return values


def _verdict(meets: pd.Series, passed: bool) -> str:
    if meets.all():
        return "met" if passed else "on track"
    if not meets.any():
        return "missed" if passed else "not on track"
    return "sources disagree"


def scorecard(targets: pd.DataFrame, indicators: pd.DataFrame, as_of: int) -> pd.DataFrame:
    """One row per target: deadline, the values used (year, value, source), and the verdict as of a year."""
    rows = []
    for target in targets.itertuples():
        values = _values(indicators, target)
        deadline = int(str(target.deadline)[:4]) if target.deadline else None
        passed = deadline is not None and deadline < as_of
        if values.empty:
            used, verdict = values, "not measurable yet"
            why = (
                "no indicator in the record measures it" if not target.indicator else "no value in the record"
            )
        elif passed:
            later = values[values["year"] >= deadline]
            used = later[later["year"] == later["year"].min()] if not later.empty else later
            verdict = "not measurable yet" if used.empty else _verdict(_meets(used, target), True)
            why = (
                f"no value for {deadline} or later yet"
                if used.empty
                else f"value(s) for {int(used['year'].iloc[0])}"
            )
        else:
            used = values[values["year"] == values["year"].max()]
            verdict = _verdict(_meets(used, target), False)
            why = f"latest value(s), {int(used['year'].iloc[0])}; deadline {deadline or 'not given'}"
        latest = values[values["year"] == values["year"].max()] if not values.empty else values
        rows.append(
            {
                "target_id": target.target_id,
                "jurisdiction": target.jurisdiction,
                "metric": target.metric,
                "target": " ".join(
                    (COMPARATOR_WORDS[target.comparator], quantity(target.target_value, target.unit))
                ),
                "deadline": target.deadline or "",
                "measured": "; ".join(
                    f"{v.value:g} ({int(v.year)}, {v.source_id})"
                    for v in used.sort_values("value").itertuples()
                ),
                "latest": "; ".join(
                    f"{v.value:g} ({int(v.year)}, {v.source_id})" for v in latest.itertuples()
                ),
                "verdict": verdict,
                "basis": why,
                "measure_id": target.measure_id,
            }
        )
    return pd.DataFrame(rows)


COMPARATOR_WORDS = {"<=": "at most", ">=": "at least"}


def quantity(value: float, unit: str) -> str:
    """A target's value as a reader writes it: 50%, 10,000 t, 60 days, 3."""
    return {"pct": f"{value:g}%", "t": f"{value:,.0f} t", "days": f"{value:g} days"}.get(
        unit, f"{value:,.0f}"
    )


def _meets(values: pd.DataFrame, target) -> pd.Series:
    return values["value"].map(lambda v: COMPARE[target.comparator](v, target.target_value))
