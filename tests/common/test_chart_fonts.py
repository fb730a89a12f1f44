"""Charts are measured with the DejaVu files the lock ships, whatever fonts the host has."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys

import pytest

_CHART = """
import sys
import altair as alt, pandas as pd
from rare_earths.common import renderers
frame = pd.DataFrame({"x": [1, 2, 3], "label": ["Japan’s €3bn", "Lynas ¥87.2bn", "DoD – MP Materials"]})
chart = alt.Chart(frame, title="China's share of rare-earth imports").mark_text().encode(
    x="x", y="label", text="label"
).configure(font="DejaVu Sans")
if sys.argv[1] == "shipped":
    svg, _ = renderers.static(chart.to_dict())
else:
    import vl_convert
    svg = vl_convert.vegalite_to_svg(chart.to_dict())
sys.stdout.write(svg if isinstance(svg, str) else svg["image/svg+xml"])
"""


def _svg(mode: str, hide_host_fonts: bool, tmp_path) -> str:
    command = [sys.executable, "-c", _CHART, mode]
    if hide_host_fonts:  # a host without fonts: an empty /usr/share/fonts and a fontconfig that lists none
        empty = tmp_path / "no-fonts"
        empty.mkdir(exist_ok=True)
        config = tmp_path / "fonts.conf"
        config.write_text("<?xml version='1.0'?><fontconfig></fontconfig>\n")
        inner = shlex.join(command)
        command = [
            "unshare", "-m", "sh", "-c",
            f"mount --bind {shlex.quote(str(empty))} /usr/share/fonts && "
            f"FONTCONFIG_FILE={shlex.quote(str(config))} exec {inner}",
        ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, env=dict(os.environ))
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-800:])
    return done.stdout


@pytest.fixture(scope="module")
def can_hide_host_fonts(tmp_path_factory):
    if shutil.which("unshare") is None or os.geteuid() != 0 or not os.path.isdir("/usr/share/fonts"):
        pytest.skip("hiding the host's fonts needs root, unshare and /usr/share/fonts")
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("this machine does not allow a private mount namespace")
    return tmp_path_factory.mktemp("fonts")


def test_a_chart_is_the_same_svg_on_a_host_without_fonts(can_hide_host_fonts):
    folder = can_hide_host_fonts
    here = _svg("shipped", False, folder)
    assert "<svg" in here and "Lynas" in here
    assert _svg("shipped", True, folder) == here, "the shipped DejaVu measures the labels on any host"
    assert _svg("plain", True, folder) != here, "without it vl-convert measures with a font of its own"
