# %% [markdown]
# # Japan's rare-earth diversification since 2010, and the US and EU responses to China's 2025 controls
#
# *Study report. Every number and figure below is computed from the project's processed tables by the notebooks before this one. The sources are listed at the end.*

# %% tags=["parameters"]
processed_dir = "../data/processed"
timeline_years = [2008, 2026]
production_first_year = 2000
top_producers = 6
price_first_year = 2008
control_events = ["M-CN-2025-01", "M-CN-2025-02"]

# %%
from pathlib import Path

from IPython.display import HTML, Markdown, display

from rare_earths import compare, report
from rare_earths.common import labels, registry, renderers
from rare_earths.compare import charts as compare_charts
from rare_earths.compare import claim_checks
from rare_earths.timeline import adoption
from rare_earths.timeline import charts as timeline_charts

renderers.enable()  # svg; RARE_EARTHS_CHARTS=interactive in JupyterLab
processed_path = Path(processed_dir)
t = {
    name: registry.read(name, processed_path)
    for name in [
        "timeline",
        "timeline_aligned",
        "adoption",
        "adoption_curves",
        "adoption_robustness",
        "public_money",
        "money_robustness",
        "targets_scorecard",
        "import_figures",
        "import_shares",
        "china_share_of_production",
        "concentration",
        "production_shares",
        "price_series",
        "achievements",
        "claim_checks",
        "assertion_checks",
        "documents",
        "magnet_shares",
        "dependence_gaps",
        "indicators",
        "events",
        "sources",
        "datasets",
    ]
}
aligned, adopted, achieved, checks = (
    t[n] for n in ["timeline_aligned", "adoption", "achievements", "claim_checks"]
)
episodes = adopted.groupby("episode", sort=False)["start"].first().dt.strftime("%Y-%m-%d").to_dict()
jurisdictions = list(dict.fromkeys(adopted["jurisdiction"]))
shown_windows = adoption.widest_observed(adopted)
refining = compare.refining_shares(t["indicators"])
controls = compare.control_events(t["events"], control_events)
cite = report.citation_labels(t["sources"], t["datasets"])
articles = report.article_labels(t["documents"])

# %% [markdown]
# ## Executive summary

# %%
display(
    report.bullets(
        report.executive_summary(
            achieved,
            t["china_share_of_production"],
            t["concentration"],
            refining,
            adopted,
            t["public_money"],
            t["targets_scorecard"],
            checks,
            t["assertion_checks"],
            t["adoption_robustness"],
            t["money_robustness"],
        )
    )
)

# %% [markdown]
# ## 1. The timeline
#
# In September 2010 China stopped rare-earth shipments to Japan. Japan's response is set below against the moves of the United States and the European Union, up to and after China's export controls of 2025. Each point is one measure of the curated record, at its first milestone; every milestone cites a source and a locator.

# %%
timeline_charts.landmark_chart(
    t["timeline"],
    lanes=[*jurisdictions, "CN"],
    episodes=episodes,
    windows={
        name: (int(start[:4]) - 2, int(start[:4]) + 4 if name == "S1" else timeline_years[1])
        for name, start in episodes.items()
    },
    source="curated policy record (measures.csv, milestones.csv)",
)

# %% [markdown]
# **Figure 1.** The record's landmark measures around each episode, labelled with short titles and amounts: the 2010 episode (two years before to four after) and the 2025 episode (two years before to the end of the record), one block per jurisdiction, each landmark on its own row.

# %%
timeline_charts.swimlane_chart(
    t["timeline"],
    lanes=[*jurisdictions, "CN"],
    first_year=timeline_years[0],
    last_year=timeline_years[1],
    source="curated policy record (measures.csv, milestones.csv)",
)

# %% [markdown]
# **Figure 2.** Measures by jurisdiction and value-chain stage, each at its first milestone. Diamonds are measures that the source articles name (linked by notebook 03).

