"""`--help` of every command agrees with the README's option tables (issue 25): an option added to the CLI
without a README row, or a row for an option the CLI does not have, fails here; so does a default or a
choice list the two state differently, and an "as for `scan`" row whose option does not behave as scan's.

The help is the real one: `python -m anycast_lint COMMAND --help` in a fresh process, parsed as printed.
A command's tables are those of its README section; a row that says it takes "the options of `scan
--azure`" brings in the live scan's table, whose rows marked "(scan)" or "(export)" are that command's only.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from dataclasses import dataclass

import pytest

from conftest import REPO

LIVE = "Live scan: `anycast-lint scan --azure`"
# Each command's option tables, by the title of the README section that holds them.
SECTIONS: dict[str, tuple[str, ...]] = {
    "scan": ("`anycast-lint scan PATH...`", LIVE),
    "simulate": ("`anycast-lint simulate PATH...`",),
    "trace": ("`anycast-lint trace SRC DST [PATH...]`",),
    "diff": ("Review a change: `anycast-lint diff BEFORE AFTER`",),
    "export": (LIVE,),
    "rules": ("Rules",),
}
# A row whose meaning holds one of these phrases documents the options of that section's table too.
SHARED = {"the options of `scan --azure`": LIVE}
NAME = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")


@dataclass(frozen=True)
class Row:
    """One row of a README option table: the options its first column spells, and what its meaning says."""

    section: str
    names: tuple[str, ...]
    choices: dict[str, frozenset[str]]  # choices written after the option: `--color auto\|always\|never`
    defaults: tuple[str, ...]  # "default `error`", "`text` (default)"
    meaning: str
    scope: str | None  # "(scan) ...": a row of a shared table that is one command's only
    as_for: str | None  # "as for `scan`": the option is the named command's


@dataclass(frozen=True)
class HelpOption:
    """One option as `--help` prints it."""

    names: tuple[str, ...]
    choices: frozenset[str] | None
    default: str | None


def section(readme: str, title: str) -> list[str]:
    """The lines under the heading `title`, to the next heading of the same or a higher level (code blocks,
    whose `# comments` look like headings, are skipped)."""
    lines = readme.splitlines()
    fenced = False
    start: int | None = None
    level = 0
    for number, line in enumerate(lines):
        if line.startswith("```"):
            fenced = not fenced
            continue
        heading = None if fenced else re.match(r"^(#+) (.*)$", line)
        if heading is None:
            continue
        if start is None:
            if heading.group(2) == title:
                start, level = number + 1, len(heading.group(1))
        elif len(heading.group(1)) <= level:
            return lines[start:number]
    assert start is not None, f"README has no section {title!r}"
    return lines[start:]


def cells(line: str) -> list[str]:
    """A table row's cells; `\\|` inside a cell is a pipe, not a border."""
    return [cell.strip().replace("\\|", "|") for cell in re.split(r"(?<!\\)\|", line.strip().strip("|"))]


def option_rows(readme: str, title: str) -> list[Row]:
    """Every row of the tables in section `title` whose header starts with `option`."""
    rows: list[Row] = []
    table: list[str] = []
    for line in [*section(readme, title), ""]:
        if line.startswith("|"):
            table.append(line)
            continue
        if table and cells(table[0])[0] == "option":
            rows += [_row(title, cells(body)) for body in table[2:]]
        table = []
    assert rows, f"README section {title!r} has no option table"
    return rows


def _row(title: str, row: list[str]) -> Row:
    assert len(row) == 2, f"{title}: an option table row has two cells: {row}"
    first, meaning = row
    names: list[str] = []
    choices: dict[str, frozenset[str]] = {}
    for span in re.findall(r"`([^`]+)`", first):
        spelled = NAME.findall(span)
        assert spelled, f"{title}: {span!r} in the option column names no option"
        names += spelled
        rest = span[span.rindex(spelled[-1]) + len(spelled[-1]) :].strip()
        listed = re.fullmatch(r"\[?=?([\w.-]+(?:\|[\w.-]+)+)\]?", rest)
        if listed:
            choices[spelled[-1]] = frozenset(listed.group(1).split("|"))
    assert names, f"{title}: row {first!r} names no option"
    scope = re.match(r"\((\w+)\) ", meaning)
    as_for = re.search(r"as for `(\w+)`", meaning)
    defaults = tuple(a or b for a, b in re.findall(r"default:? `([^`]+)`|`([^`]+)` \(default\)", meaning))
    return Row(
        title,
        tuple(names),
        choices,
        defaults,
        meaning,
        scope.group(1) if scope else None,
        as_for.group(1) if as_for else None,
    )


