"""The tables each notebook reads agree with what its stage declares, so the build reruns a notebook exactly
when a table it reads changes: a read the stage does not declare would leave the report stale, a declared
read the notebook never makes reruns it for nothing."""

from __future__ import annotations

import ast
import json

import pytest

from rare_earths.build import stages

# Declared although no notebook cell reads the table: the episode parameters' defaults are the curated
# episodes (tests/report/test_study_notebooks.py), so a change to that table reruns the notebooks using them.
DECLARED_FOR_PARAMETERS = {"episodes"}


def _is_registry_read(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "read"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "registry"
    )


def tables_read(code: str) -> set[str]:
    """The table names a notebook's code passes to `registry.read`: as a literal first argument, or as the
    literal list a comprehension around such a call iterates over."""
    found = set()
    for node in ast.walk(ast.parse(code)):
        if _is_registry_read(node) and node.args and isinstance(node.args[0], ast.Constant):
            found.add(node.args[0].value)
        if isinstance(node, (ast.DictComp, ast.ListComp, ast.GeneratorExp)) and any(
            _is_registry_read(inner) for inner in ast.walk(node)
        ):
            for generator in node.generators:
                if isinstance(generator.iter, (ast.List, ast.Tuple)):
                    found |= {e.value for e in generator.iter.elts if isinstance(e, ast.Constant)}
    return found


def _code(stage: stages.Stage) -> str:
    cells = json.loads(stage.notebook.read_text(encoding="utf-8"))["cells"]
    lines = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    return "\n".join(line for line in lines if not line.lstrip().startswith(("%", "!")))


def test_the_reader_finds_literal_and_listed_reads():
    code = 'a = registry.read("events", p)\nt = {n: registry.read(n, p) for n in ["claims", "documents"]}\n'
    assert tables_read(code) == {"events", "claims", "documents"}


@pytest.mark.parametrize("stage", stages.STAGES, ids=lambda s: s.name)
def test_each_notebook_reads_what_its_stage_declares(stage):
    declared = {path.rsplit("/", 1)[-1].removesuffix(".parquet") for path in stage.reads}
    read = tables_read(_code(stage))
    assert read - declared == set(), f"{stage.name} reads tables its stage does not declare"
    assert declared - read - DECLARED_FOR_PARAMETERS == set(), f"{stage.name} declares tables it never reads"
