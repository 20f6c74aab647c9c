"""The command line's tender commands: set up a real tender over the same functions as the
Oppsett page (libraries, evaluators, vendors and offers), open the offers, and see where
the work stands. ``cli.build_parser`` adds them; each command is a call and a print."""

from __future__ import annotations

import argparse
import inspect
import json
import sys
from collections.abc import Iterator
from contextlib import closing, contextmanager
from datetime import date
from pathlib import Path
from typing import Any


def _print_json(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str)
    print()


def _report(args: argparse.Namespace, document: Any, text: str) -> int:
    """Print ``document`` as JSON with --json, else ``text``; the command succeeded."""
    if args.json:
        _print_json(document)
    else:
        print(text)
    return 0


def refused_file(args: argparse.Namespace, path: Path, refused: Any, **fields: Any) -> int:
    """Report a refused file (``store.problems.ProblemsFound``): each problem on stderr,
    the JSON document with --json (``fields`` in it too); exit status 1."""
    for problem in refused.problems:
        print(f"{path.name}: {problem.line(args.lang)}", file=sys.stderr)
    print(f"error: {refused.translated(args.lang)}", file=sys.stderr)
    if args.json:
        problems = [p.as_dict() for p in refused.problems]
        _print_json({"accepted": False, **fields, "problems": problems})
    return 1


@contextmanager
def _database(args: argparse.Namespace) -> Iterator[Any]:
    """The database named by --db, closed when the block ends."""
    from store.db import open_database

    with closing(open_database(Path(args.db))) as con:
        yield con


def cmd_libraries_import(args: argparse.Namespace) -> int:
    """import the library list (CSV or .xlsx)

    Import the county's list of participating libraries. Every row is checked first; a list with
    any problem is refused whole (each problem on stderr with its row and column, exit status
    1). Libraries are added or updated by id.
    """
    from store import libraries
    from store.problems import LibraryListRefused

    path = Path(args.file)
    data = path.read_bytes()
    try:
        with _database(args) as con:
            ids = libraries.import_libraries(con, data, actor=args.actor, file_name=path.name)
    except LibraryListRefused as refused:
        return refused_file(args, path, refused)
    return _report(
        args,
        {"accepted": True, **ids},
        f"Imported {path.name}: {len(ids['added'])} added, {len(ids['changed'])} changed, "
        f"{len(ids['unchanged'])} unchanged.",
    )


def cmd_evaluators_add(args: argparse.Namespace) -> int:
    from store import evaluators

    with _database(args) as con:
        evaluators.add_evaluator(
            con, args.id, name=args.name, role_nb=args.role, role_en=args.role, actor=args.actor
        )
        if args.declaration is not None:
            no_ties = args.declaration.strip().lower() in NO_TIES
            evaluators.declare_impartiality(
                con,
                evaluators.Declaration(
                    args.id, date.today(), no_ties, "" if no_ties else args.declaration
                ),
                actor=args.actor,
            )
        row = evaluators.evaluators(con).set_index("id").loc[args.id]
    declared = (
        None
        if row["declared_on"] is None or str(row["declared_on"]) == "NaT"
        else str(row["declared_on"])[:10]
    )
    note = f"declared {declared}" if declared else "no declaration of impartiality yet"
    return _report(
        args,
        {"id": args.id, "name": args.name, "declared_on": declared},
        f"Added evaluator {args.id} ({note}).",
    )


NO_TIES = {"none", "no ties", "ingen", "ingen bindinger"}


def cmd_vendors_add(args: argparse.Namespace) -> int:
    from store import offers
    from store.db import transaction

    with _database(args) as con, transaction(con):
        offers.write_vendor(
            con,
            args.id,
            name=args.name,
            org_number=args.org_number,
            contact=args.contact,
            actor=args.actor,
        )
        if args.offer:
            offers.write_offer(
                con, args.offer, vendor=args.id, product=args.product or "", actor=args.actor
            )
    return _report(
        args,
        {"vendor": args.id, "offer": args.offer},
        f"Registered vendor {args.id}" + (f" with offer {args.offer}." if args.offer else "."),
    )


def cmd_open_offers(args: argparse.Namespace) -> int:
    """open the offers of a round

    Record that the offers are opened (who and when). Refused until the evaluation model is
    frozen; after it, a new answer file is a correction with a reason.
    """
    from store import opening

    with _database(args) as con:
        opened = opening.open_offers(con, actor=args.actor, round_number=args.round)
    return _report(
        args,
        {"round": opened.round, "opened_at": opened.opened_at, "opened_by": opened.opened_by},
        f"Opened the offers of round {opened.round} at {opened.opened_at:%Y-%m-%d %H:%M}.",
    )


