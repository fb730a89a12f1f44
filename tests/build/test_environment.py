"""The conda environment.yml and the pip lock describe the same environment."""

from __future__ import annotations

import re
import sys

import yaml

from rare_earths.common import paths


def _pins(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): m.group(2)
        for m in re.finditer(r"^([A-Za-z0-9_.\-]+)==([^\s;\\]+)", text, re.MULTILINE)
    }


def _conda(path) -> tuple[dict[str, str], str]:
    document = yaml.safe_load(path.read_text())
    pins, python = {}, ""
    for item in document["dependencies"]:
        if isinstance(item, dict):  # packages that are on PyPI only, pinned for conda's pip
            assert set(item) == {"pip"}, f"{path}: only a pip section may be nested: {item!r}"
            for line in item["pip"]:
                name, _, version = line.partition("==")
                assert version, f"{path}: pip entries are pinned with ==: {line!r}"
                pins[name.lower()] = version
            continue
        name, _, version = item.partition("=")
        if name == "python":
            python = version
        elif name != "pip":
            pins[name.lower()] = version
    return pins, python


def test_environment_yml_matches_requirements_in():
    direct = _pins((paths.PROJECT_ROOT / "requirements.in").read_text())
    conda, python = _conda(paths.PROJECT_ROOT / "environment.yml")
    assert conda == direct, {
        "only in environment.yml": conda.keys() - direct.keys(),
        "only in requirements.in": direct.keys() - conda.keys(),
        "different": {
            k: (conda[k], direct[k]) for k in conda.keys() & direct.keys() if conda[k] != direct[k]
        },
    }
    assert python == f"{sys.version_info.major}.{sys.version_info.minor}" == "3.11"


def test_lock_pins_every_direct_dependency_at_the_same_version():
    direct = _pins((paths.PROJECT_ROOT / "requirements.in").read_text())
    locked = _pins((paths.PROJECT_ROOT / "requirements.lock").read_text())
    assert {name: locked.get(name) for name in direct} == direct
    assert len(locked) > len(direct), "the lock must pin the transitive dependencies too"
    assert (paths.PROJECT_ROOT / "requirements.lock").read_text().count("--hash=sha256:") >= len(locked)


def test_direct_dependencies_include_the_required_stack():
    direct = _pins((paths.PROJECT_ROOT / "requirements.in").read_text())
    required = {
        "jupyterlab",
        "pandas",
        "polars",
        "altair",
        "vl-convert-python",
        "papermill",
        "nbval",
        "pyarrow",
        "weasyprint",
        "jsonschema",
    }
    assert required <= direct.keys()


def test_installed_versions_are_the_locked_ones():
    from importlib.metadata import version

    locked = _pins((paths.PROJECT_ROOT / "requirements.lock").read_text())
    for name in ("pandas", "polars", "altair", "papermill", "nbval", "weasyprint", "doit"):
        assert version(name) == locked[name], name
