"""The page Krav and the upload on Leverandører, through AppTest as a user would click them."""

from __future__ import annotations

import hashlib
import re
from datetime import date

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from store import responses as store_responses
from store.db import connect
from tests.dbdump import dump
from tests.pages.test_pages import open_page
from tests.vendors.xlsx import (
    SHEET,
    as_filled,
    columns,
    every_requirement_answered,
    fill,
    rows,
    to_bytes,
)
from ui import state
from vendors import responses

PAGE = "pages/requirements.py"


def database(path) -> duckdb.DuckDBPyConnection:
    return connect(path)  # same process as the app: same configuration


def editor_key(at: AppTest) -> str:
    return at.data_editor[0].key


def edit(at: AppTest, *, edited_rows=None, added_rows=None) -> AppTest:
    at.session_state[editor_key(at)] = {
        "edited_rows": edited_rows or {},
        "added_rows": added_rows or [],
        "deleted_rows": [],
    }
    return at.run()


@pytest.mark.parametrize("language, title", [("nb", "Krav"), ("en", "Requirements")])
def test_the_page_renders_in_both_languages(read_only_demo_db, language, title):
    at = open_page(PAGE, language)
    assert at.title[0].value == title
    assert at.download_button[0].label.startswith(
        "Last ned kravspesifikasjonen" if language == "nb" else "Download the requirement"
    )
    table = at.data_editor[0].value
    con = database(read_only_demo_db)
    try:
        ids = [r[0] for r in con.execute("SELECT id FROM requirement").fetchall()]
    finally:
        con.close()
    assert sorted(table["id"]) == sorted(ids)
    assert list(table.index[:2]) == [1, 2]  # rows numbered as problems name them


def test_the_weights_choice_is_stored_as_a_setting(demo_db):
    at = open_page(PAGE)
    assert at.toggle(key=state.TEMPLATE_SHOW_WEIGHTS).value is True
    at.toggle(key=state.TEMPLATE_SHOW_WEIGHTS).set_value(False).run()
    assert not at.exception
    con = database(demo_db)
    try:
        assert not responses.export_template(con, actor="test").show_weights
        logged = con.execute(
            "SELECT old_value, new_value FROM audit_log WHERE entity = 'setting'"
            " AND entity_id = 'template_show_weights'"
        ).fetchall()
    finally:
        con.close()
    assert logged == [(None, '"false"')]
    at.switch_page(PAGE).run()
    assert at.toggle(key=state.TEMPLATE_SHOW_WEIGHTS).value is False


def test_an_edit_is_saved_as_a_new_version_and_logged(demo_db):
    at = open_page(PAGE)
    first = at.data_editor[0].value.iloc[0]
    edit(
        at,
        edited_rows={0: {"text_en": "UTF-8 everywhere, đ ŋ ŧ included."}},
        added_rows=[
            {
                "id": "LANG-15",
                "category_id": "LANG",
                "kind": "W",
                "text_nb": "Støtte for skoltesamisk tastatur.",
                "text_en": "Support for a Skolt Sámi keyboard.",
                "weight": 1.0,
                "retired": False,
            }
        ],
    )
    at.text_input(key=state.catalogue_reason(0)).input("Innspill fra høringen").run()
    at.button(key="requirements:save").click().run()
    assert not at.exception
    assert any("katalogversjon 2" in s.value for s in at.success)
    con = database(demo_db)
    try:
        text = con.execute(
            "SELECT text_en FROM requirement WHERE id = ?", [first["id"]]
        ).fetchone()[0]
        added = con.execute("SELECT kind, weight FROM requirement WHERE id = 'LANG-15'").fetchone()
        log = con.execute(
            "SELECT action, entity_id, reason FROM audit_log WHERE entity = 'requirement'"
            " AND actor <> 'demo' ORDER BY id"
        ).fetchall()
    finally:
        con.close()
    assert text == "UTF-8 everywhere, đ ŋ ŧ included."
    assert added == ("W", 1.0)
    assert log == [
        ("update", first["id"], "Innspill fra høringen"),
        ("add", "LANG-15", "Innspill fra høringen"),
    ]
    # A fresh editor on the saved catalogue.
    assert editor_key(at) == state.catalogue_editor(1, "nb")
    assert "LANG-15" in set(at.data_editor[0].value["id"])
    assert at.metric[0].value == "2"


