"""Operators are created on first sight (import, metadata edits) under one rule."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.models import Operator


def operator_named(session: Session, name: str) -> Operator:
    """The operator with exactly this name, created when new (callers trim what users typed)."""
    operator = session.scalar(select(Operator).where(Operator.name == name))
    if operator is None:
        operator = Operator(name=name)
        session.add(operator)
        session.flush()
    return operator
