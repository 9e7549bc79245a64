"""Rubrics: schema, YAML loading and validation, the scoring engine and the built-in rubrics.

Pure Python: no database, no Qt.
"""

from rubrics.errors import AnswerError, Phrase, RubricError, RubricProblem
from rubrics.library import builtin_rubric, builtin_rubrics
from rubrics.loading import dump_rubric, load_rubric, loads_rubric, rubric_from_data
from rubrics.schema import (
    ChoiceOption,
    LocalizedText,
    Question,
    Rubric,
    ScaleLevel,
    Section,
    SectionCondition,
)
from rubrics.scoring import Answer, ScoreContext, ScoreResult, SectionScore, earned_points, score

__all__ = [
    "Answer", "AnswerError", "ChoiceOption", "LocalizedText", "Phrase", "Question", "Rubric", "RubricError",
    "RubricProblem", "ScaleLevel", "ScoreContext", "ScoreResult", "Section", "SectionCondition",
    "SectionScore", "builtin_rubric", "builtin_rubrics", "dump_rubric", "earned_points", "load_rubric",
    "loads_rubric", "rubric_from_data", "score",
]
