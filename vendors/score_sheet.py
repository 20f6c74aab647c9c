"""A bidder's score sheet after the award, as an Excel workbook and as a PDF.

The sheet shows one offer's own agreed score and reason per weighted requirement, its
mandatory assessments, its points per category and award criterion, its price, price
points, total and rank, and beside them the chosen offer's points per award criterion and
category. Its content is an ``award_results.OfferResult``, so nothing else can leak in.
Text that people wrote goes into cells as text, never as a formula
(``office_files.text_cell``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from store.errors import N_
from tender_files import pdf
from vendors.award_results import OfferResult, number, translate
from vendors.office_files import text_cell, workbook_bytes

POINTS_FORMAT = "0.00"
PERCENT_FORMAT = "0.0%"
NOK_FORMAT = "#,##0"

TITLE = N_("Score sheet")
LABELS = {
    "tender": N_("Tender"),
    "reference": N_("Reference"),
    "vendor": N_("Vendor"),
    "offer": N_("Offer"),
    "product": N_("Product"),
    "chosen": N_("Chosen vendor"),
    "rank": N_("Rank"),
    "rank_of": N_("{rank} of {count}"),
    "rejected": N_("Rejected at the mandatory screening"),
    "total": N_("Total points (0–100)"),
    "chosen_total": N_("The chosen offer's total points"),
    "price_total": N_("Total price over the contract period (NOK)"),
    "one_time": N_("One-time costs (NOK)"),
    "yearly": N_("Yearly costs (NOK)"),
    "years": N_("Contract years"),
    "options": N_("Options, not in the total (NOK)"),
    "price_points": N_("Price points (0–10)"),
    "chosen_price_points": N_("The chosen offer's price points (0–10)"),
    "criteria": N_("Award criteria"),
    "categories": N_("Categories"),
    "id": N_("Id"),
    "name": N_("Name"),
    "criterion": N_("Award criterion"),
    "weight": N_("Weight"),
    "own": N_("Your points"),
    "chosen_points": N_("The chosen offer's points"),
    "requirements": N_("Weighted requirements"),
    "category": N_("Category"),
    "requirement": N_("Requirement"),
    "score": N_("Agreed score (0–10)"),
    "points": N_("Points"),
    "reason": N_("Reason"),
    "mandatory": N_("Mandatory requirements"),
    "assessment": N_("Assessment"),
    "summary": N_("Summary"),
    "note": N_(
        "Points are the published model's: each agreed score (0–10) times its weight, "
        "added up to at most 100. The chosen offer's points are shown per award criterion "
        "and category only."
    ),
}


def labels(language: str) -> dict[str, str]:
    """The sheet's labels in ``language``."""
    return {key: translate(language, message) for key, message in LABELS.items()}


def _rank_text(result: OfferResult, words: dict[str, str]) -> str:
    if result.rank is None:
        return words["rejected"]
    return words["rank_of"].format(rank=result.rank, count=result.ranked)


def _write_rows(
    sheet: Worksheet, start: int, rows: list[list[object]], formats: dict[int, str]
) -> int:
    """Write rows from row ``start``; the first is a bold header. Returns the next row."""
    for offset, values in enumerate(rows):
        for column, value in enumerate(values, start=1):
            cell = text_cell(sheet, start + offset, column, value)
            if offset == 0:
                cell.font = Font(bold=True)
            elif column in formats and isinstance(value, float | int):
                cell.number_format = formats[column]
            if isinstance(value, str) and len(value) > 40:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    return start + len(rows) + 1


def _part_rows(parts: tuple[Any, ...], words: dict[str, str], with_criterion: bool) -> list[Any]:
    header: list[object] = [words["id"], words["name"]]
    if with_criterion:
        header.append(words["criterion"])
    header += [words["weight"], words["own"], words["chosen_points"]]
    rows: list[list[object]] = [header]
    for p in parts:
        row: list[object] = [p.id, p.name]
        if with_criterion:
            row.append(p.criterion)
        row += [p.weight, p.own, p.chosen]
        rows.append(row)
    return rows


