"""British Geological Survey, World Mineral Statistics: the rare-earth production download (CSV).

The file is the BGS download layout (28 columns, one row per country, year, yearbook table and
sub-commodity), stacking two yearbook tables that are **not additive**:

* table 119 "Production of rare earth minerals" (1975-2012): gross tonnage of mineral concentrates
  by mineral type (Monazite, Xenotime, Bastnaesite, Loparite; a blank sub-commodity is the
  country's minerals total), except rows noted "REO content. Assumed to be 60% of concentrates
  produced." (China, USA, the Soviet Union), which are oxide content;
* table 736 "Production of rare earth oxides" (1992-2023): one REO (or REO-equivalent) figure per
  country and year.

So one country-year can have a concentrate row per mineral *and* an REO row (Malaysia 2010:
Monazite, Xenotime and REO), or two REO series (China 2005-2011: table 119 "REO content, assumed
60% of concentrates" and table 736 "includes production from iron ore extraction, bastnasite
concentrates and ion absorption clays", e.g. 2010 = 120,000 and 118,900). `clean` keeps every row;
`production` picks one row per country-year by the rule in `selection`; `non_additive_groups` lists
the country-years with several rows so a reader can see what was not summed.

Other quirks handled here:

* `year` is an ISO timestamp ("2010-01-01 00:00:00"): it becomes the integer year.
* Nil is printed as "-----" beside quantity 0 (flag "zero"); "Figures not available" has an empty
  quantity printed "..." (flag "not_available"); "Estimates." becomes the flag "estimated".
* Australia (from 2009, in table 736) is reported for years ending 30 June of the year shown, India
  for years ending 31 March after the year shown: both get the flag "fiscal_year" and the basis
  says which year; the year is kept as BGS labels it.
* ISO alpha-2 codes come from the ISO3 column and are checked against the file's own ISO2 column;
  in `clean` the dissolved Soviet Union (SUN) and Zaire (ZAR) get their former ISO 3166 alpha-2
  codes SU and ZR (ISO 3166-3), as the file also prints them, with `dissolved` True. They are not
  current ISO 3166-1 codes, so `production` leaves `country_iso` empty for them (Soviet Union
  1987-1992; the label says which state it is).
* The file carries no download date; its vintage is identified by its last data year
  (`EDITION` = "BGS WMS download (data to 2023)").
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pycountry

from rare_earths.common.geography import country_code
from rare_earths.common.naming import snake_case
from rare_earths.datasets.sources import DatasetError, Source, SourceInput, SourceOutput, conform

FILE = "bgs_wms/BGS_REs_production.csv"
SOURCE = "bgs_wms"
EDITION = "BGS WMS download (data to 2023)"  # what `clean` derives from the fetched file (see `edition_of`)
UNITS = "tonnes (metric)"

# The two yearbook tables of the download, by id, with what their figures measure.
REO_TABLE = "736"  # "Production of rare earth oxides"
MINERALS_TABLE = "119"  # "Production of rare earth minerals"
TABLES = {REO_TABLE: "Production of rare earth oxides", MINERALS_TABLE: "Production of rare earth minerals"}

REO_CONTENT_NOTE = "REO content. Assumed to be 60% of concentrates produced."
# Every figure note the download uses, and the value flag it sets (None: kept in `figure_notes` only).
FIGURE_NOTES: dict[str, str | None] = {
    "Estimates.": "estimated",
    "Years ending 30 June of that stated.": "fiscal_year",
    "Years ended 31 March following that stated.": "fiscal_year",
    "Years ending 31 March following that stated.": "fiscal_year",
    REO_CONTENT_NOTE: None,  # sets `measure`, not a flag
    "Includes production from iron ore extraction, bastnasite concentrates and ion absorption clays.": None,
    "May include small quantities of other rare earth compounds.": None,
    "Exports.": None,
    "Break in series.": None,
    "Nominal capacity.": None,
    (
        "Dissolved in December 1991. No information is available on which to estimate "
        "for individual countries."
    ): None,
}
_FISCAL = {
    "Years ending 30 June of that stated.": "year ending 30 June of the year shown",
    "Years ended 31 March following that stated.": "year ending 31 March after the year shown",
    "Years ending 31 March following that stated.": "year ending 31 March after the year shown",
}
NIL = "Nil (nothing produced)"
NOT_AVAILABLE = "Figures not available"

# What a clean row measures.
REO = "REO"  # table 736
REO_CONTENT = "REO content of concentrates"  # table 119 row with the REO-content note
CONCENTRATE = "gross concentrate"  # other table 119 rows

BASIS = {
    REO: "rare-earth oxide production (REO or REO equivalent), BGS table 'Production of rare earth oxides'",
    REO_CONTENT: (
        "REO content of mineral concentrates (BGS: assumed 60% of concentrates), BGS table 'Production of "
        "rare earth minerals'"
    ),
}

CLEAN_COLUMNS = (
    "line",
    "country_iso3",
    "country_iso",
    "dissolved",
    "country_label",
    "year",
    "yearbook_table_id",
    "table",
    "commodity",
    "sub_commodity",
    "measure",
    "units",
    "quantity_as_printed",
    "quantity",
    "value_flag",
    "figure_notes",
    "figure_note_codes",
    "data_precision",
    "table_note_codes",
    "edition",
)

__all__ = [
    "CONTRACT",
    "EDITION",
    "FILE",
    "SOURCE",
    "DatasetError",
    "clean",
    "edition_of",
    "extract",
    "non_additive_groups",
    "production",
    "read",
    "selection",
]


def extract(path: Path) -> pd.DataFrame:
    """The CSV as it is (every cell text, blanks as ''), with snake_case column names and the CSV line of each
    row."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame.columns = [snake_case(column) for column in frame.columns]
    frame.insert(0, "line", frame.index + 2)  # the header is line 1
    frame.attrs["file"] = Path(path).name
    return frame


