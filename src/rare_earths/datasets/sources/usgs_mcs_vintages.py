"""USGS Mineral Commodity Summaries 2022 and 2023 data releases: rare earths, world mine production.

Two earlier vintages of the MCS world table (PROVENANCE.md section 11), read like the MCS 2024 file
(`usgs_mcs2024`, whose value parser and country lookup they share) so that each edition is its own
publication in the production table:

- MCS 2022 (`mcs2022-raree_world.csv`): `Source`, `Country`, `Type`, `Prod_t_2020`, `Prod_t_Est_2021`;
  no notes and no reserves columns. The `Type` text ends with a space in every row (stripped).
- MCS 2023 (`mcs2023-raree_world.csv`): production 2021 and 2022 (estimate), `Prod_notes`, reserves.

Both start with a UTF-8 byte-order mark. A header with `est` (either case) flags the year's values
`estimated`; "Other countries" keeps its label and no ISO code; "World total (rounded)" is the printed
world total (WLD). Only mine production is taken (reserves are not used by the study). A row whose
`Type` is not the edition's, a value that is neither a number nor a USGS code, or a country without a
code is a `DatasetError` naming the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from rare_earths.common.geography import country_code
from rare_earths.common.naming import snake_case
from rare_earths.datasets.sources import (
    DatasetError,
    Source,
    SourceInput,
    SourceOutput,
    conform,
    usgs_mcs2024,
)

_PRODUCTION = re.compile(r"^prod_t_(?P<est>est_)?(?P<year>\d{4})$")


@dataclass(frozen=True)
class Vintage:
    """One MCS edition's world-production file."""

    source: str
    edition: str
    file: str
    type: str


VINTAGES = (
    Vintage(
        "usgs_mcs2022",
        "MCS 2022",
        "usgs_mcs/mcs2022-raree_world.csv",
        "Mine production, metric tons of rare-earth-oxide (REO) equivalent",
    ),
    Vintage(
        "usgs_mcs2023",
        "MCS 2023",
        "usgs_mcs/mcs2023-raree_world.csv",
        "Rare earths, mine production, rare-earth-oxide equivalent, metric tons",
    ),
)


def production(path: Path, vintage: Vintage) -> pd.DataFrame:
    """Mine production by country and year (t REO) in the production table's layout."""
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    frame.columns = [snake_case(column) for column in frame.columns]
    missing = [c for c in ("country", "type") if c not in frame.columns]
    years = [c for c in frame.columns if _PRODUCTION.match(c)]
    if missing or not years:
        raise DatasetError(f"{vintage.file}: missing column(s) {missing or ['Prod_t_<year>']}")
    rows = []
    for index, record in frame.iterrows():
        line = index + 2
        if record["type"].strip() != vintage.type:
            raise DatasetError(
                f"{vintage.file}: line {line}: Type {record['type']!r} is not {vintage.type!r}"
            )
        label = record["country"].strip()
        iso = "WLD" if label.lower().startswith("world total") else _country(label, line, vintage)
        notes = record.get("prod_notes", "").strip()
        for column in years:
            match = _PRODUCTION.match(column)
            where = f"line {line}, column {column}"
            value, flag = usgs_mcs2024.parse_value(record[column], where, vintage.file)
            flags = sorted({f for f in (flag, "estimated" if match.group("est") else None) if f})
            basis = usgs_mcs2024.BASIS + (f"; {notes}" if notes else "")
            rows.append((iso, label, int(match.group("year")), value, ";".join(flags) or None, basis))
    result = pd.DataFrame(
        rows, columns=["country_iso", "country_label", "year", "production_t_reo", "value_flag", "basis"]
    )
    return conform(
        result.assign(source=vintage.source, edition=vintage.edition), "production", vintage.source
    )


def _country(label: str, line: int, vintage: Vintage) -> str | None:
    if label.lower().startswith("other countries"):
        return None
    try:
        return country_code(label)
    except KeyError:
        raise DatasetError(f"{vintage.file}: line {line}: country {label!r} has no ISO code") from None


def _contract(vintage: Vintage) -> Source:
    def read(inputs: SourceInput) -> SourceOutput:
        return SourceOutput(tables={"production": production(inputs.external_dir / vintage.file, vintage)})

    return Source(name=vintage.source, files=(vintage.file,), read=read)


CONTRACTS = tuple(_contract(vintage) for vintage in VINTAGES)
