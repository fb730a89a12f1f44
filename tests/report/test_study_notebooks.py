"""The shock episodes as a build parameter: `-p episodes=...` reaches notebooks 03 and 04 and changes the
adoption table and the aligned figure that notebook 03 writes (run with papermill on the real record);
the old `shocks` parameter is refused with a message naming `episodes`."""

from __future__ import annotations

import json
import shutil

import nbformat
import pandas as pd
import pytest

from rare_earths.build.parameters import ParameterError, resolve
from rare_earths.build.stages import stage_named
from rare_earths.common import paths
from rare_earths.timeline import DEFAULTS

DEFAULT = {"S1": "2010-07-08", "S2": "2025-04-04"}
EARLIER = {"S1": "2010-09-21", "S2": "2023-07-03"}
INPUTS = ("events", "claims", "measures", "milestones", "episodes")


def test_the_default_episodes_are_the_curated_records():
    from rare_earths.datasets import curated

    episodes = curated.load()["episodes"]
    assert (
        {row.episode: str(row.start.date()) for row in episodes.itertuples()}
        == DEFAULTS["episodes"]
        == DEFAULT
    )


def test_episodes_on_the_command_line_reach_the_timeline_and_comparison_notebooks():
    notebooks = {name: stage_named(name).notebook for name in ("03", "04", "05")}
    resolved = resolve(notebooks, [f"episodes={json.dumps(EARLIER)}"])
    assert resolved["03"]["episodes"] == EARLIER and resolved["04"]["episodes"] == EARLIER
    assert resolved["05"] == {}, "the report reads the episodes from what notebook 03 wrote"


def test_the_old_shocks_parameter_is_refused_naming_episodes():
    notebooks = {name: stage_named(name).notebook for name in ("03", "04")}
    with pytest.raises(ParameterError, match=r"parameter 'shocks' was renamed 'episodes'"):
        resolve(notebooks, ['shocks={"JP": "2010-09-21"}'])


def _run_timeline(tmp_path, name: str, episodes: dict) -> tuple[pd.DataFrame, str]:
    """Notebook 03 on a copy of the real record; its adoption table and the aligned SVG."""
    import papermill

    processed = tmp_path / name
    processed.mkdir()
    for table in INPUTS:
        shutil.copy(paths.PROCESSED / f"{table}.parquet", processed / f"{table}.parquet")
    executed = tmp_path / f"{name}.ipynb"
    papermill.execute_notebook(
        stage_named("03").notebook,
        executed,
        parameters={"processed_dir": str(processed), "episodes": episodes},
        cwd=str(paths.NOTEBOOKS),
        progress_bar=False,
    )
    cells = nbformat.read(executed, as_version=4).cells
    figure = next(c for c in cells if c.cell_type == "code" and "shock_aligned_chart" in c.source)
    svg = next(o["data"]["image/svg+xml"] for o in figure.outputs if "image/svg+xml" in o.get("data", {}))
    return pd.read_parquet(processed / "adoption.parquet"), svg


@pytest.mark.skipif(
    not all((paths.PROCESSED / f"{t}.parquet").is_file() for t in INPUTS),
    reason="data/processed has no record yet: run `make report`",
)
def test_other_episodes_change_the_adoption_table_and_the_aligned_figure(tmp_path):
    default, default_svg = _run_timeline(tmp_path, "default", DEFAULT)
    earlier, earlier_svg = _run_timeline(tmp_path, "earlier", EARLIER)
    assert "S2 2025-04-04" in default_svg and "S2 2023-07-03" in earlier_svg and default_svg != earlier_svg
    for table, episodes in ((default, DEFAULT), (earlier, EARLIER)):
        starts = table.groupby("episode")["start"].first().dt.strftime("%Y-%m-%d").to_dict()
        assert starts == episodes, "every jurisdiction is measured from the same episode start"
        adopted = table[table["state"] == "adopted"]
        assert (adopted["months"] >= 0).all() and (adopted["months"] <= adopted["window_months"]).all()
    keys = ["episode", "jurisdiction", "instrument", "window_months"]
    merged = default.merge(earlier, on=keys, suffixes=("_default", "_earlier"))
    assert (merged["label_default"] != merged["label_earlier"]).any(), "other episode dates move the table"
    s2 = merged[merged["episode"] == "S2"]
    assert (s2["observed_months_earlier"] > s2["observed_months_default"] + 20).all(), (
        "an earlier S2 is observed for longer before the record ends"
    )
    twelve = s2[s2["window_months"] == 12]
    assert (twelve["state_earlier"] != "censored").all(), (
        "a 12-month window after July 2023 is fully observed"
    )
