"""Dependence on China and concentration of supply, from the processed tables.

- `import_shares`: China's share of each jurisdiction's rare-earth imports on the one basis declared
  for it (`data/raw/curated/default_bases.csv`), one figure per year; figures on other bases stay in
  `import_figures` with their basis in words and are never joined to the series; `series_gaps`
  lists the years the default basis has no figure.
- `production_shares`: each producer's share of world mine production within one publication
  per year (numerator and denominator from the same table, never mixed across sources), the
  publication chosen by the edition policy; `china_share_of_production` and `concentration`
  (Herfindahl-Hirschman index) are computed from it.
- `achievements`: a jurisdiction's China share before its shock, at its lowest since, and now,
  all three from its default-basis series (never across bases).
"""

from __future__ import annotations

import itertools
import re

import pandas as pd

from rare_earths.common import labels
from rare_earths.common.elements import RARE_EARTH_ELEMENTS
from rare_earths.common.errors import RareEarthsError
from rare_earths.datasets.reconcile import USGS_ORDER
from rare_earths.datasets.sources import usitc_dataweb

# The notebook's parameters and their defaults (its parameters cell holds the same literals; a test checks).
DEFAULTS: dict = {
    "processed_dir": "../data/processed",
    "episodes": {"S1": "2010-07-08", "S2": "2025-04-04"},
    "jurisdictions": ["JP", "US", "EU"],
    "windows": [12, 36, 60],
    "dependence_years": [2008, 2025],
    "money_window": 12,
    "edition_policy": "latest",
    "production_first_year": 2000,
    "top_producers": 6,
    "price_elements": ["Nd", "Ce", "Dy"],
    "price_first_year": 2008,
    "control_events": ["M-CN-2025-01", "M-CN-2025-02"],
}


RESIDUAL = "other countries"  # the label of the rows that lump small producers together
MIN_COVERAGE_PCT = 90.0
SHARE_COLUMNS = (
    "year",
    "producer",
    "country_iso",
    "country_label",
    "production_t_reo",
    "value_flag",
    "share_pct",
    "world_t_reo",
    "world_basis",
    "source",
    "edition",
)
FIGURE_COLUMNS = ("jurisdiction", "year", "share_pct", "source_id", "locator", "edition")
BASIS_COLUMNS = ("period", "measure", "scope", "denominator", "source_type", "figure_year_basis")
# Best first: where a figure comes from (indicators.csv `source_type`; "computed" is this project's own
# series from official trade statistics).
SOURCE_ORDER = (
    "official_statistics",
    "official_via_secondary",
    "computed",
    "government_assessment",
    "industry_or_analyst_estimate",
    "unattributed",
    "unknown",
)
IMPORT_SHARE_INDICATOR = "china_share_of_imports"
# US imports for consumption: HTS 2846 (compounds of rare-earth metals, yttrium and scandium) is the
# narrowest heading of the USITC file that holds rare earths only; 2805 also holds alkali and
# alkaline-earth metals, 8505 ferrite magnets and electromagnets.
US_PROXY_HEADINGS = ("2846",)
COMPUTED_US_SOURCE = labels.COMPUTED_US_SOURCE
_INEXACT = re.compile(
    r"lower bound|upper end|approximate|more than|nearly|some \d|about|not stated|statement by", re.I
)
_WORDS = {
    "all_rare_earths": "rare-earth compounds and metals",
    "compounds_only": "rare-earth compounds (HS 2846)",
    "raw_materials_only": "raw materials only",
    "element_subset": "some elements only",
    "including_magnets": "including magnets",
    "magnets_only": "magnets only",
    "supply_chain_stage": "a supply-chain stage",
    "all_partners": "all partners",
    "selected_partners": "selected partners",
    "official_statistics": "official statistics",
    "official_via_secondary": "official statistics quoted by a secondary source",
    "computed": "computed from official trade statistics",
    "government_assessment": "government assessment",
    "industry_or_analyst_estimate": "industry or analyst estimate",
    "unattributed": "news, origin not given",
}


