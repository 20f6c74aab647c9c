"""The protocol of checks the working group runs in each vendor's demo system: what to do,
what to expect, and where the expectation comes from.

Each check has an id (``sme-exact``), the language it tests, its kind, the query or record it
starts from and the expected outcome: the records a search must find (and those it must
not), or the order a sort must give. The texts are message ids, translated into the
protocol's language when it is written (xlsx here, PDF in ``tender_files.language_kit``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation

from locales import gettext_for
from store.errors import N_
from store.language_results import OUTCOMES
from tender_files.language_kit.collation import SortOrder, expected_orders
from tender_files.language_kit.letters import LANGUAGES, Language, fold
from tender_files.language_kit.records import KIT_KEYWORD, control_number, sort_keyword
from vendors.office_files import text_cell, workbook_bytes

DISPLAY, EXACT, FOLDED, NFD, SORT, CODE, LABEL = (
    "display", "exact", "folded", "nfd", "sort", "code", "label"
)  # fmt: skip
KINDS: dict[str, str] = {
    DISPLAY: N_("Display"),
    EXACT: N_("Exact-letter search"),
    FOLDED: N_("Folded search"),
    NFD: N_("NFD query, NFC record"),
    SORT: N_("Sort order"),
    CODE: N_("Language code and limit"),
    LABEL: N_("Spine label"),
}
NORWEGIAN = "nob"
NORWEGIAN_NAME = N_("Norwegian Bokmål")

INSTRUCTIONS: dict[str, str] = {
    DISPLAY: N_(
        "Import the kit's records (.mrc or MARCXML). Open the record {record} in the staff "
        "client and the public catalogue: title, letter line, author and subjects show every "
        "letter as written here: {letters}."
    ),
    EXACT: N_("Search for “{query}” with folding off (exact letters)."),
    FOLDED: N_("Search for “{query}” (the letters folded) with search folding on."),
    NFD: N_(
        "Paste the query “{query}” from this file (it is in NFD: base letters and combining "
        "marks) into the search field and search."
    ),
    SORT: N_("Search for “{query}” and sort the hits by title."),
    CODE: N_(
        "Search for “{query}” and limit the search to the language {code}; open the record "
        "{record} and look at its language codes (008/35-37 and 041)."
    ),
    LABEL: N_(
        "Print a spine label for the record {record}: the shelf mark shows the author's first "
        "letters “{query}” as written."
    ),
}
FOUND = N_("Finds {found}.")
NOT_FOUND = N_("Does not find {missing}.")
SHOWN = N_("Every letter shown and printed as written.")
# What each kind of check expects: the message is given the records found ({found}), the
# titles in order ({order}) and the 041 field ({field}), and uses what it needs.
EXPECTED: dict[str, str] = {
    DISPLAY: SHOWN,
    EXACT: FOUND,
    FOLDED: FOUND,
    NFD: FOUND,
    SORT: N_("The titles in this order: {order}."),
    CODE: N_("The limit finds exactly {found}. 041 holds {field}."),
    LABEL: SHOWN,
}
FROM_ICU = N_("ICU collation “{collation}” (DuckDB's built-in ICU)")
FROM_AGREEMENT = N_(
    "The working group's agreed order: ICU has no tailoring for this language, so the order "
    "is the one the working group agreed."
)
FROM_RECORDS = N_("The kit's records")


@dataclass(frozen=True)
class Check:
    """One check of the protocol."""

    language: str  # a code of ``letters.LANGUAGES``, or "nob"
    kind: str
    query: str
    found: tuple[str, ...] = ()  # control numbers a search must find
    missing: tuple[str, ...] = ()  # control numbers it must not find
    record: str = ""  # the record the check opens
    order: SortOrder | None = None

    @property
    def id(self) -> str:
        """The check's id: its language's code and its kind (``sme-exact``)."""
        return f"{self.language}-{self.kind}"


def _records(code: str, *variants: str) -> tuple[str, ...]:
    return tuple(control_number(code, v) for v in variants)


def language_checks(language: Language, order: SortOrder) -> list[Check]:
    """A language's checks, in the order the protocol lists them."""
    code = language.code
    nfc = control_number(code, "nfc")
    both = _records(code, "nfc", "nfd")
    folded = _records(code, "folded")
    checks = [
        Check(code, DISPLAY, language.letter_line, record=nfc),
        Check(
            code, EXACT, unicodedata.normalize("NFC", language.exact), found=both, missing=folded
        ),
    ]
    if fold(language.exact) != language.exact and code != "rus":
        # Folding Russian й to и is the defect LANG-11 forbids: no folded check there.
        checks.append(Check(code, FOLDED, fold(language.exact), found=both + folded))
    nfd_missing = folded if fold(language.nfd) != language.nfd else ()
    checks += [
        Check(
            code, NFD, unicodedata.normalize("NFD", language.nfd), found=both, missing=nfd_missing
        ),
        Check(code, SORT, sort_keyword(code), order=order),
        Check(code, CODE, KIT_KEYWORD, found=both + folded, record=nfc),
        Check(code, LABEL, unicodedata.normalize("NFC", language.author)[:3], record=nfc),
    ]
    return checks


