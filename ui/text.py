"""Text that others wrote (vendors' comments, evaluators' reasons, requirement texts,
names, file names) shown as text: never as Markdown, HTML or a chart's hover markup.

Streamlit renders Markdown in ``st.markdown``, ``st.caption``, ``st.info`` and their kin,
in ``help=`` tooltips and in labels: an image link in a vendor's comment would be fetched by
every reader's browser, and a reason with a blank line and a list item could forge a line in
someone else's name. ``plain`` escapes every character Markdown (and Streamlit's own
``:colour[...]``, ``:material/...:`` and ``$...$``) gives a meaning, and keeps line breaks
as breaks inside the same paragraph. ``for_hover`` does the same for plotly's hover labels,
which read ``<``, ``>`` and ``&`` as HTML.
"""

from __future__ import annotations

import html
import re
from typing import Any

# Every ASCII punctuation character may be escaped with a backslash in CommonMark, and
# shows as itself; escaping them all leaves nothing for Markdown to interpret.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_LINE_BREAKS = re.compile(r"\r\n|\r|\n|\u2028|\u2029|\x0b|\x0c|\x85")


def _as_text(value: Any) -> str:
    return "" if value is None else str(value)


def plain(value: Any) -> str:
    """Text to put into Markdown so that it shows exactly as written.

    Line breaks become hard breaks in one paragraph (blank lines are dropped, so the text
    cannot start a paragraph or list item of its own); leading spaces are dropped so no
    line becomes a code block.
    """
    lines = [line.strip() for line in _LINE_BREAKS.split(_as_text(value))]
    escaped = [_PUNCTUATION.sub(r"\\\1", line) for line in lines if line]
    return "  \n".join(escaped)


def for_hover(value: Any) -> str:
    """Text for a plotly hover label: ``<``, ``>`` and ``&`` escaped, one line."""
    return html.escape(" ".join(_LINE_BREAKS.split(_as_text(value))), quote=False)


def in_language(markdown: str, language: str, page_language: str) -> str:
    """Markdown made by ``plain`` marked as written in ``language`` where that is not the
    page's, so that a screen reader reads it in the right voice: show it with
    ``unsafe_allow_html=True`` (``plain`` has escaped every ``<`` in the text itself)."""
    if language == page_language or not markdown:
        return markdown
    return f'<span lang="{html.escape(language)}">{markdown}</span>'


def written(value: Any, page_language: str) -> str:
    """Free text people wrote in the tender (a vendor's comment, an evaluator's reason),
    made by ``plain`` and marked as Norwegian, the tender's working language, on a page in
    another language (show it with ``unsafe_allow_html=True``)."""
    from locales import DEFAULT_LANGUAGE

    return in_language(plain(value), DEFAULT_LANGUAGE, page_language)
