"""Names that stand for countries, organisations and news outlets.

Country names come from pycountry (ISO 3166 names, common and official names); the short forms
and capitals that newspapers use as stand-ins ("Beijing" for China, "Tokyo" for Japan, "the
U.S.") are listed here because no library covers them. The European Union is coded EU, as in the
rest of the project.
"""

from __future__ import annotations

import re

from rare_earths.common.geography import country_names as country_names
from rare_earths.common.geography import country_pattern as country_pattern

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
    r"Corporation|Corp\.?|Company|Co\.|Ltd\.?|Limited|Inc\.?|Group|Holdings|Materials|Metals|Mining|"
    r"Minerals|Resources|"
    r"Agency|Ministry|Department|Commission|Council|Organi[sz]ation|Bank|Fund|University|Institute|"
    r"Office|Administration|"
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
    r"|\b(?:company|firm|miner|producer|trading house|maker|refiner)"
    r"[ \t]+(?P<name2>[A-Z][\w&'.-]*(?:[ \t]+[A-Z][\w&'.-]*){0,4})"
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


def outlet_for_domain(host: str) -> str:
    """The outlet of a web host (www. and sub-domains tried in turn), or the host itself."""
    host = host.lower().removeprefix("www.")
    parts = host.split(".")
    for start in range(len(parts) - 1):
        candidate = ".".join(parts[start:])
        if candidate in OUTLETS_BY_DOMAIN:
            return OUTLETS_BY_DOMAIN[candidate]
    return host
