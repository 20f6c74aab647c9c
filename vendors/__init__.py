"""The data layer: DuckDB schema and migrations, repository functions, demo dataset, audit log.

Nothing here imports Streamlit; the pages and the CLI call these functions alike.
"""