def test_a_bad_edit_lists_its_problems_keeps_the_edit_and_changes_nothing(read_only_demo_db):
    at = open_page(PAGE)
    con = database(read_only_demo_db)
    before = dump(con)
    con.close()
    n = len(at.data_editor[0].value)
    edit(
        at,
        edited_rows={2: {"weight": -1.0}},
        added_rows=[
            {"id": "LANG-01", "category_id": "LANG", "kind": "W", "text_nb": "x", "retired": False}
        ],
    )
    at.button(key="requirements:save").click().run()
    assert not at.exception
    assert any("Ikke lagret: 3 feil" in e.value for e in at.error)
    problems = at.dataframe[1].value  # the editor first, then the problems
    assert list(problems.columns) == ["Rad", "Kolonne", "Feil"]
    assert problems.to_dict("records") == [
        {
            "Rad": 3,
            "Kolonne": "Vekt",
            "Feil": "Vekten må være et tall, null eller større, ikke «-1.0».",
        },
        {
            "Rad": n + 1,
            "Kolonne": "ID",
            "Feil": "ID-en «LANG-01» er brukt mer enn én gang (også i rad 1).",
        },
        {"Rad": n + 1, "Kolonne": "Tekst (engelsk)", "Feil": "Den engelske teksten er tom."},
    ]
    con = database(read_only_demo_db)
    try:
        assert dump(con) == before
    finally:
        con.close()
    # The edit is still there to be corrected.
    assert len(at.session_state[state.CATALOGUE_DRAFT]) == n + 1


def test_an_unsaved_edit_survives_a_visit_to_another_page(demo_db):
    at = open_page(PAGE)
    assert state.CATALOGUE_DRAFT not in at.session_state  # nothing to keep yet
    edit(at, edited_rows={1: {"text_nb": "Endret, men ikke lagret ennå."}})
    assert any("ikke er lagret" in c.value for c in at.caption)
    at.switch_page("pages/weights.py").run()
    assert not at.exception
    at.switch_page(PAGE).run()
    assert at.data_editor[0].value.loc[2, "text_nb"] == "Endret, men ikke lagret ennå."
    # Switching language keeps it too.
    at.session_state[state.LANGUAGE] = "en"
    at.run()
    assert at.data_editor[0].value.loc[2, "text_nb"] == "Endret, men ikke lagret ennå."
    at.button(key="requirements:save").click().run()
    con = database(demo_db)
    try:
        row = con.execute("SELECT text_nb FROM requirement WHERE id = 'LANG-02'").fetchone()
    finally:
        con.close()
    assert row == ("Endret, men ikke lagret ennå.",)


def test_discard_starts_again_from_the_saved_catalogue(read_only_demo_db):
    at = open_page(PAGE)
    original = at.data_editor[0].value.loc[2, "text_nb"]
    edit(at, edited_rows={1: {"text_nb": "Kladd"}})
    at.button(key="requirements:discard").click().run()
    assert at.data_editor[0].value.loc[2, "text_nb"] == original
    assert state.CATALOGUE_DRAFT not in at.session_state
    assert any("forkastet" in i.value for i in at.info)


# --- upload on Leverandører ---------------------------------------------------------------


def filled_workbook(demo_db, **changes) -> bytes:
    con = database(demo_db)
    try:
        template = responses.export_template(con, actor="test").data
    finally:
        con.close()
    wb = fill(template, every_requirement_answered())
    ws = wb[SHEET]
    col, row = columns(ws), rows(ws)
    for rid, value in changes.items():
        ws.cell(row[rid.replace("_", "-")], col["Answer (0–3)"]).value = value
    ws.cell(row["CAT-06"], col["Roadmap date"]).value = date(2027, 3, 1)
    return to_bytes(wb)


def upload(at: AppTest, offer: str, name: str, content: bytes, *, confirm: bool = True) -> AppTest:
    """Choose the offer, upload the file, check it, and (if it passes) press Import."""
    at.selectbox(key=state.IMPORT_OFFER).set_value(offer).run()
    uploader = at.file_uploader(key=state.import_upload(at.session_state[state.IMPORT_GENERATION]))
    uploader.upload(name, content).run()
    at.button(key="import:run").click().run()
    assert not at.exception
    if confirm and any(b.key == "import:confirm" for b in at.button):
        at.button(key="import:confirm").click().run()
        assert not at.exception
    return at


