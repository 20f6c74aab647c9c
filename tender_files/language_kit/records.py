"""The kit's MARC 21 test records, made with pymarc: UTF-8 binary (.mrc) and MARCXML.

Per language: the test record in NFC and the same record in NFD (its control number ends
``-nfd``), a folded twin whose every letter is what naive folding makes of it (``-folded``:
exact-letter search must not find it, folded search must), and one short record per sort
word (``-sort-NN``) for the sort check. Every record has 008/35-37 and 041 language codes;
Kven, which is not in the MARC code list, has ``041 $a fkv $2 iso639-3``. Each record's
local keyword (653) lets the working group find a set with one search.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Callable, Iterable

import pymarc
from pymarc import Field, Indicators, Record, Subfield

from tender_files.language_kit.collation import expected_orders
from tender_files.language_kit.letters import BY_CODE, LANGUAGES, Language, fold

KIT_KEYWORD = "bibvalgkit"
# The date every record says it was entered (008/00-05), so the kit is the same each time.
ENTERED = "260101"
LEADER = "00000nam a2200000   4500"


def control_number(code: str, variant: str) -> str:
    """A test record's control number (001): ``bibvalg-sme-nfc`` and so on."""
    return f"bibvalg-{code}-{variant}"


def sort_keyword(key: str) -> str:
    """The keyword that finds one sort check's records."""
    return f"bibvalgsort{key}"


def _field_008(code_008: str) -> str:
    return f"{ENTERED}s2026    no            000 0 {code_008} d"


def _language_fields(code: str, in_marc_list: bool) -> list[Field]:
    if in_marc_list:
        return [Field("041", Indicators("0", " "), [Subfield("a", code)])]
    return [Field("041", Indicators("0", "7"), [Subfield("a", code), Subfield("2", "iso639-3")])]


def _record(
    number: str,
    code: str,
    code_008: str,
    in_marc_list: bool,
    title: str,
    *,
    subtitle: str = "",
    author: str = "",
    subjects: Iterable[str] = (),
    keyword: str = KIT_KEYWORD,
) -> Record:
    # Leader: a new (n) text (a) monograph (m), Unicode (9 = a).
    record = Record(force_utf8=True, leader=LEADER)
    record.add_field(pymarc.Field("001", data=number))
    record.add_field(pymarc.Field("008", data=_field_008(code_008)))
    for field in _language_fields(code, in_marc_list):
        record.add_field(field)
    if author:
        record.add_field(Field("100", Indicators("1", " "), [Subfield("a", author)]))
    title_parts = [Subfield("a", title + (" :" if subtitle else ""))]
    if subtitle:
        title_parts.append(Subfield("b", subtitle))
    record.add_field(Field("245", Indicators("1" if author else "0", "0"), title_parts))
    for subject in subjects:
        record.add_field(Field("650", Indicators(" ", "4"), [Subfield("a", subject)]))
    record.add_field(Field("653", Indicators(" ", " "), [Subfield("a", keyword)]))
    return record


def _normalised(record: Record, form: str, number: str) -> Record:
    """A copy of ``record`` with every text in Unicode form ``form`` and a new 001."""
    copy = pymarc.Record(force_utf8=True, leader=LEADER)
    for field in record.get_fields():
        if field.tag == "001":
            copy.add_field(pymarc.Field("001", data=number))
        elif field.is_control_field():
            copy.add_field(pymarc.Field(field.tag, data=field.data))
        else:
            copy.add_field(
                Field(
                    field.tag,
                    field.indicators,
                    [
                        Subfield(s.code, unicodedata.normalize(form, s.value))  # type: ignore[arg-type]
                        for s in field.subfields
                    ],
                )
            )
    return copy


def language_record(
    language: Language, variant: str = "nfc", text: Callable[[str], str] | None = None
) -> Record:
    """A language's test record with every text made by ``text`` (default: NFC)."""
    text = text or (lambda value: unicodedata.normalize("NFC", value))
    return _record(
        control_number(language.code, variant),
        language.code,
        language.code_008,
        language.in_marc_list,
        text(language.title),
        subtitle=text(language.letter_line),
        author=text(language.author),
        subjects=[text(s) for s in language.subjects],
    )


def language_records(language: Language) -> list[Record]:
    """A language's records: NFC, NFD, the folded twin, then the sort records."""
    nfc = language_record(language)
    return [
        nfc,
        _normalised(nfc, "NFD", control_number(language.code, "nfd")),
        language_record(language, "folded", fold),
        *_sort_records(language.code, language.code_008, language.in_marc_list),
    ]


def _sort_records(code: str, code_008: str, in_marc_list: bool) -> list[Record]:
    order = {o.key: o for o in expected_orders()}[code]
    # The records go in sorted by code point, not in the expected order.
    return [
        _record(
            control_number(code, f"sort-{n:02d}"),
            code,
            code_008,
            in_marc_list,
            word,
            keyword=sort_keyword(code),
        )
        for n, word in enumerate(sorted(order.words), start=1)
    ]


def all_records() -> list[Record]:
    """Every record of the kit: each language's, then Norwegian Bokmål's sort records."""
    records = [r for language in LANGUAGES for r in language_records(language)]
    return records + _sort_records("nob", "nob", True)


def to_marc21(records: Iterable[Record]) -> bytes:
    """The records as MARC 21 binary in UTF-8."""
    return b"".join(r.as_marc() for r in records)


def to_marcxml(records: Iterable[Record]) -> bytes:
    """The records as one MARCXML collection (UTF-8)."""
    buffer = io.BytesIO()
    writer = pymarc.XMLWriter(buffer)
    for record in records:
        writer.write(record)
    writer.close(close_fh=False)
    return buffer.getvalue()


def language_of(number: str) -> Language | None:
    """The language a control number belongs to (None for Norwegian's sort records)."""
    parts = number.split("-")
    return BY_CODE.get(parts[1]) if len(parts) > 2 else None
