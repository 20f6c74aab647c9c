"""The requirement specification as an Excel workbook, out to vendors.

``build_template`` makes an openpyxl Workbook from the catalogue: an instruction sheet in
Norwegian and English, a requirements sheet where only the vendor's four columns are open,
and a hidden sheet that carries the catalogue version and fingerprint.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from locales import gettext_for
from store.catalogue import CatalogueVersion
from store.cells import text_cells
from store.errors import N_
from vendors.workbook_layout import (
    ANSWER_MEANINGS,
    ANSWER_SHORT,
    FIRST_ROW,
    FORMAT,
    FORMAT_VERSION,
    HEADER_ROW,
    KIND_MEANINGS,
    NO,
    PRICE_COLUMNS,
    PRICE_KIND_WORDS,
    SHEET_INSTRUCTIONS,
    SHEET_META,
    SHEET_PRICES,
    SHEET_REQUIREMENTS,
    TITLE_ROW,
    YES,
    OfferMark,
    both,
    both_lines,
    layout,
)

_THIN = Side(style="thin", color="B7C3CE")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="0B3C5D")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
FILL_IN_FILL = PatternFill("solid", fgColor="FFF6D5")
LOCKED_FILL = PatternFill("solid", fgColor="F2F5F8")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
OPEN_CELL = Protection(locked=False)


def estimated_height(texts: Sequence[tuple[str, float]]) -> float:
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


def _print_setup(ws: Worksheet, footer: str, orientation: str) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = orientation
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.left.text = footer
    ws.oddFooter.right.text = "&P / &N"


def finish_sheet(ws: Worksheet, footer: str, *, portrait: bool = False) -> None:
    """Makes a sheet ready to hand out: printed on A4 pages (landscape, or ``portrait``)
    with ``footer`` and the page numbers at the foot, and locked."""
    _print_setup(ws, footer, "portrait" if portrait else "landscape")
    _protect(ws)


def title_and_header(ws: Worksheet, title: str, columns: Sequence[Any]) -> None:
    """A sheet's title row and its header row: each column's ``header`` (a message id, in
    Norwegian and English) and ``width``; a column whose ``hidden`` is true is hidden."""
    ws.cell(TITLE_ROW, 1, title).font = Font(bold=True, size=13)
    ws.row_dimensions[TITLE_ROW].height = 22
    for number, column in enumerate(columns, start=1):
        cell = ws.cell(HEADER_ROW, number, both(column.header))
        cell.font, cell.fill, cell.border = _HEADER_FONT, _HEADER_FILL, BORDER
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        dimension = ws.column_dimensions[get_column_letter(number)]
        dimension.width = column.width
        dimension.hidden = bool(getattr(column, "hidden", False))
    ws.row_dimensions[HEADER_ROW].height = estimated_height(
        [  # bold runs wider
            (both(c.header), c.width - 2) for c in columns if not getattr(c, "hidden", False)
        ]
    )


def add_rule(ws: Worksheet, cells: str, *, title: str, prompt: str, error_title: str,
             error: str, **rule: Any) -> None:  # fmt: skip
    """A validation rule on ``cells`` that stops a wrong value: ``rule`` gives its type
    and formulas; ``title`` and ``error_title`` are messages shown in both languages,
    ``prompt`` is shown as given and ``error`` in both languages."""
    validation = DataValidation(
        allow_blank=True,
        promptTitle=both(title)[:32],
        prompt=prompt[:255],
        errorTitle=both(error_title)[:32],
        error=both(error)[:255],
        **rule,
    )
    validation.showInputMessage = validation.showErrorMessage = True
    validation.errorStyle = "stop"
    validation.add(cells)
    ws.add_data_validation(validation)


def marks_sheet(wb: Workbook, marks: Iterable[tuple[str, Any]]) -> None:
    """The very hidden, protected sheet of marks (key, value) a workbook carries about
    itself, which the reader matches it by."""
    meta = wb.create_sheet(SHEET_META)
    for key, value in marks:
        meta.append([key, value])
    meta.sheet_state = "veryHidden"
    _protect(meta)


def build_template(
    requirements: pd.DataFrame,
    categories: pd.DataFrame,
    version: CatalogueVersion,
    *,
    show_weights: bool,
    exported_at: datetime | None = None,
    price_lines: pd.DataFrame | None = None,
    offer: OfferMark | None = None,
) -> Workbook:
    """The requirement specification for vendors to fill in.

    ``requirements`` are the requirements in force, in catalogue order (the columns of the
    ``requirement`` table); ``categories`` give the category names. ``price_lines`` (the
    price schedule's lines in force, ``store.price_schedule.lines``) add a price sheet;
    ``offer`` names the vendor and offer the workbook is sent to, so it cannot be imported
    for another.
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
    if offer is not None:
        footer = f"{offer.vendor_name or offer.vendor_id} – {offer.offer_id} – {footer}"
    prices = price_lines if price_lines is not None and len(price_lines) else None

    _instructions_sheet(wb.active, requirements, cat_names, version, footer, offer, prices)
    ws = wb.create_sheet(SHEET_REQUIREMENTS)
    last_row = FIRST_ROW + len(requirements) - 1

    title_and_header(ws, f"{both(N_('Requirement specification'))} – {footer}", columns)

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
            cell.alignment = WRAP_TOP
            cell.border = BORDER
            if column.key == "answer":
                cell.alignment = Alignment(horizontal="center", vertical="top")
            if column.fill_in:
                cell.protection = OPEN_CELL
                cell.fill = FILL_IN_FILL
                if column.key == "roadmap_date":
                    cell.number_format = "yyyy-mm-dd"
                elif column.key in ("comment", "evidence"):
                    cell.number_format = "@"
            else:
                cell.fill = LOCKED_FILL
        ws.row_dimensions[row_number].height = estimated_height(
            [(str(values[k] or ""), c.width) for c in columns if (k := c.key) in values]
        )

    letters = {c.key: get_column_letter(i) for i, c in enumerate(columns, start=1)}
    if len(requirements):
        answer_prompt = "\n".join(
            f"{v} = {gettext_for('nb', ANSWER_SHORT[v])} / {gettext_for('en', ANSWER_SHORT[v])}"
            for v in (3, 2, 1, 0)
        )
        add_rule(
            ws,
            f"{letters['answer']}{FIRST_ROW}:{letters['answer']}{last_row}",
            type="list",
            formula1='"0,1,2,3"',
            title=N_("Answer"),
            prompt=answer_prompt,
            error_title=N_("Invalid answer"),
            error=N_("Choose 0, 1, 2 or 3."),
        )
        add_rule(
            ws,
            f"{letters['roadmap_date']}{FIRST_ROW}:{letters['roadmap_date']}{last_row}",
            type="date",
            operator="greaterThan",
            formula1="36526",  # 2000-01-01
            title=N_("Roadmap date"),
            prompt=both(N_("For answer 1: the date it will be delivered, YYYY-MM-DD.")),
            error_title=N_("Invalid date"),
            error=N_("Write a date, YYYY-MM-DD."),
        )
        ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(columns))}{last_row}"
    ws.freeze_panes = f"B{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    finish_sheet(ws, footer)

    if prices is not None:
        _prices_sheet(wb.create_sheet(SHEET_PRICES), prices, footer)

    offer_marks = (
        (("offer", offer.offer_id), ("vendor", offer.vendor_id)) if offer is not None else ()
    )
    marks_sheet(
        wb,
        (
            *offer_marks,
            ("format", FORMAT),
            ("format_version", FORMAT_VERSION),
            ("catalogue_version", version.version),
            ("fingerprint", version.fingerprint),
            ("columns", ",".join(c.key for c in columns)),
            ("requirements", len(requirements)),
            ("price_lines", 0 if prices is None else len(prices)),
            ("exported_at", exported_at.isoformat()),
        ),
    )

    wb.active = 0
    wb.security = WorkbookProtection(lockStructure=True)
    # Every text a text cell: a requirement text starting with "=" would otherwise be
    # written as a live formula (and every vendor's copy then refused for holding one).
    text_cells(wb)
    return wb


