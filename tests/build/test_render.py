"""Reports: self-contained HTML (nothing from the network) and PDFs with nothing cut off."""

from __future__ import annotations

import re
import zlib

import pytest

from rare_earths.build.render import RenderError, html_to_pdf, notebook_to_html, remote_references
from rare_earths.build.stages import STAGES
from rare_earths.common import paths


def test_remote_references_finds_every_kind_of_network_load():
    page = """<html><head>
    <script src="https://cdn.example/require.js"></script><script src="local.js"></script>
    <link rel="stylesheet" href="//fonts.example/css">
    <style>@import "https://x.example/a.css"; .a { background: url('http://x.example/i.png') }
    @font-face { src: url(https://fonts.example/f.woff2) }</style></head>
    <body><img src="https://x.example/p.png"><img src="data:image/png;base64,AAAA"><div style="background:url(https://x.example/b.png)"></div></body></html>"""
    assert sorted(remote_references(page)) == sorted(
        [
            "https://cdn.example/require.js",
            "//fonts.example/css",
            "https://x.example/a.css",
            "http://x.example/i.png",
            "https://fonts.example/f.woff2",
            "https://x.example/p.png",
            "https://x.example/b.png",
        ]
    )


def test_a_clean_page_has_no_remote_references():
    assert (
        remote_references(
            '<svg xmlns="http://www.w3.org/2000/svg"><text>ok</text></svg><a href="https://example.org">a '
            "link is fine</a>"
        )
        == []
    )


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Each stage notebook's stored outputs rendered to HTML and PDF, as the build does."""
    folder = tmp_path_factory.mktemp("reports")
    out = {}
    for stage in STAGES:
        html, pdf = folder / f"{stage.name}.html", folder / f"{stage.name}.pdf"
        notebook_to_html(stage.notebook, html, hide_code=stage.hide_code)
        html_to_pdf(html, pdf)
        out[stage.name] = (html, pdf)
    return out


def test_every_notebook_renders_to_offline_html_with_svg_charts(rendered):
    for name, (html, _) in rendered.items():
        page = html.read_text()
        assert remote_references(page) == [], name
        assert "cdnjs" not in page and "unpkg" not in page and "require.js" not in page, name
        assert "<svg" in page or "data:image/svg+xml" in page, f"{name}: charts must be SVG"


def test_reports_carry_their_own_lean_stylesheet_not_jupyterlab_s(rendered):
    for name, (html, _) in rendered.items():
        page = html.read_text()
        styles = re.findall(r"<style[^>]*>(.*?)</style>", page, flags=re.S)
        assert "Copyright (c) Jupyter Development Team" not in page, (
            f"{name}: JupyterLab's stylesheet is inlined"
        )
        assert "written for the reports" not in page and "The reports' own stylesheet" in page, name
        assert sum(map(len, styles)) < 20_000, f"{name}: {sum(map(len, styles))} characters of CSS"


def test_every_notebook_renders_to_a_vector_pdf(rendered):
    for name, (_, pdf) in rendered.items():
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and len(data) > 10_000, name
        assert b"/Subtype /Image" not in data, f"{name}: charts must stay vector in the PDF"
        objects = data + b"".join(_inflated(data))
        assert b"/StructTreeRoot" in objects and b"/Marked true" in objects, f"{name}: the PDF is tagged"


def _inflated(data: bytes) -> list[bytes]:
    """The PDF's compressed streams, inflated (object streams hide the catalog from a byte search)."""
    out = []
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", data, flags=re.S):
        try:
            out.append(zlib.decompress(stream))
        except zlib.error:
            continue
    return out


def test_text_that_would_be_cut_off_fails_the_pdf(tmp_path):
    html = tmp_path / "wide.html"
    html.write_text("<html><body><pre style='white-space: pre'>" + "wide " * 200 + "</pre></body></html>")
    with pytest.raises(RenderError, match=r"text boxes would be cut off in the PDF; first on page 1"):
        html_to_pdf(html, tmp_path / "wide.pdf")
    assert not (tmp_path / "wide.pdf").exists()


def test_the_pdf_never_loads_from_the_network(tmp_path):
    html = tmp_path / "remote.html"
    html.write_text("<html><body><img src='https://example.org/p.png'></body></html>")
    with pytest.raises(RenderError, match=re.escape("would load https://example.org/p.png from the network")):
        html_to_pdf(html, tmp_path / "remote.pdf")


def test_built_reports_are_complete_and_offline():
    built = sorted(paths.REPORTS.glob("*.html"))
    if not built:
        pytest.skip("reports/ holds no HTML yet: run `make report` to check the built reports too")
    for stage in STAGES:
        assert (paths.REPORTS / f"{stage.name}.html").is_file() and (
            paths.REPORTS / f"{stage.name}.pdf"
        ).is_file(), stage.name
    for page in built:
        assert remote_references(page.read_text()) == [], page.name
