"""Krav: the requirement specification out to vendors, and the catalogue edited and saved."""

from __future__ import annotations

import streamlit as st

from store.errors import BibvalgError
from store.problems import CatalogueInvalid
from ui import data, identity, numbers, state, workbooks
from ui.i18n import _, current_language, localized
from ui.identity import current_actor
from ui.requirement_form import requirement_form
from ui.setup.catalogue import catalogue_labels, short_fingerprints, weight_and_retired_columns
from ui.widgets import labelled_table

path = data.db_path()
version = data.catalogue_version(path)
saved = data.catalogue_table(path)
categories = data.categories(path)
category_names = {row["id"]: localized(row, "name") for row in categories.to_dict("records")}
counted = data.counts(path)

st.title(_("Requirements"))
st.caption(
    _(
        "The requirement catalogue the vendors answer. Send it to them as an Excel workbook, "
        "and edit it here: every save is a new catalogue version, and every change is logged."
    )
)

# --- the requirement specification for vendors ------------------------------------------
st.subheader(_("Requirement specification for vendors"))
cols = st.columns(4)
cols[0].metric(_("Catalogue version"), version.version)
cols[1].metric(_("Requirements in force"), counted.requirements)
cols[2].metric(_("Mandatory"), counted.mandatory)
cols[3].metric(_("Weighted"), counted.weighted)


def on_show_weights() -> None:
    chosen = st.session_state[state.TEMPLATE_SHOW_WEIGHTS]
    try:
        data.set_show_weights_default(chosen, actor=current_actor())
    except BibvalgError as refused:
        st.session_state[state.TEMPLATE_SHOW_WEIGHTS] = not chosen
        st.toast(refused.translated(current_language()), icon=":material/block:")
        return
    st.toast(_("Saved as the working group's choice."), icon=":material/check:")


st.session_state.setdefault(state.TEMPLATE_SHOW_WEIGHTS, data.show_weights_default(path))
show_weights = st.toggle(
    _("Show the weights of the requirements in the specification"),
    key=state.TEMPLATE_SHOW_WEIGHTS,
    on_change=on_show_weights,
    disabled=not identity.may_change("setting"),
    help=_("The working group's choice; it is stored and applies to every download."),
)
export = workbooks.template_download(
    path,
    show_weights,
    label=_("Download the requirement specification (.xlsx)"),
    key="requirements:download",
    primary=True,
)
if export is not None:
    st.caption(
        _(
            "The workbook has an instruction sheet and a sheet of requirements in Norwegian and "
            "English, where only the vendor's columns are open: answer 0–3, comment, evidence or "
            "reference, and roadmap date. It carries catalogue version {version} and its "
            "fingerprint {fingerprint}; an answer to an older catalogue is refused on import. "
            "Import the answers on the page Vendors."
        ).format(version=export.version.version, fingerprint=export.version.fingerprint[:16])
    )

field_labels = catalogue_labels()

# --- editing the catalogue --------------------------------------------------------------
if not identity.may_change("catalogue"):
    st.subheader(_("The catalogue"))
    labelled_table(
        saved, field_labels, {field_labels["retired"]: st.column_config.CheckboxColumn()}
    )
