"""Export cells a spreadsheet would run as formulas are quoted; the import reads them back unquoted (OWASP)."""

from __future__ import annotations

import pytest

from servicekit.spreadsheets import safe_cell, safe_row, unquote_cell


@pytest.mark.parametrize(
    "value", ['=HYPERLINK("http://x","y")', "+86 139", "-2+3", "@SUM(A1)", "\tcmd", "\r=1", "=cmd|' /C calc'!A0"]
)
def test_a_cell_starting_like_a_formula_is_quoted_and_reads_back(value: str) -> None:
    quoted = safe_cell(value)
    assert quoted == "'" + value
    assert unquote_cell(quoted) == value


@pytest.mark.parametrize("value", ["张三", "a=b", "", "'quoted already", "1+1", " =leading space"])
def test_plain_text_is_left_alone(value: str) -> None:
    assert safe_cell(value) == value
    assert unquote_cell(value) == value


def test_numbers_are_never_formulas() -> None:
    assert safe_row([-5, 1.5, None, "-5"]) == [-5, 1.5, None, "'-5"]
