"""The library as a table with its conversation analytics, for a spreadsheet: one row per call the actor may see.

Personal data stays out: no phone numbers, and file names (which telephony systems fill with the
patient's number) are masked.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from review.accounts.access import EXPORT_DATA, require
from review.audit.trail import record
from review.library.calls import CallFilter, filtered_calls
from review.models import Call, CallAnalytics, Operator, User
from review.reporting.tables import Column, ReportTable
from review.transcripts.personal_data import mask_text

# (CallAnalytics attribute, column kind, Russian title, English title); shares are written in per cent.
ANALYTICS_COLUMNS = (
    ("operator_talk_s", "number", "Речь оператора, с", "Operator talk, s"),
    ("customer_talk_s", "number", "Речь клиента, с", "Customer talk, s"),
    ("operator_share", "number", "Доля речи оператора, %", "Operator talk share, %"),
    ("silence_count", "int", "Пауз", "Silences"),
    ("silence_total_s", "number", "Паузы всего, с", "Silence total, s"),
    ("silence_longest_s", "number", "Самая долгая пауза, с", "Longest silence, s"),
    ("hold_count", "int", "Удержаний", "Holds"),
    ("hold_total_s", "number", "Удержание всего, с", "Hold total, s"),
    ("hold_longest_s", "number", "Самое долгое удержание, с", "Longest hold, s"),
    ("long_holds", "int", "Долгих удержаний", "Long holds"),
    ("overtalk_count", "int", "Перебиваний", "Overtalk"),
    ("overtalk_total_s", "number", "Перебивания всего, с", "Overtalk total, s"),
    ("operator_interruptions", "int", "Перебил оператор", "Operator interrupted"),
    ("customer_interruptions", "int", "Перебил клиент", "Customer interrupted"),
    ("operator_wpm", "number", "Темп оператора, слов/мин", "Operator words per minute"),
    ("operator_first_word_s", "number", "Первое слово оператора, с", "Operator's first word, s"),
    ("customer_complaints", "int", "Жалоб клиента", "Customer complaints"),
)


def _t(lang: str, ru: str, en: str) -> str:
    return en if lang == "en" else ru


def calls_table(session: Session, actor: User, flt: CallFilter | None = None, *, lang: str = "ru") -> ReportTable:
    """Every call the filter keeps, oldest first, with its analytics (empty cells until it is measured)."""
    require(actor, EXPORT_DATA)
    flt = flt or CallFilter()
    figures = [getattr(CallAnalytics, name) for name, *_ in ANALYTICS_COLUMNS]
    statement = (select(Call.id, Call.started_at, Operator.name, Call.duration_s, Call.direction, Call.call_kind,
                        Call.outcome, Call.transcription_status, Call.path, CallAnalytics.speakers_inferred,
                        CallAnalytics.energy_used, *figures)
                 .select_from(Call).outerjoin(Operator, Call.operator_id == Operator.id)
                 .outerjoin(CallAnalytics, CallAnalytics.call_id == Call.id))
    statement = filtered_calls(statement, actor, flt).order_by(Call.started_at, Call.id)
    share = [name for name, *_ in ANALYTICS_COLUMNS].index("operator_share")
    rows = []
    for row in session.execute(statement):
        (call_id, started, operator, duration, direction, kind, outcome, status, path, inferred, energy,
         *values) = row
        if values[share] is not None:
            values[share] = values[share] * 100
        measured = inferred is not None
        rows.append((call_id, started.strftime("%Y-%m-%d %H:%M:%S") if started else None, operator, duration,
                     direction, kind, outcome, status, mask_text(Path(path).name),
                     _yes_no(lang, inferred) if measured else None, _yes_no(lang, energy) if measured else None,
                     *values))
    columns = (Column("ID", "int"), Column(_t(lang, "Дата и время", "Date and time")),
               Column(_t(lang, "Оператор", "Operator")), Column(_t(lang, "Длительность, с", "Duration, s"), "number"),
               Column(_t(lang, "Направление", "Direction")), Column(_t(lang, "Тип звонка", "Call kind")),
               Column(_t(lang, "Результат", "Outcome")), Column(_t(lang, "Расшифровка", "Transcript")),
               Column(_t(lang, "Файл", "File")),
               Column(_t(lang, "Говорящие по голосу", "Speakers inferred")),
               Column(_t(lang, "По звуку записи", "From the recording's sound")),
               *(Column(_t(lang, ru, en), kind) for _name, kind, ru, en in ANALYTICS_COLUMNS))
    return ReportTable(_t(lang, "Звонки", "Calls"), _t(lang, f"Звонков: {len(rows)}", f"Calls: {len(rows)}"),
                       columns, rows, lang)


def _yes_no(lang: str, value: bool) -> str:
    return _t(lang, "да", "yes") if value else _t(lang, "нет", "no")


def export_calls(session: Session, actor: User, path: str | Path, flt: CallFilter | None = None, *,
                 fmt: str | None = None, lang: str = "ru") -> tuple[Path, int]:
    """Write the calls table to `path` (CSV or XLSX, by `fmt` or the extension); returns the path and the
    number of calls. Recorded in the audit trail."""
    from review.reporting.exports import write_table

    table = calls_table(session, actor, flt, lang=lang)
    target = write_table(table, path, fmt)
    record(session, actor, "export", "calls", new={"path": str(target), "calls": len(table.rows)})
    return target, len(table.rows)
