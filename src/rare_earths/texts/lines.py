"""A line-level classifier that separates article text from page furniture in copied web pages.

Each non-empty line gets features (length, end punctuation, bullet or emoji marker, hashtags,
links, call-to-action wording, image placeholders, reading-time and date lines, bylines,
repetition of the title) and one label with the reason for it. The rules are general: they
name kinds of furniture, never the lines of a particular page. Zones matter too: what comes
before the title is header (banner, navigation, section label) and what follows a closing
marker such as "related posts" or "about the author" is footer.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field

from rare_earths.texts import dates

KEEP = ("paragraph", "bullet", "heading")
METADATA = ("title", "date", "byline", "tags", "source")

_BULLET = re.compile(r"^\s*(?:[•·▪‣◦●○■□\-–*]|\d{1,2}[.)])\s+")
_CALL_TO_ACTION = re.compile(
    r"share on|share this|sharing this|\bsubscribe\b|unsubscribe|sign up|sign in|log ?in\b|newsletter|"
    r"click (?:here|for|to)|follow us|read (?:the full|more|our)|enjoy below|"
    r"related (?:posts|articles|stories)|more from\b|you (?:cannot|can't|may) (?:miss|also like)|"
    r"privacy policy|cookies?\b|accept all|advertisement|sponsored content|download (?:the|our) app|"
    r"support us|learn more|leave a (?:comment|reply)|copy link|all rights reserved|terms of (?:use|service)|"
    r"^explore\b|™|©|for immediate release|reposted with permission|"
    r"originally (?:appeared|published) (?:in|on|at)|^media contacts?\b|email address will not be published|"
    r"\binbox\b",
    re.IGNORECASE,
)
# Calls to action, sharing and legal lines in the other languages of the study; words that an article's own
# sentences can use too ("Datenschutz", "구독"), so only short lines are judged by them.
_CALL_TO_ACTION_OTHER = re.compile(
    r"teilen\b|abonnieren|datenschutz|impressum|partager|s['’]abonner|abonnez-vous|lire la suite|"
    r"politique de confidentialité|tous droits réservés|alle rechte vorbehalten|\brss\b|follow (?:us|on|@)|"
    r"シェア|ツイート|無断転載|著作権|分享到|责任编辑|版权所有|免责声明|공유하기|구독|무단\s?전재|"
    r"재배포\s?금지|저작권자",
    re.IGNORECASE,
)
# Literal pieces, one of which every call to action above contains (in lower case): a line without any is not
# scanned by the slower pattern. Each alternative of _CALL_TO_ACTION must contain one of them.
_CALL_TO_ACTION_WORDS = (
    "share on",
    "share this",
    "sharing this",
    "subscribe",
    "sign up",
    "sign in",
    "login",
    "log in",
    "newsletter",
    "click ",
    "follow us",
    "read the full",
    "read more",
    "read our",
    "enjoy below",
    "related ",
    "more from",
    "you can",
    "you may",
    "privacy policy",
    "cookie",
    "accept all",
    "advertisement",
    "sponsored content",
    "download ",
    "support us",
    "learn more",
    "leave a ",
    "copy link",
    "all rights reserved",
    "terms of ",
    "explore",
    "™",
    "©",
    "for immediate release",
    "reposted with permission",
    "originally ",
    "media contact",
    "email address will not be published",
    "inbox",
)
_FOOTER_START = re.compile(
    r"^(?:more from\b|related(?: posts| articles| stories| news)?$|about the author|"
    r"other .{1,40}(?:voices|stories|articles|posts)$|read (?:more|next)$|recommended|"
    r"you (?:cannot|can't|may) (?:miss|also like)|comments?$|trending|most read|popular (?:posts|stories)|"
    r"leave a (?:reply|comment)|reply$|quote$|"
    r"about (?:us|the company|[A-Z][\w.&'-]*(?:\s+[A-Z][\w.&'-]*){0,4})$|media contacts?\b|###$|関連記事|"
    r"関連ニュース|相关文章|相关阅读|相关新闻|관련\s?기사|mehr zum thema|lesen sie auch|à lire aussi|"
    r"lire aussi|articles similaires)",
    re.IGNORECASE,
)
_PLACEHOLDER = re.compile(
    r"\b(?:image|photo|picture|icon|logo|avatar|thumbnail|video|gallery|placeholder)\b", re.IGNORECASE
)
# Interface labels of many languages that are a line of their own: print, advertising, related
# articles, photo.
_UI_LABEL = re.compile(
    r"^(?:PR|AD|Anzeige|Werbung|Publicité|広告|광고|印刷|打印|인쇄|Drucken|Imprimer|"
    r"print(?: (?:this|print|article|page))*|top of (?:the )?page|back to top|nach oben|haut de page|"
    r"ページの?先頭へ|맨 ?위로|返回顶部|rss(?: feed)?|文章图片|图片|写真|画像|사진|Foto|Photo|Bild)$",
    re.IGNORECASE,
)
# Photo captions and credits: "(Foto: agency)", "Photo: ...", a Korean agency credit run onto the caption.
_CREDIT = re.compile(
    r"\((?:Foto|Photo|Bild|Image|Crédit(?: photo)?|Credit|Quelle|写真|사진)\s*[:：=][^)]*\)$|"
    r"^(?:Foto|Photo|Bild|Crédit photo|사진|写真|图片)\s*[:：=]|"
    r"[.。]\s*(?:AP|AFP|EPA|로이터|신화)?(?:연합뉴스|뉴시스|뉴스1)$|^\|.*\|$",
    re.IGNORECASE,
)
_MEDIA_TIME = re.compile(r"^\d{1,2}:\d{2}(?::\d{2})?(?:\s*/\s*\d{1,2}:\d{2}(?::\d{2})?)?$")
_PAGINATION = re.compile(
    r"^[(\[]?\s*(?:page\s+|seite\s+)?\d{1,3}\s*(?:of|von|sur|/)\s*\d{1,3}\s*[)\]]?$", re.IGNORECASE
)
_FILE_SLUG = re.compile(r"^[\w.]+(?:[-_][\w.]+){3,}(?:\.(?:jpe?g|png|gif|webp|svg))?$")
# A line that stops on a function word was cut (a link's text lost), so it is not a headline.
_CUT_SHORT = re.compile(
    r"\s(?:a|an|the|of|on|to|in|for|and|or|with|by|at|from|as|der|die|das|und|le|la|les|de|des|et)$",
    re.IGNORECASE,
)
_INITIALS = re.compile(r"(?:\b[A-Z]\.){2,}$")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]")
_READING_TIME = re.compile(
    r"\b\d+\s*(?:min|mins|minutes?)\s*(?:read|reading)\b|\breading time\b", re.IGNORECASE
)
_BYLINE = re.compile(
    r"^(?:by|written by|author:|posted by|post by|"
    r"(?:posted|published) on .{4,30}? by)\s+(?P<name>[^»|·,]+?)(?:\s*(?:[»|·,]|\bon\b)\s*(?P<rest>.*))?$",
    re.IGNORECASE,
)
_HASHTAG = re.compile(r"^#\w[\w-]*$")
_TAG_LIST = re.compile(r"^tags?\s*:\s*(?P<tags>.+)$", re.IGNORECASE)
_URL = re.compile(r"https?://\S+|www\.\S+")
_SOURCE = re.compile(
    r"^(?:source(?: reference| link)?|originally (?:published|appeared)(?: at| on| in)?|via|"
    r"read the original(?: article)?(?: at)?)\s*:?\s*(?P<url>https?://\S+)\s*$",
    re.IGNORECASE,
)
_BANNER = re.compile(r"^(?P<site>[^—|·–-]{2,40}?)\s+[—|·–-]\s+(?P<tagline>[^.!?]+)$")
_NAVIGATION = re.compile(r"^(?:[^|»›>/]{1,25}[|»›>/]){2,}[^|»›>/]{1,25}$")
_MARKDOWN = re.compile(r"^(?:#{1,6}\s+|>\s+)|^[*_]+(?=\S)|(?<=\S)[*_]+$")
_REPLY_PREFIX = re.compile(r"^(?:re|fwd?|aw)\s*:\s*", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?…:;。！？]['\"”’)\]」』）]*$")


@dataclass
class Line:
    """One non-empty line of a page, with its classification."""

    number: int  # 1-based line number in the decoded text
    raw: str
    text: str  # stripped, bullet or emoji marker removed
    marker: str = ""  # "bullet" or "emoji" when one was removed
    label: str = ""
    reason: str = ""
    features: tuple | None = field(default=None, repr=False, compare=False)  # cache of _own_features
    continues: bool = False  # the text goes on from the line before (hard-wrapped text): one paragraph

    @functools.cached_property
    def words(self) -> int:
        """Words, two Chinese or Japanese characters counting as one (those scripts write no spaces)."""
        return len(self.text.split()) + len(_CJK.findall(self.text)) // 2

    def set(self, label: str, reason: str) -> None:
        self.label, self.reason = label, reason


def split_lines(text: str) -> list[Line]:
    """Non-empty lines with bullet and emoji markers removed (and remembered)."""
    lines = []
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if not stripped:
            continue
        body, marker = _strip_marker(_MARKDOWN.sub("", stripped).strip())
        if body:
            lines.append(Line(number=number, raw=raw, text=body, marker=marker))
    return lines


def _strip_marker(text: str) -> tuple[str, str]:
    """Remove a leading bullet or emoji (emoji used as bullets carry no meaning; the label after them
    does)."""
    emoji = 0
    while emoji < len(text) and (_is_emoji(text[emoji]) or text[emoji] in "\ufe0f\u200d "):
        emoji += 1
    if emoji and text[:emoji].strip():
        return text[emoji:].strip(), "emoji"
    match = _BULLET.match(text)
    if match:
        return text[match.end() :].strip(), "bullet"
    return text, ""


def _is_emoji(char: str) -> bool:
    """Pictographs and symbols (Unicode category So) outside the ASCII and Latin ranges."""
    return ord(char) > 0x2000 and unicodedata.category(char) == "So"


def classify(lines: list[Line], title: str | None = None) -> str | None:
    """Label every line in place; returns the title (the given one, or the one found)."""
    title_index = _find_title(lines, title)
    title = lines[title_index].text if title_index is not None and title is None else title
    in_footer = False
    body_seen = False
    for index, line in enumerate(lines):
        if index == title_index:
            line.set("title", "the article title")
        elif in_footer:
            line.set(
                *(
                    _source(line)
                    or (
                        "boilerplate",
                        "after a closing marker (related posts, author or company box, more from ...)",
                    )
                )
            )
        elif body_seen and line.words <= 6 and _FOOTER_START.search(line.text):
            line.set("boilerplate", "closing marker: related posts, author or company box, replies")
            in_footer = True
        elif (
            label := _furniture(line, title, header=title_index is not None and index < title_index)
        ) is not None:
            line.set(*label)
        else:
            line.set(*_content(lines, index))
            body_seen = body_seen or line.label in KEEP
    _join_wrapped_lines(lines)
    _drop_link_lists(lines)
    _demote_orphan_headings(lines)
    _drop_repeats(lines)
    _one_paragraph_page(lines)
    return title


def _find_title(lines: list[Line], known: str | None) -> int | None:
    """The given title's line; else the first headline-like line before the first paragraph, or a line
    repeated near the top."""
    if known:
        return next((i for i, line in enumerate(lines) if _same(line.text, known)), None)
    top = lines[: max(8, len(lines) // 2)]
    repeated = next((i for i, line in enumerate(top) if _repeated_headline(line, top[i + 1 :])), None)
    first_sentence = next(
        (
            i
            for i, line in enumerate(top)
            if _is_sentence(line) and _furniture(line, None, header=False) is None
        ),
        len(top),
    )
    head = top[:first_sentence]
    candidates = [i for i, line in enumerate(head) if _title_candidate(line, i)]
    headline_length = [i for i in candidates if head[i].words >= 5]
    if repeated is not None and not (headline_length and headline_length[0] < repeated):
        return repeated
    return (headline_length or candidates or [None])[0]


def _repeated_headline(line: Line, later: list[Line]) -> bool:
    """A headline-length line that the page repeats (as a running header, an image caption or a
    breadcrumb)."""
    return (
        line.words >= 3
        and not line.marker
        and not _is_sentence(line)
        and any(_same(line.text, other.text) for other in later)
    )


def _is_sentence(line: Line) -> bool:
    """Body text rather than a headline: long, or eight words or more ending in a full stop (not in an
    abbreviation: "U.S.")."""
    text = line.text.rstrip('"”’」』)）')
    return line.words >= 30 or (line.words >= 8 and text.endswith((".", "。")) and not _INITIALS.search(text))


def _title_candidate(line: Line, index: int) -> bool:
    """A line that can be a headline: three words or more, no list marker, no furniture, not a banner, caption
    or cut line."""
    if line.words < 3 or line.marker or line.text.startswith(("(", "|", "[")) or _CUT_SHORT.search(line.text):
        return False
    if (index == 0 and _BANNER.match(line.text)) or dates.publication_date(line.text, "any") is not None:
        return False  # a banner, or a line with a full date ('24.10.25 | Information'), is not the headline
    return _furniture(line, None, header=False) is None


def _same(a: str, b: str) -> bool:
    """Two lines are the same text up to case and spacing."""
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def _furniture(line: Line, title: str | None, header: bool) -> tuple[str, str] | None:
    """Metadata or boilerplate labels from the line's own features; None for candidate content."""
    metadata, boilerplate = _own_features(line)
    if metadata is not None:
        return metadata
    if title and _same(line.text, title):
        return ("boilerplate", "repeats the title")
    if boilerplate is not None:
        return boilerplate
    if header:
        return ("boilerplate", "before the title: site banner, navigation or section label")
    return None


