"""export-report, in process through ``cli.main``: the steering group's report written as a
PDF (without Chromium here, so quickly; the charts are tested with the report itself)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from cli import build_parser
from tender_files import chart_images
from tests.cli_run import run


def test_help_lists_export_report():
    assert "export-report" in build_parser().format_help()


def test_export_report_writes_the_pdf(demo_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(chart_images, "CHROMIUM", Path("/nonexistent/chromium"))
    out = tmp_path / "rapport" / "styringsgruppe.pdf"
    status, stdout, stderr = run(capsys, "export-report", str(out), "--lang", "en", "--json")
    assert status == 0, stderr
    summary = json.loads(stdout)
    assert summary["file"] == str(out)
    assert (summary["samples"], summary["seed"], summary["charts"]) == (10_000, 1, False)
    assert summary["bytes"] == out.stat().st_size
    made = out.read_bytes()
    assert made.startswith(b"%PDF-") and b"pdfuaid:part>1<" in made
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian: poppler-utils)")
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Report for the steering group" in text
    assert "Method comparison" in text


def test_export_report_refuses_an_unknown_language(demo_db, tmp_path, capsys):
    status, stdout, stderr = run(capsys, "export-report", str(tmp_path / "r.pdf"), "--lang", "se")
    assert status == 2
    assert stdout == "" and "se" in stderr
    assert not (tmp_path / "r.pdf").exists()
