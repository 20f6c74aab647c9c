"""The Språk page's cached reads (``ui.data.cached``: keyed by the database and its data
version, so a saved result shows at once)."""

from __future__ import annotations

from ui import data
from ui.languages import matrix

# Kept, not copied, at every run: the page only reads them.
language_view = data.cached(matrix.view, shared=True)
sami_area = data.cached(matrix.sami_area, shared=True)
