"""The one way text reaches a CSV or XLSX cell: a spreadsheet never runs it as a formula.

A value that starts with = + - @ (or a tab or carriage return, which Excel skips before them) would be
a live formula when the file is opened; such text gets a leading apostrophe in CSV and is stored as a
plain string in XLSX. Numbers and dates are written as they are, so a negative score stays a number.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_TYPED = (int, float, Decimal, date, datetime)


def is_formula_like(text: str) -> bool:
    return text[:1] in FORMULA_STARTS


def csv_cell(value: object, text: str | None = None) -> str:
    """The text for a CSV cell; `text` is how `value` is shown (formatted numbers, dates) when given."""
    if value is None:
        return text or ""
    shown = str(value) if text is None else text
    if isinstance(value, _TYPED) and not isinstance(value, bool):
        return shown
    return "'" + shown if is_formula_like(shown) else shown


def set_xlsx_cell(cell, value: object) -> None:
    """Put `value` into an openpyxl cell: numbers and dates typed, text always text (never a formula)."""
    cell.value = value
    if isinstance(value, str) and is_formula_like(value):
        cell.data_type = "s"
