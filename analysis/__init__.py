"""Analyses both faces call: the scoring inputs read from the store, and what is computed
from them for the pages and the command line.
"""
