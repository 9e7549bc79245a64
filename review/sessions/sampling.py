"""Random call sampling per operator: N calls (or a share with a minimum) spread evenly over a period.

The picks are a pure function of the database rows and the rule (which carries its seed), so anyone can
re-run a stored rule and get the same calls. Each operator draws from an own random stream, so adding an
operator to the rule does not change the others' picks.
"""

from __future__ import annotations

import math
import random
import secrets
from collections import defaultdict
from dataclasses import asdict, dataclass, field, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import Date, Integer, String, cast, func, select
from sqlalchemy.orm import Session

from review.accounts.access import RUN_SESSIONS, require, visible_operators
from review.errors import ValidationError
from review.models import Call, Evaluation, Operator, ReviewSession, SessionCall, User

STRATA = ("week", "day")


@dataclass(frozen=True)
class SamplingRule:
    """How calls are chosen. `per_operator` calls each, or `percent` of the matching calls with `minimum`.

    The period is inclusive (whole days). Filters left as None do not restrict."""

    operator_ids: tuple[int, ...]
    period_start: date
    period_end: date
    per_operator: int | None = 5
    percent: float | None = None
    minimum: int = 1
    min_duration_s: float | None = None
    max_duration_s: float | None = None
    direction: str | None = None
    call_kind: str | None = None
    channel_kind: str | None = None
    outcome: str | None = None
    only_transcribed: bool = False
    exclude_reviewed: bool = True
    stratify: str = "week"
    seed: int | None = None

    def __post_init__(self) -> None:
        if not self.operator_ids:
            raise ValidationError("Choose at least one operator to sample calls for.")
        if self.period_end < self.period_start:
            raise ValidationError("The sampling period ends before it starts.")
        if (self.per_operator is None) == (self.percent is None):
            raise ValidationError("Give either a number of calls per operator or a percentage, not both.")
        if self.per_operator is not None and self.per_operator < 1:
            raise ValidationError("Sample at least one call per operator.")
        if self.percent is not None and not 0 < self.percent <= 100:
            raise ValidationError("The percentage of calls must be between 0 and 100.")
        if self.minimum < 0:
            raise ValidationError("The minimum number of calls cannot be negative.")
        if self.stratify not in STRATA:
            raise ValidationError("Spread picks by week or by day, not {stratify}.", stratify=repr(self.stratify))
        if (self.min_duration_s is not None and self.max_duration_s is not None
                and self.max_duration_s < self.min_duration_s):
            raise ValidationError("The longest call duration is shorter than the shortest.")

    def with_seed(self) -> SamplingRule:
        """This rule with a recorded seed (a fresh random one when none was given)."""
        return self if self.seed is not None else replace(self, seed=secrets.randbits(48))

    def to_dict(self) -> dict:
        data = asdict(self)
        data["operator_ids"] = list(self.operator_ids)
        data["period_start"], data["period_end"] = self.period_start.isoformat(), self.period_end.isoformat()
        return data

    @classmethod
    def from_dict(cls, data: dict) -> SamplingRule:
        values = dict(data)
        values["operator_ids"] = tuple(values["operator_ids"])
        values["period_start"] = date.fromisoformat(values["period_start"])
        values["period_end"] = date.fromisoformat(values["period_end"])
        return cls(**values)


@dataclass(frozen=True)
class ShortfallNotice:
    """Fewer calls matched the rule than were asked for: all of them were taken."""

    operator_id: int
    operator_name: str
    wanted: int
    available: int

    @property
    def text(self) -> str:
        return (f"{self.operator_name}: only {self.available} call(s) match the rule, "
                f"{self.wanted} were asked for; all {self.available} taken.")


@dataclass(frozen=True)
class SamplingResult:
    rule: SamplingRule  # always with its seed
    picks: dict[int, list[int]] = field(default_factory=dict)  # operator id -> call ids, week by week
    notices: list[ShortfallNotice] = field(default_factory=list)


