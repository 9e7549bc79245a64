"""Review sessions per operator: sampled calls scored blind by supervisor and operator, then discussed.

A session's stage is derived from its evaluations, never set by hand, except `closed`:
to_score_supervisor -> to_self_score -> ready_to_discuss -> closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from review.accounts.access import (
    REVIEW_CALLS,
    RUN_SESSIONS,
    SELF_REVIEW,
    require,
    require_operator_id_visible,
    visible_sessions,
)
from review.audit.trail import record
from review.errors import AccessDenied, ConflictError, NotFound, ValidationError
from review.scoring.evaluations import DraftPlan, plan_evaluation, start_evaluation
from review.models import (
    Call,
    Evaluation,
    Operator,
    ReviewSession,
    SessionCall,
    SessionNote,
    User,
    utcnow,
)
from review.scoring.rubric_store import latest_published
from review.sessions.sampling import SamplingResult, SamplingRule, ShortfallNotice, replacement_call, sample_calls

STAGES = ("to_score_supervisor", "to_self_score", "ready_to_discuss", "closed")
NOTE_KINDS = ("strength", "growth")


@dataclass(frozen=True)
class CreatedSessions:
    session_ids: dict[int, int]  # operator id -> review session id
    sampling: SamplingResult

    @property
    def notices(self) -> list[ShortfallNotice]:
        return self.sampling.notices


@dataclass(frozen=True)
class SessionCard:
    """One session on the status board."""

    id: int
    operator_id: int
    operator_name: str
    supervisor_name: str
    stage: str
    calls: int
    supervisor_done: int
    self_done: int
    created_at: datetime
    acknowledged_at: datetime | None
    period: str


def get_review_session(session: Session, actor: User, review_session_id: int) -> ReviewSession:
    found = session.get(ReviewSession, review_session_id)
    if found is None:
        raise NotFound("Review session #{id} does not exist.", id=review_session_id)
    require_operator_id_visible(session, actor, found.operator_id)
    return found


def create_sessions(session: Session, actor: User, rule: SamplingRule, *, rubric_slug: str) -> CreatedSessions:
    """One session per operator with the calls `rule` picks; operators with no matching call get none
    (their notice says so). The rule, with its seed, is stored with each session."""
    require(actor, RUN_SESSIONS)
    version = latest_published(session, rubric_slug)
    result = sample_calls(session, actor, rule)
    created: dict[int, int] = {}
    for operator_id, call_ids in result.picks.items():
        if not call_ids:
            continue
        review_session = ReviewSession(operator_id=operator_id, supervisor_id=actor.id, rubric_version_id=version.id,
                                       status="to_score", sampling_rule=result.rule.to_dict(), seed=result.rule.seed,
                                       period_start=rule.period_start, period_end=rule.period_end)
        session.add(review_session)
        session.flush()
        session.add_all(SessionCall(session_id=review_session.id, call_id=call_id) for call_id in call_ids)
        session.flush()
        record(session, actor, "create", review_session,
               new={"operator": operator_id, "calls": call_ids, "seed": result.rule.seed, "rubric": rubric_slug})
        created[operator_id] = review_session.id
    return CreatedSessions(created, result)


def active_call_ids(session: Session, review_session_id: int) -> list[int]:
    rows = session.execute(select(SessionCall.call_id).join(Call, Call.id == SessionCall.call_id)
                           .where(SessionCall.session_id == review_session_id, SessionCall.active.is_(True))
                           .order_by(Call.started_at, Call.id))
    return [row.call_id for row in rows]


def session_calls(session: Session, actor: User, review_session_id: int) -> list[SessionCall]:
    """Every pick of the session, swapped-out ones included (with their reason)."""
    get_review_session(session, actor, review_session_id)
    return list(session.scalars(select(SessionCall).where(SessionCall.session_id == review_session_id)
                                .order_by(SessionCall.id)))


def swap_call(session: Session, actor: User, session_call_id: int, reason: str) -> SessionCall:
    """Replace an unusable pick (wrong number, a few seconds long) by another random call under the same
    rule; the old pick stays, inactive, with the reason. Raises ValidationError when no call is left."""
    require(actor, RUN_SESSIONS)
    old = session.get(SessionCall, session_call_id)
    if old is None or not old.active:
        raise NotFound("This call is no longer part of the session.")
    review_session = get_review_session(session, actor, old.session_id)
    if review_session.status == "closed":
        raise ValidationError("The session is closed; its calls cannot change.")
    if not reason.strip():
        raise ValidationError("Say why the call cannot be used (for example: wrong number, 5 seconds long).")
    picks = session.scalars(select(SessionCall).where(SessionCall.session_id == review_session.id)).all()
    taken = {pick.call_id for pick in picks}
    new_call = replacement_call(session, review_session, taken, attempt=len(picks))
    if new_call is None:
        raise ValidationError("No other call of this operator matches the session's sampling rule.")
    replacement = SessionCall(session_id=review_session.id, call_id=new_call)
    session.add(replacement)
    session.flush()
    old.active, old.swap_reason, old.replaced_by_id = False, reason.strip(), replacement.id
    session.flush()
    record(session, actor, "swap", review_session, old={"call": old.call_id}, new={"call": new_call},
           note=reason.strip())
    return replacement


def _done_calls(session: Session, review_session_id: int, kind: str, call_ids: list[int]) -> set[int]:
    return set(session.scalars(select(Evaluation.call_id).where(
        Evaluation.session_id == review_session_id, Evaluation.kind == kind, Evaluation.status == "submitted",
        Evaluation.call_id.in_(call_ids))))


def stage_of(session: Session, review_session: ReviewSession) -> tuple[str, int, int, int]:
    """(stage, number of calls, calls scored by the supervisor, calls self-scored)."""
    call_ids = active_call_ids(session, review_session.id)
    supervisor = len(_done_calls(session, review_session.id, "supervisor", call_ids))
    own = len(_done_calls(session, review_session.id, "self", call_ids))
    return _stage(review_session.status, len(call_ids), supervisor, own), len(call_ids), supervisor, own


def _stage(status: str, calls: int, supervisor: int, own: int) -> str:
    if status == "closed":
        return "closed"
    if supervisor < calls:
        return "to_score_supervisor"
    if own < calls:
        return "to_self_score"
    return "ready_to_discuss"


def status_board(session: Session, actor: User) -> list[SessionCard]:
    """Sessions the actor may see (an operator: their own), newest first, with their stage.

    Three queries however many sessions there are: the sessions, their active calls, their
    submitted evaluations, counted per session.
    """
    visible = select(ReviewSession.id).where(visible_sessions(actor))
    active = (select(SessionCall.session_id, SessionCall.call_id)
              .where(SessionCall.active.is_(True), SessionCall.session_id.in_(visible)).subquery())
    calls = dict(session.execute(select(active.c.session_id, func.count()).group_by(active.c.session_id)).all())
    done: dict[tuple[int, str], int] = {
        (session_id, kind): count for session_id, kind, count in session.execute(
            select(Evaluation.session_id, Evaluation.kind, func.count(func.distinct(Evaluation.call_id)))
            .join(active, and_(active.c.session_id == Evaluation.session_id, active.c.call_id == Evaluation.call_id))
            .where(Evaluation.status == "submitted")
            .group_by(Evaluation.session_id, Evaluation.kind))}
    statement = (select(ReviewSession, Operator.name, User.display_name)
                 .join(Operator, Operator.id == ReviewSession.operator_id)
                 .join(User, User.id == ReviewSession.supervisor_id).order_by(ReviewSession.id.desc())
                 .where(visible_sessions(actor)))
    cards = []
    for review_session, operator_name, supervisor_name in session.execute(statement):
        count = calls.get(review_session.id, 0)
        supervisor_done = done.get((review_session.id, "supervisor"), 0)
        self_done = done.get((review_session.id, "self"), 0)
        stage = _stage(review_session.status, count, supervisor_done, self_done)
        if stage == "ready_to_discuss" and review_session.status == "to_score":
            review_session.status = "ready_to_discuss"  # stored too, so reports can filter on it
        cards.append(SessionCard(review_session.id, review_session.operator_id, operator_name, supervisor_name,
                                 stage, count, supervisor_done, self_done, review_session.created_at,
                                 review_session.acknowledged_at,
                                 f"{review_session.period_start:%d.%m.%Y}–{review_session.period_end:%d.%m.%Y}"))
    session.flush()
    return cards


def plan_session_evaluation(session: Session, actor: User, review_session_id: int,
                            call_id: int) -> Evaluation | DraftPlan:
    """The actor's evaluation of a session call (the operator's self-review or the supervisor's review), or the
    plan of one pinned to the session's rubric; nothing is stored (see `plan_evaluation`)."""
    review_session = get_review_session(session, actor, review_session_id)
    if call_id not in active_call_ids(session, review_session_id):
        raise ValidationError("Call #{call_id} is not part of review session #{session_id}.", call_id=call_id,
                              session_id=review_session_id)
    if review_session.status == "closed":
        raise ValidationError("The session is closed.")
    kind = "self" if actor.role == "operator" else "supervisor"
    require(actor, SELF_REVIEW if kind == "self" else REVIEW_CALLS)
    return plan_evaluation(session, actor, call_id, kind=kind, review_session_id=review_session_id,
                           rubric_version_id=review_session.rubric_version_id)


