"""Freezing the evaluation model before the offers are opened.

The evaluation model is what decides the outcome: the award criteria, the categories, the
requirements (kind, weight, text), the published weight profile's weights, the score
scales and the price-model settings. Its fingerprint is the SHA-256 of its canonical JSON
(``scoring.fingerprint``). Freezing records that fingerprint and the time. After that,
every function that changes the model calls ``ensure_model_change_allowed`` first, which
refuses the change unless a reason is given, and ``record_model_change`` after it, which
adds the new fingerprint to the history and logs the change with its reason. The context
manager ``model_change`` does both.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb
import pandas as pd

from scoring.fingerprint import canonical_json, fingerprint, sha256_hex
from scoring.scales import model_scales
from store import audit
from store.db import retry_on_conflict, transaction
from store.errors import N_, ModelAlreadyFrozen, ModelFrozen

MODEL_FORMAT = 1
# Settings that belong to the model. Any key starting with "price_" does too, so price
# model parameters added later are covered without a change here.
MODEL_SETTING_KEYS = frozenset(
    {
        "price_model",
        "contract_years",
        "option_years",
        "published_profile",
        "quality_point_value_nok",  # pricing of quality: the value of one quality point
    }
)
MODEL_SETTING_PREFIX = "price_"
SCALES: dict[str, Any] = model_scales()
MODEL_ENTITY = "evaluation_model"


def is_model_setting(key: str) -> bool:
    """Whether a procurement setting is part of the evaluation model."""
    return key in MODEL_SETTING_KEYS or key.startswith(MODEL_SETTING_PREFIX)


def _records(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    frame = con.execute(sql).df()
    return [
        {k: (None if pd.isna(v) else v) for k, v in row.items()} for row in frame.to_dict("records")
    ]


def _retired_marked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        retired = bool(row.pop("retired", False))
        out.append({**row, "retired": True} if retired else row)
    return out


def model_snapshot(con: duckdb.DuckDBPyConnection) -> dict[str, Any]:
    """The evaluation model as a plain structure, ready to be fingerprinted.

    Display order is left out (reordering changes nothing in the evaluation); retired
    requirements are kept with their flag (retiring one is a change to the model).
    """
    settings = dict(con.execute("SELECT key, value FROM setting").fetchall())
    published = settings.get("published_profile", "")
    head = con.execute(
        "SELECT climate_justification FROM weight_profile WHERE name = ?", [published]
    ).fetchone()
    items = con.execute(
        "SELECT node_kind, node_id, weight FROM weight_profile_item WHERE profile_name = ?"
        " ORDER BY node_kind, node_id",
        [published],
    ).fetchall()
    schedule = _records(
        con,
        "SELECT id, kind, is_option, text_nb, text_en, mandatory, retired"
        " FROM price_line ORDER BY id",
    )
    return {
        "format": MODEL_FORMAT,
        # A retired criterion or category carries "retired": true; one in force carries no
        # such key, so the fingerprints recorded before retiring existed stay valid.
        "award_criteria": _retired_marked(
            _records(
                con,
                "SELECT id, name_nb, name_en, description_nb, description_en, retired"
                " FROM award_criterion ORDER BY id",
            )
        ),
        "categories": _retired_marked(
            _records(
                con,
                "SELECT id, criterion_id, name_nb, name_en, retired FROM category ORDER BY id",
            )
        ),
        "requirements": _records(
            con,
            "SELECT id, category_id, kind, weight, retired, text_nb, text_en"
            " FROM requirement ORDER BY id",
        ),
        "weights": {
            "profile": published,
            "criteria": {n: float(w) for k, n, w in items if k == "criterion"},
            "categories": {n: float(w) for k, n, w in items if k == "category"},
            "climate_justification": head[0] if head else "",
        },
        "scales": SCALES,
        # Only a tender with a price schedule carries it, so the fingerprints recorded
        # before the schedule existed stay valid.
        **({"price_schedule": schedule} if schedule else {}),
        "settings": {k: v for k, v in sorted(settings.items()) if is_model_setting(k)},
    }


def model_json(con: duckdb.DuckDBPyConnection) -> str:
    """The canonical JSON whose SHA-256 is the model's fingerprint."""
    return canonical_json(model_snapshot(con))


def current_fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """The fingerprint of the model as the database holds it now."""
    return fingerprint(model_snapshot(con))


@dataclass(frozen=True)
class Freeze:
    """When the model was frozen, by whom, with which fingerprint."""

    fingerprint: str
    frozen_at: datetime
    frozen_by: str
    reason: str


def frozen(con: duckdb.DuckDBPyConnection) -> Freeze | None:
    """The freeze, or None while the model is still open."""
    row = con.execute(
        "SELECT fingerprint, frozen_at, frozen_by, reason FROM model_freeze ORDER BY id LIMIT 1"
    ).fetchone()
    return Freeze(*row) if row else None


def ensure_model_change_allowed(con: duckdb.DuckDBPyConnection, reason: str) -> None:
    """Refuse a change to the evaluation model after the freeze unless a reason is given.

    Call it before changing anything that ``model_snapshot`` reads. Raises ModelFrozen.
    """
    freeze = frozen(con)
    if freeze is not None and not (reason or "").strip():
        raise ModelFrozen(
            N_(
                "The evaluation model was frozen on {date}. A change to it now needs a "
                "reason, which is logged."
            ),
            date=freeze.frozen_at.strftime("%Y-%m-%d %H:%M"),
        )


