# %% [markdown]
# # 02 · Clean the supporting datasets: production, trade, prices and events as tidy, validated tables
#
# The statistics of the study come from third-party copies of public data files (`data/raw/external/`, fetched by checksum from `data/raw/manifests/external.yml`; their origins are in the manifest and in the shared `PROVENANCE.md`). Each file has its own module in `rare_earths.datasets` that reads it as it is (`extract`) and then harmonises units, codes and dates while keeping every code the publisher printed (`clean`). This notebook stacks their rows into four tables (`production`, `trade`, `prices`, `event_candidates`), adds the curated tables (the policy record as `measures` and their dated `milestones`, coded by `data/raw/curated/CODEBOOK.md`; `sources`, `indicators`, `episodes`, exchange rates and a US price index; a second coding and the tracker review; validated in `rare_earths.datasets.curated`), compares the overlapping production series, and writes everything to `data/processed/` with a Frictionless `datapackage.json`.
#
# Nothing is dropped silently: a module whose files are missing, rows outside the chosen years, and every value the publisher flagged are listed below.

# %% [markdown]
# ## Parameters

# %% tags=["parameters"]
external_dir = "../data/raw/external"
curated_dir = "../data/raw/curated"
processed_dir = "../data/processed"
years = [1990, 2026]
edition_policy = "latest"
tolerance_pct = 5.0

# %% [markdown]
# ## Load

# %% tags=["remove-input"]
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

from rare_earths.common import renderers
from rare_earths.datasets import charts, curated, processed, reconcile

renderers.enable()  # svg; RARE_EARTHS_CHARTS=interactive in JupyterLab
pd.set_option("display.max_rows", 200)
pd.set_option("display.max_colwidth", 80)

first_year, last_year = years
curated_issues = curated.validate(Path(curated_dir))
built = processed.collect(
    external_dir=Path(external_dir),
    curated_dir=Path(curated_dir),
    years=(first_year, last_year),
    edition_policy=edition_policy,
    tolerance_pct=tolerance_pct,
)
tables = built.tables

# %% [markdown]
# ## Compute

# %% [markdown]
# ### What is missing
#
# Modules whose input files are absent are skipped (the tables are built from the rest), and rows outside the chosen years are counted here, not dropped silently.

# %%
if built.skipped.empty:
    display(Markdown(f"Every dataset module found its files: {len(processed.MODULES)} modules read."))
else:
    display(built.skipped)
if built.outside_window.empty:
    display(Markdown(f"No statistic falls outside {first_year}-{last_year}."))
else:
    display(built.outside_window.rename(columns={"rows_outside": f"rows outside {first_year}-{last_year}"}))

# %% [markdown]
# ### Validation
#
# The curated tables are checked by their Frictionless schemas and the project's rules: ISO country codes, citations that resolve, dates that agree with their precision, and the record's own rules (`rare_earths.datasets.record_rules`: a measure needs an instrument and a milestone, milestones follow each other in time, an alternative date needs its source, an amount needs its scope, an actor type must fit the jurisdiction, a source needs a date and a real title, every former event is accounted for). The processed tables are checked again when they are written: the package below must validate before any file is replaced.

# %%
if curated_issues:
    display(pd.DataFrame([vars(issue) for issue in curated_issues]))
else:
    sizes = ", ".join(f"{name} {len(tables[name])} rows" for name in curated.TABLES)
    display(Markdown(f"Curated tables: **0 problems** ({sizes})."))

# %% [markdown]
# ### The policy record
#
# One row per measure (a state decision), incident or context item (a private move, a finding, a report), coded on independent axes: the instrument (the twelve levers, finance coded as finance whatever it funds, plus China's export restrictions), the value-chain stage, the actor type. Its dated steps are milestones. Lanes: Japan, the United States, the EU (institutions and member states), China; `other` holds Australia, Malaysia and others where they act with the three.

# %%
from rare_earths.datasets import record_views, reliability

display(Markdown("**Rows by kind and lane**"))
display(record_views.by_lane(tables, "kind"))
display(Markdown("**Measures by instrument and lane** (state decisions only)"))
display(record_views.by_lane(tables, "instrument", measures_only=True))

# %%
display(Markdown("**Measures by value-chain stage and lane**"))
display(record_views.by_lane(tables, "stage", measures_only=True))
display(Markdown("**Rows by actor type and lane**"))
display(record_views.by_lane(tables, "actor_type"))

# %% [markdown]
# Milestones per step. A measure is counted once on the timeline (at its first milestone); where sources disagree on a step's date, the milestone keeps one date and lists the others with their sources.

# %%
record_views.milestone_steps(tables)

