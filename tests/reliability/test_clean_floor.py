"""Item 8 of issue 18 (beyond the lock and the leftovers in test_refused_before_running.py): outputs get the
mode the umask gives, not mkstemp's 0600; a notebook's `.failed.ipynb` goes when that notebook next succeeds,
while its earlier good copy is kept when it fails."""

from __future__ import annotations

import os
import stat

import pytest

from rare_earths.build import runner
from rare_earths.build.stages import STAGES


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_outputs_are_written_with_the_umask_mode(texts_run, umask, mode):
    (texts_run.src / "extra.txt").write_text("Rare earths\n\nJapan stockpiled 1,500 tonnes in 2011.\n")
    previous = os.umask(umask)
    try:
        code, _out, err = texts_run.again()
    finally:
        os.umask(previous)
    assert code == 0, err
    modes = {
        p.name: stat.S_IMODE(p.stat().st_mode) for p in texts_run.out.iterdir() if not p.name.startswith(".")
    }
    assert modes and set(modes.values()) == {mode}, modes
    texts_run.good_rows_unchanged()


def test_a_failed_copy_is_kept_on_failure_and_removed_when_the_notebook_next_succeeds(tmp_path, monkeypatch):
    import papermill

    stage = STAGES[0]
    good = stage.executed(tmp_path)
    good.parent.mkdir(parents=True, exist_ok=True)
    good.write_text('{"earlier": "good run"}')

    def failing(notebook, output, **_options):
        output.write_text('{"cells": "with the error"}')
        raise RuntimeError("a cell raised")

    monkeypatch.setattr(papermill, "execute_notebook", failing)
    outcome = runner._execute(stage, {}, tmp_path)
    failed = tmp_path / f"{stage.name}.failed.ipynb"
    assert "failed; the executed copy with the error is" in str(outcome) and str(failed) in str(outcome)
    assert (
        failed.read_text() == '{"cells": "with the error"}' and good.read_text() == '{"earlier": "good run"}'
    )
    assert not (tmp_path / f".{stage.name}.running.ipynb").exists()

    monkeypatch.setattr(papermill, "execute_notebook", lambda notebook, output, **_: output.write_text("{}"))
    assert runner._execute(stage, {}, tmp_path) is True
    assert not failed.exists() and good.read_text() == "{}"
