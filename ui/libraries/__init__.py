"""The Bibliotek page's pieces: the library groups' weights from the input round
(weights.py), and each offer's fit with each library (fit.py). Figures and tables are built
without Streamlit."""
