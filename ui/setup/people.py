"""The participating libraries and the evaluators (with their declarations of impartiality)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from store import evaluators, libraries, library_list
from store.library_list import COLUMNS
from ui import widgets
from ui.i18n import N_, _
from ui.identity import current_actor
from ui.setup.common import change, new_entry_form, read
from ui.workbooks import MEGABYTE, upload_help

LIBRARY_UPLOAD_LIMIT_MB = library_list.MAX_BYTES // MEGABYTE  # what the importer accepts


def libraries_section() -> None:
    st.caption(
        _(
            "Upload the county's list of participating libraries as CSV (UTF-8) or an Excel "
            "workbook, with these columns in the first row: {columns}. Every row is checked "
            "first; a list with any problem is refused whole, with the problems listed. "
            "Libraries are added or updated by id; none is removed."
        ).format(columns=", ".join(f"`{c}`" for c in COLUMNS))
    )
    upload = st.file_uploader(
        _("Library list (CSV or .xlsx)"),
        type=["csv", "xlsx"],
        key="setup:libraries",
        max_upload_size=LIBRARY_UPLOAD_LIMIT_MB,
        help=upload_help(
            _("A CSV file (UTF-8) or an Excel workbook (.xlsx)"), LIBRARY_UPLOAD_LIMIT_MB
        ),
    )
    if upload is not None and st.button(_("Import the library list"), type="primary"):
        payload, name = upload.getvalue(), upload.name
        change(
            lambda cur: libraries.import_libraries(
                cur, payload, actor=current_actor(), file_name=name
            ),
            lambda ids: _(
                "The library list is imported: {added} added, {changed} changed, "
                "{unchanged} unchanged."
            ).format(**{k: len(v) for k, v in ids.items()}),
        )
    widgets.table(_library_table(read(libraries.libraries)))


LIBRARY_KINDS = {
    "public": N_("Public library"),
    "school": N_("School library"),
    "mobile": N_("Mobile library"),
}
SIZE_CLASSES = {"small": N_("Small"), "medium": N_("Medium"), "large": N_("Large")}


def _library_table(table: pd.DataFrame) -> pd.DataFrame:
    """The libraries with headings and kinds in the interface language."""
    return pd.DataFrame(
        {
            _("Id"): table["id"],
            _("Name"): table["name"],
            _("Sámi name"): table["sami_name"],
            _("Kind"): [_(LIBRARY_KINDS[k]) if k in LIBRARY_KINDS else k for k in table["kind"]],
            _("Municipality"): table["municipality"],
            _("Region"): table["region"],
            _("Sámi administrative area"): table["sami_area"],
            _("Kven"): table["kven"],
            _("Size"): [
                _(SIZE_CLASSES[k]) if k in SIZE_CLASSES else k for k in table["size_class"]
            ],
            _("Branches"): table["branches"],
            _("School libraries"): table["school_libraries"],
        }
    )


def _role_fields(left: object, right: object) -> dict[str, str]:
    """The evaluator's role, one text for both languages, across the form."""
    role = st.text_input(_("Role (for example: librarian in a school library)"))
    return {"role_nb": role, "role_en": role}


def evaluators_section() -> None:
    table = read(evaluators.evaluators)
    widgets.table(_evaluator_table(table))
    new_entry_form(
        "setup:add_evaluator",
        _("Add an evaluator"),
        _role_fields,
        evaluators.add_evaluator,
        button=_("Add"),
        done=_("The evaluator is added. Record the declaration of impartiality next."),
    )
    ids = list(table["id"]) if len(table) else []
    names = dict(zip(table["id"], table["name"], strict=True)) if len(table) else {}
    if not ids:
        return
    with st.form("setup:declaration", clear_on_submit=True):
        st.markdown("**" + _("Declaration of impartiality") + "**")
        evaluator = st.selectbox(
            _("Evaluator"), ids, format_func=names.__getitem__, placeholder=_("Choose an option")
        )
        declared_on = st.date_input(
            _("Date of the declaration"), value=date.today(), format="DD.MM.YYYY"
        )
        no_ties = st.radio(
            _("Ties to any bidder?"),
            [True, False],
            format_func={
                True: _("No ties to any bidder"),
                False: _("A tie, described below"),
            }.__getitem__,
        )
        ties = st.text_area(_("The tie, described (only where there is one)"))
        if st.form_submit_button(_("Record the declaration")):
            change(
                lambda cur: evaluators.declare_impartiality(
                    cur,
                    evaluators.Declaration(str(evaluator), declared_on, bool(no_ties), ties),
                    actor=current_actor(),
                ),
                _("The declaration is recorded."),
            )
    with st.form("setup:retire_or_reopen", clear_on_submit=True):
        st.markdown("**" + _("Retire an evaluator, or reopen a submission") + "**")
        evaluator = st.selectbox(
            _("Evaluator"), ids, format_func=names.__getitem__, placeholder=_("Choose an option")
        )
        what = st.radio(
            _("What"),
            ["reopen", "retire"],
            format_func={"reopen": _("Reopen the submission"), "retire": _("Retire")}.__getitem__,
            horizontal=True,
        )
        reason = st.text_input(_("Reason (logged)"))
        if st.form_submit_button(_("Do it")):
            if what == "retire":
                change(
                    lambda cur: evaluators.retire_evaluator(
                        cur, str(evaluator), reason=reason, actor=current_actor()
                    ),
                    _("The evaluator is retired."),
                )
            else:
                change(
                    lambda cur: evaluators.reopen_submission(
                        cur, str(evaluator), reason=reason, actor=current_actor()
                    ),
                    _("The submission is reopened."),
                )


def _evaluator_table(table: pd.DataFrame) -> pd.DataFrame:
    def declaration(row: pd.Series) -> str:
        if pd.isna(row["declared_on"]):
            return _("not declared: cannot score yet")
        day = pd.Timestamp(row["declared_on"]).strftime("%d.%m.%Y")
        if bool(row["no_ties"]):
            return _("no ties ({date})").format(date=day)
        return _("tie declared ({date}): {ties}").format(date=day, ties=row["ties"])

    return pd.DataFrame(
        {
            _("Id"): table["id"],
            _("Name"): table["name"],
            _("Declaration of impartiality"): [declaration(r) for _i, r in table.iterrows()],
            _("Retired"): table["retired"].astype(bool),
        }
    )
