"""The database: DuckDB connection and transactions, migrations, one module per resource,
the audit log and the freeze guard.

Nothing here imports Streamlit; the pages and the CLI call these functions alike.
"""
