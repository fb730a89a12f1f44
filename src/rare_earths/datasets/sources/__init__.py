"""One module per external source, each with `extract(path)` (the file as it is, snake_case columns)
and `clean(frame)` (units, codes and dates harmonised, value flags kept).

Each module also has `tables(external_dir)`, which reads its files and returns its rows in the
layouts of the processed tables below (`production`, `trade`, `prices`, `event_candidates`),
plus, under other names, check frames made while cleaning (e.g. the BGS row selection).
`rare_earths.processed` stacks the tables, validates them against their schemas and writes them,
and keeps the checks in `Built.checks` for notebook 02.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from rare_earths.common import registry
from rare_earths.common.errors import DatasetError


@dataclass(frozen=True)
class SourceInput:
    """What a source module may read: the external data folder and, for event trackers, the curated events."""

    external_dir: Path
    curated_events: pd.DataFrame | None = None

    def events(self) -> pd.DataFrame:
        """The curated events to link candidates to (loaded and validated when not given)."""
        if self.curated_events is not None:
            return self.curated_events
        from rare_earths.datasets import curated

        return curated.load()["events"]


@dataclass(frozen=True)
class SourceOutput:
    """A source's rows for the processed tables, and the check frames it made while cleaning (for notebook
    02)."""

    tables: dict[str, pd.DataFrame]
    checks: dict[str, pd.DataFrame] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """One external source: its name (= the module's and the manifest's dataset name), its files, its
    reader."""

    name: str
    files: tuple[str, ...]  # relative to data/raw/external; a folder stands for every listed file under it
    read: Callable[[SourceInput], SourceOutput]
    series: tuple[str, ...] = ()  # the `source` names its rows carry, when not just its own name


def read_json(path: Path, name: str | None = None) -> Any:
    """A JSON file's content; malformed JSON is a DatasetError naming the file, line and column."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DatasetError(
            f"{name or path.name}: malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}"
        ) from error


def conform(frame: pd.DataFrame, table: str, what: str) -> pd.DataFrame:
    """The frame with exactly the registered table's columns, in order (a missing one is refused by name)."""
    return registry.conform(frame, table, what)


# The codes USGS tables print instead of a number (the same in every USGS publication here).
USGS_CODES = {"--": "zero", "—": "zero", "XX": "not_applicable", "NA": "not_available", "W": "withheld"}


def usgs_code(text: str) -> tuple[float | None, str] | None:
    """(value, flag) for a USGS code, zero codes as 0.0; None when the text is not a code."""
    flag = USGS_CODES.get(str(text).strip())
    return None if flag is None else (0.0 if flag == "zero" else None, flag)