def clean(frame: pd.DataFrame) -> pd.DataFrame:
    """Every row, typed: integer year, ISO2 code, quantity (t) with its value flag, the table and what it
    measures."""
    name = frame.attrs.get("file", FILE)
    rows = []
    for record in frame.to_dict("records"):
        where = f"{name} line {record['line']}"
        table = record["yearbook_table_id"]
        if TABLES.get(table) != record["yearbook_table_trans"]:
            raise DatasetError(
                f"{where}: unknown yearbook table {table!r} ({record['yearbook_table_trans']!r})"
            )
        if record["units"] != UNITS:
            raise DatasetError(f"{where}: units {record['units']!r}, expected {UNITS!r}")
        notes = [note for note in record["concat_figure_notes_text"].split("|") if note]
        unknown = [note for note in notes if note not in FIGURE_NOTES]
        if unknown:
            raise DatasetError(f"{where}: figure note {unknown[0]!r} has no rule (add it to FIGURE_NOTES)")
        quantity, flags = _quantity(record, where)
        flags |= {FIGURE_NOTES[note] for note in notes if FIGURE_NOTES[note]}
        measure = REO if table == REO_TABLE else REO_CONTENT if REO_CONTENT_NOTE in notes else CONCENTRATE
        rows.append(
            {
                "line": record["line"],
                "country_iso3": record["country_iso3_code"],
                "country_iso": _iso2(record, where),
                "dissolved": pycountry.countries.get(alpha_3=record["country_iso3_code"]) is None,
                "country_label": record["country_trans"],
                "year": _year(record["year"], where),
                "yearbook_table_id": table,
                "table": record["yearbook_table_trans"],
                "commodity": record["bgs_commodity_trans"],
                "sub_commodity": record["bgs_sub_commodity_trans"] or None,
                "measure": measure,
                "units": record["units"],
                "quantity_as_printed": record["quantity_in_book_style"],
                "quantity": quantity,
                "value_flag": ";".join(sorted(flags)) or None,
                "figure_notes": "|".join(notes) or None,
                "figure_note_codes": record["concat_figure_notes_code"] or None,
                "data_precision": record["data_precision_description"] or None,
                "table_note_codes": record["concat_table_notes_code"] or None,
            }
        )
    cleaned = pd.DataFrame(rows, columns=[column for column in CLEAN_COLUMNS if column != "edition"])
    cleaned["year"] = cleaned["year"].astype(int)
    cleaned["quantity"] = cleaned["quantity"].astype(float)
    cleaned["edition"] = edition_of(cleaned)
    return cleaned.loc[:, list(CLEAN_COLUMNS)]


