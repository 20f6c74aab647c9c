"""The Språk page through AppTest, in Norwegian and English: the matrix with its evidence,
the chart with its table, a result entered and seen in the matrix and the log, the ranking
with the Sámi administrative area's weights, hidden while prices are."""

from __future__ import annotations

import re
from contextlib import closing

from streamlit.testing.v1 import AppTest

from analysis.ranking import profile_evaluation
from store.db import connect
from tests.dbdump import rows
from tests.pages.test_pages import ROOT, chart, open_page, press, vendor_names
from ui import state


def matrix_cell(at: AppTest, vendor: str, aspect: str) -> str:
    """The matrix's cell for an offer (a column) and aspect (a row), as shown."""
    return at.table[0].value.loc[aspect, vendor]


def open_as_marit(page: str, language: str) -> AppTest:
    """``page`` as Marit sees it: an evaluator in the demo who has not submitted."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state[state.LANGUAGE] = language
    at.session_state[state.EVALUATOR] = "marit"
    at.run()
    at.switch_page(page).run()
    return at


def test_the_page_in_norwegian_shows_the_matrix_chart_and_ranking(read_only_demo_db):
    at = open_page("pages/languages.py")
    assert at.title[0].value == "Språk"
    assert [s.value for s in at.subheader] == [
        "Språktestsettet",
        "Hva som virker, språk for språk",
        "Tilbudene på språk alene",
        "Registrer et testresultat",
        "Rangeringen med vektene til samisk forvaltningsområde",
    ]
    # Northern Sámi first. Fjellbok: the kit's folding check failed, LANG-04 agreed 4 of 10.
    assert matrix_cell(at, "Fjellbok Systemer AS", "Søkefolding") == (
        "🟡 Delvis – LANG-04 omforent: 4 av 10; testsett: 0 av 1 bestått, 1 feilet"
    )
    assert matrix_cell(at, "Fjellbok Systemer AS", "Lagring").startswith(
        "🟡 Delvis – LANG-01 omforent: Oppfylt"
    )
    bars = chart(at)["data"]
    assert [b["name"] for b in bars] == [
        "Omforente LANG-poeng (0–10)",
        "Bestått i testsettet (av 10)",
    ]
    # The chart's numbers are in the table beside it: Čuovga passed 55 of the 56 checks.
    numbers = next(d.value for d in at.dataframe if "Bestått" in d.value.columns)
    cuovga = numbers[numbers["Leverandør"] == "Čuovga Bibliotekdata AS"].iloc[0]
    assert (cuovga["Bestått"], cuovga["Sjekker i testsettet"]) == (55, 56)
    # The leader under the Sámi area group's own profile, as the ranking module gives it.
    with closing(connect(read_only_demo_db)) as con:
        leader = profile_evaluation(con, "Samisk forvaltningsområde").rank.idxmin()
        vendor = vendor_names()[leader]
    assert any(
        "«Samisk forvaltningsområde»" in m.value and f"rangeres **{vendor}** først" in m.value
        for m in at.markdown
    )


def test_the_page_in_english(read_only_demo_db):
    at = open_page("pages/languages.py", "en")
    assert at.title[0].value == "Languages"
    assert "Exact-letter search" in at.table[0].value.index
    assert at.get("download_button")[0].proto.label == "Download the language test kit (zip)"


def test_a_result_entered_is_stored_logged_and_shown_in_the_matrix(demo_db):
    at = open_page("pages/languages.py")
    before = matrix_cell(at, "Tindra Drift AS", "Eksakt bokstavsøk")
    assert before.endswith("testsett: ikke testet ennå (sjekker: 1)")
    at.selectbox(key=state.LANGUAGES_OFFER).set_value("tindra-1")
    at.selectbox(key=state.LANGUAGES_CHECK).set_value("sme-exact")
    at.radio(key=state.LANGUAGES_OUTCOME).set_value("fail")
    at.text_area(key=state.LANGUAGES_NOTE).set_value("Fant også bibvalg-sme-folded")
    press(at, "Lagre resultatet")
    assert any("sme-exact" in s.value for s in at.success)
    after = matrix_cell(at, "Tindra Drift AS", "Eksakt bokstavsøk")
    assert after == "🟡 Delvis – LANG-03 omforent: Oppfylt; testsett: 0 av 1 bestått, 1 feilet"
    assert rows(
        demo_db,
        "SELECT outcome, note, recorded_by FROM language_result"
        " WHERE offer_id = 'tindra-1' AND check_id = 'sme-exact'",
    ) == [("fail", "Fant også bibvalg-sme-folded", "app")]
    assert rows(
        demo_db,
        "SELECT entity, entity_id FROM audit_log ORDER BY id DESC LIMIT 1",
    ) == [("language_result", "tindra-1/sme-exact")]


def test_while_prices_are_hidden_the_matrix_shows_and_the_ranking_does_not(read_only_demo_db):
    at = open_as_marit("pages/languages.py", "en")
    assert not at.exception
    assert "Storage" in at.table[0].value.index
    assert any("Prices are hidden" in i.value for i in at.info)
    assert not any("ranks first" in m.value for m in at.markdown)


def test_the_kits_results_stand_beside_the_lang_requirements_in_scoring_and_consensus(
    read_only_demo_db,
):
    at = open_as_marit("pages/evaluation.py", "nb")
    at.selectbox(key=state.SCORING_OFFER).set_value("fjellbok-1").run()
    at.selectbox(key=state.SCORING_CATEGORY).set_value("LANG").run()
    assert not at.exception
    # LANG-04 (folding): Fjellbok's demo results, counted by hand from language_results.csv:
    # sme-, smj-, sma-, fin-, fkv-, smn- and sms-folded; three failed, fin-folded not tested.
    shown = [re.sub(r"\\(.)", r"\1", c.value) for c in at.caption]  # Markdown escapes undone
    lines = [line for line in shown if "Språktestsettet:" in line]
    assert any(
        "Språktestsettet: 3 av 7 sjekker bestått, 3 feilet, 0 med merknad." in line
        for line in lines
    ), lines
    at.segmented_control(key=state.EVALUATION_SECTION).set_value("consensus").run()
    at.selectbox(key=state.CONSENSUS_REQUIREMENT).set_value("LANG-04").run()
    assert not at.exception
    (kit,) = [e for e in at.expander if e.label == "Resultater fra språktestsettet for LANG-04"]
    assert "Fjellbok Systemer AS" in kit.markdown[0].value
