"""Small constructors for rubrics in tests, so each example shows only what it is about."""

from __future__ import annotations

from rubrics import Question, Rubric, Section


def yes_no(qid: str, points: float | None = None, **flags) -> Question:
    return Question(id=qid, type="yes_no", text={"ru": qid}, points=points, **flags)


def scale(qid: str, values: list[int], **flags) -> Question:
    levels = [{"value": v, "label": {"ru": str(v)}} for v in values]
    return Question(id=qid, type="scale", text={"ru": qid}, levels=levels, **flags)


def choice(qid: str, options: dict[str, float], **flags) -> Question:
    opts = [{"key": k, "label": {"ru": k}, "points": p} for k, p in options.items()]
    return Question(id=qid, type="choice", text={"ru": qid}, options=opts, **flags)


def note(qid: str) -> Question:
    return Question(id=qid, type="note", text={"ru": qid})


def section(sid: str, weight: float, *questions: Question, title: str | None = None, **extra) -> Section:
    return Section(id=sid, title={"ru": title or sid, "en": sid}, weight=weight, questions=list(questions), **extra)


def rubric(*sections: Section, **extra) -> Rubric:
    return Rubric(id="test", title={"ru": "Тест", "en": "Test"}, sections=list(sections), **extra)
