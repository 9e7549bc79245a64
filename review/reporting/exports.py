"""Report tables and their files: CSV for spreadsheets, XLSX for Excel, PDF for printing and sending.

A `ReportTable` is what every format writes: a title, a caption (period and filters), typed columns and rows.
Reports carry no patient data; free-text notes appear only when asked for, with personal data masked.
"""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

from sqlalchemy.orm import Session

from review import clock
from review.accounts.access import EXPORT_DATA, require
from review.errors import ValidationError
from review.models import User
from review.reporting.agreement import AgreementReport, suggestion_agreement
from review.reporting.conversion import callback_conversion, conversion_table
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
from review.reporting.tables import Column, ExportError, ReportTable, WeeklyChart, format_cell
from review.reporting.talk import talk_report, talk_table

REPORTS = ("growth", "scorecards", "score_trend", "question_trend", "conversion", "agreement", "talk")
FORMATS = ("csv", "xlsx", "pdf")
MAX_CHART_LINES = 10  # the busiest groups, as on the screen (app/trend_chart.py)
HEADER_ROW = 5  # in XLSX rows 1-3 say what the table is; the header row below them stays in view


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


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def scorecard_table(cards: list[OperatorScorecard], caption: str, lang: str = "ru") -> ReportTable:
    columns = (Column(_t(lang, "Оператор", "Operator")), Column(_t(lang, "Команда", "Team")),
               Column(_t(lang, "Оценок", "Evaluations"), "int"),
               Column(_t(lang, "Средний балл, %", "Average score, %"), "number"),
               Column(_t(lang, "Критичные, %", "Critical, %"), "number"),
               Column(_t(lang, "Фатальные ошибки", "Fatal errors"), "int"),
               Column(_t(lang, "Благодарности", "Thanks"), "int"),
               Column(_t(lang, "Открытые цели", "Open goals"), "int"),
               Column(_t(lang, "Чаты и письма: первый ответ (медиана), мин",
                         "Chats and e-mails: first response (median), min"), "number"),
               Column(_t(lang, "Чаты и письма: макс. ожидание, мин", "Chats and e-mails: longest wait, min"),
                      "number"))
    nothing = _t(lang, "нет оценок за период", "no evaluations in this period")
    rows = [(c.operator, c.team or "", c.evaluations, c.average_score if c.evaluations else nothing,
             c.average_critical, c.fatal, c.thanked_calls, c.open_goals, _minutes(c.median_first_response_s),
             _minutes(c.longest_wait_s)) for c in cards]
    return ReportTable(_t(lang, "Показатели операторов", "Operator scorecards"), caption, columns, rows, lang)


def score_trend_table(points: list[TrendPoint], caption: str, lang: str = "ru", by: str = "operator") -> ReportTable:
    group = _t(lang, "Оператор", "Operator") if by == "operator" else _t(lang, "Команда", "Team")
    columns = (Column(group), Column(_t(lang, "Неделя с", "Week of"), "date"),
               Column(_t(lang, "Оценок", "Evaluations"), "int"),
               Column(_t(lang, "Средний балл, %", "Average score, %"), "number"))
    rows = [(p.group, p.week, p.evaluations, p.average_score) for p in points]
    groups: dict[tuple, list[TrendPoint]] = {}
    for point in points:
        groups.setdefault((point.group_id, point.group), []).append(point)
    busiest = sorted(groups.items(), key=lambda item: -sum(p.evaluations for p in item[1]))[:MAX_CHART_LINES]
    chart = WeeklyChart(_t(lang, "Средний балл по неделям, %", "Weekly average score, %"),
                        tuple((name, tuple((p.week, p.average_score) for p in group))
                              for (_id, name), group in sorted(busiest, key=lambda item: item[0][1])))
    return ReportTable(_t(lang, "Динамика среднего балла", "Score trend"), caption, columns, rows, lang, chart=chart)


def question_trend_table(points: list[QuestionTrendPoint], caption: str, lang: str = "ru") -> ReportTable:
    columns = (Column(_t(lang, "Анкета", "Rubric")), Column(_t(lang, "Вопрос", "Question")),
               Column(_t(lang, "Неделя с", "Week of"), "date"), Column(_t(lang, "Ответов", "Answers"), "int"),
               Column(_t(lang, "Проходимость, %", "Pass rate, %"), "number"))
    rows = [(p.rubric_slug, p.question, p.week, p.answered, p.pass_rate) for p in points]
    return ReportTable(_t(lang, "Динамика проходимости по вопросам", "Pass rate trend by question"), caption,
                       columns, rows, lang)


