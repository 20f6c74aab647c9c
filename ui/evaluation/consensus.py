"""The consensus meeting: submitted scores side by side, the median proposed, the agreed
score and its reason saved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from scoring.agreement import (
    pair_statistics,
    proposed_outcome,
    proposed_outcomes,
    proposed_scores,
)
from scoring.procurement import ProcurementInputs
from store.errors import BibvalgError
from ui import data, identity, labels, state, tables, widgets
from ui.i18n import N_, _, current_language, localized
from ui.text import plain


def show(path: str, inputs: ProcurementInputs) -> None:
    """Pick a requirement; see every submitted score or assessment; record the agreed one."""
    viewer = identity.current_viewer()
    names = data.evaluator_names(path)
    submissions = data.submissions(path)
    done = submissions[submissions["submitted_at"].notna()]["evaluator_id"].tolist()
    waiting = submissions[submissions["submitted_at"].isna()]["evaluator_id"].tolist()
    st.caption(
        _(
            "The meeting works from submitted scores only. The median of the evaluators' "
            "scores is proposed as the agreed score; change it and give the reason the "
            "meeting agreed on. The ranking uses the agreed scores."
        )
    )
    st.markdown(
        _("Submitted: {done}. Not yet submitted: {waiting}.").format(
            done=", ".join(names.get(e, e) for e in done) or "–",
            waiting=", ".join(names.get(e, e) for e in waiting) or "–",
        )
    )
    message = st.session_state.pop(state.CONSENSUS_MESSAGE, None)
    if message:
        {"error": st.error, "warning": st.warning, "success": st.success}[message[0]](message[1])

    reqs = inputs.tree.requirements
    reqs = reqs[reqs["kind"].isin(["W", "M"])]
    texts = {r["id"]: localized(r, "text") for r in reqs.to_dict("records")}
    kinds = dict(zip(reqs["id"], reqs["kind"], strict=True))
    ids = reqs["id"].tolist()
    if st.session_state.get(state.CONSENSUS_REQUIREMENT) not in ids:
        st.session_state[state.CONSENSUS_REQUIREMENT] = ids[0]
    shown = {r: f"{r} ({r_kind(kinds[r])}) – {short(texts[r])}" for r in ids}
    requirement = st.selectbox(
        _("Requirement"),
        ids,
        key=state.CONSENSUS_REQUIREMENT,
        format_func=shown.__getitem__,
    )
    st.markdown(f"**{requirement}** {plain(texts[requirement])}")
    if kinds[requirement] == "W":
        scores = data.scores(path, viewer=viewer, submitted_only=True)
        _weighted(inputs, requirement, scores, names)
    else:
        assessments = data.assessments(path, viewer=viewer, submitted_only=True)
        _mandatory(inputs, requirement, assessments, names)


def _number(value: object) -> float | None:
    """A float, or None for a missing value."""
    return None if value is None or pd.isna(value) else float(value)  # type: ignore[arg-type]


def r_kind(kind: str) -> str:
    return _("weighted") if kind == "W" else _("mandatory")


def short(text: str, width: int = 70) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _weighted(
    inputs: ProcurementInputs, requirement: str, scores: pd.DataFrame, names: dict[str, str]
) -> None:
    own = scores[scores["requirement_id"] == requirement]
    statistics = pair_statistics(own)
    widgets.kept_table(
        "consensus_overview",
        lambda: tables.consensus_overview(inputs, requirement, own, statistics, names),
        None,
        requirement,
        identity.current_viewer(),
    )
    recorded = inputs.consensus[inputs.consensus["requirement_id"] == requirement]
    proposed = proposed_scores(own, recorded, inputs.offers["id"].tolist())

    def score_field(offer: str, name_col: Any, score_col: Any) -> object:
        median = _number(proposed.at[offer, "median"])
        start = _number(proposed.at[offer, "proposal"])
        if median is not None:
            name_col.caption(_("Median {median}").format(median=labels.number(median, 1)))
        score_col.number_input(
            _("Agreed score"),
            min_value=0.0,
            max_value=10.0,
            step=0.5,
            format="%.1f",
            value=None if start is None else float(start),
            key=state.consensus_score_input(requirement, offer),
        )
        return start

    _agreed_form(inputs, requirement, own, names, recorded, _SCORES, score_field)


@dataclass(frozen=True)
class _Agreed:
    """What the meeting agrees on: a form's heading and button (message ids), the widths of
    its columns (vendor, value, reason), and how a row is saved: ``save`` with the value as
    the keyword ``field``."""

    heading: str
    widths: list[int]
    button: str
    save: Callable[..., bool]
    field: str


_SCORES = _Agreed(
    N_("Agreed scores"), [2, 1, 4], N_("Save the agreed scores"), data.save_consensus, "score"
)
_ASSESSMENTS = _Agreed(
    N_("Agreed assessments"),
    [2, 2, 4],
    N_("Save the agreed assessments"),
    data.save_mandatory_check,
    "outcome",
)


def _agreed_form(
    inputs: ProcurementInputs,
    requirement: str,
    own: pd.DataFrame,
    names: dict[str, str],
    recorded: pd.DataFrame,
    agreed_on: _Agreed,
    value_field: Callable[[str, Any, Any], object],
) -> None:
    """The evaluators' reasons, then a form with a row per offer: its vendor, the agreed
    value and the agreed reason. ``value_field(offer, name_col, value_col)`` draws the value's
    field and returns the value it starts from; ``agreed_on`` says how the rows are saved."""
    with st.expander(_("The evaluators' reasons")):
        reasons = data.kept(
            lambda: tables.evaluator_reasons(inputs, requirement, own, names),
            "evaluator_reasons",
            requirement,
            identity.current_viewer(),
        )
        st.markdown("\n".join(reasons) or "–")

    agreed = recorded.set_index("offer_id")
    vendor = labels.offer_labels(inputs.offers)
    field = agreed_on.field
    if not identity.may_change("consensus" if field == "score" else "mandatory_check"):
        # The meeting's record, read only: recording it is the working group's.
        heading = _(agreed_on.heading)
        st.markdown("##### " + heading)
        offers = inputs.offers["id"].tolist()
        st.dataframe(
            pd.DataFrame(
                {
                    _("Vendor"): [vendor[o] for o in offers],
                    heading: [_agreed_text(agreed[field].get(o), field) for o in offers],
                    _("Reason"): [str(agreed["reason"].get(o, "") or "") for o in offers],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        return
    starts: dict[str, object] = {}
    with st.form(key=f"consensus:form:{requirement}"):
        st.markdown("##### " + _(agreed_on.heading))
        for offer in inputs.offers["id"].tolist():
            name_col, value_col, reason_col = st.columns(agreed_on.widths)
            name_col.markdown(f"**{plain(vendor[offer])}**")
            starts[offer] = value_field(offer, name_col, value_col)
            reason_col.text_input(
                _("Reason"),
                value=str(agreed["reason"].get(offer, "") or ""),
                key=state.consensus_reason_input(requirement, offer),
            )
        st.form_submit_button(
            _(agreed_on.button),
            type="primary",
            on_click=_save_agreed,
            args=(requirement, starts, agreed_on.save, agreed_on.field),
        )


def _agreed_text(value: object, field: str) -> str:
    """An agreed score or assessment as read on the page ("–" where none is recorded)."""
    if field == "outcome":
        return tables.outcome_name(value) or "–"
    number = _number(value)
    return "–" if number is None else labels.number(number, 1)


def _save_agreed(
    requirement: str, starts: dict[str, object], save: Callable[..., bool], field: str
) -> None:
    """Save every offer's agreed value (score or assessment) that has a reason.

    ``save`` is ``data.save_consensus`` (``field`` "score") or ``data.save_mandatory_check``
    (``field`` "outcome").
    """
    ss = st.session_state
    saved: list[str] = []
    skipped: list[str] = []
    errors: list[str] = []
    for offer, start in starts.items():
        value = ss.get(state.consensus_score_input(requirement, offer))
        reason = (ss.get(state.consensus_reason_input(requirement, offer)) or "").strip()
        if value is None or not reason:
            if value != start or reason:
                skipped.append(offer)  # touched, but incomplete
            continue
        try:
            if save(
                offer=offer,
                requirement=requirement,
                **{field: value},
                reason=reason,
                actor=identity.current_actor(),
            ):
                saved.append(offer)
        except BibvalgError as exc:
            errors.append(exc.translated(current_language()))
    _report(saved, skipped, errors)


def _mandatory(
    inputs: ProcurementInputs, requirement: str, assessments: pd.DataFrame, names: dict[str, str]
) -> None:
    own = assessments[assessments["requirement_id"] == requirement]
    proposals = {
        offer: proposed_outcome(own.loc[own["offer_id"] == offer, "outcome"])
        for offer in inputs.offers["id"]
    }
    widgets.kept_table(
        "mandatory_overview",
        lambda: tables.mandatory_overview(inputs, requirement, own, names, proposals),
        None,
        requirement,
        identity.current_viewer(),
    )
    st.caption(
        _(
            "Proposed: the assessment most evaluators gave; on a tie, the more serious one. "
            "Only a material deviation rejects an offer."
        )
    )
    recorded = inputs.checks[inputs.checks["requirement_id"] == requirement]
    currents = proposed_outcomes(own, recorded, inputs.offers["id"].tolist())

    def outcome_field(offer: str, _name_col: Any, outcome_col: Any) -> object:
        widgets.outcome_choice(
            outcome_col,
            _("Agreed assessment"),
            currents[offer],
            key=state.consensus_score_input(requirement, offer),
        )
        return currents[offer]

    _agreed_form(inputs, requirement, own, names, recorded, _ASSESSMENTS, outcome_field)


def _report(saved: list[str], skipped: list[str], errors: list[str]) -> None:
    if errors:
        st.session_state[state.CONSENSUS_MESSAGE] = ("error", " ".join(errors))
        return
    text = _("Saved: {count}.").format(count=len(saved))
    if skipped:
        text += " " + _("Not saved, because the score or the reason is missing: {count}.").format(
            count=len(skipped)
        )
    st.session_state[state.CONSENSUS_MESSAGE] = ("warning" if skipped else "success", text)