def basis_label(row) -> str:
    """A figure's basis in words: measure, scope, denominator, period, source type, and a publication year
    standing in for the data year."""
    get = row.get if isinstance(row, dict) else row.__getitem__
    parts = [
        "by " + get("measure") if get("measure") in ("weight", "value") else "weight or value not stated",
        _WORDS.get(get("scope"), "scope not stated"),
        _WORDS.get(get("denominator"), "denominator not stated"),
    ]
    if get("period"):
        parts.append(f"period {get('period')}")
    parts.append(_WORDS.get(get("source_type"), "source type not stated"))
    if get("figure_year_basis") != "data_year":
        parts.append("year of publication, not of the data")
    return "; ".join(parts)


def us_import_share(trade: pd.DataFrame, headings: tuple[str, ...] = US_PROXY_HEADINGS) -> pd.DataFrame:
    """China's share (%) of US imports for consumption, by value, under the headings, per full calendar year.

    One definition with the third-party cross-check (`usitc_dataweb.china_share`): the denominator is
    the sum over the partners USITC DataWeb was queried for (18), not all countries.
    """
    rows = trade[(trade["source"] == COMPUTED_US_SOURCE) & trade["product_code"].isin(headings)]
    shares = usitc_dataweb.china_share(rows)
    annual = shares[~shares["ytd"] & (shares["partners_value_usd"] > 0)]
    frame = pd.DataFrame(
        {
            "year": annual["year"].astype("int64"),
            "value_usd_total": annual["partners_value_usd"],
            "partners": annual["partners"],
            "value_usd_china": annual["china_value_usd"],
        }
    )
    return frame.assign(share_pct=(annual["china_share"] * 100).round(2)).reset_index(drop=True)


def import_figures(indicators: pd.DataFrame, trade: pd.DataFrame, bases: pd.DataFrame) -> pd.DataFrame:
    """Every figure for China's share of JP, US and EU imports (the curated indicators plus the computed US
    series), each with its basis in words and whether it is on its jurisdiction's default basis."""
    curated = indicators[
        (indicators["indicator"] == IMPORT_SHARE_INDICATOR) & indicators["geography"].isin(["JP", "US", "EU"])
    ]
    curated = curated.rename(columns={"geography": "jurisdiction", "value": "share_pct"})[
        [*FIGURE_COLUMNS, *BASIS_COLUMNS]
    ]
    us = us_import_share(trade)
    computed = pd.DataFrame(
        {
            "jurisdiction": "US",
            "year": us["year"],
            "share_pct": us["share_pct"],
            "source_id": COMPUTED_US_SOURCE,
            "locator": "computed: China / 18 queried partners, US imports for consumption by value, HTS "
            + "+".join(US_PROXY_HEADINGS),
            "edition": "USITC DataWeb",
            "period": "",
            "measure": "value",
            "scope": "compounds_only",
            "denominator": "selected_partners",
            "source_type": "computed",
            "figure_year_basis": "data_year",
        }
    )
    figures = pd.concat([curated, computed], ignore_index=True).astype({"year": int})
    figures["basis"] = [basis_label(row) for row in figures.to_dict("records")]
    figures["on_default_basis"] = on_default_basis(figures, bases)
    return figures


def on_default_basis(figures: pd.DataFrame, bases: pd.DataFrame) -> pd.Series:
    """Whether each figure is on its jurisdiction's declared default basis (default_bases.csv): the same
    measure, scope and denominator, one of the allowed source types, a full calendar year, and its data
    year (not a publication year standing in for it)."""
    declared = bases[bases["indicator"] == IMPORT_SHARE_INDICATOR].set_index("jurisdiction")
    duplicated = declared.index[declared.index.duplicated()].unique().tolist()
    if duplicated:
        raise RareEarthsError(f"default_bases: more than one default basis for {duplicated}")

    def fits(row) -> bool:
        if row["jurisdiction"] not in declared.index:
            return False
        basis = declared.loc[row["jurisdiction"]]
        return (
            row["measure"] == basis["measure"]
            and row["scope"] == basis["scope"]
            and row["denominator"] == basis["denominator"]
            and row["source_type"] in basis["source_types"].split(";")
            and not row["period"]
            and row["figure_year_basis"] == "data_year"
        )

    return pd.Series([fits(row) for row in figures.to_dict("records")], index=figures.index, dtype=bool)


