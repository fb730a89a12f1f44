"""Item 2 of issue 18, through `rare-earths texts`: UTF-8 first; a byte-order mark names UTF-16 or
UTF-32; else one of the declared candidates (cp1252, Shift_JIS, EUC-JP, GB18030) when the detector is
confident; a stray byte in UTF-8 is replaced and reported, never a reason to re-decode the file. The problem
row says exactly what was done, the text survives, and the earlier articles' rows are unchanged."""

from __future__ import annotations

import pytest

from rare_earths.texts import reading

ARTICLES = reading.Path(__file__).parents[1] / "fixtures" / "texts"
JAPANESE = (ARTICLES / "11_japanese_news.txt").read_text(encoding="utf-8")
CHINESE = (ARTICLES / "15_chinese_repost.txt").read_text(encoding="utf-8")
ENGLISH = (ARTICLES / "03_press_release.txt").read_text(encoding="utf-8")


def _cleaned(texts_run, name: str, raw: bytes) -> tuple[dict, list[str]]:
    """Add one article, run the command; its document row and its problem reasons."""
    (texts_run.src / name).write_bytes(raw)
    code, _out, err = texts_run.again()
    assert code == 0, err
    documents = texts_run.documents().filter(texts_run.documents()["file"] == name).to_dicts()
    assert len(documents) == 1, f"{name} gave no document: {texts_run.problems()}"
    texts_run.good_rows_unchanged()
    return documents[0], [row["reason"] for row in texts_run.problems() if row["file"] == name]


@pytest.mark.parametrize(
    ("encoding", "text", "kept", "reason"),
    [
        ("shift_jis", JAPANESE, "北海道の新工場", "decoded as shift_jis (charset-normalizer, chaos"),
        ("euc_jp", JAPANESE, "北海道の新工場", "decoded as euc_jp (charset-normalizer, chaos"),
        ("gb18030", CHINESE, "稀土回收新政出台", "decoded as gb18030 (charset-normalizer, chaos"),
    ],
)
def test_a_declared_candidate_encoding_is_chosen_by_the_detector(texts_run, encoding, text, kept, reason):
    document, reasons = _cleaned(texts_run, f"{encoding}.txt", text.encode(encoding))
    assert document["encoding"] == encoding and kept in document["body"] + document["title"]
    assert any(r.startswith("not UTF-8 (first invalid byte at offset ") and reason in r for r in reasons), (
        reasons
    )
    assert not any("\ufffd" in r for r in reasons)


def test_a_cp1252_article_keeps_its_euro_sign_and_curly_quotes(texts_run):
    text = (
        "Lynas deal signed\n\nPublished: 30 March 2011\n\n"
        "Sojitz and JOGMEC agreed to lend \u20ac250 million, the company said, calling it "
        "\u201ca turning point\u201d for its plant in Malaysia. The deal covers up to 8,500 tonnes a year.\n"
    )
    document, reasons = _cleaned(texts_run, "cp1252.txt", text.encode("cp1252"))
    assert document["encoding"] == "cp1252", reasons
    assert "\u20ac250 million" in document["body"] and "\u201ca turning point\u201d" in document["body"]
    assert any("decoded as cp1252 (charset-normalizer" in r for r in reasons), reasons


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32-le"])
def test_a_byte_order_mark_names_utf16_and_utf32(texts_run, encoding):
    document, reasons = _cleaned(texts_run, f"{encoding}.txt", ("\ufeff" + ENGLISH).encode(encoding))
    assert document["encoding"] == encoding and document["title"] in ENGLISH
    assert f"decoded as {encoding} (byte-order mark)" in reasons, reasons


def test_one_stray_byte_in_utf8_is_replaced_and_reported_not_a_redecode(texts_run):
    text = (
        "Supply squeeze\n\nPublished: 9 October 2025\n\n\u201cWe paid \u20ac250 million\u201d, said Müller. "
    )
    raw = text.encode() + b"\x9d" + b" Exports of seven elements need a licence since 4 April 2025.\n"
    document, reasons = _cleaned(texts_run, "stray.txt", raw)
    assert document["encoding"] == "utf-8", "one bad byte does not make the file another code page"
    assert "\u201cWe paid \u20ac250 million\u201d" in document["body"] and "Müller" in document["body"]
    offset = len(text.encode())
    assert (
        f"UTF-8 with 1 invalid byte sequence(s), the first at byte offset {offset}, replaced with U+FFFD"
    ) in reasons, reasons
