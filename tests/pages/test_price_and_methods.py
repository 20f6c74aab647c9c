"""The Pris and Metoder pages through AppTest: figures, tables, publishing, flags."""

from __future__ import annotations

import json

import numpy as np
import pytest
from scipy.stats import kendalltau

from tests.dbdump import raw_edit, rows
from tests.demo_prices import demo_price_rows
from tests.pages.test_pages import array, chart, demo_rows, open_page, ranking_order, vendor_names
from ui import state

YEARS = 4


def totals_by_hand() -> dict[str, dict[str, float]]:
    """One-time, yearly × years and options per offer, from the demo price file."""
    found: dict[str, dict[str, float]] = {}
    for line in demo_price_rows():
        parts = found.setdefault(line["offer"], {"one_time": 0.0, "yearly": 0.0, "options": 0.0})
        amount = float(line["amount_nok"]) * (YEARS if line["kind"] == "yearly" else 1)
        if line["option"] == "true":
            parts["options"] += amount
        else:
            parts["one_time" if line["kind"] == "one_time" else "yearly"] += amount
    return found


def frame_with(at, column: str):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_total_cost_per_vendor_stacked_by_cost_type_as_computed_by_hand(read_only_demo_db):
    at = open_page("pages/price.py")
    assert at.title[0].value == "Pris"
    bars = [t for t in chart(at)["data"] if t["type"] == "bar"]
    assert [t["name"] for t in bars][2] == "Opsjoner (ikke poengsatt)"
    by_hand = totals_by_hand()
    names = vendor_names()
    label_of = {name.replace(" (avvist)", ""): i for i, name in enumerate(bars[0]["y"])}
    assert set(label_of) == set(names.values())
    assert any("(avvist)" in y for y in bars[0]["y"])  # the rejected offer is marked
    for offer, parts in by_hand.items():
        i = label_of[names[offer]]
        assert array(bars[0]["x"])[i] == pytest.approx(parts["one_time"])
        assert array(bars[1]["x"])[i] == pytest.approx(parts["yearly"])
        assert array(bars[2]["x"])[i] == pytest.approx(parts["options"])
    # Cheapest on top.
    scored = [by_hand[o]["one_time"] + by_hand[o]["yearly"] for o in by_hand]
    first = min(by_hand, key=lambda o: by_hand[o]["one_time"] + by_hand[o]["yearly"])
    assert bars[0]["y"][0].startswith(names[first])
    assert min(scored) == pytest.approx(array(bars[0]["x"])[0] + array(bars[1]["x"])[0])


def test_figures_per_library_as_computed_by_hand(read_only_demo_db):
    at = open_page("pages/price.py")
    libraries = demo_rows("libraries.csv")
    service_points = sum(int(r["branches"]) + int(r["school_libraries"]) for r in libraries)
    table = frame_with(at, "Per bibliotek, hele perioden")
    names = vendor_names()
    for offer, parts in totals_by_hand().items():
        row = table[table["Leverandør"].str.startswith(names[offer])].iloc[0]
        total = parts["one_time"] + parts["yearly"]
        assert row["Per bibliotek, hele perioden"] == pytest.approx(
            round(total / len(libraries)), abs=0.5
        )
        assert row["Per betjeningssted per år"] == pytest.approx(
            round(total / service_points / YEARS), abs=0.5
        )
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Bibliotek"] == str(len(libraries))
    assert metrics["Betjeningssteder"] == str(service_points)


def test_every_price_model_is_shown_with_its_ranking_and_the_published_one_marked(
    read_only_demo_db,
):
    at = open_page("pages/price.py", "en")
    models = frame_with(at, "Formula")
    assert len(models) == 6
    published = models[models["Published"] == "✓"]["Model"].tolist()
    assert published == ["linear (points floored at 0)"]
    dependent = dict(zip(models["Model"], models["Depends on the other bids"], strict=True))
    assert dependent["fixed-range linear"] == "No"
    assert dependent["pricing of quality"] == "No"
    assert dependent["proportional"] == "Yes"
    ranks = frame_with(at, "proportional")
    # The published model's column gives the overview's order.
    published_order = ranks.sort_values("linear (points floored at 0)")["Vendor"].tolist()
    assert published_order == ranking_order(open_page("pages/overview.py", "en"))
    # The chart of ranks per model draws the table: one line per vendor through its ranks.
    lines = next(c for c in at.get("plotly_chart") if "price_model_ranks" in c.proto.id)
    traces = json.loads(lines.proto.spec)["data"]
    model_columns = [c for c in ranks.columns if c != "Vendor"]
    by_vendor = ranks.set_index("Vendor")
    assert sorted(t["name"] for t in traces) == sorted(by_vendor.index)
    for trace in traces:
        expected = [int(by_vendor.at[trace["name"], c]) for c in model_columns]
        assert array(trace["y"]).tolist() == expected


