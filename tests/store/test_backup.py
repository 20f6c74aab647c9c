"""Backup and restore: a backup restores to a database whose full data export is the
original's byte for byte (checked before the restore's own log entry is written), with the
audit chain intact; a damaged, truncated, foreign or future file is refused with nothing
changed; an existing database is replaced only when asked."""

from __future__ import annotations

import io
import json
import os
import zipfile
from contextlib import closing
from pathlib import Path

import duckdb
import pytest

from locales import gettext_for
from store import access, audit, backup, settings
from store.data_export import (
    export_data,
    migrations_applied,
    parquet_files,
    sequences,
    table_columns,
    table_names,
    zip_bytes,
)
from store.db import connect, latest_version, migrate, open_database
from store.errors import NotAllowed
from tests.dbdump import dump_file

ADMIN = "admin@tffk.no"
STEERING = "styret@tffk.no"


def exported(path: Path) -> bytes:
    with closing(connect(path)) as con:
        return export_data(con)


def backed_up(path: Path, actor: str = "test") -> tuple[backup.Backup, bytes]:
    """A backup of the database at ``path`` and its full data export just after."""
    with closing(connect(path)) as con:
        made = backup.make_backup(con, actor=actor, file_name="kopi.zip")
        return made, export_data(con)


def changed_after_the_demo(path: Path) -> None:
    """Changes made after the demo loaded: a setting, a person with roles, an entry of the
    log with a text a spreadsheet would run."""
    with closing(connect(path)) as con:
        settings.set_setting(
            con, "template_show_weights", "false", actor="tester", reason="=Endret etter demo"
        )
        access.add_person(con, ADMIN, name="Aslak Admin", roles=[access.ADMIN], actor="oppsett")
        access.add_person(
            con, STEERING, name="Sigrun Styre", roles=[access.STEERING_GROUP], actor=ADMIN
        )


@pytest.mark.parametrize("changed", [False, True], ids=["demo", "changed after the demo"])
def test_a_backup_restores_to_a_byte_identical_export(demo_db, tmp_path, changed):
    if changed:
        changed_after_the_demo(demo_db)
    actor = ADMIN if changed else "test"
    made, original = backed_up(demo_db, actor)

    copy = tmp_path / "kopi.duckdb"
    backup.load_copy(backup.read_backup(made.data), copy)

    assert exported(copy) == original
    assert dump_file(copy) == dump_file(demo_db)


def test_the_restore_is_logged_in_the_restored_database_and_nothing_else_differs(demo_db, tmp_path):
    made, original = backed_up(demo_db)
    target = tmp_path / "ny" / "bibvalg.duckdb"

    done = backup.restore_backup(made.data, target, actor="gjenoppretter", file_name="kopi.zip")

    restored, before = dump_file(target), dump_file(demo_db)
    assert {t: rows for t, rows in restored.items() if t not in ("audit_log", "audit_head")} == {
        t: rows for t, rows in before.items() if t not in ("audit_log", "audit_head", "<sequences>")
    } | {"<sequences>": restored["<sequences>"]}
    assert restored["audit_log"][:-1] == before["audit_log"]
    entry = restored["audit_log"][-1]
    assert entry[0] == before["audit_log"][-1][0] + 1  # the sequence went on where it stood
    assert (entry[2], entry[3], entry[4]) == ("gjenoppretter", "restore", "database")
    logged = json.loads(entry[7])
    assert logged["file"] == "kopi.zip"
    assert logged["sha256"] == made.sha256 == done.sha256
    assert logged["anchor"] == made.manifest["audit"]["anchor"]
    # the backup holds its own entry, written in the original before the tables were read
    assert before["audit_log"][-1][2:5] == ("test", "backup", "database")
    with closing(connect(demo_db)) as con:
        count = len(con.execute("SHOW TABLES").fetchall())
    assert (done.tables, done.schema_version, done.replaced) == (count, latest_version(), False)
    with closing(open_database(target)) as con:  # opens as any other, the chain intact
        report = audit.verify(con)
        assert report.intact and report.entries == len(before["audit_log"]) + 1
        settings.set_setting(con, "template_show_weights", "false", actor="x", reason="etter")
        assert audit.verify(con).intact
    assert original != exported(target)


def test_a_backup_is_the_admins_where_roles_are_enforced(demo_db, tmp_path):
    changed_after_the_demo(demo_db)
    before = dump_file(demo_db)
    with closing(connect(demo_db)) as con, pytest.raises(NotAllowed):
        backup.make_backup(con, actor=STEERING, file_name="kopi.zip")
    assert dump_file(demo_db) == before

    made, _ = backed_up(demo_db, ADMIN)
    target = tmp_path / "ny.duckdb"
    with pytest.raises(NotAllowed):  # the restored database enforces roles too
        backup.restore_backup(made.data, target, actor=STEERING, file_name="kopi.zip")
    assert not target.exists() and _leftovers(tmp_path) == []
    backup.restore_backup(made.data, target, actor=ADMIN, file_name="kopi.zip")
    assert target.exists()


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".restoring-" in p.name)