else:
    st.subheader(_("Edit the catalogue"))
    st.caption(
        _(
            "Change texts, types and weights in the table, or add a requirement in the empty row "
            "at the bottom. A requirement is never deleted: tick Retired instead, and it leaves "
            "the specification. Nothing is stored until you press Save; your edit is kept while "
            "you visit other pages."
        )
    )
    st.session_state.setdefault(state.CATALOGUE_GENERATION, 0)
    generation = st.session_state[state.CATALOGUE_GENERATION]
    editor_key = state.catalogue_editor(generation, current_language())
    if editor_key not in st.session_state:
        # A new editor (first visit, another language, after a save): start from the edit kept
        # from before, if any, else from the saved catalogue.
        draft = st.session_state.get(state.CATALOGUE_DRAFT)
        st.session_state[state.CATALOGUE_BASE] = saved if draft is None else draft
        st.session_state[state.CATALOGUE_BASE_IS_DRAFT] = draft is not None
        if draft is None:
            st.session_state[state.CATALOGUE_BASE_VERSION] = version.version
    edited = st.data_editor(
        st.session_state[state.CATALOGUE_BASE],
        key=editor_key,
        num_rows="add",
        hide_index=False,
        placeholder=numbers.EMPTY,
        width="stretch",
        height=520,
        column_config={
            "_index": st.column_config.NumberColumn(_("Row"), width="small"),
            "id": st.column_config.TextColumn(
                field_labels["id"], required=True, max_chars=40, pinned=True, width="small"
            ),
            "category_id": st.column_config.SelectboxColumn(
                field_labels["category_id"],
                options=list(category_names),
                format_func=lambda c: category_names.get(str(c), str(c)),
                required=True,
            ),
            "kind": st.column_config.SelectboxColumn(
                field_labels["kind"],
                options=["M", "W", "I"],
                required=True,
                width="small",
                help=_("M mandatory, W weighted, I for information"),
            ),
            "text_nb": st.column_config.TextColumn(field_labels["text_nb"], width="large"),
            "text_en": st.column_config.TextColumn(field_labels["text_en"], width="large"),
            **weight_and_retired_columns(
                field_labels, _("Weight within the category; weighted requirements only")
            ),
        },
    )
    # Keep the edit (not the unchanged table) for the next editor, after a page or language switch.
    editor_state = st.session_state.get(editor_key) or {}
    unsaved = st.session_state[state.CATALOGUE_BASE_IS_DRAFT] or any(
        editor_state.get(part) for part in ("edited_rows", "added_rows", "deleted_rows")
    )
    if unsaved:
        st.session_state[state.CATALOGUE_DRAFT] = edited
        st.caption(
            _("You have unsaved changes: press Save to store them, or Discard changes."),
        )
    else:
        st.session_state.pop(state.CATALOGUE_DRAFT, None)

    reason = st.text_input(
        _("Reason for the change (goes into the log)"), key=state.catalogue_reason(generation)
    )
    save_col, discard_col, _spacer = st.columns([1, 1, 3])
    save = save_col.button(
        _("Save"), type="primary", key="requirements:save", width="stretch", icon=":material/save:"
    )
    discard = discard_col.button(
        _("Discard changes"), key="requirements:discard", width="stretch", icon=":material/undo:"
    )

    def start_over() -> None:
        """Forget the edit: the next editor starts from the saved catalogue."""
        st.session_state.pop(state.CATALOGUE_DRAFT, None)
        st.session_state[state.CATALOGUE_GENERATION] = generation + 1

    if save:
        try:
            result = data.save_catalogue(
                edited,
                actor=current_actor(),
                reason=reason.strip(),
                based_on=st.session_state.get(state.CATALOGUE_BASE_VERSION),
            )
        except CatalogueInvalid as invalid:
            st.session_state[state.CATALOGUE_MESSAGE] = ("problems", invalid.problems)
        except BibvalgError as refused:  # the model frozen, or a role that may not
            st.session_state[state.CATALOGUE_MESSAGE] = (
                "error",
                _("Not saved: {reason} Your edit is kept.").format(
                    reason=refused.translated(current_language())
                ),
            )
        else:
            if result.version is None:
                st.session_state[state.CATALOGUE_MESSAGE] = ("info", _("There is nothing to save."))
            else:
                st.session_state[state.CATALOGUE_MESSAGE] = (
                    "success",
                    _(
                        "Saved as catalogue version {version}: {count} requirement(s) changed."
                    ).format(version=result.version.version, count=len(result.changes)),
                )
                start_over()
        st.rerun()
    if discard:
        st.session_state[state.CATALOGUE_MESSAGE] = ("info", _("Your changes are discarded."))
        start_over()
        st.rerun()

    message = st.session_state.pop(state.CATALOGUE_MESSAGE, None)
    if message is not None:
        kind, content = message
        if kind == "problems":
            st.error(
                _("Not saved: {count} problem(s) to fix. Your edit is kept.").format(
                    count=len(content)
                )
            )
            workbooks.show_problems(content, field_labels, with_sheet=False)
        elif kind == "success":
            st.success(content)
        elif kind == "error":
            st.error(content)
        else:
            st.info(content)
    requirement_form(saved, version.version, category_names, field_labels)

# --- versions ---------------------------------------------------------------------------
st.subheader(_("Catalogue versions"))
versions = data.catalogue_versions(path)
if versions.empty:
    st.caption(_("No version is recorded yet; the first download or save records one."))
else:
    labelled_table(
        short_fingerprints(versions),
        {
            "version": _("Version"),
            "fingerprint": _("Fingerprint"),
            "saved_at": _("Saved"),
            "saved_by": _("By"),
            "reason": _("Reason"),
        },
    )
    st.caption(
        _(
            "The fingerprint is the SHA-256 of what vendors answer: the id, category, type "
            "and texts of every requirement in force. Weights do not count, so a change of "
            "weight does not outdate answers already sent."
        )
    )
