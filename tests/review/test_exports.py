"""Report files: CSV that Excel opens in Russian, XLSX read back cell by cell, PDF with extractable Cyrillic."""

from __future__ import annotations

import csv
import subprocess
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from review.errors import AccessDenied
from review.reporting.exports import export_report, report_table, write_table
from review.reporting.reports import ReportScope
from review.reporting.tables import ExportError, format_number
from tests.conftest import need_tool
from tests.review.report_fixtures import PERIOD, build_report_clinic

MARCH = ReportScope(*PERIOD)
AT = datetime(2026, 3, 16, 9, 30)


@pytest.fixture
def clinic(sqlite_db):
    return build_report_clinic(sqlite_db)


def _export(db, actor, report, path, **kw) -> Path:
    with db.sessions() as session:
        return export_report(session, actor, report, MARCH, path, generated_at=AT, **kw)


def test_csv_has_a_bom_semicolons_and_decimal_commas(sqlite_db, clinic, tmp_path):
    path = _export(sqlite_db, clinic.manager, "scorecards", tmp_path / "cards.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines(), delimiter=";"))
    assert rows[0] == ["Оператор", "Команда", "Оценок", "Средний балл, %", "Критичные, %", "Фатальные ошибки",
                       "Благодарности", "Открытые цели", "Чаты и письма: первый ответ (медиана), мин",
                       "Чаты и письма: макс. ожидание, мин"]
    assert rows[1:] == [["Анна", "Регистратура А", "2", "79,17", "100", "0", "2", "2", "", ""],
                        ["Борис", "Регистратура А", "2", "50", "50", "1", "0", "0", "", ""],
                        ["Вера", "Регистратура Б", "1", "50", "50", "0", "0", "0", "", ""],
                        ["Глеб", "Регистратура Б", "0", "нет оценок за период", "", "0", "0", "0", "", ""]]


def test_csv_in_english_and_free_text_masked(sqlite_db, clinic, tmp_path):
    path = _export(sqlite_db, clinic.manager, "growth", tmp_path / "growth.csv", lang="en", free_text=True)
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:4] == ["Rubric", "Section", "Question", "Growth area, sessions"]
    assert rows[1] == ["Mini", "Booking", "Offered an alternative", "2", "2", "1", "4", "50", "-50"]
    assert ["", "Free text", "Перезвонить пациенту по номеру [phone]", "1", "1", "0", "0", "", ""] in rows
    assert "916" not in path.read_text(encoding="utf-8-sig")
    default = _export(sqlite_db, clinic.manager, "growth", tmp_path / "growth-ru.csv")
    assert "Перезвонить" not in default.read_text(encoding="utf-8-sig")  # free text only when asked for


def test_xlsx_cells_header_and_types(sqlite_db, clinic, tmp_path):
    path = _export(sqlite_db, clinic.manager, "growth", tmp_path / "growth.xlsx")
    sheet = load_workbook(path).active
    assert sheet.title == "Зоны роста"
    assert sheet["A1"].value == "Зоны роста" and sheet["A1"].font.bold
    assert sheet["A2"].value == "Период: 02.03.2026 – 15.03.2026"
    assert sheet["A3"].value == "Сформирован: 16.03.2026 09:30"
    header = [cell.value for cell in sheet[5]]
    assert header == ["Анкета", "Раздел", "Вопрос", "Зона роста, сессий", "Изменение", "Сильная сторона, сессий",
                      "Оценок", "Проходимость, %", "Изменение, п. п."]
    assert all(cell.font.bold and cell.fill.fgColor.rgb.endswith("0F8B8D") for cell in sheet[5])
    assert sheet.freeze_panes == "A6"
    assert sheet.auto_filter.ref == "A5:I10"
    first = [cell.value for cell in sheet[6]]
    assert first == ["Мини", "Запись", "Предложил альтернативу", 2, 2, 1, 4, 50.0, -50.0]
    assert all(sheet[ref].data_type == "n" for ref in ("D6", "E6", "G6", "H6", "I6"))  # numbers, not text
    assert sheet["H6"].number_format == "0.0#"
    free = [cell.value for cell in sheet[9]]
    assert free[2] == "Свободные заметки" and free[7] is None  # no pass rate: an empty cell, not a dash
    assert sheet.column_dimensions["C"].width > sheet.column_dimensions["A"].width >= 8
    assert sheet.max_row == 10


