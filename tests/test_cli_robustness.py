"""The smaa and bench commands, in process through ``cli.main``."""

from __future__ import annotations

import json

import numpy as np
import pytest

from benchmarks.robustness import format_report
from cli import build_parser, main
from tests.cli_run import run as run_here
from tests.scoring.problems import CROSSING

PROBLEM = CROSSING


def test_help_lists_the_robustness_commands():
    text = build_parser().format_help()
    assert "smaa" in text and "bench" in text


def test_smaa_on_a_problem_gives_the_interval_lengths(tmp_path, capsys):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(PROBLEM))
    args = ["smaa", "--problem", str(path), "--samples", "40000", "--seed", "3"]
    status, out, err = run_here(capsys, *args, "--weight-sampling", "uniform", "--json")
    assert status == 0, err
    result = json.loads(out)
    assert result["alternatives"] == ["A", "B", "C"]
    assert (result["samples"], result["seed"]) == (40000, 3)
    np.testing.assert_allclose(
        result["rank_acceptability"], [[0.5, 0.1, 0.4], [0.5, 0.1, 0.4], [0.0, 0.8, 0.2]], atol=0.01
    )
    np.testing.assert_allclose(result["central_weights"][0], [0.75, 0.25], atol=0.005)
    assert result["central_weights"][2] == [None, None]
    assert result["confidence"] == [1.0, 1.0, None]


def test_smaa_on_the_procurement_with_fixed_weights_agrees_with_rank(demo_db, capsys):
    db = demo_db
    ranked = json.loads(run_here(capsys, "rank", "--json", "--db", str(db))[1])
    status, out, err = run_here(
        capsys, "smaa", "--db", str(db), "--samples", "200", "--weight-sampling", "box:0", "--json"
    )
    assert status == 0, err
    result = json.loads(out)
    assert result["alternatives"] == ranked["alternatives"]
    for row, rank in zip(result["rank_acceptability"], ranked["ranks"], strict=True):
        assert row[rank - 1] == 1.0
    assert len(result["central_weights"][0]) == len(result["weight_names"])
    assert {"quality", "price", "environment", "LANG"} <= set(result["weight_names"])
    assert result["vendors"] == ranked["vendors"]


def test_smaa_draws_scores_and_around_the_library_groups(demo_db, capsys):
    db = demo_db
    args = ["smaa", "--db", str(db), "--samples", "2000", "--json"]

    def run(*more: str) -> str:
        status, out, err = run_here(capsys, *args, *more)
        assert status == 0, err
        return out

    result = json.loads(run("--weight-sampling", "groups:50", "--score-sampling", "evaluators"))
    assert result["score_sampling"] == "evaluators" and result["weight_sampling"] == "groups:50"
    np.testing.assert_allclose(np.sum(result["rank_acceptability"], axis=1), 1.0)
    # The seed makes it repeatable, and another seed draws otherwise.
    again = json.loads(run("--weight-sampling", "groups:50", "--score-sampling", "evaluators"))
    assert again["rank_acceptability"] == result["rank_acceptability"]
    other = json.loads(
        run("--seed", "99", "--weight-sampling", "groups:50", "--score-sampling", "evaluators")
    )
    assert other["rank_acceptability"] != result["rank_acceptability"]


@pytest.mark.parametrize(
    "extra, message",
    [
        (["--weight-sampling", "box:200"], "between 0 and 100"),
        (["--weight-sampling", "groups:10"], "stakeholder groups"),
        (["--score-sampling", "evaluators"], "no evaluators"),
        (["--samples", "0"], "samples"),
    ],
)
def test_smaa_refuses_what_it_cannot_do_on_stderr(tmp_path, capsys, extra, message):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(PROBLEM))
    assert main(["smaa", "--problem", str(path), *extra, "--json"]) != 0
    out = capsys.readouterr()
    assert message in out.err
    assert out.out == ""


def test_bench_runs_with_tiny_sizes_and_prints_every_figure(capsys):
    status, out, err = run_here(capsys, "bench", "--tiny", "--json")
    assert status == 0, err
    figures = json.loads(out)
    for key in (
        "smaa_speedup_vs_skcriteria",
        "smaa_vs_numpy_floor",
        "rerun_ms",
        "rerun_vs_title_page",
        "scale_growth",
        "cli_help_vs_bare_python",
    ):
        assert figures[key] > 0, key
    assert figures["smaa"]["ranks_equal"] is True
    assert figures["smaa"]["max_score_difference"] < 1e-9
    assert set(figures["rerun_breakdown_ms"]) >= {"data access", "scoring", "figures"}
    assert figures["startup"]["cli_help_ms"] > 0 and figures["startup"]["bare_python_ms"] > 0
    assert "cli_help_vs_bare_python" in format_report(figures)
    demo = figures["pages"]["demo"]
    assert set(demo["pages"]) == {"Oversikt", "Pris"}
    for page in demo["pages"].values():
        assert page["rerun_ms"] > 0 and page["first_vs_title"] > 0
    assert "Pris" in format_report(figures)
