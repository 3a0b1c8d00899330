"""Rule help pages (`docs/rules/ACnnn.md`): front matter plus Markdown, read at run time.

The same page feeds `anycast-lint rules CODE`, the SARIF rule metadata (short and full description,
help text and Markdown) and the README table, so documentation and output never drift. A rule's name and
default level are written once, in its `@rule` decorator: the front matter holds what only the page says
(summary, resource types, security severity, tags). Where the pages are online is helpurl.py's business.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

import yaml

if TYPE_CHECKING:
    from anycast_lint.rules.registry import Rule

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)
_SECTION = re.compile(r"^## (.+)$", re.M)


class RuleDocError(Exception):
    """A help page that is missing or malformed: a packaging bug, not user input."""


@dataclass(frozen=True)
class RuleDoc:
    code: str
    summary: str
    resource_types: tuple[str, ...]
    security_severity: str
    tags: tuple[str, ...]
    markdown: str

    def section(self, title: str) -> str:
        """The text under `## title`, up to the next section."""
        parts = _SECTION.split(self.markdown)
        for heading, body in zip(parts[1::2], parts[2::2], strict=True):
            if heading.strip().lower() == title.lower():
                return body.strip()
        return ""

    @property
    def full_description(self) -> str:
        """The first paragraph of *What it checks*, at most 1024 characters (GitHub's limit)."""
        text = self.section("What it checks").split("\n\n", 1)[0].replace("\n", " ").strip()
        text = text or self.summary
        return text if len(text) <= 1024 else text[:1021] + "..."


def available_codes() -> list[str]:
    root = resources.files("anycast_lint.docs")
    return sorted(p.name[:-3] for p in root.iterdir() if re.fullmatch(r"AC\d{3}\.md", p.name))


@cache
def load_doc(code: str) -> RuleDoc:
    resource = resources.files("anycast_lint.docs").joinpath(f"{code}.md")
    if not resource.is_file():
        raise RuleDocError(f"rule {code} has no help page docs/rules/{code}.md")
    text = resource.read_text(encoding="utf-8")
    match = _FRONT_MATTER.match(text)
    if not match:
        raise RuleDocError(f"docs/rules/{code}.md has no front matter")
    meta: dict[str, Any] = yaml.safe_load(match.group(1))
    try:
        return RuleDoc(
            code=code,
            summary=str(meta["summary"]).strip(),
            resource_types=tuple(meta.get("resource-types", [])),
            security_severity=str(meta["security-severity"]),
            tags=tuple(meta.get("tags", [])),
            markdown=match.group(2).strip() + "\n",
        )
    except KeyError as exc:
        raise RuleDocError(f"docs/rules/{code}.md front matter lacks {exc}") from None


# The README's rule table stands between these two lines; `rule_table` writes what is between them.
TABLE_START = (
    "<!-- generated from the rule registry and the help pages' summaries: after changing a rule, run "
    "`python scripts/readme_rule_table.py` -->"
)
TABLE_END = "<!-- end of the generated rule table -->"


def rule_table(rules: Iterable[Rule]) -> str:
    """The README's rule table: code (linking the help page), name and default level from the registry, the
    summary from the page. Generated, so that a rule's name and level are written only in its module."""
    rows = ["| code | name | default | fires when |", "|---|---|---|---|"]
    rows += [
        f"| [{r.code}](docs/rules/{r.code}.md) | `{r.name}` | {r.default_level.label} | {r.summary} |" for r in rules
    ]
    return "\n".join(rows) + "\n"


def with_rule_table(readme: str, table: str) -> str:
    """`readme` with the text between TABLE_START and TABLE_END replaced by `table`."""
    start = readme.find(TABLE_START + "\n")
    end = readme.find(TABLE_END, start)
    if start < 0 or end < 0:
        raise RuleDocError(f"README.md lacks the rule table markers {TABLE_START!r} and {TABLE_END!r}")
    body = start + len(TABLE_START) + 1
    return readme[:body] + table + readme[end:]
