"""Scoring: the chosen evaluator scores and assesses every offer, saved as they go."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from scoring.procurement import ProcurementInputs
from scoring.scales import MAX_POINTS, MIN_POINTS
from store.errors import BibvalgError, StaleValue
from store.evaluation import OUTCOMES, UNCHECKED
from ui import data, identity, labels, numbers, state, tables, widgets
from ui.evaluation.consensus import short
from ui.i18n import N_, _, current_language, localized, ngettext
from ui.languages import evidence as language_evidence
from ui.text import plain, written

KIND_NAMES = {"W": N_("Weighted requirement"), "M": N_("Mandatory requirement")}
# The form reruns alone when the offer or category changes; after a save only the progress,
# the list of what is missing and the submit button (the status) are drawn again.
FORM_FRAGMENT = "scoring-form"
STATUS_FRAGMENT = "scoring-status"
# A category of more requirements than this is shown in parts of this many, so that a large
# tender's form stays quick to draw and to read.
PART_SIZE = 15


def show(path: str, inputs: ProcurementInputs) -> None:
    """The scoring form for the evaluator chosen in the sidebar, or how to get there."""
    evaluator = identity.current_evaluator()
    names = data.evaluator_names(path)
    if evaluator is None and identity.signed_in() is not None:
        st.info(
            _(
                "You are not an evaluator in this tender, so you see only the scores the "
                "evaluators have submitted. An admin binds a person to an evaluator under "
                "Setup → People and roles."
            ),
            icon=":material/person:",
        )
    elif evaluator is None:
        st.info(
            _(
                "Choose who you are under “I am” in the sidebar to enter your scores. "
                "Without it you see only scores the evaluators have submitted."
            ),
            icon=":material/person:",
        )
    else:
        _form(path, inputs, evaluator)
    with st.expander(_("Progress of every evaluator"), expanded=evaluator is None):
        st.dataframe(
            tables.progress_table(data.progress(path), names),
            hide_index=True,
            placeholder=numbers.EMPTY,
            width="stretch",
            column_config={
                _("Done"): st.column_config.ProgressColumn(
                    format="percent", min_value=0, max_value=1
                ),
                _("Submitted"): st.column_config.CheckboxColumn(),
            },
        )
        st.caption(
            _(
                "Only counts are shown here; nobody sees another evaluator's scores before "
                "they are submitted."
            )
        )


def _say(kind: str, text: str, at: str | None = None) -> None:
    """A message for the form; ``at`` is the requirement whose fields it belongs under."""
    st.session_state[state.SCORING_MESSAGE] = (kind, text, at)


def _show(message: tuple[str, ...]) -> None:
    {"error": st.error, "warning": st.warning, "success": st.success}[message[0]](message[1])


def _value_text(entry: dict[str, Any]) -> str:
    if "score" in entry:
        return labels.number(entry["score"], 1).removesuffix(",0").removesuffix(".0")
    return tables.outcome_names().get(entry.get("outcome", ""), str(entry.get("outcome")))


def _stale_message(exc: StaleValue) -> str:
    current = exc.current
    text = exc.translated(current_language())
    if current is None:
        return text
    return (
        text
        + " "
        + _("Stored now: {value} – “{reason}”.").format(
            value=_value_text(current), reason=plain(current.get("reason") or "")
        )
    )


def _store(
    evaluator: str,
    offer: str,
    requirement: str,
    save: Callable[..., object],
    **entry: object,
) -> None:
    """Save one entry as the evaluator's own, based on the entry the fields were drawn
    with; say so in a toast, or why not under the fields themselves."""
    ss = st.session_state
    drawn = state.drawn_entry(evaluator, offer, requirement)
    try:
        save(
            evaluator=evaluator,
            offer=offer,
            requirement=requirement,
            **entry,
            actor=identity.current_actor(),
            expected=ss.get(drawn, UNCHECKED),
        )
    except StaleValue as exc:
        # Another window saved first: show the newer entry in the fields, and say so.
        _redraw(evaluator, offer, requirement)
        _say("error", _stale_message(exc), requirement)
        return
    except BibvalgError as exc:
        reason = plain(exc.translated(current_language()))
        _say("error", _("Not saved: {reason}").format(reason=reason), requirement)
        return
    field = "score" if save is data.save_score else "outcome"
    ss[drawn] = {field: entry[field], "reason": str(entry["reason"]).strip()}  # until drawn again
    # The fields already show what was saved: only the progress and the list of what is
    # missing are drawn again, which also says "saved" (a callback displays nothing).
    ss[state.SCORING_SAVED] = requirement
    st.rerun(STATUS_FRAGMENT)


def _redraw(evaluator: str, offer: str, requirement: str) -> None:
    """Forget the fields' own values, so they are drawn again from the stored entry."""
    for key in (
        state.score_input(evaluator, offer, requirement),
        state.outcome_input(evaluator, offer, requirement),
        state.reason_input(evaluator, offer, requirement),
        state.drawn_entry(evaluator, offer, requirement),
    ):
        st.session_state.pop(key, None)