def rank_import_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """Order figures best first within each jurisdiction-year: default basis first, then by source type
    (official statistics read directly, quoted by a secondary source, this project's computation, ...),
    exact before approximate, then source_id, so ties break the same way every time."""
    ranked = figures.assign(
        source_rank=figures["source_type"]
        .map({name: i for i, name in enumerate(SOURCE_ORDER)})
        .fillna(len(SOURCE_ORDER)),
        exact=~figures["locator"].fillna("").str.contains(_INEXACT),
    )
    return ranked.sort_values(
        ["jurisdiction", "year", "on_default_basis", "source_rank", "exact", "source_id"],
        ascending=[True, True, False, True, False, True],
    ).reset_index(drop=True)


def import_shares(figures: pd.DataFrame, bases: pd.DataFrame) -> pd.DataFrame:
    """Each jurisdiction's series on its default basis: one figure per year (the best source on that basis),
    with the basis in words, how many figures of any basis there are for the year and their range.
    Figures on other bases never enter the series; they stay in `import_figures` as labelled points."""
    ranked = rank_import_figures(figures)
    best = ranked[ranked["on_default_basis"]].groupby(["jurisdiction", "year"]).head(1)
    labels = bases[bases["indicator"] == IMPORT_SHARE_INDICATOR].set_index("jurisdiction")["label"]
    best = best.assign(basis=best["jurisdiction"].map(labels)).set_index(["jurisdiction", "year"])
    spread = ranked.groupby(["jurisdiction", "year"])["share_pct"].agg(
        figures="size", lowest="min", highest="max"
    )
    columns = ["share_pct", "source_id", "locator", "edition", "source_type", "basis"]
    return best[columns].join(spread, how="left").reset_index()


def series_gaps(
    best: pd.DataFrame, figures: pd.DataFrame, jurisdictions: list[str], years: tuple[int, int]
) -> pd.DataFrame:
    """Every year of the span with no figure on the jurisdiction's default basis, with how many figures on
    other bases there are for it (shown as points, never joined to the series)."""
    first, last = years
    have = set(zip(best["jurisdiction"], best["year"], strict=True))
    counts = figures.groupby(["jurisdiction", "year"]).size()
    rows = [
        {"jurisdiction": j, "year": y, "figures_on_other_bases": int(counts.get((j, y), 0))}
        for j in jurisdictions
        for y in range(first, last + 1)
        if (j, y) not in have
    ]
    return pd.DataFrame(rows, columns=["jurisdiction", "year", "figures_on_other_bases"])


def production_shares(production: pd.DataFrame, policy: str = "latest") -> pd.DataFrame:
    """Each producer's share (%) of world mine production, one publication per year.

    A publication counts for a year when it gives China and either a world total or (BGS, MCS 2026)
    every producer: the denominator is its printed world total, else the sum of its rows. USGS
    publications are preferred in the edition policy's order (`latest` or `first`); BGS fills the rest.
    """
    if policy not in ("latest", "first"):
        raise RareEarthsError(f"edition policy {policy!r}: expected 'latest' or 'first'")
    usable = _publications(production)
    order = {
        edition: rank
        for rank, (_, edition) in enumerate(USGS_ORDER if policy == "first" else USGS_ORDER[::-1])
    }
    usable = usable.assign(preference=usable["edition"].map(order).fillna(len(order))).sort_values(
        ["year", "preference", "edition"]
    )
    chosen = usable.groupby("year").head(1)
    return _shares(production, chosen)


def publication_shares(production: pd.DataFrame) -> pd.DataFrame:
    """Each producer's share (%) of world mine production within every publication that covers the year
    (China and a world total or every producer), so each publication is its own series and no series
    joins two publications."""
    return _shares(production, _publications(production))


def _shares(production: pd.DataFrame, chosen: pd.DataFrame) -> pd.DataFrame:
    """The producers' rows of the chosen (source, edition, year) publications with their shares."""
    chosen = chosen[["year", "source", "edition", "world_t_reo", "world_basis"]]
    rows = production.merge(chosen, on=["year", "source", "edition"])
    rows = rows[rows["country_iso"].ne("WLD") & rows["production_t_reo"].notna()]
    rows = rows.assign(
        producer=rows["country_iso"].fillna(rows["country_label"]),
        share_pct=rows["production_t_reo"] / rows["world_t_reo"] * 100,
    )
    return (
        rows[list(SHARE_COLUMNS)]
        .sort_values(["year", "source", "edition", "producer"])
        .reset_index(drop=True)
    )


