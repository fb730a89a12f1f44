"""The language of a document (ISO 639-1), detected with lingua from a fixed list of candidate languages.

The candidates are the languages of the study's sources and their near neighbours; a small list
keeps the detector fast and its memory small (it is built once per process). Scripts settle the
easy cases before lingua is asked: kana means Japanese and hangul Korean, and a text whose
words are one sixth English function words ('the', 'of', 'and'...) is English.
"""

from __future__ import annotations

import functools
import re

_CANDIDATES = (
    "ENGLISH",
    "JAPANESE",
    "CHINESE",
    "KOREAN",
    "GERMAN",
    "FRENCH",
    "SPANISH",
    "ITALIAN",
    "PORTUGUESE",
    "DUTCH",
    "RUSSIAN",
)
_KANA = re.compile(r"[\u3040-\u30ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_HAN = re.compile(r"[\u3400-\u9fff]")
_SAMPLE_CHARACTERS = 300
_WORD = re.compile(r"[a-z]+")
_ENGLISH_FUNCTION_WORDS = frozenset(
    {
        "the",
        "of",
        "and",
        "to",
        "is",
        "that",
        "for",
        "with",
        "was",
        "were",
        "its",
        "from",
        "by",
        "which",
        "has",
    }
)


def _plainly_english(sample: str) -> bool:
    """Function words that only English uses this often ('the', 'of', 'and'...) are a sixth of the first 60
    words."""
    words = _WORD.findall(sample.lower())[:60]
    return len(words) >= 20 and sum(word in _ENGLISH_FUNCTION_WORDS for word in words) >= len(words) / 6


@functools.lru_cache(maxsize=1)
def _detector():
    """One lingua detector per process, over the candidate languages only."""
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(*(getattr(Language, name) for name in _CANDIDATES)).build()


def detect(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when there is no text to tell from."""
    sample = text[:_SAMPLE_CHARACTERS]
    if not sample.strip():
        return None
    kana, hangul, han = len(_KANA.findall(sample)), len(_HANGUL.findall(sample)), len(_HAN.findall(sample))
    if hangul > 20 and hangul >= kana:
        return "ko"
    if kana > 10:
        return "ja"
    if han > 40 and han > len(sample) / 4:
        return "zh"
    if _plainly_english(sample):
        return "en"
    found = _detector().detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found is not None else None