def _last_recorded(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute(
        "SELECT fingerprint FROM model_fingerprint ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return str(row[0]) if row else None


def record_model_change(con: duckdb.DuckDBPyConnection, *, actor: str, reason: str) -> str | None:
    """After a change inside the caller's transaction: if the model is frozen and its
    fingerprint moved, add the new fingerprint to the history and log it with the reason.

    Returns the new fingerprint, or None when there was nothing to record.
    """
    if frozen(con) is None:
        return None
    snapshot_json = model_json(con)
    new = sha256_hex(snapshot_json)
    old = _last_recorded(con)
    if new == old:
        return None
    ensure_model_change_allowed(con, reason)
    _add_fingerprint(con, "change", new, snapshot_json, actor=actor, reason=reason, old=old)
    return new


def _add_fingerprint(
    con: duckdb.DuckDBPyConnection,
    event: str,
    fingerprint: str,
    snapshot_json: str,
    *,
    actor: str,
    reason: str,
    old: str | None = None,
) -> None:
    """Log the model's fingerprint and add it to its history (``event``: the ``freeze``,
    or a ``change`` after it). Logged first: the log's check of who may change the model
    refuses before the history's sequence moves on (a sequence does not roll back)."""
    audit.record(
        con, actor=actor, action="freeze" if event == "freeze" else "change_after_freeze",
        entity=MODEL_ENTITY, entity_id="fingerprint",
        old=old, new=fingerprint, reason=reason.strip(),
    )  # fmt: skip
    con.execute(
        "INSERT INTO model_fingerprint (fingerprint, actor, event, reason, model_json)"
        " VALUES (?, ?, ?, ?, ?)",
        [fingerprint, actor, event, reason.strip(), snapshot_json],
    )


@contextmanager
def model_change(con: duckdb.DuckDBPyConnection, *, actor: str, reason: str) -> Iterator[None]:
    """Guard a change to the model inside the caller's transaction:

    ``with model_change(con, actor=actor, reason=reason): ...change...``
    """
    ensure_model_change_allowed(con, reason)
    yield
    record_model_change(con, actor=actor, reason=reason)


@retry_on_conflict
def freeze_model(con: duckdb.DuckDBPyConnection, *, actor: str, reason: str = "") -> str:
    """Freeze the evaluation model: record its fingerprint and the time. Once only."""

    with transaction(con):
        existing = frozen(con)
        if existing is not None:
            raise ModelAlreadyFrozen(
                N_("The evaluation model was frozen already, on {date}."),
                date=existing.frozen_at.strftime("%Y-%m-%d %H:%M"),
            )
        snapshot_json = model_json(con)
        value = sha256_hex(snapshot_json)
        next_id = con.execute("SELECT coalesce(max(id), 0) + 1 FROM model_freeze").fetchone()
        assert next_id is not None
        con.execute(
            "INSERT INTO model_freeze (id, fingerprint, frozen_by, reason) VALUES (?, ?, ?, ?)",
            [int(next_id[0]), value, actor, reason.strip()],
        )
        _add_fingerprint(con, "freeze", value, snapshot_json, actor=actor, reason=reason)
    return value


@dataclass(frozen=True)
class ModelStatus:
    """The model's fingerprint now, against the frozen one and the recorded history.

    state: 'open' (not frozen yet), 'matches' (as frozen), 'changed' (changed after the
    freeze, every change recorded with a reason), 'unrecorded' (the model differs from
    the last recorded fingerprint: changed outside bibvalg).
    """

    current: str
    freeze: Freeze | None
    last_recorded: str | None
    changes: int

    @property
    def state(self) -> str:
        if self.freeze is None:
            return "open"
        if self.current == self.freeze.fingerprint and self.current == self.last_recorded:
            return "matches"
        if self.current == self.last_recorded:
            return "changed"
        return "unrecorded"


def status(con: duckdb.DuckDBPyConnection) -> ModelStatus:
    """Where the model stands."""
    row = con.execute(
        "SELECT count(*) FILTER (WHERE event = 'change') FROM model_fingerprint"
    ).fetchone()
    return ModelStatus(
        current=current_fingerprint(con),
        freeze=frozen(con),
        last_recorded=_last_recorded(con),
        changes=int(row[0]) if row else 0,
    )


def history(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every recorded fingerprint, oldest first: the freeze, then each reasoned change."""
    return con.execute(
        "SELECT id, recorded_at, event, fingerprint, actor, reason FROM model_fingerprint"
        " ORDER BY id"
    ).df()


def recorded_model_json(con: duckdb.DuckDBPyConnection, history_id: int) -> str | None:
    """The canonical JSON recorded with one history row."""
    row = con.execute(
        "SELECT model_json FROM model_fingerprint WHERE id = ?", [history_id]
    ).fetchone()
    return str(row[0]) if row else None


# The log's entities whose entries change the evaluation model: the criterion tree, the
# requirements, the weights, the price schedule, the freeze and its recorded changes; and
# the settings that belong to the model (``is_model_setting``).
MODEL_ENTITIES = (
    MODEL_ENTITY,
    "catalogue",
    "award_criterion",
    "category",
    "requirement",
    "weight_profile",
    "price_line",
)


def model_changes(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The audit log's entries about the evaluation model, oldest first (the columns of
    ``audit.entries``): what the steering group's report lists."""
    table = audit.entries(con, where=audit.LogFilter(entities=(*MODEL_ENTITIES, "setting")))
    model_setting = table["entity_id"].map(lambda key: is_model_setting(str(key)))
    keep = (table["entity"] != "setting") | model_setting
    return table[keep].reset_index(drop=True)
