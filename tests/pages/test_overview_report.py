"""The steering group's report on Oversikt: offered in local mode, made on request and then
downloadable; offered to the steering group, not to an observer."""

from __future__ import annotations

from pathlib import Path

from tender_files import chart_images
from tests.pages.test_identity import OBSERVER, STEERING, app, opened, people
from tests.pages.test_pages import open_page


def _buttons(at) -> list[str]:
    return [b.label for b in at.button]


def test_local_mode_makes_the_report_and_offers_the_download(read_only_demo_db, monkeypatch):
    monkeypatch.setattr(chart_images, "CHROMIUM", Path("/nonexistent/chromium"))
    at = open_page("pages/overview.py", "en")
    assert "Report for the steering group" in [h.value for h in at.subheader]
    assert "Make the report" in _buttons(at)
    assert not at.get("download_button")
    at.button(key="overview:make_report").click().run(timeout=300)
    assert not at.exception, [e.value for e in at.exception]
    downloads = at.get("download_button")
    assert len(downloads) == 1
    assert downloads[0].proto.label == "Download the report (PDF)"


def test_the_steering_group_is_offered_the_report_and_an_observer_is_not(demo_db):
    people(demo_db)  # the observer among them
    steering = opened(app(signed_in_as=STEERING), "pages/overview.py")
    assert "Lag rapporten" in _buttons(steering)
    observer = opened(app(signed_in_as=OBSERVER), "pages/overview.py")
    assert observer.title  # the overview itself is shown
    assert "Lag rapporten" not in _buttons(observer)
