"""Talk analytics in reports: the team's and each operator's averages of the per-call figures (talk share,
silence, holds, overtalk, speech rate, time to the first word) over a period, and their week-by-week trend.

Definitions (tests/review/test_talk_report.py checks them against figures computed by hand):
- Calls counted: calls of in-scope operators started in the period (the channel filter applied) whose figures
  are stored (review.analytics.stored: measured after transcription). Chats and e-mails have none.
- Every average is the plain mean over those calls (a team's is over its calls, not over its operators'
  means). A figure a call does not have (talk share when nobody spoke, speech rate or first word when the
  operator said nothing) is left out of that figure's mean, not counted as 0.
- Holds and overtalk per call: their count per call, averaged; their time: seconds per call, averaged.
- One-channel calls are measured with the speakers told apart by voice; how many there are is shown.
- Weeks start on Monday and are labelled by their Monday.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from statistics import mean

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.models import Call, CallAnalytics, Operator, Team, User
from review.reporting.report_data import ReportScope, channel_condition, monday
from review.reporting.reports import _check_access, _operators_in_scope
from review.reporting.tables import Column, ReportTable, WeeklyChart

GROUPINGS = ("team", "operator", "week")
# The per-call figures averaged, in the order the table shows them.
FIGURES = ("operator_share", "silence_total_s", "silence_longest_s", "hold_count", "hold_total_s", "overtalk_count",
           "overtalk_total_s", "operator_wpm", "operator_first_word_s")


@dataclass(frozen=True)
class TalkCall:
    id: int
    operator_id: int
    team_id: int | None
    day: date
    mono: bool  # speakers inferred from voices
    figures: dict[str, float | None]


@dataclass(frozen=True)
class TalkRow:
    grouping: str  # "total" or one of GROUPINGS
    key: object  # team id, operator id, the week's Monday; None for the total (and for operators without a team)
    label: str
    calls: int
    mono_calls: int
    averages: dict[str, float | None]  # FIGURES -> mean over the calls that have it; operator_share in percent


@dataclass(frozen=True)
class TalkReport:
    scope: ReportScope
    total: TalkRow
    by_team: list[TalkRow]
    by_operator: list[TalkRow]
    by_week: list[TalkRow]

    def rows(self) -> list[TalkRow]:
        return [self.total, *self.by_team, *self.by_operator, *self.by_week]


def talk_calls(session: Session, actor: User, scope: ReportScope) -> list[TalkCall]:
    """The measured calls in scope (see the module's definitions), oldest first."""
    _check_access(session, actor, scope)
    low, high = scope.bounds()
    statement = (select(Call.id, Call.operator_id, Operator.team_id, Call.started_at, CallAnalytics)
                 .join(CallAnalytics, CallAnalytics.call_id == Call.id)
                 .join(Operator, Operator.id == Call.operator_id)
                 .where(Call.started_at >= low, Call.started_at < high,
                        Call.operator_id.in_(_operators_in_scope(actor, scope)))
                 .order_by(Call.started_at, Call.id))
    if (channel := channel_condition(scope)) is not None:
        statement = statement.where(channel)
    return [TalkCall(call_id, operator_id, team_id, started.date(), bool(row.speakers_inferred),
                     {name: getattr(row, name) for name in FIGURES})
            for call_id, operator_id, team_id, started, row in session.execute(statement)]


def _row(grouping: str, key: object, label: str, calls: list[TalkCall]) -> TalkRow:
    averages: dict[str, float | None] = {}
    for name in FIGURES:
        values = [c.figures[name] for c in calls if c.figures[name] is not None]
        averages[name] = mean(values) if values else None
    if averages["operator_share"] is not None:
        averages["operator_share"] *= 100
    return TalkRow(grouping, key, label, len(calls), sum(c.mono for c in calls), averages)


def talk_report(session: Session, actor: User, scope: ReportScope, *, lang: str = "ru") -> TalkReport:
    """The total, then per team and per operator (by name), then per week."""
    calls = talk_calls(session, actor, scope)
    groups: dict[str, dict[object, list[TalkCall]]] = {g: defaultdict(list) for g in GROUPINGS}
    for call in calls:
        groups["team"][call.team_id].append(call)
        groups["operator"][call.operator_id].append(call)
        groups["week"][monday(call.day)].append(call)
    operator_names = dict(session.execute(select(Operator.id, Operator.name)
                                          .where(Operator.id.in_(list(groups["operator"])))).all())
    team_names = dict(session.execute(select(Team.id, Team.name).where(Team.id.in_(
        [k for k in groups["team"] if k is not None]))).all())
    no_team = "No team" if lang == "en" else "Без команды"
    by_team = sorted((_row("team", k, team_names.get(k, no_team) if k is not None else no_team, v)
                      for k, v in groups["team"].items()), key=lambda r: (r.key is None, r.label))
    by_operator = sorted((_row("operator", k, operator_names[k], v) for k, v in groups["operator"].items()),
                         key=lambda r: (r.label, r.key))
    form = "%Y-%m-%d" if lang == "en" else "%d.%m.%Y"
    by_week = [_row("week", k, k.strftime(form), groups["week"][k]) for k in sorted(groups["week"])]
    total = _row("total", None, "Total" if lang == "en" else "Всего", calls)
    return TalkReport(scope, total, by_team, by_operator, by_week)


def _rounded(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def talk_table(report: TalkReport, caption: str, lang: str = "ru") -> ReportTable:
    """The report as one table (total, teams, operators, weeks; no rows without a measured call), with the weekly
    talk share as its chart."""
    def t(ru: str, en: str) -> str:
        return en if lang == "en" else ru

    grouping = {"total": t("Итого", "Total"), "team": t("Команда", "Team"), "operator": t("Оператор", "Operator"),
                "week": t("Неделя с", "Week of")}
    columns = (Column(t("Разрез", "By")), Column(t("Группа", "Group")), Column(t("Звонков", "Calls"), "int"),
               Column(t("Из них моно", "Of them mono"), "int"),
               Column(t("Доля речи оператора, %", "Operator talk, %"), "number"),
               Column(t("Тишина за звонок, с", "Silence per call, s"), "number"),
               Column(t("Самая долгая тишина, с", "Longest silence, s"), "number"),
               Column(t("Удержаний за звонок", "Holds per call"), "number"),
               Column(t("Удержание за звонок, с", "Hold per call, s"), "number"),
               Column(t("Перебиваний за звонок", "Overtalk per call"), "number"),
               Column(t("Перебивания за звонок, с", "Overtalk per call, s"), "number"),
               Column(t("Слов в минуту", "Words per minute"), "number"),
               Column(t("Первое слово через, с", "First word after, s"), "number"))
    rows = [(grouping[r.grouping], r.label, r.calls, r.mono_calls,
             *(_rounded(r.averages[name], 2 if name in ("hold_count", "overtalk_count") else 1) for name in FIGURES))
            for r in report.rows()] if report.total.calls else []
    chart = WeeklyChart(t("Доля речи оператора по неделям, %", "Operator talk share by week, %"),
                        ((t("Все звонки", "All calls"),
                          tuple((r.key, r.averages["operator_share"]) for r in report.by_week
                                if r.averages["operator_share"] is not None)),))
    return ReportTable(t("Разговор", "Talk"), caption, columns, rows, lang, chart=chart)
