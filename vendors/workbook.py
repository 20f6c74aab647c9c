"""The requirement specification as an Excel workbook, out to vendors and back.

Export: ``build_template`` makes an openpyxl Workbook from the catalogue (an instruction
sheet in Norwegian and English, a requirements sheet where only the vendor's four columns
are open, and a hidden sheet that carries the catalogue version and fingerprint).

Import: ``read_responses`` checks an untrusted file from its bytes, before anything is
written anywhere: size, zip members and sheet extents first (a zip bomb or a huge sheet is
refused before it is unpacked or read), then the template's marks, then every row. It
returns the clean answers and every problem found, each with sheet, row and column. It
touches no database.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from xml.etree.ElementTree import ParseError, iterparse

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.worksheet.worksheet import Worksheet

from locales import gettext_for
from vendors.catalogue import CatalogueVersion, nfc
from vendors.errors import N_
from vendors.problems import Problem, sort_problems

FORMAT = "bibvalg-requirement-specification"
FORMAT_VERSION = 1
SHEET_INSTRUCTIONS = "Veiledning – Instructions"
SHEET_REQUIREMENTS = "Krav – Requirements"
SHEET_META = "bibvalg"
TITLE_ROW, HEADER_ROW, FIRST_ROW = 1, 2, 3
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The vendor's self-assessment scale.
ANSWER_MEANINGS = {
    3: N_("Fully met in the standard product"),
    2: N_("Met with configuration, or partly"),
    1: N_("On the roadmap"),
    0: N_("Not met"),
}
ANSWER_SHORT = {
    3: N_("fully met"),
    2: N_("configuration or partly"),
    1: N_("roadmap, give the date"),
    0: N_("not met"),
}
KIND_MEANINGS = {
    "M": N_("M – mandatory (must be met)"),
    "W": N_("W – weighted (scored by the evaluators)"),
    "I": N_("I – for information (not scored)"),
}


@dataclass(frozen=True)
class Column:
    """One column of the requirements sheet."""

    key: str
    header: str  # message id, shown in Norwegian and English
    width: float
    vendor: bool = False  # the vendor fills it in


COLUMNS = (
    Column("id", N_("Requirement id"), 13),
    Column("category", N_("Category"), 24),
    Column("kind", N_("Type"), 7),
    Column("text_nb", N_("Requirement (Norwegian)"), 46),
    Column("text_en", N_("Requirement (English)"), 46),
    Column("weight", N_("Weight"), 8),
    Column("answer", N_("Answer (0–3)"), 12, vendor=True),
    Column("comment", N_("Comment"), 40, vendor=True),
    Column("evidence", N_("Evidence or reference"), 26, vendor=True),
    Column("roadmap_date", N_("Roadmap date"), 14, vendor=True),
)


def layout(show_weights: bool) -> tuple[Column, ...]:
    """The columns of the requirements sheet, with or without the weight."""
    return tuple(c for c in COLUMNS if show_weights or c.key != "weight")


def both(message: str) -> str:
    """A message in Norwegian and English: "Krav / Requirement"."""
    nb, en = gettext_for("nb", message), gettext_for("en", message)
    return nb if nb == en else f"{nb} / {en}"


def _both_lines(message: str) -> tuple[str, str]:
    return gettext_for("nb", message), gettext_for("en", message)


# --- export ----------------------------------------------------------------------------

_THIN = Side(style="thin", color="B7C3CE")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="0B3C5D")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_VENDOR_FILL = PatternFill("solid", fgColor="FFF6D5")
_LOCKED_FILL = PatternFill("solid", fgColor="F2F5F8")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_OPEN = Protection(locked=False)


def _estimated_height(texts: Sequence[tuple[str, float]]) -> float:
    """A row height that shows wrapped text whole (spreadsheets do not measure on open)."""
    lines = 1
    for text, width in texts:
        lines = max(lines, _wrapped_lines(text, max(int(width), 1)))
    return min(15.0 * lines + 3, 409.0)


def _wrapped_lines(text: str, per_line: int) -> int:
    """Lines a text takes when wrapped at word boundaries into ``per_line`` characters."""
    count = 0
    for paragraph in text.split("\n"):
        used = 0
        count += 1
        for word in paragraph.split():
            length = len(word)
            if used and used + 1 + length > per_line:
                count += 1
                used = 0
            used = used + (1 if used else 0) + length
            while used > per_line:
                count += 1
                used -= per_line
    return count


def _protect(ws: Worksheet) -> None:
    ws.protection.sheet = True
    ws.protection.formatColumns = False  # widths and heights may be changed
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.protection.selectLockedCells = False
    ws.protection.selectUnlockedCells = False


def _print_setup(ws: Worksheet, footer: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.left.text = footer
    ws.oddFooter.right.text = "&P / &N"


def build_template(
    requirements: pd.DataFrame,
    categories: pd.DataFrame,
    version: CatalogueVersion,
    *,
    show_weights: bool,
    exported_at: datetime | None = None,
) -> Workbook:
    """The requirement specification for vendors to fill in.

    ``requirements`` are the requirements in force, in catalogue order (the columns of the
    ``requirement`` table); ``categories`` give the category names.
    """
    exported_at = exported_at or datetime.now().replace(microsecond=0)
    columns = layout(show_weights)
    cat_names = {
        row["id"]: (row["name_nb"], row["name_en"]) for row in categories.to_dict("records")
    }
    wb = Workbook()
    wb.properties.title = both(N_("Requirement specification"))
    wb.properties.creator = "bibvalg"
    wb.properties.keywords = f"{FORMAT} {version.version} {version.fingerprint}"
    footer = f"{both(N_('Catalogue version'))} {version.version}"

    _instructions_sheet(wb.active, requirements, cat_names, version, footer)
    ws = wb.create_sheet(SHEET_REQUIREMENTS)
    last_row = FIRST_ROW + len(requirements) - 1

    ws.cell(TITLE_ROW, 1, f"{both(N_('Requirement specification'))} – {footer}")
    ws.cell(TITLE_ROW, 1).font = Font(bold=True, size=13)
    ws.row_dimensions[TITLE_ROW].height = 22
    for number, column in enumerate(columns, start=1):
        cell = ws.cell(HEADER_ROW, number, both(column.header))
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        cell.border = _BORDER
        ws.column_dimensions[get_column_letter(number)].width = column.width
    ws.row_dimensions[HEADER_ROW].height = _estimated_height(
        [(both(c.header), c.width - 2) for c in columns]  # bold runs wider
    )

    for row_number, req in enumerate(requirements.to_dict("records"), start=FIRST_ROW):
        nb, en = cat_names.get(req["category_id"], (req["category_id"], req["category_id"]))
        values: dict[str, Any] = {
            "id": req["id"],
            "category": nb if nb == en else f"{nb} / {en}",
            "kind": req["kind"],
            "text_nb": req["text_nb"],
            "text_en": req["text_en"],
            "weight": float(req["weight"]) if req["kind"] == "W" else None,
        }
        for number, column in enumerate(columns, start=1):
            cell = ws.cell(row_number, number, values.get(column.key))
            cell.alignment = _WRAP_TOP
            cell.border = _BORDER
            if column.key == "answer":
                cell.alignment = Alignment(horizontal="center", vertical="top")
            if column.vendor:
                cell.protection = _OPEN
                cell.fill = _VENDOR_FILL
                if column.key == "roadmap_date":
                    cell.number_format = "yyyy-mm-dd"
                elif column.key in ("comment", "evidence"):
                    cell.number_format = "@"
            else:
                cell.fill = _LOCKED_FILL
        ws.row_dimensions[row_number].height = _estimated_height(
            [(str(values[k] or ""), c.width) for c in columns if (k := c.key) in values]
        )

    letters = {c.key: get_column_letter(i) for i, c in enumerate(columns, start=1)}
    if len(requirements):
        answer_prompt = "\n".join(
            f"{v} = {gettext_for('nb', ANSWER_SHORT[v])} / {gettext_for('en', ANSWER_SHORT[v])}"
            for v in (3, 2, 1, 0)
        )
        answers = DataValidation(
            type="list",
            formula1='"0,1,2,3"',
            allow_blank=True,
            showInputMessage=True,
            showErrorMessage=True,
            errorStyle="stop",
            promptTitle=both(N_("Answer"))[:32],
            prompt=answer_prompt[:255],
            errorTitle=both(N_("Invalid answer"))[:32],
            error=both(N_("Choose 0, 1, 2 or 3."))[:255],
        )
        answers.add(f"{letters['answer']}{FIRST_ROW}:{letters['answer']}{last_row}")
        dates = DataValidation(
            type="date",
            operator="greaterThan",
            formula1="36526",  # 2000-01-01
            allow_blank=True,
            showInputMessage=True,
            showErrorMessage=True,
            promptTitle=both(N_("Roadmap date"))[:32],
            prompt=both(N_("For answer 1: the date it will be delivered, YYYY-MM-DD."))[:255],
            errorTitle=both(N_("Invalid date"))[:32],
            error=both(N_("Write a date, YYYY-MM-DD."))[:255],
        )
        dates.add(f"{letters['roadmap_date']}{FIRST_ROW}:{letters['roadmap_date']}{last_row}")
        ws.add_data_validation(answers)
        ws.add_data_validation(dates)
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{last_row}"
    ws.freeze_panes = f"B{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    _print_setup(ws, footer)
    _protect(ws)

    meta = wb.create_sheet(SHEET_META)
    for key, value in (
        ("format", FORMAT),
        ("format_version", FORMAT_VERSION),
        ("catalogue_version", version.version),
        ("fingerprint", version.fingerprint),
        ("columns", ",".join(c.key for c in columns)),
        ("requirements", len(requirements)),
        ("exported_at", exported_at.isoformat()),
    ):
        meta.append([key, value])
    meta.sheet_state = "veryHidden"
    _protect(meta)

    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    return wb


def _instructions_sheet(
    ws: Worksheet,
    requirements: pd.DataFrame,
    cat_names: dict[str, tuple[str, str]],
    version: CatalogueVersion,
    footer: str,
) -> None:
    ws.title = SHEET_INSTRUCTIONS
    ws.column_dimensions["A"].width = 70
    ws.column_dimensions["B"].width = 70

    def line(nb: str, en: str, *, bold: bool = False, size: float | None = None) -> None:
        ws.append([nb, en])
        row = ws.max_row
        for cell in ws[row]:
            cell.alignment = _WRAP_TOP
            if bold or size:
                cell.font = Font(bold=bold, size=size)
        ws.row_dimensions[row].height = _estimated_height([(nb, 70), (en, 70)])

    def say(message: str, **params: Any) -> None:
        nb, en = _both_lines(message)
        line(nb.format(**params), en.format(**params))

    def heading(message: str) -> None:
        ws.append([])
        nb, en = _both_lines(message)
        line(nb, en, bold=True, size=12)

    nb, en = _both_lines(N_("Requirement specification – response form"))
    line(nb, en, bold=True, size=14)
    say(
        N_("Catalogue version {version}, fingerprint {fingerprint}."),
        version=version.version,
        fingerprint=version.fingerprint[:16],
    )
    heading(N_("How to answer"))
    say(
        N_(
            "Answer every requirement on the sheet “{sheet}”. Only the four yellow columns "
            "can be filled in: answer, comment, evidence or reference, and roadmap date. "
            "The rest is locked."
        ),
        sheet=SHEET_REQUIREMENTS,
    )
    say(N_("Answer: choose 0, 1, 2 or 3 from the list (the scale is below)."))
    say(N_("Every mandatory requirement (type M) must be answered."))
    say(N_("Comment: explain how the requirement is met."))
    say(N_("Evidence or reference: point to an appendix, a chapter or a web page."))
    say(N_("Roadmap date: for answer 1, the date it will be delivered (YYYY-MM-DD)."))
    say(
        N_(
            "Write values, not formulas. Do not change the requirement texts, and do not "
            "add, move or delete rows or sheets."
        )
    )
    say(N_("Send the file back as an Excel workbook (.xlsx)."))
    heading(N_("Answer scale"))
    for value in (3, 2, 1, 0):
        nb, en = _both_lines(ANSWER_MEANINGS[value])
        line(f"{value} – {nb}", f"{value} – {en}")
    heading(N_("Requirement types"))
    for kind in ("M", "W", "I"):
        nb, en = _both_lines(KIND_MEANINGS[kind])
        line(nb, en)
    heading(N_("Categories"))
    for category in dict.fromkeys(requirements["category_id"]):
        nb, en = cat_names.get(category, (category, category))
        count = int((requirements["category_id"] == category).sum())
        line(f"{category} – {nb} ({count})", f"{category} – {en} ({count})")
    _print_setup(ws, footer)
    ws.page_setup.orientation = "portrait"
    _protect(ws)


def template_bytes(workbook: Workbook) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- import ----------------------------------------------------------------------------


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


@dataclass(frozen=True)
class Answer:
    """A vendor's answer to one requirement, as imported."""

    requirement_id: str
    answer: int | None
    comment: str = ""
    evidence: str = ""
    roadmap_date: date | None = None

    def as_dict(self) -> dict[str, Any]:
        """For the audit log and JSON."""
        return {
            "answer": self.answer,
            "comment": self.comment,
            "evidence": self.evidence,
            "roadmap_date": self.roadmap_date.isoformat() if self.roadmap_date else None,
        }


