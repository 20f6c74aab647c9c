"""The Innspill page's sections: who has answered, the workbooks out and in, what the
libraries said, and the proposed requirements."""

from __future__ import annotations

from collections.abc import Callable, Hashable

import pandas as pd
import streamlit as st

from analysis import library_input as analysis
from store import catalogue, library_input
from store.problems import LibraryInputRefused, Problem
from tender_files import input_workbook
from ui import data, widgets
from ui.i18n import _, current_language
from ui.identity import current_actor, may_change
from ui.library_input import figures
from ui.setup.common import change, read
from ui.workbooks import UPLOAD_LIMIT_MB, show_problems
from vendors.workbook_layout import XLSX_MIME

# Kept, not copied, at every run: the page only reads them.
input_status = data.cached(library_input.input_status, shared=True)
said = data.cached(analysis.said, shared=True)
TEMPLATE_KEY = "innspill:template"  # the workbook made last: (file name, bytes, mime)
IMPORTED_KEY = "innspill:imported"  # what the last upload did


def status_labels() -> dict[str, str]:
    return {k: _(v) for k, v in library_input.STATUSES.items()}


def level_labels() -> dict[int, str]:
    return {k: _(v) for k, v in library_input.IMPORTANCE.items()}


def grouping_labels() -> dict[str, str]:
    return {k: _(v) for k, v in analysis.GROUPINGS.items()}


def group_value(by: str, value: str) -> str:
    """A group's name for people: "School library", "In the Sámi administrative area"."""
    names = {
        "public": _("Public library"),
        "school": _("School library"),
        "mobile": _("Mobile library"),
        "True": _("In the Sámi administrative area"),
        "False": _("Outside the Sámi administrative area"),
        "small": _("Small"),
        "medium": _("Medium"),
        "large": _("Large"),
    }
    return value if by == "region" else names.get(value, value)


def status_section(path: str) -> None:
    """Counts, the chart by region with its table, the libraries not heard from."""
    status = input_status(path)
    labels = status_labels()
    counts = status["status"].value_counts()
    for column, key in zip(st.columns(3), labels, strict=True):
        column.metric(labels[key], int(counts.get(key, 0)))
    by_region = data.kept(lambda: figures.status_by_region(status), "innspill_by_region")
    st.caption(
        _("How many libraries in each region have answered, were sent the workbook, or not yet.")
    )
    left, right = st.columns([3, 2])
    with left:
        widgets.kept_chart("innspill_status", lambda: figures.status_figure(by_region, labels))
    with right:
        _kept_labelled("innspill_regions", lambda: by_region, {"region": _("Region"), **labels})
    st.markdown("##### " + _("Not heard from yet"))
    waiting = data.kept(lambda: _waiting_lines(status), "innspill_waiting")
    if not waiting:
        st.success(_("Every library has answered."))
    for line in waiting:
        st.markdown(line)
    _kept_labelled(
        "innspill_libraries",
        lambda: status.assign(status=status["status"].map(labels))[
            ["name", "region", "status", "sent_at", "answered_at", "answers"]
        ],
        {
            "name": _("Library"),
            "region": _("Region"),
            "status": _("Status"),
            "sent_at": _("Sent"),
            "answered_at": _("Answered"),
            "answers": _("Answers"),
        },
    )


def _waiting_lines(status: pd.DataFrame) -> list[str]:
    """The libraries not heard from, a line per region."""
    names = dict(zip(status["library_id"], status["name"], strict=True))
    return [
        f"**{region}** ({len(ids)}): " + ", ".join(names[i] for i in ids)
        for region, ids in library_input.waiting_by_region(status).items()
    ]


def _kept_labelled(
    key: str, build: Callable[[], pd.DataFrame], headings: dict[str, str], *depends: Hashable
) -> None:
    """``widgets.labelled_table``, the table shaped once per data version, language and
    ``depends`` (``widgets.kept_table``)."""
    widgets.kept_table(key, lambda: build().rename(columns=headings), None, *depends)


