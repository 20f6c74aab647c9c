"""The vendor's filled-in requirement specification, back in: ``read_responses``.

It checks an untrusted file from its bytes, before anything is written anywhere: size, zip
members and sheet extents first (a zip bomb or a huge sheet is refused before it is unpacked
or read), then the template's marks, then every row. It returns the clean answers and every
problem found, each with sheet, row and column. It touches no database.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Collection, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, TypeVar
from xml.etree.ElementTree import ParseError, iterparse

import pandas as pd
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from scoring.scales import MAX_ANSWER, MIN_ANSWER
from store.catalogue import CatalogueVersion, nfc
from store.errors import N_
from store.problems import Problem, sort_problems
from store.responses import Answer, Price
from vendors.price_reader import (
    Formula,
    formula_problem,
    outside_table,
    read_prices,
    short_text,
)
from vendors.workbook_layout import (
    FIRST_ROW,
    FORMAT,
    FORMAT_VERSION,
    SHEET_INSTRUCTIONS,
    SHEET_META,
    SHEET_PRICES,
    SHEET_REQUIREMENTS,
    layout,
)

_TEMPLATE_SHEETS = (SHEET_INSTRUCTIONS, SHEET_REQUIREMENTS, SHEET_PRICES, SHEET_META)


@dataclass(frozen=True)
class Limits:
    """What an uploaded workbook may be, at most. A filled-in template is far below."""

    max_file_bytes: int = 10 * 1024 * 1024
    max_unpacked_bytes: int = 50 * 1024 * 1024
    max_members: int = 500
    max_ratio: int = 200  # unpacked / packed, for parts over 1 MiB
    max_rows: int = 5000
    max_columns: int = 40
    max_cell_chars: int = 32767  # a spreadsheet cell's own limit
    max_shared_strings: int = 100_000  # the template holds a few hundred
    max_shared_strings_bytes: int = 10 * 1024 * 1024


@dataclass(frozen=True)
class TemplateMarks:
    """What the template says about itself (from its hidden sheet)."""

    catalogue_version: int
    fingerprint: str
    columns: tuple[str, ...]
    exported_at: str = ""
    offer_id: str = ""  # the offer the workbook was sent to ("" for a general template)
    vendor_id: str = ""


@dataclass(frozen=True)
class ParsedResponses:
    """The outcome of reading a workbook: answers if it is clean, else the problems."""

    sha256: str
    answers: tuple[Answer, ...] = ()
    prices: tuple[Price, ...] = ()
    problems: tuple[Problem, ...] = ()
    marks: TemplateMarks | None = None
    size_bytes: int = 0

    @property
    def ok(self) -> bool:
        """True when there is nothing wrong and the answers may be stored."""
        return not self.problems


def sha256_of(data: bytes) -> str:
    """The SHA-256 of a file's bytes, in hex."""
    return hashlib.sha256(data).hexdigest()


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.0f}"


def _check_archive(data: bytes, limits: Limits) -> tuple[zipfile.ZipFile | None, list[Problem]]:
    """Open the zip container and check its parts' sizes before anything is unpacked."""
    if len(data) > limits.max_file_bytes:
        return None, [
            Problem(
                N_("The file is {size} MB; at most {limit} MB is accepted."),
                {"size": _megabytes(len(data)), "limit": _megabytes(limits.max_file_bytes)},
            )
        ]
    not_workbook = Problem(
        N_(
            "The file is not an Excel workbook (.xlsx). Save it as an Excel workbook and "
            "send it again."
        )
    )
    if data.startswith(_OLE_SIGNATURE):
        return None, [_ole_problem(data)]
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None, [not_workbook]
    names = {m.filename for m in members}
    unsafe = [m.filename for m in members if _unsafe_member_name(m.filename)]
    if unsafe:
        archive.close()
        return None, [
            Problem(
                N_(
                    "The file holds a part with an unsafe name (“{part}”: outside the "
                    "workbook or an absolute path); it is refused as unsafe."
                ),
                {"part": short_text(unsafe[0])},
            )
        ]
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        archive.close()
        return None, [not_workbook]
    problems = []
    if len(members) > limits.max_members:
        problems.append(
            Problem(
                N_("The workbook has {count} parts; at most {limit} are accepted."),
                {"count": len(members), "limit": limits.max_members},
            )
        )
    unpacked = sum(m.file_size for m in members)
    if unpacked > limits.max_unpacked_bytes:
        problems.append(
            Problem(
                N_("The workbook unpacks to {size} MB; at most {limit} MB is accepted."),
                {"size": _megabytes(unpacked), "limit": _megabytes(limits.max_unpacked_bytes)},
            )
        )
    for member in members:
        if member.flag_bits & 0x1:
            problems.append(Problem(N_("The workbook is encrypted; send it without a password.")))
            break
        if member.file_size > 1024 * 1024 and member.file_size > limits.max_ratio * max(
            member.compress_size, 1
        ):
            problems.append(
                Problem(
                    N_(
                        "The part “{part}” of the workbook is packed unusually tightly; the "
                        "file is refused as unsafe."
                    ),
                    {"part": member.filename},
                )
            )
    if not problems:
        problems = _check_parts(archive, members, limits)
    if problems:
        archive.close()
        return None, problems
    return archive, []


