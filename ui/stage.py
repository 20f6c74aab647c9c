"""Where the work stands, as a row of steps on the overview: what is done, what is missing
and who is behind (each evaluator's progress as counts only)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis.stage import STEP_NAMES, Stage
from ui import data, widgets
from ui.i18n import _


def current_stage() -> Stage:
    return data.stage(data.db_path())


def stage_row(where: Stage) -> None:
    """The steps side by side; under each, what it still lacks."""
    st.subheader(_("Where the work stands"))
    current = where.current
    columns = st.columns(len(where.steps))
    for column, step in zip(columns, where.steps, strict=True):
        mark = "✓" if step.done else ("→" if current and step.key == current.key else "○")
        column.markdown(f"**{mark} {_(STEP_NAMES[step.key])}**")
        for missing in step.missing[:4]:
            column.caption(_(missing.message).format(**missing.params))
        if len(step.missing) > 4:
            column.caption(_("… and {count} more").format(count=len(step.missing) - 4))
    if current is not None:
        st.info(
            _("Next step: {step}.").format(step=_(STEP_NAMES[current.key])),
            icon=":material/flag:",
        )
    if where.evaluators:
        with st.expander(_("Each evaluator's progress (counts only)")):
            widgets.table(
                pd.DataFrame(
                    {
                        _("Evaluator"): [p.evaluator_id for p in where.evaluators],
                        _("Done"): [p.done for p in where.evaluators],
                        _("Of"): [p.total for p in where.evaluators],
                        _("Submitted"): [p.submitted for p in where.evaluators],
                    }
                ),
                widgets.explained(
                    {
                        _("Evaluator"): _("The evaluator's id."),
                        _("Done"): _("Scores and assessments given with a reason."),
                        _("Of"): _(
                            "Scores and assessments to give: every offer × every requirement."
                        ),
                        _("Submitted"): _(
                            "Whether the evaluator has submitted and so can no longer change."
                        ),
                    }
                ),
            )
