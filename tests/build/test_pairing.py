"""Notebooks as text: each notebook and its jupytext pair say the same thing, or `make test` fails."""

from __future__ import annotations

import subprocess

import nbformat

from rare_earths.build import pairing
from rare_earths.common import paths


def _notebook(folder, name="00-example.ipynb", parameters="year = 2010", body="print(year)"):
    document = nbformat.v4.new_notebook()
    document.cells = [
        nbformat.v4.new_markdown_cell("# Example\n\nA sentence."),
        nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell(body, metadata={"tags": ["remove-input"]}),
    ]
    path = folder / name
    nbformat.write(document, path)
    return path


def test_every_study_notebook_agrees_with_its_text_pair():
    assert pairing.check(paths.NOTEBOOKS) == [], "run `make sync-notebooks`"
    assert len(list(paths.NOTEBOOKS.glob("[0-9][0-9]-*.py"))) == len(pairing.notebooks_in(paths.NOTEBOOKS))


def test_a_written_pair_agrees_and_holds_inputs_and_tags_only(tmp_path):
    notebook = _notebook(tmp_path)
    script = pairing.write_script(notebook)
    text = script.read_text()
    assert script == tmp_path / "00-example.py"
    assert '# %% tags=["parameters"]\nyear = 2010' in text and "# %% [markdown]\n# # Example" in text
    assert "kernelspec" not in text and "jupytext_version" not in text
    assert pairing.check(tmp_path) == []


def test_an_edited_notebook_disagrees_with_its_pair_naming_the_cell(tmp_path):
    pairing.write_script(_notebook(tmp_path))
    _notebook(tmp_path, body="print(year + 1)")  # the notebook changed, its script did not
    [problem] = pairing.check(tmp_path)
    assert problem.path == tmp_path / "00-example.ipynb"
    assert "cell 3 (code, 'print(year + 1)') differs from 00-example.py in its source" in str(problem)


def test_a_changed_tag_a_missing_pair_and_an_orphan_script_disagree(tmp_path):
    pairing.write_script(_notebook(tmp_path))
    script = tmp_path / "00-example.py"
    script.write_text(script.read_text().replace('tags=["parameters"]', 'tags=["other"]'))
    _notebook(tmp_path, name="01-unpaired.ipynb")
    (tmp_path / "02-orphan.py").write_text("# %%\nprint(1)\n")
    problems = [str(p) for p in pairing.check(tmp_path)]
    assert len(problems) == 3
    assert "in its tags" in problems[0]
    assert "has no text pair 01-unpaired.py" in problems[1]
    assert "02-orphan.py: is a text pair without its notebook" in problems[2]


def test_a_pair_with_a_cell_more_disagrees(tmp_path):
    pairing.write_script(_notebook(tmp_path))
    script = tmp_path / "00-example.py"
    script.write_text(script.read_text() + "\n# %%\nprint('added in the script')\n")
    [problem] = pairing.check(tmp_path)
    assert "has 3 cells, its text pair 00-example.py 4" in str(problem)


def test_the_command_exits_1_on_a_disagreeing_pair_and_0_on_agreement(tmp_path):
    pairing.write_script(_notebook(tmp_path))
    assert pairing.main([str(tmp_path)]) == 0
    _notebook(tmp_path, parameters="year = 2025")
    assert pairing.main([str(tmp_path)]) == 1


def test_jupytext_config_pairs_beside_with_the_same_filters():
    config = (paths.NOTEBOOKS / "jupytext.toml").read_text()
    assert 'formats = "ipynb,py:percent"' in config
    for key, value in pairing.OPTIONS.items():
        assert f'{key} = "{value}"' in config


def test_git_gets_nbdime_drivers_in_the_repository_config_only(tmp_path):
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    settings = pairing.configure_git(tmp_path, tmp_path / "venv" / "bin")
    local = subprocess.run(
        ["git", "config", "--local", "--list"], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout
    assert f"diff.jupyternotebook.command={tmp_path}/venv/bin/git-nbdiffdriver diff" in local
    assert set(settings) == set(pairing.GIT_SETTINGS)
    attributes = (paths.PROJECT_ROOT / ".gitattributes").read_text()
    assert "*.ipynb diff=jupyternotebook merge=jupyternotebook" in attributes
