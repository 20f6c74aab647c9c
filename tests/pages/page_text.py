"""Everything a page shows as text, gathered from an AppTest run: titles, texts, labels,
options and placeholders of widgets, the shown values of tables, and the texts of charts."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pyarrow as pa
from streamlit.testing.v1 import AppTest

_TEXT_ELEMENTS = (
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "info",
    "warning",
    "error",
    "success",
    "exception",
    "code",
    "latex",
    "text",
)
_WIDGETS = (
    "button",
    "checkbox",
    "toggle",
    "radio",
    "selectbox",
    "multiselect",
    "text_input",
    "text_area",
    "number_input",
    "slider",
    "select_slider",
    "date_input",
    "time_input",
    "metric",
    "tabs",
    "expander",
)
_WIDGET_FIELDS = ("label", "help", "placeholder", "options", "value")


def _proto_texts(element: Any) -> Iterator[str]:
    proto = getattr(element, "proto", None)
    for field in _WIDGET_FIELDS:
        value = getattr(proto, field, None) if proto is not None else None
        if isinstance(value, str):
            yield value
        elif value is not None and hasattr(value, "__iter__"):
            yield from (str(v) for v in value)


def _table_texts(element: Any) -> Iterator[str]:
    proto = element.proto
    styler = getattr(proto, "styler", None)
    source = styler.display_values if styler is not None else b""
    if not source:
        frame = element.value
        yield from (str(name) for name in frame.columns)
        for name in frame.columns:
            yield from (str(v) for v in frame[name].tolist())
        return
    table = pa.ipc.open_stream(source).read_all()
    yield from (str(name) for name in table.column_names)
    for column in table.columns:
        yield from ("None" if v is None else str(v) for v in column.to_pylist())


def _chart_texts(element: Any) -> Iterator[str]:
    spec = json.loads(element.proto.spec)
    found: list[str] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k not in {"bdata", "dtype", "shape", "template", "meta"}:
                    walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in {"text", "name", "x", "y", "title", "customdata"}:
            found.append(node)

    walk(spec.get("data", []))
    walk(spec.get("layout", {}))
    yield from found


def page_texts(at: AppTest) -> list[str]:
    """Every text the page shows."""
    texts: list[str] = []
    for kind in _TEXT_ELEMENTS:
        for element in at.get(kind):
            value = getattr(element, "value", None)
            if isinstance(value, str):
                texts.append(value)
            texts.extend(_proto_texts(element))
    for kind in _WIDGETS:
        for element in at.get(kind):
            texts.extend(_proto_texts(element))
    for element in at.get("dataframe"):
        texts.extend(_table_texts(element))
    for element in at.get("plotly_chart"):
        texts.extend(_chart_texts(element))
    return [t for t in texts if t]