def _publications(production: pd.DataFrame, min_coverage_pct: float = MIN_COVERAGE_PCT) -> pd.DataFrame:
    """Per source, edition and year that names China: the world total and how it was obtained.

    A summed total below `min_coverage_pct` of a world total USGS printed for that year is not a
    world total (BGS lists only China and the Soviet Union for 1990-1991), so that year is left out.
    """
    printed_totals = production[production["country_iso"] == "WLD"].groupby("year")["production_t_reo"].max()
    groups = []
    for (source, edition, year), rows in production[production["production_t_reo"].notna()].groupby(
        ["source", "edition", "year"]
    ):
        if "CN" not in set(rows["country_iso"]):
            continue
        printed = rows.loc[rows["country_iso"] == "WLD", "production_t_reo"]
        if not printed.empty:
            groups.append((source, edition, year, float(printed.iloc[0]), "printed world total"))
        elif source == "bgs_wms" or rows["country_label"].str.contains(RESIDUAL, case=False).any():
            total = float(rows["production_t_reo"].sum())
            if total >= printed_totals.get(year, 0.0) * min_coverage_pct / 100:
                groups.append((source, edition, year, total, "sum of every producer listed"))
    return pd.DataFrame(groups, columns=["source", "edition", "year", "world_t_reo", "world_basis"])


def china_share_of_production(shares: pd.DataFrame) -> pd.DataFrame:
    """China's share (%) of world mine production per year, with the publication it comes from."""
    china = shares[shares["country_iso"] == "CN"]
    return china[
        ["year", "share_pct", "production_t_reo", "world_t_reo", "world_basis", "source", "edition"]
    ].reset_index(drop=True)


def herfindahl_hirschman(shares_pct: pd.Series) -> float:
    """Σ share² with shares in percent: 10,000 for a single producer, near 0 for many small ones."""
    return float((shares_pct.astype(float) ** 2).sum())


def concentration(shares: pd.DataFrame) -> pd.DataFrame:
    """HHI of world mine production per year and publication; residual rows ("other countries") are left
    out of the sum and their share is reported as `unattributed_pct`, so the index is a lower bound where
    it is not 0."""
    rows = []
    for (year, _, _), group in shares.groupby(["year", "source", "edition"]):
        residual = group["country_label"].str.contains(RESIDUAL, case=False)
        named = group[~residual]
        rows.append(
            {
                "year": year,
                "hhi": round(herfindahl_hirschman(named["share_pct"]), 0),
                "producers": int((named["production_t_reo"] > 0).sum()),
                "unattributed_pct": round(float(group.loc[residual, "share_pct"].sum()), 2),
                "source": group["source"].iloc[0],
                "edition": group["edition"].iloc[0],
            }
        )
    return pd.DataFrame(rows)


def achievements(best: pd.DataFrame, episodes: dict[str, str], jurisdictions: list[str]) -> pd.DataFrame:
    """Per episode and jurisdiction: the China share in the last year before the episode, the lowest since and
    the latest, with the years each step took (counted from the episode's year)."""
    rows = []
    for (episode, start), jurisdiction in itertools.product(episodes.items(), jurisdictions):
        series = best[best["jurisdiction"] == jurisdiction].sort_values("year")
        shock_year = pd.Timestamp(start).year
        before, after = series[series["year"] < shock_year], series[series["year"] >= shock_year]
        row = {
            "episode": episode,
            "jurisdiction": jurisdiction,
            "shock_date": pd.Timestamp(start),
            "years_with_data": len(series),
            "basis": series["basis"].iloc[0] if len(series) and "basis" in series else None,
        }
        row.update(_point("before", before.iloc[-1] if len(before) else None))
        row.update(_point("lowest", after.loc[after["share_pct"].idxmin()] if len(after) else None))
        row.update(_point("latest", series.iloc[-1] if len(series) else None))
        for step in ("lowest", "latest"):
            row[f"years_to_{step}"] = (
                None
                if row[f"{step}_year"] is None or not len(after)
                else int(row[f"{step}_year"] - shock_year)
            )
        if (
            row["before_pct"] is not None
            and row["latest_pct"] is not None
            and row["latest_year"] > row["before_year"]
        ):
            row["change_pp"] = round(row["latest_pct"] - row["before_pct"], 2)
            row["change_relative_pct"] = round(
                (row["latest_pct"] - row["before_pct"]) / row["before_pct"] * 100, 1
            )
        rows.append(row)
    return pd.DataFrame(rows)


