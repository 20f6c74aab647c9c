"""The Innspill page's pieces: labels, figures and tables (figures.py, no Streamlit) and its
sections (sections.py)."""
