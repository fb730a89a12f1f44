# %% [markdown]
# # 03 · Build the timeline: measures in lanes, linked to the articles, adoption after each shock episode
#
# The curated policy record (`events`, written by notebook 02: one row per measure at its first milestone) becomes one timeline table. Each measure goes into a lane: its jurisdiction, with a measure of an EU member state in the EU lane. It is linked to the articles whose date or year claims name it (`claims`, written by notebook 01). Japan, the United States and the EU are then measured from the **same** shock episodes (`episodes`; by default S1, China's 2010 squeeze from the July 2010 quota cut, and S2, its export controls from 4 April 2025, both from `data/raw/curated/episodes.csv`): for each instrument, the first new measure within equal windows, with measures in force before the episode counted apart and windows that run past the end of the data marked as censored, never as non-adoption. A robustness table says how often each conclusion survives other reasonable choices.

# %% [markdown]
# ## Parameters

# %% tags=["parameters"]
processed_dir = "../data/processed"
episodes = {"S1": "2010-07-08", "S2": "2025-04-04"}
jurisdictions = ["JP", "US", "EU"]
windows = [12, 36, 60]
milestone_steps = ["adopted", "funded"]
include_member_states = True
include_state_companies = False
dating = "main"
window_years = 5
timeline_years = [2008, 2026]

# %% [markdown]
# ## Load

# %% tags=["remove-input"]
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

from rare_earths import timeline
from rare_earths.build.parameters import refuse_renamed
from rare_earths.common import registry, renderers
from rare_earths.timeline import adoption, charts

refuse_renamed(globals())
renderers.enable()  # svg; RARE_EARTHS_CHARTS=interactive in JupyterLab
pd.set_option("display.max_rows", 100)
pd.set_option("display.max_colwidth", 60)

processed_path = Path(processed_dir)
events = registry.read("events", processed_path)
claims = registry.read("claims", processed_path)
measures = registry.read("measures", processed_path)
milestones = registry.read("milestones", processed_path)
starts = adoption.parse_episodes(episodes)
window_months = adoption.check_windows(windows)
variant = adoption.Variant(
    steps=tuple(milestone_steps),
    member_states=include_member_states,
    state_companies=include_state_companies,
    dating=dating,
)

# %% [markdown]
# ## Compute

# %% [markdown]
# ### Links to the articles
#
# A date or year claim links to an event when three things agree. The dates overlap, at the precision each side states. The claim's sentence names the event's jurisdiction (or the EU, for a member state). The sentence also uses a word of the event's instrument (`timeline.LEVER_WORDS`; for example "cutoff" or "halt" for an export restriction). When the sentence names an organisation, only the events that involve it are kept. The table shows the normalised date of each claim, not its sentence.

# %%
links = timeline.article_links(events, claims)
links[["doc_id", "claim_kind", "claim_date", "event_id", "matched_word"]]

# %%
table = timeline.build(events, links)
table.groupby("lane").agg(
    events=("event_id", "size"),
    linked_to_articles=("linked_claims", lambda s: int((s > 0).sum())),
    first=("date", "min"),
    last=("date", "max"),
).sort_values("events", ascending=False)

# %% [markdown]
# ### Alignment on each episode
#
# Every lane is measured in months from the start of each episode (a month is 365.25 / 12 days); only measures within `window_years` on either side are kept.

# %%
aligned = timeline.align(table, episodes, jurisdictions, window_years).assign(window_years=window_years)
aligned.groupby(["episode", "lane"]).agg(
    start=("shock_date", "first"),
    before=("months_from_shock", lambda m: int((m < 0).sum())),
    after=("months_from_shock", lambda m: int((m >= 0).sum())),
)

# %% [markdown]
# ### Time to adoption, within equal windows
#
# For each episode, jurisdiction and instrument: the first new measure dated by its first milestone of the chosen steps (`milestone_steps`), counted from the episode start. A measure whose chosen step comes before the start was already in force: it is the baseline (`baseline_measures`), shown apart. Within each window a cell reads "N mo (measure)", "none within W months", or "censored at M months" when the record ends before the window does. Only government actors count by default (member states in the EU lane: `include_member_states`; state-owned companies: `include_state_companies`).

# %%
dated = adoption.dated_measures(measures, milestones, variant)
end = adoption.data_end(milestones)
adopted = adoption.adoption(dated, starts, window_months, end)
display(
    Markdown(
        f"Counting: {variant.describe()}. {len(dated)} response measures, "
        f"{int(dated['date'].isna().sum())} of them with no milestone of the chosen steps (not dated). "
        f"The record ends on {end.date()}."
    )
)
for (episode, window), group in adopted.groupby(["episode", "window_months"], sort=False):
    display(Markdown(f"**{episode}, within {window} months** (start {starts[episode].date()})"))
    display(group.pivot(index="instrument", columns="jurisdiction", values="label")[jurisdictions])

# %%
display(Markdown("Measures in force before each episode (the baseline), per instrument:"))
baseline = adopted[adopted["window_months"] == window_months[0]]
baseline.pivot(index="instrument", columns=["episode", "jurisdiction"], values="baseline_measures")

# %% [markdown]
# ### Cumulative adoption
#
# The share of the twelve instruments each jurisdiction has adopted, month by month after each episode start, up to the end of the data. With one censoring time for every instrument (the end of the data), the Kaplan-Meier estimate of the share adopted by month m is this share itself, so no survival library is used.

# %%
curves = adoption.curves(dated, starts, end)
curves[curves["month"].isin([0, 6, 12, 24, 36, 60, 120])].pivot(
    index="month", columns=["episode", "jurisdiction"], values="instruments_adopted"
)

# %% [markdown]
# ### How robust each conclusion is
#
# Who adopted each instrument first within each window, recomputed over variants (one change at a time): episode starts moved by 3 months either way, member states out, state companies in, the earliest and the latest of the alternative datings, and the milestone used (announced, adopted or funded alone). `share_holding` is the share of variants in which the conclusion holds.

# %%
robust = adoption.robustness(measures, milestones, starts, window_months, variant)
robust.pivot(index="instrument", columns=["episode", "window_months"], values="first")

# %%
robust[robust["share_holding"] < 1][
    ["episode", "window_months", "instrument", "first", "share_holding", "differs_under"]
]

# %% [markdown]
# ## Figures

# %%
charts.swimlane_chart(
    table,
    lanes=[*jurisdictions, "CN"],
    first_year=timeline_years[0],
    last_year=timeline_years[1],
    source="curated policy record (data/raw/curated/measures.csv, milestones.csv)",
)

# %%
charts.shock_aligned_chart(
    aligned,
    episodes=episodes,
    lanes=jurisdictions,
    window_years=window_years,
    source="curated policy record (measures.csv, milestones.csv)",
)

# %%
charts.adoption_matrix_chart(
    adopted,
    windows=adoption.widest_observed(adopted),
    source="curated policy record (measures.csv, milestones.csv)",
)

# %%
charts.adoption_curves_chart(curves, source="curated policy record (measures.csv, milestones.csv)")

# %% [markdown]
# ## Save
#
# `timeline`, `timeline_aligned`, `adoption`, `adoption_curves`, `adoption_robustness` and `article_links` go to `data/processed/` as Parquet. Each file is written in full before it replaces the previous one.

# %%
written = registry.write(
    {
        "timeline": table,
        "timeline_aligned": aligned,
        "adoption": adopted,
        "adoption_curves": curves,
        "adoption_robustness": robust,
        "article_links": links,
    },
    processed_path,
)
pd.DataFrame({"table": list(written), "rows": [len(pd.read_parquet(p)) for p in written.values()]})
