"""Everything a page shows as text, gathered from an AppTest run.

``interface``: titles, texts, widgets' labels, help and placeholders, tables' headings and
charts' titles, what bibvalg itself writes. ``content``: widgets' options and values,
tables' cells as shown and charts' texts, which also hold what people wrote (names,
reasons, comments, the requirement texts in both languages of the catalogue editor)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
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
_LABEL_FIELDS = ("label", "help", "placeholder")
_CONTENT_FIELDS = ("options", "value")


def _proto_texts(element: Any, fields: tuple[str, ...]) -> Iterator[str]:
    proto = getattr(element, "proto", None)
    for name in fields:
        value = getattr(proto, name, None) if proto is not None else None
        if isinstance(value, str):
            yield value
        elif value is not None and hasattr(value, "__iter__"):
            yield from (str(v) for v in value)


def _column_configs(proto: Any) -> dict[str, Any]:
    text = getattr(proto, "columns", "")
    return json.loads(text) if text else {}


def _shown_column(
    name: str, values: list[Any], config: Any, missing: str = "None"
) -> tuple[str, list[str]] | None:
    """A column's heading and cells as the table shows them: the configured label, a
    choice column's labels for its values, and ``missing`` (the table's placeholder, else
    "None") where there is no value; None for a hidden column."""
    if config is False or (isinstance(config, dict) and config.get("hidden")):
        return None
    if not isinstance(config, dict):
        config = {"label": config} if isinstance(config, str) else {}
    options = (config.get("type_config") or {}).get("options") or []
    labels = {
        str(o["value"]): str(o.get("label", o["value"])) for o in options if isinstance(o, dict)
    }
    cells = []
    for value in values:
        text = missing if value is None or value is pd.NA or value != value else str(value)
        cells.append(labels.get(text, text))
    return str(config.get("label") or name), cells


def _table_texts(element: Any) -> Iterator[tuple[str, list[str]]]:
    """A table's headings and cells as shown: a styled table's display values, else its
    values."""
    proto = element.proto
    configs = _column_configs(proto)
    arrow = proto.arrow_data if proto.HasField("arrow_data") else proto
    source = arrow.styler.display_values if arrow.HasField("styler") else b""
    if source:
        table = pa.ipc.open_stream(source).read_all()
        columns = {name: table.column(name).to_pylist() for name in table.column_names}
    else:
        frame = element.value
        columns = {str(name): frame[name].tolist() for name in frame.columns}
    missing = proto.placeholder if proto.HasField("placeholder") else "None"
    for name, values in columns.items():
        shown = (
            None
            if name.startswith("__index_level")
            else _shown_column(name, values, configs.get(name), missing)
        )
        if shown is not None:
            yield shown


def _chart_texts(element: Any) -> tuple[list[str], list[str]]:
    """A chart's titles and legend names, and its other texts (labels, hover texts)."""
    spec = json.loads(element.proto.spec)
    titles: list[str] = []
    texts: list[str] = []

    def walk(node: Any, key: str = "") -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                if k not in {"bdata", "dtype", "shape", "template", "meta"}:
                    walk(v, key if k == "text" and key == "title" else k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key == "title":
            titles.append(node)
        elif isinstance(node, str) and key in {"text", "name", "x", "y", "customdata"}:
            texts.append(node)

    walk(spec.get("data", []))
    walk(spec.get("layout", {}))
    return titles, texts


@dataclass
class PageText:
    interface: list[str] = field(default_factory=list)
    content: list[str] = field(default_factory=list)

    @property
    def everything(self) -> list[str]:
        return self.interface + self.content


def page_texts(at: AppTest) -> PageText:
    """Every text the page shows."""
    page = PageText()
    for kind in _TEXT_ELEMENTS:
        for element in at.get(kind):
            value = getattr(element, "value", None)
            if isinstance(value, str):
                page.interface.append(value)
            page.interface.extend(_proto_texts(element, _LABEL_FIELDS))
    for kind in _WIDGETS:
        for element in at.get(kind):
            page.interface.extend(_proto_texts(element, _LABEL_FIELDS))
            page.content.extend(_proto_texts(element, _CONTENT_FIELDS))
    for element in at.get("dataframe"):
        for heading, cells in _table_texts(element):
            page.interface.append(heading)
            page.content.extend(cells)
    for element in at.get("plotly_chart"):
        titles, texts = _chart_texts(element)
        page.interface.extend(titles)
        page.content.extend(texts)
    page.interface = [t for t in page.interface if t]
    page.content = [t for t in page.content if t]
    return page
