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

from scoring.methods import METHODS, Problem, ProblemError, rank_problem
from scoring.price import PRICE_MODELS, PriceModelError
from scoring.procurement import evaluate, method_result, published_price_model, with_price_model
from vendors import repository as repo
from vendors.db import connect, default_db_path, open_database
from vendors.errors import BibvalgError
from vendors.procurement import load_inputs, profile_weights


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


def rank_procurement(
    db: Path, method: str, profile_name: str | None, price_model: str | None = None
) -> dict[str, Any]:
    """Rank the procurement in a database with the published model, or another method or
    price model beside it."""
    con = open_database(db)
    try:
        inputs = load_inputs(con)
        name = profile_name or repo.published_profile_name(con)
        if inputs.offers.empty or not name:
            raise CliError(f"{db} holds no offers or no published weight profile yet")
        weights = profile_weights(repo.load_profile(con, name))
    finally:
        con.close()
    if price_model:
        inputs = with_price_model(inputs, price_model)
    evaluation = evaluate(inputs, weights)
    offers = inputs.offers.set_index("id")
    eligible = list(evaluation.total.index)
    result = method_result(evaluation, method)
    scores, ranks = result.scores.tolist(), result.ranks.tolist()
    return {
        "method": method,
        "alternatives": eligible,
        "scores": scores,
        "ranks": ranks,
        "vendors": [str(offers.loc[o, "vendor_name"]) for o in eligible],
        "profile": name,
        "price_model": published_price_model(inputs),
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
        if args.price_model:
            raise CliError("--price-model applies to the procurement, not to --problem")
        result = rank_problem(_read_problem(Path(args.problem)), args.method).to_dict()
    else:
        result = rank_procurement(Path(args.db), args.method, args.profile, args.price_model)
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
        choices=list(METHODS),
        default="wsm",
        help="wsm (weighted sum, the published model), or beside it wpm, topsis, vikor, "
        "electre2; vikor and electre2 scores are better low",
    )
    rank.add_argument(
        "--price-model",
        choices=list(PRICE_MODELS),
        help="price model for the procurement (default: the published one)",
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
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit status."""
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (CliError, BibvalgError, ProblemError, PriceModelError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
