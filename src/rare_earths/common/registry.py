"""The table registry: every table the project writes, its one schema and the stage that writes it.

Each table has one Frictionless Table Schema under `common/schemas/<name>.json` (columns, types,
descriptions, required cells, allowed values, keys). `write` is the only way a stage saves tables:
it checks each frame against its schema (a missing or extra column by name, a missing required
cell, a value outside the allowed list, a value of the wrong type, a repeated key), refuses with
file, row, column and rule, and only then writes Parquet (for the notebooks) and CSV (for
everyone else) atomically and refreshes `datapackage.json`, which describes every table present.
`read` loads a table by name.
"""

from __future__ import annotations

import fcntl
import functools
import json
import numbers
import os
import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from rare_earths.common import paths
from rare_earths.common.errors import Issue
from rare_earths.common.io import atomic_write_all, atomic_write_text
from rare_earths.common.tables import (  # noqa: F401 (SCHEMAS and tables_of are re-exported)
    PRODUCERS,
    SCHEMAS,
    TableError,
    field_names,
    schema,
    tables_of,
)

PACKAGE = "datapackage.json"
# Tables that may be empty (a corpus with no problems); every other write of an empty table is refused.
MAY_BE_EMPTY = frozenset(
    {"problems", "claims", "article_links", "claim_checks", "assertion_checks", "event_candidates"}
)


def conform(frame: pd.DataFrame, name: str, what: str) -> pd.DataFrame:
    """The frame with exactly the table's columns, in order; a missing column is refused by name."""
    missing = [column for column in field_names(name) if column not in frame.columns]
    if missing:
        raise TableError(
            [Issue(what, None, column, "missing-column", f"the {name} layout needs it") for column in missing]
        )
    return frame.loc[:, field_names(name)].reset_index(drop=True)


def check(name: str, frame: pd.DataFrame, file: str | None = None) -> list[Issue]:
    """Every way the frame breaks the table's schema; rows are numbered as CSV lines (header = 1)."""
    file = file or f"{name}.csv"
    declared = field_names(name)
    issues = [
        Issue(file, None, c, "missing-column", "declared in the schema, absent")
        for c in declared
        if c not in frame
    ]
    issues += [
        Issue(file, None, c, "extra-column", "not declared in the schema") for c in frame if c not in declared
    ]
    if issues:
        return issues
    if frame.empty and name not in MAY_BE_EMPTY:
        return [Issue(file, None, None, "no-rows", "the table has no rows")]
    for field in schema(name)["fields"]:
        issues += _field_issues(file, frame[field["name"]], field)
    return issues + _key_issues(file, frame, schema(name).get("primaryKey", []))


def _field_issues(file: str, column: pd.Series, field: dict) -> list[Issue]:
    """Required cells, allowed values and types of one column."""
    constraints = field.get("constraints", {})
    present = _present(column, field["type"])
    issues = []
    if constraints.get("required"):
        issues += [_cell(file, i, field, "required", "a value is required") for i in column.index[~present]]
    if allowed := constraints.get("enum"):
        bad = present & ~column.astype(str).isin([str(value) for value in allowed])
        issues += [
            _cell(file, i, field, "enum", f"{column[i]!r} is not one of {allowed}") for i in column.index[bad]
        ]
    if _dtype_fits(column, field["type"]):
        return issues
    wrong = present & ~column.map(_TYPE_TESTS.get(field["type"], lambda value: True)).astype(bool)
    issues += [
        _cell(file, i, field, "type", f"{column[i]!r} is not of type {field['type']}")
        for i in column.index[wrong]
    ]
    return issues


def _present(column: pd.Series, kind: str) -> pd.Series:
    """Cells that hold a value: not missing and not empty text. Only text can be empty: a cell of a number,
    date or boolean dtype, or a list, is present when it is not missing (its text was never looked at: turning
    500,000 numbers into text took a second)."""
    present = column.notna()
    if pd.api.types.is_object_dtype(column.dtype) and kind == "array":  # lists: only a stray "" is empty
        return present & column.map(lambda value: not isinstance(value, str) or value != "").astype(bool)
    dtype = column.dtype
    if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_datetime64_any_dtype(dtype):
        return present  # numbers, booleans and dates
    return present & column.astype(str).ne("")


