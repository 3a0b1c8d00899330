"""Design rules, one module per rule, grouped by theme; see registry.py and docs/rules/."""
