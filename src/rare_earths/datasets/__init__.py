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
import re
from pathlib import Path
from typing import Any

import pandas as pd
import pycountry

from rare_earths.texts.gazetteer import country_names

# The 27 member states since 2020: trackers list them one by one for an EU measure; the timeline counts their own measures in the EU lane.
EU_MEMBERS = frozenset(
    ("AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK",
     "SI", "ES", "SE")
)  # fmt: skip
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

# Labels the statistics use that are not country names: aggregates map to WLD, residuals to None.
AGGREGATES: dict[str, str | None] = {
    "World": "WLD",
    "World total": "WLD",
    "World total (rounded)": "WLD",
    "Total": "WLD",
    "Other countries": None,
    "Other": None,
    "Korea, Republic of": "KR",
    "Korea, South": "KR",
    "DR Congo": "CD",
    "Congo (Kinshasa)": "CD",
    "Turkey": "TR",
    "Turkiye": "TR",
    "Democratic Republic of the Congo": "CD",
    "Myanmar (Burma)": "MM",
    "European Union": "EU",
}


class DatasetError(ValueError):
    """A value the cleaning rules do not know, with the file and the line or cell it is in."""


def snake_case(name: str) -> str:
    """'Prod_t_est_2022 ' -> 'prod_t_est_2022'; 'Statistics detail' -> 'statistics_detail'."""
    return re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")


def country_code(label: str) -> str | None:
    """ISO 3166 alpha-2 for a country name, alpha-2 or alpha-3 code; WLD for world totals; None for residuals.

    Raises KeyError for a label nothing knows, so the caller can name the row it came from.
    """
    text = str(label).strip()
    if text in AGGREGATES:
        return AGGREGATES[text]
    names = country_names()
    if text in names:
        return names[text]
    if text.isupper() and len(text) in (2, 3):
        found = pycountry.countries.get(alpha_2=text) if len(text) == 2 else pycountry.countries.get(alpha_3=text)
        if found is not None:
            return found.alpha_2
    raise KeyError(text)


def read_json(path: Path, name: str | None = None) -> Any:
    """A JSON file's content; malformed JSON is a DatasetError naming the file, line and column."""
    path = Path(path)
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise DatasetError(f"{name or path.name}: malformed JSON at line {error.lineno}, column {error.colno}: {error.msg}") from error


def country_codes(labels: list[str], where: str, what: str) -> list[str | None]:
    """country_code for each label; an unknown label is a DatasetError naming `where` and `what`."""
    codes = []
    for label in labels:
        try:
            codes.append(country_code(label))
        except KeyError:
            raise DatasetError(f"{where}: {what} {label!r} has no ISO code") from None
    return codes


def conform(frame: pd.DataFrame, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    """The frame with exactly `columns`, in order; a missing column is a programming error named here."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise DatasetError(f"{what}: the layout lacks column(s) {', '.join(missing)}")
    return frame.loc[:, list(columns)].reset_index(drop=True)