def _dtype_fits(column: pd.Series, kind: str) -> bool:
    """Whether the column's dtype alone guarantees the declared type (no need to look at each cell)."""
    dtype = column.dtype
    checks = {
        "string": pd.api.types.is_string_dtype(dtype) and not pd.api.types.is_object_dtype(dtype),
        "integer": pd.api.types.is_integer_dtype(dtype),
        "number": pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype),
        "date": pd.api.types.is_datetime64_any_dtype(dtype),
        "boolean": pd.api.types.is_bool_dtype(dtype),
    }
    return checks.get(kind, False)


def _cell(file: str, index, field: dict, rule: str, message: str) -> Issue:
    """One cell's issue, at its CSV line."""
    return Issue(file, int(index) + 2, field["name"], rule, message)


def _is_integer(value) -> bool:
    """An integer (Python or NumPy), or a float with no fraction (pandas keeps gappy integers as floats)."""
    return isinstance(value, numbers.Integral) or (
        isinstance(value, numbers.Real) and float(value).is_integer()
    )


_TYPE_TESTS = {
    "integer": lambda value: not isinstance(value, bool) and _is_integer(value),
    "number": lambda value: not isinstance(value, bool | str),
    "string": lambda value: isinstance(value, str),
    "date": lambda value: (
        not isinstance(value, bool | int | float) and not pd.isna(pd.to_datetime(value, errors="coerce"))
    ),
    "boolean": lambda value: isinstance(value, bool) or (hasattr(value, "dtype") and value.dtype == bool),
}


def _key_issues(file: str, frame: pd.DataFrame, key: list[str]) -> list[Issue]:
    """Rows that repeat the primary key."""
    if not key:
        return []
    repeated = frame.duplicated(key, keep="first")
    return [
        Issue(file, int(i) + 2, ",".join(key), "primary-key", "repeats an earlier row's key")
        for i in frame.index[repeated]
    ]


def write(frames: Mapping[str, pd.DataFrame], out: Path = paths.PROCESSED) -> dict[str, Path]:
    """Check every frame, then write each as Parquet and CSV atomically; nothing is written if any fails."""
    out = Path(out)
    issues = [issue for name, frame in frames.items() for issue in check(name, frame.reset_index(drop=True))]
    if issues:
        raise TableError(issues)
    writers = {}
    for name, frame in frames.items():
        frame = frame.reset_index(drop=True)
        writers[out / f"{name}.parquet"] = lambda path, f=frame: f.to_parquet(path, index=False)
        writers[out / f"{name}.csv"] = lambda path, n=name, f=frame: _to_csv(n, f, path)
    atomic_write_all(writers)
    describe(out)
    return {name: out / f"{name}.parquet" for name in frames}


# A text cell a spreadsheet would run as a formula (OWASP CSV injection): =, +, @, tab, carriage return, or a
# minus sign that does not start a number.
FORMULA = re.compile(r"^(?:[=+@\t\r]|-(?![\d. ]))")
# The characters FORMULA can open with: only cells that start with one of them are matched against it.
_FORMULA_OPENERS = ("=", "+", "@", "\t", "\r", "-")


def neutralise(value):
    """A text cell that a spreadsheet would read as a formula, prefixed with an apostrophe (OWASP)."""
    return "'" + value if isinstance(value, str) and FORMULA.match(value) else value


def _neutralised(column: pd.Series) -> pd.Series:
    """A text column with `neutralise` applied to its cells; in a column of text type only the cells that open
    like a formula are looked at (a pass over every text cell took seconds for 500,000 claims)."""
    if not pd.api.types.is_string_dtype(column.dtype) or pd.api.types.is_object_dtype(column.dtype):
        return column.map(neutralise)
    openers = column.str.startswith(_FORMULA_OPENERS, na=False)
    if not openers.any():
        return column
    column = column.copy()
    column[openers] = column[openers].map(neutralise)
    return column


def _to_csv(name: str, frame: pd.DataFrame, path: Path) -> None:
    """The CSV copy: ISO dates, lists as JSON arrays, text that a spreadsheet would run as a formula
    neutralised (the Parquet copy keeps the text as it is)."""
    frame = frame.copy()
    for field in schema(name)["fields"]:
        if field["type"] == "string":
            frame[field["name"]] = _neutralised(frame[field["name"]])
        if field["type"] == "array":
            column = frame[field["name"]]
            frame[field["name"]] = column.map(
                lambda v: None if v is None else json.dumps(list(v), ensure_ascii=False)
            )
        elif field["type"] == "date":
            frame[field["name"]] = pd.to_datetime(frame[field["name"]]).dt.strftime("%Y-%m-%d")
    fast = _csv_frame(frame)
    if fast is None:
        frame.to_csv(path, index=False)
    else:  # the same bytes as pandas' to_csv (tests compare them), about ten times sooner
        fast.write_csv(path, line_terminator=os.linesep, quote_style="necessary", null_value="")


