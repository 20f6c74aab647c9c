"""An evaluator's offline scoring workbook: made after the opening for one evaluator,
filled in as an evaluator would, and imported all or nothing: every value typed in is
stored, and a bad workbook is refused with every problem placed by sheet, row and column,
the database left exactly as it was."""

from __future__ import annotations

import io
import shutil
from datetime import date

import pytest
from openpyxl import load_workbook

from scoring.scales import MANDATORY_OUTCOMES
from store import evaluation, evaluators, freeze, offline_scores, opening
from store.db import connect
from store.errors import NotDeclared, OffersNotOpen, ScoresSubmitted, UnknownEvaluator
from tender_files import score_workbook as sw
from tests.dbdump import dump, refused_unchanged

SCORES, MANDATORY = sw.SHEET_SCORES, sw.SHEET_MANDATORY
VALUE, REASON = sw.LETTERS["value"], sw.LETTERS["reason"]


def add_evaluator(con, evaluator, *, declared=True):
    evaluators.add_evaluator(con, evaluator, name=evaluator.title(), actor="test")
    if declared:
        evaluators.declare_impartiality(
            con, evaluators.Declaration(evaluator, date.today(), no_ties=True), actor=evaluator
        )


def open_with_evaluators(con):
    """The demo tender after the freeze and the opening, with two new evaluators."""
    freeze.freeze_model(con, actor="test")
    opening.open_offers(con, actor="test")
    add_evaluator(con, "anne")
    add_evaluator(con, "bjorn")
    return con


@pytest.fixture
def opened(con):
    return open_with_evaluators(con)


@pytest.fixture(scope="module")
def blank(demo_db_template, tmp_path_factory):
    """Anne's workbook as made before she has saved anything (the same in every ``opened``)."""
    path = tmp_path_factory.mktemp("blank") / "demo.duckdb"
    shutil.copy(demo_db_template, path)
    con = connect(path)
    try:
        return workbook_for(open_with_evaluators(con))
    finally:
        con.close()


def workbook_for(con, evaluator="anne") -> bytes:
    return sw.score_workbook_bytes(offline_scores.template_data(con, evaluator))


def filled(data: bytes, *changes) -> bytes:
    """The workbook after each ``change(wb)``, saved as a spreadsheet program would."""
    wb = load_workbook(io.BytesIO(data))
    for change in changes:
        change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row_of(ws, offer, requirement) -> int:
    for number in range(sw.FIRST_ROW, ws.max_row + 1):
        if (ws[f"A{number}"].value, ws[f"C{number}"].value) == (offer, requirement):
            return number
    raise AssertionError(f"no row for {offer} {requirement}")


def type_in(sheet, offer, requirement, value, reason=None):
    """``change`` for ``filled``: type a value (and a reason) into one row."""

    def change(wb):
        ws = wb[sheet]
        number = row_of(ws, offer, requirement)
        ws[f"{VALUE}{number}"] = value
        if reason is not None:
            ws[f"{REASON}{number}"] = reason

    return change


def import_(con, data, evaluator="anne"):
    parsed = sw.read_score_workbook(
        data, evaluator=evaluator, facts=offline_scores.tender_facts(con)
    )
    return offline_scores.import_entries(
        con,
        evaluator=evaluator,
        scores=parsed.scores,
        assessments=parsed.assessments,
        actor=evaluator,
        file_name="anne.xlsx",
        sha256=parsed.sha256,
        found=parsed.problems,
    )


def refused(con, data, evaluator="anne"):
    with refused_unchanged(con, offline_scores.OfflineScoresRefused) as caught:
        import_(con, data, evaluator)
    return [(p.sheet, p.row, p.column, p.message) for p in caught.value.problems]


def save(con, evaluator, offer, requirement, value, reason):
    """A score (a number) or an assessment (an outcome) saved in the app, by the evaluator."""
    target = {
        "evaluator": evaluator,
        "offer": offer,
        "requirement": requirement,
        "reason": reason,
        "actor": evaluator,
    }
    if isinstance(value, str):
        evaluation.save_assessment(con, outcome=value, **target)
    else:
        evaluation.save_score(con, score=value, **target)


