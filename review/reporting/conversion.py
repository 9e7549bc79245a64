"""Callback conversion: of the outbound callbacks in a period, the share that ended in a booking, per operator,
per callback kind and per week, against the target a manager sets (80 % by default: on the repeat-patient base,
below it every step of the work must be looked at).

Definitions (tests/review/test_conversion.py checks them against figures computed by hand):
- A callback is a call of a kind the workspace's list marks as an outbound callback (review.library.vocabularies),
  not recorded as inbound, started in the period, of an operator in scope. Its kind is the callback it is
  (check-up invitation, return of a patient who did not stay, continuation of treatment).
- Booked: its outcome is one of the booking outcomes (the code "booked" unless set otherwise).
- Conversion: booked / callbacks with an outcome recorded. Callbacks without an outcome are counted apart
  and left out of it; "of all callbacks" counts them as not booked (the lower bound).
- Weeks start on Monday and are labelled by their Monday.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from review.accounts.access import SET_TARGETS, require
from review.audit.trail import record
from review.errors import ValidationError
from review.library.vocabularies import DEFAULT_TERMS, load_vocabulary
from review.models import CALLBACK_KINDS, Call, Operator, User
from review.reporting.report_data import ReportScope, monday
from review.reporting.reports import _check_access, _operators_in_scope
from review.reporting.tables import Column, ReportTable
from review.storage.workspace_settings import put_setting, setting_value

TARGET_KEY = "callback_conversion"
DEFAULT_TARGET = 0.8
BOOKED_OUTCOMES = ("booked",)
GROUPINGS = ("operator", "callback_kind", "week")
_DEFAULT_KIND_LABELS = {code: (ru, en) for code, ru, en, _callback in DEFAULT_TERMS["call_kind"]}


@dataclass(frozen=True)
class ConversionCall:
    id: int
    started_at: datetime
    operator_id: int
    operator: str
    call_kind: str
    callback_kind: str
    outcome: str | None
    booked: bool


@dataclass(frozen=True)
class ConversionRow:
    grouping: str  # "total" or one of GROUPINGS
    key: object  # operator id, callback kind code, the week's Monday; None for the total
    label: str
    calls: tuple[ConversionCall, ...]  # the drill-down, oldest first

    @property
    def callbacks(self) -> int:
        return len(self.calls)

    @property
    def booked(self) -> int:
        return sum(c.booked for c in self.calls)

    @property
    def without_outcome(self) -> int:
        return sum(c.outcome is None for c in self.calls)

    @property
    def with_outcome(self) -> int:
        return self.callbacks - self.without_outcome

    @property
    def conversion(self) -> float | None:
        """Booked / callbacks with an outcome recorded, 0..1; None when none has one."""
        return self.booked / self.with_outcome if self.with_outcome else None

    @property
    def conversion_of_all(self) -> float | None:
        return self.booked / self.callbacks if self.callbacks else None

    def meets(self, target: float) -> bool | None:
        # A hair of float noise must not fail an exact 80 % (4 of 5).
        return None if self.conversion is None else self.conversion >= target - 1e-9


@dataclass(frozen=True)
class ConversionReport:
    scope: ReportScope
    target: float
    total: ConversionRow
    by_operator: list[ConversionRow]
    by_kind: list[ConversionRow]
    by_week: list[ConversionRow]

    def rows(self) -> list[ConversionRow]:
        return [self.total, *self.by_operator, *self.by_kind, *self.by_week]


def conversion_target(session: Session) -> float:
    return float((setting_value(session, TARGET_KEY) or {}).get("target", DEFAULT_TARGET))


def set_conversion_target(session: Session, actor: User, target: float) -> None:
    """The share of callbacks that should end in a booking, 0..1 (managers and administrators; audited)."""
    require(actor, SET_TARGETS)
    if not 0 < target <= 1:
        raise ValidationError("The conversion target is a share between 1 % and 100 %.")
    old = conversion_target(session)
    put_setting(session, TARGET_KEY, {**(setting_value(session, TARGET_KEY) or {}), "target": target})
    record(session, actor, "setting", "settings", old={"target": old}, new={"target": target}, note=TARGET_KEY)


def _kind_label(vocabulary, code: str, lang: str) -> str:
    term = vocabulary.term("call_kind", code)
    if term is not None:
        return term.label(lang)
    ru, en = _DEFAULT_KIND_LABELS.get(code, (code, code))
    return en if lang == "en" else ru


def callback_calls(session: Session, actor: User, scope: ReportScope) -> list[ConversionCall]:
    """Every callback in scope (see the module's definitions), oldest first."""
    _check_access(session, actor, scope)
    vocabulary = load_vocabulary(session)
    kinds = {t.code: t.callback_kind for t in vocabulary.of("call_kind", archived=True)
             if t.outbound_callback and t.callback_kind in CALLBACK_KINDS}
    if not kinds:
        return []
    booked = set(BOOKED_OUTCOMES)
    low, high = scope.bounds()
    statement = (select(Call.id, Call.started_at, Call.operator_id, Operator.name, Call.call_kind, Call.outcome)
                 .join(Operator, Operator.id == Call.operator_id)
                 .where(Call.call_kind.in_(kinds), or_(Call.direction.is_(None), Call.direction != "in"),
                        Call.started_at >= low, Call.started_at < high,
                        Call.operator_id.in_(_operators_in_scope(actor, scope)))
                 .order_by(Call.started_at, Call.id))
    return [ConversionCall(row.id, row.started_at, row.operator_id, row.name, row.call_kind, kinds[row.call_kind],
                           row.outcome, row.outcome in booked) for row in session.execute(statement)]


def callback_conversion(session: Session, actor: User, scope: ReportScope, *, lang: str = "ru") -> ConversionReport:
    """The conversion report: the total, then per operator (by name), per callback kind and per week."""
    calls = callback_calls(session, actor, scope)
    vocabulary = load_vocabulary(session)
    groups: dict[str, dict[object, list[ConversionCall]]] = {g: defaultdict(list) for g in GROUPINGS}
    names: dict[int, str] = {}
    for call in calls:
        groups["operator"][call.operator_id].append(call)
        groups["callback_kind"][call.callback_kind].append(call)
        groups["week"][monday(call.started_at.date())].append(call)
        names[call.operator_id] = call.operator
    form = "%Y-%m-%d" if lang == "en" else "%d.%m.%Y"
    by_operator = sorted((ConversionRow("operator", k, names[k], tuple(v)) for k, v in groups["operator"].items()),
                         key=lambda r: (r.label, r.key))
    by_kind = [ConversionRow("callback_kind", k, _kind_label(vocabulary, k, lang), tuple(groups["callback_kind"][k]))
               for k in CALLBACK_KINDS if k in groups["callback_kind"]]
    by_week = [ConversionRow("week", k, k.strftime(form), tuple(groups["week"][k])) for k in sorted(groups["week"])]
    total = ConversionRow("total", None, "Всего" if lang != "en" else "Total", tuple(calls))
    return ConversionReport(scope, conversion_target(session), total, by_operator, by_kind, by_week)


def _percent(share: float | None) -> float | None:
    return None if share is None else round(share * 100, 2)


def conversion_table(report: ConversionReport, caption: str, lang: str = "ru") -> ReportTable:
    """The report as one table: the total, then the operator, callback kind and week rows."""
    def t(ru: str, en: str) -> str:
        return en if lang == "en" else ru

    grouping = {"total": t("Итого", "Total"), "operator": t("Оператор", "Operator"),
                "callback_kind": t("Вид обзвона", "Callback kind"), "week": t("Неделя с", "Week of")}
    columns = (Column(t("Разрез", "By")), Column(t("Группа", "Group")), Column(t("Звонков", "Callbacks"), "int"),
               Column(t("С итогом", "With an outcome"), "int"), Column(t("Записано", "Booked"), "int"),
               Column(t("Без итога", "No outcome"), "int"),
               Column(t("Конверсия, %", "Conversion, %"), "number"),
               Column(t("Записано от всех, %", "Booked of all, %"), "number"),
               Column(t("Цель, %", "Target, %"), "number"), Column(t("Цель достигнута", "Target met")))
    met = {True: t("да", "yes"), False: t("нет", "no"), None: ""}
    rows = [(grouping[r.grouping], r.label, r.callbacks, r.with_outcome, r.booked, r.without_outcome,
             _percent(r.conversion), _percent(r.conversion_of_all), _percent(report.target), met[r.meets(report.target)])
            for r in report.rows()]
    return ReportTable(t("Конверсия обзвона в запись", "Callback conversion"), caption, columns, rows, lang)

