"""Page pieces for the Excel round trip: problem tables and the upload of vendors' answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from store.errors import BibvalgError, UnknownOffer
from store.problems import Problem, WorkbookRefused
from ui import data, state
from ui.i18n import _, current_language
from ui.identity import current_actor
from ui.text import plain
from vendors.responses import ImportResult

# The upload limit, as the server enforces it too (server.maxUploadSize in
# .streamlit/config.toml); the importer refuses larger files with a reason as well.
UPLOAD_LIMIT_MB = 10


def problem_table(
    problems: Sequence[Problem], column_labels: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Problems as a table in the current language: sheet, row, column, problem."""
    language = current_language()
    labels = column_labels or {}
    return pd.DataFrame(
        {
            _("Sheet"): [p.sheet for p in problems],
            _("Row"): [p.row if p.row is not None else None for p in problems],
            _("Column"): [labels.get(p.column, p.column) for p in problems],
            _("Problem"): [p.translated(language) for p in problems],
        }
    ).astype({_("Row"): "Int64"})


def show_problems(
    problems: Sequence[Problem],
    column_labels: Mapping[str, str] | None = None,
    *,
    with_sheet: bool = True,
) -> None:
    """The problems as a table, with the sheet column only where there are sheets."""
    table = problem_table(problems, column_labels)
    if not with_sheet:
        table = table.drop(columns=[_("Sheet")])
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={_("Problem"): st.column_config.TextColumn(width="large")},
    )


def response_import(path: str, offers: pd.DataFrame) -> None:
    """Upload a vendor's filled-in requirement specification, check it and store it."""
    message = st.session_state.get(state.IMPORT_MESSAGE)
    with st.expander(
        _("Import a vendor's answers (Excel)"),
        expanded=message is not None,
        icon=":material/upload_file:",
    ):
        st.caption(
            _(
                "Upload the requirement specification a vendor has filled in (exported from "
                "the page Requirements). The file is checked first: if anything is wrong, "
                "nothing is stored and every problem is listed with sheet, row and column. "
                "An accepted file replaces that offer's earlier answers, and the change is "
                "logged."
            )
        )
        if offers.empty:
            st.info(_("There are no offers yet to import answers for."))
            return
        names = {
            row["id"]: f"{row['vendor_name']} – {row['product']}"
            for row in offers.to_dict("records")
        }
        offer = st.selectbox(
            _("Offer"), list(names), format_func=names.__getitem__, key=state.IMPORT_OFFER
        )
        st.session_state.setdefault(state.IMPORT_GENERATION, 0)
        upload = st.file_uploader(
            _("Filled-in requirement specification (.xlsx)"),
            type=["xlsx"],
            key=state.import_upload(st.session_state[state.IMPORT_GENERATION]),
            max_upload_size=UPLOAD_LIMIT_MB,
        )
        if st.button(
            _("Check and import"),
            type="primary",
            disabled=upload is None,
            key="import:run",
            icon=":material/fact_check:",
        ):
            assert upload is not None
            outcome = ImportMessage(file=upload.name, vendor=names[offer])
            with st.spinner(_("Checking the workbook …")):
                try:
                    result = data.import_responses(
                        offer, upload.getvalue(), file_name=upload.name, actor=current_actor()
                    )
                except WorkbookRefused as refused:
                    outcome = replace(outcome, problems=tuple(refused.problems))
                except UnknownOffer as unknown:
                    outcome = replace(outcome, error=unknown)
                else:
                    outcome = replace(outcome, result=result)
                    st.session_state[state.IMPORT_GENERATION] += 1
            st.session_state[state.IMPORT_MESSAGE] = outcome
            st.rerun()
        if message is not None:
            _show_import_message(message)


@dataclass(frozen=True)
class ImportMessage:
    """The outcome of the last upload, shown until the next one."""

    file: str
    vendor: str
    result: ImportResult | None = None
    problems: tuple[Problem, ...] = ()
    error: BibvalgError | None = None


def _show_import_message(message: ImportMessage) -> None:
    if message.result is not None:
        result = message.result
        st.success(
            _(
                "{file} is imported for {vendor}: {answers} answers, of which {added} new, "
                "{changed} changed and {unchanged} unchanged; {removed} earlier answers "
                "removed. SHA-256 of the file: {sha256}."
            ).format(
                file=plain(message.file),
                vendor=plain(message.vendor),
                answers=result.answers,
                added=len(result.added),
                changed=len(result.changed),
                unchanged=result.unchanged,
                removed=len(result.removed),
                sha256=result.sha256,
            ),
            icon=":material/check_circle:",
        )
    elif message.problems:
        st.error(
            _(
                "{file} was not imported: {count} problem(s) to fix. Nothing has been "
                "changed. Send the list to the vendor, or correct the file and upload it "
                "again."
            ).format(file=plain(message.file), count=len(message.problems)),
            icon=":material/error:",
        )
        show_problems(message.problems)
    elif message.error is not None:
        st.error(plain(message.error.translated(current_language())))