@dataclass(frozen=True)
class TemplateMarks:
    """What the template says about itself (from its hidden sheet)."""

    catalogue_version: int
    fingerprint: str
    columns: tuple[str, ...]
    exported_at: str = ""


@dataclass(frozen=True)
class ParsedResponses:
    """The outcome of reading a workbook: answers if it is clean, else the problems."""

    sha256: str
    answers: tuple[Answer, ...] = ()
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
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None, [not_workbook]
    names = {m.filename for m in members}
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
    if problems:
        archive.close()
        return None, problems
    return archive, []


_CELL_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


def _column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ord(ch) - 64)
    return number


def sheet_extent(stream: Any) -> tuple[int, int]:
    """(last row, last column) holding a value, read from a sheet's XML without keeping it."""
    max_row = max_col = 0
    row = 0
    col = 0
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
            elem.clear()
        elif tag == "row":
            elem.clear()
    return max_row, max_col


def _is_formula(cell: Any) -> bool:
    value = cell.value
    return getattr(cell, "data_type", None) == "f" or isinstance(
        value, ArrayFormula | DataTableFormula
    )


def _formula_text(value: Any) -> str:
    text = getattr(value, "text", None) or str(value)
    return text if len(text) <= 60 else text[:57] + "…"


def _cell_text(value: Any) -> str:
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