def _point(name: str, row) -> dict:
    """The value, year and source of one point of a series (all None when there is no point)."""
    if row is None:
        return {f"{name}_pct": None, f"{name}_year": None, f"{name}_source": None}
    return {
        f"{name}_pct": float(row["share_pct"]),
        f"{name}_year": int(row["year"]),
        f"{name}_source": row["source_id"],
    }


# Price series shown side by side: China's domestic market (CNY) and international quotes (USD).
PRICE_SERIES = {
    "prices_yiyawu": "China domestic, daily (Yiyawu)",
    "prices_komis": "international, daily (KOMIS)",
    "usgs_mcs2026": "international, annual average (USGS MCS 2026)",
    "usgs_mcs2024_salient": "annual (USGS MCS 2024 salient statistics)",
    "usgs_mcs2023_salient": "annual (USGS MCS 2023 salient statistics)",
    "usgs_mcs2022_salient": "annual (USGS MCS 2022 salient statistics)",
}
CURATED_PRICES = "reported points (curated record)"
PRICE_COLUMNS = (
    "date",
    "element",
    "series",
    "currency",
    "value_per_kg",
    "source_id",
    "market",
    "form",
    "timing",
)
_PER_KG = {
    "CNY/t": 1 / 1000,
    "USD/kg": 1.0,
    "CNY/kg": 1.0,
    "USD_per_kg": 1.0,
    "CNY_per_kg": 1.0,
    "CNY_per_t": 1 / 1000,
}
_CURRENCY = {"USD_per_kg": "USD", "CNY_per_kg": "CNY", "CNY_per_t": "CNY"}
# When in its year a curated price was quoted, from the indicator's name (a period column wins).
_TIMING = {
    "start": ("01-15", "start of year"),
    "q2": ("05-15", "second quarter"),
    "autumn": ("10-15", "autumn"),
    "yearend": ("12-15", "year end"),
    "peak": ("07-01", "peak, date not given"),
}
_PRICE_NAME = re.compile(
    r"^price_(?:(?:\d{4})(?P<timing>q2|_start|_autumn)?_|(?P<when>peak|yearend)_\d{4}_|china_domestic_)?"
    r"(?P<element>[a-z]+)(?:_(?P<form>oxide|metal))?(?:_europe)?$"
)


def curated_prices(indicators: pd.DataFrame) -> pd.DataFrame:
    """The curated record's single price quotes (2008-2013 and 2025) per kilogram in their own currency,
    dated by their period or by the timing their name states, with that timing in words. Figures that are
    not prices per kilogram (percentage increases, ratios) are not prices and are left to the tables."""
    names = {name: symbol for symbol, name in RARE_EARTH_ELEMENTS.items()}
    rows = []
    for row in indicators[indicators["indicator"].str.startswith("price_")].itertuples():
        match = _PRICE_NAME.match(row.indicator)
        if row.unit not in _CURRENCY or match is None or match.group("element") not in names:
            continue
        month = row.period or ""
        if month and not re.fullmatch(r"\d{4}-\d{2}", month):
            raise RareEarthsError(
                f"indicators: {row.indicator} ({row.source_id}) has period {month!r}; a price quote is dated "
                "by a month or by the timing its name states"
            )
        timing = (match.group("timing") or match.group("when") or "").strip("_")
        day, words = _TIMING.get(timing, ("07-01", "year, date not given"))
        rows.append(
            {
                "date": pd.Timestamp(f"{month}-15" if month else f"{row.year}-{day}"),
                "element": names[match.group("element")],
                "series": CURATED_PRICES,
                "currency": _CURRENCY[row.unit],
                "value_per_kg": float(row.value) * _PER_KG[row.unit],
                "source_id": row.source_id,
                "market": {"CN": "China", "EU": "Europe"}.get(row.geography, "international, as reported"),
                "form": match.group("form") or "form not stated",
                "timing": f"month {month}" if month else words,
            }
        )
    return pd.DataFrame(rows, columns=list(PRICE_COLUMNS))