# %% [markdown]
# ## 2. Responses after each shock episode
#
# Japan, the US and the EU are all measured from the same two episodes: S1, China's 2010 squeeze (from the July 2010 quota cut), and S2, its export controls from April 2025. For each instrument the table gives the months to the first new measure within an equal window; measures already in force are baseline, and a window that runs past the end of the record is *censored*, not "never". The episode dates are parameters of the build (`episodes`).

# %%
timeline_charts.shock_aligned_chart(
    aligned,
    episodes=episodes,
    lanes=jurisdictions,
    window_years=float(aligned["window_years"].iloc[0]),
    source="curated policy record (measures.csv, milestones.csv)",
)

# %%
display(
    Markdown(
        "**Figure 3.** Measures in months from each episode start ("
        + ", ".join(f"{k} {v}" for k, v in episodes.items())
        + "), the same start for every jurisdiction."
    )
)
timeline_charts.adoption_matrix_chart(
    adopted, windows=shown_windows, source="curated policy record (measures.csv, milestones.csv)"
)

# %% [markdown]
# **Figure 4.** Time to adoption within equal windows: months from the episode start to the first new measure of each instrument; grey, none within the window; yellow, censored by the end of the record.

# %% [markdown]
# **Table 1.** Time to adoption per instrument, episode and jurisdiction (months, measure), within the widest window the record covers for each episode.

# %%
report.html_table(report.adoption_table(adopted, shown_windows))

# %%
timeline_charts.adoption_curves_chart(
    t["adoption_curves"], source="curated policy record (measures.csv, milestones.csv)"
)

# %% [markdown]
# **Figure 4b.** Cumulative adoption: share of the twelve instruments with a new measure, by months after each episode start, to the end of the record.

# %% [markdown]
# **Table 1b.** How robust each conclusion is: who adopted each instrument first within the window, and the share of variants (episode starts ±3 months, member states out, state companies in, earliest or latest dating, the milestone used) in which that holds. Only conclusions that do not hold in every variant are listed.

# %%
robust = t["adoption_robustness"]
report.html_table(
    labels.words(
        robust[robust["share_holding"] < 1][
            ["episode", "window_months", "instrument", "first", "share_holding"]
        ].assign(share_holding=lambda f: (f["share_holding"] * 100).round().astype(int).astype(str) + "%")
    )
)

# %% [markdown]
# **Table 1c.** Public money committed within each window (rare-earth-only amounts, millions of 2024 US dollars), and as a share of GDP (basis points).

# %%
money_table = t["public_money"]
report.html_table(
    labels.words(
        money_table[money_table["scope"] == "rare_earth_only"][
            [
                "episode",
                "window_months",
                "jurisdiction",
                "measures",
                "usd_2024_millions",
                "share_of_gdp_bp",
                "note",
            ]
        ]
    )
)

# %% [markdown]
# **Table 1d.** Targets against outcomes: each quantitative target of the record, the values that measure it, and the verdict.

# %%
scorecard = t["targets_scorecard"]
shown = scorecard.assign(
    latest=scorecard["latest"].map(lambda text: report.readable(text, cite), na_action="ignore")
)
report.html_table(labels.words(shown[["jurisdiction", "target", "deadline", "latest", "verdict"]]))

# %% [markdown]
# ## 3. Dependence on China
#
# The share of a jurisdiction's rare-earth imports that come from China is the measure of dependence. A share depends on its basis (weight or value, the products counted, the partners in the denominator, the period, who compiled it), so each jurisdiction is read on one declared basis: Japan's customs statistics by weight, Eurostat's extra-EU imports by weight, and for the US, imports for consumption of rare-earth compounds (HTS 2846) by value over the 18 partners queried from USITC DataWeb. Figures on any other basis are shown as points and never joined to the line; a year without a figure on the basis is a gap.

# %%
compare_charts.dependence_chart(
    t["import_shares"],
    t["import_figures"],
    episodes=episodes,
    jurisdictions=jurisdictions,
    source="USITC DataWeb (US, computed); curated indicators (Japan, EU)",
)

