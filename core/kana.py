"""Kana handling for names, bank account holders and search text."""

import re
import unicodedata

import jaconv

# Characters a 全銀 account holder name may contain, written full-width
# (they are converted to half-width for the transfer file).
_ZENGIN_FULLWIDTH = re.compile(r"[\u30A1-\u30F6\u30FC０-９Ａ-Ｚ（）．－／　 ]+")


def normalize_width(text):
    """NFKC: full-width ASCII to half-width, half-width kana to full-width."""
    return unicodedata.normalize("NFKC", text or "")


def to_katakana(text):
    return jaconv.hira2kata(normalize_width(text))


_KATAKANA = re.compile(r"[\u30A1-\u30F6]")


def is_zengin_katakana(value):
    """Zengin characters only, and some katakana: a name spelt only in latin letters is refused
    (letters are allowed inside company names such as カ）ＡＢＣ)."""
    return bool(value) and bool(_ZENGIN_FULLWIDTH.fullmatch(value)) and bool(_KATAKANA.search(value))


def normalize_account_holder(value):
    """Accept half-width kana, hiragana and lower-case letters; store full-width katakana."""
    text = jaconv.hira2kata(normalize_width(value)).upper().strip()
    text = jaconv.h2z(text, kana=True, ascii=True, digit=True)
    return text.replace("ー", "ー")