def test_xlsx_trend_dates_are_dates(sqlite_db, clinic, tmp_path):
    path = _export(sqlite_db, clinic.manager, "score_trend", tmp_path / "trend.xlsx", by="team")
    sheet = load_workbook(path).active
    assert [cell.value for cell in sheet[5]] == ["Команда", "Неделя с", "Оценок", "Средний балл, %"]
    assert [cell.value for cell in sheet[6]] == ["Регистратура А", datetime(2026, 3, 2), 2, 50.0]
    assert sheet["B6"].number_format == "DD.MM.YYYY"
    assert round(sheet["D7"].value, 2) == 79.17


def _pdftotext(path: Path) -> str:
    need_tool("pdftotext", "poppler-utils")
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_pdf_is_a_pdf_with_extractable_cyrillic(sqlite_db, clinic, tmp_path):
    path = _export(sqlite_db, clinic.manager, "growth", tmp_path / "growth.pdf")
    assert path.read_bytes().startswith(b"%PDF-")
    text = _pdftotext(path)
    for expected in ("Зоны роста", "Период: 02.03.2026 – 15.03.2026", "Сформирован: 16.03.2026 09:30",
                     "Предложил альтернативу", "Поздоровался тепло", "Проходимость", "стр. 1"):
        assert expected in text, expected


def test_pdf_of_many_rows_spans_pages_with_the_header_repeated(sqlite_db, clinic, tmp_path):
    with sqlite_db.sessions() as session:
        table = report_table(session, clinic.manager, "scorecards", MARCH)
    many = table.__class__(table.title, table.caption, table.columns, table.rows * 60, table.lang)
    path = write_table(many, tmp_path / "many.pdf", generated_at=AT)
    text = _pdftotext(path)
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 3
    assert all("Оператор" in page for page in pages if page.strip())


def test_empty_report_still_writes_every_format(sqlite_db, clinic, tmp_path):
    scope = ReportScope(date(2025, 1, 1), date(2025, 1, 31))
    with sqlite_db.sessions() as session:
        for suffix in ("csv", "xlsx", "pdf"):
            export_report(session, clinic.manager, "question_trend", scope, tmp_path / f"empty.{suffix}")
    assert load_workbook(tmp_path / "empty.xlsx").active["A5"].value == "Анкета"
    text = _pdftotext(tmp_path / "empty.pdf")
    assert text is None or "За этот период данных нет." in text


def test_font_errors_name_what_to_install(sqlite_db, clinic, tmp_path, monkeypatch):
    import reportlab

    import review.reporting.pdf_report as pdf_report

    vera = Path(reportlab.__file__).parent / "fonts" / "Vera.ttf"  # a real TTF without Cyrillic
    monkeypatch.setenv("KALIBRA_PDF_FONT", str(vera))
    with pytest.raises(ExportError, match="KALIBRA_PDF_FONT .* not a TrueType font with Cyrillic"):
        _export(sqlite_db, clinic.manager, "growth", tmp_path / "a.pdf")
    monkeypatch.delenv("KALIBRA_PDF_FONT")
    monkeypatch.setattr(pdf_report, "FONT_CANDIDATES", ((vera, vera), (tmp_path / "none.ttf", tmp_path / "x.ttf")))
    with pytest.raises(ExportError, match="fonts-dejavu-core"):
        _export(sqlite_db, clinic.manager, "growth", tmp_path / "b.pdf")


def test_refusals_and_bad_targets(sqlite_db, clinic, tmp_path):
    with pytest.raises(AccessDenied):  # operators may see their own reports but not export them
        _export(sqlite_db, clinic.anna_user, "growth", tmp_path / "x.csv")
    with pytest.raises(ExportError, match="not one of CSV, XLSX, PDF"):
        _export(sqlite_db, clinic.manager, "growth", tmp_path / "x.doc")
    with pytest.raises(ExportError, match="Could not write the report to"):
        _export(sqlite_db, clinic.manager, "growth", tmp_path / "missing-folder" / "x.xlsx")
    with pytest.raises(ExportError, match="Could not write the report to"):
        _export(sqlite_db, clinic.manager, "growth", tmp_path / "missing-folder" / "x.csv")


