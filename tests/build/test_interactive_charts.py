"""The HTML report draws charts interactively from their Vega-Lite spec with the offline bundle; the SVG
stays for print and PDF; nothing in a spec can open a script."""

from __future__ import annotations

import json
import re

import altair as alt
import nbformat
import pandas as pd

from rare_earths.build.render import VEGA_SPEC_CLASS, notebook_to_html, remote_references
from rare_earths.common import renderers


def _executed(tmp_path, title: str):
    renderers.enable("svg")
    frame = pd.DataFrame({"x": [1, 2], "label": [title, "b"]})
    chart = alt.Chart(frame).mark_point().encode(x="x", tooltip=["label"]).properties(title=title)
    data, metadata = alt.renderers.get()(chart.to_dict())
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("chart")
    cell.outputs = [nbformat.v4.new_output("display_data", data=data, metadata=metadata)]
    notebook.cells = [cell, nbformat.v4.new_code_cell("1 + 1")]
    path = tmp_path / "n.ipynb"
    nbformat.write(notebook, path)
    return path


def test_each_chart_keeps_its_svg_and_gains_its_spec_and_the_page_one_offline_bundle(tmp_path):
    target = tmp_path / "n.html"
    notebook_to_html(_executed(tmp_path, "Shares"), target)
    page = target.read_text(encoding="utf-8")
    assert page.count(f'class="{VEGA_SPEC_CLASS}"') == 1 and "data:image/svg+xml;base64," in page
    assert page.count("<script type='text/javascript'>") == 1 and "vegaEmbed" in page
    assert remote_references(page) == [], "Vega comes inline, nothing from the network"


def test_text_in_a_spec_cannot_close_its_script(tmp_path):
    hostile = "</script><script>alert(1)</script>"
    target = tmp_path / "n.html"
    notebook_to_html(_executed(tmp_path, hostile), target)
    page = target.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in page
    holder = re.search(
        rf'<script class="{VEGA_SPEC_CLASS}" type="application/json">(.*?)</script>', page, re.S
    )
    spec = json.loads(holder.group(1))
    assert spec["title"] == hostile, "the spec survives intact as data"


def test_a_chart_without_a_spec_adds_no_script(tmp_path):
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("display_data", data={"image/svg+xml": "<svg></svg>"})]
    notebook.cells = [cell]
    nbformat.write(notebook, tmp_path / "n.ipynb")
    notebook_to_html(tmp_path / "n.ipynb", tmp_path / "n.html")
    assert "<script type='text/javascript'>" not in (tmp_path / "n.html").read_text(encoding="utf-8")


def test_the_data_appendix_holds_the_whole_registry_as_html_and_csv(tmp_path):
    import pandas as pd

    from rare_earths.build.render import write_appendix

    sources = pd.DataFrame(
        {
            "source_id": ["b-news-2020-0001", "a-stats-2019-0002"],
            "publisher": ["B <News>", "A Stats"],
            "title": ["=HYPERLINK(1)", "Table"],
            "published": ["2020", "2019-05"],
            "url": ["https://b.example/1", "https://a.example/2"],
            "accessed": ["2026-11-01"] * 2,
            "kind": ["news", "statistics"],
            "primary": ["false", "true"],
        }
    )
    page, table = write_appendix(sources, tmp_path)
    text = page.read_text(encoding="utf-8")
    assert text.index("A Stats 2019") < text.index("B &lt;News&gt; 2020"), "sorted by author-date label"
    assert "B &lt;News&gt;" in text and "<a href='https://a.example/2'>a.example</a>" in text
    assert "statistics; primary" in text
    written = pd.read_csv(table, dtype=str)
    assert len(written) == 2 and "'=HYPERLINK(1)" in set(written["title"]), "formula-like text neutralised"
