"""The fonts the PDFs are printed with: files that the locked environment ships, never the host's fonts.

weasyprint finds fonts through fontconfig, which by default sees every font installed on the machine,
so one more Debian font package could change the PDFs' font and page count. While a PDF is printed,
fontconfig reads a configuration of the project's own instead (FONTCONFIG_FILE): it lists only the
files below, maps the generic families onto them and appends them as the fallback of every pattern,
so a font the host adds or removes changes nothing. The files:

- DejaVu Sans and DejaVu Sans Mono (regular, bold, oblique, bold oblique) from matplotlib's mpl-data
  (DejaVu licence, a Bitstream Vera derivative): Latin, Greek, Cyrillic, Arabic, the dashes, quotes,
  currency and arrow signs the reports use; the charts name DejaVu Sans too.
- Noto Sans CJK JP Regular 2.004 from noto-cjk-sans-jp-regular (SIL OFL 1.1): the full CJK glyph set
  (Japanese kana and kanji, simplified and traditional Chinese, Hangul) for the sources' titles.
  It has one weight and no italic: bold and slanted CJK are synthesised from it, as on a host.

Serif text falls back to DejaVu Sans (no serif face is shipped; the stylesheet asks for none).
"""

from __future__ import annotations

import contextlib
import html
import os
from collections.abc import Iterator
from pathlib import Path

from rare_earths.common import paths
from rare_earths.common.errors import RareEarthsError
from rare_earths.common.io import atomic_write_bytes

_DEJAVU = paths.DEJAVU_FONTS
# family -> (package, folder inside it, files)
SHIPPED: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "DejaVu Sans": (
        *_DEJAVU,
        ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique.ttf"),
    ),
    "DejaVu Sans Mono": (
        *_DEJAVU,
        (
            "DejaVuSansMono.ttf",
            "DejaVuSansMono-Bold.ttf",
            "DejaVuSansMono-Oblique.ttf",
            "DejaVuSansMono-BoldOblique.ttf",
        ),
    ),
    "Noto Sans CJK JP": ("noto_cjk_sans_jp_regular", "", ("NotoSansCJKjp-Regular.otf",)),
}
# The styles a shipped family may be embedded in (weasyprint names an embedded font "Family-Name-Style").
STYLES = ("Bold", "Oblique", "Italic", "Book", "Regular", "BoldOblique", "BoldItalic")
FONTCONFIG = paths.BUILD_STATE.parent / "fontconfig"


class FontError(RareEarthsError):
    """A shipped font file is missing from the environment."""


def font_files() -> dict[str, list[Path]]:
    """Each shipped family's files, found in the installed packages (no import of matplotlib needed)."""
    found = {}
    for family, (package, folder, names) in SHIPPED.items():
        base = paths.installed_folder(package, folder)
        if base is None:
            raise FontError(f"the package {package} that ships {family} is not installed: run `make setup`")
        files = [base / name for name in names]
        absent = [str(file) for file in files if not file.is_file()]
        if absent:
            raise FontError(f"{family}: {', '.join(absent)} missing from {package}: run `make setup`")
        found[family] = files
    return found


def fontconfig_text(files: dict[str, list[Path]], cache: Path) -> str:
    """A fontconfig configuration that knows only the given files: the folders that hold them, every other
    file in those folders rejected, generic families mapped, the shipped families as everyone's fallback."""
    every = sorted({file for group in files.values() for file in group})
    folders = sorted({file.parent for file in every})
    esc = html.escape
    accept = "".join(f"<glob>{esc(str(file))}</glob>" for file in every)
    reject = "".join(f"<glob>{esc(str(folder))}/*</glob>" for folder in folders)
    fallback = "".join(f"<string>{esc(family)}</string>" for family in ("DejaVu Sans", "Noto Sans CJK JP"))
    aliases = "".join(
        f"<alias binding='same'><family>{generic}</family>"
        f"<prefer><family>{esc(family)}</family></prefer></alias>"
        for generic, family in (
            ("sans-serif", "DejaVu Sans"),
            ("serif", "DejaVu Sans"),
            ("monospace", "DejaVu Sans Mono"),
            ("system-ui", "DejaVu Sans"),
        )
    )
    return (
        "<?xml version='1.0'?>\n<!DOCTYPE fontconfig SYSTEM 'urn:fontconfig:fonts.dtd'>\n<fontconfig>\n"
        + "".join(f"<dir>{esc(str(folder))}</dir>\n" for folder in folders)
        + f"<cachedir>{esc(str(cache))}</cachedir>\n"
        + f"<selectfont><acceptfont>{accept}</acceptfont><rejectfont>{reject}</rejectfont></selectfont>\n"
        + aliases
        + f"\n<match target='pattern'><edit name='family' mode='append_last'>{fallback}</edit></match>\n"
        + _SYNTHETIC
        + "</fontconfig>\n"
    )


