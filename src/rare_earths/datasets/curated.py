"""The curated tables (sources, events, indicators): declared schemas, validation, loading.

Each table has one Frictionless Table Schema under `schemas/` (types, units, allowed values,
keys). Validation runs frictionless for types, required cells, allowed values, patterns and
duplicate keys, then the project's own rules: country codes must be ISO 3166 (or EU / WLD),
every `source_id` must resolve in sources.csv, and a date must agree with its precision. Every
problem names the file, the row (the line in the CSV) and the rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from frictionless import Resource, Schema

from rare_earths.common import paths, registry
from rare_earths.common.errors import Issue, ValidationError
from rare_earths.common.geography import country_issues

TABLES = ("sources", "events", "indicators")
_COUNTRY_COLUMNS = {"events": ("jurisdiction",), "indicators": ("geography", "partner")}


class CuratedError(ValidationError):
    """The curated tables do not validate."""

    what = "curated tables"


def validate(curated: Path = paths.CURATED) -> list[Issue]:
    """Every issue in the three tables, in file and row order; an empty list means they are valid."""
    issues: list[Issue] = []
    frames: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        path = Path(curated) / f"{table}.csv"
        if not path.is_file():
            issues.append(Issue(str(path), None, None, "missing-file", "the table is missing"))
            continue
        issues.extend(_frictionless(path, table))
        frames[table] = pd.read_csv(path, dtype=str, keep_default_na=False)
    for table, frame in frames.items():
        path = str(Path(curated) / f"{table}.csv")
        issues.extend(country_issues(path, frame, _COUNTRY_COLUMNS.get(table, ())))
        issues.extend(_citations(path, frame, frames.get("sources")))
        issues.extend(_precision(path, frame))
    return sorted(issues, key=lambda i: (i.file, i.row or 0, i.field or ""))


def load(curated: Path = paths.CURATED) -> dict[str, pd.DataFrame]:
    """The three tables, typed, after validation; raises CuratedError listing every issue."""
    issues = validate(curated)
    if issues:
        raise CuratedError(issues)
    frames = {
        table: pd.read_csv(Path(curated) / f"{table}.csv", dtype=str, keep_default_na=False)
        for table in TABLES
    }
    events = frames["events"]
    events["date"] = pd.to_datetime(events["date"])
    events["amount"] = pd.to_numeric(events["amount"].replace("", None))
    indicators = frames["indicators"]
    indicators["year"] = indicators["year"].astype(int)
    indicators["value"] = indicators["value"].astype(float)
    return frames


def _frictionless(path: Path, table: str) -> list[Issue]:
    """Types, required cells, allowed values, patterns and duplicate keys, by frictionless."""
    descriptor = {
        key: value for key, value in registry.schema(table).items() if key != "foreignKeys"
    }  # checked by _citations, with a clearer message
    resource = Resource(path=path.name, basepath=str(path.parent), schema=Schema.from_descriptor(descriptor))
    report = resource.validate()
    return [
        Issue(str(path), row, field, rule, note)
        for row, field, rule, note in report.flatten(["rowNumber", "fieldName", "type", "note"])
    ]


def _citations(path: str, frame: pd.DataFrame, sources: pd.DataFrame | None) -> list[Issue]:
    """Every cited source_id resolves in sources.csv (an empty one is already a required-cell error)."""
    if "locator" not in frame or sources is None:
        return []
    known = set(sources["source_id"])
    issues = []
    for index, row in frame.iterrows():
        if row["source_id"] and row["source_id"] not in known:
            issues.append(
                Issue(
                    path,
                    int(index) + 2,
                    "source_id",
                    "unresolved-citation",
                    f"{row['source_id']!r} is not in sources.csv",
                )
            )
    return issues


def _precision(path: str, frame: pd.DataFrame) -> list[Issue]:
    """A month-, quarter- or year-precision date is written as the first day of its period."""
    if "date_precision" not in frame:
        return []
    first_day = {"month": r"\d{4}-\d{2}-01", "quarter": r"\d{4}-(01|04|07|10)-01", "year": r"\d{4}-01-01"}
    issues = []
    for index, row in frame.iterrows():
        pattern = first_day.get(row["date_precision"])
        if pattern and not re.fullmatch(pattern, row["date"]):
            message = (
                f"{row['date']} with precision {row['date_precision']} must be the first day of its period"
            )
            issues.append(Issue(path, int(index) + 2, "date", "date-precision", message))
    return issues
