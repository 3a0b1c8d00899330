"""Every benchmark still runs. They are not run in CI at their real sizes, so an API change broke
bench_scan.py unnoticed once; here each runs on a tiny input. Nothing is timed: figures live in benchmarks/."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"

# Each benchmark's figures are ratios to a baseline measured in the same run: the header names it.
BASELINE = {
    "bench_scan.py": "x parse",
    "bench_arm_load.py": "x json.load",
    "bench_diff.py": "x scan",
    "bench_full_scan.py": "x json.load",
    "bench_live.py": "Resource Graph / list calls",
    "bench_plan_load.py": "x json.load",
    "bench_routing.py": "x parse",
}
RATIO = re.compile(r"\b\d+\.\d+")

TINY = {
    "bench_scan.py": ["--vnets", "120", "--regions", "3", "--services", "2", "--repeat", "1", "--per-rule"],
    "bench_arm_load.py": ["--vnets", "120", "--repeat", "1"],
    "bench_diff.py": ["--sizes", "240", "--repeat", "1"],
    "bench_full_scan.py": ["--sizes", "120", "--repeat", "1"],
    "bench_live.py": ["--subscriptions", "2", "--vnets", "5", "--repeat", "1", "--tenant", "12"],
    "bench_plan_load.py": ["--vnets", "120", "--repeat", "1"],
    "bench_routing.py": ["--services", "3", "--regions", "3", "--repeat", "1"],
}


def test_every_benchmark_is_listed() -> None:
    assert sorted(TINY) == sorted(BASELINE) == sorted(p.name for p in BENCHMARKS.glob("bench_*.py"))


@pytest.mark.parametrize("script", sorted(TINY))
def test_benchmark_runs_on_a_tiny_input(script: str) -> None:
    run = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *TINY[script]], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert BASELINE[script] in run.stdout and RATIO.search(run.stdout), run.stdout[-2000:]


def test_routing_benchmark_runs_on_a_tiny_virtual_wan_tenant() -> None:
    """--vwan builds design B: every hub holds every region's routes, so there are more candidates than routes."""
    args = [*TINY["bench_routing.py"], "--vwan", "--json"]
    run = subprocess.run(
        [sys.executable, str(BENCHMARKS / "bench_routing.py"), *args], capture_output=True, text=True, timeout=300
    )
    assert run.returncode == 0, run.stderr[-2000:]
    figures = json.loads(run.stdout)
    assert figures["vnets"] == 2 * 3 * 3  # a transit VNet and a member per service and region
    assert figures["candidates"] > figures["routes"] > 0
