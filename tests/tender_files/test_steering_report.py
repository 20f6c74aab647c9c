"""The steering group's report: its ranking checked against the published ranking and
against one offer's total worked out by hand, every section and the SMAA run's sample count
and seed in the PDF's text, the Sámi letters and Cyrillic, PDF/UA-1, the charts drawn (or,
without Chromium, a note and the tables alone)."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from analysis import ranking
from store import freeze
from store import offers as store_offers
from store import tender as store_tender
from store.db import open_database
from tender_files import chart_images, steering_report
from tests.hand_weights import published_shares
from ui.i18n import speaking

# The tests share one report made per module: kept on one worker, it is made once.
pytestmark = pytest.mark.xdist_group("steering_report")

SAMI_AND_CYRILLIC = "Čoahkkin Áltá ŊŧŽđ – Отчёт й"
ABSENT_BROWSER = Path("/nonexistent/chromium")


def pdf_text(data: bytes, *, layout: bool = False) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian: poppler-utils)")
    command = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(command, input=data, capture_output=True, check=True).stdout.decode()


def prepared(path: Path) -> duckdb.DuckDBPyConnection:
    """The demo with a tender name in Sámi and Russian, and the model frozen."""
    con = open_database(path)
    store_tender.save_tender(
        con,
        replace(store_tender.tender(con), name=SAMI_AND_CYRILLIC),
        actor="test",
    )
    freeze.freeze_model(con, actor="test", reason="before the opening")
    return con


@pytest.fixture(scope="module")
def made(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory):
    """The report in English, with charts where Chromium is installed, and what it was
    made from."""
    path = tmp_path_factory.mktemp("report") / "demo.duckdb"
    shutil.copy(demo_db_template, path)
    con = prepared(path)
    try:
        data = steering_report.make(con, "en")
        start = ranking.published(con)
        status = freeze.status(con)
    finally:
        con.close()
    return data, start, status


def test_the_ranking_table_is_the_published_ranking(made):
    data, start, _status = made
    evaluation = start.evaluation
    names = dict(zip(start.inputs.offers["id"], start.inputs.offers["vendor_name"], strict=True))
    text = pdf_text(data, layout=True)
    for offer, rank in evaluation.rank.sort_values(kind="stable").items():
        points = f"{evaluation.total[offer]:.1f}"
        cost = f"{evaluation.costs.at[offer, 'total']:,.0f}"
        row = rf"^\s*{int(rank)} {re.escape(names[offer])}\s+.*\s{points}\s+{cost}\s"
        assert re.search(row, text, flags=re.MULTILINE), (offer, rank, points, cost)


def test_every_section_samples_seed_fingerprint_and_letters(made):
    data, _start, status = made
    text = " ".join(pdf_text(data).split())
    for heading in steering_report.HEADINGS.values():
        assert heading in text, heading
    assert "Samples: 10,000. Seed: 1." in text
    assert "10,000 samples, seed 1" in text
    assert status.current in text
    assert status.freeze is not None
    assert f"{status.freeze.frozen_at:%Y-%m-%d %H:%M}" in text
    assert SAMI_AND_CYRILLIC in text
    # A requirement's text with Cyrillic (LANG-11 in the screening table).
    assert "й" in text.replace(SAMI_AND_CYRILLIC, "")
    assert "Čuovga Bibliotekdata AS" in text


def test_the_pdf_declares_pdf_ua_1(made):
    assert b"pdfuaid:part>1<" in made[0]


def test_the_log_lists_the_models_changes_only(made):
    text = " ".join(pdf_text(made[0]).split())
    part = text[text.rindex("Changes to the evaluation model in the log") :]
    assert "before the opening" in part  # the freeze's reason
    assert "LANG-11" in part  # a requirement added
    assert "tender_name" not in part  # a setting outside the model
    assert "impartiality" not in part.lower()


def test_the_charts_are_drawn(made, tmp_path):
    if not chart_images.available():
        pytest.skip(f"{chart_images.CHROMIUM} is not installed: the report has no images")
    if shutil.which("pdfimages") is None or shutil.which("pdftoppm") is None:
        pytest.skip("pdfimages and pdftoppm are not installed (Debian: poppler-utils)")
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(made[0])
    listing = subprocess.run(
        ["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    images = [line.split() for line in listing if line.split()[2] == "image"]
    assert len(images) == 11  # ranking, costs, 2 price models, 2 methods, tornado, SMAA, ...
    assert all(int(i[3]) == 2 * chart_images.WIDTH for i in images)
    # The first pages drawn (the ranking's among them): a chart in colour, not a blank box.
    subprocess.run(
        ["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "5", str(pdf), str(tmp_path / "p")],
        check=True,
    )
    import numpy as np
    from PIL import Image

    colourful = []
    for png in sorted(tmp_path.glob("p-*.png")):
        pixels = np.asarray(Image.open(png).convert("RGB"), dtype=int)
        colourful.append(float((pixels.max(axis=2) - pixels.min(axis=2) > 60).mean()))
    assert max(colourful) > 0.03, colourful


def test_without_a_browser_the_tables_stand_alone_with_a_note(demo_db: Path):
    con = open_database(demo_db)
    try:
        data = steering_report.make(con, "nb", browser=ABSENT_BROWSER)
    finally:
        con.close()
    text = " ".join(pdf_text(data).split())
    assert "Rangering" in text  # Norwegian
    assert "Chromium" in text
    assert b"pdfuaid:part>1<" in data
    assert b"/Subtype /Image" not in data and b"/Subtype/Image" not in data


# --- the pure parts, against independent computation --------------------------------


def _hand_total(con: duckdb.DuckDBPyConnection, offer: str) -> float:
    """One offer's total, 0–100, worked out from the consensus scores, the published
    weights and the prices with the linear price model (floored at 0)."""
    criteria, weights = published_shares(con)
    scores = dict(
        con.execute(
            "SELECT requirement_id, score FROM consensus WHERE offer_id = ?", [offer]
        ).fetchall()
    )
    total = sum(w * scores.get(r, 0.0) * 10 for r, w in weights.items())
    prices = store_offers.prices(con)
    prices = prices[~prices["is_option"]]
    years = int(store_tender.tender(con).contract_years)
    cost = {
        o: sum(
            a * (years if k == "yearly" else 1)
            for k, a in zip(g["kind"], g["amount_nok"], strict=True)
        )
        for o, g in prices.groupby("offer_id")
    }
    rejected = {
        o
        for (o,) in con.execute(
            "SELECT offer_id FROM mandatory_check WHERE outcome = 'material_deviation'"
        ).fetchall()
    }
    lowest = min(c for o, c in cost.items() if o not in rejected)
    price_points = max(0.0, 10 - 10 * (cost[offer] - lowest) / lowest)
    return total + criteria["price"] * price_points * 10


def _ranking_table(gathered: steering_report.Gathered) -> dict:
    assert gathered.ranked is not None
    blocks = steering_report.ranking_blocks(gathered, gathered.ranked)
    return next(b for b in blocks if b["kind"] == "table")


def test_the_ranking_table_adds_up_by_hand(con):
    gathered = steering_report.gather(con, samples=200, seed=3)
    with speaking("en"):
        table = _ranking_table(gathered)
    assert table["columns"][:4] == ["Rank", "Vendor", "Product", "Points"]
    nordlys = next(row for row in table["rows"] if row[1] == "Nordlys Konsortiedata AB")
    assert nordlys[3] == f"{_hand_total(con, 'nordlys-1'):.1f}"
    assert [row[0] for row in table["rows"]] == ["1", "2", "3", "4"]


def test_the_sample_count_and_seed_asked_for_are_used(con):
    gathered = steering_report.gather(con, samples=300, seed=7)
    assert gathered.ranked is not None and gathered.ranked.smaa is not None
    assert (gathered.ranked.smaa.samples, gathered.ranked.smaa.seed) == (300, 7)
    with speaking("en"):
        blocks = steering_report.smaa_blocks(gathered.start.inputs, gathered.ranked)
    assert any(b.get("text", "").startswith("Samples: 300. Seed: 7.") for b in blocks)


def test_every_chart_has_alt_text_and_a_table_after_it(con):
    gathered = steering_report.gather(con, samples=200, seed=1)
    with speaking("nb"):
        parts = steering_report.sections(gathered)
    for part in parts:
        blocks = part["blocks"]
        for i, block in enumerate(blocks):
            if block["kind"] == "image":
                assert len(block["alt"]) > 20
                assert blocks[i + 1]["kind"] == "table", (part["key"], block["file"])


def test_numbers_keep_the_decimals_their_column_needs():
    import pandas as pd

    frame = pd.DataFrame(
        {"a": [1.0, 2.0], "b": [1.25, 2.5], "c": [float("nan"), 3.5], "d": ["x", None]}
    )
    with speaking("nb"):
        assert steering_report.cell_texts(frame) == [
            ["1", "1,25", "–", "x"],
            ["2", "2,50", "3,5", ""],
        ]


def test_an_empty_tender_gets_its_report_with_notes_where_nothing_is_ranked(tmp_path):
    from store.db import connect

    con = connect(tmp_path / "empty.duckdb")
    try:
        data = steering_report.make(con, "en", browser=ABSENT_BROWSER)
    finally:
        con.close()
    text = " ".join(pdf_text(data).split())
    for heading in steering_report.HEADINGS.values():
        assert heading in text, heading
    assert "Next step: Specification." in text
    assert text.count("Nothing is ranked yet") == 8
