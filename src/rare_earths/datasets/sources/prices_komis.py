"""KOMIS (Korea Mineral Resources Information Service) minor-metal prices, daily, 2024-01-02 to 2026-04-10.

The file is the JSON a dashboard repository's workflow scraped from KOMIS every day:
`{updated, source, source_url, metals: [{name, grade, today: {date, value, unit, change_val,
change_pct}, history: [{date, value}]}]}`, four metals: 네오디뮴 (Nd), 세륨 (Ce), 망간 (Mn),
창연 (Bi).

Quirks handled
- The unit is given once per metal, in `today` (USD/kg for Nd and Ce, USD/mt for Mn and Bi), and
  applies to the whole history. `prices` writes it as the layout spells it (USD/mt -> USD/t).
- Dates are written `2026.04.10`; any other form is a `DatasetError` naming the metal and entry.
- `today` repeats the last history entry. `clean` keeps one row per metal and date, recording
  where it came from (`origin`: history, today or history+today); a date given twice with two
  different values (in history, or history against today) is a `DatasetError`; the same date
  and value given twice is one observation.
- `grade` mixes purity and market ("99.5%min FOB China"): split at the delivery term (FOB, CIF,
  EXW, DDP, DAP) into `grade` "99.5%min" and `market` "FOB China".
- The form is not stated: KOMIS names the items by the element alone (네오디뮴 = neodymium,
  세륨 = cerium), with neither "oxide" nor "metal", so `form` is "not stated" and `price_basis`
  repeats KOMIS's label. (The 2024 mean of the Nd series, USD 55.75/kg, is close to the USGS MCS
  2026 Argus FOB average for Nd oxide in 2024, USD 56/kg, which suggests oxide; this is not
  written into the data.)
- `prices` keeps the rare-earth items only; other commodities (Mn, Bi) are left out by that rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from rare_earths.datasets.sources import DatasetError, Source, SourceInput, SourceOutput, conform, read_json

FILE = "prices/komis_minor_metals_prices_2024-2026.json"
SOURCE = "prices_komis"
RARE_EARTHS = (
    "Sc",
    "Y",
    "La",
    "Ce",
    "Pr",
    "Nd",
    "Pm",
    "Sm",
    "Eu",
    "Gd",
    "Tb",
    "Dy",
    "Ho",
    "Er",
    "Tm",
    "Yb",
    "Lu",
)
FORM = "not stated"
_NAME = re.compile(r"^(?P<label>.+?)\s*\((?P<symbol>[A-Z][a-z]?)\)$")
_GRADE = re.compile(r"^(?P<grade>.*?)\s*(?P<market>\b(?:FOB|CIF|EXW|DDP|DAP)\b.*)$")
_UNIT = re.compile(r"^(?P<currency>[A-Z]{3})/(?P<mass>kg|mt|t)$")
_DATE = "%Y.%m.%d"

__all__ = ["CONTRACT", "DatasetError", "clean", "extract", "prices", "read"]


def extract(path: Path) -> pd.DataFrame:
    """One row per metal and entry (`record` "today" or "history", `position` in the list), values as in the
    file.

    The file's `updated`, `source`, `source_url` and name go to `attrs`.
    """
    document = read_json(path)
    if not isinstance(document, dict) or not isinstance(document.get("metals"), list):
        raise DatasetError(f"{path.name}: the top level has no 'metals' list")
    rows = []
    for number, metal in enumerate(document["metals"]):
        where = f"{path.name}: metals[{number}]"
        for key in ("name", "grade", "today", "history"):
            if key not in metal:
                raise DatasetError(f"{where}: no {key!r}")
        today = metal["today"]
        base = {"metal": number, "name": metal["name"], "grade": metal["grade"], "unit": today.get("unit")}
        rows.append(
            {**base, "record": "today", "position": 0, "date": today.get("date"), "value": today.get("value")}
        )
        for position, entry in enumerate(metal["history"]):
            rows.append(
                {
                    **base,
                    "record": "history",
                    "position": position,
                    "date": entry.get("date"),
                    "value": entry.get("value"),
                }
            )
    frame = pd.DataFrame(
        rows, columns=["metal", "name", "grade", "unit", "record", "position", "date", "value"]
    )
    frame.attrs.update({key: document.get(key) for key in ("updated", "source", "source_url")})
    frame.attrs["file"] = path.name
    return frame


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    """One row per metal and date: element, label, grade, market, date, value, unit, currency, origin."""
    name = frame.attrs.get("file", FILE)
    out = frame.copy()
    out["where"] = [
        f"{name}: metals[{m}] ({n}), {r}" + (f"[{p}]" if r == "history" else "")
        for m, n, r, p in zip(out["metal"], out["name"], out["record"], out["position"], strict=True)
    ]
    names = out["name"].map(lambda text: _NAME.match(str(text)))
    grades = out["grade"].map(lambda text: _GRADE.match(str(text)))
    units = out["unit"].map(lambda text: _UNIT.match(str(text)))
    for parts, what in (
        (names, "name (expected 'label (Symbol)')"),
        (grades, "grade (expected a purity then FOB/CIF/... market)"),
        (units, "unit (expected e.g. 'USD/kg')"),
    ):
        if parts.isna().any():
            first = parts.isna().idxmax()
            column = what.split()[0]
            raise DatasetError(
                f"{out.at[first, 'where']}: {column} {out.at[first, column]!r} is not a {what}"
            )
    dates = pd.to_datetime(out["date"], format=_DATE, errors="coerce")
    if dates.isna().any():
        first = dates.isna().idxmax()
        raise DatasetError(
            f"{out.at[first, 'where']}: date {out.at[first, 'date']!r} is not written YYYY.MM.DD"
        )
    numeric = out["value"].map(
        lambda value: isinstance(value, int | float) and not isinstance(value, bool) and value == value
    )
    if not numeric.all():
        first = (~numeric).idxmax()
        raise DatasetError(f"{out.at[first, 'where']}: value {out.at[first, 'value']!r} is not a number")
    out = out.assign(
        element=[match.group("symbol") for match in names],
        label=[match.group("label") for match in names],
        grade=[match.group("grade") for match in grades],
        market=[match.group("market") for match in grades],
        date=dates,
        value=out["value"].astype("float64"),
        unit=out["unit"],
        currency=[match.group("currency") for match in units],
    )
    _check_repeats(out)
    origin = out.groupby(["metal", "date"])["record"].transform(
        lambda records: "+".join(sorted(set(records)))
    )
    out["origin"] = origin
    # The same date and value given twice (history and today) is one observation: keep the first.
    out = out.sort_values(["metal", "date", "record"], kind="stable").drop_duplicates(["metal", "date"])
    columns = ["element", "label", "name", "grade", "market", "date", "value", "unit", "currency", "origin"]
    return out[columns].reset_index(drop=True)


def _check_repeats(out: pd.DataFrame) -> None:
    """A metal and date given twice must carry one value; otherwise name both entries."""
    repeated = out[out.duplicated(["metal", "date"], keep=False)]
    for _, group in repeated.groupby(["metal", "date"]):
        if group["value"].nunique() > 1:
            entries = "; ".join(
                f"{where} = {value}" for where, value in zip(group["where"], group["value"], strict=True)
            )
            raise DatasetError(
                f"date {group['date'].iloc[0].date()} is given with different values: {entries}"
            )


def prices(clean_frame: pd.DataFrame) -> pd.DataFrame:
    """The rare-earth items (Nd, Ce) in the prices table's layout, one row per element and date."""
    rows = clean_frame[clean_frame["element"].isin(RARE_EARTHS)]
    unit = rows["unit"].str.replace("/mt", "/t", regex=False)
    frame = pd.DataFrame(
        {
            "element": rows["element"],
            "form": FORM,
            "grade": rows["grade"],
            "market": rows["market"],
            "date": rows["date"],
            "value": rows["value"],
            "unit": unit,
            "currency": rows["currency"],
            "price_basis": "daily price as published by KOMIS (item '" + rows["name"] + "', form not stated)",
            "source": SOURCE,
        }
    )
    return conform(frame, "prices", SOURCE)


def read(inputs: SourceInput) -> SourceOutput:
    """This source's rows in the processed layouts."""
    return SourceOutput(tables={"prices": prices(clean(extract(inputs.external_dir / FILE)))})


CONTRACT = Source(name=SOURCE, files=(FILE,), read=read)
