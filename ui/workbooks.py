"""Page pieces for the Excel round trip: problem tables and the upload of vendors' answers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import pandas as pd
import streamlit as st

from store.errors import BibvalgError
from store.problems import Problem, WorkbookRefused
from ui import data, numbers, state, widgets
from ui.i18n import _, current_language
from ui.identity import current_actor
from ui.text import plain
from vendors.response_reader import Limits
from vendors.responses import ImportResult, TemplateExport
from vendors.workbook_layout import XLSX_MIME

MEGABYTE = 1024 * 1024
# The upload limit: what the importer accepts, what the uploader enforces and states, and
# the server's own (server.maxUploadSize in .streamlit/config.toml) are this one number.
UPLOAD_LIMIT_MB = Limits().max_file_bytes // MEGABYTE


def upload_help(kinds: str, limit_mb: int) -> str:
    """The uploader's help: which files it takes and how large, in the interface language."""
    return _(
        "{kinds}, at most {limit} MB. Drag the file onto the field or click to choose it."
    ).format(kinds=kinds, limit=limit_mb)


def template_download(
    path: str,
    show_weights: bool,
    *,
    label: str,
    key: str,
    offer_id: str | None = None,
    primary: bool = False,
) -> TemplateExport | None:
    """The requirement specification's download button; returns what it offers. Making it
    records the catalogue's version first if it is not yet; where the person may not (roles
    enforced), a note with the refusal takes the button's place (None)."""
    try:
        export = data.template(path, show_weights, actor=current_actor(), offer_id=offer_id)
    except BibvalgError as refused:
        st.info(
            _(
                "This catalogue version is not recorded yet, and the download records it: {reason}"
            ).format(reason=refused.translated(current_language()))
        )
        return None
    st.download_button(
        label,
        data=export.data,
        file_name=export.file_name,
        mime=XLSX_MIME,
        key=key,
        type="primary" if primary else "secondary",
        icon=":material/download:",
    )
    return export


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
        placeholder=numbers.EMPTY,
        width="stretch",
        column_config={_("Problem"): st.column_config.TextColumn(width="large")},
    )


def _round_label(number: int) -> str:
    return _("Round {round}").format(round=number)


def response_import(path: str, offers: pd.DataFrame) -> None:
    """Upload a vendor's filled-in requirement specification, see what it would change,
    and store it on confirmation."""
    message = st.session_state.get(state.IMPORT_MESSAGE)
    pending: PendingImport | None = st.session_state.get(state.IMPORT_PENDING)
    with st.expander(
        _("Import a vendor's answers and prices (Excel)"),
        expanded=message is not None or pending is not None,
        icon=":material/upload_file:",
    ):
        st.caption(
            _(
                "Upload the requirement specification a vendor has filled in. The file is "
                "checked first: if anything is wrong, nothing is stored and every problem is "
                "listed with sheet, row and column. Otherwise you see what it would change "
                "(answers, prices, and how many scores already given rest on a changed "
                "answer) before you import it. A workbook made for one offer is refused for "
                "another."
            )
        )
        if offers.empty:
            st.info(_("There are no offers yet to import answers for."))
            return
        names = {
            row["id"]: f"{row['vendor_name']} – {row['product']}"
            for row in offers.to_dict("records")
        }
        offer = widgets.pick(_("Offer"), names, key=state.IMPORT_OFFER)
        status = data.opening_status(path)
        rounds = status.open_to_offers
        labels = {r: _round_label(r) for r in rounds}
        round_number = (
            st.radio(
                _("Round"),
                rounds,
                format_func=labels.__getitem__,
                horizontal=True,
                key=state.IMPORT_ROUND,
            )
            if len(rounds) > 1
            else rounds[0]
        )
        reason = ""
        if round_number <= status.last_opened:
            reason = st.text_input(
                _(
                    "Reason for the correction (the offers of this round are opened; goes "
                    "into the log)"
                ),
                key=state.IMPORT_REASON,
            )
        st.session_state.setdefault(state.IMPORT_GENERATION, 0)
        upload = st.file_uploader(
            _("Filled-in requirement specification (.xlsx)"),
            type=["xlsx"],
            key=state.import_upload(st.session_state[state.IMPORT_GENERATION]),
            max_upload_size=UPLOAD_LIMIT_MB,
            help=upload_help(_("An Excel workbook (.xlsx)"), UPLOAD_LIMIT_MB),
        )
        if st.button(
            _("Check the file"),
            type="primary",
            disabled=upload is None,
            key="import:run",
            icon=":material/fact_check:",
        ):
            assert upload is not None
            st.session_state.pop(state.IMPORT_PENDING, None)
            outcome = ImportMessage(file=upload.name, vendor=names[offer])
            with st.spinner(_("Checking the workbook …")):
                try:
                    preview = data.preview_import(
                        path,
                        offer,
                        upload.getvalue(),
                        file_name=upload.name,
                        round_number=int(round_number),
                    )
                except WorkbookRefused as refused:
                    st.session_state[state.IMPORT_MESSAGE] = replace(
                        outcome, problems=tuple(refused.problems)
                    )
                except BibvalgError as error:
                    st.session_state[state.IMPORT_MESSAGE] = replace(outcome, error=error)
                else:
                    st.session_state.pop(state.IMPORT_MESSAGE, None)
                    st.session_state[state.IMPORT_PENDING] = PendingImport(
                        offer, names[offer], upload.name, upload.getvalue(), preview
                    )
            st.rerun()
        if pending is not None and pending.offer == offer:
            _confirm(pending, reason)
        elif message is not None:
            _show_import_message(message)


