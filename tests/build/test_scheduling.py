"""The build starts the notebooks that head the longest chain first, so two jobs finish sooner."""

from __future__ import annotations

import json

from rare_earths.build import runner
from rare_earths.build.runner import BuildPlan
from rare_earths.build.stages import STAGES

SECONDS = {
    "00-data-inventory": 11.0,
    "01-clean-source-texts": 9.4,
    "02-clean-datasets": 32.6,
    "03-build-timeline": 18.2,
    "04-compare-diversification": 13.7,
    "05-study-report": 8.7,
}


def test_the_longest_chain_comes_first():
    ordered = [stage.name for stage in runner.critical_path_order(list(STAGES), SECONDS)]
    # 02 heads 02-03-04-05 (73 s), 01 heads 01-03-04-05 (50 s), 00 reads and feeds nothing (11 s).
    assert ordered[:2] == ["02-clean-datasets", "01-clean-source-texts"]
    assert ordered.index("03-build-timeline") < ordered.index("04-compare-diversification")
    assert ordered.index("04-compare-diversification") < ordered.index("05-study-report")


def test_notebooks_are_dispatched_before_the_renders(monkeypatch):
    monkeypatch.setattr(runner, "estimated_seconds", lambda: SECONDS)
    plan = BuildPlan(stages=list(STAGES), parameters={}, formats=("html", "pdf"))
    order = runner._dispatch_order(plan)
    assert sorted(order) == sorted(runner._selected(plan))
    assert order[0] == "build:notebook:02-clean-datasets"
    assert all(name.startswith("build:notebook:") for name in order[: len(STAGES)])
    assert order[len(STAGES) :][:2] == ["build:html:02-clean-datasets", "build:pdf:02-clean-datasets"]


def test_estimates_come_from_the_benchmark_then_the_last_build(tmp_path, monkeypatch):
    benchmark, times = tmp_path / "results.json", tmp_path / "build-times.json"
    benchmark.write_text(json.dumps({"reports": {"stages": {"02-clean-datasets": {"execute_s": 30.0}}}}))
    monkeypatch.setattr(runner, "BENCHMARK", benchmark)
    monkeypatch.setattr(runner, "times_file", lambda: times)
    assert runner.estimated_seconds() == {"02-clean-datasets": 30.0}
    times.write_text(
        json.dumps(
            {
                "stages": {
                    "01-clean-source-texts": {"status": {"notebook": "ran"}, "seconds": {"notebook": 7.0}},
                    "02-clean-datasets": {"status": {"notebook": "up-to-date"}, "seconds": {}},
                }
            }
        )
    )
    assert runner.estimated_seconds() == {"02-clean-datasets": 30.0, "01-clean-source-texts": 7.0}
