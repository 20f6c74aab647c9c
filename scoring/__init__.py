"""Pure computation: decision matrix, points, weights, MCDA methods, price models.

No I/O here: no DuckDB, no Streamlit, no files. Inputs are never mutated.
"""
