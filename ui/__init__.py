"""Streamlit glue shared by the pages: connection, session keys, figures, translation."""
