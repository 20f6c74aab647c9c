"""The price schedule (prisskjema): the lines every vendor prices, edited and saved."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from store import criteria, freeze, price_schedule
from ui.i18n import _
from ui.setup.catalogue import table_editor
from ui.setup.common import read


def _save(cur: Any, edited: pd.DataFrame, *, actor: str, reason: str) -> Any:
    changes = price_schedule.save_schedule(cur, edited, actor=actor, reason=reason)
    return criteria.ModelSaveResult(price_lines=changes)


def _config() -> dict[str, Any]:
    kinds = {"one_time": _("one-time"), "yearly": _("yearly")}
    return {
        "id": st.column_config.TextColumn(_("Id"), required=True, max_chars=40, width="small"),
        "kind": st.column_config.SelectboxColumn(
            _("Type"),
            options=list(kinds),
            required=True,
            default="one_time",
            format_func=lambda kind: kinds.get(str(kind), str(kind)),
        ),
        "is_option": st.column_config.CheckboxColumn(
            _("Option"), default=False, help=_("Shown apart from the total and not scored")
        ),
        "text_nb": st.column_config.TextColumn(_("Text (Norwegian)"), required=True, width="large"),
        "text_en": st.column_config.TextColumn(_("Text (English)"), required=True, width="large"),
        "mandatory": st.column_config.CheckboxColumn(
            _("Mandatory"), default=True, help=_("Every vendor must give an amount")
        ),
        "retired": st.column_config.CheckboxColumn(_("Retired"), default=False),
    }


def price_schedule_section() -> None:
    """The tab "Price schedule" of the Oppsett page."""
    frozen = read(freeze.frozen) is not None
    st.subheader(_("Price schedule"))
    st.caption(
        _(
            "The lines every vendor prices, in NOK excluding VAT, on a sheet of the "
            "requirement specification beside the requirements. A line is one-time or yearly "
            "(yearly amounts count once for every contract year); an option is shown apart "
            "and not scored. A vendor must give an amount on every mandatory line. Add a line "
            "in the empty row at the bottom; nothing is deleted (tick Retired). Nothing is "
            "stored until you press Save."
        )
    )
    saved = read(price_schedule.editable).astype(
        {"is_option": "bool", "mandatory": "bool", "retired": "bool"}
    )
    table_editor("price_lines", saved, _config(), _save, frozen)
