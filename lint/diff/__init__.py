"""`anycast-lint diff`: the two sides of a change and what it does to anycast routing."""
