"""Excel and Word files that leave the room: text cells that are never read as formulas, and
archives whose bytes depend on their content only.

``text_cell`` is the one place this package writes a cell that may hold text people wrote.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from store.cells import TEXT_CELL


# Text starting with one of these is read as a formula (or as the start of one) by
# spreadsheet programs; such text is stored as a string cell.
def text_cell(sheet: Worksheet, row: int, column: int, value: object) -> Cell:
    """Write ``value`` into a cell; text is always a text cell, never a formula (the rule
    of ``store.cells``)."""
    cell = sheet.cell(row=row, column=column)
    cell.value = value  # type: ignore[assignment]
    if isinstance(value, str):
        cell.data_type = TEXT_CELL
    return cell


def fixed_zip_times(data: bytes, made_at: datetime) -> bytes:
    """The same archive (an .xlsx or .docx) with every member dated ``made_at``, in the
    same order: openpyxl and python-docx date the members when they are written."""
    source = zipfile.ZipFile(BytesIO(data))
    out = BytesIO()
    stamp = made_at.timetuple()[:6]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def workbook_bytes(book: Workbook, made_at: datetime) -> bytes:
    """An openpyxl workbook as .xlsx bytes that declare ``made_at`` as created and modified
    (openpyxl's own ``save`` stamps the moment of saving) and date every member so."""
    moment = made_at.replace(tzinfo=None)
    book.properties.created = moment
    book.properties.modified = moment
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return fixed_zip_times(buffer.getvalue(), made_at)
