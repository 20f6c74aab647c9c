"""Every page through Streamlit's AppTest, as a user would click it."""

from __future__ import annotations

import base64
import csv
import json
import re
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from tests.dbdump import rows
from tests.demo_prices import demo_price_rows
from ui import state

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "demo" / "data"
PAGES = [
    "pages/overview.py",
    "pages/weights.py",
    "pages/vendors.py",
    "pages/price.py",
    "pages/methods.py",
    "pages/robustness.py",
]


def open_page(page: str, language: str = "nb", timeout: float = 60) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    at.session_state[state.LANGUAGE] = language
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Open the tab ``label`` of the page's tabs kept under ``key`` (a page of tabs draws
    only the open one), as a click on it does, and run the page again."""
    assert label in [t.label for t in at.tabs], (label, [t.label for t in at.tabs])
    at.session_state[key] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert next(t for t in at.tabs if t.label == label).children
    return at


# Pages of tabs that draw only the open one: the key that holds the open tab.
TAB_KEYS = {"setup": state.SETUP_TAB, "library_input": state.INPUT_TAB}


def every_tab(at: AppTest, page: str) -> Iterator[str]:
    """Open each tab of ``page`` (its file's stem) in turn, yielding its label; a page
    without such tabs is yielded once, as it is (label "")."""
    key = TAB_KEYS.get(page)
    if key is None:
        yield ""
        return
    for label in [t.label for t in at.tabs]:  # only the first tab is drawn: no inner tabs
        open_tab(at, key, label)
        yield label


def press(at: AppTest, label: str, index: int = 0) -> AppTest:
    """Press the ``index``th button labelled ``label`` and run the page again."""
    [b for b in at.button if b.label == label][index].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart(at: AppTest, index: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def array(value) -> np.ndarray:
    """A figure's array, whether plain JSON or plotly's typed-array encoding."""
    if isinstance(value, dict) and "bdata" in value:
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = [int(n) for n in str(value.get("shape", len(flat))).split(",")]
        return flat.reshape(shape)
    return np.asarray(value)


def ranking_order(at: AppTest) -> list[str]:
    """Vendor names in the ranking chart, best first ("1. Name")."""
    bars = [t for t in chart(at)["data"] if t["type"] == "bar"]
    return [label.split(". ", 1)[1] for label in bars[0]["y"]]


def demo_rows(name: str) -> list[dict[str, str]]:
    with (DEMO / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def demo_answers() -> list[dict[str, str]]:
    """The vendors' answers, read straight from the demo workbooks (header in row 2)."""
    answers = []
    for path in sorted((DEMO / "responses").glob("*.xlsx")):
        sheet = load_workbook(path, read_only=True)["Krav – Requirements"]
        rows = sheet.iter_rows(min_row=2, values_only=True)
        header = [str(h).split(" / ")[-1] for h in next(rows)]
        for values in rows:
            row = dict(zip(header, values, strict=False))
            answers.append(
                {
                    "offer": path.stem,
                    "requirement": row["Requirement id"],
                    "answer": str(row["Answer (0–3)"]),
                    "comment": row["Comment"] or "",
                }
            )
    return answers


def vendor_names() -> dict[str, str]:
    import tomllib

    vendors = tomllib.loads((DEMO / "vendors.toml").read_text(encoding="utf-8"))["vendor"]
    return {v["offer_id"]: v["name"] for v in vendors}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("language", ["nb", "en"])
def test_every_page_renders(read_only_demo_db, page, language):
    at = open_page(page, language)
    assert at.title
    assert at.get("plotly_chart")


def test_overview_in_norwegian_shows_counts_note_and_rejection(read_only_demo_db):
    at = open_page("pages/overview.py")
    assert at.title[0].value == "Oversikt"
    assert any("oppdiktet" in i.value for i in at.info)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Krav"] == str(len(demo_rows("requirements.csv")))
    assert metrics["Tilbud"] == "5"
    assert metrics["Evaluatorer"] == str(len(demo_rows("evaluators.csv")))
    # The offer with a material deviation is named, with the requirement and why.
    material = [
        r for r in demo_rows("mandatory_checks.csv") if r["outcome"] == "material_deviation"
    ]
    # names and reasons are shown as written: Markdown marks in them escaped
    errors = re.sub(r"\\(.)", r"\1", " ".join(e.value for e in at.error))
    for row in material:
        assert vendor_names()[row["offer"]] in errors
        assert row["requirement"] in errors
        assert vendor_names()[row["offer"]] not in ranking_order(at)


def test_english_is_selectable(read_only_demo_db):
    at = open_page("pages/overview.py", "en")
    assert at.title[0].value == "Overview"
    assert [s.value for s in at.subheader][:3] == [
        "Where the work stands",
        "How close is the decision?",
        "Ranking",
    ]


def test_only_price_weighted_ranks_by_total_cost(read_only_demo_db):
    at = open_page("pages/weights.py")
    at.slider(key=state.criterion_slider("quality")).set_value(0)
    at.slider(key=state.criterion_slider("environment")).set_value(0)
    at.slider(key=state.criterion_slider("price")).set_value(100).run()
    assert not at.exception

    # By hand from the price file: one-time + yearly × contract years, options left out.
    years = 4
    totals: dict[str, float] = {}
    for line in demo_price_rows():
        if line["option"] == "true":
            continue
        factor = years if line["kind"] == "yearly" else 1
        totals[line["offer"]] = totals.get(line["offer"], 0.0) + float(line["amount_nok"]) * factor
    rejected = {
        r["offer"]
        for r in demo_rows("mandatory_checks.csv")
        if r["outcome"] == "material_deviation"
    }
    cheapest_first = [
        vendor_names()[o] for o in sorted(totals, key=totals.get) if o not in rejected
    ]
    assert ranking_order(at) == cheapest_first


def test_moving_one_category_weight_moves_the_ranking_as_computed_by_hand(read_only_demo_db):
    at = open_page("pages/weights.py")
    # Everything on quality, and within quality everything on minority languages (LANG).
    for criterion, value in {"quality": 100, "price": 0, "environment": 0}.items():
        at.slider(key=state.criterion_slider(criterion)).set_value(value)
    for category in ["CAT", "CIRC", "INT", "FORM", "OPS"]:
        at.slider(key=state.category_slider(category)).set_value(0)
    at.slider(key=state.category_slider("LANG")).set_value(50).run()
    assert not at.exception

    # By hand: the requirement-weighted mean of consensus scores over the LANG requirements.
    weights = {
        r["id"]: float(r["weight"])
        for r in demo_rows("requirements.csv")
        if r["category"] == "LANG" and r["kind"] == "W"
    }
    sums: dict[str, float] = {}
    for row in demo_rows("consensus.csv"):
        if row["requirement"] in weights:
            sums[row["offer"]] = sums.get(row["offer"], 0.0) + weights[row["requirement"]] * float(
                row["score"]
            )
    rejected = {
        r["offer"]
        for r in demo_rows("mandatory_checks.csv")
        if r["outcome"] == "material_deviation"
    }
    expected = [
        vendor_names()[o] for o in sorted(sums, key=lambda o: -sums[o]) if o not in rejected
    ]
    assert ranking_order(at) == expected
    # And the chart's bars: only the LANG segment is non-zero.
    segments = {t["name"]: array(t["x"]).max() for t in chart(at)["data"] if t["type"] == "bar"}
    assert [name for name, top in segments.items() if top > 0] == ["Kvalitet – Minoritetsspråk"]


def environment_weight(path) -> list[tuple[float]]:
    return rows(
        path,
        "SELECT weight FROM weight_profile_item WHERE profile_name = 'Standard'"
        " AND node_id = 'environment'",
    )


def test_climate_under_30_per_cent_is_refused_until_a_justification_is_recorded(demo_db):
    at = open_page("pages/weights.py")
    assert not at.warning
    at.slider(key=state.criterion_slider("environment")).set_value(10).run()
    assert any("FOA § 7-9" in w.value for w in at.warning)
    # Saving the published profile so is refused, and nothing changes.
    at.button(key="weights:save").click().run()
    assert any("FOA § 7-9" in e.value for e in at.error)
    assert environment_weight(demo_db) == [(30.0,)]
    at.text_area(key=state.CLIMATE_JUSTIFICATION).input(
        "Klimakrav er dekket av kvalifikasjonskrav til drift."
    ).run()
    assert not at.warning
    at.button(key="weights:save").click().run()
    assert not at.error
    assert environment_weight(demo_db) == [(10.0,)]


def test_save_stores_a_named_profile_with_an_audit_entry_and_reset_restores(demo_db):
    at = open_page("pages/weights.py")
    at.slider(key=state.criterion_slider("price")).set_value(55)
    at.text_input(key=state.PROFILE_NAME_INPUT).input("Pris først").run()
    at.button(key="weights:save").click().run()
    assert not at.exception
    assert any("Pris først" in s.value for s in at.success)

    weight = rows(
        demo_db,
        "SELECT weight FROM weight_profile_item WHERE profile_name = 'Pris først'"
        " AND node_kind = 'criterion' AND node_id = 'price'",
    )
    logged = rows(
        demo_db,
        "SELECT action, actor FROM audit_log WHERE entity = 'weight_profile'"
        " AND entity_id = 'Pris først'",
    )
    assert weight == [(55.0,)]
    assert logged == [("create", "app")]

    at.slider(key=state.criterion_slider("price")).set_value(5).run()
    at.button(key="weights:reset").click().run()
    assert at.slider(key=state.criterion_slider("price")).value == 55


def test_vendors_heatmap_has_every_offer_and_weighted_requirement_with_answers(read_only_demo_db):
    at = open_page("pages/vendors.py")
    heatmap = chart(at)["data"][0]
    weighted = [r["id"] for r in demo_rows("requirements.csv") if r["kind"] == "W"]
    assert heatmap["x"] == weighted
    assert array(heatmap["z"]).shape == (len(vendor_names()), len(weighted))
    some = next(r for r in demo_answers() if r["requirement"] in weighted)
    row = heatmap["y"].index(vendor_names()[some["offer"]])
    col = heatmap["x"].index(some["requirement"])
    hover = heatmap["text"][row][col]
    assert f"Leverandørens svar: {some['answer']}" in hover
    assert some["comment"][:20] in hover.replace("<br>", " ")


def test_vendor_detail_follows_the_selection(read_only_demo_db):
    at = open_page("pages/vendors.py")
    names = vendor_names()
    rejected = next(
        r["offer"]
        for r in demo_rows("mandatory_checks.csv")
        if r["outcome"] == "material_deviation"
    )
    at.selectbox(key=state.DETAIL_OFFER).set_value(rejected).run()
    assert not at.exception
    assert any(names[rejected] in re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown)
    assert {m.label: m.value for m in at.metric}["Plass"] == "Avvist"


@pytest.mark.parametrize("page", PAGES)
def test_an_empty_tender_explains_itself_instead_of_failing(tmp_path, monkeypatch, page):
    from store.db import connect

    path = tmp_path / "empty.duckdb"
    connect(path).close()
    monkeypatch.setenv("BIBVALG_DB", str(path))
    at = open_page(page)
    assert any("ingen tilbud" in i.value for i in at.info)
