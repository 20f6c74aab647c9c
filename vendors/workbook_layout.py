"""The requirement specification workbook's layout, shared by the template writer and the
response reader: sheet names, the columns, the answer scale and the marks it carries."""

from __future__ import annotations

from dataclasses import dataclass

from locales import gettext_for
from store.errors import N_

FORMAT = "bibvalg-requirement-specification"
FORMAT_VERSION = 1
SHEET_INSTRUCTIONS = "Veiledning – Instructions"
SHEET_REQUIREMENTS = "Krav – Requirements"
SHEET_PRICES = "Pris – Prices"
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
    """One column of a workbook's sheet (the requirements, the prices, an evaluator's
    scores)."""

    key: str
    header: str  # message id, shown in Norwegian and English
    width: float
    fill_in: bool = False  # the one the workbook is for (vendor, evaluator) fills it in
    hidden: bool = False  # kept out of view (what an answer was pre-filled with)


COLUMNS = (
    Column("id", N_("Requirement id"), 13),
    Column("category", N_("Category"), 24),
    Column("kind", N_("Type"), 7),
    Column("text_nb", N_("Requirement (Norwegian)"), 46),
    Column("text_en", N_("Requirement (English)"), 46),
    Column("weight", N_("Weight"), 8),
    Column("answer", N_("Answer (0–3)"), 12, fill_in=True),
    Column("comment", N_("Comment"), 40, fill_in=True),
    Column("evidence", N_("Evidence or reference"), 26, fill_in=True),
    Column("roadmap_date", N_("Roadmap date"), 14, fill_in=True),
)


# The price sheet: the schedule's lines, locked, and the vendor's amount beside each.
PRICE_COLUMNS = (
    Column("id", N_("Price line"), 10),
    Column("kind", N_("Type"), 12),
    Column("is_option", N_("Option"), 9),
    Column("text_nb", N_("Price line (Norwegian)"), 44),
    Column("text_en", N_("Price line (English)"), 44),
    Column("mandatory", N_("Mandatory"), 11),
    Column("amount_nok", N_("Amount, NOK excl. VAT"), 20, fill_in=True),
)
PRICE_KIND_WORDS = {"one_time": N_("one-time"), "yearly": N_("yearly")}
YES, NO = N_("yes"), N_("no")


@dataclass(frozen=True)
class OfferMark:
    """The vendor and offer a workbook was sent to, which it carries back."""

    offer_id: str
    vendor_id: str
    vendor_name: str = ""
    product: str = ""


def layout(show_weights: bool) -> tuple[Column, ...]:
    """The columns of the requirements sheet, with or without the weight."""
    return tuple(c for c in COLUMNS if show_weights or c.key != "weight")


def both(message: str) -> str:
    """A message in Norwegian and English: "Krav / Requirement"."""
    nb, en = gettext_for("nb", message), gettext_for("en", message)
    return nb if nb == en else f"{nb} / {en}"


def both_lines(message: str) -> tuple[str, str]:
    return gettext_for("nb", message), gettext_for("en", message)
