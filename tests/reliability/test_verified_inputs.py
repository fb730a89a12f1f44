"""Item 1 of issue 18 (and the manifest part of item 3): before any notebook runs, `rare-earths build` checks
every input the selected stages read against its manifest. A changed byte is refused naming the file and the
manifest line, with or without --allow-missing; an absent file is refused unless --allow-missing; a broken
manifest is reported without a traceback. Each case runs the command on a copy of the project's notebooks and
raw data (RARE_EARTHS_ROOT), whose earlier reports and tables must come out byte-identical."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from rare_earths.common import paths

COMMAND = str(Path(sys.executable).parent / "rare-earths")
WORLD = "usgs_mcs/mcs2022-raree_world.csv"  # one external file notebook 00 reads
ARTICLE = "000_ad2884b5b7757b65.txt"  # one source text notebook 01 reads

pytestmark = pytest.mark.needs_external


@pytest.fixture
def tree(tmp_path, cleaned_once) -> Path:
    """The notebooks and raw data in a fresh root, with earlier outputs in reports/ and data/processed/."""
    root = tmp_path / "tree"
    shutil.copytree(paths.NOTEBOOKS, root / "notebooks")
    for folder in ("manifests", "external", "texts", "curated"):
        shutil.copytree(paths.RAW / folder, root / "data" / "raw" / folder)
    shutil.copytree(cleaned_once[1], root / "data" / "processed")
    (root / "reports").mkdir()
    (root / "reports" / "00-data-inventory.html").write_text("<p>the report of an earlier good build</p>")
    return root


def _run(root: Path, *arguments: str) -> subprocess.CompletedProcess:
    environment = dict(os.environ, RARE_EARTHS_ROOT=str(root), COLUMNS="200")
    return subprocess.run(
        [COMMAND, *arguments], cwd=root, env=environment, capture_output=True, text=True, check=False
    )


def _outputs(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for folder in ("reports", "data/processed")
        for p in sorted((root / folder).rglob("*"))
        if p.is_file()
    }


def _tamper(path: Path) -> None:
    """Change one digit, keeping the size: only the hash can tell."""
    data = bytearray(path.read_bytes())
    at = re.search(rb"\d", data[200:]).start() + 200
    data[at] = ord("7") if data[at] != ord("7") else ord("8")
    path.write_bytes(bytes(data))


def _manifest_line(root: Path, manifest: str, entry: str) -> int:
    lines = (root / "data" / "raw" / "manifests" / manifest).read_text(encoding="utf-8").splitlines()
    return lines.index(f"- path: {entry}") + 1


def _refused_before_running(root: Path, result, before: dict) -> str:
    message = " ".join(result.stderr.split())  # rich wraps long lines
    assert result.returncode == 2, result.stdout + result.stderr
    assert "do not match their manifests; nothing was run" in message and "Traceback" not in result.stderr
    assert "executing" not in result.stdout, "no notebook started"
    assert _outputs(root) == before, "the earlier reports and tables are byte-identical"
    assert not list((root / "reports").glob(".*.running.ipynb"))
    return message


@pytest.mark.parametrize("allow_missing", [False, True], ids=["plain", "allow-missing"])
def test_a_changed_byte_in_external_data_is_refused_naming_file_and_manifest_line(tree, allow_missing):
    _tamper(tree / "data" / "raw" / "external" / WORLD)
    before = _outputs(tree)
    result = _run(tree, "build", "--only", "00", *(["--allow-missing"] if allow_missing else []))
    message = _refused_before_running(tree, result, before)
    line = _manifest_line(tree, "external.yml", WORLD)
    assert re.search(
        rf"mismatch: {re.escape(WORLD)}: sha256 [0-9a-f]{{64}}, manifest says [0-9a-f]{{64}}", message
    )
    assert f"external.yml:{line})" in message, message


def test_a_changed_source_text_is_refused_before_notebook_01(tree):
    _tamper(tree / "data" / "raw" / "texts" / ARTICLE)
    before = _outputs(tree)
    message = _refused_before_running(tree, _run(tree, "build", "--only", "01", "--allow-missing"), before)
    assert (
        f"mismatch: {ARTICLE}" in message
        and f"texts.yml:{_manifest_line(tree, 'texts.yml', ARTICLE)})" in message
    )


def test_a_file_changed_after_its_recorded_check_is_hashed_again_and_refused(tree):
    """The fast check trusts size and time recorded at the last full hash; a change moves the time."""
    world = tree / "data" / "raw" / "external" / WORLD
    kept = tree / "absent.csv"
    shutil.move(world, kept)  # a first build is refused for the absent file, after recording every other one
    first = _run(tree, "build", "--only", "00")
    refusal = " ".join(first.stderr.split())
    assert first.returncode == 2 and re.search(rf"missing: \S*{re.escape(WORLD)}", refusal), refusal
    assert "(or build with --allow-missing)" in refusal and "external.yml:" in refusal
    recorded = json.loads((tree / ".cache" / "verified.json").read_text())
    assert len(recorded) > 50 and not any(key.endswith(WORLD) for key in recorded)
    shutil.move(kept, world)
    second = tree / "data" / "raw" / "external" / "usgs_mcs" / "mcs2023-raree_world.csv"
    assert any(key == str(second) for key in recorded), "recorded at the first check"
    _tamper(second)
    before = _outputs(tree)
    message = _refused_before_running(tree, _run(tree, "build", "--only", "00"), before)
    assert "mismatch: usgs_mcs/mcs2023-raree_world.csv" in message and "missing:" not in message


@pytest.mark.parametrize("allow_missing", [False, True], ids=["plain", "allow-missing"])
def test_data_verify_fails_on_a_mismatch_even_when_missing_files_are_allowed(tree, allow_missing):
    _tamper(tree / "data" / "raw" / "external" / WORLD)
    result = _run(tree, "data", "verify", *(["--allow-missing"] if allow_missing else []))
    assert result.returncode == 1, result.stdout + result.stderr
    line = _manifest_line(tree, "external.yml", WORLD)
    assert f"mismatch: {WORLD}: sha256" in result.stderr and f"external.yml:{line})" in result.stderr


def test_data_verify_allows_only_missing_files_when_asked(tree):
    (tree / "data" / "raw" / "external" / WORLD).unlink()
    refused, allowed = _run(tree, "data", "verify"), _run(tree, "data", "verify", "--allow-missing")
    assert refused.returncode == 1 and allowed.returncode == 0, allowed.stdout + allowed.stderr
    line = _manifest_line(tree, "external.yml", WORLD)
    message = " ".join(allowed.stderr.split())  # rich wraps long lines
    assert re.search(rf"missing: \S*{re.escape(WORLD)}.*external\.yml:{line}\)", message), message
    assert "1 missing" in allowed.stdout


def test_a_broken_manifest_entry_is_reported_by_build_without_a_traceback(tree):
    manifest = tree / "data" / "raw" / "manifests" / "external.yml"
    text = manifest.read_text(encoding="utf-8")
    line = _manifest_line(tree, "external.yml", WORLD)
    manifest.write_text(text.replace(f"- path: {WORLD}\n", f"- path: {WORLD}\n  colour: blue\n", 1))
    before = _outputs(tree)
    result = _run(tree, "build", "--only", "00", "--allow-missing")
    message = " ".join(result.stderr.split())
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert f"external.yml:{line}" in message and "colour" in message, message
    assert _outputs(tree) == before
