"""Numbers as the study's languages write them, read into floats.

English "1,100.5", German and French "1.000,5" or "1 000,5", Japanese and Chinese "2億5000万",
"1万1000" (万 = 10^4, 億 = 10^8, 兆 = 10^12), Korean "3억", Chinese numerals ("两", "十五") and
full-width digits. Where a separator could be either (German "1.500" is one thousand five
hundred), the document's language decides.
"""

from __future__ import annotations

import re
import unicodedata

# A number in any of the formats above; used inside the figure patterns of claims.py.
CJK_NUMBER = r"(?:\d[\d,.]*|[〇一二三四五六七八九十百千两]+)(?:[万萬億亿兆억만조](?:\d[\d,.]*)?)*"
EUROPEAN_NUMBER = r"\d{1,3}(?:[. ]\d{3})+(?:,\d+)?|\d+,\d+|\d+"
_MULTIPLIERS = {"万": 1e4, "萬": 1e4, "만": 1e4, "億": 1e8, "亿": 1e8, "억": 1e8, "兆": 1e12, "조": 1e12}
_CHINESE_DIGITS = {
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CHINESE_UNITS = {"十": 10, "百": 100, "千": 1000}


def parse(text: str, language: str | None = None) -> float | None:
    """The value of a written number, or None when it is not one."""
    text = unicodedata.normalize("NFKC", text).strip()
    if any(char in _MULTIPLIERS for char in text):
        return _with_multipliers(text, language)
    if text and all(char in _CHINESE_DIGITS or char in _CHINESE_UNITS for char in text):
        return float(_chinese(text))
    return _decimal(text, language)


def _with_multipliers(text: str, language: str | None) -> float | None:
    """2億5000万 = 2 x 10^8 + 5000 x 10^4: each group is multiplied by the marker after it."""
    total, group = 0.0, ""
    for char in text:
        if char in _MULTIPLIERS:
            value = parse(group, language) if group else 1.0
            if value is None:
                return None
            total += value * _MULTIPLIERS[char]
            group = ""
        else:
            group += char
    rest = parse(group, language) if group else 0.0
    return None if rest is None else total + rest


def _chinese(text: str) -> int:
    """A number written in Chinese numerals up to the thousands: 十五 = 15, 两 = 2, 三百 = 300."""
    total, digit = 0, 0
    for char in text:
        if char in _CHINESE_DIGITS:
            digit = _CHINESE_DIGITS[char]
        else:
            total += (digit or 1) * _CHINESE_UNITS[char]
            digit = 0
    return total + digit


def _decimal(text: str, language: str | None) -> float | None:
    """Digits with thousands separators and a decimal mark, read by the language's convention."""
    text = text.replace("\u202f", " ").replace("\u00a0", " ")
    comma_decimal = language in ("de", "fr", "es", "it", "pt", "nl", "ru")
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?: \d{3})+(?:,\d+)?", text):
        comma_decimal = True  # 1.000,5 or 1 000,5 can only be continental
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+\.\d+", text):
        comma_decimal = False  # 1,000.5 can only be English
    grouping, decimal = (".", ",") if comma_decimal else (",", ".")
    text = text.replace(grouping, "").replace(" ", "").replace(decimal, ".")
    try:
        return float(text)
    except ValueError:
        return None