def _own_features(line: Line) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """(metadata label, boilerplate label) from the line alone; computed once per line, as the title search
    asks too."""
    if line.features is None:
        metadata = _source(line) or _metadata_line(line)
        line.features = (metadata, None if metadata else _boilerplate_line(line))
    return line.features


def _boilerplate_line(line: Line) -> tuple[str, str] | None:
    """Interface pieces, calls to action, navigation bars and bare links."""
    text = line.text
    if (interface := _interface(line)) is not None:
        return interface
    lowered = text.lower()
    if any(word in lowered for word in _CALL_TO_ACTION_WORDS) and _CALL_TO_ACTION.search(text):
        return ("boilerplate", "call-to-action, sharing or site-promotion wording")
    if line.words <= 12 and _CALL_TO_ACTION_OTHER.search(text):
        return ("boilerplate", "call-to-action, sharing or legal wording")
    if _NAVIGATION.match(text):
        return ("boilerplate", "navigation bar")
    if _URL.fullmatch(text):
        return ("boilerplate", "a bare link")
    return None


def _metadata_line(line: Line) -> tuple[str, str] | None:
    """Tags, reading time, byline or date lines."""
    text = line.text
    if all(_HASHTAG.match(token) for token in text.split()) or _TAG_LIST.match(text):
        return ("tags", "hashtags or a tag list")
    if _READING_TIME.search(text) and line.words <= 8:
        return ("boilerplate", "reading-time line")
    if line.words <= 14 and _BYLINE.match(text):
        return ("byline", "a 'By ...' line")
    if line.words <= 8 and (dates.parse_date_line(text) is not None or dates.is_date_line(text)):
        return ("date", "a line that is only a date")
    return None


