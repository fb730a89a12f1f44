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

# uv installs the lock in seconds. The pinned version is used from PATH when it is that version,
# else installed from PyPI (hash-checked, requirements-uv.lock) into .cache/tools. When neither
# works, .venv is made with pip (slower, same lock, same hashes). `make setup UV=none` forces pip.
UV_VERSION := 0.13.9
TOOLS := .cache/tools
UV_TOOL := $(TOOLS)/bin/uv
UV ?= $(if $(filter $(UV_VERSION),$(word 2,$(shell uv --version 2>/dev/null))),$(shell command -v uv),$(UV_TOOL))

.PHONY: help setup system-deps data report test lint unit nbval lab lab-screenshot store-outputs sync-notebooks bench lock clean
.DEFAULT_GOAL := help

help:
	@echo "make report         build every notebook into reports/ (HTML, PDF, index.html), incrementally"
	@echo "make test           formatter check, ruff, unit tests and nbval over notebooks/ (what CI runs)"
	@echo "make lab            JupyterLab at the repository root on the project kernel (LAB_ARGS=... adds flags)"
	@echo "make lab-screenshot JupyterLab on notebook 03 in headless Chromium -> reports/lab-03-charts.png; fails if no chart shows"
	@echo "make data           fetch the external data and source texts by checksum into data/raw"
	@echo "make setup          create .venv from requirements.lock with uv, pip as fallback (+ Debian libraries for PDF)"
	@echo "make system-deps    install Pango and the DejaVu fonts vl-convert measures charts with, if absent (root or sudo)"
	@echo "make lint           ruff format --check, ruff check (line length 110, complexity 12), notebook pairs agree"
	@echo "make unit           the unit tests only"
	@echo "make nbval          re-execute the notebooks and compare their stored outputs"
	@echo "make store-outputs  re-execute the notebooks in place so their stored outputs are current"
	@echo "make sync-notebooks bring each notebook and its text pair (notebooks/NN-topic.py) in step, newer wins"
	@echo "make bench          time a fresh copy: cold setup, each stage, no-change rebuild, text cleaner -> benchmarks/results.json"
	@echo "make lock           re-pin requirements.lock from requirements.in with uv (unchanged when nothing is)"
	@echo "make clean          remove .venv, reports and processed data"

# Debian libraries weasyprint needs (Pango, HarfBuzz subset) and DejaVu for vl-convert, which lays out
# the charts' text with the host's fonts. The PDFs' own fonts are not the host's: they are files in the
# locked packages (build/fonts.py), so no CJK font is installed here.
system-deps:
	@libs="$$(ldconfig -p)"; fonts="$$(fc-list 2>/dev/null || true)"; \
	if [[ "$$libs" != *libpango-1.0.so.0* || "$$libs" != *libharfbuzz-subset.so.0* || "$$fonts" != *"DejaVu Sans"* ]]; then \
	  echo "installing Pango and DejaVu fonts (weasyprint, chart layout)"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fontconfig >/dev/null; \
	fi

$(UV_TOOL): requirements-uv.lock
	rm -rf $(TOOLS)
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --require-hashes --no-deps -r requirements-uv.lock \
	  || { echo "uv $(UV_VERSION) could not be installed from PyPI: .venv will be made with pip"; rm -rf $(TOOLS); }

