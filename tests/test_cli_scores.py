"""The evaluation commands in process: an evaluator's scoring workbook out and back in,
submitting, and agreed scores taken from the median where the evaluators already agree."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from store.db import connect
from tender_files import score_workbook as sw
from tests.cli_run import run
from tests.dbdump import dump_file, query

VALUE, REASON = sw.LETTERS["value"], sw.LETTERS["reason"]


@pytest.fixture
def db(demo_db):
    """The path of a private copy of the demo database, as the commands' ``--db`` takes it."""
    return str(demo_db)


@pytest.fixture
def opened(db, capsys):
    """The demo tender, frozen and opened, with the evaluator anne declared."""
    for argv in (
        ("freeze",),
        ("open-offers",),
        ("evaluators", "add", "anne", "--name", "Anne Aikio", "--declaration", "none"),
    ):
        code, _, err = run(capsys, *argv, "--db", db)
        assert code == 0, err
    return db


def everything(wb):
    """Every row scored and assessed, as an evaluator would: the score from the row."""
    for name, value in ((sw.SHEET_SCORES, None), (sw.SHEET_MANDATORY, "met")):
        ws = wb[name]
        for row in range(sw.FIRST_ROW, ws.max_row + 1):
            ws[f"{VALUE}{row}"] = value if value else row % 11
            ws[f"{REASON}{row}"] = f"Begrunnelse {row}"


def fill(path, change):
    wb = load_workbook(path)
    change(wb)
    wb.save(path)


def test_no_template_before_the_opening(db, capsys, tmp_path):
    out = tmp_path / "marit.xlsx"
    code, stdout, err = run(
        capsys, "scores", "template", "--evaluator", "marit", str(out), "--db", db
    )
    assert code == 2 and stdout == ""
    assert err.startswith("error: The offers are not opened yet") and len(err.splitlines()) == 1
    assert not out.exists()


