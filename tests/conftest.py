"""Shared fixtures: a demo database built once, copied for each test that needs one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from vendors.db import open_database


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "demo.duckdb"
    open_database(path).close()
    return path


@pytest.fixture
def demo_db(demo_db_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the demo database, which the app and CLI will use."""
    path = tmp_path / "bibvalg.duckdb"
    shutil.copy(demo_db_template, path)
    monkeypatch.setenv("BIBVALG_DB", str(path))
    return path