def _period_bounds(rule: SamplingRule) -> tuple[datetime, datetime]:
    return datetime.combine(rule.period_start, time.min), datetime.combine(rule.period_end + timedelta(days=1), time.min)


def _stratum_of_call(dialect: str, rule: SamplingRule):
    """The call's stratum (week or day number within the period), computed by the database."""
    width = 7 if rule.stratify == "week" else 1
    if dialect == "sqlite":
        days = func.julianday(Call.started_at) - func.julianday(rule.period_start.isoformat())
        return cast(days / width, Integer)
    return (cast(Call.started_at, Date) - rule.period_start) // width


def _unindexed(column):
    """The column hidden from SQLite's planner (`+ 0`, `|| ''`): when most of the table matches, one
    sequential scan is twice as fast as 100,000 lookups through an index."""
    return column + 0 if column.type.python_type in (int, float) else column.op("||", return_type=column.type)("")


def _filters(rule: SamplingRule, operator_ids: tuple[int, ...], *, scan: bool = False) -> list:
    start, end = _period_bounds(rule)
    col = _unindexed if scan else (lambda column: column)
    conditions = [col(Call.operator_id).in_(operator_ids), col(Call.started_at) >= start, col(Call.started_at) < end]
    if rule.min_duration_s is not None:
        conditions.append(col(Call.duration_s) >= rule.min_duration_s)
    if rule.max_duration_s is not None:
        conditions.append(col(Call.duration_s) <= rule.max_duration_s)
    for column, value in ((Call.direction, rule.direction), (Call.call_kind, rule.call_kind),
                          (Call.channel_kind, rule.channel_kind), (Call.outcome, rule.outcome)):
        if value:
            conditions.append(col(column) == value)
    if rule.only_transcribed:
        conditions.append(col(Call.transcription_status) == "done")
    if rule.exclude_reviewed:
        # Reviewed: a supervisor already scored it, or it is an active pick of a review session.
        conditions.append(Call.id.not_in(select(Evaluation.call_id).where(Evaluation.kind == "supervisor")))
        conditions.append(Call.id.not_in(select(SessionCall.call_id).where(SessionCall.active.is_(True))))
    return conditions


def candidate_query(rule: SamplingRule, operator_ids: tuple[int, ...] | None = None):
    """SELECT id, operator id, start time of every call the rule allows: the plain query (for swaps and as
    the benchmark's baseline)."""
    return (select(Call.id, Call.operator_id, Call.started_at).where(*_filters(rule, operator_ids or rule.operator_ids))
            .order_by(Call.operator_id, Call.started_at, Call.id))


def strata_query(rule: SamplingRule, dialect: str, *, scan: bool = False):
    """One row per operator and stratum with the ids of its calls joined by commas: the database does the
    grouping, so Python never handles 100,000 rows one by one."""
    stratum = _stratum_of_call(dialect, rule).label("stratum")
    ids = (func.group_concat(Call.id) if dialect == "sqlite"
           else func.string_agg(cast(Call.id, String), ","))
    operator = (_unindexed(Call.operator_id) if scan else Call.operator_id).label("operator")
    return (select(operator, stratum, ids).where(*_filters(rule, rule.operator_ids, scan=scan))
            .group_by(operator, stratum))


def _most_of_the_table(session: Session, rule: SamplingRule) -> bool:
    """Whether the rule's operators and period likely cover most calls (then a table scan beats the index)."""
    operators = session.scalar(select(func.count(Operator.id))) or 1
    # Two queries: SQLite answers a lone min() or max() from the index, both together by a scan.
    first = session.scalar(select(func.min(Call.started_at)))
    last = session.scalar(select(func.max(Call.started_at)))
    if first is None:
        return False
    start, end = _period_bounds(rule)
    span = max((last - first).total_seconds(), 1.0)
    overlap = max((min(end, last) - max(start, first)).total_seconds(), 0.0)
    return (len(rule.operator_ids) / operators) * (overlap / span) > 0.25