def _interface(line: Line) -> tuple[str, str] | None:
    """Interface pieces with few or no words: placeholders, labels, captions and credits, player times, page
    counters, file names."""
    text = line.text
    if line.words <= 4 and _PLACEHOLDER.search(text):
        return ("boilerplate", "image or media placeholder")
    if _UI_LABEL.match(text):
        return ("boilerplate", "an interface label (print, advertising, related, photo, back to top)")
    if _CREDIT.search(text):
        return ("boilerplate", "a photo caption with its credit")
    if _MEDIA_TIME.match(text) or _PAGINATION.match(text):
        return ("boilerplate", "a media-player time or a page counter")
    if " " not in text and len(text) >= 20 and _FILE_SLUG.match(text):
        return ("boilerplate", "a file name or URL slug (image alt text)")
    return None


def _source(line: Line) -> tuple[str, str] | None:
    """A line that names the page's source URL."""
    return ("source", "names the source URL") if _SOURCE.match(line.text) else None


def _content(lines: list[Line], index: int) -> tuple[str, str]:
    """Paragraph, list item or heading, from length and punctuation (Chinese or Japanese text needs a full
    stop or length)."""
    line = lines[index]
    if line.marker == "bullet":
        return ("bullet", "list item")
    ends = _SENTENCE_END.search(line.text) is not None
    if (line.words >= 8 and (ends or not _mostly_cjk(line.text) or line.words >= 20)) or (
        line.words >= 4 and ends
    ):
        return (
            "paragraph",
            "sentence-length text" + (" (emoji marker dropped)" if line.marker == "emoji" else ""),
        )
    if line.words <= 12 and not _SENTENCE_END.search(line.text):
        return ("heading", "short line without end punctuation")
    return ("boilerplate", "too short to be article text")