def open_session_evaluation(session: Session, actor: User, review_session_id: int, call_id: int) -> Evaluation:
    """The actor's evaluation of a session call, stored now if there is none yet."""
    found = plan_session_evaluation(session, actor, review_session_id, call_id)
    return found if isinstance(found, Evaluation) else start_evaluation(session, actor, found)


def session_evaluations(session: Session, review_session_id: int, kind: str) -> dict[int, Evaluation]:
    """Submitted evaluations of the session's active calls by kind: call id -> evaluation."""
    call_ids = active_call_ids(session, review_session_id)
    found = session.scalars(select(Evaluation).where(
        Evaluation.session_id == review_session_id, Evaluation.kind == kind, Evaluation.status == "submitted",
        Evaluation.call_id.in_(call_ids)).order_by(Evaluation.id))
    return {evaluation.call_id: evaluation for evaluation in found}


def add_note(session: Session, actor: User, review_session_id: int, kind: str, text: str,
             question_id: str | None = None) -> SessionNote:
    """A strength or a growth area named at the discussion (tied to a rubric question or free text)."""
    require(actor, RUN_SESSIONS)
    review_session = get_review_session(session, actor, review_session_id)
    if kind not in NOTE_KINDS:
        raise ValidationError("A note is a strength or a growth area, not {kind}.", kind=repr(kind))
    if not text.strip():
        raise ValidationError("Write what the strength or growth area is.")
    note = SessionNote(session_id=review_session.id, kind=kind, question_id=question_id, text=text.strip())
    session.add(note)
    session.flush()
    record(session, actor, "note", note, new={"kind": kind, "question": question_id, "text": note.text})
    return note