_DIGIT_ANSWER = re.compile(r"^[0-3]$")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_NB_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def parse_answer(value: Any) -> tuple[int | None, Problem | None]:
    """The 0–3 answer in a cell, or the problem with it (without a place yet)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None, Problem(
            N_("The answer must be a number from 0 to 3, not “{value}”."),
            {"value": _cell_text(value)},
        )
    if isinstance(value, str):
        text = value.strip()
        if _DIGIT_ANSWER.match(text):
            return int(text), None
        if not _NUMBER.match(text):
            return None, Problem(
                N_("The answer must be a number from 0 to 3, not “{value}”."),
                {"value": _short(text)},
            )
        return None, Problem(N_("The answer must be 0, 1, 2 or 3, not {value}."), {"value": text})
    if isinstance(value, float) and value.is_integer() and 0 <= value <= 3:
        return int(value), None
    if isinstance(value, int) and 0 <= value <= 3:
        return value, None
    return None, Problem(
        N_("The answer must be 0, 1, 2 or 3, not {value}."), {"value": _cell_text(value)}
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
        {"value": _short(_cell_text(value))},
    )


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _read_marks(ws: Any) -> dict[str, str]:
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


def read_responses(
    data: bytes,
    requirements: pd.DataFrame,
    current: CatalogueVersion,
    *,
    limits: Limits | None = None,
) -> ParsedResponses:
    """Read and check a filled-in requirement specification; write nothing.

    ``requirements`` are the requirements in force (id, kind, text_nb, text_en);
    ``current`` is the catalogue version they make up. Every problem is collected, each
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

    archive, problems = _check_archive(data, limits)
    if archive is None:
        return refused(problems)
    with archive, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
        except Exception:  # openpyxl raises many kinds on a damaged file
            return refused(
                [Problem(N_("The file cannot be read as an Excel workbook; it may be damaged."))]
            )
        try:
            problems, marks, answers = _read_open_workbook(
                wb, archive, requirements, current, limits
            )
        except (ParseError, zipfile.BadZipFile, Exception):  # a damaged or hostile file
            return refused(
                [Problem(N_("The file cannot be read as an Excel workbook; it may be damaged."))]
            )
        finally:
            wb.close()
    if problems:
        return refused(problems, marks)
    return ParsedResponses(sha256=digest, answers=tuple(answers), marks=marks, size_bytes=len(data))


