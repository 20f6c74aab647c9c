"""The Bibliotek page: the groups' weights from the input round and each offer's fit with
each library, in Norwegian and English, checked against the demo database directly."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from tests.dbdump import plain
from tests.pages.test_pages import DEMO, array, chart, open_page, vendor_names
from ui import state

PAGE = "pages/libraries.py"


def demo_libraries() -> dict[str, str]:
    with (DEMO / "libraries.csv").open(encoding="utf-8") as f:
        return {row["id"]: row["name"] for row in csv.DictReader(f)}


@pytest.mark.parametrize("language", ["nb", "en"])
def test_the_page_shows_a_heatmap_of_every_library_and_offer_with_its_numbers(demo_db, language):
    at = open_page(PAGE, language)
    assert at.title[0].value == {"nb": "Bibliotek", "en": "Libraries"}[language]
    heatmap = chart(at, 1)["data"][0]
    libraries = demo_libraries()
    assert sorted(heatmap["y"]) == sorted(libraries.values())
    with plain(demo_db) as con:
        eligible = {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT offer_id FROM consensus"
                " WHERE offer_id NOT IN (SELECT offer_id FROM mandatory_check"
                "  WHERE outcome = 'material_deviation')"
            ).fetchall()
        }
    names = vendor_names()
    assert sorted(heatmap["x"]) == sorted(names[o] for o in eligible)
    z = array(heatmap["z"])
    assert z.shape == (len(libraries), len(eligible))
    assert ((z >= 0) & (z <= 100)).all()
    # The table beside the heatmap holds the same numbers, row for row.
    numbers = at.dataframe[2].value
    library_column = {"nb": "Bibliotek", "en": "Library"}[language]
    assert numbers[library_column].tolist() == heatmap["y"]
    for j, offer in enumerate(heatmap["x"]):
        assert np.allclose(numbers[offer].to_numpy(dtype=float), z[:, j], atol=0.05)
    # The choices table: each offer's average and lowest fit are the heatmap's column
    # mean and minimum; the first choices add up to at least the number of libraries.
    choices = at.dataframe[3].value
    offer_col, average_col, lowest_col, first_col = {
        "nb": ("Tilbud", "Gjennomsnittlig samsvar", "Laveste samsvar", "Bibliotek med det først"),
        "en": ("Offer", "Average fit", "Lowest fit", "Libraries with it first"),
    }[language]
    for row in choices.to_dict("records"):
        j = heatmap["x"].index(row[offer_col])
        assert row[average_col] == pytest.approx(z[:, j].mean(), abs=0.05)
        assert row[lowest_col] == pytest.approx(z[:, j].min(), abs=0.05)
        firsts = sum(1 for i in range(len(z)) if z[i, j] >= z[i].max() - 1e-6)
        assert row[first_col] == firsts
    # The sentence names the offer with the highest average and the max-min choice.
    best_average = heatmap["x"][int(np.argmax(z.mean(axis=0)))]
    best_worst = heatmap["x"][int(np.argmax(z.min(axis=0)))]
    sentence = next(
        m.value for m in at.markdown if best_average in m.value and "max-min" in m.value
    )
    assert best_worst in sentence.split("max-min", 1)[1]


def test_rows_sorted_by_group_follow_the_groups_order(demo_db):
    at = open_page(PAGE, "nb")
    at.radio(key=state.LIBRARY_ORDER).set_value("name").run()
    assert not at.exception
    by_name = chart(at, 1)["data"][0]["y"]
    assert by_name == sorted(by_name)
    at.radio(key=state.LIBRARY_ORDER).set_value("group").run()
    table = at.dataframe[2].value
    with plain(demo_db) as con:
        order = [
            r[0]
            for r in con.execute(
                "SELECT name_nb FROM stakeholder_group ORDER BY sort_order, id"
            ).fetchall()
        ]
    seen = [g for g in dict.fromkeys(table["Bibliotekgruppe"]) if g != "–"]
    assert seen == [g for g in order if g in seen]
