"""The reports index never passes off a report from an earlier notebook run as current, and never marks a
current one stale."""

from __future__ import annotations

import os

from rare_earths.build import render, runner
from rare_earths.build.render import ReportEntry, write_index
from rare_earths.build.runner import stale_formats
from rare_earths.build.stages import STAGES


def test_a_pdf_printed_from_another_html_is_marked_stale(tmp_path, monkeypatch):
    monkeypatch.setattr(runner.paths, "BUILD_STATE", tmp_path / ".cache" / "doit-build.json")
    stage = STAGES[0]
    executed, page = tmp_path / f"{stage.name}.ipynb", tmp_path / f"{stage.name}.html"
    executed.write_text("run 1")
    page.write_text("<p>run 1</p>")
    monkeypatch.setattr(render, "html_to_pdf", lambda source, pdf: pdf.write_bytes(b"%PDF"))
    runner._pdf(stage, tmp_path)
    assert stale_formats(stage, tmp_path, ("html", "pdf")) == ()
    for path in (executed, page):  # the notebook and its HTML rerun later with the same output
        os.utime(path, (path.stat().st_mtime + 60,) * 2)
    assert stale_formats(stage, tmp_path, ("html", "pdf")) == (), "same HTML: the older PDF is still current"
    page.write_text("<p>run 2, other parameters</p>")  # build --formats html: the PDF is not printed again
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
