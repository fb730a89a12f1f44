"""Names that stand for countries, organisations and news outlets.

Country names come from pycountry (ISO 3166 names, common and official names); the short forms
and capitals that newspapers use as stand-ins ("Beijing" for China, "Tokyo" for Japan, "the
U.S.") are listed here because no library covers them. The European Union is coded EU, as in the
rest of the project.
"""

from __future__ import annotations

import functools
import re

import pycountry

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

# Acronyms of agencies, ministries and international bodies that articles on this topic use
# (EU is not here: it is a jurisdiction, extracted as a country code).
ORGANISATION_ACRONYMS = (
    "JOGMEC",
    "METI",
    "MOFCOM",
    "WTO",
    "IEA",
    "USGS",
    "GAO",
    "DOE",
    "DoD",
    "DOD",
    "OECD",
    "G7",
    "G20",
    "NATO",
    "IMF",
    "JBIC",
    "NEDO",
    "EXIM",
    "DFC",
    "MSP",
    "CRMA",
    "BGS",
    "UN",
    "ASEAN",
    "NDRC",
    "MIIT",
    "GAC",
    "USTR",
    "NSC",
)
ORGANISATION_ACRONYM = re.compile(rf"(?<![\w.])(?:{'|'.join(map(re.escape, ORGANISATION_ACRONYMS))})(?![\w])")
_ORG_SUFFIX = (
    r"Corporation|Corp\.?|Company|Co\.|Ltd\.?|Limited|Inc\.?|Group|Holdings|Materials|Metals|Mining|Minerals|Resources|"
    r"Agency|Ministry|Department|Commission|Council|Organi[sz]ation|Bank|Fund|University|Institute|Office|Administration|"
    r"Parliament|Association|Alliance|Partnership|Journal|Times|Post|Survey|Service|Bureau"
)
ORGANISATION = re.compile(
    rf"\b(?:(?:the|The)[ \t]+)?(?P<name>(?:[A-Z][\w&'.-]*[ \t]+){{1,5}}(?:{_ORG_SUFFIX})"
    rf"(?:[ \t]+(?:of|for)[ \t]+(?:the[ \t]+)?[A-Z][\w&'-]*(?:[ \t]+[A-Z][\w&'-]*){{0,3}})?)(?![\w])"
)
# "Lynas, an Australian company", "Australian firm Lynas", "trading house Sojitz"
ORGANISATION_APPOSITION = re.compile(
    r"\b(?P<name>[A-Z][\w&'.-]*(?:[ \t]+[A-Z][\w&'.-]*){0,3}),[ \t]+an?[ \t]+(?:[A-Z][a-z]+[ \t]+)?"
    r"(?:company|firm|miner|producer|trading house|group|maker|manufacturer|refiner|agency)\b"
    r"|\b(?:company|firm|miner|producer|trading house|maker|refiner)[ \t]+(?P<name2>[A-Z][\w&'.-]*(?:[ \t]+[A-Z][\w&'.-]*){0,4})"
)

# Outlets by web domain, for 'source: https://...' lines; unknown domains are reported as the domain itself.
OUTLETS_BY_DOMAIN: dict[str, str] = {
    "nytimes.com": "The New York Times",
    "wsj.com": "The Wall Street Journal",
    "reuters.com": "Reuters",
    "ft.com": "Financial Times",
    "bloomberg.com": "Bloomberg",
    "nikkei.com": "Nikkei",
    "asia.nikkei.com": "Nikkei Asia",
    "japantimes.co.jp": "The Japan Times",
    "bbc.com": "BBC",
    "bbc.co.uk": "BBC",
    "theguardian.com": "The Guardian",
    "apnews.com": "Associated Press",
    "cnbc.com": "CNBC",
    "scmp.com": "South China Morning Post",
    "washingtonpost.com": "The Washington Post",
    "economist.com": "The Economist",
    "politico.eu": "Politico Europe",
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


def outlet_for_domain(host: str) -> str:
    """The outlet of a web host (www. and sub-domains tried in turn), or the host itself."""
    host = host.lower().removeprefix("www.")
    parts = host.split(".")
    for start in range(len(parts) - 1):
        candidate = ".".join(parts[start:])
        if candidate in OUTLETS_BY_DOMAIN:
            return OUTLETS_BY_DOMAIN[candidate]
    return host
