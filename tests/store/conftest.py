"""Fixtures for the store's tests: a demo database whose log holds three setting changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from store import settings
from store.db import open_database

SHOW_WEIGHTS = "template_show_weights"


@pytest.fixture
def logged_db(demo_db: Path) -> Path:
    """The demo database after three logged changes of one setting ("step 0" to "step 2")."""
    con = open_database(demo_db)
    try:
        for n, value in enumerate(("true", "false", "true")):
            settings.set_setting(con, SHOW_WEIGHTS, value, actor="tester", reason=f"step {n}")
    finally:
        con.close()
    return demo_db
