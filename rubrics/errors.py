"""Errors raised by the rubrics package, worded for a supervisor to act on."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Phrase:
    """An English `template` with `{name}` placeholders and the `params` that fill them.

    `str()` is the English text; the interface translates the template (context "RubricErrors") before
    filling it in (app.i18n.rubric_problem_text). Write the template as a string literal in the call
    (`Phrase("...")`, `rubric_problem(line, "...")`, `RubricRuleError("...")`) so that
    resources/i18n/translations.py collects it. Without params the template is the text as is.
    """

    template: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def __str__(self) -> str:
        return self.template.format(**self.params) if self.params else self.template


@dataclass(frozen=True)
class RubricProblem:
    """One problem found in a rubric file; `line` is 1-based, None when no line applies.

    `message` is the English text. `phrase` (what is wrong) and `where` (the item it is in, outermost
    first, e.g. "section 'greeting'", "question 'q2'") are its translatable parts: `message` reads
    "where, where: phrase". A problem made from a plain message has no phrase and stays English.
    """

    line: int | None
    message: str
    phrase: Phrase | None = field(default=None, compare=False)
    where: tuple[Phrase, ...] = field(default=(), compare=False)


def rubric_problem(line: int | None, template: str, /, *, where: tuple[Phrase, ...] = (),
                   **params: object) -> RubricProblem:
    """A problem whose message is `template` filled with `params`, after the location `where`."""
    phrase = Phrase(template, params)
    located = ", ".join(str(part) for part in where)
    return RubricProblem(line, f"{located}: {phrase}" if located else str(phrase), phrase, where)


class RubricError(Exception):
    """A rubric file or text that cannot be used; nothing of it was accepted.

    The message names the source, the line and the problem, one problem per line.
    """

    def __init__(self, source: str, problems: list[RubricProblem]):
        if not problems:
            raise ValueError("RubricError needs at least one problem")
        self.source = source
        self.problems = list(problems)
        super().__init__("\n".join(self._describe(p) for p in self.problems))

    @property
    def line(self) -> int | None:
        """The line of the first problem."""
        return self.problems[0].line

    def located(self, problem: RubricProblem) -> Phrase:
        """"source, line N: message" for one problem; `problem` is the placeholder for its message."""
        if problem.line is None:
            return Phrase(_SOURCE_ONLY, {"source": self.source, "problem": problem.message})
        return Phrase("{source}, line {line}: {problem}",
                      {"source": self.source, "line": problem.line, "problem": problem.message})

    def _describe(self, problem: RubricProblem) -> str:
        return str(self.located(problem))


_SOURCE_ONLY = "{source}: {problem}"  # nothing to translate


class AnswerError(ValueError):
    """An answer that does not fit its question (wrong type, unknown level or option, N/A not allowed)."""

    def __init__(self, question_id: str, message: str):
        self.question_id = question_id
        super().__init__(f"question '{question_id}': {message}")


class RubricRuleError(ValueError):
    """A rule broken inside a rubric; `path` leads from the validated model to the field at fault.

    `template` is an English sentence with `{name}` placeholders that `params` fill (see rubrics.errors.Phrase):
    `str()` is the English text, the interface translates the template. Write it as a string literal here.
    """

    def __init__(self, template: str, path: tuple[str | int, ...] = (), /, **params: object):
        self.template = template
        self.params = params
        self.path = path
        super().__init__(template.format(**params) if params else template)
