"""The rubric schema: rubric -> sections (weighted) -> questions.

Validators enforce the rules a scoring engine relies on, so a `Rubric` that exists is always
scorable. Cross-field problems are raised as `RubricRuleError`, which carries the path of the
offending field so the loader can point at the right line of a YAML file.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from rubrics.checks import Check, validate_checks
from rubrics.errors import RubricRuleError

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_\-]*$", max_length=80)]
QuestionType = Literal["yes_no", "scale", "choice", "note"]
Lang = Literal["ru", "en"]

# Float sums of weights such as 0.1 + 0.2 are compared with this tolerance.
WEIGHT_TOLERANCE = 1e-6


class _Model(BaseModel):
    # Unknown keys are refused so a typo ("wieght") is an error, not a silently ignored field.
    model_config = ConfigDict(extra="forbid")


class LocalizedText(_Model):
    """Text in Russian (required) with an English translation (falls back to Russian)."""

    ru: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
    en: str = ""

    @model_validator(mode="before")
    @classmethod
    def _accept_plain_string(cls, data: object) -> object:
        # A bare string in a file means the same text for both languages.
        if isinstance(data, str):
            return {"ru": data}
        return data

    def get(self, lang: str = "ru") -> str:
        """The text in `lang`, or the Russian text when no translation is given."""
        if lang == "en" and self.en.strip():
            return self.en
        return self.ru


class ScaleLevel(_Model):
    """One labelled level of a scale question; `points` overrides the linear mapping."""

    value: int
    label: LocalizedText
    points: Annotated[float, Field(ge=0)] | None = None


class ChoiceOption(_Model):
    """One option of a single-choice question and the points it earns."""

    key: Slug
    label: LocalizedText
    points: Annotated[float, Field(ge=0)]


class Question(_Model):
    """A question shown to the reviewer.

    points: the most the question can earn. Defaults: yes/no 1; scale the span of its level
    values (0-3 earns 0..3, 1-5 earns 0..4) or its best level's points; choice its best option.
    comment_required_below: share of `points` (0 < x <= 1); an answer earning a smaller share
    needs a reviewer comment (1 means "anything short of full marks").
    fatal: yes/no only; the answer "no" sets the overall score to 0.
    checks: phrases and measures that suggest an answer, with evidence (rubrics.checks).
    """

    id: Slug
    type: QuestionType
    text: LocalizedText
    help: LocalizedText | None = None
    points: Annotated[float, Field(ge=0)] | None = None
    levels: list[ScaleLevel] = Field(default_factory=list)
    options: list[ChoiceOption] = Field(default_factory=list)
    na_allowed: bool = False
    comment_required_below: Annotated[float, Field(gt=0, le=1)] | None = None
    critical: bool = False
    fatal: bool = False
    checks: list[Check] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check_type_rules(self) -> Question:
        kind = self.type
        if kind != "scale" and self.levels:
            raise RubricRuleError("only scale questions have levels, this one is {kind}", ("levels",), kind=kind)
        if kind != "choice" and self.options:
            raise RubricRuleError("only choice questions have options, this one is {kind}", ("options",),
                                  kind=kind)
        if self.fatal and kind != "yes_no":
            raise RubricRuleError(
                "only yes/no questions can be fatal (the answer 'no' is fatal), this one is {kind}",
                ("fatal",), kind=kind,
            )
        if kind == "scale":
            self._check_levels()
        elif kind == "choice":
            self._check_options()
        elif kind == "note":
            for flag in ("critical", "comment_required_below"):
                if getattr(self, flag):
                    raise RubricRuleError("a note question does not score, so it cannot set {flag}", (flag,),
                                          flag=flag)
            if self.points:
                raise RubricRuleError("a note question does not score, so it cannot have points", ("points",))
        if kind != "note" and self.max_points <= 0:
            raise RubricRuleError("a scoring question must be able to earn more than 0 points", ("points",))
        if self.checks:
            validate_checks(self.checks, kind, self.answer_values())
        return self

    def _check_levels(self) -> None:
        if len(self.levels) < 2:
            raise RubricRuleError("a scale question needs at least 2 levels", ("levels",))
        seen: set[int] = set()
        for index, level in enumerate(self.levels):
            if level.value in seen:
                raise RubricRuleError("scale level value {value} is repeated", ("levels", index, "value"),
                                      value=level.value)
            seen.add(level.value)
        with_points = [level.points is not None for level in self.levels]
        if any(with_points) and not all(with_points):
            index = with_points.index(False) if with_points[0] else with_points.index(True)
            raise RubricRuleError(
                "give points either for every scale level or for none", ("levels", index, "points")
            )
        best = max(level.points for level in self.levels) if all(with_points) else None
        if best is not None and self.points is not None and abs(best - self.points) > WEIGHT_TOLERANCE:
            raise RubricRuleError(
                "points is {points} but the best level earns {best}; they must agree", ("points",),
                points=f"{self.points:g}", best=f"{best:g}",
            )

    def _check_options(self) -> None:
        if len(self.options) < 2:
            raise RubricRuleError("a choice question needs at least 2 options", ("options",))
        seen: set[str] = set()
        for index, option in enumerate(self.options):
            if option.key in seen:
                raise RubricRuleError("option key '{key}' is repeated", ("options", index, "key"), key=option.key)
            seen.add(option.key)
        best = max(option.points for option in self.options)
        if self.points is not None and abs(best - self.points) > WEIGHT_TOLERANCE:
            raise RubricRuleError(
                "points is {points} but the best option earns {best}; they must agree", ("points",),
                points=f"{self.points:g}", best=f"{best:g}",
            )

    @property
    def scores(self) -> bool:
        """Whether the question counts toward the score (notes do not)."""
        return self.type != "note"

    def answer_values(self) -> list[bool | int | str]:
        """The answers offered, in the order the form shows them: the n-th is picked with the key n."""
        if self.type == "yes_no":
            return [True, False]
        if self.type == "scale":
            return [level.value for level in self.levels]
        if self.type == "choice":
            return [option.key for option in self.options]
        return []

    @property
    def max_points(self) -> float:
        """The most this question can earn."""
        if self.type == "note":
            return 0.0
        if self.type == "choice":
            return max((option.points for option in self.options), default=0.0)
        if self.type == "scale" and self.levels and self.levels[0].points is not None:
            return max(level.points or 0.0 for level in self.levels)
        if self.points is not None:
            return self.points
        if self.type == "scale" and self.levels:
            values = [level.value for level in self.levels]
            return float(max(values) - min(values))
        return 1.0


class SectionCondition(_Model):
    """The section applies only to calls of these kinds."""

    call_kinds: Annotated[list[Slug], Field(min_length=1)]


class Section(_Model):
    id: Slug
    title: LocalizedText
    description: LocalizedText | None = None
    weight: Annotated[float, Field(gt=0)]
    condition: SectionCondition | None = None
    questions: Annotated[list[Question], Field(min_length=1)]

    def applies_to(self, call_kind: str | None) -> bool:
        """False only when the call kind is known and the section's condition excludes it."""
        return self.condition is None or call_kind is None or call_kind in self.condition.call_kinds


