"""An evaluator's offline scoring workbook, out and back in.

``build_score_workbook`` makes the workbook for one evaluator from ``TemplateData``
(``store.offline_scores.template_data``): an instruction sheet in Norwegian and English,
a sheet of every weighted requirement of every offer to score from 0 to 10 with a reason,
a sheet of every mandatory requirement of every offer to assess (``met``, ``not_met`` or
``material_deviation``) with a reason, and a very hidden sheet of marks naming the
evaluator. Each row shows the requirement and the vendor's own answer; only the value and
the reason are open, pre-filled with what the evaluator has saved, and two locked hidden
cells keep what they were pre-filled with, so an import can tell the evaluator's changes
from what has changed in bibvalg since.

``read_score_workbook`` checks a filled-in workbook from its bytes as the vendors' files
are checked (``vendors.response_reader``: size, zip bomb, sheet extent, no formulas), then
the marks (made for this evaluator), then every row: a known offer, a requirement in force
of the sheet's kind, no row twice, a score that is a number from 0 to 10, a known outcome,
no reason without a value. It returns the rows as ``store.offline_scores.Entry`` and every
problem with sheet, row and column. Neither function touches a database;
``store.offline_scores.import_entries`` does the storing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from scoring.scales import MANDATORY_OUTCOMES, MAX_POINTS, MIN_POINTS
from store.errors import N_
from store.evaluation import OUTCOME_NAMES
from store.offline_scores import Entry, TemplateData, TenderFacts
from store.problems import Problem, sort_problems
from tender_files import workbook_io
from vendors.price_reader import short_text
from vendors.response_reader import NUMBER_TEXT, Limits, cell_as_text, text_problems
from vendors.template import add_rule, finish_sheet, template_bytes, title_and_header
from vendors.workbook_layout import (
    ANSWER_MEANINGS,
    COLUMNS,
    FIRST_ROW,
    HEADER_ROW,
    SHEET_META,
    Column,
    both,
    both_lines,
)
from vendors.workbook_layout import (
    SHEET_INSTRUCTIONS as SHEET_INSTRUCTIONS,  # named here too, for the workbook's readers
)

FORMAT = "bibvalg-evaluator-scores"
FORMAT_VERSION = 1
SHEET_SCORES = "Poeng – Scores"
SHEET_MANDATORY = "Skal-krav – Mandatory"
IMPORT_COMMAND = "python cli.py scores import --evaluator {id} FILE.xlsx"
SUBMIT_COMMAND = "python cli.py submit --evaluator {id}"


def _as_sent(**widths: float) -> tuple[Column, ...]:
    """The requirement specification's columns of these keys (the requirement and the
    vendor's answer, as sent to the vendor), locked here, at these widths."""
    sent = {c.key: c for c in COLUMNS}
    return tuple(replace(sent[key], width=width, fill_in=False) for key, width in widths.items())


_SHOWN = (
    Column("offer", N_("Offer"), 15),
    Column("vendor", N_("Vendor"), 20),
    Column("requirement", N_("Requirement id"), 12),
    *_as_sent(category=18, text_nb=42, text_en=42, answer=9, comment=36, evidence=22),
)
_MADE_WITH = (
    Column("made_value", N_("Saved when the workbook was made"), 10, hidden=True),
    Column("made_reason", N_("Reason saved when the workbook was made"), 10, hidden=True),
)


@dataclass(frozen=True)
class Sheet:
    """A scoring sheet: the requirement kind it holds and its columns."""

    name: str
    kind: str
    value_header: str
    value_width: float

    @property
    def columns(self) -> tuple[Column, ...]:
        return (
            *_SHOWN,
            Column("value", self.value_header, self.value_width, fill_in=True),
            Column("reason", N_("Reason"), 48, fill_in=True),
            *_MADE_WITH,
        )


