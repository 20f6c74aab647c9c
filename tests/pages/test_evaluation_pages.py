"""The Evaluering and Logg pages through AppTest: independence, scoring, consensus,
disagreement, the freeze and the log, checked against the demo files by hand."""

from __future__ import annotations

import statistics
from collections import defaultdict

import pytest
from scipy.stats import friedmanchisquare

from store import freeze
from tests.dbdump import plain, raw_edit, rows
from tests.pages.test_pages import array, chart, demo_rows, open_page, vendor_names
from ui import state

SECRET = "SECRET-ANNE-4711"
SECTIONS = ["scoring", "consensus", "disagreement", "model"]


def everything_shown(at) -> str:
    """Every element's content on the page and in the sidebar, tables included."""
    parts: list[str] = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None:
            parts.append(str(proto))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at.main)
    walk(at.sidebar)
    parts.extend(frame.value.to_string() for frame in at.dataframe)
    return "\n".join(parts)


def section(at, name):
    at.segmented_control(key=state.EVALUATION_SECTION).set_value(name).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def first_offer():
    names = vendor_names()
    return min(names, key=names.get)  # offers are listed by vendor name


@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_section_and_the_log_render(read_only_demo_db, language):
    at = open_page("pages/evaluation.py", language)
    assert at.title[0].value == ("Evaluering" if language == "nb" else "Evaluation")
    for name in SECTIONS:
        section(at, name)
    assert len(at.get("plotly_chart")) == 0  # the model section draws no chart
    section(at, "disagreement")
    assert len(at.get("plotly_chart")) == 2
    at.switch_page("pages/log.py").run()
    assert not at.exception
    assert at.title[0].value == ("Logg" if language == "nb" else "Log")
    assert at.dataframe


def test_the_evaluator_choice_is_self_declared_in_the_sidebar(read_only_demo_db):
    at = open_page("pages/overview.py")
    chooser = at.sidebar.selectbox(key=state.EVALUATOR)
    assert chooser.label == "Jeg er"
    assert set(chooser.options) >= {"Risten Márjá Eira", "Ikke evaluator (bare lesing)"}
    assert any("selverklært" in c.value for c in at.sidebar.caption)


def test_b_cannot_read_as_unsubmitted_scores_on_any_page(demo_db):
    raw_edit(
        demo_db,
        "INSERT INTO evaluator (id, name) VALUES ('anne', 'Anne'), ('bjorn', 'Bjørn')",
        "INSERT INTO impartiality_declaration (evaluator_id, declared_on, no_ties, recorded_by)"
        " VALUES ('anne', current_date, true, 'anne'), ('bjorn', current_date, true, 'bjorn')",
    )
    offer = first_offer()
    at = open_page("pages/evaluation.py")
    at.selectbox(key=state.EVALUATOR).set_value("anne").run()
    at.number_input(key=state.score_input("anne", offer, "LANG-04")).set_value(3).run()
    at.run()  # a save draws only the form's status again: draw it whole
    at.text_area(key=state.reason_input("anne", offer, "LANG-04")).input(SECRET).run()
    at.run()
    assert not at.exception
    assert rows(
        demo_db,
        "SELECT score, reason FROM score"
        " WHERE evaluator_id = 'anne' AND requirement_id = 'LANG-04'",
    ) == [(3.0, SECRET)]
    assert SECRET in everything_shown(at)  # Anne sees her own

    at.selectbox(key=state.EVALUATOR).set_value("bjorn").run()
    shown = []
    for name in SECTIONS:
        section(at, name)
        shown.append(everything_shown(at))
    section(at, "consensus")
    at.selectbox(key=state.CONSENSUS_REQUIREMENT).set_value("LANG-04").run()
    shown.append(everything_shown(at))
    section(at, "disagreement")
    caption = " ".join(c.value for c in at.caption)
    assert "4 evaluatorer" in caption and "Anne" not in caption
    at.switch_page("pages/log.py").run()
    shown.append(everything_shown(at))
    assert "skjult til evaluatoren har levert" in shown[-1]
    at.text_input(key=state.LOG_TEXT).input("SECRET").run()
    assert at.dataframe[0].value.empty
    assert all(SECRET not in text for text in shown)

    # And back as Anne, the log shows her the value.
    at.selectbox(key=state.EVALUATOR).set_value("anne").run()
    at.switch_page("pages/log.py").run()
    assert SECRET in everything_shown(at)


