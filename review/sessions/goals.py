"""Goals an operator works on between sessions, and their progress computed from later evaluations.

A goal measures one of: a rubric question (share of its points, e.g. the pass rate of a yes/no question),
a rubric section (the section's score), or — for a free metric — the overall score. Progress is the
running mean over every submitted supervisor evaluation of the operator's calls since the goal was set.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from review import clock
from review.accounts.access import RUN_SESSIONS, require, require_operator_id_visible, visible_goals
from review.audit.trail import record
from review.errors import NotFound, ValidationError
from review.scoring.evaluations import rubric_for, score_of, stored_answers
from review.models import Call, Evaluation, Goal, RubricRecord, RubricVersion, User, utcnow
from review.sessions.review_sessions import get_review_session
from review.sessions.comparison import answer_ratio

DEFAULT_GOAL_WEEKS = 3
DECISIONS = ("met", "not_met", "extended")
OPEN_STATES = ("open", "extended")


@dataclass(frozen=True)
class ProgressPoint:
    at: datetime
    evaluation_id: int
    call_id: int
    value: float  # this evaluation's measure, 0..100
    running: float  # mean of this and every earlier point, 0..100


@dataclass(frozen=True)
class GoalProgress:
    goal: Goal
    points: list[ProgressPoint] = field(default_factory=list)

    @property
    def current(self) -> float | None:
        return self.points[-1].running if self.points else None

    @property
    def on_target(self) -> bool:
        return self.current is not None and self.current >= self.goal.target


def set_goal(session: Session, actor: User, review_session_id: int, *, metric: str, target: float,
             question_id: str | None = None, section_id: str | None = None, due: date | None = None) -> Goal:
    """A goal for the session's operator; `target` is a percentage; `due` defaults to three weeks from today."""
    require(actor, RUN_SESSIONS)
    review_session = get_review_session(session, actor, review_session_id)
    if not metric.strip():
        raise ValidationError("Describe the goal (for example: pass rate on 'offers an alternative').")
    if not 0 <= target <= 100:
        raise ValidationError("A goal's target is a percentage between 0 and 100.")
    if question_id and section_id:
        raise ValidationError("Tie a goal to a question or to a section, not both.")
    version = session.get(RubricVersion, review_session.rubric_version_id)
    from review.scoring.rubric_store import rubric_of  # the rubric names the question or section the goal measures

    rubric = rubric_of(version)
    if question_id:
        try:
            rubric.question(question_id)
        except KeyError:
            raise ValidationError("Rubric '{rubric}' has no question '{question}'.", rubric=rubric.id,
                                  question=question_id) from None
    if section_id and section_id not in {s.id for s in rubric.sections}:
        raise ValidationError("Rubric '{rubric}' has no section '{section}'.", rubric=rubric.id, section=section_id)
    goal = Goal(session_id=review_session.id, operator_id=review_session.operator_id,
                rubric_slug=version.rubric.slug if (question_id or section_id) else None,
                question_id=question_id or None, section_id=section_id or None, metric=metric.strip(),
                target=float(target), due=due or (clock.today() + timedelta(weeks=DEFAULT_GOAL_WEEKS)),
                status="open", created_at=utcnow())
    session.add(goal)
    session.flush()
    record(session, actor, "create", goal, new={"metric": goal.metric, "target": goal.target,
                                                "question": goal.question_id, "section": goal.section_id,
                                                "due": goal.due.isoformat()})
    return goal


def get_goal(session: Session, actor: User, goal_id: int) -> Goal:
    goal = session.get(Goal, goal_id)
    if goal is None:
        raise NotFound("Goal #{id} does not exist.", id=goal_id)
    require_operator_id_visible(session, actor, goal.operator_id)
    return goal


def _measure(session: Session, goal: Goal, evaluation: Evaluation) -> float | None:
    if goal.question_id:
        rubric = rubric_for(session, evaluation)
        try:
            question = rubric.question(goal.question_id)
        except KeyError:
            return None
        ratio = answer_ratio(question, stored_answers(evaluation).get(goal.question_id))
        return None if ratio is None else ratio * 100
    result = score_of(session, evaluation)
    if goal.section_id:
        section = next((s for s in result.sections if s.id == goal.section_id), None)
        return None if section is None or section.ratio is None else section.ratio * 100
    return result.overall


def goal_progress(session: Session, actor: User, goal_id: int) -> GoalProgress:
    """The goal's trend: one point per later supervisor evaluation of the operator's calls that measures it."""
    goal = get_goal(session, actor, goal_id)
    statement = (select(Evaluation).join(Call, Call.id == Evaluation.call_id)
                 .where(Call.operator_id == goal.operator_id, Evaluation.kind == "supervisor",
                        Evaluation.status == "submitted", Evaluation.submitted_at >= goal.created_at)
                 .order_by(Evaluation.submitted_at, Evaluation.id))
    if goal.rubric_slug:
        statement = (statement.join(RubricVersion, RubricVersion.id == Evaluation.rubric_version_id)
                     .join(RubricRecord, RubricRecord.id == RubricVersion.rubric_id)
                     .where(RubricRecord.slug == goal.rubric_slug))
    points: list[ProgressPoint] = []
    total = 0.0
    for evaluation in session.scalars(statement):
        value = _measure(session, goal, evaluation)
        if value is None:
            continue
        total += value
        points.append(ProgressPoint(evaluation.submitted_at, evaluation.id, evaluation.call_id, value,
                                    total / (len(points) + 1)))
    return GoalProgress(goal, points)


def goals_of_operator(session: Session, actor: User, operator_id: int, *, open_only: bool = False) -> list[Goal]:
    """The operator's goals, oldest first; with `open_only`, those still open or extended (what the next
    session starts with)."""
    require_operator_id_visible(session, actor, operator_id)
    statement = select(Goal).where(Goal.operator_id == operator_id, visible_goals(actor)).order_by(Goal.id)
    if open_only:
        statement = statement.where(Goal.status.in_(OPEN_STATES))
    return list(session.scalars(statement))


def session_goals(session: Session, actor: User, review_session_id: int) -> list[Goal]:
    """The goals set in this session, and the operator's goals from earlier sessions that are still open."""
    review_session = get_review_session(session, actor, review_session_id)
    return [goal for goal in goals_of_operator(session, actor, review_session.operator_id)
            if goal.session_id == review_session_id or goal.status in OPEN_STATES]


def decide_goal(session: Session, actor: User, goal_id: int, decision: str, *, new_due: date | None = None,
                note: str | None = None) -> Goal:
    """Mark a goal met, not met, or extended (to `new_due`, default three more weeks)."""
    require(actor, RUN_SESSIONS)
    goal = get_goal(session, actor, goal_id)
    if decision not in DECISIONS:
        raise ValidationError("A goal is marked met, not met or extended, not {decision}.", decision=repr(decision))
    old = {"status": goal.status, "due": goal.due.isoformat()}
    if decision == "extended":
        goal.due = new_due or (max(goal.due, clock.today()) + timedelta(weeks=DEFAULT_GOAL_WEEKS))
    goal.status, goal.decided_at = decision, utcnow()
    session.flush()
    record(session, actor, "decide", goal, old=old, new={"status": goal.status, "due": goal.due.isoformat()},
           note=note)
    return goal
