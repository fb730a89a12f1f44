"""Charts in the PDF drawn by vl-convert into the boxes weasyprint laid out (build/vector_charts.py)."""

from __future__ import annotations

import base64
import re

import pikepdf
import pytest

from rare_earths.build import fonts, vector_charts
from rare_earths.build.render import RenderError, html_to_pdf

_CHART = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200" viewBox="0 0 400 200">'
    '<rect x="20" y="20" width="120" height="150" fill="#4c78a8"/>'
    '<text x="200" y="100" font-family="DejaVu Sans" font-size="14">Imports from China – 71.9%</text></svg>'
)
_JAPANESE = _CHART.replace("Imports from China", "中国からの輸入")
_OTHER_FAMILY = _CHART.replace('font-family="DejaVu Sans"', 'font-family="Liberation Sans, sans-serif"')


def _img(svg: str, alt: str) -> str:
    return f'<img alt="{alt}" src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}">'


def _page(*images: str) -> str:
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>t</title></head><body>"
        "<h1>Charts</h1><p>Before the chart.</p>" + "".join(images) + "<p>After the chart.</p></body></html>"
    )


def test_a_chart_becomes_an_empty_svg_of_the_same_size_that_keeps_its_alt_text():
    page, charts = vector_charts.placeholders(_page(_img(_CHART, "Figure 1. Imports")))
    assert charts == [_CHART]
    image = re.search(
        r'<img alt="Figure 1. Imports" src="data:image/svg\+xml;base64,([^"]+)" data-chart="0"', page
    )
    assert image, page
    blank = base64.b64decode(image.group(1)).decode()
    assert 'width="400" height="200" viewBox="0 0 400 200"' in blank and "<text" not in blank


def test_only_dejavu_charts_whose_characters_it_covers_go_to_vl_convert():
    assert vector_charts.convertible(_CHART)
    assert not vector_charts.convertible(_JAPANESE), "DejaVu Sans has no kana or kanji"
    assert not vector_charts.convertible(_OTHER_FAMILY), "vl-convert would look for the host's font"
    assert vector_charts.convertible('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>')
    page, charts = vector_charts.placeholders(_page(_img(_JAPANESE, "j"), _img(_CHART, "c")))
    assert charts == [_CHART] and 'data-chart="0"' in page and page.count("data-chart=") == 1


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("charts")
    (folder / "page.html").write_text(
        _page(_img(_CHART, "Figure 1. Imports"), _img(_JAPANESE, "Figure 2. Japanese")), encoding="utf-8"
    )
    html_to_pdf(folder / "page.html", folder / "page.pdf")
    return folder / "page.pdf"


def test_the_chart_is_drawn_in_its_box_as_vector_text_and_shapes(printed):
    data = printed.read_bytes()
    assert b"/Subtype /Image" not in data, "no raster image"
    with pikepdf.open(printed) as pdf:
        page = pdf.pages[0]
        forms = [name for name, x in page.resources.get("/XObject", {}).items() if name.startswith("/Chart")]
        assert len(forms) == 1, "one chart stamped; the Japanese one is drawn by weasyprint"
        page.contents_coalesce()
        content = page.Contents.read_bytes().decode("latin-1")
        drawing = re.search(
            r"/Artifact BMC q ([\d.]+) 0 0 ([\d.]+) ([\d.]+) ([\d.]+) cm (/Chart\S+) Do Q EMC", content
        )
        assert drawing and drawing.group(5) == forms[0]
        scale, x, y = float(drawing.group(1)), float(drawing.group(3)), float(drawing.group(4))
        chart_box = pdf.pages[0].resources.XObject[forms[0]].BBox
        width = (float(chart_box[2]) - float(chart_box[0])) * scale
        assert width == pytest.approx(400 * 0.75, rel=0.02), "400 CSS pixels wide, as the SVG says"
        assert 0 < x < 100 and 0 < y < float(page.mediabox[3]) - 150 * 0.75
        assert "/StructTreeRoot" in pdf.Root and bool(pdf.Root.MarkInfo.Marked), "still tagged"
    assert {name for name in fonts.embedded_fonts(data) if not fonts.is_shipped(name)} == set()
    assert {"DejaVuSans", "DejaVu-Sans"} <= fonts.embedded_fonts(data), "the chart's font and the page's"


def test_the_chart_text_can_be_found_in_the_pdf(printed):
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", str(printed), "-"], capture_output=True, text=True, check=True).stdout
    assert "Imports from China – 71.9%" in text and "Before the chart." in text and "After the chart." in text


def test_figures_keep_their_alt_text_in_the_structure_tree(printed):
    with pikepdf.open(printed) as pdf:
        found = []

        def walk(node):
            if isinstance(node, pikepdf.Array):
                for kid in node:
                    walk(kid)
            elif isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    found.append(str(node.get("/Alt", "")))
                if "/K" in node:
                    walk(node.K)

        walk(pdf.Root.StructTreeRoot.K)
    assert found == ["Figure 1. Imports", "Figure 2. Japanese"]


def test_a_chart_pdf_with_a_host_font_is_refused():
    chart = pikepdf.new()
    chart.add_blank_page(page_size=(100, 50))
    font = chart.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, BaseFont=pikepdf.Name("/ABCDEF+Arial"))
    )
    chart.pages[0].Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    target = pikepdf.new()
    target.add_blank_page(page_size=(595, 842))
    place = vector_charts.Placement(0, 0, 10, 10, 100, 50, 793.7, 1122.5)
    with pytest.raises(vector_charts.ChartError, match=r"chart 1 would embed fonts not shipped: \['Arial'\]"):
        vector_charts.stamp(_saved(target), [place], [_saved(chart, compress=False)])


def _saved(pdf: pikepdf.Pdf, compress: bool = True) -> bytes:
    import io

    out = io.BytesIO()
    pdf.save(out, compress_streams=compress, object_stream_mode=pikepdf.ObjectStreamMode.disable)
    return out.getvalue()


def test_a_failed_conversion_names_the_page_and_keeps_the_earlier_pdf(tmp_path, monkeypatch):
    page, target = tmp_path / "page.html", tmp_path / "page.pdf"
    page.write_text(_page(_img(_CHART, "c")), encoding="utf-8")
    target.write_bytes(b"%PDF- the earlier, good one")

    def broken(self):
        raise vector_charts.ChartError("converting the charts to PDF failed: boom")

    monkeypatch.setattr(vector_charts.ChartConversion, "result", broken)
    with pytest.raises(
        RenderError, match=rf"{re.escape(str(page))}: converting the charts to PDF failed: boom"
    ):
        html_to_pdf(page, target)
    assert target.read_bytes() == b"%PDF- the earlier, good one"


def test_the_conversion_process_reports_its_error(tmp_path):
    conversion = vector_charts.ChartConversion(["<svg this is not svg"])
    with pytest.raises(vector_charts.ChartError, match="converting the charts to PDF failed"):
        conversion.result()
