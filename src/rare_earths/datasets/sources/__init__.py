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
    """A source's rows for the processed tables, and the check frames it made while cleaning (for notebook 02)."""

    tables: dict[str, pd.DataFrame]
    checks: dict[str, pd.DataFrame] = field(default_factory=dict)


@dataclass(frozen=True)
class Source:
    """One external source: its name (= the module's and the manifest's dataset name), its files, its reader."""

    name: str
    files: tuple[str, ...]  # relative to data/raw/external; a folder stands for every listed file under it
    read: Callable[[SourceInput], SourceOutput]

# The columns of each processed table, in order (the schemas in rare_earths/schemas/ declare their types).
PRODUCTION_COLUMNS = ("country_iso", "country_label", "year", "production_t_reo", "value_flag", "source", "edition", "basis")
TRADE_COLUMNS = (
    "reporter", "partner", "partner_label", "flow", "product_code", "classification", "period", "year", "month",
    "value_usd", "quantity_kg", "quantity_flag", "source",
)  # fmt: skip
PRICE_COLUMNS = ("element", "form", "grade", "market", "date", "value", "unit", "currency", "price_basis", "source")
CANDIDATE_COLUMNS = (
    "candidate_id", "source", "date", "date_precision", "jurisdiction", "title", "kind", "minerals", "url",
    "rare_earths", "curated_event_id", "match_rule",
)  # fmt: skip



def read_json(path: Path, name: str | None = None) -> Any:
    """A JSON file's content; malformed JSON is a DatasetError naming the file, line and column."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DatasetError(f"{name or path.name}: malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}") from error


def conform(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    """The frame with exactly `columns`, in order; a missing column is a programming error named here."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise DatasetError(f"{what}: the layout lacks column(s) {', '.join(missing)}")
    return frame.loc[:, list(columns)].reset_index(drop=True)
