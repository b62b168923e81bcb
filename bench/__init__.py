"""Benchmarks: ``make bench`` runs them all and writes the figures to BENCHMARKS.md."""
