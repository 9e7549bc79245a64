"""Choosing the operator among a mono call's voices from what they say and who speaks first."""

from __future__ import annotations

from dataclasses import dataclass

from transcription.operator_side import CallFacts, choose, normalise


@dataclass(frozen=True)
class W:
    start: float
    text: str


def spoken(lines: list[tuple[int, str]]) -> tuple[list[W], list[int]]:
    """(voice, sentence) lines, one second per word, as the diarization hands them over."""
    words, clusters, t = [], [], 0.0
    for voice, sentence in lines:
        for part in sentence.split():
            words.append(W(t, part))
            clusters.append(voice)
            t += 1.0
    return words, clusters


def test_greeting_with_clinic_and_operator_name_decides_over_who_speaks_first():
    words, clusters = spoken([(1, "Алло?"), (0, "Добрый день, клиника Семейный доктор, меня зовут Анна."),
                              (1, "Да, здравствуйте.")])
    choice = choose(2, clusters, words, first_cluster=1, facts=CallFacts("out", "Анна Смирнова", ("Семейный доктор",)))
    assert choice.operator == 0 and choice.customer == 1
    assert choice.confidence > 0.95
    assert any("name" in e for e in choice.evidence)


def test_inbound_caller_who_speaks_first_is_still_the_customer_when_the_phrases_say_so():
    words, clusters = spoken([(0, "hi i am looking for a restaurant"), (1, "what kind of restaurant"),
                              (0, "italian please"), (1, "okay anything else"), (0, "can you book a table"),
                              (1, "sure may i have your name"), (1, "okay anything else i can do for you")])
    choice = choose(2, clusters, words, first_cluster=0, facts=CallFacts("in"))
    assert choice.operator == 1


def test_inbound_with_no_words_to_go_on_takes_the_first_speaker_as_operator():
    words, clusters = spoken([(1, "hello"), (0, "hello"), (1, "yes")])
    choice = choose(2, clusters, words, first_cluster=1, facts=CallFacts("in"))
    assert choice.operator == 1 and 0.5 < choice.confidence < 0.9


def test_no_clue_at_all_is_a_guess():
    words, clusters = spoken([(0, "hello"), (1, "hello")])
    choice = choose(2, clusters, words, first_cluster=0, facts=CallFacts())
    assert choice.operator == 0 and choice.confidence == 0.5


def test_one_voice_that_speaks_as_a_customer_is_the_customer():
    words, clusters = spoken([(0, "Здравствуйте, я хотела бы записаться к терапевту, мне нужно на завтра.")])
    choice = choose(1, clusters, words, first_cluster=0, facts=CallFacts())
    assert choice.label_of(0) == "customer"


def test_voices_beyond_two_are_numbered_from_three():
    words, clusters = spoken([(0, "меня зовут Анна"), (1, "здравствуйте"), (2, "доктор"), (3, "ещё")])
    choice = choose(4, clusters, words, first_cluster=0, facts=CallFacts("in", "Анна"))
    assert [choice.label_of(c) for c in range(4)] == ["operator", "customer", "speaker_3", "speaker_4"]


def test_normalise_folds_case_yo_and_punctuation():
    assert normalise("Ещё, ЧТО-нибудь?  Всё!") == "еще что-нибудь все"
