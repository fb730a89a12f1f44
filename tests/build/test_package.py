"""The package installs: real dependencies in pyproject.toml, a citation file, conda instructions that work.

The fresh-venv test installs the package with plain pip from PyPI (about a minute with pip's cache,
longer without); it is marked `slow` (`pytest -m "not slow"` leaves it out) and skipped, saying why,
when the package index cannot be reached.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
import venv

import pytest
import yaml
from packaging.requirements import Requirement

from rare_earths.common import paths

ROOT = paths.PROJECT_ROOT
KERNEL_STEP = "python -m ipykernel install --user --name rare-earths"
OFFLINE = re.compile(
    r"(?i)(Failed to establish a new connection|Temporary failure in name resolution|Network is unreachable"
    r"|No matching distribution found|Could not find a version that satisfies|ConnectTimeout|ProxyError)"
)


def _pins() -> dict[str, str]:
    text = (ROOT / "requirements.in").read_text()
    return {m.group(1).lower(): m.group(2) for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==(\S+)", text, re.M)}


def _project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def _requirements(project: dict) -> list[Requirement]:
    groups = [project["dependencies"], *project["optional-dependencies"].values()]
    return [Requirement(line) for group in groups for line in group if not line.startswith("rare-earths")]


def test_dependencies_are_the_direct_requirements_from_their_pins():
    pins, requirements = _pins(), _requirements(_project())
    names = [requirement.name.lower() for requirement in requirements]
    assert len(names) == len(set(names)), "a requirement is listed twice"
    # setuptools is the build backend (pinned in [build-system]), not something the package imports.
    assert set(names) == set(pins) - {"setuptools"}
    for requirement in requirements:
        pin = pins[requirement.name.lower()]
        assert requirement.specifier.contains(pin), f"{requirement} excludes the locked {pin}"
        assert f">={pin}" in str(requirement.specifier), f"{requirement}: the lower bound is the pin"
    runtime = {Requirement(line).name for line in _project()["dependencies"]}
    assert {"rich", "papermill", "weasyprint", "pandas", "polars", "ipykernel"} <= runtime


def test_metadata_uses_the_current_licence_format_and_a_pinned_backend():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    project = pyproject["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert project["authors"] and all(author.get("name") for author in project["authors"])
    assert re.fullmatch(r"setuptools==[\d.]+", " ".join(pyproject["build-system"]["requires"]))
    assert pyproject["build-system"]["requires"] == [f"setuptools=={_pins()['setuptools']}"]


def test_citation_file_has_the_required_keys():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text())
    assert citation["cff-version"] == "1.2.0"
    assert {"message", "title", "authors"} <= citation.keys()
    assert citation["type"] == "software" and citation["license"] == "MIT"
    assert citation["version"] == _project()["version"]
    for author in citation["authors"]:
        assert author.get("name") or author.get("family-names"), author


def test_conda_and_readme_instructions_include_the_kernel_step():
    environment = (ROOT / "environment.yml").read_text()
    comments = "\n".join(line.lstrip("# ") for line in environment.splitlines() if line.startswith("#"))
    assert "conda env create -f environment.yml" in comments and "pip install -e . --no-deps" in comments
    assert KERNEL_STEP in comments
    assert KERNEL_STEP in (ROOT / "README.md").read_text()


def _copy_project(target):
    """The files a source install reads, so pip's build leaves nothing in the work tree."""
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, target / name)
    shutil.copytree(ROOT / "src", target / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))


@pytest.mark.slow
def test_pip_install_into_a_fresh_venv_gives_a_working_command_and_kernel(tmp_path):
    project, environment = tmp_path / "project", tmp_path / "venv"
    project.mkdir()
    _copy_project(project)
    venv.create(environment, with_pip=True)
    python = environment / "bin" / "python"
    install = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(project)],
        capture_output=True,
        text=True,
    )
    if install.returncode and OFFLINE.search(install.stdout + install.stderr):
        pytest.skip(
            f"pip could not reach the package index: {OFFLINE.search(install.stderr or install.stdout)[0]}"
        )
    assert install.returncode == 0, install.stderr[-2000:]
    command = subprocess.run([environment / "bin" / "rare-earths", "--help"], capture_output=True, text=True)
    assert command.returncode == 0, command.stderr
    assert "build" in command.stdout and "data" in command.stdout
    # The kernel step of environment.yml's instructions, into a throw-away Jupyter data folder.
    jupyter = dict(os.environ, JUPYTER_DATA_DIR=str(tmp_path / "jupyter"))
    step = subprocess.run([python, *KERNEL_STEP.split()[1:]], env=jupyter, capture_output=True, text=True)
    assert step.returncode == 0, step.stderr
    assert (tmp_path / "jupyter" / "kernels" / "rare-earths" / "kernel.json").is_file()
    assert sys.version_info[:2] == (3, 11)
