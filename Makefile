# Two commands on a fresh machine with only Python 3.11+:
#   make demo   runs the main job
#   make test   runs every check (what CI runs)
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: demo test lint typecheck imports pytest docs bench dist clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[clv,plot]'
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev,pandas,arrow,clv,plot,dask,spark]'
	@touch $@ $(VENV)/.installed-run

# tests/plugin: a tiny package adding a policy through the "aftersales_crm.policies" entry
# points, so the tests exercise the real plugin mechanism. It builds offline with the
# hatchling of the dev extra (the project's build backend).
PLUGIN := tests/plugin
$(VENV)/.installed-plugin: $(VENV)/.installed-dev $(PLUGIN)/pyproject.toml $(wildcard $(PLUGIN)/aftersales_crm_test_plugin/*.py)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation ./$(PLUGIN)
	@touch $@

demo: $(VENV)/.installed-run
	$(BIN)/python -m aftersales_crm demo

test: $(VENV)/.installed-dev $(VENV)/.installed-plugin
	$(MAKE) --no-print-directory lint typecheck imports pytest docs

lint:
	$(BIN)/ruff check --no-cache .
	$(BIN)/ruff format --no-cache --check .

typecheck:
	$(BIN)/mypy

imports:
	$(BIN)/lint-imports

# Two worker processes (pytest-xdist): the suite takes about half the time on two cores.
# PYTEST_WORKERS=0 runs it in one process, as when debugging.
# Coverage of lines and branches by slipcover (probes in the bytecode, removed once they
# fire: the suite took about 40 % less time than under coverage.py's tracer), as JSON; then
# tools/coverage_gate.py prints what is uncovered and fails below 95 %, when no line ran, or
# when a module or the branches are missing from the report. The old report goes first, so
# a stale one never passes.
# Two warnings are slipcover's own, about test files it does not measure: it cannot hook
# this pytest's assertion rewriting (for branches in test files), and pytest cannot rewrite
# slipcover's plugin, imported before pytest starts.
PYTEST_WORKERS ?= 2
COVERAGE_REPORT := .coverage.json
pytest:
	rm -f $(COVERAGE_REPORT)
	$(BIN)/python -W "ignore:Unable to activate pytest branch coverage:RuntimeWarning" \
		-m slipcover --branch --source src/aftersales_crm --json --out $(COVERAGE_REPORT) \
		-m pytest -n $(PYTEST_WORKERS) --hypothesis-profile=ci \
		-W "ignore:Unable to activate pytest branch coverage:RuntimeWarning" \
		-W "ignore:Module already imported so cannot be rewritten; slipcover:pytest.PytestAssertRewriteWarning" \
		$(PYTEST_ARGS)
	$(BIN)/python tools/coverage_gate.py $(COVERAGE_REPORT) --source src/aftersales_crm --fail-under 95

# The site builds with --strict (a broken Markdown link or unknown cross-reference fails),
# then tools/check_site.py reads every built page for a raw Sphinx role or a broken link.
docs:
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet
	$(BIN)/python tools/check_site.py site

# The sdist and the wheel in dist/, with CHANGELOG.md built from changelog.d/ first (the sdist
# carries it). tests/test_wheel.py installs a wheel built the same way in a fresh environment.
dist: $(VENV)/.installed-dev
	rm -rf dist
	$(BIN)/python tools/changelog.py CHANGELOG.md
	$(BIN)/python -m hatchling build -d dist

bench: $(VENV)/.installed-dev
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) site dist CHANGELOG.md .coverage $(COVERAGE_REPORT)
