"""A build killed with SIGKILL while notebook 02 executes, and again while its PDF renders: the next build
recovers, every output is whole, and nothing temporary is left behind."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rare_earths.common import paths
from rare_earths.datasets import processed

COMMAND = [str(Path(sys.executable).parent / "rare-earths"), "build", "--only", "02", "--jobs", "1"]


def _leftovers() -> list[str]:
    return sorted(
        p.name
        for p in [
            *paths.REPORTS.glob(".*.running.ipynb"),
            *paths.REPORTS.glob(".*.part"),
            *paths.PROCESSED.glob(".processed-*"),
            *paths.PROCESSED.glob(".*.part"),
        ]
    )


def _kill_when(started: subprocess.Popen, ready, timeout: float = 600) -> None:
    """SIGKILL the build's whole process group as soon as `ready()` holds."""
    deadline = time.monotonic() + timeout
    while not ready():
        assert started.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline, "the build never reached the point to kill it at"
        time.sleep(0.2)
    os.killpg(started.pid, signal.SIGKILL)
    started.wait()


def _start(*extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [*COMMAND, *extra],
        cwd=paths.PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


@pytest.mark.needs_external
def test_a_build_killed_in_notebook_02_and_in_its_pdf_render_recovers():
    pdf = paths.REPORTS / "02-clean-datasets.pdf"
    executed = paths.REPORTS / "02-clean-datasets.ipynb"
    # 1. during the notebook: its running copy exists
    _kill_when(_start("--force"), lambda: (paths.REPORTS / ".02-clean-datasets.running.ipynb").exists())
    # 2. during the PDF render: the notebook and HTML are new, the PDF is being printed
    before = pdf.stat().st_mtime if pdf.exists() else 0.0
    started_at = time.time()
    page = paths.REPORTS / "02-clean-datasets.html"
    _kill_when(
        _start("--force"),
        lambda: all(p.exists() and p.stat().st_mtime > started_at for p in (executed, page)),
    )
    # 3. the next build, not forced, recovers: it runs what is out of date and leaves nothing behind
    finished = subprocess.run(COMMAND, cwd=paths.PROJECT_ROOT, capture_output=True, text=True, check=False)
    assert finished.returncode == 0, finished.stdout[-2000:] + finished.stderr[-2000:]
    assert _leftovers() == []
    assert pdf.exists() and pdf.stat().st_mtime >= before and pdf.read_bytes().startswith(b"%PDF")
    assert processed.validate_package(paths.PROCESSED) == [], "every processed table is whole and valid"