# %% [markdown]
# **Figure 5.** China's share of rare-earth imports. The line joins the figures on each jurisdiction's default basis (named on its panel) and breaks where a year has none; grey rings are figures on other bases for the same year.

# %% tags=[]
gaps = t["dependence_gaps"]
missing = "; ".join(
    f"{labels.JURISDICTIONS[j]} {len(g)} of {len(g) + int((t['import_shares']['jurisdiction'] == j).sum())}"
    for j, g in gaps.groupby("jurisdiction")
)
display(
    Markdown(
        "**Table 2.** China's share of imports before each episode, at its lowest since, and latest (year; "
        "source), on each jurisdiction's default basis, every jurisdiction measured from both episodes. "
        f"Years of {gaps['year'].min()}-{gaps['year'].max()} without a figure on the basis: {missing}."
    )
)

# %%
report.html_table(report.achievement_table(achieved, cite))

# %%
compare_charts.magnets_chart(
    t["magnet_shares"],
    episodes=episodes,
    source="CEPII BACI via the Critical Materials Atlas; BACI complete and UN Comtrade for 2022 and 2024",
)

# %% [markdown]
# **Figure 5b.** China's share of permanent-magnet imports (HS 850511, by value). Japan's magnet imports come mostly from outside China (its makers' plants in the Philippines and elsewhere), while the US and EU shares rose: the stage at which each diversified differs.

# %% [markdown]
# ## 4. Supply: production, concentration and refining

# %%
compare_charts.world_share_chart(
    t["china_share_of_production"],
    refining,
    source="USGS MYB 2022, MCS 2022, 2023, 2024, 2026; BGS; curated refining and magnet figures",
)

# %% [markdown]
# **Figure 6.** China's share of world mine production, one line per publication (BGS and each USGS edition, never spliced), and of refining and magnet making (curated figures for their data year).

# %%
compare_charts.production_chart(
    t["production_shares"],
    top=top_producers,
    first_year=production_first_year,
    source="USGS MYB 2022, MCS 2024, MCS 2026; BGS World Mineral Statistics",
)

# %% [markdown]
# **Figure 7.** Mine production outside China, by country, with China's share of world production.

# %%
hhi = t["concentration"]
compare_charts.concentration_chart(
    hhi[hhi["year"] >= production_first_year],
    source="USGS MYB 2022, MCS 2022, 2023, 2024, 2026; BGS World Mineral Statistics",
)

# %% [markdown]
# **Figure 8.** Concentration of world mine production (Herfindahl-Hirschman index), one line per publication.

# %% [markdown]
# ## 5. Prices

# %%
compare_charts.price_chart(
    t["price_series"],
    controls,
    first_year=price_first_year,
    source="Yiyawu; KOMIS; USGS MCS 2022-2024 salient statistics and MCS 2026; curated record quotes",
)

# %% [markdown]
# **Figure 9.** Rare-earth prices per kilogram: daily and annual series, each MCS edition its own series, the curated record's single quotes (2008-2013, including the 2011 peak, and 2025 in Europe) as points, and the 2025 controls marked.

# %% [markdown]
# ## 6. The articles' claims, checked against the data
#
# Each quantitative claim that notebook 01 extracted from the source articles is checked against the indicators and events above. The verdicts are *supported*, *supported with a caveat*, *consistent with some sources only* (the default basis disagrees, but one kind of source agrees: the note names it), *contradicted* and *not checkable*. A figure whose evidence spans a range is graded on the whole range, one kind of source at a time. Both articles are rewrites of pieces in other outlets, which the article labels name.

# %% [markdown]
# **Table 3.** Claim checks: the claim's figure, the verdict, and the evidence with its period and source.

# %%
report.html_table(report.claims_table(checks, articles, cite))

# %%
display(
    report.bullets(
        f"**{r.claim_text}** ({r.verdict}): {report.readable(r.note, cite)}." for r in checks.itertuples()
    )
)