# An OLE compound file: an old .xls, or an .xlsx encrypted with a password (Office wraps
# the encrypted package in one).
_OLE_SIGNATURE = bytes.fromhex("D0CF11E0A1B11AE1")
_ENCRYPTED_STREAMS = ("EncryptedPackage".encode("utf-16-le"), "EncryptionInfo".encode("utf-16-le"))


def _ole_problem(data: bytes) -> Problem:
    if any(stream in data for stream in _ENCRYPTED_STREAMS):
        return Problem(
            N_(
                "The workbook is protected with a password (encrypted), so it cannot be "
                "read. Remove the password, save it and send it again."
            )
        )
    return Problem(
        N_(
            "The file is an old Excel workbook (.xls) or another Office file, not an .xlsx "
            "workbook. Save it as an Excel workbook (.xlsx) and send it again."
        )
    )


def _unsafe_member_name(name: str) -> bool:
    """A zip member that would point outside the workbook: absolute, drive or ``..``."""
    parts = name.replace("\\", "/").split("/")
    return name.startswith(("/", "\\")) or ".." in parts or (len(name) > 1 and name[1] == ":")


_CONTENT_TYPES_LIMIT = 1024 * 1024


def _check_parts(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: Limits
) -> list[Problem]:
    """Macros, links to other files and too many shared strings, refused before the
    workbook is opened (opening it reads every shared string)."""
    problems = []
    names = [m.filename for m in members]
    content_types = next(m for m in members if m.filename == "[Content_Types].xml")
    declared = b""
    if content_types.file_size <= _CONTENT_TYPES_LIMIT:
        declared = archive.read(content_types).lower()
    if any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroenabled" in declared:
        problems.append(
            Problem(
                N_(
                    "The workbook contains macros (it is a macro-enabled workbook, whatever "
                    "its name says). Save it as an ordinary Excel workbook (.xlsx) and send "
                    "it again."
                )
            )
        )
    if any(n.lower().startswith("xl/externallinks/") for n in names) or (
        b"externallink" in declared
    ):
        problems.append(
            Problem(
                N_(
                    "The workbook links to other files (external links). Remove the links, "
                    "keeping the values, and send it again."
                )
            )
        )
    for member in members:
        if not member.filename.lower().endswith("sharedstrings.xml"):
            continue
        count = _shared_string_count(archive, member, limits)
        if member.file_size > limits.max_shared_strings_bytes or count > limits.max_shared_strings:
            problems.append(
                Problem(
                    N_(
                        "The workbook holds too much text: more than {count} texts or "
                        "{size} MB; a filled-in requirement specification holds far less."
                    ),
                    {
                        "count": limits.max_shared_strings,
                        "size": _megabytes(limits.max_shared_strings_bytes),
                    },
                )
            )
    return problems


def _shared_string_count(archive: zipfile.ZipFile, member: zipfile.ZipInfo, limits: Limits) -> int:
    """How many shared strings a part holds, counting only up to one past the limit."""
    if member.file_size > limits.max_shared_strings_bytes:
        return 0  # refused by its size, unread
    count = 0
    with archive.open(member) as stream:
        for _event, elem in iterparse(stream, events=("end",)):
            if elem.tag.rsplit("}", 1)[-1] == "si":
                count += 1
                elem.clear()
                if count > limits.max_shared_strings:
                    break
    return count


_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ord(ch) - 64)
    return number


@dataclass(frozen=True)
class SheetScan:
    """What one pass over a sheet's XML found: how far it reaches (rows, columns holding a
    value, counted only until a limit is passed) and the cells holding formulas."""

    rows: int
    columns: int
    formulas: tuple[tuple[int, int, str], ...] = ()  # (row, column, formula text)


