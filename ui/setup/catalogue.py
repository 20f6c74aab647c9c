"""The award criteria and categories, edited and saved; the catalogue workbook down and up;
a new tender's catalogue started from the demo's."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import duckdb
import pandas as pd
import streamlit as st

from store import criteria, freeze, profiles
from store.errors import BibvalgError
from store.problems import ProblemsFound
from tender_files.catalogue_workbook import export_catalogue, import_catalogue
from ui import data, numbers, state
from ui.i18n import _, current_language
from ui.identity import current_actor
from ui.setup.common import FLASH, change, read
from ui.workbooks import UPLOAD_LIMIT_MB, show_problems, upload_help
from vendors.workbook_layout import XLSX_MIME

TABLES = ("criteria", "categories")


def catalogue_labels() -> dict[str, str]:
    """The catalogue's columns (criteria, categories and requirements) as the pages name them."""
    return {
        "id": _("Id"),
        "criterion_id": _("Award criterion"),
        "category_id": _("Category"),
        "kind": _("Type"),
        "name_nb": _("Name (Norwegian)"),
        "name_en": _("Name (English)"),
        "description_nb": _("Description (Norwegian)"),
        "description_en": _("Description (English)"),
        "text_nb": _("Text (Norwegian)"),
        "text_en": _("Text (English)"),
        "weight": _("Weight"),
        "retired": _("Retired"),
    }


def _start_over(table: str) -> None:
    """Forget the edit of a table: its next editor starts from the saved table."""
    st.session_state.pop(state.setup_tree_draft(table), None)
    key = state.setup_tree_generation(table)
    st.session_state[key] = st.session_state.get(key, 0) + 1


def _saved_message(result: criteria.ModelSaveResult) -> str:
    if not result.changed:
        return _("There is nothing to save.")
    if result.price_lines:
        return _("Saved: {price_lines} price lines added or changed.").format(**result.counts())
    return _(
        "Saved: {criteria} award criteria and {categories} categories added or changed."
    ).format(**result.counts())


def _has_edits(editor_state: Any) -> bool:
    return any(
        (editor_state or {}).get(part) for part in ("edited_rows", "added_rows", "deleted_rows")
    )


def _climate_justification() -> str:
    """The published profile's justification for climate and environment under 30 %
    (FOA § 7-9), edited here for the criteria's Save and the workbook's import."""
    stored = read(_published_justification)
    return st.text_area(
        _("Justification if climate and environment weighs under 30 % (FOA § 7-9)"),
        value=stored,
        key="setup:climate_justification",
        help=_(
            "The award criterion with the id “environment” is climate and environment. "
            "Weights that put it under 30 % of the award criteria are saved only with a "
            "justification, as the procurement regulation asks; it is stored with the "
            "published weight profile."
        ),
    ).strip()


def _published_justification(cur: duckdb.DuckDBPyConnection) -> str:
    name = profiles.published_profile_name(cur)
    if not name or name not in profiles.profile_names(cur):
        return ""
    return profiles.load_profile(cur, name).climate_justification


