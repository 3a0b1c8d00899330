"""The one timer the benchmarks share: best-of-N wall clock, which is the least noisy on a busy machine."""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from anycast_lint.inputs.loader import LoadResult, load_inputs


def best_of(repeat: int, action: Callable[[], Any]) -> tuple[float, Any]:
    """(fastest seconds of `repeat` runs, the last result)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - start)
    return best, result


def size_arguments(description: str, default_vnets: int = 10_000) -> argparse.Namespace:
    """--vnets, --repeat and --json: the options of the load benchmarks."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--vnets", type=int, default=default_vnets)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    return parser.parse_args()


def json_then_load(path: Path, repeat: int) -> tuple[float, float, LoadResult]:
    """(seconds for json.load of the file, seconds for anycast-lint's whole load, the load's result)."""

    def baseline() -> Any:
        with path.open(encoding="utf-8") as handle:
            return json.load(handle)

    parse_s, _ = best_of(repeat, baseline)
    load_s, loaded = best_of(repeat, lambda: load_inputs([str(path)]))
    return parse_s, load_s, loaded


def print_ratios(rows: list[tuple[str, float]], baseline_s: float) -> None:
    """A `step  seconds  x json.load` table; the first row is the baseline."""
    print(f"  {'step':<28} {'seconds':>9} {'x json.load':>12}")
    for label, seconds in rows:
        print(f"  {label:<28} {seconds:>9.3f} {seconds / baseline_s:>12.2f}")
