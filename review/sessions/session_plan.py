"""Before review sessions are created: what the rule would pick, what falls short, which picks the rubric does
not fit, and a default period that covers where the calls are."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from review.accounts.access import RUN_SESSIONS, require, visible_operators
from review.models import Call, Operator, User
from review.scoring.rubric_store import latest_published, rubric_slug_for_call
from review.sessions.sampling import SamplingResult, SamplingRule, ShortfallNotice, sample_calls

DEFAULT_PERIOD_DAYS = 30


@dataclass(frozen=True)
class Misfit:
    """A picked call whose kind another rubric is made for."""

    call_id: int
    operator_name: str
    started_at: datetime
    call_kind: str | None
    fitting_rubric: str  # the slug of the rubric the call's kind or channel asks for


@dataclass(frozen=True)
class SessionPlan:
    """What `create_sessions` would make of the rule: `sampling.rule` carries the seed that reproduces it."""

    sampling: SamplingResult
    rubric_slug: str
    misfits: list[Misfit]

    @property
    def rule(self) -> SamplingRule:
        return self.sampling.rule

    @property
    def shortfalls(self) -> list[ShortfallNotice]:
        return self.sampling.notices

    @property
    def calls(self) -> int:
        return sum(len(ids) for ids in self.sampling.picks.values())


def plan_sessions(session: Session, actor: User, rule: SamplingRule, *, rubric_slug: str) -> SessionPlan:
    """Sample by `rule` (fixing its seed) and check each pick against `rubric_slug`; stores nothing."""
    require(actor, RUN_SESSIONS)
    latest_published(session, rubric_slug)  # a rubric that cannot be used is said now, not after sampling
    result = sample_calls(session, actor, rule)
    picked = [call_id for ids in result.picks.values() for call_id in ids]
    names = dict(session.execute(select(Operator.id, Operator.name).where(Operator.id.in_(result.picks))).all())
    misfits = []
    for call in session.scalars(select(Call).where(Call.id.in_(picked)).order_by(Call.started_at, Call.id)):
        fitting = rubric_slug_for_call(session, call, rubric_slug)
        if fitting != rubric_slug:
            misfits.append(Misfit(call.id, names.get(call.operator_id, ""), call.started_at, call.call_kind, fitting))
    return SessionPlan(result, rubric_slug, misfits)


def default_period(session: Session, actor: User, today: date) -> tuple[date, date]:
    """The period a new sampling rule starts with: the 30 days that end with the newest call the actor may see
    (up to today), so it covers where the calls are even when the last import is weeks old; today's 30 days
    when there is no call."""
    visible = Call.operator_id.in_(select(Operator.id).where(visible_operators(actor)))
    newest = session.scalar(select(func.max(Call.started_at)).where(
        visible, Call.started_at < datetime.combine(today + timedelta(days=1), time.min)))
    end = newest.date() if newest is not None else today
    return end - timedelta(days=DEFAULT_PERIOD_DAYS - 1), end
