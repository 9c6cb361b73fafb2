"""Benchmarks (make bench). Each target prints its figures and the ratio to a baseline
measured in the same run. Targets arrive with their issues (facilities, taps, …)."""

import sys

TARGETS: dict = {}

if __name__ == "__main__":
    if not TARGETS:
        print("bench: no targets yet (facilities, reservations and taps come with their issues)")
        sys.exit(0)
