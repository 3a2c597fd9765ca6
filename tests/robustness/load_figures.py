"""Latency percentiles and a one-line summary for the bounded load tests."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path


def percentile(samples: list[float], fraction: float) -> float:
    """Return the nearest-rank percentile of ``samples`` (``fraction`` in 0..1)."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summarise(name: str, latencies: list[float], elapsed: float) -> dict:
    """Return throughput and p50/p95/p99 latency (ms), and print them.

    With ``ROBUSTNESS_FIGURES`` naming a file, the summary is also appended to
    it as one JSON line.
    """
    figures = {
        "test": name,
        "operations": len(latencies),
        "seconds": round(elapsed, 2),
        "per_second": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 0.50) * 1000, 1),
        "p95_ms": round(percentile(latencies, 0.95) * 1000, 1),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1),
        "max_ms": round(max(latencies) * 1000, 1),
    }
    print(json.dumps(figures))
    target = os.environ.get("ROBUSTNESS_FIGURES")
    if target:
        with Path(target).open("a", encoding="utf-8") as output:
            output.write(json.dumps(figures) + "\n")
    return figures