$(STAMP): requirements.lock pyproject.toml | $(if $(filter $(UV_TOOL),$(UV)),$(UV_TOOL))
	rm -rf $(VENV)
	if [ -x "$(UV)" ]; then \
	  $(UV) venv --quiet --python $(PYTHON) $(VENV); \
	  $(UV) pip sync --quiet --require-hashes --compile-bytecode --python $(BIN)/python requirements.lock; \
	  $(UV) pip install --quiet --no-deps --no-build-isolation --python $(BIN)/python -e .; \
	  $(UV) --version > $(VENV)/.installer; \
	else \
	  $(PYTHON) -m venv $(VENV); \
	  $(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements.lock; \
	  $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .; \
	  $(BIN)/python -m pip --version | cut -d' ' -f1-2 > $(VENV)/.installer; \
	fi
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python ($(KERNEL))" >/dev/null
	if git rev-parse --git-dir >/dev/null 2>&1; then $(BIN)/python -m rare_earths.build.pairing --configure-git; fi
	touch $(STAMP)

setup: system-deps $(STAMP)

data: setup
	$(BIN)/rare-earths data fetch --allow-missing

report: data
	$(BIN)/rare-earths build --allow-missing

# The formatter's check (line length 110), the linter with the complexity rule (12), and every
# notebook against its jupytext pair.
lint: setup
	$(BIN)/ruff format --check src tests notebooks benchmarks conftest.py
	$(BIN)/ruff check src tests notebooks benchmarks conftest.py
	$(BIN)/python -m rare_earths.build.pairing notebooks

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
# Charts in Lab are interactive (Vega bundled by vl-convert, offline); CHARTS=svg draws them as the builds do.
CHARTS ?= interactive
lab: data
	$(BIN)/jupyter trust notebooks/[0-9][0-9]-*.ipynb >/dev/null
	RARE_EARTHS_CHARTS=$(CHARTS) $(BIN)/jupyter lab --ServerApp.root_dir=. --LabApp.default_url=/lab/tree/notebooks $(ROOT_FLAG) $(LAB_ARGS)

# `make lab` as a reader meets it, checked: Lab (temporary Jupyter folders, notebooks trusted, charts
# interactive) on a free port, notebook 03 opened in headless Debian chromium through the DevTools
# protocol, scrolled to its first stored chart, photographed; exit 1 when no chart is drawn.
lab-screenshot: setup
	$(BIN)/python benchmarks/lab_screenshot.py

# Re-execute the source notebooks in place so their stored outputs (what nbval compares) are current.
store-outputs: data
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace --ExecutePreprocessor.kernel_name=$(KERNEL) notebooks/[0-9][0-9]-*.ipynb

# After editing a notebook or its script outside JupyterLab: the newer file of each pair gives the
# inputs, the notebook keeps its outputs.
sync-notebooks: setup
	$(BIN)/jupytext --sync notebooks/[0-9][0-9]-*.ipynb
	$(BIN)/python -m rare_earths.build.pairing notebooks

# One run on a fresh copy of the work tree: cold environment (empty uv cache), first make report with
# each stage's execute/HTML/PDF seconds, the no-change make report, and the text cleaner's
# throughput; printed and written to benchmarks/results.json (about 4 minutes on 2 cores).
bench: setup
	$(BIN)/python benchmarks/bench.py

# Re-pin everything after editing requirements.in (or UV_VERSION). uv keeps the current pins as
# preferences and the header names no file, so the lock is rewritten only when a pin or hash changes
# (a rewritten lock would make every .venv reinstall).
lock: | $(if $(filter $(UV_TOOL),$(UV)),$(UV_TOOL))
	@mkdir -p .cache
	@[ ! -f requirements.lock ] || cp requirements.lock .cache/requirements.lock
	$(UV) pip compile requirements.in --quiet --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" -o .cache/requirements.lock
	@if cmp -s .cache/requirements.lock requirements.lock; then echo "requirements.lock unchanged"; \
	  else mv .cache/requirements.lock requirements.lock; echo "requirements.lock updated"; fi
	@echo "uv==$(UV_VERSION)" | $(UV) pip compile - --quiet --python-version 3.11 --generate-hashes \
	  --custom-compile-command "make lock" -o .cache/requirements-uv.lock
	@if cmp -s .cache/requirements-uv.lock requirements-uv.lock; then echo "requirements-uv.lock unchanged"; \
	  else mv .cache/requirements-uv.lock requirements-uv.lock; echo "requirements-uv.lock updated"; fi
	@rm -f .cache/requirements.lock .cache/requirements-uv.lock

clean:
	-git config --local --remove-section diff.jupyternotebook 2>/dev/null
	-git config --local --remove-section merge.jupyternotebook 2>/dev/null
	rm -rf $(VENV) reports/*.html reports/*.pdf reports/*.ipynb reports/.*.part reports/.*.running.ipynb data/processed/* data/processed/.processed-* data/processed/.*.part .cache .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
