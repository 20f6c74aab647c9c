"""People and roles: who may use a shared installation, and what each may change."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from store import access, evaluators
from ui import widgets
from ui.i18n import _
from ui.identity import current_actor, is_admin
from ui.setup.common import change, read

NO_EVALUATOR = ""


def people_section() -> None:
    if not is_admin():
        st.info(_("Only an admin manages the people and their roles."))
        return
    if not read(access.is_enforced):
        st.info(
            _(
                "Local mode: nobody holds the role admin, so roles are not enforced and "
                "everything is allowed. Granting someone the role admin switches enforcement "
                "on: from then on every change needs a signed-in person whose roles allow it. "
                "Configure sign-in first (see the README), or the app will refuse every change."
            )
        )
    role_names = {role: _(label) for role, label in access.ROLES.items()}
    table = read(access.people)
    widgets.table(_people_table(table, role_names))
    _add_form(role_names)
    if table.empty:
        return
    names = {str(p): f"{n} ({p})" for p, n in zip(table["id"], table["name"], strict=True)}
    _role_form(names, role_names)
    _remove_form(names)


def _people_table(table: pd.DataFrame, role_names: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            _("Name"): table["name"],
            _("E-mail"): table["id"],
            _("Evaluator"): table["evaluator_id"].fillna(""),
            _("Roles"): [", ".join(role_names[r] for r in roles) for roles in table["roles"]],
        }
    )


def _add_form(role_names: dict[str, str]) -> None:
    bound = read(evaluators.evaluators)
    choices = {NO_EVALUATOR: _("(not an evaluator)")}
    choices.update(zip(bound["id"], bound["name"], strict=True))
    with st.form("setup:add_person", clear_on_submit=True):
        st.markdown("**" + _("Add a person") + "**")
        left, right = st.columns(2)
        email = left.text_input(_("E-mail (the one they sign in with)"))
        name = right.text_input(_("Full name"))
        evaluator = widgets.pick(_("The evaluator this person is"), choices)
        roles = st.multiselect(
            _("Roles"),
            list(role_names),
            format_func=role_names.__getitem__,
            placeholder=_("Choose options"),
        )
        if st.form_submit_button(_("Add the person")):
            change(
                lambda cur: access.add_person(
                    cur,
                    email,
                    name=name,
                    evaluator=str(evaluator) or None,
                    roles=list(roles),
                    actor=current_actor(),
                ),
                _("The person is added."),
            )


def _role_form(names: dict[str, str], role_names: dict[str, str]) -> None:
    actions = {"grant": _("Grant the role"), "revoke": _("Take the role back")}
    with st.form("setup:person_role", clear_on_submit=True):
        st.markdown("**" + _("Grant or take back a role") + "**")
        left, right = st.columns(2)
        who = widgets.pick(_("Person"), names, where=left)
        role = widgets.pick(_("Role"), role_names, where=right)
        what = st.radio(_("What"), list(actions), format_func=actions.__getitem__, horizontal=True)
        if st.form_submit_button(_("Do it")):
            write = access.grant if what == "grant" else access.revoke
            change(
                lambda cur: write(cur, str(who), str(role), actor=current_actor()),
                lambda done: _("Done.") if done else _("Nothing to change: it was so already."),
            )


def _remove_form(names: dict[str, str]) -> None:
    with st.form("setup:remove_person", clear_on_submit=True):
        st.markdown("**" + _("Remove a person") + "**")
        who = widgets.pick(_("Person"), names)
        reason = st.text_input(_("Reason (logged)"))
        if st.form_submit_button(_("Remove")):
            change(
                lambda cur: access.remove_person(
                    cur, str(who), actor=current_actor(), reason=reason
                ),
                _(
                    "The person is removed: every role is taken back, and a signed-in "
                    "session loses access at its next step."
                ),
            )
