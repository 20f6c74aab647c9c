"""Text that no spreadsheet reads as a formula: the one rule for every CSV file and
workbook bibvalg writes (the audit-log CSV, the full data export, the requirement
specification, the catalogue and scoring workbooks).

A spreadsheet runs a cell starting with ``=``, ``+``, ``-`` or ``@`` as a formula, and some
also after a leading tab or carriage return (OWASP's rule against CSV injection). Only text
is touched: a negative number stays a number.

- In CSV, such a text gets an apostrophe in front, which spreadsheets show as text. A text
  that itself starts with an apostrophe gets one too, so the rule can be undone without
  doubt: drop the first apostrophe of a field that starts with one (``csv_original``).
- In a workbook, every text is written as a text cell (openpyxl otherwise stores a string
  starting with ``=`` as a live formula). The cell's value is unchanged, so a workbook
  bibvalg reads back gives the same text.

It lives in the store, the lowest layer, because the audit log's CSV is written here too;
it imports nothing.
"""

from __future__ import annotations

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The apostrophe is escaped too, so that escaping can be undone.
CSV_ESCAPED_STARTS = (*FORMULA_STARTS, "'")
TEXT_CELL = "s"  # openpyxl's data type of a text cell


def csv_text(value: Any) -> Any:
    """A CSV field no spreadsheet evaluates: a text starting with ``= + - @``, tab, CR or
    ``'`` gets a ``'`` in front; anything else is returned as it is."""
    if isinstance(value, str) and value.startswith(CSV_ESCAPED_STARTS):
        return "'" + value
    return value


def csv_original(field: str) -> str:
    """The text ``csv_text`` was given, from the field it wrote."""
    return field[1:] if field.startswith("'") else field


def text_cells(workbook: Any) -> None:
    """Make every text in an openpyxl workbook a text cell, never a formula; the values
    stay as they are."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    cell.data_type = TEXT_CELL
