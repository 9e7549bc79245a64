"""Reports over evaluations and review sessions: growth areas, operator scorecards, weekly trends.

Definitions (tests/review/test_reports.py checks them against an example computed by hand):
- Evaluations counted: submitted supervisor evaluations of the in-scope operators' calls, dated by the call's
  start (by the submission time when a call has no start time). Self and calibration evaluations are left out.
- Pass rate of a question: evaluations that earned the question's full points / evaluations that answered it
  (N/A, notes and unanswered questions left out), as a percentage.
- A review session belongs to the period in which it was created; "named as a growth area" counts sessions,
  so a question named twice in one session counts once.
- The previous period is the same number of days right before the chosen one.
- Weeks start on Monday and are labelled by their Monday, even when the period starts mid-week.
- Scorecard averages skip evaluations without a score; open goals are goals still open or extended now that
  were set before the period ended.

Managers, administrators and supervisors need the reports permission (a supervisor with a team sees that
team); an operator may see reports about themselves only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from statistics import mean, median

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from review.accounts.access import VIEW_REPORTS, require, require_operator_visible, visible_operators
from review.errors import AccessDenied, NotFound, ValidationError
from review.models import WRITTEN_CHANNEL_KINDS, Call, Goal, Operator, Team, User
from review.reporting.report_data import (
    EvaluatedCall,
    NamedNote,
    ReportScope,
    RubricTitles,
    channel_condition,
    monday,
    named_notes,
    pass_rates,
    question_outcomes,
    sessions_count,
    supervisor_evaluations,
)
from review.transcripts.personal_data import mask_text

__all__ = ["GrowthAreaRow", "GrowthAreaSummary", "OperatorScorecard", "QuestionTrendPoint", "ReportChoices",
           "ReportScope", "TrendPoint", "growth_area_summary", "operator_scorecards", "question_trend",
           "report_choices", "scope_caption", "score_trend"]

OPEN_GOAL_STATES = ("open", "extended")
TREND_GROUPINGS = ("operator", "team")
_WORDS = {"free_text": ("Свободные заметки", "Free-text notes"), "free_section": ("Свободный текст", "Free text"),
          "no_team": ("Без команды", "No team")}


def _word(key: str, lang: str) -> str:
    ru, en = _WORDS[key]
    return en if lang == "en" else ru


@dataclass(frozen=True)
class GrowthAreaRow:
    rubric_slug: str | None  # None for free-text notes
    question_id: str | None
    section: str
    question: str
    growth_sessions: int
    strength_sessions: int
    answered: int  # evaluations that answered the question (not N/A)
    pass_rate: float | None  # percent
    previous_growth_sessions: int
    previous_pass_rate: float | None
    rubric: str = ""  # the rubric's title, for people; rubric_slug is for code

    @property
    def growth_change(self) -> int:
        return self.growth_sessions - self.previous_growth_sessions

    @property
    def pass_rate_change(self) -> float | None:
        """Percentage points since the previous period."""
        if self.pass_rate is None or self.previous_pass_rate is None:
            return None
        return self.pass_rate - self.previous_pass_rate


@dataclass(frozen=True)
class GrowthAreaSummary:
    scope: ReportScope
    previous: ReportScope
    sessions: int
    evaluations: int
    rows: list[GrowthAreaRow] = field(default_factory=list)


@dataclass(frozen=True)
class OperatorScorecard:
    operator_id: int
    operator: str
    team: str | None
    evaluations: int
    average_score: float | None
    average_critical: float | None
    fatal: int
    thanked_calls: int
    open_goals: int
    # Chats and e-mails of the period (review.written): the median first response and the longest wait, in
    # working-time seconds; None without any answered one.
    median_first_response_s: float | None = None
    longest_wait_s: float | None = None


@dataclass(frozen=True)
class TrendPoint:
    group_id: int | None  # operator or team id (None: operators without a team)
    group: str
    week: date  # Monday
    evaluations: int
    average_score: float


@dataclass(frozen=True)
class QuestionTrendPoint:
    rubric_slug: str
    question_id: str
    question: str
    week: date
    answered: int
    pass_rate: float


@dataclass(frozen=True)
class ReportChoices:
    """What the actor may filter by: (id, name) of teams and (id, name, team id) of operators."""

    teams: list[tuple[int, str]]
    operators: list[tuple[int, str, int | None]]


# -- access ----------------------------------------------------------------------------------------------------
def _check_access(session: Session, actor: User, scope: ReportScope | None = None) -> None:
    """Reports need the reports permission. Operators do not have it: reports aggregate supervisors' scores,
    which an operator may see only call by call after submitting their own self-review (blind scoring)."""
    require(actor, VIEW_REPORTS)
    if scope is None:
        return
    if scope.operator_id is not None:
        operator = session.get(Operator, scope.operator_id)
        if operator is None:
            raise NotFound("Operator #{id} does not exist.", id=scope.operator_id)
        require_operator_visible(actor, operator)
    if scope.team_id is not None and actor.role == "supervisor" and actor.team_id not in (None, scope.team_id):
        raise AccessDenied("{name} (supervisor) sees reports for their own team only.", name=actor.display_name)


def _operators_in_scope(actor: User, scope: ReportScope) -> Select:
    statement = select(Operator.id).where(visible_operators(actor))
    if scope.team_id is not None:
        statement = statement.where(Operator.team_id == scope.team_id)
    if scope.operator_id is not None:
        statement = statement.where(Operator.id == scope.operator_id)
    return statement


# -- reports ---------------------------------------------------------------------------------------------------
def _count_named(notes: list[NamedNote], rubrics: RubricTitles, free_text: bool,
                 free_titles: dict[tuple, str]) -> dict[tuple, dict[str, set[int]]]:
    """(rubric slug, question id) -> {"growth": session ids, "strength": session ids}; free text under
    (None, None), or under (None, its masked text) when `free_text` is asked for."""
    counts: dict[tuple, dict[str, set[int]]] = defaultdict(lambda: {"growth": set(), "strength": set()})
    for note in notes:
        if note.question_id:
            key = (note.slug, note.question_id)
            rubrics.of(note.version_id)  # so the question's title is known even if no evaluation answered it
        elif free_text:
            shown = mask_text(" ".join(note.text.split()))
            key = (None, shown.casefold())
            free_titles.setdefault(key, shown)
        else:
            key = (None, None)
        counts[key][note.kind].add(note.session_id)
    return counts


def growth_area_summary(session: Session, actor: User, scope: ReportScope, *, lang: str = "ru",
                        free_text: bool = False) -> GrowthAreaSummary:
    """Per rubric question: sessions that named it a growth area or a strength, its pass rate, and both compared
    with the previous period; the most-named growth areas first (then the lowest pass rate).

    Free-text notes are counted in one row; with `free_text` each distinct text gets its own row, with personal
    data (phones, e-mails, documents, dates of birth) masked — they may hold details the report should not carry.
    """
    _check_access(session, actor, scope)
    previous = scope.previous()
    rubrics = RubricTitles(session)
    operators, previous_operators = _operators_in_scope(actor, scope), _operators_in_scope(actor, previous)
    evaluations = supervisor_evaluations(session, operators, scope)
    rates = pass_rates(question_outcomes(session, rubrics, evaluations))
    previous_rates = pass_rates(question_outcomes(
        session, rubrics, supervisor_evaluations(session, previous_operators, previous)))
    free_titles: dict[tuple, str] = {}
    named = _count_named(named_notes(session, operators, scope), rubrics, free_text, free_titles)
    named_before = _count_named(named_notes(session, previous_operators, previous), rubrics, free_text, free_titles)
    empty = {"growth": set(), "strength": set()}
    keys = set(rates) | set(named) | {key for key, kinds in named_before.items() if kinds["growth"]}
    rows = []
    for key in keys:
        slug, question_id = key
        if slug is not None:
            section, question = rubrics.titles(slug, question_id, lang)
        elif question_id is None:
            section, question = "—", _word("free_text", lang)
        else:
            section, question, question_id = _word("free_section", lang), free_titles[key], None
        now, before = named.get(key, empty), named_before.get(key, empty)
        answered, rate = rates.get(key, (0, None))
        rows.append(GrowthAreaRow(
            rubric_slug=slug, question_id=question_id, section=section, question=question,
            growth_sessions=len(now["growth"]), strength_sessions=len(now["strength"]), answered=answered,
            pass_rate=rate, previous_growth_sessions=len(before["growth"]),
            previous_pass_rate=previous_rates.get(key, (0, None))[1],
            rubric=rubrics.rubric_title(slug, lang) if slug is not None else ""))
    rows.sort(key=lambda r: (-r.growth_sessions, r.pass_rate is None, r.pass_rate or 0.0, r.strength_sessions,
                             r.section, r.question))
    return GrowthAreaSummary(scope, previous, sessions_count(session, operators, scope), len(evaluations), rows)


def operator_scorecards(session: Session, actor: User, scope: ReportScope) -> list[OperatorScorecard]:
    """One card per operator in scope, by name, those without evaluations in the period too (a supervisor asks
    why nobody reviewed them)."""
    _check_access(session, actor, scope)
    operators = _operators_in_scope(actor, scope)
    evaluations: dict[int, list[EvaluatedCall]] = defaultdict(list)
    for evaluation in supervisor_evaluations(session, operators, scope):
        evaluations[evaluation.operator_id].append(evaluation)
    low, high = scope.bounds()
    thanked = dict(session.execute(
        select(Call.operator_id, func.count(Call.id)).where(
            Call.thanked.is_(True), Call.operator_id.in_(operators), Call.started_at >= low, Call.started_at < high)
        .group_by(Call.operator_id)).all())
    goals = dict(session.execute(
        select(Goal.operator_id, func.count(Goal.id)).where(
            Goal.status.in_(OPEN_GOAL_STATES), Goal.operator_id.in_(operators), Goal.created_at < high)
        .group_by(Goal.operator_id)).all())
    waits = _written_waits(session, operators, scope)
    cards = []
    for operator_id, name, team in session.execute(
            select(Operator.id, Operator.name, Team.name).outerjoin(Team, Team.id == Operator.team_id)
            .where(Operator.id.in_(operators)).order_by(Operator.name)):
        own = evaluations.get(operator_id, [])
        scores = [e.score for e in own if e.score is not None]
        critical = [e.critical for e in own if e.critical is not None]
        cards.append(OperatorScorecard(
            operator_id=operator_id, operator=name, team=team, evaluations=len(own),
            average_score=mean(scores) if scores else None, average_critical=mean(critical) if critical else None,
            fatal=sum(e.fatal for e in own), thanked_calls=thanked.get(operator_id, 0),
            open_goals=goals.get(operator_id, 0), **waits.get(operator_id, {})))
    return cards


def _written_waits(session: Session, operators: Select, scope: ReportScope) -> dict[int, dict]:
    """Per operator, the response figures of their chats and e-mails started in the period."""
    low, high = scope.bounds()
    statement = select(Call.operator_id, Call.first_response_s, Call.longest_wait_s).where(
        Call.channel_kind.in_(WRITTEN_CHANNEL_KINDS), Call.operator_id.in_(operators), Call.started_at >= low,
        Call.started_at < high)
    if (channel := channel_condition(scope)) is not None:
        statement = statement.where(channel)
    first: dict[int, list[float]] = defaultdict(list)
    longest: dict[int, float] = {}
    for operator_id, first_s, longest_s in session.execute(statement):
        if first_s is not None:
            first[operator_id].append(first_s)
        if longest_s is not None:
            longest[operator_id] = max(longest.get(operator_id, 0.0), longest_s)
    return {operator_id: {"median_first_response_s": median(first[operator_id]) if first[operator_id] else None,
                          "longest_wait_s": longest.get(operator_id)}
            for operator_id in set(first) | set(longest)}


def score_trend(session: Session, actor: User, scope: ReportScope, *, by: str = "operator",
                lang: str = "ru") -> list[TrendPoint]:
    """Weekly average score per operator (or per team), by group name then week."""
    if by not in TREND_GROUPINGS:
        raise ValidationError("A trend is grouped by operator or by team, not {by}.", by=repr(by))
    _check_access(session, actor, scope)
    evaluations = supervisor_evaluations(session, _operators_in_scope(actor, scope), scope)
    operators = {operator_id: (name, team_id, team) for operator_id, name, team_id, team in session.execute(
        select(Operator.id, Operator.name, Operator.team_id, Team.name).outerjoin(Team, Team.id == Operator.team_id)
        .where(Operator.id.in_({e.operator_id for e in evaluations})))}
    weekly: dict[tuple[int | None, str, date], list[float]] = defaultdict(list)
    for evaluation in evaluations:
        if evaluation.score is None:
            continue
        name, team_id, team = operators[evaluation.operator_id]
        group = (evaluation.operator_id, name) if by == "operator" else (team_id, team or _word("no_team", lang))
        weekly[(*group, monday(evaluation.day))].append(evaluation.score)
    points = [TrendPoint(group_id, group, week, len(scores), mean(scores))
              for (group_id, group, week), scores in weekly.items()]
    return sorted(points, key=lambda p: (p.group, p.group_id or 0, p.week))


def question_trend(session: Session, actor: User, scope: ReportScope, *, lang: str = "ru") -> list[QuestionTrendPoint]:
    """Weekly pass rate of every question answered in the period, by rubric, in form order, then by week."""
    _check_access(session, actor, scope)
    rubrics = RubricTitles(session)
    weekly: dict[tuple[str, str, date], list[bool]] = defaultdict(list)
    evaluations = supervisor_evaluations(session, _operators_in_scope(actor, scope), scope)
    for outcome in question_outcomes(session, rubrics, evaluations):
        weekly[(outcome.evaluation.slug, outcome.question_id, monday(outcome.evaluation.day))].append(outcome.passed)
    points = [QuestionTrendPoint(slug, question_id, rubrics.titles(slug, question_id, lang)[1], week, len(passes),
                                 sum(passes) / len(passes) * 100)
              for (slug, question_id, week), passes in weekly.items()]
    return sorted(points, key=lambda p: (p.rubric_slug, rubrics.position(p.rubric_slug, p.question_id), p.week))


def report_choices(session: Session, actor: User) -> ReportChoices:
    """The teams and operators the actor may filter reports by (an operator: only themselves)."""
    _check_access(session, actor)
    operators = [(operator_id, name, team_id) for operator_id, name, team_id in session.execute(
        select(Operator.id, Operator.name, Operator.team_id).where(visible_operators(actor)).order_by(Operator.name))]
    team_ids = {team_id for _id, _name, team_id in operators if team_id is not None}
    teams = [(team_id, name) for team_id, name in session.execute(
        select(Team.id, Team.name).where(Team.id.in_(team_ids)).order_by(Team.name))] if team_ids else []
    return ReportChoices(teams, operators)


_MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def written_date(day: date, lang: str) -> str:
    """A day as the interface writes it (app.labels.format_date): 02.03.2026 in Russian, 02 Mar 2026 in English;
    spelled out here, not by strftime, so the machine's locale does not change it."""
    return f"{day:%d} {_MONTHS_EN[day.month - 1]} {day:%Y}" if lang == "en" else f"{day:%d.%m.%Y}"


