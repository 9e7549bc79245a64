"""A report as a table every writer takes (title, caption, typed columns, rows) and how its cells read.

The CSV and XLSX writers (reporting.exports) and the PDF writer (reporting.pdf_report) depend on this module,
never on each other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from review.errors import KalibraError

COLUMN_KINDS = ("text", "int", "number", "date")


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
class WeeklyChart:
    """Lines of percentages (0-100) by week, drawn above a table in a PDF: (name, ((Monday, value), ...))."""

    title: str
    lines: tuple[tuple[str, tuple[tuple[date, float], ...]], ...]


@dataclass(frozen=True)
class ReportTable:
    title: str
    caption: str
    columns: tuple[Column, ...]
    rows: list[tuple]
    lang: str  # the language of the titles; cells follow it (decimal comma in Russian)
    chart: WeeklyChart | None = None


def format_number(value: float, lang: str) -> str:
    """At most two decimals, no trailing zeros; a decimal comma in Russian (what Excel in Russian expects)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if lang != "en" else text


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_cell(value, kind: str, lang: str) -> str:
    if value is None:
        return ""
    if isinstance(value, str):  # a note in a number column ("no evaluations in this period")
        return value
    if kind == "date" and isinstance(value, date):
        # As every date on screen: 26 Oct 2026 in English (not 2026-10-26), 26.10.2026 in Russian.
        return f"{value.day:02d} {_MONTHS[value.month - 1]} {value.year}" if lang == "en" else value.strftime("%d.%m.%Y")
    if kind == "number":
        return format_number(float(value), lang)
    return str(value)
