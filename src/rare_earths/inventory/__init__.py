"""The inventory of raw inputs: what each file is, where it came from, and what it covers.

Each external file's manifest entry carries a `profile` (format, encoding, which column holds
years and which countries) so one generic reader can count rows, years and countries for
every file without cleaning it; the cleaning itself belongs to the dataset modules.
"""

from __future__ import annotations

import ast
import json
import re
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from rare_earths.common.errors import RareEarthsError
from rare_earths.common.manifests import Manifest, check_file, sha256_of

# The notebook's parameters and their defaults (its parameters cell holds the same literals; a test checks).
DEFAULTS: dict = {
    "raw_dir": "../data/raw",
    "processed_dir": "../data/processed",
    "first_year": 1990,
    "last_year": 2026,
}


_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)")
CURATED_PROFILE = {
    "format": "csv",
    "encoding": "utf-8",
    "year": ("year", "date", "published"),
    "country": ("geography", "jurisdiction", "country"),
}
COLUMNS = [
    "section",
    "dataset",
    "file",
    "title",
    "publisher",
    "origin",
    "licence",
    "size_bytes",
    "sha256",
    "status",
    "rows",
    "first_year",
    "last_year",
    "years_covered",
    "countries",
    "country_examples",
]


@dataclass(frozen=True)
class Coverage:
    """What one file holds: row count, the years and the country labels it mentions."""

    rows: int | None
    years: frozenset[int]
    countries: frozenset[str]


def year_of(value: Any) -> int | None:
    """The first plausible year (1800-2099) in a cell, whether a number, a date or text."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float) and not pd.isna(value):
        return int(value) if 1800 <= value < 2100 and float(value).is_integer() else None
    match = _YEAR.search(str(value))
    return int(match.group(1)) if match else None


def _labels(value: Any) -> list[str]:
    """Country labels from a cell that may hold one name, a list, or a list written as text."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return []
    if isinstance(value, str) and value.strip().startswith("["):
        try:
            value = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError):
            return [value.strip()]
    if isinstance(value, list | tuple):
        return [
            label for item in value for label in _labels(item.get("name") if isinstance(item, dict) else item)
        ]
    text = str(value).strip()
    return [text] if text else []


def _records(document: Any, path: str) -> list[Any]:
    """Follow a records path such as `data`, `interventions` or `metals[].history` into a list."""
    items = [document]
    for part in filter(None, path.split(".")):
        key, flatten = part.removesuffix("[]"), part.endswith("[]")
        items = [item[key] for item in items]
        if flatten:
            items = [element for item in items for element in item]
    return [record for item in items for record in (item if isinstance(item, list) else [item])]


def _table(path: Path, profile: dict[str, Any]) -> pd.DataFrame | None:
    """Read a file into a frame of text cells as its profile says, or None for documents."""
    kind = profile.get("format")
    if kind == "csv":
        frame = pd.read_csv(path, encoding=profile.get("encoding", "utf-8"), dtype=str, keep_default_na=False)
        frame = frame.replace("", None)
    elif kind == "xlsx":
        with (
            warnings.catch_warnings()
        ):  # openpyxl complains about print areas and styles, which the inventory does not read
            warnings.simplefilter("ignore", UserWarning)
            frame = pd.read_excel(
                path, sheet_name=profile["sheet"], header=profile["header_row"] - 1, dtype=object
            )
        frame.columns = [str(c) for c in frame.columns]
    elif kind in {"json", "yaml"}:
        text = path.read_text(encoding="utf-8")
        document = json.loads(text) if kind == "json" else yaml.safe_load(text)
        frame = pd.DataFrame.from_records(_records(document, profile.get("records", "")))
    elif kind == "document":
        return None
    else:
        raise RareEarthsError(f"{path}: unknown profile format {kind!r}")
    frame = frame.dropna(how="all")
    if drop := profile.get("drop_rows"):
        frame = frame[~frame[drop["column"]].astype(str).str.contains(drop["matching"], regex=True, na=False)]
    return frame


def _first_column(frame: pd.DataFrame, names: str | Iterable[str] | None) -> str | None:
    """The first of the candidate column names that the frame has."""
    candidates = [names] if isinstance(names, str) else list(names or [])
    return next((name for name in candidates if name in frame.columns), None)


def profile_file(path: Path, profile: dict[str, Any]) -> Coverage:
    """Rows, years and countries of one file, read as its profile describes."""
    frame = _table(path, profile)
    if frame is None:
        return Coverage(None, frozenset(), frozenset())
    years: set[int] = set()
    if pattern := profile.get("year_columns"):
        years |= {int(m.group(1)) for c in frame.columns if (m := re.search(pattern, c))}
    if column := _first_column(frame, profile.get("year")):
        years |= {y for y in map(year_of, frame[column]) if y is not None}
    countries = set(profile.get("countries", []))
    if column := _first_column(frame, profile.get("country")):
        countries |= {label for value in frame[column] for label in _labels(value)}
    return Coverage(len(frame), frozenset(years), frozenset(countries))