def edition_of(cleaned: pd.DataFrame) -> str:
    """The vintage of a download: the file has no date, so its last data year identifies it."""
    return f"BGS WMS download (data to {int(cleaned['year'].max())})"


def _year(text: str, where: str) -> int:
    """'2010-01-01 00:00:00' -> 2010; anything but 1 January of a year is refused."""
    stamp = pd.to_datetime(text, format="%Y-%m-%d %H:%M:%S", errors="coerce")
    if pd.isna(stamp) or (stamp.month, stamp.day, stamp.hour, stamp.minute) != (1, 1, 0, 0):
        raise DatasetError(f"{where}: year {text!r} is not a timestamp of 1 January")
    return int(stamp.year)


def _quantity(record: dict, where: str) -> tuple[float | None, set[str]]:
    """The tonnage and its flags: Nil ('-----', 0) is zero, 'Figures not available' ('...', blank) is
    missing."""
    text, precision = record["quantity"], record["data_precision_description"]
    if precision == NOT_AVAILABLE:
        if text:
            raise DatasetError(f"{where}: quantity {text!r} beside {NOT_AVAILABLE!r}")
        return None, {"not_available"}
    try:
        number = float(text)
    except ValueError:
        raise DatasetError(f"{where}: quantity {text!r} is not a number") from None
    if precision == NIL:
        if number != 0:
            raise DatasetError(f"{where}: quantity {text!r} beside {NIL!r}")
        return 0.0, {"zero"}
    if precision:
        raise DatasetError(f"{where}: data precision {precision!r} has no rule")
    if number < 0:
        raise DatasetError(f"{where}: negative quantity {text!r}")
    return number, set()


def _iso2(record: dict, where: str) -> str:
    """ISO alpha-2 from the ISO3 code (former codes for dissolved states), checked against the file's ISO2
    column."""
    iso3 = record["country_iso3_code"]
    try:
        code = country_code(iso3)
    except KeyError:
        former = pycountry.historic_countries.get(alpha_3=iso3)
        if former is None:
            raise DatasetError(
                f"{where}: ISO3 code {iso3!r} ({record['country_trans']!r}) is not an ISO 3166 code"
            ) from None
        code = former.alpha_2
    if code != record["country_iso2_code"]:
        raise DatasetError(
            f"{where}: ISO3 {iso3!r} is {code} but the file's ISO2 column says "
            f"{record['country_iso2_code']!r}"
        )
    return code


def selection(clean_frame: pd.DataFrame) -> pd.DataFrame:
    """Every clean row with `chosen` (the row `production` uses) and `reason`, by this rule per country-year:

    1. The table 736 ("Production of rare earth oxides") row wins: it is REO by the table's own
       note and is one continuous series 1992-2023. This is also how the two China series of
       2005-2011 are settled: the table 736 series ("includes production from iron ore extraction,
       bastnasite concentrates and ion absorption clays") is kept and the table 119 series ("REO
       content. Assumed to be 60% of concentrates produced.") is not, because the latter is a
       derived assumption on concentrate tonnage that stops in 2011, while the former continues
       to 2023 and covers ion-adsorption clays.
    2. Without a table 736 row, a single table 119 row noted "REO content" is kept (China 1982-1991,
       the Soviet Union 1987-1992).
    3. Everything else is left out, with its reason: gross concentrate tonnage is not REO and
       concentrate types are never summed with each other or with REO; nor are several REO-content
       rows by mineral (USA 1975-1991: Bastnaesite and Monazite).
    """
    frame = clean_frame.copy()
    keys = ["country_label", "year"]
    is_reo, is_content = frame["measure"].eq(REO), frame["measure"].eq(REO_CONTENT)
    groups = frame.assign(_reo=is_reo, _content=is_content).groupby(keys, sort=False)
    n_reo, n_content = groups["_reo"].transform("sum"), groups["_content"].transform("sum")
    doubled = frame[is_reo & n_reo.gt(1)]
    if not doubled.empty:
        first = doubled.iloc[0]
        same = doubled[
            doubled["country_label"].eq(first["country_label"]) & doubled["year"].eq(first["year"])
        ]
        lines = ", ".join(str(line) for line in same["line"])
        raise DatasetError(f"{SOURCE}: lines {lines} are two REO-table rows for one country-year")
    minerals = (
        frame[is_content]
        .groupby(keys, sort=False)["sub_commodity"]
        .agg(lambda sub: ", ".join(sorted(sub.fillna("total"))))
    )
    grouped = n_reo.notna()  # a row without a country or year is in no group: not chosen, no reason
    one_reo, one_content = grouped & n_reo.eq(1), grouped & n_reo.eq(0) & n_content.eq(1)
    several = grouped & n_reo.eq(0) & n_content.gt(1)
    frame["chosen"] = (one_reo & is_reo) | (one_content & is_content)
    frame["reason"] = ""
    frame.loc[one_reo & is_reo, "reason"] = "REO table row (preferred over the minerals table)"
    frame.loc[one_reo & ~is_reo, "reason"] = "not chosen: the REO table has this country-year"
    frame.loc[one_content & is_content, "reason"] = "REO-content row of the minerals table (no REO-table row)"
    frame.loc[one_content & ~is_content, "reason"] = "not chosen: gross concentrate beside an REO-content row"
    frame.loc[several, "reason"] = [
        f"left out: {int(n)} REO-content rows by mineral ({minerals[(country, year)]}), not summed"
        for n, country, year in zip(
            n_content[several], frame.loc[several, "country_label"], frame.loc[several, "year"], strict=True
        )
    ]
    frame.loc[grouped & n_reo.eq(0) & n_content.eq(0), "reason"] = (
        "left out: gross concentrate tonnage only, not REO"
    )
    return frame