def documented(command: str, readme: str) -> list[Row]:
    """The rows that document `command`: its sections' tables, and the tables its rows say they share."""
    titles = list(SECTIONS[command])
    rows: list[Row] = []
    for title in titles:
        for row in option_rows(readme, title):
            if row.scope not in (None, command):
                continue
            rows.append(row)
            titles += [shared for phrase, shared in SHARED.items() if phrase in row.meaning and shared not in titles]
    return rows


def help_options(text: str) -> list[HelpOption]:
    """The options block of click's help: an entry starts at two spaces and a dash; deeper lines continue it."""
    block = text.split("\nOptions:\n", 1)[1].split("\n\n", 1)[0]
    entries: list[list[str]] = []
    for line in block.splitlines():
        if re.match(r"^  -", line):
            entries.append([line.strip()])
        else:
            assert entries and line.startswith("   "), f"unexpected line in --help: {line!r}"
            entries[-1].append(line.strip())
    options = []
    for entry in entries:
        spec, _, first = entry[0].partition("  ")
        description = " ".join([first.strip(), *entry[1:]]).strip()
        listed = re.search(r"\[([^\]]+\|[^\]]+)\]", spec)
        shown = re.search(r"\[default: ([^\]]+)\]", description) or re.search(
            r"\(default:? ([^\s;,)]+)[;)]", description
        )
        options.append(
            HelpOption(
                tuple(NAME.findall(spec.split("[", 1)[0])),
                frozenset(listed.group(1).split("|")) if listed else None,
                shown.group(1).strip() if shown else None,
            )
        )
    return options


