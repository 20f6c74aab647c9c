"""The catalogue workbook: the working group's own spreadsheet of award criteria,
categories and requirements with their weights, out and back in.

One layout, which round-trips exactly: ``export_catalogue`` writes the catalogue as the
database holds it, and ``import_catalogue`` of that file changes nothing. The workbook has
an instruction sheet and three sheets, each with one header row and one row per item:

- ``Kriterier – Criteria``: id, name (nb, en), description (nb, en), weight, retired;
- ``Kategorier – Categories``: id, award criterion, name (nb, en), weight, retired;
- ``Krav – Requirements``: id, category, type (M/W/I), text (nb, en), weight, retired;
- ``Priser – Price lines``: the price schedule: id, type (one_time/yearly), option,
  text (nb, en), mandatory, retired. A workbook without this sheet leaves the schedule as
  it is.

A criterion's and a category's weight is its weight in the published profile; a
requirement's is its weight within its category. Columns are found by their header (the
label written on export, or the column's key such as ``name_nb``), so they may be moved;
blank rows are skipped; other sheets are ignored.

Reading checks the untrusted file before anything is written, as the vendors' workbooks
are checked (``vendors.response_reader``: size, zip bomb, sheet extent), then every cell
(no formulas; retired is yes/no), then the whole catalogue through the store's own checks
(``store.criteria.check_model``). Every problem comes back with its sheet, row and column;
on any, nothing is written. The store functions do the writing.
"""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import dataclass, field
from typing import Any

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from store import catalogue, criteria, price_schedule
from store.cells import text_cells
from store.errors import N_
from store.problems import Problem, ProblemsFound, sort_problems
from vendors.response_reader import (
    Limits,
    cell_as_text,
    is_formula,
    open_checked,
    scan_sheets,
    sha256_of,
    sheet_rows,
    size_problems,
)

SHEET_INSTRUCTIONS = "Veiledning – Instructions"
SHEETS = {
    "criteria": "Kriterier – Criteria",
    "categories": "Kategorier – Categories",
    "requirements": "Krav – Requirements",
    "price_lines": "Priser – Price lines",
}
OPTIONAL_SHEETS = frozenset({"price_lines"})
FLAGS = frozenset({"retired", "is_option", "mandatory"})
TRUE_WORDS = frozenset({"true", "yes", "ja", "sann", "x", "1"})
FALSE_WORDS = frozenset({"", "false", "no", "nei", "usann", "0"})


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: float


def _id(width: float) -> Column:
    return Column("id", "Id", width)


def _in_both(key: str, nb: str, en: str, width: float) -> tuple[Column, Column]:
    """A text's column in Norwegian and its column in English, as wide."""
    return Column(f"{key}_nb", f"{nb} (norsk)", width), Column(
        f"{key}_en", f"{en} (English)", width
    )


_RETIRED = Column("retired", "Utgått – Retired", 12)


def _weighted(*columns: Column) -> tuple[Column, ...]:
    """A weighted table's columns: its own, then the weight and whether retired."""
    return (*columns, Column("weight", "Vekt – Weight", 12), _RETIRED)


# Each sheet's columns, by table.
COLUMNS: dict[str, tuple[Column, ...]] = {
    "criteria": _weighted(
        _id(14),
        *_in_both("name", "Navn", "Name", 28),
        *_in_both("description", "Beskrivelse", "Description", 60),
    ),
    "categories": _weighted(
        _id(12),
        Column("criterion_id", "Kriterium – Criterion", 18),
        *_in_both("name", "Navn", "Name", 32),
    ),
    "requirements": _weighted(
        _id(12),
        Column("category_id", "Kategori – Category", 14),
        Column("kind", "Type (M/W/I)", 10),
        *_in_both("text", "Tekst", "Text", 60),
    ),
    "price_lines": (
        _id(18),
        Column("kind", "Type (one_time/yearly)", 14),
        Column("is_option", "Opsjon – Option", 12),
        *_in_both("text", "Tekst", "Text", 50),
        Column("mandatory", "Obligatorisk – Mandatory", 14),
        _RETIRED,
    ),
}

