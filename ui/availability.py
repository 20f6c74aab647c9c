"""Whether the app can open its database: when another program holds the file, a calm
message and a button to try again, instead of a traceback and a broken menu."""

from __future__ import annotations

import streamlit as st

from store.errors import DatabaseInUse
from ui import data
from ui.i18n import _, current_language


def require_database() -> None:
    """Open the app's database, or say it is in use by another program and stop the page.

    A click on *Try again* reruns the app, which tries to open it again (a failed open is
    not cached).
    """
    try:
        with data.cursor():
            pass
    except DatabaseInUse as exc:
        st.error(exc.translated(current_language()), icon=":material/lock_clock:")
        st.caption(
            _(
                "Another program, such as a command run from the command line, is using the "
                "database. When it is done, try again."
            )
        )
        st.button(_("Try again"), type="primary", key="database:retry")
        st.stop()
