# wardbrief — `make report` and `make test` work on a fresh machine with only python3.
#
#   make report SOURCE=path/to.xlsx AS_OF=2026-11-27 [PERIOD_START=2026-11-01]
#   make test
#
# The virtual environment is .venv (created once); the package is re-installed when
# pyproject.toml changes (stamp file .venv/.installed).

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
WARDBRIEF := $(BIN)/wardbrief
STAMP := $(VENV)/.installed

SOURCE ?= data/donghai-demo.xlsx
AS_OF ?= 2026-11-27
PERIOD_START ?=
OUT := outputs/$(AS_OF)
PERIOD_ARG := $(if $(strip $(PERIOD_START)),--period-start $(PERIOD_START))

# The bundled sample: `make demo-data` regenerates data/donghai-demo.xlsx exactly.
DEMO_SEED ?= 2026
DEMO_CASES ?= 400
DEMO_OUT ?= data/donghai-demo.xlsx

# Debian packages the PDF rendering and its tests need (pdftotext/pdffonts, fonts, Pango);
# libreoffice-writer: the tests convert each Word file to PDF (soffice --headless) to see it renders;
# libreoffice-calc: and theo-doi.xlsx, to see how it prints.
# fonts-liberation2: Liberation 2.x has the Vietnamese letters (ư, ờ, ả…) that 1.x
# (fonts-liberation, not wanted) lacks; static/base.css reads Liberation Serif from its
# files, so that a machine with both lays out the same pages (the weekly briefing: 4).
# libharfbuzz-subset0: WeasyPrint subsets the fonts of each PDF with it (else with fontTools).
DEB_PACKAGES := poppler-utils fonts-dejavu-core fonts-liberation2 \
                libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 libreoffice-writer \
                libreoffice-calc

export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: help venv install system-deps check metrics report test test-serial fuzz lab demo-data bench bench-readers bench-scale clean distclean airflow test-airflow

help:
	@echo "make report     check the workbook and build the report (SOURCE=$(SOURCE) AS_OF=$(AS_OF))"
	@echo "make test       pytest (on every core) and ruff"
	@echo "make test-serial  the regression tests with every report in one process (WARDBRIEF_JOBS=1)"
	@echo "make fuzz       the property tests with 20,000 hostile workbooks (HYPOTHESIS_PROFILE=fuzz)"
	@echo "make check      wardbrief check --source SOURCE"
	@echo "make metrics    outputs/AS_OF/metrics.json"
	@echo "make lab        JupyterLab on notebooks/"
	@echo "make demo-data  regenerate $(DEMO_OUT) (seed $(DEMO_SEED), $(DEMO_CASES) cases)"
	@echo "make bench      briefings against the floor F -> outputs/bench.json (bench-readers, bench-scale: the older scripts)"
	@echo "make install    create .venv and install the package (also: make venv)"
	@echo "make airflow    .venv-airflow: Apache Airflow 3.3 pinned (airflow/), for dags/ (docs/CITY.md)"
	@echo "make test-airflow  the DAG wardbrief_city through airflow dags test on three wards"
	@echo "make system-deps  Debian packages for PDF rendering (as root)"
	@echo "make clean      remove outputs (not snapshots, not the sent log) and caches (distclean: also .venv)"

# --- environment ------------------------------------------------------------

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[test]'
	@# pip compiles what it installs, not an editable install's sources: compiled here,
	@# else a Python that may not write bytecode (PYTHONDONTWRITEBYTECODE) compiles the
	@# package at every start of a command and of each kernel
	$(BIN)/python -m compileall -q lib/wardbrief
	@touch $@

venv install: $(STAMP)

# Quick when everything is present (dpkg -s only); installs as root, else says what is missing.
system-deps:
	@if ! command -v dpkg >/dev/null 2>&1; then \
	  echo "system-deps: not a Debian system; make sure Pango, poppler-utils and the DejaVu/Liberation fonts are installed"; \
	  exit 0; \
	fi; \
	missing=""; \
	for pkg in $(DEB_PACKAGES); do \
	  dpkg -s $$pkg >/dev/null 2>&1 || missing="$$missing $$pkg"; \
	done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
	  echo "system-deps: missing Debian packages:$$missing"; \
	  echo "system-deps: not root, skipping; ask an administrator to run: apt-get install -y$$missing"; \
	  exit 0; \
	fi; \
	echo "system-deps: installing$$missing"; \
	apt-get update && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $$missing

# --- the suite ----------------------------------------------------------------

check: $(STAMP)
	$(WARDBRIEF) check --source $(SOURCE)

metrics: $(STAMP)
	@mkdir -p $(OUT)
	$(WARDBRIEF) metrics --source $(SOURCE) --as-of $(AS_OF) $(PERIOD_ARG) -o $(OUT)/metrics.json
	@echo "metrics: $(OUT)/metrics.json"

