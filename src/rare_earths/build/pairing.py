"""Notebooks as text: every notebook has a percent-format script beside it, its jupytext pair.

`notebooks/NN-topic.py` holds the inputs of `notebooks/NN-topic.ipynb` (each cell's kind, source and
tags) and nothing else, so a change reads like code in a diff. The notebook is what papermill runs
and nbval compares; the script is its reviewable text. JupyterLab keeps the two in step when a
notebook is saved (jupytext's contents manager, configured by `notebooks/jupytext.toml`);
`make sync-notebooks` does it from the command line; `check` (run by `make test`) fails while a pair
disagrees, naming the notebook and the first cell that differs.

    python -m rare_earths.build.pairing [FOLDER]          # check; exit 1 naming each disagreement
    python -m rare_earths.build.pairing --configure-git   # nbdime as git's notebook diff and merge
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from rare_earths.common import paths

FORMAT = "py:percent"
# What the script keeps: no notebook metadata (kernel, language version), and of the cells' metadata
# only the tags (`parameters`, `remove-input`), which papermill and the report read.
OPTIONS = {"notebook_metadata_filter": "-all", "cell_metadata_filter": "tags,-all"}


@dataclass(frozen=True)
class Disagreement:
    """A notebook and its script that do not say the same thing (or one of them is missing)."""

    path: Path
    problem: str

    def __str__(self) -> str:
        return f"{self.path}: {self.problem}"


def script_for(notebook: Path) -> Path:
    """The text pair of a notebook: the same name with `.py`, in the same folder."""
    return notebook.with_suffix(".py")


def notebooks_in(folder: Path) -> list[Path]:
    """The study's notebooks in a folder (`NN-topic.ipynb`), in order."""
    return sorted(folder.glob("[0-9][0-9]-*.ipynb"))


def _cells(notebook) -> list[tuple[str, str, tuple[str, ...]]]:
    """What the pair must agree on: each cell's kind, source (without trailing blank lines) and tags."""
    return [
        (cell.cell_type, cell.source.rstrip("\n"), tuple(cell.metadata.get("tags", ())))
        for cell in notebook.cells
    ]


def compare(notebook: Path, script: Path) -> Disagreement | None:
    """None when the script holds the notebook's cells; else what differs first."""
    import jupytext

    if not script.is_file():
        return Disagreement(notebook, f"has no text pair {script.name} (run `make sync-notebooks`)")
    mine, theirs = _cells(jupytext.read(notebook)), _cells(jupytext.read(script, fmt=FORMAT))
    for number, (left, right) in enumerate(zip(mine, theirs, strict=False), start=1):
        if left != right:
            what = next(
                name for name, a, b in zip(("kind", "source", "tags"), left, right, strict=True) if a != b
            )
            first = next((line for line in left[1].splitlines() if line.strip()), "")
            return Disagreement(
                notebook,
                f"cell {number} ({left[0]}, {first[:50]!r}) differs from {script.name} in its {what} "
                "(run `make sync-notebooks` after editing either)",
            )
    if len(mine) != len(theirs):
        return Disagreement(
            notebook,
            f"has {len(mine)} cells, its text pair {script.name} {len(theirs)} (run `make sync-notebooks`)",
        )
    return None


def check(folder: Path = paths.NOTEBOOKS) -> list[Disagreement]:
    """Every notebook whose pair is missing or different, and every script without its notebook."""
    found = [d for notebook in notebooks_in(folder) if (d := compare(notebook, script_for(notebook)))]
    orphans = sorted(folder.glob("[0-9][0-9]-*.py"))
    found += [
        Disagreement(script, "is a text pair without its notebook")
        for script in orphans
        if not script.with_suffix(".ipynb").is_file()
    ]
    return found


def write_script(notebook: Path) -> Path:
    """Write a notebook's text pair from the notebook, as JupyterLab's jupytext does on saving it."""
    import jupytext

    document = jupytext.read(notebook)
    document.metadata.setdefault("jupytext", {}).update(OPTIONS)
    script = script_for(notebook)
    text = jupytext.writes(document, fmt=FORMAT)
    if not script.is_file() or script.read_text(encoding="utf-8") != text:
        script.write_text(text, encoding="utf-8")
    return script


# Readable notebook diffs and merges in git through nbdime, with the programs in .venv named by
# absolute path (they need not be on PATH); .gitattributes maps *.ipynb to these drivers, and git
# falls back to a plain text diff where they are not configured.
GIT_SETTINGS = {
    "diff.jupyternotebook.command": "{bin}/git-nbdiffdriver diff",
    "merge.jupyternotebook.driver": "{bin}/git-nbmergedriver merge %O %A %B %L %P",
    "merge.jupyternotebook.name": "jupyter notebook merge driver (nbdime)",
    "difftool.nbdime.cmd": '{bin}/git-nbdifftool diff "$LOCAL" "$REMOTE" "$BASE"',
    "mergetool.nbdime.cmd": '{bin}/git-nbmergetool merge "$BASE" "$LOCAL" "$REMOTE" "$MERGED"',
}


def configure_git(root: Path = paths.PROJECT_ROOT, bin_folder: Path | None = None) -> dict[str, str]:
    """Set the nbdime drivers in the repository's own git config (never the user's); returns them."""
    folder = (bin_folder or Path(sys.executable).parent).absolute()
    settings = {key: value.format(bin=folder) for key, value in GIT_SETTINGS.items()}
    for key, value in settings.items():
        subprocess.run(["git", "config", "--local", key, value], cwd=root, check=True)
    return settings


def main(argv: list[str] | None = None) -> int:
    """Check the pairs (exit 1 when one disagrees), or configure git."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=paths.NOTEBOOKS)
    parser.add_argument("--configure-git", action="store_true", help="set nbdime's git drivers (this clone)")
    arguments = parser.parse_args(argv)
    if arguments.configure_git:
        configure_git()
        return 0
    problems = check(arguments.folder)
    for problem in problems:
        print(problem, file=sys.stderr)
    if not problems:
        print(f"{len(notebooks_in(arguments.folder))} notebooks agree with their text pairs")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
