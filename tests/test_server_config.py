"""The app server's settings: the upload limit the page states, localhost only while there
is no sign-in, and no tracebacks shown to users."""

from __future__ import annotations

import tomllib
from pathlib import Path

from streamlit import config as st_config

from ui.workbooks import UPLOAD_LIMIT_MB
from vendors.response_reader import Limits

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


def _settings() -> dict[str, dict[str, object]]:
    with CONFIG.open("rb") as handle:
        return tomllib.load(handle)


def test_every_setting_is_an_option_of_the_installed_streamlit():
    options = st_config.get_config_options()
    for section, values in _settings().items():
        for name in values:
            assert f"{section}.{name}" in options, f"{section}.{name}"


def test_the_server_refuses_uploads_over_the_stated_limit():
    server = _settings()["server"]
    assert server["maxUploadSize"] == 10
    assert server["maxUploadSize"] == UPLOAD_LIMIT_MB
    assert Limits().max_file_bytes == 10 * 1024 * 1024


def test_the_app_listens_on_this_machine_only():
    assert _settings()["server"]["address"] == "localhost"


def test_users_see_no_tracebacks():
    assert _settings()["client"]["showErrorDetails"] == "none"