def _join_wrapped_lines(lines: list[Line]) -> None:
    """Hard-wrapped text (PDF dumps, forum posts, fixed-width copies): a run of adjacent lines, each running
    on into the next, that holds a paragraph is one paragraph, its short or unpunctuated pieces included."""
    run: list[Line] = []
    for line in [*lines, None]:
        if run and line is not None and _runs_on(run[-1], line):
            run.append(line)
            continue
        if len(run) > 1 and any(part.label == "paragraph" for part in run):
            for part in run:
                part.set("paragraph", "hard-wrapped text: part of the paragraph its lines run through")
            for part in run[1:]:
                part.continues = True
        run = [line] if line is not None and _wrappable(line) else []


def _wrappable(line: Line) -> bool:
    """A line that can be part of a wrapped paragraph: candidate content, not a list item or furniture."""
    return (
        not line.marker
        and line.label in ("paragraph", "heading", "boilerplate")
        and _own_features(line) == (None, None)
    )


def _runs_on(before: Line, line: Line) -> bool:
    """The next source line continues this one's sentence: no blank line between, no sentence end, and it
    starts in lower case, follows a comma, hyphen or function word, or both sides are Chinese or Japanese."""
    if line.number != before.number + 1 or not _wrappable(line) or _SENTENCE_END.search(before.text):
        return False
    last, first = before.text[-1], line.text[0]
    return (
        first.islower()
        or last in ",、，-‐"
        or _CUT_SHORT.search(before.text) is not None
        or (_CJK.match(last) is not None and _CJK.match(first) is not None)
    )


