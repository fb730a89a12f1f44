# make report  — build every notebook into reports/ (HTML + PDF + index.html)
# make test    — ruff, unit tests and nbval (strict) over notebooks/, as CI runs them
# Both create .venv from requirements.lock when it is missing or older than the lock.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
KERNEL := rare-earths

.PHONY: help setup system-deps data report test lint unit nbval lab store-outputs bench lock clean
.DEFAULT_GOAL := help

help:
	@echo "make report         build every notebook into reports/ (HTML, PDF, index.html), incrementally"
	@echo "make test           formatter check, ruff, unit tests and nbval over notebooks/ (what CI runs)"
	@echo "make lab            JupyterLab at the repository root on the project kernel (LAB_ARGS=... adds flags)"
	@echo "make data           fetch the external data and source texts by checksum into data/raw"
	@echo "make setup          create .venv from requirements.lock (and the Debian libraries for PDF)"
	@echo "make system-deps    install Pango, DejaVu and WenQuanYi fonts if absent (root or sudo)"
	@echo "make lint           ruff format --check and ruff check (line length 110, complexity 12)"
	@echo "make unit           the unit tests only"
	@echo "make nbval          re-execute the notebooks and compare their stored outputs"
	@echo "make store-outputs  re-execute the notebooks in place so their stored outputs are current"
	@echo "make bench          text-cleaning throughput at 100, 1,000 and 10,000 generated articles and a 5 MB one"
	@echo "make lock           re-pin requirements.lock from requirements.in"
	@echo "make clean          remove .venv, reports and processed data"

# Debian libraries weasyprint needs (Pango), the font the charts are drawn with, and a CJK font
# for the Chinese and Japanese titles in the study report's references.
system-deps:
	@libs="$$(ldconfig -p)"; fonts="$$(fc-list 2>/dev/null || true)"; \
	if [[ "$$libs" != *libpango-1.0.so.0* || "$$libs" != *libharfbuzz-subset.so.0* || "$$fonts" != *"DejaVu Sans"* || "$$fonts" != *"WenQuanYi Micro Hei"* ]]; then \
	  echo "installing Pango, DejaVu and WenQuanYi fonts (weasyprint, charts, CJK titles)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-wqy-microhei fontconfig >/dev/null; \
	fi

$(STAMP): requirements.lock pyproject.toml
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python ($(KERNEL))" >/dev/null
	touch $(STAMP)

setup: system-deps $(STAMP)

data: setup
	$(BIN)/rare-earths data fetch --allow-missing

report: data
	$(BIN)/rare-earths build --allow-missing

# The formatter's check (line length 110), then the linter with the complexity rule (12).
lint: setup
	$(BIN)/ruff format --check src tests notebooks benchmarks conftest.py
	$(BIN)/ruff check src tests notebooks benchmarks conftest.py

unit: setup
	$(BIN)/pytest tests

nbval: data
	$(BIN)/pytest --nbval notebooks --nbval-sanitize-with nbval_sanitize.cfg

# One pytest run over tests/ and notebooks/ so CI reads one closing line.
test: data lint
	$(BIN)/pytest tests notebooks --nbval --nbval-sanitize-with nbval_sanitize.cfg

# JupyterLab at the repository root (notebooks, reports, data and src/ reachable); as root it needs --allow-root.
LAB_ARGS ?=
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
lab: data
	$(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks $(ROOT_FLAG) $(LAB_ARGS)

# Re-execute the source notebooks in place so their stored outputs (what nbval compares) are current.
store-outputs: data
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.kernel_name=$(KERNEL) notebooks/[0-9][0-9]-*.ipynb

# Throughput of the text cleaner on 1,000 generated articles (a measurement, not a test).
bench: setup
	$(BIN)/python benchmarks/texts_throughput.py --articles 100 1000 10000 --big-article-mb 5

# Re-pin everything after editing requirements.in (needs uv: pip install uv).
lock:
	uv pip compile requirements.in --python-version 3.11 --generate-hashes -o requirements.lock

clean:
	rm -rf $(VENV) reports/*.html reports/*.pdf reports/*.ipynb reports/.*.part reports/.*.running.ipynb data/processed/* data/processed/.processed-* data/processed/.*.part .cache .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