def scan_sheet(stream: Any, limits: Limits | None = None) -> SheetScan:
    """Read a sheet's XML once, without keeping it: its extent and its formulas. The scan
    stops at the first value beyond ``limits.max_rows`` or ``limits.max_columns``."""
    max_row = max_col = 0
    row = 0
    col = 0
    formulas: list[tuple[int, int, str]] = []
    for event, elem in iterparse(stream, events=("start", "end")):
        tag = elem.tag.rsplit("}", 1)[-1]
        if event == "start":
            if tag == "row":
                ref = elem.get("r")
                row = int(ref) if ref and ref.isdigit() else row + 1
                col = 0
            continue
        if tag == "c":
            match = _CELL_REF.match(elem.get("r") or "")
            col = _column_number(match.group(1)) if match else col + 1
            if len(elem):  # a value, an inline string or a formula
                max_row, max_col = max(max_row, row), max(max_col, col)
                for child in elem:
                    if child.tag.rsplit("}", 1)[-1] == "f" and len(formulas) < 50:
                        formulas.append((row, col, "=" + (child.text or "")))
            elem.clear()
            if limits is not None and (max_row > limits.max_rows or max_col > limits.max_columns):
                break
        elif tag == "row":
            elem.clear()
    return SheetScan(max_row, max_col, tuple(formulas))


def scan_sheets(
    wb: Any, archive: zipfile.ZipFile, limits: Limits, titles: Collection[str] | None = None
) -> dict[str, SheetScan]:
    """Each worksheet of an open (read-only) workbook scanned from its XML (``scan_sheet``),
    by title; only those named in ``titles`` when given."""
    scans: dict[str, SheetScan] = {}
    for ws in wb.worksheets:
        path = getattr(ws, "_worksheet_path", None)
        if path is None or (titles is not None and ws.title not in titles):
            continue
        with archive.open(path) as stream:
            scans[ws.title] = scan_sheet(stream, limits)
    return scans


def size_problems(sheet: str, rows: int, columns: int, limits: Limits) -> list[Problem]:
    """The sheet's problem if it reaches further than ``limits`` allow."""
    if rows <= limits.max_rows and columns <= limits.max_columns:
        return []
    return [
        Problem(
            N_(
                "The sheet is too large: it reaches row {rows} and column {columns}; at most "
                "{max_rows} rows and {max_columns} columns are read."
            ),
            {
                "rows": rows,
                "columns": get_column_letter(min(max(columns, 1), 16384)),
                "max_rows": limits.max_rows,
                "max_columns": get_column_letter(limits.max_columns),
            },
            sheet=sheet,
        )
    ]


def is_formula(cell: Any) -> bool:
    value = cell.value
    return getattr(cell, "data_type", None) == "f" or isinstance(
        value, ArrayFormula | DataTableFormula
    )


def formula_text(value: Any) -> str:
    text = getattr(value, "text", None) or str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def cell_as_text(value: Any) -> str:
    """A cell's value as text for a comment or reference column: line breaks as "\\n",
    Unicode NFC, without surrounding white space; numbers and dates written out."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text).strip()


# Control characters other than tab and line break (C0, DEL, C1), and the bidirectional
# embeddings, overrides and isolates that can make a text read differently than it is.
_FORBIDDEN_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_DIGIT_ANSWER = re.compile(rf"^[{MIN_ANSWER}-{MAX_ANSWER}]$")
NUMBER_TEXT = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NB_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def text_problems(text: str, limits: Limits) -> list[Problem]:
    """What is wrong with a text typed into a cell (without a place yet): an invisible
    control or text-direction character, or more than a cell holds."""
    found = []
    hidden = _FORBIDDEN_CHARACTER.search(text)
    if hidden:
        found.append(
            Problem(
                N_(
                    "The text holds an invisible control or text-direction character "
                    "({character}), which is not accepted; remove it."
                ),
                {"character": f"U+{ord(hidden.group(0)):04X}"},
            )
        )
    if len(text) > limits.max_cell_chars:
        found.append(
            Problem(
                N_("The text is longer than {limit} characters."),
                {"limit": limits.max_cell_chars},
            )
        )
    return found


def parse_answer(value: Any) -> tuple[int | None, Problem | None]:
    """The 0–3 answer in a cell, or the problem with it (without a place yet)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None, Problem(
            N_("The answer must be a number from 0 to 3, not “{value}”."),
            {"value": cell_as_text(value)},
        )
    if isinstance(value, str):
        text = value.strip()
        if _DIGIT_ANSWER.match(text):
            return int(text), None
        if not NUMBER_TEXT.match(text):
            return None, Problem(
                N_("The answer must be a number from 0 to 3, not “{value}”."),
                {"value": short_text(text)},
            )
        return None, Problem(N_("The answer must be 0, 1, 2 or 3, not {value}."), {"value": text})
    if isinstance(value, float) and value.is_integer() and MIN_ANSWER <= value <= MAX_ANSWER:
        return int(value), None
    if isinstance(value, int) and MIN_ANSWER <= value <= MAX_ANSWER:
        return value, None
    return None, Problem(
        N_("The answer must be 0, 1, 2 or 3, not {value}."), {"value": cell_as_text(value)}
    )


