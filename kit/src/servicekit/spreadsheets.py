"""Cells that are safe to open: CSV/XLSX injection (OWASP "CSV Injection") neutralised in every export.

A spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage return as a formula
(`=HYPERLINK(...)`, `@SUM(...)`, DDE). Every text cell an export writes goes through `safe_cell`, which
prefixes such a cell with a single quote, so it shows as the text it is; `unquote_cell` undoes it on import,
so an export read back gives the values it was made from. Numbers are left alone: they are never formulas.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"

Cell = TypeVar("Cell")


def safe_cell(value: Cell) -> Cell | str:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return QUOTE + value
    return value


def safe_row(values: Iterable[Cell]) -> list[Cell | str]:
    return [safe_cell(value) for value in values]


def unquote_cell(text: str) -> str:
    """The value `safe_cell` was given: a quote is dropped only where `safe_cell` put it."""
    if text.startswith(QUOTE) and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
