"""Incremental builds: what reruns after which change, on two tiny chained notebooks."""

from __future__ import annotations

import nbformat
import pytest

from rare_earths.build import runner as build
from rare_earths.build.runner import BuildPlan, run
from rare_earths.build.stages import Stage
from rare_earths.common import paths


def _write_notebook(path, parameters: str, body: str) -> None:
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {
        "name": "rare-earths",
        "display_name": "Python (rare-earths)",
        "language": "python",
    }
    notebook.cells = [
        nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(body),
    ]
    nbformat.write(notebook, path)


@pytest.fixture
def tiny_project(tmp_path, monkeypatch):
    """Two stages, the second reading what the first wrote; html only, to keep it quick."""
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    (root / "inputs").mkdir()
    (root / "inputs" / "numbers.csv").write_text("x\n1\n2\n")
    _write_notebook(
        root / "notebooks" / "10-first.ipynb",
        'source = "../inputs/numbers.csv"',
        'total = sum(int(v) for v in open(source).read().split()[1:])\nopen("../total.txt", '
        '"w").write(str(total))\nprint("total", total)',
    )
    _write_notebook(
        root / "notebooks" / "11-second.ipynb",
        "factor = 2",
        'print("scaled", int(open("../total.txt").read()) * factor)',
    )
    stages = (
        Stage("10-first", inputs=("inputs/*.csv",), writes=("total.txt",)),
        Stage("11-second", reads=("total.txt",)),
    )
    monkeypatch.setattr(paths, "PROJECT_ROOT", root)
    monkeypatch.setattr(paths, "NOTEBOOKS", root / "notebooks")
    monkeypatch.setattr(paths, "BUILD_STATE", root / ".cache" / "doit.json")
    monkeypatch.setattr(build, "STAGES", stages)
    return root, stages


def _build(root, stages, parameters=None, only=None):
    chosen = [s for s in stages if only is None or s.name in only]
    plan = BuildPlan(stages=chosen, parameters=parameters or {}, formats=("html",), reports=root / "reports")
    code = run(plan)
    return code, {name: result.summary for name, result in plan.results.items()}


def test_reruns_exactly_the_changed_notebook_and_those_after_it(tiny_project):
    root, stages = tiny_project
    assert _build(root, stages) == (0, {"10-first": "ran", "11-second": "ran"})
    assert (root / "reports" / "11-second.html").is_file() and (root / "reports" / "index.html").is_file()
    assert _build(root, stages) == (0, {"10-first": "skipped", "11-second": "skipped"})

    second = root / "notebooks" / "11-second.ipynb"
    _write_notebook(second, "factor = 3", 'print("scaled", int(open("../total.txt").read()) * factor)')
    assert _build(root, stages) == (0, {"10-first": "skipped", "11-second": "ran"})

    (root / "inputs" / "numbers.csv").write_text("x\n1\n2\n3\n")
    assert _build(root, stages) == (0, {"10-first": "ran", "11-second": "ran"})
    assert "scaled 18" in (root / "reports" / "11-second.html").read_text()

    assert _build(root, stages, parameters={"11-second": {"factor": 10}}) == (
        0,
        {"10-first": "skipped", "11-second": "ran"},
    )
    assert "scaled 60" in (root / "reports" / "11-second.html").read_text()
    assert _build(root, stages, parameters={"11-second": {"factor": 10}}) == (
        0,
        {"10-first": "skipped", "11-second": "skipped"},
    )


def test_a_failing_notebook_stops_the_chain_and_keeps_the_last_good_report(tiny_project):
    root, stages = tiny_project
    assert _build(root, stages)[0] == 0
    good = (root / "reports" / "10-first.ipynb").read_text()
    _write_notebook(
        root / "notebooks" / "10-first.ipynb",
        'source = "../inputs/numbers.csv"',
        'raise ValueError("bad input row 3")',
    )
    code, results = _build(root, stages)
    assert code != 0 and results == {"10-first": "failed"}
    assert (root / "reports" / "10-first.ipynb").read_text() == good
    assert "bad input row 3" in (root / "reports" / "10-first.failed.ipynb").read_text()


def test_only_builds_the_named_notebook(tiny_project):
    root, stages = tiny_project
    assert _build(root, stages)[0] == 0
    (root / "inputs" / "numbers.csv").write_text("x\n5\n")
    assert _build(root, stages, only={"11-second"}) == (0, {"11-second": "skipped"})
    assert _build(root, stages, only={"10-first"}) == (0, {"10-first": "ran"})
