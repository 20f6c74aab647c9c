"""Oppsett's tab *Sikkerhetskopi og data*: the data export for the working group and an
admin, a backup for an admin (logged), and no tab at all for anyone else where roles are
enforced."""

from __future__ import annotations

import io
import zipfile
from contextlib import closing

import pytest

from store import access, backup
from store.db import open_database
from tests.dbdump import rows
from tests.pages.test_identity import (
    ADMIN,
    MARIT,
    STEERING,
    WORKING_GROUP,
    app,
    opened,
    people,
    tabs,
)
from tests.pages.test_pages import open_tab
from ui import data as ui_data
from ui import state
from ui.setup.backup import BACKUP_FILE, EXPORT_FILE

TAB = "Sikkerhetskopi og data"


def on_tab(at):
    """Oppsett opened on this tab (only the open tab is drawn)."""
    return open_tab(opened(at, "pages/setup.py"), state.SETUP_TAB, TAB)


def _tab(at):
    return next(t for t in at.tabs if t.label == TAB)


def _buttons(at) -> list[str]:
    return [b.label for b in _tab(at).button]


def _headings(at) -> list[str]:
    return [h.value for h in _tab(at).subheader]


ADMIN_HEADINGS = ["Full dataeksport", "Sikkerhetskopi", "Gjenopprett en sikkerhetskopi"]


def test_the_admin_exports_the_data_and_makes_a_logged_backup(demo_db):
    people(demo_db)
    at = on_tab(app(signed_in_as=ADMIN))
    assert TAB in tabs(at)
    assert _headings(at) == ADMIN_HEADINGS
    assert _buttons(at) == ["Lag dataeksporten", "Lag en sikkerhetskopi"]

    _tab(at).button[0].click().run()
    with zipfile.ZipFile(io.BytesIO(at.session_state[EXPORT_FILE][1])) as archive:
        assert "csv/audit_log.csv" in archive.namelist()

    _tab(at).button[1].click().run()
    assert not at.exception
    name, data, digest = at.session_state[BACKUP_FILE]
    assert backup.read_backup(data).sha256 == digest
    assert rows(demo_db, "SELECT actor, action FROM audit_log ORDER BY id DESC LIMIT 1") == [
        (ADMIN, "backup")
    ]


def test_the_working_group_exports_but_makes_no_backup(demo_db):
    people(demo_db)  # the working group among them
    at = on_tab(app(signed_in_as=WORKING_GROUP))
    assert _headings(at) == ["Full dataeksport"]
    assert _buttons(at) == ["Lag dataeksporten"]


def test_nobody_else_sees_the_tab_where_roles_are_enforced(demo_db):
    people(demo_db)
    # The steering group has no Oppsett page at all; an evaluator neither.
    for reader in (STEERING, MARIT):
        with pytest.raises(ValueError, match="navigation page"):
            opened(app(signed_in_as=reader), "pages/setup.py")


def test_everyone_sees_it_in_local_mode(read_only_demo_db):
    at = on_tab(app(sign_in=False))
    assert _headings(at) == ADMIN_HEADINGS


def _enforced_banner(at) -> bool:
    return any("--actor" in w.value for w in at.warning)


def test_the_apps_own_database_is_replaced_and_read_anew(demo_db):
    """What *Restore* does once the file is checked and the replacement confirmed (the
    upload itself is beyond AppTest): the app's connection closed, the file replaced, the
    page drawn from the restored data."""
    at = on_tab(app(sign_in=False))
    _tab(at).button[1].click().run()
    _, data, _ = at.session_state[BACKUP_FILE]
    with closing(open_database(demo_db)) as con:  # a change after the backup
        access.add_person(con, ADMIN, name="Aslak Admin", roles=[access.ADMIN], actor="x")
    at.run()
    assert _enforced_banner(at)  # roles enforced now, and nobody signed in

    ui_data.release(ui_data.db_path())
    backup.restore_backup(data, demo_db, actor="app", file_name="b.zip", force=True)
    at.run()
    assert not at.exception
    assert not _enforced_banner(at)  # local mode again: the backup was made before the admin
    assert rows(demo_db, "SELECT count(*) FROM person") == [(0,)]


def test_a_working_group_member_who_scores_gets_no_files_while_others_still_score(demo_db):
    people(demo_db)
    with closing(open_database(demo_db)) as con:
        # Marit has not submitted; a working-group member who scores as risten (submitted)
        # would otherwise take Marit's unsubmitted scores with the export.
        access.add_person(
            con, "risten@kommune.no", name="Risten", evaluator="risten",
            roles=[access.WORKING_GROUP, access.EVALUATOR], actor=ADMIN,
        )  # fmt: skip
    at = on_tab(app(signed_in_as="risten@kommune.no"))
    assert any("ikke levert" in i.value or "unsubmitted" in i.value for i in at.info)
    assert _buttons(at) == []