def wrap_separator(before: str, line: str) -> str:
    """What joins a wrapped line to the text before it: nothing after a hyphen or between Chinese or Japanese
    characters, else a space."""
    last = before[-1:]
    return (
        ""
        if last in ("-", "‐") or (last and (_CJK.match(last) or last in "、，") and _CJK.match(line[:1]))
        else " "
    )


def _mostly_cjk(text: str) -> bool:
    """Chinese or Japanese characters make up at least half of the text (spaces aside)."""
    return 2 * len(_CJK.findall(text)) >= len(text.replace(" ", ""))


def _demote_orphan_headings(lines: list[Line]) -> None:
    """A heading must introduce content; one followed only by furniture is page furniture too."""
    for index, line in enumerate(lines):
        if line.label != "heading":
            continue
        following = next((other for other in lines[index + 1 :] if other.label not in METADATA), None)
        if following is None or following.label not in ("paragraph", "bullet"):
            line.set("boilerplate", "a short line that introduces no article text")


def _drop_link_lists(lines: list[Line]) -> None:
    """Before the first paragraph, a list of short items without end punctuation is links (related stories,
    menus)."""
    for line in lines:
        if line.label == "paragraph":
            return
        if line.label == "bullet" and line.words <= 12 and not _SENTENCE_END.search(line.text):
            line.set(
                "boilerplate", "a list of short links before the article text (related stories or a menu)"
            )


def _drop_repeats(lines: list[Line]) -> None:
    """A kept line that repeats an earlier one (a caption or standfirst shown twice) is kept once."""
    seen: set[str] = set()
    for line in lines:
        key = " ".join(line.text.casefold().split())
        if line.label in KEEP and key in seen and line.words >= 3:
            line.set("boilerplate", "repeats an earlier line (caption or standfirst shown twice)")
        seen.add(key)


def _one_paragraph_page(lines: list[Line]) -> None:
    """A page whose only text is one sentence-length line is that paragraph, not a title without a body."""
    if any(line.label in KEEP for line in lines):
        return
    for line in lines:
        if line.label == "title" and line.words >= 8 and _SENTENCE_END.search(line.text):
            line.set("paragraph", "the page's only sentence-length text")


def banner_site(lines: list[Line]) -> str | None:
    """The site name of a 'Site — tagline' banner on the first line, when there is one."""
    if lines and lines[0].label == "boilerplate":
        match = _BANNER.match(lines[0].text)
        if match and len(match.group("site").split()) <= 3:
            return match.group("site").strip()
    return None


def byline_name(line: Line) -> str:
    """The name after 'By' (or 'Posted by'), without a trailing date."""
    match = _BYLINE.match(line.text)
    return match.group("name").strip() if match else line.text


def byline_date(line: Line):
    """A date on a byline line ('Posted on 12 May 2023 by X', 'Post by X » Mon Jan 08, 2024')."""
    found = dates.find_dates(line.text)
    return found[0].date if found else None


def title_text(text: str) -> str:
    """A title without a forum reply prefix ('Re: ') or a short site name before or after a bar ('Site |
    Headline')."""
    text = _REPLY_PREFIX.sub("", text).strip()
    parts = [part.strip() for part in text.split("|")]
    if len(parts) == 2 and min(len(part) for part in parts) * 3 <= max(len(part) for part in parts):
        return max(parts, key=len)
    return text


def hashtags(line: Line) -> list[str]:
    """Tags from a hashtag line or a 'Tags:' list."""
    if match := _TAG_LIST.match(line.text):
        return [tag.strip().lstrip("#") for tag in re.split(r"[,;]", match.group("tags")) if tag.strip()]
    return [token.lstrip("#") for token in line.text.split()]


def source_url(line: Line) -> str | None:
    """The URL of a source line."""
    match = _SOURCE.match(line.text)
    return match.group("url").rstrip(".,)") if match else None
