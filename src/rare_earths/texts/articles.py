"""From one decoded page to one article: metadata, clean body and the lines that were dropped."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import urllib.parse
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import trafilatura
from htmldate.core import examine_header, examine_time_elements
from htmldate.extractors import extract_url_date, json_search
from htmldate.utils import Extractor
from htmldate.validators import get_max_date, get_min_date

from rare_earths.texts import dates, language, lines
from rare_earths.texts.gazetteer import outlet_for_domain

if TYPE_CHECKING:  # the tree trafilatura parses (lxml comes with it)
    from lxml.html import HtmlElement

_ORG_BYLINE = re.compile(
    r"^(?P<org>.+?)\s+(?:briefings?|staff|editors?|editorial(?: team)?|desk|team|newsroom|reporters|wire)$",
    re.IGNORECASE,
)
_OUTLET_NAME = r"(?P<name>(?:The\s+)?[A-Z][\w&.'’-]*(?:\s+(?:of\s+)?[A-Z][\w&.'’-]*){0,5})"
_CITED_OUTLET = (
    re.compile(
        rf"(?i:read|see) the (?:full|original) (?:piece|story|article|report) "
        rf"(?:on|in|at|from) {_OUTLET_NAME}"
    ),
    re.compile(rf"(?i:originally) (?:published|appeared|reported) (?:in|on|by) {_OUTLET_NAME}"),
    re.compile(
        rf"(?:first reported by|reporting for|writing for|as reported by|"
        rf"according to a report (?:in|by)) {_OUTLET_NAME}"
    ),
)
# trafilatura asks htmldate for a date, and htmldate, when the markup has none, falls back on dates written
# in the page's text (a title, a "date" element, any YYYY-MM-DD in the body): a date the article mentions is
# not when it was published. Its answer is not used; `_page_date` asks only the page's own metadata (empty
# rather than wrong: the classifier's own rules then look for a dateline or a 'Published:' line in the text).
_HTMLDATE = {"extensive_search": False, "original_date": True}
_EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
_SCRIPT = re.compile(r"<script\b", re.IGNORECASE)


@dataclass
class Article:
    """One cleaned article, with the classified lines kept for inspection."""

    file: str
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    original_outlet: str | None = None
    source_url: str | None = None
    byline: str | None = None
    tags: list[str] = field(default_factory=list)
    body: str = ""  # the headline (when the page shows one) and the article text, as paragraphs
    headline: str = ""  # the paragraph that opens the body when it is the headline
    lines: list[lines.Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    encoding: str = ""  # what the file was decoded from; set by the caller that read the bytes
    language: str | None = None  # ISO 639-1, detected from the body

    @property
    def doc_id(self) -> str:
        """16 hex digits of the sha256 of the body below the headline, case- and space-folded: the same
        article gets the same id, also when a copy's headline is rewritten or not recognised."""
        text = self.body[len(self.headline) :] if self.headline else self.body
        folded = " ".join(text.casefold().split())
        return hashlib.sha256(folded.encode("utf-8")).hexdigest()[:16]

    @property
    def word_count(self) -> int:
        return len(self.body.split())

    @property
    def dropped(self) -> list[lines.Line]:
        return [line for line in self.lines if line.label == "boilerplate"]


def from_text(file: str, text: str, title: str | None = None) -> Article:
    """Classify the lines of copied page text and assemble the article."""
    article = Article(file=file)
    article.lines = lines.split_lines(text)
    article.title = lines.classify(article.lines, title)
    article.headline, article.body = _body(article.lines)
    article.language = language.detect(article.body or text)
    _metadata(article)
    return article


def from_html(file: str, html: str) -> Article:
    """Extract the main text and metadata with trafilatura, then classify its lines like copied text."""
    scripts, handlers = len(_SCRIPT.findall(html)), len(_EVENT_HANDLER.findall(html))
    tree = trafilatura.load_html(html)  # parsed once: the page date is read before trafilatura prunes it
    page_date = _page_date(tree) if tree is not None else None
    extracted = trafilatura.bare_extraction(
        tree if tree is not None else html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        favor_precision=True,
        date_extraction_params=_HTMLDATE,
    )
    text = (extracted.text if extracted is not None else "") or ""
    article = from_text(file, text, title=extracted.title if extracted is not None else None)
    if extracted is not None:
        article.title = extracted.title or article.title
        article.published = article.published or _page_date_of_url(extracted.url) or page_date
        article.outlet = article.outlet or extracted.sitename
        article.byline = article.byline or extracted.author
        article.tags = article.tags or [
            tag.strip() for item in (extracted.tags or []) for tag in item.split(",") if tag.strip()
        ]
        article.source_url = article.source_url or extracted.url
    if scripts or handlers:
        article.notes.append(
            f"HTML had {scripts} <script> element(s) and {handlers} event-handler attribute(s); "
            "trafilatura removed them"
        )
    return article


