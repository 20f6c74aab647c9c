"""The consensus meeting: submitted scores side by side, the median proposed, the agreed
score and its reason saved."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st

from scoring.agreement import (
    meeting_agenda,
    next_open,
    pair_statistics,
    proposed_outcomes,
    proposed_scores,
    still_to_discuss,
)
from scoring.procurement import ProcurementInputs, screen_mandatory
from scoring.scales import MAX_POINTS, MIN_POINTS
from store.errors import BibvalgError
from ui import data, identity, labels, numbers, state, tables, widgets
from ui.evaluation import disagreement
from ui.i18n import N_, _, current_language, localized
from ui.languages import evidence as language_evidence
from ui.text import plain


def show(path: str, inputs: ProcurementInputs, published: str) -> None:
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
    texts = data.kept(
        lambda: {r["id"]: localized(r, "text") for r in reqs.to_dict("records")},
        "consensus_texts",
    )
    kinds = dict(zip(reqs["id"], reqs["kind"], strict=True))
    # The agenda changes with the data alone (and with whose scores the viewer may see).
    agenda, still_open, to_discuss, submitted = data.kept(
        lambda: _agenda(path, inputs, published, reqs), "consensus_agenda", published, viewer
    )
    if identity.may_change("consensus", "accept_median"):
        _accept_medians_form()
    _discuss_first(inputs, to_discuss, submitted, names)
    if st.session_state.get(state.CONSENSUS_REQUIREMENT) not in agenda:
        st.session_state[state.CONSENSUS_REQUIREMENT] = agenda[0]
    status = {r: _("open") if r in still_open else _("agreed") for r in agenda}
    shown = {r: f"{r} ({r_kind(kinds[r])}) – {short(texts[r])} · {status[r]}" for r in agenda}
    choice, step = st.columns([3, 1], vertical_alignment="bottom")
    requirement = choice.selectbox(
        _("Requirement"),
        agenda,
        key=state.CONSENSUS_REQUIREMENT,
        format_func=shown.__getitem__,
        help=_(
            "In the meeting's order: the open requirements with most points at stake first, "
            "then the other open ones, then those agreed."
        ),
    )
    following = next_open(agenda, requirement, still_open)
    step.button(
        _("Next open item"),
        key="consensus:next_open",
        icon=":material/skip_next:",
        disabled=following is None,
        on_click=_go_to,
        args=(following,),
        width="stretch",
    )
    st.caption(_("Status: {status}.").format(status=status[requirement]))
    st.markdown(f"**{requirement}** {plain(texts[requirement])}")
    language_evidence.show_all(path, requirement, labels.offer_labels(inputs.offers))
    if kinds[requirement] == "W":
        scores = data.scores(path, viewer=viewer, submitted_only=True)
        _weighted(inputs, requirement, scores, names)
    else:
        assessments = data.assessments(path, viewer=viewer, submitted_only=True)
        _mandatory(inputs, requirement, assessments, names)


DISCUSS_ROWS = 10  # the pairs shown under "Discuss these first"


def _agenda(
    path: str, inputs: ProcurementInputs, published: str, reqs: pd.DataFrame
) -> tuple[list[str], set[str], pd.DataFrame, pd.DataFrame]:
    """The requirements in the meeting's order, those still open, the pairs still to
    discuss (most points at stake first, rejected offers and agreed pairs left out) and
    the submitted scores they come from."""
    scores = data.scores(path, viewer=identity.current_viewer(), submitted_only=True)
    screening = screen_mandatory(inputs.offers["id"], inputs.checks)
    rejected = [str(o) for o in screening.index[~screening["eligible"].astype(bool)]]
    order = disagreement.at_stake_order(path, inputs, published, pair_statistics(scores))
    to_discuss = still_to_discuss(order, inputs.consensus, rejected)
    still_open = _open_requirements(inputs, reqs, rejected)
    agenda = meeting_agenda(to_discuss, reqs["id"].tolist(), still_open)
    return agenda, still_open, to_discuss, scores


def _open_requirements(
    inputs: ProcurementInputs, reqs: pd.DataFrame, rejected: list[str]
) -> set[str]:
    """The requirements the meeting has not settled: a weighted one while an offer not
    rejected has no agreed score, a mandatory one while an offer has no agreed assessment."""
    offers = [str(o) for o in inputs.offers["id"]]
    eligible = [o for o in offers if o not in rejected]
    scored = set(zip(inputs.consensus["requirement_id"], inputs.consensus["offer_id"], strict=True))
    checked = set(zip(inputs.checks["requirement_id"], inputs.checks["offer_id"], strict=True))
    found = set()
    for rid, kind in zip(reqs["id"], reqs["kind"], strict=True):
        done, among = (scored, eligible) if kind == "W" else (checked, offers)
        if any((rid, o) not in done for o in among):
            found.add(str(rid))
    return found


def _go_to(requirement: str | None) -> None:
    if requirement is not None:
        st.session_state[state.CONSENSUS_REQUIREMENT] = requirement


def _discuss_first(
    inputs: ProcurementInputs,
    to_discuss: pd.DataFrame,
    scores: pd.DataFrame,
    names: dict[str, str],
) -> None:
    """The open pairs with most points at stake, for the meeting to take first."""
    st.markdown("##### " + _("Discuss these first"))
    if to_discuss.empty:
        st.caption(
            _(
                "Nothing left to discuss first: every pair where the evaluators differ is "
                "agreed or belongs to a rejected offer."
            )
        )
        return
    table = tables.discuss_first_table(inputs, to_discuss.head(DISCUSS_ROWS), scores, names)
    widgets.table(
        table.drop(columns=[_("Agreed")]),
        column_config={_("Text"): st.column_config.TextColumn(width="medium")},
    )
    st.caption(
        _(
            "The open pairs of offer and weighted requirement, most points at stake first; "
            "rejected offers and agreed pairs are left out. Scores: each evaluator's submitted "
            "score. Range: the highest minus the lowest. Standard deviation: the typical "
            "distance from the mean. Median: the middle score, proposed as the agreed one. "
            "Points at stake: the range times the requirement's weight in the published "
            "model, as points of the 100 total."
        )
    )


def _accept_medians_form() -> None:
    """For the working group: agree at once wherever the submitted scores already agree,
    as ``python cli.py consensus accept-median`` does."""
    with st.expander(_("Accept the medians where the evaluators agree")):
        st.caption(
            _(
                "Where an offer and weighted requirement has no agreed score yet and at least "
                "two submitted scores lie within the spread below, the agreed score becomes "
                "their median; where every evaluator gave the same assessment of a mandatory "
                "requirement, met or not met, it becomes the agreed one. Each with the reason "
                "below, logged. Everything else, a material deviation too, is left for the "
                "meeting."
            )
        )
        with st.form("consensus:accept_medians"):
            st.number_input(
                _("Largest spread accepted (points)"),
                min_value=0.0,
                max_value=MAX_POINTS,
                step=0.5,
                value=1.0,
                format="%.1f",
                key=state.CONSENSUS_MEDIAN_RANGE,
            )
            st.text_input(_("Reason"), key=state.CONSENSUS_MEDIAN_REASON)
            st.form_submit_button(_("Accept the medians"), on_click=_accept_medians)


def _accept_medians() -> None:
    ss = st.session_state
    try:
        result = data.accept_medians(
            max_range=float(ss.get(state.CONSENSUS_MEDIAN_RANGE, 1.0)),
            reason=ss.get(state.CONSENSUS_MEDIAN_REASON) or "",
            actor=identity.current_actor(),
        )
    except BibvalgError as exc:
        ss[state.CONSENSUS_MESSAGE] = ("error", exc.translated(current_language()))
        return
    ss[state.CONSENSUS_MESSAGE] = (
        "success",
        _(
            "Set {scores} agreed scores to the evaluators' median and {assessments} agreed "
            "assessments; {remaining} scores and {outcomes} assessments are left for the "
            "meeting."
        ).format(
            scores=len(result.accepted),
            assessments=len(result.outcomes),
            remaining=result.remaining,
            outcomes=result.outcomes_remaining,
        ),
    )


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
            min_value=MIN_POINTS,
            max_value=MAX_POINTS,
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
        st.markdown("\n".join(reasons) or "–", unsafe_allow_html=True)

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
            placeholder=numbers.EMPTY,
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


def _proposals(
    inputs: ProcurementInputs, requirement: str, assessments: pd.DataFrame
) -> tuple[pd.DataFrame, dict[str, str | None]]:
    """The submitted assessments of one mandatory requirement, and the assessment proposed
    for each offer."""
    own = assessments[assessments["requirement_id"] == requirement]
    nothing_agreed = pd.DataFrame({"offer_id": [], "outcome": []})
    return own, proposed_outcomes(own, nothing_agreed, inputs.offers["id"])


def _mandatory(
    inputs: ProcurementInputs, requirement: str, assessments: pd.DataFrame, names: dict[str, str]
) -> None:
    own, proposals = data.kept(
        lambda: _proposals(inputs, requirement, assessments),
        "consensus_proposals",
        requirement,
        identity.current_viewer(),
    )
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
