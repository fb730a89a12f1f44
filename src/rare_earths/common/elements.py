"""The rare-earth elements: symbols and English names, one table for the whole project."""

from __future__ import annotations

# The seventeen rare-earth elements (the lanthanides, scandium and yttrium), symbol -> name.
RARE_EARTH_ELEMENTS: dict[str, str] = {
    "Sc": "scandium",
    "Y": "yttrium",
    "La": "lanthanum",
    "Ce": "cerium",
    "Pr": "praseodymium",
    "Nd": "neodymium",
    "Pm": "promethium",
    "Sm": "samarium",
    "Eu": "europium",
    "Gd": "gadolinium",
    "Tb": "terbium",
    "Dy": "dysprosium",
    "Ho": "holmium",
    "Er": "erbium",
    "Tm": "thulium",
    "Yb": "ytterbium",
    "Lu": "lutetium",
}
# Mixtures that statistics price or report as one material.
MIXTURES: dict[str, str] = {"NdPr": "neodymium-praseodymium"}


def symbol_of(name: str) -> str | None:
    """The symbol of an element or mixture named in English (any case), or None."""
    wanted = name.strip().lower()
    names = {**RARE_EARTH_ELEMENTS, **MIXTURES}
    return next((symbol for symbol, known in names.items() if known == wanted), None)
