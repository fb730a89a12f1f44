"""Dependence on China and concentration of supply, from the processed tables.

- `import_shares`: China's share of each jurisdiction's rare-earth imports, one best figure per
  year by a stated ranking (`rank_import_figures`), with the other figures kept for comparison.
- `production_shares`: each producer's share of world mine production within one publication
  per year (numerator and denominator from the same table, never mixed across sources), the
  publication chosen by the edition policy; `china_share_of_production` and `concentration`
  (Herfindahl-Hirschman index) are computed from it.
- `achievements`: a jurisdiction's China share before its shock, at its lowest since, and now.
"""

from __future__ import annotations

import itertools
import re

import pandas as pd

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
    "money_window": 12,
    "edition_policy": "latest",
    "production_first_year": 2000,
    "top_producers": 6,
    "price_elements": ["Nd", "Ce", "Dy"],
    "price_first_year": 2010,
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
BASIS_COLUMNS = ("period", "measure", "scope", "source_type", "figure_year_basis")
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
# Scopes a series of "China's share of rare-earth imports" may take: all rare earths, or (the US computed
# series) the HS headings that stand in for them.
SERIES_SCOPES = ("all_rare_earths", "hs_proxy")
# Curated indicators that measure China's share of a jurisdiction's rare-earth imports.
IMPORT_SHARE_INDICATORS = {"china_share_of_imports": ("JP", "US"), "eu_dependence_on_china": ("EU",)}
# US import headings used as the proxy for "rare-earth compounds and metals" (USGS's import-source basis).
US_PROXY_HEADINGS = ("2805", "2846")
COMPUTED_US_SOURCE = "usitc_dataweb"
# Scope notes the team wrote into `locator` (see data/raw/curated/README.md), as ranking penalties.
_OTHER_SCOPE = re.compile(r"different scope|incl(?:\.|udes|uding)? (?:permanent )?magnets|rare metals", re.I)
_PART_YEAR = re.compile(r"monthly|half-year|month only|window|jan-jun", re.I)
_INEXACT = re.compile(
    r"lower bound|upper end|approximate|more than|nearly|some \d|about|not stated|statement by", re.I
)
_OFFICIAL = re.compile(
    r"ministry|mof|customs|jogmec|meti|usgs|mcs|commission|court of auditors|statistics", re.I
)


def with_basis(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures with their basis columns; a figure without a coded basis (a hand-built frame) gets one
    from its locator's scope notes, as before the basis was curated."""
    frame = figures.copy()
    locator = frame["locator"].fillna("")
    notes = locator + " " + frame["edition"].fillna("")
    guessed = {
        "period": pd.Series("", index=frame.index),
        "measure": pd.Series("unknown", index=frame.index),
        "scope": locator.str.contains(_OTHER_SCOPE).map(
            {True: "raw_materials_only", False: "all_rare_earths"}
        ),
        "source_type": notes.str.contains(_OFFICIAL).map(
            {True: "official_via_secondary", False: "unattributed"}
        ),
        "figure_year_basis": pd.Series("data_year", index=frame.index),
    }
    for column, guess in guessed.items():
        given = frame[column].fillna("") if column in frame else pd.Series("", index=frame.index)
        frame[column] = given.where(given != "", guess) if column != "period" else given
    return frame


def rank_import_figures(figures: pd.DataFrame) -> pd.DataFrame:
    """Order candidate figures best first within each jurisdiction-year, with the reason in `rank_note`.

    The stated rule, on the figures' coded basis (indicators.csv): a figure for its data year (not a
    publication year standing in for it); of the series' scope (all rare earths; for the US computed series,
    the HS proxy), all rare earths first; a full calendar year (not a month, half-year or multi-year
    window); then by source: an official statistic read directly, one quoted by a secondary source, this
    project's computation from trade statistics, a government assessment, an industry or analyst estimate,
    an unattributed figure; exact before approximate; then source_id, so ties break the same way every time.
    Only figures for their data year, of the series' scope and for a full year can be a series' figure.
    """
    ranked = with_basis(figures)
    locator = ranked["locator"].fillna("")
    ranked = ranked.assign(
        data_year=ranked["figure_year_basis"].eq("data_year"),
        same_scope=ranked["scope"].isin(SERIES_SCOPES),
        all_rare_earths=ranked["scope"].eq("all_rare_earths"),
        full_year=~locator.str.contains(_PART_YEAR)
        & ranked.get("period", pd.Series("", index=ranked.index)).fillna("").eq(""),
        source_rank=ranked["source_type"]
        .map({name: i for i, name in enumerate(SOURCE_ORDER)})
        .fillna(len(SOURCE_ORDER)),
        exact=~locator.str.contains(_INEXACT),
    )
    keys = ["data_year", "same_scope", "all_rare_earths", "full_year"]
    ranked["rank_note"] = [
        ", ".join(
            [
                *(k.replace("_", " ") if getattr(r, k) else f"not {k.replace('_', ' ')}" for k in keys),
                r.source_type,
            ]
            + ([] if r.exact else ["approximate"])
        )
        for r in ranked.itertuples()
    ]
    return ranked.sort_values(
        ["jurisdiction", "year", *keys, "source_rank", "exact", "source_id"],
        ascending=[True, True, False, False, False, False, True, False, True],
    ).reset_index(drop=True)


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


def import_figures(indicators: pd.DataFrame, trade: pd.DataFrame) -> pd.DataFrame:
    """Every figure for China's share of JP, US and EU imports: curated indicators plus the computed US
    series."""
    curated = pd.concat(
        [
            indicators[(indicators["indicator"] == name) & indicators["geography"].isin(geos)]
            for name, geos in IMPORT_SHARE_INDICATORS.items()
        ]
    )
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
            "scope": "hs_proxy",
            "source_type": "computed",
            "figure_year_basis": "data_year",
        }
    )
    return pd.concat([curated, computed], ignore_index=True).astype({"year": int})