INSTRUCTIONS = (
    "Kravkatalogen – The requirement catalogue",
    "",
    "Arbeidsgruppens egen arbeidsbok: tildelingskriterier, kategorier og krav med vekter. "
    "Rediger den og les den inn igjen med «python cli.py catalogue import FIL.xlsx» eller "
    "på siden Oppsett. Ingenting lagres hvis noe er galt; hvert problem vises med ark, rad "
    "og kolonne.",
    "The working group's own workbook: award criteria, categories and requirements with "
    "their weights. Edit it and import it again with “python cli.py catalogue import "
    "FILE.xlsx” or on the page Oppsett (Setup). Nothing is stored if anything is wrong; "
    "every problem is shown with sheet, row and column.",
    "",
    "Vekt: for kriterier og kategorier vekten i den publiserte vektprofilen (kategorier innen "
    "sitt kriterium); for krav vekten innen kategorien. – Weight: for criteria and "
    "categories the weight in the published profile (categories within their criterion); "
    "for requirements the weight within the category.",
    "Type: M skal-krav, W vektet bør-krav, I til informasjon. – Type: M mandatory, W "
    "weighted, I for information.",
    "Utgått: ja/nei. Ingenting slettes; sett Utgått i stedet. – Retired: yes/no. Nothing "
    "is deleted; mark it retired instead.",
    "Priser: prisskjemaets linjer, som leverandørene priser i kroner eks. mva.; type "
    "one_time (engangs) eller yearly (årlig), opsjon ja/nei, obligatorisk ja/nei. – Price "
    "lines: the price schedule the vendors price in NOK excl. VAT; type one_time or yearly, "
    "option yes/no, mandatory yes/no.",
    "Formler godtas ikke. – Formulas are not accepted.",
)

_HEADER_FILL = PatternFill("solid", fgColor="0B3C5D")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")


class CatalogueWorkbookRefused(ProblemsFound):
    """A catalogue workbook that cannot be imported as it is; nothing was written."""


# --- out -------------------------------------------------------------------------------


def catalogue_tables(con: duckdb.DuckDBPyConnection) -> dict[str, pd.DataFrame]:
    """The catalogue as the workbook holds it: every row, retired ones too."""
    return {
        "criteria": criteria.editable_criteria(con),
        "categories": criteria.editable_categories(con),
        "price_lines": price_schedule.editable(con),
        "requirements": catalogue.editable(con),
    }


def build_workbook(tables: dict[str, pd.DataFrame]) -> Workbook:
    """The catalogue workbook from the three tables."""
    wb = Workbook()
    intro = wb.active
    assert intro is not None
    intro.title = SHEET_INSTRUCTIONS
    intro.column_dimensions["A"].width = 110
    for number, line in enumerate(INSTRUCTIONS, start=1):
        cell = intro.cell(row=number, column=1, value=line or None)
        cell.alignment = _WRAP_TOP
        if number == 1:
            cell.font = Font(bold=True, size=14)
    for table, sheet in SHEETS.items():
        ws = wb.create_sheet(sheet)
        columns = COLUMNS[table]
        for index, column in enumerate(columns, start=1):
            cell = ws.cell(row=1, column=index, value=column.label)
            cell.fill, cell.font = _HEADER_FILL, _HEADER_FONT
            ws.column_dimensions[get_column_letter(index)].width = column.width
        ws.freeze_panes = "B2"
        for number, row in enumerate(tables[table].to_dict("records"), start=2):
            for index, column in enumerate(columns, start=1):
                value = row[column.key]
                if column.key == "weight":
                    value = float(value)
                elif column.key in FLAGS:
                    value = bool(value)
                else:
                    value = str(value) if value else None
                cell = ws.cell(row=number, column=index, value=value)
                if column.key != "weight" and column.key not in FLAGS:
                    cell.number_format = "@"
                    cell.alignment = _WRAP_TOP
    text_cells(wb)
    return wb


def export_catalogue(con: duckdb.DuckDBPyConnection) -> bytes:
    """The catalogue as the database holds it, as an .xlsx file's bytes."""
    buffer = io.BytesIO()
    build_workbook(catalogue_tables(con)).save(buffer)
    return buffer.getvalue()


