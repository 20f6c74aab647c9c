"""What every page needs to be usable by everyone (WCAG 2.1 AA), added once by app.py: the
page's language, text colours with enough contrast, a visible keyboard focus,
and a print stylesheet for A4."""

from __future__ import annotations

import json

import streamlit as st

# Secondary text (captions, the sidebar's notes): 6.4:1 on white and 5.8:1 on the sidebar's
# grey (#F1F4F7), where Streamlit's faded captions give about 4:1.
SECONDARY_TEXT = "#55606B"
# The keyboard focus: the theme's primary colour, 6.8:1 on white.
FOCUS = "#1F5F8B"

STYLE = f"""
<style>
/* Streamlit fades captions with opacity 0.6; they get a solid colour instead. */
[data-testid="stCaptionContainer"] {{ opacity: 1; }}
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] * {{
    color: {SECONDARY_TEXT};
}}
[data-testid="stCaptionContainer"] code {{ color: #1D2730; }}
/* A visible keyboard focus on every control, Streamlit's own included. */
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible,
select:focus-visible, summary:focus-visible, [role="tab"]:focus-visible,
[role="radio"]:focus-visible, [role="checkbox"]:focus-visible, [role="switch"]:focus-visible,
[role="slider"]:focus-visible, [role="combobox"]:focus-visible, [role="option"]:focus-visible,
[tabindex]:focus-visible, canvas:focus-visible {{
    outline: 3px solid {FOCUS} !important;
    outline-offset: 2px !important;
}}
/* Check boxes, radio buttons and toggles hide their input: the label shows the focus. */
label:has(input:focus-visible) {{
    outline: 3px solid {FOCUS};
    outline-offset: 2px;
    border-radius: 4px;
}}
/* A table's grid shows the focus around the whole table: the cell it moves to inside is
   drawn on a canvas, and the grid's own cell marker is faint. */
[data-testid="stDataFrameResizable"]:focus-within {{
    outline: 3px solid {FOCUS};
    outline-offset: 2px;
}}
/* On a narrow screen a heatmap keeps its cells wide enough to read and scrolls sideways
   (WCAG allows it for content laid out in two dimensions). */
.st-key-vendors_heatmap, .st-key-evaluation_spread {{ overflow-x: auto; }}
.st-key-vendors_heatmap > *, .st-key-evaluation_spread > * {{ min-width: 56rem; }}
/* The element that only runs the script setting the page's language takes no room. */
[data-testid="stElementContainer"]:has(script:only-child) {{ display: none; }}
@media print {{
    @page {{ size: A4; margin: 12mm; }}
    [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],
    [data-testid="stDecoration"], [data-testid="stElementToolbar"], .modebar-container,
    [data-testid="stSidebarCollapsedControl"], [data-testid="stBottom"] {{
        display: none !important;
    }}
    [data-testid="stAppViewContainer"], [data-testid="stMain"], .stMain, .main {{
        margin-left: 0 !important;
        overflow: visible !important;
    }}
    [data-testid="stMainBlockContainer"] {{
        max-width: 100% !important;
        padding: 0 !important;
    }}
    .js-plotly-plot, [data-testid="stPlotlyChart"], [data-testid="stDataFrame"],
    [data-testid="stTable"], [data-testid="stMetric"], [data-testid="stAlert"] {{
        break-inside: avoid;
    }}
    [data-testid="stExpander"] details > div {{ display: block !important; }}
}}
</style>
"""

# Charts and tables keep the width they have on screen: before printing, the page is scaled
# down just enough for the widest of them to fit across A4 (about 700 CSS pixels inside the
# margins), and back after.
PRINT_FIT = """
if (!window.bibvalgPrintFit) {
    window.bibvalgPrintFit = true;
    const block = () => document.querySelector('[data-testid="stMainBlockContainer"]');
    window.addEventListener("beforeprint", () => {
        const main = block();
        if (!main) return;
        const wide = main.querySelectorAll(
            '.js-plotly-plot, [data-testid="stDataFrame"], [data-testid="stDataFrameResizable"]'
        );
        const widest = Math.max(0, ...Array.from(wide, e => e.getBoundingClientRect().width));
        if (widest > 700) main.style.zoom = String(700 / widest);
    });
    window.addEventListener("afterprint", () => {
        const main = block();
        if (main) main.style.zoom = "";
    });
}
"""


def frame(language: str) -> None:
    """Declare the page's ``language`` (Streamlit has no call for it) and add the
    stylesheet; once per run, from app.py, before anything that may stop the run."""
    st.html(STYLE)  # style only: Streamlit puts it where it takes no room
    st.sidebar.html(
        f"<script>document.documentElement.lang = {json.dumps(language)};{PRINT_FIT}</script>",
        unsafe_allow_javascript=True,
    )