@pytest.fixture(scope="module")
def demo_backup(demo_db_template, tmp_path_factory) -> bytes:
    path = tmp_path_factory.mktemp("backup") / "demo.duckdb"
    path.write_bytes(demo_db_template.read_bytes())
    with closing(connect(path)) as con:
        return backup.make_backup(con, actor="test", file_name="demo.zip").data


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _with_manifest(data: bytes, **changes) -> bytes:
    """The backup with its manifest changed and its checksum made to match."""
    members = _members(data)
    manifest = json.loads(members[backup.MANIFEST]) | changes
    text = json.dumps(manifest).encode()
    members[backup.MANIFEST] = text
    members[backup.CHECKSUM] = backup.sha256(text).encode()
    return zip_bytes(members)


def _flipped(data: bytes, offset: int) -> bytes:
    return data[:offset] + bytes([data[offset] ^ 0x01]) + data[offset + 1 :]


def _inside_every_member(data: bytes) -> list[int]:
    """An offset in the middle of every member's stored bytes."""
    offsets = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            offsets.append(start + info.compress_size // 2)
    return offsets


def _a_plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "Ikke en sikkerhetskopi")
        archive.writestr("manifest.json", '{"format": "noe annet"}')
    return buffer.getvalue()


BAD_FILES = {
    "truncated": lambda good: good[: len(good) // 2],
    "the end cut off": lambda good: good[:-100],
    "random bytes": lambda good: os.urandom(len(good)),
    "empty": lambda good: b"",
    "a plain zip": lambda good: _a_plain_zip(),
    "a table file changed": lambda good: zip_bytes(
        _members(good) | {"tables/setting.parquet": _members(good)["tables/vendor.parquet"]}
    ),
    "a table file missing": lambda good: zip_bytes(
        {k: v for k, v in _members(good).items() if k != "tables/score.parquet"}
    ),
    "a file added": lambda good: zip_bytes(_members(good) | {"tables/extra.parquet": b"x"}),
    "the manifest changed": lambda good: zip_bytes(
        _members(good)
        | {backup.MANIFEST: _members(good)[backup.MANIFEST].replace(b'"rows": 5', b'"rows": 6')}
    ),
    "a schema from the future": lambda good: _with_manifest(
        good, schema_version=latest_version() + 1
    ),
    "a backup format from the future": lambda good: _with_manifest(good, format_version=2),
    "rows the manifest does not count": lambda good: _with_manifest(
        good,
        tables=json.loads(_members(good)[backup.MANIFEST])["tables"]
        | {"vendor": json.loads(_members(good)[backup.MANIFEST])["tables"]["vendor"] | {"rows": 4}},
    ),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_a_bad_file_is_refused_and_no_database_made(demo_backup, tmp_path, kind):
    bad = BAD_FILES[kind](demo_backup)
    target = tmp_path / "ny.duckdb"
    with pytest.raises(backup.BackupRefused) as caught:
        backup.restore_backup(bad, target, actor="test", file_name="kopi.zip")
    assert not target.exists() and list(tmp_path.iterdir()) == []
    message = caught.value.translated("nb")
    assert message and message != caught.value.message  # said in Norwegian


@pytest.mark.parametrize("kind", ["truncated", "random bytes", "a plain zip"])
def test_a_bad_file_leaves_an_existing_database_as_it_was(demo_backup, demo_db, kind):
    before = dump_file(demo_db)
    with pytest.raises(backup.BackupRefused):
        backup.restore_backup(
            BAD_FILES[kind](demo_backup), demo_db, actor="test", file_name="x", force=True
        )
    assert dump_file(demo_db) == before
    assert _leftovers(demo_db.parent) == []


def test_a_byte_flipped_inside_any_part_is_refused(demo_backup, tmp_path):
    offsets = _inside_every_member(demo_backup)
    tables = json.loads(_members(demo_backup)[backup.MANIFEST])["tables"]
    assert len(offsets) == 2 + len(tables)  # the manifest, its checksum and every table
    for offset in offsets:
        with pytest.raises(backup.BackupRefused):
            backup.read_backup(_flipped(demo_backup, offset))


def test_the_full_data_export_is_not_a_backup(demo_con):
    with pytest.raises(backup.BackupRefused) as caught:
        backup.read_backup(export_data(demo_con))
    assert caught.value.message == backup.NOT_A_BACKUP
    assert gettext_for("nb", backup.NOT_A_BACKUP) == "Filen er ikke en sikkerhetskopi fra bibvalg."


def test_an_existing_database_is_replaced_only_with_force(demo_backup, demo_db):
    changed_after_the_demo(demo_db)
    before = dump_file(demo_db)
    with pytest.raises(backup.TargetNotEmpty):
        backup.restore_backup(demo_backup, demo_db, actor="test", file_name="demo.zip")
    assert dump_file(demo_db) == before

    done = backup.restore_backup(
        demo_backup, demo_db, actor="test", file_name="demo.zip", force=True
    )
    assert done.replaced
    assert dump_file(demo_db)["person"] == []  # the backup's, made before the people
    assert _leftovers(demo_db.parent) == []


def test_a_missing_or_empty_target_needs_no_force(demo_backup, tmp_path):
    empty = tmp_path / "tom.duckdb"
    empty.touch()
    assert not backup.restore_backup(demo_backup, empty, actor="t", file_name="d").replaced
    with closing(connect(empty)) as con:
        assert audit.verify(con).intact


def test_a_backup_that_unpacks_beyond_the_limit_is_refused_unread(demo_backup, monkeypatch):
    monkeypatch.setattr(backup, "MAX_BACKUP_BYTES", len(demo_backup) // 2)
    with pytest.raises(backup.BackupRefused) as caught:
        backup.read_backup(demo_backup)
    assert caught.value.message == backup.TOO_LARGE


def test_a_table_file_whose_values_do_not_fit_is_refused(demo_backup, tmp_path):
    """Checksums that match, made for a table file written by someone else: a round that is
    not a number."""
    odd = tmp_path / "offer_opening.parquet"
    with duckdb.connect() as plain:
        plain.execute(
            "COPY (SELECT 'første' AS round, TIMESTAMP '2027-01-01' AS opened_at,"
            f" 'x' AS opened_by) TO '{odd}' (FORMAT parquet)"
        )
    members = _members(demo_backup)
    members["tables/offer_opening.parquet"] = odd.read_bytes()
    manifest = json.loads(members[backup.MANIFEST])
    manifest["tables"]["offer_opening"] |= {"sha256": backup.sha256(odd.read_bytes()), "rows": 1}
    forged = _with_manifest(zip_bytes(members), tables=manifest["tables"])
    target = tmp_path / "ny.duckdb"
    with pytest.raises(backup.BackupRefused) as caught:
        backup.restore_backup(forged, target, actor="test", file_name="x")
    assert caught.value.params["part"] == "offer_opening"
    assert not target.exists() and _leftovers(tmp_path) == []


def test_a_backup_of_an_older_schema_is_restored_and_migrated(tmp_path):
    """A backup written at schema version 9 (before people and roles), put together here
    from the tables as a backup holds them: restored at version 9, then migrated."""
    old = tmp_path / "v9.duckdb"
    with closing(duckdb.connect(str(old))) as raw:
        migrate(raw, up_to=9)
        raw.execute(
            "INSERT INTO library (id, name, kind, municipality, region, size_class)"
            " VALUES ('karasjok', 'Kárášjoga girjerádju', 'public', 'Karasjok', 'Finnmark',"
            " 'small')"
        )
        tables = table_names(raw)
        files = parquet_files(raw, tables)
        manifest = {
            "format": backup.FORMAT,
            "format_version": 1,
            "schema_version": 9,
            "migrations": migrations_applied(raw),
            "made_at": "2026-01-01 12:00:00",
            "sequences": sequences(raw),
            "audit": {"anchor": None, "intact": True},
            "tables": {
                t: {
                    "file": f"tables/{t}.parquet",
                    "sha256": backup.sha256(files[t]),
                    "rows": raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0],
                    "columns": [list(c) for c in table_columns(raw, t)],
                }
                for t in tables
            },
        }
    assert "person" not in tables
    text = json.dumps(manifest).encode()
    data = zip_bytes(
        {backup.MANIFEST: text, backup.CHECKSUM: backup.sha256(text).encode()}
        | {f"tables/{t}.parquet": files[t] for t in tables}
    )
    target = tmp_path / "ny.duckdb"
    done = backup.restore_backup(data, target, actor="test", file_name="v9.zip")
    assert (done.schema_version, done.migrated_to) == (9, latest_version())
    restored = dump_file(target)
    assert [r[0] for r in restored["library"]] == ["karasjok"]
    assert restored["person"] == [] and len(restored["schema_version"]) == latest_version()
    with closing(connect(target)) as con:
        assert audit.verify(con).intact
        assert con.execute("SELECT action FROM audit_log").fetchall() == [("restore",)]