# --- in --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedCatalogue:
    """What a workbook holds: the three tables if it could be read, and every problem.

    ``rows[table][k]`` is the spreadsheet row of the table's row k + 1; ``letters[table]``
    maps a column's key to its letter in the sheet.
    """

    sha256: str
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    problems: tuple[Problem, ...] = ()
    rows: dict[str, list[int]] = field(default_factory=dict)
    letters: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def _flag(value: Any) -> bool | None:
    if value is None:
        return False
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and not (isinstance(value, float) and math.isnan(value)):
        return {0: False, 1: True}.get(int(value)) if float(value) in (0.0, 1.0) else None
    word = cell_as_text(value).casefold()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def _weight(value: Any) -> Any:
    """A weight cell for the store's check: numbers as float, text as given, blank 0."""
    if value is None:
        return 0.0
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    return cell_as_text(value)


def _read_sheet(
    ws: Any, table: str, last_row: int, last_col: int, problems: list[Problem]
) -> tuple[pd.DataFrame | None, list[int], dict[str, str]]:
    sheet = SHEETS[table]
    columns = COLUMNS[table]
    wanted = {c.key: c for c in columns}
    names = {c.label.casefold(): c.key for c in columns} | {
        c.key.casefold(): c.key for c in columns
    }
    rows = sheet_rows(ws, last_row, last_col)
    first = next(rows, None)
    found: dict[str, int] = {}
    if first is not None:
        for index, cell in enumerate(first[1]):
            header = cell_as_text(cell.value)
            if not header:
                continue
            key = names.get(header.casefold())
            letter = get_column_letter(index + 1)
            if key is not None and key not in found:
                found[key] = index
                continue
            message = (
                N_("The column “{header}” is not part of the catalogue workbook.")
                if key is None
                else N_("The column “{header}” appears twice.")
            )
            problems.append(Problem(message, {"header": header}, sheet=sheet, row=1, column=letter))
    missing = [wanted[k].label for k in wanted if k not in found]
    if missing:
        problems.append(
            Problem(
                N_("The header row lacks the column(s) {columns}."),
                {"columns": ", ".join(f"“{m}”" for m in missing)},
                sheet=sheet,
                row=1,
            )
        )
        return None, [], {}
    letters = {k: get_column_letter(i + 1) for k, i in found.items()}
    records: list[dict[str, Any]] = []
    numbers: list[int] = []
    for number, cells in rows:
        if all(
            c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in cells
        ):
            continue
        record: dict[str, Any] = {}
        for key, index in found.items():
            cell = cells[index] if index < len(cells) else None
            value = cell.value if cell is not None else None
            if cell is not None and is_formula(cell):
                problems.append(
                    Problem(
                        N_("The cell holds a formula; write the value itself."),
                        sheet=sheet,
                        row=number,
                        column=letters[key],
                    )
                )
                value = None
            if key == "weight":
                record[key] = _weight(value)
            elif key in FLAGS:
                flag = _flag(value)
                if flag is None:
                    problems.append(
                        Problem(
                            N_("“{column}” must be yes or no, not “{value}”."),
                            {"column": wanted[key].label, "value": cell_as_text(value)[:40]},
                            sheet=sheet,
                            row=number,
                            column=letters[key],
                        )
                    )
                record[key] = bool(flag)
            else:
                record[key] = cell_as_text(value)
        records.append(record)
        numbers.append(number)
    return pd.DataFrame(records, columns=[c.key for c in columns]), numbers, letters


def read_catalogue(data: bytes, *, limits: Limits | None = None) -> ParsedCatalogue:
    """Read and check a catalogue workbook's cells from its bytes; touch no database."""
    limits = limits or Limits()
    digest = sha256_of(data)

    def refused(problems: list[Problem]) -> ParsedCatalogue:
        return ParsedCatalogue(sha256=digest, problems=tuple(sort_problems(problems)))

    opened = open_checked(data, limits, lambda wb, archive: _read_open(wb, archive, digest, limits))
    return refused(opened) if isinstance(opened, list) else opened


