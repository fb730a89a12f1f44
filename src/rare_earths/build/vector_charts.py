"""The reports' charts in the PDF, drawn by vl-convert instead of weasyprint's SVG renderer.

weasyprint draws SVG in Python, node by node and text by text: the study report's 11 charts took about
a third of its PDF time (about 2.3 s of 7). vl-convert, which made the SVGs, also turns SVG into PDF
(resvg and svg2pdf, in Rust) in about 0.07 s a chart, with the text kept as text in embedded fonts. So a
PDF is printed in three steps:

1. `placeholders`: every SVG chart image in the page becomes an empty SVG of the same size (same width,
   height and viewBox, so the page lays out exactly as before) carrying `data-chart="N"`; the image keeps
   its alt text, which weasyprint writes as the Figure's /Alt in the tagged PDF.
2. `ChartConversion`: while weasyprint lays out the page, a second process converts the charts' SVGs to
   PDF (vl-convert holds Python's lock while it works, so a thread would not run alongside).
3. `placements` reads where each placeholder landed (page, position, size) from weasyprint's laid-out
   boxes, and `stamp` draws each chart's PDF page there as a form XObject (pikepdf, i.e. qpdf), marked as
   an artifact: the Figure structure element with its alt text is what assistive technology reads.

The charts stay vector (no raster image anywhere) and their text stays selectable and searchable.

Fonts: vl-convert reads the folders that the project's fontconfig file lists (build/fonts.py; the process
gets it as FONTCONFIG_FILE), but it does not apply the file's font choices and substitutions. A chart is
therefore handed to it only when every text of the chart asks for DejaVu Sans, the family the charts are
made with, and every character is in the shipped DejaVu Sans: vl-convert then embeds DejaVu Sans, and
`stamp` refuses a chart PDF that embeds anything else. Any other chart (another family, Japanese text)
keeps its SVG and weasyprint draws it with the shipped fonts, as before.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import html
import io
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rare_earths.common.errors import RareEarthsError

ATTRIBUTE = "data-chart"
_SVG_IMAGE = re.compile(r'(<img\b[^>]*?\bsrc=")data:image/svg\+xml;base64,([^"]+)(")')
_SVG_ROOT = re.compile(r"<svg\b[^>]*>")
_TEXT = re.compile(r"<text\b[^>]*>(.*?)</text>", re.S)
_FAMILY = re.compile(r"""font-family(?:="([^"]*)"|\s*:\s*([^;"]+))""")
CHART_FAMILY = "DejaVu Sans"


class ChartError(RareEarthsError):
    """A chart that could not be converted to PDF or placed on its page."""


def _attribute(tag: str, name: str) -> str | None:
    found = re.search(rf'\s{name}="([^"]*)"', tag)
    return found.group(1) if found else None


@functools.cache
def _covered() -> frozenset[int]:
    """The code points the shipped DejaVu Sans has glyphs for."""
    from fontTools.ttLib import TTFont

    from rare_earths.build.fonts import font_files

    with TTFont(font_files()[CHART_FAMILY][0], lazy=True) as font:
        return frozenset(font.getBestCmap())


def convertible(svg: str) -> bool:
    """Whether vl-convert may draw this SVG: every font family it names is DejaVu Sans and every character
    of its texts is in the shipped DejaVu Sans (a chart without text qualifies)."""
    families = {(a or b).strip().strip("'\"") for a, b in _FAMILY.findall(svg)}
    if families - {CHART_FAMILY}:
        return False
    text = "".join(html.unescape(re.sub(r"<[^>]+>", "", piece)) for piece in _TEXT.findall(svg))
    covered = _covered()
    return all(ord(character) in covered for character in text if not character.isspace())


def placeholders(page: str) -> tuple[str, list[str]]:
    """The page with every SVG chart image that vl-convert may draw (convertible) replaced by an empty SVG
    of the same size, marked `data-chart="N"` in document order, and those charts' SVG texts in that order;
    other images stay as they are."""
    charts: list[str] = []

    def blank(match: re.Match) -> str:
        svg = base64.b64decode(match.group(2)).decode("utf-8")
        if not convertible(svg):
            return match.group(0)
        root = _SVG_ROOT.search(svg)
        if root is None:
            raise ChartError(f"chart {len(charts) + 1} of the page is not SVG: {svg[:60]!r}")
        width, height = _attribute(root.group(0), "width"), _attribute(root.group(0), "height")
        if not width or not height:
            raise ChartError(f"chart {len(charts) + 1} of the page has no width or height: {root.group(0)!r}")
        view = _attribute(root.group(0), "viewBox") or f"0 0 {width} {height}"
        size = f'width="{width}" height="{height}" viewBox="{view}"'
        empty = f'<svg xmlns="http://www.w3.org/2000/svg" {size}/>'
        charts.append(svg)
        data = base64.b64encode(empty.encode("utf-8")).decode("ascii")
        return f'{match.group(1)}data:image/svg+xml;base64,{data}" {ATTRIBUTE}="{len(charts) - 1}"'

    return _SVG_IMAGE.sub(blank, page), charts


def convert(svgs: list[str]) -> list[bytes]:
    """Each SVG as a one-page PDF (vl-convert). Run by ChartConversion's process, whose FONTCONFIG_FILE is
    the project's (build/fonts.py): vl-convert's font database then holds the shipped folders' fonts, not
    the host's. (Registering the folder instead would add it to the host's fonts and doubles the time.)"""
    import vl_convert

    return [vl_convert.svg_to_pdf(svg) for svg in svgs]


class ChartConversion:
    """The charts converted in a second process while the caller lays out the page; `result()` waits for it
    and returns the PDFs in order, or raises ChartError with what the process printed."""

    def __init__(self, svgs: list[str]):
        self.count = len(svgs)
        self._folder = tempfile.TemporaryDirectory(prefix="rare-earths-charts-")
        folder = Path(self._folder.name)
        for number, svg in enumerate(svgs):
            (folder / f"{number}.svg").write_text(svg, encoding="utf-8")
        self._process = None
        if svgs:
            from rare_earths.build.fonts import fontconfig_file

            self._process = subprocess.Popen(
                [sys.executable, "-m", "rare_earths.build.vector_charts", str(folder)],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                env={**os.environ, "FONTCONFIG_FILE": str(fontconfig_file())},
            )

    def result(self) -> list[bytes]:
        try:
            if self._process is None:
                return []
            _, errors = self._process.communicate()
            if self._process.returncode != 0:
                raise ChartError(
                    "converting the charts to PDF failed: " + errors.decode("utf-8", "replace").strip()[-600:]
                )
            folder = Path(self._folder.name)
            return [(folder / f"{number}.pdf").read_bytes() for number in range(self.count)]
        finally:
            self.close()

    def close(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.kill()
            self._process.wait()
        self._folder.cleanup()


@dataclass(frozen=True)
class Placement:
    """Where a chart goes: its number, the page (from 0), its box in CSS pixels from the page's top left."""

    chart: int
    page: int
    x: float
    y: float
    width: float
    height: float
    page_width: float
    page_height: float


