"""Who is acting, and as which evaluator. This is the one place that binds both.

With sign-in configured (an ``[auth]`` section in ``.streamlit/secrets.toml``: Streamlit's
``st.login`` over OpenID Connect), the actor is the signed-in user's e-mail address and
the evaluator the one their person on the list is bound to; ``gate`` lets nobody else in,
and is run on every rerun, so a person removed from the list loses access at their next
step. Without sign-in the app runs in local mode, for one person on one machine: the
evaluator is chosen in the sidebar and is self-declared, as the banner says.

What a person may change is decided in the store (``store.access``), whichever page asks;
the pages only hide what a role may not do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st

from store import access, tender
from ui import data, state
from ui.i18n import _

ANONYMOUS_ACTOR = "app"
NOBODY = ""
SIGN_IN_SECTION = "auth"


@dataclass(frozen=True)
class SignedIn:
    """The signed-in user as this run found them on the list (``person`` None: not on it)."""

    email: str
    name: str
    person: access.Person | None
    enforced: bool  # whether the database enforces roles (someone holds admin)

    @property
    def roles(self) -> frozenset[str]:
        return self.person.roles if self.person is not None else frozenset()


def sign_in_configured() -> bool:
    """Whether sign-in is configured: ``st.secrets`` has an ``[auth]`` section."""
    try:
        return SIGN_IN_SECTION in st.secrets
    except Exception:  # no secrets file at all, or one that cannot be read
        return False


def signed_in() -> SignedIn | None:
    """The signed-in user, as ``gate`` found them on this run (None in local mode)."""
    found = st.session_state.get(state.SIGNED_IN)
    return found if isinstance(found, SignedIn) else None


def _look_up(email: str, name: str) -> SignedIn:
    """The signed-in user on the list, read now (never cached: a removal counts at once)."""
    with data.cursor() as cur:
        found = access.person(cur, email)
        enforced = access.is_enforced(cur)
    if found is not None and found.removed:
        found = None
    return SignedIn(
        email=email, name=found.name if found else name, person=found, enforced=enforced
    )


def gate() -> None:
    """With sign-in configured: the sign-in button and nothing else until the user has
    signed in; then a refusal for someone not on the list (while roles are enforced).
    Without it, nothing (local mode)."""
    st.session_state.pop(state.SIGNED_IN, None)
    if not sign_in_configured():
        return
    if not st.user.get("is_logged_in"):
        st.button(_("Sign in"), on_click=st.login, type="primary", key="identity:sign_in")
        st.stop()
    email = access.person_id(str(st.user.get("email") or ""))
    user = _look_up(email, str(st.user.get("name") or email))
    if user.enforced and user.person is None:
        st.error(
            _(
                "{email} is not on this tender's list of people, so bibvalg is closed to "
                "you. Ask an admin of the tender to add you."
            ).format(email=email or "?")
        )
        sign_out_button()
        st.stop()
    st.session_state[state.SIGNED_IN] = user


def sign_out_button() -> None:
    st.button(_("Sign out"), on_click=st.logout, key="identity:sign_out")


def current_evaluator() -> str | None:
    """The evaluator this session acts as, or None (reading only)."""
    user = signed_in()
    if user is not None:
        return user.person.evaluator_id if user.person is not None else None
    if sign_in_configured():
        return None
    value = st.session_state.get(state.EVALUATOR, NOBODY)
    return str(value) if value else None


def current_viewer() -> str | None:
    """Whose unsubmitted scores this session may read: only its own evaluator's."""
    return current_evaluator()


def current_actor() -> str:
    """The name written to the audit log for changes made in this session: the signed-in
    e-mail address, or in local mode the evaluator chosen (else ``app``)."""
    user = signed_in()
    if user is not None:
        return user.email
    return current_evaluator() or ANONYMOUS_ACTOR


def is_admin() -> bool:
    """Whether this session may manage people: an admin signed in, or local mode."""
    return _holds_any(frozenset({access.ADMIN}))