def table_editor(
    table: str,
    saved: pd.DataFrame,
    column_config: dict[str, Any],
    save: Callable[..., criteria.ModelSaveResult],
    frozen: bool,
) -> None:
    """One table (criteria, categories or price lines) in a data editor, saved on an
    explicit Save.

    The editor's result is never written back into its input: a new editor (first visit,
    another language, after a save) starts from the edit kept from before, if any, else from
    the saved table; the edit is kept across reruns and page switches until saved or
    discarded."""
    generation = st.session_state.setdefault(state.setup_tree_generation(table), 0)
    editor_key = state.setup_tree_editor(table, generation, current_language())
    base_key = state.setup_tree_base(table)
    draft_key = state.setup_tree_draft(table)
    if editor_key in st.session_state and base_key in st.session_state:
        base, base_is_draft = st.session_state[base_key]
        untouched = not base_is_draft and not _has_edits(st.session_state.get(editor_key))
        if untouched and not base.equals(saved):
            # Changed meanwhile (the demo template, a workbook, someone else's save) and not
            # edited here: a new editor on the saved table.
            _start_over(table)
            generation = st.session_state[state.setup_tree_generation(table)]
            editor_key = state.setup_tree_editor(table, generation, current_language())
    if editor_key not in st.session_state:
        draft = st.session_state.get(draft_key)
        st.session_state[base_key] = (saved if draft is None else draft, draft is not None)
    base, base_is_draft = st.session_state[base_key]
    edited = st.data_editor(
        base,
        key=editor_key,
        num_rows="add",
        hide_index=False,
        placeholder=numbers.EMPTY,
        width="stretch",
        column_config={"_index": st.column_config.NumberColumn(_("Row"), width="small")}
        | column_config,
    )
    unsaved = base_is_draft or _has_edits(st.session_state.get(editor_key))
    if unsaved:
        st.session_state[draft_key] = edited
        st.caption(_("You have unsaved changes: press Save to store them, or Discard changes."))
    else:
        st.session_state.pop(draft_key, None)
    reason = st.text_input(
        _("Reason for the change (goes into the log; needed after the freeze)")
        if frozen
        else _("Reason for the change (goes into the log)"),
        key=state.setup_tree_reason(table, generation),
    )
    save_col, discard_col, _spacer = st.columns([1, 1, 3])
    if save_col.button(
        _("Save"),
        type="primary",
        key=f"setup:{table}:save",
        width="stretch",
        icon=":material/save:",
    ):

        def done(result: criteria.ModelSaveResult) -> str:
            _start_over(table)
            return _saved_message(result)

        change(
            lambda cur: save(cur, edited, actor=current_actor(), reason=reason.strip()),
            done,
            column_labels=catalogue_labels(),
        )
    if discard_col.button(
        _("Discard changes"), key=f"setup:{table}:discard", width="stretch", icon=":material/undo:"
    ):
        _start_over(table)
        st.session_state[FLASH] = _("Your changes are discarded.")
        st.rerun()


def short_fingerprints(versions: pd.DataFrame) -> pd.DataFrame:
    """The catalogue's versions with each fingerprint cut to its first 16 characters, as
    the page shows them (the whole one is in the log and the exports)."""
    return versions.assign(fingerprint=versions["fingerprint"].str[:16])


def weight_and_retired_columns(labels: Mapping[str, str], weight_help: str) -> dict[str, Any]:
    """The editor's last columns in every table of the catalogue: a weight, zero or more
    (``weight_help`` says within what), and whether the row is retired."""
    return {
        "weight": st.column_config.NumberColumn(
            labels["weight"], min_value=0.0, default=0.0, help=weight_help
        ),
        "retired": st.column_config.CheckboxColumn(labels["retired"], default=False),
    }


def _criteria_config() -> dict[str, Any]:
    labels = catalogue_labels()
    return {
        "id": st.column_config.TextColumn(labels["id"], required=True, max_chars=40, width="small"),
        "name_nb": st.column_config.TextColumn(labels["name_nb"], required=True),
        "name_en": st.column_config.TextColumn(labels["name_en"], required=True),
        "description_nb": st.column_config.TextColumn(labels["description_nb"], width="large"),
        "description_en": st.column_config.TextColumn(labels["description_en"], width="large"),
        **weight_and_retired_columns(
            labels, _("The weight in the published weight profile; the model uses the shares")
        ),
    }


