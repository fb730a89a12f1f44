"""Countries and jurisdictions: ISO 3166 codes for the names statistics and articles use, the EU's members.

Country names come from pycountry (ISO 3166 names, common and official names); the short forms
and capitals that newspapers use as stand-ins ("Beijing" for China, "Tokyo" for Japan, "the
U.S.") and the labels statistics use for aggregates are listed here because no library covers
them. The European Union is coded EU and the world WLD, throughout the project.
"""

from __future__ import annotations

import functools
import re

import pandas as pd
import pycountry

from rare_earths.common.errors import DatasetError, Issue

_EXTRA_CODES = {"EU", "WLD"}

# The 27 member states since 2020: trackers list them one by one for an EU measure; the timeline counts their
# own measures in the EU lane.
EU_MEMBERS = frozenset(
    (
        "AT",
        "BE",
        "BG",
        "HR",
        "CY",
        "CZ",
        "DK",
        "EE",
        "FI",
        "FR",
        "DE",
        "GR",
        "HU",
        "IE",
        "IT",
        "LV",
        "LT",
        "LU",
        "MT",
        "NL",
        "PL",
        "PT",
        "RO",
        "SK",
        "SI",
        "ES",
        "SE",
    )
)
# Stand-ins that are not ISO names: capitals used for governments, and common short forms.
COUNTRY_ALIASES: dict[str, str] = {
    "Beijing": "CN",
    "Tokyo": "JP",
    "Washington": "US",
    "Canberra": "AU",
    "Brussels": "EU",
    "Seoul": "KR",
    "Moscow": "RU",
    "New Delhi": "IN",
    "Ottawa": "CA",
    "Kuala Lumpur": "MY",
    "Hanoi": "VN",
    "Naypyidaw": "MM",
    "Berlin": "DE",
    "Paris": "FR",
    "London": "GB",
    "Taipei": "TW",
    "Brasilia": "BR",
    "Pretoria": "ZA",
    "U.S.": "US",
    "U.S.A.": "US",
    "USA": "US",
    "America": "US",
    "United States": "US",
    "Britain": "GB",
    "Great Britain": "GB",
    "UK": "GB",
    "U.K.": "GB",
    "South Korea": "KR",
    "Korea": "KR",
    "North Korea": "KP",
    "Russia": "RU",
    "Vietnam": "VN",
    "Burma": "MM",
    "Myanmar": "MM",
    "Laos": "LA",
    "Taiwan": "TW",
    "Iran": "IR",
    "Tanzania": "TZ",
    "Greenland": "GL",
    "EU": "EU",
    "European Union": "EU",
    "Europe": "EU",
}
_AMBIGUOUS = {
    "Jersey",
    "Georgia",
    "Chad",
    "Niger",
    "Guinea",
    "Turkey",
    "Jordan",
    "Dominica",
}  # also ordinary words or US states

# Labels the statistics use that are not country names: aggregates map to WLD, residuals to None.
AGGREGATES: dict[str, str | None] = {
    "World": "WLD",
    "World total": "WLD",
    "World total (rounded)": "WLD",
    "Total": "WLD",
    "Other countries": None,
    "Other": None,
    "Korea, Republic of": "KR",
    "Korea, South": "KR",
    "DR Congo": "CD",
    "Congo (Kinshasa)": "CD",
    "Turkey": "TR",
    "Turkiye": "TR",
    "Democratic Republic of the Congo": "CD",
    "Myanmar (Burma)": "MM",
    "European Union": "EU",
}


@functools.cache
def country_names() -> dict[str, str]:
    """Every name that maps to an ISO alpha-2 code (or EU), longest names first."""
    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "common_name", "official_name"):
            name = getattr(country, attribute, None)
            if name and name not in _AMBIGUOUS and "," not in name:
                names[name] = country.alpha_2
    names.update(COUNTRY_ALIASES)
    return dict(sorted(names.items(), key=lambda item: -len(item[0])))


@functools.cache
def country_pattern() -> re.Pattern[str]:
    """One regular expression for all country names and stand-ins, as whole words."""
    alternatives = "|".join(re.escape(name) for name in country_names())
    return re.compile(rf"(?<![\w.])(?:{alternatives})(?![\w]|\.\w)")


@functools.cache
def known_codes() -> frozenset[str]:
    return frozenset({country.alpha_2 for country in pycountry.countries} | _EXTRA_CODES)


def country_code(label: str) -> str | None:
    """ISO 3166 alpha-2 for a country name, alpha-2 or alpha-3 code; WLD for world totals; None for residuals.

    Raises KeyError for a label nothing knows, so the caller can name the row it came from.
    """
    text = str(label).strip()
    if text in AGGREGATES:
        return AGGREGATES[text]
    names = country_names()
    if text in names:
        return names[text]
    if text.isupper() and len(text) in (2, 3):
        found = (
            pycountry.countries.get(alpha_2=text) if len(text) == 2 else pycountry.countries.get(alpha_3=text)
        )
        if found is not None:
            return found.alpha_2
    raise KeyError(text)


def country_codes(labels: list[str], where: str, what: str) -> list[str | None]:
    """country_code for each label; an unknown label is a DatasetError naming `where` and `what`."""
    codes = []
    for label in labels:
        try:
            codes.append(country_code(label))
        except KeyError:
            raise DatasetError(f"{where}: {what} {label!r} has no ISO code") from None
    return codes


def country_issues(file: str, frame: pd.DataFrame, columns: tuple[str, ...]) -> list[Issue]:
    """Cells of country columns that hold no known code (ISO 3166-1 alpha-2, EU or WLD), at their CSV line."""
    known = known_codes()
    return [
        Issue(
            file,
            int(index) + 2,
            column,
            "unknown-country",
            f"{code!r} is not an ISO 3166-1 alpha-2 code, EU or WLD",
        )
        for column in columns
        for index, code in frame[column].items()
        if isinstance(code, str) and code and code not in known
    ]


def lane(jurisdiction: str) -> str:
    """The timeline lane of a jurisdiction: an EU member state's measure counts for the EU."""
    return "EU" if jurisdiction in EU_MEMBERS else jurisdiction
