"""What bibvalg's own workbooks (a library's input workbook, an evaluator's scoring
workbook) share, out and back in: the workbook's start and finish (properties, the hidden
marks, locked structure, text cells), a sheet's rows and the two-language instruction
sheet; and, when a filled-in workbook is read, its opening (each sheet's extent with its
size problems, the marks) and each row's values with its formulas and cells outside the
table. The validation rule they share is ``vendors.template.add_rule``."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from copy import copy
from dataclasses import dataclass
from typing import Any, TypeVar

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.worksheet import Worksheet

from store.cells import text_cells
from store.errors import N_
from store.problems import Problem, sort_problems
from vendors.price_reader import short_text
from vendors.response_reader import (
    Limits,
    cell_as_text,
    formula_text,
    is_formula,
    open_checked,
    read_marks,
    scan_sheets,
    sha256_of,
    size_problems,
)
from vendors.template import (
    BORDER,
    FILL_IN_FILL,
    LOCKED_FILL,
    OPEN_CELL,
    WRAP_TOP,
    estimated_height,
    marks_sheet,
)
from vendors.workbook_layout import (
    FIRST_ROW,
    SHEET_INSTRUCTIONS,
    SHEET_META,
    Column,
    both,
    both_lines,
)

INSTRUCTION_WIDTH = 70
Parsed = TypeVar("Parsed")


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
            cell.alignment, cell.border = WRAP_TOP, BORDER
            if column.fill_in:
                cell.protection, cell.fill = OPEN_CELL, FILL_IN_FILL
            else:
                cell.fill = LOCKED_FILL
            if column.key in self.text_keys:
                cell.number_format = "@"
            self.styled[index] = cell
        self.ws.row_dimensions[number].height = estimated_height(
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
            cell.alignment = WRAP_TOP
            if bold or size:
                cell.font = Font(bold=bold, size=size)
        ws.row_dimensions[ws.max_row].height = estimated_height(
            [(nb, INSTRUCTION_WIDTH), (en, INSTRUCTION_WIDTH)]
        )

    def say(
        self, message: str, *, bold: bool = False, size: float | None = None, **params: Any
    ) -> None:
        """One row: ``message`` (an ``N_`` message) in both languages, ``params`` filled in."""
        nb, en = both_lines(message)
        self.line(nb.format(**params), en.format(**params), bold=bold, size=size)

    def heading(self, message: str) -> None:
        """An empty row, then ``message`` as a heading."""
        self.ws.append([])
        self.say(message, bold=True, size=12)


def numbered_rows(
    ws: Any, extent: tuple[int, int], width: int
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """A read sheet's rows below the header with their row numbers: up to its last used row
    (``extent``: last row, last column), each as wide as its last used column and at least
    ``width`` cells."""
    last_row, last_col = extent
    if last_row < FIRST_ROW:
        return
    yield from enumerate(
        ws.iter_rows(min_row=FIRST_ROW, max_row=last_row, min_col=1, max_col=max(last_col, width)),
        start=FIRST_ROW,
    )


def row_values(
    cells: Iterable[Any], keys: Sequence[str], report: Callable[[str, Problem], None]
) -> dict[str, Any]:
    """A read row's values by column key, a formula read as empty; a formula, or anything
    in a cell right of the table, is passed to ``report`` with the cell's column letter."""
    values: dict[str, Any] = {}
    for index, cell in enumerate(cells):
        letter = get_column_letter(index + 1)
        value = getattr(cell, "value", None)
        if value is not None and is_formula(cell):
            report(
                letter,
                Problem(
                    N_("The cell holds a formula ({formula}); write the value itself."),
                    {"formula": formula_text(value)},
                ),
            )
            value = None
        if index < len(keys):
            values[keys[index]] = value
        elif value not in (None, ""):
            report(
                letter,
                Problem(
                    N_("There is something in a cell outside the table: “{value}”."),
                    {"value": short_text(cell_as_text(value))},
                ),
            )
    return values


@dataclass(frozen=True)
class Opened:
    """A filled-in workbook that has passed the file checks and whose sheets are none too
    large: the workbook, its SHA-256, its hidden marks, each sheet's last used row and
    column (``sheet_extents``) and the limits it is read with."""

    wb: Any
    sha256: str
    marks: dict[str, str]
    extents: dict[str, tuple[int, int]]
    limits: Limits


def read_checked(
    data: bytes,
    limits: Limits | None,
    read: Callable[[Opened], Parsed],
    refused: Callable[..., Parsed],
) -> Parsed:
    """``read(opened)`` on a filled-in workbook's bytes once they have passed the checks
    made on the vendors' files (``open_checked``) and no sheet is too large; when they have
    not, ``refused(sha256=..., problems=...)`` with the problems in order. ``limits`` are
    the default ``Limits`` when None."""
    limits = limits or Limits()
    digest = sha256_of(data)

    def read_open(wb: Any, archive: zipfile.ZipFile) -> Parsed | list[Problem]:
        problems: list[Problem] = []
        extents = sheet_extents(wb, archive, limits, problems)
        if problems:
            return problems
        return read(Opened(wb, digest, marks(wb), extents, limits))

    opened = open_checked(data, limits, read_open)
    if isinstance(opened, list):
        return refused(sha256=digest, problems=tuple(sort_problems(opened)))
    return opened


def marks(wb: Any) -> dict[str, str]:
    """The very hidden marks the workbook was made with (none if its sheet is gone)."""
    return read_marks(wb[SHEET_META]) if SHEET_META in wb.sheetnames else {}


def sheet_extents(
    wb: Any, archive: zipfile.ZipFile, limits: Limits, problems: list[Problem]
) -> dict[str, tuple[int, int]]:
    """Each sheet's last used row and column; a sheet too large adds to ``problems``."""
    extents: dict[str, tuple[int, int]] = {}
    for title, scan in scan_sheets(wb, archive, limits).items():
        extents[title] = (scan.rows, scan.columns)
        problems.extend(size_problems(title, scan.rows, scan.columns, limits))
    return extents
