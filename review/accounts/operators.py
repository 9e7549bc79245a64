"""Operators are created on first sight (import, metadata edits) under one rule."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.models import Operator, User


def operator_named(session: Session, name: str, actor: User | None = None) -> Operator:
    """The operator with exactly this name, created when new (callers trim what users typed). A new operator
    joins the team of the supervisor who brought them in, so the supervisor keeps seeing their calls."""
    operator = session.scalar(select(Operator).where(Operator.name == name))
    if operator is None:
        team_id = actor.team_id if actor is not None and actor.role == "supervisor" else None
        operator = Operator(name=name, team_id=team_id)
        session.add(operator)
        session.flush()
    return operator