def placements(document) -> list[Placement]:
    """Every placeholder in a laid-out weasyprint document, in page order; a chart never placed (e.g. the
    print stylesheet hid it) is simply not stamped."""
    from weasyprint.formatting_structure import boxes

    from rare_earths.build.render import descendants

    return [
        Placement(
            int(box.element.get(ATTRIBUTE)),
            number,
            box.content_box_x(),
            box.content_box_y(),
            box.width,
            box.height,
            page.width,
            page.height,
        )
        for number, page in enumerate(document.pages)
        for box in descendants(page._page_box)
        if isinstance(box, boxes.ReplacedBox)
        and getattr(box, "element", None) is not None
        and box.element.get(ATTRIBUTE)
    ]


def stamp(pdf: bytes, where: list[Placement], charts: list[bytes]) -> bytes:
    """The PDF with each chart's first page drawn into its placeholder's box (scaled to fit, centred), after
    the page's own content and marked as an artifact; the document's structure, links and metadata kept."""
    import pikepdf

    from rare_earths.build.fonts import embedded_fonts, is_shipped

    with contextlib.ExitStack() as stack:
        target = stack.enter_context(pikepdf.open(io.BytesIO(pdf)))
        sources: dict[int, pikepdf.Pdf] = {}
        wrapped: set[int] = set()
        for place in where:
            if not 0 <= place.chart < len(charts):
                raise ChartError(f"page {place.page + 1} holds chart {place.chart}; {len(charts)} were made")
            if place.chart not in sources:  # qpdf copies a foreign stream's data when saving: keep it open
                foreign = sorted(name for name in embedded_fonts(charts[place.chart]) if not is_shipped(name))
                if foreign:
                    raise ChartError(f"chart {place.chart + 1} would embed fonts not shipped: {foreign}")
                sources[place.chart] = stack.enter_context(pikepdf.open(io.BytesIO(charts[place.chart])))
            chart = sources[place.chart].pages[0]
            page = target.pages[place.page]
            form = target.copy_foreign(chart.as_form_xobject())
            name = page.add_resource(form, pikepdf.Name.XObject, prefix="Chart")
            left, _, right, top = (float(v) for v in page.mediabox)
            unit = (right - left) / place.page_width  # points per CSS pixel (0.75)
            c_left, c_bottom, c_right, c_top = (float(v) for v in chart.mediabox)
            chart_width, chart_height = c_right - c_left, c_top - c_bottom
            box_width, box_height = place.width * unit, place.height * unit
            scale = min(box_width / chart_width, box_height / chart_height)
            x = left + place.x * unit + (box_width - chart_width * scale) / 2 - c_left * scale
            y = top - (place.y + place.height) * unit
            y += (box_height - chart_height * scale) / 2 - c_bottom * scale
            if place.page not in wrapped:  # the page's own graphics state restored before the charts
                page.contents_add(pikepdf.Stream(target, b"q\n"), prepend=True)
                page.contents_add(pikepdf.Stream(target, b"\nQ\n"))
                wrapped.add(place.page)
            drawing = f"/Artifact BMC q {scale:.6f} 0 0 {scale:.6f} {x:.4f} {y:.4f} cm {name} Do Q EMC\n"
            page.contents_add(pikepdf.Stream(target, drawing.encode("ascii")))
        out = io.BytesIO()
        target.save(out, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    """`python -m rare_earths.build.vector_charts FOLDER`: FOLDER/N.svg to FOLDER/N.pdf, in number order."""
    arguments = sys.argv[1:] if argv is None else argv
    folder = Path(arguments[0])
    svgs = sorted(folder.glob("*.svg"), key=lambda path: int(path.stem))
    for path, pdf in zip(svgs, convert([path.read_text(encoding="utf-8") for path in svgs]), strict=True):
        path.with_suffix(".pdf").write_bytes(pdf)
    return 0


if __name__ == "__main__":
    sys.exit(main())
