# %% [markdown]
# # 04 · Compare diversification: dependence on China, concentration, prices, and the articles' claims
#
# This notebook reads what notebooks 01-03 wrote to `data/processed/`. It measures how dependent Japan, the US and the EU have been on China, using China's share of their rare-earth imports. It also measures China's share of world mine production and refining, and how concentrated mine production is (the Herfindahl-Hirschman index). It shows prices, with the 2011 peak and the 2025 controls marked, and what Japan achieved after 2010. Last, it checks every quantitative claim of the articles against these figures and the event record.
#
# It also adds up the public money each jurisdiction committed after each shock episode (in 2024 US dollars and as a share of GDP), sets Japan's financing of Lynas out as a ledger, and scores every quantitative target of the record against the indicators that measure it.

# %% [markdown]
# ## Parameters

# %% tags=["parameters"]
processed_dir = "../data/processed"
episodes = {"S1": "2010-07-08", "S2": "2025-04-04"}
jurisdictions = ["JP", "US", "EU"]
windows = [12, 36, 60]
money_window = 12
edition_policy = "latest"
production_first_year = 2000
top_producers = 6
price_elements = ["Nd", "Ce", "Dy"]
price_first_year = 2010
control_events = ["M-CN-2025-01", "M-CN-2025-02"]

# %% [markdown]
# ## Load

# %% tags=["remove-input"]
from pathlib import Path

import altair as alt
import pandas as pd
from IPython.display import Markdown, display

from rare_earths import compare
from rare_earths.build.parameters import refuse_renamed
from rare_earths.common import registry
from rare_earths.compare import charts, claim_checks, money, targets
from rare_earths.timeline import adoption

refuse_renamed(globals())
alt.renderers.enable("svg")
pd.set_option("display.max_rows", 100)
pd.set_option("display.max_colwidth", 70)

processed_path = Path(processed_dir)
read = {
    name: registry.read(name, processed_path)
    for name in [
        "indicators",
        "trade",
        "production",
        "prices",
        "events",
        "claims",
        "documents",
        "article_links",
        "measures",
        "milestones",
        "fx_rates",
        "us_deflator",
        "gdp",
        "targets",
    ]
}
starts = adoption.parse_episodes(episodes)
window_months = adoption.check_windows(windows)

# %% [markdown]
# ## Compute

# %% [markdown]
# ### China's share of each jurisdiction's imports
#
# There is no single series for all three jurisdictions, so each year uses the best available figure:
#
# - **US**: computed here from USITC DataWeb, as China's share of US imports for consumption by value under HTS headings 2805 (rare-earth metals) and 2846 (compounds). The denominator is the 18 partners queried.
# - **Japan and the EU**: the curated indicators.
#
# Every curated share figure carries its basis in `indicators.csv` (weight or value, scope, source type, and whether its year is the data year or only the year it was published). Where several figures exist for a year, `compare.rank_import_figures` applies one stated rule: only a figure for its data year, of the series' scope (all rare earths) and for a full calendar year can be the year's figure; among those, an official statistic read directly comes first, then one quoted by a secondary source, then this project's computation, a government assessment, an industry or analyst estimate, and an unattributed figure last; exact before approximate. A year with no such figure has none (a narrower scope such as "raw materials alone", a publication year or a part-year figure never stands in). `figures` counts every figure for the year, and `lowest` and `highest` give their range.

# %%
figures = compare.import_figures(read["indicators"], read["trade"])
best = compare.import_shares(figures)
best[best["jurisdiction"].ne("US") | best["year"].ge(2008)][
    ["jurisdiction", "year", "share_pct", "source_id", "figures", "lowest", "highest"]
].reset_index(drop=True)

# %% [markdown]
# ### China's share of world mine production and of refining
#
# Each share is taken within one publication per year: China and the world total come from the same table, never from two. The edition policy picks the USGS publication. BGS (the sum of every producer it lists) fills the years no USGS table with China and a world total covers. A BGS year whose sum is below 90% of the world total USGS printed is left out. The refining share exists only as curated figures (IEA, as reported).