SCORE_SHEET = Sheet(SHEET_SCORES, "W", N_("Score (0–10)"), 11)
MANDATORY_SHEET = Sheet(SHEET_MANDATORY, "M", N_("Assessment"), 20)
SHEETS = (SCORE_SHEET, MANDATORY_SHEET)
KEYS = tuple(c.key for c in SCORE_SHEET.columns)  # the same on both sheets
LETTERS = {key: get_column_letter(i) for i, key in enumerate(KEYS, start=1)}


# --- out -------------------------------------------------------------------------------


def build_score_workbook(data: TemplateData, *, made_at: datetime | None = None) -> Workbook:
    """The evaluator's scoring workbook (see the module's docstring)."""
    made_at = made_at or datetime.now().replace(microsecond=0)
    wb = workbook_io.new_workbook(N_("Scoring workbook"), FORMAT, data.evaluator_id)
    footer = f"{data.evaluator_name} ({data.evaluator_id})"
    _instructions_sheet(wb.active, data, made_at, footer)
    counts = {}
    for sheet in SHEETS:
        counts[sheet.name] = _scoring_sheet(wb.create_sheet(sheet.name), sheet, data, footer)
    return workbook_io.finish_workbook(
        wb,
        (
            ("format", FORMAT),
            ("format_version", FORMAT_VERSION),
            ("evaluator", data.evaluator_id),
            ("columns", ",".join(KEYS)),
            ("scores", counts[SHEET_SCORES]),
            ("assessments", counts[SHEET_MANDATORY]),
            ("made_at", made_at.isoformat()),
        ),
    )


def score_workbook_bytes(data: TemplateData, *, made_at: datetime | None = None) -> bytes:
    """The evaluator's scoring workbook as the bytes of an .xlsx file."""
    return template_bytes(build_score_workbook(data, made_at=made_at))


def _rows_of(sheet: Sheet, data: TemplateData) -> Iterator[dict[str, Any]]:
    """The rows of a sheet: every offer, then every requirement of the sheet's kind."""
    requirements = data.requirements[data.requirements["kind"] == sheet.kind]
    answers = {(r["offer_id"], r["requirement_id"]): r for r in data.responses.to_dict("records")}
    own = data.scores if sheet.kind == SCORE_SHEET.kind else data.assessments
    field = "score" if sheet.kind == SCORE_SHEET.kind else "outcome"
    saved = {(r["offer_id"], r["requirement_id"]): r for r in own.to_dict("records")}
    for offer in data.offers.to_dict("records"):
        for req in requirements.to_dict("records"):
            answer = answers.get((offer["id"], req["id"]), {})
            mine = saved.get((offer["id"], req["id"]))
            nb, en = req["category_name_nb"] or req["category_id"], req["category_name_en"]
            value = None if mine is None else mine[field]
            yield {
                "offer": offer["id"],
                "vendor": f"{offer['vendor_name']} – {offer['product']}",
                "requirement": req["id"],
                "category": nb if nb == en or not en else f"{nb} / {en}",
                "text_nb": req["text_nb"],
                "text_en": req["text_en"],
                "answer": _plain_answer(answer.get("answer")),
                "comment": answer.get("comment") or None,
                "evidence": answer.get("evidence") or None,
                "value": float(value) if field == "score" and value is not None else value,
                "reason": None if mine is None else (mine["reason"] or None),
            }


def _plain_answer(value: Any) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value)


def _scoring_sheet(ws: Worksheet, sheet: Sheet, data: TemplateData, footer: str) -> int:
    columns = sheet.columns
    title_and_header(ws, f"{both(N_('Scoring workbook'))} – {footer}", columns)
    last_row = HEADER_ROW
    writer = workbook_io.RowWriter(ws, columns, text_keys={"reason"})
    for last_row, values in enumerate(_rows_of(sheet, data), start=FIRST_ROW):
        values["made_value"], values["made_reason"] = values["value"], values["reason"]
        writer.write(last_row, values)
    rows = last_row - HEADER_ROW
    if rows:
        _validate(ws, sheet, f"{LETTERS['value']}{FIRST_ROW}:{LETTERS['value']}{last_row}")
        ws.auto_filter.ref = f"A{HEADER_ROW}:{LETTERS['reason']}{last_row}"
    ws.freeze_panes = f"D{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    finish_sheet(ws, footer)
    return rows


