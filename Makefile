# One command each (see README): `make run` sets up and runs the pipeline, `make test` runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# dvc.yaml's commands say `python`: it must be the project's environment.
export PATH := $(abspath $(BIN)):$(PATH)
export DVC_NO_ANALYTICS := 1
export GX_ANALYTICS_ENABLED := false

# The CSS/JS of the Great Expectations Data Docs, pinned in package-lock.json, served offline (pipeline/validate/docs.py).
ASSETS := vendor/datadocs

.PHONY: setup run test bench clean

setup: $(VENV)/.installed $(ASSETS)/node_modules/.installed $(VENV)/.templates

$(VENV)/.installed: pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

# GX's Data Docs and the audit page's templates compiled once per machine (~/.cache/muniplan), not by the first run.
$(VENV)/.templates: $(VENV)/.installed
	$(BIN)/python -m pipeline warm-templates
	touch $@

$(ASSETS)/node_modules/.installed: $(ASSETS)/package.json $(ASSETS)/package-lock.json
	cd $(ASSETS) && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	touch $@

run: setup
	$(BIN)/python -m pipeline.dvc_repair
	$(BIN)/dvc repro

test: setup
	$(BIN)/python -m pytest -q

bench: setup
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) extracted/cells extracted/*.csv extracted/validation extracted/audit.html
