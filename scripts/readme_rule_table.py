"""Write the README's rule table from the rule registry and the help pages' summaries.

`python scripts/readme_rule_table.py` rewrites the table in this checkout's README.md (between the two
marker comments); `--check` only says whether it is up to date (exit 1 if not). It imports the installed
`anycast_lint`, which `make demo`/`make test` install from this checkout (editable).
"""

from __future__ import annotations

import sys
from pathlib import Path

from anycast_lint.engine.ruledocs import rule_table, with_rule_table
from anycast_lint.rules.registry import all_rules

README = Path(__file__).resolve().parents[1] / "README.md"


def main(argv: list[str]) -> int:
    current = README.read_text(encoding="utf-8")
    wanted = with_rule_table(current, rule_table(all_rules()))
    if current == wanted:
        return 0
    if "--check" in argv:
        print("README.md's rule table differs from the rule registry: run python scripts/readme_rule_table.py")
        return 1
    README.write_text(wanted, encoding="utf-8")
    print("README.md: rule table rewritten")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
