"""Logg: read the audit log, filter it by who, what and when, and download it as CSV."""

from __future__ import annotations

import streamlit as st

from store.audit import LogFilter, to_csv
from ui import data, identity, numbers, state, tables, widgets
from ui import log as log_view
from ui.i18n import _, ngettext

LOG_TABLE_HEIGHT = 640  # pixels: about eighteen rows

path = data.db_path()
st.title(_("Log"))
st.caption(
    _(
        "Every change made in bibvalg, with who made it, when, the old and the new value and "
        "the reason. Entries can only be added: nothing here, nor anywhere else in bibvalg, "
        "can change or delete one. Values an evaluator has not yet submitted are hidden from "
        "everyone else."
    )
)

report = data.audit_verification(path)
if report.entries == 0 and report.intact:
    st.info(_("The log is empty: nothing has been changed yet."))
elif report.intact:
    st.success(
        ngettext(
            "Log intact: {count} entry checked against its hash chain.",
            "Log intact: all {count} entries checked against their hash chain.",
            report.sealed,
        ).format(count=report.sealed),
        icon=":material/verified:",
    )
else:
    st.error(
        _("The log has been changed outside bibvalg:")
        + "\n\n"
        + "\n".join(f"- {tables.chain_problem(p.entry_id, p.kind)}" for p in report.problems),
        icon=":material/gpp_bad:",
    )
if report.before_chain:
    st.caption(
        ngettext(
            "{count} entry from before the hash chain existed cannot be checked.",
            "{count} entries from before the hash chain existed cannot be checked.",
            report.before_chain,
        ).format(count=report.before_chain)
    )
if report.current is not None:
    st.markdown(
        _(
            "**Write this anchor in the minutes of every meeting.** It is the hash the "
            "chain ends in, how many entries the log holds and when the newest was "
            "written. Checked later against it (`python cli.py audit --verify --anchor "
            "HASH:COUNT`), the log shows whether entries were removed from the end or the "
            "whole chain rewritten, which no check inside the database can tell."
        )
    )
    st.code(report.current.line, language=None)

choices = data.audit_choices(path)
actor_names = log_view.actor_names(path)
who, what, when_from, when_to, text = st.columns([2, 2, 1.3, 1.3, 2])
actors = who.multiselect(
    _("Who"),
    choices["actor"],
    key=state.LOG_ACTORS,
    format_func=lambda actor: actor_names.get(actor, actor),
    placeholder=_("Everyone"),
)
entities = what.multiselect(
    _("What"),
    choices["entity"],
    key=state.LOG_ENTITIES,
    format_func={e: tables.entity_name(e) for e in choices["entity"]}.__getitem__,
    placeholder=_("Everything"),
)
since = when_from.date_input(
    _("From"), value=None, key=state.LOG_DATES + ":from", format="DD.MM.YYYY"
)
until = when_to.date_input(_("To"), value=None, key=state.LOG_DATES + ":to", format="DD.MM.YYYY")
search = text.text_input(_("Search"), key=state.LOG_TEXT)

where = LogFilter(
    actors=tuple(actors), entities=tuple(entities), since=since, until=until, text=search
)
hide_prices = identity.prices_hidden()
if hide_prices:
    st.caption(_("The entries with the vendors' prices are left out until you have submitted."))
entries = data.audit_entries(
    path, viewer=identity.current_viewer(), where=where, hide_prices=hide_prices
)
# The whole log, as most visits show it, is shaped once per data version; a filtered view
# is shaped at each run (kept, every filter and search text would fill the shared cache).
viewer = identity.current_viewer()
shaped = (
    data.kept(lambda: log_view.log_table(entries, actor_names), "log_table", viewer, hide_prices)
    if where == LogFilter()
    else log_view.log_table(entries, actor_names)
)
st.dataframe(
    shaped,
    hide_index=True,
    placeholder=numbers.EMPTY,
    width="stretch",
    height=LOG_TABLE_HEIGHT,
    column_config=widgets.explained(
        {
            _("No."): _("The entry's number: newest first."),
            _("When"): _("When the change was made."),
            _("Who"): _("Who made the change."),
            _("What"): _("What kind of thing was changed."),
            _("Action"): _("What was done to it."),
            _("Which"): _("Which one it was (its id)."),
            _("Change"): _("What changed: each field as it was → as it became."),
            _("Reason"): _("The reason given for the change."),
        }
    )
    | {
        _("When"): st.column_config.DatetimeColumn(
            format="DD.MM.YYYY HH:mm:ss", help=_("When the change was made.")
        )
    },
)
st.download_button(
    ngettext(
        "Download {count} entry as CSV", "Download {count} entries as CSV", len(entries)
    ).format(count=len(entries)),
    data=lambda: to_csv(entries),
    file_name="bibvalg-logg.csv",
    mime="text/csv",
    key="log:download",
    icon=":material/download:",
)
