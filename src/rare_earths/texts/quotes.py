"""Quotations in the quote marks of the study's languages, and who the text says spoke them.

Quote marks: “…”, "…", 「…」, »…«, „…“ and « … ». The speaker is looked for in this order:
right after the quote (", said X, role", ", X said", ", said role X"), right before it ("X said:"),
then in the quote's sentence ("according to X", "X, role, warned ...", "X a confirmé que ..."),
then the sentence's subject when its verb is one of speech ("The ministry has warned ..."),
and in Chinese or Japanese the name before 表示 / 说 or the subject of と述べた. A role word at
the front of a name ("Premier Wen Jiabao") is moved to the role.
"""

from __future__ import annotations

import re

QUOTE = re.compile(
    r"“(?P<q1>[^”]+)”|\"(?P<q2>[^\"]+)\"|「(?P<q3>[^」]+)」|»(?P<q4>[^«»]+)«|„(?P<q5>[^“”]+)[“”]|"
    r"«\s?(?P<q6>[^»]+?)\s?»"
)
NAME = r"[A-Z][\w.'’-]+(?:[ \t]+[A-Z][\w.'’-]+){0,3}"
VERB = (
    r"said|says|stated|states|added|adds|told [A-Z][\w ]{0,30}?|wrote|warned|noted|explained|"
    r"sagte|sagt|erklärte|betonte|warnte|a déclaré|a dit|a affirmé|a ajouté|a estimé|a expliqué|a souligné|"
    r"déclare|affirme|ajoute"
)
# Verbs of speech anywhere in a quotation's sentence ('added' and 'called' are left out: "added 1,500 tonnes
# to its “rare metal” stockpile" and "a project called “X”" attribute nothing).
SPEECH = (
    r"said|says|stated|told|warned|demanded|urged|noted|explained|insisted|argued|expressed|reiterated|"
    r"confirmed|denied|announced|declared|wrote|cautioned|"
    r"déclaré|confirmé|affirmé|averti|ajouté|souligné|estimé|expliqué|dit|annoncé|prévenu|"
    r"sagte|sagt|erklärte|erklärt|betonte|warnte|kündigte|teilte"
)
ATTRIBUTION_AFTER = re.compile(
    rf"^\s*,?\s*(?:(?:{VERB})\s+(?P<name>{NAME})(?=\s*(?:[,.;]|$))|"
    rf"(?P<name2>{NAME})\s+(?:{VERB}))(?:\s*,\s*(?P<role>[^.“”\"]+))?"
)
ATTRIBUTION_BEFORE = re.compile(
    rf"(?P<name>{NAME})(?:\s*,\s*(?P<role>[^.“”\",]+),)?\s+(?:{VERB})\s*[:,]?\s*$"
)
# ', said Industrial Minerals owner and former mining executive Dudley Kingsnorth.' / ' Ministry spokesman
# Chen Rongkai said'
_VERB_THEN_SEGMENT = re.compile(rf"^\s*,?\s*(?:{VERB})\s+(?P<segment>[^.,;“”\"«»]{{3,120}})")
_SEGMENT_THEN_VERB = re.compile(rf"^\s*,?\s*(?P<segment>[^.,;“”\"«»]{{3,80}}?)\s+(?:{VERB})\b")
_ACCORDING_TO = re.compile(r"\b(?:according to|selon|laut|zufolge)\s+(?P<segment>[^.;“”\"«»]{3,120})")
_WHEN = r"(?:\s+(?:this|last|next)\s+(?:week|month|year)|\s+on\s+\w+|\s+\w+day)?"
_NAME_THEN_VERB = re.compile(
    rf"(?P<name>{NAME}),?{_WHEN}\s+(?:has\s+|have\s+|had\s+|a\s+|hat\s+)?(?:{SPEECH})\b"
)
_NAME_ROLE_VERB = re.compile(
    rf"(?P<name>{NAME})\s*,\s*(?P<role>[^.“”\",]+),{_WHEN}\s+(?:has\s+|a\s+|hat\s+)?(?:{SPEECH})\b"
)
_SUBJECT = re.compile(
    rf"^(?:(?:But|And|However|Yet|Mais|Aber),?\s+)?(?P<subject>(?:L['’])?[A-Z][^,“”\"«»]{{1,80}}?)"
    rf"\s+(?:has\s+|have\s+|had\s+|a\s+|hat\s+)?(?:{SPEECH})\b"
)
_CJK_BEFORE = re.compile(
    r"(?P<name>[\u3040-\u30ff\u4e00-\u9fff\w]{2,15}?)(?:表示|说|称|指出|强调|透露)\s*[:：,，]?\s*$"
)
_JAPANESE_AFTER = re.compile(r"^\s*と(?:述べ|語っ|話し|説明し|強調し|明らかにし|指摘し)")
_KOREAN_AFTER = re.compile(r"^\s*(?:이)?라(?:고|며)\s*(?:말했|밝혔|전했|강조했|설명했|덧붙였|지적했)")
_KOREAN_SUBJECT = re.compile(r"(?:^|[.”\"])\s*(?P<name>[^,.“”\"]{2,40}?)(?:은|는|이|가)\s")
_JAPANESE_SUBJECT = re.compile(r"(?:^|[。」])\s*(?P<name>[^、。「」]{2,30}?)(?:は|が)")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?。！？])[”\"’」]?\s+(?=[“\"«„「A-Z\u3040-\u9fff])|(?<=[。！？])")
_ENDS_WITH_PREPOSITION = re.compile(r"\b(?:at|for|of|with|from|bei|von|der|chez|de|du)$", re.IGNORECASE)
_ROLE_SUFFIXES = (
    "minister",
    "ministerin",
    "sprecher",
    "sprecherin",
    "präsident",
    "präsidentin",
    "chef",
    "chefin",
    "direktor",
    "direktorin",
)
_RELATIVE_CLAUSE = re.compile(r"\s*(?:who|which|that|when|where|according|adding|saying)\b")
_ROLE_WORDS = {
    "Premier",
    "President",
    "Minister",
    "Commissioner",
    "Secretary",
    "Chairman",
    "Chairwoman",
    "Chair",
    "Director",
    "Spokesman",
    "Spokeswoman",
    "Spokesperson",
    "Chief",
    "Executive",
    "Officer",
    "Governor",
    "Senator",
    "Ambassador",
    "Prime",
    "Deputy",
    "Vice",
    "General",
    "Manager",
    "Analyst",
    "Professor",
    "Dr.",
    "Mr.",
    "Ms.",
    "Chinese",
    "Japanese",
    "American",
    "European",
    "Industry",
    "Trade",
    "Economy",
    "Foreign",
    "Commerce",
    "Finance",
    "Defense",
    "Defence",
    "CEO",
}