def _validate(ws: Worksheet, sheet: Sheet, cells: str) -> None:
    """Only a number from 0 to 10 in a score cell, only a listed outcome in an outcome's."""
    if sheet.kind == SCORE_SHEET.kind:
        add_rule(
            ws,
            cells,
            type="decimal",
            operator="between",
            formula1=f"{MIN_POINTS:g}",
            formula2=f"{MAX_POINTS:g}",
            title=N_("Score (0–10)"),
            prompt=both(N_("A number from 0 to 10; decimals are allowed.")),
            error_title=N_("Invalid score"),
            error=N_("Write a number from 0 to 10."),
        )
    else:
        add_rule(
            ws,
            cells,
            type="list",
            formula1='"' + ",".join(MANDATORY_OUTCOMES) + '"',
            title=N_("Assessment"),
            prompt="\n".join(f"{o} = {both(OUTCOME_NAMES[o])}" for o in MANDATORY_OUTCOMES),
            error_title=N_("Invalid assessment"),
            error=N_("Choose met, not_met or material_deviation."),
        )


def _instructions_sheet(ws: Any, data: TemplateData, made_at: datetime, footer: str) -> None:
    instructions = workbook_io.Instructions(ws)
    line, say, heading = instructions.line, instructions.say, instructions.heading
    name, evaluator = data.evaluator_name, data.evaluator_id
    say(N_("Scoring workbook – {name}"), bold=True, size=14, name=name)
    say(
        N_(
            "For the evaluator {name} ({id}) only: it cannot be imported for anyone else. "
            "Made {made}."
        ),
        made=made_at.strftime("%Y-%m-%d %H:%M"),
        name=name,
        id=evaluator,
    )
    heading(N_("How to fill it in"))
    say(
        N_(
            "On the sheet “{sheet}”, give every weighted requirement of every offer a score "
            "from 0 to 10 (decimals are allowed) and write the reason."
        ),
        sheet=SHEET_SCORES,
    )
    say(
        N_(
            "On the sheet “{sheet}”, assess every mandatory requirement of every offer and "
            "write the reason."
        ),
        sheet=SHEET_MANDATORY,
    )
    say(N_("Only the two yellow columns can be filled in; the rest is locked."))
    say(
        N_(
            "What you have saved in bibvalg is filled in already. An empty cell means not "
            "scored yet: importing never deletes a saved score or assessment."
        )
    )
    say(
        N_(
            "A row changed both here and in bibvalg after the workbook was made is refused on "
            "import; make a new workbook then."
        )
    )
    say(N_("Write values, not formulas. Do not add, move or delete rows or sheets."))
    heading(N_("Importing and submitting"))
    say(N_("Import the workbook with:"))
    line(IMPORT_COMMAND.format(id=evaluator), IMPORT_COMMAND.format(id=evaluator))
    say(
        N_(
            "Nothing is saved if anything is wrong; every problem is shown with sheet, row "
            "and column. Importing does not submit: submit when everything is done, with:"
        )
    )
    line(SUBMIT_COMMAND.format(id=evaluator), SUBMIT_COMMAND.format(id=evaluator))
    heading(N_("Assessments of mandatory requirements"))
    for outcome in MANDATORY_OUTCOMES:
        nb, en = both_lines(OUTCOME_NAMES[outcome])
        line(f"{outcome} – {nb}", f"{outcome} – {en}")
    heading(N_("The vendor's answer"))
    for value in (3, 2, 1, 0):
        nb, en = both_lines(ANSWER_MEANINGS[value])
        line(f"{value} – {nb}", f"{value} – {en}")
    finish_sheet(ws, footer, portrait=True)