# Slanted and bold faces made from a regular one that has none (Noto Sans CJK JP in an <em> title), as
# fontconfig's own 90-synthetic.conf does on a host (the shipped configuration reads no host file), so the
# font is chosen as before. weasyprint embeds such a face as "...-Oblique" but draws it upright, as it did
# the host's WenQuanYi.
_SYNTHETIC = (
    "<match target='font'><test name='slant'><const>roman</const></test>"
    "<test target='pattern' name='slant' compare='not_eq'><const>roman</const></test>"
    "<edit name='matrix' mode='assign'><times><name>matrix</name>"
    "<matrix><double>1</double><double>0.2</double><double>0</double><double>1</double></matrix>"
    "</times></edit><edit name='slant' mode='assign'><const>oblique</const></edit>"
    "<edit name='embeddedbitmap' mode='assign'><bool>false</bool></edit></match>\n"
    "<match target='font'><test name='weight' compare='less_eq'><const>medium</const></test>"
    "<test target='pattern' name='weight' compare='more_eq'><const>bold</const></test>"
    "<edit name='embolden' mode='assign'><bool>true</bool></edit>"
    "<edit name='weight' mode='assign'><const>bold</const></edit></match>\n"
)


def fontconfig_file(folder: Path = FONTCONFIG) -> Path:
    """The configuration file (written when it changes, e.g. after the environment moved) and its cache."""
    target = folder / "fonts.conf"
    text = fontconfig_text(font_files(), folder / "cache").encode("utf-8")
    if not target.is_file() or target.read_bytes() != text:
        atomic_write_bytes(target, text)
    return target


@contextlib.contextmanager
def shipped_fonts() -> Iterator[Path]:
    """While inside, fontconfig (and so weasyprint, which reads its configuration each time it lays out a
    document) sees only the shipped fonts; the process's environment is restored on the way out."""
    config = fontconfig_file()
    before = os.environ.get("FONTCONFIG_FILE")
    os.environ["FONTCONFIG_FILE"] = str(config)
    try:
        yield config
    finally:
        if before is None:
            os.environ.pop("FONTCONFIG_FILE", None)
        else:
            os.environ["FONTCONFIG_FILE"] = before


def is_shipped(embedded: str) -> bool:
    """Whether a font name a PDF embeds (subset prefix removed) is a shipped one: weasyprint writes
    "DejaVu-Sans-Bold", vl-convert the PostScript name "DejaVuSans-Bold" (build/vector_charts.py)."""
    words = embedded.split("-")
    while len(words) > 1 and words[-1] in STYLES:
        words.pop()
    return " ".join(words) in SHIPPED or "".join(words) in {family.replace(" ", "") for family in SHIPPED}


def embedded_fonts(pdf: bytes) -> set[str]:
    """The PostScript names of the fonts a PDF embeds, without subset prefixes: every /BaseFont in the file
    and in its compressed streams (weasyprint keeps font dictionaries in object streams)."""
    import re
    import zlib

    chunks, view = [pdf], memoryview(pdf)
    for match in re.finditer(rb"stream\r?\n", pdf):
        if b"/ObjStm" in pdf[max(0, match.start() - 300) : match.start()]:
            with contextlib.suppress(zlib.error):
                chunks.append(zlib.decompressobj().decompress(view[match.end() :]))
    names = {name for chunk in chunks for name in re.findall(rb"/BaseFont\s*/([^\s/<>\[\]()]+)", chunk)}
    return {re.sub(r"^[A-Z]{6}\+", "", name.decode("latin-1")) for name in names}
