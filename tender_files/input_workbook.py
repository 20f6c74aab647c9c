"""A library's input workbook, out and back in.

``build_input_workbook`` makes the workbook for one library from ``TemplateData``: an
instruction sheet in Norwegian and English, the library's facts to give (pre-filled with
its newest answer, else with what the library list says), every category and weighted
requirement in force to rate from 0 (not needed) to 4 (essential) with a comment, rows for
proposed new requirements, and a very hidden sheet of marks naming the library. Only the
yellow cells are open; the rest is locked, and the importance, yes/no and shared-catalogue
cells have drop-down lists.

``read_input_workbook`` checks a filled-in workbook from its bytes as the vendors' files
are checked (``vendors.response_reader``: size, zip bomb, macros, sheet extent, no
formulas), then the marks (a library of the tender; the one expected, if given), then
every row: the locked cells as made (a fact's question, a category's or requirement's id
and text as in the catalogue), an importance that is a whole number from 0 to 4, facts of
their kind, nothing outside the tables. It returns a ``store.library_input.LibraryAnswer``
and every problem with sheet, row and column; ``import_input_file`` then stores it all or
nothing (``store.library_input.import_answer``).
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from store import libraries, library_input
from store.db import retry_on_conflict, transaction
from store.errors import N_, InputRefused
from store.library_input import FACTS, IMPORTANCE, ImportResult, LibraryAnswer, Priority, Proposal
from store.problems import LibraryInputRefused, Problem, sort_problems
from tender_files import workbook_io
from vendors.office_files import fixed_zip_times
from vendors.price_reader import short_text
from vendors.response_reader import NUMBER_TEXT, Limits, cell_as_text, text_problems
from vendors.template import add_rule, finish_sheet, template_bytes, title_and_header
from vendors.workbook_layout import (
    FIRST_ROW,
    HEADER_ROW,
    SHEET_INSTRUCTIONS,
    SHEET_META,
    Column,
    both,
    both_lines,
)

FORMAT = "bibvalg-library-input"
FORMAT_VERSION = 1
SHEET_FACTS = "Fakta – Facts"
SHEET_PRIORITIES = "Prioritering – Priorities"
SHEET_PROPOSALS = "Forslag – Proposals"
SHEETS = (SHEET_INSTRUCTIONS, SHEET_FACTS, SHEET_PRIORITIES, SHEET_PROPOSALS, SHEET_META)
PROPOSAL_ROWS = 15
TITLE_FACTS = N_("Facts about the library")
TITLE_PRIORITIES = N_("Priorities")
TITLE_PROPOSALS = N_("Proposed new requirements")
IMPORT_COMMAND = "python cli.py input import FILE.xlsx"

FACT_COLUMNS = (
    Column("key", N_("Key"), 18),
    Column("question", N_("Question"), 46),
    Column("answer", N_("Answer"), 30, fill_in=True),
)
PRIORITY_COLUMNS = (
    Column("item_kind", N_("Kind"), 12),
    Column("item_id", N_("Id"), 11),
    Column("category", N_("Category"), 11),
    Column("text_nb", N_("Text (Norwegian)"), 48),
    Column("text_en", N_("Text (English)"), 40),
    Column("importance", N_("Importance (0–4)"), 13, fill_in=True),
    Column("comment", N_("Comment"), 40, fill_in=True),
)
PROPOSAL_COLUMNS = (
    Column("number", N_("No."), 6),
    Column("category", N_("Category"), 14, fill_in=True),
    Column("text", N_("Proposed requirement"), 90, fill_in=True),
)
# How a yes/no and a shared-catalogue answer may be written (what the lists offer first).
YES_NO = {"ja": True, "nei": False, "yes": True, "no": False, "true": True, "false": False}
SHARED = {"i dag": "today", "ønsket": "wanted", "nei": "no", "today": "today",
          "wanted": "wanted", "no": "no"}  # fmt: skip
TEXT_KEYS = frozenset({"comment", "text"})  # open cells for text, formatted as text
SHARED_SHOWN = {"today": "i dag", "wanted": "ønsket", "no": "nei"}
ITEM_KIND_SHOWN = {"category": "kategori", "requirement": "krav"}


def _letters(columns: tuple[Column, ...]) -> dict[str, str]:
    return {c.key: get_column_letter(i) for i, c in enumerate(columns, start=1)}


@dataclass(frozen=True)
class TemplateData:
    """What a library's workbook is made from: the library (id, name), what it rates
    (``store.library_input.template_items``), and what to pre-fill: facts by key and the
    importance and comment by (item kind, item id)."""

    library_id: str
    library_name: str
    items: pd.DataFrame
    facts: dict[str, Any] = field(default_factory=dict)
    priorities: dict[tuple[str, str], tuple[int, str]] = field(default_factory=dict)


def template_data(con: duckdb.DuckDBPyConnection, library: str) -> TemplateData:
    """Everything a library's workbook holds, pre-filled with its newest answer (or, for
    the facts, the library list's branches and school libraries)."""
    row = libraries.library(con, library)
    if row is None:
        raise InputRefused(N_("There is no participating library “{id}”."), id=library)
    facts: dict[str, Any] = {
        "branches": _plain(row["branches"]),
        "school_libraries": _plain(row["school_libraries"]),
        "mobile_library": row["kind"] == "mobile" or None,
    }
    newest = library_input.current_facts(con)
    newest = newest[newest["library_id"] == library]
    if not newest.empty:
        given = newest.iloc[0].to_dict()
        facts = {k: _plain(given[k]) for k, _, _ in FACTS}
    return TemplateData(
        library_id=library,
        library_name=str(row["name"]),
        items=library_input.template_items(con),
        facts=facts,
        priorities=library_input.newest_priorities(con, library),
    )


