"""The command line, run as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

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