def words(quoted: str) -> int:
    """Words in a quotation, two Chinese or Japanese characters counting as one."""
    return len(quoted.split()) + len(re.findall(r"[\u3040-\u30ff\u4e00-\u9fff]", quoted)) // 2


def attribute(after: str, before: str) -> tuple[str | None, str | None]:
    """The speaker and role of a quotation from the text right after it and the text of its paragraph before
    it."""
    sentence = _SENTENCE_BREAK.split(before)[-1]
    for finder, context in (
        (_after, before),
        (_before, before),
        (_in_sentence, sentence),
        (_subject, sentence),
        (_cjk, sentence),
    ):
        name, role = finder(after, context)
        if name:
            return _split_role(name, role)
    return None, None


def _after(after: str, before: str) -> tuple[str | None, str | None]:
    """', said X, role' / ', X said' / ', said role X' / ', role X said' right after the quotation."""
    if match := ATTRIBUTION_AFTER.match(after):
        role = None if _RELATIVE_CLAUSE.match(match.group("role") or "") else match.group("role")
        return _tidy(match.group("name") or match.group("name2")), _tidy(role)
    for pattern in (_VERB_THEN_SEGMENT, _SEGMENT_THEN_VERB):
        if (match := pattern.match(after)) and (found := _last_name(match.group("segment"))):
            return found
    return None, None


