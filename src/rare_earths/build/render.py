"""Turn executed notebooks into self-contained HTML and PDF, and write the reports index.

HTML comes from nbconvert with the `offline` template: the JupyterLab template's markup, styled by
the reports' own small stylesheet (templates/offline/report.css) instead of JupyterLab's 240 KB
application stylesheet, with no CDN scripts; the PDF is weasyprint's rendering of that same HTML,
with the stylesheet's print rules. Both are written
to a temporary file first and moved into place only when complete, so a failure leaves the
previous report untouched.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from bs4 import BeautifulSoup

from rare_earths.common.errors import RareEarthsError
from rare_earths.common.io import atomic_write_bytes

if TYPE_CHECKING:  # pandas is imported where the appendix is written: every build command imports this module
    import pandas as pd

TEMPLATES = Path(__file__).parent / "templates"
_REMOTE = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])([^'")\s]+)""", re.IGNORECASE)


class RenderError(RareEarthsError):
    """A report that would load something from the network, or whose PDF would cut text off."""


def remote_references(page: str) -> list[str]:
    """Every script, style sheet, image, media or font URL in an HTML page that points at the network."""
    soup = BeautifulSoup(page, "html.parser")
    found = []
    for tag, attribute in (
        ("script", "src"),
        ("link", "href"),
        ("img", "src"),
        ("source", "src"),
        ("iframe", "src"),
        ("image", "href"),
        ("image", "xlink:href"),
        ("use", "href"),
    ):
        found += [
            element[attribute]
            for element in soup.find_all(tag)
            if element.get(attribute) and _REMOTE.match(element[attribute])
        ]
    styles = [element.get_text() for element in soup.find_all("style")] + [
        element["style"] for element in soup.find_all(style=True)
    ]
    found += [url for css in styles for url in _CSS_URL.findall(css) if _REMOTE.match(url)]
    return found


def notebook_to_html(
    executed: Path, target: Path, *, hide_code: bool = False, stamp: str | None = None
) -> None:
    """Render an executed notebook with the offline template; refuse any network reference."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.enabled = True
    config.TagRemovePreprocessor.remove_cell_tags = {"remove-cell"}
    config.TagRemovePreprocessor.remove_input_tags = {"remove-input", "hide-input"}
    exporter = HTMLExporter(config=config, template_name="offline", extra_template_basedirs=[str(TEMPLATES)])
    exporter.exclude_input = hide_code
    exporter.exclude_input_prompt = exporter.exclude_output_prompt = hide_code
    body, _ = exporter.from_filename(str(executed))
    body = with_interactive_charts(with_navigation(with_alt_texts(body), stamp))
    remote = remote_references(body)
    if remote:
        raise RenderError(
            f"{executed}: the HTML would load from the network: {', '.join(sorted(set(remote))[:5])}"
        )
    atomic_write_bytes(target, body.encode("utf-8"))


NO_ALT = 'alt="No description has been provided for this image"'
_CHART = re.compile(
    r'<img alt="No description has been provided for this image" src="data:image/svg\+xml;base64,([^"]+)"'
)
_CAPTION = re.compile(r"<p><strong>(Figure [0-9]+[a-z]?\.)</strong>(.*?)</p>", re.S)
_TITLE = re.compile(r"aria-label=\"Title text '(.*?)'\"")


def with_alt_texts(body: str) -> str:
    """Every chart image gets real alt text: the figure's caption when one follows it before the next chart
    ("Figure N. ..."), else the chart's own title (the last title Vega draws; facet headers come first)."""
    charts = list(_CHART.finditer(body))
    pieces, at = [], 0
    for number, chart in enumerate(charts):
        end = charts[number + 1].start() if number + 1 < len(charts) else len(body)
        caption = _CAPTION.search(body, chart.end(), end)
        if caption:
            text = caption.group(1) + re.sub(r"<[^>]+>", "", caption.group(2))
        else:
            svg = base64.b64decode(chart.group(1)).decode("utf-8", errors="replace")
            titles = _TITLE.findall(svg)
            text = f"Chart: {html.unescape(titles[-1])}" if titles else "Chart without a title"
        alt = 'alt="' + html.escape(" ".join(html.unescape(text).split()), quote=True) + '"'
        pieces += [body[at : chart.start()], chart.group(0).replace(NO_ALT, alt, 1)]
        at = chart.end()
    return "".join([*pieces, body[at:]])


