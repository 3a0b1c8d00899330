"""Every output sample in the README is what the tool prints today, on a bundled example or test fixture.

A newcomer copies a README command and compares; a sample that drifted from the tool costs trust at once.
Samples may be cut: a line ending in `...` or `(...)` stands for any line starting with the text before it,
a line that is (or starts with) `...` marks left-out lines, and rows may be left out of a table (the text
around the sample says so). Every other line must appear, in order, in the real output. The `diff` and
`simulate --from onprem` samples are checked where those commands are tested (test_diff, test_onprem_view).
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO, RULE_FIXTURES, run_cli

README = (REPO / "README.md").read_text(encoding="utf-8")


def sample(first_line: str) -> list[str]:
    """The README code block whose first line starts with `first_line`, as lines."""
    blocks = re.findall(r"```text\n(.*?)```", README, re.S)
    found = [block.splitlines() for block in blocks if block.startswith(first_line)]
    assert len(found) == 1, f"README has {len(found)} text samples starting with {first_line!r}"
    return found[0]


def _matches(pattern: str, line: str) -> bool:
    for cut in ("(...)", "..."):
        if pattern.endswith(cut) and pattern.strip() != cut:
            return line.startswith(pattern[: -len(cut)].rstrip()) and len(line) > len(pattern[: -len(cut)].rstrip())
    return line == pattern


def assert_sample_is_output(lines: list[str], output: str) -> None:
    """Each sample line that is not a cut marker matches an output line after the previous match."""
    printed = output.splitlines()
    position = 0
    for pattern in lines:
        if pattern.strip().startswith("..."):
            continue
        for index in range(position, len(printed)):
            if _matches(pattern, printed[index]):
                position = index + 1
                break
        else:
            raise AssertionError(f"README line not in the output (in this order):\n{pattern}\n--- output ---\n{output}")


def test_the_matcher_fails_on_a_changed_line() -> None:
    """The check itself: a changed, reordered or invented line fails; cuts and left-out rows do not."""
    output = "a: one\nb: two\nc: three\n"
    assert_sample_is_output(["a: one", "c: three"], output)
    assert_sample_is_output(["a: o...", "...      (cut)", "c: three"], output)
    for wrong in (["a: one", "b: TWO"], ["c: three", "a: one"], ["d: four"], ["a: one..."]):
        with pytest.raises(AssertionError):
            assert_sample_is_output(wrong, output)


def test_quickstart_sample_is_what_make_demo_prints() -> None:
    """`make demo` scans hub-and-spoke (an AC302 note) and, last, broken-overlap (an AC101 error)."""
    notes = run_cli("scan", "hub-and-spoke", cwd=EXAMPLES)
    broken = run_cli("scan", "broken-overlap", cwd=EXAMPLES)
    assert (notes.exit_code, broken.exit_code) == (0, 1), notes.stderr + broken.stderr
    assert_sample_is_output(sample("hub-and-spoke/topology.yaml:"), notes.stdout + broken.stdout)


def test_show_fixes_sample_is_real_output() -> None:
    run = run_cli("scan", "bad.yaml", "--show-fixes", cwd=RULE_FIXTURES / "AC205")
    assert run.exit_code == 1, run.stderr
    assert_sample_is_output(sample("bad.yaml:29:5: AC205"), run.stdout)


def test_simulate_sample_is_real_output() -> None:
    """`simulate vwan-indirect-spokes` from examples/, cut to its 10.13.76.0/24 rows."""
    run = run_cli("simulate", "vwan-indirect-spokes", cwd=EXAMPLES)
    assert run.exit_code == 0, run.stderr
    assert_sample_is_output(sample("Circuit er-circuit: predicted routes"), run.stdout)


def test_trace_sample_is_real_output() -> None:
    """The sample starts with the command it shows, run from the repository's root."""
    lines = sample("$ anycast-lint trace ")
    command = lines[0].removeprefix("$ anycast-lint ").split()
    run = run_cli(*command, cwd=REPO)
    assert run.exit_code == 1, run.stderr
    assert_sample_is_output(lines[1:], run.stdout)


def test_every_using_it_command_runs_on_the_bundled_examples(tmp_path: Path) -> None:
    """The "Using it" block, line by line, in a copy of examples/ committed to git with an origin/main (as
    in a clone): each command reads its input and answers (exit 0, or 1 for findings), none is a usage
    or input error (2), and the files it names exist."""
    block = re.search(r"## Using it\n\n```bash\n(.*?)```", README, re.S)
    assert block, "README has no Using it block"
    lines = block.group(1).splitlines()
    assert lines[0].startswith(". .venv/bin/activate && cd examples")
    examples = tmp_path / "examples"
    shutil.copytree(EXAMPLES, examples)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-C", str(examples)]
    for step in (["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "base"]):
        subprocess.run([*git, *step], check=True, capture_output=True)
    subprocess.run([*git, "update-ref", "refs/remotes/origin/main", "HEAD"], check=True)
    commands = [re.sub(r"\s{2,}#.*$", "", line) for line in lines[1:]]
    assert len(commands) >= 10 and all(command.startswith("anycast-lint ") for command in commands)
    for command in commands:
        words = shlex.split(command)[1:]
        stdin = None
        if "<" in words:
            stdin = (examples / words[-1]).read_text(encoding="utf-8")
            words = words[: words.index("<")]
        run = run_cli(*words, cwd=examples, stdin=stdin)
        assert run.exit_code in (0, 1), f"{command}: exit {run.exit_code}: {run.stderr}"
        assert run.stdout.strip() or "-o" in words, command
    assert (examples / "anycast-lint.sarif").is_file()


CHECKED_ELSEWHERE = {
    "$ anycast-lint diff ": "test_diff.py",
    "Service dns (VIP 10.13.76.4):": "test_onprem_view.py",
}


def test_every_text_sample_is_checked_somewhere() -> None:
    """A new README sample needs a test: here (by its first line), or in the named test that reads the README."""
    here = re.findall(r'sample\("([^"]+)"\)', Path(__file__).read_text(encoding="utf-8"))
    for block in re.findall(r"```text\n(.*?)```", README, re.S):
        first = block.splitlines()[0]
        elsewhere = [test for prefix, test in CHECKED_ELSEWHERE.items() if first.startswith(prefix)]
        if elsewhere:
            assert "README.md" in (Path(__file__).parent / elsewhere[0]).read_text(encoding="utf-8")
            continue
        assert any(first.startswith(prefix) for prefix in here), f"README sample {first[:60]!r} is checked by no test"