def test_template_fill_import_and_submit(opened, capsys, tmp_path):
    book = tmp_path / "anne.xlsx"
    code, out, err = run(
        capsys, "scores", "template", "--evaluator", "anne", str(book), "--db", opened, "--json"
    )
    assert code == 0, err
    made = json.loads(out)
    assert (made["scores"], made["assessments"], made["saved_scores"]) == (155, 105, 0)

    fill(book, everything)
    code, out, err = run(
        capsys, "scores", "import", "--evaluator", "anne", str(book), "--db", opened, "--json"
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["accepted"] and result["scores_written"] == 155
    assert result["assessments_written"] == 105

    wb = load_workbook(book)
    typed = {
        (ws[f"A{r}"].value, ws[f"C{r}"].value): (ws[f"{VALUE}{r}"].value, ws[f"{REASON}{r}"].value)
        for ws in (wb[sw.SHEET_SCORES],)
        for r in range(sw.FIRST_ROW, ws.max_row + 1)
    }
    stored = query(
        opened,
        "SELECT offer_id, requirement_id, score, reason FROM score WHERE evaluator_id = 'anne'",
    )
    assert {(o, r): (s, t) for o, r, s, t in stored} == typed
    assert query(opened, "SELECT DISTINCT actor FROM audit_log WHERE entity = 'score'") == [
        ("anne",)
    ]

    code, out, err = run(capsys, "submit", "--evaluator", "anne", "--db", opened, "--json")
    assert code == 0, err
    assert json.loads(out) == {
        "evaluator": "anne",
        "submitted": True,
        "scores": 155,
        "assessments": 105,
    }
    code, _, err = run(capsys, "scores", "import", "--evaluator", "anne", str(book), "--db", opened)
    assert code == 2 and "has submitted" in err


def test_a_bad_workbook_exits_1_with_every_problem_and_changes_nothing(opened, capsys, tmp_path):
    book = tmp_path / "anne.xlsx"
    run(capsys, "scores", "template", "--evaluator", "anne", str(book), "--db", opened)

    def bad(wb):
        wb[sw.SHEET_SCORES][f"{VALUE}3"] = 12
        wb[sw.SHEET_SCORES][f"{VALUE}4"] = "mye"
        wb[sw.SHEET_MANDATORY][f"{VALUE}3"] = "nesten"

    fill(book, bad)
    before = dump_file(opened)
    code, out, err = run(
        capsys,
        *("scores", "import", "--evaluator", "anne", str(book)),
        *("--db", opened, "--lang", "en", "--json"),
    )
    assert code == 1
    lines = err.splitlines()
    assert lines[0] == (
        f"anne.xlsx: Sheet “{sw.SHEET_SCORES}”, row 3, column {VALUE}: The score must be "
        "from 0 to 10, not 12."
    )
    assert lines[1].startswith(f"anne.xlsx: Sheet “{sw.SHEET_SCORES}”, row 4, column {VALUE}")
    assert lines[2].startswith(f"anne.xlsx: Sheet “{sw.SHEET_MANDATORY}”, row 3, column {VALUE}")
    assert lines[3] == "error: The file anne.xlsx was not imported: 3 problem(s) to fix."
    document = json.loads(out)
    assert not document["accepted"]
    assert [(p["sheet"], p["row"], p["column"]) for p in document["problems"]] == [
        (sw.SHEET_SCORES, 3, VALUE),
        (sw.SHEET_SCORES, 4, VALUE),
        (sw.SHEET_MANDATORY, 3, VALUE),
    ]
    assert dump_file(opened) == before


def test_another_evaluators_workbook_and_a_file_that_is_not_one_exit_1(opened, capsys, tmp_path):
    code, _, err = run(
        capsys,
        "evaluators",
        "add",
        "bjorn",
        "--name",
        "Bjørn",
        "--declaration",
        "none",
        "--db",
        opened,
    )
    assert code == 0, err
    book = tmp_path / "bjorn.xlsx"
    run(capsys, "scores", "template", "--evaluator", "bjorn", str(book), "--db", opened)
    fill(book, lambda wb: wb[sw.SHEET_SCORES].__setitem__(f"{VALUE}3", 5))
    text = tmp_path / "scores.csv"
    text.write_text("offer,requirement,score\ncuovga-1,LANG-04,7\n", encoding="utf-8")
    before = dump_file(opened)
    for path, expected in (
        (book, "The workbook was made for the evaluator “bjorn”, not for “anne”"),
        (text, "The file is not an Excel workbook"),
    ):
        code, out, err = run(
            capsys,
            *("scores", "import", "--evaluator", "anne", str(path), "--db", opened, "--lang", "en"),
        )
        assert code == 1 and out == ""
        assert expected in err
    assert dump_file(opened) == before


def test_refusals_by_the_store_exit_2(opened, capsys, tmp_path):
    code, _, err = run(capsys, "submit", "--evaluator", "anne", "--db", opened)
    assert code == 2 and err.startswith("error: Not submitted: 260 of 260")
    book = tmp_path / "anne.xlsx"
    run(capsys, "scores", "template", "--evaluator", "anne", str(book), "--db", opened)
    con = connect(opened)
    from store.evaluators import retire_evaluator

    retire_evaluator(con, "anne", reason="Sluttet", actor="test")
    con.close()
    code, out, err = run(
        capsys, "scores", "import", "--evaluator", "anne", str(book), "--db", opened
    )
    assert code == 2 and out == "" and "anne cannot score" in err
    code, _, err = run(
        capsys, "scores", "template", "--evaluator", "nobody", "x.xlsx", "--db", opened
    )
    assert code == 2 and "no evaluator" in err


# --- accept-median ------------------------------------------------------------------------

SUBMITTED = ("risten", "siiri", "kristoffer")  # demo evaluators; marit has not submitted
# (offer, requirement): {evaluator: score}. Hand-computed with --max-range 1.5:
CASE = {
    ("cuovga-1", "LANG-04"): {"risten": 6, "siiri": 7, "kristoffer": 7},  # range 1 → 7
    ("cuovga-1", "LANG-05"): {"risten": 4, "siiri": 6, "kristoffer": 5},  # range 2: too wide
    ("cuovga-1", "LANG-06"): {"risten": 7.3, "siiri": 6.1},  # range 1.2 → (7.3 + 6.1) / 2
    ("nordlys-1", "LANG-04"): {"risten": 8, "marit": 8},  # one submitted score: too few
    ("nordlys-1", "LANG-05"): {"risten": 3, "siiri": 3, "kristoffer": 4.5},  # 1.5 → 3
    ("nordlys-1", "LANG-06"): {"risten": 5, "siiri": 5, "kristoffer": 5},  # agreed already: 9
}


@pytest.fixture
def three(db):
    """The demo tender with only the scores of CASE: three submitted evaluators and
    marit's draft; one pair agreed already."""
    con = connect(db)
    try:
        for table in ("consensus", "score", "evaluator_submission"):
            con.execute(f"DELETE FROM {table}")
        con.executemany(
            "INSERT INTO score (evaluator_id, offer_id, requirement_id, score, reason)"
            " VALUES (?, ?, ?, ?, 'Begrunnet')",
            [(e, o, r, s) for (o, r), given in CASE.items() for e, s in given.items()],
        )
        con.executemany(
            "INSERT INTO evaluator_submission (evaluator_id, submitted_by) VALUES (?, 'test')",
            [(e,) for e in SUBMITTED],
        )
        con.execute(
            "INSERT INTO consensus (offer_id, requirement_id, score, reason)"
            " VALUES ('nordlys-1', 'LANG-06', 9, 'Avtalt i møtet')"
        )
    finally:
        con.close()
    return db


def agreed(path):
    return {
        (o, r): (s, t)
        for o, r, s, t in query(
            path, "SELECT offer_id, requirement_id, score, reason FROM consensus"
        )
    }


def test_accept_median_by_hand_with_three_evaluators(three, capsys):
    reason = "Samstemte innenfor 1,5 poeng"
    code, out, err = run(
        capsys,
        *("consensus", "accept-median", "--max-range", "1.5", "--reason", reason),
        *("--actor", "ingrid", "--db", three, "--json"),
    )
    assert code == 0, err
    document = json.loads(out)
    pairs = 5 * 31  # offers × weighted requirements; one agreed already, three set now
    assert (document["set"], document["remaining"]) == (3, pairs - 1 - 3)
    assert (document["too_wide"], document["too_few"]) == (1, pairs - 1 - 3 - 1)
    assert agreed(three) == {
        ("cuovga-1", "LANG-04"): (7.0, reason),
        ("cuovga-1", "LANG-06"): (pytest.approx(6.7), reason),
        ("nordlys-1", "LANG-05"): (3.0, reason),
        ("nordlys-1", "LANG-06"): (9.0, "Avtalt i møtet"),
    }
    log = query(
        three,
        "SELECT action, entity_id, actor, reason FROM audit_log WHERE entity = 'consensus'"
        " ORDER BY id",
    )
    assert [row[0] for row in log] == ["create", "create", "create", "accept_median"]
    assert {row[2] for row in log} == {"ingrid"} and {row[3] for row in log} == {reason}

    before = dump_file(three)
    code, out, _ = run(
        capsys,
        "consensus",
        "accept-median",
        "--max-range",
        "1.5",
        "--reason",
        reason,
        "--db",
        three,
    )
    assert code == 0 and out.startswith("Set 0 agreed scores")
    assert dump_file(three) == before

    code, out, _ = run(
        capsys,
        *("consensus", "accept-median", "--max-range", "2", "--reason", "Innenfor 2 poeng"),
        *("--db", three, "--json"),
    )
    assert json.loads(out)["accepted"] == [
        {"offer": "cuovga-1", "requirement": "LANG-05", "score": 5.0}
    ]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (("--max-range", "11", "--reason", "x"), "from 0 to 10 points"),
        (("--max-range", "-1", "--reason", "x"), "from 0 to 10 points"),
        (("--max-range", "1", "--reason", " "), "needs a reason"),
        (("--max-range", "en", "--reason", "x"), "a number of points"),
        (
            (
                "--max-range",
                "1",
            ),
            "--reason",
        ),
    ],
)
def test_accept_median_refuses_a_bad_range_or_no_reason(three, capsys, options, message):
    before = dump_file(three)
    code, out, err = run(capsys, "consensus", "accept-median", *options, "--db", three)
    assert code == 2 and out == "" and message in err
    assert dump_file(three) == before