def price_series(prices: pd.DataFrame, indicators: pd.DataFrame, elements: tuple[str, ...]) -> pd.DataFrame:
    """Prices of the elements per kilogram in their own currency, one series per source and edition, plus
    the curated record's single quotes as points (`curated_prices`)."""
    unknown = sorted(set(prices["unit"]) - set(_PER_KG))
    if unknown:
        raise RareEarthsError(f"prices: no per-kilogram factor for unit(s) {unknown}")
    chosen = prices[prices["element"].isin(elements) & prices["source"].isin(list(PRICE_SERIES))]
    frame = chosen.assign(
        value_per_kg=chosen["value"] * chosen["unit"].map(_PER_KG),
        series=chosen["source"].map(PRICE_SERIES),
        source_id=chosen["source"],
        market=chosen["market"],
        form=chosen["form"],
        timing=chosen["price_basis"],
    )[list(PRICE_COLUMNS)]
    points = curated_prices(indicators)
    points = points[points["element"].isin(elements)]
    return (
        pd.concat([frame, points], ignore_index=True)
        .sort_values(["currency", "series", "element", "date"])
        .reset_index(drop=True)
    )


def price_premium(prices: pd.DataFrame, indicators: pd.DataFrame, elements=("Dy", "Tb")) -> pd.DataFrame:
    """Dysprosium and terbium oxide in Europe in 2025 (the record's quotes, low and high of each month)
    against the 2025 FOB China annual average in USGS MCS 2026, as a ratio. The bases differ (a month's
    quote range against a year's estimated average), and the table says so."""
    points = curated_prices(indicators)
    europe = points[
        points["market"].eq("Europe") & points["element"].isin(elements) & points["form"].eq("oxide")
    ]
    fob = prices[
        (prices["source"] == "usgs_mcs2026") & prices["element"].isin(elements) & prices["form"].eq("oxide")
    ]
    fob = fob[pd.to_datetime(fob["date"]).dt.year == 2025].set_index("element")["value"]
    grouped = europe.assign(month=europe["date"].dt.strftime("%Y-%m")).groupby(["element", "month"])
    table = grouped.agg(
        europe_low=("value_per_kg", "min"),
        europe_high=("value_per_kg", "max"),
        sources=("source_id", lambda s: "; ".join(sorted(set(s)))),
    ).reset_index()
    table["china_fob_2025_avg"] = table["element"].map(fob)
    table["ratio_low"] = (table["europe_low"] / table["china_fob_2025_avg"]).round(1)
    table["ratio_high"] = (table["europe_high"] / table["china_fob_2025_avg"]).round(1)
    table["basis"] = (
        "Europe: quotes in the month (USD/kg); China: FOB annual average 2025, estimated (MCS 2026)"
    )
    return table


STAGE_SHARES = {
    "china_share_of_refining": "Refining",
    "china_share_of_refining_hree": "Refining, heavy rare earths",
    "china_share_of_magnet_production": "Magnet making",
}


def refining_shares(indicators: pd.DataFrame) -> pd.DataFrame:
    """The curated figures for China's share of world refining and magnet making, with the stage in words;
    `figure_year_basis` says whether the year is the data's or only the publication's."""
    rows = indicators[indicators["indicator"].isin(list(STAGE_SHARES))]
    return rows.assign(stage=rows["indicator"].map(STAGE_SHARES)).reset_index(drop=True)


def control_events(events: pd.DataFrame, event_ids: list[str]) -> pd.DataFrame:
    """The curated measures that mark China's export controls on the price chart; an id the record does not
    hold is an error naming it (the record's ids are measure_ids such as M-CN-2025-01)."""
    unknown = sorted(set(event_ids) - set(events["event_id"]))
    if unknown:
        raise RareEarthsError(
            f"control_events: {unknown} are not measure_ids of the record (data/raw/curated/measures.csv)",
            rule="unknown-measure",
        )
    return events[events["event_id"].isin(event_ids)]
