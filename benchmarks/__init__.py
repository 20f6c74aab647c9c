"""Benchmarks: figures printed as ratios, never asserted in tests."""