# %% [markdown]
# #### Money
#
# Amounts stay in their original currency with what they cover; `amount_usd_2024` converts them at the annual average rate of the first milestone's year (`fx_rates`) and the US GDP price deflator (`us_deflator`). The amounts are of different kinds (a loan, a grant, a budget envelope, a project pipeline that is not public money), so they are listed, never added up; an amount inside an envelope (`amount_part_of`) names it.

# %%
display(record_views.money_coverage(tables))
record_views.money(tables)

# %% [markdown]
# #### Coding reliability
#
# A random sample of measures was coded a second time by a coder who saw only the source text and the codebook. Agreement per axis, with Cohen's kappa (chance-corrected; 0.7 is the bar an axis must meet):

# %%
tables["coding_agreement"]

# %% [markdown]
# The disagreements and how each was resolved (the resolved code is the one in `measures.csv`):

# %%
reliability.disagreements(tables["coding_check"])[
    ["measure_id", "axis", "first_code", "second_code", "resolved_code", "resolution"]
]

# %% [markdown]
# #### Crosswalk with the trackers
#
# Every rare-earth entry of Global Trade Alert (`gta`), the IEA policy tracker (`iea`) and lanthanides.io in the study's lanes was reviewed: curated (the measure carries its id) or out of scope with a reason.

# %%
measures = tables["measures"]
carried = measures[["gta_ids", "iea_ids", "lanthanides_ids"]].ne("").any(axis=1)
display(Markdown(f"{int(carried.sum())} of {len(carried)} rows carry a tracker id."))
record_views.crosswalk(tables)

# %% [markdown]
# The automatic linker below (used for the candidates table) is a cross-check, not the crosswalk: where it links a reviewed entry, does it pick the same measure?

# %%
record_views.automatic_links(tables)

# %% [markdown]
# #### What changed against the former event record
#
# The former `events.csv` (kept read-only as `data/raw/curated/legacy/events.csv`) had one row per report of an event. Each of its rows is accounted for in `events_migration.csv`:

# %%
legacy_rows = len(pd.read_csv(Path(curated_dir) / "legacy" / "events.csv"))
display(record_views.before_after(tables, legacy_rows))
record_views.changes(tables)

# %% [markdown]
# ### Coverage
#
# Rows per processed table and source, with the years and countries (or partners, elements, jurisdictions) they cover.

# %%
processed.coverage(tables)

# %% [markdown]
# ### Production: which series the analysis uses
#
# Mine production (t REO) appears in up to five series: four USGS publications and the BGS World Mineral Statistics. Under the edition policy chosen above, each country-year uses one USGS figure (`latest`: the most recently published; `first`: the earliest published in this folder); BGS fills only the country-years no USGS edition covers. Every other figure for the same country-year is compared with it.

# %%
recon = tables["reconciliation"]
flagged = recon[recon["over_tolerance"]]
overlapping = recon[["country_iso", "year"]].drop_duplicates().shape[0]
differing = flagged[["country_iso", "year"]].drop_duplicates().shape[0]
display(
    Markdown(
        f"Edition policy **{edition_policy}**. {overlapping} country-years have more than one figure; "
        f"{differing} of them differ by more than {tolerance_pct:g}% from the figure used."
    )
)
used = reconcile.select(tables["production"], edition_policy)
used.groupby(["source", "edition"]).agg(
    country_years=("year", "size"), first_year=("year", "min"), last_year=("year", "max")
).reset_index()

# %% [markdown]
# Differences over the tolerance, largest first (the figure used is in `used_t_reo`):

# %%
flagged.assign(abs_diff=flagged["difference_pct"].abs()).sort_values(
    ["abs_diff", "country_iso", "year"], ascending=[False, True, True]
)[
    [
        "country_iso",
        "year",
        "source",
        "production_t_reo",
        "value_flag",
        "used_source",
        "used_t_reo",
        "difference_pct",
    ]
].head(40).round({"difference_pct": 1}).reset_index(drop=True)

# %% [markdown]
# #### BGS rows that must not be summed
#
# The BGS file stacks two yearbook tables (rare-earth oxides, and rare-earth minerals by mineral type), so one country-year can have several rows. `bgs_wms.selection` keeps one row per country-year (the oxide table first, else a single REO-content row) and says why each other row is left out.

# %%
checks = built.checks
if "bgs_wms:selection" in checks:
    display(
        checks["bgs_wms:selection"]
        .groupby("reason")
        .size()
        .rename("rows")
        .reset_index()
        .sort_values("reason")
    )
    groups = checks["bgs_wms:non_additive_groups"]
    display(Markdown(f"{len(groups)} country-years have more than one BGS row; those from 2008 on:"))
    display(
        groups[groups["year"] >= 2008][["country_iso", "year", "rows", "series", "reasons"]]
        .sort_values(["country_iso", "year"])
        .reset_index(drop=True)
    )

