"""Which production figure the analysis uses for each country and year, and how far the others differ.

The folder holds four USGS vintages and the BGS series. Their publication order (PROVENANCE.md of
the shared data: DS140 workbook last modified 27 Sep 2023; MCS 2024 data release ver. 2.0, March
2024; MYB 2022 tables with data through 1 April 2024; MCS 2026 in 2026) sets the edition policy:

- `latest`: the most recently published USGS figure for the country-year;
- `first`: the earliest published USGS figure in the folder (not necessarily the first USGS ever
  printed: MCS 2011-2023 are not in the folder).

BGS is used only where no USGS edition gives a number, because its basis differs (its US series is
about 60% of USGS's, its Australian rows are fiscal years). Every other figure for the same
country-year is compared with the one used; a difference above the tolerance is flagged, never
averaged away.
"""

from __future__ import annotations

import pandas as pd

from rare_earths.common.errors import RareEarthsError

# (source, edition) in publication order, oldest first; BGS last because it is the fallback.
USGS_ORDER: tuple[tuple[str, str], ...] = (
    ("usgs_ds140", "DS140 2020"),
    ("usgs_mcs2022", "MCS 2022"),
    ("usgs_mcs2023", "MCS 2023"),
    ("usgs_mcs2024", "MCS 2024"),
    ("usgs_myb2022", "MYB 2022"),
    ("usgs_mcs2026", "MCS 2026"),
)
FALLBACK_SOURCE = "bgs_wms"
POLICIES = ("first", "latest")
DEFAULT_TOLERANCE_PCT = 5.0


def _rank(source: str, edition: str) -> int | None:
    for rank, key in enumerate(USGS_ORDER):
        if key == (source, edition):
            return rank
    return None


def select(production: pd.DataFrame, policy: str = "latest") -> pd.DataFrame:
    """One row per country and year: the figure the analysis uses under the edition policy.

    Only rows with a country code and a number take part; residual rows ('Other countries') and
    withheld figures are never chosen. A USGS edition not listed in USGS_ORDER is an error, so a
    new edition cannot slip in without a place in the order.
    """
    if policy not in POLICIES:
        raise RareEarthsError(f"edition policy {policy!r} is not one of {', '.join(POLICIES)}")
    usable = production[production["country_iso"].notna() & production["production_t_reo"].notna()].copy()
    usgs = usable["source"].str.startswith("usgs_")
    usable["rank"] = [_rank(s, e) for s, e in zip(usable["source"], usable["edition"], strict=True)]
    unknown = usable[usgs & usable["rank"].isna()][["source", "edition"]].drop_duplicates()
    if not unknown.empty:
        listed = ", ".join(f"{s} {e!r}" for s, e in unknown.itertuples(index=False))
        raise RareEarthsError(f"USGS edition(s) with no place in reconcile.USGS_ORDER: {listed}")
    fallback = usable["source"] == FALLBACK_SOURCE
    candidates = usable[usgs | fallback].copy()
    # USGS before BGS; within USGS, the edition order the policy asks for.
    candidates["order"] = candidates["rank"].where(usgs, other=len(USGS_ORDER) if policy == "first" else -1)
    candidates["preference"] = candidates["order"] if policy == "first" else -candidates["order"]
    chosen = (
        candidates.sort_values(["country_iso", "year", "preference"], kind="stable")
        .groupby(["country_iso", "year"], as_index=False)
        .head(1)
    )
    return (
        chosen.drop(columns=["rank", "order", "preference"])
        .sort_values(["country_iso", "year"])
        .reset_index(drop=True)
    )


def reconcile(
    production: pd.DataFrame, policy: str = "latest", tolerance_pct: float = DEFAULT_TOLERANCE_PCT
) -> pd.DataFrame:
    """Every figure for a country-year that two or more series give, against the one the analysis uses."""
    chosen = select(production, policy)
    coded = production[production["country_iso"].notna()]
    counts = coded[coded["production_t_reo"].notna()].groupby(["country_iso", "year"]).size()
    overlapping = counts[counts > 1].index
    rows = coded.set_index(["country_iso", "year"]).loc[lambda f: f.index.isin(overlapping)].reset_index()
    used = chosen.set_index(["country_iso", "year"])[["source", "edition", "production_t_reo"]]
    used.columns = ["used_source_id", "used_edition", "used_t_reo"]
    merged = rows.join(used, on=["country_iso", "year"])
    merged["used"] = (merged["source"] == merged["used_source_id"]) & (
        merged["edition"] == merged["used_edition"]
    )
    merged["used_source"] = merged["used_source_id"] + " (" + merged["used_edition"] + ")"
    base = merged["used_t_reo"].where(merged["used_t_reo"] != 0)  # no percentage against a zero
    merged["difference_pct"] = (merged["production_t_reo"] - base) / base * 100
    zero_against_nonzero = (merged["used_t_reo"] == 0) & merged["production_t_reo"].fillna(0).ne(0)
    merged["over_tolerance"] = (
        merged["difference_pct"].abs().gt(tolerance_pct).fillna(False) | zero_against_nonzero
    ).astype(bool)
    merged["edition_policy"] = policy
    columns = [
        "country_iso",
        "year",
        "source",
        "edition",
        "production_t_reo",
        "value_flag",
        "used",
        "used_source",
        "used_t_reo",
        "difference_pct",
        "over_tolerance",
        "edition_policy",
    ]
    return (
        merged[columns]
        .sort_values(["country_iso", "year", "used", "source"], ascending=[True, True, False, True])
        .reset_index(drop=True)
    )