def production(clean_frame: pd.DataFrame) -> pd.DataFrame:
    """One REO figure per country and year (the rows `selection` chooses) in the production table's layout."""
    rows = selection(clean_frame)
    rows = rows[rows["chosen"]]
    basis = [
        BASIS[measure] + (f"; {_FISCAL[note]}" if (note := _fiscal_note(notes)) else "")
        for measure, notes in zip(rows["measure"], rows["figure_notes"], strict=True)
    ]
    frame = pd.DataFrame(
        {
            "country_iso": rows["country_iso"].where(~rows["dissolved"], None),
            "country_label": rows["country_label"],
            "year": rows["year"],
            "production_t_reo": rows["quantity"],
            "value_flag": rows["value_flag"],
            "source": SOURCE,
            "edition": rows["edition"],
            "basis": basis,
        }
    )
    return conform(frame.sort_values(["country_label", "year"]), "production", SOURCE)


def _fiscal_note(notes: object) -> str | None:
    """The fiscal-year note among a row's '|'-joined figure notes (missing notes are NaN in a str column)."""
    text = notes if isinstance(notes, str) else ""
    return next((note for note in text.split("|") if note in _FISCAL), None)


def non_additive_groups(clean_frame: pd.DataFrame) -> pd.DataFrame:
    """The country-years with more than one row, one line each: what the rows are and which one `production`
    uses."""
    frame = selection(clean_frame)
    frame = frame.sort_values(
        ["yearbook_table_id", "sub_commodity"], ascending=[False, True], na_position="first"
    )
    frame["series"] = [
        f"table {table} {measure}{f' ({sub})' if isinstance(sub, str) else ''}: {printed}"
        for table, measure, sub, printed in zip(
            frame["yearbook_table_id"],
            frame["measure"],
            frame["sub_commodity"],
            frame["quantity_as_printed"],
            strict=True,
        )
    ]
    frame["chosen_series"] = frame["series"].where(frame["chosen"])
    grouped = frame.groupby(["country_label", "year"], sort=True)
    summary = grouped.agg(
        country_iso=("country_iso", "first"),
        rows=("line", "size"),
        series=("series", " | ".join),
        chosen=("chosen_series", lambda chosen: next(iter(chosen.dropna()), None)),
        reasons=("reason", lambda reasons: " | ".join(dict.fromkeys(reasons))),
    ).reset_index()
    return summary[summary["rows"] > 1].reset_index(drop=True)


def read(inputs: SourceInput) -> SourceOutput:
    """This source's rows in the processed layouts, and the row selection and non-additive groups behind them
    (checks)."""
    cleaned = clean(extract(inputs.external_dir / FILE))
    checks = {"selection": selection(cleaned), "non_additive_groups": non_additive_groups(cleaned)}
    return SourceOutput(tables={"production": production(cleaned)}, checks=checks)


CONTRACT = Source(name=SOURCE, files=(FILE,), read=read)