@functools.cache
def help_text(*command: str) -> str:
    """`anycast-lint COMMAND --help`, run for real."""
    run = subprocess.run(
        [sys.executable, "-m", "anycast_lint", *command, "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "COLUMNS": "120"},
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return run.stdout


def disagreements(command: str, helps: dict[str, str], readme: str) -> list[str]:
    """Where `command --help` (helps[command]) and the README's tables for it disagree, one line each."""
    options = [o for o in help_options(helps[command]) if "--help" not in o.names]
    by_name = {name: option for option in options for name in option.names}
    rows = documented(command, readme)
    written = {name for row in rows for name in row.names}
    found = [
        f"{command}: --help has {name}, the README does not document it"
        for option in options
        for name in option.names
        if name not in written
    ]
    for row in rows:
        where = f"{command}: README ({row.section}) {', '.join(row.names)}"
        missing = [name for name in row.names if name not in by_name]
        found += [f"{where}: --help has no {name}" for name in missing]
        present = [name for name in row.names if name in by_name]
        for name, choices in row.choices.items():
            if name in by_name and by_name[name].choices != choices:
                found.append(f"{where}: choices {sorted(choices)}, --help {sorted(by_name[name].choices or ())}")
        if row.defaults:
            described = {id(by_name[name]) for name in present}
            if len(described) > 1:
                found.append(f"{where}: a row of several options states a default ({', '.join(row.defaults)})")
            for name in present[:1]:
                shown = by_name[name].default
                if shown is not None and shown not in row.defaults:
                    found.append(f"{where}: default {', '.join(row.defaults)}, --help {shown}")
        if row.as_for:
            found += _as_for(command, row, present, by_name, helps, readme)
    return found


def _as_for(
    command: str, row: Row, present: list[str], by_name: dict[str, HelpOption], helps: dict[str, str], readme: str
) -> list[str]:
    """A row "as for `other`": the option is documented for `other` too, and takes the same choices and
    default there (unless the row states its own)."""
    other = row.as_for
    assert other is not None
    if other not in SECTIONS:
        return [f"{command}: README row {', '.join(row.names)} is 'as for `{other}`', which is no command"]
    theirs = {name: option for option in help_options(helps[other]) for name in option.names}
    there = {name for r in documented(other, readme) for name in r.names}
    found = []
    for name in present:
        if name not in theirs or name not in there:
            found.append(f"{command}: {name} is 'as for `{other}`', but {other} has no documented {name}")
            continue
        ours, same = by_name[name], theirs[name]
        own = any(by_name.get(spelled) is ours for spelled in row.choices)  # the row states this option's choices
        if not own and ours.choices != same.choices:
            found.append(f"{command}: {name} is 'as for `{other}`', but its choices differ from {other}'s")
        if not row.defaults and ours.default != same.default:
            found.append(
                f"{command}: {name} is 'as for `{other}`', but its default is {ours.default}, {other}'s {same.default}"
            )
    return found


@pytest.fixture(scope="module")
def helps() -> dict[str, str]:
    return {command: help_text(command) for command in SECTIONS}


@pytest.fixture(scope="module")
def readme() -> str:
    return (REPO / "README.md").read_text(encoding="utf-8")


def test_every_command_has_its_readme_tables() -> None:
    """A new command without README tables fails here, not silently outside the check."""
    listed = help_text().split("\nCommands:\n", 1)[1].split("\n\n", 1)[0]
    assert set(re.findall(r"^  (\w+)  ", listed, flags=re.MULTILINE)) == set(SECTIONS)


@pytest.mark.parametrize("command", sorted(SECTIONS))
def test_help_agrees_with_the_readme(command: str, helps: dict[str, str], readme: str) -> None:
    assert disagreements(command, helps, readme) == []


def test_scoped_rows_name_a_command_that_reads_their_table(readme: str) -> None:
    """A "(scan)" row of a shared table is checked only for scan: a scope no command reads would hide it."""
    for title in {title for titles in SECTIONS.values() for title in titles}:
        readers = {command for command, titles in SECTIONS.items() if title in titles}
        for row in option_rows(readme, title):
            assert row.scope in (None, *readers), (title, row.names, row.scope)


def test_the_tables_are_read_as_written(readme: str) -> None:
    """The parser sees the spellings the README uses: aliases, several options in a row, choices after `=`."""
    scan = {name: row for row in documented("scan", readme) for name in row.names}
    assert scan["--output-format"] is scan["--format"] and scan["-o"] is scan["--output"]
    assert scan["--fail-on"].choices == {"--fail-on": frozenset({"error", "warning", "note", "none"})}
    assert scan["--fail-on"].defaults == ("error",)
    assert scan["--observed-routes"].choices == {"--observed-routes": frozenset({"optional", "required"})}
    export = {name for row in documented("export", readme) for name in row.names}
    assert scan["--snapshot"].scope == "scan" and "--snapshot" not in export and "-o" in export
    assert {"--select", "--ignore"} <= set(scan["--select"].names)
    simulate = {name: row for row in documented("simulate", readme) for name in row.names}
    assert simulate["--config"].as_for == "scan" and "--tenant" in simulate  # --azure brings the live options


def test_the_check_fails_on_each_kind_of_disagreement(helps: dict[str, str], readme: str) -> None:
    """Not lenient: an undocumented option, a documented one that does not exist, a default and a choice list
    stated differently, and an "as for" that does not hold are each reported."""
    undocumented = helps["scan"].replace("\n  -h, --help", "\n  --bogus                         Bogus.\n  -h, --help")
    assert disagreements("scan", {**helps, "scan": undocumented}, readme) == [
        "scan: --help has --bogus, the README does not document it"
    ]
    fail_on = "| `--fail-on error\\|warning\\|note\\|none` | exit 1 when a finding at this level or above is reported (default `error`) |"
    assert fail_on in readme
    invented = readme.replace(fail_on, f"{fail_on}\n| `--nonesuch N` | nothing |")
    assert disagreements("scan", helps, invented) == [
        "scan: README (`anycast-lint scan PATH...`) --nonesuch: --help has no --nonesuch"
    ]
    default = readme.replace(fail_on, fail_on.replace("default `error`", "default `warning`"))
    assert disagreements("scan", helps, default) == [
        "scan: README (`anycast-lint scan PATH...`) --fail-on: default warning, --help error"
    ]
    choices = readme.replace(fail_on, fail_on.replace("\\|none", ""))
    assert disagreements("scan", helps, choices) == [
        "scan: README (`anycast-lint scan PATH...`) --fail-on: choices ['error', 'note', 'warning'], "
        "--help ['error', 'none', 'note', 'warning']"
    ]
    config = helps["simulate"].replace("--config FILE  ", "--config [a|b]")
    assert "trace: --config is 'as for `simulate`', but its choices differ from simulate's" in disagreements(
        "trace", {**helps, "simulate": config}, readme
    )
