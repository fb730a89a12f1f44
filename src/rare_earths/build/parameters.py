"""Notebook parameters: read a notebook's `parameters` cell, check command-line values against it.

The parameters cell holds literals only (the design guide), so its defaults can be read with
`ast.literal_eval` without running anything; a value given on the command line must name one of
those parameters and have the default's type, or the build is refused before anything runs.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from rare_earths.common.errors import RareEarthsError


class ParameterError(RareEarthsError):
    """A command-line parameter that no selected notebook accepts, or of the wrong type."""


@dataclass(frozen=True)
class Parameter:
    """One assignment of a notebook's parameters cell."""

    name: str
    default: Any

    @property
    def type_name(self) -> str:
        return type(self.default).__name__

    def describe(self) -> str:
        return f"{self.name} ({self.type_name}, default {self.default!r})"


def notebook_parameters(notebook: Path) -> dict[str, Parameter]:
    """The parameters a notebook defines, in cell order; error unless exactly one cell is tagged."""
    from rare_earths.build.imports import NotebookError, notebook_cells

    try:
        cells = [cell for cell in notebook_cells(notebook) if "parameters" in cell.tags]
    except NotebookError as error:
        raise ParameterError(str(error)) from None
    if len(cells) != 1:
        raise ParameterError(f"{notebook}: expected exactly one cell tagged 'parameters', found {len(cells)}")
    found: dict[str, Parameter] = {}
    for statement in ast.parse(cells[0].source).body:
        target, value = _assignment(notebook, statement)
        try:
            found[target] = Parameter(target, ast.literal_eval(value))
        except ValueError as error:
            raise ParameterError(
                f"{notebook}: parameter {target} (line {statement.lineno}) is not a literal"
            ) from error
    return found


def _assignment(notebook: Path, statement: ast.stmt) -> tuple[str, ast.expr]:
    """The name and value of `name = literal` or `name: type = literal`."""
    if (
        isinstance(statement, ast.Assign)
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
    ):
        return statement.targets[0].id, statement.value
    if (
        isinstance(statement, ast.AnnAssign)
        and isinstance(statement.target, ast.Name)
        and statement.value is not None
    ):
        return statement.target.id, statement.value
    raise ParameterError(
        f"{notebook}: line {statement.lineno} of the parameters cell is not a plain `name = literal` "
        "assignment"
    )


def parse_assignments(pairs: list[str]) -> dict[str, str]:
    """Split NAME=VALUE strings (the value stays text until its notebook's type is known)."""
    parsed: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip().isidentifier():
            raise ParameterError(f"-p {pair!r}: expected NAME=VALUE with NAME a Python identifier")
        parsed[name.strip()] = value
    return parsed


def coerce(parameter: Parameter, text: str) -> Any:
    """Turn command-line text into a value of the parameter's type, or explain why not."""
    expected = type(parameter.default)
    if expected is str:
        return text
    try:
        value = yaml.safe_load(text) if text.strip() else None
    except yaml.YAMLError as error:
        raise ParameterError(f"{parameter.name}={text!r}: not a valid value ({error.problem})") from error
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if parameter.default is None or (
        isinstance(value, expected) and not (expected is int and isinstance(value, bool))
    ):
        return value
    raise ParameterError(
        f"{parameter.name}={text!r}: expected {parameter.type_name} like {parameter.default!r}, got "
        f"{type(value).__name__}"
    )


def resolve(notebooks: dict[str, Path], pairs: list[str]) -> dict[str, dict[str, Any]]:
    """Per notebook, the typed values it accepts; refuse a name no notebook defines."""
    given = parse_assignments(pairs)
    defined = {name: notebook_parameters(path) for name, path in notebooks.items()}
    per_notebook: dict[str, dict[str, Any]] = {name: {} for name in notebooks}
    for key, text in given.items():
        takers = [name for name, parameters in defined.items() if key in parameters]
        if not takers:
            raise ParameterError(_unknown(key, defined))
        for name in takers:
            per_notebook[name][key] = coerce(defined[name][key], text)
    return per_notebook


# Parameters that were renamed: the refusal names the new one.
RENAMED = {
    "shocks": (
        "episodes",
        "every jurisdiction is now measured from the same shock episodes, e.g. "
        '-p \'episodes={"S1": "2010-07-08", "S2": "2025-04-04"}\'',
    ),
}


def _unknown(key: str, defined: dict[str, dict[str, Parameter]]) -> str:
    """The refusal message, naming the new parameter for a renamed one and listing every selected notebook's
    real parameters."""
    if key in RENAMED:
        new, how = RENAMED[key]
        lines = [f"parameter {key!r} was renamed {new!r}: {how}. The notebooks' parameters are:"]
    else:
        lines = [f"unknown parameter {key!r}: no selected notebook defines it. Their parameters are:"]
    for name, parameters in defined.items():
        listed = ", ".join(p.describe() for p in parameters.values()) or "(none)"
        lines.append(f"  {name}: {listed}")
    return "\n".join(lines)


def refuse_renamed(names) -> None:
    """Inside a notebook: refuse a value injected for a renamed parameter (papermill only warns about it)."""
    for old, (new, how) in RENAMED.items():
        if old in names:
            raise ParameterError(f"parameter {old!r} was renamed {new!r}: {how}")
