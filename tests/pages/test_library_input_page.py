"""Page Innspill: who has answered (the demo: 38 answered, 6 sent, 2 not sent), what the
libraries said, a workbook made (the library recorded as sent) and a proposal declined."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.dbdump import rows
from tests.pages.test_pages import chart, open_page, open_tab, press
from ui import state


def open_input(language: str = "nb") -> AppTest:
    return open_page("pages/library_input.py", language, timeout=120)


def on_tab(at: AppTest, label: str) -> AppTest:
    return open_tab(at, state.INPUT_TAB, label)


def test_the_page_shows_who_has_answered_and_what_they_said_in_norwegian(read_only_demo_db):
    at = open_input()
    assert at.title[0].value == "Innspill"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"svart": "38", "sendt": "6", "ikke sendt": "2"}
    regions = chart(at, 0)["data"]
    assert [trace["name"] for trace in regions] == ["svart", "sendt", "ikke sendt"]
    waiting = [m.value for m in at.markdown if m.value.startswith("**Finnmark**")]
    assert waiting and "Hasvik" in waiting[0] and "Loppa" in waiting[0]
    on_tab(at, "Hva bibliotekene sa")
    assert any("38 av 46 bibliotek har svart" in c.value for c in at.caption)
    (group_by,) = at.radio
    assert group_by.value == "kind"
    group_by.set_value("sami_area").run()
    assert not at.exception
    item_chart = chart(at, 0)
    assert [t["name"] for t in item_chart["data"]][0] == "0 ikke nødvendig"
    assert any(t == "Kategori eller krav" for t in (s.label for s in at.selectbox))


def test_a_workbook_is_made_and_a_proposal_declined_and_both_are_stored(demo_db):
    at = on_tab(open_input(), "Arbeidsbøker")
    before = rows(demo_db, "SELECT count(*) FROM library_input_sent")[0][0]
    (library,) = [s for s in at.selectbox if s.label == "Bibliotek"]
    library.set_value("hasvik-folkebibliotek").run()
    press(at, "Lag arbeidsboka til dette biblioteket")
    assert any("registrert som sendt" in s.value for s in at.success)
    assert rows(demo_db, "SELECT count(*) FROM library_input_sent")[0][0] == before + 1
    assert rows(
        demo_db, "SELECT how FROM library_input_sent WHERE library_id = 'hasvik-folkebibliotek'"
    ) == [("template",)]
    downloads = [d.proto.label for d in at.get("download_button")]
    assert "Last ned hasvik-folkebibliotek.xlsx" in downloads

    on_tab(at, "Foreslåtte krav")
    (proposal,) = [s for s in at.selectbox if s.label == "Forslag"]
    first = proposal.value
    (why,) = [t for t in at.text_area if t.label == "Hvorfor det avslås (lagres og logges)"]
    why.set_value("Dekkes av LANG-09")
    press(at, "Avslå")
    assert "Forslaget er avslått." in [s.value for s in at.success]
    assert rows(
        demo_db, "SELECT status, reason FROM library_proposal WHERE id = ?", [int(first)]
    ) == [("declined", "Dekkes av LANG-09")]


def test_the_page_in_english(read_only_demo_db):
    at = open_input("en")
    assert at.title[0].value == "Input"
    assert {m.label for m in at.metric} == {"answered", "sent", "not sent"}
    on_tab(at, "What the libraries said")
    assert any("The ten items whose highest and lowest" in c.value for c in at.caption)


def test_an_empty_tender_shows_the_page_without_failing(tmp_path, monkeypatch):
    from store.db import connect

    path = tmp_path / "empty.duckdb"
    connect(path).close()
    monkeypatch.setenv("BIBVALG_DB", str(path))
    at = open_input()
    assert {m.label: m.value for m in at.metric} == {"svart": "0", "sendt": "0", "ikke sendt": "0"}
    on_tab(at, "Hva bibliotekene sa")
    assert "Ingen bibliotek har vurdert noe ennå." in [i.value for i in at.info]
