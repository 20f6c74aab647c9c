"""The language test kit's results beside a LANG requirement, where evaluators score it and
where the consensus meeting agrees on it: one line of evidence per offer."""

from __future__ import annotations

import functools
from collections.abc import Mapping

import streamlit as st

from analysis import language_matrix as lm
from store import language_results
from tender_files.language_kit import protocol
from ui import data
from ui.i18n import _
from ui.text import plain


@functools.cache
def requirement_checks(requirement: str) -> tuple[str, ...]:
    """The ids of the kit's checks that bear on a requirement (through the aspects the
    matrix links it to), in protocol order."""
    pairs = {
        (language, kind)
        for aspect, by_language in lm.REQUIREMENTS.items()
        for language, ids in by_language.items()
        if requirement in ids
        for kind in lm.KINDS[aspect]
    }
    return tuple(c.id for c in protocol.checks() if (c.language, c.kind) in pairs)


results = data.cached(language_results.results)


Recorded = Mapping[str, Mapping[str, tuple[str, str]]]  # offer -> check -> (outcome, note)


def _recorded(path: str) -> Recorded:
    """The kit's results as offer -> check id -> (outcome, note), built once per data
    version."""

    def build() -> Recorded:
        out: dict[str, dict[str, tuple[str, str]]] = {}
        for row in results(path).to_dict("records"):
            out.setdefault(str(row["offer_id"]), {})[str(row["check_id"])] = (
                str(row["outcome"]),
                str(row["note"] or ""),
            )
        return out

    return data.kept(build, "language-evidence", path=path)


def evidence_line(requirement: str, offer: str, recorded: Recorded) -> str | None:
    """What the kit showed for an offer on a requirement's checks, in words; None where no
    check bears on the requirement."""
    ids = requirement_checks(requirement)
    if not ids:
        return None
    mine = recorded.get(offer, {})
    own = [(check, *mine[check]) for check in ids if check in mine]
    outcomes = [outcome for _check, outcome, _note in own]
    line = _(
        "Language test kit: {passed} of {count} checks passed, {failed} failed, {notes} noted."
    ).format(
        passed=outcomes.count(language_results.PASS),
        failed=outcomes.count(language_results.FAIL),
        notes=outcomes.count(language_results.NOTE),
        count=len(ids),
    )
    failed = [(check, note) for check, outcome, note in own if outcome != language_results.PASS]
    if failed:
        line += " " + "; ".join(f"{check}: {note}" if note else check for check, note in failed)
    return line


def show(path: str, requirement: str, offer: str) -> None:
    """The evidence line as a caption, where the kit has checks for the requirement."""
    if not requirement_checks(requirement):
        return
    line = evidence_line(requirement, offer, _recorded(path))
    if line is not None:
        st.caption(":material/translate: " + plain(line))


def show_all(path: str, requirement: str, offer_names: Mapping[str, str]) -> None:
    """Every offer's evidence line, where the kit has checks for the requirement."""
    if not requirement_checks(requirement):
        return
    recorded = _recorded(path)
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
