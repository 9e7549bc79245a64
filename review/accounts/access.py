"""Who may do what: every service asks here, so the rules live in one place.

Roles: an administrator manages users, rubrics and settings and sees everything; a supervisor reviews the
operators of their team (every operator when they have no team, as in a small clinic without teams); an
operator sees only their own calls, evaluations, sessions and goals; a manager reads reports and exports
across teams and changes nothing.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from review.errors import AccessDenied
from review.models import Call, Evaluation, Goal, Operator, ReviewSession, User

MANAGE_USERS = "manage_users"
MANAGE_RUBRICS = "manage_rubrics"
MANAGE_SETTINGS = "manage_settings"
VIEW_AUDIT = "view_audit"
IMPORT_CALLS = "import_calls"
REVIEW_CALLS = "review_calls"
SELF_REVIEW = "self_review"
RUN_SESSIONS = "run_sessions"
VIEW_REPORTS = "view_reports"
EXPORT_DATA = "export_data"
TRANSCRIBE = "transcribe"

PERMISSIONS: dict[str, frozenset[str]] = {
    "admin": frozenset({MANAGE_USERS, MANAGE_RUBRICS, MANAGE_SETTINGS, VIEW_AUDIT, IMPORT_CALLS, REVIEW_CALLS,
                        RUN_SESSIONS, VIEW_REPORTS, EXPORT_DATA, TRANSCRIBE}),
    "supervisor": frozenset({IMPORT_CALLS, REVIEW_CALLS, RUN_SESSIONS, VIEW_REPORTS, EXPORT_DATA, TRANSCRIBE,
                             MANAGE_RUBRICS}),
    "operator": frozenset({SELF_REVIEW}),
    "manager": frozenset({VIEW_REPORTS, EXPORT_DATA}),
}


def can(actor: User, permission: str) -> bool:
    return bool(actor.active) and permission in PERMISSIONS.get(actor.role, frozenset())


def require(actor: User, permission: str) -> None:
    if not can(actor, permission):
        raise AccessDenied("{name} ({role}) may not do this: {permission}.", name=actor.display_name,
                           role=actor.role, permission=permission.replace("_", " "))


def _team_scoped(actor: User) -> bool:
    """A supervisor with a team sees that team only; without one, every operator."""
    return actor.role == "supervisor" and actor.team_id is not None


def visible_operators(actor: User) -> ColumnElement[bool]:
    """A WHERE clause on `Operator` limiting operators to those the actor may see."""
    if not actor.active:
        return false()
    if actor.role == "operator":
        return Operator.id == actor.operator_id if actor.operator_id is not None else false()
    if _team_scoped(actor):
        return Operator.team_id == actor.team_id
    return true()


def _visible_operator_ids(actor: User):
    return select(Operator.id).where(visible_operators(actor)).scalar_subquery()


def visible_calls(actor: User) -> ColumnElement[bool]:
    """A WHERE clause limiting calls to those the actor may see (supervisors also see unassigned calls)."""
    if not actor.active:
        return false()
    if actor.role == "operator":
        return Call.operator_id == actor.operator_id if actor.operator_id is not None else false()
    if _team_scoped(actor):
        return or_(Call.operator_id.is_(None), Call.operator_id.in_(select(Operator.id)
                                                                    .where(Operator.team_id == actor.team_id)))
    return true()


def visible_evaluations(actor: User) -> ColumnElement[bool]:
    """A WHERE clause on `Evaluation`: evaluations of calls the actor may see."""
    if not actor.active:
        return false()
    if actor.role in ("admin", "manager") or (actor.role == "supervisor" and actor.team_id is None):
        return true()
    return Evaluation.call_id.in_(select(Call.id).where(visible_calls(actor)))


def visible_sessions(actor: User) -> ColumnElement[bool]:
    if not actor.active:
        return false()
    if actor.role == "operator":
        return ReviewSession.operator_id == actor.operator_id if actor.operator_id is not None else false()
    if _team_scoped(actor):
        return ReviewSession.operator_id.in_(_visible_operator_ids(actor))
    return true()


def visible_goals(actor: User) -> ColumnElement[bool]:
    if not actor.active:
        return false()
    if actor.role == "operator":
        return Goal.operator_id == actor.operator_id if actor.operator_id is not None else false()
    if _team_scoped(actor):
        return Goal.operator_id.in_(_visible_operator_ids(actor))
    return true()


def may_see_operator(actor: User, operator_id: int | None, operator_team_id: int | None) -> bool:
    if not actor.active:
        return False
    if actor.role == "operator":
        return operator_id is not None and operator_id == actor.operator_id
    if _team_scoped(actor) and operator_id is not None:
        return operator_team_id == actor.team_id
    return True


def require_operator_visible(actor: User, operator: Operator | None) -> None:
    operator_id = operator.id if operator is not None else None
    team_id = operator.team_id if operator is not None else None
    if not may_see_operator(actor, operator_id, team_id):
        if actor.role == "operator":
            raise AccessDenied("Operators see only their own calls, evaluations, sessions and goals.")
        raise AccessDenied("{name} ({role}) does not supervise this operator's team.", name=actor.display_name,
                           role=actor.role)


def require_call_visible(actor: User, call: Call) -> None:
    require_operator_visible(actor, call.operator if call.operator_id is not None else None)


def require_operator_id_visible(session, actor: User, operator_id: int | None) -> None:
    """The same check when only the operator's id is at hand (sessions, goals)."""
    operator = session.get(Operator, operator_id) if operator_id is not None else None
    require_operator_visible(actor, operator)
