"""bibvalg: choosing a library system together. The frame: page config, sidebar, navigation."""

from __future__ import annotations

import streamlit as st

from locales import DEFAULT_LANGUAGE, LANGUAGES
from ui import availability, data, identity, state, tables
from ui.i18n import _

st.set_page_config(page_title="bibvalg", page_icon=":material/local_library:", layout="wide")

st.session_state.setdefault(state.LANGUAGE, DEFAULT_LANGUAGE)
st.sidebar.selectbox(
    "Språk / Language",
    options=list(LANGUAGES),
    format_func=LANGUAGES.__getitem__,
    key=state.LANGUAGE,
)

pages = [
    st.Page(
        "pages/overview.py",
        title=_("Overview"),
        icon=":material/leaderboard:",
        url_path="oversikt",
        default=True,
    ),
    st.Page(
        "pages/requirements.py",
        title=_("Requirements"),
        icon=":material/checklist:",
        url_path="krav",
    ),
    st.Page("pages/weights.py", title=_("Weights"), icon=":material/tune:", url_path="vekter"),
    st.Page(
        "pages/vendors.py",
        title=_("Vendors"),
        icon=":material/storefront:",
        url_path="leverandorer",
    ),
    st.Page(
        "pages/evaluation.py",
        title=_("Evaluation"),
        icon=":material/rate_review:",
        url_path="evaluering",
    ),
    st.Page("pages/price.py", title=_("Price"), icon=":material/payments:", url_path="pris"),
    st.Page("pages/methods.py", title=_("Methods"), icon=":material/compare:", url_path="metoder"),
    st.Page(
        "pages/robustness.py",
        title=_("Robustness"),
        icon=":material/balance:",
        url_path="robusthet",
    ),
    st.Page("pages/log.py", title=_("Log"), icon=":material/history_edu:", url_path="logg"),
    st.Page("pages/setup.py", title=_("Setup"), icon=":material/settings:", url_path="oppsett"),
]
availability.require_database()
identity.choose_evaluator(tables.evaluator_names(data.evaluators(data.db_path())))
navigation = st.navigation(pages, expanded=True)
st.sidebar.caption(_("bibvalg – choosing a library system together"))
navigation.run()
