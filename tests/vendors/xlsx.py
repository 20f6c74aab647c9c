"""Filling in a requirement specification by code, as a vendor would in a spreadsheet.

Columns are found by the English part of their headings, not by bibvalg's own layout.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

SHEET = "Krav – Requirements"
PRICE_SHEET = "Pris – Prices"
HEADER_ROW = 2
DEMO_REQUIREMENTS = Path(__file__).resolve().parents[2] / "demo" / "data" / "requirements.csv"


def open_workbook(data: bytes) -> Workbook:
    return load_workbook(io.BytesIO(data))


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def columns(ws: Worksheet) -> dict[str, int]:
    """English heading -> column number."""
    found = {}
    for cell in ws[HEADER_ROW]:
        if cell.value:
            found[str(cell.value).split(" / ")[-1]] = cell.column
    return found


def rows(ws: Worksheet, heading: str = "Requirement id") -> dict[str, int]:
    """Id -> row number, the id read in the column of that English heading."""
    col = columns(ws)[heading]
    return {
        ws.cell(r, col).value: r
        for r in range(HEADER_ROW + 1, ws.max_row + 1)
        if ws.cell(r, col).value
    }


def demo_kinds() -> dict[str, str]:
    with DEMO_REQUIREMENTS.open(encoding="utf-8") as handle:
        return {r["id"]: r["kind"] for r in csv.DictReader(handle)}


HEADINGS = {
    "answer": "Answer (0–3)",
    "comment": "Comment",
    "evidence": "Evidence or reference",
    "roadmap_date": "Roadmap date",
}


def price_rows(ws: Worksheet) -> dict[str, int]:
    """Price line id -> row number on the price sheet."""
    return rows(ws, "Price line")


def fill_prices(wb: Workbook, amounts: Mapping[str, Any]) -> Workbook:
    """Amounts written on the price sheet: {price line id: amount}."""
    ws = wb[PRICE_SHEET]
    col, row = columns(ws)["Amount, NOK excl. VAT"], price_rows(ws)
    for line, amount in amounts.items():
        ws.cell(row[line], col).value = amount
    return wb


def fill(
    data: bytes,
    answers: Mapping[str, Mapping[str, Any]],
    prices: Mapping[str, Any] | None = None,
) -> Workbook:
    """The template with answers written in: {requirement id: {"answer": 3, ...}}; and,
    where it has a price sheet, the amounts (``prices``: {line id: amount}; by default
    100 000 on every line)."""
    wb = open_workbook(data)
    ws = wb[SHEET]
    col, row = columns(ws), rows(ws)
    for rid, values in answers.items():
        for key, value in values.items():
            ws.cell(row[rid], col[HEADINGS[key]]).value = value
    if PRICE_SHEET in wb.sheetnames:
        default = {line: 100_000 for line in price_rows(wb[PRICE_SHEET])}
        fill_prices(wb, default if prices is None else prices)
    return wb


def every_requirement_answered() -> dict[str, dict[str, Any]]:
    """A plausible answer to every requirement of the demo catalogue."""
    return {
        rid: {"answer": 3 if kind == "M" else 2, "comment": f"Svar på {rid}"}
        for rid, kind in demo_kinds().items()
    }


def rezip(
    data: bytes, replace: Mapping[str, bytes] | None = None, add: Mapping[str, bytes] = {}
) -> bytes:  # noqa: B006
    """The workbook's zip with some members' contents replaced and others added."""
    import zipfile

    replace = replace or {}
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as zin,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout,
    ):
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, content in add.items():
            zout.writestr(name, content)
    return out.getvalue()


def member(data: bytes, name: str) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name)


def as_filled(answers: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Stored answers (``store.responses.stored_answers``) as ``fill`` takes them."""
    return {
        rid: {
            "answer": a.answer,
            "comment": a.comment,
            "evidence": a.evidence,
            "roadmap_date": a.roadmap_date,
        }
        for rid, a in answers.items()
    }
