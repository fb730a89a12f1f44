"""The reports index never passes off a report from an earlier notebook run as current."""

from __future__ import annotations

import os

from rare_earths.build.render import ReportEntry, write_index
from rare_earths.build.runner import stale_formats
from rare_earths.build.stages import STAGES


def test_a_pdf_older_than_the_notebook_run_is_marked_stale(tmp_path):
    stage = STAGES[0]
    executed, page, pdf = (tmp_path / f"{stage.name}.{suffix}" for suffix in ("ipynb", "html", "pdf"))
    for path, when in ((pdf, 1_000), (executed, 2_000), (page, 3_000)):  # pdf from a run before this one
        path.write_text("x")
        os.utime(path, (when, when))
    assert stale_formats(stage, tmp_path, ("html", "pdf")) == ("pdf",)
    write_index(
        tmp_path / "index.html",
        [ReportEntry(stage.name, ("html", "pdf"), {"first_year": 2000}, (), ("pdf",))],
        [],
        built_at="now",
        version="0",
        commit="abc",
    )
    index = (tmp_path / "index.html").read_text()
    assert index.count("stale: from an earlier run") == 1 and "first_year=2000" in index


def test_without_an_executed_notebook_every_report_is_stale(tmp_path):
    stage = STAGES[0]
    (tmp_path / f"{stage.name}.html").write_text("x")
    assert stale_formats(stage, tmp_path, ("html",)) == ("html",)
