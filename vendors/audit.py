"""The append-only audit log: who changed what, when, from what to what, and why.

Only ``record`` writes to it, and only by INSERT; nothing in bibvalg updates or deletes
an entry.
"""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pandas as pd

SYSTEM_ACTOR = "system"


def _as_json(value: Any) -> str | None:
    if value is None:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(
    con: duckdb.DuckDBPyConnection,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: str = "",
    old: Any = None,
    new: Any = None,
    reason: str = "",
) -> None:
    """Append one entry. Old and new values are stored as JSON."""
    con.execute(
        "INSERT INTO audit_log (actor, action, entity, entity_id, old_value, new_value, reason)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [actor, action, entity, entity_id, _as_json(old), _as_json(new), reason],
    )


def entries(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every entry, oldest first."""
    return con.execute("SELECT * FROM audit_log ORDER BY id").df()