def scope_caption(session: Session, scope: ReportScope, lang: str = "ru") -> str:
    """'Период: 01.03.2026 – 31.03.2026 · Команда: … · Оператор: …' for the heading of a report or an export."""
    en = lang == "en"
    parts = [f"{'Period' if en else 'Период'}: {written_date(scope.start, lang)} – {written_date(scope.end, lang)}"]
    if scope.team_id is not None:
        team = session.get(Team, scope.team_id)
        parts.append(f"{'Team' if en else 'Команда'}: {team.name if team else scope.team_id}")
    if scope.operator_id is not None:
        operator = session.get(Operator, scope.operator_id)
        parts.append(f"{'Operator' if en else 'Оператор'}: {operator.name if operator else scope.operator_id}")
    if scope.rubric_slug is not None:
        parts.append(f"{'Rubric' if en else 'Анкета'}: {scope.rubric_slug}")
    if scope.channel_kind is not None:
        names = {"phone": ("Phone", "Телефон"), "whatsapp": ("WhatsApp", "WhatsApp"), "email": ("E-mail", "Эл. почта"),
                 "written": ("Chats and e-mails", "Чаты и письма")}
        name = names.get(scope.channel_kind, (scope.channel_kind, scope.channel_kind))
        parts.append(f"{'Channel' if en else 'Канал'}: {name[0] if en else name[1]}")
    return " · ".join(parts)