# Per requirement kind: the entry's value field, its widget's key, how it is saved, and
# the warning for a reason given without a value.
_ENTRY_KINDS: dict[str, tuple[str, Callable[[str, str, str], str], Callable[..., object], str]] = {
    "W": (
        "score",
        state.score_input,
        data.save_score,
        N_("{requirement}: give a score too; the reason is saved with it."),
    ),
    "M": (
        "outcome",
        state.outcome_input,
        data.save_assessment,
        N_("{requirement}: choose an assessment too; the reason is saved with it."),
    ),
}


def _save_entry(evaluator: str, offer: str, requirement: str, kind: str) -> None:
    """Save the entry's value (a score for a weighted requirement, an assessment for a
    mandatory one) with its reason; a reason alone is not saved, and a warning says what
    else to give."""
    field, field_input, save, missing = _ENTRY_KINDS[kind]
    ss = st.session_state
    value = ss.get(field_input(evaluator, offer, requirement))
    reason = ss.get(state.reason_input(evaluator, offer, requirement)) or ""
    if value is None:
        if reason.strip():
            _say("warning", _(missing).format(requirement=requirement))
        st.rerun(STATUS_FRAGMENT)  # nothing saved: only the status says so
    _store(evaluator, offer, requirement, save, **{field: value}, reason=reason)


def _submit(evaluator: str) -> None:
    try:
        data.submit(evaluator=evaluator, actor=identity.current_actor())
    except BibvalgError as exc:
        _say("error", exc.translated(current_language()))
        return
    _say("success", _("Submitted. Your scores are now visible to the other evaluators."))
    st.rerun(FORM_FRAGMENT)  # every field is locked now


def _jump() -> None:
    """Open the offer and category of the missing item chosen, then clear the choice."""
    ss = st.session_state
    chosen = ss.get(state.SCORING_JUMP)
    if not chosen:
        return
    offer, category, requirement = chosen.split("|", 2)
    ss[state.SCORING_OFFER] = offer
    ss[state.SCORING_CATEGORY] = category
    ss[state.SCORING_PART] = ("jump", requirement)  # the part that holds it (``_part``)
    ss[state.SCORING_JUMP] = None
    st.rerun(FORM_FRAGMENT)


def _first_part() -> None:
    """Another offer or category opens at its first part."""
    st.session_state[state.SCORING_PART] = 0


def parts(requirement_ids: list[str]) -> list[list[str]]:
    """A category's requirements in parts of at most ``PART_SIZE``, in order."""
    return [
        requirement_ids[i : i + PART_SIZE] for i in range(0, len(requirement_ids), PART_SIZE)
    ] or [[]]


def _part(requirement_ids: list[str]) -> list[str]:
    """The requirements of the part chosen; where the category is long, a choice of part."""
    split = parts(requirement_ids)
    ss = st.session_state
    chosen = ss.get(state.SCORING_PART, 0)
    if isinstance(chosen, tuple):  # a jump to a requirement: the part that holds it
        chosen = next((i for i, ids in enumerate(split) if chosen[1] in ids), 0)
    ss[state.SCORING_PART] = chosen if isinstance(chosen, int) and chosen < len(split) else 0
    if len(split) > 1:
        st.selectbox(
            _("Requirements ({count} in this category)").format(count=len(requirement_ids)),
            list(range(len(split))),
            key=state.SCORING_PART,
            format_func=lambda i: _("{first} to {last}").format(
                first=split[i][0], last=split[i][-1]
            ),
        )
    return split[ss[state.SCORING_PART]]


def _number_options(existing: float | None) -> dict[str, Any]:
    """Whole numbers 0–10, unless a stored score is not whole."""
    if existing is None or float(existing).is_integer():
        return {
            "min_value": int(MIN_POINTS),
            "max_value": int(MAX_POINTS),
            "step": 1,
            "value": None if existing is None else int(existing),
        }
    return {"min_value": MIN_POINTS, "max_value": MAX_POINTS, "step": 0.5, "value": float(existing)}


