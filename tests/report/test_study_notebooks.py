"""The shock dates as a build parameter: `-p shocks=...` reaches notebooks 03 and 04, and changes the
shock-aligned figure and the lever table that notebook 03 writes (run with papermill on the real events)."""

from __future__ import annotations

import json
import shutil

import nbformat
import pandas as pd
import pytest

from rare_earths.build.parameters import resolve
from rare_earths.build.stages import stage_named
from rare_earths.common import paths

DEFAULT = {"JP": "2010-09-21", "US": "2025-04-04", "EU": "2025-04-04"}
EARLIER = {"JP": "2010-09-21", "US": "2023-07-03", "EU": "2023-07-03"}
INPUTS = ("events", "claims")


def test_shocks_on_the_command_line_reach_the_timeline_and_comparison_notebooks():
    notebooks = {name: stage_named(name).notebook for name in ("03", "04", "05")}
    resolved = resolve(notebooks, [f"shocks={json.dumps(EARLIER)}"])
    assert resolved["03"]["shocks"] == EARLIER and resolved["04"]["shocks"] == EARLIER
    assert resolved["05"] == {}, "the report reads the shocks from what notebook 03 wrote"


def _run_timeline(tmp_path, name: str, shocks: dict) -> tuple[pd.DataFrame, str]:
    """Notebook 03 on a copy of the real events and claims; its lever table and the shock-aligned SVG."""
    import papermill

    processed = tmp_path / name
    processed.mkdir()
    for table in INPUTS:
        shutil.copy(paths.PROCESSED / f"{table}.parquet", processed / f"{table}.parquet")
    executed = tmp_path / f"{name}.ipynb"
    notebook = stage_named("03").notebook
    papermill.execute_notebook(
        notebook,
        executed,
        parameters={"processed_dir": str(processed), "shocks": shocks},
        cwd=str(paths.NOTEBOOKS),
        progress_bar=False,
    )
    cells = nbformat.read(executed, as_version=4).cells
    figure = next(c for c in cells if c.cell_type == "code" and "shock_aligned_chart" in c.source)
    svg = next(o["data"]["image/svg+xml"] for o in figure.outputs if "image/svg+xml" in o.get("data", {}))
    return pd.read_parquet(processed / "levers.parquet"), svg


@pytest.mark.skipif(
    not all((paths.PROCESSED / f"{t}.parquet").is_file() for t in INPUTS),
    reason="data/processed has no events/claims yet: run `make report`",
)
def test_earlier_us_and_eu_shocks_change_the_aligned_figure_and_the_lags(tmp_path):
    default_levers, default_svg = _run_timeline(tmp_path, "default", DEFAULT)
    earlier_levers, earlier_svg = _run_timeline(tmp_path, "earlier", EARLIER)

    assert (
        "US 2025-04-04" in default_svg
        and "US 2023-07-03" in earlier_svg
        and "US 2023-07-03" not in default_svg
    )
    assert default_svg != earlier_svg

    for levers, shocks in ((default_levers, DEFAULT), (earlier_levers, EARLIER)):
        by = levers.set_index(["lever", "jurisdiction"])
        assert (
            levers.groupby("jurisdiction")["shock_date"].first().dt.strftime("%Y-%m-%d").to_dict() == shocks
        )
        used = levers[levers["status"] == "used"]
        assert (used["first_date"] >= used["shock_date"]).all(), (
            "a lever counts from its jurisdiction's own shock"
        )
        for row in used.itertuples():
            japan = by.loc[(row.lever, "JP"), "months_after_shock"]
            assert row.lag_years == pytest.approx((row.months_after_shock - japan) / 12, abs=0.051)

    merged = default_levers.merge(
        earlier_levers, on=["lever", "jurisdiction"], suffixes=("_default", "_earlier")
    )
    changed = merged[
        merged["jurisdiction"].isin(["US", "EU"])
        & (merged["lag_label_default"] != merged["lag_label_earlier"])
    ]
    assert len(changed) > 0, "moving the US and EU shocks must move some lags"
    japan = merged[merged["jurisdiction"] == "JP"]
    assert (japan["lag_label_default"] == japan["lag_label_earlier"]).all(), "Japan's own shock did not move"
