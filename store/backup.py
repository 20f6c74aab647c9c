"""Backup and restore: the whole database in one file that can be checked, and back.

A backup is a zip holding ``manifest.json``, ``manifest.sha256`` (the SHA-256 of the
manifest) and every table as ``tables/TABLE.parquet``, exactly the Parquet files of the
full data export (``store.data_export``). The manifest names the format and its version,
the schema version and the migrations applied, every table's file, row count and SHA-256,
where each sequence stands, and the audit log's anchor. So a file that is damaged,
truncated, cut from another file or not a backup at all is refused before anything is
written, and a restored database is checked against the manifest before it is used.

A restore builds the database in a new file beside the target: the schema through the
migrations up to the backup's version, every table's rows loaded through the connection
underneath (the audit log's tables too, which bibvalg's guarded connections refuse to
change, as the migrations do), the sequences where they stood; then newer migrations, if
the backup is older than this bibvalg. It is checked there: the audit log's hash chain must
end where the manifest says, and, at the same schema version, every table must write the
very Parquet bytes the backup holds (so the restored database's full data export is
byte-identical to the original's at the moment of the backup). Only then is the restore
logged in the restored database, and the file put in the target's place.

Both are logged. The backup's entry is written in the original before the tables are read,
so the backup holds its own entry. The restore's entry is written in the restored database
after the check above: it is the one entry the original does not have, naming the backup
file, its SHA-256 and the anchor it restored.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import tempfile
import zipfile
from contextlib import closing, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from store import audit
from store.data_export import (
    migrations_applied,
    parquet_files,
    sequences,
    sha256,
    table_columns,
    table_names,
    zip_bytes,
)
from store.db import (
    connect,
    latest_version,
    migrate,
    plain_connect,
    retry_on_conflict,
    transaction,
)
from store.errors import N_, BibvalgError
from store.guard import raw_connection

FORMAT = "bibvalg-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHECKSUM = "manifest.sha256"
TABLES_FOLDER = "tables/"
ZIP_START = b"PK\x03\x04"  # how a zip file's first entry begins
ENTITY = "database"
# A backup is read whole into memory: one that unpacks to more is refused unread.
MAX_BACKUP_BYTES = 4_000_000_000


class BackupRefused(BibvalgError):
    """A file that is not a bibvalg backup this bibvalg can restore, or is damaged."""


class TargetNotEmpty(BibvalgError):
    """A restore that would replace an existing database without being told to."""


@dataclass(frozen=True)
class Backup:
    """A backup made: the file's bytes, their SHA-256 and its manifest."""

    data: bytes
    sha256: str
    manifest: dict[str, Any]

    def as_dict(self) -> dict[str, Any]:
        m = self.manifest
        return {
            "sha256": self.sha256,
            "bytes": len(self.data),
            "schema_version": m["schema_version"],
            "made_at": m["made_at"],
            "tables": len(m["tables"]),
            "rows": sum(t["rows"] for t in m["tables"].values()),
            "anchor": m["audit"]["anchor"],
        }


@dataclass(frozen=True)
class Restored:
    """What a restore did."""

    path: str
    sha256: str
    schema_version: int  # the backup's
    migrated_to: int  # the restored database's, after newer migrations
    tables: int
    rows: int
    anchor: str | None
    made_at: str
    replaced: bool  # an existing database was replaced (with force)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# --- making a backup ------------------------------------------------------------------


@retry_on_conflict
def _record_backup(con: duckdb.DuckDBPyConnection, *, actor: str, file_name: str) -> None:
    with transaction(con):
        audit.record(con, actor=actor, action="backup", entity=ENTITY, new={"file": file_name})


