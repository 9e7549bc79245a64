"""Which spreadsheet column holds which call field: guessed from Russian and English header names, fixable."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from review.library.metadata_table import MetadataError, Table

# What a column can be stored as, in the order the mapping step lists them.
FIELDS = ("file", "call_id", "operator", "extension", "started_at", "date", "time", "direction", "caller", "callee",
          "phone", "channel", "call_kind", "outcome", "language", "operator_channel", "tags")
TAG = "tag"  # kept on the call as a "column=value" tag
IGNORE = "ignore"
TARGETS = (*FIELDS, TAG, IGNORE)
# Columns that find a row's recording.
KEY_FIELDS = ("file", "call_id")

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "file": ("file", "filename", "recording", "recordingfile", "recfile", "record", "audio", "audiofile", "path",
             "wav", "файл", "имяфайла", "запись", "записьразговора", "файлзаписи", "путькзаписи", "путь"),
    "call_id": ("uniqueid", "callid", "linkedid", "идзвонка", "idзвонка", "идентификатор",
                "идентификаторзвонка", "uid"),
    "operator": ("operator", "agent", "agentname", "employee", "user", "username", "manager", "staff",
                 "оператор", "сотрудник", "менеджер", "агент", "фиооператора", "фиосотрудника", "администратор",
                 "ответственный"),
    "extension": ("extension", "ext", "exten", "internal", "внутренний", "внутреннийномер", "добавочный"),
    "started_at": ("startedat", "start", "started", "starttime", "datetime", "calldatetime", "calldate",
                   "timestamp", "begin", "datestart", "датавремя", "датаивремя", "времяначала", "начало",
                   "началозвонка", "датаивремязвонка", "датавремязвонка"),
    "date": ("date", "day", "дата", "день", "датазвонка"),
    "time": ("time", "calltime", "время", "времязвонка"),
    "direction": ("direction", "calldirection", "calltype", "inout", "направление", "типзвонка", "вхисх",
                  "входящийисходящий"),
    "caller": ("src", "source", "from", "caller", "callerid", "callernumber", "cnum", "откого", "звонящий",
               "номерзвонящего", "ктозвонил"),
    "callee": ("dst", "destination", "to", "called", "callee", "dialed", "кому", "куда", "набранныйномер"),
    "phone": ("phone", "phonenumber", "number", "telephone", "tel", "mobile", "customerphone", "clientphone",
              "patientphone", "телефон", "номер", "номертелефона", "телефонклиента", "телефонпациента",
              "мобильный"),
    "channel": ("channel", "канал", "каналсвязи"),
    "call_kind": ("callkind", "kind", "category", "topic", "purpose", "reason", "видзвонка", "типобращения",
                  "вид", "категория", "тема", "цель", "цельзвонка", "причина", "поводобращения"),
    "outcome": ("outcome", "result", "resolution", "итог", "результат", "исход", "итогзвонка",
                "результатзвонка"),
    "language": ("language", "lang", "язык"),
    "operator_channel": ("operatorchannel", "operatorside", "каналоператора"),
    "tags": ("tags", "labels", "теги", "метки", "ярлыки"),
}
_BY_SYNONYM = {word: name for name, words in _SYNONYMS.items() for word in words}


def header_key(header: str) -> str:
    """A header reduced to letters and digits ("Дата и время" → "датаивремя", "call_date" → "calldate")."""
    return re.sub(r"[^\w]|_", "", header.lower().replace("ё", "е"))


def guess_targets(headers: list[str]) -> list[str]:
    """One target per column: a field when the header names one (first column wins), else a tag."""
    targets = [TAG] * len(headers)
    taken: set[str] = set()
    keys = [header_key(h) for h in headers]
    for index, key in enumerate(keys):
        name = _BY_SYNONYM.get(key)
        if name and name not in taken:
            targets[index] = name
            taken.add(name)
    # A header that starts with a field's name ("Оператор (ФИО)", "Телефон клиента"); only at the start, so
    # "Комментарий оператора" stays a tag.
    for index, key in enumerate(keys):
        if targets[index] != TAG:
            continue
        candidates = [(len(word), name) for word, name in _BY_SYNONYM.items()
                      if len(word) >= 4 and key.startswith(word) and name not in taken]
        if candidates:
            name = max(candidates)[1]
            targets[index] = name
            taken.add(name)
    return targets


@dataclass
class ColumnMapping:
    """A target for each column of one table (`targets[i]` is what column `headers[i]` is stored as)."""

    headers: list[str]
    targets: list[str]

    def column_of(self, name: str) -> str | None:
        return next((h for h, t in zip(self.headers, self.targets, strict=True) if t == name), None)

    def assign(self, name: str, column: str) -> None:
        """Store `column` as field `name` (any other column that was `name` becomes a tag)."""
        if name not in TARGETS:
            raise MetadataError("{field} is not a call field; the fields are: {fields}.", field=name,
                                fields=", ".join(TARGETS))
        index = self.index_of(column)
        if name in FIELDS:
            self.targets = [TAG if t == name else t for t in self.targets]
        self.targets[index] = name

    def index_of(self, column: str) -> int:
        key = header_key(column)
        for index, header in enumerate(self.headers):
            if header == column or header_key(header) == key:
                return index
        raise MetadataError("There is no column {column}; the columns are: {columns}.", column=repr(column),
                            columns=", ".join(self.headers))

    def as_pairs(self) -> list[tuple[str, str]]:
        """(target, column) for every column: what the settings remember and `mapping_for` takes as `base`."""
        return [(t, h) for h, t in zip(self.headers, self.targets, strict=True)]

    def has_key(self) -> bool:
        return any(t in KEY_FIELDS for t in self.targets)


def parse_overrides(items: list[str]) -> dict[str, str]:
    """`["started_at=calldate", "operator=Агент"]` → {"started_at": "calldate", "operator": "Агент"}."""
    overrides: dict[str, str] = {}
    for item in items:
        name, sep, column = item.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise MetadataError("--map takes FIELD=COLUMN (e.g. started_at=calldate), not {item}.", item=repr(item))
        overrides[name.strip()] = column.strip()
    return overrides


def mapping_for(table: Table, overrides: dict[str, str] | None = None,
                base: Iterable[tuple[str, str]] = ()) -> ColumnMapping:
    """The guessed mapping of `table`, then `base` ((target, column) pairs of a preset or a remembered
    mapping), then `overrides` (field → column) on top. A `base` column missing from this table is passed
    over (a remembered mapping meets a slightly different export); an override naming one is an error."""
    mapping = ColumnMapping(list(table.headers), guess_targets(table.headers))
    for name, column in base:
        try:
            mapping.assign(name, column)
        except MetadataError:
            continue
    for name, column in (overrides or {}).items():
        mapping.assign(name, column)
    return mapping


@dataclass
class MappedRow:
    """One spreadsheet row as named fields, and which column each field came from (for problems)."""

    line: int
    fields: dict[str, str]
    columns: dict[str, str]
    tags: list[str] = field(default_factory=list)


def map_row(mapping: ColumnMapping, line: int, cells: list[str]) -> MappedRow:
    row = MappedRow(line, {}, {})
    for index, (header, target) in enumerate(zip(mapping.headers, mapping.targets, strict=True)):
        value = cells[index].strip() if index < len(cells) else ""
        if not value or target == IGNORE:
            continue
        if target == TAG:
            row.tags.append(f"{header}={value}")
        else:
            row.fields[target] = value
            row.columns[target] = header
    return row
