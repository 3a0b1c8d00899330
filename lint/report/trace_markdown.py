"""`anycast-lint trace --format markdown`: the flow as a Mermaid sequence diagram, then its hops in a table.

Each resource the flow meets is a participant, in the order the request meets them; the request is drawn
with solid arrows, the reply with dashed ones, a drop with a cross (`-x`) and a note naming the rule.
Every text is escaped with Mermaid's entity codes (`#59;` for `;`, `#35;` for `#`, ...), so resource
names and details cannot break the diagram's syntax.
"""

from __future__ import annotations

from anycast_lint.trace import Hop, Trace
from anycast_lint.trace.hops import DROP, UNKNOWN

_ENTITIES = {"&": "#amp;", "<": "#lt;", ">": "#gt;", "#": "#35;", ";": "#59;", '"': "#quot;"}
_CELL = {"|": "\\|", "\n": " "}
MAX_MESSAGE = 90


def escape(value: str) -> str:
    return "".join(_ENTITIES.get(ch, ch) for ch in value.replace("\n", " "))


def _short(hop: Hop) -> str:
    """The arrow's label: the hop's detail up to its first clause, bounded."""
    first = hop.detail.split("; ")[0]
    return first if len(first) <= MAX_MESSAGE else first[: MAX_MESSAGE - 1].rstrip() + "…"


class _Participants:
    def __init__(self) -> None:
        self.ids: dict[str, str] = {}
        self.lines: list[str] = []

    def of(self, hop: Hop) -> str:
        key = hop.resource  # one lifeline per thing the flow meets (a subnet and its NSG are one)
        if key not in self.ids:
            self.ids[key] = f"P{len(self.ids) + 1}"
            self.lines.append(f"    participant {self.ids[key]} as {escape(hop.resource)}")
        return self.ids[key]


def diagram(trace: Trace) -> str:
    people = _Participants()
    body: list[str] = []
    previous: str | None = None
    for hop in trace.forward.hops:
        here = people.of(hop)
        if previous is not None and previous != here:
            arrow = "-x" if hop.verdict == DROP else "->>"
            body.append(f"    {previous}{arrow}{here}: {escape(_short(hop))}")
        elif previous is None:
            body.append(f"    Note over {here}: {escape(f'{trace.source} -> {trace.destination}')}")
        body += _notes(here, hop)
        previous = here
    for hop in trace.reply.hops:
        here = people.of(hop)
        if previous is not None and previous != here:
            arrow = "--x" if hop.verdict == DROP else "-->>"
            body.append(f"    {previous}{arrow}{here}: {escape(_short(hop))}")
        body += _notes(here, hop)
        previous = here
    if trace.asymmetry and previous is not None:
        body.append(f"    Note over {previous}: {escape('asymmetric: ' + trace.asymmetry)}")
    return "\n".join(["sequenceDiagram", *people.lines, *body])


def _notes(participant: str, hop: Hop) -> list[str]:
    if hop.verdict == DROP:
        rule = f" ({hop.rule})" if hop.rule else ""
        return [f"    Note over {participant}: {escape(f'dropped{rule}: {_short(hop)}')}"]
    if hop.verdict == UNKNOWN:
        why = hop.detail.split("; ", 1)[-1]
        return [f"    Note over {participant}: {escape('unknown: ' + why)}"]
    return []


def _cell(value: str) -> str:
    return "".join(_CELL.get(ch, ch) for ch in value)


def _rows(name: str, hops: list[Hop]) -> list[str]:
    rows = []
    for number, hop in enumerate(hops, start=1):
        where = f"`{hop.location}`" if hop.location else ""
        rule = f"[{hop.rule}](#{hop.rule.lower()})" if hop.rule else ""
        rows.append(
            f"| {name} {number} | {_cell(hop.step)} | {_cell(hop.resource)} | {_cell(hop.detail)} | {where} | "
            f"{hop.verdict} | {rule} |"
        )
    return rows


def render_markdown(traces: list[Trace]) -> str:
    out: list[str] = []
    for trace in traces:
        service = f" (VIP of service `{trace.service}`)" if trace.service else ""
        out.append(f"## Trace {trace.source} → {trace.destination}{service} at circuit `{trace.circuit}`")
        out.append("")
        if trace.failed:
            out.append(
                f"Failed: {', '.join(trace.failed)}" + (f". Failover: {trace.failover}" if trace.failover else "")
            )
            out.append("")
        out += ["```mermaid", diagram(trace), "```", ""]
        out.append("| hop | step | resource | what it decides | where | verdict | rule |")
        out.append("|---|---|---|---|---|---|---|")
        out += _rows("request", trace.forward.hops) + _rows("reply", trace.reply.hops)
        out.append("")
        out.append(f"**Result:** {trace.summary}")
        out.append("")
    return "\n".join(out)