def stored_score(con, evaluator, offer, requirement):
    return con.execute(
        "SELECT score, reason FROM score WHERE evaluator_id = ? AND offer_id = ?"
        " AND requirement_id = ?",
        [evaluator, offer, requirement],
    ).fetchone()


# --- out -------------------------------------------------------------------------------


def test_the_workbook_holds_every_weighted_and_mandatory_requirement_of_every_offer(blank):
    wb = load_workbook(io.BytesIO(blank))
    assert wb.sheetnames == [sw.SHEET_INSTRUCTIONS, SCORES, MANDATORY, sw.SHEET_META]
    offers = 5  # demo/data/vendors.toml
    assert wb[SCORES].max_row - sw.HEADER_ROW == offers * 31
    assert wb[MANDATORY].max_row - sw.HEADER_ROW == offers * 21
    header = [c.value for c in wb[SCORES][sw.HEADER_ROW]]
    assert header[0] == "Tilbud / Offer"
    assert header[sw.KEYS.index("value")] == "Poeng (0–10) / Score (0–10)"
    assert header[sw.KEYS.index("reason")] == "Begrunnelse / Reason"
    assert wb[MANDATORY][f"{VALUE}{sw.HEADER_ROW}"].value == "Vurdering / Assessment"
    ws = wb[SCORES]
    row = row_of(ws, "cuovga-1", "LANG-04")
    assert ws[f"G{row}"].value == 3  # the vendor's own answer, demo/data/responses
    assert ws[f"{VALUE}{row}"].value is None


def test_only_the_answer_cells_are_open_and_they_are_validated(blank):
    wb = load_workbook(io.BytesIO(blank))
    for name in (SCORES, MANDATORY):
        ws = wb[name]
        assert ws.protection.sheet
        for cell in ws[sw.FIRST_ROW]:
            key = sw.KEYS[cell.column - 1]
            assert cell.protection.locked == (key not in ("value", "reason")), key
        hidden = [k for k in sw.KEYS if ws.column_dimensions[sw.LETTERS[k]].hidden]
        assert hidden == ["made_value", "made_reason"]
    assert wb.security.lockStructure
    (scores,) = wb[SCORES].data_validations.dataValidation
    assert (scores.type, scores.operator, scores.formula1, scores.formula2) == (
        "decimal",
        "between",
        "0",
        "10",
    )
    assert str(scores.sqref) == f"{VALUE}3:{VALUE}{2 + 5 * 31}"
    (outcomes,) = wb[MANDATORY].data_validations.dataValidation
    assert outcomes.type == "list"
    assert outcomes.formula1 == '"' + ",".join(MANDATORY_OUTCOMES) + '"'
    assert outcomes.formula1 == '"met,not_met,material_deviation"'


def test_the_workbook_is_marked_with_its_evaluator(blank):
    wb = load_workbook(io.BytesIO(blank))
    meta = wb[sw.SHEET_META]
    assert meta.sheet_state == "veryHidden"
    marks = {r[0]: r[1] for r in meta.iter_rows(values_only=True)}
    assert marks["evaluator"] == "anne" and marks["format"] == sw.FORMAT


def test_it_is_filled_in_with_the_evaluators_own_saved_values_only(opened):
    save(opened, "anne", "cuovga-1", "LANG-04", 6.5, "God samisk støtte")
    save(opened, "bjorn", "cuovga-1", "LANG-05", 2, "Bjørns hemmelighet")
    save(opened, "anne", "cuovga-1", "LANG-01", "not_met", "Mangler")
    wb = load_workbook(io.BytesIO(workbook_for(opened)))
    ws = wb[SCORES]
    row = row_of(ws, "cuovga-1", "LANG-04")
    assert (ws[f"{VALUE}{row}"].value, ws[f"{REASON}{row}"].value) == (6.5, "God samisk støtte")
    row = row_of(ws, "cuovga-1", "LANG-05")
    assert ws[f"{VALUE}{row}"].value is None and ws[f"{REASON}{row}"].value is None
    mandatory = wb[MANDATORY]
    row = row_of(mandatory, "cuovga-1", "LANG-01")
    assert mandatory[f"{VALUE}{row}"].value == "not_met"
    texts = [c for r in ws.iter_rows(values_only=True) for c in r]
    assert "Bjørns hemmelighet" not in texts


def test_no_workbook_before_the_opening(con):
    add_evaluator(con, "anne")
    with pytest.raises(OffersNotOpen):
        offline_scores.template_data(con, "anne")