_MENTION = re.compile(r"\b(Figure|Table) ([0-9]+[a-z]?)\b")
_ANCHOR_CHARS = re.compile(r"[^A-Za-z0-9-]")


def with_navigation(body: str, stamp: str | None = None) -> str:
    """A table of contents of the second-level headings after the title (and, when given, the build stamp
    above it, ending the title page in print), an anchor on every figure and table caption ("Figure 4.",
    "Table 2."), and every mention of one in the text as a link to it."""
    soup = BeautifulSoup(body, "html.parser")
    anchors = {}
    for strong in soup.find_all("strong"):
        found = re.fullmatch(r"(Figure|Table) ([0-9]+[a-z]?)\.", strong.get_text())
        if found and strong.parent is not None and strong.parent.name == "p":
            anchor = f"{found.group(1).lower()}-{found.group(2)}"
            strong.parent["id"] = anchor
            anchors[f"{found.group(1)} {found.group(2)}"] = anchor
    for text in list(soup.find_all(string=_MENTION)):
        if text.parent is None or text.parent.name in ("strong", "a", "style", "script", "title", "code"):
            continue
        _as_links(soup, text, _MENTION, anchors)
    _link_citations(soup)
    _keep_captions_with_their_content(soup, anchors.values())
    headings = [h for h in soup.find_all("h2") if h.get("id")]
    title = soup.find("h1")
    if title is not None and len(headings) >= 3:
        nav = soup.new_tag("nav", attrs={"class": "toc"})
        nav.append(soup.new_tag("strong"))
        nav.strong.string = "Contents"
        items = soup.new_tag("ol")
        for heading in headings:
            item, link = soup.new_tag("li"), soup.new_tag("a", href=f"#{heading['id']}")
            link.string = heading.get_text().rstrip("¶").strip()
            item.append(link)
            items.append(item)
        nav.append(items)
        (title.find_next_sibling() or title).insert_after(nav)
        if stamp:
            note = soup.new_tag("p", attrs={"class": "build-stamp"})
            note.string = stamp
            nav.insert_before(note)
            nav["class"] = ["toc", "title-page"]
    return str(soup)


def _keep_captions_with_their_content(soup: BeautifulSoup, anchors) -> None:
    """In print, a caption stays on the page of what it describes: the cell holding a chart is marked to
    stay with the next cell (its caption follows it), and the cell holding a table's caption to stay with
    the next cell (the table follows it)."""
    for anchor in anchors:
        caption = soup.find(id=anchor)
        cell = caption.find_parent("div", class_="jp-Cell") if caption is not None else None
        if cell is None:
            continue
        if anchor.startswith("figure-"):
            chart = cell.find_previous_sibling("div", class_="jp-Cell")
            if chart is not None:
                chart["class"] = [*chart.get("class", []), "keep-with-next"]
        else:
            cell["class"] = [*cell.get("class", []), "keep-with-next"]


