"""Careless and hostile requests to `rare-earths build` and `texts`: each refused before anything runs, with
the notebook, parameter, value and rule named, exit code 2, and no output touched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from rare_earths.build import validation
from rare_earths.build.cli import main
from rare_earths.build.lock import build_lock, clean_floor
from rare_earths.build.parameters import notebook_parameters
from rare_earths.build.stages import STAGES
from rare_earths.common import paths


def _refused(capsys, *arguments: str) -> str:
    before = {p: p.read_bytes() for p in paths.PROCESSED.glob("*.parquet")}
    assert main(["build", "--dry-run", *arguments]) == 2
    after = {p: p.read_bytes() for p in paths.PROCESSED.glob("*.parquet")}
    assert after == before, "a refused build touches no output"
    return capsys.readouterr().err


@pytest.mark.parametrize(
    ("parameter", "expected"),
    [
        ("first_year=99999", "00-data-inventory: first_year=99999: a year between 1900 and 2030"),
        ("last_year=1066", "last_year=1066: a year between 1900 and 2030"),
        ("years=[2020, 2010]", "02-clean-datasets: years=[2020, 2010]: the first year is after the last"),
        ("years=[2010]", "years=[2010]: [first year, last year]: two years"),
        ("timeline_years=[2008, 2100]", "timeline_years=[2008, 2100]: a year between 1900 and 2030"),
        ('episodes={"S1": "2010-13-08"}', "episode S1: '2010-13-08' is not a date (YYYY-MM-DD)"),
        (
            'episodes={"S1": "2010-07-08", "shock": "2025-04-04"}',
            "key 'shock' is not an episode name like S1",
        ),
        ("episodes={}", "episodes={}: at least one episode"),
        ('jurisdictions=["JP", "XX"]', "['XX'] not among ['JP', 'US', 'EU']"),
        ('jurisdictions=["JP", "JP"]', "a value is listed twice"),
        ("windows=[36, 12]", "windows in increasing order, each once"),
        ("windows=[0]", "a list of windows in months, each from 1 to 600"),
        ("money_window=0", "money_window=0: a whole number from 1 to 600"),
        ('milestone_steps=["signed"]', "['signed'] not among"),
        ("dating=median", "dating='median': one of ['main', 'earliest', 'latest']"),
        ("edition_policy=newest", "edition_policy='newest': one of ['latest', 'first']"),
        ("tolerance_pct=-5", "tolerance_pct=-5.0: a percentage from 0 to 100"),
        ("top_producers=0", "top_producers=0: a whole number from 1 to 50"),
        ("max_bytes=0", "01-clean-source-texts: max_bytes=0: a whole number from 1 to 50,000,000"),
        ("max_bytes=-1", "max_bytes=-1: a whole number from 1"),
        ('price_elements=["Nd", "Fe"]', "['Fe'] not among"),
        ('control_events=["CN-2025-04"]', "['CN-2025-04'] are not measure ids like M-CN-2025-01"),
        ("processed_dir=/tmp/elsewhere", "/tmp/elsewhere is outside the repository"),
        ("processed_dir=../../..", "is outside the repository"),
        ("processed_dir=", "processed_dir='': an empty path"),
    ],
)
def test_a_bad_parameter_value_is_refused_before_anything_runs(capsys, parameter, expected):
    message = _refused(capsys, "-p", parameter)
    assert "parameter values refused before anything ran" in message and expected in message, message


def test_every_problem_is_listed_at_once(capsys):
    message = _refused(capsys, "-p", "first_year=99999", "-p", "edition_policy=newest", "-p", "max_bytes=0")
    assert message.count("\n  ") == 4, (
        message
    )  # first_year, max_bytes and edition_policy in notebooks 02 and 04


def test_an_outside_folder_passes_when_allowed():
    notebooks = {stage.name: stage.notebook for stage in STAGES[:1]}
    given = {STAGES[0].name: {"processed_dir": "/tmp/elsewhere"}}
    validation.check(given, notebooks, paths.PROJECT_ROOT, allow_outside=True)


def test_every_default_passes_its_rule_and_every_parameter_has_one():
    for stage in STAGES:
        defaults = {name: p.default for name, p in notebook_parameters(stage.notebook).items()}
        assert (
            validation.problems(
                stage.name, defaults, notebook_dir=stage.notebook.parent, root=paths.PROJECT_ROOT
            )
            == []
        ), stage.name


def test_a_parameter_without_a_rule_is_an_error_not_a_pass():
    found = validation.problems(
        "x", {"new_threshold": 3}, notebook_dir=paths.NOTEBOOKS, root=paths.PROJECT_ROOT
    )
    assert found == ["x: new_threshold=3: no rule declares what this parameter may hold "
                     "(rare_earths.build.validation.RULES)"]  # fmt: skip


@pytest.mark.parametrize("value", ["0", "-1", "lots"])
def test_texts_max_bytes_must_count_something(tmp_path, value):
    command = [sys.executable, "-m", "rare_earths.build.cli", "texts", str(tmp_path), "--out", str(tmp_path)]
    result = subprocess.run(
        [str(Path(sys.executable).parent / "rare-earths"), *command[3:], "--max-bytes", value],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "--max-bytes" in result.stderr, result.stderr
    assert not (tmp_path / "documents.parquet").exists()


def test_a_second_build_in_the_tree_is_refused_naming_the_holder(tmp_path):
    with build_lock(tmp_path) as lock:
        assert lock.read_text().strip() == str(os.getpid())
        code = (
            "import sys; from pathlib import Path; from rare_earths.build.lock import build_lock\n"
            f"with build_lock(Path({str(tmp_path)!r})): pass"
        )
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
        assert result.returncode != 0
        assert f"another build (pid {os.getpid()}) is running in this tree" in result.stderr
    with build_lock(tmp_path):  # released when the holder ends
        pass


def test_a_killed_holder_leaves_no_stale_lock(tmp_path):
    code = (
        "import time; from pathlib import Path; from rare_earths.build.lock import build_lock\n"
        f"with build_lock(Path({str(tmp_path)!r})):\n    print('held', flush=True); time.sleep(60)"
    )
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    holder.kill()
    holder.wait()
    with build_lock(tmp_path):
        pass


def test_clean_floor_removes_what_a_killed_build_leaves_and_nothing_else(tmp_path):
    reports, processed = tmp_path / "reports", tmp_path / "processed"
    reports.mkdir()
    (processed / ".processed-abc123").mkdir(parents=True)
    (processed / ".processed-abc123" / "trade.csv").write_text("x")
    leftovers = [reports / ".02-clean-datasets.running.ipynb", reports / ".index.html.x1.part"]
    kept = [reports / "02-clean-datasets.ipynb", processed / "trade.parquet", reports / "index.html"]
    for path in [*leftovers, *kept]:
        path.write_text("x")
    removed = clean_floor(reports, processed)
    assert sorted(p.name for p in removed) == sorted([".processed-abc123", *(p.name for p in leftovers)])
    assert all(p.exists() for p in kept) and not any(p.exists() for p in leftovers)
    assert not (processed / ".processed-abc123").exists()
