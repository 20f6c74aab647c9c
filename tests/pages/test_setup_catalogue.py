"""Page Oppsett, tab Award criteria, on an empty database: the catalogue started from the
demo's, a criterion added and saved, and an edit with problems refused and kept."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from store.db import connect
from tender_files.catalogue_workbook import SHEETS, export_catalogue
from tests.dbdump import dump, rows
from tests.pages.test_pages import open_tab
from tests.pages.test_setup_page import open_setup
from ui import state


def editor(at: AppTest, table: str):
    [found] = [e for e in at.data_editor if e.key.startswith(f"setup:{table}:editor:")]
    return found


def edit(at: AppTest, table: str, *, edited_rows=None, added_rows=None) -> AppTest:
    at.session_state[editor(at, table).key] = {
        "edited_rows": edited_rows or {},
        "added_rows": added_rows or [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_empty_catalogue_starts_from_the_demo_template(empty_db):
    at = open_setup("en", "Award criteria")
    assert len(editor(at, "criteria").value) == 0
    click(at, "setup:from_demo")
    assert any("The demo catalogue is copied in" in s.value for s in at.success)
    assert rows(empty_db, "SELECT count(*) FROM requirement") == [(52,)]
    assert editor(at, "criteria").value["id"].tolist() == ["quality", "price", "environment"]
    assert len(editor(at, "categories").value) == 7
    assert not [b for b in at.button if b.key == "setup:from_demo"]  # no longer empty


def test_a_criterion_is_added_in_norwegian_and_saved(empty_db):
    at = open_setup("nb", "Tildelingskriterier")
    edit(
        at,
        "criteria",
        added_rows=[
            {
                "id": "quality",
                "name_nb": "Kvalitet",
                "name_en": "Quality",
                "weight": 60.0,
                "retired": False,
            }
        ],
    )
    assert rows(empty_db, "SELECT count(*) FROM award_criterion") == [(0,)]  # not yet
    # Without a criterion "environment", climate and environment weighs 0 %: the save is
    # refused until the justification FOA § 7-9 asks for is written.
    click(at, "setup:criteria:save")
    assert any("FOA § 7-9" in e.value for e in at.error)
    assert rows(empty_db, "SELECT count(*) FROM award_criterion") == [(0,)]
    at.text_area(key="setup:climate_justification").set_value(
        "Klima- og miljøkrav står som minstekrav i kravspesifikasjonen."
    )
    click(at, "setup:criteria:save")
    assert any(s.value.startswith("Lagret") for s in at.success)
    assert rows(empty_db, "SELECT id, name_nb, retired FROM award_criterion") == [
        ("quality", "Kvalitet", False)
    ]
    assert rows(
        empty_db, "SELECT node_id, weight FROM weight_profile_item WHERE node_kind = 'criterion'"
    ) == [("quality", 60.0)]
    assert editor(at, "criteria").value["id"].tolist() == ["quality"]


def test_problems_are_listed_before_anything_is_stored_and_the_edit_is_kept(empty_db):
    at = open_setup("en", "Award criteria")
    edit(
        at,
        "criteria",
        added_rows=[
            {"id": "quality", "name_nb": "Kvalitet", "name_en": "", "weight": 1.0},
            {"id": "quality", "name_nb": "Igjen", "name_en": "Again", "weight": 1.0},
        ],
    )
    click(at, "setup:criteria:save")
    assert [e.value for e in at.error] == ["The catalogue was not saved: 2 problem(s) to fix."]
    [problems] = [d.value for d in at.dataframe if "Problem" in d.value.columns]
    assert problems["Column"].tolist() == ["Name (English)", "Id"]
    assert problems["Row"].tolist() == [1, 2]
    assert rows(empty_db, "SELECT count(*) FROM award_criterion") == [(0,)]
    assert rows(empty_db, "SELECT count(*) FROM audit_log") == [(0,)]
    # The edit survives a visit to another page.
    at.switch_page("pages/overview.py").run()
    at.switch_page("pages/setup.py").run()
    open_tab(at, state.SETUP_TAB, "Award criteria")
    assert editor(at, "criteria").value["name_nb"].tolist() == ["Kvalitet", "Igjen"]


def demo_workbook(demo_db_template) -> bytes:
    con = connect(demo_db_template)
    try:
        return export_catalogue(con)
    finally:
        con.close()


def upload(at: AppTest, content: bytes) -> AppTest:
    at.file_uploader(key="setup:catalogue_upload").upload("katalog.xlsx", content).run()
    assert not at.exception, [e.value for e in at.exception]
    return click(at, "setup:catalogue_import")


def test_a_new_tender_takes_its_catalogue_from_a_workbook(empty_db, demo_db_template):
    at = upload(open_setup("en", "Award criteria"), demo_workbook(demo_db_template))
    assert any("The catalogue workbook is imported" in s.value for s in at.success)
    assert rows(empty_db, "SELECT count(*) FROM requirement") == [(52,)]
    assert len(editor(at, "categories").value) == 7


def test_a_bad_workbook_is_refused_with_its_problems_and_nothing_changes(
    empty_db, demo_db_template
):
    wb = load_workbook(io.BytesIO(demo_workbook(demo_db_template)))
    wb[SHEETS["requirements"]]["C4"] = "Z"
    out = io.BytesIO()
    wb.save(out)
    con = connect(empty_db)
    before = dump(con)
    con.close()
    at = upload(open_setup("en", "Award criteria"), out.getvalue())
    assert [e.value for e in at.error] == [
        "The file katalog.xlsx was not imported: 1 problem(s) to fix."
    ]
    [problems] = [d.value for d in at.dataframe if "Problem" in d.value.columns]
    assert problems[["Sheet", "Row", "Column"]].values.tolist() == [
        [SHEETS["requirements"], 4, "C"]
    ]
    con = connect(empty_db)
    try:
        assert dump(con) == before
    finally:
        con.close()


def test_a_price_line_is_added_and_logged_on_the_price_schedule_tab(empty_db):
    at = open_setup("en", "Price schedule")
    assert len(editor(at, "price_lines").value) == 0
    line = {
        "id": "lisens",
        "kind": "yearly",
        "is_option": False,
        "text_nb": "Lisens",
        "text_en": "Licence",
        "mandatory": True,
        "retired": False,
    }
    edit(at, "price_lines", added_rows=[line])
    click(at, "setup:price_lines:save")
    assert "Saved: 1 price lines added or changed." in [s.value for s in at.success]
    con = connect(empty_db)
    try:
        assert con.execute("SELECT id, kind, is_option, mandatory FROM price_line").fetchall() == [
            ("lisens", "yearly", False, True)
        ]
        logged = con.execute("SELECT action FROM audit_log WHERE entity = 'price_line'").fetchall()
    finally:
        con.close()
    assert logged == [("add",)]


def test_a_bad_price_line_is_refused_with_its_problem(empty_db):
    at = open_setup("en", "Price schedule")
    edit(
        at, "price_lines", added_rows=[{"id": "x", "kind": "yearly", "text_nb": "", "text_en": "X"}]
    )
    click(at, "setup:price_lines:save")
    assert any("problem(s) to fix" in e.value for e in at.error)
    con = connect(empty_db)
    try:
        assert con.execute("SELECT count(*) FROM price_line").fetchone() == (0,)
    finally:
        con.close()
