"""`anycast-lint trace` output: the request and the reply hop by hop, as text or JSON."""

from __future__ import annotations

import json
from typing import Any

from anycast_lint.report.trace_markdown import render_markdown
from anycast_lint.trace import Hop, Leg, Trace

MARKS = {"pass": " ", "drop": "x", "unknown": "?"}


def _title(trace: Trace) -> str:
    service = f" (VIP of service '{trace.service}')" if trace.service else ""
    return f"Trace {trace.source} -> {trace.destination}{service} at circuit '{trace.circuit}'"


def _hop_lines(number: int, hop: Hop) -> list[str]:
    where = f"  {hop.location}" if hop.location else ""
    lines = [f"  {MARKS.get(hop.verdict, ' ')}{number:>2}. {hop.step}: {hop.resource}{where}"]
    extra = []
    if hop.rule:
        extra.append(hop.rule)
    if hop.kind:
        extra.append(hop.kind)
    tail = f" [{'; '.join(extra)}]" if extra else ""
    lines.append(f"        {hop.detail}{tail}")
    others = [c for c in hop.findings if c != hop.rule]
    if others:
        lines.append(f"        findings here: {', '.join(others)} (anycast-lint scan)")
    return lines


def _leg_lines(name: str, leg: Leg) -> list[str]:
    lines = [f"{name}:"]
    for number, hop in enumerate(leg.hops, start=1):
        lines += _hop_lines(number, hop)
    if not leg.hops:
        lines.append("  (not traced: the request does not arrive)")
    return lines


def render_text(trace: Trace) -> str:
    out = [_title(trace)]
    if trace.failed:
        out.append(f"Failed: {', '.join(trace.failed)}")
        if trace.failover:
            out.append(f"Failover: {trace.failover}")
    out.append("")
    out += _leg_lines("Request", trace.forward)
    out.append("")
    out += _leg_lines("Reply", trace.reply)
    out.append("")
    if trace.asymmetry:
        out.append(f"Asymmetric: {trace.asymmetry}")
    out.append(f"Result: {trace.summary}")
    return "\n".join(out) + "\n"


def _hop_json(hop: Hop) -> dict[str, Any]:
    origin = hop.origin
    return {
        "step": hop.step,
        "resource": hop.resource,
        "resourceId": hop.resource_id,
        "detail": hop.detail,
        "verdict": hop.verdict,
        "rule": hop.rule,
        "kind": hop.kind,
        "file": origin.file if origin is not None and origin.file else None,
        "line": origin.line if origin is not None and origin.file else None,
        "column": origin.column if origin is not None and origin.file else None,
        "findings": list(hop.findings),
    }


def trace_json(trace: Trace) -> dict[str, Any]:
    return {
        "source": str(trace.source),
        "destination": str(trace.destination),
        "service": trace.service,
        "circuit": trace.circuit,
        "failed": list(trace.failed),
        "failover": trace.failover,
        "forward": {"arrived": trace.forward.arrived, "hops": [_hop_json(h) for h in trace.forward.hops]},
        "reply": {"arrived": trace.reply.arrived, "hops": [_hop_json(h) for h in trace.reply.hops]},
        "asymmetry": trace.asymmetry,
        "complete": trace.complete,
        "result": trace.summary,
    }


def render_json(traces: list[Trace]) -> str:
    return json.dumps({"traces": [trace_json(t) for t in traces]}, indent=2) + "\n"


def render(format_name: str, traces: list[Trace]) -> str:
    if format_name == "json":
        return render_json(traces)
    if format_name == "markdown":
        return render_markdown(traces)
    return "\n".join(render_text(t) for t in traces)
