"""The curated tables: declared schemas, the record's own rules, loading.

The record of policy measures is kept as two tables (CODEBOOK.md): `measures` (one row per
measure, incident or context item, coded on independent axes) and `milestones` (its dated steps,
each cited). Around them: `sources` (the citation registry), `indicators` (single cited figures),
`episodes` (the shocks, dated by a milestone), `default_bases` (the one basis per jurisdiction whose
figures form its dependence series), `fx_rates` and `us_deflator` (for constant-dollar
amounts), `gdp` (for money as a share of GDP), `targets` (the quantitative targets measures set),
`coding_check` (an independent second coding), `tracker_review` (every tracker entry,
curated or out of scope) and `events_migration` (what became of each row of the former event
record, kept read-only in `legacy/events.csv`).

Validation runs frictionless for types, required cells, allowed values, patterns and duplicate
keys, then the project's rules (`RULES`). Every problem names the file, the row (the line in the
CSV) and the rule.
"""

from __future__ import annotations

import csv
import functools
import re
from pathlib import Path

import pandas as pd
from frictionless import Resource, Schema

from rare_earths.common import paths, registry
from rare_earths.common.errors import Issue, ValidationError
from rare_earths.common.geography import EU_MEMBERS, country_issues
from rare_earths.datasets import record_rules

TABLES = (
    "sources",
    "measures",
    "milestones",
    "indicators",
    "episodes",
    "default_bases",
    "fx_rates",
    "us_deflator",
    "gdp",
    "targets",
    "coding_check",
    "tracker_review",
    "events_migration",
)
LEGACY = Path("legacy") / "events.csv"  # the former event record, read only to account for every row
_COUNTRY_COLUMNS = {"measures": ("jurisdiction",), "indicators": ("geography", "partner")}
__all__ = ["EU_MEMBERS", "TABLES", "CuratedError", "load", "validate"]


class CuratedError(ValidationError):
    """The curated tables do not validate."""

    what = "curated tables"


def read_frames(curated: Path) -> tuple[dict[str, pd.DataFrame], list[Issue]]:
    """Each table as strings (missing tables are issues), with frictionless's findings."""
    issues: list[Issue] = []
    frames: dict[str, pd.DataFrame] = {}
    for table in TABLES:
        path = Path(curated) / f"{table}.csv"
        if not path.is_file():
            issues.append(Issue(str(path), None, None, "missing-file", "the table is missing"))
            continue
        issues.extend(_frictionless(path, table))
        frame, problem = _read(path)
        if problem:
            issues.append(problem)
        else:
            frames[table] = frame
    legacy = Path(curated) / LEGACY
    if legacy.is_file():
        frames["legacy"] = pd.read_csv(legacy, dtype=str, keep_default_na=False)
    return frames, issues


def _read(path: Path) -> tuple[pd.DataFrame | None, Issue | None]:
    """A curated CSV as strings, or the issue that stops it being read, with the line where it can be found
    (a byte that is not UTF-8, an unclosed quote, an empty file)."""
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8"), None
    except UnicodeDecodeError:
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
            start = 0
        except UnicodeDecodeError as whole:  # the reader's offset is within its buffer; this is the file's
            start = whole.start
        line = raw[:start].count(b"\n") + 1
        message = f"byte {raw[start]:#04x} at offset {start} is not UTF-8"
        return None, Issue(str(path), line, None, "encoding", message)
    except pd.errors.EmptyDataError:
        return None, Issue(str(path), None, None, "empty-file", "the file is empty (not even a header)")
    except pd.errors.ParserError as error:
        found = re.search(
            r"\b(line|row) (\d+)", str(error)
        )  # pandas: 'in line 5' (1-based), 'at row 49' (0-based)
        line = (int(found.group(2)) + (found.group(1) == "row")) if found else None
        return None, Issue(str(path), line, None, "unparsable", f"not a well-formed CSV: {error}")


def validate(curated: Path = paths.CURATED) -> list[Issue]:
    """Every issue in the curated tables, in file and row order; an empty list means they are valid."""
    return _checked(curated)[1]


def _checked(curated: Path) -> tuple[dict[str, pd.DataFrame], list[Issue]]:
    """The tables as read (strings) and every issue in them, from one reading of the files. A second check
    of the same files (notebook 02 validates, then loads) reuses the first: the cache is keyed on every
    file's path, size and modification time, and hands out copies of the frames."""
    folder = Path(curated)
    state = tuple(
        (str(path), stat.st_size, stat.st_mtime_ns)
        for path in sorted(folder.rglob("*"))
        if path.is_file() and (stat := path.stat())
    )
    frames, issues = _checked_cached(str(folder), state)
    return {name: frame.copy() for name, frame in frames.items()}, list(issues)


@functools.lru_cache(maxsize=2)
def _checked_cached(curated: str, state: tuple) -> tuple[dict[str, pd.DataFrame], tuple[Issue, ...]]:
    frames, issues = _check_files(Path(curated))
    return frames, tuple(issues)


def _check_files(curated: Path) -> tuple[dict[str, pd.DataFrame], list[Issue]]:
    frames, issues = read_frames(curated)
    for table, frame in frames.items():
        if table == "legacy":
            continue
        path = str(Path(curated) / f"{table}.csv")
        issues.extend(_hostile(path, frame))
        if table == "indicators":
            issues.extend(_basis(path, frame))
        issues.extend(country_issues(path, frame, _COUNTRY_COLUMNS.get(table, ())))
        issues.extend(_citations(path, frame, frames.get("sources")))
        issues.extend(_precision(path, frame))
    if {"measures", "milestones", "sources"} <= set(frames):
        issues.extend(record_rules.check(Path(curated), frames))
    return frames, sorted(issues, key=lambda i: (i.file, i.row or 0, i.field or "", i.rule))