def _date_options() -> Extractor:
    """htmldate's options: the original (publication) date, no free-text search, dates up to today."""
    return Extractor(False, get_max_date(None), get_min_date(None), True, "%Y-%m-%d")


def _page_date(tree: HtmlElement) -> str | None:
    """The publication date the page's own markup states: its canonical URL's /YYYY/MM/DD/, meta tags,
    JSON-LD, or <time> elements; never a date or year written in its text. Two of htmldate's markup steps are
    left out as guesses: <abbr> elements fall back on any date in their text, and a schema.org copyrightYear
    becomes 1 January of that year."""
    options = _date_options()
    canonical = tree.find('.//link[@rel="canonical"]')
    header = examine_header(tree, options)
    return (
        extract_url_date(canonical.get("href") if canonical is not None else None, options)
        or (None if header is None or _copyright_year(tree, header) else header)
        or json_search(tree, options)
        or examine_time_elements(tree, options)
    )


def _copyright_year(tree: HtmlElement, found: str) -> bool:
    """Whether a meta-tag date is htmldate's reading of a copyrightYear meta tag (YYYY-01-01): a guess."""
    return found.endswith("-01-01") and any(
        meta.get("itemprop", "").lower() == "copyrightyear" and meta.get("content", "").strip() == found[:4]
        for meta in tree.iter("meta")
    )


def _page_date_of_url(url: str | None) -> str | None:
    """A full /YYYY/MM/DD/ date in the URL trafilatura found in the page's metadata (og:url and the like)."""
    return extract_url_date(url, _date_options()) if url else None


def _metadata(article: Article) -> None:
    """Date, byline, tags, source URL and outlets from the metadata lines (and the whole page for cited
    outlets)."""
    for line in article.lines:
        if line.label == "date" and article.published is None:
            parsed = dates.parse_date_line(line.text)
            found = parsed[0] if parsed else dates.publication_date(line.text, article.language)
            article.published = found.isoformat() if found else None
        elif line.label == "byline" and article.byline is None:
            article.byline = lines.byline_name(line)
            if article.published is None and (posted := lines.byline_date(line)) is not None:
                article.published = posted.isoformat()
        elif line.label == "tags":
            article.tags.extend(tag for tag in lines.hashtags(line) if tag not in article.tags)
        elif line.label == "source" and article.source_url is None:
            article.source_url = lines.source_url(line)
    if article.published is None:
        article.published = _dateline(article.lines)
    if article.published is None:
        article.published = _published_elsewhere(article.lines, article.language)
    if article.title:
        article.title = lines.title_text(article.title)
    article.outlet = lines.banner_site(article.lines) or _outlet_from_byline(article.byline)
    article.original_outlet = _original_outlet(article)


def _dateline(classified: list[lines.Line]) -> str | None:
    """A press-release or wire dateline at the start of one of the first two paragraphs ('TOKYO, June 2, 2022
    — ...')."""
    paragraphs = [line for line in classified if line.label == "paragraph"][:2]
    return next((found for line in paragraphs if (found := _dateline_of(line))), None)


def _dateline_of(first: lines.Line) -> str | None:
    """The day-precision date of a dateline opening this line."""
    head = re.match(
        r"^[A-Z][\w .'’-]{1,30}?(?:\s*\([\w .]{2,20}\))?,?\s+(?P<date>[^—–-]{6,30}?)\s+(?:[—–-]|--)",
        first.text,
    )
    parsed = dates.find_dates(head.group("date")) if head else []
    return parsed[0].date.isoformat() if parsed and parsed[0].precision == "day" else None


def _published_elsewhere(classified: list[lines.Line], language_code: str | None) -> str | None:
    """A labelled date opening the page, a date in the page head (before the first paragraph), or a dated
    closing credit."""
    date = next(
        (found for line in classified[:3] if (found := dates.labelled_date(line.text, language_code))), None
    )
    first = next(
        (i for i, line in enumerate(classified) if line.label in ("paragraph", "bullet")), len(classified)
    )
    head = [line for line in classified[:first] if line.label != "title" and line.words <= 14]
    date = date or next(
        (found for line in head if (found := dates.publication_date(line.text, language_code))), None
    )
    last = classified[-1] if classified else None
    if date is None and last is not None and last.words <= 14 and "closing marker" not in last.reason:
        date = dates.publication_date(last.text, language_code)
    date = date or _cover_date(classified, language_code)
    date = date or _month_day_in_page_year(head, classified)
    return date.isoformat() if date else None


