# %% [markdown]
# # 01 · Clean the source texts: articles without page furniture, and their facts as data
#
# The news articles of the study arrive as text copied from web pages or as saved HTML (`data/raw/texts/`, fetched by checksum from `data/raw/manifests/texts.yml`). This notebook runs `rare_earths.texts` over them: it repairs encodings and mojibake (charset-normalizer, ftfy), extracts HTML with trafilatura, drops page furniture with a line classifier (banners, share buttons, image placeholders, reading times, promotions, author boxes, related posts), and extracts every percentage, amount of money, quantity, year, date, duration, quotation, country and organisation.
#
# The articles are third-party texts: this report shows what was found (counts, values, names), never their sentences. The clean bodies are in `data/processed/documents.parquet` for the notebooks after this one.

# %% [markdown]
# ## Parameters

# %% tags=["parameters"]
texts_dir = "../data/raw/texts"
processed_dir = "../data/processed"
max_bytes = 5_000_000

# %% [markdown]
# ## Load

# %% tags=["remove-input"]
from pathlib import Path

import polars as pl
from IPython.display import Markdown, display

from rare_earths import texts
from rare_earths.common import renderers
from rare_earths.texts import charts

renderers.enable()  # svg; RARE_EARTHS_CHARTS=interactive in JupyterLab
pl.Config.set_tbl_rows(100)
pl.Config.set_tbl_hide_dataframe_shape(True)
pl.Config.set_fmt_str_lengths(80)

cleaned = texts.clean_folder(Path(texts_dir), max_bytes=max_bytes)

# %% [markdown]
# ## Compute
#
# ### Files skipped, refused or repaired
#
# Every file that was not used as it is appears here with the reason: nothing is dropped silently.

# %%
problems = cleaned.problems.sort("file", "action")
if problems.is_empty():
    display(
        Markdown(
            f"All {cleaned.documents.height} file(s) were read as they are: "
            "no file was skipped, refused or repaired."
        )
    )
else:
    display(problems)

# %% [markdown]
# ### Articles
#
# One row per article. `doc_id` is taken from the cleaned body, so a second copy of an article is recognised; `original_outlet` is the paper an article summarises or names as its source. Lines kept and dropped count the non-empty lines of the page.

# %%
cleaned.documents.select(
    "doc_id",
    "file",
    "published",
    "outlet",
    "original_outlet",
    "byline",
    pl.col("tags").list.len().alias("tags"),
    "word_count",
    "lines_kept",
    "lines_dropped",
).sort("file")

# %% [markdown]
# ### Items extracted, by kind
#
# Counts per article: figures (percentages, money, quantities), time (years, dates, durations), quotations, and the countries and organisations named.

# %%
counts = cleaned.claims.group_by("doc_id", "kind").agg(pl.len().alias("items")).sort("doc_id", "kind")
counts.pivot("kind", index="doc_id", values="items").fill_null(0).select(
    "doc_id", *[kind for kind in charts.KIND_ORDER if kind in counts["kind"]]
).sort("doc_id")

# %% [markdown]
# ### Figures and dates as data
#
# Every number in the bodies with its normalised value and unit (money in units of the currency, "two-month" as 2 month), the qualifier written before it ("over", "about"), and the year or date its sentence ties it to (`current` where the sentence says "now" or "currently"). These are the claims notebook 05 checks against the statistics.

# %%
cleaned.claims.filter(
    pl.col("kind").is_in(["percentage", "money", "quantity", "duration", "year", "date"])
).select("doc_id", "kind", "text", "value", "unit", "qualifier", "normalised", "period").sort(
    "doc_id", "kind", "text"
)

# %% [markdown]
# ### Who is quoted
#
# Speakers with the role the text gives them; a later surname-only attribution is resolved to the full name given earlier.

# %%
cleaned.claims.filter(pl.col("kind") == "quote").group_by("doc_id", "speaker", "speaker_role").agg(
    pl.len().alias("quotes")
).sort("doc_id", "speaker")

# %% [markdown]
# ### Countries and organisations
#
# Countries as ISO 3166 codes (EU for the Union), counting capitals used as stand-ins ("Beijing", "Tokyo") and adjectives ("Japanese").

# %%
cleaned.claims.filter(pl.col("kind").is_in(["country", "organisation"])).group_by("kind", "normalised").agg(
    pl.len().alias("mentions"), pl.col("doc_id").n_unique().alias("articles")
).sort("kind", "normalised")

# %% [markdown]
# ## Figures
#
# **Figure 1.** Items extracted from each article, by kind.

# %%
charts.claims_chart(counts.to_pandas(), source="articles under data/raw/texts, cleaned by rare_earths.texts")

# %% [markdown]
# ## Save
#
# The three tables go to `data/processed/` (written to temporary files first, so a failed run leaves the previous tables in place).

# %%
written = texts.write_outputs(cleaned, Path(processed_dir))
sorted(path.name for path in written.values())