def _csv_frame(frame: pd.DataFrame):
    """The frame as polars text and integer columns that polars writes as pandas would (None where it could
    not: one column, a cell with a carriage return, which pandas leaves unquoted, or a column of another
    type). Floats become their shortest repr, as pandas writes them; empty text becomes null, which both
    write as nothing."""
    import polars as pl

    if len(frame.columns) < 2:
        return None
    columns = []
    for name in frame.columns:
        column = frame[name]
        numpy_kind = (
            getattr(column.dtype, "kind", "")
            if not isinstance(column.dtype, pd.api.extensions.ExtensionDtype)
            else ""
        )
        if numpy_kind in ("i", "u"):
            columns.append(pl.Series(str(name), column.to_numpy()))
            continue
        if numpy_kind == "f":  # pandas writes a float as numpy's str of it (its shortest repr)
            text = pd.Series(column.to_numpy().astype(str), dtype=object)
            column = text.where(column.notna().to_numpy(), None)
        elif not _is_text(column):
            return None
        text = (
            pl.Series(str(name), column.tolist(), dtype=pl.String)
            if pd.api.types.is_object_dtype(column.dtype)
            else pl.from_pandas(column.rename(str(name))).cast(pl.String)
        )
        if text.str.contains("\r", literal=True).any():
            return None
        empty = text == ""
        columns.append(text.set(empty, None) if empty.any() else text)  # copied only when it has empty text
    return pl.DataFrame(columns)


def _is_text(column: pd.Series) -> bool:
    """A column of text and missing cells only."""
    if pd.api.types.is_object_dtype(column.dtype):
        return pd.api.types.infer_dtype(column, skipna=True) in ("string", "empty")
    return pd.api.types.is_string_dtype(column.dtype)


def read(name: str, folder: Path = paths.PROCESSED) -> pd.DataFrame:
    """A table by name, as its stage wrote it."""
    schema(name)  # refuses an unregistered name
    path = Path(folder) / f"{name}.parquet"
    if not path.is_file():
        stage = PRODUCERS[name]
        raise TableError(
            [Issue(str(path), None, None, "missing-table", f"not written yet: run notebook {stage}")]
        )
    return pd.read_parquet(path)


def describe(folder: Path) -> dict:
    """Rewrite folder/datapackage.json so that it describes every registered table with a CSV there."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / ".datapackage.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        resources = [resource(name) for name in PRODUCERS if (folder / f"{name}.csv").is_file()]
        package = {
            "name": "rare-earths-processed",
            "title": "Rare-earth supply chains: processed tables",
            "description": (
                "Tidy tables written by the study's notebooks; each table's schema is declared once in the "
                "package."
            ),
            **_provenance(),
            "resources": resources,
        }
        atomic_write_text(folder / PACKAGE, json.dumps(package, indent=1, ensure_ascii=False) + "\n")
    return package


def resource(name: str) -> dict:
    """One table as a data-package resource."""
    declared = schema(name)
    table_schema = {key: value for key, value in declared.items() if key not in ("title", "description")}
    resource = {
        "name": name,
        "path": f"{name}.csv",
        "format": "csv",
        "encoding": "utf-8",
        "schema": table_schema,
    }
    return {**resource, "title": declared.get("title", name), "description": declared.get("description", "")}


@functools.cache
def _provenance() -> dict:
    """The package's sources and licences, from the external-data manifest."""
    from rare_earths.common.manifests import load_manifest

    entries = load_manifest(paths.EXTERNAL_MANIFEST, check_schema=False).entries
    sources = {(e.publisher, e.title): e.origin_url or "" for e in entries}
    licences = sorted({e.licence for e in entries})
    return {
        "sources": [
            {"title": f"{publisher}: {title}", **({"path": url} if url else {})}
            for (publisher, title), url in sources.items()
        ],
        "licenses": [{"name": _slug(licence), "title": licence} for licence in licences],
    }


def _slug(text: str) -> str:
    """A licence text as a data-package licence name (lower case, hyphens)."""
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())[:80]


def polars_schema(name: str) -> dict:
    """The table's columns as polars types, for stages that build their tables with polars."""
    import polars as pl

    types = {
        "string": pl.String,
        "integer": pl.Int64,
        "number": pl.Float64,
        "date": pl.Date,
        "boolean": pl.Boolean,
        "array": pl.List(pl.String),
    }
    return {field["name"]: types[field["type"]] for field in schema(name)["fields"]}
