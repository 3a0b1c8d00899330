"""Rule help pages, shipped inside the package as data (see lint/ruledocs.py)."""