def make_backup(con: duckdb.DuckDBPyConnection, *, actor: str, file_name: str) -> Backup:
    """Log the backup (an admin's, where roles are enforced), then read every table in one
    transaction of its own and pack them with their manifest."""
    _record_backup(con, actor=actor, file_name=file_name)
    reader = raw_connection(con).cursor()
    try:
        reader.begin()
        tables = table_names(reader)
        files = parquet_files(reader, tables)
        chain = audit.verify(reader)
        made_at = reader.execute("SELECT max(logged_at) FROM audit_log").fetchone()
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "schema_version": int(migrations_applied(reader)[-1][0]),
            "migrations": migrations_applied(reader),
            "made_at": str(made_at[0]) if made_at else "",
            "sequences": sequences(reader),
            "audit": {
                "anchor": chain.current.line if chain.current else None,
                "intact": chain.intact,
            },
            "tables": {
                table: {
                    "file": f"{TABLES_FOLDER}{table}.parquet",
                    "sha256": sha256(files[table]),
                    "rows": _count(reader, table),
                    "columns": [list(c) for c in table_columns(reader, table)],
                }
                for table in tables
            },
        }
        reader.commit()
    finally:
        reader.close()
    text = (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    members = {MANIFEST: text, CHECKSUM: (sha256(text) + "\n").encode()}
    members.update({f"{TABLES_FOLDER}{t}.parquet": files[t] for t in tables})
    # Parquet is compressed already; the zip stores it as it is (its CRC-32 still checks it).
    data = zip_bytes(members, compress=False)
    return Backup(data=data, sha256=sha256(data), manifest=manifest)


def _count(con: duckdb.DuckDBPyConnection, table: str) -> int:
    row = con.execute(f'SELECT count(*) FROM "{table}"').fetchone()
    return int(row[0]) if row else 0


# --- checking a backup file -----------------------------------------------------------


def _refused(message: str, **params: Any) -> BackupRefused:
    return BackupRefused(message, **params)


NOT_A_BACKUP = N_("This file is not a bibvalg backup.")
UNREADABLE = N_(
    "The backup is damaged or incomplete and cannot be read (was it cut short while being "
    "copied?). Nothing was restored."
)
PART_DAMAGED = N_(
    "The backup is damaged: {part} does not match its checksum. Nothing was restored."
)
TOO_LARGE = N_("The backup unpacks to more than {limit} GB; bibvalg does not restore it.")
PART_MISSING = N_("The backup is incomplete: {part} is missing. Nothing was restored.")
PARTS_FOREIGN = N_(
    "The backup holds files a bibvalg backup does not: {parts}. Nothing was restored."
)
CONTENTS_DAMAGED = N_(
    "The backup's table of contents is damaged or does not match the tables of schema "
    "version {version} ({part}). Nothing was restored."
)
RESTORED_DIFFERENTLY = N_(
    "The database restored from the backup is not the one it was made from ({part}). "
    "Nothing was restored."
)


@dataclass(frozen=True)
class CheckedBackup:
    """A backup file whose every part matched its manifest."""

    manifest: dict[str, Any]
    files: dict[str, bytes]  # table -> Parquet bytes
    sha256: str


def read_backup(data: bytes) -> CheckedBackup:
    """Check a backup file whole: that it is a zip, a bibvalg backup of a format and schema
    this bibvalg knows, its manifest unchanged, every table file present with the size and
    SHA-256 the manifest gives, and nothing else in it. Raises BackupRefused."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        # A zip cut short keeps its start but loses its directory at the end.
        raise _refused(UNREADABLE if data.startswith(ZIP_START) else NOT_A_BACKUP)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if MANIFEST not in names or CHECKSUM not in names:
                raise _refused(NOT_A_BACKUP)
            if sum(info.file_size for info in archive.infolist()) > MAX_BACKUP_BYTES:
                raise _refused(TOO_LARGE, limit=MAX_BACKUP_BYTES // 1_000_000_000)
            text = archive.read(MANIFEST)
            manifest = _manifest(text, archive.read(CHECKSUM))
            files = {}
            for table, entry in manifest["tables"].items():
                name = entry["file"]
                if name not in names:
                    raise _refused(PART_MISSING, part=name)
                content = archive.read(name)
                if sha256(content) != entry["sha256"]:
                    raise _refused(PART_DAMAGED, part=name)
                files[table] = content
            extra = names - {MANIFEST, CHECKSUM, *(e["file"] for e in manifest["tables"].values())}
            if extra:
                raise _refused(PARTS_FOREIGN, parts=", ".join(sorted(extra)))
    except BackupRefused:
        raise
    except Exception:  # zipfile, zlib and struct raise many kinds on a damaged archive
        raise _refused(UNREADABLE) from None
    return CheckedBackup(manifest=manifest, files=files, sha256=sha256(data))


def _manifest(text: bytes, checksum: bytes) -> dict[str, Any]:
    if checksum.decode("ascii", "replace").strip() != sha256(text):
        raise _refused(PART_DAMAGED, part=MANIFEST)
    try:
        manifest = json.loads(text)
    except ValueError:
        raise _refused(PART_DAMAGED, part=MANIFEST) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _refused(NOT_A_BACKUP)
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        raise _refused(
            N_(
                "The backup was made by a newer bibvalg (backup format {found}; this bibvalg "
                "reads up to {known}). Restore it with that version."
            ),
            found=version,
            known=FORMAT_VERSION,
        )
    schema = manifest.get("schema_version")
    if not isinstance(schema, int) or schema < 1:
        raise _refused(CONTENTS_DAMAGED, version="?", part="schema_version")
    if schema > latest_version():
        raise _refused(
            N_(
                "The backup was made by a newer bibvalg (schema version {found}; this "
                "bibvalg knows up to {known}). Restore it with that version."
            ),
            found=schema,
            known=latest_version(),
        )
    tables = manifest.get("tables")
    if not isinstance(tables, dict) or not all(
        isinstance(e, dict) and isinstance(e.get("file"), str) for e in tables.values()
    ):
        raise _refused(CONTENTS_DAMAGED, version=schema, part="tables")
    return manifest


# --- restoring ------------------------------------------------------------------------


def _check_target(target: Path, force: bool) -> bool:
    """Whether the target holds a database to replace; refuse when it does and ``force``
    is not given, or when another program holds it."""
    if target.is_dir():
        raise TargetNotEmpty(N_("{path} is a folder, not a database file."), path=str(target))
    if not target.exists() or target.stat().st_size == 0:
        return False
    if not force:
        raise TargetNotEmpty(
            N_(
                "{path} already holds a database. A restore replaces all of it: confirm that "
                "this is what you want (on the command line: --force)."
            ),
            path=str(target),
        )
    # DatabaseInUse if another program holds it; a file that is not DuckDB's is replaced
    # all the same, as asked.
    with suppress(duckdb.Error):
        plain_connect(str(target)).close()
    return True


def _load(path: Path, backup: CheckedBackup) -> None:
    """Build the database at ``path`` at the backup's schema version, with its rows."""
    manifest = backup.manifest
    version = manifest["schema_version"]
    with closing(duckdb.connect(str(path))) as raw:
        migrate(raw, up_to=version)
        tables = table_names(raw)
        if set(tables) != set(manifest["tables"]):
            raise _refused(CONTENTS_DAMAGED, version=version, part="tables")
        with tempfile.TemporaryDirectory(prefix="bibvalg-restore-") as folder:
            raw.begin()
            for table in tables:
                try:
                    _load_table(raw, table, manifest["tables"][table], backup, Path(folder))
                except duckdb.Error:  # a file whose values do not fit the table
                    raise _refused(CONTENTS_DAMAGED, version=version, part=table) from None
            known = sequences(raw)
            for name, last in manifest.get("sequences", {}).items():
                if name not in known or not isinstance(last, int | None):
                    raise _refused(CONTENTS_DAMAGED, version=version, part=name)
                if last is not None:
                    raw.execute(f"SELECT max(nextval('{name}')) FROM range(?)", [last])
            raw.commit()
            if sequences(raw) != manifest.get("sequences", {}):
                raise _refused(CONTENTS_DAMAGED, version=version, part="sequences")


def _load_table(
    raw: duckdb.DuckDBPyConnection,
    table: str,
    entry: dict[str, Any],
    backup: CheckedBackup,
    folder: Path,
) -> None:
    """Replace a table's rows with the backup's, checking its columns and row count."""
    version = backup.manifest["schema_version"]
    columns = [list(c) for c in table_columns(raw, table)]
    if entry.get("columns") != columns:
        raise _refused(CONTENTS_DAMAGED, version=version, part=table)
    file = folder / f"{table}.parquet"
    file.write_bytes(backup.files[table])
    found = raw.execute(
        "SELECT name FROM parquet_schema(?) WHERE num_children IS NULL", [str(file)]
    ).fetchall()
    if [r[0] for r in found] != [c[0] for c in columns]:
        raise _refused(CONTENTS_DAMAGED, version=version, part=table)
    raw.execute(f'DELETE FROM "{table}"')
    raw.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM read_parquet(?)', [str(file)])
    if _count(raw, table) != entry.get("rows"):
        raise _refused(CONTENTS_DAMAGED, version=version, part=table)


def _check_restored(con: duckdb.DuckDBPyConnection, backup: CheckedBackup) -> None:
    """The restored database against the manifest: the audit chain ends where it did, and
    at the same schema version every table writes the very bytes the backup holds."""
    manifest = backup.manifest
    chain = audit.verify(con)
    recorded = manifest.get("audit", {})
    anchor = chain.current.line if chain.current else None
    if anchor != recorded.get("anchor") or chain.intact != recorded.get("intact"):
        raise _refused(RESTORED_DIFFERENTLY, part="audit_log")
    if manifest["schema_version"] == latest_version():
        tables = table_names(con)
        written = parquet_files(con, tables)
        changed = [t for t in tables if sha256(written[t]) != manifest["tables"][t]["sha256"]]
        if changed:
            raise _refused(RESTORED_DIFFERENTLY, part=", ".join(changed))


def _remove(path: Path) -> None:
    for part in (path, Path(f"{path}.wal")):
        part.unlink(missing_ok=True)


def load_copy(backup: CheckedBackup, path: Path) -> None:
    """Build at ``path`` (a new file) the database the backup holds, exactly, and check it
    against the manifest: its full data export is then the original's, byte for byte.
    Nothing is logged in it yet. A refused or failed copy leaves no file behind."""
    try:
        _load(path, backup)
        with closing(connect(path)) as con:
            _check_restored(con, backup)
    except BaseException:
        _remove(path)
        raise


def restore_backup(
    data: bytes,
    target: Path | str,
    *,
    actor: str,
    file_name: str,
    force: bool = False,
) -> Restored:
    """Restore a backup file's bytes into the database file ``target``.

    Refused, with nothing changed, when the file is not a backup this bibvalg can restore
    or is damaged (BackupRefused), when ``target`` already holds a database and ``force``
    is not given (TargetNotEmpty), when another program holds it (DatabaseInUse), or when
    the restored database enforces roles and ``actor`` is not an admin in it (NotAllowed).
    """
    target = Path(target)
    backup = read_backup(data)
    replaced = _check_target(target, force)
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_name(f".{target.name}.restoring-{secrets.token_hex(4)}")
    manifest = backup.manifest
    try:
        load_copy(backup, building)
        with closing(connect(building)) as con:
            with transaction(con):
                audit.record(
                    con, actor=actor, action="restore", entity=ENTITY,
                    new={
                        "file": file_name,
                        "sha256": backup.sha256,
                        "made_at": manifest.get("made_at"),
                        "anchor": manifest.get("audit", {}).get("anchor"),
                    },
                )  # fmt: skip
            migrated_to = int(migrations_applied(con)[-1][0])
        Path(f"{target}.wal").unlink(missing_ok=True)
        os.replace(building, target)
    except BaseException:
        _remove(building)
        raise
    return Restored(
        path=str(target),
        sha256=backup.sha256,
        schema_version=int(manifest["schema_version"]),
        migrated_to=migrated_to,
        tables=len(manifest["tables"]),
        rows=sum(int(t.get("rows", 0)) for t in manifest["tables"].values()),
        anchor=manifest.get("audit", {}).get("anchor"),
        made_at=str(manifest.get("made_at", "")),
        replaced=replaced,
    )
