"""Metadata as clinics have it: any CSV or XLSX, guessed mappings, a bad value losing only itself."""

import os
from datetime import datetime

import pytest
from sqlalchemy import select

from review.library.importing import import_recordings
from review.library.metadata_sidecar import MetadataChoice
from review.library.vocabularies import unknown_values
from review.models import Call
from tests.conftest import write_tone_call

# The user's spreadsheet from the issue: the clinic's own call kinds and a `datetime` column.
SEVEN = [
    ("c1.wav", "Анна Смирнова", datetime(2025, 3, 11, 9, 12, 44), "in", "booking_cardiologist"),
    ("c2.wav", "Игорь Петров", datetime(2025, 3, 11, 10, 5), "out", "callback_preventive_checkup"),
    ("c3.wav", "Анна Смирнова", datetime(2025, 3, 11, 11, 30), "in", "booking_dentist"),
    ("c4.wav", "Ольга Кузнецова", datetime(2025, 3, 12, 9, 0), "out", "callback_lost_patient"),
    ("c5.wav", "Игорь Петров", datetime(2025, 3, 12, 12, 15), "in", "question_about_prices"),
    ("c6.wav", "Ольга Кузнецова", datetime(2025, 3, 12, 14, 40), "out", "callback_treatment_plan"),
    ("c7.wav", "Анна Смирнова", datetime(2025, 3, 13, 16, 20), "in", "complaint_waiting_time"),
]
SEVEN_KINDS = {row[4] for row in SEVEN}


def _recordings(folder):
    for index, row in enumerate(SEVEN):
        write_tone_call(folder / row[0], seconds=1.0 + index / 10)


def _stored(db):
    with db.sessions() as session:
        calls = session.scalars(select(Call).order_by(Call.path)).all()
        return [(os.path.basename(c.path), c.operator.name if c.operator else None, c.started_at, c.direction,
                 c.call_kind) for c in calls]


def _english_csv(path, encoding="utf-8", delimiter=","):
    lines = [delimiter.join(["file", "operator", "datetime", "direction", "call_kind"])]
    lines += [delimiter.join([f, o, t.isoformat(sep=" "), d, k]) for f, o, t, d, k in SEVEN]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode(encoding))


def test_the_seven_row_file_keeps_every_field_and_offers_its_kinds(db, admin, tmp_path):
    folder = tmp_path / "rec"
    _recordings(folder)
    _english_csv(folder / "calls.csv")  # not called metadata.csv: the only spreadsheet there is read
    report = import_recordings(db, admin, [folder])
    assert report.imported == 7 and report.problems == []
    assert _stored(db) == sorted(SEVEN)
    with db.sessions() as session:
        assert set(unknown_values(session, "call_kind", report.call_ids)) == SEVEN_KINDS


def test_the_same_file_given_explicitly(db, admin, tmp_path):
    _recordings(tmp_path / "rec")
    (tmp_path / "export").mkdir()
    _english_csv(tmp_path / "export" / "calls.csv")
    report = import_recordings(db, admin, [tmp_path / "rec"], metadata_csv=tmp_path / "export" / "calls.csv")
    assert report.problems == [] and _stored(db) == sorted(SEVEN)


def _russian_rows():
    header = ["Файл", "Оператор", "Дата и время", "Направление", "Вид звонка"]
    rows = [[f, o, t.strftime("%d.%m.%Y %H:%M:%S"), {"in": "вх", "out": "исх"}[d], k] for f, o, t, d, k in SEVEN]
    return header, rows


def _write_xlsx(path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["Файл", "Оператор", "Дата и время", "Направление", "Вид звонка"])
    for f, o, t, d, k in SEVEN:
        sheet.append([f, o, t, {"in": "Входящий", "out": "Исходящий"}[d], k])  # a real date cell
    book.save(path)


def _write_1251(path):
    header, rows = _russian_rows()
    path.write_bytes("\r\n".join(";".join(r) for r in [header, *rows]).encode("cp1251"))


def _write_utf16_tabs(path):  # Excel's "Unicode text"
    header, rows = _russian_rows()
    path.write_bytes("\r\n".join("\t".join(r) for r in [header, *rows]).encode("utf-16"))


@pytest.mark.parametrize("name, write", [
    ("metadata.csv", _write_1251),
    ("metadata.csv", lambda p: _english_csv(p, "utf-8-sig", ";")),
    ("Звонки.xlsx", _write_xlsx),
    ("metadata.csv", _write_utf16_tabs),
], ids=["windows-1251-semicolons", "utf-8-bom", "xlsx", "utf-16-tabs"])
def test_encodings_delimiters_and_xlsx_import_the_same_data(db, admin, tmp_path, name, write):
    folder = tmp_path / "rec"
    _recordings(folder)
    write(folder / name)
    report = import_recordings(db, admin, [folder])
    assert report.problems == [] and report.imported == 7
    assert _stored(db) == sorted(SEVEN)