# %%
shares = compare.production_shares(read["production"], edition_policy)
world = compare.china_share_of_production(shares)
refining = compare.refining_shares(read["indicators"])
display(Markdown(f"Edition policy **{edition_policy}**; publications used:"))
display(
    world.groupby(["source", "edition", "world_basis"])
    .agg(first=("year", "min"), last=("year", "max"))
    .reset_index()
)
world[world["year"] >= production_first_year][
    ["year", "share_pct", "production_t_reo", "world_t_reo", "edition"]
].round(1)

# %%
refining[["year", "value", "source_id", "edition"]].sort_values(["year", "source_id"]).reset_index(drop=True)

# %% [markdown]
# ### Concentration
#
# The Herfindahl-Hirschman index is the sum of the squared shares in percent: 10,000 means a single producer. Rows that lump small producers together ("Other countries") are not squared. Their share is given as `unattributed_pct`, and where it is above 0 the index is a lower bound.

# %%
hhi = compare.concentration(shares)
hhi[hhi["year"] >= production_first_year].reset_index(drop=True)

# %% [markdown]
# ### Prices
#
# Prices are per kilogram in their own currency. China's domestic prices (Yiyawu, CNY) are not converted, because the implied exchange rates differ by element (see notebook 02). The international series are the daily KOMIS prices, the USGS annual averages, and the 2011 peaks of the curated record.

# %%
price = compare.price_series(read["prices"], read["indicators"], tuple(price_elements))
controls = compare.control_events(read["events"], control_events)
price.groupby(["currency", "series", "element"]).agg(
    first=("date", "min"),
    last=("date", "max"),
    lowest=("value_per_kg", "min"),
    highest=("value_per_kg", "max"),
).round({"lowest": 2, "highest": 2}).reset_index()

# %% [markdown]
# ### Dependence before and after each episode
#
# For each episode and jurisdiction (every jurisdiction measured from the same episode start), the best figure in the last year before the episode, the lowest figure since, and the latest. The years are counted from the year of the episode.

# %%
achieved = compare.achievements(best, episodes, jurisdictions)
achieved.drop(columns=["shock_date"]).set_index(["episode", "jurisdiction"]).T

# %% [markdown]
# ### Public money after each episode
#
# New public money only (grants, loans, equity, tax credits, budget envelopes, funds, purchase ceilings: `amount_kind` in the record), never an amount inside an envelope, dated like the measures of the adoption tables (first adopted or funded milestone), in 2024 US dollars (`fx_rates`, `us_deflator`) and as a share of GDP (each amount over its year's GDP, basis points = 0.01%; GDP from the World Bank via a copy, to 2023). Two scopes: amounts wholly for rare earths, and all public amounts including wider envelopes (critical minerals, several materials). Windows that run past the end of the record say so.

# %%
dated = adoption.dated_measures(read["measures"], read["milestones"])
scopes = {"rare_earth_only": True, "all_public": False}
public = pd.concat(
    [
        money.by_window(
            money.committed(dated, read["fx_rates"], read["us_deflator"], read["gdp"], rare_earth_only=only),
            starts,
            window_months,
            adoption.data_end(read["milestones"]),
        ).assign(scope=scope)
        for scope, only in scopes.items()
    ],
    ignore_index=True,
)[
    [
        "episode",
        "window_months",
        "jurisdiction",
        "scope",
        "measures",
        "usd_2024_millions",
        "share_of_gdp_bp",
        "note",
    ]
]
public.pivot(
    index=["episode", "window_months"], columns=["scope", "jurisdiction"], values="usd_2024_millions"
)

# %%
spent = money.committed(dated, read["fx_rates"], read["us_deflator"], read["gdp"])
by_stage = money.by_instrument_and_stage(spent, starts, money_window)
display(
    Markdown(
        f"Rare-earth-only public money within {money_window} months, by instrument and stage "
        "(millions of 2024 USD):"
    )
)
by_stage

# %%
money_robust = money.leaders(
    read["measures"],
    read["milestones"],
    read["fx_rates"],
    read["us_deflator"],
    read["gdp"],
    starts,
    window_months,
)
money_robust

