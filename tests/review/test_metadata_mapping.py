"""Guessing which column is which from the header, and reading any spreadsheet's text."""

import pytest

from review.metadata_mapping import TAG, ColumnMapping, guess_targets, parse_overrides
from review.metadata_table import MetadataError, decode_text


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
