"""The price schedule (prisskjema): the lines every vendor prices, defined by the working
group. Each line is one-time or yearly, part of the offer or an option, mandatory or not,
with a text in Norwegian and English. The vendors' workbooks carry the schedule as a sheet
of its own, and the amounts come back with the answers (``vendors.responses``).

The schedule is part of the evaluation model: after the freeze a change needs a reason, and
the model's fingerprint moves with it.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from store import audit, db, freeze
from store.catalogue import MAX_TEXT_LENGTH, Change, flag, id_problems, nfc, row_changes
from store.errors import N_
from store.problems import PriceScheduleInvalid, Problem

KINDS = ("one_time", "yearly")
KIND_LABELS = {"one_time": N_("one-time"), "yearly": N_("yearly")}
COLUMNS = ("id", "kind", "is_option", "text_nb", "text_en", "mandatory", "retired")
TEXTS = ("id", "kind", "text_nb", "text_en")
FLAGS = ("is_option", "mandatory", "retired")
MISSING_ID = N_("The price line has no id.")


def lines(con: duckdb.DuckDBPyConnection, *, include_retired: bool = False) -> pd.DataFrame:
    """The schedule's lines in their order: id, kind, is_option, text_nb, text_en,
    mandatory, retired."""
    where = "" if include_retired else " WHERE NOT retired"
    return con.execute(
        f"SELECT {', '.join(COLUMNS)} FROM price_line{where} ORDER BY sort_order, id"
    ).df()


def editable(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every line, retired ones too, numbered from 1 as the problems number them."""
    frame = lines(con, include_retired=True)
    return frame.set_axis(pd.RangeIndex(1, len(frame) + 1))


def normalise(edited: pd.DataFrame) -> pd.DataFrame:
    """The edit as plain values: texts in NFC and trimmed, flags as bool (an empty flag is
    false; a table without the column "retired" retires nothing)."""
    if "retired" not in edited.columns:
        edited = edited.assign(retired=False)
    missing = [c for c in COLUMNS if c not in edited.columns]
    if missing:
        raise ValueError(f"the edited price schedule lacks the columns {missing}")
    return pd.DataFrame(
        {
            **{c: [nfc(v) for v in edited[c].tolist()] for c in TEXTS},
            **{c: [flag(v) for v in edited[c].tolist()] for c in FLAGS},
        },
        columns=list(COLUMNS),
    )


def validate(before: pd.DataFrame, after: pd.DataFrame) -> list[Problem]:
    """Problems with an edit (``after`` normalised); rows numbered from 1."""
    problems: list[Problem] = []
    first_row: dict[str, int] = {}
    for number, row in enumerate(after.to_dict("records"), start=1):
        problems += id_problems(row["id"], number, first_row, MISSING_ID)
        if row["kind"] not in KINDS:
            problems.append(
                Problem(
                    N_("A price line is one-time (one_time) or yearly (yearly), not “{kind}”."),
                    {"kind": row["kind"]},
                    row=number,
                    column="kind",
                )
            )
        for column in ("text_nb", "text_en"):
            if not row[column]:
                problems.append(
                    Problem(N_("The price line needs a text."), row=number, column=column)
                )
            elif len(row[column]) > MAX_TEXT_LENGTH:
                problems.append(
                    Problem(
                        N_("The text is longer than {limit} characters."),
                        {"limit": MAX_TEXT_LENGTH},
                        row=number,
                        column=column,
                    )
                )
    kept = set(after["id"])
    for rid in before["id"]:
        if rid not in kept:
            problems.append(
                Problem(
                    N_("The price line {id} was removed; retire it instead."),
                    {"id": rid},
                    column="id",
                )
            )
    return problems


def diff(before: pd.DataFrame, after: pd.DataFrame) -> list[Change]:
    """The price lines added or changed from ``before`` to a valid, normalised ``after``, in
    the order of after."""
    return row_changes(before, after, COLUMNS, _plain)


def _plain(row: dict[str, Any]) -> dict[str, Any]:
    return {c: (bool(row[c]) if c in FLAGS else str(row[c])) for c in COLUMNS}


def check(con: duckdb.DuckDBPyConnection, edited: pd.DataFrame) -> list[Problem]:
    """Every problem ``save_schedule`` would find with this edit now; writes nothing."""
    return validate(editable(con), normalise(edited))


def write_schedule(
    con: duckdb.DuckDBPyConnection, edited: pd.DataFrame, *, actor: str, reason: str = ""
) -> list[Change]:
    """``save_schedule`` inside the caller's transaction."""
    before = editable(con)
    after = normalise(edited)
    problems = validate(before, after)
    if problems:
        raise PriceScheduleInvalid(
            N_("The price schedule was not saved: {count} problem(s) to fix."), problems
        )
    changes = diff(before, after)
    if not changes:
        return []
    freeze.ensure_model_change_allowed(con, reason)
    order = {rid: n for n, rid in enumerate(after["id"])}
    for change in changes:
        new = change.new
        values = [new[c] for c in COLUMNS[1:]]
        if change.old is None:
            con.execute(
                f"INSERT INTO price_line ({', '.join(COLUMNS)}, sort_order)"
                f" VALUES ({', '.join('?' * (len(COLUMNS) + 1))})",
                [new["id"], *values, order[new["id"]]],
            )
        else:
            assignments = ", ".join(f"{c} = ?" for c in COLUMNS[1:])
            con.execute(
                f"UPDATE price_line SET {assignments}, sort_order = ? WHERE id = ?",
                [*values, order[new["id"]], new["id"]],
            )
        audit.record(
            con, actor=actor, action=change.action, entity="price_line", entity_id=change.line_id,
            old=change.old, new=new, reason=reason,
        )  # fmt: skip
    freeze.record_model_change(con, actor=actor, reason=reason)
    return changes


@db.retry_on_conflict
def save_schedule(
    con: duckdb.DuckDBPyConnection, edited: pd.DataFrame, *, actor: str, reason: str = ""
) -> list[Change]:
    """Save an edited price schedule: every line (``COLUMNS``), as ``editable`` returns
    them with changes made and rows added; none may be left out (retire it instead). On
    any problem nothing is written and ``PriceScheduleInvalid`` lists them all; otherwise
    every added or changed line is written and logged in one transaction. After the freeze
    a change needs a reason (``ModelFrozen``)."""
    with db.transaction(con):
        return write_schedule(con, edited, actor=actor, reason=reason)
