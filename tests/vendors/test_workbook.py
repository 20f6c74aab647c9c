"""The requirement specification out, the vendor's answers in: nothing lost, bad files named."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import unicodedata
import zipfile
from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from demo import RESPONSES_DIR
from store import catalogue, settings
from store import offers as store_offers
from store.problems import WorkbookRefused
from tests.dbdump import refused_unchanged
from tests.vendors.xlsx import (
    SHEET,
    columns,
    demo_kinds,
    every_requirement_answered,
    fill,
    open_workbook,
    rows,
    to_bytes,
)
from vendors import responses
from vendors.response_reader import Limits

# --- export ----------------------------------------------------------------------------


def test_the_template_has_instructions_requirements_and_hidden_marks(con, template):
    wb = open_workbook(template)
    assert wb.sheetnames == ["Veiledning – Instructions", SHEET, "Pris – Prices", "bibvalg"]
    assert wb["bibvalg"].sheet_state == "veryHidden"
    assert wb.security.lockStructure
    marks = {r[0]: r[1] for r in wb["bibvalg"].iter_rows(values_only=True)}
    version = catalogue.current_version(con)
    assert marks["catalogue_version"] == version.version
    assert marks["fingerprint"] == version.fingerprint

    instructions = " ".join(
        str(c.value) for row in wb["Veiledning – Instructions"].iter_rows() for c in row if c.value
    )
    assert "Fullt oppfylt i standardproduktet" in instructions  # Norwegian
    assert "Fully met in the standard product" in instructions  # and English

    ws = wb[SHEET]
    col = columns(ws)
    assert list(col) == [
        "Requirement id",
        "Category",
        "Type",
        "Requirement (Norwegian)",
        "Requirement (English)",
        "Weight",
        "Answer (0–3)",
        "Comment",
        "Evidence or reference",
        "Roadmap date",
    ]
    assert ws.cell(2, col["Requirement id"]).value == "Krav-ID / Requirement id"
    reqs = catalogue.requirements(con)
    row = rows(ws)
    assert list(row) == reqs["id"].tolist()  # catalogue order, every requirement in force
    lang04 = reqs.set_index("id").loc["LANG-04"]
    assert ws.cell(row["LANG-04"], col["Requirement (Norwegian)"]).value == lang04["text_nb"]
    assert ws.cell(row["LANG-04"], col["Requirement (English)"]).value == lang04["text_en"]
    assert ws.cell(row["LANG-04"], col["Type"]).value == "W"
    assert ws.cell(row["LANG-04"], col["Weight"]).value == lang04["weight"]
    assert ws.cell(row["LANG-01"], col["Weight"]).value is None  # mandatory: no weight


def test_only_the_vendor_columns_are_open_and_the_sheet_is_ready_to_print(template):
    ws = open_workbook(template)[SHEET]
    col, row = columns(ws), rows(ws)
    assert ws.protection.sheet
    vendor = {"Answer (0–3)", "Comment", "Evidence or reference", "Roadmap date"}
    for name, number in col.items():
        cell = ws.cell(row["CAT-02"], number)
        assert cell.protection.locked == (name not in vendor), name
        assert cell.alignment.wrap_text or name == "Answer (0–3)", name
    assert ws.freeze_panes == "B3"
    assert int(ws.page_setup.paperSize) == 9  # A4 in the OOXML paper-size list
    assert ws.page_setup.orientation == "landscape"
    assert ws.print_title_rows == "$2:$2"
    assert ws.column_dimensions["D"].width > 30  # the texts get room
    answers = next(dv for dv in ws.data_validations.dataValidation if dv.type == "list")
    assert answers.formula1 == '"0,1,2,3"'
    letter = ws.cell(1, col["Answer (0–3)"]).column_letter
    assert f"{letter}{row['LANG-01']}" in answers.sqref
    assert "3 = fullt oppfylt / fully met" in answers.prompt


def test_weights_can_be_left_out(con):
    export = responses.export_template(con, actor="test", show_weights=False)
    assert "Weight" not in columns(open_workbook(export.data)[SHEET])
    assert not export.show_weights
    assert export.file_name == f"kravspesifikasjon-v{export.version.version}.xlsx"
    # The working group's stored choice is the default.
    responses.set_show_weights_default(con, False, actor="test")
    assert not responses.export_template(con, actor="test").show_weights
    assert settings.settings(con)[responses.SHOW_WEIGHTS_SETTING] == "false"


# --- the round trip --------------------------------------------------------------------


def test_round_trip_stores_exactly_what_was_written(con, template):
    answers = every_requirement_answered()
    answers["LANG-04"] = {
        "answer": 1,
        "comment": unicodedata.normalize("NFD", "Folding for đ, ŋ og ŧ kommer i Čuovga 7."),
        "evidence": "Veikart, side 4",
        "roadmap_date": date(2027, 9, 30),
    }
    answers["LANG-11"] = {"answer": 3, "comment": "Поиск различает й и и.", "evidence": 3.2}
    answers["CAT-06"] = {"answer": "0", "comment": "  Ikke støttet.  "}
    answers["OPS-04"] = {"answer": 2.0, "roadmap_date": "31.12.2027"}
    answers["FORM-02"] = {"answer": None, "comment": None}  # a weighted requirement left blank
    data = to_bytes(fill(template, answers))

    result = responses.import_responses(con, "tindra-1", data, actor="test", file_name="t.xlsx")

    stored = {
        r[0]: r[1:]
        for r in con.execute(
            "SELECT requirement_id, answer, comment, evidence, roadmap_date, file_sha256"
            " FROM response WHERE offer_id = 'tindra-1'"
        ).fetchall()
    }
    sha = hashlib.sha256(data).hexdigest()
    assert stored["LANG-04"] == (
        1,
        "Folding for đ, ŋ og ŧ kommer i Čuovga 7.",  # NFC
        "Veikart, side 4",
        date(2027, 9, 30),
        sha,
    )
    assert stored["LANG-11"] == (3, "Поиск различает й и и.", "3.2", None, sha)
    assert stored["CAT-06"] == (0, "Ikke støttet.", "", None, sha)
    assert stored["OPS-04"] == (2, "", "", date(2027, 12, 31), sha)
    assert "FORM-02" not in stored
    assert set(stored) == set(demo_kinds()) - {"FORM-02"}
    assert result.answers == len(stored) and result.sha256 == sha
    assert result.removed == ["FORM-02"]

    entry = con.execute(
        "SELECT actor, action, entity_id, old_value, new_value FROM audit_log"
        " WHERE entity = 'response' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    assert entry[:3] == ("test", "import", "tindra-1")
    assert sha in entry[4] and '"file": "t.xlsx"' in entry[4]
    assert '"FORM-02"' in entry[3]  # the old answer is in the log


def test_importing_the_same_file_twice_changes_no_answer(con, template):
    data = to_bytes(fill(template, every_requirement_answered()))
    responses.import_responses(con, "nordlys-1", data, actor="test")
    again = responses.import_responses(con, "nordlys-1", data, actor="test")
    assert again.added == again.changed == again.removed == []
    assert again.unchanged == len(demo_kinds())


def test_the_demo_workbooks_import_cleanly(con):
    paths = sorted(RESPONSES_DIR.glob("*.xlsx"))
    offers = set(store_offers.offers(con)["id"])
    assert {p.stem for p in paths} == offers
    for path in paths:
        parsed = responses.check_workbook(con, path.read_bytes())
        assert parsed.problems == (), path.name
        # Read back with openpyxl alone: every answer in the file is what the database holds.
        ws = load_workbook(path, read_only=True)[SHEET]
        values = ws.iter_rows(min_row=2, values_only=True)
        heading = [str(h).split(" / ")[-1] for h in next(values)]
        in_file = {
            row[heading.index("Requirement id")]: row[heading.index("Answer (0–3)")]
            for row in values
        }
        in_db = dict(
            con.execute(
                "SELECT requirement_id, answer FROM response WHERE offer_id = ?", [path.stem]
            ).fetchall()
        )
        assert in_db == in_file


# --- bad files -------------------------------------------------------------------------


def refused(con, data, limits=None):
    """Import must refuse, leaving the database exactly as it was; return the problems."""
    with refused_unchanged(con, WorkbookRefused) as caught:
        responses.import_responses(
            con, "cuovga-1", data, actor="test", file_name="bad.xlsx", limits=limits
        )
    problems = caught.value.problems
    assert problems
    for p in problems:  # every problem reads in both languages
        assert p.translated("nb") and p.translated("en")
    return problems


def edited(template, change):
    wb = fill(template, every_requirement_answered())
    ws = wb[SHEET]
    change(ws, columns(ws), rows(ws))
    return to_bytes(wb)


def where(problems):
    return {(p.sheet, p.row, p.column, p.message) for p in problems}


def test_unknown_and_duplicated_ids_are_refused(con, template):
    def change(ws, col, row):
        ws.cell(row["LANG-01"], col["Requirement id"], "LANG-99")
        ws.cell(row["LANG-03"], col["Requirement id"], "LANG-02")

    problems = refused(con, edited(template, change))
    found = where(problems)
    assert (SHEET, 3, "A", "Unknown requirement id “{id}”.") in found
    twice = "Requirement {id} appears more than once (first in row {first})."
    assert (SHEET, 5, "A", twice) in found
    assert (SHEET, None, "", "Requirement {id} is missing from the sheet.") in found


def test_an_unanswered_mandatory_requirement_is_refused(con, template):
    def change(ws, col, row):
        ws.cell(row["CIRC-07"], col["Answer (0–3)"]).value = None

    [problem] = refused(con, edited(template, change))
    assert (problem.sheet, problem.column) == (SHEET, "G")
    assert problem.row == rows(open_workbook(template)[SHEET])["CIRC-07"]
    assert problem.translated("nb") == "Skal-kravet CIRC-07 er ikke besvart."
    assert problem.translated("en") == "Mandatory requirement CIRC-07 has no answer."
    assert problem.line("nb").startswith(f"Ark «{SHEET}», rad {problem.row}, kolonne G: ")


@pytest.mark.parametrize(
    "value, message",
    [
        (4, "The answer must be 0, 1, 2 or 3, not {value}."),
        (-1, "The answer must be 0, 1, 2 or 3, not {value}."),
        (2.5, "The answer must be 0, 1, 2 or 3, not {value}."),
        ("7", "The answer must be 0, 1, 2 or 3, not {value}."),
        ("ja", "The answer must be a number from 0 to 3, not “{value}”."),
        ("Fullt oppfylt", "The answer must be a number from 0 to 3, not “{value}”."),
        (True, "The answer must be a number from 0 to 3, not “{value}”."),
        (datetime(2027, 1, 1), "The answer must be a number from 0 to 3, not “{value}”."),
    ],
)
def test_answers_off_the_scale_or_not_numbers_are_refused(con, template, value, message):
    def change(ws, col, row):
        ws.cell(row["LANG-05"], col["Answer (0–3)"], value)

    [problem] = refused(con, edited(template, change))
    assert (problem.column, problem.message) == ("G", message)


def test_formulas_are_refused_wherever_they_are(con, template):
    def change(ws, col, row):
        ws.cell(row["LANG-05"], col["Answer (0–3)"], "=1+2")
        ws.cell(row["CAT-01"], col["Comment"], '=HYPERLINK("http://example.invalid")')
        ws.cell(row["CAT-02"], col["Requirement (English)"], "=A1")

    problems = refused(con, edited(template, change))
    formulas = [p for p in problems if p.message.startswith("The cell holds a formula")]
    assert {(p.row, p.column) for p in formulas} == {
        (rows(open_workbook(template)[SHEET])[r], c)
        for r, c in (("LANG-05", "G"), ("CAT-01", "H"), ("CAT-02", "E"))
    }


def test_edited_requirement_text_and_type_are_refused(con, template):
    def change(ws, col, row):
        ws.cell(row["OPS-01"], col["Requirement (Norwegian)"], "Løsningen driftes hvor som helst.")
        ws.cell(row["OPS-02"], col["Type"], "W")

    problems = refused(con, edited(template, change))
    row = rows(open_workbook(template)[SHEET])
    assert where(problems) == {
        (
            SHEET,
            row["OPS-01"],
            "D",
            "The text of requirement {id} has been changed; it must read as in the catalogue.",
        ),
        (SHEET, row["OPS-02"], "C", "The type of requirement {id} has been changed; it is {kind}."),
    }


def test_an_answer_to_an_outdated_catalogue_is_refused(con, template):
    data = to_bytes(fill(template, every_requirement_answered()))
    changed = catalogue.editable(con)
    changed.loc[changed["id"] == "INT-06", "text_en"] = "All data shall be exportable, free."
    catalogue.save_catalogue(con, changed, actor="test")

    problems = refused(con, data)
    outdated = next(p for p in problems if p.message.startswith("The workbook answers"))
    assert outdated.params["current_version"] == outdated.params["file_version"] + 1
    assert "katalogversjon" in outdated.translated("nb")
    # The changed requirement is pointed out too.
    assert any(p.column == "E" and p.params.get("id") == "INT-06" for p in problems)


def test_roadmap_dates_must_be_dates_and_answer_1_needs_one(con, template):
    def change(ws, col, row):
        ws.cell(row["CAT-04"], col["Roadmap date"], "snart")
        ws.cell(row["CAT-05"], col["Answer (0–3)"], 1)
        ws.cell(row["CAT-06"], col["Roadmap date"], "2027-02-30")

    problems = refused(con, edited(template, change))
    assert {(p.column, p.message) for p in problems} == {
        ("J", "The roadmap date must be a date (YYYY-MM-DD), not “{value}”."),
        ("J", "Answer 1 (on the roadmap) needs a roadmap date."),
    }
    assert len(problems) == 3


def test_content_outside_the_table_and_deleted_rows_are_refused(con, template):
    def change(ws, col, row):
        ws.cell(row["FORM-01"], 11, "ekstra merknad")
        ws.delete_rows(row["FORM-04"])

    problems = refused(con, edited(template, change))
    found = {(p.column, p.message) for p in problems}
    assert ("K", "There is something in a cell outside the table: “{value}”.") in found
    assert ("", "Requirement {id} is missing from the sheet.") in found


@pytest.mark.parametrize(
    "content",
    [
        b"id,answer\nLANG-01,3\n",  # a CSV file
        b"",
    ],
)
def test_a_file_that_is_not_a_workbook_is_refused(con, content):
    [problem] = refused(con, content)
    assert problem.message.startswith("The file is not an Excel workbook")
    assert problem.sheet == "" and problem.row is None


def test_a_zip_that_is_not_a_workbook_and_a_damaged_workbook_are_refused(con, template):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    [problem] = refused(con, buffer.getvalue())
    assert problem.message.startswith("The file is not an Excel workbook")

    damaged = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(template)) as source, zipfile.ZipFile(damaged, "w") as out:
        for item in source.infolist():
            body = source.read(item.filename)
            if item.filename == "xl/workbook.xml":
                body = body[: len(body) // 2]
            out.writestr(item, body)
    [problem] = refused(con, damaged.getvalue())
    assert problem.message.startswith("The file cannot be read")


def test_a_workbook_without_the_hidden_marks_is_refused(con, template):
    wb = fill(template, every_requirement_answered())
    del wb["bibvalg"]
    [problem] = refused(con, to_bytes(wb))
    assert "not a requirement specification from bibvalg" in problem.message

    wb = fill(template, every_requirement_answered())
    wb["bibvalg"]["B4"] = "not a fingerprint"
    [problem] = refused(con, to_bytes(wb))
    assert problem.message.startswith("The hidden sheet")


def test_a_file_over_the_size_limit_is_refused_before_it_is_opened(con):
    [problem] = refused(con, b"PK" + os.urandom(Limits().max_file_bytes))
    assert problem.message.startswith("The file is {size} MB")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(con, template):
    bomb = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(template)) as source,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for item in source.infolist():
            out.writestr(item, source.read(item.filename))
        out.writestr("xl/media/padding.bin", bytes(60 * 1024 * 1024))
    assert len(bomb.getvalue()) < 1024 * 1024  # small on disk
    problems = refused(con, bomb.getvalue())
    assert {p.message for p in problems} >= {
        "The workbook unpacks to {size} MB; at most {limit} MB is accepted.",
        "The part “{part}” of the workbook is packed unusually tightly; the file is refused "
        "as unsafe.",
    }


def test_a_sheet_that_is_too_large_is_refused(con, template):
    wb = fill(template, every_requirement_answered())
    wb[SHEET].cell(Limits().max_rows + 1, 1, "x")
    [problem] = refused(con, to_bytes(wb))
    assert problem.sheet == SHEET and problem.message.startswith("The sheet is too large")

    wb = fill(template, every_requirement_answered())
    wb["Veiledning – Instructions"].cell(5, 200, "x")
    [problem] = refused(con, to_bytes(wb))
    assert problem.sheet == "Veiledning – Instructions"


def test_text_over_the_cell_limit_is_refused(con, template):
    def change(ws, col, row):
        ws.cell(row["INT-03"], col["Comment"], "a" * 101)

    [problem] = refused(con, edited(template, change), Limits(max_cell_chars=100))
    assert (problem.column, problem.params) == ("H", {"limit": 100})


# --- LibreOffice ------------------------------------------------------------------------

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(
    SOFFICE is None,
    reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)",
)
def test_libreoffice_opens_the_template_and_its_resave_imports_cleanly(con, template, tmp_path):
    answers = every_requirement_answered()
    answers["LANG-09"] = {
        "answer": 1,
        "comment": "Nordsamisk: ŋ ŧ đ",
        "roadmap_date": date(2028, 1, 31),
    }
    filled = tmp_path / "filled.xlsx"
    filled.write_bytes(to_bytes(fill(template, answers)))
    (tmp_path / "template.xlsx").write_bytes(template)
    out = tmp_path / "out"
    run = subprocess.run(
        [
            str(SOFFICE),
            "--headless",
            "--norestore",
            f"-env:UserInstallation=file://{tmp_path / 'profile'}",
            "--convert-to",
            "xlsx:Calc MS Excel 2007 XML",
            "--outdir",
            str(out),
            str(tmp_path / "template.xlsx"),
            str(filled),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert run.returncode == 0, run.stderr
    assert (out / "template.xlsx").stat().st_size > 0
    resaved = (out / "filled.xlsx").read_bytes()
    assert resaved != filled.read_bytes()  # LibreOffice really wrote it anew
    result = responses.import_responses(con, "fjellbok-1", resaved, actor="test")
    assert result.answers == len(demo_kinds())
    row = con.execute(
        "SELECT answer, comment, roadmap_date FROM response"
        " WHERE offer_id = 'fjellbok-1' AND requirement_id = 'LANG-09'"
    ).fetchone()
    assert row == (1, "Nordsamisk: ŋ ŧ đ", date(2028, 1, 31))
