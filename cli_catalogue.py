"""The command line's catalogue commands: the working group's catalogue workbook out and
back in, and a new tender's catalogue started from the demo's as a template. The same
functions as the Oppsett page; ``cli.build_parser`` adds them."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cli_tender import language_option, refused_file

# A catalogue workbook is refused above this size before it is read (as vendors' files).
MAX_WORKBOOK_BYTES = 10 * 1024 * 1024  # vendors.response_reader.Limits.max_file_bytes


def _print_json(document: Any) -> None:
    json.dump(document, sys.stdout, ensure_ascii=False, indent=2, default=str)
    print()


def _open(args: argparse.Namespace) -> Any:
    from store.db import open_database

    return open_database(Path(args.db))


def _counts(result: Any) -> dict[str, Any]:
    return {
        "changed": result.changed,
        **result.counts(),
        "catalogue_version": result.version.version if result.version else None,
    }


def cmd_catalogue_export(args: argparse.Namespace) -> int:
    from tender_files.catalogue_workbook import catalogue_tables, export_catalogue

    con = _open(args)
    try:
        data = export_catalogue(con)
        tables = catalogue_tables(con)
    finally:
        con.close()
    out = Path(args.file)
    out.write_bytes(data)
    counts = {t: len(f) for t, f in tables.items()}
    if args.json:
        _print_json({"file": str(out), **counts})
    else:
        print(
            f"Wrote {out}: {counts['criteria']} award criteria, {counts['categories']} "
            f"categories, {counts['requirements']} requirements, {counts['price_lines']} "
            "price lines."
        )
    return 0


def too_large(path: Path) -> str | None:
    """Why a workbook is refused before it is read into memory (as the reader would refuse
    it), or None."""
    if path.is_file() and path.stat().st_size > MAX_WORKBOOK_BYTES:
        size = path.stat().st_size // (1024 * 1024)
        limit = MAX_WORKBOOK_BYTES // (1024 * 1024)
        return f"{path.name} is {size} MB; at most {limit} MB is accepted"
    return None


def cmd_catalogue_import(args: argparse.Namespace) -> int:
    from tender_files.catalogue_workbook import CatalogueWorkbookRefused, import_catalogue

    path = Path(args.file)
    message = too_large(path)
    if message:
        print(f"error: {message}", file=sys.stderr)
        return 1
    data = path.read_bytes()
    con = _open(args)
    try:
        result = import_catalogue(
            con, data, actor=args.actor, file_name=path.name, reason=args.reason.strip()
        )
    except CatalogueWorkbookRefused as refused:
        return refused_file(args, path, refused)
    finally:
        con.close()
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
    from demo import catalogue_template
    from store import criteria

    con = _open(args)
    try:
        result = criteria.start_from_template(
            con, catalogue_template(), actor=args.actor, reason="Demo catalogue as a template"
        )
    finally:
        con.close()
    document = _counts(result)
    if args.json:
        _print_json(document)
    else:
        print(
            f"Copied the demo catalogue: {document['criteria']} award criteria, "
            f"{document['categories']} categories, {document['requirements']} requirements."
        )
    return 0


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
    exp = cat_sub.add_parser(
        "export",
        parents=[common],
        help="write the catalogue workbook (.xlsx)",
        description="Write the award criteria, categories and requirements with their "
        "weights as a workbook. Importing it unchanged changes nothing.",
    )
    exp.add_argument("file", metavar="FILE.xlsx")
    exp.set_defaults(func=cmd_catalogue_export)

    imp = cat_sub.add_parser(
        "import",
        parents=[common, actor, language_option(languages)],
        help="make the catalogue what a workbook says",
        description="Check a catalogue workbook and, if nothing is wrong, make the catalogue "
        "what it says: rows added or changed by id, none deleted (mark them retired). A file "
        "with any problem is refused whole: each problem on stderr with sheet, row and "
        "column, exit status 1, nothing changed. After the freeze it needs --reason.",
    )
    imp.add_argument("file", metavar="FILE.xlsx")
    imp.add_argument("--reason", default="", help="why (logged); needed after the freeze")
    imp.set_defaults(func=cmd_catalogue_import)

    demo = cat_sub.add_parser(
        "from-demo",
        parents=[common, actor],
        help="start an empty catalogue from the demo's",
        description="Copy the demo's award criteria, categories (with their weights) and "
        "requirements into an empty catalogue, as a starting template to edit.",
    )
    demo.set_defaults(func=cmd_catalogue_from_demo)
