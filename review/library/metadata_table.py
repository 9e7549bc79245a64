"""Reading a metadata spreadsheet as clinics have it: CSV in any common encoding and delimiter, or XLSX."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from review.errors import ImportProblem

SPREADSHEET_EXTENSIONS = frozenset({".csv", ".tsv", ".txt", ".xlsx", ".xlsm"})
_DELIMITERS = ",;\t|"


class MetadataError(ImportProblem, ValueError):
    """A metadata file or value that cannot be used; the message names the problem."""


@dataclass
class TableRow:
    line: int  # the line (CSV) or row (XLSX) a person finds it on
    cells: list[str]


@dataclass
class Table:
    """A spreadsheet's header and rows as text; `headerless` when the first row was already data."""

    path: Path
    headers: list[str]
    rows: list[TableRow]
    encoding: str = ""
    delimiter: str = ""
    headerless: bool = False

    def first_row_cells(self) -> list[str]:
        return self.headers if self.headerless else (self.rows[0].cells if self.rows else [])


def _utf16_order(sample: bytes) -> str | None:
    """'le' or 'be' when `sample` reads as UTF-16 text without a byte-order mark: every other byte is the
    high byte of a Latin or Cyrillic letter (0x00, 0x04) or of punctuation (0x20)."""
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    sample = sample[: len(sample) // 2 * 2]
    for order, high in (("le", sample[1::2]), ("be", sample[0::2])):
        if sum(byte in (0x00, 0x04, 0x20) for byte in high) >= 0.95 * len(high) and high.count(0) > 0:
            return order
    return None


def decode_text(raw: bytes) -> tuple[str, str]:
    """The text of a CSV and the encoding it was in: a byte-order mark decides; else UTF-16 when the bytes
    say so, UTF-8 when it decodes, else Windows-1251 (what Russian Excel writes)."""
    if raw.startswith(b"\xef\xbb\xbf"):
        return raw[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", errors="replace"), "utf-16"
    order = _utf16_order(raw[:4096])
    if order is not None:
        return raw.decode(f"utf-16-{order}", errors="replace"), f"utf-16-{order}"
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1251", errors="replace"), "cp1251"


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        # One column, or a sniffer confused by quotes: the most frequent candidate on the first line wins.
        first = sample.split("\n", 1)[0]
        best = max(_DELIMITERS, key=first.count)
        return best if first.count(best) else ","


def _read_csv(path: Path, raw: bytes) -> Table:
    text, encoding = decode_text(raw)
    if "\x00" in text:
        raise MetadataError("{name} is not a text file (it holds binary data): save the metadata as CSV or XLSX.",
                            name=path.name)
    delimiter = _sniff_delimiter(text)
    # strict: an unclosed quote is an error at its line, not one field that swallows the rest of the file
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[TableRow] = []
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append(TableRow(reader.line_num, [cell.strip() for cell in cells]))
    except csv.Error as exc:
        raise MetadataError("{name}, line {line}: the CSV cannot be read ({reason}).", name=path.name,
                            line=reader.line_num, reason=str(exc)) from exc
    if not rows:
        raise MetadataError("{name} is empty.", name=path.name)
    header = rows.pop(0)
    return Table(path, header.cells, rows, encoding, delimiter)


def cell_text(value: object) -> str:
    """An XLSX cell as the text a CSV would hold (dates in ISO form, whole numbers without '.0')."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_xlsx(path: Path, raw: bytes | None = None) -> Table:
    from openpyxl import load_workbook  # loads on first use: openpyxl is slow to import

    try:
        # From the bytes, so a workbook saved under a .csv name is read too (openpyxl goes by the extension).
        book = load_workbook(io.BytesIO(raw) if raw is not None else path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and its own errors for a damaged file
        raise MetadataError("{name} is not a readable Excel workbook ({reason}).", name=path.name,
                            reason=str(exc) or exc.__class__.__name__) from exc
    try:
        sheet = book.worksheets[0]
        rows = [TableRow(number, [cell_text(v) for v in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
                if any(v is not None and str(v).strip() for v in values)]
    finally:
        book.close()
    if not rows:
        raise MetadataError("{name} is empty.", name=path.name)
    header = rows.pop(0)
    return Table(path, header.cells, rows, "xlsx", "")


def read_table(path: Path) -> Table:
    """The spreadsheet at `path`, its first row taken as the header (presets may re-read it as data).
    Raises MetadataError when the file cannot be read at all."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise MetadataError("{name} cannot be read: {reason}.", name=path.name, reason=exc.strerror) from exc
    if raw.startswith(b"PK\x03\x04"):
        return _read_xlsx(path, raw)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        raise MetadataError("{name} is not a readable Excel workbook ({reason}).", name=path.name,
                            reason="not a ZIP file")
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise MetadataError("{name} is an old Excel .xls file; save it as XLSX or CSV.", name=path.name)
    return _read_csv(path, raw)


def as_headerless(table: Table, headers: list[str]) -> Table:
    """The same file read with no header row: its first row becomes data, `headers` name the columns."""
    first = TableRow(1, table.headers)
    return Table(table.path, list(headers), [first, *table.rows], table.encoding, table.delimiter, headerless=True)
