"""The command line, run as a user runs it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, env_db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(ROOT)}
    if env_db:
        env["BIBVALG_DB"] = str(env_db)
    return subprocess.run(
        [sys.executable, "cli.py", *args], cwd=ROOT, capture_output=True, text=True, env=env
    )


def test_help_lists_the_commands():
    out = run("--help")
    assert out.returncode == 0
    for command in ("rank", "init"):
        assert command in out.stdout


def test_rank_the_demo_procurement_as_json(tmp_path):
    db = tmp_path / "demo.duckdb"
    out = run("rank", "--json", "--db", str(db))
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert result["method"] == "wsm"
    assert len(result["alternatives"]) == len(result["scores"]) == len(result["ranks"]) == 4
    assert sorted(result["ranks"]) == [1, 2, 3, 4]
    best = result["alternatives"][result["ranks"].index(1)]
    assert result["scores"][result["alternatives"].index(best)] == max(result["scores"])
    assert [r["reasons"][0]["requirement"] for r in result["rejected"]] == ["OPS-01"]


def test_the_environment_variable_names_the_database(tmp_path):
    db = tmp_path / "via-env.duckdb"
    assert run("rank", "--json", env_db=db).returncode == 0
    assert db.exists()


def test_rank_a_problem_file_with_both_methods(tmp_path):
    problem = {
        "alternatives": ["A", "B"],
        "criteria": ["x", "y"],
        "matrix": [[1, 2], [3, 1]],
        "weights": [1, 1],
        "objectives": ["max", "max"],
    }
    path = tmp_path / "p.json"
    path.write_text(json.dumps(problem))
    wsm = json.loads(run("rank", "--problem", str(path), "--method", "wsm", "--json").stdout)
    assert wsm["ranks"] == [2, 1]
    np.testing.assert_allclose(wsm["scores"], [0.5 * (0.25 + 2 / 3), 0.5 * (0.75 + 1 / 3)])
    topsis = json.loads(run("rank", "--problem", str(path), "--method", "topsis", "--json").stdout)
    np.testing.assert_allclose(topsis["scores"], [np.sqrt(2) - 1, 2 - np.sqrt(2)])
    assert set(topsis) >= {"method", "alternatives", "scores", "ranks"}


@pytest.mark.parametrize(
    "content, message",
    [("{not json", "not valid JSON"), ('{"alternatives": []}', "missing keys"), ("[1]", "object")],
)
def test_bad_problem_files_fail_on_stderr(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    out = run("rank", "--problem", str(path), "--json")
    assert out.returncode != 0
    assert message in out.stderr
    assert out.stdout == ""


def test_init_empty_and_refusal_to_overwrite(tmp_path):
    db = tmp_path / "tender.duckdb"
    assert run("init", "--empty", "--db", str(db), "--json").returncode == 0
    again = run("init", "--empty", "--db", str(db))
    assert again.returncode != 0 and "already exists" in again.stderr
    empty_rank = run("rank", "--json", "--db", str(db))
    assert empty_rank.returncode != 0 and "no offers" in empty_rank.stderr


def test_export_fill_and_import_responses_on_the_command_line(tmp_path, demo_db_template):
    db = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_template, db)
    out = tmp_path / "spec.xlsx"
    export = run("export-template", str(out), "--db", str(db), "--hide-weights", "--json")
    assert export.returncode == 0, export.stderr
    summary = json.loads(export.stdout)
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
    wb.save(tmp_path / "answers.xlsx")

    ok = run(
        "import-responses", "--vendor", "tindra", str(tmp_path / "answers.xlsx"), "--db", str(db)
    )
    assert ok.returncode == 0, ok.stderr
    assert "Imported answers.xlsx for tindra-1" in ok.stdout

    ws.cell(4, heading["Answer (0–3)"]).value = 5
    ws.cell(5, heading["Answer (0–3)"]).value = "=1+1"
    wb.save(tmp_path / "bad.xlsx")
    bad = run(
        "import-responses",
        "--vendor",
        "tindra-1",
        str(tmp_path / "bad.xlsx"),
        "--db",
        str(db),
        "--json",
    )
    assert bad.returncode == 1
    # One line per problem on stderr, in Norwegian unless --lang en is given ...
    lines = bad.stderr.splitlines()
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
    document = json.loads(bad.stdout)
    assert document["accepted"] is False
    first = document["problems"][0]
    assert (first["sheet"], first["row"], first["column"]) == ("Krav – Requirements", 4, "F")
    assert first["message_en"] == "The answer must be 0, 1, 2 or 3, not 5."
    assert first["message_nb"] == "Svaret må være 0, 1, 2 eller 3, ikke 5."


def test_import_responses_names_an_unknown_vendor_or_a_missing_file(
    tmp_path, demo_db_template, capsys
):
    from cli import main

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