# %% [markdown]
# Capacity in tonnes per year is in the record only where a measure's text states it (there is no capacity column), so it is listed, not compared:

# %%
money.capacity(read["measures"])

# %% [markdown]
# ### Japan and Lynas
#
# Japan's measures on Lynas, step by step, beside Lynas's output (the indicators hold its NdPr production by fiscal year, to 30 June).

# %%
ledger = money.lynas_ledger(read["measures"], read["milestones"])
display(ledger)
output = read["indicators"][read["indicators"]["indicator"].str.startswith("lynas_")]
output[["indicator", "year", "value", "unit", "source_id"]].sort_values(["indicator", "year"]).reset_index(
    drop=True
)

# %% [markdown]
# ### Targets against outcomes
#
# Every quantitative target the record's measures set, with the indicator values that measure it (never a typed figure) and a verdict: met, missed, on track, not on track, sources disagree, or not measurable yet.

# %%
scorecard = targets.scorecard(
    read["targets"], read["indicators"], as_of=adoption.data_end(read["milestones"]).year
)
display(scorecard["verdict"].value_counts().rename("targets").to_frame())
scorecard[["target_id", "jurisdiction", "target", "deadline", "measured", "latest", "verdict", "basis"]]

# %% [markdown]
# ### The articles' claims, checked
#
# Each percentage, amount of money, quantity and duration that notebook 01 extracted is tried against the rules in `claim_checks.RULES`, in order:
#
# - a share of refining goes to the refining indicator;
# - a fall in reliance goes to the best import-share series;
# - an embargo's length and "N years ago" go to the event record;
# - an amount of money goes to events with the same amount and an organisation the sentence names.
#
# The table shows each claim's figure, not its sentence.

# %%
checks = claim_checks.check(
    claim_checks.Context(
        claims=read["claims"],
        documents=read["documents"],
        indicators=read["indicators"],
        events=read["events"],
        import_best=best,
        import_figures=figures,
        links=read["article_links"],
    )
)
checks[
    [
        "doc_id",
        "claim_text",
        "topic",
        "verdict",
        "evidence_value",
        "evidence_unit",
        "evidence_period",
        "evidence_source_id",
    ]
]

# %%
for row in checks.itertuples():
    display(Markdown(f"- `{row.doc_id}` {row.claim_text}: **{row.verdict}**. {row.note}"))

# %% [markdown]
# ## Figures

# %%
charts.dependence_chart(
    best,
    figures,
    episodes=episodes,
    jurisdictions=jurisdictions,
    source="USITC DataWeb (US, computed); curated indicators (Japan, EU); see the references",
)

# %%
charts.world_share_chart(
    world, refining, source="USGS DS140, MYB 2022, MCS 2024, MCS 2026; BGS; IEA as reported"
)

# %%
charts.production_chart(
    shares,
    top=top_producers,
    first_year=production_first_year,
    source="USGS MYB 2022, MCS 2024, MCS 2026; BGS World Mineral Statistics",
)

# %%
charts.concentration_chart(
    hhi[hhi["year"] >= production_first_year],
    source="USGS MYB 2022, MCS 2024, MCS 2026; BGS World Mineral Statistics",
)

# %%
charts.price_chart(
    price,
    controls,
    first_year=price_first_year,
    source="Yiyawu; KOMIS; USGS MCS 2026; curated record (2011 peaks, 2025 controls)",
)

# %% [markdown]
# ## Save
#
# The comparison tables and the claim checks go to `data/processed/` as Parquet, for the study report.

# %%
written = registry.write(
    {
        "import_figures": figures,
        "import_shares": best,
        "production_shares": shares,
        "china_share_of_production": world,
        "concentration": hhi,
        "price_series": price,
        "achievements": achieved,
        "public_money": public,
        "public_money_by_stage": by_stage,
        "money_robustness": money_robust,
        "lynas_ledger": ledger,
        "targets_scorecard": scorecard,
        "claim_checks": checks,
    },
    processed_path,
)
pd.DataFrame({"table": list(written), "rows": [len(pd.read_parquet(p)) for p in written.values()]})