def _link_citations(soup: BeautifulSoup) -> None:
    """Every author-date label in the text (paragraphs, lists, table cells) as a link to its entry in the
    reference list (`li id="ref-..."` with the label in bold); labels are matched whole, longest first."""
    entries = {}
    for item in soup.select('li[id^="ref-"]'):
        label = item.find("strong")
        if label is not None and label.get_text().strip():
            entries[label.get_text().strip()] = item["id"]
    if not entries:
        return
    pattern = re.compile(
        r"(?<![\w-])(?:"
        + "|".join(re.escape(k) for k in sorted(entries, key=len, reverse=True))
        + r")(?![\w-])"
    )
    for text in list(soup.find_all(string=pattern)):
        parent = text.parent
        if parent is None or parent.name in ("strong", "a", "style", "script", "title", "code", "h1", "h2"):
            continue
        if (
            parent.find_parent("li", id=re.compile("^ref-")) is not None
            or parent.find_parent("a") is not None
        ):
            continue
        _as_links(soup, text, pattern, entries, {"class": "citation"})


def _as_links(soup: BeautifulSoup, text, pattern: re.Pattern, targets: dict[str, str], attrs=None) -> None:
    """Replace a text node by the same text with every match of `pattern` that names a key of `targets` as a
    link to that target's anchor (other matches stay text)."""
    pieces, at = [], 0
    for match in pattern.finditer(text):
        if match.group(0) not in targets:
            continue
        link = soup.new_tag("a", href=f"#{targets[match.group(0)]}", attrs=attrs or {})
        link.string = match.group(0)
        pieces += [text[at : match.start()], link]
        at = match.end()
    if pieces:
        text.replace_with(*[p for p in [*pieces, text[at:]] if p != ""])


VEGA_SPEC_CLASS = "rare-earths-vega"
_DRAW = """
document.querySelectorAll('script.rare-earths-vega').forEach(function (holder) {
  var chart = document.createElement('div');
  chart.className = 'vega-chart';
  holder.parentNode.insertBefore(chart, holder);
  window.vegaEmbed(chart, JSON.parse(holder.textContent), {actions: false, renderer: 'svg'})
    .then(function () {
      var still = chart.previousElementSibling;
      if (still) { still.classList.add('static-chart'); }
    })
    .catch(function () { chart.remove(); });
});
"""


def with_interactive_charts(body: str) -> str:
    """Where the page holds charts' Vega-Lite specs (inert JSON after each SVG), one script: the Vega
    bundle that vl-convert ships (no network) and a loop that draws each chart interactively on screen,
    hiding its SVG there once drawn; print and PDF keep the SVG (report.css)."""
    if f'class="{VEGA_SPEC_CLASS}"' not in body:
        return body
    from rare_earths.common.renderers import bundle

    script = (bundle() + "\n" + _DRAW).replace("</script", "<\\/script")
    return body.replace("</body>", f"<script type='text/javascript'>{script}</script>\n</body>", 1)


def _local_only_fetcher():
    """A weasyprint URL fetcher that refuses anything but file: and data: URLs (no network, ever)."""
    from weasyprint.urls import FatalURLFetchingError, URLFetcher

    class LocalOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if not url.startswith(("file:", "data:")):
                raise FatalURLFetchingError(f"the PDF would load {url} from the network")
            return super().fetch(url, headers)

    return LocalOnly()


@dataclass(frozen=True)
class Overflow:
    """A piece of text that extends past the printable page."""

    page: int
    text: str
    right_edge_mm: float
    page_width_mm: float


def text_overflow(document) -> list[Overflow]:
    """Text boxes in a rendered weasyprint document that cross the page's left or right edge."""
    from weasyprint.formatting_structure import boxes

    found = []
    for number, page in enumerate(document.pages, start=1):
        for box in descendants(page._page_box):
            if isinstance(box, boxes.TextBox) and box.text.strip():
                right = box.position_x + box.width
                if right > page.width + 0.5 or box.position_x < -0.5:
                    found.append(Overflow(number, box.text[:60], right * 25.4 / 96, page.width * 25.4 / 96))
    return found


def descendants(box):
    """Walk a weasyprint box tree depth first."""
    yield box
    for child in getattr(box, "children", ()):
        yield from descendants(child)


_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script\s*>", re.IGNORECASE | re.DOTALL)


