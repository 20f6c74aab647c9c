"""bibvalg on the command line: the same functions the app uses, for scripts and batch work.

Every command takes --db PATH (default $BIBVALG_DB or data/bibvalg.duckdb); commands that
report take --json and then print one JSON document on stdout. Errors go to stderr with a
non-zero exit.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from locales import DEFAULT_LANGUAGE, LANGUAGES
from scoring.methods import METHODS, Problem, ProblemError, problem_from_columns, rank_problem
from scoring.procurement import evaluate
from vendors import repository as repo
from vendors import responses
from vendors.db import connect, default_db_path, open_database
from vendors.errors import BibvalgError
from vendors.problems import WorkbookRefused
from vendors.procurement import load_inputs, profile_weights

CLI_ACTOR = "cli"


class CliError(Exception):
    """An error to print on stderr before exiting with status 2."""


def _print_json(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _read_problem(path: Path) -> Problem:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CliError(f"{path}: no such file") from exc
    except json.JSONDecodeError as exc:
        raise CliError(f"{path}: not valid JSON ({exc})") from exc
    if not isinstance(data, dict):
        raise CliError(f"{path}: expected a JSON object")
    try:
        return Problem.from_dict(data)
    except ProblemError as exc:
        raise CliError(f"{path}: {exc}") from exc


def rank_procurement(db: Path, method: str, profile_name: str | None) -> dict[str, Any]:
    """Rank the procurement in a database with the published model (or TOPSIS beside it)."""
    con = open_database(db)
    try:
        inputs = load_inputs(con)
        name = profile_name or repo.published_profile_name(con)
        if inputs.offers.empty or not name:
            raise CliError(f"{db} holds no offers or no published weight profile yet")
        weights = profile_weights(repo.load_profile(con, name))
    finally:
        con.close()
    evaluation = evaluate(inputs, weights)
    offers = inputs.offers.set_index("id")
    eligible = list(evaluation.total.index)
    if method == "wsm":
        scores = [float(evaluation.total[o]) for o in eligible]
        ranks = [int(evaluation.rank[o]) for o in eligible]
    else:
        weights_by_column = evaluation.column_weights.reindex(evaluation.matrix.columns)
        problem = problem_from_columns(
            eligible,
            list(evaluation.matrix.columns),
            evaluation.matrix.to_numpy(),
            weights_by_column.fillna(0.0).tolist(),
        )
        result = rank_problem(problem, method)
        scores, ranks = result.scores.tolist(), result.ranks.tolist()
    return {
        "method": method,
        "alternatives": eligible,
        "scores": scores,
        "ranks": ranks,
        "vendors": [str(offers.loc[o, "vendor_name"]) for o in eligible],
        "profile": name,
        "price_model": inputs.price_model,
        "rejected": [
            {
                "offer": o,
                "vendor": str(offers.loc[o, "vendor_name"]),
                "reasons": [
                    {"requirement": r, "reason": why}
                    for r, why in evaluation.screening.loc[o, "reasons"]
                ],
            }
            for o in evaluation.rejected
        ],
    }


def cmd_rank(args: argparse.Namespace) -> int:
    if args.problem:
        result = rank_problem(_read_problem(Path(args.problem)), args.method).to_dict()
    else:
        result = rank_procurement(Path(args.db), args.method, args.profile)
    if args.json:
        _print_json(result)
        return 0
    width = max((len(a) for a in result["alternatives"]), default=10)
    print(f"{'rank':>4}  {'alternative':<{width}}  score")
    rows = sorted(zip(result["ranks"], result["alternatives"], result["scores"], strict=True))
    for rank, alternative, score in rows:
        print(f"{rank:>4}  {alternative:<{width}}  {score:.6g}")
    for rejected in result.get("rejected", []):
        reasons = "; ".join(f"{r['requirement']}: {r['reason']}" for r in rejected["reasons"])
        print(f"rejected  {rejected['offer']}  ({reasons})")
    return 0


def cmd_init(args: argparse.Namespace) -> int:
    db = Path(args.db)
    if db.exists():
        if not args.force:
            raise CliError(f"{db} already exists; use --force to replace it")
        db.unlink()
    con = connect(db) if args.empty else open_database(db)
    con.close()
    summary = {"db": str(db), "demo": not args.empty}
    if args.json:
        _print_json(summary)
    else:
        kind = "an empty tender" if args.empty else "the demo procurement"
        print(f"Created {db} with {kind}.")
    return 0


def cmd_export_template(args: argparse.Namespace) -> int:
    out = Path(args.out)
    con = open_database(Path(args.db))
    try:
        export = responses.export_template(con, actor=CLI_ACTOR, show_weights=args.show_weights)
    finally:
        con.close()
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(export.data)
    summary = {**export.as_dict(), "file": str(out)}
    if args.json:
        _print_json(summary)
    else:
        print(
            f"Wrote {out}: {export.requirements} requirements, catalogue version "
            f"{export.version.version} (fingerprint {export.version.fingerprint[:16]}…), "
            f"weights {'shown' if export.show_weights else 'hidden'}."
        )
    return 0


def cmd_import_responses(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CliError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    con = open_database(Path(args.db))
    try:
        offer = responses.resolve_offer(con, args.vendor)
        result = responses.import_responses(con, offer, data, actor=CLI_ACTOR, file_name=path.name)
    except WorkbookRefused as refused:
        for problem in refused.problems:
            print(f"{path.name}: {problem.line(args.lang)}", file=sys.stderr)
        print(f"error: {refused.translated(args.lang)}", file=sys.stderr)
        if args.json:
            _print_json(
                {
                    "accepted": False,
                    "file": str(path),
                    "problems": [p.as_dict() for p in refused.problems],
                }
            )
        return 1
    finally:
        con.close()
    if args.json:
        _print_json({"accepted": True, **result.as_dict()})
    else:
        print(
            f"Imported {path.name} for {offer}: {result.answers} answers "
            f"({len(result.added)} new, {len(result.changed)} changed, "
            f"{len(result.removed)} removed, {result.unchanged} unchanged); "
            f"SHA-256 {result.sha256}."
        )
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: one subcommand per task."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        default=str(default_db_path()),
        help="database file (default: $BIBVALG_DB or data/bibvalg.duckdb)",
    )
    common.add_argument("--json", action="store_true", help="print one JSON document")

    parser = argparse.ArgumentParser(
        prog="cli.py", description="bibvalg: choosing a library system together."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rank = sub.add_parser(
        "rank",
        parents=[common],
        help="rank the procurement, or any decision problem",
        description="Rank the offers in the database with the published model (a weighted "
        "sum of points), or rank a decision problem given as JSON.",
    )
    rank.add_argument(
        "--problem",
        metavar="FILE.json",
        help='{"alternatives", "criteria", "matrix", "weights", "objectives"}',
    )
    rank.add_argument(
        "--method",
        choices=sorted(METHODS),
        default="wsm",
        help="wsm (weighted sum, the published model) or topsis",
    )
    rank.add_argument("--profile", help="weight profile (default: the published one)")
    rank.set_defaults(func=cmd_rank)

    init = sub.add_parser(
        "init",
        parents=[common],
        help="create a database",
        description="Create a database: the demo procurement, or with --empty a real tender.",
    )
    init.add_argument("--empty", action="store_true", help="no demo data")
    init.add_argument("--force", action="store_true", help="replace an existing file")
    init.set_defaults(func=cmd_init)

    export = sub.add_parser(
        "export-template",
        parents=[common],
        help="write the requirement specification for vendors (.xlsx)",
        description="Write the requirement specification as an Excel workbook for vendors "
        "to fill in. It carries the catalogue version and fingerprint.",
    )
    export.add_argument("out", metavar="OUT.xlsx", help="the file to write")
    weights = export.add_mutually_exclusive_group()
    weights.add_argument(
        "--show-weights",
        dest="show_weights",
        action="store_true",
        default=None,
        help="show requirement weights (default: the working group's setting)",
    )
    weights.add_argument(
        "--hide-weights", dest="show_weights", action="store_false", help="leave weights out"
    )
    export.set_defaults(func=cmd_export_template)

    imp = sub.add_parser(
        "import-responses",
        parents=[common],
        help="import a vendor's filled-in requirement specification",
        description="Check a vendor's filled-in workbook and, if nothing is wrong, replace "
        "that offer's answers with it. A refused file changes nothing; each problem is "
        "printed on stderr with sheet, row and column, and the exit status is 1.",
    )
    imp.add_argument("file", metavar="FILE.xlsx", help="the vendor's workbook")
    imp.add_argument(
        "--vendor", required=True, metavar="ID", help="vendor id (with one offer) or offer id"
    )
    imp.add_argument(
        "--lang",
        choices=list(LANGUAGES),
        default=DEFAULT_LANGUAGE,
        help="language of the problem messages (default: nb)",
    )
    imp.set_defaults(func=cmd_import_responses)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (CliError, BibvalgError, ProblemError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