def test_no_import_before_the_opening(con, blank):
    add_evaluator(con, "anne")
    with refused_unchanged(con, OffersNotOpen):
        import_(con, filled(blank, _first(SCORES, "value", 5)))


@pytest.mark.parametrize(
    ("evaluator", "error"),
    [("ingen", UnknownEvaluator), ("ingrid", ScoresSubmitted), ("udeklarert", NotDeclared)],
)
def test_no_workbook_for_an_evaluator_who_may_not_score(opened, evaluator, error):
    add_evaluator(opened, "udeklarert", declared=False)
    with pytest.raises(error):
        offline_scores.template_data(opened, evaluator)  # ingrid: submitted in the demo


# --- in ----------------------------------------------------------------------------------


def test_what_the_evaluator_types_in_is_what_is_stored(opened, blank):
    typed = [
        (SCORES, "cuovga-1", "LANG-04", 7, "Nordsamisk og lulesamisk i grensesnittet"),
        (SCORES, "nordlys-1", "LANG-04", 4.5, "Bare nordsamisk"),
        (SCORES, "tindra-1", "CAT-04", "7,5", "Tekst med komma"),
        (SCORES, "fjellbok-1", "OPS-06", 0, ""),
        (MANDATORY, "cuovga-1", "LANG-01", "met", "Dokumentert i vedlegg 3"),
        (MANDATORY, "tindra-1", "OPS-01", "Material_Deviation", "Ingen drift i Norge"),
    ]
    data = filled(blank, *(type_in(*row) for row in typed))
    result = import_(opened, data)
    assert (result.scores_written, result.assessments_written) == (4, 2)
    assert result.empty == 5 * 31 + 5 * 21 - 6
    scores = evaluation.scores(opened, viewer="anne")
    columns = ["offer_id", "requirement_id", "score", "reason"]
    mine = scores.loc[scores["evaluator_id"] == "anne", columns]
    assert sorted(mine.itertuples(index=False, name=None)) == [
        ("cuovga-1", "LANG-04", 7.0, "Nordsamisk og lulesamisk i grensesnittet"),
        ("fjellbok-1", "OPS-06", 0.0, ""),
        ("nordlys-1", "LANG-04", 4.5, "Bare nordsamisk"),
        ("tindra-1", "CAT-04", 7.5, "Tekst med komma"),
    ]
    assessed = evaluation.assessments(opened, viewer="anne")
    mine = assessed.loc[assessed["evaluator_id"] == "anne", columns[:2] + ["outcome"]]
    assert sorted(mine.itertuples(index=False, name=None)) == [
        ("cuovga-1", "LANG-01", "met"),
        ("tindra-1", "OPS-01", "material_deviation"),
    ]
    log = opened.execute(
        "SELECT entity, action, actor, entity_id FROM audit_log"
        " WHERE entity IN ('score', 'mandatory_assessment', 'score_workbook') ORDER BY id"
    ).fetchall()
    assert [(e, a, who) for e, a, who, _ in log] == [("score", "create", "anne")] * 4 + [
        ("mandatory_assessment", "create", "anne")
    ] * 2 + [("score_workbook", "import", "anne")]
    assert {entity_id.split("/")[0] for *_, entity_id in log} == {"anne"}


def test_the_same_file_twice_changes_nothing_the_second_time(opened, blank):
    data = filled(blank, type_in(SCORES, "cuovga-1", "LANG-04", 8, "Svært god"))
    import_(opened, data)
    before = dump(opened)
    result = import_(opened, data)
    assert (result.scores_written, result.unchanged) == (0, 1)
    assert dump(opened) == before


