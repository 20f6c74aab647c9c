"""A real tender with an offer registered but its workbook not yet imported: every page
says what it waits for instead of breaking."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from demo import catalogue_template
from store import criteria, offers
from store.db import connect
from tests.dbdump import shared_read_only
from tests.pages.test_pages import ROOT
from ui import state


@pytest.fixture(scope="module")
def _unpriced_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("unpriced") / "tender.duckdb"
    con = connect(path)
    try:
        criteria.start_from_template(con, catalogue_template(), actor="gruppa")
        offers.add_vendor(con, "havn", name="Havnesystem AS", actor="gruppa")
        offers.add_offer(con, "havn-1", vendor="havn", product="Havn 2", actor="gruppa")
    finally:
        con.close()
    return path


@pytest.fixture
def unpriced_db(_unpriced_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A tender with its catalogue and one offer without prices, shared by these tests,
    which only look."""
    with shared_read_only(_unpriced_db, monkeypatch) as path:
        yield path


@pytest.mark.parametrize("page", sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py")))
def test_every_page_says_what_it_waits_for(unpriced_db, page):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state[state.LANGUAGE] = "en"
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    if page in ("pages/overview.py", "pages/weights.py", "pages/price.py"):
        assert any("1 offer(s) have no prices yet (havn-1)" in i.value for i in at.info)
