"""A library's input workbook: made, filled in by code as a library would, imported, and the
database holds exactly what was written; bad files are refused and change nothing."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from store.problems import LibraryInputRefused
from tender_files import input_workbook as iw
from tests.dbdump import dump

LIBRARY = "hasvik-folkebibliotek"  # not sent, not answered in the demo
FACTS = {  # row on the facts sheet (from 3, in the order asked) -> what the library types
    3: 1.5,  # staff
    4: 2,  # branches
    5: "nei",  # mobile library
    6: 12,  # unstaffed hours a week
    7: "ja",  # Sámi collection
    8: "nei",
    9: "ja",
    10: "nei",
    11: 1,  # school libraries served
    12: "Mikromarc 3",
    13: "ønsket",
}


def _made(con) -> bytes:
    return iw.make_template(con, LIBRARY, actor="arbeidsgruppa")


def _filled(data: bytes, **changes) -> tuple[bytes, dict[tuple[str, str], tuple[int, str]]]:
    """The workbook with every fact, an importance on every item (row number mod 5, every
    seventh left blank, a comment on every fourth) and two proposals; ``changes`` are cells
    to set afterwards as ``SHEET__CELL=value``. Returns the bytes and what was written."""
    wb = load_workbook(io.BytesIO(data))
    facts = wb[iw.SHEET_FACTS]
    for row, value in FACTS.items():
        facts.cell(row, 3).value = value
    sheet = wb[iw.SHEET_PRIORITIES]
    written = {}
    kinds = {"kategori": "category", "krav": "requirement"}
    for row in range(iw.FIRST_ROW, sheet.max_row + 1):
        if row % 7 == 0:
            continue
        importance, comment = row % 5, (f"Merknad {row}: ŋ og đ" if row % 4 == 0 else "")
        sheet.cell(row, 6).value = importance
        sheet.cell(row, 7).value = comment or None
        written[(kinds[sheet.cell(row, 1).value], sheet.cell(row, 2).value)] = (importance, comment)
    proposals = wb[iw.SHEET_PROPOSALS]
    proposals["B3"], proposals["C3"] = "LANG", "Lånekort på nordsamisk"
    proposals["C5"] = "=Ikke en formel, men tekst som starter med ="
    proposals["C5"].data_type = "s"
    for key, value in changes.items():
        sheet_name, cell = key.split("__")
        wb[{"facts": iw.SHEET_FACTS, "priorities": iw.SHEET_PRIORITIES}[sheet_name]][cell] = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), written


def test_a_filled_workbook_is_stored_exactly_as_written(con):
    data, written = _filled(_made(con))
    assert con.execute(
        "SELECT library_id, how FROM library_input_sent WHERE library_id = ?", [LIBRARY]
    ).fetchall() == [(LIBRARY, "template")]
    result = iw.import_input_file(con, data, actor="arbeidsgruppa", file_name="hasvik.xlsx")
    assert result.answer_number == 1 and result.priorities == len(written)
    stored = con.execute(
        "SELECT item_kind, item_id, importance, comment FROM library_priority"
        " WHERE library_id = ? AND answer_number = 1",
        [LIBRARY],
    ).fetchall()
    assert {(k, i): (v, c) for k, i, v, c in stored} == written
    assert len(written) > 30  # seven categories and 31 weighted requirements, some blank
    facts = con.execute(
        "SELECT staff, branches, mobile_library, unstaffed_hours, sami_collection,"
        " kven_collection, finnish_collection, russian_collection, school_libraries,"
        " current_system, shared_catalogue FROM library_answer WHERE library_id = ?",
        [LIBRARY],
    ).fetchall()
    assert facts == [(1.5, 2, False, 12.0, True, False, True, False, 1, "Mikromarc 3", "wanted")]
    proposals = con.execute(
        "SELECT category_id, text, status FROM library_proposal WHERE library_id = ? ORDER BY id",
        [LIBRARY],
    ).fetchall()
    assert proposals == [
        ("LANG", "Lånekort på nordsamisk", "open"),
        ("", "=Ikke en formel, men tekst som starter med =", "open"),
    ]


def test_a_new_workbook_is_filled_in_with_the_newest_answer(con):
    data, written = _filled(_made(con))
    iw.import_input_file(con, data, actor="arbeidsgruppa")
    again = load_workbook(io.BytesIO(_made(con)))
    sheet = again[iw.SHEET_PRIORITIES]
    kinds = {"kategori": "category", "krav": "requirement"}
    shown = {
        (kinds[sheet.cell(r, 1).value], sheet.cell(r, 2).value): sheet.cell(r, 6).value
        for r in range(iw.FIRST_ROW, sheet.max_row + 1)
        if sheet.cell(r, 6).value is not None
    }
    assert shown == {item: value for item, (value, _) in written.items()}
    assert again[iw.SHEET_FACTS]["C12"].value == "Mikromarc 3"


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"priorities__F5": 7}, "from 0 to 4, not “7”"),
        ({"priorities__F6": "viktig"}, "not “viktig”"),
        ({"priorities__F8": 2.5}, "not “2.5”"),
        ({"priorities__D4": "Endret tekst"}, "A locked cell was changed"),
        ({"priorities__B4": "LANG-99"}, "“LANG-99” is not a category"),
        ({"facts__A3": "ansatte"}, "A locked cell was changed"),
        ({"facts__C3": "to"}, "Write a number of 0 or more"),
        ({"facts__C13": "kanskje"}, "Choose today, wanted or no"),
        ({"priorities__H5": "utenfor"}, "outside the table"),
        ({"priorities__F9": "=2+2"}, "formula"),
    ],
)
def test_a_bad_cell_refuses_the_file_and_changes_nothing(con, changes, expected):
    data, _ = _filled(_made(con), **changes)
    before = dump(con)
    with pytest.raises(LibraryInputRefused) as refused:
        iw.import_input_file(con, data, actor="arbeidsgruppa", file_name="hasvik.xlsx")
    lines = [p.line("en") for p in refused.value.problems]
    assert any(expected in line for line in lines), lines
    assert all(p.sheet and p.row and p.column for p in refused.value.problems), lines
    assert dump(con) == before


def test_a_workbook_for_another_library_not_a_workbook_and_a_huge_file_are_refused(con):
    data, _ = _filled(_made(con))
    before = dump(con)
    attempts = [
        (data, "vardo-folkebibliotek", "made for “hasvik-folkebibliotek”, not for"),
        (b"PK\x03\x04 not really a workbook", None, "not an Excel workbook"),
        (b"Bibliotek;Ansatte\nHasvik;2\n", None, "not an Excel workbook"),
        (data + b"\0" * (11 * 1024 * 1024), None, "MB"),
    ]
    for content, library, expected in attempts:
        with pytest.raises(LibraryInputRefused) as refused:
            iw.import_input_file(con, content, actor="arbeidsgruppa", library=library)
        lines = [p.line("en") for p in refused.value.problems]
        assert any(expected in line for line in lines), lines
    assert dump(con) == before


def test_every_librarys_workbook_in_one_zip_records_each_as_sent(con):
    import zipfile

    archive = zipfile.ZipFile(io.BytesIO(iw.make_all_templates(con, actor="arbeidsgruppa")))
    names = sorted(archive.namelist())
    libraries = [r[0] for r in con.execute("SELECT id FROM library ORDER BY id").fetchall()]
    assert names == [f"{library}.xlsx" for library in libraries]
    marks = load_workbook(io.BytesIO(archive.read(f"{LIBRARY}.xlsx")))[iw.SHEET_META]
    assert {r[0]: r[1] for r in marks.iter_rows(values_only=True)}["library"] == LIBRARY
    sent = con.execute(
        "SELECT count(DISTINCT library_id) FROM library_input_sent WHERE sent_by = 'arbeidsgruppa'"
    ).fetchone()
    assert sent == (len(libraries),)