def cmd_status(args: argparse.Namespace) -> int:
    """where the work stands

    The tender's steps from the specification to the ranking, what each still lacks, and each
    evaluator's progress (counts only).
    """
    from analysis.stage import STEP_NAMES, stage
    from locales import gettext_for

    with _database(args) as con:
        where = stage(con)
    if args.json:
        _print_json(where.to_dict())
        return 0
    for step in where.steps:
        mark = "done" if step.done else "    "
        print(f"[{mark}] {gettext_for(args.lang, STEP_NAMES[step.key])}")
        for missing in step.missing:
            print(f"         {gettext_for(args.lang, missing.message).format(**missing.params)}")
    for p in where.evaluators:
        state = "submitted" if p.submitted else "not submitted"
        print(f"{p.evaluator_id}: {p.done} of {p.total} done, {state}")
    return 0


def _group(sub: Any, name: str, help: str) -> Any:
    """A command ``name`` whose actions are added to the returned subparsers."""
    group = sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".")
    return group.add_subparsers(dest=f"{name}_command", required=True, metavar="ACTION")


def command(sub: Any, name: str, func: Any, **options: Any) -> argparse.ArgumentParser:
    """The subcommand ``name`` of ``sub`` (``options`` as ``add_parser`` takes them), which
    runs ``func``. Without a ``help`` option, the first line of ``func``'s docstring is the
    command's help and the rest its description."""
    if "help" not in options:
        help, _, description = inspect.cleandoc(func.__doc__ or "").partition("\n")
        options = {"help": help, "description": " ".join(description.split()), **options}
    parser: argparse.ArgumentParser = sub.add_parser(name, **options)
    parser.set_defaults(func=func)
    return parser


def language_option(languages: Any) -> argparse.ArgumentParser:
    """A parent parser for ``--lang``, the language of the messages."""
    lang = argparse.ArgumentParser(add_help=False)
    lang.add_argument(
        "--lang", choices=languages, default="nb", help="language of the messages (default: nb)"
    )
    return lang


def add_commands(
    sub: Any, common: argparse.ArgumentParser, actor: argparse.ArgumentParser, languages: Any
) -> None:
    """The tender commands, under ``sub``."""
    lang = language_option(languages)

    imp = command(
        _group(sub, "libraries", "the participating libraries"),
        "import",
        cmd_libraries_import,
        parents=[common, actor, lang],
    )
    imp.add_argument("file", metavar="FILE", help="a CSV (UTF-8) or .xlsx file")

    def add_action(group: str, func: Any, help: str, description: str) -> argparse.ArgumentParser:
        """``GROUP add ID --name NAME``: register something new by its id and name."""
        parser = command(
            _group(sub, group, f"the {group}"),
            "add",
            func,
            parents=[common, actor],
            help=help,
            description=description,
        )
        parser.add_argument("id", metavar="ID")
        parser.add_argument("--name", required=True)
        return parser

    add = add_action(
        "evaluators",
        cmd_evaluators_add,
        "add an evaluator",
        "Add an evaluator. --declaration records the declaration of impartiality dated today: "
        "'none' for no ties to any bidder, or the tie described. An evaluator scores only "
        "after declaring.",
    )
    add.add_argument("--role", default="", help="the evaluator's role, shown beside the name")
    add.add_argument("--declaration", metavar="TEXT", help="'none', or the tie described")

    vadd = add_action(
        "vendors",
        cmd_vendors_add,
        "register a vendor and its offer",
        "Register a vendor (its Norwegian organisation number is checked) and, with --offer, "
        "its offer.",
    )
    vadd.add_argument("--org-number", default="", metavar="NNNNNNNNN")
    vadd.add_argument("--contact", default="")
    vadd.add_argument("--offer", metavar="ID", help="register the vendor's offer too")
    vadd.add_argument("--product", metavar="TEXT", help="the product offered (with --offer)")

    opened = command(sub, "open-offers", cmd_open_offers, parents=[common, actor])
    opened.add_argument(
        "--round", type=int, metavar="N", help="the round to open (default: the next)"
    )

    command(sub, "status", cmd_status, parents=[common, lang])
