"""Guessing which column is which from the header, and reading any spreadsheet's text."""

from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from review.library.metadata import parse_datetime
from review.library.metadata_mapping import TAG, ColumnMapping, guess_targets, parse_overrides
from review.library.metadata_sidecar import read_sidecar, row_metadata
from review.library.metadata_table import MetadataError, decode_text


@pytest.mark.parametrize("headers, expected", [
    (["file", "operator", "datetime", "direction", "call_kind"],
     ["file", "operator", "started_at", "direction", "call_kind"]),
    (["calldate", "src", "dst", "disposition", "billsec", "recordingfile", "uniqueid"],
     ["started_at", "caller", "callee", TAG, TAG, "file", "call_id"]),
    (["Дата", "Время", "Оператор (ФИО)", "Телефон клиента", "Комментарий оператора", "Результат"],
     ["date", "time", "operator", "phone", TAG, "outcome"]),
    (["Agent", "Start", "Phone Number", "Запись разговора", "Внутренний номер", "Тип звонка", "Вид звонка"],
     ["operator", "started_at", "phone", "file", "extension", "direction", "call_kind"]),
    (["Оператор", "Сотрудник"], ["operator", TAG]),  # one column per field: the first wins
])
def test_guesses_from_russian_and_english_headers(headers, expected):
    assert guess_targets(headers) == expected


def test_assigning_a_column_moves_the_field():
    mapping = ColumnMapping(["Кто", "Оператор"], guess_targets(["Кто", "Оператор"]))
    mapping.assign("operator", "кто")  # case and spacing do not matter
    assert mapping.targets == ["operator", TAG]
    with pytest.raises(MetadataError, match="no column 'когда'"):
        mapping.assign("started_at", "когда")
    with pytest.raises(MetadataError, match="not a call field"):
        mapping.assign("start_time", "Кто")
    assert parse_overrides(["started_at=calldate", " operator = Агент "]) == {"started_at": "calldate",
                                                                             "operator": "Агент"}


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1251", "cp1251"), ("utf-16", "utf-16"),
    ("utf-16-le", "utf-16-le"), ("utf-16-be", "utf-16-be"),
])
def test_decoding_finds_the_encoding(encoding, expected):
    text = "Файл;Оператор\r\nзвонок.wav;Анна Смирнова\r\n"
    decoded, found = decode_text(text.encode(encoding))
    assert (decoded, found) == (text, expected)


CELLS = st.sampled_from(["file", "operator", "datetime", "a.wav", "31.02.2025", "вх", '"', '""', ";", ",", "\t",
                         "\r\n", "\n", "\x00", "Анна", "2025-03-11 09:12", "🙂", "=cmd|' /C calc'!A0", "\ufeff"])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300), st.lists(CELLS, max_size=40).map("".join).map(str.encode)),
       encoding=st.sampled_from(["utf-8", "cp1251", "utf-16"]))
def test_any_file_is_read_or_refused_in_plain_words(tmp_path, data, encoding):
    path = tmp_path / "metadata.csv"
    path.write_bytes(data if encoding == "utf-8" else data.decode("utf-8", "replace").encode(encoding, "replace"))
    try:
        sidecar = read_sidecar(path)
    except MetadataError as refused:
        assert "metadata.csv" in str(refused)
        return
    for row in sidecar.rows:
        row_metadata(row)  # bad values become problems, never exceptions


@pytest.mark.parametrize("text, expected", [
    ("1.3.2025 9:05", datetime(2025, 3, 1, 9, 5)), ("11.03.2025", datetime(2025, 3, 11)),
    ("2025-03-11 09:12:44", datetime(2025, 3, 11, 9, 12, 44)), ("2025-03-11T09:12:44+03:00", datetime(2025, 3, 11, 9, 12, 44)),
    ("11/03/2025 09:12", datetime(2025, 3, 11, 9, 12)), ("20250311-091244", datetime(2025, 3, 11, 9, 12, 44)),
])
def test_dates_as_clinics_write_them(text, expected):
    assert parse_datetime(text) == expected


def test_an_impossible_date_is_refused():
    with pytest.raises(MetadataError, match="'31.02.2025 10:00' is not understood"):
        parse_datetime("31.02.2025 10:00")
