"""The overview's own pieces: how close the decision is, the ranking table's columns
explained, and the steering group's report to make and download."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import closeness
from scoring.methods import METHODS
from scoring.price import PRICE_MODELS
from scoring.procurement import ProcurementInputs
from tender_files import steering_report
from ui import data, identity, labels, state, widgets
from ui.i18n import N_, _, current_language
from ui.robustness import group_name, run_caption

# What the status box says while the report is made (``steering_report.make``'s steps).
REPORT_STEPS = {
    "gather": N_("Ranking, SMAA and the library groups' views…"),
    "charts": N_("Drawing the charts…"),
    "pdf": N_("Typesetting the PDF…"),
}


closeness_run = data.cached(closeness.closeness)

# What each kind of alternative is called in the overview's table.
KIND_NAMES = {
    "price_model": N_("Price model"),
    "method": N_("Method"),
    "group": N_("Library group's weights"),
}


def _alternative_names(path: str) -> dict[tuple[str, str], str]:
    """(kind, key) -> the price model's, method's or library group's name."""
    groups = data.stakeholder_groups(path)
    named = {("group", str(r["id"])): group_name(r) for r in groups.to_dict("records")}
    named.update({("price_model", m): labels.price_model_name(m) for m in PRICE_MODELS})
    named.update({("method", m): labels.method_name(m) for m in METHODS})
    return named


def alternatives_table(
    found: closeness.Closeness, names: dict[str, str], path: str
) -> pd.DataFrame:
    """One row per price model, method and library group: which offer it puts first."""
    named = _alternative_names(path)
    table = found.alternatives
    return pd.DataFrame(
        {
            _("Analysis"): [_(KIND_NAMES[k]) for k in table["kind"]],
            _("Variant"): [
                named.get((k, v), v) for k, v in zip(table["kind"], table["key"], strict=True)
            ],
            _("First place"): [names.get(o, o) for o in table["first"]],
            _("Same winner"): table["same"].to_numpy(),
        }
    )


def closeness_block(path: str, profile: str, inputs: ProcurementInputs) -> None:
    """How close the decision is, on the first screen: the lead in points, the share of
    plausible weightings the leader wins (a cached SMAA run), and the price models,
    methods and library groups that would put another offer first."""
    found = closeness_run(path)
    names = labels.offer_labels(inputs.offers)
    leader = names.get(found.leader, found.leader)
    result = data.smaa_run(path, profile)
    share = result.first_rank(found.leader) if found.leader in result.alternatives else None
    st.subheader(_("How close is the decision?"))
    if found.gap is not None and found.runner_up is not None:
        st.markdown(
            _(
                "**{leader}** leads **{second}** by **{points} points** of the 100 the "
                "published model gives."
            ).format(
                leader=leader,
                second=names.get(found.runner_up, found.runner_up),
                points=labels.number(found.gap, 2),
            )
        )
    if share is not None:
        st.markdown(
            _("**{vendor}** wins in **{share} %** of plausible weightings.").format(
                vendor=leader, share=labels.percent(share)
            )
        )
    others = found.others_first
    if others.empty:
        st.markdown(
            _("Every price model, method and library group also puts **{vendor}** first.").format(
                vendor=leader
            )
        )
    else:
        named = _alternative_names(path)
        st.markdown(
            _("Another offer would come first with: {alternatives}.").format(
                alternatives="; ".join(
                    f"{_(KIND_NAMES[k])}: {named.get((k, v), v)} ({names.get(o, o)})"
                    for k, v, o in zip(others["kind"], others["key"], others["first"], strict=True)
                )
            )
        )
    with widgets.folded(_("Every price model, method and library group"), "overview:all") as shown:
        if shown:  # made only while open
            widgets.table(
                alternatives_table(found, names, path),
                widgets.explained(
                    {
                        _("Analysis"): _(
                            "What is changed: the price model, the method or the weights."
                        ),
                        _("Variant"): _("Which price model, method or library group's weights."),
                        _("First place"): _(
                            "The offer that comes first with it, all else as published."
                        ),
                        _("Same winner"): _(
                            "Whether that is the offer first in the published ranking."
                        ),
                    }
                ),
            )
    if share is not None:
        st.caption(
            run_caption(result) + " " + _("More on the Price, Methods and Robustness pages.")
        )


def ranking_columns() -> None:
    """What each column of the ranking table means."""
    st.caption(
        _(
            "Rank: the place under the published model (1 is best). Vendor and Product: who "
            "offers what. Points: the total of 100 the published model gives, quality, price "
            "and environment together. Total cost (NOK): one-time costs plus yearly costs "
            "times the contract years, options left out. TOPSIS rank: the place TOPSIS gives "
            "on the same points and weights, as a check only."
        )
    )


def report_download(path: str) -> None:
    """The steering group's report: made when asked for (it takes a while), then offered
    for download until the data or the language change. Only for the roles that may take
    it away (``identity.may_read_report``)."""
    if not identity.may_read_report():
        return
    st.subheader(_("Report for the steering group"))
    st.caption(
        _(
            "One PDF with the tender and its stage, the ranking, the mandatory requirements, "
            "the price models, the methods, the weight stability, SMAA ({samples} samples, "
            "seed {seed}), the library groups, the evaluators' disagreement, the model's "
            "fingerprint and its changes in the log. Every chart is also a table."
        ).format(
            samples=labels.number(steering_report.REPORT_SAMPLES, 0),
            seed=steering_report.REPORT_SEED,
        )
    )
    language = current_language()
    made_of = (path, data.data_version(path), language)
    asked = st.button(
        _("Make the report"), key="overview:make_report", icon=":material/picture_as_pdf:"
    )
    if asked:
        with st.status(_("Making the report…")) as status:
            with data.cursor(path) as cur:
                made = steering_report.make(
                    cur,
                    language,
                    progress=lambda step: status.update(label=_(REPORT_STEPS[step])),
                )
            status.update(label=_("The report is ready."), state="complete", expanded=False)
        st.session_state[state.STEERING_REPORT] = (made_of, made)
    kept = st.session_state.get(state.STEERING_REPORT)
    if kept is not None and kept[0] == made_of:
        st.download_button(
            _("Download the report (PDF)"),
            data=kept[1],
            file_name=_("steering-group-report") + ".pdf",
            mime="application/pdf",
            key="overview:report_download",
            on_click="ignore",
        )