PRICE_MODEL = "SELECT value FROM setting WHERE key = 'price_model'"
PRICE_MODEL_LOG = (
    "SELECT actor, reason FROM audit_log WHERE entity = 'setting' AND entity_id = 'price_model'"
    " ORDER BY id"
)


def test_publishing_a_price_model_is_saved_logged_and_used(demo_db):
    before = rows(demo_db, PRICE_MODEL_LOG)  # the demo's own setting of it
    at = open_page("pages/price.py")
    at.selectbox(key=state.PRICE_MODEL_CHOICE).set_value("proportional")
    at.text_area(key=state.PRICE_REASON).input("Vedtatt i arbeidsgruppa før åpning")
    at.button(key="price:save").click().run()
    assert not at.exception
    assert any("Lagret" in s.value for s in at.success)

    model = rows(demo_db, PRICE_MODEL)
    logged = rows(demo_db, PRICE_MODEL_LOG)
    assert model == [("proportional",)]
    assert logged == [*before, ("app", "Vedtatt i arbeidsgruppa før åpning")]
    overview = open_page("pages/overview.py")
    assert any("forholdsmessig" in c.value for c in overview.caption)


def test_publishing_without_a_reason_is_refused_and_nothing_changes(read_only_demo_db):
    at = open_page("pages/price.py")
    at.selectbox(key=state.PRICE_MODEL_CHOICE).set_value("logarithmic")
    at.button(key="price:save").click().run()
    assert any("Skriv hvorfor" in e.value for e in at.error)
    assert rows(read_only_demo_db, PRICE_MODEL) == [("linear",)]


def test_remove_one_bidder_flags_a_change_with_the_model_that_caused_it(demo_db):
    # Fjellbok, the cheapest, 10 % cheaper still: without Fjellbok, P_b becomes Tindra's
    # price, the linear slope eases, and Nordlys and Tindra swap places.
    raw_edit(
        demo_db,
        "UPDATE offer_price SET amount_nok = amount_nok * 0.9 WHERE offer_id = 'fjellbok-1'",
    )
    at = open_page("pages/price.py")
    flags = [w.value for w in at.warning if w.value.startswith("Uten ")]
    assert flags
    assert all("Fjellbok" in f.split(",")[0] for f in flags)
    assert any("lineær (poeng aldri under 0)" in f for f in flags)
    assert not any("prissetting av kvalitet" in f or "fast spenn" in f for f in flags)


def test_methods_page_states_who_decides_and_shows_every_method(read_only_demo_db):
    at = open_page("pages/methods.py")
    assert at.title[0].value == "Metoder"
    assert any("avgjør tildelingen" in i.value for i in at.info)
    table = frame_with(at, "Vektet sum (kunngjort)")
    assert list(table.columns) == [
        "Leverandør",
        "Vektet sum (kunngjort)",
        "Vektet produkt (WPM)",
        "TOPSIS",
        "VIKOR",
        "ELECTRE II",
    ]
    assert table.sort_values("Vektet sum (kunngjort)")["Leverandør"].tolist() == ranking_order(
        open_page("pages/overview.py")
    )
    # Kendall's tau in the heatmap is scipy's, on the ranks the table shows.
    heat = next(c for c in (chart(at, i) for i in range(2)) if c["data"][0]["type"] == "heatmap")
    z = array(heat["data"][0]["z"])
    methods = list(table.columns[1:])
    for i, a in enumerate(methods):
        for j, b in enumerate(methods):
            expected = kendalltau(table[a], table[b]).statistic
            if np.isnan(expected):
                assert np.isnan(z[i][j])
            else:
                assert z[i][j] == pytest.approx(expected)