def _read_open_workbook(
    wb: Any,
    archive: zipfile.ZipFile,
    requirements: pd.DataFrame,
    current: CatalogueVersion,
    limits: Limits,
) -> tuple[list[Problem], TemplateMarks | None, list[Answer]]:
    problems: list[Problem] = []
    extents: dict[str, tuple[int, int]] = {}
    for ws in wb.worksheets:
        path = getattr(ws, "_worksheet_path", None)
        if path is None:
            continue
        with archive.open(path) as stream:
            rows, cols = sheet_extent(stream)
        extents[ws.title] = (rows, cols)
        if rows > limits.max_rows or cols > limits.max_columns:
            problems.append(
                Problem(
                    N_(
                        "The sheet is too large: it reaches row {rows} and column {columns}; "
                        "at most {max_rows} rows and {max_columns} columns are read."
                    ),
                    {
                        "rows": rows,
                        "columns": get_column_letter(min(max(cols, 1), 16384)),
                        "max_rows": limits.max_rows,
                        "max_columns": get_column_letter(limits.max_columns),
                    },
                    sheet=ws.title,
                )
            )
    if problems:
        return problems, None, []

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
        )
    marks = _parse_marks(_read_marks(wb[SHEET_META]))
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
        )
    if SHEET_REQUIREMENTS not in wb.sheetnames:
        missing = Problem(N_("The sheet “{sheet}” is missing."), {"sheet": SHEET_REQUIREMENTS})
        return [missing], marks, []
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
    return problems, marks, answers