# `wardbrief check` exits 1 for data errors (rows rejected): the report is still built
# from the valid rows. Exit 2 (source unreadable) or anything else stops make.
report: $(STAMP) system-deps
	@rc=0; $(WARDBRIEF) check --source $(SOURCE) || rc=$$?; \
	if [ $$rc -eq 1 ]; then \
	  echo "report: the workbook has data errors (listed above); the briefing is built from the valid rows, or only the data-quality list when the sheet cannot give true figures (first line above)"; \
	elif [ $$rc -ne 0 ]; then \
	  exit $$rc; \
	fi
	$(WARDBRIEF) run weekly_briefing --source $(SOURCE) --as-of $(AS_OF) $(PERIOD_ARG)
	@echo "report: $(OUT)/weekly_briefing/report.pdf  (every briefing: outputs/index.html)"

# pytest and ruff both run; the target fails if either fails. The tests are spread over
# every core by pytest-xdist (PYTEST_JOBS=1: in this process); a test module's tests stay
# on one worker (--dist loadfile), so each module-scoped fixture is built once; the
# modules are handed out in the order tests/conftest.py gives them (the longest first).
PYTEST_JOBS ?= auto
PYTEST_XDIST := $(if $(filter 1,$(PYTEST_JOBS)),,-n $(PYTEST_JOBS) --dist loadfile --no-loadscope-reorder)
test: $(STAMP) system-deps
	@rc=0; \
	$(BIN)/python -m pytest -q $(PYTEST_XDIST) || rc=$$?; \
	$(BIN)/ruff check lib tests bench || rc=$$?; \
	exit $$rc

# The regression layer once more with every report built in one process (`--jobs 1`):
# the path of a machine with one core, and of WARDBRIEF_JOBS=1 when debugging.
test-serial: $(STAMP) system-deps
	WARDBRIEF_JOBS=1 $(BIN)/python -m pytest -q $(PYTEST_XDIST) tests/regression

# Apache Airflow in its own environment (its dependencies are not the suite's), pinned:
# airflow/requirements.txt names it, airflow/constraints.txt is a working install frozen.
# The DAG calls the `wardbrief` command, so the papermill provider is not needed.
AIRFLOW_VENV := .venv-airflow
$(AIRFLOW_VENV)/.installed: airflow/requirements.txt airflow/constraints.txt
	$(PYTHON) -m venv $(AIRFLOW_VENV)
	$(AIRFLOW_VENV)/bin/python -m pip install -q -r airflow/requirements.txt -c airflow/constraints.txt
	@touch $@

airflow: $(AIRFLOW_VENV)/.installed

test-airflow: $(STAMP) system-deps airflow
	$(BIN)/python -m pytest -q tests/airflow/dag_run_check.py

# The property tests (tests/properties.py, run in shards tests/unit/test_properties_*.py),
# 10,000 examples each in all (make test: 1,000).
fuzz: $(STAMP)
	HYPOTHESIS_PROFILE=fuzz $(BIN)/python -m pytest -q $(PYTEST_XDIST) tests/unit/test_properties_*.py

# JupyterLab in an environment of its own, made the first time it is used: its server
# brings jupyter-events and rfc3987-syntax, which jsonschema then loads at every import of
# nbformat (about a second of every `wardbrief run` and of its workers). The notebooks
# there run on .venv's Python: its kernel is installed into .venv-lab as `python3`.
LAB_VENV := .venv-lab
lab: $(STAMP)
	@test -x $(LAB_VENV)/bin/jupyter-lab || { $(PYTHON) -m venv $(LAB_VENV) && \
	  $(LAB_VENV)/bin/python -m pip install -q 'jupyterlab>=4.1'; }
	@$(BIN)/python -m ipykernel install --prefix "$(abspath $(LAB_VENV))" --name python3 \
	  --display-name "Python 3 (wardbrief)" >/dev/null 2>$(LAB_VENV)/kernel-install.log \
	  || { cat $(LAB_VENV)/kernel-install.log; exit 1; }
	$(LAB_VENV)/bin/jupyter lab notebooks/

demo-data: $(STAMP)
	$(WARDBRIEF) demo-data --seed $(DEMO_SEED) --cases $(DEMO_CASES) --as-of 2026-11-27 --out $(DEMO_OUT)

# BENCH_ARGS e.g. "--fast-runs 3 --slow-runs 2 --only floor,weekly_5k" (bench/bench.py --help)
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python bench/bench.py $(BENCH_ARGS)

bench-readers: $(STAMP)
	$(BIN)/python bench/xlsx_readers.py

bench-scale: $(STAMP)
	$(BIN)/python bench/metrics_scale.py

clean:
	if [ -d outputs ]; then find outputs -mindepth 1 -maxdepth 1 ! -name .gitkeep ! -name _snapshots ! -name _sent.jsonl -exec rm -rf {} +; fi
	find . -path ./$(VENV) -prune -o -type d -name __pycache__ -exec rm -rf {} +
	rm -rf .pytest_cache .ruff_cache build

distclean: clean
	rm -rf $(VENV) $(LAB_VENV) lib/*.egg-info
