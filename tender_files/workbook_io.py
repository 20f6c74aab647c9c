"""What bibvalg's own workbooks (a library's input workbook, an evaluator's scoring
workbook) share, out and back in: the workbook's start and finish (properties, the hidden
marks, locked structure, text cells), a sheet's rows, the two-language instruction sheet,
a validation rule, and each sheet's extent with its size problems when a filled-in workbook
is read."""

from __future__ import annotations

import zipfile
from collections.abc import Collection, Iterable
from copy import copy
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from store.cells import text_cells
from store.problems import Problem
from vendors.response_reader import Limits, scan_sheets, size_problems
from vendors.template import (
    _BORDER,
    _LOCKED_FILL,
    _OPEN,
    _VENDOR_FILL,
    _WRAP_TOP,
    _estimated_height,
    marks_sheet,
)
from vendors.workbook_layout import SHEET_INSTRUCTIONS, Column, _both_lines, both

INSTRUCTION_WIDTH = 70


def new_workbook(title: str, format_name: str, owner: str) -> Workbook:
    """An empty workbook with bibvalg's properties: ``title`` (a message, in both
    languages), the format and whom it is for in its keywords."""
    wb = Workbook()
    wb.properties.title = both(title)
    wb.properties.creator = "bibvalg"
    wb.properties.keywords = f"{format_name} {owner}"
    return wb


def finish_workbook(wb: Workbook, marks: Iterable[tuple[str, Any]]) -> Workbook:
    """Adds the very hidden marks, opens on the first sheet after the instructions, locks
    the structure and makes the text cells text."""
    marks_sheet(wb, tuple(marks))
    wb.active = 1
    wb.security = WorkbookProtection(lockStructure=True)
    text_cells(wb)
    return wb


class RowWriter:
    """Writes a sheet's rows: locked cells grey, open ones yellow and unlocked. Each
    column's style is made once and copied to the cells below it (setting styles cell by
    cell is slow in openpyxl). The columns keyed in ``text_keys`` are formatted as text;
    a row is as high as its visible columns' text needs."""

    def __init__(
        self, ws: Worksheet, columns: tuple[Column, ...], text_keys: Collection[str] = ()
    ) -> None:
        self.ws, self.columns, self.text_keys = ws, columns, text_keys
        self.styled: dict[int, Any] = {}

    def write(self, number: int, values: dict[str, Any]) -> None:
        for index, column in enumerate(self.columns, start=1):
            cell = self.ws.cell(number, index, values.get(column.key))
            first = self.styled.get(index)
            if first is not None:
                cell._style = copy(first._style)
                continue
            cell.alignment, cell.border = _WRAP_TOP, _BORDER
            if column.fill_in:
                cell.protection, cell.fill = _OPEN, _VENDOR_FILL
            else:
                cell.fill = _LOCKED_FILL
            if column.key in self.text_keys:
                cell.number_format = "@"
            self.styled[index] = cell
        self.ws.row_dimensions[number].height = _estimated_height(
            [(str(values.get(c.key) or ""), c.width) for c in self.columns if not c.hidden]
        )


class Instructions:
    """Writes the instruction sheet: each line in Norwegian and English side by side."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws
        ws.title = SHEET_INSTRUCTIONS
        ws.column_dimensions["A"].width = INSTRUCTION_WIDTH
        ws.column_dimensions["B"].width = INSTRUCTION_WIDTH

    def line(self, nb: str, en: str, *, bold: bool = False, size: float | None = None) -> None:
        """One row: ``nb`` and ``en`` as given."""
        ws = self.ws
        ws.append([nb, en])
        for cell in ws[ws.max_row]:
            cell.alignment = _WRAP_TOP
            if bold or size:
                cell.font = Font(bold=bold, size=size)
        ws.row_dimensions[ws.max_row].height = _estimated_height(
            [(nb, INSTRUCTION_WIDTH), (en, INSTRUCTION_WIDTH)]
        )

    def say(
        self, message: str, *, bold: bool = False, size: float | None = None, **params: Any
    ) -> None:
        """One row: ``message`` (an ``N_`` message) in both languages, ``params`` filled in."""
        nb, en = _both_lines(message)
        self.line(nb.format(**params), en.format(**params), bold=bold, size=size)

    def heading(self, message: str) -> None:
        """An empty row, then ``message`` as a heading."""
        self.ws.append([])
        self.say(message, bold=True, size=12)


def add_rule(ws: Worksheet, cells: str, *, title: str, prompt: str, error_title: str,
             error: str, **rule: Any) -> None:  # fmt: skip
    """A validation rule on ``cells`` that stops a wrong value: ``rule`` gives its type
    and formulas; ``title`` and ``error_title`` are messages shown in both languages,
    ``prompt`` is shown as given and ``error`` in both languages."""
    validation = DataValidation(
        allow_blank=True,
        promptTitle=both(title)[:32],
        prompt=prompt[:255],
        errorTitle=both(error_title)[:32],
        error=both(error)[:255],
        **rule,
    )
    validation.showInputMessage = validation.showErrorMessage = True
    validation.errorStyle = "stop"
    validation.add(cells)
    ws.add_data_validation(validation)


def sheet_extents(
    wb: Any, archive: zipfile.ZipFile, limits: Limits, problems: list[Problem]
) -> dict[str, tuple[int, int]]:
    """Each sheet's last used row and column; a sheet too large adds to ``problems``."""
    extents: dict[str, tuple[int, int]] = {}
    for title, scan in scan_sheets(wb, archive, limits).items():
        extents[title] = (scan.rows, scan.columns)
        problems.extend(size_problems(title, scan.rows, scan.columns, limits))
    return extents
