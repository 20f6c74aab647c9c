"""Page Eksport: the working group records the award, edits a vendor's letter and saves it
(both logged), and downloads the vendor's files."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from analysis.award import decide
from tests.dbdump import dump_file, rows
from tests.pages.test_pages import ROOT, open_page, press
from ui import state


def open_export(language: str = "nb") -> AppTest:
    return open_page("pages/export.py", language, timeout=120)


def test_the_award_is_recorded_and_a_letter_edited_saved_and_downloaded(demo_db):
    at = open_export()
    assert at.title[0].value == "Eksport"
    assert any("arbeidsgruppa registrerer beslutningen her" in c.value for c in at.caption)
    assert any("Registrer tildelingsbeslutningen først" in i.value for i in at.info)
    (chosen,) = [s for s in at.selectbox if s.label == "Valgt tilbud"]
    assert chosen.value == "nordlys-1"
    assert "lanternfield-1" not in chosen.options
    before = dump_file(demo_db)
    chosen.set_value("tindra-1")
    press(at, "Registrer tildelingen")
    assert any("«tindra-1» er ikke først" in e.value for e in at.error)
    assert dump_file(demo_db) == before

    [s for s in at.selectbox if s.label == "Valgt tilbud"][0].set_value("nordlys-1")
    (reason,) = [t for t in at.text_area if t.label == "Hvorfor dette tilbudet velges (logges)"]
    reason.set_value("Først i den publiserte rangeringen")
    press(at, "Registrer tildelingen")
    assert "Tildelingen er registrert." in [s.value for s in at.success]
    assert rows(demo_db, "SELECT offer_id, reason FROM award") == [
        ("nordlys-1", "Først i den publiserte rangeringen")
    ]

    (vendor,) = [s for s in at.selectbox if s.label == "Leverandør"]
    vendor.set_value("tindra").run()
    (letter,) = [t for t in at.text_area if t.label == "Brevets tekst"]
    assert "Vi har besluttet å tildele kontrakten til Nordlys Konsortiedata AB." in letter.value
    assert "Der det valgte tilbudet var sterkere enn deres:" in letter.value
    letter.set_value(letter.value + "\n\nMed vennlig hilsen arbeidsgruppa")
    press(at, "Lagre brevet")
    assert "Brevet er lagret." in [s.value for s in at.success]
    saved = rows(demo_db, "SELECT vendor_id, language, body FROM award_letter")
    assert [(v, lang) for v, lang, _ in saved] == [("tindra", "nb")]
    assert saved[0][2].endswith("Med vennlig hilsen arbeidsgruppa")
    assert rows(
        demo_db,
        "SELECT entity, action FROM audit_log"
        " WHERE entity IN ('award', 'award_letter') ORDER BY id",
    ) == [("award", "create"), ("award_letter", "create")]

    (download,) = [d for d in at.get("download_button") if "tindra" in d.proto.label.lower()
                   or "Tindra" in d.proto.label]  # fmt: skip
    assert download.proto.label == "Last ned poengarket og brevet (Tindra Drift AS)"


def test_an_empty_tender_says_nothing_can_be_awarded_yet(empty_db):
    at = open_export("en")
    assert at.title[0].value == "Export"
    assert any("Nothing can be awarded yet" in i.value for i in at.info)
    assert any("Record the award decision first" in i.value for i in at.info)
    assert not [b for b in at.button if b.label == "Record the award"]


def test_where_roles_are_enforced_without_sign_in_nothing_can_be_changed_here(demo_db):
    from store import access
    from store.db import connect

    con = connect(demo_db)
    access.add_person(con, "admin@tffk.no", name="Aslak Admin", roles=["admin"], actor="oppsett")
    decide(con, "nordlys-1", reason="Først i rangeringen", actor="admin@tffk.no")
    con.close()
    at = open_export()
    assert not [b for b in at.button if b.label in ("Registrer tildelingen", "Lagre brevet")]
    (letter,) = [t for t in at.text_area if t.label == "Brevets tekst"]
    assert letter.disabled and "Nordlys Konsortiedata AB" in letter.value


def test_an_evaluator_scoring_price_blind_sees_no_award_and_no_files(read_only_demo_db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[state.LANGUAGE] = "en"
    at.session_state[state.EVALUATOR] = "marit"  # has not submitted
    at.run()
    at.switch_page("pages/export.py").run()
    assert not at.exception
    assert any("Prices are hidden" in i.value for i in at.info)
    assert not [s for s in at.selectbox if s.label == "Chosen offer"]
    assert not at.get("download_button")
