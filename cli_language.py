"""The command line's language test kit: ``language-kit OUT_DIR`` writes the MARC 21 test
records and the protocol, the same files the page Språk offers as one download
(``tender_files.language_kit``). ``cli.build_parser`` adds it."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cli_tender import command


def cmd_language_kit(args: argparse.Namespace) -> int:
    """write the language test kit (MARC records and protocol)

    Write the language test kit into OUT_DIR (made if missing): the MARC 21 test records with
    every special letter of the Sámi languages, Kven, Finnish and Russian, in NFC and NFD, as
    UTF-8 .mrc and MARCXML, and the protocol of checks to run in each vendor's demo system with
    the expected results, as .xlsx and .pdf in Norwegian Bokmål and English. Existing files of
    the same names are replaced. The database is not read.
    """
    from tender_files import language_kit
    from tender_files.language_kit import protocol, records

    folder = Path(args.out_dir)
    sizes = language_kit.write_kit(folder)
    summary = {
        "folder": str(folder),
        "files": sizes,
        "records": len(records.all_records()),
        "checks": len(protocol.checks()),
    }
    if args.json:
        json.dump(summary, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif not args.quiet:
        lines = [f"  {name} ({size:,} bytes)" for name, size in sizes.items()]
        print(
            f"Wrote the language test kit to {folder}: {summary['records']} records, "
            f"{summary['checks']} checks.\n" + "\n".join(lines)
        )
    return 0


def add_commands(sub: Any, common: argparse.ArgumentParser) -> None:
    """The language test kit's command, under ``sub``."""
    parser = command(sub, "language-kit", cmd_language_kit, parents=[common])
    parser.add_argument("out_dir", metavar="OUT_DIR", help="the folder to write the kit into")
