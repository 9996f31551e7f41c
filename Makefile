# branch-portal: the README lists these targets word for word.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install migrate demo lint format clean

run: install migrate demo  ## serve the portal with the demo data on http://127.0.0.1:8000
	DEBUG=$${DEBUG:-1} $(BIN)/python manage.py runserver 127.0.0.1:8000

test: install  ## run the whole test suite
	$(BIN)/pytest

install: $(STAMP)  ## create .venv and install the pinned requirements

$(STAMP): requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

migrate: install  ## apply database migrations
	$(BIN)/python manage.py migrate --noinput

demo: migrate  ## load the demo data built from the source document (idempotent)
	$(BIN)/python manage.py load_demo

lint: install  ## ruff, migrations and system checks as CI runs them
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/python manage.py check

format: install  ## format the code with ruff
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:  ## remove the virtualenv and the development database
	rm -rf $(VENV) db.sqlite3
