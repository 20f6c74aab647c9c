"""language-kit from the command line: the kit's files written into a folder, the records
readable by pymarc, the protocol in both languages; the database is not touched."""

from __future__ import annotations

import json

import pymarc

from tests.cli_run import run


def test_language_kit_writes_the_records_and_the_protocol(tmp_path, capsys):
    out = tmp_path / "kit"
    db = tmp_path / "ingen.duckdb"
    code, printed, err = run(capsys, "language-kit", str(out), "--db", str(db), "--json")
    assert code == 0, err
    made = json.loads(printed)
    assert sorted(made["files"]) == sorted(
        [
            "language-kit-records.mrc",
            "language-kit-records.xml",
            "language-kit-protocol-nb.xlsx",
            "language-kit-protocol-en.xlsx",
            "language-kit-protocol-nb.pdf",
            "language-kit-protocol-en.pdf",
        ]
    )
    for name, size in made["files"].items():
        assert (out / name).stat().st_size == size > 0
    records = list(
        pymarc.MARCReader((out / "language-kit-records.mrc").read_bytes(), to_unicode=True)
    )
    # 8 languages × (NFC, NFD, folded) and their sort records, Norwegian's 7 sort records.
    assert len(records) == made["records"] == 8 * 3 + (13 + 10 + 8 + 11 + 18 + 9 + 9 + 8) + 7
    assert (out / "language-kit-protocol-nb.pdf").read_bytes().startswith(b"%PDF")
    assert not db.exists()


def test_language_kit_is_quiet_when_asked(tmp_path, capsys):
    code, printed, err = run(capsys, "language-kit", str(tmp_path / "k"), "--quiet")
    assert (code, printed, err) == (0, "", "")
    assert (tmp_path / "k" / "language-kit-records.xml").exists()
