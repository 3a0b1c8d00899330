# anycast-lint developer commands. `make demo` and `make test` are the README quickstart.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.installed-runtime
STAMP := $(VENV)/.installed
# setuptools prints a banner on every editable install (a BuildBackendWarning, a UserWarning): not news.
PIP := PYTHONWARNINGS=ignore::UserWarning $(BIN)/pip install --quiet

.PHONY: demo test lint typecheck pytest bench fuzz clean docs-images
# The real Mermaid library (and jsdom) for checking the markdown report's diagrams, from the lock file.
MERMAID := tests/mermaid/node_modules/.installed

# `make demo` installs what the tool needs to run, nothing more; the test tools come with `make test`.
$(RUNTIME): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) --upgrade pip
	$(PIP) -e .
	touch $(RUNTIME)

$(STAMP): $(RUNTIME)
	$(PIP) -e '.[test]'
	touch $(STAMP)

# Scan the bundled example designs: the two designs from the field report have no error or warning (exit 0;
# the hub-and-spoke design gets an AC302 note: no preferred region, the tie-break decides), the broken
# variant reports AC101 (exit 1, expected).
demo: $(RUNTIME)
	cd examples && for design in hub-and-spoke vwan-indirect-spokes prefix-length arm/hub-and-spoke.json; do \
		../$(BIN)/anycast-lint scan $$design || exit 1; done
	cd examples && ../$(BIN)/anycast-lint simulate vwan-indirect-spokes --each-member
	cd examples && ../$(BIN)/anycast-lint scan broken-overlap; test $$? -eq 1

test: lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check lint rules tests benchmarks docs scripts
	$(BIN)/ruff format --check lint rules tests benchmarks docs scripts

# mypy cannot follow setuptools' editable package-dir mapping, so mirror the installed layout.
typecheck: $(STAMP)
	rm -rf .typecheck && mkdir -p .typecheck/anycast_lint
	for entry in lint/*; do ln -s ../../$$entry .typecheck/anycast_lint/; done
	ln -s ../../rules .typecheck/anycast_lint/rules
	ln -s ../../schemas .typecheck/anycast_lint/schemas
	cd .typecheck && ../$(BIN)/mypy --config-file ../pyproject.toml -p anycast_lint
	$(BIN)/mypy docs/build_design_format.py

pytest: $(STAMP) $(MERMAID)
	$(BIN)/pytest -q

# Property-based fuzzing of every loader (tests/test_fuzz.py): 10,000 mutated inputs per loader, then the
# count of each exit code. The test suite runs the same properties with a small, fixed set of examples.
FUZZ_EXAMPLES ?= 10000
fuzz: $(STAMP)
	FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/pytest -q -s -p no:cacheprovider tests/test_fuzz.py

# Without npm the Mermaid check is skipped locally; CI (.ci/run) requires it.
$(MERMAID): tests/mermaid/package.json tests/mermaid/package-lock.json
	@if command -v npm >/dev/null; then \
		cd tests/mermaid && npm ci --no-audit --no-fund --loglevel=error && touch node_modules/.installed; \
	else echo "npm not found: the Mermaid diagram check will be skipped"; fi

# The README's picture of a markdown-report diagram: mermaid-cli driving Debian's chromium
# (apt-get install chromium). Run by hand when the diagram changes; CI only parses diagrams (make test).
docs-images: $(STAMP)
	cd docs/images && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	cd examples && ../$(BIN)/anycast-lint scan vwan-indirect-spokes --format markdown \
		| sed -n '/^```mermaid$$/,/^```$$/p' | sed '1d;$$d' > ../docs/images/vwan-indirect-spokes.mmd
	cd docs/images && ./node_modules/.bin/mmdc -q -p puppeteer.json -i vwan-indirect-spokes.mmd \
		-o vwan-indirect-spokes.png -b white -s 2 -w 1400

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_scan.py --per-rule
	$(BIN)/python benchmarks/bench_arm_load.py
	$(BIN)/python benchmarks/bench_plan_load.py
	$(BIN)/python benchmarks/bench_routing.py
	$(BIN)/python benchmarks/bench_routing.py --vwan --services 50 --regions 10
	$(BIN)/python benchmarks/bench_live.py
	$(BIN)/python benchmarks/bench_full_scan.py
	$(BIN)/python benchmarks/bench_diff.py

clean:
	rm -rf $(VENV) .typecheck .pytest_cache .mypy_cache .ruff_cache tests/mermaid/node_modules
