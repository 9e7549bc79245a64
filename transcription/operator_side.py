"""Which voice of a one-channel call is the operator: the greeting, the clinic's and operator's names, who speaks first.

Each clue adds points to one speaker; the operator is the one with more, and the margin says how
sure that is (no clue at all: the bigger talker, confidence 0.5, a guess).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

_GREETING_S = 30.0  # names count as a self-introduction only this early in the call
_NAME_POINTS = 3.0
_ORGANISATION_POINTS = 3.0
_FIRST_SPEAKER_POINTS = 1.5  # inbound: the operator answers (some lines let the caller speak first)
_PHRASE_POINTS = 1.0
_PHRASE_CAP = 6.0  # one talkative side cannot win on phrases alone beyond this

# Phrases only one side of a service call tends to say (lower case, ё as е, no punctuation).
_OPERATOR_PHRASES = (
    "меня зовут", "чем могу помочь", "чем могу вам помочь", "чем еще могу", "что-нибудь еще", "что нибудь еще",
    "удобно говорить", "спасибо за ожидание", "спасибо за обращение", "спасибо что позвонили",
    "оставайтесь на линии", "минуточку", "одну минуту", "подскажите ваш", "подскажите вашу", "ваша фамилия",
    "ваше имя", "дата рождения", "записала вас", "записал вас", "вас записала", "вас записал", "ждем вас",
    "клиника", "клиники", "клинику",
    "how can i help", "how may i help", "how can i assist", "what can i do for you", "anything else",
    "thank you for calling", "thanks for calling", "may i have your", "can i have your", "could you spell",
    "let me check", "one moment", "glad to help", "happy to help", "have a nice day", "have a lovely day",
    "have a great day", "thank you for waiting", "thanks for waiting", "i can help you", "clinic",
)
_CUSTOMER_PHRASES = (
    "хотел бы", "хотела бы", "я хочу", "мне нужно", "мне надо", "можно записаться", "можно мне", "я записан",
    "я записана", "у меня",
    "i would like", "i'd like", "i want to", "i need", "i am looking for", "i'm looking for", "can you book",
    "can i get", "thank you for your help", "thanks for your help", "i lost my", "i was wondering",
)
_NAME_STOPWORDS = {"клиника", "клиники", "центр", "clinic", "the", "of", "and", "center", "centre", "медицинский"}


@dataclass(frozen=True)
class CallFacts:
    """What is known about a call besides its audio (from metadata and settings)."""

    direction: str | None = None  # "in" or "out"
    operator_name: str | None = None  # e.g. "Анна Смирнова"
    organisation_names: tuple[str, ...] = ()  # the clinic's names as operators say them on the phone


@dataclass(frozen=True)
class OperatorChoice:
    operator: int  # cluster index
    customer: int | None  # None on a one-voice call
    confidence: float
    evidence: tuple[str, ...]

    def label_of(self, cluster: int) -> str:
        """'operator', 'customer', or 'speaker_N' for a third voice and beyond (N counts from 3)."""
        if cluster == self.operator:
            return "operator"
        if cluster == self.customer:
            return "customer"
        others = sorted(c for c in range(cluster + 1) if c not in (self.operator, self.customer))
        return f"speaker_{3 + others.index(cluster)}"


def normalise(text: str) -> str:
    """Lower case, ё as е, letters, digits, hyphens and single spaces only."""
    text = text.lower().replace("ё", "е")
    return " ".join(re.sub(r"[^\w\s-]", " ", text).split())


def _name_tokens(names: Sequence[str]) -> set[str]:
    return {t for n in names for t in normalise(n).split() if len(t) >= 3 and t not in _NAME_STOPWORDS}


def _count(text: str, phrases: Sequence[str]) -> int:
    padded = f" {text} "
    return sum(padded.count(f" {p} ") for p in phrases)


def choose(
    count: int, word_clusters: Sequence[int], words: Sequence, first_cluster: int | None, facts: CallFacts
) -> OperatorChoice:
    """Pick the operator between the two biggest voices (clusters 0 and 1) of a call with `count` voices.

    word_clusters[i] is the cluster of words[i] (objects with .start and .text).
    """
    if count < 1:
        return OperatorChoice(0, None, 0.5, ("no speech",))
    candidates = [0, 1] if count >= 2 else [0]
    points = {c: 0.0 for c in candidates}
    evidence: list[str] = []
    early = {c: " ".join(normalise(w.text) for w, k in zip(words, word_clusters, strict=True) if k == c and w.start < _GREETING_S)
             for c in candidates}
    whole = {c: " ".join(normalise(w.text) for w, k in zip(words, word_clusters, strict=True) if k == c) for c in candidates}

    person = _name_tokens([facts.operator_name] if facts.operator_name else [])
    organisation = _name_tokens(facts.organisation_names)
    for c in candidates:
        said = set(early[c].split())
        if person & said:
            points[c] += _NAME_POINTS
            evidence.append(f"voice {c + 1} says the operator's name early")
        if organisation & said:
            points[c] += _ORGANISATION_POINTS
            evidence.append(f"voice {c + 1} names the organisation in the greeting")
        phrases = _count(whole[c], _OPERATOR_PHRASES) - _count(whole[c], _CUSTOMER_PHRASES)
        if phrases:
            points[c] += max(-_PHRASE_CAP, min(_PHRASE_CAP, phrases * _PHRASE_POINTS))
            evidence.append(f"voice {c + 1}: {phrases:+d} operator phrases")
    if facts.direction == "in" and first_cluster in points:
        points[first_cluster] += _FIRST_SPEAKER_POINTS
        evidence.append(f"inbound call, voice {first_cluster + 1} speaks first")

    if len(candidates) == 1:
        # One voice: it is the operator unless what it says is the customer's side of a call.
        margin = points[0]
        operator, customer = (0, None) if margin >= 0 else (count, 0)  # `count` = an absent cluster
        return OperatorChoice(operator, customer, _sureness(abs(margin)), tuple(evidence) or ("one voice",))
    margin = points[0] - points[1]
    operator = 0 if margin >= 0 else 1
    if margin == 0:
        evidence.append("no clue: the voice that talks most is taken for the operator")
    return OperatorChoice(operator, 1 - operator, _sureness(abs(margin)), tuple(evidence))


def _sureness(margin: float) -> float:
    """0.5 with no margin, about 0.95 at 3 points (one name in the greeting)."""
    return round(1 / (1 + math.exp(-margin)), 3)
