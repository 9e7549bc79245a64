"""Who may do what: every service asks here, so the rules live in one place."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, true

from review.errors import AccessDenied
from review.models import Call, User

MANAGE_USERS = "manage_users"
MANAGE_RUBRICS = "manage_rubrics"
IMPORT_CALLS = "import_calls"
REVIEW_CALLS = "review_calls"
SELF_REVIEW = "self_review"
RUN_SESSIONS = "run_sessions"
VIEW_REPORTS = "view_reports"
TRANSCRIBE = "transcribe"

PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({MANAGE_USERS, MANAGE_RUBRICS, IMPORT_CALLS, REVIEW_CALLS, RUN_SESSIONS, VIEW_REPORTS, TRANSCRIBE}),
    "supervisor": frozenset({IMPORT_CALLS, REVIEW_CALLS, RUN_SESSIONS, VIEW_REPORTS, TRANSCRIBE, MANAGE_RUBRICS}),
    "operator": frozenset({SELF_REVIEW}),
    "manager": frozenset({VIEW_REPORTS}),
}


def can(actor: User, permission: str) -> bool:
    return actor.active and permission in PERMISSIONS.get(actor.role, frozenset())


def require(actor: User, permission: str) -> None:
    if not can(actor, permission):
        raise AccessDenied(f"{actor.display_name} ({actor.role}) may not do this: {permission.replace('_', ' ')}.")


def visible_calls(actor: User) -> ColumnElement[bool]:
    """A WHERE clause limiting calls to those the actor may see."""
    if not actor.active:
        return false()
    if actor.role == "operator":
        return Call.operator_id == actor.operator_id if actor.operator_id is not None else false()
    return true()


def require_call_visible(actor: User, call: Call) -> None:
    if actor.role == "operator" and call.operator_id != actor.operator_id:
        raise AccessDenied("Operators see only their own calls.")