def test_a_bad_date_loses_only_itself_and_is_named(db, admin, tmp_path):
    folder = tmp_path / "rec"
    write_tone_call(folder / "a.wav")
    write_tone_call(folder / "b.wav", seconds=1.5)
    (folder / "calls.csv").write_text(
        "file;operator;datetime;direction;outcome;phone\n"
        "a.wav;Анна Смирнова;31.02.2025 10:00;out;booked;+7 916 123-45-67\n"
        "b.wav;Игорь Петров;2025-03-11 10:00;sideways;not_booked;\n", encoding="utf-8")
    report = import_recordings(db, admin, [folder])
    assert report.imported == 2
    by_place = {p.path: p.reason for p in report.problems}
    assert set(by_place) == {f"{folder / 'calls.csv'}:2", f"{folder / 'calls.csv'}:3"}
    date_problem = by_place[f"{folder / 'calls.csv'}:2"]
    assert "'datetime'" in date_problem and "'31.02.2025 10:00'" in date_problem and "a.wav" in date_problem
    assert "'sideways'" in by_place[f"{folder / 'calls.csv'}:3"]
    with db.sessions() as session:
        a, b = session.scalars(select(Call).order_by(Call.path)).all()
        assert (a.operator.name, a.started_at, a.direction, a.outcome, a.phone) == \
            ("Анна Смирнова", None, "out", "booked", "+7 916 123-45-67")
        assert (b.operator.name, b.started_at, b.direction, b.outcome) == \
            ("Игорь Петров", datetime(2025, 3, 11, 10, 0), None, "not_booked")


def test_mapping_overrides_and_separate_date_and_time(db, admin, tmp_path):
    folder = tmp_path / "rec"
    write_tone_call(folder / "x.wav")
    (folder / "export.csv").write_text("Запись,Кто отвечал,Дата,Время,Итог звонка\n"
                                       "x.wav,Анна Смирнова,11.03.2025,09:12,Записан\n", encoding="utf-8")
    report = import_recordings(db, admin, [folder], metadata=MetadataChoice(overrides={"operator": "Кто отвечал"}))
    assert report.problems == []
    with db.sessions() as session:
        call = session.scalars(select(Call)).one()
        # "Записан" is the Russian label of the workspace's outcome "booked".
        assert (call.operator.name, call.started_at, call.outcome) == \
            ("Анна Смирнова", datetime(2025, 3, 11, 9, 12), "booked")


def test_unused_spreadsheets_and_unmatched_rows_are_reported(db, admin, tmp_path):
    folder = tmp_path / "rec"
    write_tone_call(folder / "a.wav")
    (folder / "metadata.csv").write_text("file,operator\na.wav,Анна\nghost.wav,Игорь\n", encoding="utf-8")
    (folder / "old export.xlsx").write_bytes(b"PK\x03\x04 not really")
    report = import_recordings(db, admin, [folder])
    reasons = {os.path.basename(p.path): p.reason for p in report.problems}
    assert "not used" in reasons["old export.xlsx"]
    assert reasons["metadata.csv"] == "rows that match no recording: 1 (the first on line 3)"


@pytest.mark.parametrize("content, words", [
    (b"", "is empty"),
    (b"\x00\x01\x02binary\x00" * 20, "binary"),
    (b"PK\x03\x04 broken zip", "not a readable Excel workbook"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1old excel", ".xls"),
    ("имя;кто\nx;y\n".encode("cp1251"), "no 'file' column"),
], ids=["empty", "binary", "broken-xlsx", "old-xls", "no-file-column"])
def test_malformed_metadata_is_one_plain_message_and_the_recording_still_imports(db, admin, tmp_path, content,
                                                                                 words):
    folder = tmp_path / "rec"
    write_tone_call(folder / "a.wav")
    (folder / "metadata.csv").write_bytes(content)
    report = import_recordings(db, admin, [folder])
    assert report.imported == 1
    [problem] = report.problems
    assert problem.path.endswith("metadata.csv") and words in problem.reason and "metadata.csv" in problem.reason
    with db.sessions() as session:
        call = session.scalars(select(Call)).one()
        assert call.operator_id is None and call.started_at is None


def test_an_override_naming_a_missing_column_is_reported(db, admin, tmp_path):
    folder = tmp_path / "rec"
    write_tone_call(folder / "a.wav")
    (folder / "metadata.csv").write_text("file,operator\na.wav,Анна\n", encoding="utf-8")
    report = import_recordings(db, admin, [folder], metadata=MetadataChoice(overrides={"started_at": "calldate"}))
    [problem] = report.problems
    assert "calldate" in problem.reason and "file, operator" in problem.reason


def test_the_preview_shows_rows_as_stored_and_offers_the_seven_kinds(db, tmp_path):
    from review.library.metadata_preview import preview_metadata
    from review.library.vocabularies import load_vocabulary

    _english_csv(tmp_path / "calls.csv")
    with db.sessions() as session:
        vocabulary = load_vocabulary(session)
    preview = preview_metadata(tmp_path / "calls.csv", None, vocabulary, limit=3)
    assert len(preview.rows) == 3 and preview.problem_count == 0
    assert preview.rows[0].values == {"file": "c1.wav", "operator": "Анна Смирнова", "started_at": "2025-03-11 09:12",
                                      "direction": "in", "phone": "", "call_kind": "booking_cardiologist",
                                      "outcome": "", "tags": ""}
    assert {(t.vocabulary, t.code, t.count) for t in preview.new_terms} == {("call_kind", k, 1) for k in SEVEN_KINDS}
