"""Running a question's checks on one call's words and measures, and the answer they suggest.

The input is plain: each spoken word with its party and times, and the call's measures. A phrase is
found where its word forms follow each other in one party's speech with at most `slack` other words
between them; a find right after a negation ("не могу записать") does not count. What was found is the
evidence; where nothing was, `looked` says where the search went.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rubrics.checks import AnalyticsCheck, PhraseCheck, PhraseSpec, check_answers
from rubrics.errors import Phrase
from rubrics.schema import Question
from rubrics.word_forms import negates, phrase_forms, plain, word_form

# A negation this many words before a find (or among the words it skips) cancels it.
NEGATION_REACH = 2
# Evidence shown per check: the first few finds are enough to judge.
EVIDENCE_LIMIT = 3


@dataclass(frozen=True)
class SpokenWord:
    speaker: str  # "operator", "customer" or another label
    start: float
    end: float
    text: str


@dataclass(frozen=True)
class Measure:
    value: float | None
    start: float | None = None  # where the call shows it (the longest silence), when it is one place
    end: float | None = None


@dataclass(frozen=True)
class Evidence:
    speaker: str
    start: float
    end: float
    text: str
    negated: bool = False  # found, but after a negation: shown so the reviewer sees why it did not count


@dataclass(frozen=True)
class CheckOutcome:
    check_id: str
    met: bool | None  # None: the check does not apply to this call (its event never happened, no measure)
    evidence: tuple[Evidence, ...]
    looked: Phrase  # where the check looked, said in plain words


@dataclass(frozen=True)
class Suggestion:
    question_id: str
    answer: bool | int | str | None  # None: no suggestion (the checks do not apply)
    outcomes: tuple[CheckOutcome, ...]
    deciding: str | None = None  # the check whose outcome gave the answer


@dataclass
class CallWords:
    """A call's words prepared once for all the checks run on it."""

    words: Sequence[SpokenWord]
    clinic_names: Sequence[str] = ()
    operator_names: Sequence[str] = ()  # the operator's name and first name, as the call's details give them
    _forms: list[tuple[str, str]] = field(default_factory=list, init=False)  # (plain, form) per word
    # Per party ("anyone" too): its words in order (indices into `words`), and where each form stands among them.
    _sequence: dict[str, list[int]] = field(default_factory=dict, init=False)
    _ranks: dict[str, dict[str, list[int]]] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        self.words = sorted(self.words, key=lambda w: w.start)
        self._forms = [(p, word_form(p)) for p in (plain(w.text) for w in self.words)]
        for by in ("anyone", *sorted({w.speaker for w in self.words})):
            sequence = [i for i, w in enumerate(self.words) if self._forms[i][0] and by in ("anyone", w.speaker)]
            ranks: dict[str, list[int]] = {}
            for rank, i in enumerate(sequence):
                ranks.setdefault(self._forms[i][1], []).append(rank)
            self._sequence[by], self._ranks[by] = sequence, ranks

    def find(self, spec: PhraseSpec, start: float = 0.0, end: float | None = None) -> list[Evidence]:
        """Every find of any of the spec's phrases beginning between the times, in time order."""
        finds: list[Evidence] = []
        for phrase in self._expanded(spec.phrases):
            forms = _phrase_forms(phrase)
            if forms:
                phrase_negative = any(negates(plain(w)) for w in phrase.split())
                finds += self._find_forms(forms, spec.by, start, end, spec.slack, phrase_negative)
        # Two phrases of one list often find the same words ("чем могу помочь", "чем помочь"): shown once.
        unique = {(e.start, e.end): e for e in sorted(finds, key=lambda e: e.negated, reverse=True)}
        return sorted(unique.values(), key=lambda e: e.start)

    def _expanded(self, phrases: Iterable[str]) -> list[str]:
        out: list[str] = []
        for phrase in phrases:
            if "{clinic}" in phrase:
                out += [phrase.replace("{clinic}", name) for name in self.clinic_names if name.strip()]
            elif "{operator}" in phrase:
                out += [phrase.replace("{operator}", name) for name in self.operator_names if name.strip()]
            else:
                out.append(phrase)
        return out

    def _find_forms(self, forms: tuple[str, ...], by: str, start: float, end: float | None, slack: int,
                    phrase_negative: bool) -> list[Evidence]:
        sequence = self._sequence.get(by, [])
        finds: list[Evidence] = []
        used_until = -1
        for first in self._ranks.get(by, {}).get(forms[0], []):
            at = self.words[sequence[first]].start
            if first <= used_until or at < start:
                continue
            if end is not None and at > end:
                break
            chain = [first]
            for form in forms[1:]:
                nxt = next((r for r in range(chain[-1] + 1, min(chain[-1] + 2 + slack, len(sequence)))
                            if self._forms[sequence[r]][1] == form), None)
                if nxt is None:
                    break
                chain.append(nxt)
            if len(chain) < len(forms):
                continue
            used_until = chain[-1]
            span = sequence[chain[0]:chain[-1] + 1]
            negated = False
            if not phrase_negative:
                before = sequence[max(0, chain[0] - NEGATION_REACH):chain[0]]
                skipped = [sequence[r] for r in range(chain[0], chain[-1] + 1) if r not in chain]
                negated = any(negates(self._forms[i][0]) for i in before + skipped)
            words = [self.words[i] for i in span]
            finds.append(Evidence(words[0].speaker, words[0].start, words[-1].end,
                                  " ".join(w.text.strip() for w in words), negated))
        return finds


@lru_cache(maxsize=4096)
def _phrase_forms(phrase: str) -> tuple[str, ...]:
    return phrase_forms(phrase)


