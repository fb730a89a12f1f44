"""Every external source the datasets stage reads, in the order their rows are stacked."""

from __future__ import annotations

from rare_earths.datasets.sources import (
    Source,
    baci_magnets,
    bgs_wms,
    comtrade_china_exports,
    comtrade_china_imports,
    events_gta,
    events_iea,
    events_lanthanides,
    prices_komis,
    prices_yiyawu,
    usgs_ds140,
    usgs_mcs2024,
    usgs_mcs2026,
    usgs_mcs_salient,
    usgs_mcs_vintages,
    usgs_myb2022,
    usitc_dataweb,
)

SOURCES: tuple[Source, ...] = (
    usgs_mcs2026.CONTRACT,
    usgs_mcs2024.CONTRACT,
    *usgs_mcs_vintages.CONTRACTS,
    usgs_myb2022.CONTRACT,
    usgs_ds140.CONTRACT,
    bgs_wms.CONTRACT,
    usitc_dataweb.CONTRACT,
    baci_magnets.CONTRACT,
    comtrade_china_imports.CONTRACT,
    comtrade_china_exports.CONTRACT,
    prices_yiyawu.CONTRACT,
    prices_komis.CONTRACT,
    *usgs_mcs_salient.CONTRACTS,
    events_gta.CONTRACT,
    events_iea.CONTRACT,
    events_lanthanides.CONTRACT,
)


def source_named(name: str) -> Source:
    """The source registered under this name."""
    return next(source for source in SOURCES if source.name == name)
