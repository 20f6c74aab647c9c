"""bibvalg: choosing a library system together. The frame: page config, sign-in, sidebar,
navigation, and the banner of local mode."""

from __future__ import annotations

import streamlit as st

from locales import LANGUAGES
from ui import accessibility, availability, data, i18n, identity, state
from ui.i18n import _

st.set_page_config(page_title="bibvalg", page_icon=":material/local_library:", layout="wide")

# The language lives in the address too (?lang=en), so a reload or a link keeps it.
st.session_state.setdefault(state.LANGUAGE, i18n.language_of_address(st.query_params))
st.sidebar.selectbox(
    "Språk / Language",
    options=list(LANGUAGES),
    format_func=LANGUAGES.__getitem__,
    key=state.LANGUAGE,
)
if st.query_params.get(i18n.LANGUAGE_PARAMETER) != st.session_state[state.LANGUAGE]:
    st.query_params[i18n.LANGUAGE_PARAMETER] = st.session_state[state.LANGUAGE]
accessibility.frame(st.session_state[state.LANGUAGE])

# Each page: its file under pages/, title, Material icon and address; the first is the start.
PAGES = [
    ("overview", _("Overview"), "leaderboard", "oversikt"),
    ("requirements", _("Requirements"), "checklist", "krav"),
    ("library_input", _("Input"), "forum", "innspill"),
    ("weights", _("Weights"), "tune", "vekter"),
    ("vendors", _("Vendors"), "storefront", "leverandorer"),
    ("evaluation", _("Evaluation"), "rate_review", "evaluering"),
    ("price", _("Price"), "payments", "pris"),
    ("methods", _("Methods"), "compare", "metoder"),
    ("robustness", _("Robustness"), "balance", "robusthet"),
    ("libraries", _("Libraries"), "local_library", "bibliotek"),
    ("languages", _("Languages"), "translate", "sprak"),
    ("export", _("Export"), "outbox", "eksport"),
    ("log", _("Log"), "history_edu", "logg"),
    ("setup", _("Setup"), "settings", "oppsett"),
]
availability.require_database()
identity.gate()
identity.choose_evaluator(data.evaluator_names(data.db_path()))
# An observer reads the rankings only; Setup is for those who may set up the tender (the
# working group and admins; anyone in local mode). The store refuses the rest anyway.
RANKING_PAGES = {"overview", "methods", "robustness"}
rankings_only = identity.reads_rankings_only()
may_set_up = identity.may_change("tender")
pages = [
    st.Page(
        f"pages/{name}.py",
        title=title,
        icon=f":material/{icon}:",
        url_path=address,
        default=number == 0,
    )
    for number, (name, title, icon, address) in enumerate(PAGES)
    if (name in RANKING_PAGES or not rankings_only) and (name != "setup" or may_set_up)
]
navigation = st.navigation(pages, expanded=True)
# Each page is titled with its own name (the browser's tab, history and screen readers).
st.set_page_config(page_title=f"{navigation.title} · bibvalg")
st.sidebar.caption(_("bibvalg – choosing a library system together"))
identity.banner()
navigation.run()