def _describe(coverage: Coverage | None) -> dict[str, Any]:
    """The coverage columns of one inventory row."""
    if coverage is None:
        return {
            "rows": None,
            "first_year": None,
            "last_year": None,
            "years_covered": 0,
            "countries": 0,
            "country_examples": "",
        }
    countries = sorted(coverage.countries)
    examples = ", ".join(countries[:6]) + (f" (+{len(countries) - 6} more)" if len(countries) > 6 else "")
    return {
        "rows": coverage.rows,
        "first_year": min(coverage.years) if coverage.years else None,
        "last_year": max(coverage.years) if coverage.years else None,
        "years_covered": len(coverage.years),
        "countries": len(countries),
        "country_examples": examples,
    }


def _origin_label(origin: dict[str, str]) -> str:
    """repo@commit:path for published files; the collection note (and page) for collected texts."""
    if "repository" in origin:
        return f"{origin['repository']}@{origin['commit'][:10]}:{origin['path']}"
    return "; ".join(part for part in (origin.get("collected"), origin.get("page")) if part)


def external_rows(manifest: Manifest) -> tuple[list[dict[str, Any]], dict[str, tuple[str, frozenset[int]]]]:
    """One inventory row per manifest entry (missing or mismatched files say so), and each file's series and
    years."""
    rows, years = [], {}
    for entry in manifest.entries:
        problem = check_file(manifest, entry)
        local = manifest.local_path(entry)
        status = "present" if problem is None else ("missing" if not local.exists() else "checksum mismatch")
        coverage = profile_file(local, entry.profile) if problem is None else None
        origin = _origin_label(entry.origin)
        rows.append(
            {
                "section": "external",
                "dataset": entry.dataset,
                "file": entry.path,
                "title": entry.title,
                "publisher": entry.publisher,
                "origin": origin,
                "licence": entry.licence,
                "size_bytes": entry.size_bytes,
                "sha256": entry.sha256,
                "status": status,
                **_describe(coverage),
            }
        )
        years[entry.path] = (
            entry.profile.get("series", entry.path),
            coverage.years if coverage else frozenset(),
        )
    return rows, years


def curated_rows(curated: Path) -> tuple[list[dict[str, Any]], dict[str, tuple[str, frozenset[int]]]]:
    """One inventory row per team-compiled table under data/raw/curated (committed, cited in sources.csv)."""
    rows, years = [], {}
    for path in sorted(p for p in curated.rglob("*.csv") if p.is_file()):
        coverage = profile_file(path, CURATED_PROFILE)
        name = path.relative_to(curated).as_posix()
        rows.append(
            {
                "section": "curated",
                "dataset": "curated",
                "file": name,
                "title": name,
                "publisher": "compiled by the project team",
                "origin": "this repository (data/raw/curated)",
                "licence": "see sources.csv for each row's source",
                "size_bytes": path.stat().st_size,
                "sha256": sha256_of(path),
                "status": "present",
                **_describe(coverage),
            }
        )
        years[name] = (f"curated/{name}", coverage.years)
    return rows, years


def inventory(manifests: list[Manifest], curated: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The inventory table and the long (file, series, year) coverage table behind its chart."""
    rows, years = curated_rows(curated)
    for manifest in manifests:
        more_rows, more_years = external_rows(manifest)
        rows += more_rows
        years |= more_years
    table = pd.DataFrame(rows, columns=COLUMNS).sort_values(["section", "file"], ignore_index=True)
    for column in ("rows", "first_year", "last_year"):
        table[column] = table[column].astype("Int64")
    coverage = pd.DataFrame(
        [{"file": f, "series": series, "year": y} for f, (series, ys) in years.items() for y in sorted(ys)],
        columns=["file", "series", "year"],
    )
    return table, coverage.sort_values(["series", "year", "file"], ignore_index=True)


def yearly_coverage(coverage: pd.DataFrame) -> pd.DataFrame:
    """Per series and year, how many files cover it: the frame the coverage chart draws."""
    grouped = coverage.groupby(["series", "year"], as_index=False).agg(files=("file", "nunique"))
    return grouped.assign(year_end=grouped["year"] + 1).sort_values(["series", "year"], ignore_index=True)


def load_inventory(raw: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The inventory of everything under a data/raw folder: every manifest's files and the curated tables."""
    from rare_earths.common.manifests import load_manifest

    manifests = [load_manifest(path, raw_root=raw) for path in sorted((raw / "manifests").glob("*.yml"))]
    return inventory(manifests, raw / "curated")


def by_dataset(table: pd.DataFrame) -> pd.DataFrame:
    """Files, bytes and rows per dataset, and how many of its files are missing or mismatched."""
    import polars as pl

    summary = (
        pl.from_pandas(table[["section", "dataset", "size_bytes", "rows", "status"]])
        .group_by("section", "dataset")
        .agg(
            pl.len().alias("files"),
            pl.col("size_bytes").sum().alias("size_bytes"),
            pl.col("rows").sum().alias("rows"),
            (pl.col("status") != "present").sum().alias("not_usable"),
        )
        .sort("section", "dataset")
    )
    return summary.to_pandas()