def _instructions_sheet(
    ws: Worksheet,
    requirements: pd.DataFrame,
    cat_names: dict[str, tuple[str, str]],
    version: CatalogueVersion,
    footer: str,
    offer: OfferMark | None = None,
    prices: pd.DataFrame | None = None,
) -> None:
    ws.title = SHEET_INSTRUCTIONS
    ws.column_dimensions["A"].width = 70
    ws.column_dimensions["B"].width = 70

    def line(nb: str, en: str, *, bold: bool = False, size: float | None = None) -> None:
        ws.append([nb, en])
        row = ws.max_row
        for cell in ws[row]:
            cell.alignment = WRAP_TOP
            if bold or size:
                cell.font = Font(bold=bold, size=size)
        ws.row_dimensions[row].height = estimated_height([(nb, 70), (en, 70)])

    def say(message: str, **params: Any) -> None:
        nb, en = both_lines(message)
        line(nb.format(**params), en.format(**params))

    def heading(message: str) -> None:
        ws.append([])
        nb, en = both_lines(message)
        line(nb, en, bold=True, size=12)

    nb, en = both_lines(N_("Requirement specification – response form"))
    line(nb, en, bold=True, size=14)
    say(
        N_("Catalogue version {version}, fingerprint {fingerprint}."),
        version=version.version,
        fingerprint=version.fingerprint[:16],
    )
    if offer is not None:
        say(
            N_("For {vendor}, offer {offer} ({product}). Only this offer's answers belong here."),
            vendor=offer.vendor_name or offer.vendor_id,
            offer=offer.offer_id,
            product=offer.product or "–",
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
    if prices is not None:
        say(
            N_(
                "Prices: on the sheet “{sheet}”, write the amount of every price line in NOK "
                "excluding VAT, as a number. Every mandatory line must have an amount (0 if "
                "it is included elsewhere); leave an optional line empty if it is not offered."
            ),
            sheet=SHEET_PRICES,
        )
    say(N_("Send the file back as an Excel workbook (.xlsx)."))
    heading(N_("Answer scale"))
    for value in (3, 2, 1, 0):
        nb, en = both_lines(ANSWER_MEANINGS[value])
        line(f"{value} – {nb}", f"{value} – {en}")
    heading(N_("Requirement types"))
    for kind in ("M", "W", "I"):
        nb, en = both_lines(KIND_MEANINGS[kind])
        line(nb, en)
    heading(N_("Categories"))
    for category in dict.fromkeys(requirements["category_id"]):
        nb, en = cat_names.get(category, (category, category))
        count = int((requirements["category_id"] == category).sum())
        line(f"{category} – {nb} ({count})", f"{category} – {en} ({count})")
    finish_sheet(ws, footer, portrait=True)


def _prices_sheet(ws: Worksheet, prices: pd.DataFrame, footer: str) -> None:
    """The price schedule's lines, locked, with the vendor's amount column open."""
    title = both(N_("Price schedule"))
    title_and_header(ws, f"{title} – {footer}", PRICE_COLUMNS)
    for row_number, line in enumerate(prices.to_dict("records"), start=FIRST_ROW):
        values: dict[str, Any] = {
            "id": line["id"],
            "kind": both(PRICE_KIND_WORDS[line["kind"]]),
            "is_option": both(YES if line["is_option"] else NO),
            "text_nb": line["text_nb"],
            "text_en": line["text_en"],
            "mandatory": both(YES if line["mandatory"] else NO),
            "amount_nok": None,
        }
        for number, column in enumerate(PRICE_COLUMNS, start=1):
            cell = ws.cell(row_number, number, values[column.key])
            cell.alignment = WRAP_TOP
            cell.border = BORDER
            if column.fill_in:
                cell.protection = OPEN_CELL
                cell.fill = FILL_IN_FILL
                cell.number_format = "# ##0.00"
            else:
                cell.fill = LOCKED_FILL
        ws.row_dimensions[row_number].height = estimated_height(
            [(str(values[c.key] or ""), c.width) for c in PRICE_COLUMNS]
        )
    last_row = FIRST_ROW + len(prices) - 1
    amount = get_column_letter(len(PRICE_COLUMNS))
    add_rule(
        ws,
        f"{amount}{FIRST_ROW}:{amount}{last_row}",
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        title=N_("Amount"),
        prompt=both(N_("NOK excluding VAT, as a number.")),
        error_title=N_("Invalid amount"),
        error=N_("Write an amount of 0 or more, as a number."),
    )
    ws.freeze_panes = f"B{FIRST_ROW}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    finish_sheet(ws, footer)


def template_bytes(workbook: Workbook) -> bytes:
    """The workbook as the bytes of an .xlsx file."""
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