# --- in --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedScoreWorkbook:
    """What a workbook holds: its rows, and every problem found. ``evaluator`` is the one
    it was made for (empty if its marks cannot be read)."""

    sha256: str
    evaluator: str = ""
    scores: tuple[Entry, ...] = ()
    assessments: tuple[Entry, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems


Parsed = tuple[Any, Problem | None]


def parse_score(value: Any) -> Parsed:
    """A 0–10 score in a cell, or the problem with it (without a place yet). A number
    written as text ("7,5" or "7.5") is read as the number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    not_a_number = Problem(
        N_("The score must be a number from 0 to 10, not “{value}”."),
        {"value": short_text(cell_as_text(value))},
    )
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None, not_a_number
    if isinstance(value, str):
        text = value.strip()
        if not NUMBER_TEXT.match(text):
            return None, not_a_number
        value = float(text.replace(",", "."))
    number = float(value)
    if not (math.isfinite(number) and MIN_POINTS <= number <= MAX_POINTS):
        return None, Problem(
            N_("The score must be from 0 to 10, not {value}."), {"value": cell_as_text(value)}
        )
    return number, None


def parse_outcome(value: Any) -> Parsed:
    """An outcome in a cell (its name; case, spaces and hyphens aside), or the problem."""
    text = cell_as_text(value)
    if not text:
        return None, None
    name = re.sub(r"[\s-]+", "_", text.casefold())
    if name in MANDATORY_OUTCOMES:
        return name, None
    return None, Problem(
        N_("Unknown assessment “{value}”: choose met, not_met or material_deviation."),
        {"value": short_text(text)},
    )


def read_score_workbook(
    data: bytes, *, evaluator: str, facts: TenderFacts, limits: Limits | None = None
) -> ParsedScoreWorkbook:
    """Read and check an evaluator's filled-in workbook; write nothing.

    ``evaluator`` is whom it is imported for; ``facts`` the offers and requirements in
    force. Every problem is collected with sheet, row and column; the rows are only meant
    to be stored when there is none.
    """
    return workbook_io.read_checked(
        data,
        limits,
        lambda opened: _read_open(opened, evaluator, facts),
        ParsedScoreWorkbook,
    )


def _read_open(
    opened: workbook_io.Opened, evaluator: str, facts: TenderFacts
) -> ParsedScoreWorkbook:
    wb, marks, digest = opened.wb, opened.marks, opened.sha256
    problems: list[Problem] = []

    def refused(*more: Problem, marked: str = "") -> ParsedScoreWorkbook:
        listed = tuple(sort_problems([*problems, *more]))
        return ParsedScoreWorkbook(sha256=digest, evaluator=marked, problems=listed)

    if marks.get("format") != FORMAT:
        return refused(
            Problem(
                N_(
                    "The workbook is not a scoring workbook from bibvalg. Fill in the one "
                    "made for you with “scores template”."
                )
            )
        )
    if (
        marks.get("format_version") != str(FORMAT_VERSION)
        or marks.get("columns") != ",".join(KEYS)
        or not marks.get("evaluator")
    ):
        return refused(
            Problem(
                N_(
                    "The hidden sheet “{sheet}” has been changed, so the workbook cannot be "
                    "matched to an evaluator. Make a new one."
                ),
                {"sheet": SHEET_META},
            )
        )
    marked = marks["evaluator"]
    if marked != evaluator:
        return refused(
            Problem(
                N_(
                    "The workbook was made for the evaluator “{marked}”, not for "
                    "“{evaluator}”. An evaluator imports only their own workbook."
                ),
                {"marked": marked, "evaluator": evaluator},
            ),
            marked=marked,
        )
    read: dict[str, tuple[Entry, ...]] = {}
    for sheet in SHEETS:
        if sheet.name not in wb.sheetnames:
            problems.append(Problem(N_("The sheet “{sheet}” is missing."), {"sheet": sheet.name}))
            continue
        extent = opened.extents.get(sheet.name, (0, 0))
        rows = _read_rows(wb[sheet.name], sheet, extent, facts, opened.limits, problems)
        read[sheet.name] = tuple(rows)
    return ParsedScoreWorkbook(
        sha256=digest,
        evaluator=marked,
        scores=read.get(SHEET_SCORES, ()),
        assessments=read.get(SHEET_MANDATORY, ()),
        problems=tuple(sort_problems(problems)),
    )


def _read_rows(
    ws: Any,
    sheet: Sheet,
    extent: tuple[int, int],
    facts: TenderFacts,
    limits: Limits,
    problems: list[Problem],
) -> Iterator[Entry]:
    parse: Callable[[Any], Parsed] = parse_score if sheet.kind == "W" else parse_outcome
    seen: dict[tuple[str, str], int] = {}
    for number, cells in workbook_io.numbered_rows(ws, extent, len(KEYS)):
        found: list[Problem] = []

        def add(
            key: str, problem: Problem, _found: list[Problem] = found, _row: int = number
        ) -> None:
            column = LETTERS.get(key, key)
            _found.append(Problem(problem.message, problem.params, sheet.name, _row, column))

        values = workbook_io.row_values(cells, KEYS, add)
        for problem in text_problems(cell_as_text(values.get("reason")), limits):
            add("reason", problem)
        entry = _entry(sheet, number, values, facts, seen, parse, add)
        problems.extend(found)
        if entry is not None and not found:
            yield entry


def _entry(
    sheet: Sheet,
    number: int,
    values: dict[str, Any],
    facts: TenderFacts,
    seen: dict[tuple[str, str], int],
    parse: Callable[[Any], Parsed],
    add: Callable[[str, Problem], None],
) -> Entry | None:
    offer, rid = cell_as_text(values.get("offer")), cell_as_text(values.get("requirement"))
    if not offer or not rid:
        if any(values.get(c.key) not in (None, "") for c in sheet.columns if c.fill_in):
            add(
                "offer" if not offer else "requirement",
                Problem(N_("This row has no offer or no requirement id.")),
            )
        return None
    if offer not in facts.offers:
        add("offer", Problem(N_("The offer “{id}” is not in the tender."), {"id": offer}))
        return None
    kind = facts.kinds.get(rid)
    if kind is None:
        add(
            "requirement",
            Problem(
                N_("The requirement “{id}” is not in the tender (unknown, or retired)."),
                {"id": rid},
            ),
        )
        return None
    if kind != sheet.kind:
        message = (
            N_("{id} is not a weighted requirement; only weighted requirements are scored.")
            if sheet.kind == "W"
            else N_("{id} is not a mandatory requirement.")
        )
        add("requirement", Problem(message, {"id": rid}))
        return None
    if (offer, rid) in seen:
        add(
            "requirement",
            Problem(
                N_(
                    "Offer {offer} and requirement {id} appear more than once (first in row "
                    "{first})."
                ),
                {"offer": offer, "id": rid, "first": seen[(offer, rid)]},
            ),
        )
        return None
    seen[(offer, rid)] = number
    value, problem = parse(values.get("value"))
    if problem is not None:
        add("value", problem)
    made, made_problem = parse(values.get("made_value"))
    if made_problem is not None:
        add(
            "made_value",
            Problem(
                N_(
                    "The hidden cell with what was saved when the workbook was made has been "
                    "changed. Make a new workbook."
                )
            ),
        )
    reason = cell_as_text(values.get("reason"))
    if value is None and problem is None and reason:
        add(
            "value",
            Problem(
                N_("This row has a reason but no score; write the score too.")
                if sheet.kind == "W"
                else N_("This row has a reason but no assessment; choose one too.")
            ),
        )
    return Entry(
        offer=offer,
        requirement=rid,
        value=value,
        reason=reason,
        exported_value=made,
        exported_reason=cell_as_text(values.get("made_reason")),
        sheet=sheet.name,
        row=number,
        column=LETTERS["value"],
    )