def without_scripts(page: str) -> str:
    """The page without its script elements: print ignores them, but the offline Vega bundle and the charts'
    specs (about 1 MB of the study report) cost the PDF renderer's HTML parser half a second or more.
    Every script inside the page escapes "</script" (with_interactive_charts, Jinja's tojson), so the
    first closing tag ends each one."""
    return _SCRIPT.sub("", page)


def html_to_pdf(page: Path, target: Path) -> None:
    """Print the HTML report to PDF with the shipped fonts only (build/fonts.py), refusing text cut off at
    the page edge. weasyprint lays out the page with each chart replaced by an empty box of its size, while
    a second process turns the charts' SVGs into PDF; the charts are then drawn into their boxes, still
    vector (build/vector_charts.py)."""
    from rare_earths.build import vector_charts
    from rare_earths.build.fonts import shipped_fonts

    text, svgs = vector_charts.placeholders(without_scripts(page.read_text(encoding="utf-8")))
    conversion = vector_charts.ChartConversion(svgs)
    try:
        with shipped_fonts():
            from weasyprint import HTML
            from weasyprint.urls import FatalURLFetchingError

            try:
                document = HTML(
                    string=text, base_url=str(page), url_fetcher=_local_only_fetcher(), media_type="print"
                ).render()
            except FatalURLFetchingError as error:
                raise RenderError(f"{page}: {error}") from None
            overflow = text_overflow(document)
            if overflow:
                first = overflow[0]
                raise RenderError(
                    f"{page}: {len(overflow)} text boxes would be cut off in the PDF; "
                    f"first on page {first.page}: {first.text!r} ends at {first.right_edge_mm:.0f} mm "
                    f"of {first.page_width_mm:.0f} mm"
                )
            where = vector_charts.placements(document)
            pdf = document.write_pdf(pdf_tags=True)  # tagged: structure for screen readers
        try:
            printed = vector_charts.stamp(pdf, where, conversion.result())
        except vector_charts.ChartError as error:  # the conversion or a chart's fonts: name the page
            raise RenderError(f"{page}: {error}") from None
        atomic_write_bytes(target, printed)
    finally:
        conversion.close()


@dataclass(frozen=True)
class ReportEntry:
    """One notebook's line in the index."""

    name: str
    formats: tuple[str, ...]
    parameters: dict
    missing_inputs: tuple[str, ...]
    stale: tuple[str, ...] = ()  # formats older than the notebook's last run


def write_index(
    target: Path,
    entries: list[ReportEntry],
    inputs: list[tuple[str, int, str]],
    *,
    built_at: str,
    version: str,
    commit: str,
) -> None:
    """The reports' front page: links, build time, package version and the checksums of the inputs used."""
    rows = "\n".join(_index_row(entry) for entry in entries)
    input_rows = "\n".join(
        f"<tr><td><code>{html.escape(path)}</code></td>"
        f"<td class='num'>{size:,}</td><td><code>{digest}</code></td></tr>"
        for path, size, digest in inputs
    )
    page = _INDEX.format(
        built_at=html.escape(built_at),
        version=html.escape(version),
        commit=html.escape(commit),
        rows=rows,
        input_rows=input_rows,
        count=len(inputs),
    )
    atomic_write_bytes(target, page.encode("utf-8"))


APPENDIX = ("sources.html", "sources.csv")