# %% [markdown]
# ### Trade
#
# Rows per source, flow and classification. USITC DataWeb gives US imports for consumption from 18 selected partners by four-digit HTS heading (2805 metals, 2846 compounds, 8505 magnets: headings that also hold other goods); Comtrade gives China's imports of HS 2846 by origin and China's monthly exports of a rare-earth group to its main partners; the Minerals Yearbook tables give US imports of rare-earth compounds and metals by country for 2021-2022.

# %%
trade = tables["trade"]
trade.groupby(["source", "reporter", "flow", "classification"]).agg(
    rows=("period", "size"),
    first=("period", "min"),
    last=("period", "max"),
    partners=("partner_label", "nunique"),
    without_quantity=("quantity_kg", lambda s: int(s.isna().sum())),
).reset_index()

# %% [markdown]
# China's import files: each year's partner rows must add up to its World row (the check `comtrade_china_imports.world_check` applies with the manifest's tolerance).

# %%
if "comtrade_china_imports:world_check" in checks:
    world_sums = checks["comtrade_china_imports:world_check"]
    failing = world_sums[~world_sums["value_ok"]]
    span = f"{world_sums['year'].min()}-{world_sums['year'].max()}"
    display(
        Markdown(f"{len(world_sums)} years checked ({span}); **{len(failing)}** fail the World-sum check.")
    )
    if not failing.empty:
        display(failing)

# %% [markdown]
# ### Prices
#
# Daily Chinese domestic oxide quotes (2013-2024; publisher not stated, units inferred in `prices_yiyawu`), KOMIS FOB China quotes (2024-2026) and the annual averages the USGS prints (2021-2025). Quote days whose published average disagrees with the quoted range are counted here; the price used is the midpoint of the range, and a day whose average is far from the midpoint is left out (the counts are below).

# %%
prices = tables["prices"]
display(
    prices.groupby(["source", "element", "unit", "market"])
    .agg(
        rows=("date", "size"),
        first=("date", "min"),
        last=("date", "max"),
    )
    .reset_index()
)
if "prices_yiyawu:quote_checks" in checks:
    display(checks["prices_yiyawu:quote_checks"])

# %% [markdown]
# ### Event candidates from external trackers
#
# Global Trade Alert interventions, IEA policy-tracker entries and the lanthanides.io policy events are kept apart from the curated record. A candidate is linked to a curated event only when the jurisdiction, the dates (within 14 days, or overlapping periods at year or month precision) and a distinctive keyword agree (`rare_earths.datasets.event_links`); a wrong link is worse than none. Titles are not shown: they are the trackers' own text.

# %%
candidates = tables["event_candidates"]
candidates.groupby("source").agg(
    candidates=("candidate_id", "size"),
    rare_earths=("rare_earths", "sum"),
    linked=("curated_event_id", lambda s: int(s.notna().sum())),
    first=("date", "min"),
    last=("date", "max"),
).reset_index()

# %%
events = tables["events"].set_index("event_id")
links = candidates[candidates["curated_event_id"].notna()].sort_values(["date", "candidate_id"])
links.assign(curated_description=links["curated_event_id"].map(events["description"]))[
    [
        "candidate_id",
        "date",
        "jurisdiction",
        "curated_event_id",
        "match_rule",
        "curated_description",
    ]
].reset_index(drop=True)

# %% [markdown]
# ## Figures

# %% [markdown]
# **Figure 1.** Rows per processed table, source and year (darker: more rows).

# %%
charts.rows_by_year_chart(
    processed.rows_per_year(tables),
    first_year=first_year,
    last_year=last_year,
    source="processed tables built by rare_earths.processed",
)

# %% [markdown]
# **Figure 2.** Mine production of China, the world, the United States and Australia as each series prints it. Where lines part, the editions disagree; the reconciliation in the Compute section says which one the analysis uses.

# %%
charts.series_chart(
    tables["production"],
    countries={"CN": "China", "WLD": "World", "US": "United States", "AU": "Australia"},
    first_year=max(first_year, 2000),
    last_year=last_year,
    source="USGS DS140, MYB 2022, MCS 2024, MCS 2026; BGS World Mineral Statistics",
)

# %% [markdown]
# ## Save
#
# The tables go to `data/processed/` as CSV (described by `datapackage.json`) and Parquet. They are written to a staging folder first and validated with frictionless (types, allowed values, keys, foreign keys to the citation registry and the datasets table) and the country-code rule; only a package with no problem replaces the previous files.

# %%
written = processed.write(built, Path(processed_dir))
problems = processed.validate_package(Path(processed_dir))
display(Markdown(f"`frictionless validate`: **{len(problems)} problems** in {len(built.tables)} tables."))
pd.DataFrame({"table": list(built.tables), "rows": [len(frame) for frame in built.tables.values()]})