def _plain(value: Any) -> Any:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


# --- out -------------------------------------------------------------------------------


def build_input_workbook(data: TemplateData, *, made_at: datetime | None = None) -> Workbook:
    """The library's input workbook (see the module's docstring)."""
    made_at = made_at or datetime.now().replace(microsecond=0)
    wb = workbook_io.new_workbook(N_("Input workbook"), FORMAT, data.library_id)
    footer = f"{data.library_name} ({data.library_id})"
    _instructions_sheet(wb.active, data, made_at, footer)
    _facts_sheet(wb.create_sheet(SHEET_FACTS), data, footer)
    _priorities_sheet(wb.create_sheet(SHEET_PRIORITIES), data, footer)
    _proposals_sheet(wb.create_sheet(SHEET_PROPOSALS), data, footer)
    return workbook_io.finish_workbook(
        wb,
        (
            ("format", FORMAT),
            ("format_version", FORMAT_VERSION),
            ("library", data.library_id),
            ("made_at", made_at.isoformat()),
        ),
    )


def input_workbook_bytes(data: TemplateData, *, made_at: datetime | None = None) -> bytes:
    """The library's input workbook as the bytes of an .xlsx file."""
    return template_bytes(build_input_workbook(data, made_at=made_at))


@retry_on_conflict
def make_template(con: duckdb.DuckDBPyConnection, library: str, *, actor: str) -> bytes:
    """A library's input workbook; the library is recorded as sent (logged)."""
    data = template_data(con, library)
    with transaction(con):
        library_input.write_sent(con, [library], actor=actor, how="template")
    return input_workbook_bytes(data)


@retry_on_conflict
def make_all_templates(con: duckdb.DuckDBPyConnection, *, actor: str) -> bytes:
    """Every participating library's input workbook in one zip (``<library id>.xlsx``),
    each library recorded as sent, in one transaction."""
    made_at = datetime.now().replace(microsecond=0)
    ids = libraries.library_ids(con)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for library in ids:
            workbook = input_workbook_bytes(template_data(con, library), made_at=made_at)
            archive.writestr(f"{library}.xlsx", workbook)
    with transaction(con):
        library_input.write_sent(con, ids, actor=actor, how="template")
    return fixed_zip_times(buffer.getvalue(), made_at)


def _list_rule(ws: Worksheet, choices: list[str], cells: str, title: str, prompt: str) -> None:
    add_rule(
        ws,
        cells,
        type="list",
        formula1='"' + ",".join(choices) + '"',
        title=title,
        prompt=prompt,
        error_title=N_("Not on the list"),
        error=N_("Choose a value from the list."),
    )