def remove_note(session: Session, actor: User, note_id: int) -> None:
    require(actor, RUN_SESSIONS)
    note = session.get(SessionNote, note_id)
    if note is None:
        raise NotFound("Note #{id} does not exist.", id=note_id)
    get_review_session(session, actor, note.session_id)  # the same visibility as the session itself
    record(session, actor, "delete", note, old={"kind": note.kind, "text": note.text})
    session.delete(note)
    session.flush()


def session_notes(session: Session, actor: User, review_session_id: int) -> list[SessionNote]:
    get_review_session(session, actor, review_session_id)
    return list(session.scalars(select(SessionNote).where(SessionNote.session_id == review_session_id)
                                .order_by(SessionNote.id)))


def set_discussion_notes(session: Session, actor: User, review_session_id: int, text: str, *,
                         expected_version: int | None = None) -> int:
    """Save the meeting notes; returns the session's new version. With `expected_version`, a session that
    someone else saved meanwhile raises ConflictError instead of being overwritten."""
    require(actor, RUN_SESSIONS)
    review_session = get_review_session(session, actor, review_session_id)
    if expected_version is not None and review_session.version != expected_version:
        raise ConflictError("The meeting notes were changed by someone else since you opened them.")
    old = review_session.notes
    review_session.notes = text.strip() or None
    session.flush()
    record(session, actor, "discussion", review_session, old={"notes": old}, new={"notes": review_session.notes})
    return review_session.version


def acknowledge(session: Session, actor: User, review_session_id: int) -> datetime:
    """The operator confirms they have seen the results and goals; the time is kept."""
    review_session = get_review_session(session, actor, review_session_id)
    if actor.role != "operator" or actor.operator_id != review_session.operator_id:
        raise AccessDenied("Only the operator the session is about can acknowledge it.")
    stage = stage_of(session, review_session)[0]
    if stage not in ("ready_to_discuss", "closed"):
        raise ValidationError("The session can be acknowledged once both sides have scored every call.")
    if review_session.acknowledged_at is None:
        review_session.acknowledged_at = utcnow()
        session.flush()
        record(session, actor, "acknowledge", review_session, new={"at": review_session.acknowledged_at.isoformat()})
    return review_session.acknowledged_at


def close_session(session: Session, actor: User, review_session_id: int) -> None:
    require(actor, RUN_SESSIONS)
    review_session = get_review_session(session, actor, review_session_id)
    if stage_of(session, review_session)[0] != "ready_to_discuss":
        raise ValidationError("Close a session after both sides have scored every call and it was discussed.")
    review_session.status, review_session.closed_at = "closed", utcnow()
    session.flush()
    record(session, actor, "close", review_session, new={"status": "closed"})
