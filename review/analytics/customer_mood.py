"""An unhappy customer: what the customer says that a reviewer would hear as a complaint.

Matched like the rubrics' phrase checks (word forms, a word or two between, a negation cancels: "no
complaints" and "не буду жаловаться" are not complaints). Counted per call with the analytics, so sampling
can prefer such calls and the library can filter by them. The phrases are the patients' own ways of
complaining in the clinics' calls: about the booking lost, the waiting, nobody calling back.
"""

from __future__ import annotations

from dataclasses import dataclass

from review.analytics.spoken_words import spoken_words
from rubrics.check_matching import CallWords, Evidence
from rubrics.checks import PhraseSpec
from transcription.transcript import Transcript

COMPLAINT_PHRASES = (
    # Russian
    "жалоба", "жаловаться", "пожаловаться", "претензия", "недоволен", "недовольна", "безобразие", "возмутительно",
    "ужасно", "кошмар", "хамство", "издеваетесь", "разочарована", "разочарован", "сколько можно",
    "и что теперь", "что мне теперь делать", "просто так приехал", "зря приехал", "больше не повторялось",
    "никто не предупредил", "никто не сказал", "никто не перезвонил", "так и не перезвонили",
    "нет в записи", "потеряли запись", "ждала больше часа", "ждал больше часа", "верните деньги",
    "больше к вам не приду",
    # English
    "complaint", "complain", "unacceptable", "terrible", "awful", "ridiculous", "disappointed", "refund",
    "nobody told me", "no one told me", "nobody called me back", "never called back", "waited for over an hour",
    "waited over an hour", "waste of time", "not happy",
)
_SPEC = PhraseSpec(by="customer", phrases=list(COMPLAINT_PHRASES), slack=1)


@dataclass(frozen=True)
class CustomerMood:
    """How often the customer complained, and the first time (its words and when)."""

    complaints: int
    first: Evidence | None = None


def customer_mood(transcript: Transcript) -> CustomerMood:
    """The customer's complaints in the transcript (negated phrases not counted)."""
    found = [e for e in CallWords(spoken_words(transcript)).find(_SPEC) if not e.negated]
    return CustomerMood(len(found), found[0] if found else None)