def wanted_count(rule: SamplingRule, available: int) -> int:
    if rule.per_operator is not None:
        return rule.per_operator
    return max(rule.minimum, math.ceil(rule.percent / 100 * available))


def spread_pick(strata: dict[int, list[int]], wanted: int, rng: random.Random) -> list[int]:
    """Pick `wanted` ids from strata (stratum -> ids) as evenly as the strata allow: every stratum with calls
    gets floor or ceil of wanted/strata, and a stratum short of calls passes its share to the others."""
    quota = {key: 0 for key in strata}
    remaining = min(wanted, sum(len(ids) for ids in strata.values()))
    while remaining:
        open_strata = [key for key in sorted(strata) if quota[key] < len(strata[key])]
        if remaining >= len(open_strata):
            chosen = open_strata
        else:
            # Which strata get the one extra call is random too, so early weeks are not favoured.
            chosen = rng.sample(open_strata, remaining)
        for key in chosen:
            quota[key] += 1
        remaining -= len(chosen)
    picked: list[int] = []
    for key in sorted(strata):
        if quota[key]:
            picked.extend(sorted(rng.sample(strata[key], quota[key])))
    return picked


def operator_rng(seed: int, operator_id: int, salt: str = "") -> random.Random:
    # A string seed is hashed with SHA-512 by `random`, so it is the same on every run and platform.
    return random.Random(f"kalibra:{seed}:{operator_id}:{salt}")


def sample_strata(rule: SamplingRule, rows, names: dict[int, str]) -> SamplingResult:
    """The sampling itself over (operator id, stratum, "id,id,...") rows; picks are listed by stratum, then id."""
    rule = rule.with_seed()
    by_operator: dict[int, dict[int, list[int]]] = defaultdict(dict)
    for operator_id, stratum, joined in rows:
        # Sorted ids make the picks independent of the order the database happened to aggregate in.
        by_operator[operator_id][int(stratum)] = sorted(map(int, joined.split(",")))
    result = SamplingResult(rule)
    for operator_id in rule.operator_ids:
        strata = by_operator.get(operator_id, {})
        available = sum(len(ids) for ids in strata.values())
        wanted = wanted_count(rule, available)
        if available < wanted:
            result.notices.append(ShortfallNotice(operator_id, names.get(operator_id, f"#{operator_id}"),
                                                  wanted, available))
        result.picks[operator_id] = spread_pick(strata, wanted, operator_rng(rule.seed, operator_id))
    return result


def sample_calls(session: Session, actor: User, rule: SamplingRule) -> SamplingResult:
    """Pick calls per operator by `rule`; the result's rule carries the seed that reproduces the picks."""
    require(actor, RUN_SESSIONS)
    names = dict(session.execute(select(Operator.id, Operator.name)
                                 .where(Operator.id.in_(rule.operator_ids), visible_operators(actor))).all())
    missing = set(rule.operator_ids) - set(names)
    if missing:
        raise ValidationError("Operators not in this workspace or not in your team: {ids}.",
                              ids=", ".join(f"#{i}" for i in sorted(missing)))
    dialect = session.get_bind().dialect.name
    scan = dialect == "sqlite" and _most_of_the_table(session, rule)
    rows = session.execute(strata_query(rule, dialect, scan=scan))
    return sample_strata(rule, rows, names)


def replacement_call(session: Session, review_session: ReviewSession, taken: set[int], attempt: int) -> int | None:
    """Another random call for the session's operator under the session's rule, not among `taken`;
    None when none is left. Reproducible: the n-th swap of a session draws the same call."""
    rule = replace(SamplingRule.from_dict(review_session.sampling_rule), seed=review_session.seed)
    rows = session.execute(candidate_query(rule, (review_session.operator_id,))).all()
    spare = [row.id for row in rows if row.id not in taken]
    if not spare:
        return None
    return operator_rng(review_session.seed, review_session.operator_id, f"swap{attempt}").choice(spare)
