"""Every entity and action the audit log records has one home, with a label in both
languages; a name with no home is refused before anything is written."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from locales import gettext_for
from store import audit, audit_names
from store.db import connect

ROOT = Path(__file__).resolve().parents[2]
NORWEGIAN = ROOT / "locales" / "nb" / "LC_MESSAGES" / "bibvalg.po"


def names_written_in_the_source() -> tuple[set[str], set[str]]:
    """The literal entity and action names passed as ``entity=`` and ``action=`` anywhere in
    bibvalg: to ``audit.record`` and to the helpers that hand them on to it (for a
    conditional like ``"create" if old is None else "update"``, both branches)."""
    entities: set[str] = set()
    actions: set[str] = set()
    for folder in ("store", "vendors", "analysis", "demo", "ui", "pages"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                for keyword in node.keywords:
                    found = {
                        n.value
                        for n in ast.walk(keyword.value)
                        if isinstance(n, ast.Constant) and isinstance(n.value, str)
                    }
                    if keyword.arg == "entity":
                        entities |= found
                    elif keyword.arg == "action":
                        actions |= found
    return entities, actions


def test_every_name_written_in_the_source_has_a_home():
    entities, actions = names_written_in_the_source()
    assert {"score", "requirement", "response", "catalogue"} <= entities
    assert {"create", "update", "import", "version", "submit"} <= actions
    assert entities <= set(audit_names.ENTITIES)
    assert actions <= set(audit_names.ACTIONS)


@pytest.mark.parametrize("label", [*audit_names.ENTITIES.values(), *audit_names.ACTIONS.values()])
def test_every_label_has_its_own_norwegian_text(label):
    with NORWEGIAN.open("rb") as handle:
        entry = read_po(handle, locale="nb").get(label)
    assert entry is not None and entry.string
    assert gettext_for("nb", label) == entry.string
    assert gettext_for("en", label) == label


def test_a_name_with_no_home_is_refused_and_nothing_is_written():
    con = connect(":memory:")
    before = con.execute("SELECT count(*) FROM audit_log").fetchone()
    with pytest.raises(ValueError, match="unknown audit-log entity"):
        audit.record(con, actor="t", action="create", entity="scroe")
    with pytest.raises(ValueError, match="unknown audit-log action"):
        audit.record(con, actor="t", action="delete", entity="score")
    assert con.execute("SELECT count(*) FROM audit_log").fetchone() == before