def test_scores_are_saved_as_one_goes_and_progress_follows(demo_db):
    weighted = sum(r["kind"] == "W" for r in demo_rows("requirements.csv"))
    mandatory = sum(r["kind"] == "M" for r in demo_rows("requirements.csv"))
    total = len(vendor_names()) * (weighted + mandatory)
    offer = first_offer()
    at = open_page("pages/evaluation.py")
    at.selectbox(key=state.EVALUATOR).set_value("marit").run()
    assert f"0 av {total} ferdig" in at.get("progress")[0].proto.text
    at.number_input(key=state.score_input("marit", offer, "LANG-04")).set_value(7).run()
    # A score without a reason is saved but does not count as done.
    assert rows(demo_db, "SELECT score FROM score WHERE evaluator_id = 'marit'") == [(7.0,)]
    assert f"0 av {total} ferdig" in at.get("progress")[0].proto.text
    at.run()  # a save draws only the form's status again: draw it whole
    at.text_area(key=state.reason_input("marit", offer, "LANG-04")).input("Krever oppsett").run()
    at.run()
    at.selectbox(key=state.outcome_input("marit", offer, "LANG-01")).set_value("met").run()
    at.run()
    at.text_area(key=state.reason_input("marit", offer, "LANG-01")).input("Sett i demo").run()
    assert not at.exception
    assert f"2 av {total} ferdig" in at.get("progress")[0].proto.text
    logged = rows(demo_db, "SELECT actor, entity FROM audit_log WHERE actor = 'marit' ORDER BY id")
    assert logged[0] == ("marit", "score") and ("marit", "mandatory_assessment") in logged
    assert at.button(key="evaluation:submit").disabled


def test_submitting_locks_the_scores(demo_db):
    offers = list(vendor_names())
    requirements = demo_rows("requirements.csv")
    with plain(demo_db) as con:
        con.executemany(
            "INSERT INTO score (evaluator_id, offer_id, requirement_id, score, reason)"
            " VALUES ('marit', ?, ?, 6, 'Vurdert')",
            [(o, r["id"]) for o in offers for r in requirements if r["kind"] == "W"],
        )
        con.executemany(
            "INSERT INTO mandatory_assessment (evaluator_id, offer_id, requirement_id, outcome,"
            " reason) VALUES ('marit', ?, ?, 'met', 'Vurdert')",
            [(o, r["id"]) for o in offers for r in requirements if r["kind"] == "M"],
        )
    at = open_page("pages/evaluation.py")
    at.selectbox(key=state.EVALUATOR).set_value("marit").run()
    assert at.button(key="evaluation:submit").disabled  # not confirmed yet
    at.checkbox(key=state.SUBMIT_CONFIRM).check().run()
    at.button(key="evaluation:submit").click().run()
    assert not at.exception
    assert rows(
        demo_db, "SELECT evaluator_id FROM evaluator_submission WHERE evaluator_id = 'marit'"
    )
    offer = first_offer()
    assert at.number_input(key=state.score_input("marit", offer, "LANG-04")).disabled
    assert any("levert" in s.value for s in at.success)


def test_the_consensus_meeting_proposes_the_median_and_saves_the_agreed_score(demo_db):
    offer, requirement = first_offer(), "LANG-05"
    raw_edit(
        demo_db,
        f"DELETE FROM consensus WHERE offer_id = '{offer}' AND requirement_id = '{requirement}'",
    )
    given = [
        float(r["score"])
        for r in demo_rows("scores.csv")
        if r["offer"] == offer and r["requirement"] == requirement
    ]
    at = open_page("pages/evaluation.py")
    section(at, "consensus")
    at.selectbox(key=state.CONSENSUS_REQUIREMENT).set_value(requirement).run()
    score_box = at.number_input(key=state.consensus_score_input(requirement, offer))
    assert score_box.value == statistics.median(given)
    at.text_input(key=state.consensus_reason_input(requirement, offer)).input(
        "Enige etter demonstrasjonen"
    )
    next(b for b in at.button if b.label == "Lagre de omforente poengene").click().run()
    assert not at.exception
    assert rows(
        demo_db,
        "SELECT score, reason FROM consensus WHERE offer_id = ? AND requirement_id = ?",
        [offer, requirement],
    ) == [(statistics.median(given), "Enige etter demonstrasjonen")]
    assert any("Lagret: 1." in s.value for s in at.success)