def test_a_re_import_shows_what_would_change_before_anything_is_stored(read_only_demo_db):
    con = database(read_only_demo_db)
    before = dump(con)
    resting = (
        con.execute(
            "SELECT count(*) FROM score WHERE offer_id = 'nordlys-1' AND requirement_id = 'LANG-04'"
        ).fetchone()[0]
        + con.execute(
            "SELECT count(*) FROM consensus"
            " WHERE offer_id = 'nordlys-1' AND requirement_id = 'LANG-04'"
        ).fetchone()[0]
    )
    con.close()
    # Nordlys's own stored answers and prices, with one answer changed.
    con = database(read_only_demo_db)
    answers = as_filled(store_responses.stored_answers(con, "nordlys-1"))
    answers["LANG-04"] = {**answers["LANG-04"], "answer": 0, "roadmap_date": None}
    template = responses.export_template(con, actor="test", offer_id="nordlys-1").data
    content = to_bytes(fill(template, answers, store_responses.stored_prices(con, "nordlys-1")))
    con.close()
    at = upload(open_page("pages/vendors.py", "en"), "nordlys-1", "n.xlsx", content, confirm=False)
    [info] = [i.value for i in at.info if "Nothing is stored until you press Import" in i.value]
    assert "round 1" in info
    assert any(f"{resting} score(s) or assessment(s)" in w.value for w in at.warning)
    changes = at.dataframe[0].value
    assert changes.values.tolist() == [["Answer", "LANG-04", "changed"]]
    con = database(read_only_demo_db)
    assert dump(con) == before  # nothing stored yet
    con.close()
    at.button(key="import:cancel").click().run()
    assert not any(b.key == "import:confirm" for b in at.button)
    con = database(read_only_demo_db)
    assert dump(con) == before
    con.close()


def test_a_workbook_made_for_another_offer_is_refused(read_only_demo_db):
    con = database(read_only_demo_db)
    template = responses.export_template(con, actor="test", offer_id="tindra-1").data
    before = dump(con)
    con.close()
    content = to_bytes(fill(template, every_requirement_answered()))
    at = upload(open_page("pages/vendors.py", "en"), "nordlys-1", "t.xlsx", content)
    assert at.dataframe[0].value["Problem"].tolist() == [
        "This workbook was sent to tindra for offer tindra-1; it cannot be imported for "
        "offer nordlys-1."
    ]
    con = database(read_only_demo_db)
    assert dump(con) == before
    con.close()


def test_an_accepted_file_replaces_the_answers(demo_db):
    content = filled_workbook(demo_db, CAT_06=1)
    at = upload(open_page("pages/vendors.py"), "nordlys-1", "nordlys.xlsx", content)
    [success] = at.success
    shown = re.sub(r"\\(.)", r"\1", success.value)  # a file name is shown as written
    assert "nordlys.xlsx er importert for Nordlys Konsortiedata AB" in shown
    assert hashlib.sha256(content).hexdigest() in success.value
    con = database(demo_db)
    try:
        row = con.execute(
            "SELECT answer, roadmap_date, file_sha256 FROM response"
            " WHERE offer_id = 'nordlys-1' AND requirement_id = 'CAT-06'"
        ).fetchone()
    finally:
        con.close()
    assert row == (1, date(2027, 3, 1), hashlib.sha256(content).hexdigest())


def test_a_refused_file_is_explained_row_by_row_and_changes_nothing(read_only_demo_db):
    con = database(read_only_demo_db)
    before = dump(con)
    con.close()
    content = filled_workbook(read_only_demo_db, LANG_01=None, LANG_04=7)
    at = upload(open_page("pages/vendors.py", "en"), "tindra-1", "tindra.xlsx", content)
    assert any(
        "tindra.xlsx was not imported: 2 problem(s)" in re.sub(r"\\(.)", r"\1", e.value)
        for e in at.error
    )
    table = at.dataframe[0].value
    assert list(table.columns) == ["Sheet", "Row", "Column", "Problem"]
    assert table.to_dict("records") == [
        {
            "Sheet": SHEET,
            "Row": 3,
            "Column": "G",
            "Problem": "Mandatory requirement LANG-01 has no answer.",
        },
        {
            "Sheet": SHEET,
            "Row": 6,
            "Column": "G",
            "Problem": "The answer must be 0, 1, 2 or 3, not 7.",
        },
    ]
    con = database(read_only_demo_db)
    try:
        assert dump(con) == before
    finally:
        con.close()
