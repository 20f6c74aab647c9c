"""A private copy of the demo database per test, and the requirement specification it sends."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from vendors import responses
from vendors.db import connect


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