# %% [markdown]
# The articles also assert things without a number: that China halted exports, that Japan invested in Australia, that China dominates supply, that Japan is still dependent, that the US and Europe are only now acting. Each sentence that names a country or organisation is read by a small set of rules; each rule that matches states the assertion in this report's words and checks it against the record or the indicators. Forecasts and sentences no rule reads are listed as not checkable, so the table shows how much of each article is covered.

# %%
asserted = t["assertion_checks"]
unread = asserted[asserted["verdict"] == "not checkable"]
display(
    Markdown(
        f"**Table 4.** Assertions without a number that the record can check ({len(asserted) - len(unread)} "
        f"of {len(asserted)}): the assertion, who makes it, the verdict, the evidence and its sources. The "
        f"other {len(unread)} are {(unread['topic'] == 'forecast').sum()} forecasts or recommendations and "
        f"{(unread['topic'] != 'forecast').sum()} sentences no rule reads (environment, costs, motives)."
    )
)

# %%
report.html_table(
    report.assertions_table(asserted[asserted["verdict"] != "not checkable"], t["events"], articles, cite)
)

# %%
display(
    report.bullets(
        f"**{r.assertion}** ({r.verdict}): {report.readable(r.note, cite)}."
        for r in t["assertion_checks"].itertuples()
        if r.verdict != "not checkable"
    )
)

# %% [markdown]
# ## 7. Methods and limitations

# %%
headings = " and ".join(compare.US_PROXY_HEADINGS)
display(
    Markdown(f"""
- **Editions.** USGS revises its figures between editions, and BGS and USGS count
  differently. Each share of world production is taken within one publication, so the
  numerator and denominator always come from the same table, and each publication is its own
  series: where BGS and the USGS editions overlap (2018-2023) they are shown side by side,
  never spliced.
- **One basis per series.** Each jurisdiction's import share is read on one declared basis:
  Japan, customs statistics by weight for rare-earth compounds and metals; the EU, Eurostat's
  extra-EU imports by weight; the US, imports for consumption by value under HTS {headings}
  (rare-earth compounds; the file has no narrower heading for metals), over the 18 partners
  queried. Before, lowest since and latest come from that series only; figures on other bases
  (value shares, narrower scopes, part years, estimates, publication years) are shown apart
  and never joined to it, and a year without a figure on the basis stays a gap.
- **Magnets.** Permanent-magnet imports (HS 850511) are a separate series from BACI, whose
  copy keeps each importer's top six suppliers; against complete BACI and declared Comtrade
  for 2022 and 2024 it differs by at most two points.
- **Mirror data.** China's exports to its partners (Comtrade) are the other side of their
  imports. They are used only as a check in notebook 02.
- **Claims.** A share agrees within {claim_checks.SHARE_TOLERANCE_PP:g} points, and an
  amount within {claim_checks.AMOUNT_TOLERANCE:.0%}. A duration agrees within
  {claim_checks.MONTHS_TOLERANCE:g} month or {claim_checks.YEARS_TOLERANCE:g} year. A claim
  that no rule matches is *not checkable*, with the reason.
- **The policy record.** One row per measure, coded by a codebook and checked by an independent
  second coding (notebook 02); it is curated from public sources and is not complete. A lever
  marked "not yet" means that the record has no such measure yet (right-censored), not that it
  was never used.
""")
)

# %% [markdown]
# ## References

# %%
drawn, unnamed, record_only = report.record_only_sources(t, jurisdictions, timeline_years)
Markdown(
    f"Figure 2 draws all {drawn} measures of the policy record in the compared jurisdictions and "
    f"China; Figure 3 and Table 1c use those within their windows. The report names {drawn - unnamed} "
    f"of them (Figure 1 and Tables 1 and 1d), and their sources are listed below. The other {unnamed} "
    f"are cited through the record: their {len(record_only)} further sources are in the data appendix "
    "([sources.html](sources.html), the whole "
    "citation registry), and each measure's source and locator are in measures.csv."
)

# %%
HTML(report.references(t["sources"], t["datasets"], report.cited_sources(t, jurisdictions, timeline_years)))
