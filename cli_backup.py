"""The command line's backup, restore and full data export, over the same functions as the
Oppsett page's tab *Backup and data* (``store.backup``, ``store.data_export``).
``cli.build_parser`` adds them."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cli_tender import _database, _report, command


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def cmd_backup(args: argparse.Namespace) -> int:
    """write a backup of the whole database (admin)

    Write the whole database to one file that restore can check and load: every table, the audit
    log with its hash chain, the schema version and a checksum of every part. The backup is
    logged first, so it holds its own entry. Where roles are enforced, --actor must be an admin.
    """
    from store import backup

    out = Path(args.out)
    with _database(args) as con:
        made = backup.make_backup(con, actor=args.actor, file_name=out.name)
    _write(out, made.data)
    summary = {**made.as_dict(), "file": str(out)}
    return _report(
        args,
        summary,
        f"Wrote {out}: {summary['tables']} tables, {summary['rows']} rows, schema version "
        f"{summary['schema_version']}.\nSHA-256 {made.sha256}\nAudit anchor {summary['anchor']}",
    )


def cmd_restore(args: argparse.Namespace) -> int:
    """restore a backup into a database file (admin)

    Check a backup file whole and restore it into the database named by --db. A damaged,
    truncated or foreign file is refused and nothing changes. An existing database is replaced
    only with --force. The restore is logged in the restored database; where it enforces roles,
    --actor must be an admin in it.
    """
    from store import backup

    path = Path(args.file)
    data = path.read_bytes()
    done = backup.restore_backup(
        data, Path(args.db), actor=args.actor, file_name=path.name, force=args.force
    )
    migrated = (
        f" (migrated to schema version {done.migrated_to})"
        if done.migrated_to != done.schema_version
        else ""
    )
    return _report(
        args,
        done.as_dict(),
        f"Restored {path.name} into {done.path}: {done.tables} tables, {done.rows} rows, "
        f"schema version {done.schema_version}{migrated}, backup made {done.made_at[:19]}.\n"
        f"Audit anchor of the backup {done.anchor}",
    )


def cmd_export_data(args: argparse.Namespace) -> int:
    """write every table as CSV and Parquet, with a README

    Write the full data export: every table of the database as CSV and as Parquet in one zip,
    with the schema version and a README of every column. The same database gives the same
    bytes.
    """
    from store import data_export

    out = Path(args.out)
    with _database(args) as con:
        data = data_export.export_data(con)
        tables = data_export.table_names(con)
    _write(out, data)
    return _report(
        args,
        {
            "file": str(out),
            "tables": tables,
            "bytes": len(data),
            "sha256": data_export.sha256(data),
        },
        f"Wrote {out}: {len(tables)} tables as CSV and Parquet.",
    )


def add_commands(sub: Any, common: argparse.ArgumentParser, actor: argparse.ArgumentParser) -> None:
    """The backup, restore and export-data commands, under ``sub``."""
    made = command(sub, "backup", cmd_backup, parents=[common, actor])
    made.add_argument("out", metavar="OUT", help="the backup file to write (a .zip)")

    restore = command(sub, "restore", cmd_restore, parents=[common, actor])
    restore.add_argument("file", metavar="FILE", help="a backup written by `backup`")
    restore.add_argument(
        "--force", action="store_true", help="replace the database that --db names"
    )

    export = command(sub, "export-data", cmd_export_data, parents=[common])
    export.add_argument("out", metavar="OUT.zip", help="the zip file to write")
