"""Benchmarks: measured side by side, written to benchmarks/results.json."""
