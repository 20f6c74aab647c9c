"""Numbers as the interface language writes them: on screen, in charts and in downloads.

Norwegian Bokmål writes 75,6 and 10 370 000 with a no-break space (U+00A0, as CLDR's
Norwegian locale has it) between the groups of thousands; English writes 75.6 and
10,370,000. Every table, chart and download takes its separators from here, so one
language never shows the other's numbers.

Downloads: a CSV file in Norwegian is separated by semicolons with a decimal comma and no
grouping of thousands, which Norwegian Excel opens as numbers; in English by commas with a
decimal point. Both are UTF-8 with a byte-order mark. An xlsx file keeps numbers as numbers,
with a number format that Excel shows in the reader's own settings.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd
from babel import Locale
from babel.numbers import NumberPattern, format_decimal, parse_pattern

from store.cells import csv_text, text_cells
from ui.i18n import current_language

NO_BREAK_SPACE = "\u00a0"
EMPTY = "–"  # what a table shows where there is no value

_DECIMAL = {"nb": ",", "en": "."}
_GROUP = {"nb": NO_BREAK_SPACE, "en": ","}
_CSV_DELIMITER = {"nb": ";", "en": ","}


def _language(language: str | None) -> str:
    return language or current_language()


def decimal_mark(language: str | None = None) -> str:
    """The decimal mark: a comma in Norwegian, a point in English."""
    return _DECIMAL[_language(language)]


def group_separator(language: str | None = None) -> str:
    """What separates groups of thousands: a no-break space in Norwegian, a comma in English."""
    return _GROUP[_language(language)]


@cache
def _pattern(decimals: int) -> NumberPattern:
    return parse_pattern("#,##0." + "0" * decimals if decimals else "#,##0")


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def missing(value: Any) -> bool:
    """Whether ``value`` is no value at all (None, NaN, pandas' NA)."""
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def number(value: float, decimals: int = 1, language: str | None = None) -> str:
    """A number in the language's format ("–" for no value)."""
    if missing(value):
        return EMPTY
    return format_decimal(value, format=_pattern(decimals), locale=_locale(_language(language)))


def number_whole(value: float) -> str:
    """A whole number in the current language's format."""
    return number(value, 0)


def number_2(value: float) -> str:
    """A number with two decimals in the current language's format."""
    return number(value, 2)


def plotly_separators(language: str | None = None) -> str:
    """plotly's ``layout.separators``: the decimal mark, then the thousands separator."""
    return decimal_mark(language) + group_separator(language)


# plotly's d3 formats: "," groups thousands with the layout's separator, never "2M".
AXIS_WHOLE = ",d"
AXIS_DECIMAL = ",.1f"


def _decimals_of(column: pd.Series) -> int:
    values = column.to_numpy(dtype=float, na_value=np.nan)
    values = values[~np.isnan(values)]
    if not values.size or (values == np.round(values)).all():
        return 0
    return 1 if (values * 10 == np.round(values * 10)).all() else 2


def _is_number_column(column: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(column) and not pd.api.types.is_bool_dtype(column)


def column_decimals(
    frame: pd.DataFrame, decimals: Mapping[str, int] | None = None
) -> dict[str, int]:
    """Decimals per number column: as given, else as few as show every value (at most 2)."""
    given = dict(decimals or {})
    places: dict[str, int] = {}
    for position, name in enumerate(frame.columns):  # by place: two columns may share a name
        column = frame.iloc[:, position]
        if _is_number_column(column):
            found = given.get(str(name), _decimals_of(column))
            places[str(name)] = max(found, places.get(str(name), 0))
    return places


def _shown(value: Any) -> Any:
    return EMPTY if missing(value) else value


@dataclass(frozen=True)
class Prepared:
    """A frame made ready to show (see ``styled``): its text columns filled in, and the
    formats of its number columns, None where it needs no Styler at all. A missing number
    is shown as ``EMPTY`` by the table itself (``st.dataframe(placeholder=EMPTY)``)."""

    frame: pd.DataFrame
    formats: dict[Any, Any] | None


def prepared(frame: pd.DataFrame, decimals: Mapping[str, int] | None = None) -> Prepared:
    """The work of ``styled`` that can be done once for a frame shown again and again."""
    places = column_decimals(frame, decimals)
    columns: list[pd.Series] = []
    formats: dict[Any, Any] = {}
    for position, name in enumerate(frame.columns):
        column = frame.iloc[:, position]
        if str(name) in places:
            if _written_as_is(column, places[str(name)]):
                column = column.astype("Int64")  # 3, not 3.0, beside a missing value
            else:
                formats[name] = _writer(column, places[str(name)])
        elif pd.api.types.is_object_dtype(column) or pd.api.types.is_string_dtype(column):
            column = pd.Series([_text_cell(v) for v in column], index=frame.index, name=name)
        columns.append(column)
    shown = pd.concat(columns, axis=1) if columns else frame.copy()
    return Prepared(shown, formats or None)


def drawable(ready: Prepared) -> Any:
    """A prepared frame as ``styled`` gives it: the frame, or a fresh Styler over it."""
    if ready.formats is None:
        return ready.frame
    return ready.frame.style.format(ready.formats, na_rep=EMPTY)


def styled(frame: pd.DataFrame, decimals: Mapping[str, int] | None = None) -> Any:
    """``frame`` to show in a table: numbers in the language's format, no value as "–".

    Text columns get "–" for no value in the frame itself; other columns leave it to the
    table (``st.dataframe(..., placeholder=EMPTY)``, which every table passes). Number
    columns that the language would write otherwise than they are (decimals, thousands, a
    minus sign) are formatted by a pandas Styler, so that the table still sorts by the
    numbers themselves; a frame with none of those is returned as a frame, which draws much
    faster.
    """
    return drawable(prepared(frame, decimals))


def _writer(column: pd.Series, decimals: int) -> Callable[[Any], str]:
    """``number(v, decimals)`` for a column's values, each value written once beforehand
    (a table is drawn again at every run). Zero is written when asked, so that 0 and -0
    keep their own signs."""
    written = {v: number(v, decimals) for v in column.dropna().unique() if v != 0}
    return lambda v: written.get(v) or number(v, decimals)


def _written_as_is(column: pd.Series, decimals: int) -> bool:
    """Whether every value of a number column reads the same in the table as the language
    writes it: whole numbers from 0 to 999 (a missing one is the table's placeholder)."""
    if decimals != 0 or pd.api.types.is_bool_dtype(column):
        return False
    if not (pd.api.types.is_integer_dtype(column) or pd.api.types.is_float_dtype(column)):
        return False
    values = column.to_numpy(dtype=float, na_value=np.nan)  # Int32 from DuckDB has NA too
    values = values[~np.isnan(values)]
    whole = np.array_equal(values, np.round(values))
    return whole and bool(np.all((values >= 0) & (values < 1000)))


def _text_cell(value: Any) -> str:
    return EMPTY if missing(value) else str(value)


def csv_delimiter(language: str | None = None) -> str:
    """The CSV separator: a semicolon in Norwegian (the comma is the decimal mark)."""
    return _CSV_DELIMITER[_language(language)]


def csv_bytes(frame: pd.DataFrame, language: str | None = None) -> bytes:
    """``frame`` as a CSV file in the language's convention (see the module's note)."""
    language = _language(language)
    out = frame.copy()
    for position in range(out.shape[1]):  # by place: two columns may share a name
        column = out.iloc[:, position]
        if not _is_number_column(column):
            out.isetitem(position, [("" if missing(v) else csv_text(str(v))) for v in column])
    buffer = io.StringIO()
    out.to_csv(
        buffer,
        index=False,
        sep=csv_delimiter(language),
        decimal=decimal_mark(language),
        quoting=csv.QUOTE_MINIMAL,
        lineterminator="\r\n",
    )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def excel_format(decimals: int) -> str:
    """An Excel number format with grouped thousands and ``decimals`` places."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def xlsx_bytes(frame: pd.DataFrame, sheet: str, decimals: Mapping[str, int] | None = None) -> bytes:
    """``frame`` as a workbook of one sheet: numbers stay numbers, with a number format."""
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    places = column_decimals(frame, decimals)
    book = Workbook()
    sheet_ = book.active
    assert sheet_ is not None
    sheet_.title = sheet[:31]
    sheet_.append([str(c) for c in frame.columns])
    for row in frame.itertuples(index=False):
        cells: list[Any] = []
        for name, value in zip(frame.columns, row, strict=True):
            if missing(value):
                cells.append(None)
            elif str(name) in places:
                cells.append(float(value) if not float(value).is_integer() else int(value))
            else:
                cells.append(str(value))
        sheet_.append(cells)
    for index, name in enumerate(frame.columns, start=1):
        if str(name) in places:
            for (cell,) in sheet_.iter_rows(
                min_row=2, min_col=index, max_col=index, max_row=sheet_.max_row
            ):
                cell.number_format = excel_format(places[str(name)])
        sheet_.column_dimensions[get_column_letter(index)].width = max(12, len(str(name)) + 2)
    text_cells(book)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
