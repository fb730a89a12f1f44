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
dependence_years = [2008, 2025]
money_window = 12
edition_policy = "latest"
production_first_year = 2000
top_producers = 6
price_elements = ["Nd", "Ce", "Dy"]
price_first_year = 2008
control_events = ["M-CN-2025-01", "M-CN-2025-02"]

# %% [markdown]
# ## Load

# %% tags=["remove-input"]
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

from rare_earths import compare
from rare_earths.build.parameters import refuse_renamed
from rare_earths.common import registry, renderers
from rare_earths.compare import assertions, charts, claim_checks, magnets, money, targets
from rare_earths.timeline import adoption

refuse_renamed(globals())
renderers.enable()  # svg; RARE_EARTHS_CHARTS=interactive in JupyterLab
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
        "default_bases",
    ]
}
starts = adoption.parse_episodes(episodes)
window_months = adoption.check_windows(windows)

# %% [markdown]
# ## Compute

# %% [markdown]
# ### China's share of each jurisdiction's imports, on one basis each
#
# A share of imports depends on its basis: weight or value, the products counted, the partners in the denominator, the period, and who compiled it. Every figure in `indicators.csv` carries that basis, and each jurisdiction has one **default basis** declared in `default_bases.csv` (below). Only figures on that basis, for a full calendar year and for their data year, form the jurisdiction's series. Before, lowest since and latest are read from that series alone, and a year without such a figure stays a gap. Every other figure is kept as a point with its basis in words and is never joined to the series.
#
# - **Japan**: customs (Ministry of Finance) statistics by weight, rare-earth compounds and metals, all partners, as published or quoted with the figure.
# - **US**: computed here from USITC DataWeb, US imports for consumption by value under HTS 2846 (rare-earth compounds), the narrowest heading in the file that holds only rare earths, over the 18 partners queried. USGS's import-source windows (four-year, all partners) are the cross-check.
# - **EU**: Eurostat's extra-EU imports by weight, all partners. The Commission's supply-chain dependence figures (98-99%) measure something else and are listed apart.

# %%
bases = read["default_bases"]
figures = compare.import_figures(read["indicators"], read["trade"], bases)
best = compare.import_shares(figures, bases)
gaps = compare.series_gaps(best, figures, jurisdictions, tuple(dependence_years))
display(bases[["jurisdiction", "label"]])
best[best["year"].ge(dependence_years[0])][
    ["jurisdiction", "year", "share_pct", "source_id", "source_type", "figures", "lowest", "highest"]
].reset_index(drop=True)

# %% [markdown]
# Years of the chart's range (the parameter `dependence_years`) without a figure on the default basis, and how many figures on other bases each has:

# %%
gaps.groupby("jurisdiction").agg(
    missing_years=("year", "size"),
    years=("year", lambda y: ", ".join(map(str, y))),
    with_other_figures=("figures_on_other_bases", lambda n: int((n > 0).sum())),
)

# %% [markdown]
# Every figure on another basis, with its basis in words (the points of the chart):

# %%
others = figures[~figures["on_default_basis"] & figures["year"].ge(dependence_years[0])]
others.sort_values(["jurisdiction", "year", "share_pct"])[
    ["jurisdiction", "year", "share_pct", "source_id", "basis"]
].reset_index(drop=True)

# %% [markdown]
# The US cross-check: USGS's import-source windows (China's share of US imports of rare-earth compounds and metals, all partners, four-year windows) beside the computed HTS 2846 series averaged over the same years:

# %%
windows = figures[(figures["jurisdiction"] == "US") & figures["period"].str.contains("/", na=False)]
us_line = best[best["jurisdiction"] == "US"].set_index("year")["share_pct"]
windows.assign(
    computed_mean=[
        us_line.reindex(range(int(p.split("/")[0]), int(p.split("/")[1]) + 1)).mean()
        for p in windows["period"]
    ]
)[["period", "share_pct", "computed_mean", "source_id"]].round(1).reset_index(drop=True)

# %% [markdown]
# The Commission's and auditors' supply-chain dependence figures for the EU (a share of supply at a stage, not of imports):

# %%
stage = read["indicators"][read["indicators"]["indicator"].str.startswith("eu_dependence_on_china")]
stage[["indicator", "year", "value", "unit", "source_id", "figure_year_basis", "basis_note"]].reset_index(
    drop=True
)

# %% [markdown]
# ### Permanent magnets
#
# China's share of permanent-magnet imports (HS 850511, permanent magnets of metal, by value) for Japan, the US and the EU (extra-EU imports of the 27 members), from CEPII's BACI as the Critical Materials Atlas kept it: each importer's top six suppliers, 2002-2024. For 2022 and 2024 the complete BACI file and UN Comtrade as each importer declared it measure what that cut and BACI's reconciliation change; the widest gap is the margin to read the long series with. Eurostat's Comext figure for CN 8505 11 10 (rare-earth permanent magnets) is among the EU points of the import-share figures above.

# %%
magnet = magnets.shares(read["trade"])
cut = magnets.cut_check(magnet)
display(cut)
gap = magnets.margin(cut)
display(Markdown(f"Widest gap between the long series and declared Comtrade: **{gap:.2f} points**."))
magnet[
    magnet["source"].eq("baci_magnets") & magnet["year"].isin([2002, 2008, 2010, 2011, 2015, 2020, 2024])
].pivot(index="year", columns="jurisdiction", values="share_pct")

