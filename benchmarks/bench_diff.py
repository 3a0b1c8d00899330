"""The speed goal of issue 23: `anycast-lint diff` of two large exports, as a ratio to one scan of one of them.

    python benchmarks/bench_diff.py [--sizes 1000,10000] [--repeat 3] [--json]

For each size, writes the export of bench_full_scan.py (20 regions, hubs with ExpressRoute gateways on two
circuits, spokes, 10 anycast services with a member per region) as BEFORE, and as AFTER the same export
with region 0's gateway disconnected from the primary circuit (every service's winner there moves), and a
config giving each service its VIP.  Then it times, best of --repeat, each in a fresh interpreter as a user runs it:

  scan   `anycast-lint scan AFTER --format json -o OUT`: the baseline (ratio 1.0)
  diff   `anycast-lint diff BEFORE AFTER --format json -o OUT`: both sides read and checked, every winner
         compared in the base case and with each member down

Goal: diff within 2.2x the scan (two scans, and the comparison within a fifth of one).
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

from bench_full_scan import CIRCUITS, SERVICES, _child_run, export


def _disconnected(document: dict[str, Any]) -> dict[str, Any]:
    """The export without region 0's connection to the first circuit."""
    gone = f"ergw-00-{CIRCUITS[0]}"
    return {"value": [r for r in document["value"] if r["name"] != gone]}


def measure(vnet_count: int, repeat: int, folder: Path) -> dict[str, Any]:
    before, after = folder / f"before-{vnet_count}.json", folder / f"after-{vnet_count}.json"
    document = export(vnet_count)
    before.write_text(json.dumps(document, indent=2), encoding="utf-8")
    after.write_text(json.dumps(_disconnected(document), indent=2), encoding="utf-8")
    del document
    config = folder / "anycast-lint.yaml"  # each service's VIP, so that every winner is compared
    config.write_text(
        "services:\n" + "".join(f"  svc{s}:\n    vip: 100.64.{s}.4\n" for s in range(SERVICES)), encoding="utf-8"
    )
    out = str(folder / "out.json")
    options = ["--format", "json", "-o", out, "--config", str(config)]
    scans = [_child_run(["scan", str(after), *options]) for _ in range(repeat)]
    diffs = [_child_run(["diff", str(before), str(after), *options]) for _ in range(repeat)]
    report = json.loads(Path(out).read_text(encoding="utf-8"))
    scan_s, diff_s = min(r[0] for r in scans), min(r[0] for r in diffs)
    return {
        "vnets": vnet_count,
        "scan_s": scan_s,
        "diff_s": diff_s,
        "diff_ratio": diff_s / scan_s,
        "changes": len(report["changes"]),
        "new_findings": len(report["findings"]["new"]),
        "diff_peak_rss_mb": max(r[1] for r in diffs) / 1e6,
        "diff_exit_code": diffs[0][2],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="1000,10000", help="VNet counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        figures = [measure(int(size), args.repeat, Path(folder)) for size in args.sizes.split(",")]
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"{'VNets':>7} {'scan s':>8} {'diff s':>8} {'x scan':>7} {'changes':>8} {'new':>5} {'peak RSS MB':>12}")
    for f in figures:
        print(
            f"{f['vnets']:>7} {f['scan_s']:>8.2f} {f['diff_s']:>8.2f} {f['diff_ratio']:>7.2f} {f['changes']:>8} "
            f"{f['new_findings']:>5} {f['diff_peak_rss_mb']:>12.0f}"
        )
    print("goal (issue 23): a diff of two exports within 2.2x one scan of one of them, measured in the same run")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
