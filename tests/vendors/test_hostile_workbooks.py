"""Hostile workbooks, each built in memory: refused, naming the real problem, before the
harm is done (a huge sheet or string table is not read to its end)."""

from __future__ import annotations

import pytest

from tests.vendors.test_workbook import refused
from tests.vendors.xlsx import (
    SHEET,
    columns,
    every_requirement_answered,
    fill,
    member,
    rezip,
    to_bytes,
)
from tests.vendors.xlsx import rows as row_numbers
from vendors import responses
from vendors.response_reader import Limits

REQUIREMENTS_SHEET = "xl/worksheets/sheet2.xml"  # instructions, requirements, marks
GARBAGE = b"<<< not XML: reading this far is reading too far"


def filled(template: bytes) -> bytes:
    return to_bytes(fill(template, every_requirement_answered()))


def messages(problems) -> list[str]:
    return [p.message for p in problems]


def check(con, name, data, expected, limits=None):
    """The file is refused (database unchanged) with ``expected`` among its problems."""
    problems = refused(con, data, limits)
    assert any(expected in m for m in messages(problems)), messages(problems)
    return problems


def parse(con, data, limits):
    return responses.check_workbook(con, data, limits=limits)


def test_a_huge_sheet_is_refused_at_the_first_row_past_the_limit(con, template):
    sheet = member(filled(template), REQUIREMENTS_SHEET)
    head = sheet.split(b"</sheetData>")[0]
    extra = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (n, n)
        for n in range(1000, 60_000)
    )
    # Well-formed up to far past the limit, then broken: only a scan that stops at the
    # limit sees the size; one that reads on meets the broken end.
    data = rezip(filled(template), replace={REQUIREMENTS_SHEET: head + extra + GARBAGE})
    [problem] = check(con, "huge sheet", data, "The sheet is too large", Limits(max_rows=2000))
    assert problem.params["rows"] == 2001 and problem.sheet == SHEET


def shared_strings(count: int, tail: bytes = b"</sst>") -> bytes:
    items = b"".join(b"<si><t>s%d</t></si>" % n for n in range(count))
    return (
        (
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
            b' count="%d" uniqueCount="%d">' % (count, count)
        )
        + items
        + tail
    )


def with_shared_strings(data: bytes, table: bytes) -> bytes:
    rels = member(data, "xl/_rels/workbook.xml.rels").replace(
        b"</Relationships>",
        b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        b'relationships/sharedStrings" Target="sharedStrings.xml" Id="rId99" /></Relationships>',
    )
    types = member(data, "[Content_Types].xml").replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml" /></Types>',
    )
    return rezip(
        data,
        replace={"xl/_rels/workbook.xml.rels": rels, "[Content_Types].xml": types},
        add={"xl/sharedStrings.xml": table},
    )


def test_too_many_shared_strings_are_refused_before_the_workbook_is_opened(con, template):
    data = with_shared_strings(filled(template), shared_strings(50_000, tail=GARBAGE))
    check(
        con, "shared strings (count)", data, "holds too much text", Limits(max_shared_strings=1000)
    )


def test_a_too_large_shared_string_table_is_refused_unread(con, template):
    data = with_shared_strings(filled(template), shared_strings(3000))
    limits = Limits(max_shared_strings_bytes=10_000)
    check(con, "shared strings (bytes)", data, "holds too much text", limits)


def test_a_modest_shared_string_table_is_read(con, template):
    data = with_shared_strings(filled(template), shared_strings(100))
    assert parse(con, data, Limits()).ok


def test_a_formula_on_the_instructions_sheet_is_refused(con, template):
    wb = fill(template, every_requirement_answered())
    wb["Veiledning – Instructions"]["C3"] = '=WEBSERVICE("http://example.invalid/")'
    [problem] = check(con, "formula on instructions", to_bytes(wb), "holds a formula")
    assert (problem.sheet, problem.row, problem.column) == ("Veiledning – Instructions", 3, "C")


def test_an_extra_sheet_is_refused(con, template):
    wb = fill(template, every_requirement_answered())
    wb.create_sheet("Notater")["A1"] = "=1+1"
    problems = check(con, "extra sheet", to_bytes(wb), "not part of the requirement specification")
    assert {p.sheet for p in problems} == {"Notater"}
    assert any("holds a formula" in m for m in messages(problems))


def test_external_links_are_refused(con, template):
    link = (
        b'<externalLink xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b"<externalBook/></externalLink>"
    )
    data = rezip(filled(template), add={"xl/externalLinks/externalLink1.xml": link})
    check(con, "external link", data, "links to other files")


def test_a_macro_enabled_workbook_renamed_xlsx_is_refused(con, template):
    data = filled(template)
    types = member(data, "[Content_Types].xml").replace(
        b"openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"ms-excel.sheet.macroEnabled.main+xml",
    )
    data = rezip(
        data, replace={"[Content_Types].xml": types}, add={"xl/vbaProject.bin": b"\0" * 64}
    )
    check(con, "macro-enabled", data, "contains macros")


@pytest.mark.parametrize("name", ["../../evil.txt", "xl/../../evil.txt", "/etc/evil", "C:/evil"])
def test_a_part_named_outside_the_workbook_is_refused(con, template, name):
    data = rezip(filled(template), add={name: b"x"})
    check(con, f"member {name}", data, "unsafe name")


OLE = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 504


def test_a_password_protected_workbook_is_called_so(con):
    encrypted = OLE + "EncryptionInfo".encode("utf-16-le") + b"\0" * 64
    encrypted += "EncryptedPackage".encode("utf-16-le") + b"\0" * 512
    check(con, "encrypted", encrypted, "protected with a password")


def test_an_old_xls_file_is_called_so(con):
    check(con, "old .xls", OLE + "Workbook".encode("utf-16-le") + b"\0" * 512, "old Excel workbook")


@pytest.mark.parametrize("character", ["\u202e", "\u202a", "\u2066", "\u2069", "\u0085", "\u009b"])
def test_control_and_direction_characters_are_refused_with_the_cell_named(con, template, character):
    answers = every_requirement_answered()
    answers["CAT-02"] = {**answers["CAT-02"], "comment": f"Pris {character}kr 0001"}
    wb = fill(template, answers)
    row = row_numbers(wb[SHEET])["CAT-02"]
    column = columns(wb[SHEET])["Comment"]
    [problem] = check(con, f"U+{ord(character):04X}", to_bytes(wb), "control or text-direction")
    assert (problem.sheet, problem.row, problem.column) == (SHEET, row, chr(64 + column))
    assert problem.params["character"] == f"U+{ord(character):04X}"
