"""Errors raised by the rubrics package, worded for a supervisor to act on."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RubricProblem:
    """One problem found in a rubric file; `line` is 1-based, None when no line applies."""

    line: int | None
    message: str


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

    def _describe(self, problem: RubricProblem) -> str:
        where = f"{self.source}, line {problem.line}" if problem.line is not None else self.source
        return f"{where}: {problem.message}"


class AnswerError(ValueError):
    """An answer that does not fit its question (wrong type, unknown level or option, N/A not allowed)."""

    def __init__(self, question_id: str, message: str):
        self.question_id = question_id
        super().__init__(f"question '{question_id}': {message}")