def write_appendix(sources: pd.DataFrame, folder: Path) -> tuple[Path, Path]:
    """The data appendix beside the reports: the whole citation registry as CSV (formula-like text
    neutralised) and as an HTML table with author-date labels, anchors and links. The study report's
    reference list holds what it cites; this holds everything the record and the indicators cite."""
    import pandas as pd

    from rare_earths.common.labels import citation_labels, url_link
    from rare_earths.common.registry import neutralise

    folder = Path(folder)
    labels = citation_labels(sources, pd.DataFrame(columns=["source", "publisher"]))
    ordered = sources.assign(label=sources["source_id"].map(labels)).sort_values(["label", "source_id"])
    csv_path, html_path = folder / APPENDIX[1], folder / APPENDIX[0]
    atomic_write_bytes(csv_path, ordered.map(neutralise).to_csv(index=False).encode("utf-8"))
    rows = "\n".join(
        f"<tr id='{html.escape(r.source_id)}'><td>{html.escape(r.label)}</td>"
        f"<td>{html.escape(str(r.publisher))}</td><td>{html.escape(str(r.published))}</td><td><em>{html.escape(str(r.title))}</em></td>"
        f"<td>{html.escape(str(r.kind))}{'; primary' if str(r.primary).lower() == 'true' else ''}</td>"
        f"<td>{url_link(str(r.url))}</td>"
        f"<td><code>{html.escape(r.source_id)}</code></td></tr>"
        for r in ordered.itertuples()
    )
    page = _APPENDIX.format(count=len(ordered), rows=rows, csv=APPENDIX[1])
    atomic_write_bytes(html_path, page.encode("utf-8"))
    return html_path, csv_path


_APPENDIX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Data appendix: the citation registry</title>
<style>
body {{ font-family: sans-serif; max-width: 80rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; font-size: 0.85em; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.25rem 0.4rem; text-align: left; }}
td {{ vertical-align: top; overflow-wrap: anywhere; }}
</style></head>
<body>
<h1>Data appendix: the citation registry</h1>
<p>All {count} sources the curated record and indicators cite, by author-date label (the study report's
reference list holds the ones it cites). The same table as CSV: <a href='{csv}'>{csv}</a>.</p>
<table><thead><tr><th>Label</th><th>Publisher</th><th>Published</th><th>Title</th><th>Kind</th><th>Link</th>
<th>source_id</th></tr></thead>
<tbody>
{rows}
</tbody></table>
</body></html>
"""


def _index_row(entry: ReportEntry) -> str:
    """Links to one notebook's reports, its parameter overrides and the inputs it lacked."""
    links = " · ".join(
        f"<a href='{html.escape(entry.name)}.{fmt}'>{fmt.upper()}</a>"
        + (
            " <em>(stale: from an earlier run of the notebook, not these parameters)</em>"
            if fmt in entry.stale
            else ""
        )
        for fmt in entry.formats
    )
    parameters = (
        ", ".join(f"{html.escape(k)}={html.escape(repr(v))}" for k, v in entry.parameters.items())
        or "defaults"
    )
    missing = "<br>".join(html.escape(m) for m in entry.missing_inputs) or "none"
    return (
        f"<tr><td>{html.escape(entry.name)}</td><td>{links}</td><td>{parameters}</td><td>{missing}</td></tr>"
    )


_INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Rare-earth supply chains: reports</title>
<style>
body {{ font-family: sans-serif; max-width: 64rem; margin: 2rem auto; padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; margin: 1rem 0; font-size: 0.9em; }}
th, td {{ border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left; \
vertical-align: top; overflow-wrap: anywhere; }}
td.num {{ text-align: right; }} code {{ font-size: 0.85em; }}
</style></head>
<body>
<h1>Rare-earth supply chains: reports</h1>
<p>Built {built_at} by rare-earths {version} (commit <code>{commit}</code>).</p>
<h2>Notebooks</h2>
<table><thead><tr><th>Notebook</th><th>Reports</th><th>Parameters</th><th>Missing inputs</th></tr></thead>
<tbody>
{rows}
</tbody></table>
<h2>Data appendix</h2>
<p>The whole citation registry: <a href='sources.html'>HTML</a> · <a href='sources.csv'>CSV</a>.</p>
<h2>Inputs used ({count} files)</h2>
<table><thead><tr><th>File</th><th>Bytes</th><th>sha256</th></tr></thead>
<tbody>
{input_rows}
</tbody></table>
</body></html>
"""
