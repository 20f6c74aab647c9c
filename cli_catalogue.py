"""The command line's catalogue commands: the working group's catalogue workbook out and
back in, and a new tender's catalogue started from the demo's as a template. The same
functions as the Oppsett page; ``cli.build_parser`` adds them."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from cli_tender import _database, _print_json, _report, command, language_option, refused_file

T = TypeVar("T")

# A catalogue workbook is refused above this size before it is read (as vendors' files).
MAX_WORKBOOK_BYTES = 10 * 1024 * 1024  # vendors.response_reader.Limits.max_file_bytes


def _counts(result: Any) -> dict[str, Any]:
    return {
        "changed": result.changed,
        **result.counts(),
        "catalogue_version": result.version.version if result.version else None,
    }


def cmd_catalogue_export(args: argparse.Namespace) -> int:
    """write the catalogue workbook (.xlsx)

    Write the award criteria, categories and requirements with their weights as a workbook.
    Importing it unchanged changes nothing.
    """
    from tender_files.catalogue_workbook import catalogue_tables, export_catalogue

    with _database(args) as con:
        data = export_catalogue(con)
        tables = catalogue_tables(con)
    out = Path(args.file)
    out.write_bytes(data)
    counts = {t: len(f) for t, f in tables.items()}
    return _report(
        args,
        {"file": str(out), **counts},
        f"Wrote {out}: {counts['criteria']} award criteria, {counts['categories']} "
        f"categories, {counts['requirements']} requirements, {counts['price_lines']} "
        "price lines.",
    )


def read_workbook(path: Path) -> bytes | None:
    """The workbook's bytes; None, said on stderr, where it is too large to be read into
    memory (as the reader would refuse it)."""
    if path.is_file() and path.stat().st_size > MAX_WORKBOOK_BYTES:
        size = path.stat().st_size // (1024 * 1024)
        limit = MAX_WORKBOOK_BYTES // (1024 * 1024)
        print(f"error: {path.name} is {size} MB; at most {limit} MB is accepted", file=sys.stderr)
        return None
    return path.read_bytes()


def stored_workbook(
    args: argparse.Namespace,
    refused: type[Exception],
    store: Callable[[Any, bytes, str], T],
) -> T | None:
    """``store(con, data, file_name)`` with the workbook named by the argument ``file`` and
    the database --db names; None where the workbook is too large or ``store`` refuses it
    (``refused``), said on stderr (and with --json) as ``refused_file`` says it."""
    path = Path(args.file)
    data = read_workbook(path)
    if data is None:
        return None
    try:
        with _database(args) as con:
            return store(con, data, path.name)
    except refused as error:
        refused_file(args, path, error)
        return None


def cmd_catalogue_import(args: argparse.Namespace) -> int:
    """make the catalogue what a workbook says

    Check a catalogue workbook and, if nothing is wrong, make the catalogue what it says: rows
    added or changed by id, none deleted (mark them retired). A file with any problem is refused
    whole: each problem on stderr with sheet, row and column, exit status 1, nothing changed.
    After the freeze it needs --reason.
    """
    from tender_files.catalogue_workbook import CatalogueWorkbookRefused, import_catalogue

    result = stored_workbook(
        args,
        CatalogueWorkbookRefused,
        lambda con, data, name: import_catalogue(
            con,
            data,
            actor=args.actor,
            file_name=name,
            reason=args.reason.strip(),
            climate_justification=args.climate_justification,
        ),
    )
    if result is None:
        return 1
    path = Path(args.file)
    document = {"accepted": True, **_counts(result)}
    if args.json:
        _print_json(document)
    elif not result.changed:
        print(f"{path.name} matches the catalogue: nothing changed.")
    else:
        print(
            f"Imported {path.name}: {document['criteria']} award criteria, "
            f"{document['categories']} categories and {document['requirements']} requirements "
            "added or changed."
        )
    return 0


def cmd_catalogue_from_demo(args: argparse.Namespace) -> int:
    """start an empty catalogue from the demo's

    Copy the demo's award criteria, categories (with their weights) and requirements into an
    empty catalogue, as a starting template to edit.
    """
    from demo import catalogue_template
    from store import criteria

    with _database(args) as con:
        result = criteria.start_from_template(
            con, catalogue_template(), actor=args.actor, reason="Demo catalogue as a template"
        )
    document = _counts(result)
    return _report(
        args,
        document,
        f"Copied the demo catalogue: {document['criteria']} award criteria, "
        f"{document['categories']} categories, {document['requirements']} requirements.",
    )


def add_commands(
    sub: Any, common: argparse.ArgumentParser, actor: argparse.ArgumentParser, languages: Any
) -> None:
    """The catalogue commands, under ``sub``."""
    cat = sub.add_parser(
        "catalogue",
        help="the catalogue workbook: award criteria, categories, requirements",
        description="The working group's catalogue workbook, out and in; a new tender's "
        "catalogue from the demo's as a template.",
    )
    cat_sub = cat.add_subparsers(dest="catalogue_command", required=True, metavar="ACTION")
    exp = command(cat_sub, "export", cmd_catalogue_export, parents=[common])
    exp.add_argument("file", metavar="FILE.xlsx")

    imp = command(
        cat_sub, "import", cmd_catalogue_import, parents=[common, actor, language_option(languages)]
    )
    imp.add_argument("file", metavar="FILE.xlsx")
    imp.add_argument("--reason", default="", help="why (logged); needed after the freeze")
    imp.add_argument(
        "--climate-justification",
        default=None,
        metavar="TEXT",
        help="why climate and environment may weigh under 30 %% (FOA § 7-9); needed when the "
        "workbook's criterion weights put it there and the published profile has none",
    )

    command(cat_sub, "from-demo", cmd_catalogue_from_demo, parents=[common, actor])