def test_number_format():
    assert [format_number(v, "ru") for v in (79.1666, 100.0, 50.5, -40.0, 0.004)] == ["79,17", "100", "50,5", "-40", "0"]
    assert format_number(33.333, "en") == "33.33"


def _pixels(path: Path, tmp_path: Path):
    """The PDF's first page as an RGB array (pdftoppm's PPM: a short header, then the bytes)."""
    import numpy as np

    need_tool("pdftoppm", "poppler-utils")
    stem = tmp_path / path.stem
    subprocess.run(["pdftoppm", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(path), str(stem)], check=True)
    raw = stem.with_suffix(".ppm").read_bytes()
    magic, width, height, _depth, body = raw.split(maxsplit=4)
    assert magic == b"P6"
    return np.frombuffer(body, dtype=np.uint8).reshape(int(height), int(width), 3)


def _has_colour(pixels, hex_colour: str) -> bool:
    import numpy as np

    rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)])
    return bool((np.abs(pixels.astype(int) - rgb).sum(axis=2) < 40).any())


def test_trend_pdf_draws_the_weekly_chart_above_its_table(sqlite_db, clinic, tmp_path):
    trend = _export(sqlite_db, clinic.manager, "score_trend", tmp_path / "trend.pdf")
    growth = _export(sqlite_db, clinic.manager, "growth", tmp_path / "growth.pdf")
    text = _pdftotext(trend)
    for expected in ("Средний балл по неделям, %", "100 %", "50 %", "02.03", "09.03", "Вера"):
        assert expected in text, expected
    assert text.index("Средний балл по неделям") < text.index("Неделя с")  # the chart, then the table
    # Борис's line is the palette's second colour, Вера's the third: only a chart paints them.
    assert _has_colour(_pixels(trend, tmp_path), "#E69F00") and _has_colour(_pixels(trend, tmp_path), "#0072B2")
    assert not _has_colour(_pixels(growth, tmp_path), "#E69F00")


def test_every_report_in_one_workbook_and_one_pdf(sqlite_db, clinic, tmp_path):
    from review.reporting.exports import REPORTS, export_all_reports

    with sqlite_db.sessions() as session:
        book = export_all_reports(session, clinic.manager, MARCH, tmp_path / "all.xlsx", current="scorecards",
                                  generated_at=AT)
        pdf = export_all_reports(session, clinic.manager, MARCH, tmp_path / "all.pdf", current="scorecards",
                                 generated_at=AT)
        csv_path = export_all_reports(session, clinic.manager, MARCH, tmp_path / "one.csv", current="scorecards")
    workbook = load_workbook(book)
    titles = ["Зоны роста", "Показатели операторов", "Динамика среднего балла", "Динамика проходимости по вопрос",
              "Конверсия обзвона в запись", "Согласие с подсказками", "Разговор"]
    assert workbook.sheetnames == titles and len(titles) == len(REPORTS)
    assert workbook.active.title == "Показатели операторов" and workbook.active["A9"].value == "Глеб"
    assert workbook["Зоны роста"]["C6"].value == "Предложил альтернативу"
    assert workbook["Динамика среднего балла"]["A6"].value == "Анна"
    text = _pdftotext(pdf)
    pages = [page for page in text.split("\f") if page.strip()]
    assert len(pages) >= len(REPORTS)
    for title in ("Зоны роста", "Показатели операторов", "Динамика среднего балла", "Динамика проходимости по вопросам",
                  "Конверсия обзвона в запись", "Согласие с подсказками", "Разговор", "нет оценок за период",
                  "Средний балл по неделям, %"):
        assert title in text, title
    assert "Kalibra · Отчёты Kalibra · стр. 2" in text
    assert csv_path.read_text(encoding="utf-8-sig").startswith("Оператор;Команда")  # a CSV is one table
