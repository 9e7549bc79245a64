from __future__ import annotations

import jiwer
import pytest
from hypothesis import given
from hypothesis import strategies as st

from transcription.wer import normalize_words, word_error_rate


def test_normalisation():
    assert normalize_words("Ёлка, ЕЛКА! Всё — хорошо?") == ["елка", "елка", "все", "хорошо"]
    assert word_error_rate("Добрый день, клиника «Здоровье».", "добрый день клиника здоровье") == 0.0


def test_counts_substitutions_deletions_insertions():
    assert word_error_rate("раз два три четыре", "раз два три четыре") == 0.0
    assert word_error_rate("раз два три четыре", "раз пять три четыре") == 0.25
    assert word_error_rate("раз два три четыре", "раз три четыре") == 0.25
    assert word_error_rate("раз два три четыре", "раз два три четыре пять шесть") == 0.5
    assert word_error_rate("раз два", "") == 1.0
    assert word_error_rate("", "") == 0.0


words = st.lists(st.sampled_from(["да", "нет", "запись", "врач", "завтра"]), max_size=12)


@given(words, words)
def test_agrees_with_jiwer(ref, hyp):
    if not ref:
        return
    assert word_error_rate(" ".join(ref), " ".join(hyp)) == pytest.approx(
        jiwer.wer(" ".join(ref), " ".join(hyp) or "")
    )
