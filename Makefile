# The README's two commands: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PORT   ?= 8501

.PHONY: run test install install-dev lock messages lint bench clean

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Each stamp records that the venv matches its lock file.
$(VENV)/.installed: requirements.lock | $(VENV)/bin/python
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.installed-dev: requirements-dev.lock $(VENV)/.installed
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# The demo database is built before the server starts (when the file is missing), so that
# the first page a newcomer opens draws at once instead of building it on that request.
run: install
	$(PY) cli.py init --if-missing
	$(PY) -m streamlit run app.py --server.port $(PORT)

# One worker per core (pytest-xdist): every test has its own database copy and port; the
# browser journeys share one worker (tests/e2e/conftest.py), one at a time.
test: install-dev
	$(PY) -m pytest -n auto --dist loadgroup

# Speed figures of the robustness engine and of every page (a few minutes).
bench: install-dev
	$(PY) cli.py bench

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

# Regenerate the locks after changing pyproject.toml (needs the network).
lock: $(VENV)/bin/python
	$(PY) -m pip install --quiet uv
	$(VENV)/bin/uv pip compile -q --python-version 3.11 --generate-hashes pyproject.toml -o requirements.lock
	$(VENV)/bin/uv pip compile -q --python-version 3.11 --generate-hashes --extra test pyproject.toml -c requirements.lock -o requirements-dev.lock

# Refresh the message catalogues after adding or changing visible strings.
# Then fill in the msgstr of every new message in locales/nb/LC_MESSAGES/bibvalg.po.
messages: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 --no-location \
		--sort-output --ignore-dirs=".venv tests data benchmarks" -o locales/bibvalg.pot .
	$(PY) locales/update.py

clean:
	rm -rf $(VENV) data/*.duckdb