@st.fragment(key=FORM_FRAGMENT)
def _form(path: str, inputs: ProcurementInputs, evaluator: str) -> None:
    names = data.evaluator_names(path)
    st.markdown("#### " + _("Scores of {name}").format(name=plain(names.get(evaluator, evaluator))))
    _status(path, inputs, evaluator)
    message = st.session_state.pop(state.SCORING_MESSAGE, None)
    locked = next(p for p in data.progress(path) if p.evaluator_id == evaluator).submitted

    detail = data.progress_detail(path, evaluator)
    offer_ids = inputs.offers["id"].tolist()
    vendor = labels.offer_labels(inputs.offers)
    by_offer = detail.groupby("offer_id")[["done", "total"]].sum()
    st.session_state.setdefault(state.SCORING_OFFER, offer_ids[0])
    left, right = st.columns(2)
    offers = {o: vendor[o] for o in offer_ids}
    offer = widgets.pick(
        _("Offer"), offers, where=left, key=state.SCORING_OFFER, on_change=_first_part
    )
    mine = detail[detail["offer_id"] == offer].set_index("category_id")
    category_ids = [c for c in inputs.tree.categories["id"] if c in mine.index]
    cat_names = labels.category_names(inputs.tree)
    if st.session_state.get(state.SCORING_CATEGORY) not in category_ids:
        st.session_state[state.SCORING_CATEGORY] = category_ids[0]
    categories = {c: cat_names[c] for c in category_ids}
    category = widgets.pick(
        _("Category"), categories, where=right, key=state.SCORING_CATEGORY, on_change=_first_part
    )
    left.caption(
        _("This offer: {done} of {total} done").format(
            done=int(by_offer.loc[offer, "done"]), total=int(by_offer.loc[offer, "total"])
        )
    )
    right.caption(
        _("This category: {done} of {total} done").format(
            done=int(mine.loc[category, "done"]), total=int(mine.loc[category, "total"])
        )
    )
    _requirements(path, inputs, evaluator, offer, category, locked=locked, message=message)


@st.fragment(key=STATUS_FRAGMENT)
def _status(path: str, inputs: ProcurementInputs, evaluator: str) -> None:
    """The evaluator's progress, what is still missing (each item a jump to it) and the
    submit button: drawn again after each save, while the fields stay as they are."""
    ss = st.session_state
    saved = ss.pop(state.SCORING_SAVED, None)
    if saved:
        st.toast(_("Saved: {requirement}").format(requirement=saved), icon=":material/check:")
    progress = next(p for p in data.progress(path) if p.evaluator_id == evaluator)
    st.progress(
        progress.share,
        text=_(
            "{done} of {total} done ({percent} %): {scores} scores and {checks} assessments"
        ).format(
            done=progress.done,
            total=progress.total,
            percent=labels.percent(progress.share),
            scores=progress.scores_done,
            checks=progress.assessments_done,
        ),
    )
    message = ss.get(state.SCORING_MESSAGE)
    if message and message[2] is None:
        _show(ss.pop(state.SCORING_MESSAGE))
    if progress.submitted:
        st.success(
            _(
                "You have submitted. Your scores are visible to all evaluators and can no "
                "longer change; changes are made in the consensus meeting."
            ),
            icon=":material/lock:",
        )
        return
    st.caption(
        _(
            "Each score is saved as soon as you leave the field. Give every weighted "
            "requirement a score from 0 to 10 and every mandatory requirement an "
            "assessment, each with a reason. Nobody else sees them until you submit."
        )
    )
    _missing(path, inputs, evaluator)
    widgets.confirmed_button(
        _(
            "I have finished. After submitting I can no longer change my scores, and the "
            "other evaluators will see them."
        ),
        state.SUBMIT_CONFIRM,
        _("Submit my scores"),
        key="evaluation:submit",
        on_click=_submit,
        args=(evaluator,),
        ready=progress.complete,
    )


def _missing(path: str, inputs: ProcurementInputs, evaluator: str) -> None:
    """What is still missing before the evaluator can submit, as a choice that opens it."""
    missing = data.still_missing(path, evaluator)
    if missing.empty:
        return
    vendor = labels.offer_labels(inputs.offers)
    offers = {o: i for i, o in enumerate(inputs.offers["id"])}
    reqs = {r: i for i, r in enumerate(inputs.tree.requirements["id"])}
    missing = missing.assign(
        o=missing["offer_id"].map(offers), r=missing["requirement_id"].map(reqs)
    ).sort_values(["o", "r"], kind="stable")
    texts = {r["id"]: localized(r, "text") for r in inputs.tree.requirements.to_dict("records")}
    items = {
        f"{o}|{c}|{r}": f"{vendor.get(o, o)} · {r} – {short(texts.get(r, ''))}"
        for o, c, r in zip(
            missing["offer_id"], missing["category_id"], missing["requirement_id"], strict=True
        )
    }
    st.selectbox(
        ngettext(
            "Still missing before you can submit: {count} item. Choose one to open it.",
            "Still missing before you can submit: {count} items. Choose one to open it.",
            len(items),
        ).format(count=len(items)),
        list(items),
        index=None,
        key=state.SCORING_JUMP,
        format_func=items.__getitem__,
        placeholder=_("Go to a missing item…"),
        on_change=_jump,
    )