def import_shares(figures: pd.DataFrame) -> pd.DataFrame:
    """The best figure per jurisdiction-year, with how many figures there are and their range.

    A year whose figures all have another scope or cover part of the year has no best figure
    (its figures stay in `import_figures` and in the charts as other reports).
    """
    ranked = rank_import_figures(figures)
    eligible = ranked[ranked["data_year"] & ranked["same_scope"] & ranked["full_year"]]
    best = eligible.groupby(["jurisdiction", "year"]).head(1).set_index(["jurisdiction", "year"])
    spread = ranked.groupby(["jurisdiction", "year"])["share_pct"].agg(
        figures="size", lowest="min", highest="max"
    )
    return best.join(spread, how="left").reset_index()[
        [
            "jurisdiction",
            "year",
            "share_pct",
            "source_id",
            "locator",
            "edition",
            "rank_note",
            "figures",
            "lowest",
            "highest",
        ]
    ]


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
    chosen = usable.groupby("year").head(1)[["year", "source", "edition", "world_t_reo", "world_basis"]]
    rows = production.merge(chosen, on=["year", "source", "edition"])
    rows = rows[rows["country_iso"].ne("WLD") & rows["production_t_reo"].notna()]
    rows = rows.assign(
        producer=rows["country_iso"].fillna(rows["country_label"]),
        share_pct=rows["production_t_reo"] / rows["world_t_reo"] * 100,
    )
    return rows[list(SHARE_COLUMNS)].sort_values(["year", "producer"]).reset_index(drop=True)


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
    """HHI of world mine production per year; residual rows ("other countries") are left out of the sum
    and their share is reported as `unattributed_pct`, so the index is a lower bound where it is not 0."""
    rows = []
    for year, group in shares.groupby("year"):
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
}
_PER_KG = {"CNY/t": 1 / 1000, "USD/kg": 1.0, "CNY/kg": 1.0}


def price_series(prices: pd.DataFrame, indicators: pd.DataFrame, elements: tuple[str, ...]) -> pd.DataFrame:
    """Prices of the elements per kilogram in their own currency, one series per source, plus the
    2011 peaks of the curated record (indicators named price_peak_2011_<element>_oxide) as points."""
    unknown = sorted(set(prices["unit"]) - set(_PER_KG))
    if unknown:
        raise RareEarthsError(f"prices: no per-kilogram factor for unit(s) {unknown}")
    chosen = prices[prices["element"].isin(elements) & prices["source"].isin(list(PRICE_SERIES))]
    frame = chosen.assign(
        value_per_kg=chosen["value"] * chosen["unit"].map(_PER_KG),
        series=chosen["source"].map(PRICE_SERIES),
        source_id=chosen["source"],
    )[["date", "element", "series", "currency", "value_per_kg", "source_id"]]
    peaks = indicators[
        indicators["indicator"].str.fullmatch(r"price_peak_2011_[a-z]+_oxide")
        & indicators["unit"].eq("USD_per_kg")
    ]
    names = {name: symbol for symbol, name in RARE_EARTH_ELEMENTS.items()}
    peaks = peaks.assign(
        element=peaks["indicator"].str.extract(r"price_peak_2011_([a-z]+)_oxide", expand=False).map(names)
    ).dropna(subset=["element"])
    peaks = peaks[peaks["element"].isin(elements)]
    points = pd.DataFrame(
        {
            "date": pd.to_datetime(peaks["year"].astype(str) + "-07-01"),
            "element": peaks["element"],
            "series": "2011 peak (curated record; year only)",
            "currency": "USD",
            "value_per_kg": peaks["value"],
            "source_id": peaks["source_id"],
        }
    )
    return (
        pd.concat([frame, points], ignore_index=True)
        .sort_values(["currency", "series", "element", "date"])
        .reset_index(drop=True)
    )


def refining_shares(indicators: pd.DataFrame) -> pd.DataFrame:
    """The curated figures for China's share of world rare-earth refining."""
    return indicators[indicators["indicator"] == "china_share_of_refining"]


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