def may_change(entity: str, action: str = "") -> bool:
    """Whether this session's person may make a change of this kind (an audit entity, see
    ``store.access.PERMISSIONS``): the pages hide what it may not do. The store refuses it
    anyway; this only spares people controls that would be refused. An evaluator's own
    work is theirs alone (the scoring form binds it to ``current_evaluator``)."""
    user = signed_in()
    if user is None:
        if not sign_in_configured():
            return not data.roles_enforced(data.db_path())
        return False
    if not user.enforced:
        return True
    return bool(user.roles & access.allowed_roles(entity, action or "update"))


def reads_rankings_only() -> bool:
    """Whether this session's person is only an observer (reads the rankings, nothing else)."""
    user = signed_in()
    return user is not None and user.enforced and user.roles == {access.OBSERVER}


# Roles that see prices whatever the tender's price-blind setting says.
_SEES_PRICES = frozenset({access.ADMIN, access.WORKING_GROUP, access.STEERING_GROUP})


def prices_hidden() -> bool:
    """Whether prices, price points and the total ranking are hidden from this session: it
    scores as an evaluator who has not submitted yet, the tender is price-blind (the
    default), and the person holds no role that sees prices anyway."""
    evaluator = current_evaluator()
    if evaluator is None:
        return False
    user = signed_in()
    if user is not None and user.enforced and user.roles & _SEES_PRICES:
        return False
    with data.cursor() as cur:
        return tender.prices_hidden_from(cur, evaluator)


def may_read_report() -> bool:
    """Whether this session may download the steering group's report: the steering group,
    the working group or an admin signed in (``access.REPORT_READERS``), or local mode."""
    return _holds_any(access.REPORT_READERS)


def is_working_group() -> bool:
    """Whether this session may take the working group's files of the whole database (the
    full data export): the working group or an admin signed in, or local mode."""
    return _holds_any(frozenset({access.ADMIN, access.WORKING_GROUP}))


def _holds_any(roles: frozenset[str]) -> bool:
    """Whether the signed-in person holds one of ``roles`` (or roles are not enforced yet);
    in local mode, True."""
    user = signed_in()
    if user is not None:
        return not user.enforced or bool(roles & user.roles)
    return not sign_in_configured()


def choose_evaluator(names: Mapping[str, str]) -> None:
    """The sidebar: who is signed in, with a sign-out button; or, in local mode, the choice
    of evaluator (id -> name), with a note that it is self-declared."""
    user = signed_in()
    if user is not None:
        _show_signed_in(user, names)
        return
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
            "Self-declared: in local mode, without sign-in, anyone can choose any name here. "
            "The choice decides whose scores you enter and see before they are submitted, "
            "and the name written to the log."
        ),
        placeholder=_("Choose an option"),
    )
    st.sidebar.caption(_("Self-declared choice: there is no sign-in in local mode."))


def _show_signed_in(user: SignedIn, names: Mapping[str, str]) -> None:
    with st.sidebar:
        st.markdown(_("Signed in as **{name}** ({email})").format(name=user.name, email=user.email))
        roles = [_(label) for role, label in access.ROLES.items() if role in user.roles]
        if roles:
            st.caption(_("Roles: {roles}").format(roles=", ".join(roles)))
        evaluator = current_evaluator()
        if evaluator:
            st.caption(_("Scores as {name}").format(name=names.get(evaluator, evaluator)))
        sign_out_button()


def banner() -> None:
    """On every page: local mode says it is for one person on one machine; a shared
    installation whose roles are not yet (or cannot be) enforced says that."""
    configured = sign_in_configured()
    user = signed_in()
    if configured and user is not None and not user.enforced:
        st.warning(
            _(
                "Nobody holds the role admin yet, so everyone who signs in may change "
                "anything. Add an admin under Setup → People and roles."
            ),
            icon=":material/shield:",
        )
        return
    if configured:
        return
    if data.roles_enforced(data.db_path()):
        st.warning(
            _(
                "Roles are enforced in this database, but sign-in is not configured here: "
                "every change is refused. Configure sign-in (.streamlit/secrets.toml), or "
                "make changes from the command line with --actor."
            ),
            icon=":material/lock:",
        )
        return
    st.info(
        _(
            "Local mode: bibvalg runs here for one person on one machine, without sign-in. "
            "Anyone who can open this page may change anything, and the evaluator is chosen "
            "by hand in the sidebar."
        ),
        icon=":material/computer:",
    )