def _requirements(
    path: str,
    inputs: ProcurementInputs,
    evaluator: str,
    offer: str,
    category: str,
    *,
    locked: bool,
    message: tuple[str, ...] | None = None,
) -> None:
    viewer = identity.current_viewer()
    scores = data.scores(path, viewer=viewer)
    assessments = data.assessments(path, viewer=viewer)
    own_scores = scores[(scores["evaluator_id"] == evaluator) & (scores["offer_id"] == offer)]
    own_scores = own_scores.set_index("requirement_id")
    own_checks = assessments[
        (assessments["evaluator_id"] == evaluator) & (assessments["offer_id"] == offer)
    ].set_index("requirement_id")
    answers = data.responses(path)
    answers = answers[answers["offer_id"] == offer].set_index("requirement_id")
    reqs = inputs.tree.requirements
    reqs = reqs[(reqs["category_id"] == category) & reqs["kind"].isin(["W", "M"])]
    reqs = reqs[reqs["id"].isin(_part(reqs["id"].tolist()))]
    if message and message[2] not in set(reqs["id"]):
        _show(message)  # about a requirement not shown here
    for req in reqs.to_dict("records"):
        rid = req["id"]
        with st.container(border=True):
            st.markdown(
                f"**{rid}** · {_(KIND_NAMES[req['kind']])}  \n{plain(localized(req, 'text'))}"
            )
            if rid in answers.index:
                answer = answers.loc[rid]
                note = _("Vendor's answer: {answer} – {meaning}").format(
                    answer=answer["answer"], meaning=labels.answer_meaning(answer["answer"])
                )
                if answer["comment"]:
                    note += " · " + written(answer["comment"], current_language())
                st.caption(note + _answer_sources(answer), unsafe_allow_html=True)
            language_evidence.show(path, rid, offer)
            value_col, reason_col = st.columns([1, 3])
            reason_key = state.reason_input(evaluator, offer, rid)
            kind = req["kind"]  # "W" or "M"
            if kind == "W":
                existing = own_scores["score"].get(rid)
                value_col.number_input(
                    _("Score (0–10)"),
                    key=state.score_input(evaluator, offer, rid),
                    on_change=_save_entry,
                    args=(evaluator, offer, rid, kind),
                    disabled=locked,
                    placeholder="–",
                    **_number_options(None if pd.isna(existing) else float(existing)),
                )
                reason = own_scores["reason"].get(rid, "")
                drawn = (
                    None
                    if pd.isna(existing)
                    else {"score": float(existing), "reason": _text(reason)}
                )
            else:
                outcome = own_checks["outcome"].get(rid)
                widgets.outcome_choice(
                    value_col,
                    _("Assessment"),
                    outcome,
                    key=state.outcome_input(evaluator, offer, rid),
                    on_change=_save_entry,
                    args=(evaluator, offer, rid, kind),
                    disabled=locked,
                )
                reason = own_checks["reason"].get(rid, "")
                drawn = (
                    {"outcome": outcome, "reason": _text(reason)} if outcome in OUTCOMES else None
                )
            # What a save from these fields is based on: the entry as stored when drawn.
            st.session_state[state.drawn_entry(evaluator, offer, rid)] = drawn
            reason_col.text_area(
                _("Reason"),
                value=_text(reason),
                key=reason_key,
                on_change=_save_entry,
                args=(evaluator, offer, rid, kind),
                disabled=locked,
                height=68,
            )
            if message and message[2] == rid:
                _show(message)


def _answer_sources(answer: pd.Series) -> str:
    """The vendor's evidence reference and roadmap date, where it gave them, to follow its
    answer (" · Evidence: … · Roadmap date: …")."""
    parts = []
    evidence = answer.get("evidence")
    if isinstance(evidence, str) and evidence.strip():
        parts.append(_("Evidence: {reference}").format(reference=plain(evidence)))
    roadmap = answer.get("roadmap_date")
    if roadmap is not None and not pd.isna(roadmap):
        parts.append(
            _("Roadmap date: {date}").format(date=pd.Timestamp(roadmap).strftime("%d.%m.%Y"))
        )
    return "".join(" · " + p for p in parts)


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""
