"""The award and the vendors' files on the command line: ``award`` (refused without a trace,
recorded, withdrawn) and ``export-letters`` (after the award only, one folder per vendor,
the standstill period from the setting)."""

from __future__ import annotations

import json

from tests.cli_run import run
from tests.dbdump import dump_file
from tests.vendors.award_exports import docx_text


def test_an_award_is_refused_without_a_trace_then_recorded_and_withdrawn(demo_db, capsys):
    before = dump_file(demo_db)
    for argv in (
        ("award", "tindra-1"),
        ("award", "tindra-1", "--reason", "   "),
        ("award", "lanternfield-1", "--reason", "Billigst"),
        ("award", "ingen-1", "--reason", "Fordi"),
        ("award", "--withdraw", "--reason", "Ingen tildeling å trekke"),
    ):
        code, out, err = run(capsys, *argv)
        assert (code, out) == (2, ""), argv
        assert err.startswith("error: ") and len(err.splitlines()) == 1, err
    assert dump_file(demo_db) == before
    code, out, _ = run(capsys, "award", "tindra-1", "--reason", "Best på samisk", "--json")
    assert code == 0
    document = json.loads(out)
    assert (document["offer"], document["leader"], document["chose_leader"]) == (
        "tindra-1",
        "nordlys-1",
        False,
    )
    code, out, _ = run(capsys, "award", "--withdraw", "--reason", "Feil i protokollen")
    assert (code, out) == (0, "The award is withdrawn.\n")


def test_the_letters_come_after_the_award_one_folder_per_vendor(demo_db, tmp_path, capsys):
    code, _, err = run(capsys, "export-letters", "--out", str(tmp_path / "before"))
    assert code == 2 and "No award is recorded" in err
    assert not (tmp_path / "before").exists()
    assert run(capsys, "award", "nordlys-1", "--reason", "Først i rangeringen")[0] == 0
    assert run(capsys, "setting", "standstill_days", "14")[0] == 0
    code, out, _ = run(
        capsys,
        *("export-letters", "--out", str(tmp_path / "out"), "--sent", "2026-12-18", "--json"),
    )
    assert code == 0
    vendors = json.loads(out)["vendors"]
    assert sorted(vendors) == ["cuovga", "fjellbok", "lanternfield", "nordlys", "tindra"]
    assert all(len(files) == 4 for files in vendors.values())
    letter = docx_text((tmp_path / "out" / "fjellbok" / "fjellbok-award-letter.docx").read_bytes())
    assert "karensperioden på 14 dager" in letter
    assert "til og med 1. januar 2027" in letter  # 18 December + 14 days
    code, _, err = run(capsys, "export-letters", "--out", str(tmp_path), "--sent", "18.12.2026")
    assert code == 2 and "YYYY-MM-DD" in err