def _rows(ws: Any, last_row: int, last_col: int) -> Iterator[tuple[int, tuple[Any, ...]]]:
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

    for row_number, cells in _rows(ws, last_row, last_col):
        values = [getattr(c, "value", None) for c in cells]
        for index, cell in enumerate(cells):
            if getattr(cell, "value", None) is not None and _is_formula(cell):
                problems.append(
                    Problem(
                        N_("The cell holds a formula ({formula}); write the value itself."),
                        {"formula": _formula_text(cell.value)},
                        sheet=sheet,
                        row=row_number,
                        column=get_column_letter(index + 1),
                    )
                )
        if row_number < FIRST_ROW:
            continue
        for index in range(len(keys), len(values)):
            if values[index] not in (None, ""):
                problems.append(
                    Problem(
                        N_("There is something in a cell outside the table: “{value}”."),
                        {"value": _short(_cell_text(values[index]))},
                        sheet=sheet,
                        row=row_number,
                        column=get_column_letter(index + 1),
                    )
                )

        def value(key: str, _values: list[Any] = values) -> Any:
            index = position[key]
            return _values[index] if index < len(_values) else None

        vendor_values = [value(k) for k in ("answer", "comment", "evidence", "roadmap_date")]
        rid = _cell_text(value("id"))
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
        if _cell_text(value("kind")) != req["kind"]:
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
            texts[key] = _cell_text(value(key))
            if len(texts[key]) > limits.max_cell_chars:
                add(
                    row_number,
                    key,
                    Problem(
                        N_("The text is longer than {limit} characters."),
                        {"limit": limits.max_cell_chars},
                    ),
                )
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
