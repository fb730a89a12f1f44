"""Which top-level packages of `rare_earths` each package imports, read from the source with `ast`.

The layout's import rule: `common` imports no other package of the project; a stage package
imports `common` and earlier stages only; `build` (the machinery) may import anything, and
nothing imports `build`. The build uses the same map to know which packages' code a stage runs.
"""

from __future__ import annotations

import ast
import functools
import json
from dataclasses import dataclass
from pathlib import Path

from rare_earths.common import paths

# Stage packages in notebook order: a stage may import the ones before it.
STAGE_PACKAGES = ("inventory", "texts", "datasets", "timeline", "compare", "report")
SHARED = "common"
MACHINERY = "build"


@dataclass(frozen=True)
class Import:
    """One `import` statement of the project's own code."""

    file: Path
    line: int
    package: str  # the importing file's top-level package
    target: str  # the imported top-level package


def project_imports(root: Path = paths.SOURCE) -> list[Import]:
    """Every import of `rare_earths.<package>` in every file under root, with its file and line."""
    found = []
    for file in sorted(root.rglob("*.py")):
        relative = file.relative_to(root).parts
        package = relative[0].removesuffix(".py") if len(relative) > 1 else MACHINERY
        status = file.stat()
        found += [
            Import(file, line, package, target)
            for line, target in _file_imports(file, status.st_mtime_ns, status.st_size)
        ]
    return found


@functools.lru_cache(maxsize=4096)
def _file_imports(file: Path, mtime_ns: int, size: int) -> tuple[tuple[int, str], ...]:
    """(line, package) of each project import in one file; parsed once per version of the file in a process
    (a build asks for every stage's code, so the same files would otherwise be parsed six times)."""
    tree = ast.parse(file.read_text(encoding="utf-8"), str(file))
    return tuple((node.lineno, target) for node in _statements(tree.body) for target in _targets(node))


def _statements(nodes: list[ast.stmt]):
    """Every statement, nested ones included (imports are statements, so expressions need no visit)."""
    for node in nodes:
        yield node
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            yield from _statements(getattr(node, name, None) or [])


def _targets(node: ast.AST) -> list[str]:
    """The top-level project packages an import node names."""
    if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
        parts = node.module.split(".")
        if parts[0] != "rare_earths":
            return []
        if len(parts) > 1:
            return [parts[1]]
        return [alias.name for alias in node.names if alias.name != "__version__"]
    if isinstance(node, ast.Import):
        return [a.name.split(".")[1] for a in node.names if a.name.startswith("rare_earths.")]
    return []


def violations(imports: list[Import]) -> list[str]:
    """Imports that break the rule, as 'file:line: package imports target'."""
    return [
        f"{item.file}:{item.line}: {item.package} imports {item.target}"
        for item in imports
        if item.target != item.package and not allowed(item.package, item.target)
    ]


def allowed(package: str, target: str) -> bool:
    """Whether `package` may import `target` under the rule."""
    if package == MACHINERY:
        return True
    if target == MACHINERY:
        return False
    if package == SHARED:
        return target == SHARED
    if target == SHARED:
        return True
    return target in STAGE_PACKAGES and STAGE_PACKAGES.index(target) < STAGE_PACKAGES.index(package)


def code_packages(package: str, imports: list[Import]) -> set[str]:
    """The package and every project package it imports, directly or through another."""
    edges: dict[str, set[str]] = {}
    for item in imports:
        edges.setdefault(item.package, set()).add(item.target)
    reached, todo = {package}, [package]
    while todo:
        for target in edges.get(todo.pop(), ()):
            if target not in reached:
                reached.add(target)
                todo.append(target)
    return reached


@dataclass(frozen=True)
class Cell:
    """What the build reads of a notebook cell."""

    cell_type: str
    source: str
    tags: tuple[str, ...]


class NotebookError(ValueError):
    """A notebook file the build cannot read."""


def notebook_cells(notebook: Path) -> tuple[Cell, ...]:
    """A notebook's cells (type, source, tags), read as JSON, once per text of the file in a process:
    without nbformat, whose import and validation took a third of a no-change build."""
    notebook = Path(notebook)
    try:
        text = notebook.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise NotebookError(f"{notebook}: cannot read notebook: {error}") from None
    return _cells(notebook, text)


@functools.lru_cache(maxsize=16)
def _cells(notebook: Path, text: str) -> tuple[Cell, ...]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"{notebook}: not a readable notebook: {error}") from None
    if not isinstance(document, dict) or document.get("nbformat") != 4 or "cells" not in document:
        raise NotebookError(f"{notebook}: not a version 4 notebook (nbformat 4)")
    cells = []
    for number, cell in enumerate(document["cells"], start=1):
        source = cell.get("source", "")
        tags = cell.get("metadata", {}).get("tags", [])
        if not isinstance(source, (str, list)) or not isinstance(tags, list):
            raise NotebookError(f"{notebook}: cell {number} has a malformed source or tags")
        text = source if isinstance(source, str) else "".join(source)
        cells.append(Cell(str(cell.get("cell_type", "")), text, tuple(map(str, tags))))
    return tuple(cells)


def notebook_packages(notebook: Path) -> set[str]:
    """The project packages a notebook's code cells import."""
    found: set[str] = set()
    for cell in notebook_cells(notebook):
        if cell.cell_type == "code":
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:  # a cell with IPython magics: it imports nothing of the project
                continue
            found.update(target for node in ast.walk(tree) for target in _targets(node))
    return found