def test_an_agreed_material_deviation_is_saved_for_screening(demo_db):
    offer, requirement = first_offer(), "LANG-01"
    at = open_page("pages/evaluation.py")
    section(at, "consensus")
    at.selectbox(key=state.CONSENSUS_REQUIREMENT).set_value(requirement).run()
    at.selectbox(key=state.consensus_score_input(requirement, offer)).set_value(
        "material_deviation"
    )
    at.text_input(key=state.consensus_reason_input(requirement, offer)).input("Ikke UTF-8")
    next(b for b in at.button if b.label == "Lagre de omforente vurderingene").click().run()
    assert rows(
        demo_db,
        "SELECT outcome FROM mandatory_check WHERE offer_id = ? AND requirement_id = ?",
        [offer, requirement],
    ) == [("material_deviation",)]
    at.switch_page("pages/overview.py").run()
    assert any(vendor_names()[offer] in e.value for e in at.error)


def hand_category_w():
    """Kendall's W per category from the demo files, through scipy's Friedman test."""
    reqs = {r["id"]: r for r in demo_rows("requirements.csv") if r["kind"] == "W"}
    sums: dict[tuple[str, str, str], list[float]] = defaultdict(lambda: [0.0, 0.0])
    for row in demo_rows("scores.csv"):
        req = reqs[row["requirement"]]
        weight = float(req["weight"])
        key = (req["category"], row["evaluator"], row["offer"])
        sums[key][0] += weight * float(row["score"])
        sums[key][1] += weight
    result = {}
    for category in {r["category"] for r in reqs.values()}:
        evaluators = sorted({e for c, e, _ in sums if c == category})
        offers = sorted({o for c, _, o in sums if c == category})
        columns = [
            [sums[(category, e, o)][0] / sums[(category, e, o)][1] for e in evaluators]
            for o in offers
        ]
        chi2 = friedmanchisquare(*columns).statistic
        result[category] = chi2 / (len(evaluators) * (len(offers) - 1))
    return result


def test_disagreement_figures_match_the_demo_files(read_only_demo_db):
    at = open_page("pages/evaluation.py")
    section(at, "disagreement")
    heatmap = chart(at, 0)["data"][0]
    names = vendor_names()
    offer, requirement = first_offer(), "LANG-04"
    given = [
        float(r["score"])
        for r in demo_rows("scores.csv")
        if r["offer"] == offer and r["requirement"] == requirement
    ]
    z = array(heatmap["z"])
    row, col = heatmap["y"].index(names[offer]), heatmap["x"].index(requirement)
    assert z[row][col] == max(given) - min(given)

    import tomllib

    from tests.pages.test_pages import DEMO

    model = tomllib.loads((DEMO / "criteria.toml").read_text(encoding="utf-8"))
    category_names = {c["id"]: c["name_nb"] for c in model["category"]}
    bars = chart(at, 1)["data"][0]
    shown = dict(zip(bars["y"], array(bars["x"]).tolist(), strict=True))
    expected = hand_category_w()
    assert set(shown) == {category_names[c] for c in expected}
    for category, w in expected.items():
        assert shown[category_names[category]] == pytest.approx(w)