_COVER_CHARACTERS = 300  # a report's cover (title, author, role, date) opens a PDF dump
_COVER_WORD = re.compile(r"[^\W\d_][\w'’.-]*")
_COVER_SENTENCE_END = re.compile(r"[.!?。](?:\s|$)")
# Lower-case words a cover's title or role may hold ("Specialist in Energy Policy").
_SMALL_WORDS = frozenset(("of", "the", "and", "for", "in", "on", "at", "to", "a", "an", "by", "with"))
_SMALL_WORDS |= frozenset(
    ("de", "du", "des", "la", "le", "les", "et", "und", "der", "die", "das", "für", "von")
)
# A date after one of these words is an event in a sentence ("... on March 3, 2011"), not the cover's date.
_BEFORE_AN_EVENT_DATE = frozenset(("on", "since", "from", "until", "till", "by", "in", "before", "after"))
_BEFORE_AN_EVENT_DATE |= frozenset(("as", "of", "to", "through", "between"))


def _cover_date(classified: list[lines.Line], language_code: str | None) -> dt.date | None:
    """A one-paragraph page (a PDF dump on one line) that opens with its cover run into the text: the first
    full date counts when four words or more come before it, all capitalised or small words, the last no
    preposition, and no sentence ends before it (a sentence has lower-case words: 'the plant said on ...')."""
    kept = [line for line in classified if line.label in lines.KEEP]
    if len(kept) != 1:
        return None
    cover = kept[0].text[:_COVER_CHARACTERS]
    found = dates.first_full_date(cover, language_code)
    if found is None or _COVER_SENTENCE_END.search(cover[: found[0]]):
        return None
    words = _COVER_WORD.findall(cover[: found[0]])
    if len(words) < 4 or words[-1].lower() in _BEFORE_AN_EVENT_DATE:
        return None
    return None if any(word[0].islower() and word not in _SMALL_WORDS for word in words) else found[1]


def _month_day_in_page_year(head: list[lines.Line], classified: list[lines.Line]) -> dt.date | None:
    """'Feb 16' in the page head, with the year of a full date or the copyright line elsewhere on the page."""
    found = next((day for line in head if (day := dates.month_day(line.text))), None)
    year = dates.page_year([line.text for line in classified]) if found else None
    try:
        return dt.date(year, *found) if year else None
    except ValueError:
        return None


def _outlet_from_byline(byline: str | None) -> str | None:
    """A byline that names a desk rather than a person ("X briefings", "X staff") names the outlet."""
    match = _ORG_BYLINE.match(byline or "")
    return match.group("org").strip() if match else None


def _original_outlet(article: Article) -> str | None:
    """The outlet an article summarises: its source URL's site, else a 'read the full piece on X' style
    phrase."""
    if article.source_url:
        host = urllib.parse.urlparse(article.source_url).hostname
        if host:
            return outlet_for_domain(host)
    for line in article.lines:
        for pattern in _CITED_OUTLET:
            if match := pattern.search(line.text):
                return re.sub(r"\s+(?:or|and)$", "", match.group("name")).strip()
    return None


def _body(classified: list[lines.Line]) -> tuple[str, str]:
    """(headline, body): kept lines as paragraphs separated by blank lines, opened by the page's headline (it
    is article text as well as the title); consecutive list items form one block, one item per line."""
    blocks: list[str] = []
    previous = None
    if not any(line.label in lines.KEEP for line in classified):
        return "", ""  # a headline alone, without article text, is not an article
    headline = next((line for line in classified if line.label == "title"), None)
    if headline is not None:  # the title line comes before every kept line (what precedes it is header)
        blocks.append(lines.title_text(headline.text))  # without a forum 'Re: ' or a 'Site |' prefix
    for line in classified:
        if line.label not in lines.KEEP:
            previous = line.label if line.label != "boilerplate" else previous
            continue
        if line.continues and previous == "paragraph" and blocks:
            blocks[-1] += lines.wrap_separator(blocks[-1], line.text) + line.text
        elif line.label == "bullet" and previous == "bullet":
            blocks[-1] += "\n- " + line.text
        else:
            blocks.append(("- " if line.label == "bullet" else "") + line.text)
        previous = line.label
    return (blocks[0] if headline is not None else ""), "\n\n".join(blocks)
