"""What every setup section shares: run a change on the app's database and say how it went."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import duckdb
import streamlit as st

from store.errors import BibvalgError
from store.problems import ProblemsFound
from ui import data
from ui.i18n import current_language
from ui.workbooks import show_problems

FLASH = "setup:flash"  # what the last change did, shown once after the rerun


def change(
    action: Callable[[duckdb.DuckDBPyConnection], Any],
    done: str | Callable[[Any], str],
    *,
    column_labels: Mapping[str, str] | None = None,
) -> None:
    """Run ``action`` on a fresh cursor. A refusal is shown at once in the user's language
    (with the problem table where there is one, its columns named by ``column_labels``) and
    nothing changes; on success the page is drawn again from the new data, with ``done``
    (or ``done(result)``) shown once."""
    try:
        with data.cursor() as cur:
            result = action(cur)
    except ProblemsFound as refused:
        st.error(refused.translated(current_language()))
        show_problems(refused.problems, column_labels, with_sheet=False)
        return
    except BibvalgError as refused:
        st.error(refused.translated(current_language()))
        return
    data.clear_caches()
    st.session_state[FLASH] = done(result) if callable(done) else done
    st.rerun()


def show_flash() -> None:
    """The message of the change just made, once."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)


def read(query: Callable[[duckdb.DuckDBPyConnection], Any]) -> Any:
    """A read on a fresh cursor (small tables; not cached, so it is always current)."""
    with data.cursor() as cur:
        return query(cur)
