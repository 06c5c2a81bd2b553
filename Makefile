# Traineenett: `make demo` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/traineenett

.PHONY: install demo test test-deps lint test-sqlite test-postgres chromium bench bench-solvers clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed

demo: install
	$(BIN)/traineenett demo

# Debian's Chromium for the browser tests (Playwright drives it; nothing is downloaded).
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

test-deps: $(VENV)/.test-installed chromium

lint: test-deps
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/mypy
	$(BIN)/traineenett makemigrations --check --dry-run
	$(BIN)/python scripts/compile_translations.py --check

test-sqlite: test-deps
	env -u DATABASE_URL $(BIN)/pytest

test-postgres: test-deps
	DATABASE_URL=$(PG_URL) $(BIN)/pytest

test: lint test-sqlite test-postgres

bench: install
	$(BIN)/python bench/run.py

# The solver and report benchmarks (README, "Benchmark"); the rotation run takes minutes.
bench-solvers: install
	$(BIN)/python bench/interviews.py
	$(BIN)/python bench/groups.py
	$(BIN)/python bench/settlement.py
	$(BIN)/python bench/rotation.py

# One run fills the project catalogue (src/traineenett/locale) and every app's own
# catalogue (an app with a locale/ folder gets its strings there).
messages: test-deps
	cd src/traineenett && ../../$(BIN)/traineenett makemessages -l nb -l en --no-obsolete --add-location file
	$(BIN)/python scripts/compile_translations.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
