"""JupyterLab, as `make lab` starts it, draws notebook 03's stored charts (benchmarks/lab_screenshot.py in
headless Chromium), and the check is not vacuous: with the notebooks left untrusted it fails."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from rare_earths.common import paths

SCRIPT = paths.PROJECT_ROOT / "benchmarks" / "lab_screenshot.py"


@pytest.mark.skipif(
    shutil.which("chromium") is None, reason="needs Debian's chromium (apt-get install chromium)"
)
def test_lab_shows_notebook_03s_charts_and_an_untrusted_lab_is_caught(tmp_path):
    shots = {"trusted": tmp_path / "trusted.png", "untrusted": tmp_path / "untrusted.png"}
    runs = {  # both at once, each on its own free port, to halve the wait
        name: subprocess.Popen(
            [sys.executable, str(SCRIPT), "--out", str(png), "--timeout", "90"]
            + (["--untrusted"] if name == "untrusted" else []),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for name, png in shots.items()
    }
    results = {name: (run.wait(timeout=300), *run.communicate()) for name, run in runs.items()}
    code, out, err = results["trusted"]
    assert code == 0, out + err
    assert '"as_text": 0' in out and '"in_view": 0' not in out, out
    assert shots["trusted"].read_bytes().startswith(b"\x89PNG")
    code, out, err = results["untrusted"]
    assert code == 1 and '"loaded": 0' in out and '"as_text": 0' not in out, out + err
    assert "no chart drawn, or a chart shown as text" in err
