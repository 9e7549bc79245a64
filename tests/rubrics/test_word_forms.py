"""The Russian dictionaries load on a background thread when preloaded, and word forms then need no wait."""

from __future__ import annotations

from rubrics import word_forms


def test_preload_loads_the_dictionaries_off_the_calling_thread(monkeypatch):
    monkeypatch.setattr(word_forms, "_analyzer", None)
    word_forms.word_form.cache_clear()
    thread = word_forms.preload()
    assert thread.daemon and thread.name == "kalibra-word-forms"
    thread.join(timeout=60)
    assert word_forms._analyzer is not None
    assert word_forms.word_form("записала") == word_forms.word_form("запишу") == "записать"


def test_the_dictionaries_are_read_by_the_c_reader():
    # dawg2 (pyproject.toml): pymorphy3 falls back to a pure-Python reader 4x slower without it, silently.
    import pymorphy3.dawg

    assert pymorphy3.dawg.DAWG.__module__ == "dawg"
