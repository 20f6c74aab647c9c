"""The catalogue workbook: out and back in changes nothing; a bad workbook is refused with
every problem placed by sheet, row and column, and the database is left exactly as it was."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from store import catalogue, criteria, freeze
from store.db import connect
from store.errors import InvalidWeights, ModelFrozen
from tender_files import catalogue_workbook as cw
from tests.dbdump import dump, refused_unchanged
from vendors.response_reader import Limits

CRIT, CATS, REQS = cw.SHEETS["criteria"], cw.SHEETS["categories"], cw.SHEETS["requirements"]
PRICES = cw.SHEETS["price_lines"]


@pytest.fixture
def empty():
    con = connect(":memory:")
    yield con
    con.close()


@pytest.fixture(scope="module")
def exported(demo_db_template):
    con = connect(demo_db_template)
    try:
        return cw.export_catalogue(con)
    finally:
        con.close()


def edited(data: bytes, change) -> bytes:
    wb = load_workbook(io.BytesIO(data))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def refused(con, data: bytes, **kwargs) -> list[tuple[str, int | None, str, str]]:
    with refused_unchanged(con, cw.CatalogueWorkbookRefused) as caught:
        cw.import_catalogue(con, data, actor="gruppa", file_name="k.xlsx", **kwargs)
    return [(p.sheet, p.row, p.column, p.message) for p in caught.value.problems]


# --- round trip -------------------------------------------------------------------------


def test_export_then_import_changes_nothing_on_the_demo(con, exported):
    before = dump(con)
    result = cw.import_catalogue(con, exported, actor="gruppa", file_name="k.xlsx")
    assert not result.changed
    assert dump(con) == before


def test_the_workbook_holds_what_the_database_holds(exported, con):
    wb = load_workbook(io.BytesIO(exported))
    assert wb.sheetnames == [cw.SHEET_INSTRUCTIONS, CRIT, CATS, REQS, PRICES]
    reqs = wb[REQS]
    assert [c.value for c in reqs[1]] == [c.label for c in cw.COLUMNS["requirements"]]
    assert reqs.max_row == 1 + len(catalogue.editable(con))
    row = {c.value: v.value for c, v in zip(reqs[1], reqs[5], strict=True)}
    assert row["Id"] == "LANG-04" and row["Vekt – Weight"] == 3.0  # demo/data/requirements.csv
    crit = wb[CRIT]
    assert [crit.cell(row=r, column=6).value for r in (2, 3, 4)] == [40.0, 30.0, 30.0]


def test_an_empty_tender_starts_from_a_workbook_and_round_trips(empty, exported):
    result = cw.import_catalogue(empty, exported, actor="gruppa", file_name="k.xlsx")
    # demo/data/price_lines.csv has ten lines
    assert result.counts() == {
        "criteria": 3,
        "categories": 7,
        "requirements": 52,
        "price_lines": 10,
    }
    entry = empty.execute(
        "SELECT entity_id, new_value FROM audit_log WHERE entity = 'catalogue'"
        " AND action = 'import'"
    ).fetchall()
    assert entry[0][0] == "k.xlsx" and '"sha256"' in entry[0][1]
    # Out again and in again: nothing more.
    again = cw.export_catalogue(empty)
    before = dump(empty)
    assert not cw.import_catalogue(empty, again, actor="gruppa").changed
    assert dump(empty) == before
    assert cw.catalogue_tables(empty)["requirements"].equals(
        cw.read_catalogue(exported).tables["requirements"].set_axis(range(1, 53))
    )


def test_a_changed_workbook_changes_just_that(con, exported):
    def change(wb):
        wb[CRIT]["C2"] = "Quality of the solution"
        wb[CATS]["E2"] = 30  # LANG's weight
        ws = wb[REQS]
        ws.append(["LANG-99", "LANG", "W", "Nytt krav", "New requirement", 2, False])

    result = cw.import_catalogue(con, edited(exported, change), actor="gruppa")
    assert [c.node_id for c in result.criteria] == ["quality"]
    assert [c.node_id for c in result.categories] == ["LANG"]
    assert [(c.action, c.requirement_id) for c in result.requirements] == [("add", "LANG-99")]
    assert result.version is not None


def test_columns_may_be_moved_and_named_by_their_keys(con, exported):
    def change(wb):
        ws = wb[CRIT]
        for cell in ws[1]:
            cell.value = {c.label: c.key for c in cw.COLUMNS["criteria"]}[cell.value]
        ws.move_range("A1:A4", cols=8)  # the id column to the far right

    before = dump(con)
    assert not cw.import_catalogue(con, edited(exported, change), actor="gruppa").changed
    assert dump(con) == before


# --- refused ----------------------------------------------------------------------------


def test_every_cell_problem_and_catalogue_problem_is_listed_at_once(con, exported):
    def change(wb):
        ws = wb[REQS]
        ws["F5"] = "mye"
        ws["G9"] = "kanskje"
        ws["F10"] = "=1+2"
        ws["C11"] = "Q"
        ws["A12"] = "LANG-01"  # a second LANG-01; LANG-07 (row 12) is then missing
        wb[CATS]["B3"] = "nowhere"
        wb[CRIT]["F2"] = -1

    problems = refused(con, edited(exported, change))
    assert (REQS, 5, "F", "The weight must be a number, zero or more, not “{weight}”.") in problems
    assert (REQS, 9, "G", "“{column}” must be yes or no, not “{value}”.") in problems
    assert (REQS, 10, "F", "The cell holds a formula; write the value itself.") in problems
    assert (REQS, 11, "C", "The type must be M, W or I, not “{kind}”.") in problems
    assert (
        REQS,
        12,
        "A",
        "The id “{id}” is used more than once (also in row {other}).",
    ) in problems
    assert (REQS, None, "A", catalogue.MISSING_MESSAGE) in problems
    assert (CATS, 3, "B", "There is no award criterion “{criterion}”.") in problems
    assert (CRIT, 2, "F", "The weight must be a number, zero or more, not “{weight}”.") in problems
    assert len(problems) == 8


def test_the_duplicate_names_the_sheet_row_of_the_first(con, exported):
    def change(wb):
        wb[REQS]["A12"] = "LANG-01"

    with pytest.raises(cw.CatalogueWorkbookRefused) as caught:
        cw.import_catalogue(con, edited(exported, change), actor="gruppa")
    [dup] = [p for p in caught.value.problems if "other" in p.params]
    assert dup.params == {"id": "LANG-01", "other": 2}


def test_a_missing_sheet_and_a_missing_column(con, exported):
    def change(wb):
        del wb[CATS]
        wb[REQS].delete_cols(3)

    problems = refused(con, edited(exported, change))
    assert problems == [("", None, "", "The sheet “{sheet}” is missing.")]

    def no_column(wb):
        wb[REQS].delete_cols(3)
        wb[REQS]["H1"] = "Merknad"

    problems = refused(con, edited(exported, no_column))
    assert (REQS, 1, "", "The header row lacks the column(s) {columns}.") in problems
    assert (
        REQS,
        1,
        "H",
        "The column “{header}” is not part of the catalogue workbook.",
    ) in problems


def test_deleting_a_criterion_is_refused_retiring_is_the_way(con, exported):
    problems = refused(con, edited(exported, lambda wb: wb[CRIT].delete_rows(3)))
    assert (CRIT, None, "A", criteria.MISSING_CRITERION) in problems


def test_not_a_workbook_too_large_and_a_zip_bomb(con):
    assert refused(con, b"id,name\n1,x\n")[0][3].startswith("The file is not an Excel workbook")
    small = Limits(max_file_bytes=100)
    assert "at most" in refused(con, b"x" * 200, limits=small)[0][3]
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (20 * 1024 * 1024))
    [(_, _, _, message)] = refused(con, bomb.getvalue())
    assert "packed unusually tightly" in message


def test_a_sheet_past_the_row_limit_is_refused_before_it_is_read(con, exported):
    def change(wb):
        wb[REQS]["A200"] = "far down"

    problems = refused(con, edited(exported, change), limits=Limits(max_rows=100))
    assert [(s, m.startswith("The sheet is too large")) for s, _, _, m in problems] == [
        (REQS, True)
    ]


# --- the freeze -------------------------------------------------------------------------


def test_after_the_freeze_an_import_needs_a_reason(con, exported):
    freeze.freeze_model(con, actor="gruppa")
    changed = edited(exported, lambda wb: wb[CRIT].cell(row=2, column=6, value=35))
    with refused_unchanged(con, ModelFrozen):
        cw.import_catalogue(con, changed, actor="gruppa", file_name="k.xlsx")
    # The unchanged workbook needs none: it changes nothing.
    assert not cw.import_catalogue(con, exported, actor="gruppa").changed
    result = cw.import_catalogue(con, changed, actor="gruppa", reason="Vedtak i styringsgruppa")
    assert [c.node_id for c in result.criteria] == ["quality"]
    assert freeze.history(con)["event"].tolist() == ["freeze", "change"]


# --- price lines ------------------------------------------------------------------------


def test_price_lines_round_trip_and_a_workbook_without_them_leaves_them(con, exported, empty):
    sheet = load_workbook(io.BytesIO(exported))[PRICES]
    first = [c.value for c in sheet[2]]
    assert first == [
        "implementering",
        "one_time",
        False,
        "Implementering og prosjektledelse",
        "Implementation and project management",
        True,
        False,
    ]

    def drop(wb):
        del wb[PRICES]

    cw.import_catalogue(empty, exported, actor="gruppa")
    before = dump(empty)
    assert not cw.import_catalogue(empty, edited(exported, drop), actor="gruppa").changed
    assert dump(empty) == before


def test_a_changed_price_line_is_saved_and_logged(con, exported):
    def change(wb):
        wb[PRICES]["F3"] = "nei"  # migrering no longer mandatory
        wb[PRICES].append(
            ["ebok", "yearly", "ja", "E-bokplattform", "E-book platform", "ja", "nei"]
        )

    result = cw.import_catalogue(con, edited(exported, change), actor="gruppa")
    assert [(c.action, c.line_id) for c in result.price_lines] == [
        ("update", "migrering"),
        ("add", "ebok"),
    ]
    assert con.execute(
        "SELECT kind, is_option, mandatory FROM price_line WHERE id = 'ebok'"
    ).fetchone() == ("yearly", True, True)


def test_bad_price_lines_are_refused_with_every_problem(con, exported):
    def change(wb):
        ws = wb[PRICES]
        ws["B2"] = "monthly"
        ws["C3"] = "kanskje"
        ws["D4"] = None
        ws.delete_rows(11)  # bokbuss-arlig removed instead of retired

    problems = refused(con, edited(exported, change))
    assert (
        PRICES,
        2,
        "B",
        "A price line is one-time (one_time) or yearly (yearly), not “{kind}”.",
    ) in problems
    assert (PRICES, 3, "C", "“{column}” must be yes or no, not “{value}”.") in problems
    assert (PRICES, 4, "D", "The price line needs a text.") in problems
    assert any(p[0] == PRICES and "retire it instead" in p[3] for p in problems)


def test_after_the_freeze_a_price_line_changes_only_with_a_reason(con, exported):
    freeze.freeze_model(con, actor="gruppa")
    before_print = freeze.current_fingerprint(con)

    def change(wb):
        wb[PRICES]["E2"] = "Implementation"

    data = edited(exported, change)
    with refused_unchanged(con, ModelFrozen):
        cw.import_catalogue(con, data, actor="gruppa")
    cw.import_catalogue(con, data, actor="gruppa", reason="Rettet engelsk tekst")
    assert freeze.current_fingerprint(con) != before_print


def test_a_workbook_that_puts_climate_under_30_percent_needs_a_justification(con, exported):
    # Row 4 is "environment"; column F its weight: 10 of 40 + 30 + 10 is 12.5 %.
    data = edited(exported, lambda wb: wb[CRIT].cell(row=4, column=6, value=10))
    with refused_unchanged(con, InvalidWeights, match=r"12\.5 %"):
        cw.import_catalogue(con, data, actor="gruppa", file_name="k.xlsx")
    cw.import_catalogue(
        con, data, actor="gruppa", file_name="k.xlsx", climate_justification="Miljøkrav i krav."
    )
    assert criteria.editable_criteria(con).set_index("id").loc["environment", "weight"] == 10.0
