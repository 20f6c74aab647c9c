"""The language test kit's results beside a LANG requirement, where evaluators score it and
where the consensus meeting agrees on it: one line of evidence per offer."""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd
import streamlit as st

from analysis import language_matrix as lm
from store import language_results
from tender_files.language_kit import protocol
from ui import data
from ui.i18n import _
from ui.text import plain


def requirement_checks(requirement: str) -> list[str]:
    """The ids of the kit's checks that bear on a requirement (through the aspects the
    matrix links it to), in protocol order."""
    pairs = {
        (language, kind)
        for aspect, by_language in lm.REQUIREMENTS.items()
        for language, ids in by_language.items()
        if requirement in ids
        for kind in lm.KINDS[aspect]
    }
    return [c.id for c in protocol.checks() if (c.language, c.kind) in pairs]


def _results(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return language_results.results(con)


results = data.cached(_results)


def evidence_line(requirement: str, offer: str, recorded: pd.DataFrame) -> str | None:
    """What the kit showed for an offer on a requirement's checks, in words; None where no
    check bears on the requirement."""
    ids = requirement_checks(requirement)
    if not ids:
        return None
    own = recorded[(recorded["offer_id"] == offer) & recorded["check_id"].isin(ids)]
    outcomes = own["outcome"].tolist()
    line = _(
        "Language test kit: {passed} of {count} checks passed, {failed} failed, {notes} noted."
    ).format(
        passed=outcomes.count(language_results.PASS),
        failed=outcomes.count(language_results.FAIL),
        notes=outcomes.count(language_results.NOTE),
        count=len(ids),
    )
    failed = own[own["outcome"] != language_results.PASS]
    if not failed.empty:
        line += " " + "; ".join(
            f"{r['check_id']}: {r['note']}" if r["note"] else str(r["check_id"])
            for r in failed.to_dict("records")
        )
    return line


def show(path: str, requirement: str, offer: str) -> None:
    """The evidence line as a caption, where the kit has checks for the requirement."""
    line = evidence_line(requirement, offer, results(path))
    if line is not None:
        st.caption(":material/translate: " + plain(line))


def show_all(path: str, requirement: str, offer_names: Mapping[str, str]) -> None:
    """Every offer's evidence line, where the kit has checks for the requirement."""
    recorded = results(path)
    lines = [(o, evidence_line(requirement, o, recorded)) for o in offer_names]
    if any(line is not None for _o, line in lines):
        with st.expander(
            _("Language test kit results for {requirement}").format(requirement=requirement)
        ):
            st.markdown(
                "\n".join(
                    f"- **{plain(offer_names[o])}**: {plain(line or '')}" for o, line in lines
                )
            )
