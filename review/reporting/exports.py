"""Report tables and their files: CSV for spreadsheets, XLSX for Excel, PDF for printing and sending.

A `ReportTable` is what every format writes: a title, a caption (period and filters), typed columns and rows.
Reports carry no patient data; free-text notes appear only when asked for, with personal data masked.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from sqlalchemy.orm import Session

from review import clock
from review.accounts.access import EXPORT_DATA, require
from review.errors import KalibraError, ValidationError
from review.models import User
from review.reporting.reports import (
    GrowthAreaSummary,
    OperatorScorecard,
    QuestionTrendPoint,
    ReportScope,
    TrendPoint,
    growth_area_summary,
    operator_scorecards,
    question_trend,
    scope_caption,
    score_trend,
)
from review.reporting.spreadsheet_cells import csv_cell, set_xlsx_cell

REPORTS = ("growth", "scorecards", "score_trend", "question_trend")
FORMATS = ("csv", "xlsx", "pdf")
COLUMN_KINDS = ("text", "int", "number", "date")
HEADER_ROW = 5  # in XLSX rows 1-3 say what the table is; the header row below them stays in view


class ExportError(KalibraError):
    """A report file could not be written (no usable font, no permission, an unknown format)."""


@dataclass(frozen=True)
class Column:
    title: str
    kind: str = "text"  # text | int | number (two decimals at most) | date

    def __post_init__(self) -> None:
        if self.kind not in COLUMN_KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")


@dataclass(frozen=True)
class ReportTable:
    title: str
    caption: str
    columns: tuple[Column, ...]
    rows: list[tuple] = field(default_factory=list)
    lang: str = "ru"


def _t(lang: str, ru: str, en: str) -> str:
    return en if lang == "en" else ru


# -- tables ----------------------------------------------------------------------------------------------------
def growth_table(summary: GrowthAreaSummary, caption: str, lang: str = "ru") -> ReportTable:
    columns = (Column(_t(lang, "Анкета", "Rubric")), Column(_t(lang, "Раздел", "Section")),
               Column(_t(lang, "Вопрос", "Question")),
               Column(_t(lang, "Зона роста, сессий", "Growth area, sessions"), "int"),
               Column(_t(lang, "Изменение", "Change"), "int"),
               Column(_t(lang, "Сильная сторона, сессий", "Strength, sessions"), "int"),
               Column(_t(lang, "Оценок", "Evaluations"), "int"),
               Column(_t(lang, "Проходимость, %", "Pass rate, %"), "number"),
               Column(_t(lang, "Изменение, п. п.", "Change, pp"), "number"))
    rows = [(r.rubric, r.section, r.question, r.growth_sessions, r.growth_change, r.strength_sessions,
             r.answered, r.pass_rate, r.pass_rate_change) for r in summary.rows]
    title = _t(lang, "Зоны роста", "Growth areas")
    return ReportTable(title, caption, columns, rows, lang)


def scorecard_table(cards: list[OperatorScorecard], caption: str, lang: str = "ru") -> ReportTable:
    columns = (Column(_t(lang, "Оператор", "Operator")), Column(_t(lang, "Команда", "Team")),
               Column(_t(lang, "Оценок", "Evaluations"), "int"),
               Column(_t(lang, "Средний балл, %", "Average score, %"), "number"),
               Column(_t(lang, "Критичные, %", "Critical, %"), "number"),
               Column(_t(lang, "Фатальные ошибки", "Fatal errors"), "int"),
               Column(_t(lang, "Благодарности", "Thanks"), "int"),
               Column(_t(lang, "Открытые цели", "Open goals"), "int"))
    rows = [(c.operator, c.team or "", c.evaluations, c.average_score, c.average_critical, c.fatal, c.thanked_calls,
             c.open_goals) for c in cards]
    return ReportTable(_t(lang, "Показатели операторов", "Operator scorecards"), caption, columns, rows, lang)


def score_trend_table(points: list[TrendPoint], caption: str, lang: str = "ru", by: str = "operator") -> ReportTable:
    group = _t(lang, "Оператор", "Operator") if by == "operator" else _t(lang, "Команда", "Team")
    columns = (Column(group), Column(_t(lang, "Неделя с", "Week of"), "date"),
               Column(_t(lang, "Оценок", "Evaluations"), "int"),
               Column(_t(lang, "Средний балл, %", "Average score, %"), "number"))
    rows = [(p.group, p.week, p.evaluations, p.average_score) for p in points]
    return ReportTable(_t(lang, "Динамика среднего балла", "Score trend"), caption, columns, rows, lang)


def question_trend_table(points: list[QuestionTrendPoint], caption: str, lang: str = "ru") -> ReportTable:
    columns = (Column(_t(lang, "Анкета", "Rubric")), Column(_t(lang, "Вопрос", "Question")),
               Column(_t(lang, "Неделя с", "Week of"), "date"), Column(_t(lang, "Ответов", "Answers"), "int"),
               Column(_t(lang, "Проходимость, %", "Pass rate, %"), "number"))
    rows = [(p.rubric_slug, p.question, p.week, p.answered, p.pass_rate) for p in points]
    return ReportTable(_t(lang, "Динамика проходимости по вопросам", "Pass rate trend by question"), caption,
                       columns, rows, lang)


def report_table(session: Session, actor: User, report: str, scope: ReportScope, *, lang: str = "ru",
                 free_text: bool = False, by: str = "operator") -> ReportTable:
    """One of REPORTS computed for the actor (who must be allowed to see it) as a table."""
    caption = scope_caption(session, scope, lang)
    if report == "growth":
        return growth_table(growth_area_summary(session, actor, scope, lang=lang, free_text=free_text), caption, lang)
    if report == "scorecards":
        return scorecard_table(operator_scorecards(session, actor, scope), caption, lang)
    if report == "score_trend":
        return score_trend_table(score_trend(session, actor, scope, by=by, lang=lang), caption, lang, by)
    if report == "question_trend":
        return question_trend_table(question_trend(session, actor, scope, lang=lang), caption, lang)
    raise ValidationError("There is no report called {report}; choose one of: {reports}.", report=repr(report),
                          reports=", ".join(REPORTS))


def export_report(session: Session, actor: User, report: str, scope: ReportScope, path: str | Path, *,
                  fmt: str | None = None, lang: str = "ru", free_text: bool = False, by: str = "operator",
                  generated_at: datetime | None = None) -> Path:
    """Compute a report and write it to `path` (format from `fmt` or the file's extension); returns the path."""
    require(actor, EXPORT_DATA)
    table = report_table(session, actor, report, scope, lang=lang, free_text=free_text, by=by)
    return write_table(table, path, fmt, generated_at=generated_at)


# -- writers ---------------------------------------------------------------------------------------------------
def format_number(value: float, lang: str = "ru") -> str:
    """At most two decimals, no trailing zeros; a decimal comma in Russian (what Excel in Russian expects)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang != "en" else text


def format_cell(value, kind: str, lang: str = "ru") -> str:
    if value is None:
        return ""
    if kind == "date" and isinstance(value, date):
        return value.isoformat() if lang == "en" else value.strftime("%d.%m.%Y")
    if kind == "number":
        return format_number(float(value), lang)
    return str(value)


def write_table(table: ReportTable, path: str | Path, fmt: str | None = None, *,
                generated_at: datetime | None = None) -> Path:
    """Write `table` as CSV, XLSX or PDF (by `fmt`, else by the file's extension)."""
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in FORMATS:
        raise ExportError("Cannot export {file}: the format {format} is not one of CSV, XLSX, PDF.", file=path.name,
                          format=repr(fmt or "(none)"))
    try:
        if fmt == "csv":
            write_csv(table, path)
        elif fmt == "xlsx":
            write_xlsx(table, path, generated_at=generated_at)
        else:
            from review.reporting.pdf_report import write_pdf  # reportlab loads only when a PDF is asked for

            write_pdf(table, path, generated_at=generated_at)
    except OSError as exc:
        raise ExportError("Could not write the report to {path}: {reason}.", path=str(path),
                          reason=str(exc.strerror or exc)) from exc
    return path


def write_csv(table: ReportTable, path: Path) -> None:
    """UTF-8 with a byte-order mark so Excel reads Cyrillic; in Russian ';' between fields and a decimal comma,
    which is what Excel with Russian regional settings splits and reads as numbers."""
    delimiter = "," if table.lang == "en" else ";"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow([csv_cell(column.title) for column in table.columns])
        for row in table.rows:
            writer.writerow([csv_cell(value, format_cell(value, column.kind, table.lang))
                             for value, column in zip(row, table.columns, strict=True)])


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return cleaned[:31] or "Report"


def write_xlsx(table: ReportTable, path: Path, *, generated_at: datetime | None = None) -> None:
    """Title, caption and generation time above the table; a styled, frozen, filterable header; numbers and dates
    stored as numbers and dates."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    generated_at = generated_at or clock.local_now()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(table.title)
    workbook.properties.title = table.title
    workbook.properties.creator = "Kalibra"
    set_xlsx_cell(sheet["A1"], table.title)
    sheet["A1"].font = Font(bold=True, size=14)
    set_xlsx_cell(sheet["A2"], table.caption)
    set_xlsx_cell(sheet["A3"], f"{_t(table.lang, 'Сформирован', 'Generated')}: {generated_at:%d.%m.%Y %H:%M}")
    for cell in ("A2", "A3"):
        sheet[cell].font = Font(color="52606D")
    fill = PatternFill("solid", fgColor="0F8B8D")
    edge = Side(style="thin", color="CBD2D9")
    widths = []
    for index, column in enumerate(table.columns, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=index)
        set_xlsx_cell(cell, column.title)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center",
                                   horizontal="left" if column.kind == "text" else "center")
        cell.border = Border(bottom=edge)
        widths.append(max(len(word) for word in column.title.split()) + 2)
    number_formats = {"int": "0", "number": "0.0#", "date": "DD.MM.YYYY" if table.lang != "en" else "YYYY-MM-DD"}
    for offset, row in enumerate(table.rows, start=1):
        for index, (value, column) in enumerate(zip(row, table.columns, strict=True), start=1):
            cell = sheet.cell(row=HEADER_ROW + offset, column=index)
            set_xlsx_cell(cell, value)
            if column.kind in number_formats:
                cell.number_format = number_formats[column.kind]
            shown = format_cell(value, column.kind, table.lang)
            widths[index - 1] = max(widths[index - 1], min(len(shown), 60) + 2)
            if column.kind == "text" and len(shown) > 60:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.row_dimensions[HEADER_ROW].height = 32
    sheet.freeze_panes = sheet.cell(row=HEADER_ROW + 1, column=1)
    last = get_column_letter(len(table.columns))
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}{HEADER_ROW + max(len(table.rows), 1)}"
    workbook.save(path)