def test_freezing_on_the_page_then_a_weight_change_needs_a_reason(demo_db):
    at = open_page("pages/evaluation.py")
    section(at, "model")
    assert at.button(key="evaluation:freeze").disabled
    at.text_input(key=state.FREEZE_REASON).input("Før tilbudsåpning 3. mars")
    at.checkbox(key=state.FREEZE_CONFIRM).check().run()
    at.button(key="evaluation:freeze").click().run()
    assert not at.exception
    frozen = rows(demo_db, "SELECT fingerprint, reason FROM model_freeze")
    assert len(frozen) == 1 and frozen[0][1] == "Før tilbudsåpning 3. mars"

    at.switch_page("pages/overview.py").run()
    assert any(frozen[0][0][:12] in s.value and "stemmer" in s.value for s in at.success)

    at.switch_page("pages/weights.py").run()
    at.slider(key=state.criterion_slider("price")).set_value(35).run()
    at.button(key="weights:save").click().run()
    assert any("frosset" in e.value for e in at.error)
    weight = (
        "SELECT weight FROM weight_profile_item"
        " WHERE profile_name = 'Standard' AND node_id = 'price'"
    )
    assert rows(demo_db, weight) == [(30.0,)]

    at.text_input(key=state.MODEL_CHANGE_REASON).input("Rettet feil i prisvekten").run()
    at.button(key="weights:save").click().run()
    # Climate and environment is now 30 of 105: under 30 %, so FOA § 7-9 wants the
    # justification first.
    assert any("FOA § 7-9" in e.value for e in at.error)
    assert rows(demo_db, weight) == [(30.0,)]
    at.text_area(key=state.CLIMATE_JUSTIFICATION).input(
        "Klimakrav er dekket av kvalifikasjonskravene til drift."
    ).run()
    at.button(key="weights:save").click().run()
    assert rows(demo_db, weight) == [(35.0,)]
    history = rows(demo_db, "SELECT event, reason FROM model_fingerprint ORDER BY id")
    assert history == [
        ("freeze", "Før tilbudsåpning 3. mars"),
        ("change", "Rettet feil i prisvekten"),
    ]
    at.switch_page("pages/overview.py").run()
    assert any("endret 1 ganger" in w.value for w in at.warning)


def test_the_overview_shows_the_current_fingerprint(read_only_demo_db):
    from store.db import open_database

    con = open_database(read_only_demo_db)
    expected = freeze.current_fingerprint(con)[:12]
    con.close()
    at = open_page("pages/overview.py")
    assert any(expected in i.value and "Ikke frosset" in i.value for i in at.info)


def test_the_log_filters_and_shows_an_edit_made_outside_bibvalg(demo_db):
    at = open_page("pages/log.py")
    assert any("urørt" in s.value for s in at.success)
    everything = len(at.dataframe[0].value)
    at.multiselect(key=state.LOG_ENTITIES).select("weight_profile").run()
    profiles = rows(demo_db, "SELECT count(*) FROM weight_profile")[0][0]
    assert at.dataframe[0].value["Hva"].tolist() == ["Vektprofil"] * profiles
    assert f"Last ned {profiles} oppføringer som CSV" in [
        b.label for b in at.get("download_button")
    ]
    at.multiselect(key=state.LOG_ENTITIES).unselect("weight_profile").run()
    assert len(at.dataframe[0].value) == everything

    first = rows(demo_db, "SELECT min(id) FROM audit_log")[0][0]
    raw_edit(demo_db, f"UPDATE audit_log SET actor = 'someone' WHERE id = {first}")
    at.run()
    assert any(f"Oppføring {first} er endret" in e.value for e in at.error)


@pytest.mark.parametrize("page", ["pages/evaluation.py", "pages/log.py"])
def test_an_empty_tender_explains_itself(tmp_path, monkeypatch, page):
    from store.db import connect

    path = tmp_path / "empty.duckdb"
    connect(path).close()
    monkeypatch.setenv("BIBVALG_DB", str(path))
    at = open_page(page)
    assert any("ingen tilbud" in i.value or "tom" in i.value for i in at.info)


def test_the_measure_of_spread_redraws_the_heatmap_with_the_standard_deviation(read_only_demo_db):
    at = open_page("pages/evaluation.py")
    section(at, "disagreement")
    at.radio(key=state.SPREAD_MEASURE).set_value("std").run()
    assert not at.exception
    heatmap = chart(at, 0)["data"][0]
    offer, requirement = first_offer(), "LANG-04"
    given = [
        float(r["score"])
        for r in demo_rows("scores.csv")
        if r["offer"] == offer and r["requirement"] == requirement
    ]
    mean = sum(given) / len(given)
    by_hand = (sum((g - mean) ** 2 for g in given) / len(given)) ** 0.5  # over their number
    z = array(heatmap["z"])
    row, col = heatmap["y"].index(vendor_names()[offer]), heatmap["x"].index(requirement)
    assert abs(z[row][col] - by_hand) < 1e-9
    assert len(at.get("plotly_chart")) == 2  # Kendall's W still there
