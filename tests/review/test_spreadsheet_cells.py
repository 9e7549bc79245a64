"""Text that a spreadsheet would run as a formula is written as text in every CSV and XLSX export."""

from __future__ import annotations

import csv
from datetime import datetime

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from review.audit.trail import record
from review.reporting.audit_log import AuditFilter, export_audit_csv
from review.reporting.exports import Column, ReportTable, export_report, write_table
from review.models import Operator, User
from review.reporting.reports import ReportScope
from review.reporting.spreadsheet_cells import csv_cell
from tests.review.report_fixtures import PERIOD, build_report_clinic

NASTY = ["=cmd|' /C calc'!A0", "+79161234567", "-Анна", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", NASTY)
def test_formula_like_text_is_guarded_and_numbers_are_not(text):
    assert csv_cell(text) == "'" + text
    assert csv_cell(-5) == "-5" and csv_cell(-1.5, "-1,5") == "-1,5"
    assert csv_cell("Анна") == "Анна" and csv_cell(None) == ""


def test_a_table_of_nasty_text_in_csv_and_xlsx(tmp_path):
    table = ReportTable("=title", "+caption", (Column("-who"), Column("score", "number")),
                        [(text, -1.5) for text in NASTY], lang="en")
    with write_table(table, tmp_path / "t.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["'-who", "score"]
    assert [row[0] for row in rows[1:]] == ["'" + text for text in NASTY]
    assert [row[1] for row in rows[1:]] == ["-1.5"] * len(NASTY)
    sheet = load_workbook(write_table(table, tmp_path / "t.xlsx", generated_at=datetime(2026, 3, 1))).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]  # not one live formula
    texts = {cell.value for cell in cells if cell.data_type == "s"}
    # (a carriage return does not survive XML's line-end normalisation; it is text all the same)
    assert (set(NASTY) - {"\r=1+1"}) | {"=title", "+caption", "-who"} <= texts
    assert [cell.value for cell in cells if cell.data_type == "n"] == [-1.5] * len(NASTY)


def test_an_operator_named_like_a_formula_is_text_in_report_exports(sqlite_db, tmp_path):
    clinic = build_report_clinic(sqlite_db)
    with sqlite_db.unit_of_work() as session:
        session.scalars(select(Operator).where(Operator.name == "Анна")).one().name = "=HYPERLINK(\"x\")"
    with sqlite_db.sessions() as session:
        csv_path = export_report(session, clinic.manager, "scorecards", ReportScope(*PERIOD), tmp_path / "s.csv")
        xlsx_path = export_report(session, clinic.manager, "scorecards", ReportScope(*PERIOD), tmp_path / "s.xlsx")
    assert "'=HYPERLINK" in csv_path.read_text(encoding="utf-8-sig")
    sheet = load_workbook(xlsx_path).active
    [cell] = [c for row in sheet.iter_rows() for c in row if c.value == '=HYPERLINK("x")']
    assert cell.data_type == "s"


def test_the_audit_export_uses_the_same_guard(sqlite_db, tmp_path):
    clinic = build_report_clinic(sqlite_db)
    with sqlite_db.unit_of_work() as session:
        record(session, session.get(User, clinic.admin.id), "rename", session.scalars(select(Operator)).first(),
               note="=1+1")
    path = tmp_path / "audit.csv"
    with sqlite_db.sessions() as session:
        export_audit_csv(session, clinic.admin, AuditFilter(), path)
    assert "'=1+1" in path.read_text(encoding="utf-8-sig")
