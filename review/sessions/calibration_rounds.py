"""Calibration rounds: a supervisor chooses calls, a rubric and the supervisors taking part; each member scores
every call blind (an evaluation of kind "calibration"); the round's report opens to a member once they have
submitted all their scores, and to everyone once the round is closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.accounts.access import (
    REVIEW_CALLS,
    RUN_SESSIONS,
    VIEW_REPORTS,
    can,
    may_see_operator,
    require,
    visible_calls,
)
from review.audit.trail import record
from review.errors import AccessDenied, NotFound, ValidationError
from review.library.calls import get_call
from review.models import (
    CalibrationCall,
    CalibrationMember,
    CalibrationRound,
    Call,
    Evaluation,
    Operator,
    RubricVersion,
    User,
    utcnow,
)
from review.scoring.evaluations import DraftPlan, plan_evaluation
from review.scoring.rubric_store import latest_published, list_rubrics
from review.sessions.calibration import CalibrationReport, calibration_report

MIN_MEMBERS = 2
CHOICE_CALLS = 300  # the newest calls offered to choose from (the library's selection comes on top)


@dataclass(frozen=True)
class RoundMember:
    user_id: int
    name: str
    submitted: int  # calls of the round this member has submitted a score of


@dataclass(frozen=True)
class RoundCall:
    call_id: int
    started_at: datetime | None
    operator_name: str | None


@dataclass(frozen=True)
class RoundSummary:
    """One round as a screen lists it; `waiting` are the calls the asking user still has to score in it."""

    id: int
    title: str
    rubric_slug: str
    created_by: str
    created_at: datetime
    closed_at: datetime | None
    calls: tuple[RoundCall, ...]
    members: tuple[RoundMember, ...]
    waiting: tuple[int, ...]
    report_open: bool  # whether the asking user may see the others' scores now

    @property
    def complete(self) -> bool:
        return all(member.submitted == len(self.calls) for member in self.members)


def _members(session: Session, round_id: int) -> list[int]:
    return list(session.scalars(select(CalibrationMember.user_id).where(CalibrationMember.round_id == round_id)
                                .order_by(CalibrationMember.id)))


def _call_ids(session: Session, round_id: int) -> list[int]:
    return list(session.scalars(select(CalibrationCall.call_id).where(CalibrationCall.round_id == round_id)
                                .order_by(CalibrationCall.call_id)))


def _submitted(session: Session, call_ids: list[int], member_ids: list[int]) -> set[tuple[int, int]]:
    """(reviewer, call) pairs with a submitted calibration score."""
    return {tuple(row) for row in session.execute(select(Evaluation.reviewer_id, Evaluation.call_id).where(
        Evaluation.kind == "calibration", Evaluation.status == "submitted", Evaluation.call_id.in_(call_ids),
        Evaluation.reviewer_id.in_(member_ids)))}


@dataclass(frozen=True)
class CalibrationChoices:
    """What a new round is made of: calls to choose from (newest first), the supervisors who could take part,
    the published rubrics (slug, title, English title)."""

    calls: tuple[RoundCall, ...]
    supervisors: tuple[tuple[int, str], ...]
    rubrics: tuple[tuple[str, str, str], ...]


def calibration_choices(session: Session, actor: User, *, include: list[int] = ()) -> CalibrationChoices:
    """The newest calls the actor may see (and those in `include`, e.g. the library's selection), the active
    users who score calls, and the published rubrics."""
    require(actor, RUN_SESSIONS)
    base = select(Call.id, Call.started_at, Operator.name).outerjoin(Operator, Operator.id == Call.operator_id) \
        .where(visible_calls(actor))
    newest = list(session.execute(base.order_by(Call.started_at.desc(), Call.id.desc()).limit(CHOICE_CALLS)))
    shown = {row[0] for row in newest}
    extra = [i for i in include if i not in shown]
    if extra:
        newest += list(session.execute(base.where(Call.id.in_(extra))))
    supervisors = tuple((user.id, user.display_name) for user in session.scalars(
        select(User).where(User.active.is_(True), User.role.in_(("supervisor", "admin"))).order_by(User.display_name))
        if can(user, REVIEW_CALLS))
    rubrics = tuple((r.slug, r.title, r.title_en) for r in list_rubrics(session) if r.published_version_id)
    return CalibrationChoices(tuple(RoundCall(i, at, name) for i, at, name in newest), supervisors, rubrics)


def start_calibration(session: Session, actor: User, call_ids: list[int], rubric_slug: str, member_ids: list[int],
                      *, title: str = "") -> int:
    """A new round on the newest published version of `rubric_slug`; returns its id. Every member must be able
    to score every call, and none may have scored one of them for calibration before (each score belongs to
    one round)."""
    require(actor, RUN_SESSIONS)
    call_ids, member_ids = sorted(set(call_ids)), list(dict.fromkeys(member_ids))
    if not call_ids:
        raise ValidationError("Choose at least one call to calibrate on.")
    if len(member_ids) < MIN_MEMBERS:
        raise ValidationError("Choose at least two supervisors: calibration compares how they score.")
    version = latest_published(session, rubric_slug)
    calls = [get_call(session, actor, call_id) for call_id in call_ids]
    members = [session.get(User, user_id) for user_id in member_ids]
    for user_id, member in zip(member_ids, members, strict=True):
        if member is None or not can(member, REVIEW_CALLS):
            raise ValidationError("User #{id} cannot score calls, so cannot take part in a calibration.", id=user_id)
        for call in calls:
            operator = call.operator
            if not may_see_operator(member, call.operator_id, operator.team_id if operator else None):
                raise ValidationError("{name} cannot see call #{call} (another team's), so cannot score it.",
                                      name=member.display_name, call=call.id)
    scored = session.execute(select(User.display_name, Evaluation.call_id).join(User, User.id == Evaluation.reviewer_id)
                             .where(Evaluation.kind == "calibration", Evaluation.call_id.in_(call_ids),
                                    Evaluation.reviewer_id.in_(member_ids))).first()
    if scored is None:
        scored = session.execute(
            select(User.display_name, CalibrationCall.call_id)
            .join(CalibrationMember, CalibrationMember.round_id == CalibrationCall.round_id)
            .join(User, User.id == CalibrationMember.user_id)
            .where(CalibrationCall.call_id.in_(call_ids), CalibrationMember.user_id.in_(member_ids))).first()
    if scored is not None:
        raise ValidationError("{name} already calibrates on call #{call}; choose other calls or supervisors.",
                              name=scored[0], call=scored[1])
    started = utcnow()
    title = title.strip() or f"{started:%d.%m.%Y}"
    calibration = CalibrationRound(title=title[:200], rubric_version_id=version.id, created_by=actor.id,
                                   created_at=started)
    session.add(calibration)
    session.flush()
    session.add_all(CalibrationCall(round_id=calibration.id, call_id=call_id) for call_id in call_ids)
    session.add_all(CalibrationMember(round_id=calibration.id, user_id=user_id) for user_id in member_ids)
    session.flush()
    record(session, actor, "create", calibration,
           new={"calls": call_ids, "members": member_ids, "rubric": rubric_slug, "title": calibration.title})
    return calibration.id


def _get_round(session: Session, actor: User, round_id: int) -> CalibrationRound:
    found = session.get(CalibrationRound, round_id)
    if found is None:
        raise NotFound("Calibration #{id} does not exist.", id=round_id)
    if actor.role != "admin" and actor.id != found.created_by and actor.id not in _members(session, round_id):
        if not (actor.role == "manager" and can(actor, VIEW_REPORTS)):
            raise AccessDenied("Only the supervisors taking part see a calibration.")
    for call_id in _call_ids(session, round_id):
        get_call(session, actor, call_id)  # a manager or admin sees what their rights cover, like everywhere
    return found


def _summary(session: Session, actor: User, calibration: CalibrationRound) -> RoundSummary:
    call_ids, member_ids = _call_ids(session, calibration.id), _members(session, calibration.id)
    done = _submitted(session, call_ids, member_ids)
    names = {user_id: name for user_id, name in session.execute(select(User.id, User.display_name).where(
        User.id.in_([*member_ids, calibration.created_by])))}
    calls = session.execute(select(Call.id, Call.started_at, Operator.name).outerjoin(
        Operator, Operator.id == Call.operator_id).where(Call.id.in_(call_ids)).order_by(Call.started_at, Call.id))
    members = tuple(RoundMember(user_id, names.get(user_id, ""), sum((user_id, c) in done for c in call_ids))
                    for user_id in member_ids)
    waiting = tuple(c for c in call_ids if actor.id in member_ids and calibration.closed_at is None
                    and (actor.id, c) not in done)
    report_open = calibration.closed_at is not None or actor.id not in member_ids or not any(
        (actor.id, c) not in done for c in call_ids)
    slug = session.get(RubricVersion, calibration.rubric_version_id).rubric.slug
    return RoundSummary(calibration.id, calibration.title, slug, names.get(calibration.created_by, ""),
                        calibration.created_at, calibration.closed_at,
                        tuple(RoundCall(i, at, name) for i, at, name in calls), members, waiting, report_open)


def calibration_rounds(session: Session, actor: User) -> list[RoundSummary]:
    """The rounds the actor runs or takes part in (an administrator or manager: every round they may see),
    newest first."""
    if not (can(actor, REVIEW_CALLS) or can(actor, VIEW_REPORTS)):
        return []
    statement = select(CalibrationRound).order_by(CalibrationRound.id.desc())
    if actor.role not in ("admin", "manager"):
        mine = select(CalibrationMember.round_id).where(CalibrationMember.user_id == actor.id)
        statement = statement.where((CalibrationRound.created_by == actor.id) | CalibrationRound.id.in_(mine))
    found = []
    for calibration in session.scalars(statement):
        try:
            found.append(_summary(session, actor, _get_round(session, actor, calibration.id)))
        except (AccessDenied, NotFound):
            continue  # a round on calls of teams the actor does not see
    return found


def plan_calibration_evaluation(session: Session, actor: User, call_id: int) -> Evaluation | DraftPlan | None:
    """The actor's score of the call in an open round they take part in (stored or planned, on the round's
    rubric version), or None when no open round asks them to score this call."""
    round_id = session.scalar(
        select(CalibrationRound.id).join(CalibrationCall, CalibrationCall.round_id == CalibrationRound.id)
        .join(CalibrationMember, CalibrationMember.round_id == CalibrationRound.id)
        .where(CalibrationCall.call_id == call_id, CalibrationMember.user_id == actor.id,
               CalibrationRound.closed_at.is_(None)).limit(1))
    if round_id is None:
        return None
    version_id = session.get(CalibrationRound, round_id).rubric_version_id
    return plan_evaluation(session, actor, call_id, kind="calibration", rubric_version_id=version_id)


def round_report(session: Session, actor: User, round_id: int, *, lang: str) -> CalibrationReport:
    """Agreement and deviations of the round's members. A member who has not submitted every call sees it only
    once the round is closed (scoring stays blind)."""
    require(actor, VIEW_REPORTS if actor.role == "manager" else REVIEW_CALLS)
    calibration = _get_round(session, actor, round_id)
    call_ids, member_ids = _call_ids(session, round_id), _members(session, round_id)
    if calibration.closed_at is None and actor.id in member_ids:
        done = _submitted(session, call_ids, [actor.id])
        if len(done) < len(call_ids):
            raise ValidationError("Submit your own calibration scores of these calls first, so you score blind.")
    return calibration_report(session, actor, call_ids, reviewer_ids=member_ids, lang=lang, blind=False)


def close_round(session: Session, actor: User, round_id: int) -> None:
    """End the round: nothing more is scored in it and every member may read the report."""
    require(actor, RUN_SESSIONS)
    calibration = _get_round(session, actor, round_id)
    if actor.id != calibration.created_by and actor.role != "admin":
        raise AccessDenied("Only the supervisor who started a calibration closes it.")
    if calibration.closed_at is None:
        calibration.closed_at = utcnow()
        session.flush()
        record(session, actor, "close", calibration, new={"closed_at": calibration.closed_at.isoformat()})
