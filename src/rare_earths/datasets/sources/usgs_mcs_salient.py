"""USGS Mineral Commodity Summaries 2022, 2023 and 2024: rare earths, US salient statistics (prices).

Each edition's `mcs20YY-raree_salient.csv` (PROVENANCE.md section 11) has one row per year (2017-2021,
2018-2022, 2019-2023) with US production, trade, consumption, employment, net import reliance and
prices in US dollars per kilogram (`Price_<compound>_dkg`). Only the prices are read; every edition
is kept as its own series (`source` `usgs_mcs2022_salient`, ...), because each revises the years before
it (MCS 2022 prints neodymium oxide at 49 USD/kg for 2021, MCS 2024 at 98).

Price columns: CeO2, Dy2O3, Eu2O3, La2O3, Nd2O3 and TbO2 (terbium oxide) become the element's oxide
price; `Price_Mischmetal_dkg` is a mixture, not an element, and is not read (listed in the module's
`unused` check with every other column). The file does not state the market or the averaging: the
rows say "as printed in the salient statistics" rather than guess. A value that is neither a number
nor a USGS code, or a year column that is not a year, is a `DatasetError` naming file and line.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from rare_earths.datasets.sources import (
    DatasetError,
    Source,
    SourceInput,
    SourceOutput,
    conform,
    usgs_mcs2024,
)

EDITIONS = {
    2022: "usgs_mcs/mcs2022-raree_salient.csv",
    2023: "usgs_mcs/mcs2023-raree_salient.csv",
    2024: "usgs_mcs/mcs2024-raree_salient.csv",
}
_PRICE = re.compile(r"^Price_(?P<compound>[A-Za-z0-9]+)_dkg$")
ELEMENTS = {"CeO2": "Ce", "Dy2O3": "Dy", "Eu2O3": "Eu", "La2O3": "La", "Nd2O3": "Nd", "TbO2": "Tb"}
PRICE_DATE = "{year}-07-01"  # an annual figure is dated mid-year, as the MCS 2026 prices are


def prices(path: Path, edition: int, file: str) -> tuple[pd.DataFrame, list[str]]:
    """The edition's oxide prices in the prices table's layout, and the columns not read."""
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    if "Year" not in frame.columns:
        raise DatasetError(f"{file}: no Year column")
    read_columns = {
        c: ELEMENTS[m.group("compound")]
        for c in frame.columns
        if (m := _PRICE.match(c)) and m.group("compound") in ELEMENTS
    }
    rows = []
    for index, record in frame.iterrows():
        line = index + 2
        if not re.fullmatch(r"\d{4}", record["Year"].strip()):
            raise DatasetError(f"{file}: line {line}: Year {record['Year']!r} is not a year")
        for column, element in read_columns.items():
            value, flag = usgs_mcs2024.parse_value(record[column], f"line {line}, column {column}", file)
            if value is None:
                continue  # a code without a number (NA, W): nothing to plot; the flag is the file's
            rows.append(
                {
                    "element": element,
                    "form": "oxide",
                    "grade": None,
                    "market": f"as printed in the MCS {edition} salient statistics (market not stated)",
                    "date": PRICE_DATE.format(year=record["Year"].strip()),
                    "value": value,
                    "unit": "USD/kg",
                    "currency": "USD",
                    "price_basis": "annual" + (f", {flag}" if flag else ""),
                    "source": f"usgs_mcs{edition}_salient",
                }
            )
    result = pd.DataFrame(rows)
    result["date"] = pd.to_datetime(result["date"])
    unused = [c for c in frame.columns if c not in read_columns]
    return conform(result, "prices", file), unused


def _contract(edition: int, file: str) -> Source:
    def read(inputs: SourceInput) -> SourceOutput:
        frame, unused = prices(inputs.external_dir / file, edition, file)
        return SourceOutput(
            tables={"prices": frame},
            checks={"unused": pd.DataFrame({"columns_not_read": [", ".join(unused)]})},
        )

    return Source(name=f"usgs_mcs{edition}_salient", files=(file,), read=read)


CONTRACTS = tuple(_contract(edition, file) for edition, file in EDITIONS.items())
