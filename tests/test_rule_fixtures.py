"""Every rule on its own fixture folder, tests/rules/ACnnn/: designs that trigger it and the corrected ones.

A folder holds its designs — named in its anycast-lint.yaml under `designs:`, `bad*` and `good*`, each a
list of files: usually a native design and its ARM twin, written by tests/rules/build.py from the folder's
recipe.py — and expected.yaml: the rule's findings on each bad design (level, resource, file:line:column,
the part of the message that names what is wrong and the fix) and every finding, of any rule, on the good
designs. The rules needing a folder come from the registry: all of them but those in EXEMPT. Adding a
rule is a rule module, its folder and its help page (tests/rules/README.md); nothing here changes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml

from anycast_lint.engine.ruledocs import load_doc
from anycast_lint.rules.registry import all_rules
from conftest import REPO, RULE_FIXTURES, load_script, run_cli

# Rules without a fixture folder, each with the reason (a rule whose input no design file can carry, say).
EXEMPT: dict[str, str] = {}
CODES = [r.code for r in all_rules() if r.code not in EXEMPT]
FIX_KINDS = ("edit", "text", "description")


@dataclass(frozen=True)
class Fixture:
    """A rule's folder: its designs (name -> files to scan) and what scanning them must give."""

    folder: Path
    designs: dict[str, list[str]]
    bad: list[dict[str, Any]]  # level, resource, message (a part), at {design: file:line:column}
    good: list[dict[str, Any]]  # code, level
    fix: str  # what the bad findings' fixes are: edit, text or description (test_fixes.py checks each)

    def named(self, prefix: str) -> dict[str, list[str]]:
        return {name: files for name, files in self.designs.items() if name.startswith(prefix)}


@cache
def fixture(code: str) -> Fixture:
    folder = RULE_FIXTURES / code
    expected = folder / "expected.yaml"
    if not expected.is_file():
        pytest.fail(
            f"rule {code} has no fixture folder: add {folder.relative_to(REPO)}/ with its designs, an anycast-lint.yaml "
            f"naming them (bad*, good*) and expected.yaml (see tests/rules/README.md), or list {code} in EXEMPT in "
            f"{Path(__file__).name} with the reason"
        )
    config = yaml.safe_load((folder / "anycast-lint.yaml").read_text(encoding="utf-8"))
    designs = {name: [str(file) for file in files] for name, files in config.get("designs", {}).items()}
    document = yaml.safe_load(expected.read_text(encoding="utf-8"))
    result = Fixture(folder, designs, document["bad"] or [], document["good"] or [], document.get("fix", ""))
    assert result.fix in FIX_KINDS, f"{expected}: fix: must be one of {', '.join(FIX_KINDS)}"
    assert result.named("bad") and result.named("good"), f"{folder}/anycast-lint.yaml names no bad or no good design"
    assert result.bad, f"{expected}: a bad design must give at least one {code} finding"
    return result


def _scan(folder: Path, *args: str) -> tuple[int, dict[str, Any]]:
    run = run_cli("scan", *args, "--format", "json", cwd=folder)
    assert run.exit_code in (0, 1), run.stderr
    return run.exit_code, json.loads(run.stdout)


def test_every_rule_has_a_fixture_folder() -> None:
    """Derived from the registry: a new rule without a folder fails here, a folder without a rule too."""
    registered = {r.code for r in all_rules()}
    missing = [code for code in CODES if not (RULE_FIXTURES / code / "expected.yaml").is_file()]
    assert not missing, (
        f"rules without a fixture folder: {', '.join(missing)}. Add tests/rules/ACnnn/ (see tests/rules/README.md) "
        "or list the rule in EXEMPT with the reason"
    )
    folders = {p.name for p in RULE_FIXTURES.iterdir() if p.is_dir() and re.fullmatch(r"AC\d{3}", p.name)}
    assert folders <= registered, f"fixture folders of no registered rule: {sorted(folders - registered)}"
    assert set(EXEMPT) <= registered - folders, "EXEMPT names a rule that is not registered or has a folder"


@pytest.mark.parametrize("code", CODES)
def test_bad_designs_give_exactly_the_expected_findings(code: str) -> None:
    case = fixture(code)
    for name, files in case.named("bad").items():
        exit_code, report = _scan(case.folder, *files, "--select", code)
        found = sorted(report["findings"], key=lambda f: (f["resource"], f["message"]))
        actual = [(f["level"], f["resource"], f"{f['file']}:{f['line']}:{f['column']}") for f in found]
        wanted = sorted(case.bad, key=lambda e: e["resource"])
        assert actual == [(e["level"], e["resource"], e["at"][name]) for e in wanted], f"{code}: design {name}"
        for finding, expected in zip(found, wanted, strict=True):
            assert expected["message"] in finding["message"], f"{code}: design {name}"
        assert exit_code == (1 if any(e["level"] == "error" for e in case.bad) else 0)


@pytest.mark.parametrize("code", CODES)
def test_good_designs_give_only_the_expected_findings(code: str) -> None:
    """The fix clears the rule; anything else the corrected design gives is listed (design A's AC302 note:
    it declares no preferred region, so the lowest-next-hop tie-break picks dns-01)."""
    case = fixture(code)
    assert code not in {e["code"] for e in case.good}, f"{code}: expected.yaml lists the rule under good"
    for name, files in case.named("good").items():
        exit_code, report = _scan(case.folder, *files)
        assert [{"code": f["code"], "level": f["level"]} for f in report["findings"]] == case.good, name
        assert report["unknowns"] == [] and exit_code == 0, name


@pytest.mark.parametrize("code", CODES)
def test_bad_designs_give_the_same_findings_in_every_format(code: str) -> None:
    """Everything a bad design triggers (not only its own rule) is the same in its native and ARM twins."""
    case = fixture(code)
    seen = {
        name: [(f["code"], f["resource"], f["message"]) for f in _scan(case.folder, *files)[1]["findings"]]
        for name, files in case.named("bad").items()
    }
    first = next(iter(seen.values()))
    assert code in {finding[0] for finding in first}
    assert all(findings == first for findings in seen.values()), seen


def test_committed_fixtures_match_the_builder() -> None:
    build = load_script(RULE_FIXTURES / "build.py")
    for relative, text in build.built().items():
        path = RULE_FIXTURES / relative
        assert path.read_text(encoding="utf-8") == text, f"{relative} is stale: run {RULE_FIXTURES}/build.py"
    for code in [code for code, recipe in build.recipes().items() if build.has_twins(recipe)]:
        for native in ("bad.yaml", "good.yaml"):
            twin = RULE_FIXTURES / code / native.replace(".yaml", ".json")
            text = build.arm_text(str(RULE_FIXTURES / code / native))
            assert twin.read_text(encoding="utf-8") == text, f"{twin} is stale: run build.py"


@pytest.mark.parametrize("code", CODES)
def test_help_page_example_is_what_the_bad_design_prints(code: str) -> None:
    """The *Example* of docs/rules/ACnnn.md names the fixture folder and shows what its bad design prints."""
    files = fixture(code).designs["bad"]
    run = run_cli("scan", *files, "--select", code, cwd=RULE_FIXTURES / code)
    printed = run.stdout.split("\n\n")[0].strip()
    section = load_doc(code).section("Example")
    assert f"`anycast-lint scan {' '.join(files)}` in [`tests/rules/{code}/`](../../tests/rules/{code}/)" in section
    example = re.search(r"```text\n(.*?)\n```", section, re.S)
    assert example, f"docs/rules/{code}.md has no ```text block under ## Example"
    assert example.group(1).strip() == printed, f"update the example in {REPO}/docs/rules/{code}.md"
