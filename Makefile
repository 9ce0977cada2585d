# Two commands on a fresh machine: `make serve` and `make test`. Each sets itself up from the lock file.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export NO_MKDOCS_2_WARNING := 1

.PHONY: serve test test-tools tools wheelhouse check build clean lock

# The virtual environment, installed only from requirements.lock (every package pinned and hashed).
$(STAMP): requirements.lock pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "需要 Python 3.11（找不到 $(PYTHON)）。"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $(STAMP)

## make tools: Pagefind, the search indexer, from the npm registry (version and hash pinned in
## src/pufa/search.py); fetched once per machine, so builds and tests never download anything.
tools: $(STAMP)
	$(BIN)/python -m pufa.search fetch

## make serve: build and serve the site (drafts included) on http://127.0.0.1:8000/
serve: tools
	$(BIN)/pufa serve --dev-addr 127.0.0.1:8000

## make test: the whole test suite (content rules, real builds, browser tests)
test: $(STAMP) tools test-tools wheelhouse
	$(BIN)/python -m pytest

# Tools the tests run, pinned npm packages checked by hash (the Nu Html Checker's vnu.jar): fetched
# here, once, into the user's cache, so that no test ever downloads anything.
test-tools: $(STAMP)
	$(BIN)/python tests/npm_tools.py

# The locked wheels, for the test that installs pufa's own wheel into a clean environment offline.
WHEELHOUSE ?= $(HOME)/.cache/pufa/wheelhouse
export PUFA_WHEELHOUSE := $(WHEELHOUSE)
wheelhouse: $(WHEELHOUSE)/.complete
$(WHEELHOUSE)/.complete: requirements.lock
	$(BIN)/python -m pip wheel --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements.lock -w $(WHEELHOUSE)
	touch $@

## make check: what an editor's pull request is checked with
check: $(STAMP)
	$(BIN)/pufa check

## make build: the production site in site/ (atomic: a failed build leaves the old site)
build: tools
	$(BIN)/pufa build

clean:
	rm -rf site .site-* .cache

## make lock: re-resolve requirements.lock after changing dependencies in pyproject.toml
lock:
	$(BIN)/python -m pip install --quiet uv
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 --universal -o requirements.lock
