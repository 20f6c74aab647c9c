"""The award decision on the Eksport page: what is recorded, recording it, withdrawing it."""

from __future__ import annotations

import streamlit as st

from analysis import award as award_analysis
from store import award as store_award
from ui import data, labels, numbers
from ui.i18n import _
from ui.identity import current_actor, may_change
from ui.setup.common import change, read

current_award = data.cached(store_award.current)
standing = data.cached(award_analysis.standing)
award_history = data.cached(store_award.history)


def award_section() -> None:
    """The award in force, the form that records one, and the history of decisions."""
    path = data.db_path()
    st.subheader(_("The award decision"))
    st.caption(
        _(
            "The steering group decides the award in its meeting; the working group records "
            "the decision here (the steering group's role in bibvalg changes nothing). The "
            "usual choice is the leader of the published ranking; another offer needs a reason "
            "that says why. Every decision is logged."
        )
    )
    names = labels.offer_labels(data.offers(path))
    found = current_award(path)
    if found is not None:
        st.success(
            _("Awarded to {vendor} ({offer}) by {actor}, {when}. Reason: {reason}").format(
                vendor=names.get(found.offer_id, found.offer_id),
                offer=found.offer_id,
                actor=found.decided_by,
                when=f"{found.decided_at:%Y-%m-%d %H:%M}",
                reason=found.reason,
            ),
            icon=":material/gavel:",
        )
    ranking = standing(path)
    if ranking.leader is None:
        st.info(
            _(
                "Nothing can be awarded yet: the published ranking needs every offer priced "
                "and every agreed score and assessment recorded."
            )
        )
        return
    if may_change("award"):
        _decision_forms(names, ranking, withdrawable=found is not None)
    _history()


def _decision_forms(
    names: dict[str, str], ranking: store_award.Standing, *, withdrawable: bool
) -> None:
    """Record an award (the leaders offered first, rejected offers never), withdraw one."""
    choices = list(ranking.leaders) + [
        o for o in names if o not in ranking.leaders and o not in ranking.rejected
    ]
    with st.form("export:award"):
        offer = st.selectbox(
            _("Chosen offer"),
            choices,
            format_func=lambda o: (
                _("{vendor} (first in the published ranking)").format(vendor=names[o])
                if o in ranking.leaders
                else names[o]
            ),
            placeholder=_("Choose an option"),
        )
        reason = st.text_area(_("Why this offer is chosen (logged)"))
        if st.form_submit_button(_("Record the award"), type="primary"):
            change(
                lambda cur: award_analysis.decide(
                    cur, str(offer), reason=reason, actor=current_actor()
                ),
                _("The award is recorded."),
            )
    if withdrawable:
        with st.form("export:withdraw"):
            why = st.text_input(_("Why the award is withdrawn (logged)"))
            if st.form_submit_button(_("Withdraw the award")):
                change(
                    lambda cur: store_award.withdraw(cur, reason=why, actor=current_actor()),
                    _("The award is withdrawn."),
                )


def _history() -> None:
    """Every decision, withdrawn ones too."""
    history = read(store_award.history)
    if not history.empty:
        with st.expander(_("Every decision")):
            st.dataframe(
                history[
                    [
                        "offer_id",
                        "reason",
                        "decided_by",
                        "decided_at",
                        "withdrawn_at",
                        "withdrawal_reason",
                    ]
                ].rename(
                    columns={
                        "offer_id": _("Offer"),
                        "reason": _("Reason"),
                        "decided_by": _("Recorded by"),
                        "decided_at": _("Recorded"),
                        "withdrawn_at": _("Withdrawn"),
                        "withdrawal_reason": _("Why withdrawn"),
                    }
                ),
                hide_index=True,
                placeholder=numbers.EMPTY,
                width="stretch",
            )
