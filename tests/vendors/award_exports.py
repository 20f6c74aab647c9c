"""What the tests of the vendors' award files share: the text a file shows (xlsx cells, PDF
through pdftotext, docx paragraphs), and what one bidder's files must never show."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterable
from io import BytesIO
from pathlib import Path

import duckdb
import pytest
from docx import Document
from openpyxl import load_workbook


def pdf_text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian: poppler-utils)")
    return subprocess.run(
        ["pdftotext", "-raw", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")


def xlsx_text(data: bytes) -> str:
    book = load_workbook(BytesIO(data))
    return "\n".join(
        str(cell.value)
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    )


def docx_text(data: bytes) -> str:
    return "\n".join(p.text for p in Document(BytesIO(data)).paragraphs)


def file_text(path: Path) -> str:
    """A file's text as a reader sees it, every run of spaces (no-break ones too) one space."""
    data = path.read_bytes()
    reader = {".pdf": pdf_text, ".xlsx": xlsx_text, ".docx": docx_text}[path.suffix]
    return " ".join(reader(data).replace("\u00a0", " ").replace("\u202f", " ").split())


def amount_forms(amount: float) -> set[str]:
    """An amount of kroner as it may print: 1230000, 1,230,000 and 1 230 000."""
    whole = int(round(amount))
    return {str(whole), f"{whole:,}", f"{whole:,}".replace(",", " ")}


def _word(text: str) -> re.Pattern[str]:
    return re.compile(r"(?<!\w)" + re.escape(text) + r"(?!\w)")


def _amount(text: str) -> re.Pattern[str]:
    return re.compile(r"(?<![\d,.])(?<!\d )" + re.escape(text) + r"(?!\d)(?![ ,.]\d)")


def forbidden(
    con: duckdb.DuckDBPyConnection, vendor: str, chosen_vendor: str
) -> list[tuple[str, re.Pattern[str]]]:
    """What a bidder's files must not hold: every other bidder's comments, evidence and
    price amounts (unless the same amount is the bidder's own), every evaluator's name and
    each part of it, and the name of every other bidder but the chosen one."""
    found: list[tuple[str, re.Pattern[str]]] = []
    others = con.execute("SELECT id FROM offer WHERE vendor_id <> ?", [vendor]).fetchall()
    other_offers = [o for (o,) in others]
    own_amounts = _amounts(
        con,
        [
            o
            for (o,) in con.execute("SELECT id FROM offer WHERE vendor_id = ?", [vendor]).fetchall()
        ],
    )
    for offer in other_offers:
        for comment, evidence in con.execute(
            "SELECT comment, evidence FROM response WHERE offer_id = ?", [offer]
        ).fetchall():
            for text in (comment, evidence):
                if text and len(text.strip()) >= 4:
                    found.append(
                        (f"{offer}: {text}", re.compile(re.escape(" ".join(text.split()))))
                    )
        for amount in {a for a in _amounts(con, [offer]) - own_amounts if a > 0}:
            found += [(f"{offer}: {form}", _amount(form)) for form in amount_forms(amount)]
    for (name,) in con.execute("SELECT name FROM evaluator").fetchall():
        parts = {name} | {p for p in name.split() if len(p) >= 3}
        found += [(f"evaluator {part}", _word(part)) for part in parts]
    for (name,) in con.execute(
        "SELECT name FROM vendor WHERE id NOT IN (?, ?)", [vendor, chosen_vendor]
    ).fetchall():
        found += [(f"vendor {name}", _word(name)), (f"vendor {name}", _word(name.split()[0]))]
    return found


def _amounts(con: duckdb.DuckDBPyConnection, offers: Iterable[str]) -> set[float]:
    """Every amount of the offers' prices: each line, and the totals a sheet shows."""
    from analysis.ranking import published

    costs = published(con).evaluation
    amounts: set[float] = set()
    for offer in offers:
        amounts |= {
            float(a)
            for (a,) in con.execute(
                "SELECT amount_nok FROM offer_price WHERE offer_id = ?", [offer]
            ).fetchall()
            if a is not None
        }
        if costs is not None:
            row = costs.costs.loc[offer]
            amounts |= {
                float(row[k]) for k in ("one_time", "yearly", "yearly_total", "total", "options")
            }
    return amounts
