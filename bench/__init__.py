"""Kium's benchmarks (``make bench``); see docs/performance.md."""
