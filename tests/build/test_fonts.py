"""The PDFs embed only the fonts the environment ships, whatever fonts the host has installed."""

from __future__ import annotations

import base64
import shutil
import subprocess

import pytest

from rare_earths.build import fonts
from rare_earths.build.render import html_to_pdf
from rare_earths.common import paths

# Every script the reports print, in the families a host may have (WenQuanYi, Liberation, Noto Serif...),
# the generic ones, code, bold and italic, an SVG chart's text, and the page number in the margin.
_SVG = (
    "<svg xmlns='http://www.w3.org/2000/svg' width='300' height='40'>"
    "<text x='5' y='20' font-family='Liberation Sans, sans-serif'>Chart 2010 中国 ¥ €</text></svg>"
)
_PAGE = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>
@page {{ @bottom-right {{ content: counter(page) " / " counter(pages); }} }}
.host {{ font-family: "WenQuanYi Micro Hei", "Liberation Serif", "Noto Serif", serif; }}
</style></head><body>
<h1>Supply – “shocks” … 2010→2025, −3 %, ±1, 5 °C, ¥1 € £ · ¶</h1>
<p>Latin: Sojitz, Société Générale, Støre, Müller, Łódź, ā ē ī ņ š ž œ ß; <b>bold</b> <i>italic</i>
<b><i>both</i></b></p>
<p>Arabic: الصين المعادن النادرة</p>
<p>Japanese: レアアースの安定供給確保に向けた「取組」【経済産業省】</p>
<p>Chinese: 稀土管理条例 关于对部分中重稀土相关物项实施出口管制的决定 國務院</p>
<p>Korean: 중국 희토류 수출 통제</p>
<p class="host">Host families asked for first: 稀土 text ß</p>
<p style="font-family: monospace"><code>code 中国 -> x</code></p>
<pre>pre block 日本</pre>
<img alt="chart" src="data:image/svg+xml;base64,{base64.b64encode(_SVG.encode()).decode()}">
</body></html>"""


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> bytes:
    folder = tmp_path_factory.mktemp("fonts")
    (folder / "page.html").write_text(_PAGE, encoding="utf-8")
    html_to_pdf(folder / "page.html", folder / "page.pdf")
    return (folder / "page.pdf").read_bytes()


def test_the_shipped_font_files_are_installed():
    files = fonts.font_files()
    assert set(files) == set(fonts.SHIPPED)
    assert all(file.is_file() and file.stat().st_size > 100_000 for group in files.values() for file in group)


def test_fontconfig_sees_only_the_shipped_files(tmp_path):
    text = fonts.fontconfig_text(fonts.font_files(), tmp_path / "cache")
    assert "<include" not in text, "the host's configuration (and with it its fonts) must not be read"
    for group in fonts.font_files().values():
        for file in group:
            assert f"<glob>{file}</glob>" in text
    assert "DejaVuSerif.ttf" not in text and "STIX" not in text


def test_a_pdf_embeds_only_shipped_fonts_whatever_the_page_asks_for(printed):
    embedded = fonts.embedded_fonts(printed)
    assert embedded, "no font found in the PDF: the reader of embedded fonts is broken"
    assert {name for name in embedded if not fonts.is_shipped(name)} == set()
    families = {name.split("-Bold")[0].split("-Oblique")[0] for name in embedded}
    assert families == {"DejaVu-Sans", "DejaVu-Sans-Mono", "Noto-Sans-CJK-JP"}


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="pdffonts (poppler-utils) is not installed")
def test_pdffonts_agrees(printed, tmp_path):
    (tmp_path / "page.pdf").write_bytes(printed)
    listing = subprocess.run(
        ["pdffonts", str(tmp_path / "page.pdf")], capture_output=True, text=True, check=True
    )
    names = {line.split()[0].split("+", 1)[-1] for line in listing.stdout.splitlines()[2:] if line.strip()}
    assert names == fonts.embedded_fonts(printed)


def test_the_reader_of_embedded_fonts_flags_a_host_font():
    assert not fonts.is_shipped("WenQuanYi-Micro-Hei")
    assert not fonts.is_shipped("DejaVu-Serif")
    assert fonts.is_shipped("DejaVu-Sans-Bold-Oblique") and fonts.is_shipped("Noto-Sans-CJK-JP")


def test_built_reports_embed_only_shipped_fonts():
    """The reports under reports/ (when a build has made them) embed nothing else; a PDF printed before the
    fonts were shipped fails here until `rare-earths build --force` prints it again."""
    pdfs = sorted(paths.REPORTS.glob("*.pdf"))
    if not pdfs:
        pytest.skip("no PDF under reports/: run `make report` first")
    foreign = {
        pdf.name: sorted(
            name for name in fonts.embedded_fonts(pdf.read_bytes()) if not fonts.is_shipped(name)
        )
        for pdf in pdfs
    }
    assert {name: found for name, found in foreign.items() if found} == {}
