"""The real stage graph: what reruns after which change, with a quick stand-in for papermill.

The six notebooks, their declared tables and the package's real source are copied to a
temporary project; each "execution" writes the stage's executed notebook and new content into
every table it declares, so what reruns is decided by the declarations and the build alone.
"""

from __future__ import annotations

import json
import shutil
import time

import pytest

from rare_earths.build import runner
from rare_earths.build.runner import BuildPlan, run
from rare_earths.build.stages import STAGES
from rare_earths.common import paths

PATH_NAMES = (
    "NOTEBOOKS",
    "DATA",
    "RAW",
    "MANIFESTS",
    "EXTERNAL",
    "CURATED",
    "TEXTS",
    "PROCESSED",
    "REPORTS",
    "SOURCE",
)


def _quick_execute(stage, parameters, reports):
    """Stand-in for papermill: the executed copy, and fresh content in every table the stage writes."""
    reports.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(stage.notebook, stage.executed(reports))
    for path in stage.writes:
        target = paths.PROJECT_ROOT / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(f"{stage.name} {time.time_ns()}")
    return True


def _quick_html(stage, reports):
    (reports / f"{stage.name}.html").write_text(stage.name)
    return True


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the notebooks, the package source and the manifests, with the build pointed at it."""
    root = tmp_path / "project"
    shutil.copytree(paths.NOTEBOOKS, root / "notebooks")
    shutil.copytree(paths.SOURCE, root / "src" / "rare_earths", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(paths.MANIFESTS, root / "data" / "raw" / "manifests")
    shutil.copytree(paths.CURATED, root / "data" / "raw" / "curated")
    top = paths.PROJECT_ROOT
    for name in PATH_NAMES:
        monkeypatch.setattr(paths, name, root / getattr(paths, name).relative_to(top))
    monkeypatch.setattr(paths, "PROJECT_ROOT", root)
    monkeypatch.setattr(paths, "BUILD_STATE", root / ".cache" / "doit-build.json")
    monkeypatch.setattr(paths, "EXTERNAL_MANIFEST", root / "data" / "raw" / "manifests" / "external.yml")
    monkeypatch.setattr(runner, "_execute", _quick_execute)
    monkeypatch.setattr(runner, "_html", _quick_html)
    monkeypatch.setattr(runner, "_appendix", lambda reports: None)  # the stand-in tables are not Parquet
    return root


def _build(root) -> dict[str, str]:
    plan = BuildPlan(stages=list(STAGES), parameters={}, formats=("html",), reports=root / "reports", jobs=2)
    assert run(plan) == 0
    return {name: result.summary for name, result in plan.results.items() if result.summary == "ran"}


def _touch(path):
    path.write_text(path.read_text() + "\n# edited\n")


def test_each_change_reruns_exactly_the_stages_it_touches(project):
    everything = {stage.name: "ran" for stage in STAGES}
    assert _build(project) == everything
    assert _build(project) == {}, "a build with nothing changed runs nothing"

    _touch(project / "src" / "rare_earths" / "report" / "__init__.py")
    assert set(_build(project)) == {"05-study-report"}

    _touch(project / "src" / "rare_earths" / "datasets" / "sources" / "bgs_wms.py")
    assert set(_build(project)) == {
        "02-clean-datasets",
        "03-build-timeline",
        "04-compare-diversification",
        "05-study-report",
    }

    (project / "data" / "processed" / "timeline_aligned.parquet").write_text("rewritten in JupyterLab")
    assert set(_build(project)) == {"05-study-report"}

    _touch(project / "src" / "rare_earths" / "common" / "periods.py")
    assert set(_build(project)) == set(everything), "every stage imports the shared package"


def test_the_build_state_holds_repository_relative_paths(project):
    _build(project)
    state = (project / ".cache" / "doit-build.json").read_text()
    assert str(project) not in state
    assert (
        '"notebooks/05-study-report.ipynb"' in state and '"data/processed/timeline_aligned.parquet"' in state
    )


def test_status_says_what_would_run_and_why(project):
    from rare_earths.build.runner import status

    _build(project)
    notebook = project / "notebooks" / "03-build-timeline.ipynb"
    notebook.write_text(notebook.read_text().replace('"cells": [', '"cells": [\n', 1))
    plan = BuildPlan(stages=list(STAGES), parameters={}, formats=("html",), reports=project / "reports")
    found = {task: (state, reasons) for task, state, reasons in status(plan)}
    assert found["notebook:03-build-timeline"][0] == "run"
    assert "notebooks/03-build-timeline.ipynb" in " ".join(found["notebook:03-build-timeline"][1])
    assert found["notebook:04-compare-diversification"][0] == "after"
    assert found["notebook:02-clean-datasets"][0] == "up-to-date"


def test_each_task_s_seconds_are_recorded_beside_the_build_state(project):
    plan = BuildPlan(
        stages=list(STAGES), parameters={}, formats=("html",), reports=project / "reports", jobs=2
    )
    assert run(plan) == 0
    record = runner.write_times(plan, 12.5)
    assert runner.times_file() == project / ".cache" / "build-times.json"
    assert json.loads(runner.times_file().read_text()) == record
    assert record["seconds"] == 12.5 and record["jobs"] == 2 and record["formats"] == ["html"]
    assert set(record["stages"]) == {stage.name for stage in STAGES}
    for times in record["stages"].values():
        assert set(times["seconds"]) == {"notebook", "html"} and times["status"]["notebook"] == "ran"
        assert all(value >= 0 for value in times["seconds"].values())


def test_the_second_build_of_a_fresh_tree_leaves_the_index_alone(project, monkeypatch):
    """The citation registry is written by notebook 02 during the first build; the index declares it from
    that build on, so the next build with nothing changed does not find a 'new input' and rewrite it."""

    def appendix(reports):
        for name in ("sources.html", "sources.csv"):
            (reports / name).write_text("the data appendix")

    monkeypatch.setattr(runner, "_appendix", appendix)
    _build(project)
    index = project / "reports" / "index.html"
    written = index.stat().st_mtime_ns
    time.sleep(0.01)
    assert _build(project) == {}
    assert index.stat().st_mtime_ns == written, "the index was rewritten by a build with nothing changed"


def test_a_pdf_is_printed_again_when_its_printer_charts_fonts_or_lock_change():
    """The PDF task depends on the HTML page and on everything that prints it: a change to the chart
    stamping or a new lock (weasyprint, vl-convert, pikepdf, the font packages) makes every PDF stale."""
    stage = STAGES[-1]
    plan = BuildPlan(stages=[stage], parameters={}, formats=("html", "pdf"))
    tasks = {task["name"]: task for task in runner._render_tasks(stage, plan, [])}
    printed = set(tasks[f"pdf:{stage.name}"]["file_dep"])
    assert {
        "src/rare_earths/build/render.py",
        "src/rare_earths/build/vector_charts.py",
        "src/rare_earths/build/fonts.py",
        "requirements.lock",
        f"reports/{stage.name}.html",
    } <= printed