def _fact_shown(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "yes_no":
        return "ja" if value else "nei"
    if kind == "shared":
        return SHARED_SHOWN.get(str(value), value)
    return value


def _facts_sheet(ws: Worksheet, data: TemplateData, footer: str) -> None:
    title_and_header(ws, f"{both(TITLE_FACTS)} – {footer}", FACT_COLUMNS)
    answer = _letters(FACT_COLUMNS)["answer"]
    rows = workbook_io.RowWriter(ws, FACT_COLUMNS, TEXT_KEYS)
    for number, (key, kind, label) in enumerate(FACTS, start=FIRST_ROW):
        shown = _fact_shown(kind, data.facts.get(key))
        rows.write(number, {"key": key, "question": both(label), "answer": shown})
        cell = f"{answer}{number}"
        if kind == "yes_no":
            _list_rule(ws, ["ja", "nei"], cell, N_("Yes or no"), "ja / nei (yes / no)")
        elif kind == "shared":
            prompt = " · ".join(f"{v} = {both(library_input.SHARED_CATALOGUE[k])}"
                                for k, v in SHARED_SHOWN.items())  # fmt: skip
            _list_rule(ws, list(SHARED_SHOWN.values()), cell, N_("Shared catalogue"), prompt)
        elif kind == "text":
            ws[cell].number_format = "@"
    ws.freeze_panes = f"A{FIRST_ROW}"
    finish_sheet(ws, footer, portrait=True)


def _priorities_sheet(ws: Worksheet, data: TemplateData, footer: str) -> None:
    title_and_header(ws, f"{both(TITLE_PRIORITIES)} – {footer}", PRIORITY_COLUMNS)
    last = HEADER_ROW
    rows = workbook_io.RowWriter(ws, PRIORITY_COLUMNS, TEXT_KEYS)
    bold = Font(bold=True)
    for last, item in enumerate(data.items.to_dict("records"), start=FIRST_ROW):
        given = data.priorities.get((item["item_kind"], item["item_id"]))
        values = {
            "item_kind": ITEM_KIND_SHOWN[item["item_kind"]],
            "item_id": item["item_id"],
            "category": item["category_id"],
            "text_nb": item["text_nb"],
            "text_en": item["text_en"],
            "importance": None if given is None else given[0],
            "comment": None if given is None else (given[1] or None),
        }
        rows.write(last, values)
        if item["item_kind"] == "category":
            for cell in ws[last]:
                cell.font = bold
    letters = _letters(PRIORITY_COLUMNS)
    if last > HEADER_ROW:
        scale = "\n".join(f"{v} = {both(m)}" for v, m in IMPORTANCE.items())
        cells = f"{letters['importance']}{FIRST_ROW}:{letters['importance']}{last}"
        _list_rule(ws, [str(v) for v in IMPORTANCE], cells, N_("Importance (0–4)"), scale)
        ws.auto_filter.ref = f"A{HEADER_ROW}:{letters['comment']}{last}"
    ws.freeze_panes = f"C{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    finish_sheet(ws, footer)


def _proposals_sheet(ws: Worksheet, data: TemplateData, footer: str) -> None:
    title_and_header(ws, f"{both(TITLE_PROPOSALS)} – {footer}", PROPOSAL_COLUMNS)
    letters = _letters(PROPOSAL_COLUMNS)
    last = FIRST_ROW + PROPOSAL_ROWS - 1
    rows = workbook_io.RowWriter(ws, PROPOSAL_COLUMNS, TEXT_KEYS)
    for number in range(FIRST_ROW, last + 1):
        rows.write(number, {"number": number - FIRST_ROW + 1})
        ws.row_dimensions[number].height = 45
    categories = data.items.loc[data.items["item_kind"] == "category", "item_id"].tolist()
    if categories:
        cells = f"{letters['category']}{FIRST_ROW}:{letters['category']}{last}"
        _list_rule(ws, categories, cells, N_("Category"), both(N_("The category it belongs in.")))
    finish_sheet(ws, footer)


def _instructions_sheet(ws: Any, data: TemplateData, made_at: datetime, footer: str) -> None:
    instructions = workbook_io.Instructions(ws)
    line, say = instructions.line, instructions.say
    say(N_("Input workbook – {name}"), bold=True, size=14, name=data.library_name)
    say(
        N_(
            "The libraries write the requirement specification together. This workbook is "
            "for {name} ({id}) only. Made {made}."
        ),
        name=data.library_name,
        id=data.library_id,
        made=made_at.strftime("%Y-%m-%d %H:%M"),
    )
    instructions.heading(N_("How to fill it in"))
    say(N_("On the sheet “{sheet}”, answer the questions about the library."), sheet=SHEET_FACTS)
    say(
        N_(
            "On the sheet “{sheet}”, say how important each category and each weighted "
            "requirement is to your library, from 0 to 4, with a comment where you wish. "
            "Leave a row empty if you have no view."
        ),
        sheet=SHEET_PRIORITIES,
    )
    say(
        N_("On the sheet “{sheet}”, propose new requirements in your own words."),
        sheet=SHEET_PROPOSALS,
    )
    say(N_("Only the yellow cells can be filled in; the rest is locked."))
    say(N_("Write values, not formulas. Do not add, move or delete rows or sheets."))
    instructions.heading(N_("Importance"))
    for value, meaning in IMPORTANCE.items():
        nb, en = both_lines(meaning)
        line(f"{value} – {nb}", f"{value} – {en}")
    instructions.heading(N_("Sending it back"))
    say(
        N_(
            "Send the workbook back to the county library. You may answer again later with "
            "a new workbook: the newest answer counts, and every answer is kept."
        )
    )
    line(IMPORT_COMMAND, IMPORT_COMMAND)
    finish_sheet(ws, footer, portrait=True)


# --- in --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedInputWorkbook:
    """What a workbook holds: the answer, if it can be read, and every problem found."""

    sha256: str
    library: str = ""
    answer: LibraryAnswer | None = None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems and self.answer is not None


@dataclass(frozen=True)
class InputFacts:
    """What the reader checks a workbook against: the libraries, and the items in force
    (``template_items``) by (kind, id) with their Norwegian text and category."""

    libraries: frozenset[str]
    items: dict[tuple[str, str], tuple[str, str]]


def input_facts(con: duckdb.DuckDBPyConnection) -> InputFacts:
    """The libraries and the items in force, for checking a workbook."""
    items = library_input.template_items(con)
    return InputFacts(
        frozenset(libraries.library_ids(con)),
        {
            (r["item_kind"], r["item_id"]): (r["category_id"], r["text_nb"])
            for r in items.to_dict("records")
        },
    )


REFUSED = N_("The file {file} was not imported: {count} problem(s) to fix.")
NOT_INPUT = N_(
    "The workbook is not a library's input workbook from bibvalg. Fill in the one made for "
    "your library."
)


def read_input_workbook(
    data: bytes,
    *,
    facts: InputFacts,
    library: str | None = None,
    limits: Limits | None = None,
) -> ParsedInputWorkbook:
    """Read and check a library's filled-in workbook; write nothing. ``library``, when
    given, is the library it must have been made for."""
    return workbook_io.read_checked(
        data,
        limits,
        lambda opened: _read_open(opened, facts, library),
        ParsedInputWorkbook,
    )


def _read_open(
    opened: workbook_io.Opened, facts: InputFacts, expected: str | None
) -> ParsedInputWorkbook:
    wb, marks, digest = opened.wb, opened.marks, opened.sha256
    problems: list[Problem] = []

    def refused(*more: Problem, marked: str = "") -> ParsedInputWorkbook:
        listed = tuple(sort_problems([*problems, *more]))
        return ParsedInputWorkbook(sha256=digest, library=marked, problems=listed)

    if marks.get("format") != FORMAT or marks.get("format_version") != str(FORMAT_VERSION):
        return refused(Problem(NOT_INPUT))
    marked = marks.get("library", "")
    if marked not in facts.libraries:
        message = N_(
            "The workbook was made for “{library}”, which is not a library of this tender."
        )
        return refused(Problem(message, {"library": marked}), marked=marked)
    if expected and marked != expected:
        message = N_("The workbook was made for “{marked}”, not for “{library}”.")
        return refused(Problem(message, {"marked": marked, "library": expected}), marked=marked)
    for name in wb.sheetnames:
        if name not in SHEETS:
            problems.append(
                Problem(N_("The sheet “{sheet}” is not the workbook's own; remove it."),
                        {"sheet": name})
            )  # fmt: skip
    for name in SHEETS:
        if name not in wb.sheetnames:
            problems.append(Problem(N_("The sheet “{sheet}” is missing."), {"sheet": name}))
    if problems:
        return refused(marked=marked)
    read = {
        name: _rows(
            wb[name], name, columns, opened.extents.get(name, (0, 0)), opened.limits, problems
        )
        for name, columns in (
            (SHEET_FACTS, FACT_COLUMNS),
            (SHEET_PRIORITIES, PRIORITY_COLUMNS),
            (SHEET_PROPOSALS, PROPOSAL_COLUMNS),
        )
    }
    answer = LibraryAnswer(
        library_id=marked,
        facts=_facts(read[SHEET_FACTS], problems),
        priorities=_priorities(read[SHEET_PRIORITIES], facts, problems),
        proposals=_proposals(read[SHEET_PROPOSALS], problems),
    )
    return ParsedInputWorkbook(
        sha256=digest, library=marked, answer=answer, problems=tuple(sort_problems(problems))
    )


Row = tuple[int, dict[str, Any]]


def _rows(
    ws: Any,
    sheet: str,
    columns: tuple[Column, ...],
    extent: tuple[int, int],
    limits: Limits,
    problems: list[Problem],
) -> list[Row]:
    """A sheet's rows as values by column key; formulas, text problems and anything
    outside the table added to ``problems``."""
    keys = [c.key for c in columns]
    open_keys = {c.key for c in columns if c.fill_in}
    found: list[Row] = []
    for number, row in workbook_io.numbered_rows(ws, extent, len(keys)):

        def report(letter: str, problem: Problem, _number: int = number) -> None:
            problems.append(Problem(problem.message, problem.params, sheet, _number, letter))

        values = workbook_io.row_values(row, keys, report)
        for index, key in enumerate(keys):
            value = values.get(key)
            if key in open_keys and isinstance(value, str):
                for p in text_problems(cell_as_text(value), limits):
                    report(get_column_letter(index + 1), p)
        found.append((number, values))
    return found


def _place(sheet: str, columns: tuple[Column, ...], number: int, key: str) -> dict[str, Any]:
    return {"sheet": sheet, "row": number, "column": _letters(columns)[key]}


LOCKED_CHANGED = N_(
    "A locked cell was changed (it reads “{value}”). Put it back as it was, or make a new "
    "workbook if the catalogue has changed since this one was made."
)


def _facts(rows: list[Row], problems: list[Problem]) -> dict[str, Any]:
    kinds = {key: kind for key, kind, _ in FACTS}
    found: dict[str, Any] = {}
    expected = [key for key, _, _ in FACTS]
    for (number, values), key in zip(rows, expected + [""] * len(rows), strict=False):
        place = _place(SHEET_FACTS, FACT_COLUMNS, number, "key")
        written = cell_as_text(values.get("key"))
        if written != key:
            if written or values.get("answer") not in (None, ""):
                problems.append(Problem(LOCKED_CHANGED, {"value": short_text(written)}, **place))
            continue
        value, problem = parse_fact(kinds[key], values.get("answer"))
        if problem is not None:
            place["column"] = _letters(FACT_COLUMNS)["answer"]
            problems.append(Problem(problem.message, problem.params, **place))
        found[key] = value
    if len(found) < len(expected) and not problems:
        problems.append(Problem(N_("Rows of the facts are missing."), sheet=SHEET_FACTS))
    return found


def parse_fact(kind: str, value: Any) -> tuple[Any, Problem | None]:
    """A fact's value from its cell, as the store keeps it, or the problem with it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    text = cell_as_text(value)
    if kind in ("number", "count"):
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int | float):
            number = float(value)
        else:
            plain = text.replace(" ", "").replace("\u00a0", "")
            number = float(plain.replace(",", ".")) if NUMBER_TEXT.match(plain) else None
        if number is None or not math.isfinite(number) or number < 0:
            message = N_("Write a number of 0 or more, not “{value}”.")
            return None, Problem(message, {"value": short_text(text)})
        if kind == "count":
            if not number.is_integer():
                return None, Problem(N_("Write a whole number, not “{value}”."), {"value": text})
            return int(number), None
        return number, None
    if kind == "yes_no":
        if isinstance(value, bool):
            return value, None
        if text.casefold() in YES_NO:
            return YES_NO[text.casefold()], None
        return None, Problem(N_("Answer yes or no, not “{value}”."), {"value": short_text(text)})
    if kind == "shared":
        if text.casefold() in SHARED:
            return SHARED[text.casefold()], None
        message = N_("Choose today, wanted or no, not “{value}”.")
        return None, Problem(message, {"value": short_text(text)})
    return text, None


def parse_importance(value: Any) -> tuple[int | None, Problem | None]:
    """An importance from 0 to 4 in a cell, or the problem with it."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    text = cell_as_text(value)
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and re.fullmatch(r"\d+", text):
        number = float(text)
    if number is None or not number.is_integer() or int(number) not in IMPORTANCE:
        message = N_("The importance must be a whole number from 0 to 4, not “{value}”.")
        return None, Problem(message, {"value": short_text(text)})
    return int(number), None


def _priorities(rows: list[Row], facts: InputFacts, problems: list[Problem]) -> list[Priority]:
    kinds = {shown: kind for kind, shown in ITEM_KIND_SHOWN.items()}
    found = []
    for number, values in rows:

        def place(key: str, _number: int = number) -> dict[str, Any]:
            return _place(SHEET_PRIORITIES, PRIORITY_COLUMNS, _number, key)

        kind = kinds.get(cell_as_text(values.get("item_kind")))
        item_id = cell_as_text(values.get("item_id"))
        importance, problem = parse_importance(values.get("importance"))
        comment = cell_as_text(values.get("comment"))
        if not item_id and kind is None:
            if importance is not None or comment or problem is not None:
                problems.append(Problem(N_("This row has no id."), **place("item_id")))
            continue
        known = facts.items.get((kind or "", item_id))
        if known is None:
            message = N_("“{id}” is not a category or weighted requirement in force.")
            problems.append(Problem(message, {"id": item_id}, **place("item_id")))
            continue
        category, text_nb = known
        for key, made in (("category", category), ("text_nb", text_nb)):
            written = cell_as_text(values.get(key))
            if written != cell_as_text(made):
                problems.append(
                    Problem(LOCKED_CHANGED, {"value": short_text(written)}, **place(key))
                )
        if problem is not None:
            problems.append(Problem(problem.message, problem.params, **place("importance")))
        elif importance is None and comment:
            message = N_("This row has a comment but no importance; choose one too.")
            problems.append(Problem(message, **place("importance")))
        found.append(Priority(str(kind), item_id, importance, comment, **place("importance")))
    return found


def _proposals(rows: list[Row], problems: list[Problem]) -> list[Proposal]:
    found = []
    for number, values in rows:
        text = cell_as_text(values.get("text"))
        category = cell_as_text(values.get("category"))
        place = _place(SHEET_PROPOSALS, PROPOSAL_COLUMNS, number, "text")
        if cell_as_text(values.get("number")) != str(number - FIRST_ROW + 1):
            if values.get("number") is not None or text:
                value = short_text(cell_as_text(values.get("number")))
                problems.append(
                    Problem(LOCKED_CHANGED, {"value": value}, **{**place, "column": "A"})
                )
            continue
        if not text:
            if category:
                problems.append(Problem(N_("This row has a category but no text."), **place))
            continue
        found.append(Proposal(text, category, **place))
    return found


def import_input_file(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    *,
    actor: str,
    file_name: str = "",
    library: str | None = None,
) -> ImportResult:
    """Read a library's workbook and store it as its newest answer, all or nothing: any
    problem refuses the whole file (``LibraryInputRefused``) and nothing changes."""
    parsed = read_input_workbook(data, facts=input_facts(con), library=library)
    if parsed.answer is None:
        raise LibraryInputRefused(
            REFUSED,
            list(parsed.problems),
            file=file_name or "?",
        )
    return library_input.import_answer(
        con, parsed.answer, actor=actor, file_name=file_name, sha256=parsed.sha256,
        found=parsed.problems,
    )  # fmt: skip
