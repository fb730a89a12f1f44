"""Charts: deterministic SVG by default, interactive offline Vega when asked, anything else refused."""

from __future__ import annotations

import altair as alt
import pandas as pd
import pytest

from rare_earths.common import renderers


def test_svg_by_default_and_interactive_on_request(monkeypatch):
    monkeypatch.delenv(renderers.VARIABLE, raising=False)
    assert renderers.enable() == "svg" and alt.renderers.active == "rare_earths_static"
    monkeypatch.setenv(renderers.VARIABLE, "interactive")
    try:
        assert renderers.enable() == "interactive"
        chart = alt.Chart(pd.DataFrame({"x": [1], "y": [2]})).mark_point().encode(x="x", y="y", tooltip=["x"])
        bundle = alt.renderers.get()(chart.to_dict())
        html = bundle["text/html"]
        assert "window.vegaEmbed" in html and '"tooltip"' in html
        assert "http://" not in html.split("window.vegaEmbed('#")[-1] and "cdn" not in html.lower()[:2000]
        assert "<script src=" not in html, "Vega comes inline from vl-convert's bundle, not from a URL"
    finally:
        renderers.enable("svg")


def test_an_unknown_mode_is_refused(monkeypatch):
    monkeypatch.setenv(renderers.VARIABLE, "png")
    with pytest.raises(ValueError, match="RARE_EARTHS_CHARTS='png'"):
        renderers.enable()
