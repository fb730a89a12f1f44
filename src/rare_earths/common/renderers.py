"""How the notebooks draw their charts: static SVG for the builds, interactive Vega for JupyterLab.

Papermill, nbval and the reports need the same bytes on every run, so the default is altair's `svg`
renderer (vl-convert, no JavaScript), with the chart's Vega-Lite spec kept in the output's metadata:
the HTML report draws the chart interactively from it (tooltips, zoom where the chart has it) with
the same offline bundle, and the PDF prints the SVG. In JupyterLab a reader wants tooltips and zoom: with
`RARE_EARTHS_CHARTS=interactive` in the environment Lab was started from (`make lab` sets it), each
chart is an HTML output that carries Vega, Vega-Lite and vega-embed from the JavaScript bundle that
the pinned `vl-convert-python` ships, so nothing is loaded from the network. Those outputs hold
scripts, which JupyterLab runs only in trusted notebooks (outputs made in the session are trusted;
`make setup` trusts the stored ones) and which are never stored: `make store-outputs` runs with the
default.
"""

from __future__ import annotations

import functools
import json
import os
import uuid
from pathlib import Path

import altair as alt

from rare_earths.common import paths

VARIABLE = "RARE_EARTHS_CHARTS"
MODES = ("svg", "interactive")


METADATA_KEY = "rare_earths"  # output metadata: {"rare_earths": {"vega_lite": spec}}


@functools.cache
def bundle() -> str:
    """Vega, Vega-Lite (the version altair writes) and vega-embed as one script, from vl-convert."""
    import vl_convert

    return vl_convert.javascript_bundle(vl_version=".".join(alt.VEGALITE_VERSION.split(".")[:2]))


@functools.cache
def shipped_chart_fonts() -> Path:
    """Give vl-convert the DejaVu files the lock ships (matplotlib's copy, paths.DEJAVU_FONTS) and return
    their folder. vl-convert measures a chart's text with the fonts it finds: on a host without DejaVu
    Sans it falls back to a font of its own and every label moves, so the same notebook made different
    SVG on different machines. With the shipped files registered the SVG is the same on any host (and on
    this one, byte for byte what the host's DejaVu gave)."""
    import vl_convert

    package, inside = paths.DEJAVU_FONTS
    folder = paths.installed_folder(package, inside)
    if folder is None or not (folder / "DejaVuSans.ttf").is_file():
        raise FileNotFoundError(f"DejaVu Sans is not in {package} ({inside}): run `make setup`")
    vl_convert.register_font_directory(str(folder))
    return folder


def static(spec: dict, **options):
    """The build's renderer: altair's SVG (deterministic, no script, the shipped fonts), with the chart's
    Vega-Lite spec in the output's metadata so the HTML report can draw the same chart interactively (the
    PDF keeps the SVG)."""
    from altair.vegalite.v6.display import svg_renderer

    shipped_chart_fonts()
    return svg_renderer(spec, **options), {METADATA_KEY: {"vega_lite": spec}}


def interactive(spec: dict, **_options) -> dict:
    """An altair renderer: the chart as HTML that embeds Vega offline (the bundle defines window.vegaEmbed
    once per page)."""
    target = f"rare-earths-chart-{uuid.uuid4().hex}"
    script = (
        "if (!window.vegaEmbed) {" + bundle() + "}\n"
        f"window.vegaEmbed('#{target}', {json.dumps(spec)}, {{actions: false}});"
    )
    return {"text/html": f"<div id='{target}'></div><script type='text/javascript'>{script}</script>"}


def enable(mode: str | None = None) -> str:
    """Switch altair to the mode asked for (argument, else the environment variable, else svg); an unknown
    mode is refused rather than silently drawn another way."""
    chosen = (mode or os.environ.get(VARIABLE) or "svg").strip().lower()
    if chosen not in MODES:
        raise ValueError(f"{VARIABLE}={chosen!r}: expected one of {', '.join(MODES)}")
    if chosen == "interactive":
        alt.renderers.register("rare_earths_interactive", interactive)
        alt.renderers.enable("rare_earths_interactive")
    else:
        alt.renderers.register("rare_earths_static", static)
        alt.renderers.enable("rare_earths_static")
    return chosen
