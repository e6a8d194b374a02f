# Two commands: `make run` (demo server) and `make test` (whole suite). See README.md.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TEST_STAMP := $(VENV)/.installed-test
export FLASK_APP := consult
# two processes: the suite is I/O- and browser-bound, and CI has two cores
PYTEST_ARGS ?= -n 2

.PHONY: run test install install-test translations extract update-translations lint format db demo worker clean-venv audit

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@ $(STAMP)

install: $(STAMP)
install-test: $(TEST_STAMP)

translations: $(STAMP)
	@for po in $$(find consult -path '*/translations/*/LC_MESSAGES/*.po'); do \
		$(BIN)/pybabel compile --use-fuzzy -i $$po -o $${po%.po}.mo -f >/dev/null || exit 1; done

# Extract every translatable string in consult/ into a template (babel.cfg says where to look).
extract: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --ignore-dirs '.* __pycache__' \
		--no-location --sort-output \
		-o consult/translations/messages.pot consult

# Merge new strings into the Spanish catalogue; translate the empty msgstr entries, then commit.
update-translations: extract
	$(BIN)/pybabel update -i consult/translations/messages.pot -d consult/translations -l es \
		--no-location --no-fuzzy-matching

db: install translations
	$(BIN)/flask db upgrade heads

demo: db
	$(BIN)/flask demo

run: demo
	$(BIN)/flask run --host 127.0.0.1 --port 5000

worker: install
	$(BIN)/rq worker consult --url $${REDIS_URL:?set REDIS_URL}

LINT_PATHS := $(wildcard consult tests bench)

lint: $(TEST_STAMP)
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)

format: $(TEST_STAMP)
	$(BIN)/ruff format $(LINT_PATHS)
	$(BIN)/ruff check --fix $(LINT_PATHS)

# Known vulnerabilities with a fix available fail the build; an unreachable service only warns.
audit: $(TEST_STAMP)
	$(BIN)/python .ci/audit.py

test: $(TEST_STAMP) translations lint audit
	$(BIN)/python -m pytest $(PYTEST_ARGS)

clean-venv:
	rm -rf $(VENV)
