"""The command line: in process through ``cli.main`` (as the entry point runs it), and once
through the real entry point in a fresh interpreter."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pytest
from openpyxl import load_workbook

from cli import main
from scoring.methods import METHODS
from scoring.price import PRICE_MODELS
from tests.cli_run import run as run_here
from tests.demo_prices import demo_price_rows
from tests.scoring import skcriteria_reference
from tests.scoring.problems import TWO_BY_TWO

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    """The real entry point, in a fresh interpreter."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT)}
    return subprocess.run(
        [sys.executable, "cli.py", *args], cwd=ROOT, capture_output=True, text=True, env=env
    )


def test_help_lists_the_commands():
    out = run("--help")
    assert out.returncode == 0
    for command in ("rank", "init"):
        assert command in out.stdout


def test_the_entry_point_reports_an_error_in_one_line(tmp_path):
    out = run("rank", "--problem", str(tmp_path / "missing.json"), "--json")
    assert out.returncode == 2
    assert out.stderr.splitlines() == [f"error: {tmp_path / 'missing.json'}: no such file"]
    assert out.stdout == ""


def test_a_reader_that_stops_early_gets_no_complaint(tmp_path):
    # Output larger than a pipe's buffer, and the reader closes after the first line.
    n = 3000
    problem = {
        "alternatives": [f"a{i}" for i in range(n)],
        "criteria": ["x", "y"],
        "matrix": [[i, n - i] for i in range(n)],
        "weights": [1, 1],
        "objectives": ["max", "max"],
    }
    path = tmp_path / "wide.json"
    path.write_text(json.dumps(problem))
    with subprocess.Popen(
        [sys.executable, "cli.py", "rank", "--problem", str(path), "--json"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        assert proc.stdout.readline() == b"{\n"
        proc.stdout.close()
        err = proc.stderr.read()
        assert proc.wait() == 141 and err == b""


def test_rank_the_demo_procurement_as_json(demo_db, capsys):
    status, out, err = run_here(capsys, "rank", "--json", "--db", str(demo_db))
    assert status == 0, err
    result = json.loads(out)
    assert result["method"] == "wsm"
    assert len(result["alternatives"]) == len(result["scores"]) == len(result["ranks"]) == 4
    assert sorted(result["ranks"]) == [1, 2, 3, 4]
    best = result["alternatives"][result["ranks"].index(1)]
    assert result["scores"][result["alternatives"].index(best)] == max(result["scores"])
    assert [r["reasons"][0]["requirement"] for r in result["rejected"]] == ["OPS-01"]


def test_the_environment_variable_names_the_database(tmp_path, capsys, monkeypatch):
    db = tmp_path / "via-env.duckdb"
    monkeypatch.setenv("BIBVALG_DB", str(db))
    assert run_here(capsys, "rank", "--json")[0] == 0
    assert db.exists()


def test_rank_a_problem_file_with_both_methods(tmp_path, capsys):
    problem = {**TWO_BY_TWO, "alternatives": ["A", "B"], "matrix": [[1, 2], [3, 1]]}
    path = tmp_path / "p.json"
    path.write_text(json.dumps(problem))
    wsm = json.loads(
        run_here(capsys, "rank", "--problem", str(path), "--method", "wsm", "--json")[1]
    )
    assert wsm["ranks"] == [2, 1]
    np.testing.assert_allclose(wsm["scores"], [0.5 * (0.25 + 2 / 3), 0.5 * (0.75 + 1 / 3)])
    topsis = json.loads(
        run_here(capsys, "rank", "--problem", str(path), "--method", "topsis", "--json")[1]
    )
    np.testing.assert_allclose(topsis["scores"], [np.sqrt(2) - 1, 2 - np.sqrt(2)])
    assert set(topsis) >= {"method", "alternatives", "scores", "ranks"}


@pytest.mark.parametrize(
    "content, message",
    [("{not json", "not valid JSON"), ('{"alternatives": []}', "missing keys"), ("[1]", "object")],
)
def test_bad_problem_files_fail_on_stderr(tmp_path, capsys, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    status, out, err = run_here(capsys, "rank", "--problem", str(path), "--json")
    assert status == 2
    assert message in err
    assert out == ""


def test_init_empty_and_refusal_to_overwrite(tmp_path, capsys):
    db = tmp_path / "tender.duckdb"
    assert run_here(capsys, "init", "--empty", "--db", str(db), "--json")[0] == 0
    status, _, err = run_here(capsys, "init", "--empty", "--db", str(db))
    assert status == 2 and "already exists" in err
    status, _, err = run_here(capsys, "rank", "--json", "--db", str(db))
    assert status == 2 and "no offers" in err


# --- every method and every price model ----------------------------------------------

METHOD_NAMES = list(METHODS)
PRICE_MODEL_NAMES = list(PRICE_MODELS)


@pytest.mark.parametrize("method", METHOD_NAMES)
def test_rank_a_problem_with_every_method_matches_scikit_criteria(tmp_path, capsys, method):
    problem = {
        "alternatives": ["A", "B", "C", "D"],
        "criteria": ["quality", "price", "climate"],
        "matrix": [[7, 900, 3], [5, 600, 8], [9, 1200, 6], [4, 650, 4]],
        "weights": [0.5, 0.3, 0.2],
        "objectives": ["max", "min", "max"],
    }
    path = tmp_path / "p.json"
    path.write_text(json.dumps(problem))
    status, out, _ = run_here(capsys, "rank", "--problem", str(path), "--method", method, "--json")
    assert status == 0
    ours = json.loads(out)
    scores, ranks = skcriteria_reference.run(
        method, problem["matrix"], problem["weights"], problem["objectives"]
    )
    np.testing.assert_allclose(ours["scores"], scores, atol=1e-9)
    assert ours["ranks"] == ranks
    assert ours["method"] == method and ours["alternatives"] == problem["alternatives"]


@pytest.mark.parametrize("method", METHOD_NAMES)
def test_rank_the_procurement_with_every_method(demo_db, capsys, method):
    status, out, _ = run_here(capsys, "rank", "--db", str(demo_db), "--method", method, "--json")
    assert status == 0
    result = json.loads(out)
    assert result["method"] == method
    assert len(result["alternatives"]) == len(result["ranks"]) == len(result["scores"]) == 4
    assert min(result["ranks"]) == 1


@pytest.mark.parametrize("model", PRICE_MODEL_NAMES)
def test_rank_the_procurement_with_every_price_model(demo_db, capsys, model):
    status, out, _ = run_here(
        capsys, "rank", "--db", str(demo_db), "--price-model", model, "--json"
    )
    assert status == 0
    result = json.loads(out)
    assert result["price_model"] == model
    assert sorted(result["ranks"])[0] == 1


def test_only_price_weighted_follows_each_price_model_by_hand(demo_db, capsys, tmp_path):
    # All weight on price: proportional ranks by price alone, cheapest first.
    con = duckdb.connect(str(demo_db))
    con.execute(
        "UPDATE weight_profile_item SET weight = CASE WHEN node_id = 'price' THEN 1 ELSE 0 END"
        " WHERE node_kind = 'criterion'"
    )
    con.close()
    _, out, _ = run_here(
        capsys, "rank", "--db", str(demo_db), "--price-model", "proportional", "--json"
    )
    result = json.loads(out)
    totals: dict[str, float] = {}
    for line in demo_price_rows():
        if line["option"] == "false" and line["offer"] in result["alternatives"]:
            factor = 4 if line["kind"] == "yearly" else 1
            totals[line["offer"]] = totals.get(line["offer"], 0) + factor * float(
                line["amount_nok"]
            )
    lowest = min(totals.values())
    # Proportional: 100 · P_b / P_e on the 0–100 scale.
    expected = [100 * lowest / totals[o] for o in result["alternatives"]]
    np.testing.assert_allclose(result["scores"], expected, rtol=1e-9)


def test_price_model_with_a_problem_file_is_refused(tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_text(
        json.dumps({"alternatives": ["a"], "criteria": ["x"], "matrix": [[1]], "weights": [1]})
    )
    status, out, err = run_here(
        capsys, "rank", "--problem", str(path), "--price-model", "linear", "--json"
    )
    assert status != 0 and out == "" and "--price-model" in err


def test_an_unknown_price_model_is_refused_on_stderr(capsys):
    status, out, err = run_here(capsys, "rank", "--price-model", "guesswork", "--json")
    assert status == 2 and "guesswork" in err and out == ""


def test_a_price_model_missing_its_settings_fails_with_a_reason(demo_db, capsys):
    con = duckdb.connect(str(demo_db))
    con.execute("DELETE FROM setting WHERE key = 'price_range_min_nok'")
    con.close()
    status, out, err = run_here(
        capsys, "rank", "--db", str(demo_db), "--price-model", "fixed-range", "--json"
    )
    assert status != 0 and out == "" and "P_min" in err


def test_export_fill_and_import_responses_on_the_command_line(tmp_path, demo_db_template, capsys):
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_template, db)
    out = tmp_path / "spec.xlsx"
    status, stdout, stderr = run_here(
        capsys, "export-template", str(out), "--db", str(db), "--hide-weights", "--json"
    )
    assert status == 0, stderr
    summary = json.loads(stdout)
    assert summary["show_weights"] is False and summary["requirements"] > 0
    assert len(summary["fingerprint"]) == 64

    wb = load_workbook(out)
    ws = wb["Krav – Requirements"]
    heading = {str(c.value).split(" / ")[-1]: c.column for c in ws[2] if c.value}
    assert "Weight" not in heading
    for r in range(3, ws.max_row + 1):
        ws.cell(r, heading["Answer (0–3)"]).value = 1
        ws.cell(r, heading["Roadmap date"]).value = date(2027, 6, 30)
    ws.cell(3, heading["Comment"]).value = "Kommer i versjon 7 – Гыр"
    prices = wb["Pris – Prices"]
    for r in range(3, prices.max_row + 1):
        prices.cell(r, 7).value = 50_000
    wb.save(tmp_path / "answers.xlsx")

    def import_responses(vendor: str, file_name: str, *options: str) -> tuple[int, str, str]:
        path = str(tmp_path / file_name)
        return run_here(
            capsys, "import-responses", "--vendor", vendor, path, "--db", str(db), *options
        )

    status, stdout, stderr = import_responses("tindra", "answers.xlsx")
    assert status == 0, stderr
    assert "Imported answers.xlsx for tindra-1" in stdout

    ws.cell(4, heading["Answer (0–3)"]).value = 5
    ws.cell(5, heading["Answer (0–3)"]).value = "=1+1"
    wb.save(tmp_path / "bad.xlsx")
    status, stdout, stderr = import_responses("tindra-1", "bad.xlsx", "--json")
    assert status == 1
    # One line per problem on stderr, in Norwegian unless --lang en is given ...
    lines = stderr.splitlines()
    assert (
        "bad.xlsx: Ark «Krav – Requirements», rad 4, kolonne F: "
        "Svaret må være 0, 1, 2 eller 3, ikke 5."
    ) in lines
    assert any(
        line.startswith(
            "bad.xlsx: Ark «Krav – Requirements», rad 5, kolonne F: Cellen inneholder en formel"
        )
        for line in lines
    )
    # ... and with --json one document on stdout, each problem in both languages.
    document = json.loads(stdout)
    assert document["accepted"] is False
    first = document["problems"][0]
    assert (first["sheet"], first["row"], first["column"]) == ("Krav – Requirements", 4, "F")
    assert first["message_en"] == "The answer must be 0, 1, 2 or 3, not 5."
    assert first["message_nb"] == "Svaret må være 0, 1, 2 eller 3, ikke 5."


def test_import_responses_names_an_unknown_vendor_or_a_missing_file(
    tmp_path, demo_db_template, capsys
):

    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_template, db)
    spec = tmp_path / "spec.xlsx"
    assert main(["export-template", str(spec), "--db", str(db)]) == 0
    assert main(["import-responses", "--vendor", "nobody", str(spec), "--db", str(db)]) == 2
    assert "nobody" in capsys.readouterr().err
    missing = str(tmp_path / "no.xlsx")
    assert main(["import-responses", "--vendor", "tindra", missing, "--db", str(db)]) == 2
    assert "cannot read" in capsys.readouterr().err
    # An empty template: every mandatory requirement unanswered, in English if asked.
    assert (
        main(["import-responses", "--vendor", "tindra", str(spec), "--db", str(db), "--lang", "en"])
        == 1
    )
    err = capsys.readouterr().err
    assert "Mandatory requirement LANG-01 has no answer." in err
