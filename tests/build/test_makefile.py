"""The Makefile's targets as a newcomer meets them: help lists them all, lab runs as root and takes flags."""

import os
import re
import shutil
import subprocess

import pytest

from rare_earths.common import paths


def _make(*arguments: str) -> str:
    result = subprocess.run(
        # --no-print-directory: under `make test` this make is nested and would add "Leaving directory" lines
        ["make", "-n", "--no-print-directory", *arguments],
        cwd=paths.PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


def test_lab_opens_at_the_repository_root_with_the_root_flag_as_root_and_extra_flags():
    command = _make("lab", "LAB_ARGS=--no-browser --port 8899").strip().splitlines()[-1]
    assert "jupyter lab --ServerApp.root_dir=. " in command
    assert ("--allow-root" in command) == (os.geteuid() == 0)
    assert command.endswith("--no-browser --port 8899")
    assert command.startswith("RARE_EARTHS_CHARTS=interactive "), "charts are interactive in Lab"
    trust = _make("lab").strip().splitlines()[-2]
    assert "jupyter trust notebooks/" in trust, "the stored charts show: the notebooks are trusted first"
    assert _make("lab", "CHARTS=svg").strip().splitlines()[-1].startswith("RARE_EARTHS_CHARTS=svg ")


def test_help_lists_every_target():
    text = (paths.PROJECT_ROOT / "Makefile").read_text()
    targets = set(re.findall(r"^([a-z][a-z-]*):", text, flags=re.M)) - {"help"}
    listed = set(
        re.findall(
            r"make ([a-z-]+)",
            subprocess.run(
                ["make", "--no-print-directory", "help"],
                cwd=paths.PROJECT_ROOT,
                capture_output=True,
                text=True,
            ).stdout,
        )
    )
    assert targets == listed


def test_phony_declares_exactly_the_listed_targets():
    text = (paths.PROJECT_ROOT / "Makefile").read_text()
    phony = set(re.search(r"^\.PHONY:(.*)$", text, flags=re.M).group(1).split()) - {"help"}
    targets = set(re.findall(r"^([a-z][a-z-]*):", text, flags=re.M)) - {"help"}
    assert phony == targets


def _uv_version_pinned() -> str:
    return re.search(r"^UV_VERSION := (\S+)$", (paths.PROJECT_ROOT / "Makefile").read_text(), re.M).group(1)


def test_setup_installs_the_pinned_uv_hash_checked_with_pip_as_fallback():
    lock = (paths.PROJECT_ROOT / "requirements-uv.lock").read_text()
    assert f"uv=={_uv_version_pinned()} \\" in lock and lock.count("--hash=sha256:") >= 10
    recipe = _make("-B", "setup", "UV=/nonexistent/uv")  # uv absent: the pip branch is the one that runs
    assert "/nonexistent/uv venv" in recipe and "uv pip sync --quiet --require-hashes" in recipe
    assert "-m pip install --quiet --no-deps --require-hashes -r requirements.lock" in recipe


def test_make_lock_leaves_an_unchanged_lock_byte_identical(tmp_path):
    """Needs uv and PyPI (or uv's cache): skipped, saying so, when the index cannot be reached."""
    for name in ("Makefile", "requirements.in", "requirements.lock", "requirements-uv.lock"):
        shutil.copy2(paths.PROJECT_ROOT / name, tmp_path / name)
    before = {
        name: (tmp_path / name).stat().st_mtime_ns for name in ("requirements.lock", "requirements-uv.lock")
    }
    result = subprocess.run(["make", "lock"], cwd=tmp_path, capture_output=True, text=True)
    if result.returncode and re.search(
        r"(?i)network|connect|dns|offline|timed out|No such file", result.stderr
    ):
        pytest.skip(f"make lock could not reach the package index: {result.stderr.strip()[-200:]}")
    assert result.returncode == 0, result.stderr
    assert (
        "requirements.lock unchanged" in result.stdout and "requirements-uv.lock unchanged" in result.stdout
    )
    for name, mtime in before.items():
        assert (tmp_path / name).read_bytes() == (paths.PROJECT_ROOT / name).read_bytes(), name
        assert (tmp_path / name).stat().st_mtime_ns == mtime, f"{name} was rewritten"