def run_phrase_check(check: PhraseCheck, call: CallWords) -> CheckOutcome:
    """Whether the phrase check is met on this call, with the words that show it."""
    start, anchor_text = 0.0, None
    if check.after is not None:
        anchors = [e for e in call.find(check.after) if not e.negated]
        if not anchors:
            return CheckOutcome(check.id, None, (), _looked_for_anchor(check.after, call))
        start, anchor_text = anchors[0].end, anchors[0].text
    end = None if check.within_s is None else start + check.within_s
    finds = call.find(check, start, end)
    counted = [e for e in finds if not e.negated]
    met = bool(counted) if check.says == "must" else not counted
    shown = (counted or finds)[:EVIDENCE_LIMIT]
    return CheckOutcome(check.id, met, tuple(shown), _looked(check, anchor_text, call))


def run_analytics_check(check: AnalyticsCheck, measures: Mapping[str, Measure]) -> CheckOutcome:
    measure = measures.get(check.measure, Measure(None))
    looked = Phrase("the call's measure {measure}", {"measure": check.measure})
    if measure.value is None:
        return CheckOutcome(check.id, None, (), Phrase("does not apply: the call's {measure} is not measured yet",
                                                       {"measure": check.measure}))
    met = (check.max is None or measure.value <= check.max) and (check.min is None or measure.value >= check.min)
    shown = f"{check.measure} = {measure.value:g}"
    evidence = (Evidence("", measure.start if measure.start is not None else 0.0,
                         measure.end if measure.end is not None else 0.0, shown),)
    return CheckOutcome(check.id, met, evidence, looked)


def suggest(question: Question, call: CallWords, measures: Mapping[str, Measure]) -> Suggestion | None:
    """The answer the question's checks suggest, with their outcomes; None when it has no checks.

    The first check not met that names an answer decides; otherwise, when every check is met, the first
    that names an answer for being met. A check that does not apply leaves the question without a
    suggestion rather than guessing (the question may be N/A on this call).
    """
    if not question.checks:
        return None
    outcomes = tuple(run_phrase_check(c, call) if isinstance(c, PhraseCheck) else run_analytics_check(c, measures)
                     for c in question.checks)
    answers = [check_answers(c, question.type) for c in question.checks]
    for outcome, (_, if_not_met) in zip(outcomes, answers, strict=True):
        if outcome.met is False and if_not_met is not None:
            return Suggestion(question.id, if_not_met, outcomes, outcome.check_id)
    if all(outcome.met for outcome in outcomes):
        for outcome, (if_met, _) in zip(outcomes, answers, strict=True):
            if if_met is not None:
                return Suggestion(question.id, if_met, outcomes, outcome.check_id)
    return Suggestion(question.id, None, outcomes)


# Where a check looked, one sentence per party and window (the interface translates each whole).
_LOOKED = {
    ("operator", "whole"): Phrase("{phrases} in the operator's words, the whole call"),
    ("customer", "whole"): Phrase("{phrases} in the customer's words, the whole call"),
    ("anyone", "whole"): Phrase("{phrases} in both parties' words, the whole call"),
    ("operator", "first"): Phrase("{phrases} in the operator's words in the first {seconds} s"),
    ("customer", "first"): Phrase("{phrases} in the customer's words in the first {seconds} s"),
    ("anyone", "first"): Phrase("{phrases} in both parties' words in the first {seconds} s"),
    ("operator", "after"): Phrase("{phrases} in the operator's words after {anchor}"),
    ("customer", "after"): Phrase("{phrases} in the customer's words after {anchor}"),
    ("anyone", "after"): Phrase("{phrases} in both parties' words after {anchor}"),
    ("operator", "after_within"): Phrase("{phrases} in the operator's words within {seconds} s after {anchor}"),
    ("customer", "after_within"): Phrase("{phrases} in the customer's words within {seconds} s after {anchor}"),
    ("anyone", "after_within"): Phrase("{phrases} in both parties' words within {seconds} s after {anchor}"),
    ("operator", "no_anchor"): Phrase("does not apply: {phrases} not found in the operator's words"),
    ("customer", "no_anchor"): Phrase("does not apply: {phrases} not found in the customer's words"),
    ("anyone", "no_anchor"): Phrase("does not apply: {phrases} not found in either party's words"),
}


def _quoted(phrases: Iterable[str]) -> str:
    # The English text (str of the Phrase); the interface quotes the raw values in its own language's marks.
    return " / ".join(f"“{p}”" for p in phrases)


def _looked(check: PhraseCheck, anchor_text: str | None, call: CallWords) -> Phrase:
    if anchor_text is not None:
        window = "after" if check.within_s is None else "after_within"
    else:
        window = "whole" if check.within_s is None else "first"
    # The phrases as searched: "{clinic}" and "{operator}" said as the clinic's and operator's names.
    phrases = tuple(call._expanded(check.phrases))
    params = {"phrases": _quoted(phrases), "anchor": _quoted([anchor_text]) if anchor_text else "",
              "seconds": f"{check.within_s:g}" if check.within_s is not None else ""}
    template = _LOOKED[(check.by, window)].template
    raw = {"phrase_list": phrases, "anchor_text": anchor_text} if anchor_text else {"phrase_list": phrases}
    return Phrase(template, {**{k: v for k, v in params.items() if "{" + k + "}" in template}, **raw})


def _looked_for_anchor(spec: PhraseSpec, call: CallWords) -> Phrase:
    phrases = tuple(call._expanded(spec.phrases))
    return Phrase(_LOOKED[(spec.by, "no_anchor")].template, {"phrases": _quoted(phrases), "phrase_list": phrases})
