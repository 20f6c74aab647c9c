"""The county's list of participating libraries, as a CSV file or an Excel workbook with
the columns of the survey list: id, name, Sámi name, kind, municipality, region, Sámi
administrative area, Kven, size class, branches, school libraries served.

``read_library_list`` checks every row and returns the clean rows with every problem
found (row and column named); nothing is written here.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import Any

from store.errors import N_
from store.ids import ID_PATTERN
from store.problems import Problem

COLUMNS = (
    "id",
    "name",
    "sami_name",
    "kind",
    "municipality",
    "region",
    "sami_area",
    "kven",
    "size_class",
    "branches",
    "school_libraries",
)
REQUIRED_TEXT = ("id", "name", "municipality", "region")
LIBRARY_KINDS = ("public", "school", "mobile")
SIZE_CLASSES = ("small", "medium", "large")
TRUE_WORDS = {"true", "yes", "ja", "1", "x"}
FALSE_WORDS = {"false", "no", "nei", "0", ""}
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_TEXT = 200


@dataclass(frozen=True)
class LibraryList:
    """What a file holds: the clean rows (only when there is no problem) and the problems."""

    rows: list[dict[str, Any]]
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def _cells_from_csv(data: bytes) -> list[list[str]] | Problem:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Problem(N_("The file is not UTF-8 text; save it as CSV UTF-8."))
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return [list(r) for r in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]


def _cells_from_xlsx(data: bytes) -> list[list[str]] | Problem:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > 10 * MAX_BYTES:
                return Problem(N_("The workbook unpacks to more than bibvalg accepts."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception:  # openpyxl raises many kinds for a damaged file
        return Problem(N_("The file is neither a CSV file nor an Excel workbook (.xlsx)."))
    sheet = workbook.worksheets[0]
    rows: list[list[str]] = []
    for values in sheet.iter_rows(values_only=True):
        if len(rows) > MAX_ROWS:
            break
        rows.append(["" if v is None else str(v) for v in values])
    workbook.close()
    return rows


def _text(value: str) -> str:
    return unicodedata.normalize("NFC", value).strip()


def _controls(value: str) -> bool:
    return any((unicodedata.category(c) in ("Cc", "Cf") and c not in "\t") for c in value)


def read_library_list(data: bytes, file_name: str = "") -> LibraryList:
    """Check a library list (CSV or .xlsx, told apart by content) row by row."""
    if len(data) > MAX_BYTES:
        return LibraryList([], [Problem(N_("The file is larger than 5 MB."))])
    cells = _cells_from_xlsx(data) if data[:2] == b"PK" else _cells_from_csv(data)
    if isinstance(cells, Problem):
        return LibraryList([], [cells])
    cells = [row for row in cells if any(str(c).strip() for c in row)]
    if not cells:
        return LibraryList([], [Problem(N_("The file holds no rows."))])
    if len(cells) > MAX_ROWS + 1:
        return LibraryList(
            [], [Problem(N_("The file has more than {most} rows."), {"most": MAX_ROWS})]
        )
    header = [_text(str(c)).lower() for c in cells[0]]
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        return LibraryList(
            [],
            [
                Problem(
                    N_("The first row must name the columns; missing: {columns}."),
                    {"columns": ", ".join(missing)},
                    row=1,
                )
            ],
        )
    index = {name: header.index(name) for name in COLUMNS}
    problems: list[Problem] = []
    clean: list[dict[str, Any]] = []
    seen: dict[str, int] = {}

    def refuse(row: int, column: str, message: str, **params: Any) -> None:
        """Note a problem with one cell."""
        problems.append(Problem(message, params, row=row, column=column))

    for number, row in enumerate(cells[1:], start=2):

        def cell(name: str, row: list[Any] = row) -> str:
            i = index[name]
            return _text(str(row[i])) if i < len(row) else ""

        record: dict[str, Any] = {}
        for name in COLUMNS:
            value = cell(name)
            if _controls(value):
                refuse(number, name, N_("The cell holds control characters."))
            elif len(value) > MAX_TEXT:
                refuse(
                    number, name, N_("The text is longer than {most} characters."), most=MAX_TEXT
                )
            record[name] = value
        for name in REQUIRED_TEXT:
            if not record[name]:
                refuse(number, name, N_("This cell must not be empty."))
        if record["id"] and not ID_PATTERN.match(record["id"]):
            refuse(
                number,
                "id",
                N_("“{id}” cannot be an id: lower-case letters a–z, digits, “.”, “_” or “-”."),
                id=record["id"],
            )
        elif record["id"] in seen:
            refuse(
                number,
                "id",
                N_("The id “{id}” is on row {first} already."),
                id=record["id"],
                first=seen[record["id"]],
            )
        seen.setdefault(record["id"], number)
        for name, allowed in (("kind", LIBRARY_KINDS), ("size_class", SIZE_CLASSES)):
            record[name] = record[name].lower()
            if record[name] not in allowed:
                refuse(
                    number,
                    name,
                    N_("“{value}” is not one of: {choices}."),
                    value=record[name],
                    choices=", ".join(allowed),
                )
        for name in ("sami_area", "kven"):
            word = record[name].lower()
            if word in TRUE_WORDS or word in FALSE_WORDS:
                record[name] = word in TRUE_WORDS
            else:
                refuse(
                    number,
                    name,
                    N_("“{value}” is not yes or no (true/false, ja/nei)."),
                    value=record[name],
                )
        for name, default in (("branches", 1), ("school_libraries", 0)):
            text = record[name]
            if text == "":
                record[name] = default
            elif text.isascii() and text.isdigit() and int(text) <= 10_000:
                record[name] = int(text)
            elif text.endswith(".0") and text[:-2].isdigit():  # a whole number from Excel
                record[name] = int(text[:-2])
            else:
                refuse(number, name, N_("“{value}” is not a whole number, 0 or more."), value=text)
        clean.append(record)
    if problems:
        return LibraryList([], problems)
    return LibraryList(clean, [])
