"""Suggested answers for one call: its stored words and measures run through the rubric's checks.

A suggestion is shown to the reviewer with its evidence and never stored as an answer by itself
(review.scoring.agreement keeps only whether the reviewer's own answer matched it).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from review.analytics.spoken_words import spoken_words
from review.analytics.stored import call_analytics
from review.library.calls import get_call
from review.library.vocabularies import rubric_call_kind
from review.models import User
from review.transcripts.stored import stored_transcript
from rubrics import Question, Rubric
from rubrics.check_matching import CallWords, Measure, Suggestion, suggest
from transcription.conversation import ConversationAnalytics
from transcription.transcript import Transcript


def call_measures(analytics: ConversationAnalytics | None) -> dict[str, Measure]:
    """The measures analytics checks test (rubrics.checks.MEASURES); empty until the call is measured."""
    if analytics is None:
        return {}

    def longest(kind: str) -> Measure:
        stretches = [s for s in analytics.stretches if s.kind == kind]
        if not stretches:
            return Measure(0.0)
        top = max(stretches, key=lambda s: s.duration_s)
        return Measure(round(top.duration_s, 2), top.start, top.end)

    share = analytics.operator_share
    return {
        "silence_longest_s": longest("silence"),
        "silence_total_s": Measure(analytics.silence_total_s),
        "hold_longest_s": longest("hold"),
        "hold_total_s": Measure(analytics.hold_total_s),
        "long_holds": Measure(float(analytics.long_holds)),
        "overtalk_count": Measure(float(analytics.overtalk_count)),
        "operator_interruptions": Measure(float(analytics.operator_interruptions)),
        "operator_share_pct": Measure(None if share is None else round(share * 100, 1)),
        "operator_first_word_s": Measure(analytics.operator_first_word_s),
    }


def _operator_names(operator_name: str | None) -> tuple[str, ...]:
    return (operator_name, operator_name.split()[0]) if operator_name and operator_name.split() else ()


def suggestions_from(rubric: Rubric, transcript: Transcript | None, analytics: ConversationAnalytics | None, *,
                     call_kind: str | None = None, clinic_names: tuple[str, ...] = (),
                     operator_name: str | None = None) -> dict[str, Suggestion]:
    """Question id -> suggestion, for each question with checks in the sections that apply (pure)."""
    call = CallWords(spoken_words(transcript) if transcript is not None else [], clinic_names,
                     _operator_names(operator_name))
    measures = call_measures(analytics)
    found = (suggest(question, call, measures) for section in rubric.sections_for(call_kind)
             for question in section.questions)
    return {s.question_id: s for s in found if s is not None}


def call_suggestions(session: Session, actor: User, call_id: int, rubric: Rubric, *,
                     clinic_names: tuple[str, ...] = ()) -> dict[str, Suggestion]:
    """The suggestions for the call under `rubric`; the actor must be allowed to read its transcript."""
    transcript = stored_transcript(session, actor, call_id)
    call = get_call(session, actor, call_id)
    return suggestions_from(rubric, transcript if transcript.segments else None,
                            call_analytics(session, actor, call_id),
                            call_kind=rubric_call_kind(session, call.call_kind), clinic_names=clinic_names,
                            operator_name=call.operator.name if call.operator else None)


def try_question(session: Session, actor: User, call_id: int, question: Question, *,
                 clinic_names: tuple[str, ...] = ()) -> Suggestion | None:
    """One question's checks on a stored call, whatever its sections' call kinds (the rubric editor's live test)."""
    transcript = stored_transcript(session, actor, call_id)
    call = get_call(session, actor, call_id)
    words = CallWords(spoken_words(transcript), clinic_names,
                      _operator_names(call.operator.name if call.operator else None))
    return suggest(question, words, call_measures(call_analytics(session, actor, call_id)))


def _answer_text(question, value, lang: str) -> str:
    if value is None:
        return "—"
    if question.type == "yes_no":
        return ("yes" if value else "no") if lang == "en" else ("да" if value else "нет")
    for item in (*question.levels, *question.options):
        if getattr(item, "value", getattr(item, "key", None)) == value:
            return item.label.get(lang)
    return str(value)


def suggestions_as_data(rubric: Rubric, found: dict[str, Suggestion], lang: str = "ru") -> list[dict]:
    """The suggestions as plain JSON-ready data, in form order (for `kalibra suggest --json`)."""
    out = []
    for question in rubric.questions():
        suggestion = found.get(question.id)
        if suggestion is None:
            continue
        out.append({
            "question": question.id, "text": question.text.get(lang), "suggested": suggestion.answer,
            "suggested_text": _answer_text(question, suggestion.answer, lang), "deciding_check": suggestion.deciding,
            "checks": [{"check": o.check_id, "met": o.met, "looked": str(o.looked),
                        "evidence": [{"speaker": e.speaker, "start": round(e.start, 2), "end": round(e.end, 2),
                                      "text": e.text, "negated": e.negated} for e in o.evidence]}
                       for o in suggestion.outcomes]})
    return out


def suggestion_lines(rubric: Rubric, found: dict[str, Suggestion], lang: str = "ru") -> list[str]:
    """The suggestions as text, a question a line and its checks' evidence under it (for `kalibra suggest`)."""
    lines = []
    for item in suggestions_as_data(rubric, found, lang):
        lines.append(f"{item['question']}: {item['suggested_text']}  ({item['text']})")
        for check in item["checks"]:
            state = {True: "met", False: "not met", None: "does not apply"}[check["met"]]
            finds = "; ".join(f"«{e['text']}» {e['speaker'] or 'measure'} {e['start']:.1f}s"
                              + (" (negated)" if e["negated"] else "") for e in check["evidence"])
            lines.append(f"    {check['check']}: {state} — {finds or 'no evidence found: looked for ' + check['looked']}")
    return lines

