"""The Log page's table: newest first, each actor as the person they are, and each change
as readable text ("weight: 5 → 7") instead of the JSON the log stores. The CSV download
keeps the stored values (``store.audit.to_csv``)."""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from store import access
from ui import data, labels, tables
from ui.i18n import _

# A change longer than this is cut, with "…": the CSV keeps it whole.
CHANGE_WIDTH = 400
ARROW = " → "

actor_names = data.cached(access.actor_names)


def value_text(value: Any) -> str:
    """One stored value as read on the page: numbers in the language's format, yes/no,
    lists and records written out, "–" for nothing."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, int | float):
        if float(value).is_integer():
            return labels.number(float(value), 0)
        return labels.number(float(value), 2).rstrip("0")
    if isinstance(value, list):
        return ", ".join(value_text(v) for v in value) or "–"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {value_text(v)}" for k, v in value.items()) or "–"
    return str(value)


def _parsed(stored: object) -> Any:
    """A stored JSON value, or the text itself where it is not JSON."""
    if stored is None or (isinstance(stored, float) and pd.isna(stored)):
        return None
    try:
        return json.loads(str(stored))
    except ValueError:
        return str(stored)


def change_text(old: object, new: object) -> str:
    """What an entry changed, from its stored old and new values: for records, each field
    that differs ("weight: 5 → 7"); otherwise "old → new", or the one value there is."""
    before, after = _parsed(old), _parsed(new)
    if isinstance(before, dict) and isinstance(after, dict):
        keys = [*before, *(k for k in after if k not in before)]
        parts = [
            f"{k}: {value_text(before.get(k))}{ARROW}{value_text(after.get(k))}"
            for k in keys
            if before.get(k) != after.get(k)
        ]
        text = "; ".join(parts)
    elif before is None:
        text = value_text(after)
    elif after is None:
        text = value_text(before) + ARROW + "–"
    else:
        text = value_text(before) + ARROW + value_text(after)
    return text if len(text) <= CHANGE_WIDTH else text[: CHANGE_WIDTH - 1] + "…"


def log_table(entries: pd.DataFrame, actors: dict[str, str]) -> pd.DataFrame:
    """Audit-log entries as the page shows them, newest first: who by name, what and the
    action translated, the change as text; hidden values marked."""
    newest = entries.sort_values("id", ascending=False, kind="stable")
    hidden = (
        newest["hidden"].fillna(False).astype(bool).tolist()
        if "hidden" in newest
        else [False] * len(newest)
    )
    marker = _(tables.HIDDEN_VALUE)
    changes = [
        marker if h else change_text(o, n)
        for o, n, h in zip(newest["old_value"], newest["new_value"], hidden, strict=True)
    ]
    reasons = [
        marker if h else ("" if r is None or pd.isna(r) else str(r))
        for r, h in zip(newest["reason"], hidden, strict=True)
    ]
    return pd.DataFrame(
        {
            _("No."): newest["id"].astype(int).to_numpy(),
            _("When"): newest["logged_at"].to_numpy(),
            _("Who"): [actors.get(a, a) for a in newest["actor"]],
            _("What"): [tables.entity_name(e) for e in newest["entity"]],
            _("Action"): [tables.action_name(a) for a in newest["action"]],
            _("Which"): newest["entity_id"].to_numpy(),
            _("Change"): changes,
            _("Reason"): reasons,
        }
    )
