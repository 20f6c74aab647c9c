"""Numbers as each language writes them (ui/numbers.py): on screen, in tables and in the
downloads, read back as a spreadsheet would."""

from __future__ import annotations

import csv
import io
import math

import pandas as pd
import pytest
from openpyxl import load_workbook
from streamlit.testing.v1 import AppTest

from ui import numbers
from ui.i18n import speaking

NBSP = "\u00a0"
FRAME = pd.DataFrame(
    {
        "Leverandør": ["=Alfa", None, "Gamma"],
        "Poeng": [75.6, 62.35, None],
        "Kostnad": [10_370_000.0, 9_500_000.0, 12_000_000.0],
    }
)


@pytest.mark.parametrize(
    ("language", "points", "cost"),
    [("nb", "75,6", f"10{NBSP}370{NBSP}000"), ("en", "75.6", "10,370,000")],
)
def test_a_number_as_the_language_writes_it(language, points, cost):
    assert numbers.number(75.56, 1, language) == points
    assert numbers.number(10_370_000, 0, language) == cost
    assert numbers.number(None, 1, language) == "–"
    assert numbers.number(math.nan, 1, language) == "–"


def test_a_table_shows_numbers_in_the_language_and_a_dash_for_nothing():
    with speaking("nb"):
        html = numbers.styled(FRAME, {"Poeng": 1}).to_html()
    assert f"10{NBSP}370{NBSP}000" in html
    assert "75,6" in html and "62,4" in html  # one decimal, rounded
    assert "None" not in html and "nan" not in html
    assert html.count("–") == 2  # the vendor and the points left empty
    with speaking("en"):
        html = numbers.styled(FRAME, {"Poeng": 1}).to_html()
    assert "10,370,000" in html and "75.6" in html


def test_a_table_the_language_writes_as_it_is_keeps_its_values_and_dashes_what_is_missing():
    frame = pd.DataFrame(
        {"Navn": ["Alta", None], "Svar": [3, 12], "Dato": pd.to_datetime(["2026-01-05"] * 2)}
    )
    with speaking("nb"):
        shown = numbers.styled(frame)
        # Small whole numbers read alike in both languages: the values stay as they are.
        assert isinstance(shown, pd.DataFrame)
        assert shown["Navn"].tolist() == ["Alta", "–"]
        assert shown["Svar"].tolist() == [3, 12]
        # A thousand is written with a space, a missing date as a dash.
        assert "1\u00a0200" in numbers.styled(frame.assign(Svar=[3, 1200])).to_html()
        # A missing date or whole number is left to the table, which shows its placeholder
        # "–" (every table passes it): no Styler, and 3 stays 3, not 3.0.
        gaps = frame.assign(Svar=[3.0, float("nan")], Dato=[frame["Dato"][0], pd.NaT])
        shown = numbers.styled(gaps)
        assert isinstance(shown, pd.DataFrame)
        assert shown["Svar"].dtype == "Int64" and shown["Svar"].tolist() == [3, pd.NA]
        assert shown["Dato"].isna().tolist() == [False, True]
        # DuckDB reads an integer column with a NULL as a nullable Int32: the same.
        read = numbers.styled(pd.DataFrame({"Svar": pd.Series([1, None, 3], dtype="Int32")}))
        assert isinstance(read, pd.DataFrame) and read["Svar"].tolist() == [1, pd.NA, 3]
        # A column that needs the language's writing still gets it, missing values and all.
        assert isinstance(
            numbers.styled(gaps.assign(Svar=[1200.0, None])), pd.io.formats.style.Styler
        )


def test_a_table_shows_a_dash_where_a_number_or_a_date_is_missing():
    def page() -> None:
        import pandas as pd

        from ui import widgets

        widgets.table(pd.DataFrame({"Svar": [3.0, None], "Dato": [pd.Timestamp(2026, 1, 5), None]}))

    at = AppTest.from_function(page, default_timeout=60).run()
    assert not at.exception
    [table] = at.dataframe
    assert table.proto.placeholder == "–"


def test_a_norwegian_csv_is_semicolons_and_decimal_commas():
    data = numbers.csv_bytes(FRAME, "nb")
    assert data.startswith(b"\xef\xbb\xbf")  # a byte-order mark, so Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Leverandør", "Poeng", "Kostnad"]
    assert rows[1] == ["'=Alfa", "75,6", "10370000,0"]  # never a formula; no grouping
    assert rows[2] == ["", "62,35", "9500000,0"]
    assert rows[3][1] == ""
    # As Norwegian Excel reads a field: the comma is the decimal mark.
    assert float(rows[2][1].replace(",", ".")) == 62.35


def test_an_english_csv_is_commas_and_decimal_points():
    data = numbers.csv_bytes(FRAME, "en")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[1] == ["'=Alfa", "75.6", "10370000.0"]
    assert float(rows[2][1]) == 62.35


def test_a_workbook_keeps_numbers_as_numbers_with_a_number_format():
    data = numbers.xlsx_bytes(FRAME, "Totalkostnad", {"Poeng": 1, "Kostnad": 0})
    sheet = load_workbook(io.BytesIO(data))["Totalkostnad"]
    assert [c.value for c in sheet[1]] == ["Leverandør", "Poeng", "Kostnad"]
    assert sheet["A2"].value == "=Alfa" and sheet["A2"].data_type == "s"  # text, not a formula
    assert sheet["B2"].value == 75.6 and sheet["B2"].number_format == "#,##0.0"
    assert sheet["C2"].value == 10_370_000 and sheet["C2"].number_format == "#,##0"
    assert sheet["A3"].value is None and sheet["B4"].value is None


def test_two_columns_of_one_name_keep_their_own_values_in_the_csv_and_on_screen():
    frame = pd.DataFrame([["Alfa", 2.5, 1.0], ["Beta", None, 3.0]], columns=["a", "x", "x"])
    rows = list(
        csv.reader(io.StringIO(numbers.csv_bytes(frame, "nb").decode("utf-8-sig")), delimiter=";")
    )
    assert rows == [["a", "x", "x"], ["Alfa", "2,5", "1,0"], ["Beta", "", "3,0"]]
    assert numbers.column_decimals(frame) == {"x": 1}