# (offer, requirement): {evaluator: outcome}. Hand-decided: set where every submitted
# evaluator (at least two) gave the same outcome, met or not met.
ASSESSED = {
    ("cuovga-1", "LANG-01"): {"risten": "met", "siiri": "met", "kristoffer": "met"},  # met
    ("cuovga-1", "LANG-02"): {"risten": "met", "siiri": "not_met"},  # they differ
    ("nordlys-1", "LANG-01"): {"risten": "not_met", "siiri": "not_met"},  # not met
    ("nordlys-1", "LANG-02"): {e: "material_deviation" for e in SUBMITTED},  # for the meeting
    ("fjellbok-1", "LANG-01"): {"risten": "met", "marit": "met"},  # one submitted: too few
    ("fjellbok-1", "LANG-02"): {"risten": "not_met", "siiri": "not_met"},  # agreed already
}


@pytest.fixture
def assessed(three):
    """``three`` with only the assessments of ASSESSED, one pair agreed already."""
    con = connect(three)
    try:
        for table in ("mandatory_check", "mandatory_assessment"):
            con.execute(f"DELETE FROM {table}")
        con.executemany(
            "INSERT INTO mandatory_assessment"
            " (evaluator_id, offer_id, requirement_id, outcome, reason)"
            " VALUES (?, ?, ?, ?, 'Begrunnet')",
            [(e, o, r, x) for (o, r), given in ASSESSED.items() for e, x in given.items()],
        )
        con.execute(
            "INSERT INTO mandatory_check (offer_id, requirement_id, outcome, reason)"
            " VALUES ('fjellbok-1', 'LANG-02', 'met', 'Avtalt i møtet')"
        )
    finally:
        con.close()
    return three