def test_a_changed_score_is_written_as_an_update(opened):
    save(opened, "anne", "cuovga-1", "LANG-04", 5, "Foreløpig")
    data = filled(workbook_for(opened), type_in(SCORES, "cuovga-1", "LANG-04", 9, "Etter demo"))
    assert import_(opened, data).scores_written == 1
    assert stored_score(opened, "anne", "cuovga-1", "LANG-04") == (9.0, "Etter demo")
    (action,) = opened.execute(
        "SELECT action FROM audit_log WHERE entity = 'score' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert action == "update"


def assert_kept(con, data, *, written, stored):
    """Importing ``data`` writes ``written`` scores and keeps anne's stored score for
    cuovga-1 and LANG-04, which is ``stored`` (score, reason) afterwards."""
    result = import_(con, data)
    assert (result.scores_written, result.kept) == (written, 1)
    assert stored_score(con, "anne", "cuovga-1", "LANG-04") == stored


def test_an_emptied_cell_keeps_the_stored_score(opened):
    save(opened, "anne", "cuovga-1", "LANG-04", 6, "Lagret i appen")
    data = filled(workbook_for(opened), type_in(SCORES, "cuovga-1", "LANG-04", None, ""))
    assert_kept(opened, data, written=0, stored=(6.0, "Lagret i appen"))


def test_a_score_saved_in_the_app_after_the_workbook_was_made_is_kept(opened, blank):
    data = filled(blank, type_in(SCORES, "nordlys-1", "LANG-04", 3, "Svak"))
    save(opened, "anne", "cuovga-1", "LANG-04", 8, "Lagt inn i appen etterpå")
    assert_kept(opened, data, written=1, stored=(8.0, "Lagt inn i appen etterpå"))


def test_a_row_changed_both_here_and_in_the_app_is_refused(opened, blank):
    data = filled(blank, type_in(SCORES, "cuovga-1", "LANG-04", 3, "I toget"))
    save(opened, "anne", "cuovga-1", "LANG-04", 8, "I appen")
    row = row_of(load_workbook(io.BytesIO(data))[SCORES], "cuovga-1", "LANG-04")
    problems = refused(opened, data)
    assert [(s, r, c) for s, r, c, _ in problems] == [(SCORES, row, VALUE)]
    assert "changed both here and in bibvalg" in problems[0][3]


def _set(sheet, cell, value):
    def change(wb):
        wb[sheet][cell] = value

    return change


def _first(sheet, key, value):
    return _set(sheet, f"{sw.LETTERS[key]}{sw.FIRST_ROW}", value)


def _duplicate(wb):
    ws = wb[SCORES]
    for key in ("offer", "requirement"):
        ws[f"{sw.LETTERS[key]}4"] = ws[f"{sw.LETTERS[key]}3"].value


def _changed_marks(wb):
    wb[sw.SHEET_META]["B4"] = "offer,requirement,value,reason"  # the columns


ROW = sw.FIRST_ROW


def _in_first_row(sheet, key, value, column, message):
    """``value`` typed into the first row's ``key`` cell, and the problem it should raise:
    on that sheet and row, in ``column``, with ``message``."""
    return _first(sheet, key, value), (sheet, ROW, column, message)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        _in_first_row(SCORES, "value", 11, VALUE, "The score must be from 0 to 10, not {value}."),
        _in_first_row(SCORES, "value", -0.5, VALUE, "The score must be from 0 to 10, not {value}."),
        _in_first_row(
            SCORES, "value", "sju", VALUE, "The score must be a number from 0 to 10, not “{value}”."
        ),
        _in_first_row(
            SCORES, "value", True, VALUE, "The score must be a number from 0 to 10, not “{value}”."
        ),
        _in_first_row(
            MANDATORY,
            "value",
            "kanskje",
            VALUE,
            "Unknown assessment “{value}”: choose met, not_met or material_deviation.",
        ),
        _in_first_row(
            SCORES,
            "requirement",
            "LANG-99",
            "C",
            "The requirement “{id}” is not in the tender (unknown, or retired).",
        ),
        # a mandatory requirement on the scores sheet
        _in_first_row(
            SCORES,
            "requirement",
            "LANG-01",
            "C",
            "{id} is not a weighted requirement; only weighted requirements are scored.",
        ),
        # a weighted requirement on the mandatory sheet
        _in_first_row(
            MANDATORY, "requirement", "LANG-04", "C", "{id} is not a mandatory requirement."
        ),
        _in_first_row(SCORES, "offer", "spøkelse-1", "A", "The offer “{id}” is not in the tender."),
        (
            _duplicate,
            (
                SCORES,
                4,
                "C",
                "Offer {offer} and requirement {id} appear more than once (first in row {first}).",
            ),
        ),
        _in_first_row(
            SCORES,
            "value",
            "=5+5",
            VALUE,
            "The cell holds a formula ({formula}); write the value itself.",
        ),
        _in_first_row(
            SCORES,
            "reason",
            "Begrunnelse uten poeng",
            VALUE,
            "This row has a reason but no score; write the score too.",
        ),
        _in_first_row(
            MANDATORY,
            "reason",
            "Begrunnelse uten vurdering",
            VALUE,
            "This row has a reason but no assessment; choose one too.",
        ),
        _in_first_row(
            SCORES,
            "made_value",
            "fire",
            sw.LETTERS["made_value"],
            "The hidden cell with what was saved when the workbook was made has been "
            "changed. Make a new workbook.",
        ),
        (
            _set(SCORES, "P3", "notat"),
            (
                SCORES,
                ROW,
                "P",
                "There is something in a cell outside the table: “{value}”.",
            ),
        ),
        (
            _changed_marks,
            (
                "",
                None,
                "",
                "The hidden sheet “{sheet}” has been changed, so the workbook cannot be "
                "matched to an evaluator. Make a new one.",
            ),
        ),
    ],
)
def test_a_bad_workbook_is_refused_with_its_problem(opened, blank, change, expected):
    valid = type_in(SCORES, "nordlys-1", "LANG-05", 6, "Gyldig rad")
    assert refused(opened, filled(blank, valid, change)) == [expected]


