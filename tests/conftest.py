"""Shared fixtures: a demo database built once, copied for each test that needs one (or
shared by the tests that only read it), and the requirement specification it sends."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from store.db import connect, open_database
from tests.dbdump import shared_read_only
from vendors import responses


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


@pytest.fixture(scope="session")
def _shared_demo_db(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("shared") / "demo.duckdb"
    shutil.copy(demo_db_template, path)
    return path


@pytest.fixture
def read_only_demo_db(_shared_demo_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The demo database that the tests which only look at it share (one file per test
    process), which the app will use. What the app works out from a file stays cached while
    the file is unchanged, so these tests do not work the demo's analyses out anew each
    time, as a fresh copy would make them. A test that changes the file fails here: a
    test that changes data takes ``demo_db``."""
    with shared_read_only(_shared_demo_db, monkeypatch) as path:
        yield path


@pytest.fixture
def demo_con(demo_db: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the private demo database (``demo_db``), closed after the test."""
    connection = open_database(demo_db)
    yield connection
    connection.close()


@pytest.fixture
def con(demo_db_template: Path, tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_template, path)
    connection = connect(path)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def template(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The requirement specification exported from the demo catalogue (weights shown)."""
    path = tmp_path_factory.mktemp("export") / "demo.duckdb"
    shutil.copy(demo_db_template, path)
    connection = connect(path)
    try:
        return responses.export_template(connection, actor="test", show_weights=True).data
    finally:
        connection.close()
