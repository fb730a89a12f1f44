"""The import rule of the layout, checked on the real source and on a hand-made tree."""

from pathlib import Path

from rare_earths.build.imports import code_packages, project_imports, violations


def test_the_package_keeps_the_import_rule():
    assert violations(project_imports()) == []


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_a_sideways_or_backward_import_is_named_with_file_and_line(tmp_path):
    root = _tree(
        tmp_path,
        {
            "common/geography.py": "from rare_earths.datasets import sources\n",
            "datasets/__init__.py": "import pandas\nfrom rare_earths.timeline import lane\n",
            "timeline/__init__.py": (
                "from rare_earths.common import periods\nfrom rare_earths.datasets import curated\n"
            ),
            "report/__init__.py": "from rare_earths.build import runner\n",
            "build/cli.py": "from rare_earths import report\n",
        },
    )
    found = violations(project_imports(root))
    assert found == [
        f"{root / 'common/geography.py'}:1: common imports datasets",
        f"{root / 'datasets/__init__.py'}:2: datasets imports timeline",
        f"{root / 'report/__init__.py'}:1: report imports build",
    ]


def test_a_stage_runs_the_code_of_what_it_imports_transitively():
    imports = project_imports()
    assert code_packages("datasets", imports) == {"datasets", "common"}
    assert "timeline" in code_packages("report", imports)
    assert "texts" not in code_packages("datasets", imports)