def _read_open(wb: Any, archive: zipfile.ZipFile, digest: str, limits: Limits) -> ParsedCatalogue:
    problems: list[Problem] = []
    extents: dict[str, tuple[int, int]] = {}
    for title, scan in scan_sheets(wb, archive, limits, SHEETS.values()).items():
        extents[title] = (scan.rows, scan.columns)
        problems.extend(size_problems(title, scan.rows, scan.columns, limits))
    for table, sheet in SHEETS.items():
        if sheet not in wb.sheetnames and table not in OPTIONAL_SHEETS:
            problems.append(Problem(N_("The sheet “{sheet}” is missing."), {"sheet": sheet}))
    if problems:
        return ParsedCatalogue(sha256=digest, problems=tuple(sort_problems(problems)))
    tables: dict[str, pd.DataFrame] = {}
    rows: dict[str, list[int]] = {}
    letters: dict[str, dict[str, str]] = {}
    for table, sheet in SHEETS.items():
        if sheet not in wb.sheetnames:
            continue
        last_row, last_col = extents.get(sheet, (0, 0))
        frame, numbers, where = _read_sheet(wb[sheet], table, last_row, last_col, problems)
        if frame is not None:
            tables[table], rows[table], letters[table] = frame, numbers, where
    return ParsedCatalogue(
        sha256=digest,
        tables=tables,
        problems=tuple(sort_problems(problems)),
        rows=rows,
        letters=letters,
    )


def _placed(problem: Problem, table: str, parsed: ParsedCatalogue) -> Problem:
    """A problem the store found in a table (row k, column key), placed in the sheet."""
    numbers = parsed.rows.get(table, [])

    def sheet_row(row: Any) -> int | None:
        return numbers[row - 1] if isinstance(row, int) and 1 <= row <= len(numbers) else None

    row = None if problem.message in criteria.MISSING_MESSAGES else sheet_row(problem.row)
    params = dict(problem.params)
    if "other" in params:  # "used more than once (also in row …)"
        params["other"] = sheet_row(params["other"]) or params["other"]
    column = parsed.letters.get(table, {}).get(problem.column, problem.column)
    return Problem(problem.message, params, sheet=SHEETS[table], row=row, column=column)


def import_catalogue(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    *,
    actor: str,
    file_name: str = "",
    reason: str = "",
    limits: Limits | None = None,
    climate_justification: str | None = None,
) -> criteria.ModelSaveResult:
    """Read a catalogue workbook and, if nothing is wrong, make the catalogue what it says.

    All or nothing: on any problem (in the file, or in the catalogue it describes)
    ``CatalogueWorkbookRefused`` lists them all with sheet, row and column, and nothing is
    written. Otherwise ``store.criteria.import_model`` writes every change, logged, through
    the freeze guard (after the freeze it needs a reason). A file that matches the catalogue
    changes nothing. Criterion weights that put climate and environment under 30 % need
    ``climate_justification`` (or one the published profile has already): FOA § 7-9.
    """
    parsed = read_catalogue(data, limits=limits)
    problems = list(parsed.problems)
    if all(t in parsed.tables for t in SHEETS if t not in OPTIONAL_SHEETS):
        # The catalogue the file describes is checked even where some cells are wrong, so
        # that every problem is listed at once (a wrong cell's own problem comes first).
        found = criteria.check_tables(con, parsed.tables)
        if "price_lines" in parsed.tables:
            found["price_lines"] = price_schedule.check(con, parsed.tables["price_lines"])
        if not problems and not any(found.values()):
            return criteria.import_model(
                con,
                parsed.tables,
                actor=actor,
                reason=reason,
                source={"file": file_name, "sha256": parsed.sha256},
                climate_justification=climate_justification,
            )
        taken = {(p.sheet, p.row, p.column) for p in problems}
        for table, listed in found.items():
            for problem in listed:
                placed = _placed(problem, table, parsed)
                if (placed.sheet, placed.row, placed.column) not in taken:
                    problems.append(placed)
    raise CatalogueWorkbookRefused(
        N_("The file {file} was not imported: {count} problem(s) to fix."),
        sort_problems(problems),
        file=file_name or "?",
    )
