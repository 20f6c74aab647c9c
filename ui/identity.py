"""Who is acting, and as which evaluator. This is the one place that binds both.

Until sign-in exists, the evaluator is chosen in the sidebar and is self-declared: anyone
can choose any name. When sign-in comes, ``current_evaluator`` returns the evaluator bound
to the signed-in user and ``choose_evaluator`` shows who that is instead of a choice; no
page or repository function changes, because they all ask here.
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from ui import state
from ui.i18n import _

ANONYMOUS_ACTOR = "app"
NOBODY = ""


def current_evaluator() -> str | None:
    """The evaluator this session acts as, or None (reading only)."""
    value = st.session_state.get(state.EVALUATOR, NOBODY)
    return str(value) if value else None


def current_viewer() -> str | None:
    """Whose unsubmitted scores this session may read: only its own evaluator's."""
    return current_evaluator()


def current_actor() -> str:
    """The name written to the audit log for changes made in this session."""
    return current_evaluator() or ANONYMOUS_ACTOR


def choose_evaluator(names: Mapping[str, str]) -> None:
    """The sidebar choice of evaluator (id -> name), with a note that it is self-declared."""
    if st.session_state.get(state.EVALUATOR, NOBODY) not in (NOBODY, *names):
        st.session_state[state.EVALUATOR] = NOBODY
    st.session_state.setdefault(state.EVALUATOR, NOBODY)
    if not names:
        return
    shown = {NOBODY: _("Not an evaluator (read only)"), **names}
    st.sidebar.selectbox(
        _("I am"),
        options=list(shown),
        format_func=shown.__getitem__,
        key=state.EVALUATOR,
        help=_(
            "Self-declared: until sign-in exists, anyone can choose any name here. The choice "
            "decides whose scores you enter and see before they are submitted, and the name "
            "written to the log."
        ),
    )
    st.sidebar.caption(_("Self-declared choice: there is no sign-in yet."))