def workbooks_section(path: str) -> None:
    """Make one library's workbook or all of them (each recorded as sent), mark libraries
    sent, and import answered workbooks."""
    status = input_status(path)
    names = dict(zip(status["library_id"], status["name"], strict=True))
    st.caption(
        _(
            "Making a library's workbook records it as sent. Each workbook is locked but for "
            "the yellow cells, and carries the library it was made for."
        )
    )
    library = st.selectbox(_("Library"), list(names), format_func=names.__getitem__)
    left, right = st.columns(2)
    if left.button(_("Make this library's workbook"), icon=":material/description:"):
        change(
            lambda cur: _keep(
                f"{library}.xlsx",
                input_workbook.make_template(cur, library, actor=current_actor()),
                XLSX_MIME,
            ),
            _("The workbook is made and the library recorded as sent."),
        )
    if right.button(_("Make every library's workbook (zip)"), icon=":material/folder_zip:"):
        change(
            lambda cur: _keep(
                "innspill.zip",
                input_workbook.make_all_templates(cur, actor=current_actor()),
                "application/zip",
            ),
            _("The workbooks are made and every library recorded as sent."),
        )
    made = st.session_state.get(TEMPLATE_KEY)
    if made is not None:
        st.download_button(
            _("Download {file}").format(file=made[0]), data=made[1], file_name=made[0],
            mime=made[2], type="primary", icon=":material/download:",
        )  # fmt: skip
    with st.form("innspill:mark", clear_on_submit=True):
        chosen = st.multiselect(
            _("Sent by other means (e-mail, post)"), list(names), format_func=names.__getitem__
        )
        if st.form_submit_button(_("Mark as sent")) and chosen:
            change(
                lambda cur: library_input.mark_sent(cur, chosen, actor=current_actor()),
                _("{count} libraries marked as sent.").format(count=len(chosen)),
            )
    _imports()


def _keep(file_name: str, content: bytes, mime: str) -> None:
    """Keep a workbook just made for its download button (making it again would record
    the library as sent again)."""
    st.session_state[TEMPLATE_KEY] = (file_name, content, mime)


def _imports() -> None:
    st.markdown("##### " + _("Import answered workbooks"))
    st.caption(
        _(
            "Each file is checked on its own and stored whole or refused with its problems "
            "(sheet, row, column). A library may answer again: the newer answer counts, and "
            "both are kept. At most {limit} MB per file."
        ).format(limit=UPLOAD_LIMIT_MB)
    )
    files = st.file_uploader(
        _("Input workbooks (.xlsx)"), type=["xlsx"], accept_multiple_files=True
    )
    if files and st.button(_("Import"), type="primary", icon=":material/upload_file:"):
        outcome: list[tuple[str, library_input.ImportResult | None, list[Problem]]] = []
        for file in files:
            try:
                with data.cursor() as cur:
                    result = input_workbook.import_input_file(
                        cur, file.getvalue(), actor=current_actor(), file_name=file.name
                    )
                outcome.append((file.name, result, []))
            except LibraryInputRefused as refused:
                outcome.append((file.name, None, refused.problems))
        data.clear_caches()
        st.session_state[IMPORTED_KEY] = outcome
    for name, result, problems in st.session_state.get(IMPORTED_KEY, []):
        if result is not None:
            st.success(
                _("{file}: answer {number} from {library} stored.").format(
                    file=name, number=result.answer_number, library=result.library
                )
            )
        else:
            st.error(_("{file} was not imported: {count} problem(s) to fix.").format(
                file=name, count=len(problems)))  # fmt: skip
            show_problems(problems)


def said_section(path: str) -> None:
    """The distribution of importance for one item per group, and where groups disagree."""
    groupings = grouping_labels()
    by = st.radio(
        _("Compare the libraries by"), list(groupings), format_func=groupings.__getitem__,
        horizontal=True,
    )  # fmt: skip
    result = said(path, by)
    st.caption(
        _("{answered} of {count} libraries have answered; each counts with its newest answer.")
        .format(answered=result.answered, count=result.libraries)
    )  # fmt: skip
    if result.overall.empty:
        st.info(_("No library has rated anything yet."))
        return
    levels = level_labels()
    texts = data.kept(_item_texts, "innspill_item_texts")
    overall = set(result.overall["item_id"])
    rated = [i for i in texts if i in overall]
    item = st.selectbox(_("Category or requirement"), rated, format_func=texts.__getitem__)
    one, bars = data.kept(lambda: _item_rows(result, by, item), "innspill_item_rows", by, item)
    st.caption(_("How many libraries in each group gave “{item}” each importance, 0 to 4.")
               .format(item=item))  # fmt: skip
    left, right = st.columns([3, 2])
    with left:
        widgets.kept_chart(
            "innspill_item", lambda: figures.importance_figure(one, bars, levels), by, item
        )
    with right:
        _kept_labelled(
            "innspill_item_table",
            lambda: figures.importance_table(one.assign(**{by: bars}), levels, by),
            {by: groupings[by], "answers": _("Answers"), "mean": _("Mean")},
            by, item,
        )  # fmt: skip
    st.markdown("##### " + _("Where the groups disagree most"))
    top = result.disagreement.head(10)
    st.caption(
        _("The ten items whose highest and lowest group mean importance lie furthest apart.")
    )
    left, right = st.columns([3, 2])
    with left:
        widgets.kept_chart(
            "innspill_disagreement",
            lambda: figures.disagreement_figure(top, list(top["item_id"]), _("Spread (0–4)")),
            by,
        )
    with right:
        _kept_labelled("innspill_disagreement_table", lambda: top.assign(
            high_group=[group_value(by, str(v)) for v in top["high_group"]],
            low_group=[group_value(by, str(v)) for v in top["low_group"]],
        )[["item_id", "spread", "high_group", "high_mean", "low_group", "low_mean"]].round(2), {
            "item_id": _("Id"), "spread": _("Spread"), "high_group": _("Highest"),
            "high_mean": _("Mean"), "low_group": _("Lowest"), "low_mean": _("Mean, lowest"),
        }, by)  # fmt: skip
    with widgets.folded(_("Every item, all libraries"), "innspill_every_item") as shown:
        if not shown:
            return
        _kept_labelled(
            "innspill_overall",
            lambda: figures.importance_table(result.overall, levels).assign(
                item_id=lambda t: t["item_id"].map(texts)
            ),
            {"item_id": _("Category or requirement"), "answers": _("Answers"), "mean": _("Mean")},
            by,
        )