def load(curated: Path = paths.CURATED) -> dict[str, pd.DataFrame]:
    """The curated tables, typed, after validation; raises CuratedError listing every issue."""
    frames, issues = _checked(curated)
    if issues:
        raise CuratedError(issues)
    frames.pop("legacy", None)
    measures = frames["measures"]
    measures["amount"] = pd.to_numeric(measures["amount"].replace("", None))
    measures["deal_amount"] = pd.to_numeric(measures["deal_amount"].replace("", None))
    measures["landmark"] = measures["landmark"].str.lower().eq("true")
    milestones = frames["milestones"]
    milestones["date"] = pd.to_datetime(milestones["date"])
    frames["episodes"]["start"] = pd.to_datetime(frames["episodes"]["start"])
    frames["sources"]["primary"] = frames["sources"]["primary"].str.lower().eq("true")
    indicators = frames["indicators"]
    indicators["year"] = indicators["year"].astype(int)
    indicators["value"] = indicators["value"].astype(float)
    frames["fx_rates"] = frames["fx_rates"].astype({"year": int, "usd_per_unit": float})
    frames["us_deflator"] = frames["us_deflator"].astype({"year": int, "index": float})
    frames["gdp"] = frames["gdp"].astype({"year": int, "gdp_usd": float})
    frames["targets"] = frames["targets"].astype({"target_value": float})
    return frames


MAX_CELL = 2_000  # characters: a description is one or two sentences, a locator a few words
FORMULA = registry.FORMULA


def _hostile(path: str, frame: pd.DataFrame) -> list[Issue]:
    """A header-only table, a cell longer than MAX_CELL characters, a cell a spreadsheet would run as a
    formula (=, +, @, or a minus that does not start a number): each refused with its row and column."""
    if frame.empty:
        return [Issue(path, None, None, "no-rows", "the table has a header but no rows")]
    issues = []
    for column in frame.columns:
        cells = frame[column]
        for index in cells.index[cells.str.len() > MAX_CELL]:
            message = f"{len(cells[index]):,} characters; a cell holds at most {MAX_CELL:,}"
            issues.append(Issue(path, int(index) + 2, column, "too-long", message))
        for index in cells.index[cells.str.match(FORMULA)]:
            message = f"{cells[index][:30]!r} would run as a spreadsheet formula"
            issues.append(Issue(path, int(index) + 2, column, "formula-like", message))
    return issues


# Figures that are shares of imports or dependence, or the tonnages behind them: each needs its basis.
BASIS_REQUIRED = frozenset(
    {
        "china_share_of_imports",
        "eu_dependence_on_china",
        "eu_dependence_on_china_hree",
        "eu_dependence_on_china_ndpr",
        "eu_magnet_supply_from_china",
        "rare_earth_imports_from_china",
        "rare_earth_imports_total",
    }
)
BASIS_FIELDS = ("measure", "scope", "denominator", "source_type", "figure_year_basis")


def _basis(path: str, frame: pd.DataFrame) -> list[Issue]:
    """A share or import figure states its basis: weight or value, scope, denominator, source type, what
    its year is."""
    if not set(BASIS_FIELDS) <= set(frame.columns):
        return []
    issues = []
    for index, row in frame[frame["indicator"].isin(BASIS_REQUIRED)].iterrows():
        missing = [field for field in BASIS_FIELDS if not row[field]]
        if missing:
            message = f"{row['indicator']} needs its basis: {', '.join(missing)} (data/raw/curated/README.md)"
            issues.append(Issue(path, int(index) + 2, missing[0], "share-without-basis", message))
    return issues


def _frictionless(path: Path, table: str) -> list[Issue]:
    """Types, required cells, allowed values, patterns and duplicate keys, by frictionless (after the columns:
    a missing or extra column shifts every label, and frictionless would name positions, not columns)."""
    columns = _column_issues(path, table)
    if columns:
        return columns
    descriptor = {
        key: value for key, value in registry.schema(table).items() if key != "foreignKeys"
    }  # checked by _citations, with a clearer message
    resource = Resource(path=path.name, basepath=str(path.parent), schema=Schema.from_descriptor(descriptor))
    report = resource.validate()
    return [
        Issue(str(path), row, field, rule, note)
        for row, field, rule, note in report.flatten(["rowNumber", "fieldName", "type", "note"])
    ]


def _column_issues(path: Path, table: str) -> list[Issue]:
    """Missing and extra columns, each by name, from the header line (an unreadable header is left to
    _read, which locates the bad byte)."""
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            header = next(csv.reader(handle), [])
    except (OSError, UnicodeDecodeError, csv.Error):
        return []
    declared = registry.field_names(table)
    missing = [
        Issue(str(path), 1, column, "missing-column", "declared in the schema, absent from the header")
        for column in declared
        if column not in header
    ]
    extra = [
        Issue(str(path), 1, column or "(empty)", "extra-column", "in the header, not declared in the schema")
        for column in header
        if column not in declared
    ]
    return missing + extra


_CITING_COLUMNS = ("source_id", "support_source_ids", "alt_source_ids", "deal_source_id")


def _citations(path: str, frame: pd.DataFrame, sources: pd.DataFrame | None) -> list[Issue]:
    """Every cited source_id resolves in sources.csv (an empty one is already a required-cell error)."""
    if sources is None or frame is sources:
        return []
    known = set(sources["source_id"])
    issues = []
    for column in (c for c in _CITING_COLUMNS if c in frame):
        for index, cell in frame[column].items():
            for source_id in filter(None, (part.strip() for part in cell.split(";"))):
                if source_id not in known:
                    message = f"{source_id!r} is not in sources.csv"
                    issues.append(Issue(path, int(index) + 2, column, "unresolved-citation", message))
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