@lru_cache(maxsize=1)
def checks() -> tuple[Check, ...]:
    """Every check of the protocol: each language's, then Norwegian Bokmål's sort."""
    orders = {o.key: o for o in expected_orders()}
    found = [c for language in LANGUAGES for c in language_checks(language, orders[language.code])]
    return (
        *found,
        Check(NORWEGIAN, SORT, sort_keyword(NORWEGIAN), order=orders[NORWEGIAN]),
    )


def check_ids() -> list[str]:
    """The ids of every check, in protocol order."""
    return [c.id for c in checks()]


@dataclass(frozen=True)
class ProtocolRow:
    """One check as the protocol states it, in one language."""

    id: str
    language: str
    kind: str
    task: str
    expected: str
    source: str


def language_name(code: str, language: str) -> str:
    """A kit language's name (``code`` as in the records) in the interface language."""
    names = {lang.code: lang.name for lang in LANGUAGES} | {NORWEGIAN: NORWEGIAN_NAME}
    return gettext_for(language, names[code])


# Kven is not in the MARC code list: 041 names its ISO 639-3 code and the list.
KIVEN_FIELD = "041 07 $a fkv $2 iso639-3"


def _code_text(code: str) -> str:
    language = {lang.code: lang for lang in LANGUAGES}.get(code)
    if language is not None and not language.in_marc_list:
        return KIVEN_FIELD
    return f"041 0_ $a {code}"


def protocol_rows(language: str) -> list[ProtocolRow]:
    """The protocol in ``language`` (nb or en), one row per check."""
    t: Callable[[str], str] = lambda message: gettext_for(language, message)  # noqa: E731
    rows = []
    for check in checks():
        task = t(INSTRUCTIONS[check.kind]).format(
            record=check.record,
            letters=check.query,
            query=check.query,
            code=check.language,
        )
        expected = t(EXPECTED[check.kind]).format(
            found=", ".join(check.found),
            order=", ".join(check.order.words) if check.order else "",
            field=_code_text(check.language),
        )
        if check.missing:
            expected += " " + t(NOT_FOUND).format(missing=", ".join(check.missing))
        source = t(FROM_RECORDS)
        if check.order is not None:
            source = (
                t(FROM_ICU).format(collation=check.order.collation)
                if check.order.from_icu
                else t(FROM_AGREEMENT)
            )
        rows.append(
            ProtocolRow(
                check.id,
                language_name(check.language, language),
                t(KINDS[check.kind]),
                task,
                expected,
                source,
            )
        )
    return rows


PROTOCOL_TITLE = N_("Language test kit: protocol for the vendors' demo systems")
PROTOCOL_INTRO = N_(
    "Import the kit's records (language-kit-records.mrc or language-kit-records.xml) into the "
    "vendor's demo system, run every check and write pass, fail or a note for each. Record the "
    "results per vendor on the page Languages in bibvalg."
)
COLUMNS = (
    N_("Check"),
    N_("Language"),
    N_("Kind"),
    N_("What to do"),
    N_("Expected"),
    N_("Where the expectation comes from"),
    N_("Result (pass / fail / note)"),
    N_("Note"),
)
WIDTHS = (14, 16, 20, 60, 50, 34, 14, 30)
# The results the working group writes in the workbook's result column (a list to choose
# from): the outcomes the store records, in words.
RESULT_NAMES = tuple(OUTCOMES.values())
KIT_DATE = datetime(2026, 1, 1)


def protocol_xlsx(language: str) -> bytes:
    """The protocol as a workbook in ``language``: one row per check, with empty columns for
    the result and a note."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = gettext_for(language, N_("Protocol"))[:31]
    text_cell(sheet, 1, 1, gettext_for(language, PROTOCOL_TITLE)).font = Font(bold=True, size=13)
    text_cell(sheet, 2, 1, gettext_for(language, PROTOCOL_INTRO))
    for column, (title, width) in enumerate(zip(COLUMNS, WIDTHS, strict=True), start=1):
        text_cell(sheet, 4, column, gettext_for(language, title)).font = Font(bold=True)
        sheet.column_dimensions[chr(64 + column)].width = width
    for number, row in enumerate(protocol_rows(language), start=5):
        values = (row.id, row.language, row.kind, row.task, row.expected, row.source)
        for column, value in enumerate(values, start=1):
            cell = text_cell(sheet, number, column, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    last = 4 + len(checks())
    choices = ",".join(gettext_for(language, name).lower() for name in RESULT_NAMES)
    results = DataValidation(type="list", formula1=f'"{choices}"', allow_blank=True)
    sheet.add_data_validation(results)
    results.add(f"G5:G{last}")
    sheet.freeze_panes = "A5"
    return workbook_bytes(book, KIT_DATE)
