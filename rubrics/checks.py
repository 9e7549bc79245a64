"""Checks a rubric question may carry: phrases that must or must not be said, and analytics limits.

A check is evidence for a suggested answer, never an answer itself: `if_met` and `if_not_met` name the
answer the reviewer is offered (yes/no questions default to yes and no); a check naming neither only shows
its evidence and must be met for the others' `if_met` to be offered. A phrase is matched on word
forms (see rubrics.check_matching); `{clinic}` in a phrase stands for each of the clinic's names,
`{operator}` for the operator's name and first name.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, StringConstraints, Tag, model_validator

from rubrics.errors import RubricRuleError

Party = Literal["operator", "customer", "anyone"]
# The per-call measures an analytics check can test (review/analytics fills them in for each call).
MEASURES = (
    "silence_longest_s", "silence_total_s", "hold_longest_s", "hold_total_s", "long_holds",
    "overtalk_count", "operator_interruptions", "operator_share_pct", "operator_first_word_s",
)
MAX_SLACK = 5
PhraseText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


class _CheckModel(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PhraseSpec(_CheckModel):
    """Any of `phrases` said by `by`, words in order with up to `slack` other words between them."""

    by: Party = "operator"
    phrases: Annotated[list[PhraseText], Field(min_length=1)]
    slack: Annotated[int, Field(ge=0, le=MAX_SLACK)] = 2


class PhraseCheck(PhraseSpec):
    """A phrase that must (or must not) be said, in the first `within_s` seconds or after an event.

    after: the check applies only once this is said; `within_s` then counts from it. When it is never
    said the check does not apply (no suggestion: the question may well be N/A).
    """

    kind: Literal["phrase"] = "phrase"
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=80)]
    says: Literal["must", "must_not"] = "must"
    within_s: Annotated[float, Field(gt=0)] | None = None
    after: PhraseSpec | None = None
    if_met: bool | int | str | None = None
    if_not_met: bool | int | str | None = None


class AnalyticsCheck(_CheckModel):
    """A per-call measure kept at most `max` (or at least `min`)."""

    kind: Literal["analytics"]
    id: Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=80)]
    measure: str
    max: float | None = None
    min: float | None = None
    if_met: bool | int | str | None = None
    if_not_met: bool | int | str | None = None

    @model_validator(mode="after")
    def _check_measure(self) -> AnalyticsCheck:
        if self.measure not in MEASURES:
            raise RubricRuleError("unknown measure '{measure}'; use one of {known}", ("measure",),
                                 measure=self.measure, known=", ".join(MEASURES))
        if self.max is None and self.min is None:
            raise RubricRuleError("an analytics check needs a limit: max or min", ("max",))
        return self


def _kind(value: object) -> str:
    # A check without `kind` is a phrase check: most are, and the files read shorter.
    if isinstance(value, dict):
        return value.get("kind", "phrase")
    return getattr(value, "kind", "phrase")


Check = Annotated[Annotated[PhraseCheck, Tag("phrase")] | Annotated[AnalyticsCheck, Tag("analytics")],
                  Discriminator(_kind)]


def check_answers(check: PhraseCheck | AnalyticsCheck, question_type: str) -> tuple[object, object]:
    """The answers a check suggests when met and when not met (yes/no questions: yes and no)."""
    if question_type == "yes_no":
        met = True if check.if_met is None else check.if_met
        not_met = False if check.if_not_met is None else check.if_not_met
        return met, not_met
    return check.if_met, check.if_not_met


def validate_checks(checks: list[PhraseCheck | AnalyticsCheck], question_type: str,
                    offered: list[bool | int | str]) -> None:
    """Raise RubricRuleError when a check cannot suggest an answer the question offers."""
    seen: set[str] = set()
    for index, check in enumerate(checks):
        if check.id in seen:
            raise RubricRuleError("check id '{id}' is used twice in this question", ("checks", index, "id"),
                                 id=check.id)
        seen.add(check.id)
        if question_type == "note":
            raise RubricRuleError("a note question has no answers to suggest, so it cannot have checks",
                                 ("checks", index))
        answers = check_answers(check, question_type)
        for field, answer in zip(("if_met", "if_not_met"), answers, strict=True):
            if answer is not None and not any(answer == value and type(answer) is type(value)
                                              for value in offered):
                raise RubricRuleError("check '{id}' suggests '{answer}', which this question does not offer",
                                     ("checks", index, field), id=check.id, answer=answer)
