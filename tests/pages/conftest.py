"""Fixtures of the page tests: an empty tender's database, which the app will use."""

from __future__ import annotations

from pathlib import Path

import pytest

from store.db import connect


@pytest.fixture
def empty_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A migrated database with no demo data in it."""
    path = tmp_path / "tender.duckdb"
    connect(path).close()
    monkeypatch.setenv("BIBVALG_DB", str(path))
    return path