def _before(after: str, before: str) -> tuple[str | None, str | None]:
    """'X, role, said:' right before the quotation."""
    if match := ATTRIBUTION_BEFORE.search(before):
        return _tidy(match.group("name")), _tidy(match.group("role"))
    return None, None


def _in_sentence(after: str, before: str) -> tuple[str | None, str | None]:
    """'according to role X', 'X warned ...', 'X, role, a confirmé que ...' earlier in the quotation's
    sentence."""
    if (match := _ACCORDING_TO.search(before)) and (found := _last_name(match.group("segment"), minimum=2)):
        return found
    if match := _NAME_THEN_VERB.search(before):
        return _tidy(match.group("name")), None
    if match := _NAME_ROLE_VERB.search(before):
        return _tidy(match.group("name")), _tidy(match.group("role"))
    return None, None


def _subject(after: str, before: str) -> tuple[str | None, str | None]:
    """The subject of a sentence whose verb is one of speech: 'The ministry has warned of “...”'."""
    match = _SUBJECT.match(before.lstrip())
    return (_tidy(match.group("subject")), None) if match else (None, None)


def _cjk(after: str, before: str) -> tuple[str | None, str | None]:
    """Chinese '有关方面表示：“...”', Japanese '…は「...」と述べた' and Korean '…는 “...”라고 말했다'."""
    if match := _CJK_BEFORE.search(before):
        return match.group("name"), None
    if _JAPANESE_AFTER.match(after) and (match := _JAPANESE_SUBJECT.search(before)):
        return match.group("name").strip(), None
    if _KOREAN_AFTER.match(after) and (match := _KOREAN_SUBJECT.search(before)):
        return match.group("name").strip(), None
    return None, None


def _last_name(segment: str, minimum: int = 1) -> tuple[str, str | None] | None:
    """The segment's last name of two words or more (else its last name) and the role before it; 'a spokesman
    for X' whole, also when X is one word after 'a', 'an' or 'the' (an unnamed source: 'a spokesman for
    trading house Sojitz'); a closing place ('in Tokyo') is not a name."""
    without_place = _PLACE_AT_END.sub("", segment)
    segment = without_place if re.search(NAME, without_place) else segment  # the place may be the only name
    runs = [m for m in re.finditer(NAME, segment) if len(m.group(0).split()) >= minimum]
    if not runs:
        return None
    name = next((run for run in reversed(runs) if len(run.group(0).split()) >= 2), runs[-1])
    role = segment[: name.start()].strip(" ,")
    if _ENDS_WITH_PREPOSITION.search(role) or (len(name.group(0).split()) == 1 and _ARTICLE.match(role)):
        return _tidy(segment[: name.end()]), None
    return _tidy(name.group(0)), _tidy(role) or None


# 'a spokesman for the firm in Tokyo': the place where a source spoke, at the end of its description.
_PLACE_AT_END = re.compile(rf"(?<=\w)\s+(?:in|at|from)\s+{NAME}\s*$")
_ARTICLE = re.compile(r"(?:a|an|the)\s")


def _split_role(name: str, role: str | None) -> tuple[str, str | None]:
    """Move role words at the front of a name ('Premier Wen Jiabao') to the role."""
    parts = name.split()
    cut = 0
    while cut < len(parts) - 2 and (parts[cut] in _ROLE_WORDS or parts[cut].lower().endswith(_ROLE_SUFFIXES)):
        cut += 1
    if cut == 0:
        return name, role
    title = " ".join(parts[:cut])
    return " ".join(parts[cut:]), (f"{role} {title}" if role else title)


def _tidy(text: str | None) -> str | None:
    """Trim spaces and the sentence's closing punctuation from a name or role."""
    return text.strip().rstrip(".,;:") or None if text else None
