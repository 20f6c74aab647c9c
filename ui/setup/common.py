"""What every setup section shares: run a change on the app's database and say how it went."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import duckdb
import streamlit as st

from store.errors import BibvalgError
from store.problems import ProblemsFound
from ui import data
from ui.i18n import _, current_language
from ui.identity import current_actor
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


def new_entry_form(
    key: str,
    heading: str,
    fields: Callable[[Any, Any], dict[str, str]],
    save: Callable[..., Any],
    *,
    button: str,
    done: str,
) -> None:
    """A form that adds something new by its id and name: ``fields(left, right)`` draws the
    other inputs (in the form, the two columns given) and returns them as the keyword
    arguments of ``save(cur, id, name=..., **fields, actor=...)``, which ``change`` runs."""
    with st.form(key, clear_on_submit=True):
        st.markdown("**" + heading + "**")
        left, right = st.columns(2)
        entry = left.text_input(_("Id (lower-case letters, digits, - or _)"))
        name = right.text_input(_("Name"))
        values = fields(left, right)
        if st.form_submit_button(button):
            change(
                lambda cur: save(cur, entry.strip(), name=name, **values, actor=current_actor()),
                done,
            )


def show_flash() -> None:
    """The message of the change just made, once."""
    message = st.session_state.pop(FLASH, None)
    if message:
        st.success(message)


_READS: dict[Callable[[duckdb.DuckDBPyConnection], Any], Callable[[str], Any]] = {}


def read(query: Callable[[duckdb.DuckDBPyConnection], Any]) -> Any:
    """``query`` (a module's function of the connection alone) on the app's database, cached
    until the data changes: the data version moves on with every change (``data.cached``),
    so the result is always current."""
    if query not in _READS:
        _READS[query] = data.cached(query, max_entries=2)
    return _READS[query](data.db_path())
