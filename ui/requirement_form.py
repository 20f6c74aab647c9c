"""One requirement of the catalogue edited in plain fields: the Krav page's way to edit by
keyboard alone (the catalogue's table editor cannot be operated without a mouse). It saves
through the same store function, with the same checks and the same log, as the table."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from store.errors import BibvalgError
from store.problems import CatalogueInvalid
from ui import data, state, workbooks
from ui.i18n import _, current_language
from ui.identity import current_actor

KINDS = ["M", "W", "I"]
# The columns the form edits: every column of the catalogue but the id.
FIELDS = ["category_id", "kind", "text_nb", "text_en", "weight", "retired"]


def kind_names() -> dict[str, str]:
    return {"M": _("M: mandatory"), "W": _("W: weighted"), "I": _("I: for information")}


def with_one_changed(saved: pd.DataFrame, row: int, values: Mapping[str, object]) -> pd.DataFrame:
    """The saved catalogue with row ``row`` given ``values``, the rest as saved."""
    edited = saved.copy()
    for column, value in values.items():
        edited.at[row, column] = value
    return edited


def _save(saved: pd.DataFrame, row: int, based_on: int, form_key: str) -> None:
    """Save the form's fields as the requirement in ``row``; the outcome waits in the session
    for the next run."""
    fields = {column: st.session_state[f"{form_key}:{column}"] for column in FIELDS}
    reason = str(st.session_state[f"{form_key}:reason"]).strip()
    try:
        result = data.save_catalogue(
            with_one_changed(saved, row, fields),
            actor=current_actor(),
            reason=reason,
            based_on=based_on,
        )
    except CatalogueInvalid as invalid:
        message: tuple[str, object] = ("problems", invalid.problems)
    except BibvalgError as refused:  # the model frozen, or a role that may not
        why = refused.translated(current_language())
        message = ("error", _("Not saved: {reason}").format(reason=why))
    else:
        if result.version is None:
            message = ("info", _("There is nothing to save."))
        else:
            message = (
                "success",
                _("Saved as catalogue version {version}.").format(version=result.version.version),
            )
    st.session_state[state.REQUIREMENT_FORM_MESSAGE] = message


def requirement_form(
    saved: pd.DataFrame,
    based_on: int,
    category_names: Mapping[str, str],
    field_labels: Mapping[str, str],
) -> None:
    """Choose a requirement of ``saved`` (the catalogue as ``editable`` gives it, at version
    ``based_on``) and edit its category, type, texts, weight and retirement."""
    st.subheader(_("Edit one requirement"))
    st.caption(
        _(
            "The same change as in the table, one requirement at a time, in fields that work "
            "with the keyboard and a screen reader. Saving here stores the saved catalogue with "
            "this one requirement changed; an unsaved edit in the table above is not included."
        )
    )
    # The requirement is chosen by its id (typed or picked): the form below shows its texts.
    ids = saved["id"].astype(str).tolist()
    chosen = st.selectbox(
        _("Requirement to edit"), ids, key=state.REQUIREMENT_FORM_CHOICE, placeholder=_("Choose")
    )
    if chosen is None:
        return
    row = saved.index[ids.index(chosen)]
    current = saved.loc[row]
    # The fields are keyed by the requirement and the version: another choice, or a save,
    # starts them again from what is stored.
    form_key = f"requirement_form:{current['id']}:{based_on}"
    with st.form(form_key, enter_to_submit=False):
        st.text_input(field_labels["id"], value=str(current["id"]), disabled=True)
        st.selectbox(
            field_labels["category_id"],
            list(category_names),
            index=list(category_names).index(current["category_id"])
            if current["category_id"] in category_names
            else None,
            format_func=lambda c: category_names.get(str(c), str(c)),
            key=f"{form_key}:category_id",
        )
        st.selectbox(
            field_labels["kind"],
            KINDS,
            index=KINDS.index(current["kind"]) if current["kind"] in KINDS else None,
            format_func=kind_names().__getitem__,
            key=f"{form_key}:kind",
        )
        for text in ("text_nb", "text_en"):
            st.text_area(
                field_labels[text], value=str(current[text] or ""), key=f"{form_key}:{text}"
            )
        st.number_input(
            field_labels["weight"],
            min_value=0.0,
            value=0.0 if pd.isna(current["weight"]) else float(current["weight"]),
            help=_("Weight within the category; weighted requirements only"),
            key=f"{form_key}:weight",
        )
        st.checkbox(
            field_labels["retired"], value=bool(current["retired"]), key=f"{form_key}:retired"
        )
        st.text_input(_("Reason for the change (goes into the log)"), key=f"{form_key}:reason")
        st.form_submit_button(
            _("Save this requirement"),
            type="primary",
            icon=":material/save:",
            on_click=_save,
            args=(saved, row, based_on, form_key),
        )
    message = st.session_state.pop(state.REQUIREMENT_FORM_MESSAGE, None)
    if message is not None:
        kind, content = message
        if kind == "problems":
            st.error(_("Not saved: {count} problem(s) to fix.").format(count=len(content)))
            workbooks.show_problems(content, field_labels, with_sheet=False)
        else:
            getattr(st, kind)(content)
