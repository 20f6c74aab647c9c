"""The overview's own pieces: how firm the winner is, and the steering group's report to
make and download."""

from __future__ import annotations

import streamlit as st

from scoring.procurement import ProcurementInputs
from tender_files import steering_report
from ui import data, identity, labels, state
from ui.i18n import N_, _, current_language
from ui.robustness import run_caption

# What the status box says while the report is made (``steering_report.make``'s steps).
REPORT_STEPS = {
    "gather": N_("Ranking, SMAA and the library groups' views…"),
    "charts": N_("Drawing the charts…"),
    "pdf": N_("Typesetting the PDF…"),
}


def winner_sentence(path: str, profile: str, inputs: ProcurementInputs, winner: str) -> None:
    """ "Nordlys wins in 57 % of plausible weightings", from a cached default SMAA run."""
    result = data.smaa_run(path, profile)
    if winner not in result.alternatives:
        return
    names = labels.offer_labels(inputs.offers)
    st.markdown(
        _("**{vendor}** wins in **{share} %** of plausible weightings.").format(
            vendor=names.get(winner, winner),
            share=labels.number(100 * result.first_rank(winner), 0),
        )
    )
    st.caption(run_caption(result) + " " + _("More on the Robustness page."))


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
