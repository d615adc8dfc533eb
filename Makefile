# Everything runs inside a virtual environment that this Makefile builds on first use,
# so a fresh clone needs only Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help refresh test lint typecheck unit bench fuzz soak clean

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

unit: $(STAMP) ## the pytest suite
	$(BIN)/pytest -q $(PYTEST_ARGS)

bench: $(STAMP) ## benchmarks under bench/, figures printed
	$(BIN)/python -m bench

clean: ## remove build/ and caches (not the venv)
	rm -rf build .pytest_cache .mypy_cache .ruff_cache