def test_accept_median_agrees_the_assessments_every_evaluator_gave_by_hand(assessed, capsys):
    reason = "Samstemte vurderinger"
    code, out, err = run(
        capsys,
        *("consensus", "accept-median", "--max-range", "1.5", "--reason", reason),
        *("--actor", "ingrid", "--db", assessed, "--json"),
    )
    assert code == 0, err
    document = json.loads(out)["assessments"]
    pairs = 5 * 21  # offers × mandatory requirements; one agreed already, two set now
    assert document == {
        "set": 2,
        "remaining": pairs - 1 - 2,
        "split": 1,
        "too_few": pairs - 1 - 2 - 1 - 1,
        "material_deviation": 1,
        "accepted": [
            {"offer": "cuovga-1", "requirement": "LANG-01", "outcome": "met"},
            {"offer": "nordlys-1", "requirement": "LANG-01", "outcome": "not_met"},
        ],
    }
    assert query(
        assessed,
        "SELECT offer_id, requirement_id, outcome, reason FROM mandatory_check ORDER BY ALL",
    ) == [
        ("cuovga-1", "LANG-01", "met", reason),
        ("fjellbok-1", "LANG-02", "met", "Avtalt i møtet"),
        ("nordlys-1", "LANG-01", "not_met", reason),
    ]
    log = query(
        assessed,
        "SELECT entity, action, actor, reason FROM audit_log"
        " WHERE entity IN ('mandatory_check', 'consensus') ORDER BY id",
    )
    assert [row[:2] for row in log] == [
        ("consensus", "create"),  # the three agreed scores of CASE
        ("consensus", "create"),
        ("consensus", "create"),
        ("mandatory_check", "create"),
        ("mandatory_check", "create"),
        ("consensus", "accept_median"),
    ]
    assert {row[2:] for row in log} == {("ingrid", reason)}

    before = dump_file(assessed)
    code, out, _ = run(
        capsys,
        *("consensus", "accept-median", "--max-range", "1.5", "--reason", reason),
        *("--db", assessed),
    )
    assert code == 0 and "Set 0 agreed assessments" in out
    assert dump_file(assessed) == before
