"""Correcting a call's metadata (operator, date, direction, kind, outcome, tags) where the import got it wrong."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from review.accounts.access import REVIEW_CALLS, require, require_operator_visible
from review.audit.trail import record
from review.errors import ConflictError, ValidationError
from review.library.calls import get_call
from review.models import DIRECTIONS, Call, Operator, User
from review.accounts.operators import operator_named
from review.library.vocabularies import load_vocabulary

EDITABLE = ("operator", "started_at", "direction", "call_kind", "outcome", "tags")


def _described(call: Call) -> dict:
    return {
        "operator": call.operator.name if call.operator else None,
        "started_at": call.started_at.isoformat(timespec="minutes") if call.started_at else None,
        "direction": call.direction,
        "call_kind": call.call_kind,
        "outcome": call.outcome,
        "tags": list(call.tags or []),
    }


def _check_code(field: str, value: str | None, allowed: tuple[str, ...]) -> str | None:
    if value is None or value == "":
        return None
    if value not in allowed:
        raise ValidationError("{field} '{value}' is not one of: {allowed}.", field=field.replace("_", " ").capitalize(),
                              value=value, allowed=", ".join(a for a in allowed if a))
    return value


def _operator_named(session: Session, name: str | None, actor: User) -> Operator | None:
    name = (name or "").strip()
    operator = operator_named(session, name, actor) if name else None
    require_operator_visible(actor, operator)  # never hand a call to another team's operator
    return operator


def update_call_metadata(session: Session, actor: User, call_id: int, *, expected_version: int | None = None,
                         **changes) -> Call:
    """Apply `changes` (keys from EDITABLE; operator is a name, created when new) and record the old and new
    values in the audit trail. `expected_version` guards against overwriting someone else's edit."""
    require(actor, REVIEW_CALLS)
    call = get_call(session, actor, call_id)
    unknown = sorted(set(changes) - set(EDITABLE))
    if unknown:
        raise ValidationError("These call fields cannot be edited: {fields}.", fields=", ".join(unknown))
    if expected_version is not None and call.version != expected_version:
        raise ConflictError("Someone else changed this call's details meanwhile; reopen the call to see them.")
    old = _described(call)
    if "operator" in changes:
        call.operator = _operator_named(session, changes["operator"], actor)
    if "started_at" in changes:
        value = changes["started_at"]
        if value is not None and not isinstance(value, datetime):
            raise ValidationError("The call's date must be a date and time, not {value}.", value=repr(value))
        call.started_at = value
    if "direction" in changes:
        call.direction = _check_code("direction", changes["direction"], DIRECTIONS)
    if "call_kind" in changes or "outcome" in changes:
        vocabulary = load_vocabulary(session)
    for name in ("call_kind", "outcome"):
        if name in changes:
            # The workspace's list, and the call's own value (a kind met on import and not yet added).
            allowed = (*[t.code for t in vocabulary.of(name)], getattr(call, name) or "")
            setattr(call, name, _check_code(name, changes[name], allowed))
    if "tags" in changes:
        tags = changes["tags"] or []
        if isinstance(tags, str) or not all(isinstance(t, str) for t in tags):
            raise ValidationError("Tags must be a list of words.")
        call.tags = list(dict.fromkeys(t.strip() for t in tags if t.strip()))
    new = _described(call)
    if new == old:
        return call
    session.flush()
    changed = {k for k in new if new[k] != old[k]}
    record(session, actor, "edit_metadata", call, old={k: old[k] for k in changed},
           new={k: new[k] for k in changed})
    return call