def agreement_table(report: AgreementReport, caption: str, lang: str = "ru") -> ReportTable:
    """Each question's agreement with its suggestions, then the agreement of each check that decided them."""
    columns = (Column(_t(lang, "Анкета", "Rubric")), Column(_t(lang, "Вопрос", "Question")),
               Column(_t(lang, "Проверка", "Check")), Column(_t(lang, "С подсказкой", "Suggested"), "int"),
               Column(_t(lang, "Принято", "Accepted"), "int"),
               Column(_t(lang, "Согласие, %", "Agreement, %"), "number"))
    rows = []
    for question in report.questions:
        rows.append((question.rubric_slug, question.question, _t(lang, "все", "all"), question.suggested,
                     question.accepted, question.agreement))
        rows += [(c.rubric_slug, c.question, c.check_id, c.suggested, c.accepted, c.agreement) for c in report.checks
                 if (c.rubric_slug, c.question_id) == (question.rubric_slug, question.question_id)]
    return ReportTable(_t(lang, "Согласие с подсказками", "Agreement with suggestions"), caption, columns, rows,
                       lang)


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
    if report == "conversion":
        return conversion_table(callback_conversion(session, actor, scope, lang=lang), caption, lang)
    if report == "agreement":
        return agreement_table(suggestion_agreement(session, actor, scope, lang=lang), caption, lang)
    if report == "talk":
        return talk_table(talk_report(session, actor, scope, lang=lang), caption, lang)
    raise ValidationError("There is no report called {report}; choose one of: {reports}.", report=repr(report),
                          reports=", ".join(REPORTS))


def export_report(session: Session, actor: User, report: str, scope: ReportScope, path: str | Path, *,
                  fmt: str | None = None, lang: str = "ru", free_text: bool = False, by: str = "operator",
                  generated_at: datetime | None = None) -> Path:
    """Compute a report and write it to `path` (format from `fmt` or the file's extension); returns the path."""
    require(actor, EXPORT_DATA)
    table = report_table(session, actor, report, scope, lang=lang, free_text=free_text, by=by)
    return write_table(table, path, fmt, generated_at=generated_at)


def export_all_reports(session: Session, actor: User, scope: ReportScope, path: str | Path, *, current: str,
                       fmt: str | None = None, lang: str = "ru", free_text: bool = False, by: str = "operator",
                       generated_at: datetime | None = None) -> Path:
    """Every report in one file: an XLSX sheet per report (the `current` one open), a PDF section per report; a
    CSV holds one table, so it is the `current` report alone. Returns the path."""
    require(actor, EXPORT_DATA)
    path = Path(path)
    fmt = (fmt or path.suffix.lstrip(".")).lower()
    if fmt not in ("xlsx", "pdf"):
        return export_report(session, actor, current, scope, path, fmt=fmt, lang=lang, free_text=free_text, by=by,
                             generated_at=generated_at)
    tables = [report_table(session, actor, report, scope, lang=lang, free_text=free_text, by=by) for report in REPORTS]
    title = _t(lang, "Отчёты Kalibra", "Kalibra reports")
    try:
        if fmt == "xlsx":
            write_xlsx_sheets(tables, path, active=REPORTS.index(current), generated_at=generated_at)
        else:
            from review.reporting.pdf_report import write_pdf_sections

            write_pdf_sections(tables, path, title=title, generated_at=generated_at)
    except OSError as exc:
        raise ExportError("Could not write the report to {path}: {reason}.", path=str(path),
                          reason=str(exc.strerror or exc)) from exc
    return path


# -- writers ---------------------------------------------------------------------------------------------------
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
    """One report as a workbook of one sheet."""
    write_xlsx_sheets([table], path, generated_at=generated_at)


def write_xlsx_sheets(tables: list[ReportTable], path: Path, *, active: int = 0,
                      generated_at: datetime | None = None) -> None:
    """A sheet per table, named by its title, the `active` one open when the file is opened."""
    from openpyxl import Workbook

    generated_at = generated_at or clock.local_now()
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = tables[0].title if len(tables) == 1 else _t(tables[0].lang, "Отчёты", "Reports")
    workbook.properties.creator = "Kalibra"
    names: set[str] = set()
    for table in tables:
        name = _sheet_title(table.title)
        while name.casefold() in names:  # two titles alike in their first 31 letters
            name = f"{name[:28]} {len(names)}"
        names.add(name.casefold())
        _fill_sheet(workbook.create_sheet(name), table, generated_at)
    workbook.active = active
    workbook.save(path)


def _fill_sheet(sheet, table: ReportTable, generated_at: datetime) -> None:
    """Title, caption and generation time above the table; a styled, frozen, filterable header; numbers and dates
    stored as numbers and dates."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

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

