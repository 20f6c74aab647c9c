"""The command line's own robustness: every error the user can cause ends in one line on
stderr and exit status 2, problem files are read with care, a progress bar shows on a
terminal only, and `cli.py --help` starts without the heavy libraries."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import cli
from cli import main
from tests.scoring.problems import CROSSING

ROOT = Path(__file__).resolve().parents[1]

PROBLEM = {**CROSSING, "weights": [2, 1]}
DEEP = 200_000  # far beyond Python's recursion limit


def write(path: Path, content: str | bytes) -> str:
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return str(path)


def problem_file(tmp_path: Path, **changes: object) -> str:
    return write(tmp_path / "problem.json", json.dumps({**PROBLEM, **changes}))


def on_problem(command: str, *extra: str):
    """A case that runs `command` on the standard problem file with `extra` arguments."""
    return lambda t, db: [command, "--problem", problem_file(t), *extra]


# Each case builds its arguments from a temporary folder and a demo database; the
# message is a fragment the line must hold.
CASES = {
    "problem file missing": (lambda t, db: ["rank", "--problem", str(t / "no.json")], "no such"),
    "problem file is a directory": (lambda t, db: ["rank", "--problem", str(t)], "directory"),
    "problem file not UTF-8": (
        lambda t, db: [
            "rank",
            "--problem",
            write(t / "p.json", '{"a": "Tromsø"}'.encode("cp1252")),
        ],
        "not UTF-8",
    ),
    "problem file not JSON": (
        lambda t, db: ["rank", "--problem", write(t / "p.json", "{not json")],
        "not valid JSON",
    ),
    "problem file empty": (lambda t, db: ["rank", "--problem", write(t / "p.json", "")], "JSON"),
    "problem nested too deeply": (
        lambda t, db: ["rank", "--problem", write(t / "p.json", "[" * DEEP + "]" * DEEP)],
        "nested too deeply",
    ),
    "problem matrix nested too deeply": (
        lambda t, db: [
            "rank",
            "--problem",
            write(t / "p.json", '{"matrix": ' + "[" * DEEP + "]" * DEEP + "}"),
        ],
        "nested too deeply",
    ),
    "problem matrix nested deep but parseable": (
        lambda t, db: [
            "rank",
            "--problem",
            problem_file(t, matrix=json.loads("[" * 400 + "]" * 400)),
        ],
        "problem.json",
    ),
    "problem not an object": (
        lambda t, db: ["rank", "--problem", write(t / "p.json", "[1]")],
        "object",
    ),
    "problem with keys missing": (
        lambda t, db: ["rank", "--problem", write(t / "p.json", '{"alternatives": []}')],
        "missing keys",
    ),
    "alternatives a number": (
        lambda t, db: ["rank", "--problem", problem_file(t, alternatives=3)],
        "problem.json",
    ),
    "weights negative": (
        lambda t, db: ["rank", "--problem", problem_file(t, weights=[-1, 1])],
        "problem.json",
    ),
    "smaa on a bad problem file": (
        lambda t, db: ["smaa", "--problem", write(t / "p.json", b"\xff\xfe{")],
        "not UTF-8",
    ),
    "smaa seed negative": (on_problem("smaa", "--seed", "-1"), "--seed"),
    "smaa seed not a number": (on_problem("smaa", "--seed", "one"), "--seed"),
    "smaa samples zero": (on_problem("smaa", "--samples", "0"), "--samples"),
    "smaa samples too many": (on_problem("smaa", "--samples", "10000000"), "samples"),
    "smaa method the batch engine lacks": (
        on_problem("smaa", "--method", "vikor"),
        "invalid choice",
    ),
    "smaa method points": (on_problem("smaa", "--method", "points"), "invalid choice"),
    "smaa weight sampling unknown": (on_problem("smaa", "--weight-sampling", "gauss:3"), "gauss"),
    "smaa score draws on a problem": (
        on_problem("smaa", "--score-sampling", "evaluators"),
        "evaluators",
    ),
    "rank method unknown": (lambda t, db: ["rank", "--method", "ahp"], "invalid choice"),
    "price model on a problem": (on_problem("rank", "--price-model", "linear"), "--price-model"),
    "no command": (lambda t, db: [], "required"),
    "unknown command": (lambda t, db: ["launch"], "invalid choice"),
    "database is a directory": (lambda t, db: ["model", "--db", str(t)], "database"),
    "database not DuckDB": (
        lambda t, db: ["model", "--db", write(t / "x.duckdb", "hello")],
        "not a valid DuckDB",
    ),
    "init over an existing file": (lambda t, db: ["init", "--db", str(db)], "already exists"),
    "unknown setting": (lambda t, db: ["setting", "no_such_key", "--db", str(db)], "no_such_key"),
    "unknown profile": (lambda t, db: ["rank", "--profile", "nobody", "--db", str(db)], "nobody"),
    "audit date not a date": (
        lambda t, db: ["audit", "--since", "yesterday", "--db", str(db)],
        "date",
    ),
    "audit csv into a missing folder": (
        lambda t, db: ["audit", "--db", str(db), "--csv", str(t / "no" / "such" / "log.csv")],
        "No such file",
    ),
    "template written onto a directory": (
        lambda t, db: ["export-template", str(t), "--db", str(db)],
        "directory",
    ),
    "import of a missing workbook": (
        lambda t, db: [
            "import-responses",
            "--vendor",
            "tindra",
            str(t / "no.xlsx"),
            "--db",
            str(db),
        ],
        "cannot read",
    ),
    "import of a directory": (
        lambda t, db: ["import-responses", "--vendor", "tindra", str(t), "--db", str(db)],
        "cannot read",
    ),
    "import for an unknown vendor": (
        lambda t, db: [
            "import-responses",
            "--vendor",
            "nobody",
            write(t / "a.xlsx", b"PK"),
            "--db",
            str(db),
        ],
        "nobody",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_error_the_user_can_cause_is_one_line_with_status_2(case, tmp_path, demo_db, capsys):
    build, fragment = CASES[case]
    folder = tmp_path / "files"
    folder.mkdir()
    status = main(build(folder, demo_db))
    out = capsys.readouterr()
    assert status == 2, out.err
    lines = out.err.splitlines()
    assert len(lines) == 1, out.err
    assert lines[0].startswith("error: ") and fragment in lines[0], lines[0]
    assert "Traceback" not in out.err
    assert out.out == ""


def test_a_second_freeze_is_refused_with_status_2(demo_db, capsys):
    assert main(["freeze", "--db", str(demo_db), "--reason", "before opening"]) == 0
    capsys.readouterr()
    assert main(["freeze", "--db", str(demo_db)]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "frozen" in err


def test_a_fault_of_bibvalgs_own_still_shows_its_traceback(monkeypatch, demo_db):
    # Only what the user can cause becomes a message; a bug must not hide behind one.
    def broken(_args: object) -> int:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(cli, "cmd_model", broken)
    with pytest.raises(ZeroDivisionError):
        main(["model", "--db", str(demo_db)])


def test_an_interrupt_exits_130_without_a_traceback(monkeypatch, demo_db, capsys):
    def interrupted(_args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "cmd_model", interrupted)
    assert main(["model", "--db", str(demo_db)]) == 130
    assert capsys.readouterr().err == "error: interrupted\n"


def test_the_exit_statuses_of_1_stay_where_the_readme_puts_them(demo_db, tmp_path, capsys):
    spec = tmp_path / "spec.xlsx"
    assert main(["export-template", str(spec), "--db", str(demo_db)]) == 0
    # An empty template is refused: every mandatory requirement is unanswered.
    assert main(["import-responses", "--vendor", "tindra", str(spec), "--db", str(demo_db)]) == 1
    capsys.readouterr()


# --- problem files ---------------------------------------------------------------------------


def test_a_byte_order_mark_is_accepted(tmp_path, capsys):
    plain, marked = tmp_path / "plain.json", tmp_path / "marked.json"
    plain.write_text(json.dumps(PROBLEM), encoding="utf-8")
    marked.write_text(json.dumps(PROBLEM), encoding="utf-8-sig")
    assert marked.read_bytes().startswith(b"\xef\xbb\xbf")
    results = []
    for path in (plain, marked):
        assert main(["rank", "--problem", str(path), "--json"]) == 0
        results.append(json.loads(capsys.readouterr().out))
    assert results[0] == results[1]
    assert results[1]["ranks"] == [1, 3, 2]


def test_a_problem_file_above_the_limit_is_refused_before_it_is_read(tmp_path, capsys, monkeypatch):
    big = tmp_path / "big.json"
    with big.open("wb") as handle:  # sparse: 25 MB on paper, nothing on disk
        handle.truncate(25_000_000)

    def never(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr(Path, "open", never)
    assert main(["rank", "--problem", str(big), "--json"]) == 2
    err = capsys.readouterr().err
    assert "25.0 MB" in err and "limited to 20 MB" in err


def test_the_limit_also_holds_for_a_file_that_grows_or_does_not_say_its_size(tmp_path, monkeypatch):
    path = tmp_path / "p.json"
    path.write_text(json.dumps(PROBLEM))
    size = path.stat().st_size
    assert cli.read_problem_text(path, limit=size) == json.dumps(PROBLEM)
    with pytest.raises(cli.CliError, match="limited to"):
        cli.read_problem_text(path, limit=size - 1)
    monkeypatch.setattr(cli, "MAX_PROBLEM_BYTES", size - 1)
    with pytest.raises(cli.CliError, match="limited to"):
        cli.read_problem_text(path)


def test_the_readme_states_the_limit():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"{cli.MAX_PROBLEM_BYTES // 1_000_000} MB" in readme


# --- what the parser offers ------------------------------------------------------------------


def test_smaa_offers_exactly_the_batch_engines_methods_and_each_works(tmp_path, capsys):
    from scoring.batch import BATCH_METHODS

    assert set(cli.SMAA_METHODS) == set(BATCH_METHODS) - {"points"}
    path = problem_file(tmp_path)
    for method in cli.SMAA_METHODS:
        status = main(["smaa", "--problem", path, "--method", method, "--samples", "50", "--json"])
        out = capsys.readouterr()
        assert status == 0, out.err
        assert json.loads(out.out)["alternatives"] == PROBLEM["alternatives"]


def test_the_parsers_lists_match_the_modules_they_mirror(monkeypatch):
    from locales import DEFAULT_LANGUAGE, LANGUAGES
    from scoring import smaa
    from scoring.methods import METHODS
    from scoring.price import PRICE_MODELS
    from store.db import default_db_path

    assert tuple(METHODS) == cli.RANK_METHODS
    assert tuple(PRICE_MODELS) == cli.PRICE_MODEL_NAMES
    assert tuple(LANGUAGES) == cli.LANGUAGE_NAMES and cli.DEFAULT_LANGUAGE == DEFAULT_LANGUAGE
    assert (cli.DEFAULT_SAMPLES, cli.DEFAULT_SEED, cli.DEFAULT_WEIGHT_SAMPLING) == (
        smaa.DEFAULT_SAMPLES,
        smaa.DEFAULT_SEED,
        smaa.DEFAULT_WEIGHT_SAMPLING,
    )
    monkeypatch.delenv("BIBVALG_DB", raising=False)
    assert cli.default_db() == str(default_db_path())
    monkeypatch.setenv("BIBVALG_DB", "/somewhere/tender.duckdb")
    assert cli.default_db() == str(default_db_path()) == "/somewhere/tender.duckdb"


# --- start-up --------------------------------------------------------------------------------


def commands_of(parser: object) -> list[str]:
    sub = next(a for a in parser._actions if a.dest == "command")  # type: ignore[attr-defined]
    return list(sub.choices)


HEAVY = ("pandas", "scipy", "duckdb", "skcriteria", "numpy", "streamlit", "babel", "openpyxl")


def test_help_imports_none_of_the_heavy_libraries():
    # A fresh interpreter: this test process has them all loaded already.
    commands = [[]] + [[name] for name in commands_of(cli.build_parser())]
    script = (
        (
            "import sys, json, contextlib, io\n"
            "import cli\n"
            "loaded_by_import = sorted(m for m in sys.modules if m.split('.')[0] in HEAVY)\n"
            "for command in COMMANDS:\n"
            "    with contextlib.redirect_stdout(io.StringIO()):\n"
            "        try:\n"
            "            cli.main([*command, '--help'])\n"
            "        except SystemExit:\n"
            "            pass\n"
            "loaded = sorted({m.split('.')[0] for m in sys.modules} & set(HEAVY))\n"
            "print(json.dumps([loaded_by_import, loaded]))\n"
        )
        .replace("HEAVY", repr(HEAVY))
        .replace("COMMANDS", repr(commands))
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    by_import, by_help = json.loads(out.stdout)
    assert by_import == [] and by_help == []


def test_the_heavy_libraries_are_caught_when_a_command_loads_them(tmp_path):
    # The check above can fail: after a command runs, they are there; and a problem file
    # that cannot be read is refused before scipy loads.
    script = (
        "import sys, cli\n"
        f"cli.main(['rank', '--problem', {str(tmp_path / 'missing.json')!r}])\n"
        "print('loaded', 'scipy' in sys.modules, file=sys.stderr)\n"
        f"cli.main(['rank', '--problem', {problem_file(tmp_path)!r}])\n"
        "print('loaded', 'scipy' in sys.modules, 'duckdb' in sys.modules, file=sys.stderr)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    loaded = [line.split()[1:] for line in out.stderr.splitlines() if line.startswith("loaded")]
    assert loaded == [["False"], ["True", "False"]]


# --- progress --------------------------------------------------------------------------------


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_draws_on_a_terminal_and_erases_itself():
    screen = Terminal()
    with cli.Progress("SMAA", stream=screen) as progress:
        progress(0.5)
        progress(1.0)
    text = screen.getvalue()
    assert "SMAA [" in text and "100%" in text
    last = text.rsplit("\r", 2)
    assert last[-1] == "" and last[-2].strip() == ""  # the line is blanked at the end


@pytest.mark.parametrize("terminal, quiet", [(False, False), (True, True)])
def test_the_progress_bar_stays_silent_off_a_terminal_or_when_quiet(terminal, quiet):
    screen = Terminal() if terminal else io.StringIO()
    with cli.Progress("SMAA", stream=screen, quiet=quiet) as progress:
        progress(1.0)
        progress.step("next")
    assert screen.getvalue() == ""


@pytest.mark.parametrize(
    "extra, drawn",
    [([], True), (["--quiet"], False), (["--json"], False), (["--json", "--quiet"], False)],
)
def test_smaa_shows_progress_on_a_terminal_unless_quiet_or_json_is_piped(
    tmp_path, capsys, monkeypatch, extra, drawn
):
    screen = Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    args = ["smaa", "--problem", problem_file(tmp_path), "--samples", "500", *extra]
    assert main(args) == 0
    out = capsys.readouterr().out  # stdout is captured: a pipe, not a terminal
    assert ("500 samples" in out) if "--json" not in extra else json.loads(out)["samples"] == 500
    if drawn:
        assert "SMAA [" in screen.getvalue() and "100%" in screen.getvalue()
    else:
        assert screen.getvalue() == ""


def test_the_smaa_engine_reports_its_progress_without_changing_the_result():
    from scoring.methods import Problem
    from scoring.smaa import DecisionModel, smaa

    model = DecisionModel.from_problem(Problem.from_dict(PROBLEM), "wsm")
    shares: list[float] = []
    seen = smaa(model, "uniform", samples=30_000, seed=4, progress=shares.append)
    plain = smaa(model, "uniform", samples=30_000, seed=4)
    assert shares and shares[-1] == 1.0 and shares == sorted(shares)
    assert seen.to_dict() == plain.to_dict()


def test_the_seconds_count_on_while_a_long_step_reports_nothing(monkeypatch):
    import cli_progress

    monkeypatch.setattr(cli_progress, "TICK_EVERY_S", 0.01)
    screen = Terminal()
    with cli.Progress("ranking with electre2", stream=screen):
        for _ in range(500):  # wait for the ticker's own redraws, up to 5 s
            if screen.getvalue().count("\r") >= 3:
                break
            threading.Event().wait(0.01)
    draws = screen.getvalue().split("\r")
    assert len(draws) >= 4 and all("ranking with electre2 …" in d for d in draws[1:-2])
