"""The built-in rubrics shipped with Kalibra (YAML files in rubrics/builtin/)."""

from __future__ import annotations

from importlib import resources

from rubrics.errors import RubricError, rubric_problem
from rubrics.loading import loads_rubric
from rubrics.schema import Rubric

BUILTIN_IDS = ("inbound_call", "outbound_callback", "written_reply")


def builtin_rubrics() -> list[Rubric]:
    """Fresh copies of every built-in rubric, in a fixed order."""
    return [builtin_rubric(rubric_id) for rubric_id in BUILTIN_IDS]


def builtin_rubric(rubric_id: str) -> Rubric:
    """A fresh copy of one built-in rubric; RubricError when there is no such rubric."""
    if rubric_id not in BUILTIN_IDS:
        raise RubricError(
            f"builtin:{rubric_id}",
            [rubric_problem(None, "no built-in rubric '{id}'; there are {known}", id=rubric_id,
                            known=", ".join(BUILTIN_IDS))],
        )
    resource = resources.files("rubrics.builtin").joinpath(f"{rubric_id}.yaml")
    return loads_rubric(resource.read_text(encoding="utf-8"), source=f"rubrics/builtin/{rubric_id}.yaml")
