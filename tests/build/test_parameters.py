"""Notebook parameters: reading the parameters cell, refusing unknown names and wrong types."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from rare_earths.build.parameters import Parameter, ParameterError, coerce, notebook_parameters, resolve
from rare_earths.build.stages import STAGES


def _notebook(tmp_path, source: str, name="nb.ipynb", tags=("parameters",)):
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)}),
        nbformat.v4.new_code_cell("print(1)"),
    ]
    path = tmp_path / name
    nbformat.write(notebook, path)
    return path


def test_reads_literal_defaults_in_order(tmp_path):
    path = _notebook(
        tmp_path,
        'raw_dir = "../data/raw"\nfirst_year: int = 1990\nshocks = {"JP": "2010-09-21"}\nscale = 1.5',
    )
    found = notebook_parameters(path)
    assert list(found) == ["raw_dir", "first_year", "shocks", "scale"]
    assert found["shocks"].default == {"JP": "2010-09-21"} and found["first_year"].type_name == "int"


def test_a_non_literal_parameter_is_refused(tmp_path):
    with pytest.raises(ParameterError, match=r"parameter today .* is not a literal"):
        notebook_parameters(_notebook(tmp_path, "today = max(1, 2)"))


def test_an_edited_notebook_is_read_again_and_a_broken_one_is_named(tmp_path):
    path = _notebook(tmp_path, "year = 2010")
    assert notebook_parameters(path)["year"].default == 2010
    _notebook(tmp_path, "year = 2025")  # same name, same size: read again, not served from memory
    assert notebook_parameters(path)["year"].default == 2025
    path.write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(ParameterError, match=rf"{path}: not a readable notebook"):
        notebook_parameters(path)
    path.write_text('{"nbformat": 3, "worksheets": []}', encoding="utf-8")
    with pytest.raises(ParameterError, match=r"not a version 4 notebook"):
        notebook_parameters(path)


def test_exactly_one_parameters_cell_is_required(tmp_path):
    with pytest.raises(ParameterError, match="expected exactly one cell tagged 'parameters', found 0"):
        notebook_parameters(_notebook(tmp_path, "x = 1", tags=()))


@pytest.mark.parametrize(
    ("default", "text", "expected"),
    [
        (1990, "2010", 2010),
        (1.5, "2", 2.0),
        ("a", "2010", "2010"),
        ({"JP": "x"}, '{"US": "2023-07-03"}', {"US": "2023-07-03"}),
        (["JP"], "[JP, US]", ["JP", "US"]),
        (True, "false", False),
    ],
)
def test_values_take_the_type_of_the_default(default, text, expected):
    value = coerce(Parameter("p", default), text)
    assert value == expected and type(value) is type(expected)


@pytest.mark.parametrize(
    ("default", "text"),
    [(1990, "soon"), (1990, "true"), ({"JP": "x"}, "[1, 2]"), (["JP"], "JP"), (True, "1")],
)
def test_values_of_the_wrong_type_are_refused(default, text):
    with pytest.raises(ParameterError, match=f"expected {type(default).__name__}"):
        coerce(Parameter("p", default), text)


def test_an_unknown_name_lists_every_notebooks_real_parameters(tmp_path):
    first = _notebook(tmp_path, "first_year = 1990\nraw_dir = 'x'", "a.ipynb")
    second = _notebook(tmp_path, "window_years = 5", "b.ipynb")
    with pytest.raises(ParameterError) as error:
        resolve({"a": first, "b": second}, ["no_such_param=1"])
    message = str(error.value)
    assert "unknown parameter 'no_such_param'" in message
    assert (
        "a: first_year (int, default 1990), raw_dir (str, default 'x')" in message
        and "b: window_years (int, default 5)" in message
    )


def test_a_name_goes_only_to_the_notebooks_that_define_it(tmp_path):
    first = _notebook(tmp_path, "first_year = 1990", "a.ipynb")
    second = _notebook(tmp_path, "first_year = 2000\nwindow_years = 5", "b.ipynb")
    assert resolve({"a": first, "b": second}, ["window_years=3", "first_year=2005"]) == {
        "a": {"first_year": 2005},
        "b": {"first_year": 2005, "window_years": 3},
    }


def test_malformed_assignment_is_refused(tmp_path):
    with pytest.raises(ParameterError, match="expected NAME=VALUE"):
        resolve({"a": _notebook(tmp_path, "x = 1")}, ["x"])


def test_every_stage_notebook_has_literal_parameters():
    for stage in STAGES:
        assert notebook_parameters(stage.notebook), stage.name


def test_cli_refuses_an_unknown_parameter_before_running_anything():
    result = subprocess.run(
        [sys.executable, "-m", "rare_earths", "build", "-p", "no_such_param=1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "unknown parameter 'no_such_param'" in result.stderr
    assert "00-data-inventory: raw_dir (str, default '../data/raw')" in result.stderr
    assert "executing" not in result.stdout


def test_cli_refuses_a_wrong_type():
    result = subprocess.run(
        [sys.executable, "-m", "rare_earths", "build", "-p", "first_year=soon"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2 and "first_year='soon': expected int" in result.stderr


def test_each_notebooks_parameters_cell_equals_its_stage_packages_defaults():
    import importlib

    for stage in STAGES:
        declared = importlib.import_module(f"rare_earths.{stage.package}").DEFAULTS
        cell = {name: parameter.default for name, parameter in notebook_parameters(stage.notebook).items()}
        assert cell == declared, stage.name