def test_every_problem_is_listed_at_once(opened, blank):
    data = filled(
        blank,
        _first(SCORES, "value", 12),
        _first(MANDATORY, "value", "ja"),
        _set(SCORES, f"{VALUE}5", "fem"),
        type_in(SCORES, "cuovga-1", "LANG-04", 3, "I toget"),
    )
    save(opened, "anne", "cuovga-1", "LANG-04", 8, "I appen")
    row = row_of(load_workbook(io.BytesIO(data))[SCORES], "cuovga-1", "LANG-04")
    assert [(s, r, c) for s, r, c, _ in refused(opened, data)] == [
        (SCORES, ROW, VALUE),
        (SCORES, 5, VALUE),
        (SCORES, row, VALUE),
        (MANDATORY, ROW, VALUE),
    ]


def test_a_workbook_made_for_another_evaluator_is_refused(opened):
    data = filled(workbook_for(opened, "bjorn"), _first(SCORES, "value", 5))
    assert refused(opened, data, "anne") == [
        (
            "",
            None,
            "",
            "The workbook was made for the evaluator “{marked}”, not for “{evaluator}”. "
            "An evaluator imports only their own workbook.",
        )
    ]


@pytest.mark.parametrize("data", [b"offer,requirement,score\ncuovga-1,LANG-04,7\n", b""])
def test_a_file_that_is_not_a_workbook_is_refused(opened, data):
    (problem,) = refused(opened, data)
    assert problem[3].startswith("The file is not an Excel workbook")


def test_a_workbook_that_is_not_a_scoring_workbook_is_refused(opened, template):
    (problem,) = refused(opened, template)  # the vendors' requirement specification
    assert problem[3].startswith("The workbook is not a scoring workbook from bibvalg")


def test_a_retired_undeclared_or_submitted_evaluator_is_refused(opened, blank):
    data = filled(blank, _first(SCORES, "value", 5))
    evaluators.retire_evaluator(opened, "anne", reason="Sluttet", actor="test")
    add_evaluator(opened, "carl", declared=False)
    before = dump(opened)
    with pytest.raises(NotDeclared):
        import_(opened, data)
    with pytest.raises(NotDeclared):
        import_(opened, data, "carl")
    with pytest.raises(ScoresSubmitted):
        import_(opened, data, "ingrid")
    assert dump(opened) == before


def test_a_complete_workbook_can_be_submitted(opened, blank):
    def everything(wb):
        for name, value in ((SCORES, 6), (MANDATORY, "met")):
            ws = wb[name]
            for number in range(sw.FIRST_ROW, ws.max_row + 1):
                ws[f"{VALUE}{number}"] = value
                ws[f"{REASON}{number}"] = f"Vurdert rad {number}"

    result = import_(opened, filled(blank, everything))
    assert (result.scores_written, result.assessments_written) == (5 * 31, 5 * 21)
    evaluation.submit(opened, evaluator="anne", actor="anne")
    assert evaluation.is_submitted(opened, "anne")
