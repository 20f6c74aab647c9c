"""bibvalg on the command line: the same functions the app uses, for scripts and batch work.

Every command takes --db PATH (default $BIBVALG_DB or data/bibvalg.duckdb); commands that
report take --json and then print one JSON document on stdout. Errors go to stderr with a
non-zero exit.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any, NoReturn

import cli_award
import cli_backup
import cli_catalogue
import cli_input
import cli_language
import cli_people
import cli_report
import cli_scores
import cli_tender
from cli_progress import Progress
from cli_progress import for_command as _progress
from cli_tender import command
from store.errors import BibvalgError, DatabaseInUse

# What the parser offers. Kept here rather than imported, so that `cli.py --help` starts
# without numpy, pandas, scipy or DuckDB; tests/test_cli.py checks each against the
# module it mirrors. Heavy libraries are imported inside the commands that use them.
RANK_METHODS = ("wsm", "wpm", "topsis", "vikor", "electre2")  # scoring.methods.METHODS
# The batch engine's methods (scoring.batch.BATCH_METHODS) that a user picks; its
# "points" is the published model, which "wsm" selects on the procurement.
SMAA_METHODS = ("wsm", "topsis")
PRICE_MODEL_NAMES = (  # scoring.price.PRICE_MODELS
    "linear",
    "linear-no-floor",
    "proportional",
    "fixed-range",
    "logarithmic",
    "quality-pricing",
)
LANGUAGE_NAMES = ("nb", "en")  # locales.LANGUAGES
DEFAULT_LANGUAGE = "nb"  # locales.DEFAULT_LANGUAGE
DB_ENV_VAR = "BIBVALG_DB"  # store.db.default_db_path
DEFAULT_DB_PATH = Path("data") / "bibvalg.duckdb"
DEFAULT_SAMPLES = 10_000  # scoring.smaa
DEFAULT_SEED = 1
DEFAULT_WEIGHT_SAMPLING = "dirichlet:50"

CLI_ACTOR = "cli"
# A problem file is refused above this size, before it is read: parsing JSON takes about
# fourteen times the file's size in memory.
MAX_PROBLEM_BYTES = 20_000_000
# Exit statuses: 1 only where the README says so (a broken audit chain under --verify, a
# refused import); 2 for anything else the user got wrong; 130 when interrupted.
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130
EXIT_PIPE_CLOSED = 141  # as a shell reports a command stopped by SIGPIPE
SELF_DECLARED_NOTE = (
    "note: --as {name} is self-declared (the command line has no sign-in, as the app in local "
    "mode has none); it only chooses which unsubmitted values are shown"
)
NO_ANCHOR_NOTE = (
    "without --anchor this check cannot know whether the newest entries were removed (with "
    "the chain's head rewritten) or the whole chain recomputed after an edit; check against "
    "the anchor written in the minutes"
)


# Exit status when another program holds the database file (1: a refused file or a broken
# audit chain; 2: any other error).
EXIT_DATABASE_IN_USE = 3


class CliError(Exception):
    """An error to print on stderr before exiting with status 2."""


class UsageError(CliError):
    """Arguments the parser refuses."""


def default_db() -> str:
    """``$BIBVALG_DB`` if set, else ``data/bibvalg.duckdb`` (as ``store.db`` decides)."""
    return str(Path(os.environ.get(DB_ENV_VAR) or DEFAULT_DB_PATH))


def _print_json(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def read_problem_text(path: Path, limit: int | None = None) -> str:
    """A problem file's text: UTF-8, with or without a byte-order mark, at most ``limit``
    bytes (default ``MAX_PROBLEM_BYTES``). The size is checked before the file is read."""
    limit = MAX_PROBLEM_BYTES if limit is None else limit
    try:
        size = path.stat().st_size
        if size > limit:
            raise CliError(
                f"{path}: the file is {size / 1e6:,.1f} MB; problem files are limited to "
                f"{limit / 1e6:,.0f} MB"
            )
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except IsADirectoryError as exc:
        raise CliError(f"{path}: is a directory, not a problem file") from exc
    except FileNotFoundError as exc:
        raise CliError(f"{path}: no such file") from exc
    except OSError as exc:
        raise CliError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    if len(data) > limit:
        raise CliError(f"{path}: problem files are limited to {limit / 1e6:,.0f} MB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CliError(
            f"{path}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save the file as UTF-8"
        ) from exc


def _read_problem(path: Path) -> Any:
    text = read_problem_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CliError(f"{path}: not valid JSON ({exc})") from exc
    except RecursionError as exc:
        raise CliError(f"{path}: the JSON is nested too deeply to be a decision problem") from exc
    if not isinstance(data, dict):
        raise CliError(f"{path}: expected a JSON object")
    from scoring.methods import Problem, ProblemError  # after the file: it loads scipy

    try:
        return Problem.from_dict(data)
    except ProblemError as exc:
        raise CliError(f"{path}: {exc}") from exc
    except (ValueError, TypeError, RecursionError) as exc:
        # Anything else from_dict raises on what the file holds is a refusal too.
        raise CliError(f"{path}: not a decision problem ({exc})") from exc


def rank_procurement(
    db: Path, method: str, profile_name: str | None, price_model: str | None = None
) -> dict[str, Any]:
    """Rank the procurement in a database (the analysis the app's pages call too)."""
    from analysis import ranking
    from store.db import open_database

    con = open_database(db)
    try:
        return ranking.rank_procurement(con, method, profile_name, price_model)
    finally:
        con.close()


def cmd_rank(args: argparse.Namespace) -> int:
    """rank the procurement, or any decision problem

    Rank the offers in the database with the published model (a weighted sum of points), or rank
    a decision problem given as JSON.
    """
    if args.problem:
        if args.price_model:
            raise CliError("--price-model applies to the procurement, not to --problem")
        problem = _read_problem(Path(args.problem))
        from scoring.methods import rank_problem

        with _progress(args, f"ranking with {args.method}"):
            result = rank_problem(problem, args.method).to_dict()
    else:
        with _progress(args, "ranking the procurement"):
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
    """create a database

    Create a database: the demo procurement, or with --empty a real tender.
    """
    from store.db import connect, open_database

    db = Path(args.db)
    if db.exists() and args.if_missing:
        if args.json:
            _print_json({"db": str(db), "created": False})
        else:
            print(f"{db} is there already; left as it is.")
        return 0
    if db.exists():
        if not args.force:
            raise CliError(f"{db} already exists; use --force to replace it")
        db.unlink()
    if (args.name or args.contract_years) and not args.empty:
        raise CliError("--name and --contract-years set up an empty tender: add --empty")
    with _progress(args, f"creating {db}"):
        con = connect(db) if args.empty else open_database(db)
        try:
            if args.name or args.contract_years:
                from store import tender

                tender.save_tender(
                    con,
                    tender.Tender(name=args.name or "", contract_years=args.contract_years or 4),
                    actor=CLI_ACTOR,
                )
        except BaseException:
            con.close()
            db.unlink(missing_ok=True)
            raise
        con.close()
    summary = {"db": str(db), "demo": not args.empty, "created": True}
    if args.json:
        _print_json(summary)
    else:
        kind = "an empty tender" if args.empty else "the demo procurement"
        print(f"Created {db} with {kind}.")
    return 0


def smaa_procurement(
    db: Path,
    method: str,
    profile_name: str | None,
    sampling: str,
    samples: int,
    seed: int,
    score_sampling: bool,
    progress: Progress | None = None,
) -> dict[str, Any]:
    """SMAA-2 on the procurement in a database (the analysis the app's pages call too)."""
    from analysis import robustness
    from store.db import open_database

    con = open_database(db)
    try:
        return robustness.smaa_document(
            con, method, profile_name, sampling, samples, seed, score_sampling, progress
        )
    finally:
        con.close()


def cmd_smaa(args: argparse.Namespace) -> int:
    """rank acceptabilities, central weights and confidence factors (SMAA-2)

    Draw many weightings (and, on the procurement, the evaluators' scores), rank the offers for
    each and count how often each takes each rank.
    """
    if args.problem:
        if args.score_sampling != "none":
            raise CliError("a decision problem has no evaluators' scores to draw from")
        problem = _read_problem(Path(args.problem))
        from analysis import robustness

        with _progress(args, "SMAA") as progress:
            result = robustness.smaa_problem(
                problem, args.method, args.weight_sampling, args.samples, args.seed, progress
            )
    else:
        with _progress(args, "SMAA") as progress:
            result = smaa_procurement(
                Path(args.db),
                args.method,
                args.profile,
                args.weight_sampling,
                args.samples,
                args.seed,
                args.score_sampling == "evaluators",
                progress,
            )
    if args.json:
        _print_json(result)
        return 0
    names = result.get("vendors", result["alternatives"])
    width = max(len(a) for a in names)
    ranks = len(result["alternatives"])
    print(f"{'':<{width}}  " + "  ".join(f"rank {r + 1:<3}" for r in range(ranks)) + "  confidence")
    for name, row, conf in zip(
        names, result["rank_acceptability"], result["confidence"], strict=True
    ):
        shares = "  ".join(f"{100 * v:7.1f}%" for v in row)
        confidence = "      –" if conf is None else f"{100 * conf:9.1f}%"
        print(f"{name:<{width}}  {shares}  {confidence}")
    print(
        f"{result['samples']} samples, seed {result['seed']}, weights {result['weight_sampling']}"
        f", scores {result['score_sampling']}"
    )
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """time the batch engine, SMAA and the weights page

    Benchmarks of the robustness analyses: figures and where the time goes. Takes a few minutes;
    --tiny runs small sizes to check that it works.
    """
    from benchmarks.robustness import format_report, run_benchmarks

    with _progress(args, "bench") as progress:
        figures = run_benchmarks(tiny=args.tiny, pages_only=args.pages, progress=progress.step)
    if args.json:
        _print_json(figures)
    else:
        print(format_report(figures))
    return 0


def _model_document(con: Any) -> dict[str, Any]:
    from store import freeze

    status = freeze.status(con)
    history = freeze.history(con)
    return {
        "fingerprint": status.current,
        "state": status.state,
        "frozen": None
        if status.freeze is None
        else {
            "fingerprint": status.freeze.fingerprint,
            "at": status.freeze.frozen_at.isoformat(sep=" "),
            "by": status.freeze.frozen_by,
            "reason": status.freeze.reason,
        },
        "changes_after_freeze": status.changes,
        "history": [
            {
                "at": row["recorded_at"].isoformat(sep=" "),
                "event": row["event"],
                "fingerprint": row["fingerprint"],
                "by": row["actor"],
                "reason": row["reason"],
            }
            for row in history.to_dict("records")
        ],
    }


def cmd_freeze(args: argparse.Namespace) -> int:
    """freeze the evaluation model

    Freeze the evaluation model before the offers are opened: record its SHA-256 fingerprint and
    the time. After that, a change to the model needs a reason.
    """
    from store import freeze
    from store.db import open_database

    con = open_database(Path(args.db))
    try:
        freeze.freeze_model(con, actor=args.actor, reason=args.reason)
        document = _model_document(con)
    finally:
        con.close()
    if args.json:
        _print_json(document)
    else:
        print(f"Frozen. Fingerprint: {document['fingerprint']}")
    return 0


def cmd_model(args: argparse.Namespace) -> int:
    """show the model's fingerprint and history

    The evaluation model's current fingerprint, whether it matches the frozen one, and every
    fingerprint recorded since the freeze.
    """
    from store.db import open_database

    con = open_database(Path(args.db))
    try:
        document = _model_document(con)
    finally:
        con.close()
    if args.json:
        _print_json(document)
        return 0
    print(f"fingerprint  {document['fingerprint']}")
    print(f"state        {document['state']}")
    for row in document["history"]:
        short = row["fingerprint"][:12]
        print(f"{row['at']}  {row['event']:<7} {short}  {row['by']}  {row['reason']}")
    return 0


def cmd_setting(args: argparse.Namespace) -> int:
    """show or change a procurement setting

    Show a setting, or change it when a value is given. Settings of the evaluation model
    (price_model, contract_years, published_profile, ...) need --reason after the freeze.
    """
    from store import freeze, settings
    from store.db import open_database

    con = open_database(Path(args.db))
    try:
        if args.value is not None:
            settings.set_setting(con, args.key, args.value, actor=args.actor, reason=args.reason)
        value = settings.settings(con).get(args.key)
    finally:
        con.close()
    if value is None:
        raise CliError(f"no setting named {args.key!r}")
    if args.json:
        _print_json({"key": args.key, "value": value, "model": freeze.is_model_setting(args.key)})
    else:
        print(value)
    return 0


class Parser(argparse.ArgumentParser):
    """argparse, but a refused argument raises UsageError: main() prints it in one line."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see {self.prog} --help)")


def _whole_number(text: str, least: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = least - 1
    if value < least:
        raise argparse.ArgumentTypeError(f"{what}, not {text!r}")
    return value


def _positive(text: str) -> int:
    return _whole_number(text, 1, "a whole number of 1 or more")


def _seed(text: str) -> int:
    return _whole_number(text, 0, "a whole number of 0 or more")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text}") from exc


def cmd_audit(args: argparse.Namespace) -> int:
    """read, filter, export and verify the audit log

    Print the audit log (oldest first), filtered by who, what and when, and check its hash
    chain. Nothing here can change an entry.
    """
    from store import audit
    from store.db import open_database

    if args.viewer:
        print(SELF_DECLARED_NOTE.format(name=args.viewer), file=sys.stderr)
    anchor = audit.Anchor.parse(args.anchor) if args.anchor else None
    con = open_database(Path(args.db))
    try:
        where = audit.LogFilter(
            actors=tuple(args.actor or ()),
            entities=tuple(args.entity or ()),
            actions=tuple(args.action or ()),
            since=args.since,
            until=args.until,
        )
        entries = audit.entries(con, viewer=args.viewer, where=where)
        report = audit.verify(con, anchor=anchor)
    finally:
        con.close()
    if args.csv:
        Path(args.csv).write_bytes(audit.to_csv(entries))
    chain = {
        "intact": report.intact,
        "entries": report.entries,
        "sealed": report.sealed,
        "before_chain": report.before_chain,
        "head_hash": report.head_hash,
        "anchor": report.current.line if report.current else None,
        "checked_against_anchor": report.anchor.line if report.anchor else None,
        "cannot_know": None if report.anchored else NO_ANCHOR_NOTE,
        "problems": [{"entry": p.entry_id, "kind": p.kind} for p in report.problems],
    }
    if args.json:
        records = json.loads(entries.to_json(orient="records", date_format="iso"))
        _print_json({"chain": chain, "entries": records})
    else:
        for row in entries.to_dict("records"):
            old, new = (
                row[k] if isinstance(row[k], str) else "–" for k in ("old_value", "new_value")
            )
            values = "(hidden)" if row["hidden"] else f"{old} -> {new}"
            print(
                f"{row['id']:>5}  {row['logged_at']:%Y-%m-%d %H:%M:%S}  {row['actor']:<12}"
                f" {row['action']:<10} {row['entity']}:{row['entity_id']}  {values}"
                + (f"  ({row['reason']})" if row["reason"] else "")
            )
        state = "intact" if report.intact else "CHANGED OUTSIDE BIBVALG"
        print(f"log {state}: {report.sealed} sealed entries, chain ends in {report.head_hash}")
        for problem in report.problems:
            print(f"  entry {problem.entry_id}: {problem.kind}")
        if report.current is not None:
            print(f"anchor (write it in the minutes): {report.current.line}")
        if report.anchor is not None:
            held = not any(p.kind == "anchor" for p in report.problems)
            print(f"checked against anchor {report.anchor.line}: {'held' if held else 'BROKEN'}")
        else:
            print(NO_ANCHOR_NOTE)
    return 0 if report.intact or not args.verify else 1


def cmd_export_template(args: argparse.Namespace) -> int:
    """write the requirement specification for vendors (.xlsx)

    Write the requirement specification as an Excel workbook for vendors to fill in. It carries
    the catalogue version and fingerprint.
    """
    from store.db import open_database
    from vendors import responses

    out = Path(args.out)
    con = open_database(Path(args.db))
    try:
        offer = responses.resolve_offer(con, args.vendor) if args.vendor else None
        export = responses.export_template(
            con, actor=args.actor, show_weights=args.show_weights, offer_id=offer
        )
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
    """import a vendor's filled-in requirement specification

    Check a vendor's filled-in workbook and, if nothing is wrong, replace that offer's answers
    and prices in the round with it. A refused file changes nothing; each problem is printed on
    stderr with sheet, row and column, and the exit status is 1.
    """
    from store.db import open_database
    from store.problems import WorkbookRefused
    from vendors import responses

    path = Path(args.file)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CliError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    con = open_database(Path(args.db))
    try:
        offer = responses.resolve_offer(con, args.vendor)
        with _progress(args, f"checking {path.name}"):
            if args.dry_run:
                result = responses.preview_import(
                    con, offer, data, file_name=path.name, round_number=args.round
                )
            else:
                result = responses.import_responses(
                    con,
                    offer,
                    data,
                    actor=args.actor,
                    file_name=path.name,
                    reason=args.reason,
                    round_number=args.round,
                )
    except WorkbookRefused as refused:
        return cli_tender.refused_file(args, path, refused, file=str(path))
    finally:
        con.close()
    if args.json:
        _print_json({"accepted": True, "dry_run": args.dry_run, **result.as_dict()})
    else:
        print(
            f"{'Would import' if args.dry_run else 'Imported'} {path.name} for {offer}, "
            f"round {result.round}: {result.answers} answers "
            f"({len(result.added)} new, {len(result.changed)} changed, "
            f"{len(result.removed)} removed, {result.unchanged} unchanged), "
            f"{result.prices} prices ({len(result.prices_added)} new, "
            f"{len(result.prices_changed)} changed, {len(result.prices_removed)} removed); "
            f"{result.scores_resting} score(s) already given rest on a changed answer; "
            f"SHA-256 {result.sha256}."
        )
    return 0


def _problem_arguments(
    parser: argparse.ArgumentParser, methods: Sequence[str], method_help: str
) -> None:
    """``--problem``, ``--method`` and ``--profile``: what ``rank`` and ``smaa`` rank."""
    parser.add_argument(
        "--problem",
        metavar="FILE.json",
        help="a decision problem instead of the procurement in the database: "
        '{"alternatives", "criteria", "matrix", "weights", "objectives"}; '
        f"at most {MAX_PROBLEM_BYTES // 1_000_000} MB",
    )
    parser.add_argument("--method", choices=methods, default="wsm", help=method_help)
    parser.add_argument("--profile", help="weight profile (default: the published one)")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser: one subcommand per task."""
    common = Parser(add_help=False)
    common.add_argument(
        "--db",
        default=default_db(),
        help="database file (default: $BIBVALG_DB or data/bibvalg.duckdb)",
    )
    common.add_argument("--json", action="store_true", help="print one JSON document")
    common.add_argument(
        "--quiet", action="store_true", help="no progress bar on stderr (errors still show)"
    )

    parser = Parser(
        prog="cli.py",
        description="bibvalg: choosing a library system together.",
        epilog="Exit status: 0 done; 1 audit --verify found the chain broken, or an import "
        "(import-responses, libraries import, catalogue import, scores import) refused the "
        "file; 2 anything else went wrong (one line on stderr).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    rank = command(sub, "rank", cmd_rank, parents=[common])
    _problem_arguments(
        rank,
        RANK_METHODS,
        "wsm (weighted sum, the published model), or beside it wpm, topsis, vikor, electre2; "
        "vikor and electre2 scores are better low",
    )
    rank.add_argument(
        "--price-model",
        choices=PRICE_MODEL_NAMES,
        help="price model for the procurement (default: the published one)",
    )

    init = command(sub, "init", cmd_init, parents=[common])
    init.add_argument("--empty", action="store_true", help="no demo data")
    init.add_argument("--force", action="store_true", help="replace an existing file")
    init.add_argument(
        "--if-missing",
        action="store_true",
        help="only when the file is not there yet (make run builds the demo so, before the "
        "app starts); an existing file is left as it is",
    )
    init.add_argument("--name", help="the tender's name (with --empty)")
    init.add_argument(
        "--contract-years", type=int, metavar="N", help="the contract period (with --empty)"
    )

    smaa = command(sub, "smaa", cmd_smaa, parents=[common])
    _problem_arguments(
        smaa, SMAA_METHODS, "wsm (on the procurement: the published model) or topsis"
    )
    smaa.add_argument(
        "--samples",
        type=_positive,
        default=DEFAULT_SAMPLES,
        help=f"draws (default {DEFAULT_SAMPLES})",
    )
    smaa.add_argument(
        "--seed",
        type=_seed,
        default=DEFAULT_SEED,
        help=f"random seed, 0 or more (default {DEFAULT_SEED})",
    )
    smaa.add_argument(
        "--weight-sampling",
        default=DEFAULT_WEIGHT_SAMPLING,
        metavar="SPEC",
        help="uniform, dirichlet:K, box:P or (procurement) groups:K "
        f"(default {DEFAULT_WEIGHT_SAMPLING})",
    )
    smaa.add_argument(
        "--score-sampling",
        choices=["none", "evaluators"],
        default="none",
        help="also draw scores from the evaluators' spread (procurement only)",
    )

    bench = command(sub, "bench", cmd_bench, parents=[common])
    bench.add_argument("--tiny", action="store_true", help="small sizes, a few seconds")
    bench.add_argument(
        "--pages",
        action="store_true",
        help="only every page's first visit and rerun in AppTest (demo and a large tender)",
    )

    actor = Parser(add_help=False)
    actor.add_argument(
        "--actor",
        default=CLI_ACTOR,
        help=f"who is acting, written to the audit log (default: {CLI_ACTOR}); where roles are "
        "enforced, a person on the list whose roles allow the change (an admin may do all)",
    )

    freeze_cmd = command(sub, "freeze", cmd_freeze, parents=[common, actor])
    freeze_cmd.add_argument("--reason", default="", help="a note kept with the freeze")

    command(sub, "model", cmd_model, parents=[common])

    setting = command(sub, "setting", cmd_setting, parents=[common, actor])
    setting.add_argument("key")
    setting.add_argument("value", nargs="?")
    setting.add_argument("--reason", default="", help="why (logged)")

    audit_cmd = command(sub, "audit", cmd_audit, parents=[common])
    audit_cmd.add_argument("--actor", action="append", help="only entries by this actor")
    audit_cmd.add_argument("--entity", action="append", help="only entries about this entity")
    audit_cmd.add_argument("--action", action="append", help="only this action")
    audit_cmd.add_argument("--since", type=_day, help="from this day (YYYY-MM-DD)")
    audit_cmd.add_argument("--until", type=_day, help="up to and including this day")
    audit_cmd.add_argument(
        "--as",
        dest="viewer",
        metavar="EVALUATOR",
        help="read as this evaluator (their unsubmitted values are shown to them only). "
        "Self-declared: the command line has no sign-in, so anyone can give any name; a note "
        "on stderr says so",
    )
    audit_cmd.add_argument("--csv", metavar="FILE", help="also write the entries as CSV")
    audit_cmd.add_argument(
        "--verify", action="store_true", help="exit with status 1 if the chain is broken"
    )
    audit_cmd.add_argument(
        "--anchor",
        metavar="HASH[:COUNT]",
        help="check the log against an anchor written in the minutes: the log must still "
        "hold that hash as entry number COUNT (the anchor is printed by every audit run)",
    )
    export = command(sub, "export-template", cmd_export_template, parents=[common, actor])
    export.add_argument("out", metavar="OUT.xlsx", help="the file to write")
    export.add_argument(
        "--vendor",
        metavar="ID",
        help="the vendor (with one offer) or offer the workbook is sent to; it is then "
        "refused for any other offer",
    )
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

    imp = command(sub, "import-responses", cmd_import_responses, parents=[common, actor])
    imp.add_argument("file", metavar="FILE.xlsx", help="the vendor's workbook")
    imp.add_argument(
        "--round",
        type=int,
        metavar="N",
        help="the round the offer belongs to (default: the current round)",
    )
    imp.add_argument(
        "--dry-run",
        action="store_true",
        help="say what the import would change (answers, prices, scores resting on a "
        "changed answer) and write nothing",
    )
    imp.add_argument(
        "--vendor", required=True, metavar="ID", help="vendor id (with one offer) or offer id"
    )
    imp.add_argument(
        "--lang",
        choices=LANGUAGE_NAMES,
        default=DEFAULT_LANGUAGE,
        help="language of the problem messages (default: nb)",
    )
    imp.add_argument(
        "--reason",
        default="",
        help="after the offers are opened, a new file is a correction and needs a reason",
    )
    cli_tender.add_commands(sub, common, actor, LANGUAGE_NAMES)
    cli_catalogue.add_commands(sub, common, actor, LANGUAGE_NAMES)
    cli_scores.add_commands(sub, common, actor, LANGUAGE_NAMES)
    cli_input.add_commands(sub, common, actor, LANGUAGE_NAMES)
    cli_people.add_commands(sub, common, actor)
    cli_report.add_commands(sub, common, LANGUAGE_NAMES)
    cli_backup.add_commands(sub, common, actor)
    cli_award.add_commands(sub, common, actor, LANGUAGE_NAMES)
    cli_language.add_commands(sub, common)
    return parser


def user_error(exc: BaseException) -> str | None:
    """What went wrong, in one line, if the user caused it; None for a fault of bibvalg's.

    The scoring and database modules' errors are looked up only if those modules are
    loaded: a command that never imported them cannot have raised them.
    """
    message: str | None = None
    if isinstance(exc, CliError | BibvalgError):
        message = str(exc)
    elif isinstance(exc, OSError):
        where = f"{exc.filename}: " if exc.filename else ""
        message = f"{where}{exc.strerror or exc}"
    else:
        for module, name in (
            ("scoring.methods", "ProblemError"),
            ("scoring.price", "PriceModelError"),
        ):
            loaded = sys.modules.get(module)
            if loaded is not None and isinstance(exc, getattr(loaded, name)):
                message = str(exc)
        duckdb = sys.modules.get("duckdb")
        if duckdb is not None and isinstance(exc, duckdb.IOException):
            message = f"cannot use the database: {exc}"
    if message is None:
        return None
    return " ".join(part.strip() for part in message.splitlines() if part.strip())


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit status (see the README's Command line section)."""
    try:
        args = build_parser().parse_args(argv)
        return int(args.func(args))
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader stopped early (`| head`): nothing to say. Point stdout at /dev/null so
        # that Python's final flush does not complain either.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PIPE_CLOSED
    except Exception as exc:
        if isinstance(exc, DatabaseInUse):
            language = getattr(args, "lang", DEFAULT_LANGUAGE)
            print(f"error: {exc.translated(language)}", file=sys.stderr)
            return EXIT_DATABASE_IN_USE
        message = user_error(exc)
        if message is None:
            raise
        print(f"error: {message}", file=sys.stderr)
        return EXIT_USER_ERROR


if __name__ == "__main__":
    sys.exit(main())
