# %% [markdown]
# # 00 · Data inventory: where every number comes from
#
# Every raw input of the study, read through the `rare_earths` package: the external files fetched by checksum from the manifest (`data/raw/manifests/`), with their public origin and licence, and the tables the team compiled by hand (`data/raw/curated/`). For each file: size, sha256, whether it is present and intact, how many rows it has, and which years and countries it covers.
#
# Rows, years and countries are counted as the files stand, before any cleaning (country labels as printed, footnote markers included); the cleaned tables come from notebook 02.

# %% [markdown]
# ## Parameters

# %% tags=["parameters"]
raw_dir = "../data/raw"
processed_dir = "../data/processed"
first_year = 1990
last_year = 2026

# %% [markdown]
# ## Load

# %% tags=["remove-input"]
from pathlib import Path

import pandas as pd
from IPython.display import Markdown, display

from rare_earths import inventory
from rare_earths.common import renderers
from rare_earths.inventory import charts

renderers.enable()  # svg; RARE_EARTHS_CHARTS=interactive in JupyterLab
pd.set_option("display.max_rows", 200)
pd.set_option("display.max_colwidth", None)

table, coverage = inventory.load_inventory(Path(raw_dir))

# %% [markdown]
# ## Compute
#
# ### What is missing
#
# A file the manifest lists but that is absent, or whose sha256 differs, cannot be used; every report that needs it says so. `rare-earths data fetch` brings the files in place.

# %%
problems = table[table.status != "present"]
if problems.empty:
    display(Markdown(f"All {len(table)} inputs are present and match their manifest checksums."))
else:
    listed = "\n".join(f"- `{row.file}`: {row.status}" for row in problems.itertuples())
    display(Markdown(f"**{len(problems)} of {len(table)} inputs cannot be used:**\n\n{listed}"))

# %% [markdown]
# ### Datasets
#
# Files, bytes and rows per dataset (`not_usable` counts missing or mismatched files).

# %%
inventory.by_dataset(table)

# %% [markdown]
# ### Where each file comes from
#
# Origin is `repository@commit:path` of the public copy the manifest fetches; the original publisher and licence are those the copy states.

# %%
table.set_index("file")[["publisher", "origin", "licence"]]

# %% [markdown]
# ### What each file covers
#
# The sha256 is cut to 12 characters here; the full value is in the manifest and in `reports/index.html`. Countries count the distinct country labels as the file writes them.

# %%
covered = [
    "size_bytes",
    "sha256",
    "status",
    "rows",
    "first_year",
    "last_year",
    "years_covered",
    "countries",
    "country_examples",
]
table.assign(sha256=table.sha256.str[:12]).set_index("file")[covered]

# %% [markdown]
# ## Figures
#
# **Figure 1.** Years covered by each raw input from `first_year` on (documentation files without years are left out; earlier years, such as Data Series 140 from 1900, are in the table above). The yearly UN Comtrade extracts are drawn as one line.

# %%
charts.coverage_chart(
    inventory.yearly_coverage(coverage),
    first_year=first_year,
    last_year=last_year,
    source="files under data/raw, see the table above",
)

# %% [markdown]
# ## Save
#
# The inventory and the coverage table go to `data/processed/` for the notebooks after this one.

# %%
processed = Path(processed_dir)
processed.mkdir(parents=True, exist_ok=True)
table.to_parquet(processed / "inventory.parquet", index=False)
coverage.to_parquet(processed / "inventory_coverage.parquet", index=False)
