"""The arrows point one way: scoring/ is pure; store/, vendors/, analysis/ and demo/ never
import Streamlit; the store knows nothing of vendors' files or the pages."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def imported_modules(package: str) -> set[str]:
    names: set[str] = set()
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize(
    "package", ["scoring", "store", "vendors", "tender_files", "analysis", "demo"]
)
def test_no_streamlit_in_the_source(package):
    assert "streamlit" not in imported_modules(package)


def test_scoring_does_no_database_io():
    assert not {"duckdb", "store", "vendors", "analysis", "demo", "ui"} & imported_modules(
        "scoring"
    )


def test_the_store_does_not_reach_up():
    assert not {
        "vendors",
        "tender_files",
        "analysis",
        "ui",
        "pages",
    } & imported_modules("store")


def test_importing_every_module_does_not_load_streamlit():
    modules = [
        ".".join(p.relative_to(ROOT).with_suffix("").parts)
        for package in ("scoring", "store", "vendors", "tender_files", "analysis", "demo")
        for p in (ROOT / package).rglob("*.py")
    ]
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print('streamlit' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