# %% [markdown]
# ### China's share of world mine production and of refining
#
# Each share is taken within one publication: China and the world total come from the same table, never from two. Every publication that covers a year (China and a printed world total, or every producer) is its own series, so where BGS and the USGS editions overlap (2018-2023) each is shown and none is spliced onto another. A BGS year whose sum is below 90% of the world total USGS printed is left out. The production chart further down uses one publication per year, chosen by the edition policy. Refining and magnet-making shares exist only as curated figures, each with its data year or the year it was published.

# %%
shares = compare.production_shares(read["production"], edition_policy)
by_publication = compare.publication_shares(read["production"])
world = compare.china_share_of_production(by_publication)
refining = compare.refining_shares(read["indicators"])
display(
    world.groupby(["source", "edition", "world_basis"])
    .agg(first=("year", "min"), last=("year", "max"))
    .reset_index()
)
world[world["year"] >= production_first_year].pivot(
    index="year", columns="edition", values="share_pct"
).round(1)

# %%
refining[["indicator", "year", "value", "source_id", "figure_year_basis", "edition"]].sort_values(
    ["indicator", "year", "source_id"]
).reset_index(drop=True)

# %% [markdown]
# ### Concentration
#
# The Herfindahl-Hirschman index is the sum of the squared shares in percent: 10,000 means a single producer. Rows that lump small producers together ("Other countries") are not squared. Their share is given as `unattributed_pct`, and where it is above 0 the index is a lower bound. Each publication has its own index, so a fall between publications is not read as a fall in concentration.

# %%
hhi = compare.concentration(by_publication)
hhi[hhi["year"] >= production_first_year].pivot(index="year", columns="edition", values="hhi")

# %% [markdown]
# ### Prices
#
# Prices are per kilogram in their own currency. China's domestic prices (Yiyawu, CNY) are not converted, because the implied exchange rates differ by element (see notebook 02). The international series are the daily KOMIS prices, the USGS annual averages (MCS 2026) and the salient-statistics prices of the MCS 2022, 2023 and 2024 editions, each edition its own series because each revises the years before it. The curated record's single quotes (2008-2013, including the 2011 peak, and 2025 in Europe) are points, each with its market, form and timing.

# %%
price = compare.price_series(read["prices"], read["indicators"], tuple(price_elements))
controls = compare.control_events(read["events"], control_events)
premium = compare.price_premium(read["prices"], read["indicators"])
price.groupby(["currency", "series", "element"]).agg(
    first=("date", "min"),
    last=("date", "max"),
    lowest=("value_per_kg", "min"),
    highest=("value_per_kg", "max"),
).round({"lowest": 2, "highest": 2}).reset_index()

# %% [markdown]
# Dysprosium and terbium oxide in Europe in April and May 2025 against the 2025 FOB China average (the bases differ: a month's quotes against a year's estimated average):

# %%
premium

# %% [markdown]
# ### Dependence before and after each episode
#
# For each episode and jurisdiction (every jurisdiction measured from the same episode start), on the jurisdiction's default basis only: the figure in the last year before the episode, the lowest since, and the latest. The years are counted from the year of the episode. A missing point means the default basis has no figure there, not that another basis was used.

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
# ### The articles' assertions without a number, checked
#
# Every sentence that names a country or organisation is read by the rules in `assertions.RULES`: a halt of exports, export restrictions, investment or partnership with a named partner, China's dominance, continued dependence, reduced dependence, and "only now acting". Each rule that matches gives one assertion with its evidence rows; a sentence with a forecast word is a forecast; a sentence no rule reads is listed as not checkable. The assertion is written in the project's words, not the article's.

# %%
assertion_checks = assertions.check(
    read["claims"],
    read["documents"],
    assertions.Evidence(
        events=read["events"],
        indicators=read["indicators"],
        production=world,
        import_best=best,
        episodes=episodes,
    ),
)
display(assertion_checks["verdict"].value_counts().rename("assertions").to_frame())
assertion_checks[["doc_id", "sentence_start", "topic", "assertion", "verdict", "evidence_ids"]]

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
charts.magnets_chart(
    magnet,
    episodes=episodes,
    source="CEPII BACI via the Critical Materials Atlas; BACI complete and UN Comtrade for 2022 and 2024",
)

# %%
charts.world_share_chart(
    world, refining, source="USGS MYB 2022, MCS 2022, 2023, 2024, 2026; BGS; curated refining figures"
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
    source="USGS MYB 2022, MCS 2022, 2023, 2024, 2026; BGS World Mineral Statistics",
)

# %%
charts.price_chart(
    price,
    controls,
    first_year=price_first_year,
    source="Yiyawu; KOMIS; USGS MCS 2022-2024 salient statistics and MCS 2026; curated record quotes",
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
        "dependence_gaps": gaps,
        "magnet_shares": magnet,
        "magnet_cut_check": cut,
        "production_shares": shares,
        "china_share_of_production": world,
        "concentration": hhi,
        "price_series": price,
        "price_premium": premium,
        "achievements": achieved,
        "public_money": public,
        "public_money_by_stage": by_stage,
        "money_robustness": money_robust,
        "lynas_ledger": ledger,
        "targets_scorecard": scorecard,
        "claim_checks": checks,
        "assertion_checks": assertion_checks,
    },
    processed_path,
)
pd.DataFrame({"table": list(written), "rows": [len(pd.read_parquet(p)) for p in written.values()]})
