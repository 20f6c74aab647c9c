"""Språk: what works in each offer for the Sámi languages, Kven, Finnish and Russian, the
language test kit to run in the vendors' demo systems, and its results."""

from __future__ import annotations

import streamlit as st

from tender_files import language_kit
from ui import data, labels, state, widgets
from ui.i18n import _
from ui.languages import matrix, reads
from ui.languages.results_form import result_form

path = data.db_path()
view = reads.language_view(path)
offer_names = labels.offer_labels(view.offers)

st.title(_("Languages"))
st.caption(
    _(
        "The county has special responsibility for Sámi and Kven library service, national "
        "responsibility for Finnish and funds Russian. This page shows what works in each "
        "offer for each of these languages, from the agreed scores of the LANG requirements "
        "and from the language test kit run in each vendor's demo system."
    )
)

# --- the test kit -----------------------------------------------------------------------
st.subheader(_("The language test kit"))
st.markdown(
    _(
        "MARC 21 test records (UTF-8 .mrc and MARCXML) with every special letter of each "
        "language in upper and lower case, each in NFC and NFD, with language codes (Kven "
        "through 041 $2 iso639-3), and the protocol of checks with their expected results "
        "(xlsx and PDF, Norwegian and English). Sort orders come from ICU collation; for "
        "Lule, South and Skolt Sámi and Kven, which ICU has no tailoring for, the protocol "
        "gives the order the working group agreed."
    )
)
st.download_button(
    _("Download the language test kit (zip)"),
    data=language_kit.kit_zip,
    file_name="bibvalg-language-kit.zip",
    mime="application/zip",
    icon=":material/download:",
)

if view.offers.empty:
    st.info(_("There are no offers yet: the matrix fills in as offers are registered."))
    st.stop()

# --- the matrix -------------------------------------------------------------------------
st.subheader(_("What works, language by language"))
names = matrix.language_names()
chosen = st.segmented_control(
    _("Language"),
    list(names),
    format_func=names.__getitem__,
    default=list(names)[0],
    key=state.LANGUAGES_MATRIX_LANGUAGE,
)
language: str = chosen or list(names)[0]
st.table(
    data.kept(
        lambda: matrix.language_table(view.matrix, language, offer_names),
        "languages_matrix",
        language,
    )
)
st.caption(
    _(
        "Each cell: ✅ works, 🟡 partly, ❌ fails, ❔ no evidence yet, – not asked; then where "
        "the evidence comes from: the agreed score (0–10) or assessment of each LANG "
        "requirement on that point, and the test kit's checks. A weighted requirement counts "
        "as working from {works} points and as partly working from {partly}."
    ).format(works=labels.number(7, 0), partly=labels.number(4, 0))
)
with st.expander(_("Every language at a glance")):
    widgets.kept_table(
        "languages_overview", lambda: matrix.overview_table(view.matrix, offer_names)
    )

# --- the language dimension alone ---------------------------------------------------------
st.subheader(_("The offers on the language dimension alone"))
st.markdown(
    _(
        "The bars compare the offers on languages only: the agreed points of the LANG "
        "requirements (weighted as within the category) beside the share of the test kit's "
        "checks passed, both on 0–10."
    )
)
chart_col, table_col = st.columns([3, 2])
with chart_col:
    widgets.kept_chart("languages_scores", lambda: matrix.score_figure(view.scores, offer_names))
with table_col:
    widgets.kept_table(
        "languages_score_table", lambda: matrix.score_table(view.scores, offer_names)
    )

# --- test results -------------------------------------------------------------------------
st.subheader(_("Record a test result"))
st.caption(
    _(
        "Run the protocol's checks in the vendor's demo system and record each result here: "
        "pass, fail, or a note on what was seen. Each save is logged with who and when."
    )
)
result_form(offer_names)
with st.expander(_("Recorded results ({count})").format(count=len(view.results)), expanded=False):
    widgets.kept_table("languages_results", lambda: matrix.results_table(view.results, offer_names))

# --- the ranking with the Sámi administrative area's weights --------------------------------
st.subheader(_("The ranking with the Sámi administrative area's weights"))
widgets.stop_if_prices_hidden()
ranked = reads.sami_area(path)
if ranked is None:
    st.info(
        _(
            "No ranking yet: it needs a library group for the Sámi administrative area with "
            "its weight profile, and every offer priced."
        )
    )
    st.stop()
profile, evaluation, inputs = ranked
st.markdown(matrix.sami_area_sentence(profile, evaluation, data.published(path), offer_names))
chart_col, table_col = st.columns([3, 2])
with chart_col:
    tree_names = data.kept(lambda: labels.tree_labels(inputs.tree), "languages_sami_labels")
    widgets.ranking_chart(evaluation, inputs, key="languages_sami_ranking", names=tree_names)
with table_col:
    widgets.ranking_table(evaluation, inputs, kept_as="languages_sami_table")
