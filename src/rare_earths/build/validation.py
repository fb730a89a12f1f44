"""What each notebook parameter may hold, checked before anything runs.

`parameters.resolve` checks a command-line value's type against the notebook's default; this module
checks its meaning from one declaration per parameter name (the same name means the same thing in
every notebook): dates are real dates in the study's span, year ranges are ordered and in range,
enumerations hold allowed values, a dict parameter has no unknown keys, a count is positive, a folder
parameter stays inside the repository unless the build is told otherwise. Every refusal names the
notebook, the parameter, the value and the rule.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rare_earths.build.parameters import ParameterError

FIRST_YEAR, LAST_YEAR = 1900, 2030  # the span any year parameter may name
JURISDICTIONS = ("JP", "US", "EU")
EDITION_POLICIES = ("latest", "first")
DATINGS = ("main", "earliest", "latest")
STEPS = ("announced", "adopted", "funded", "disbursed", "operational")
ELEMENTS = ("La", "Ce", "Pr", "Nd", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Y", "Sc")
_EPISODE = re.compile(r"^S\d$")
_MEASURE_ID = re.compile(r"^M-[A-Z]{2}-\d{4}-\d{2}$")

Check = Callable[[Any], str | None]  # the problem with a value, or None


def _year(value) -> str | None:
    if not FIRST_YEAR <= value <= LAST_YEAR:
        return f"a year between {FIRST_YEAR} and {LAST_YEAR}"
    return None


def _year_range(value) -> str | None:
    if len(value) != 2:
        return "[first year, last year]: two years"
    first, last = value
    if not all(isinstance(y, int) and not isinstance(y, bool) for y in value):
        return "[first year, last year]: two whole years"
    return _year(first) or _year(last) or (None if first <= last else "the first year is after the last")


def _date(text) -> str | None:
    try:
        day = dt.date.fromisoformat(str(text))
    except ValueError:
        return f"{text!r} is not a date (YYYY-MM-DD)"
    return _year(day.year) and f"{text}: {_year(day.year)}"


def _episodes(value) -> str | None:
    if not value:
        return "at least one episode"
    for key, start in value.items():
        if not _EPISODE.match(str(key)):
            return f"key {key!r} is not an episode name like S1"
        if problem := _date(start):
            return f"episode {key}: {problem}"
    return None


def _subset(allowed: tuple[str, ...]) -> Check:
    def check(value) -> str | None:
        unknown = [v for v in value if v not in allowed]
        if unknown:
            return f"{unknown} not among {list(allowed)}"
        if not value:
            return "at least one value"
        if len(set(value)) != len(value):
            return "a value is listed twice"
        return None

    return check


def _one_of(allowed: tuple[str, ...]) -> Check:
    return lambda value: None if value in allowed else f"one of {list(allowed)}"


def _positive(most: int) -> Check:
    return lambda value: None if 0 < value <= most else f"a whole number from 1 to {most:,}"


def _windows(value) -> str | None:
    if not value or any(not isinstance(w, int) or isinstance(w, bool) or not 0 < w <= 600 for w in value):
        return "a list of windows in months, each from 1 to 600"
    return None if value == sorted(set(value)) else "windows in increasing order, each once"


def _share(value) -> str | None:
    return None if 0 <= value <= 100 else "a percentage from 0 to 100"


def _measure_ids(value) -> str | None:
    wrong = [v for v in value if not _MEASURE_ID.match(str(v))]
    return f"{wrong} are not measure ids like M-CN-2025-01" if wrong else None


RULES: dict[str, Check] = {
    "first_year": _year,
    "last_year": _year,
    "production_first_year": _year,
    "price_first_year": _year,
    "years": _year_range,
    "timeline_years": _year_range,
    "dependence_years": _year_range,
    "episodes": _episodes,
    "jurisdictions": _subset(JURISDICTIONS),
    "windows": _windows,
    "money_window": _positive(600),
    "window_years": _positive(50),
    "milestone_steps": _subset(STEPS),
    "dating": _one_of(DATINGS),
    "edition_policy": _one_of(EDITION_POLICIES),
    "tolerance_pct": _share,
    "top_producers": _positive(50),
    "max_bytes": _positive(50_000_000),
    "price_elements": _subset(ELEMENTS),
    "control_events": _measure_ids,
}
FOLDER_SUFFIX = "_dir"


def problems(
    notebook: str, values: dict[str, Any], *, notebook_dir: Path, root: Path, allow_outside: bool = False
) -> list[str]:
    """Every problem with a notebook's parameter values, one line each naming the parameter and the rule.
    A name without a declaration is an error of this module, so a new parameter cannot pass unchecked."""
    found = []
    for name, value in values.items():
        if name.endswith(FOLDER_SUFFIX):
            problem = _folder(value, notebook_dir, root, allow_outside)
        elif name in RULES:
            problem = RULES[name](value)
        elif isinstance(value, bool):
            problem = None  # a flag: its type was checked
        else:
            problem = "no rule declares what this parameter may hold (rare_earths.build.validation.RULES)"
        if problem:
            found.append(f"{notebook}: {name}={value!r}: {problem}")
    return found


def _folder(value, notebook_dir: Path, root: Path, allow_outside: bool) -> str | None:
    """A folder parameter is relative to the notebook (where papermill runs it) or absolute; it must stay
    inside the repository unless allowed."""
    if not str(value).strip():
        return "an empty path"
    where = (notebook_dir / value).resolve()
    if allow_outside or where == root.resolve() or root.resolve() in where.parents:
        return None
    return f"{where} is outside the repository ({root}); pass --allow-outside to use it"


def check(
    per_notebook: dict[str, dict[str, Any]], notebooks: dict[str, Path], root: Path, *, allow_outside=False
) -> None:
    """Refuse, before anything runs, every given value that breaks its parameter's rule."""
    found = [
        line
        for name, values in per_notebook.items()
        for line in problems(
            name, values, notebook_dir=notebooks[name].parent, root=root, allow_outside=allow_outside
        )
    ]
    if found:
        raise ParameterError("parameter values refused before anything ran:\n  " + "\n  ".join(found))