@dataclass(frozen=True)
class PendingImport:
    """A checked file and what it would change, waiting for the user's confirmation."""

    offer: str
    vendor: str
    file: str
    payload: bytes
    preview: ImportResult


def _changes_table(preview: ImportResult) -> pd.DataFrame:
    rows = [(_("Answer"), rid, _("new")) for rid in preview.added]
    rows += [(_("Answer"), rid, _("changed")) for rid in preview.changed]
    rows += [(_("Answer"), rid, _("removed")) for rid in preview.removed]
    rows += [(_("Price"), line, _("new")) for line in preview.prices_added]
    rows += [
        (_("Price"), line, f"{numbers.number(old, 0)} → {numbers.number(new, 0)}")
        for line, (old, new) in preview.prices_changed.items()
    ]
    rows += [(_("Price"), line, _("removed")) for line in preview.prices_removed]
    return pd.DataFrame(rows, columns=[_("What"), _("Id"), _("Change")])


def _counts(outcome: ImportResult, file: str, vendor: str) -> dict[str, int | str]:
    """What the messages of an import (or its preview) name: the file and the vendor, the
    round, the answers (added, changed, removed) and the prices."""
    return {
        "file": plain(file),
        "vendor": plain(vendor),
        "round": outcome.round,
        "answers": outcome.answers,
        "added": len(outcome.added),
        "changed": len(outcome.changed),
        "removed": len(outcome.removed),
        "prices": outcome.prices,
    }


def _confirm(pending: PendingImport, reason: str) -> None:
    preview = pending.preview
    st.info(
        _(
            "{file} for {vendor}, round {round}: {answers} answers ({added} new, {changed} "
            "changed, {removed} removed) and {prices} prices ({prices_changed} changed). "
            "Nothing is stored until you press Import."
        ).format(
            prices_changed=len(preview.prices_changed),
            **_counts(preview, pending.file, pending.vendor),
        ),
        icon=":material/preview:",
    )
    if preview.scores_resting:
        st.warning(
            _(
                "{count} score(s) or assessment(s) already given rest on an answer that "
                "changes: the evaluators should look at them again."
            ).format(count=preview.scores_resting),
            icon=":material/warning:",
        )
    if preview.changes_anything:
        widgets.table(_changes_table(preview))
    go, cancel, _spacer = st.columns([1, 1, 3])
    if go.button(_("Import"), type="primary", key="import:confirm", icon=":material/done:"):
        outcome = ImportMessage(file=pending.file, vendor=pending.vendor)
        try:
            result = data.import_responses(
                pending.offer,
                pending.payload,
                file_name=pending.file,
                actor=current_actor(),
                reason=reason,
                round_number=preview.round,
            )
        except WorkbookRefused as refused:
            outcome = replace(outcome, problems=tuple(refused.problems))
        except BibvalgError as error:
            outcome = replace(outcome, error=error)
        else:
            outcome = replace(outcome, result=result)
            st.session_state[state.IMPORT_GENERATION] += 1
        st.session_state.pop(state.IMPORT_PENDING, None)
        st.session_state[state.IMPORT_MESSAGE] = outcome
        st.rerun()
    if cancel.button(_("Cancel"), key="import:cancel"):
        st.session_state.pop(state.IMPORT_PENDING, None)
        st.rerun()


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
                "{file} is imported for {vendor} in round {round}: {answers} answers, of "
                "which {added} new, {changed} changed and {unchanged} unchanged; {removed} "
                "earlier answers removed; {prices} prices. SHA-256 of the file: {sha256}."
            ).format(
                unchanged=result.unchanged,
                sha256=result.sha256,
                **_counts(result, message.file, message.vendor),
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