def _item_texts() -> dict[str, str]:
    """Each item a library rates -> its id and text, shortened."""
    items = read(library_input.template_items)
    return {r["item_id"]: _item_text(r) for r in items.to_dict("records")}


def _item_rows(result: analysis.Said, by: str, item: str) -> tuple[pd.DataFrame, list[str]]:
    """One item's distribution per group, and the groups' names for people."""
    one = result.by_group[result.by_group["item_id"] == item]
    return one, [group_value(by, str(v)) for v in one[by]]


def _item_text(row: dict[str, str]) -> str:
    text = row["text_nb"] if current_language() == "nb" else row["text_en"]
    text = text if len(text) <= 80 else text[:79] + "…"
    return f"{row['item_id']} – {text}"


def proposals_section(path: str) -> None:
    """The proposed requirements, and the forms that accept or decline one."""
    table = read(library_input.proposals)
    if table.empty:
        st.info(_("No library has proposed a new requirement yet."))
        return
    statuses = {k: _(v) for k, v in library_input.PROPOSAL_STATUSES.items()}
    _kept_labelled(
        "innspill_proposals",
        lambda: table.assign(status=table["status"].map(statuses))[
            ["id", "library_id", "category_id", "text", "status", "requirement_id", "reason"]
        ],
        {
            "id": _("No."), "library_id": _("Library"), "category_id": _("Category"),
            "text": _("Proposal"), "status": _("Status"), "requirement_id": _("Requirement"),
            "reason": _("Reason"),
        },
    )  # fmt: skip
    open_ones = table[table["status"] == "open"]
    if open_ones.empty or not may_change("library_input"):
        return
    texts = dict(zip(open_ones["id"].astype(int), open_ones["text"], strict=True))
    number = st.selectbox(_("Proposal"), list(texts), format_func=lambda n: f"{n}. {texts[n][:90]}")
    accept, decline = st.tabs([_("Accept into the catalogue"), _("Decline")])
    with accept, st.form("innspill:accept"):
        row = open_ones[open_ones["id"] == number].iloc[0]
        categories = read(catalogue.categories)["id"].tolist()
        left, right = st.columns(2)
        rid = left.text_input(_("New requirement's id"))
        category = right.selectbox(
            _("Category"), categories,
            index=categories.index(row["category_id"]) if row["category_id"] in categories else 0,
        )  # fmt: skip
        kind = left.selectbox(_("Type"), ["W", "M", "I"])
        weight = right.number_input(_("Weight"), min_value=0.0, value=1.0, step=0.5)
        text_nb = st.text_area(_("Text (Norwegian)"), value=row["text"])
        text_en = st.text_area(_("Text (English)"))
        reason = st.text_input(_("Reason (needed after the freeze)"))
        if st.form_submit_button(_("Accept"), type="primary"):
            new = {"id": rid, "category_id": category, "kind": kind, "text_nb": text_nb,
                   "text_en": text_en, "weight": weight}  # fmt: skip
            change(
                lambda cur: library_input.accept_proposal(
                    cur, int(number), new, actor=current_actor(), reason=reason
                ),
                lambda added: _("Accepted as {id}.").format(id=added),
            )
    with decline, st.form("innspill:decline"):
        why = st.text_area(_("Why it is declined (kept and logged)"))
        if st.form_submit_button(_("Decline")):
            change(
                lambda cur: library_input.decline_proposal(
                    cur, int(number), reason=why, actor=current_actor()
                ),
                _("The proposal is declined."),
            )