def workbook(result: OfferResult, made_at: datetime) -> bytes:
    """The score sheet as an .xlsx workbook (the same bytes for the same result)."""
    words = labels(result.language)
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = words["summary"][:31]
    facts: list[list[object]] = [
        [translate(result.language, TITLE), result.tender_name],
        [words["reference"], result.tender_reference],
        [words["vendor"], result.vendor_name],
        [words["offer"], result.offer_id],
        [words["product"], result.product],
        [words["chosen"], result.chosen_vendor],
        [words["rank"], _rank_text(result, words)],
        [words["total"], result.total],
        [words["chosen_total"], result.chosen_total],
        [words["price_total"], result.price_total],
        [words["one_time"], result.price_one_time],
        [words["yearly"], result.price_yearly],
        [words["years"], result.contract_years],
        [words["options"], result.price_options],
        [words["price_points"], result.price_points],
        [words["chosen_price_points"], result.chosen_price_points],
    ]
    for row, (label, value) in enumerate(facts, start=1):
        text_cell(summary, row, 1, label).font = Font(bold=True)
        cell = text_cell(summary, row, 2, value)
        if isinstance(value, float):
            cell.number_format = NOK_FORMAT if "NOK" in str(label) else POINTS_FORMAT
    next_row = len(facts) + 2
    text_cell(summary, next_row, 1, words["note"])
    next_row += 2
    text_cell(summary, next_row, 1, words["criteria"]).font = Font(bold=True, size=12)
    part_formats = {3: PERCENT_FORMAT, 4: POINTS_FORMAT, 5: POINTS_FORMAT}
    next_row = _write_rows(
        summary, next_row + 1, _part_rows(result.criteria, words, False), part_formats
    )
    text_cell(summary, next_row, 1, words["categories"]).font = Font(bold=True, size=12)
    _write_rows(
        summary,
        next_row + 1,
        _part_rows(result.categories, words, True),
        {4: PERCENT_FORMAT, 5: POINTS_FORMAT, 6: POINTS_FORMAT},
    )
    summary.column_dimensions["A"].width = 44
    summary.column_dimensions["B"].width = 36

    weighted = book.create_sheet(words["requirements"][:31])
    rows: list[list[object]] = [
        [
            words["id"],
            words["category"],
            words["requirement"],
            words["weight"],
            words["score"],
            words["points"],
            words["reason"],
        ]
    ]
    rows += [
        [r.id, r.category, r.text, r.weight, r.score, r.points, r.reason]
        for r in result.requirements
    ]
    _write_rows(weighted, 1, rows, {4: PERCENT_FORMAT, 5: POINTS_FORMAT, 6: POINTS_FORMAT})
    for column, width in zip("ABCDEFG", (10, 10, 60, 9, 12, 9, 70), strict=True):
        weighted.column_dimensions[column].width = width

    mandatory = book.create_sheet(words["mandatory"][:31])
    rows = [
        [words[k] for k in ("id", "category", "requirement", "assessment", "reason")],
    ]
    rows += [[m.id, m.category, m.text, m.outcome, m.reason] for m in result.mandatory]
    _write_rows(mandatory, 1, rows, {})
    for column, width in zip("ABCDE", (10, 10, 60, 24, 70), strict=True):
        mandatory.column_dimensions[column].width = width

    book.properties.creator = "bibvalg"
    book.properties.title = translate(result.language, TITLE)
    return workbook_bytes(book, made_at)


