"""The price sheet of a vendor's workbook, read back: one amount per line of the price
schedule, in NOK excluding VAT. Pure: it reads cell values and names every problem with
its sheet, row and column; ``vendors.response_reader`` calls it."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl.utils import get_column_letter

from store.errors import N_
from store.problems import Problem
from store.responses import Price
from vendors.workbook_layout import FIRST_ROW, PRICE_COLUMNS, SHEET_PRICES

# "1 450 000", "1450000,50", "kr 95 000", "95 000 NOK": a number typed as text.
_SPACES = re.compile(r"[\s\u00a0\u202f']")
_CURRENCY = re.compile(r"^(kr\.?|nok)|(kr\.?|nok|,-)$", re.IGNORECASE)
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")
MAX_AMOUNT = 1e12  # a typing slip far beyond any library system's price


@dataclass(frozen=True)
class Formula:
    """A cell that holds a formula, not a value (its text, shortened)."""

    text: str


def _text(value: Any) -> str:
    return unicodedata.normalize("NFC", str(value)).strip() if value is not None else ""


def short_text(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def formula_problem(formula: str, *, sheet: str, row: int, index: int) -> Problem:
    """The problem of a cell (``index`` from 0 in its row) that holds a formula."""
    return Problem(
        N_("The cell holds a formula ({formula}); write the value itself."),
        {"formula": formula},
        sheet=sheet,
        row=row,
        column=get_column_letter(index + 1),
    )


def outside_table(
    values: list[Any], width: int, *, sheet: str, row: int, text: Callable[[Any], str]
) -> list[Problem]:
    """The problems of a row's cells right of its ``width`` table columns that hold
    something (shown through ``text``)."""
    return [
        Problem(
            N_("There is something in a cell outside the table: “{value}”."),
            {"value": short_text(text(value))},
            sheet=sheet,
            row=row,
            column=get_column_letter(index + 1),
        )
        for index, value in enumerate(values)
        if index >= width and value not in (None, "")
    ]


def parse_amount(value: Any) -> tuple[float | None, Problem | None]:
    """An amount in a cell (a number, or a number written as text), or its problem."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, None
    if isinstance(value, bool):
        return None, Problem(
            N_("The amount must be a number of NOK, not “{value}”."), {"value": str(value)}
        )
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = _CURRENCY.sub("", _SPACES.sub("", _text(value))).strip()
        if not _PLAIN_NUMBER.match(text):
            return None, Problem(
                N_("The amount must be a number of NOK, not the text “{value}”."),
                {"value": short_text(_text(value))},
            )
        number = float(text.replace(",", "."))
    if not math.isfinite(number) or number > MAX_AMOUNT:
        return None, Problem(
            N_("The amount {value} cannot be a price."), {"value": short_text(_text(value))}
        )
    if number < 0:
        return None, Problem(
            N_("The amount may not be negative ({value})."), {"value": short_text(_text(value))}
        )
    return number, None


def read_prices(
    rows: Iterable[tuple[int, list[Any]]], schedule: pd.DataFrame, problems: list[Problem]
) -> list[Price]:
    """The amounts on the price sheet, checked against the schedule's lines in force
    (``schedule``: id, text_nb, text_en, mandatory). ``rows`` are (row number, values) from
    the sheet's first row, a cell holding a formula given as a ``Formula``; every problem
    is added to ``problems``."""
    keys = [c.key for c in PRICE_COLUMNS]
    letter = {key: get_column_letter(i + 1) for i, key in enumerate(keys)}
    lines = {r["id"]: r for r in schedule.to_dict("records")}
    seen: dict[str, int] = {}
    prices: list[Price] = []

    def add(row: int, key: str, message: str, params: dict[str, Any] | None = None) -> None:
        problems.append(
            Problem(message, params or {}, sheet=SHEET_PRICES, row=row, column=letter[key])
        )

    for row_number, values in rows:
        for index, value in enumerate(values):
            if isinstance(value, Formula):
                problems.append(
                    formula_problem(value.text, sheet=SHEET_PRICES, row=row_number, index=index)
                )
        if row_number < FIRST_ROW:
            continue
        values = [None if isinstance(v, Formula) else v for v in values]
        cells = dict(zip(keys, [*values, *([None] * len(keys))], strict=False))
        problems.extend(
            outside_table(values, len(keys), sheet=SHEET_PRICES, row=row_number, text=_text)
        )
        line_id = _text(cells["id"])
        if not line_id:
            if any(v not in (None, "") for v in values[: len(keys)]):
                add(row_number, "id", N_("This row has no price line id."))
            continue
        if line_id not in lines:
            add(
                row_number,
                "id",
                N_("The price line “{id}” is not in the price schedule."),
                {"id": line_id},
            )
            continue
        if line_id in seen:
            add(
                row_number,
                "id",
                N_("Price line {id} appears more than once (first in row {first})."),
                {"id": line_id, "first": seen[line_id]},
            )
            continue
        seen[line_id] = row_number
        line = lines[line_id]
        for key in ("text_nb", "text_en"):
            if _text(cells[key]) != unicodedata.normalize("NFC", line[key]).strip():
                add(
                    row_number,
                    key,
                    N_(
                        "The text of price line {id} has been changed; it must read as in "
                        "the price schedule."
                    ),
                    {"id": line_id},
                )
        amount, problem = parse_amount(cells["amount_nok"])
        if problem is not None:
            add(row_number, "amount_nok", problem.message, problem.params)
        elif amount is None and line["mandatory"]:
            add(
                row_number,
                "amount_nok",
                N_("Price line {id} is mandatory and has no amount."),
                {"id": line_id},
            )
        elif amount is not None:
            prices.append(Price(line_id, amount))
    for line_id in lines:
        if line_id not in seen:
            problems.append(
                Problem(
                    N_("Price line {id} is missing from the sheet."),
                    {"id": line_id},
                    sheet=SHEET_PRICES,
                )
            )
    return prices
