# Two commands on a fresh machine: `make run` and `make test`. Both set up .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Pilot tests mostly wait for the app to go idle, so more workers than cores still pays.
WORKERS ?= 4

.PHONY: setup bytecode run test lint bench snapshot-update lock clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "facilitate needs Python 3.11 or newer (set PYTHON=...)")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# Our own modules byte-compiled, as a wheel install has them. An editable install leaves it
# to the first import, which saves nothing when PYTHONDONTWRITEBYTECODE is set: every start
# would compile them all again (about 60 ms). Only changed files are compiled.
bytecode: setup
	@$(BIN)/python -m compileall -q src/facilitate

run: bytecode
	$(BIN)/facilitate run sample-programme

lint: setup
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/lint-imports

test: lint
	$(BIN)/python -m pytest -n $(WORKERS)

# After a deliberate change to what a screen shows: rewrite the snapshot SVGs, then review
# them (git diff) before committing.
snapshot-update: setup
	$(BIN)/python -m pytest -n $(WORKERS) --snapshot-update tests/test_snapshots_run.py tests/test_panels.py tests/test_review.py

# Re-resolve every dependency from pyproject.toml into constraints.txt (the lock make test uses).
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	.lock-venv/bin/python -m pip install --quiet --upgrade pip
	.lock-venv/bin/python -m pip install --quiet -e '.[test]'
	{ sed -n '1,2p' constraints.txt; .lock-venv/bin/python -m pip freeze --all --exclude-editable | grep -v '^facilitate\|^pip=='; } > constraints.new
	mv constraints.new constraints.txt
	rm -rf .lock-venv

bench: bytecode
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build dist src/*.egg-info .pytest_cache .mypy_cache .ruff_cache .lock-venv
