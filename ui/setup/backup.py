"""Backup and data: the full data export (the working group's and the admin's), a backup of
the whole database and its restore (the admin's alone)."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from store import backup, data_export, evaluation
from store.errors import BibvalgError
from ui import data
from ui.i18n import _, current_language
from ui.identity import current_actor, current_evaluator, is_admin, is_working_group
from ui.setup.common import FLASH
from ui.workbooks import upload_help

ZIP_MIME = "application/zip"
EXPORT_FILE = "export:data"  # the session's last data export: (file name, bytes)
BACKUP_FILE = "export:backup"  # the session's last backup: (file name, bytes, SHA-256)
RESTORE_UPLOAD = "setup:restore_upload"
RESTORE_CONFIRM = "setup:restore_confirm"
RESTORES = "setup:restores"  # restores done this session: a new upload field after each
UPLOAD_LIMIT_MB = 2000


def backup_section() -> None:
    if not is_working_group():
        st.info(_("Only the working group and an admin take the data out of bibvalg."))
        return
    evaluator = current_evaluator()
    if evaluator is not None and _others_still_scoring(evaluator):
        st.info(
            _(
                "You score as an evaluator, and other evaluators have not submitted yet. "
                "These files hold their unsubmitted scores, so they are not offered to you "
                "until every evaluator has submitted; another member of the working group or "
                "an admin can take them."
            )
        )
        return
    _export_part()
    if is_admin():
        st.divider()
        _backup_part()
        st.divider()
        _restore_part()


def _stamp() -> str:
    return datetime.now().strftime("%Y%m%d-%H%M")


def _heading(title: str, text: str) -> None:
    st.subheader(title)
    st.caption(text)


def _offer_download(prepared_key: str, label: str) -> None:
    """The download of the file this session prepared (kept as (file name, bytes, ...))."""
    prepared = st.session_state.get(prepared_key)
    if isinstance(prepared, tuple):
        st.download_button(
            label,
            data=prepared[1],
            file_name=prepared[0],
            mime=ZIP_MIME,
            key=f"{prepared_key}:download",
            icon=":material/download:",
        )


def _export_part() -> None:
    _heading(
        _("Full data export"),
        _(
            "Every table of the database as CSV and as Parquet in one zip file, with the "
            "schema version and a README describing every column. It holds everything, "
            "evaluators' unsubmitted scores and the whole audit log included: keep it as you "
            "keep the database."
        ),
    )
    if st.button(_("Prepare the data export"), key="setup:prepare_export"):
        with data.cursor() as cur:
            exported = data_export.export_data(cur)
        st.session_state[EXPORT_FILE] = (f"bibvalg-data-{_stamp()}.zip", exported)
    _offer_download(EXPORT_FILE, _("Download the data export"))


def _backup_part() -> None:
    _heading(
        _("Backup"),
        _(
            "The whole database in one file that can be restored exactly: every table, the "
            "audit log with its hash chain, the schema version and a checksum of every part. "
            "Making a backup is logged."
        ),
    )
    if st.button(_("Make a backup"), key="setup:make_backup"):
        name = f"bibvalg-backup-{_stamp()}.zip"
        try:
            with data.cursor() as cur:
                made = backup.make_backup(cur, actor=current_actor(), file_name=name)
        except BibvalgError as refused:
            st.error(refused.translated(current_language()))
        else:
            st.session_state[BACKUP_FILE] = (name, made.data, made.sha256)
        finally:
            data.clear_caches()
    _offer_download(BACKUP_FILE, _("Download the backup"))
    prepared = st.session_state.get(BACKUP_FILE)
    if isinstance(prepared, tuple):
        st.caption(_("SHA-256 of the backup: {digest}").format(digest=prepared[2]))


def _restore_part() -> None:
    _heading(
        _("Restore a backup"),
        _(
            "Replaces everything in this database with the backup. The file is checked whole "
            "first: a damaged or foreign file is refused and nothing changes. The restore is "
            "logged in the restored database."
        ),
    )
    done_before = int(st.session_state.get(RESTORES, 0))
    upload = st.file_uploader(
        _("Backup file (.zip)"),
        type=["zip"],
        key=f"{RESTORE_UPLOAD}:{done_before}",
        max_upload_size=UPLOAD_LIMIT_MB,
        help=upload_help(_("A backup made by bibvalg (.zip)"), UPLOAD_LIMIT_MB),
    )
    if upload is None:
        return
    payload, name = upload.getvalue(), upload.name
    try:
        checked = backup.read_backup(payload)
    except BibvalgError as refused:
        st.error(refused.translated(current_language()))
        return
    manifest = checked.manifest
    st.markdown(
        _(
            "**{name}**: made {made_at}, schema version {version}, {tables} tables, "
            "{rows} rows; audit anchor {anchor}."
        ).format(
            name=name,
            made_at=str(manifest.get("made_at", ""))[:19],
            version=manifest["schema_version"],
            tables=len(manifest["tables"]),
            rows=sum(int(t.get("rows", 0)) for t in manifest["tables"].values()),
            anchor=manifest.get("audit", {}).get("anchor"),
        )
    )
    confirmed = st.checkbox(
        _("I understand that every piece of data in this database is replaced by the backup."),
        key=f"{RESTORE_CONFIRM}:{done_before}",
    )
    if st.button(_("Restore"), type="primary", disabled=not confirmed, key="setup:restore"):
        path = data.db_path()
        data.release(path)
        try:
            done = backup.restore_backup(
                payload, path, actor=current_actor(), file_name=name, force=True
            )
        except BibvalgError as refused:
            st.error(refused.translated(current_language()))
            return
        finally:
            data.clear_caches(path)
        st.session_state[RESTORES] = done_before + 1  # the file and the confirmation go
        st.session_state[FLASH] = _(
            "Restored {name}: {tables} tables, {rows} rows, as they were at {made_at}."
        ).format(name=name, tables=done.tables, rows=done.rows, made_at=done.made_at[:19])
        st.rerun()


def _others_still_scoring(evaluator: str) -> bool:
    with data.cursor() as cur:
        return evaluation.others_still_scoring(cur, evaluator)
