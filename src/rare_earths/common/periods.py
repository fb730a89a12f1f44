"""Dates with a stated precision (day, month, quarter, year) as periods, and months between dates."""

from __future__ import annotations

import pandas as pd

from rare_earths.common.errors import RareEarthsError

DAYS_PER_MONTH = 365.25 / 12
_PERIOD_END = {
    "day": pd.DateOffset(days=0),
    "month": pd.DateOffset(months=1, days=-1),
    "quarter": pd.DateOffset(months=3, days=-1),
    "year": pd.DateOffset(years=1, days=-1),
}


def period(date: pd.Timestamp, precision: str) -> tuple[pd.Timestamp, pd.Timestamp]:
    """The first and last day a date of this precision stands for (a year-precision date is its whole
    year)."""
    if precision not in _PERIOD_END:
        raise RareEarthsError(f"date precision {precision!r} is not one of {', '.join(_PERIOD_END)}")
    start = pd.Timestamp(date).normalize()
    return start, start + _PERIOD_END[precision]


PRECISIONS = tuple(_PERIOD_END)  # finest first
