"""Word forms for phrase checks: a Russian word's lemma (pymorphy3), an English word's stem (snowball).

"записала", "запишу" and "записаться" all come to "записать"; "booked" and "booking" to "book". The
script of the word picks the language, so one phrase list serves calls in either.
"""

from __future__ import annotations

import re
import threading
from functools import lru_cache

import snowballstemmer

_EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")
_CYRILLIC = re.compile(r"[а-яё]")
# Words that negate what follows them ("не могу записать", "we can't book").
_NEGATORS = frozenset({"не", "нет", "ни", "нельзя", "невозможно", "not", "no", "never", "cannot", "nobody"})

_lock = threading.Lock()
_analyzer = None
_stemmer = snowballstemmer.stemmer("english")


def _morph():
    global _analyzer
    with _lock:
        if _analyzer is None:
            import pymorphy3  # loading the dictionaries takes a quarter of a second: only when first needed

            _analyzer = pymorphy3.MorphAnalyzer(lang="ru")
        return _analyzer


def preload() -> threading.Thread:
    """Load the Russian dictionaries on a background thread now (the desktop app does at start-up), so
    the first call's suggestions do not wait the quarter of a second for them."""
    thread = threading.Thread(target=_morph, name="kalibra-word-forms", daemon=True)
    thread.start()
    return thread


def plain(word: str) -> str:
    """The word lower-cased, without the punctuation around it, "ё" read as "е" and "’" as "'"."""
    return _EDGE_PUNCTUATION.sub("", word.lower().replace("’", "'")).replace("ё", "е")


@lru_cache(maxsize=65536)
def word_form(word: str) -> str:
    """The form two words share when they are forms of one word (both already `plain`)."""
    if not word:
        return ""
    if _CYRILLIC.search(word):
        lemma = _morph().parse(word)[0].normal_form.replace("ё", "е")
        # A reflexive verb is matched with its plain verb: "записаться" is said where "записать" is meant.
        if lemma.endswith(("ться", "тись", "чься")):
            lemma = lemma[:-2]
        # The imperfective "записывать", "показывать" is matched with the perfective "записать", "показать".
        if lemma.endswith(("ывать", "ивать")) and len(lemma) > 7:
            lemma = lemma[:-5] + "ать"
        return lemma
    with _lock:  # the snowball stemmer keeps state between calls
        return _stemmer.stemWord(word)


def negates(word: str) -> bool:
    """Whether a `plain` word negates what follows it."""
    return word in _NEGATORS or word.endswith("n't")


def phrase_forms(phrase: str) -> tuple[str, ...]:
    """The word forms of a phrase, in order."""
    return tuple(word_form(p) for p in (plain(w) for w in phrase.split()) if p)
