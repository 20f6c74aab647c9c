"""Every CLI command, scoring method and price model is documented in the README."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli import build_parser
from scoring.methods import METHODS
from scoring.price import PRICE_MODELS

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def commands() -> list[str]:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return list(sub.choices)  # type: ignore[union-attr]


@pytest.mark.parametrize("command", commands())
def test_every_cli_command_is_in_the_readme(command):
    assert f"python cli.py {command}" in README


@pytest.mark.parametrize("name", sorted(METHODS) + sorted(PRICE_MODELS))
def test_every_method_and_price_model_is_in_the_readme(name):
    assert f"`{name}`" in README


def test_the_readme_gives_the_two_commands():
    assert "make run" in README and "make test" in README
