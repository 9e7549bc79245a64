"""How text is keyed for matching: the search stems of a text (Snowball, Russian and English), a phone number's digits.

Shared by the library (search, patient threads) and the written channels, below both.
"""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

WORD = re.compile(r"[^\W_]+", re.UNICODE)
_CYRILLIC = re.compile(r"[а-яё]")


@lru_cache(maxsize=2)
def _stemmer(language: str):
    return snowballstemmer.stemmer(language)


@lru_cache(maxsize=100_000)
def stem_word(word: str) -> str:
    return _stemmer("russian" if _CYRILLIC.search(word) else "english").stemWord(word)


def stems(text_: str) -> list[str]:
    return [stem_word(w) for w in WORD.findall(text_.lower().replace("ё", "е"))]


def index_text(text_: str) -> str:
    """What a segment stores in `search_text` for the SQLite index."""
    return " ".join(stems(text_))


def phone_key(phone: str | None) -> str | None:
    """The digits that identify a number however it was written: +7 (916) 123-45-67, 89161234567 and
    79161234567 are one number (a Russian 11-digit number loses its trunk prefix)."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) == 11 and digits[0] in "78":
        digits = digits[1:]
    return digits or None