def parse_date(value: Any) -> tuple[date | None, Problem | None]:
    """A roadmap date in a cell (a date, or text as YYYY-MM-DD or DD.MM.YYYY)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, str):
        text = value.strip()
        for pattern, order in ((_ISO_DATE, (1, 2, 3)), (_NB_DATE, (3, 2, 1))):
            match = pattern.match(text)
            if match:
                try:
                    return date(*(int(match.group(i)) for i in order)), None
                except ValueError:
                    break
    return None, Problem(
        N_("The roadmap date must be a date (YYYY-MM-DD), not “{value}”."),
        {"value": short_text(cell_as_text(value))},
    )


def read_marks(ws: Any) -> dict[str, str]:
    marks: dict[str, str] = {}
    for row in ws.iter_rows(min_row=1, max_row=50, max_col=2, values_only=True):
        if row and row[0] is not None:
            marks[str(row[0]).strip()] = "" if row[1] is None else str(row[1]).strip()
    return marks


def _parse_marks(marks: dict[str, str]) -> TemplateMarks | None:
    known_layouts = {tuple(c.key for c in layout(w)) for w in (True, False)}
    try:
        columns = tuple(marks.get("columns", "").split(","))
        parsed = TemplateMarks(
            catalogue_version=int(marks["catalogue_version"]),
            fingerprint=marks["fingerprint"],
            columns=columns,
            exported_at=marks.get("exported_at", ""),
            offer_id=marks.get("offer", ""),
            vendor_id=marks.get("vendor", ""),
        )
        version_ok = int(marks.get("format_version", "0")) == FORMAT_VERSION
    except (KeyError, ValueError):
        return None
    if (
        marks.get("format") != FORMAT
        or not version_ok
        or columns not in known_layouts
        or not re.fullmatch(r"[0-9a-f]{64}", parsed.fingerprint)
    ):
        return None
    return parsed


DAMAGED = N_("The file cannot be read as an Excel workbook; it may be damaged.")
Opened = TypeVar("Opened")


def open_checked(
    data: bytes, limits: Limits, read: Callable[[Any, zipfile.ZipFile], Opened]
) -> Opened | list[Problem]:
    """``read(workbook, archive)`` on an untrusted file, once its container has passed the
    checks made before anything is unpacked (``_check_archive``); the workbook is opened
    read-only, formulas as written, links not followed. Returns what ``read`` returns, or
    the problems that stopped it: not a workbook, unsafe, too large, or damaged (anything
    openpyxl or ``read`` raises on a hostile file)."""
    archive, problems = _check_archive(data, limits)
    if archive is None:
        return problems
    with archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        except Exception:  # openpyxl raises many kinds on a damaged file
            return [Problem(DAMAGED)]
        try:
            return read(wb, archive)
        except (ParseError, zipfile.BadZipFile, Exception):  # a damaged or hostile file
            return [Problem(DAMAGED)]
        finally:
            wb.close()


def read_responses(
    data: bytes,
    requirements: pd.DataFrame,
    current: CatalogueVersion,
    *,
    limits: Limits | None = None,
    price_lines: pd.DataFrame | None = None,
) -> ParsedResponses:
    """Read and check a filled-in requirement specification; write nothing.

    ``requirements`` are the requirements in force (id, kind, text_nb, text_en);
    ``current`` is the catalogue version they make up; ``price_lines`` the price
    schedule's lines in force (id, text_nb, text_en, mandatory), whose amounts the price
    sheet must give. Every problem is collected, each
    with sheet, row and column; the answers are only meant to be used when there is none.
    """
    limits = limits or Limits()
    digest = sha256_of(data)

    def refused(problems: list[Problem], marks: TemplateMarks | None = None) -> ParsedResponses:
        return ParsedResponses(
            sha256=digest,
            problems=tuple(sort_problems(problems)),
            marks=marks,
            size_bytes=len(data),
        )

    opened = open_checked(
        data,
        limits,
        lambda wb, archive: _read_open_workbook(
            wb, archive, requirements, current, limits, price_lines
        ),
    )
    if isinstance(opened, list):
        return refused(opened)
    problems, marks, answers, prices = opened
    if problems:
        return refused(problems, marks)
    return ParsedResponses(
        sha256=digest,
        answers=tuple(answers),
        prices=tuple(prices),
        marks=marks,
        size_bytes=len(data),
    )


def _read_open_workbook(
    wb: Any,
    archive: zipfile.ZipFile,
    requirements: pd.DataFrame,
    current: CatalogueVersion,
    limits: Limits,
    price_lines: pd.DataFrame | None = None,
) -> tuple[list[Problem], TemplateMarks | None, list[Answer], list[Price]]:
    problems: list[Problem] = []
    extents: dict[str, tuple[int, int]] = {}
    extra = [name for name in wb.sheetnames if name not in _TEMPLATE_SHEETS]
    for name in extra:
        problems.append(
            Problem(
                N_(
                    "The workbook has a sheet that is not part of the requirement "
                    "specification: “{sheet}”. Remove it and send the workbook again."
                ),
                {"sheet": name},
                sheet=name,
            )
        )
    for title, scan in scan_sheets(wb, archive, limits).items():
        extents[title] = (scan.rows, scan.columns)
        if title not in (SHEET_REQUIREMENTS, SHEET_PRICES):  # named there row by row
            for row, col, formula in scan.formulas:
                problems.append(
                    Problem(
                        N_("The cell holds a formula ({formula}); write the value itself."),
                        {"formula": formula_text(formula)},
                        sheet=title,
                        row=row,
                        column=get_column_letter(min(max(col, 1), 16384)),
                    )
                )
        problems.extend(size_problems(title, scan.rows, scan.columns, limits))
    if problems:
        return problems, None, [], []

    if SHEET_META not in wb.sheetnames:
        return (
            [
                Problem(
                    N_(
                        "The workbook is not a requirement specification from bibvalg (its "
                        "hidden sheet “{sheet}” is missing). Fill in the template exported "
                        "from bibvalg."
                    ),
                    {"sheet": SHEET_META},
                )
            ],
            None,
            [],
            [],
        )
    marks = _parse_marks(read_marks(wb[SHEET_META]))
    if marks is None:
        return (
            [
                Problem(
                    N_(
                        "The hidden sheet “{sheet}” has been changed, so the workbook cannot "
                        "be matched to the catalogue. Fill in a new template."
                    ),
                    {"sheet": SHEET_META},
                )
            ],
            None,
            [],
            [],
        )
    if SHEET_REQUIREMENTS not in wb.sheetnames:
        missing = Problem(N_("The sheet “{sheet}” is missing."), {"sheet": SHEET_REQUIREMENTS})
        return [missing], marks, [], []
    if marks.fingerprint != current.fingerprint:
        problems.append(
            Problem(
                N_(
                    "The workbook answers catalogue version {file_version}, but the catalogue "
                    "has changed since and is now at version {current_version}. Send the "
                    "vendor the current requirement specification."
                ),
                {"file_version": marks.catalogue_version, "current_version": current.version},
            )
        )
    rows, cols = extents.get(SHEET_REQUIREMENTS, (0, 0))
    answers = _read_rows(
        wb[SHEET_REQUIREMENTS], rows, cols, marks.columns, requirements, limits, problems
    )
    schedule = price_lines if price_lines is not None else pd.DataFrame(columns=["id"])
    prices: list[Price] = []
    if SHEET_PRICES in wb.sheetnames:
        rows, cols = extents.get(SHEET_PRICES, (0, 0))
        values = (
            (
                number,
                [
                    Formula(formula_text(c.value))
                    if getattr(c, "value", None) is not None and is_formula(c)
                    else getattr(c, "value", None)
                    for c in cells
                ],
            )
            for number, cells in sheet_rows(wb[SHEET_PRICES], rows, cols)
        )
        prices = read_prices(values, schedule, problems)
    elif len(schedule):
        problems.append(
            Problem(
                N_(
                    "The sheet “{sheet}” is missing: the tender has a price schedule. Fill in "
                    "the current requirement specification, which has it."
                ),
                {"sheet": SHEET_PRICES},
            )
        )
    return problems, marks, answers, prices


def sheet_rows(ws: Any, last_row: int, last_col: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
    if last_row < 1 or last_col < 1:
        return
    yield from enumerate(
        ws.iter_rows(min_row=1, max_row=last_row, min_col=1, max_col=last_col), start=1
    )


def _read_rows(
    ws: Any,
    last_row: int,
    last_col: int,
    keys: tuple[str, ...],
    requirements: pd.DataFrame,
    limits: Limits,
    problems: list[Problem],
) -> list[Answer]:
    sheet = SHEET_REQUIREMENTS
    position = {key: i for i, key in enumerate(keys)}
    letter = {key: get_column_letter(i + 1) for i, key in enumerate(keys)}
    catalogue = {r["id"]: r for r in requirements.to_dict("records")}
    seen: dict[str, int] = {}
    answers: list[Answer] = []

    def add(row: int, key: str, problem: Problem) -> None:
        problems.append(
            Problem(problem.message, problem.params, sheet=sheet, row=row, column=letter[key])
        )

    for row_number, cells in sheet_rows(ws, last_row, last_col):
        values = [getattr(c, "value", None) for c in cells]
        for index, cell in enumerate(cells):
            if getattr(cell, "value", None) is not None and is_formula(cell):
                problems.append(
                    formula_problem(
                        formula_text(cell.value), sheet=sheet, row=row_number, index=index
                    )
                )
        if row_number < FIRST_ROW:
            continue
        problems.extend(
            outside_table(values, len(keys), sheet=sheet, row=row_number, text=cell_as_text)
        )

        def value(key: str, _values: list[Any] = values) -> Any:
            index = position[key]
            return _values[index] if index < len(_values) else None

        vendor_values = [value(k) for k in ("answer", "comment", "evidence", "roadmap_date")]
        rid = cell_as_text(value("id"))
        if not rid:
            if any(v not in (None, "") for v in values[: len(keys)]):
                add(row_number, "id", Problem(N_("This row has no requirement id.")))
            continue
        if rid not in catalogue:
            add(row_number, "id", Problem(N_("Unknown requirement id “{id}”."), {"id": rid}))
            continue
        if rid in seen:
            add(
                row_number,
                "id",
                Problem(
                    N_("Requirement {id} appears more than once (first in row {first})."),
                    {"id": rid, "first": seen[rid]},
                ),
            )
            continue
        seen[rid] = row_number
        req = catalogue[rid]
        if cell_as_text(value("kind")) != req["kind"]:
            add(
                row_number,
                "kind",
                Problem(
                    N_("The type of requirement {id} has been changed; it is {kind}."),
                    {"id": rid, "kind": req["kind"]},
                ),
            )
        for key in ("text_nb", "text_en"):
            cell_value = value(key)
            if not isinstance(cell_value, str) or nfc(cell_value) != nfc(req[key]):
                add(
                    row_number,
                    key,
                    Problem(
                        N_(
                            "The text of requirement {id} has been changed; it must read as "
                            "in the catalogue."
                        ),
                        {"id": rid},
                    ),
                )
        answer, problem = parse_answer(value("answer"))
        if problem:
            add(row_number, "answer", problem)
        texts = {}
        for key in ("comment", "evidence"):
            texts[key] = cell_as_text(value(key))
            for text_problem in text_problems(texts[key], limits):
                add(row_number, key, text_problem)
        roadmap, date_problem = parse_date(value("roadmap_date"))
        if date_problem:
            add(row_number, "roadmap_date", date_problem)
        if problem is None and answer is None and req["kind"] == "M":
            add(
                row_number,
                "answer",
                Problem(N_("Mandatory requirement {id} has no answer."), {"id": rid}),
            )
        if answer == 1 and roadmap is None and date_problem is None:
            add(
                row_number,
                "roadmap_date",
                Problem(N_("Answer 1 (on the roadmap) needs a roadmap date."), {"id": rid}),
            )
        if any(v not in (None, "") for v in vendor_values):
            answers.append(
                Answer(
                    requirement_id=rid,
                    answer=answer,
                    comment=texts["comment"],
                    evidence=texts["evidence"],
                    roadmap_date=roadmap,
                )
            )
    for rid in catalogue:
        if rid not in seen:
            problems.append(
                Problem(N_("Requirement {id} is missing from the sheet."), {"id": rid}, sheet=sheet)
            )
    return answers
