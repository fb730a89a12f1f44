"""The processed tables: every dataset module's rows stacked, the curated tables, the reconciliation.

`collect` reads the external files through their modules (`rare_earths.datasets.*`) and the
curated tables through `rare_earths.curated`; `write` stages every table as CSV (described by a
Frictionless `datapackage.json`) and Parquet (for the notebooks) in a temporary folder, validates
the package with frictionless, and only then moves the files into place. A table that fails its
schema leaves the earlier outputs untouched and raises `ProcessedError` naming the file, the row,
the column and the rule.

A module whose input files are missing is skipped and listed in `Built.skipped` with the files;
rows outside the `years` window are counted in `Built.outside_window`, never dropped silently.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from rare_earths.common import geography, paths, registry
from rare_earths.common.errors import Issue, RareEarthsError, ValidationError
from rare_earths.common.manifests import load_manifest
from rare_earths.datasets import curated, reconcile, record, reliability
from rare_earths.datasets.catalog import SOURCES
from rare_earths.datasets.sources import SourceInput

MODULES = tuple(source.name for source in SOURCES)  # the sources, in the order their rows are stacked
STATISTICS = ("production", "trade", "prices", "event_candidates")
TABLES = (*STATISTICS, "reconciliation", "datasets", *curated.TABLES, "events", "coding_agreement")
DEFAULT_YEARS = (1990, 2026)
# Columns that must hold ISO 3166-1 alpha-2 codes (or EU / WLD): checked after the schemas.
COUNTRY_COLUMNS = {
    "production": ("country_iso",),
    "trade": ("reporter", "partner"),
    "event_candidates": ("jurisdiction",),
    "reconciliation": ("country_iso",),
}


class ProcessedError(ValidationError):
    """Processed tables that fail their schemas; `issues` holds one line per problem."""

    what = "processed tables"


@dataclass
class Built:
    """The processed tables and what was left out of them, and why."""

    tables: dict[str, pd.DataFrame]
    skipped: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["module", "missing_files"]))
    outside_window: pd.DataFrame = field(
        default_factory=lambda: pd.DataFrame(columns=["table", "rows_outside", "years_outside"])
    )
    years: tuple[int, int] = DEFAULT_YEARS
    edition_policy: str = "latest"
    checks: dict[str, pd.DataFrame] = field(default_factory=dict)  # "module:name" -> a module's check frame


def collect(
    external_dir: Path = paths.EXTERNAL,
    curated_dir: Path = paths.CURATED,
    years: tuple[int, int] = DEFAULT_YEARS,
    edition_policy: str = "latest",
    tolerance_pct: float = reconcile.DEFAULT_TOLERANCE_PCT,
) -> Built:
    """Read every dataset module whose files are present, and the curated tables."""
    first, last = years
    if first > last:
        raise RareEarthsError(f"years {years}: the first year is after the last")
    curated_tables = curated.load(curated_dir)
    events = record.events(
        curated_tables["measures"],
        curated_tables["milestones"],
        curated_tables["fx_rates"],
        curated_tables["us_deflator"],
    )
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in STATISTICS}
    skipped = []
    checks: dict[str, pd.DataFrame] = {}
    inputs = SourceInput(Path(external_dir), events)
    for source in SOURCES:
        missing = [f for f in source.files if not (Path(external_dir) / f).exists()]
        if missing:
            skipped.append({"module": source.name, "missing_files": "; ".join(missing)})
            continue
        output = source.read(inputs)
        for table, frame in output.tables.items():
            parts[table].append(frame)
        checks.update({f"{source.name}:{name}": frame for name, frame in output.checks.items()})
    tables: dict[str, pd.DataFrame] = {}
    outside = []
    for table in STATISTICS:
        stacked = pd.concat(parts[table], ignore_index=True) if parts[table] else _empty(table)
        year = _year_of(table, stacked)
        inside = year.between(first, last)
        if (~inside).any():
            out_years = year[~inside]
            outside.append(
                {
                    "table": table,
                    "rows_outside": int((~inside).sum()),
                    "years_outside": f"{int(out_years.min())}-{int(out_years.max())}",
                }
            )
        tables[table] = stacked[inside.to_numpy()].reset_index(drop=True)
    tables["reconciliation"] = reconcile.reconcile(tables["production"], edition_policy, tolerance_pct)
    tables["datasets"] = datasets_table(skip={row["module"] for row in skipped})
    tables.update({name: curated_tables[name] for name in curated.TABLES})
    tables["events"] = events
    tables["coding_agreement"] = reliability.agreement(curated_tables["coding_check"])
    return Built(
        tables=tables,
        skipped=pd.DataFrame(skipped, columns=["module", "missing_files"]),
        outside_window=pd.DataFrame(outside, columns=["table", "rows_outside", "years_outside"]),
        years=years,
        edition_policy=edition_policy,
        checks=checks,
    )


def _year_of(table: str, frame: pd.DataFrame) -> pd.Series:
    if table in ("prices", "event_candidates"):
        return pd.to_datetime(frame["date"]).dt.year
    return frame["year"].astype("int64")


def _empty(table: str) -> pd.DataFrame:
    return pd.DataFrame(columns=registry.field_names(table))


def datasets_table(
    manifest_path: Path = paths.EXTERNAL_MANIFEST, skip: set[str] = frozenset()
) -> pd.DataFrame:
    """One row per dataset module (per series, for a module whose rows carry several `source` names): the
    files it reads and their publisher, DOI, licence and origin (from the
    manifest)."""
    manifest = load_manifest(manifest_path)
    rows = []
    for source in SOURCES:
        name = source.name
        # A source may name a folder: it reads the manifest's files under it.
        matches = {
            f: [e for e in manifest.entries if e.path == f or e.path.startswith(f"{f}/")]
            for f in source.files
        }
        entries = [entry for found in matches.values() for entry in found if entry.dataset == name]
        unlisted = [f for f, found in matches.items() if not any(entry.dataset == name for entry in found)]
        if unlisted:
            listed = ", ".join(unlisted)
            raise ProcessedError(
                [
                    f"{manifest_path.name}: source {name} reads {listed}, which the manifest does not list "
                    f"as dataset {name}"
                ]
            )
        rows.extend(
            {
                "source": series,
                "title": entries[0].title,
                "publisher": "; ".join(dict.fromkeys(e.publisher for e in entries)),
                "doi": next((e.doi for e in entries if e.doi), None),
                "licence": "; ".join(dict.fromkeys(e.licence for e in entries)),
                "origin": "; ".join(
                    dict.fromkeys(f"{e.origin['repository']}@{e.origin['commit'][:12]}" for e in entries)
                ),
                "files": "; ".join(e.path for e in entries),
                "present": name not in skip,
            }
            for series in source.series or (name,)
        )
    return pd.DataFrame(rows)


def validate_package(folder: Path) -> list[str]:
    """Frictionless validation of folder/datapackage.json: one 'file:row: column X: [rule] message' line per
    problem."""
    from frictionless import Package

    package = Package(registry.PACKAGE, basepath=str(folder))
    report = package.validate()
    issues = []
    for task in report.tasks:
        for error in task.errors:
            row = getattr(error, "row_number", None)
            column = getattr(error, "field_name", None)
            where = f"{task.name}.csv" + (f":{row}" if row else "") + (f": column {column}" if column else "")
            issues.append(f"{where}: [{error.type}] {error.note or error.message}")
    for error in report.errors:
        issues.append(f"{registry.PACKAGE}: [{error.type}] {error.message}")
    return issues


def country_issues(tables: dict[str, pd.DataFrame]) -> list[Issue]:
    """Country columns of the processed tables hold known codes."""
    return [
        issue
        for table, columns in COUNTRY_COLUMNS.items()
        if table in tables
        for issue in geography.country_issues(f"{table}.csv", tables[table], columns)
    ]


def write(built: Built, out: Path = paths.PROCESSED) -> dict[str, Path]:
    """Stage CSV, Parquet and datapackage.json, validate, then move them into `out` together."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(dir=out, prefix=".processed-"))
    try:
        for name, frame in built.tables.items():
            frame.to_csv(stage / f"{name}.csv", index=False, date_format="%Y-%m-%d")
        (stage / registry.PACKAGE).write_text(
            json.dumps(_stage_descriptor(built.tables), indent=1) + "\n", encoding="utf-8"
        )
        issues = validate_package(stage) + country_issues(built.tables)
        if issues:
            raise ProcessedError(issues)
        for name, frame in built.tables.items():  # only tables that passed their schemas
            frame.to_parquet(stage / f"{name}.parquet", index=False)
        written = {}
        for staged in sorted(stage.iterdir()):
            if staged.name != registry.PACKAGE:
                os.replace(staged, out / staged.name)
                written[staged.name] = out / staged.name
        registry.describe(out)
        written[registry.PACKAGE] = out / registry.PACKAGE
        return written
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _with_year(table: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with an integer `year` (taken from `date` in the tables that have dates)."""
    return frame.assign(year=_year_of(table, frame)) if table in ("prices", "event_candidates") else frame


COVERAGE_KEYS = {
    "production": "country_iso",
    "trade": "partner",
    "prices": "element",
    "event_candidates": "jurisdiction",
}


def coverage(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per statistical table and source: rows, first and last year, and how many countries (or elements) it
    covers."""
    parts = []
    for table in STATISTICS:
        key = COVERAGE_KEYS[table]
        frame = _with_year(table, tables[table])
        summary = frame.groupby("source").agg(
            rows=("year", "size"),
            first_year=("year", "min"),
            last_year=("year", "max"),
            keys=(key, "nunique"),
        )
        parts.append(summary.reset_index().assign(table=table, key=key))
    columns = ["table", "source", "rows", "first_year", "last_year", "key", "keys"]
    return (
        pd.concat(parts, ignore_index=True)[columns].sort_values(["table", "source"]).reset_index(drop=True)
    )


def rows_per_year(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Rows per statistical table, source and year (the coverage chart's input)."""
    parts = [
        _with_year(t, tables[t])
        .groupby(["source", "year"])
        .size()
        .rename("rows")
        .reset_index()
        .assign(table=t)
        for t in STATISTICS
    ]
    return pd.concat(parts, ignore_index=True)[["table", "source", "year", "rows"]]


def _stage_descriptor(tables: dict[str, pd.DataFrame]) -> dict:
    """The package of the staged CSVs only, for validating them before they replace anything."""
    return {"name": "rare-earths-staged", "resources": [registry.resource(name) for name in tables]}


def write_derived(tables: dict[str, pd.DataFrame], out: Path = paths.PROCESSED) -> dict[str, Path]:
    """Tables derived by notebooks 03 and 04, checked and written through the registry."""
    return registry.write(tables, out)