def _categories_config(criterion_ids: list[str]) -> dict[str, Any]:
    labels = catalogue_labels()
    return {
        "id": st.column_config.TextColumn(labels["id"], required=True, max_chars=40, width="small"),
        "criterion_id": st.column_config.SelectboxColumn(
            labels["criterion_id"], options=criterion_ids, required=True
        ),
        "name_nb": st.column_config.TextColumn(labels["name_nb"], required=True),
        "name_en": st.column_config.TextColumn(labels["name_en"], required=True),
        **weight_and_retired_columns(
            labels, _("The weight within its award criterion, in the published weight profile")
        ),
    }


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Weights as numbers and flags as booleans, also in an empty table (for the editor)."""
    return frame.astype({"weight": "float64", "retired": "bool"})


def _start_section() -> None:
    st.info(
        _(
            "The catalogue is empty. Start it from the demo catalogue as a template (its award "
            "criteria, categories and requirements, to edit), upload a catalogue workbook "
            "below, or add the award criteria here from nothing."
        )
    )
    if st.button(_("Start from the demo catalogue"), key="setup:from_demo"):
        from demo import catalogue_template

        change(
            lambda cur: criteria.start_from_template(
                cur, catalogue_template(), actor=current_actor(), reason="Demo catalogue"
            ),
            lambda result: _(
                "The demo catalogue is copied in: {criteria} award criteria, {categories} "
                "categories and {requirements} requirements. Edit them here and on the page "
                "Requirements."
            ).format(**result.counts()),
        )


def _workbook_section(frozen: bool, justification: str) -> None:
    st.subheader(_("Catalogue workbook"))
    st.caption(
        _(
            "The working group's own workbook: award criteria, categories and requirements "
            "with their weights, and the price lines, one sheet each. Download it, edit it, "
            "and upload it again: rows are added or changed by id, none is deleted (mark it "
            "retired). A workbook with any problem is refused whole, with every problem "
            "listed by sheet, row and column."
        )
    )
    payload = read(export_catalogue)
    st.download_button(
        _("Download the catalogue workbook (.xlsx)"),
        data=payload,
        file_name="kravkatalog.xlsx",
        mime=XLSX_MIME,
        key="setup:catalogue_download",
        icon=":material/download:",
    )
    upload = st.file_uploader(
        _("Catalogue workbook (.xlsx)"),
        type=["xlsx"],
        key="setup:catalogue_upload",
        max_upload_size=UPLOAD_LIMIT_MB,
        help=upload_help(_("An Excel workbook (.xlsx)"), UPLOAD_LIMIT_MB),
    )
    reason = st.text_input(
        _("Reason for the import (goes into the log; needed after the freeze)")
        if frozen
        else _("Reason for the import (goes into the log)"),
        key="setup:catalogue_reason",
    )
    if upload is not None and st.button(
        _("Import the catalogue workbook"), type="primary", key="setup:catalogue_import"
    ):
        try:
            with data.cursor() as cur:
                result = import_catalogue(
                    cur,
                    upload.getvalue(),
                    actor=current_actor(),
                    file_name=upload.name,
                    reason=reason.strip(),
                    climate_justification=justification,
                )
        except ProblemsFound as refused:
            st.error(refused.translated(current_language()))
            show_problems(refused.problems, catalogue_labels())
            return
        except BibvalgError as refused:
            st.error(refused.translated(current_language()))
            return
        data.clear_caches()
        for table in (*TABLES, "price_lines"):
            _start_over(table)
        st.session_state[FLASH] = (
            _(
                "The catalogue workbook is imported: {criteria} award criteria, {categories} "
                "categories, {requirements} requirements and {price_lines} price lines added "
                "or changed."
            ).format(**result.counts())
            if result.changed
            else _("The workbook matches the catalogue: nothing changed.")
        )
        st.rerun()


def award_criteria_section() -> None:
    """The tab "Award criteria" of the Oppsett page."""
    frozen = read(freeze.frozen) is not None
    if read(criteria.is_empty):
        _start_section()
    st.subheader(_("Award criteria"))
    st.caption(
        _(
            "Add an award criterion in the empty row at the bottom, rename it in both "
            "languages, re-weight it, or tick Retired (nothing is deleted; a retired one keeps "
            "its history and leaves the model). The weight is the criterion's weight in the "
            "published weight profile. The criterion with the id “price” is scored by the "
            "price model. Nothing is stored until you press Save; problems are listed first."
        )
    )
    saved_criteria = _typed(read(criteria.editable_criteria))
    justification = _climate_justification()

    def save_criteria(
        cur: duckdb.DuckDBPyConnection, edited: pd.DataFrame, *, actor: str, reason: str
    ) -> criteria.ModelSaveResult:
        return criteria.save_criteria(
            cur, edited, actor=actor, reason=reason, climate_justification=justification
        )

    table_editor("criteria", saved_criteria, _criteria_config(), save_criteria, frozen)

    st.subheader(_("Categories"))
    st.caption(
        _(
            "Each category belongs to an award criterion; its weight is its share within it. "
            "A category can be retired only when none of its requirements is in force."
        )
    )
    saved_categories = _typed(read(criteria.editable_categories))
    table_editor(
        "categories",
        saved_categories,
        _categories_config([str(i) for i in saved_criteria["id"]]),
        criteria.save_categories,
        frozen,
    )
    _workbook_section(frozen, justification)
