"""China's share of Japan's, the US's and the EU's imports of permanent magnets (HS 850511), by value.

The EU is the 27 members' imports from outside the EU (extra-EU): a member's imports from another
member are left out of both numerator and denominator. Three publications give the share (see
`rare_earths.datasets.sources.baci_magnets`): BACI as the atlas kept it (top six suppliers per
importer, 2002-2024), BACI complete and UN Comtrade as declared (2022 and 2024). `cut_check` measures
what the top-six cut and BACI's reconciliation change, so the long series is read with that margin.
"""

from __future__ import annotations

import pandas as pd

from rare_earths.common.geography import EU_MEMBERS
from rare_earths.datasets.sources.baci_magnets import SOURCES

JURISDICTIONS = {"JP": frozenset({"JP"}), "US": frozenset({"US"}), "EU": EU_MEMBERS}
BASIS = "value (USD), HS 850511 permanent magnets of metal, {partners}"


def shares(trade: pd.DataFrame) -> pd.DataFrame:
    """Per publication, jurisdiction and year: imports from China, from all partners outside the
    jurisdiction, and China's share (%). A declared (Comtrade) total is the reporter's World row less its
    imports from other EU members; a BACI total is the sum of the partners listed."""
    magnets = trade[trade["source"].isin(list(SOURCES)) & trade["product_code"].eq("850511")]
    rows = []
    for (source, year), group in magnets.groupby(["source", "year"]):
        for jurisdiction, members in JURISDICTIONS.items():
            own = group[group["reporter"].isin(members)]
            if own.empty:
                continue
            inside = own["partner"].isin(members)
            partners = own[~inside & own["partner"].ne("WLD")]
            if source == "comtrade_magnets":
                total = (
                    own.loc[own["partner"].eq("WLD"), "value_usd"].sum() - own.loc[inside, "value_usd"].sum()
                )
            else:
                total = partners["value_usd"].sum()
            china = partners.loc[partners["partner"].eq("CN"), "value_usd"].sum()
            rows.append(
                {
                    "jurisdiction": jurisdiction,
                    "year": int(year),
                    "source": source,
                    "publication": SOURCES[source],
                    "china_usd": float(china),
                    "total_usd": float(total),
                    "share_pct": round(float(china / total * 100), 2) if total > 0 else None,
                    "basis": BASIS.format(
                        partners="extra-EU imports of the 27 members"
                        if jurisdiction == "EU"
                        else "all partners"
                    ),
                }
            )
    return pd.DataFrame(rows).sort_values(["jurisdiction", "source", "year"]).reset_index(drop=True)


def cut_check(magnet_shares: pd.DataFrame) -> pd.DataFrame:
    """For each year with complete files: the share from the atlas's top-six BACI, complete BACI and
    declared Comtrade, the points the top-six cut adds (top six - complete BACI) and the gap between the
    long series and declared Comtrade (top six - Comtrade)."""
    wide = magnet_shares.pivot_table(
        index=["jurisdiction", "year"], columns="source", values="share_pct", aggfunc="first"
    )
    wide = wide.dropna(subset=["baci_magnets_full", "comtrade_magnets"]).reset_index()
    wide["cut_pp"] = (wide["baci_magnets"] - wide["baci_magnets_full"]).round(2)
    wide["series_minus_comtrade_pp"] = (wide["baci_magnets"] - wide["comtrade_magnets"]).round(2)
    wide.columns.name = None
    return wide.rename(
        columns={
            "baci_magnets": "top_six_pct",
            "baci_magnets_full": "baci_complete_pct",
            "comtrade_magnets": "comtrade_pct",
        }
    )


def margin(check: pd.DataFrame) -> float:
    """The widest gap (percentage points) between the long series and declared Comtrade in the checked
    years: how far a year of the long series may be from the declared statistic."""
    return float(check["series_minus_comtrade_pp"].abs().max())
