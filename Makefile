# One entry point for people and CI. Every target sets itself up (a virtualenv in .venv) first.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell $(PYTHON) -c "import hashlib,sys;print(hashlib.sha1(open('pyproject.toml','rb').read()).hexdigest()[:12])")

.PHONY: install demo test serve lint wheel-check clean mutate fuzz

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	rm -f $(VENV)/.installed-*
	touch $@

## The playground: Parley with a fake Slack in the browser at http://127.0.0.1:3000 (no Slack account).
demo: install
	$(BIN)/parley demo

## The whole test suite (SQLite always; PostgreSQL too when PARLEY_TEST_POSTGRES_URL is set), on every core.
TEST_WORKERS ?= auto
test: install
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

## Run Parley over HTTP on the embedded SQLite database (needs the Slack settings, see README).
serve: install
	$(BIN)/parley db upgrade
	$(BIN)/parley serve

## Mutation testing of coaching/ (slow, not in CI): a score per module, survivors re-checked in a fresh
## process (docs/testing.md). MUTATE_CHILDREN=2 to use two cores; MODULES="money parsing" for a subset.
MUTATE_CHILDREN ?= 1
MODULES ?=
mutate: install
	nice -n 19 $(BIN)/python tests/mutation/mutation_score.py --children $(MUTATE_CHILDREN) $(MODULES)

## Deep property-based search: every Hypothesis test with 20× its examples, random seeds (docs/testing.md).
fuzz: install
	$(BIN)/python -m pytest -q --hypothesis-profile=fuzz $(FUZZ_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

## Build the wheel and prove a normal (non-editable) install ships templates and migrations.
wheel-check: install
	rm -rf build dist
	$(BIN)/python -m build --wheel --outdir dist . > /dev/null
	tmp=$$(mktemp -d) && $(PYTHON) -m venv $$tmp/venv \
	  && $$tmp/venv/bin/pip install --quiet dist/*.whl \
	  && cd $$tmp && ./venv/bin/parley --help > /dev/null \
	  && DATABASE_URL=sqlite:///$$tmp/wheel.db ./venv/bin/parley db upgrade \
	  && DATABASE_URL=sqlite:///$$tmp/wheel.db ./venv/bin/parley db upgrade \
	  && ./venv/bin/python -c "from templates import render_message; print('templates ok:', bool(render_message))" \
	  && ./venv/bin/python -c "from coaching.playbook import load_default; load_default(); print('playbook ok')" \
	  && rm -rf $$tmp

clean:
	rm -rf $(VENV) build dist *.egg-info mutants