# Each table: a heading, its header row, its rows (text) and its column widths (0: as wide
# as its content, else a share of what is left).
PDF_TEMPLATE = """#let data = json("data.json")
#set document(title: data.title, author: "bibvalg")
#set text(lang: data.lang, font: "DejaVu Sans", size: 9pt)
#set page(paper: "a4", margin: 1.8cm, numbering: "1 / 1")
#show heading: set text(size: 12pt)
= #data.title
#table(
  columns: (auto, 1fr),
  stroke: none,
  ..data.facts.map(f => (strong(f.at(0)), f.at(1))).flatten()
)
#data.note
#for t in data.tables [
  == #t.heading
  #table(
    columns: t.columns.map(c => if c == 0 { auto } else { c * 1fr }),
    align: t.right.map(r => if r { right } else { left }),
    table.header(..t.header.map(strong)),
    ..t.rows.flatten()
  )
]
"""


# The columns of numbers, set flush right.
NUMBER_COLUMNS = {"weight", "own", "chosen_points", "score", "points"}


def _shown(value: float | None, language: str, decimals: int = 2) -> str:
    return "–" if value is None else number(value, language, decimals)


def _percent(value: float, language: str) -> str:
    return number(value * 100, language, 1) + " %"


def pdf_data(result: OfferResult) -> dict[str, Any]:
    """What the PDF template prints: every value as text, formatted for the language."""
    words = labels(result.language)
    lang = result.language

    criterion_names = {c.id: c.name for c in result.criteria}

    def parts(items: tuple[Any, ...], with_criterion: bool) -> list[list[str]]:
        return [
            [p.id, p.name]
            + ([criterion_names.get(p.criterion, p.criterion)] if with_criterion else [])
            + [_percent(p.weight, lang), _shown(p.own, lang), _shown(p.chosen, lang)]
            for p in items
        ]

    def table(heading: str, header: list[str], rows: list[list[str]], columns: list[int]) -> Any:
        return {
            "heading": words[heading],
            "header": [words[k] for k in header],
            "rows": rows,
            "columns": columns,
            "right": [k in NUMBER_COLUMNS for k in header],
        }

    facts = [
        [words["tender"], result.tender_name],
        [words["reference"], result.tender_reference],
        [words["vendor"], result.vendor_name],
        [words["offer"], f"{result.offer_id} ({result.product})"],
        [words["chosen"], result.chosen_vendor],
        [words["rank"], _rank_text(result, words)],
        [words["total"], _shown(result.total, lang)],
        [words["chosen_total"], _shown(result.chosen_total, lang)],
        [words["price_total"], number(result.price_total, lang, 0)],
        [words["one_time"], number(result.price_one_time, lang, 0)],
        [words["yearly"], number(result.price_yearly, lang, 0)],
        [words["years"], str(result.contract_years)],
        [words["options"], number(result.price_options, lang, 0)],
        [words["price_points"], _shown(result.price_points, lang)],
        [words["chosen_price_points"], _shown(result.chosen_price_points, lang)],
    ]
    return {
        "title": f"{translate(lang, TITLE)}: {result.vendor_name}",
        "lang": lang,
        "note": words["note"],
        "facts": facts,
        "tables": [
            table(
                "criteria",
                ["id", "name", "weight", "own", "chosen_points"],
                parts(result.criteria, False),
                [0, 1, 0, 0, 0],
            ),
            table(
                "categories",
                ["id", "name", "criterion", "weight", "own", "chosen_points"],
                parts(result.categories, True),
                [0, 1, 0, 0, 0, 0],
            ),
            table(
                "requirements",
                ["id", "requirement", "weight", "score", "points", "reason"],
                [
                    [
                        r.id,
                        r.text,
                        _percent(r.weight, lang),
                        _shown(r.score, lang, 1),
                        _shown(r.points, lang),
                        r.reason,
                    ]
                    for r in result.requirements
                ],
                [0, 3, 0, 0, 0, 3],
            ),
            table(
                "mandatory",
                ["id", "requirement", "assessment", "reason"],
                [[m.id, m.text, m.outcome, m.reason] for m in result.mandatory],
                [0, 2, 0, 3],
            ),
        ],
    }


def pdf_file(result: OfferResult, made_at: datetime) -> bytes:
    """The score sheet as a PDF/UA-1 document."""
    return pdf.render(PDF_TEMPLATE, pdf_data(result), made_at=made_at)
