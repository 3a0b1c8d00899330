"""Rule help pages (`docs/rules/ACnnn.md`): front matter plus Markdown, read at run time.

The same page feeds `anycast-lint rules CODE`, the SARIF rule metadata (short and full description,
help text and Markdown) and the README table, so documentation and output never drift. Where the pages
are online is helpurl.py's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n(.*)\Z", re.S)
_SECTION = re.compile(r"^## (.+)$", re.M)


class RuleDocError(Exception):
    """A help page that is missing or malformed: a packaging bug, not user input."""


@dataclass(frozen=True)
class RuleDoc:
    code: str
    name: str
    level: str
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
            code=str(meta["code"]),
            name=str(meta["name"]),
            level=str(meta["level"]),
            summary=str(meta["summary"]).strip(),
            resource_types=tuple(meta.get("resource-types", [])),
            security_severity=str(meta["security-severity"]),
            tags=tuple(meta.get("tags", [])),
            markdown=match.group(2).strip() + "\n",
        )
    except KeyError as exc:
        raise RuleDocError(f"docs/rules/{code}.md front matter lacks {exc}") from None