class Rubric(_Model):
    """A scoring form. `require_weights_sum`, when set, must equal the sum of section weights
    that apply to each call kind (conditional sections are counted only for their kinds)."""

    id: Slug
    title: LocalizedText
    description: LocalizedText | None = None
    applies_to: list[Slug] = Field(default_factory=list)
    require_weights_sum: Annotated[float, Field(gt=0)] | None = None
    sections: Annotated[list[Section], Field(min_length=1)]

    @model_validator(mode="after")
    def _check_rubric_rules(self) -> Rubric:
        section_ids: dict[str, int] = {}
        question_ids: dict[str, str] = {}
        for s_index, section in enumerate(self.sections):
            if section.id in section_ids:
                raise RubricRuleError("section id '{id}' is used twice", ("sections", s_index, "id"),
                                      id=section.id)
            section_ids[section.id] = s_index
            for q_index, question in enumerate(section.questions):
                if question.id in question_ids:
                    raise RubricRuleError(
                        "question id '{id}' is used twice (first in section '{section}')",
                        ("sections", s_index, "questions", q_index, "id"),
                        id=question.id, section=question_ids[question.id],
                    )
                question_ids[question.id] = section.id
            if section.condition is not None and self.applies_to:
                for kind in section.condition.call_kinds:
                    if kind not in self.applies_to:
                        raise RubricRuleError(
                            "section '{section}' is conditional on call kind '{kind}', "
                            "which is not in applies_to ({applies_to})",
                            ("sections", s_index, "condition", "call_kinds"),
                            section=section.id, kind=kind, applies_to=", ".join(self.applies_to),
                        )
        if self.require_weights_sum is not None:
            self._check_weights(self.require_weights_sum)
        return self

    def _check_weights(self, required: float) -> None:
        kinds: list[str | None] = list(self.applies_to)
        for section in self.sections:
            if section.condition is not None:
                kinds += [k for k in section.condition.call_kinds if k not in kinds]
        if not any(section.condition for section in self.sections):
            kinds = [None]
        for kind in kinds:
            applying = [s for s in self.sections if s.applies_to(kind)]
            total = sum(s.weight for s in applying)
            if abs(total - required) > WEIGHT_TOLERANCE:
                sums = {"total": f"{total:g}", "listing": " + ".join(f"{s.id} {s.weight:g}" for s in applying),
                        "required": f"{required:g}"}
                if kind:
                    raise RubricRuleError(
                        "section weights for call kind '{kind}' add up to {total} ({listing}), "
                        "but require_weights_sum is {required}", ("require_weights_sum",), kind=kind, **sums)
                raise RubricRuleError("section weights add up to {total} ({listing}), but require_weights_sum is "
                                      "{required}", ("require_weights_sum",), **sums)

    def questions(self) -> Iterator[Question]:
        """Every question, in form order."""
        for section in self.sections:
            yield from section.questions

    def question(self, question_id: str) -> Question:
        """The question with this id; KeyError when there is none."""
        for question in self.questions():
            if question.id == question_id:
                return question
        raise KeyError(f"rubric '{self.id}' has no question '{question_id}'")

    def sections_for(self, call_kind: str | None) -> list[Section]:
        """The sections that apply to a call of this kind (all of them when the kind is unknown)."""
        return [section for section in self.sections if section.applies_to(call_kind)]
